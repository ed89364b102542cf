#![cfg(loom)]
//! loom models of `Queue<T>`: every interleaving (up to a preemption bound) of small races
//! between push, pop, force_push and the batch operations, with exact outcomes checked: each
//! value arrives exactly once, per-producer order holds, and every value is dropped exactly once.
//!
//! Run: `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 cargo test -p kendall-queue --release
//! --test loom_ring`. Without `LOOM_MAX_PREEMPTIONS` the bound defaults to 2 here.
//!
//! Values are one pointer wide, so under loom a slot is 24 bytes and two share a line: from
//! capacity 3 on, `with_spread(_, true)` really reorders the slots, and the models that take
//! both layouts run both orders.

use std::sync::atomic::{AtomicUsize as StdAtomicUsize, Ordering as StdOrdering};

use kendall_queue::Queue;
use loom::sync::Arc;
use loom::thread;

/// Runs `f` under loom, exploring every schedule with at most `LOOM_MAX_PREEMPTIONS` (2 when
/// unset) preemptions.
fn model<F: Fn() + Sync + Send + 'static>(f: F) {
    model_capped(usize::MAX, f);
}

/// As [`model`], with the preemption bound capped at `cap`.
///
/// The cap is for models where two threads can both spin-wait on a third that was preempted
/// mid-operation (two consumers waiting for a producer between its claim and its publish, say).
/// loom does not assume a fair scheduler: once the third thread is stalled and a preemption is
/// left to spend, it also explores the two waiters yielding to each other forever, and gives up
/// with "exceeded maximum number of branches". That schedule starves the third thread; it is
/// not a queue bug, so such models run with a lower bound (one or two preemptions), which still
/// covers the stall itself.
fn model_capped<F: Fn() + Sync + Send + 'static>(cap: usize, f: F) {
    let mut builder = loom::model::Builder::new();
    let bound = builder.preemption_bound.unwrap_or(2).min(cap);
    builder.preemption_bound = Some(bound);
    builder.check(f);
}

/// One value's identity and drop count. Plain std atomics: loom runs its threads one at a time,
/// and the count is bookkeeping for the test, not part of the code under check.
struct Counter {
    id: usize,
    drops: StdAtomicUsize,
}

/// The counters of one model iteration's values.
struct DropLog(Vec<&'static Counter>);

impl DropLog {
    /// Counters are leaked (a few bytes an iteration) so that a value is one pointer wide:
    /// under loom a slot of a pointer-sized value is small enough to be spread.
    fn new(values: usize) -> std::sync::Arc<Self> {
        std::sync::Arc::new(DropLog(
            (0..values)
                .map(|id| {
                    &*Box::leak(Box::new(Counter {
                        id,
                        drops: StdAtomicUsize::new(0),
                    }))
                })
                .collect(),
        ))
    }

    /// Asserts every value was dropped exactly once.
    fn assert_each_once(&self) {
        for c in &self.0 {
            let n = c.drops.load(StdOrdering::Relaxed);
            assert_eq!(n, 1, "value {} dropped {n} times", c.id);
        }
    }
}

/// A value that records its drop; its `id` (through `Deref`) names it.
struct Tracked(&'static Counter);

impl Tracked {
    fn new(id: usize, log: &std::sync::Arc<DropLog>) -> Self {
        Tracked(log.0[id])
    }
}

impl std::ops::Deref for Tracked {
    type Target = Counter;

    fn deref(&self) -> &Counter {
        self.0
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.0.drops.fetch_add(1, StdOrdering::Relaxed);
    }
}

/// Ids taken out of `values`, dropping the values.
fn ids(values: Vec<Tracked>) -> Vec<usize> {
    values.iter().map(|v| v.id).collect()
}

/// Pops until empty (call with no other thread running).
fn drain(q: &Queue<Tracked>) -> Vec<usize> {
    let mut out = Vec::new();
    while let Some(v) = q.pop() {
        out.push(v.id);
    }
    out
}

/// Asserts `seen` holds each of `0..n` exactly once.
fn assert_exactly_once(seen: &[usize], n: usize) {
    let mut sorted = seen.to_vec();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..n).collect::<Vec<_>>(), "seen: {seen:?}");
}

/// Asserts the ids in `seen` that satisfy `from` come in increasing order.
fn assert_increasing(seen: &[usize], from: impl Fn(usize) -> bool) {
    let mine: Vec<usize> = seen.iter().copied().filter(|&id| from(id)).collect();
    assert!(
        mine.windows(2).all(|w| w[0] < w[1]),
        "out of order: {seen:?}"
    );
}

/// Pushes `value`, yielding to other threads while the queue is full.
fn push_retry(q: &Queue<Tracked>, mut value: Tracked) {
    loop {
        match q.push(value) {
            Ok(()) => return,
            Err(back) => {
                value = back;
                thread::yield_now();
            }
        }
    }
}

