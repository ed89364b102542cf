#![cfg(not(loom))]
//! Blocking without burning CPU, and without lost wake-ups.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use kendall_queue::{Receiver, RecvTimeoutError, SendError, bounded};

/// CPU time the calling thread has used.
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec and the clock id is a constant libc defines.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime failed");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

#[test]
fn a_receiver_blocked_for_a_second_uses_almost_no_cpu() {
    let (tx, rx) = bounded::<u8>(4);
    let t = thread::spawn(move || {
        let cpu = thread_cpu_time();
        let wall = Instant::now();
        let got = rx.recv_timeout(Duration::from_secs(1));
        (got, wall.elapsed(), thread_cpu_time() - cpu)
    });
    let (got, wall, cpu) = t.join().unwrap();
    drop(tx);
    assert_eq!(got, Err(RecvTimeoutError::Timeout));
    assert!(wall >= Duration::from_secs(1));
    assert!(
        cpu < Duration::from_millis(100),
        "blocked receiver used {cpu:?} of CPU"
    );
}

#[test]
fn an_untimed_blocked_receiver_uses_almost_no_cpu_and_still_wakes() {
    let (tx, rx) = bounded::<u8>(4);
    let t = thread::spawn(move || {
        let cpu = thread_cpu_time();
        let got = rx.recv();
        (got, thread_cpu_time() - cpu)
    });
    thread::sleep(Duration::from_millis(500));
    tx.send(1).unwrap();
    let (got, cpu) = t.join().unwrap();
    assert_eq!(got, Ok(1));
    assert!(
        cpu < Duration::from_millis(50),
        "blocked receiver used {cpu:?} of CPU"
    );
}

#[test]
fn a_blocked_sender_uses_almost_no_cpu() {
    let (tx, rx) = bounded::<u8>(1);
    tx.send(0).unwrap();
    let t = thread::spawn(move || {
        let cpu = thread_cpu_time();
        let got = tx.send_timeout(1, Duration::from_millis(500));
        (got.is_err(), thread_cpu_time() - cpu)
    });
    let (timed_out, cpu) = t.join().unwrap();
    drop(rx);
    assert!(timed_out);
    assert!(
        cpu < Duration::from_millis(50),
        "blocked sender used {cpu:?} of CPU"
    );
}

#[test]
fn a_rendezvous_receiver_blocked_for_half_a_second_uses_almost_no_cpu() {
    let (tx, rx) = bounded::<u8>(0);
    let t = thread::spawn(move || {
        let cpu = thread_cpu_time();
        let got = rx.recv_timeout(Duration::from_millis(500));
        (got, thread_cpu_time() - cpu)
    });
    let (got, cpu) = t.join().unwrap();
    drop(tx);
    assert_eq!(got, Err(RecvTimeoutError::Timeout));
    assert!(
        cpu < Duration::from_millis(50),
        "blocked receiver used {cpu:?} of CPU"
    );
}

/// Each round, the receiver has parked (well past the spin budget) before the send: every
/// message must wake it. A lost wake-up shows as a hang, caught by the timeout.
#[test]
fn no_lost_wake_ups_after_parking() {
    let (tx, rx) = bounded(1);
    let (ack_tx, ack_rx) = bounded(1);
    let t = thread::spawn(move || {
        for _ in 0..50 {
            let v = rx
                .recv_timeout(Duration::from_secs(10))
                .expect("lost wake-up");
            ack_tx.send(v).unwrap();
        }
    });
    for i in 0..50 {
        thread::sleep(Duration::from_millis(1));
        tx.send(i).unwrap();
        assert_eq!(ack_rx.recv_timeout(Duration::from_secs(10)), Ok(i));
    }
    t.join().unwrap();
    assert!(
        tx.stats().parks > 0,
        "the receiver never parked: {:?}",
        tx.stats()
    );
}

/// Many threads block and wake in every combination on a tiny channel; counts must add up.
#[test]
fn oversubscribed_small_channel_makes_progress() {
    let (tx, rx) = bounded(2);
    let per = 20_000u64;
    let producers: Vec<_> = (0..8)
        .map(|p| {
            let tx = tx.clone();
            thread::spawn(move || {
                for i in 0..per {
                    tx.send(p * per + i).unwrap();
                }
            })
        })
        .collect();
    drop(tx);
    let consumers: Vec<_> = (0..8)
        .map(|_| {
            let rx = rx.clone();
            thread::spawn(move || rx.iter().fold((0u64, 0u64), |(n, s), v| (n + 1, s + v)))
        })
        .collect();
    drop(rx);
    let start = Instant::now();
    for p in producers {
        p.join().unwrap();
    }
    let (n, sum) = consumers
        .into_iter()
        .map(|c| c.join().unwrap())
        .fold((0, 0), |(n, s), (a, b)| (n + a, s + b));
    let total = 8 * per;
    assert_eq!(n, total);
    assert_eq!(sum, total * (total - 1) / 2);
    assert!(start.elapsed() < Duration::from_secs(20));
}

