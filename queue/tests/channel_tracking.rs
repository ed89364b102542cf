#![cfg(not(loom))]
//! Work tracking: `recv_tracked` guards and `join` / `join_timeout` on either end.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use kendall_queue::bounded;

const SHORT: Duration = Duration::from_millis(20);

#[test]
fn join_with_nothing_sent_returns_at_once() {
    let (tx, rx) = bounded::<u8>(1);
    assert!(tx.join_timeout(Duration::ZERO));
    assert!(rx.join_timeout(Duration::ZERO));
    tx.join();
}

#[test]
fn untracked_receipt_counts_as_finished() {
    let (tx, rx) = bounded(2);
    tx.send(1).unwrap();
    assert!(!tx.join_timeout(SHORT));
    rx.recv().unwrap();
    assert!(tx.join_timeout(SHORT));
}

#[test]
fn tracked_work_holds_join_until_finished() {
    let (tx, rx) = bounded(2);
    tx.send(1).unwrap();
    let work = rx.recv_tracked().unwrap();
    let start = Instant::now();
    assert!(
        !tx.join_timeout(SHORT),
        "join returned while work was in progress"
    );
    assert!(start.elapsed() >= SHORT);
    drop(work);
    assert!(tx.join_timeout(SHORT));
}

#[test]
fn done_and_into_parts_finish_the_work() {
    let (tx, rx) = bounded(2);
    tx.send(String::from("a")).unwrap();
    tx.send(String::from("b")).unwrap();
    rx.recv_tracked().unwrap().done();
    let (value, token) = rx.recv_tracked().unwrap().into_parts();
    assert_eq!(value, "b");
    assert!(!rx.join_timeout(SHORT));
    token.done();
    assert!(rx.join_timeout(SHORT));
}

#[test]
fn join_waits_for_workers_that_finish_later() {
    let (tx, rx) = bounded(8);
    let finished = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let (rx, finished) = (rx.clone(), finished.clone());
            thread::spawn(move || {
                while let Ok(work) = rx.recv_tracked() {
                    thread::sleep(Duration::from_millis(2));
                    finished.fetch_add(*work, Ordering::SeqCst);
                    work.done();
                }
            })
        })
        .collect();
    for _ in 0..20 {
        tx.send(1).unwrap();
    }
    tx.join();
    // Every job sent before join was received and finished when join returned.
    assert_eq!(finished.load(Ordering::SeqCst), 20);
    drop(tx);
    for w in workers {
        w.join().unwrap();
    }
}

#[test]
fn join_from_a_receiver_handle() {
    let (tx, rx) = bounded(4);
    tx.send(1).unwrap();
    let joiner = {
        let rx = rx.clone();
        thread::spawn(move || rx.join())
    };
    thread::sleep(SHORT);
    assert!(!joiner.is_finished());
    let work = rx.recv_tracked().unwrap();
    thread::sleep(SHORT);
    assert!(!joiner.is_finished());
    drop(work);
    joiner.join().unwrap();
}

#[test]
fn join_does_not_wait_for_messages_sent_after_the_call() {
    let (tx, rx) = bounded(64);
    tx.send(0).unwrap();
    rx.recv().unwrap();
    // A producer keeps the channel busy forever; join must still return.
    let stop = Arc::new(AtomicUsize::new(0));
    let producer = {
        let (tx, stop) = (tx.clone(), stop.clone());
        thread::spawn(move || {
            while stop.load(Ordering::SeqCst) == 0 {
                let _ = tx.send_timeout(1, Duration::from_millis(1));
            }
        })
    };
    let consumer = {
        let (rx, stop) = (rx.clone(), stop.clone());
        thread::spawn(move || {
            while stop.load(Ordering::SeqCst) == 0 {
                // Hold each piece of work briefly: there is always unfinished work around.
                if let Ok(w) = rx.recv_tracked_timeout(Duration::from_millis(1)) {
                    thread::sleep(Duration::from_micros(200));
                    drop(w);
                }
            }
        })
    };
    thread::sleep(SHORT);
    assert!(tx.join_timeout(Duration::from_secs(10)));
    stop.store(1, Ordering::SeqCst);
    producer.join().unwrap();
    consumer.join().unwrap();
}

#[test]
fn join_returns_when_every_receiver_is_gone() {
    let (tx, rx) = bounded(4);
    tx.send(1).unwrap();
    let t = thread::spawn(move || {
        thread::sleep(SHORT);
        drop(rx);
    });
    assert!(!tx.join_timeout(Duration::from_secs(10)));
    t.join().unwrap();
    tx.join();
}

#[test]
fn join_counts_displaced_messages_as_done() {
    let (tx, rx) = bounded(1);
    tx.send(1).unwrap();
    assert_eq!(tx.force_send(2), Ok(Some(1)));
    rx.recv().unwrap();
    assert!(tx.join_timeout(SHORT));
}

#[test]
fn tracking_on_a_rendezvous_channel() {
    let (tx, rx) = bounded(0);
    let t = thread::spawn(move || rx.recv_tracked().map(|w| (*w, w)));
    tx.send(5).unwrap();
    let (v, work) = t.join().unwrap().unwrap();
    assert_eq!(v, 5);
    assert!(!tx.join_timeout(SHORT));
    drop(work);
    assert!(tx.join_timeout(SHORT));
}

