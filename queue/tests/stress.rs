#![cfg(not(loom))]
//! Stress tests for `Queue<T>` that count every value: many producers and consumers (more
//! threads than cores) move tagged values through small and large rings, then every value must
//! have arrived exactly once, each consumer must have seen each producer's values in the order
//! they were sent, and `len` must have stayed within `0..=capacity` throughout.
//!
//! A value is `producer << 32 | sequence`. Waiting sides yield, so oversubscribed runs finish in
//! seconds on two cores.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;

use kendall_queue::Queue;

const PRODUCERS: usize = 4;
const CONSUMERS: usize = 4;
/// Values per producer: four producers move a million values per run.
const PER_PRODUCER: usize = 250_000;
/// Values per producer in runs that mix in batches (a small ring makes every hand-off a yield,
/// so a quarter million values in all keeps these runs to seconds).
const BATCH_RUN: usize = PER_PRODUCER / 4;

fn tag(producer: usize, seq: usize) -> u64 {
    ((producer as u64) << 32) | seq as u64
}

fn untag(value: u64) -> (usize, usize) {
    ((value >> 32) as usize, (value & 0xffff_ffff) as usize)
}

/// A tiny xorshift generator: batch sizes vary without a dependency or shared state.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// How a thread moves values: one at a time, or in batches of 1..=16.
#[derive(Clone, Copy, Debug)]
enum Ops {
    Single,
    Batch,
}

/// Checks the values seen by each observer (a consumer, or a force-pusher's evictions): every
/// producer's values appear in increasing sequence order. Adds each value to `counts`.
fn check_order(observed: &[Vec<u64>], counts: &mut [Vec<u8>]) {
    for (who, values) in observed.iter().enumerate() {
        let mut last = vec![None; counts.len()];
        for &v in values {
            let (p, seq) = untag(v);
            assert!(
                p < counts.len() && seq < counts[p].len(),
                "alien value {v:#x}"
            );
            if let Some(prev) = last[p] {
                assert!(
                    seq > prev,
                    "observer {who}: producer {p} value {seq} after {prev}"
                );
            }
            last[p] = Some(seq);
            counts[p][seq] = counts[p][seq].saturating_add(1);
        }
    }
}

/// Asserts every value of every producer was counted exactly once.
fn assert_each_once(counts: &[Vec<u8>]) {
    for (p, per) in counts.iter().enumerate() {
        if let Some(seq) = per.iter().position(|&n| n != 1) {
            panic!("producer {p} value {seq} seen {} times", per[seq]);
        }
    }
}

/// Watches `len`, `is_empty` and `is_full` until `stop`; returns how many snapshots it took.
fn watch_len(q: Arc<Queue<u64>>, stop: Arc<AtomicBool>) -> thread::JoinHandle<usize> {
    thread::spawn(move || {
        let capacity = q.capacity();
        let mut looks = 0;
        loop {
            let len = q.len();
            assert!(len <= capacity, "len {len} above capacity {capacity}");
            let _ = (q.is_empty(), q.is_full());
            looks += 1;
            if stop.load(Ordering::Relaxed) {
                return looks;
            }
            if looks % 64 == 0 {
                thread::yield_now();
            }
        }
    })
}

fn produce(q: &Queue<u64>, p: usize, per_producer: usize, ops: Ops) {
    match ops {
        Ops::Single => {
            for seq in 0..per_producer {
                let mut value = tag(p, seq);
                while let Err(back) = q.push(value) {
                    value = back;
                    thread::yield_now();
                }
            }
        }
        Ops::Batch => {
            let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ p as u64);
            let mut seq = 0;
            while seq < per_producer {
                let n = (1 + rng.below(16)).min(per_producer - seq);
                let mut batch = (seq..seq + n).map(|s| tag(p, s));
                while batch.len() > 0 {
                    if q.push_iter(&mut batch) == 0 {
                        thread::yield_now();
                    }
                }
                seq += n;
            }
        }
    }
}

fn consume(q: &Queue<u64>, c: usize, received: &AtomicUsize, total: usize, ops: Ops) -> Vec<u64> {
    let mut got = Vec::with_capacity(total / CONSUMERS + 1024);
    let mut rng = Rng(0x2545_f491_4f6c_dd1d ^ c as u64);
    while received.load(Ordering::Relaxed) < total {
        let n = match ops {
            Ops::Single => match q.pop() {
                Some(v) => {
                    got.push(v);
                    1
                }
                None => 0,
            },
            Ops::Batch => q.pop_into(&mut got, 1 + rng.below(16)),
        };
        if n == 0 {
            thread::yield_now();
        } else {
            received.fetch_add(n, Ordering::Relaxed);
        }
    }
    got
}

