#![cfg(not(loom))]
//! Every method and error of the channel, and the crossbeam/std behaviours people rely on.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use kendall_queue::{
    RecvError, RecvTimeoutError, SendError, SendTimeoutError, TryRecvError, TrySendError, bounded,
};

const SHORT: Duration = Duration::from_millis(20);

#[test]
fn ends_are_send_sync_clone_and_unwind_safe() {
    use std::panic::{RefUnwindSafe, UnwindSafe};
    fn check<T: Send + Sync + Clone + UnwindSafe + RefUnwindSafe>() {}
    check::<kendall_queue::Sender<String>>();
    check::<kendall_queue::Receiver<String>>();
    // As crossbeam-channel's ends are, even for a `T` that is not unwind-safe itself.
    check::<kendall_queue::Sender<std::cell::Cell<u8>>>();
    check::<crossbeam_channel::Sender<std::cell::Cell<u8>>>();
}

#[test]
fn send_recv_in_order_across_threads() {
    let (tx, rx) = bounded(3);
    let producer = thread::spawn(move || {
        for i in 0..10_000u32 {
            tx.send(i).unwrap();
        }
    });
    for i in 0..10_000u32 {
        assert_eq!(rx.recv(), Ok(i));
    }
    producer.join().unwrap();
    assert_eq!(rx.recv(), Err(RecvError));
}

#[test]
fn try_send_full_and_disconnected() {
    let (tx, rx) = bounded(2);
    assert_eq!(tx.try_send(1), Ok(()));
    assert_eq!(tx.try_send(2), Ok(()));
    assert_eq!(tx.try_send(3), Err(TrySendError::Full(3)));
    assert!(tx.is_full());
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(tx.try_send(3), Ok(()));
    drop(rx);
    let err = tx.try_send(4).unwrap_err();
    assert!(err.is_disconnected() && !err.is_full());
    assert_eq!(err.into_inner(), 4);
}

#[test]
fn try_recv_empty_then_disconnected_after_drain() {
    let (tx, rx) = bounded(4);
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    tx.send(1).unwrap();
    tx.send(2).unwrap();
    drop(tx);
    // Disconnected, but what was sent is still delivered first.
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(rx.recv(), Ok(2));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
    assert_eq!(rx.recv(), Err(RecvError));
}

#[test]
fn send_after_receivers_gone_gives_value_back() {
    let (tx, rx) = bounded(4);
    let rx2 = rx.clone();
    drop(rx);
    assert_eq!(tx.send(1), Ok(())); // one receiver still alive
    drop(rx2);
    assert_eq!(tx.send(2), Err(SendError(2)));
    assert_eq!(
        tx.send_timeout(3, SHORT),
        Err(SendTimeoutError::Disconnected(3))
    );
    assert_eq!(tx.force_send(4), Err(SendError(4)));
}

#[test]
fn clones_keep_the_channel_connected() {
    let (tx, rx) = bounded(1);
    let tx2 = tx.clone();
    drop(tx);
    tx2.send(9).unwrap();
    assert_eq!(rx.recv(), Ok(9));
    drop(tx2);
    assert_eq!(rx.recv(), Err(RecvError));
}

#[test]
fn recv_timeout_is_never_early() {
    let (_tx, rx) = bounded::<u8>(1);
    for ms in [1u64, 5, 30] {
        let wait = Duration::from_millis(ms);
        let start = Instant::now();
        assert_eq!(rx.recv_timeout(wait), Err(RecvTimeoutError::Timeout));
        assert!(
            start.elapsed() >= wait,
            "returned after {:?} < {wait:?}",
            start.elapsed()
        );
    }
    let deadline = Instant::now() + SHORT;
    assert_eq!(rx.recv_deadline(deadline), Err(RecvTimeoutError::Timeout));
    assert!(Instant::now() >= deadline);
}

#[test]
fn send_timeout_is_never_early_and_returns_the_value() {
    let (tx, _rx) = bounded(1);
    tx.send(0).unwrap();
    let start = Instant::now();
    let err = tx.send_timeout(1, SHORT).unwrap_err();
    assert!(start.elapsed() >= SHORT);
    assert!(err.is_timeout() && !err.is_disconnected());
    assert_eq!(err.into_inner(), 1);
    let deadline = Instant::now() + SHORT;
    assert_eq!(
        tx.send_deadline(2, deadline),
        Err(SendTimeoutError::Timeout(2))
    );
    assert!(Instant::now() >= deadline);
}

