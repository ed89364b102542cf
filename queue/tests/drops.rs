#![cfg(not(loom))]
//! Ownership tests for `Queue<T>`: every value is dropped exactly once wherever it ends up
//! (popped, evicted by `force_push`, left in a dropped queue, left in a half-used `QueueIntoIter`),
//! zero-sized types work, a panicking `Drop` leaves the queue sound, capacity 0 is refused, and
//! `Send`/`Sync` hold only where sound.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, MutexGuard};

use kendall_queue::{CapacityError, Queue, QueueIntoIter};

/// Per-value drop counters shared by every `Counted` made from them.
#[derive(Clone)]
struct Log(Arc<Vec<AtomicUsize>>);

impl Log {
    fn new(values: usize) -> Self {
        Log(Arc::new((0..values).map(|_| AtomicUsize::new(0)).collect()))
    }

    fn value(&self, id: usize) -> Counted {
        Counted {
            id,
            log: self.clone(),
            panics: false,
        }
    }

    /// A value whose `Drop` records the drop and then panics.
    fn panicking(&self, id: usize) -> Counted {
        Counted {
            id,
            log: self.clone(),
            panics: true,
        }
    }

    fn drops(&self, id: usize) -> usize {
        self.0[id].load(Ordering::SeqCst)
    }

    fn assert_each_once(&self) {
        for id in 0..self.0.len() {
            assert_eq!(
                self.drops(id),
                1,
                "value {id} dropped {} times",
                self.drops(id)
            );
        }
    }

    fn assert_none_dropped(&self, ids: impl IntoIterator<Item = usize>) {
        for id in ids {
            assert_eq!(self.drops(id), 0, "value {id} dropped while still owned");
        }
    }
}

#[derive(Debug)]
struct Counted {
    id: usize,
    log: Log,
    panics: bool,
}

impl std::fmt::Debug for Log {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Log")
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.log.0[self.id].fetch_add(1, Ordering::SeqCst);
        if self.panics {
            panic!("Counted {} panics in drop", self.id);
        }
    }
}

const LAYOUTS: [bool; 2] = [false, true];
/// Small and odd capacities, one line and several lines of slots.
const CAPACITIES: [usize; 7] = [1, 2, 3, 4, 5, 16, 37];

/// Moves the ring `steps` positions on with values that are dropped at once.
fn advance(q: &Queue<Counted>, steps: usize) {
    let log = Log::new(steps);
    for i in 0..steps {
        q.push(log.value(i)).unwrap();
        drop(q.pop().unwrap());
    }
    log.assert_each_once();
}

#[test]
fn values_left_inside_are_dropped_once_at_every_fill_level() {
    for capacity in CAPACITIES {
        for spread in LAYOUTS {
            // Start positions: fresh, mid-lap, and past the first lap so the values wrap.
            for start in [0, capacity / 2, capacity + 1, 3 * capacity - 1] {
                for fill in 0..=capacity {
                    let log = Log::new(fill);
                    let q = Queue::with_spread(capacity, spread).unwrap();
                    advance(&q, start);
                    for id in 0..fill {
                        q.push(log.value(id)).unwrap();
                    }
                    assert_eq!(q.len(), fill);
                    log.assert_none_dropped(0..fill);
                    drop(q);
                    log.assert_each_once();
                }
            }
        }
    }
}

#[test]
fn values_left_after_batches_and_pops_are_dropped_once() {
    for capacity in CAPACITIES {
        for spread in LAYOUTS {
            const ROUNDS: usize = 4;
            let log = Log::new(ROUNDS * (capacity + 2));
            let q = Queue::with_spread(capacity, spread).unwrap();
            let mut next = 0;
            for round in 0..ROUNDS {
                // A batch one larger than the ring: what does not fit stays in the iterator.
                let want = capacity + 1;
                let ids = next..next + want;
                let mut batch = ids
                    .clone()
                    .map(|id| log.value(id))
                    .collect::<Vec<_>>()
                    .into_iter();
                let pushed = q.push_iter(&mut batch);
                let left: Vec<usize> = batch.as_slice().iter().map(|v| v.id).collect();
                assert_eq!(left, (next + pushed..next + want).collect::<Vec<_>>());
                log.assert_none_dropped(ids);
                drop(batch);
                next += want;
                let mut out = Vec::new();
                q.pop_into(&mut out, round + 1);
                log.assert_none_dropped(out.iter().map(|v| v.id));
                drop(out);
                // A refused value comes back in Err and drops here.
                drop(q.push(log.value(next)));
                next += 1;
            }
            drop(q);
            log.assert_each_once();
        }
    }
}