/// Pops one value, yielding to other threads while the queue is empty.
fn pop_retry(q: &Queue<Tracked>) -> Tracked {
    loop {
        if let Some(v) = q.pop() {
            return v;
        }
        thread::yield_now();
    }
}

const LAYOUTS: [bool; 2] = [false, true];

/// Pushes and pops `n` values, so the model starts `n` positions into the ring.
fn start_at(q: &Queue<Tracked>, n: usize) {
    let log = DropLog::new(1);
    for _ in 0..n {
        q.push(Tracked::new(0, &log)).ok().unwrap();
        drop(q.pop().unwrap());
    }
}

#[test]
fn two_producers_one_consumer() {
    // (capacity, start position, preemption cap): room for all three values, the same across
    // the lap boundary, and a queue that fills up (both producers can then wait on the consumer).
    for (capacity, start, cap) in [(3, 0, usize::MAX), (3, 2, usize::MAX), (2, 0, 1)] {
        for spread in LAYOUTS {
            model_capped(cap, move || {
                // Producer 0 sends ids 0 and 1, producer 1 sends id 2.
                let log = DropLog::new(3);
                let q = Arc::new(Queue::with_spread(capacity, spread).unwrap());
                start_at(&q, start);
                let producers: Vec<_> = [vec![0, 1], vec![2]]
                    .into_iter()
                    .map(|mine| {
                        let q = Arc::clone(&q);
                        let log = std::sync::Arc::clone(&log);
                        thread::spawn(move || {
                            for id in mine {
                                push_retry(&q, Tracked::new(id, &log));
                            }
                        })
                    })
                    .collect();
                let got: Vec<usize> = (0..3).map(|_| pop_retry(&q).id).collect();
                for p in producers {
                    p.join().unwrap();
                }
                assert_exactly_once(&got, 3);
                assert_increasing(&got, |id| id < 2);
                assert!(q.pop().is_none());
                assert!(q.is_empty());
                assert_eq!(q.len(), 0);
                drop(q);
                log.assert_each_once();
            });
        }
    }
}

#[test]
fn one_producer_two_consumers() {
    for spread in LAYOUTS {
        // Both consumers can wait on the producer between its claim and its publish.
        model_capped(1, move || {
            // One attempt per push and pop: a full queue hands the value back, an empty one
            // says so; nothing is lost either way.
            let log = DropLog::new(3);
            let q = Arc::new(Queue::with_spread(2, spread).unwrap());
            let consumers: Vec<_> = (0..2)
                .map(|_| {
                    let q = Arc::clone(&q);
                    thread::spawn(move || {
                        let mut got = Vec::new();
                        if let Some(v) = q.pop() {
                            got.push(v);
                        }
                        got
                    })
                })
                .collect();
            let mut refused = Vec::new();
            for id in 0..3 {
                if let Err(back) = q.push(Tracked::new(id, &log)) {
                    assert_eq!(back.id, id, "push gave back a different value");
                    refused.push(back.id);
                }
            }
            let mut seen = refused.clone();
            for c in consumers {
                let got = ids(c.join().unwrap());
                assert_increasing(&got, |_| true);
                seen.extend(got);
            }
            let rest = drain(&q);
            assert_increasing(&rest, |_| true);
            seen.extend(rest);
            assert_exactly_once(&seen, 3);
            // Only the third push can meet a full queue.
            assert!(refused.iter().all(|&id| id == 2), "refused {refused:?}");
            drop(q);
            log.assert_each_once();
        });
    }
}

#[test]
fn wrap_around_capacity_1() {
    model(|| {
        // Three values through one slot: three laps.
        let log = DropLog::new(3);
        let q = Arc::new(Queue::new(1));
        let producer = {
            let q = Arc::clone(&q);
            let log = std::sync::Arc::clone(&log);
            thread::spawn(move || {
                for id in 0..3 {
                    push_retry(&q, Tracked::new(id, &log));
                }
            })
        };
        let got: Vec<usize> = (0..3).map(|_| pop_retry(&q).id).collect();
        producer.join().unwrap();
        assert_eq!(got, [0, 1, 2]);
        assert!(q.is_empty());
        drop(q);
        log.assert_each_once();
    });
}

#[test]
fn wrap_around_capacities_2_and_3() {
    // Five values through two slots, seven through three: past the second lap. At capacity 3
    // a pointer-sized value's slots span two lines under loom, so spreading reorders them.
    for (capacity, n) in [(2, 5), (3, 7)] {
        for spread in LAYOUTS {
            model(move || {
                let log = DropLog::new(n);
                let q = Arc::new(Queue::with_spread(capacity, spread).unwrap());
                let producer = {
                    let q = Arc::clone(&q);
                    let log = std::sync::Arc::clone(&log);
                    thread::spawn(move || {
                        for id in 0..n {
                            push_retry(&q, Tracked::new(id, &log));
                        }
                    })
                };
                let got: Vec<usize> = (0..n).map(|_| pop_retry(&q).id).collect();
                producer.join().unwrap();
                assert_eq!(got, (0..n).collect::<Vec<_>>());
                drop(q);
                log.assert_each_once();
            });
        }
    }
}