#[test]
fn timeouts_succeed_when_the_other_side_acts_in_time() {
    let (tx, rx) = bounded(1);
    let t = thread::spawn(move || {
        thread::sleep(Duration::from_millis(10));
        tx.send(5).unwrap();
        tx.send_timeout(6, Duration::from_secs(5)).unwrap();
    });
    assert_eq!(rx.recv_timeout(Duration::from_secs(5)), Ok(5));
    thread::sleep(Duration::from_millis(10));
    assert_eq!(
        rx.recv_deadline(Instant::now() + Duration::from_secs(5)),
        Ok(6)
    );
    t.join().unwrap();
}

#[test]
fn huge_timeouts_do_not_overflow() {
    let (tx, rx) = bounded(1);
    tx.send_timeout(1, Duration::MAX).unwrap();
    assert_eq!(rx.recv_timeout(Duration::MAX), Ok(1));
}

#[test]
fn disconnection_wakes_a_blocked_receiver() {
    let (tx, rx) = bounded::<u8>(1);
    let t = thread::spawn(move || rx.recv());
    thread::sleep(SHORT);
    drop(tx);
    assert_eq!(t.join().unwrap(), Err(RecvError));
}

#[test]
fn disconnection_wakes_a_blocked_sender() {
    let (tx, rx) = bounded(1);
    tx.send(1).unwrap();
    let t = thread::spawn(move || tx.send(2));
    thread::sleep(SHORT);
    drop(rx);
    assert_eq!(t.join().unwrap(), Err(SendError(2)));
}

#[test]
fn disconnection_wakes_a_timed_receiver_before_its_deadline() {
    let (tx, rx) = bounded::<u8>(1);
    let t = thread::spawn(move || {
        let start = Instant::now();
        (rx.recv_timeout(Duration::from_secs(10)), start.elapsed())
    });
    thread::sleep(SHORT);
    drop(tx);
    let (got, took) = t.join().unwrap();
    assert_eq!(got, Err(RecvTimeoutError::Disconnected));
    assert!(took < Duration::from_secs(5));
}

#[test]
fn iter_ends_at_disconnection() {
    let (tx, rx) = bounded(2);
    let t = thread::spawn(move || {
        for i in 0..100 {
            tx.send(i).unwrap();
        }
    });
    assert_eq!(rx.iter().collect::<Vec<_>>(), (0..100).collect::<Vec<_>>());
    t.join().unwrap();
}

#[test]
fn for_loops_over_receiver_and_reference() {
    let (tx, rx) = bounded(4);
    tx.send(1).unwrap();
    tx.send(2).unwrap();
    drop(tx);
    let mut seen = Vec::new();
    if let Some(v) = (&rx).into_iter().next() {
        seen.push(v);
    }
    for v in rx {
        seen.push(v);
    }
    assert_eq!(seen, [1, 2]);
}

#[test]
fn try_iter_never_blocks() {
    let (tx, rx) = bounded(4);
    tx.send(1).unwrap();
    tx.send(2).unwrap();
    let start = Instant::now();
    assert_eq!(rx.try_iter().collect::<Vec<_>>(), [1, 2]);
    assert_eq!(rx.try_iter().count(), 0);
    assert!(start.elapsed() < Duration::from_secs(1));
    drop(tx);
}

#[test]
fn len_capacity_and_flags() {
    let (tx, rx) = bounded(3);
    assert_eq!((tx.capacity(), rx.capacity()), (Some(3), Some(3)));
    assert!(tx.is_empty() && rx.is_empty() && !tx.is_full());
    tx.send(1).unwrap();
    tx.send(2).unwrap();
    assert_eq!((tx.len(), rx.len()), (2, 2));
    tx.send(3).unwrap();
    assert!(rx.is_full() && !rx.is_empty());
    rx.recv().unwrap();
    assert_eq!(rx.len(), 2);
}

#[test]
fn same_channel_compares_identity() {
    let (tx, rx) = bounded::<u8>(1);
    let (tx2, rx2) = bounded::<u8>(1);
    assert!(tx.same_channel(&tx.clone()));
    assert!(!tx.same_channel(&tx2));
    assert!(rx.same_channel(&rx.clone()));
    assert!(!rx.same_channel(&rx2));
}