#[test]
fn force_push_returns_the_oldest_and_drops_nothing_itself() {
    for capacity in CAPACITIES {
        for spread in LAYOUTS {
            let n = 4 * capacity + 3;
            let log = Log::new(n);
            let q = Queue::with_spread(capacity, spread).unwrap();
            let mut evicted = Vec::new();
            for id in 0..n {
                if let Some(old) = q.force_push(log.value(id)) {
                    // Nothing is dropped inside force_push: the oldest comes back alive.
                    assert_eq!(log.drops(old.id), 0);
                    assert_eq!(old.id, id - capacity, "force_push must evict the oldest");
                    evicted.push(old);
                }
            }
            assert_eq!(evicted.len(), n - capacity);
            assert_eq!(q.len(), capacity);
            log.assert_none_dropped(0..n);
            drop(evicted);
            drop(q);
            log.assert_each_once();
        }
    }
}

/// Asserts a size hint brackets the number of values left.
fn assert_bounds((low, high): (usize, Option<usize>), left: usize) {
    assert!(low <= left, "size_hint lower bound {low} above {left}");
    assert!(
        high.is_none_or(|h| h >= left),
        "size_hint upper bound {high:?} below {left}"
    );
}

#[test]
fn into_iter_partly_consumed_then_dropped_drops_the_rest_once() {
    for capacity in CAPACITIES {
        for spread in LAYOUTS {
            for start in [0, capacity + 1] {
                for fill in 0..=capacity {
                    for taken in 0..=fill {
                        let log = Log::new(fill);
                        let q = Queue::with_spread(capacity, spread).unwrap();
                        advance(&q, start);
                        for id in 0..fill {
                            q.push(log.value(id)).unwrap();
                        }
                        let mut iter: QueueIntoIter<Counted> = q.into_iter();
                        assert_bounds(iter.size_hint(), fill);
                        for id in 0..taken {
                            let v = iter.next().unwrap();
                            assert_eq!(v.id, id, "QueueIntoIter yields front to back");
                        }
                        assert_bounds(iter.size_hint(), fill - taken);
                        log.assert_none_dropped(taken..fill);
                        drop(iter);
                        log.assert_each_once();
                    }
                }
            }
        }
    }
}

#[test]
fn values_left_by_concurrent_use_are_dropped_once() {
    // Producers and consumers stop at arbitrary points; whatever is left goes with the queue.
    for (capacity, spread) in [(1, true), (3, false), (5, true), (64, true), (64, false)] {
        let per_producer = 20_000;
        let log = Log::new(2 * per_producer);
        let q = Arc::new(Queue::with_spread(capacity, spread).unwrap());
        let producers: Vec<_> = (0..2)
            .map(|p| {
                let q = Arc::clone(&q);
                let log = log.clone();
                std::thread::spawn(move || {
                    for i in 0..per_producer {
                        let value = log.value(p * per_producer + i);
                        match i % 3 {
                            0 => drop(q.force_push(value)),
                            _ => drop(q.push(value)), // a refused value drops here
                        }
                    }
                })
            })
            .collect();
        let consumers: Vec<_> = (0..2)
            .map(|c| {
                let q = Arc::clone(&q);
                std::thread::spawn(move || {
                    let mut out = Vec::new();
                    for i in 0..per_producer / 2 {
                        if (i + c) % 2 == 0 {
                            drop(q.pop());
                        } else {
                            q.pop_into(&mut out, 3);
                            out.clear();
                        }
                    }
                })
            })
            .collect();
        for t in producers.into_iter().chain(consumers) {
            t.join().unwrap();
        }
        let q = Arc::try_unwrap(q).unwrap();
        drop(q);
        log.assert_each_once();
    }
}