#[test]
fn wrap_around_capacity_1_two_producers() {
    // Producer 0 offers 0 then 1, producer 1 offers 2, once each; the consumer pops twice. The
    // single slot goes round up to three laps. Nobody retries at the test level: two threads
    // spin-waiting on a third is a schedule loom cannot finish (see `model_capped`), and inside
    // the queue a producer and the consumer can still both wait on the other producer.
    model_capped(1, || {
        let log = DropLog::new(3);
        let q = Arc::new(Queue::new(1));
        let producers: Vec<_> = [vec![0, 1], vec![2]]
            .into_iter()
            .map(|mine| {
                let q = Arc::clone(&q);
                let log = std::sync::Arc::clone(&log);
                thread::spawn(move || {
                    let mut refused = Vec::new();
                    for id in mine {
                        if let Err(back) = q.push(Tracked::new(id, &log)) {
                            refused.push(back.id);
                        }
                    }
                    refused
                })
            })
            .collect();
        let mut got: Vec<usize> = (0..2).filter_map(|_| q.pop().map(|v| v.id)).collect();
        let mut seen = Vec::new();
        for p in producers {
            seen.extend(p.join().unwrap());
        }
        got.extend(drain(&q));
        assert!(
            !got.is_empty(),
            "the first push into an empty queue cannot fail"
        );
        assert_increasing(&got, |id| id < 2);
        seen.extend(got);
        assert_exactly_once(&seen, 3);
        drop(q);
        log.assert_each_once();
    });
}

#[test]
fn force_push_races_pop() {
    for capacity in [1, 2] {
        model(move || {
            // Full queue holding 0..capacity; one thread force-pushes `capacity`, another pops.
            let n = capacity + 1;
            let log = DropLog::new(n);
            let q = Arc::new(Queue::new(capacity));
            for id in 0..capacity {
                q.push(Tracked::new(id, &log)).ok().unwrap();
            }
            let consumer = {
                let q = Arc::clone(&q);
                thread::spawn(move || q.pop())
            };
            let evicted = q.force_push(Tracked::new(capacity, &log));
            let popped = consumer.join().unwrap();
            let popped = popped.map(|v| v.id);
            let evicted = evicted.map(|v| v.id);
            // The consumer always finds something: the queue is never empty.
            assert!(popped.is_some());
            // Whoever goes first takes value 0; force_push evicts only if still full.
            let mut order: Vec<usize> = Vec::new();
            order.extend(popped);
            order.extend(evicted);
            order.sort_unstable();
            let rest = drain(&q);
            assert_increasing(&rest, |_| true);
            let mut seen = order.clone();
            seen.extend(rest.iter().copied());
            assert_exactly_once(&seen, n);
            // FIFO: what left the queue is a prefix of 0..n, what is still inside the suffix.
            assert_eq!(order, (0..order.len()).collect::<Vec<_>>());
            // The newest value is never the one evicted.
            assert_ne!(evicted, Some(capacity));
            drop(q);
            log.assert_each_once();
        });
    }
}

#[test]
fn force_push_races_push() {
    model(|| {
        // Capacity 1 holding 0; thread A force-pushes 1 while the main thread pushes 2.
        let log = DropLog::new(3);
        let q = Arc::new(Queue::new(1));
        q.push(Tracked::new(0, &log)).ok().unwrap();
        let forcer = {
            let q = Arc::clone(&q);
            let log = std::sync::Arc::clone(&log);
            thread::spawn(move || q.force_push(Tracked::new(1, &log)).map(|v| v.id))
        };
        let refused = q.push(Tracked::new(2, &log)).err().map(|v| v.id);
        let evicted = forcer.join().unwrap();
        // The queue is full at all times, so the plain push must fail and 0 must be evicted.
        assert_eq!(refused, Some(2));
        assert_eq!(evicted, Some(0));
        assert_eq!(drain(&q), [1]);
        drop(q);
        log.assert_each_once();
    });
}

#[test]
fn force_push_races_force_push() {
    for spread in LAYOUTS {
        model(move || {
            // Capacity 2 holding 0, 1; two threads force-push 2 and 3.
            let log = DropLog::new(4);
            let q = Arc::new(Queue::with_spread(2, spread).unwrap());
            for id in 0..2 {
                q.push(Tracked::new(id, &log)).ok().unwrap();
            }
            let forcer = {
                let q = Arc::clone(&q);
                let log = std::sync::Arc::clone(&log);
                thread::spawn(move || q.force_push(Tracked::new(2, &log)).map(|v| v.id))
            };
            let mine = q.force_push(Tracked::new(3, &log)).map(|v| v.id);
            let theirs = forcer.join().unwrap();
            let mut evicted = [mine.unwrap(), theirs.unwrap()];
            evicted.sort_unstable();
            assert_eq!(evicted, [0, 1], "the two oldest go");
            let rest = drain(&q);
            assert!(rest == [2, 3] || rest == [3, 2], "rest {rest:?}");
            drop(q);
            log.assert_each_once();
        });
    }
}

