//! `Queue<T>`: the bounded lock-free MPMC ring buffer.
//!
//! Each slot carries a *stamp* (Vyukov's per-slot sequence): a slot whose stamp equals a
//! position is free for the producer that claims that position; `position + FULL` means it
//! holds the value written there; `position + SKIP` means a batch producer claimed it and had no
//! value to write (consumers step over it); after a consumer takes the slot, the stamp becomes
//! the same position one lap later. Producers claim positions by a compare-and-swap on `tail`,
//! consumers on `head`; the two counters live on separate cache lines and neither side reads
//! the other's counter unless the slot it looks at says "full" or "empty". Each operation has a
//! small inlined fast path and a cold slow path. Neighbouring positions can be spread over
//! different cache lines (see [`layout`]; off by default, as measurements favoured packing).
//! Batch operations check a run of stamps first and then claim the whole run with one
//! compare-and-swap.

mod batch;
mod error;
mod layout;
mod single;

use core::fmt;
use core::mem::MaybeUninit;

use alloc::boxed::Box;
use alloc::vec::Vec;
use crossbeam_utils::CachePadded;

use crate::sync::{AtomicUsize, Ordering, UnsafeCell};
pub use error::CapacityError;
use layout::{FULL, Layout, SKIP};

/// One cell of the ring: a stamp and room for a value.
struct Slot<T> {
    stamp: AtomicUsize,
    value: UnsafeCell<MaybeUninit<T>>,
}

/// A bounded, lock-free, multi-producer multi-consumer FIFO queue.
///
/// Any capacity of at least one works. No allocation happens after construction. Values left
/// inside when the queue is dropped are dropped exactly once.
///
/// ```
/// use kendall_queue::Queue;
///
/// let q = Queue::new(2);
/// assert_eq!(q.push('a'), Ok(()));
/// assert_eq!(q.push('b'), Ok(()));
/// assert_eq!(q.push('c'), Err('c')); // full: the value comes back
/// assert_eq!(q.force_push('c'), Some('a')); // ring-buffer style: the oldest goes
/// assert_eq!(q.pop(), Some('b'));
/// assert_eq!(q.pop(), Some('c'));
/// assert_eq!(q.pop(), None);
/// ```
pub struct Queue<T> {
    /// Where the next value is taken from.
    head: CachePadded<AtomicUsize>,
    /// Where the next value is put.
    tail: CachePadded<AtomicUsize>,
    layout: Layout,
    buffer: Box<[Slot<T>]>,
    /// Positions that never held a value (see [`Skips`]); touched only when a batch push
    /// leaves slots unfilled and when they are stepped over.
    skips: CachePadded<Skips>,
}

/// Counts of skipped positions, so that [`Queue::counts`] can turn head and tail positions
/// into value counts.
#[derive(Default)]
struct Skips {
    /// Positions a batch push claimed and marked skipped; added to *before* the marks are
    /// stored, so it is never behind `passed`.
    marked: AtomicUsize,
    /// Skipped positions the head has moved past; added to *after* the head moved.
    passed: AtomicUsize,
}

// SAFETY: values move between threads through the queue, so `T: Send` is needed and enough;
// every shared access to a slot's value is serialised by the stamp protocol.
unsafe impl<T: Send> Send for Queue<T> {}
// SAFETY: as above: `&Queue<T>` only moves owned `T`s in and out, never shares a `&T`.
unsafe impl<T: Send> Sync for Queue<T> {}

// A panic while the queue is in use (a value's `Drop`, a batch push's iterator) leaves it
// consistent: claimed slots it could not fill are marked skipped, and drops run after the slot
// is released (`tests/drops.rs`). So it may cross `catch_unwind`, as crossbeam's queues and
// channels do, and the channel ends built on it are unwind-safe too.
impl<T> core::panic::UnwindSafe for Queue<T> {}
impl<T> core::panic::RefUnwindSafe for Queue<T> {}

impl<T> Queue<T> {
    /// Creates a queue holding at most `capacity` values.
    ///
    /// # Panics
    ///
    /// If `capacity` is zero, or too large to allocate. Use [`Queue::try_new`] to get an error
    /// instead.
    ///
    /// ```
    /// let q = kendall_queue::Queue::<u64>::new(1000);
    /// assert_eq!(q.capacity(), 1000);
    /// ```
    pub fn new(capacity: usize) -> Self {
        match Self::try_new(capacity) {
            Ok(q) => q,
            Err(e) => panic!("{e}"),
        }
    }