/// Runs PRODUCERS x CONSUMERS threads plus a `len` watcher over one queue and checks the count.
/// Thread `i` uses batch operations when bit `i` of the masks is set.
fn mpmc(
    capacity: usize,
    spread: bool,
    per_producer: usize,
    producer_batches: u32,
    consumer_batches: u32,
) {
    let total = PRODUCERS * per_producer;
    let q = Arc::new(Queue::with_spread(capacity, spread).unwrap());
    let received = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = watch_len(Arc::clone(&q), Arc::clone(&stop));
    let consumers: Vec<_> = (0..CONSUMERS)
        .map(|c| {
            let q = Arc::clone(&q);
            let received = Arc::clone(&received);
            let ops = if consumer_batches >> c & 1 == 1 {
                Ops::Batch
            } else {
                Ops::Single
            };
            thread::spawn(move || consume(&q, c, &received, total, ops))
        })
        .collect();
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let q = Arc::clone(&q);
            let ops = if producer_batches >> p & 1 == 1 {
                Ops::Batch
            } else {
                Ops::Single
            };
            thread::spawn(move || produce(&q, p, per_producer, ops))
        })
        .collect();
    for p in producers {
        p.join().unwrap();
    }
    let observed: Vec<Vec<u64>> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
    stop.store(true, Ordering::Relaxed);
    assert!(watcher.join().unwrap() > 0);

    assert_eq!(observed.iter().map(Vec::len).sum::<usize>(), total);
    let mut counts = vec![vec![0u8; per_producer]; PRODUCERS];
    check_order(&observed, &mut counts);
    assert_each_once(&counts);
    assert_eq!(q.pop(), None);
    assert_eq!(q.len(), 0);
    assert!(q.is_empty());
}

const ALL: u32 = 0b1111;
/// Producers 0 and 2, consumers 1 and 3 use batches; the others single operations.
const EVEN: u32 = 0b0101;
const ODD: u32 = 0b1010;

#[test]
fn single_ops_capacity_1() {
    mpmc(1, true, PER_PRODUCER, 0, 0);
}

#[test]
fn single_ops_capacity_2() {
    mpmc(2, true, PER_PRODUCER, 0, 0);
}

#[test]
fn single_ops_capacity_3() {
    mpmc(3, true, PER_PRODUCER, 0, 0);
}

#[test]
fn single_ops_capacity_1000_spread() {
    mpmc(1000, true, PER_PRODUCER, 0, 0);
}

#[test]
fn single_ops_capacity_1000_packed() {
    mpmc(1000, false, PER_PRODUCER, 0, 0);
}

// Capacities 1 to 3 fit one cache line (16-byte slots, four a line), where spreading leaves the
// order unchanged; both layouts differ from capacity 5 on.

#[test]
fn single_ops_capacity_5_spread_and_packed() {
    // Capacity 5 spans two cache lines, so spreading reorders the slots.
    mpmc(5, true, PER_PRODUCER / 4, 0, 0);
    mpmc(5, false, PER_PRODUCER / 4, 0, 0);
}

#[test]
fn batches_capacity_1() {
    mpmc(1, true, BATCH_RUN, ALL, ALL);
}

#[test]
fn batches_capacity_2() {
    mpmc(2, false, BATCH_RUN, ALL, ALL);
}

#[test]
fn batches_capacity_3() {
    mpmc(3, true, BATCH_RUN, ALL, ALL);
}

#[test]
fn batches_capacity_1000() {
    mpmc(1000, true, PER_PRODUCER, ALL, ALL);
    mpmc(1000, false, PER_PRODUCER, ALL, ALL);
}

#[test]
fn batches_mixed_with_single_ops() {
    for capacity in [1, 2, 3, 7, 1000] {
        mpmc(capacity, true, BATCH_RUN / 4, EVEN, ODD);
        mpmc(capacity, false, BATCH_RUN / 4, ODD, EVEN);
    }
}