#[test]
fn force_push_and_push_race_a_consumer() {
    // The push and the consumer can both wait on the force_push; past two preemptions loom
    // starves it (see `model_capped`).
    model_capped(2, || {
        // Capacity 1 holding 0: force_push(1), push(2) once, and a consumer popping once.
        let log = DropLog::new(3);
        let q = Arc::new(Queue::new(1));
        q.push(Tracked::new(0, &log)).ok().unwrap();
        let forcer = {
            let q = Arc::clone(&q);
            let log = std::sync::Arc::clone(&log);
            thread::spawn(move || q.force_push(Tracked::new(1, &log)).map(|v| v.id))
        };
        let consumer = {
            let q = Arc::clone(&q);
            thread::spawn(move || q.pop().map(|v| v.id))
        };
        let refused = q.push(Tracked::new(2, &log)).err().map(|v| v.id);
        let evicted = forcer.join().unwrap();
        let popped = consumer.join().unwrap();
        let rest = drain(&q);
        let mut seen: Vec<usize> = rest.clone();
        seen.extend(refused);
        seen.extend(evicted);
        seen.extend(popped);
        assert_exactly_once(&seen, 3);
        assert!(rest.len() <= 1);
        // 0 is the oldest: it leaves by the consumer or by eviction, never stays behind.
        assert!(
            popped == Some(0) || evicted == Some(0),
            "{popped:?} {evicted:?}"
        );
        drop(q);
        log.assert_each_once();
    });
}

#[test]
fn push_iter_races_pop() {
    for spread in LAYOUTS {
        model(move || {
            // One batch of 3 into capacity 2 while a consumer pops twice.
            let log = DropLog::new(3);
            let q = Arc::new(Queue::with_spread(2, spread).unwrap());
            let consumer = {
                let q = Arc::clone(&q);
                thread::spawn(move || ids((0..2).filter_map(|_| q.pop()).collect()))
            };
            let mut batch = (0..3)
                .map(|id| Tracked::new(id, &log))
                .collect::<Vec<_>>()
                .into_iter();
            let pushed = q.push_iter(&mut batch);
            let left = ids(batch.collect());
            let got = consumer.join().unwrap();
            assert!((2..=3).contains(&pushed), "pushed {pushed}");
            assert_eq!(left, (pushed..3).collect::<Vec<_>>());
            let mut seen = got.clone();
            seen.extend(drain(&q));
            // FIFO across the consumer and the drain: exactly the pushed prefix, in order.
            assert_eq!(seen, (0..pushed).collect::<Vec<_>>());
            drop(q);
            log.assert_each_once();
        });
    }
}

#[test]
fn push_iter_races_push() {
    model(|| {
        // Producer A batches 0, 1; producer B pushes 2; capacity 3 fits all.
        let log = DropLog::new(3);
        let q = Arc::new(Queue::new(3));
        let other = {
            let q = Arc::clone(&q);
            let log = std::sync::Arc::clone(&log);
            thread::spawn(move || q.push(Tracked::new(2, &log)).is_ok())
        };
        let mut batch = vec![Tracked::new(0, &log), Tracked::new(1, &log)].into_iter();
        assert_eq!(q.push_iter(&mut batch), 2);
        assert!(other.join().unwrap());
        let got = drain(&q);
        assert_exactly_once(&got, 3);
        // A batch is claimed in one step here, so its values stay adjacent.
        let at = got.iter().position(|&id| id == 0).unwrap();
        assert_eq!(got[at + 1], 1, "batch split: {got:?}");
        drop(q);
        log.assert_each_once();
    });
}

#[test]
fn pop_into_races_push() {
    for spread in LAYOUTS {
        model(move || {
            // Capacity 2 holding 0; a producer pushes 1 and 2 once each while a consumer
            // batch-pops up to 3.
            let log = DropLog::new(3);
            let q = Arc::new(Queue::with_spread(2, spread).unwrap());
            q.push(Tracked::new(0, &log)).ok().unwrap();
            let producer = {
                let q = Arc::clone(&q);
                let log = std::sync::Arc::clone(&log);
                thread::spawn(move || {
                    (1..3)
                        .filter_map(|id| q.push(Tracked::new(id, &log)).err().map(|v| v.id))
                        .collect::<Vec<_>>()
                })
            };
            let mut out = Vec::new();
            let n = q.pop_into(&mut out, 3);
            let got = ids(out);
            let refused = producer.join().unwrap();
            assert_eq!(n, got.len());
            assert!(n >= 1, "0 was there before the race");
            let mut seen = got.clone();
            seen.extend(drain(&q));
            assert_increasing(&seen, |_| true);
            seen.extend(refused.iter().copied());
            assert_exactly_once(&seen, 3);
            drop(q);
            log.assert_each_once();
        });
    }
}