    /// Creates a queue holding at most `capacity` values, or an error if `capacity` is zero or
    /// its buffer cannot be allocated.
    ///
    /// ```
    /// assert!(kendall_queue::Queue::<u64>::try_new(3).is_ok());
    /// assert!(kendall_queue::Queue::<u64>::try_new(0).is_err());
    /// ```
    pub fn try_new(capacity: usize) -> Result<Self, CapacityError> {
        // Packed: measured on an idle 2-core machine, spreading neighbours over cache lines
        // gained nothing for single operations and cost 25-40% on batches and at capacity 16
        // (benches/README.md, attempts log).
        Self::with_spread(capacity, false)
    }

    #[doc(hidden)]
    /// Benchmark hook: builds the queue with neighbour spreading on or off.
    pub fn with_spread(capacity: usize, spread: bool) -> Result<Self, CapacityError> {
        let error = CapacityError::new(capacity);
        if capacity == 0 {
            return Err(error);
        }
        let layout = Layout::new(capacity, core::mem::size_of::<Slot<T>>(), spread).ok_or(error)?;
        let mut buffer: Vec<Slot<T>> = Vec::new();
        buffer.try_reserve_exact(layout.slots).map_err(|_| error)?;
        // Physical slot `p` starts free for position `p` of lap 0.
        buffer.extend((0..layout.slots).map(|p| Slot {
            stamp: AtomicUsize::new(p),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }));
        Ok(Queue {
            head: CachePadded::new(AtomicUsize::new(0)),
            tail: CachePadded::new(AtomicUsize::new(0)),
            layout,
            buffer: buffer.into_boxed_slice(),
            skips: CachePadded::default(),
        })
    }

    #[inline(always)]
    fn slot(&self, pos: usize) -> &Slot<T> {
        let index = self.layout.index(pos);
        debug_assert!(index < self.buffer.len());
        // SAFETY: `index` comes from a position produced by `layout`, whose physical indices are
        // all below `layout.slots == buffer.len()`.
        unsafe { self.buffer.get_unchecked(index) }
    }

    /// Writes `value` into a slot claimed at position `pos` and publishes it.
    #[inline(always)]
    fn write(&self, slot: &Slot<T>, pos: usize, value: T) {
        // SAFETY: callers won the CAS moving `tail` from `pos` while the slot's stamp said
        // "free for `pos`", which gives them sole access to the slot until the stamp below
        // publishes it; the slot holds no value (consumed last lap, or never used).
        slot.value.with_mut(|v| unsafe { (*v).write(value) });
        slot.stamp.store(pos.wrapping_add(FULL), Ordering::Release);
    }

    /// Takes the value out of a slot claimed at position `pos` and frees it for the next lap.
    #[inline(always)]
    fn take(&self, slot: &Slot<T>, pos: usize) -> T {
        // SAFETY: callers won the CAS moving `head` from `pos` while the slot's stamp said
        // "holds the value written at `pos`", which makes them its only reader; producers stay
        // out until the stamp below frees the slot.
        let value = slot.value.with_mut(|v| unsafe { (*v).assume_init_read() });
        self.release(slot, pos);
        value
    }

    /// Frees a slot claimed by a consumer at position `pos` for the producer one lap later.
    #[inline(always)]
    fn release(&self, slot: &Slot<T>, pos: usize) {
        slot.stamp
            .store(pos.wrapping_add(self.layout.one_lap), Ordering::Release);
    }

    /// Whether `stamp`, seen in the slot at `tail`, says the slot is still occupied from the
    /// previous lap (a value, or a skipped claim, not yet taken by a consumer).
    #[inline(always)]
    fn occupied_last_lap(&self, stamp: usize, tail: usize) -> bool {
        let behind = tail.wrapping_sub(self.layout.one_lap);
        stamp == behind.wrapping_add(FULL) || stamp == behind.wrapping_add(SKIP)
    }

    /// The maximum number of values the queue holds.
    ///
    /// ```
    /// assert_eq!(kendall_queue::Queue::<()>::new(3).capacity(), 3);
    /// ```
    pub fn capacity(&self) -> usize {
        self.layout.capacity
    }