/// A receiver that has been streaming waits briefly for a run of values before it retries
/// (the spin-phase hint); a lone value after the stream, or the disconnection, must still
/// reach it, and a timed wait must still time out on time.
#[test]
fn a_streaming_receiver_still_takes_a_lone_value_and_times_out_on_time() {
    let (tx, rx) = bounded::<u64>(64);
    let producer = thread::spawn(move || {
        for i in 0..50_000 {
            tx.send(i).unwrap();
        }
        thread::sleep(Duration::from_millis(20));
        tx.send(u64::MAX).unwrap();
        thread::sleep(Duration::from_millis(20));
        tx.send(7).unwrap();
    });
    for i in 0..50_000 {
        assert_eq!(rx.recv(), Ok(i));
    }
    assert_eq!(rx.recv(), Ok(u64::MAX));
    let start = Instant::now();
    assert_eq!(
        rx.recv_timeout(Duration::from_millis(1)),
        Err(RecvTimeoutError::Timeout)
    );
    assert!(start.elapsed() >= Duration::from_millis(1));
    assert_eq!(rx.recv(), Ok(7));
    producer.join().unwrap();
    assert_eq!(rx.recv(), Err(kendall_queue::RecvError));
}

/// An iterator that promises `claims` values and yields none: `send_iter` then leaves skipped
/// slots behind.
struct Promises(usize);

impl Iterator for Promises {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        // Ran dry early: from now on it admits to having nothing left.
        self.0 = 0;
        None
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.0, Some(self.0))
    }
}

impl ExactSizeIterator for Promises {}

/// An iterator that keeps promising one more value than it has, even after it ran dry.
struct Liar(u32);

impl Iterator for Liar {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        self.0 = self.0.checked_sub(1)?;
        Some(self.0)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.0 as usize + 1, Some(self.0 as usize + 1))
    }
}

impl ExactSizeIterator for Liar {}

/// `send_iter` ends at the iterator's first `None`, even if `len` still promises more: it
/// neither hangs nor keeps claiming (and skipping) slots.
#[test]
fn send_iter_stops_when_a_lying_iterator_runs_dry() {
    for capacity in [1, 2, 8] {
        let (tx, rx) = bounded::<u32>(capacity);
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        let sender = {
            let tx = tx.clone();
            thread::spawn(move || {
                let r = tx.send_iter(Liar(3));
                let _ = done_tx.send(());
                r
            })
        };
        let got: Vec<u32> = (0..3).map(|_| rx.recv().unwrap()).collect();
        assert_eq!(got, [2, 1, 0], "capacity {capacity}");
        assert_eq!(
            done_rx.recv_timeout(Duration::from_secs(5)),
            Ok(()),
            "capacity {capacity}: send_iter did not return"
        );
        sender.join().unwrap().unwrap();
        // At most the one slot claimed for the promise was skipped: stepping over it leaves
        // the ring empty and usable.
        assert!(rx.try_recv().is_err());
        assert_eq!(rx.len(), 0);
        tx.send(9).unwrap();
        assert_eq!(rx.recv(), Ok(9));
    }
}

/// An exact-size iterator that implements `len` and leaves `size_hint` at its default.
struct LenOnly(u32);

impl Iterator for LenOnly {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        self.0 = self.0.checked_sub(1)?;
        Some(self.0)
    }
}

impl ExactSizeIterator for LenOnly {
    fn len(&self) -> usize {
        self.0 as usize
    }
}

#[test]
fn send_iter_takes_an_iterator_that_implements_only_len() {
    let (tx, rx) = bounded::<u32>(8);
    tx.send_iter(LenOnly(3)).unwrap();
    assert_eq!(rx.try_iter().collect::<Vec<_>>(), [2, 1, 0]);
}

/// A ring whose every slot a batch left skipped, and a thread whose `send(7)` has spun out
/// and parked on it (or given up waiting for that after 5 s).
fn skipped_ring_with_a_parked_sender(
    capacity: usize,
) -> (
    Receiver<u32>,
    thread::JoinHandle<Result<(), SendError<u32>>>,
) {
    let (tx, rx) = bounded::<u32>(capacity);
    tx.send_iter(Promises(capacity)).unwrap();
    let sender = {
        let tx = tx.clone();
        thread::spawn(move || tx.send(7))
    };
    let start = Instant::now();
    while tx.stats().parks == 0 && start.elapsed() < Duration::from_secs(5) {
        thread::sleep(Duration::from_millis(1));
    }
    (rx, sender)
}