/// Producers mix `push` and `force_push`; consumers pop until the producers are done and the
/// queue is empty. Every value must end up received or evicted, exactly once, and each observer
/// sees each producer's values in order.
fn force_push_stress(capacity: usize, spread: bool) {
    let per_producer = PER_PRODUCER / 2;
    let q = Arc::new(Queue::with_spread(capacity, spread).unwrap());
    let done = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = watch_len(Arc::clone(&q), Arc::clone(&stop));
    let consumers: Vec<_> = (0..CONSUMERS)
        .map(|_| {
            let q = Arc::clone(&q);
            let done = Arc::clone(&done);
            thread::spawn(move || {
                let mut got = Vec::new();
                loop {
                    if let Some(v) = q.pop() {
                        got.push(v);
                    } else if done.load(Ordering::Acquire) {
                        // Producers have finished: one more empty pop means empty for good.
                        match q.pop() {
                            Some(v) => got.push(v),
                            None => return got,
                        }
                    } else {
                        thread::yield_now();
                    }
                }
            })
        })
        .collect();
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let q = Arc::clone(&q);
            thread::spawn(move || {
                let mut evicted = Vec::new();
                for seq in 0..per_producer {
                    let mut value = tag(p, seq);
                    if (seq + p) % 4 == 0 {
                        // Some plain pushes in between, which must wait rather than evict.
                        while let Err(back) = q.push(value) {
                            value = back;
                            thread::yield_now();
                        }
                    } else if let Some(old) = q.force_push(value) {
                        evicted.push(old);
                    }
                }
                evicted
            })
        })
        .collect();
    let evicted: Vec<Vec<u64>> = producers.into_iter().map(|p| p.join().unwrap()).collect();
    done.store(true, Ordering::Release);
    let received: Vec<Vec<u64>> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
    stop.store(true, Ordering::Relaxed);
    watcher.join().unwrap();
    assert_eq!(q.pop(), None);

    let mut counts = vec![vec![0u8; per_producer]; PRODUCERS];
    check_order(&received, &mut counts);
    check_order(&evicted, &mut counts);
    assert_each_once(&counts);
    let n_evicted: usize = evicted.iter().map(Vec::len).sum();
    let n_received: usize = received.iter().map(Vec::len).sum();
    assert_eq!(n_evicted + n_received, PRODUCERS * per_producer);
}

#[test]
fn force_push_capacity_1() {
    force_push_stress(1, true);
}

#[test]
fn force_push_capacity_2() {
    force_push_stress(2, true);
}

#[test]
fn force_push_capacity_3() {
    force_push_stress(3, false);
}

#[test]
fn force_push_capacity_1000() {
    force_push_stress(1000, true);
    force_push_stress(1000, false);
}

/// With only producers running, a queue only fills; with only consumers, it only empties. `len`
/// snapshots taken meanwhile must move one way and stay within `0..=capacity`.
#[test]
fn len_moves_one_way_when_only_one_side_runs() {
    for (capacity, spread) in [
        (1, true),
        (3, true),
        (1000, true),
        (1000, false),
        (37, true),
    ] {
        let q = Arc::new(Queue::with_spread(capacity, spread).unwrap());
        let stop = Arc::new(AtomicBool::new(false));
        let watching = Arc::new(AtomicBool::new(false));
        let watcher = {
            let q = Arc::clone(&q);
            let stop = Arc::clone(&stop);
            let watching = Arc::clone(&watching);
            thread::spawn(move || {
                let mut last = 0;
                let mut looks = 0usize;
                while !stop.load(Ordering::Acquire) {
                    let len = q.len();
                    assert!(
                        len >= last,
                        "len fell from {last} to {len} while only pushing"
                    );
                    assert!(len <= capacity);
                    last = len;
                    looks += 1;
                    watching.store(true, Ordering::Release);
                }
                looks
            })
        };
        let producers: Vec<_> = (0..PRODUCERS)
            .map(|p| {
                let q = Arc::clone(&q);
                let watching = Arc::clone(&watching);
                thread::spawn(move || {
                    // Start once the watcher looks, so its snapshots overlap the pushes.
                    while !watching.load(Ordering::Acquire) {
                        thread::yield_now();
                    }
                    let mut pushed = 0;
                    while q.push(tag(p, pushed)).is_ok() {
                        pushed += 1;
                        if pushed % 8 == 0 {
                            thread::yield_now();
                        }
                    }
                    pushed
                })
            })
            .collect();
        let pushed: usize = producers.into_iter().map(|p| p.join().unwrap()).sum();
        stop.store(true, Ordering::Release);
        assert!(watcher.join().unwrap() > 0);
        assert_eq!(pushed, capacity, "producers stop only at a full queue");
        assert_eq!(q.len(), capacity);
        assert!(q.is_full());

        let stop = Arc::new(AtomicBool::new(false));
        let watching = Arc::new(AtomicBool::new(false));
        let watcher = {
            let q = Arc::clone(&q);
            let stop = Arc::clone(&stop);
            let watching = Arc::clone(&watching);
            thread::spawn(move || {
                let mut last = capacity;
                while !stop.load(Ordering::Acquire) {
                    let len = q.len();
                    assert!(
                        len <= last,
                        "len rose from {last} to {len} while only popping"
                    );
                    last = len;
                    watching.store(true, Ordering::Release);
                }
            })
        };
        let consumers: Vec<_> = (0..CONSUMERS)
            .map(|_| {
                let q = Arc::clone(&q);
                let watching = Arc::clone(&watching);
                thread::spawn(move || {
                    while !watching.load(Ordering::Acquire) {
                        thread::yield_now();
                    }
                    let mut got = Vec::new();
                    while let Some(v) = q.pop() {
                        got.push(v);
                        if got.len() % 8 == 0 {
                            thread::yield_now();
                        }
                    }
                    got
                })
            })
            .collect();
        let observed: Vec<Vec<u64>> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
        stop.store(true, Ordering::Release);
        watcher.join().unwrap();
        assert_eq!(observed.iter().map(Vec::len).sum::<usize>(), capacity);
        assert!(q.is_empty());
        assert_eq!(q.len(), 0);
    }
}