    /// The number of values in the queue: a snapshot that others may change at once, always
    /// within `0..=capacity`. A slot a batch push left without a value counts until a consumer
    /// steps over it.
    ///
    /// ```
    /// let q = kendall_queue::Queue::new(3);
    /// q.push(1).unwrap();
    /// assert_eq!(q.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        loop {
            let tail = self.tail.load(Ordering::SeqCst);
            let head = self.head.load(Ordering::SeqCst);
            let stamp = self.slot(tail).stamp.load(Ordering::SeqCst);
            // A consistent triple: `tail` did not move while we read the rest.
            if self.tail.load(Ordering::SeqCst) == tail {
                let n = self.layout.distance(head, tail);
                // A `force_push` moves `head` past the oldest value before it moves `tail`, and
                // a consumer moves `head` before it empties the slot: the value still sitting
                // in the slot at `tail` is in the queue until it is gone.
                let stale = self.occupied_last_lap(stamp, tail);
                return if stale && n < self.layout.capacity {
                    n + 1
                } else {
                    n
                };
            }
        }
    }

    /// Whether the queue is empty (a snapshot).
    ///
    /// ```
    /// assert!(kendall_queue::Queue::<u8>::new(1).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the queue is full (a snapshot).
    ///
    /// ```
    /// let q = kendall_queue::Queue::new(1);
    /// q.push(0).unwrap();
    /// assert!(q.is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        self.len() == self.layout.capacity
    }

    #[cfg(any(feature = "std", test))] // for the channel only
    /// The head and tail positions: how far consumers and producers have claimed. A push or
    /// pop counts from the moment it claims its slot, so a value counted as pushed is always
    /// counted as popped once a consumer (or a `force_push` displacing it) has taken it,
    /// whatever order producers finish in. The channel's `join` uses this, with
    /// [`Queue::reached`], to wait for exactly the messages sent before it.
    pub(crate) fn claimed(&self) -> (usize, usize) {
        let head = self.head.load(Ordering::SeqCst);
        let tail = self.tail.load(Ordering::SeqCst);
        (head, tail)
    }

    #[cfg(any(feature = "std", test))] // for the channel only
    /// How many values have been pushed and popped since the queue was made (a snapshot).
    /// A value counts as pushed from the moment its slot is claimed, and as popped from the
    /// moment a consumer — or a `force_push` displacing it — claims it. `popped <= pushed`.
    /// Exact while positions have not wrapped `usize` (more than 2^59 positions on 64-bit).
    pub(crate) fn counts(&self) -> (u64, u64) {
        // The skip counts first: every skip counted then is already behind the positions read
        // after it, so neither difference below can go negative.
        let passed = self.skips.passed.load(Ordering::SeqCst) as u64;
        let marked = self.skips.marked.load(Ordering::SeqCst) as u64;
        let (head, tail) = self.claimed();
        let pushed = self.layout.ordinal(tail).saturating_sub(marked);
        // A skip marked and passed between the loads above would count as popped: clamp.
        let popped = self.layout.ordinal(head).saturating_sub(passed).min(pushed);
        (pushed, popped)
    }

    /// Counts `n` skipped positions the head has just moved past.
    #[cold]
    fn passed_skips(&self, n: usize) {
        self.skips.passed.fetch_add(n, Ordering::SeqCst);
    }

    #[cfg(feature = "std")] // for the channel only
    /// Whether position `pos` is at or past `target` (two positions read from this queue,
    /// less than half the position space apart, which wrapping positions cannot tell apart).
    pub(crate) fn reached(&self, pos: usize, target: usize) -> bool {
        self.layout.steps(target, pos) >= 0
    }

    #[cfg(any(feature = "std", test))] // for the channel only
    /// A hint for a producer waiting on a full queue: whether the slot `k - 1` places past
    /// the tail is free (so about `k` pushes would succeed), or the tail has moved past it.
    /// It reads one slot stamp and never the consumers' `head`, so polling it leaves the
    /// consumers' cache lines alone until they are well clear of the producers.
    #[inline]
    pub(crate) fn room_ahead(&self, k: usize) -> bool {
        let k = k.clamp(1, self.layout.capacity);
        let tail = self.tail.load(Ordering::Relaxed);
        let pos = self.layout.advance(tail, k - 1);
        let stamp = self.slot(pos).stamp.load(Ordering::Relaxed);
        // Free for `pos` (stamp == pos), or already a later lap: both mean "go". Stamps one
        // lap behind (a value or a skip not yet consumed) read as negative.
        (stamp.wrapping_sub(pos) as isize) >= 0
    }

    #[cfg(any(feature = "std", test))] // for the channel only
    /// The consumers' position now, and how many values they have taken since `mark` (an
    /// earlier position of theirs; negative or huge if it was not). A wait hint's input only.
    #[inline]
    pub(crate) fn head_since(&self, mark: usize) -> (usize, i128) {
        let head = self.head.load(Ordering::Relaxed);
        (head, self.layout.steps(mark, head))
    }

    #[cfg(any(feature = "std", test))] // for the channel only
    /// The consumers' mirror of [`room_ahead`](Self::room_ahead): whether the slot `k - 1`
    /// places past the head holds a value (or a skip), or the head has moved past it. It reads
    /// one slot stamp and never the producers' `tail`.
    #[inline]
    pub(crate) fn value_ahead(&self, k: usize) -> bool {
        let k = k.clamp(1, self.layout.capacity);
        let head = self.head.load(Ordering::Relaxed);
        let pos = self.layout.advance(head, k - 1);
        let stamp = self.slot(pos).stamp.load(Ordering::Relaxed);
        // Written (`pos + FULL` or `pos + SKIP`) or already freed for a later lap: "go". Free
        // for `pos` itself (not yet written) reads as 0.
        (stamp.wrapping_sub(pos) as isize) >= FULL as isize
    }
}