#[test]
fn try_and_timed_tracked_receives() {
    let (tx, rx) = bounded(2);
    assert!(rx.try_recv_tracked().unwrap_err().is_empty());
    assert!(rx.recv_tracked_timeout(SHORT).unwrap_err().is_timeout());
    tx.send(1).unwrap();
    let w = rx.recv_tracked_timeout(SHORT).unwrap();
    assert!(!tx.join_timeout(Duration::ZERO));
    drop(w);
    // A failed tracked attempt leaves nothing behind that join would wait for.
    assert!(tx.join_timeout(SHORT));
    drop(tx);
    assert!(rx.try_recv_tracked().unwrap_err().is_disconnected());
}

#[test]
fn many_joins_and_workers_at_once() {
    let (tx, rx) = bounded(16);
    let workers: Vec<_> = (0..3)
        .map(|_| {
            let rx = rx.clone();
            thread::spawn(move || while rx.recv_tracked().is_ok() {})
        })
        .collect();
    let joiners: Vec<_> = (0..3)
        .map(|j| {
            let tx = tx.clone();
            thread::spawn(move || {
                for i in 0..200 {
                    tx.send(i).unwrap();
                    if i % 50 == j {
                        tx.join();
                    }
                }
            })
        })
        .collect();
    for j in joiners {
        j.join().unwrap();
    }
    tx.join();
    assert_eq!(tx.stats().received, 600);
    drop(tx);
    for w in workers {
        w.join().unwrap();
    }
}

/// Several producers race each other and their own `join`s: each producer joins right after
/// each of its sends, so the message it just sent must be finished when `join` returns, even
/// if another producer's later message was received first.
#[test]
fn join_covers_every_completed_send_with_racing_producers() {
    use std::sync::atomic::AtomicBool;
    const PRODUCERS: usize = 4;
    const PER: usize = 300;
    let finished: Arc<Vec<AtomicBool>> = Arc::new(
        (0..PRODUCERS * PER)
            .map(|_| AtomicBool::new(false))
            .collect(),
    );
    let (tx, rx) = bounded::<usize>(3);
    let consumers: Vec<_> = (0..2)
        .map(|_| {
            let (rx, finished) = (rx.clone(), finished.clone());
            thread::spawn(move || {
                while let Ok(work) = rx.recv_tracked() {
                    finished[*work].store(true, Ordering::SeqCst);
                    drop(work);
                }
            })
        })
        .collect();
    drop(rx);
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let (tx, finished) = (tx.clone(), finished.clone());
            thread::spawn(move || {
                for i in 0..PER {
                    let v = p * PER + i;
                    tx.send(v).unwrap();
                    tx.join();
                    assert!(
                        finished[v].load(Ordering::SeqCst),
                        "join returned before {v}"
                    );
                }
            })
        })
        .collect();
    drop(tx);
    for p in producers {
        p.join().unwrap();
    }
    for c in consumers {
        c.join().unwrap();
    }
    assert!(finished.iter().all(|f| f.load(Ordering::SeqCst)));
}

#[test]
fn join_is_true_when_receivers_left_after_taking_everything() {
    for cap in [1, 4] {
        let (tx, rx) = bounded(cap);
        tx.send(1).unwrap();
        assert_eq!(rx.recv(), Ok(1));
        drop(rx);
        assert!(tx.join_timeout(SHORT), "cap {cap}");
    }
}

/// A batch whose iterator panics mid-way leaves its unfilled slots skipped: `join` must not
/// wait for positions that will never hold a message.
#[test]
fn join_after_a_panicking_batch() {
    let (tx, rx) = bounded::<u32>(8);
    let consumer = collect_until_disconnected(rx);
    let batch_tx = tx.clone();
    let producer = thread::spawn(move || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            batch_tx.send_iter((0..4u32).inspect(|&i| {
                if i == 2 {
                    thread::sleep(Duration::from_millis(200));
                    panic!("iterator fails");
                }
            }))
        }))
        .is_err()
    });
    thread::sleep(Duration::from_millis(50)); // the batch holds its four slots now
    assert!(tx.join_timeout(Duration::from_secs(5)));
    assert!(producer.join().unwrap(), "the iterator panicked");
    drop(tx);
    assert_eq!(consumer.join().unwrap(), [0, 1]);
}

/// Two batches claim back to back and both iterators panic: their slots are marked skipped.
/// A receiver parked before either claim must still be woken to step over them, or `join`
/// waits for it forever.
#[test]
fn join_after_batches_that_left_skipped_slots() {
    let (tx, rx) = bounded::<u32>(8);
    let consumer = collect_until_disconnected(rx);
    thread::sleep(Duration::from_millis(50)); // let the receiver park
    let claimed = Arc::new(std::sync::Barrier::new(2));
    let batch = |delay: u64| {
        let (tx, claimed) = (tx.clone(), claimed.clone());
        thread::spawn(move || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                tx.send_iter((0..4u32).map(|_| -> u32 {
                    claimed.wait(); // both batches have claimed their slots
                    thread::sleep(Duration::from_millis(delay));
                    panic!("iterator fails");
                }))
            }))
            .is_err()
        })
    };
    let first = batch(0);
    thread::sleep(Duration::from_millis(50)); // the first claim is in before the second
    let second = batch(100);
    assert!(first.join().unwrap() && second.join().unwrap());
    assert!(tx.join_timeout(Duration::from_secs(5)));
    tx.send(7).unwrap();
    drop(tx);
    assert_eq!(consumer.join().unwrap(), [7]);
}

/// A receiver thread that gathers every value until the channel disconnects.
fn collect_until_disconnected(rx: kendall_queue::Receiver<u32>) -> thread::JoinHandle<Vec<u32>> {
    thread::spawn(move || rx.iter().collect())
}