// ---- zero-sized types ----

#[test]
fn zero_sized_values_without_drop() {
    for capacity in [1, 2, 3, 64] {
        for spread in LAYOUTS {
            let q: Queue<()> = Queue::with_spread(capacity, spread).unwrap();
            for lap in 0..3 {
                for i in 0..capacity {
                    assert_eq!(q.push(()), Ok(()), "lap {lap} push {i}");
                }
                assert_eq!(q.push(()), Err(()));
                assert!(q.is_full());
                assert_eq!(q.len(), capacity);
                assert_eq!(q.force_push(()), Some(()));
                for _ in 0..capacity {
                    assert_eq!(q.pop(), Some(()));
                }
                assert_eq!(q.pop(), None);
                assert!(q.is_empty());
            }
            let mut units = std::iter::repeat_n((), capacity + 2);
            assert_eq!(q.push_iter(&mut units), capacity);
            assert_eq!(units.len(), 2);
            let mut out = Vec::new();
            assert_eq!(q.pop_into(&mut out, capacity + 5), capacity);
            assert_eq!(out.len(), capacity);
            q.push(()).unwrap();
            assert_eq!(q.into_iter().count(), 1);
        }
    }
}

/// A zero-sized type that counts its drops in a static only this test touches.
static ZST_DROPS: AtomicUsize = AtomicUsize::new(0);

struct Zst;