impl<T> Drop for Queue<T> {
    fn drop(&mut self) {
        if !core::mem::needs_drop::<T>() {
            return;
        }
        // Drops what is left even if one value's `Drop` panics: the guard finishes the job
        // during unwinding.
        struct Rest<'a, T>(&'a mut Queue<T>);
        impl<T> Drop for Rest<'_, T> {
            fn drop(&mut self) {
                while self.0.take_front().is_some() {}
            }
        }
        let rest = Rest(self);
        while let Some(value) = rest.0.take_front() {
            drop(value);
        }
    }
}

impl<T> Queue<T> {
    /// Takes the front value with exclusive access (no other thread can be inside).
    fn take_front(&mut self) -> Option<T> {
        // Plain loads and stores suffice: `&mut self` excludes every other thread.
        let mut head = self.head.load(Ordering::Relaxed);
        let tail = self.tail.load(Ordering::Relaxed);
        while head != tail {
            let slot = self.slot(head);
            let skipped = slot.stamp.load(Ordering::Relaxed) == head.wrapping_add(SKIP);
            let next = self.layout.next(head);
            self.head.store(next, Ordering::Relaxed);
            if skipped {
                // Not counted in `skips`: with `&mut self` nobody can ask for `counts` again.
                self.release(slot, head);
                head = next;
                continue;
            }
            // `&mut self` rules out other threads, and every position from `head` to `tail`
            // holds a written value unless marked skipped (all pushes completed before we got
            // `&mut`).
            return Some(self.take(slot, head));
        }
        None
    }
}

impl<T> fmt::Debug for Queue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Queue")
            .field("len", &self.len())
            .field("capacity", &self.capacity())
            .finish_non_exhaustive()
    }
}

/// An iterator that drains an owned [`Queue`] front to back.
///
/// ```
/// let q = kendall_queue::Queue::new(3);
/// q.push(1).unwrap();
/// q.push(2).unwrap();
/// assert_eq!(q.into_iter().collect::<Vec<_>>(), [1, 2]);
/// ```
#[derive(Debug)]
pub struct QueueIntoIter<T> {
    queue: Queue<T>,
}

impl<T> Iterator for QueueIntoIter<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        self.queue.take_front()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        // Skipped slots make `len` an upper bound only.
        (0, Some(self.queue.len()))
    }
}

impl<T> IntoIterator for Queue<T> {
    type Item = T;
    type IntoIter = QueueIntoIter<T>;

    fn into_iter(self) -> QueueIntoIter<T> {
        QueueIntoIter { queue: self }
    }
}

#[cfg(all(test, not(loom)))]
mod hint_tests {
    use super::Queue;

    /// `room_ahead(k)` and `value_ahead(k)` against a plain count, over several laps, for
    /// both layouts.
    #[test]
    fn hints_match_the_counts() {
        for capacity in [1, 2, 5, 16] {
            for spread in [false, true] {
                let q = Queue::<u32>::with_spread(capacity, spread).unwrap();
                let mut len = 0;
                for step in 0..(4 * capacity + 3) {
                    for k in 1..=capacity {
                        assert_eq!(q.room_ahead(k), capacity - len >= k, "room {capacity} {k}");
                        assert_eq!(q.value_ahead(k), len >= k, "value {capacity} {k}");
                    }
                    // Fill up, then drain, then fill again: every slot goes through every lap.
                    if (step / capacity) % 2 == 0 && len < capacity {
                        q.push(step as u32).unwrap();
                        len += 1;
                    } else if len > 0 {
                        q.pop().unwrap();
                        len -= 1;
                    } else {
                        q.push(step as u32).unwrap();
                        len += 1;
                    }
                }
            }
        }
    }

    #[test]
    fn head_since_counts_pops() {
        let q = Queue::<u32>::new(3);
        let (start, _) = q.head_since(0);
        for i in 0..10 {
            q.push(i).unwrap();
            q.pop().unwrap();
        }
        let (now, run) = q.head_since(start);
        assert_eq!(run, 10);
        assert_eq!(q.head_since(now).1, 0);
    }
}