/// A sender parked on a ring full of skipped slots (left by a batch whose iterator ran dry)
/// must be woken when a receiver steps over them and frees the room.
#[test]
fn a_receiver_stepping_over_skipped_slots_wakes_a_parked_sender() {
    for capacity in [1, 4] {
        let (rx, sender) = skipped_ring_with_a_parked_sender(capacity);
        assert_eq!(
            rx.recv_timeout(Duration::from_secs(5)),
            Ok(7),
            "capacity {capacity}"
        );
        sender.join().unwrap().unwrap();
    }
}

/// The same through `recv_into`, whose batch claim steps over the skipped slots.
#[test]
fn a_batch_receive_stepping_over_skipped_slots_wakes_a_parked_sender() {
    for capacity in [1, 4] {
        let (rx, sender) = skipped_ring_with_a_parked_sender(capacity);
        // `recv_into` has no timeout: run it aside and give up on it after a while.
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        thread::spawn(move || {
            let mut out = Vec::new();
            let got = rx.recv_into(&mut out, 8);
            let _ = done_tx.send((got, out));
        });
        assert_eq!(
            done_rx.recv_timeout(Duration::from_secs(5)),
            Ok((Ok(1), vec![7])),
            "capacity {capacity}"
        );
        sender.join().unwrap().unwrap();
    }
}

/// Iterates `left` values of 100; once `armed`, its `len` panics (user code in a batch send
/// failing after the sender was woken).
struct LenPanicsWhenArmed {
    armed: Arc<AtomicBool>,
    left: usize,
}

impl Iterator for LenPanicsWhenArmed {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        (self.left > 0).then(|| {
            self.left -= 1;
            100
        })
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for LenPanicsWhenArmed {
    fn len(&self) -> usize {
        assert!(!self.armed.load(Ordering::SeqCst), "len fails");
        self.left
    }
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let give_up = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < give_up, "timed out waiting until {what}");
        thread::sleep(Duration::from_millis(1));
    }
}

/// A woken batch sender whose iterator panics must hand its wake-up on: the free slot it was
/// woken for belongs to the next waiting sender, which would otherwise sleep on beside it. At
/// capacity 1 the woken sender panics in a spin-phase look; at 4 its spin hint (half the ring
/// free) keeps it from looking, so it registers again and panics in the look after that.
#[test]
fn a_batch_sender_that_panics_after_a_wake_up_passes_it_on() {
    for capacity in [1, 4] {
        batch_sender_panics_after_a_wake_up(capacity);
    }
}

fn batch_sender_panics_after_a_wake_up(capacity: usize) {
    let (tx, rx) = bounded::<u32>(capacity);
    for i in 0..capacity as u32 {
        tx.send(1 + i).unwrap();
    }
    let armed = Arc::new(AtomicBool::new(false));
    let batch = {
        let (tx, armed) = (tx.clone(), armed.clone());
        thread::spawn(move || {
            let values = LenPanicsWhenArmed { armed, left: 1 };
            std::panic::catch_unwind(AssertUnwindSafe(|| tx.send_iter(values))).is_err()
        })
    };
    wait_until("the batch sender parks", || tx.stats().parks >= 1);
    armed.store(true, Ordering::SeqCst);
    let single = {
        let tx = tx.clone();
        thread::spawn(move || tx.send(100))
    };
    wait_until("the single sender parks too", || tx.stats().parks >= 2);
    // Frees a slot and wakes the first waiter, the batch sender, whose `len` then panics.
    assert_eq!(rx.recv(), Ok(1));
    assert!(
        batch.join().unwrap(),
        "the batch sender's iterator panicked"
    );
    // No more receives until the single sender has filled the slot (each would wake it).
    wait_until("the single sender takes the free slot", || {
        rx.len() == capacity
    });
    let rest: Vec<u32> = rx.try_iter().collect();
    assert_eq!(rest.len(), capacity, "capacity {capacity}");
    assert_eq!(rest.last(), Some(&100), "capacity {capacity}");
    assert_eq!(single.join().unwrap(), Ok(()));
}

/// `Stream::size_hint`'s lower bound is a promise of at least that many more items. The
/// channel's `len` is no such promise: it counts slots a batch left unfilled (and other
/// receivers may empty the rest first). A stream that reported it promised 2 items here and
/// ended with none.
#[test]
fn stream_size_hint_lower_bound_is_kept() {
    use futures::{Stream, StreamExt};
    let (tx, rx) = bounded::<u32>(4);
    tx.send_iter(Promises(2)).unwrap();
    drop(tx);
    let s = rx.stream();
    let (low, _) = s.size_hint();
    let items = futures::executor::block_on(s.count());
    assert!(
        low <= items,
        "size_hint promised at least {low} items, the stream yielded {items}"
    );
}