impl Drop for Zst {
    fn drop(&mut self) {
        ZST_DROPS.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn zero_sized_values_with_drop_are_dropped_once() {
    let drops = || ZST_DROPS.load(Ordering::SeqCst);
    let mut made = 0;
    for capacity in [1, 2, 3, 64] {
        for spread in LAYOUTS {
            for fill in [0, 1, capacity] {
                let q = Queue::with_spread(capacity, spread).unwrap();
                // Wrap around first.
                for _ in 0..capacity + 1 {
                    made += 1;
                    assert!(q.push(Zst).is_ok());
                    drop(q.pop().unwrap());
                }
                for _ in 0..fill {
                    made += 1;
                    assert!(q.push(Zst).is_ok());
                }
                made += 1;
                let evicted = q.force_push(Zst);
                assert_eq!(evicted.is_some(), fill == capacity);
                let before = drops();
                drop(evicted);
                drop(q);
                assert_eq!(
                    drops(),
                    made,
                    "capacity {capacity} fill {fill} (had {before})"
                );
            }
        }
    }
}

// ---- a panicking Drop ----

#[test]
fn a_popped_value_whose_drop_panics_leaves_the_queue_working() {
    for spread in LAYOUTS {
        let log = Log::new(4);
        let q = Queue::with_spread(2, spread).unwrap();
        q.push(log.panicking(0)).unwrap();
        q.push(log.value(1)).unwrap();
        let popped = q.pop().unwrap();
        assert!(catch_unwind(AssertUnwindSafe(|| drop(popped))).is_err());
        q.push(log.value(2)).unwrap();
        assert_eq!(q.len(), 2);
        assert!(q.push(log.value(3)).is_err()); // dropped here
        assert_eq!(q.pop().map(|v| v.id), Some(1));
        assert_eq!(q.pop().map(|v| v.id), Some(2));
        assert!(q.pop().is_none());
        drop(q);
        log.assert_each_once();
    }
}

#[test]
fn an_evicted_value_whose_drop_panics_leaves_the_queue_working() {
    let log = Log::new(4);
    let q = Queue::new(2);
    q.push(log.panicking(0)).unwrap();
    q.push(log.value(1)).unwrap();
    let evicted = q.force_push(log.value(2)).unwrap();
    assert!(catch_unwind(AssertUnwindSafe(|| drop(evicted))).is_err());
    assert_eq!(q.len(), 2);
    assert_eq!(q.force_push(log.value(3)).map(|v| v.id), Some(1));
    let rest: Vec<usize> = q.into_iter().map(|v| v.id).collect();
    assert_eq!(rest, [2, 3]);
    log.assert_each_once();
}

#[test]
fn dropping_a_queue_with_a_panicking_value_still_drops_the_rest_once() {
    for capacity in [1, 2, 5, 16] {
        for spread in LAYOUTS {
            for bad in 0..capacity {
                let log = Log::new(capacity);
                let q = Queue::with_spread(capacity, spread).unwrap();
                advance(&q, capacity / 2 + 1);
                for id in 0..capacity {
                    let v = if id == bad {
                        log.panicking(id)
                    } else {
                        log.value(id)
                    };
                    q.push(v).unwrap();
                }
                let result = catch_unwind(AssertUnwindSafe(|| drop(q)));
                assert!(result.is_err(), "the panic reaches the owner");
                log.assert_each_once();
            }
        }
    }
}

#[test]
fn dropping_an_into_iter_with_a_panicking_value_still_drops_the_rest_once() {
    for bad in 0..5 {
        let log = Log::new(5);
        let q = Queue::new(5);
        for id in 0..5 {
            let v = if id == bad {
                log.panicking(id)
            } else {
                log.value(id)
            };
            q.push(v).unwrap();
        }
        let mut iter = q.into_iter();
        let first = iter.next().unwrap();
        if bad == 0 {
            assert!(catch_unwind(AssertUnwindSafe(|| drop(first))).is_err());
            drop(iter);
        } else {
            drop(first);
            assert!(catch_unwind(AssertUnwindSafe(|| drop(iter))).is_err());
        }
        log.assert_each_once();
    }
}

// ---- capacity ----

#[test]
#[should_panic(expected = "queue capacity must be at least 1, got 0")]
fn capacity_zero_panics_with_a_clear_message() {
    let _ = Queue::<u64>::new(0);
}

#[test]
fn try_new_refuses_capacity_zero() {
    for result in [
        Queue::<u64>::try_new(0),
        Queue::<u64>::with_spread(0, false),
        Queue::<u64>::with_spread(0, true),
    ] {
        let err: CapacityError = result.unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("capacity") && message.contains('0'),
            "{message}"
        );
        let _: &dyn std::error::Error = &err;
    }
    for capacity in [1, 2, 3, 1000] {
        assert_eq!(
            Queue::<u64>::try_new(capacity).unwrap().capacity(),
            capacity
        );
    }
}

#[test]
fn try_new_refuses_a_capacity_it_cannot_lay_out() {
    // The project's rule: bad input gets a typed error, never a panic: the layout's counter
    // arithmetic must not overflow and the buffer must be allocatable.
    let result = catch_unwind(|| Queue::<u64>::try_new(usize::MAX).is_err());
    assert!(
        matches!(result, Ok(true)),
        "try_new(usize::MAX) should return Err"
    );
}

// ---- a push_iter iterator that panics ----

#[test]
fn push_iter_with_a_panicking_iterator_leaves_the_queue_sound() {
    // `push_iter` claims a run of slots for `iter.len()` values, then pulls them one by one.
    // If `next()` panics mid-run, the claimed slots after the panic must be marked skipped:
    // otherwise a `pop()` reaching one would spin forever and dropping the queue would read
    // uninitialised values. `len` counts them until a consumer steps over them.
    let q = Queue::new(4);
    let mut values = (0..3usize).map(|i| {
        assert!(i < 1, "iterator panics at item {i}");
        i as u64
    });
    let result = catch_unwind(AssertUnwindSafe(|| q.push_iter(&mut values)));
    assert!(result.is_err());
    assert_eq!(q.len(), 3, "one value and two skipped slots");
    assert_eq!(q.pop(), Some(0));
    assert_eq!(
        q.pop(),
        None,
        "steps over the skipped slots instead of spinning"
    );
    assert!(q.is_empty());
    q.push(7).unwrap();
    assert_eq!(q.pop(), Some(7));
}

#[test]
fn push_iter_with_a_short_iterator_and_a_push_in_between_leaves_the_queue_sound() {
    // `ExactSizeIterator` is a safe trait, so unsafe code may not trust `len()`. When the
    // iterator runs dry early, the unused claimed slots are marked skipped. Here the iterator itself pushes while it is being
    // drained, the single-threaded form of another producer getting in.
    struct Short<'a> {
        q: &'a Queue<u64>,
        left: usize,
        claimed: usize,
    }
    impl Iterator for Short<'_> {
        type Item = u64;
        fn next(&mut self) -> Option<u64> {
            if self.left == 0 {
                self.q.push(99).unwrap();
                return None;
            }
            self.left -= 1;
            Some(self.left as u64)
        }
    }
    impl ExactSizeIterator for Short<'_> {
        fn len(&self) -> usize {
            self.claimed
        }
    }
    let q = Queue::new(8);
    let mut short = Short {
        q: &q,
        left: 1,
        claimed: 3,
    };
    let result = catch_unwind(AssertUnwindSafe(|| q.push_iter(&mut short)));
    let pushed = result.unwrap_or(0);
    // Two values went in (0 from the iterator, 99 from inside it), whatever push_iter says.
    assert!(pushed <= 1);
    // The two claimed-but-unfilled slots sit before 99, so they are skipped, not handed back;
    // `len` counts them until a consumer steps over them.
    assert!((2..=4).contains(&q.len()), "len {}", q.len());
    let mut got = Vec::new();
    while got.len() < 2 && !q.is_empty() {
        got.extend(q.pop());
    }
    got.sort_unstable();
    assert_eq!(got, [0, 99]);
}