#[test]
fn pop_into_races_pop() {
    for spread in LAYOUTS {
        model(move || {
            // Capacity 3 holding 0, 1, 2; one consumer batch-pops up to 2, another pops once.
            let log = DropLog::new(3);
            let q = Arc::new(Queue::with_spread(3, spread).unwrap());
            for id in 0..3 {
                q.push(Tracked::new(id, &log)).ok().unwrap();
            }
            let single = {
                let q = Arc::clone(&q);
                thread::spawn(move || q.pop().map(|v| v.id))
            };
            let mut out = Vec::new();
            assert_eq!(
                q.pop_into(&mut out, 2),
                2,
                "three values, at most one taken"
            );
            let got = ids(out);
            let one = single
                .join()
                .unwrap()
                .expect("three values, at most two taken");
            assert_increasing(&got, |_| true);
            let rest = drain(&q);
            let mut seen = got.clone();
            seen.push(one);
            seen.extend(rest);
            assert_exactly_once(&seen, 3);
            drop(q);
            log.assert_each_once();
        });
    }
}

#[test]
fn force_push_races_pop_into() {
    model(|| {
        // Capacity 2 holding 0, 1; force_push(2) while a consumer batch-pops up to 2.
        let log = DropLog::new(3);
        let q = Arc::new(Queue::new(2));
        for id in 0..2 {
            q.push(Tracked::new(id, &log)).ok().unwrap();
        }
        let consumer = {
            let q = Arc::clone(&q);
            thread::spawn(move || {
                let mut out = Vec::new();
                q.pop_into(&mut out, 2);
                ids(out)
            })
        };
        let evicted = q.force_push(Tracked::new(2, &log)).map(|v| v.id);
        let got = consumer.join().unwrap();
        assert!(!got.is_empty());
        assert_increasing(&got, |_| true);
        let mut seen = got.clone();
        seen.extend(evicted);
        seen.extend(drain(&q));
        assert_exactly_once(&seen, 3);
        drop(q);
        log.assert_each_once();
    });
}

#[test]
fn push_iter_races_push_iter() {
    for spread in LAYOUTS {
        model(move || {
            // Batches [0, 1] and [2, 3] into capacity 3: one batch may only partly fit.
            let log = DropLog::new(4);
            let q = Arc::new(Queue::with_spread(3, spread).unwrap());
            let other = {
                let q = Arc::clone(&q);
                let log = std::sync::Arc::clone(&log);
                thread::spawn(move || {
                    let mut batch = vec![Tracked::new(2, &log), Tracked::new(3, &log)].into_iter();
                    let pushed = q.push_iter(&mut batch);
                    (pushed, ids(batch.collect()))
                })
            };
            let mut batch = vec![Tracked::new(0, &log), Tracked::new(1, &log)].into_iter();
            let pushed = q.push_iter(&mut batch);
            let mut seen = ids(batch.collect());
            let (their_pushed, their_left) = other.join().unwrap();
            assert_eq!(
                pushed + their_pushed,
                3,
                "three slots, four values: the ring fills"
            );
            assert_eq!(seen, (pushed..2).collect::<Vec<_>>());
            assert_eq!(their_left, (2 + their_pushed..4).collect::<Vec<_>>());
            let got = drain(&q);
            assert_increasing(&got, |id| id < 2);
            assert_increasing(&got, |id| id >= 2);
            seen.extend(their_left);
            seen.extend(got);
            assert_exactly_once(&seen, 4);
            drop(q);
            log.assert_each_once();
        });
    }
}

#[test]
fn pop_into_races_pop_into() {
    for spread in LAYOUTS {
        model(move || {
            // Capacity 4 holding 0..4; two consumers each batch-pop up to 3.
            let log = DropLog::new(4);
            let q = Arc::new(Queue::with_spread(4, spread).unwrap());
            for id in 0..4 {
                q.push(Tracked::new(id, &log)).ok().unwrap();
            }
            let other = {
                let q = Arc::clone(&q);
                thread::spawn(move || {
                    let mut out = Vec::new();
                    q.pop_into(&mut out, 3);
                    ids(out)
                })
            };
            let mut out = Vec::new();
            q.pop_into(&mut out, 3);
            let mine = ids(out);
            let theirs = other.join().unwrap();
            assert!(
                !mine.is_empty() && !theirs.is_empty(),
                "{mine:?} {theirs:?}"
            );
            assert_eq!(mine.len() + theirs.len(), 4, "four values, up to six asked");
            assert_increasing(&mine, |_| true);
            assert_increasing(&theirs, |_| true);
            let mut seen = mine;
            seen.extend(theirs);
            assert_exactly_once(&seen, 4);
            drop(q);
            log.assert_each_once();
        });
    }
}