#[test]
fn len_under_concurrency_stays_within_capacity() {
    let capacity = 8;
    let (tx, rx) = bounded(capacity);
    let stop = Arc::new(AtomicUsize::new(0));
    let mut handles = Vec::new();
    for _ in 0..2 {
        let (tx, stop_tx) = (tx.clone(), stop.clone());
        handles.push(thread::spawn(move || {
            while stop_tx.load(Ordering::Relaxed) == 0 {
                let _ = tx.try_send(0u8);
            }
        }));
        let (rx, stop_rx) = (rx.clone(), stop.clone());
        handles.push(thread::spawn(move || {
            while stop_rx.load(Ordering::Relaxed) == 0 {
                let _ = rx.try_recv();
            }
        }));
    }
    let end = Instant::now() + Duration::from_millis(200);
    while Instant::now() < end {
        let n = tx.len();
        assert!(n <= capacity, "len {n} > capacity {capacity}");
    }
    stop.store(1, Ordering::Relaxed);
    for h in handles {
        h.join().unwrap();
    }
}

#[test]
fn error_display_and_debug_match_crossbeam() {
    let cases: Vec<(String, &str)> = vec![
        (
            SendError(1).to_string(),
            "sending on a disconnected channel",
        ),
        (format!("{:?}", SendError(1)), r#""SendError(..)""#),
        (
            TrySendError::Full(1).to_string(),
            "sending on a full channel",
        ),
        (
            TrySendError::Disconnected(1).to_string(),
            "sending on a disconnected channel",
        ),
        (format!("{:?}", TrySendError::Full(1)), r#""Full(..)""#),
        (
            format!("{:?}", TrySendError::Disconnected(1)),
            r#""Disconnected(..)""#,
        ),
        (
            SendTimeoutError::Timeout(1).to_string(),
            "timed out waiting on send operation",
        ),
        (
            SendTimeoutError::Disconnected(1).to_string(),
            "sending on a disconnected channel",
        ),
        (
            format!("{:?}", SendTimeoutError::Timeout(1)),
            r#""SendTimeoutError(..)""#,
        ),
        (
            RecvError.to_string(),
            "receiving on an empty and disconnected channel",
        ),
        (format!("{RecvError:?}"), "RecvError"),
        (
            TryRecvError::Empty.to_string(),
            "receiving on an empty channel",
        ),
        (
            TryRecvError::Disconnected.to_string(),
            "receiving on an empty and disconnected channel",
        ),
        (
            RecvTimeoutError::Timeout.to_string(),
            "timed out waiting on receive operation",
        ),
        (
            RecvTimeoutError::Disconnected.to_string(),
            "channel is empty and disconnected",
        ),
    ];
    for (got, want) in cases {
        assert_eq!(got, want);
    }
    // The same strings as crossbeam-channel itself, so swapping crates changes no log line
    // (`tests/drop_in.rs` checks the rest through a whole program).
    use crossbeam_channel as cb;
    let ours = [
        format!("{:?} {}", SendError(1), SendError(1)),
        format!(
            "{:?} {}",
            SendTimeoutError::Timeout(1),
            SendTimeoutError::Timeout(1)
        ),
        format!(
            "{:?} {}",
            RecvTimeoutError::Disconnected,
            RecvTimeoutError::Disconnected
        ),
    ];
    let theirs = [
        format!("{:?} {}", cb::SendError(1), cb::SendError(1)),
        format!(
            "{:?} {}",
            cb::SendTimeoutError::Timeout(1),
            cb::SendTimeoutError::Timeout(1)
        ),
        format!(
            "{:?} {}",
            cb::RecvTimeoutError::Disconnected,
            cb::RecvTimeoutError::Disconnected
        ),
    ];
    assert_eq!(ours, theirs);
}

#[test]
fn errors_convert_and_work_as_std_errors() {
    fn boxed<E: std::error::Error + Send + Sync + 'static>(e: E) -> Box<dyn std::error::Error> {
        Box::new(e)
    }
    assert_eq!(
        TrySendError::from(SendError(1)),
        TrySendError::Disconnected(1)
    );
    assert_eq!(
        SendTimeoutError::from(SendError(1)),
        SendTimeoutError::Disconnected(1)
    );
    assert_eq!(TryRecvError::from(RecvError), TryRecvError::Disconnected);
    assert_eq!(
        RecvTimeoutError::from(RecvError),
        RecvTimeoutError::Disconnected
    );
    assert!(TryRecvError::Empty.is_empty() && !TryRecvError::Empty.is_disconnected());
    assert!(RecvTimeoutError::Timeout.is_timeout());
    assert!(!RecvTimeoutError::Timeout.is_disconnected());
    assert_eq!(
        boxed(SendError(1)).to_string(),
        "sending on a disconnected channel"
    );
    assert_eq!(
        boxed(RecvError).to_string(),
        "receiving on an empty and disconnected channel"
    );
}

#[test]
fn force_send_overwrites_the_oldest() {
    let (tx, rx) = bounded(3);
    for i in 0..3 {
        assert_eq!(tx.force_send(i), Ok(None));
    }
    assert_eq!(tx.force_send(3), Ok(Some(0)));
    assert_eq!(tx.force_send(4), Ok(Some(1)));
    assert_eq!(rx.try_iter().collect::<Vec<_>>(), [2, 3, 4]);
    assert_eq!(tx.stats().displaced, 2);
}

#[test]
fn force_send_wakes_a_blocked_receiver() {
    let (tx, rx) = bounded(1);
    let t = thread::spawn(move || rx.recv());
    thread::sleep(SHORT);
    assert_eq!(tx.force_send(7), Ok(None));
    assert_eq!(t.join().unwrap(), Ok(7));
}

#[test]
fn batch_send_and_receive_keep_order_and_block() {
    let (tx, rx) = bounded(4);
    let t = thread::spawn(move || tx.send_iter(0..1000u32));
    let mut out = Vec::new();
    while out.len() < 1000 {
        let before = out.len();
        let n = rx.recv_into(&mut out, 7).unwrap();
        assert!((1..=7).contains(&n));
        assert_eq!(out.len(), before + n);
    }
    assert_eq!(out, (0..1000).collect::<Vec<_>>());
    assert_eq!(t.join().unwrap(), Ok(()));
    assert_eq!(rx.recv_into(&mut out, 7), Err(RecvError));
    assert_eq!(
        rx.try_recv_into(&mut out, 7),
        Err(TryRecvError::Disconnected)
    );
    assert_eq!(rx.recv_into(&mut out, 0), Ok(0));
}

#[test]
fn batch_send_returns_unsent_values_on_disconnection() {
    let (tx, rx) = bounded(2);
    let t = thread::spawn(move || tx.send_iter(vec![1, 2, 3, 4, 5]));
    thread::sleep(SHORT);
    assert_eq!(rx.recv(), Ok(1));
    thread::sleep(SHORT);
    drop(rx);
    let unsent = t.join().unwrap().unwrap_err().into_inner();
    // 1 was received, 2 and 3 filled the channel (dropped with it), 4 and 5 come back, or
    // 4 squeezed in before the drop; either way nothing is duplicated.
    assert!(unsent == [4, 5] || unsent == [5], "unsent {unsent:?}");
}

#[test]
fn batch_receive_wakes_a_blocked_batch_sender_once_per_batch() {
    let (tx, rx) = bounded(64);
    tx.send_iter(0..64).unwrap();
    let t = thread::spawn(move || tx.send_iter(64..128));
    thread::sleep(SHORT);
    let mut out = Vec::new();
    while out.len() < 128 {
        rx.recv_into(&mut out, 64).unwrap();
    }
    assert_eq!(out, (0..128).collect::<Vec<_>>());
    t.join().unwrap().unwrap();
    let s = rx.stats();
    // One sender waited; it needed at most a handful of wake-ups, not one per value.
    assert!(s.wakeups <= 8, "{s:?}");
}

#[test]
fn try_recv_into_takes_what_is_ready() {
    let (tx, rx) = bounded(8);
    let mut out = vec![100];
    assert_eq!(rx.try_recv_into(&mut out, 3), Err(TryRecvError::Empty));
    tx.send_iter(0..5).unwrap();
    assert_eq!(rx.try_recv_into(&mut out, 3), Ok(3));
    assert_eq!(rx.try_recv_into(&mut out, 9), Ok(2));
    assert_eq!(out, [100, 0, 1, 2, 3, 4]);
}

#[test]
fn debug_output_hides_contents() {
    let (tx, rx) = bounded::<u8>(1);
    assert_eq!(format!("{tx:?}"), "Sender { .. }");
    assert_eq!(format!("{rx:?}"), "Receiver { .. }");
}

#[test]
fn a_std_sync_channel_program_compiles_unchanged() {
    // std::sync::mpsc::sync_channel code: same calls, same error matching.
    let (tx, rx) = bounded::<i32>(2);
    let handle = thread::spawn(move || {
        for i in 0..5 {
            if tx.send(i).is_err() {
                break;
            }
        }
    });
    let mut sum = 0;
    loop {
        match rx.recv_timeout(Duration::from_secs(5)) {
            Ok(v) => sum += v,
            Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => panic!("stalled"),
        }
    }
    handle.join().unwrap();
    assert_eq!(sum, 10);
}