// ---- Send and Sync ----

fn assert_send<T: Send>() {}
fn assert_sync<T: Sync>() {}

/// `<T as NotSend<_>>::check` names exactly one impl, and so compiles, only when `T` is not
/// `Send`: for a `Send` type both impls apply and the `_` is ambiguous.
trait NotSend<Which> {
    fn check() {}
}
impl<T: ?Sized> NotSend<()> for T {}
struct WhenSend;
impl<T: ?Sized + Send> NotSend<WhenSend> for T {}

/// The same test for `Sync`.
trait NotSync<Which> {
    fn check() {}
}
impl<T: ?Sized> NotSync<()> for T {}
struct WhenSync;
impl<T: ?Sized + Sync> NotSync<WhenSync> for T {}

#[test]
fn send_and_sync_only_where_sound() {
    // Owned values cross threads, so `T: Send` is needed and enough for both.
    assert_send::<Queue<u64>>();
    assert_sync::<Queue<u64>>();
    assert_send::<Queue<Cell<u8>>>(); // Cell is Send but not Sync: &Queue never shares a &T
    assert_sync::<Queue<Cell<u8>>>();
    assert_send::<QueueIntoIter<Cell<u8>>>();
    assert_send::<CapacityError>();
    assert_sync::<CapacityError>();
    // Unwind-safe like crossbeam's `ArrayQueue`: a panic leaves the queue consistent (above).
    fn unwind_safe<T: std::panic::UnwindSafe + std::panic::RefUnwindSafe>() {}
    unwind_safe::<Queue<Cell<u8>>>();

    <Queue<Rc<u8>> as NotSend<_>>::check();
    <Queue<Rc<u8>> as NotSync<_>>::check();
    <Queue<MutexGuard<'static, u8>> as NotSend<_>>::check();
    <Queue<MutexGuard<'static, u8>> as NotSync<_>>::check();
    <QueueIntoIter<Rc<u8>> as NotSend<_>>::check();
    <QueueIntoIter<Rc<u8>> as NotSync<_>>::check();
    // The trick itself: these types are what they claim.
    <Rc<u8> as NotSend<_>>::check();
    <Cell<u8> as NotSync<_>>::check();
}