#[test]
fn force_push_races_push_iter() {
    model(|| {
        // Capacity 2 holding 0, so one slot is free: force_push(1) and a batch [2, 3]
        // compete for it.
        let log = DropLog::new(4);
        let q = Arc::new(Queue::new(2));
        q.push(Tracked::new(0, &log)).ok().unwrap();
        let forcer = {
            let q = Arc::clone(&q);
            let log = std::sync::Arc::clone(&log);
            thread::spawn(move || q.force_push(Tracked::new(1, &log)).map(|v| v.id))
        };
        let mut batch = vec![Tracked::new(2, &log), Tracked::new(3, &log)].into_iter();
        let pushed = q.push_iter(&mut batch);
        let left = ids(batch.collect());
        let evicted = forcer.join().unwrap();
        assert!(pushed <= 1, "one free slot");
        assert_eq!(left, (2 + pushed..4).collect::<Vec<_>>());
        let rest = drain(&q);
        assert_eq!(rest.len(), 2, "the ring ends full");
        let mut seen = left;
        seen.extend(evicted);
        seen.extend(rest);
        assert_exactly_once(&seen, 4);
        drop(q);
        log.assert_each_once();
    });
}

#[test]
fn two_producers_two_values_each() {
    // Capacity 4 (two lines of two slots under loom), starting fresh and across a lap.
    for start in [0, 3] {
        for spread in LAYOUTS {
            model(move || {
                let log = DropLog::new(4);
                let q = Arc::new(Queue::with_spread(4, spread).unwrap());
                start_at(&q, start);
                let producers: Vec<_> = [[0, 1], [2, 3]]
                    .into_iter()
                    .map(|mine| {
                        let q = Arc::clone(&q);
                        let log = std::sync::Arc::clone(&log);
                        thread::spawn(move || {
                            for id in mine {
                                q.push(Tracked::new(id, &log)).ok().unwrap();
                            }
                        })
                    })
                    .collect();
                let got: Vec<usize> = (0..4).map(|_| pop_retry(&q).id).collect();
                for p in producers {
                    p.join().unwrap();
                }
                assert_exactly_once(&got, 4);
                assert_increasing(&got, |id| id < 2);
                assert_increasing(&got, |id| id >= 2);
                drop(q);
                log.assert_each_once();
            });
        }
    }
}

#[test]
fn len_stays_within_bounds() {
    model(|| {
        // Capacity 2: a producer pushes 0, 1, 2 once each, a consumer pops twice, and the main
        // thread watches `len`, `is_empty` and `is_full`.
        let log = DropLog::new(3);
        let q = Arc::new(Queue::new(2));
        let producer = {
            let q = Arc::clone(&q);
            let log = std::sync::Arc::clone(&log);
            thread::spawn(move || {
                for id in 0..3 {
                    let _ = q.push(Tracked::new(id, &log));
                }
            })
        };
        let consumer = {
            let q = Arc::clone(&q);
            thread::spawn(move || {
                let _ = q.pop();
                let _ = q.pop();
            })
        };
        for _ in 0..2 {
            let len = q.len();
            assert!(len <= 2, "len {len} above capacity");
        }
        producer.join().unwrap();
        consumer.join().unwrap();
        let rest = drain(&q);
        assert!(rest.len() <= 2);
        drop(q);
        log.assert_each_once();
    });
}

#[test]
fn len_during_force_push() {
    model(|| {
        // A full queue stays full or one short while force_push replaces its oldest value.
        let log = DropLog::new(3);
        let q = Arc::new(Queue::new(2));
        for id in 0..2 {
            q.push(Tracked::new(id, &log)).ok().unwrap();
        }
        let forcer = {
            let q = Arc::clone(&q);
            let log = std::sync::Arc::clone(&log);
            thread::spawn(move || q.force_push(Tracked::new(2, &log)).map(|v| v.id))
        };
        let len = q.len();
        assert!((1..=2).contains(&len), "len {len}");
        assert!(!q.is_empty());
        assert_eq!(forcer.join().unwrap(), Some(0));
        assert_eq!(q.len(), 2);
        assert!(q.is_full());
        assert_eq!(drain(&q), [1, 2]);
        drop(q);
        log.assert_each_once();
    });
}