#[cfg(all(test, not(loom)))]
mod waiting_variants {
    use super::Queue;

    /// An iterator that claims `claims` items and yields only `yields` of them.
    struct Short {
        next: u32,
        yields: usize,
        claims: usize,
    }

    impl Iterator for Short {
        type Item = u32;
        fn next(&mut self) -> Option<u32> {
            self.claims = self.claims.saturating_sub(1);
            if self.yields == 0 {
                return None;
            }
            self.yields -= 1;
            self.next += 1;
            Some(self.next - 1)
        }

        fn size_hint(&self) -> (usize, Option<usize>) {
            (self.claims, Some(self.claims))
        }
    }

    impl ExactSizeIterator for Short {}

    /// `push_free` and `pop_written` agree with `push` and `pop` whenever no other thread is
    /// mid-operation: two queues driven in lockstep, over several laps and around slots a
    /// batch push skipped.
    #[test]
    fn they_agree_with_push_and_pop_on_one_thread() {
        for capacity in [1, 2, 3, 8] {
            for spread in [false, true] {
                let plain = Queue::<u32>::with_spread(capacity, spread).unwrap();
                let waiting = Queue::<u32>::with_spread(capacity, spread).unwrap();
                let (mut pushed, mut popped) = (0, 0);
                // Skipped slots each pop stepped over, counted by the plain and the waiting one.
                let mut freed = (0, 0);
                for step in 0..(8 * capacity + 5) {
                    if step % 3 == 2 {
                        // A batch push whose iterator runs dry leaves skipped slots behind.
                        let short = |next| Short {
                            next,
                            yields: capacity / 2,
                            claims: capacity,
                        };
                        let n = plain.push_iter(&mut short(step as u32));
                        assert_eq!(waiting.push_iter(&mut short(step as u32)), n);
                        pushed += n;
                    } else if (step / capacity) % 2 == 0 {
                        let r = plain.push(step as u32);
                        assert_eq!(
                            waiting.push_free(step as u32),
                            r,
                            "cap {capacity} step {step}"
                        );
                        pushed += r.is_ok() as usize;
                    } else {
                        let r = plain.pop_counting(&mut freed.0);
                        assert_eq!(
                            waiting.pop_written(&mut freed.1),
                            r,
                            "cap {capacity} step {step}"
                        );
                        assert_eq!(freed.0, freed.1, "cap {capacity} step {step}");
                        popped += r.is_some() as usize;
                    }
                    let expect = (pushed as u64, popped as u64);
                    assert_eq!(plain.counts(), expect, "cap {capacity} step {step}");
                    assert_eq!(waiting.counts(), expect, "cap {capacity} step {step}");
                }
                assert!(
                    pushed > capacity && popped > capacity,
                    "cap {capacity}: {pushed} {popped}"
                );
                assert!(
                    freed.0 > 0,
                    "cap {capacity}: no skipped slot was stepped over"
                );
            }
        }
    }

    /// `counts` follows every way values go in and out, skipped slots included: batch pushes
    /// that leave slots unfilled, `pop`, `pop_into` and `force_push` stepping over them, and
    /// `force_push` displacing a value, over many laps.
    #[test]
    fn counts_follow_every_push_and_pop() {
        for capacity in [1, 2, 3, 7] {
            for spread in [false, true] {
                let q = Queue::<u32>::with_spread(capacity, spread).unwrap();
                let (mut pushed, mut popped) = (0u64, 0u64);
                let mut out = Vec::new();
                let mut seed = 0x9e37_79b9_u32;
                for step in 0..600 {
                    // xorshift: a fixed pseudo-random mix of operations.
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    match seed % 7 {
                        0 | 3 => pushed += q.push(step).is_ok() as u64,
                        1 => {
                            let mut short = Short {
                                next: step,
                                yields: capacity / 2,
                                claims: capacity,
                            };
                            pushed += q.push_iter(&mut short) as u64;
                        }
                        2 | 6 => popped += q.pop().is_some() as u64,
                        4 => {
                            pushed += 1;
                            popped += q.force_push(step).is_some() as u64;
                        }
                        _ => popped += q.pop_into(&mut out, 2) as u64,
                    }
                    assert_eq!(q.counts(), (pushed, popped), "cap {capacity} step {step}");
                    // Skipped slots count in `len` until stepped over: never fewer than values.
                    assert!(
                        q.len() as u64 >= pushed - popped,
                        "cap {capacity} step {step}"
                    );
                }
                assert!(
                    q.skips.passed.load(super::Ordering::Relaxed) > 0,
                    "cap {capacity}"
                );
            }
        }
    }
}