/// A batch of one producer's values that may stop short of its promised `len()` or panic part
/// way; `pulled` tells the producer how many values it actually gave up.
struct UnreliableBatch<'a> {
    producer: usize,
    next: usize,
    end: usize,
    /// Values yielded before the batch runs dry or panics.
    good: usize,
    panics: bool,
    pulled: &'a std::cell::Cell<usize>,
}

impl Iterator for UnreliableBatch<'_> {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        if self.pulled.get() == self.good {
            assert!(!self.panics, "batch panics on purpose");
            return None;
        }
        let v = tag(self.producer, self.next);
        self.next += 1;
        self.pulled.set(self.pulled.get() + 1);
        Some(v)
    }
}

impl ExactSizeIterator for UnreliableBatch<'_> {
    fn len(&self) -> usize {
        self.end - self.next // promises the whole range even when it will stop short
    }
}

/// Keeps the deliberate iterator panics out of the test output; every other panic still prints.
fn quiet_deliberate_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let deliberate = info
                .payload()
                .downcast_ref::<String>()
                .is_some_and(|m| m.contains("on purpose"))
                || info
                    .payload()
                    .downcast_ref::<&str>()
                    .is_some_and(|m| m.contains("on purpose"));
            if !deliberate {
                default(info);
            }
        }));
    });
}

#[test]
fn unreliable_batches_strand_nothing() {
    // Two producers send their values in batches whose iterators stop short of their `len()`
    // or panic, two send normally, four consumers count. Whatever the iterators do, every
    // value they did yield arrives exactly once and in order, and nothing stalls.
    // (Regression: unfilled claimed slots used to stall consumers for good.)
    let per_producer = BATCH_RUN / 2;
    quiet_deliberate_panics();
    let (done, finished) = std::sync::mpsc::channel();
    thread::spawn(move || {
        for (capacity, spread) in [(1, true), (3, true), (8, false), (64, true)] {
            let total = PRODUCERS * per_producer;
            let q = Arc::new(Queue::with_spread(capacity, spread).unwrap());
            let received = Arc::new(AtomicUsize::new(0));
            let consumers: Vec<_> = (0..CONSUMERS)
                .map(|c| {
                    let q = Arc::clone(&q);
                    let received = Arc::clone(&received);
                    thread::spawn(move || consume(&q, c, &received, total, Ops::Single))
                })
                .collect();
            let producers: Vec<_> = (0..PRODUCERS)
                .map(|p| {
                    let q = Arc::clone(&q);
                    thread::spawn(move || {
                        if p % 2 == 0 {
                            return produce(&q, p, per_producer, Ops::Single);
                        }
                        let mut rng = Rng(0x5851_f42d_4c95_7f2d ^ p as u64);
                        let mut seq = 0;
                        while seq < per_producer {
                            let end = (seq + 1 + rng.below(8)).min(per_producer);
                            let pulled = std::cell::Cell::new(0);
                            let mut batch = UnreliableBatch {
                                producer: p,
                                next: seq,
                                end,
                                good: rng.below(end - seq + 1),
                                panics: rng.below(2) == 0,
                                pulled: &pulled,
                            };
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                q.push_iter(&mut batch)
                            }));
                            if pulled.get() == 0 {
                                thread::yield_now();
                            }
                            seq += pulled.get();
                        }
                    })
                })
                .collect();
            for p in producers {
                p.join().unwrap();
            }
            let observed: Vec<Vec<u64>> =
                consumers.into_iter().map(|c| c.join().unwrap()).collect();
            let mut counts = vec![vec![0u8; per_producer]; PRODUCERS];
            check_order(&observed, &mut counts);
            assert_each_once(&counts);
            assert_eq!(q.pop(), None);
            assert_eq!(q.len(), 0);
        }
        done.send(()).unwrap();
    });
    finished
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("stalled: a consumer waits on a slot nobody will fill (or a check failed)");
}