#[test]
fn drop_with_values_inside_after_race() {
    for spread in LAYOUTS {
        model(move || {
            // Two producers fill a capacity-3 queue while a consumer pops once; the queue is
            // then dropped with whatever is left, and every value must be dropped once.
            let log = DropLog::new(4);
            let q = Arc::new(Queue::with_spread(3, spread).unwrap());
            let producers: Vec<_> = [[0, 1], [2, 3]]
                .into_iter()
                .map(|mine| {
                    let q = Arc::clone(&q);
                    let log = std::sync::Arc::clone(&log);
                    thread::spawn(move || {
                        for id in mine {
                            // A refused value is dropped here, once.
                            let _ = q.push(Tracked::new(id, &log));
                        }
                    })
                })
                .collect();
            drop(q.pop());
            for p in producers {
                p.join().unwrap();
            }
            drop(q);
            log.assert_each_once();
        });
    }
}

#[test]
fn is_empty_stays_false_while_force_push_replaces_the_only_value() {
    // Capacity 1 holding 0; force_push(1) replaces it, so the queue holds one value at every
    // instant and no `is_empty`/`len` snapshot may say otherwise. (Regression: force_push
    // used to move `head` past the old value before moving `tail`, and a snapshot in between
    // saw `head == tail`: empty, and `len() == capacity - 1` at any capacity.)
    model(|| {
        let log = DropLog::new(2);
        let q = Arc::new(Queue::new(1));
        q.push(Tracked::new(0, &log)).ok().unwrap();
        let forcer = {
            let q = Arc::clone(&q);
            let log = std::sync::Arc::clone(&log);
            thread::spawn(move || drop(q.force_push(Tracked::new(1, &log))))
        };
        assert!(
            !q.is_empty(),
            "is_empty() said true on a queue that is never empty"
        );
        assert_eq!(q.len(), 1);
        forcer.join().unwrap();
        drop(q);
        log.assert_each_once();
    });
}

/// A batch that promises `promised` values but yields only `values`: `ExactSizeIterator` is a
/// safe trait, so the queue may not trust `len()`.
struct ShortBatch {
    values: std::vec::IntoIter<Tracked>,
    promised: usize,
}

impl Iterator for ShortBatch {
    type Item = Tracked;

    fn next(&mut self) -> Option<Tracked> {
        let v = self.values.next()?;
        self.promised -= 1;
        Some(v)
    }
}

impl ExactSizeIterator for ShortBatch {
    fn len(&self) -> usize {
        self.promised
    }
}

#[test]
fn short_push_iter_races_push_and_pop() {
    // Regression: slots claimed for a batch whose iterator ran dry used to be handed back only
    // if no other producer had claimed past them; otherwise `push_iter` panicked and left
    // them claimed and unwritten, and a consumer reaching one spun forever.
    for spread in LAYOUTS {
        model_capped(1, move || {
            // Capacity 4: producer A batches [0] but promises two values, producer B pushes
            // 1 once, the consumer pops twice. With room left after A's claim, B can claim
            // past it, so A's unfilled slot cannot be handed back and is marked skipped. B and the consumer can both wait on A between
            // its claim and its writes, hence one preemption (see `model_capped`). Slots A claimed and never filled must not be
            // seen as values, must not stall anyone, and must not be dropped as values.
            let log = DropLog::new(2);
            let q = Arc::new(Queue::with_spread(4, spread).unwrap());
            let other = {
                let q = Arc::clone(&q);
                let log = std::sync::Arc::clone(&log);
                thread::spawn(move || q.push(Tracked::new(1, &log)).err().map(|v| v.id))
            };
            let consumer = {
                let q = Arc::clone(&q);
                thread::spawn(move || ids((0..2).filter_map(|_| q.pop()).collect()))
            };
            let mut batch = ShortBatch {
                values: vec![Tracked::new(0, &log)].into_iter(),
                promised: 2,
            };
            let pushed = q.push_iter(&mut batch);
            assert!(pushed <= 1);
            let mut seen = ids(batch.values.collect());
            let refused = other.join().unwrap();
            seen.extend(consumer.join().unwrap());
            seen.extend(drain(&q));
            assert!(q.is_empty());
            assert_eq!(q.len(), 0);
            seen.extend(refused);
            assert_exactly_once(&seen, 2);
            drop(q);
            log.assert_each_once();
        });
    }
}

#[test]
fn short_push_iter_races_push_and_pop_into() {
    model_capped(1, || {
        // As above with a batch consumer: capacity 4, producer A batches [0] promising two,
        // producer B pushes 1 once, the consumer batch-pops up to 3 once.
        let log = DropLog::new(2);
        let q = Arc::new(Queue::new(4));
        let other = {
            let q = Arc::clone(&q);
            let log = std::sync::Arc::clone(&log);
            thread::spawn(move || q.push(Tracked::new(1, &log)).err().map(|v| v.id))
        };
        let consumer = {
            let q = Arc::clone(&q);
            thread::spawn(move || {
                let mut out = Vec::new();
                let n = q.pop_into(&mut out, 3);
                assert_eq!(n, out.len(), "pop_into counts values, not skipped slots");
                ids(out)
            })
        };
        let mut batch = ShortBatch {
            values: vec![Tracked::new(0, &log)].into_iter(),
            promised: 2,
        };
        q.push_iter(&mut batch);
        let mut seen = ids(batch.values.collect());
        let refused = other.join().unwrap();
        seen.extend(consumer.join().unwrap());
        seen.extend(drain(&q));
        assert_eq!(q.len(), 0);
        seen.extend(refused);
        assert_exactly_once(&seen, 2);
        drop(q);
        log.assert_each_once();
    });
}

/// Yields one value, then pushes `pushed` into `queue` itself before running dry: the push
/// claims past the batch's unfilled slots, so they are marked skipped, not handed back.
struct SkipMaker<'a> {
    first: Option<Tracked>,
    pushed: Option<Tracked>,
    queue: &'a Queue<Tracked>,
}

impl Iterator for SkipMaker<'_> {
    type Item = Tracked;

    fn next(&mut self) -> Option<Tracked> {
        if let Some(v) = self.first.take() {
            return Some(v);
        }
        if let Some(v) = self.pushed.take() {
            assert!(self.queue.push(v).is_ok(), "room for the inner push");
        }
        None
    }
}

impl ExactSizeIterator for SkipMaker<'_> {
    fn len(&self) -> usize {
        2 // promises one more value than it yields
    }
}

#[test]
fn force_push_over_a_skipped_slot_races_pop() {
    for spread in LAYOUTS {
        model(move || {
            // Capacity 3 laid out as [0, skipped, 1], then 0 popped and 2 pushed: the ring is
            // full with the skipped slot oldest. force_push(3) races a consumer; a skipped
            // slot is never handed out as a value, by either.
            let log = DropLog::new(4);
            let q = Arc::new(Queue::with_spread(3, spread).unwrap());
            let mut batch = SkipMaker {
                first: Some(Tracked::new(0, &log)),
                pushed: Some(Tracked::new(1, &log)),
                queue: &q,
            };
            assert_eq!(q.push_iter(&mut batch), 1);
            assert_eq!(q.pop().map(|v| v.id), Some(0));
            q.push(Tracked::new(2, &log)).ok().unwrap();
            assert!(q.is_full(), "the skipped slot still takes room");
            let consumer = {
                let q = Arc::clone(&q);
                thread::spawn(move || q.pop().map(|v| v.id))
            };
            let evicted = q.force_push(Tracked::new(3, &log)).map(|v| v.id);
            let popped = consumer.join().unwrap();
            // The oldest is the skipped slot, then 1: force_push evicts nothing or 1, and the
            // consumer gets 1 or 2, never the newest.
            assert!(
                evicted.is_none() || evicted == Some(1),
                "evicted {evicted:?}"
            );
            assert!(popped == Some(1) || popped == Some(2), "popped {popped:?}");
            let rest = drain(&q);
            assert_eq!(rest.last(), Some(&3), "the newest stays, last");
            let mut seen = vec![0];
            seen.extend(evicted);
            seen.extend(popped);
            seen.extend(rest.iter().copied());
            assert_exactly_once(&seen, 4);
            drop(q);
            log.assert_each_once();
        });
    }
}

/// Promises one value and yields none: the batch claims a slot it cannot fill.
struct Dry;

impl Iterator for Dry {
    type Item = Tracked;

    fn next(&mut self) -> Option<Tracked> {
        None
    }
}

impl ExactSizeIterator for Dry {
    fn len(&self) -> usize {
        1
    }
}

#[test]
fn force_push_races_a_batch_that_runs_dry() {
    for spread in LAYOUTS {
        model(move || {
            // Regression: the batch used to hand its unfilled slot back by moving `tail` back,
            // and a `force_push` that had found the ring full (through the claimed slot)
            // then stored `tail` over it: a position nobody ever wrote, and every later pop
            // waited on it forever. Capacity 2 holding one value, so the batch's claim fills
            // the ring.
            let log = DropLog::new(3);
            let q = Arc::new(Queue::with_spread(2, spread).unwrap());
            q.push(Tracked::new(0, &log)).ok().unwrap();
            let batch = {
                let q = Arc::clone(&q);
                thread::spawn(move || q.push_iter(&mut Dry))
            };
            let evicted = q.force_push(Tracked::new(1, &log)).map(|v| v.id);
            assert_eq!(batch.join().unwrap(), 0);
            assert!(
                evicted.is_none() || evicted == Some(0),
                "evicted {evicted:?}"
            );
            let mut seen: Vec<usize> = evicted.into_iter().collect();
            seen.extend(drain(&q));
            assert_exactly_once(&seen, 2);
            assert!(q.is_empty(), "nothing left behind");
            q.push(Tracked::new(2, &log)).ok().unwrap();
            assert_eq!(q.pop().map(|v| v.id), Some(2));
            drop(q);
            log.assert_each_once();
        });
    }
}
