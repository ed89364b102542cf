//! `Queue<T>`: the bounded lock-free MPMC ring buffer.
//!
//! Each slot carries a *stamp* (Vyukov's per-slot sequence): a slot whose stamp equals a
//! position is free for the producer that claims that position; `position + 1` means it holds
//! the value written there; after a consumer takes it, the stamp becomes the same position one
//! lap later. Producers claim positions by a compare-and-swap on `tail`, consumers on `head`;
//! the two counters live on separate cache lines and neither side reads the other's counter
//! unless the slot it looks at says "full" or "empty". Neighbouring positions are spread over
//! different cache lines (see [`layout`]). Batch operations check a run of stamps first and then
//! claim the whole run with one compare-and-swap.

mod batch;
mod layout;

use core::fmt;
use core::mem::MaybeUninit;

use alloc::boxed::Box;
use alloc::vec::Vec;
use crossbeam_utils::CachePadded;

use crate::sync::{AtomicUsize, Backoff, Ordering, UnsafeCell, fence};
use layout::Layout;

/// One cell of the ring: a stamp and room for a value.
struct Slot<T> {
    stamp: AtomicUsize,
    value: UnsafeCell<MaybeUninit<T>>,
}

/// The error returned by [`Queue::try_new`] when asked for a capacity of zero.
///
/// ```
/// use kendall_queue::{Queue, CapacityError};
/// assert_eq!(Queue::<u8>::try_new(0).unwrap_err(), CapacityError);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CapacityError;

impl fmt::Display for CapacityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("queue capacity must be at least 1, got 0")
    }
}

#[cfg(feature = "std")]
impl std::error::Error for CapacityError {}

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
}

// SAFETY: values move between threads through the queue, so `T: Send` is needed and enough;
// every shared access to a slot's value is serialised by the stamp protocol.
unsafe impl<T: Send> Send for Queue<T> {}
// SAFETY: as above: `&Queue<T>` only moves owned `T`s in and out, never shares a `&T`.
unsafe impl<T: Send> Sync for Queue<T> {}

impl<T> Queue<T> {
    /// Creates a queue holding at most `capacity` values.
    ///
    /// # Panics
    ///
    /// If `capacity` is zero. Use [`Queue::try_new`] to get an error instead.
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

    /// Creates a queue holding at most `capacity` values, or an error if `capacity` is zero.
    ///
    /// ```
    /// assert!(kendall_queue::Queue::<u64>::try_new(3).is_ok());
    /// assert!(kendall_queue::Queue::<u64>::try_new(0).is_err());
    /// ```
    pub fn try_new(capacity: usize) -> Result<Self, CapacityError> {
        Self::with_spread(capacity, true)
    }

    #[doc(hidden)]
    /// Benchmark hook: builds the queue with neighbour spreading on or off.
    pub fn with_spread(capacity: usize, spread: bool) -> Result<Self, CapacityError> {
        if capacity == 0 {
            return Err(CapacityError);
        }
        let layout = Layout::new(capacity, core::mem::size_of::<Slot<T>>(), spread);
        // Physical slot `p` starts free for position `p` of lap 0.
        let buffer: Vec<Slot<T>> = (0..layout.slots)
            .map(|p| Slot {
                stamp: AtomicUsize::new(p),
                value: UnsafeCell::new(MaybeUninit::uninit()),
            })
            .collect();
        Ok(Queue {
            head: CachePadded::new(AtomicUsize::new(0)),
            tail: CachePadded::new(AtomicUsize::new(0)),
            layout,
            buffer: buffer.into_boxed_slice(),
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

    /// Adds `value` at the back, or gives it back in `Err` if the queue is full.
    ///
    /// ```
    /// let q = kendall_queue::Queue::new(1);
    /// assert_eq!(q.push(1), Ok(()));
    /// assert_eq!(q.push(2), Err(2));
    /// ```
    #[inline]
    pub fn push(&self, value: T) -> Result<(), T> {
        // Fast path: the slot at `tail` is free and nobody races us for it.
        let tail = self.tail.load(Ordering::Relaxed);
        let slot = self.slot(tail);
        if slot.stamp.load(Ordering::Acquire) == tail
            && self
                .tail
                .compare_exchange_weak(
                    tail,
                    self.layout.next(tail),
                    Ordering::SeqCst,
                    Ordering::Relaxed,
                )
                .is_ok()
        {
            self.write(slot, tail, value);
            return Ok(());
        }
        self.push_slow(value)
    }

    /// Writes `value` into a slot claimed at position `pos` and publishes it.
    #[inline(always)]
    fn write(&self, slot: &Slot<T>, pos: usize, value: T) {
        // SAFETY: callers won the CAS moving `tail` from `pos` while the slot's stamp said
        // "free for `pos`", which gives them sole access to the slot until the stamp below
        // publishes it; the slot holds no value (consumed last lap, or never used).
        slot.value.with_mut(|v| unsafe { (*v).write(value) });
        slot.stamp.store(pos.wrapping_add(1), Ordering::Release);
    }

    /// Takes the value out of a slot claimed at position `pos` and frees it for the next lap.
    #[inline(always)]
    fn take(&self, slot: &Slot<T>, pos: usize) -> T {
        // SAFETY: callers won the CAS moving `head` from `pos` while the slot's stamp said
        // "holds the value written at `pos`", which makes them its only reader; producers stay
        // out until the stamp below frees the slot.
        let value = slot.value.with_mut(|v| unsafe { (*v).assume_init_read() });
        slot.stamp
            .store(pos.wrapping_add(self.layout.one_lap), Ordering::Release);
        value
    }

    #[cold]
    #[inline(never)]
    fn push_slow(&self, value: T) -> Result<(), T> {
        let backoff = Backoff::new();
        let mut tail = self.tail.load(Ordering::Relaxed);
        loop {
            let slot = self.slot(tail);
            let stamp = slot.stamp.load(Ordering::Acquire);
            if stamp == tail {
                let next = self.layout.next(tail);
                match self.tail.compare_exchange_weak(
                    tail,
                    next,
                    Ordering::SeqCst,
                    Ordering::Relaxed,
                ) {
                    Ok(_) => {
                        self.write(slot, tail, value);
                        return Ok(());
                    }
                    Err(current) => {
                        tail = current;
                        backoff.spin();
                    }
                }
            } else if stamp.wrapping_add(self.layout.one_lap) == tail.wrapping_add(1) {
                // The slot still holds last lap's value: full, unless a consumer is taking it.
                fence(Ordering::SeqCst);
                let head = self.head.load(Ordering::Relaxed);
                if head.wrapping_add(self.layout.one_lap) == tail {
                    return Err(value);
                }
                backoff.spin();
                tail = self.tail.load(Ordering::Relaxed);
            } else {
                // Another producer claimed this position and moved on; catch up.
                backoff.snooze();
                tail = self.tail.load(Ordering::Relaxed);
            }
        }
    }

    /// Adds `value` at the back; if the queue is full, removes and returns the oldest value to
    /// make room (ring-buffer semantics). Safe against concurrent `pop`s and `push`es.
    ///
    /// ```
    /// let q = kendall_queue::Queue::new(2);
    /// assert_eq!(q.force_push(1), None);
    /// assert_eq!(q.force_push(2), None);
    /// assert_eq!(q.force_push(3), Some(1));
    /// assert_eq!(q.pop(), Some(2));
    /// ```
    pub fn force_push(&self, value: T) -> Option<T> {
        let backoff = Backoff::new();
        let mut tail = self.tail.load(Ordering::Relaxed);
        loop {
            let slot = self.slot(tail);
            let stamp = slot.stamp.load(Ordering::Acquire);
            let next = self.layout.next(tail);
            if stamp == tail {
                match self.tail.compare_exchange_weak(
                    tail,
                    next,
                    Ordering::SeqCst,
                    Ordering::Relaxed,
                ) {
                    Ok(_) => {
                        self.write(slot, tail, value);
                        return None;
                    }
                    Err(current) => {
                        tail = current;
                        backoff.spin();
                    }
                }
            } else if stamp.wrapping_add(self.layout.one_lap) == tail.wrapping_add(1) {
                // Full (the oldest value sits in our slot): take it over by moving `head` past
                // it, so no consumer can claim it, then move `tail`.
                let head = tail.wrapping_sub(self.layout.one_lap);
                let new_head = next.wrapping_sub(self.layout.one_lap);
                if self
                    .head
                    .compare_exchange_weak(head, new_head, Ordering::SeqCst, Ordering::Relaxed)
                    .is_ok()
                {
                    // Producers see the slot still full and wait for this store; consumers
                    // start at `new_head`. Nobody else touches the slot meanwhile.
                    self.tail.store(next, Ordering::SeqCst);
                    // SAFETY: moving `head` from the slot's position claimed its value for us
                    // (no consumer can win that CAS now), and the stale stamp keeps producers
                    // out until we publish; the slot holds an initialised value (stamp said
                    // full).
                    let old = slot.value.with_mut(|v| unsafe {
                        core::mem::replace(&mut *v, MaybeUninit::new(value)).assume_init()
                    });
                    slot.stamp.store(tail.wrapping_add(1), Ordering::Release);
                    return Some(old);
                }
                backoff.spin();
                tail = self.tail.load(Ordering::Relaxed);
            } else {
                backoff.snooze();
                tail = self.tail.load(Ordering::Relaxed);
            }
        }
    }

    /// Removes the value at the front, or returns `None` if the queue is empty.
    ///
    /// ```
    /// let q = kendall_queue::Queue::new(4);
    /// q.push("x").unwrap();
    /// assert_eq!(q.pop(), Some("x"));
    /// assert_eq!(q.pop(), None);
    /// ```
    #[inline]
    pub fn pop(&self) -> Option<T> {
        // Fast path: the slot at `head` holds its value and nobody races us for it.
        let head = self.head.load(Ordering::Relaxed);
        let slot = self.slot(head);
        if slot.stamp.load(Ordering::Acquire) == head.wrapping_add(1)
            && self
                .head
                .compare_exchange_weak(
                    head,
                    self.layout.next(head),
                    Ordering::SeqCst,
                    Ordering::Relaxed,
                )
                .is_ok()
        {
            return Some(self.take(slot, head));
        }
        self.pop_slow()
    }

    #[cold]
    #[inline(never)]
    fn pop_slow(&self) -> Option<T> {
        let backoff = Backoff::new();
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            let slot = self.slot(head);
            let stamp = slot.stamp.load(Ordering::Acquire);
            if stamp == head.wrapping_add(1) {
                let next = self.layout.next(head);
                match self.head.compare_exchange_weak(
                    head,
                    next,
                    Ordering::SeqCst,
                    Ordering::Relaxed,
                ) {
                    Ok(_) => return Some(self.take(slot, head)),
                    Err(current) => {
                        head = current;
                        backoff.spin();
                    }
                }
            } else if stamp == head {
                // Nothing written here yet: empty, unless a producer is mid-write.
                fence(Ordering::SeqCst);
                let tail = self.tail.load(Ordering::Relaxed);
                if tail == head {
                    return None;
                }
                backoff.spin();
                head = self.head.load(Ordering::Relaxed);
            } else {
                // Another consumer took this position; catch up.
                backoff.snooze();
                head = self.head.load(Ordering::Relaxed);
            }
        }
    }

    /// The maximum number of values the queue holds.
    ///
    /// ```
    /// assert_eq!(kendall_queue::Queue::<()>::new(3).capacity(), 3);
    /// ```
    pub fn capacity(&self) -> usize {
        self.layout.capacity
    }

    /// The number of values in the queue (a snapshot: others may change it at once).
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
            // A consistent pair: `tail` did not move while we read `head`.
            if self.tail.load(Ordering::SeqCst) == tail {
                return self.layout.distance(head, tail);
            }
        }
    }

    /// Whether the queue is empty (a snapshot).
    ///
    /// ```
    /// assert!(kendall_queue::Queue::<u8>::new(1).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        let head = self.head.load(Ordering::SeqCst);
        let tail = self.tail.load(Ordering::SeqCst);
        tail == head
    }

    /// Whether the queue is full (a snapshot).
    ///
    /// ```
    /// let q = kendall_queue::Queue::new(1);
    /// q.push(0).unwrap();
    /// assert!(q.is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        let tail = self.tail.load(Ordering::SeqCst);
        let head = self.head.load(Ordering::SeqCst);
        head.wrapping_add(self.layout.one_lap) == tail
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
        let head = self.head.load(Ordering::Relaxed);
        let tail = self.tail.load(Ordering::Relaxed);
        if head == tail {
            return None;
        }
        self.head.store(self.layout.next(head), Ordering::Relaxed);
        let slot = self.slot(head);
        // SAFETY: `&mut self` rules out other threads, and every position from `head` to
        // `tail` holds a written value (all pushes completed before we got `&mut`).
        let value = slot.value.with_mut(|v| unsafe { (*v).assume_init_read() });
        slot.stamp
            .store(head.wrapping_add(self.layout.one_lap), Ordering::Relaxed);
        Some(value)
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
pub struct IntoIter<T> {
    queue: Queue<T>,
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        self.queue.take_front()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.queue.len();
        (n, Some(n))
    }
}

impl<T> ExactSizeIterator for IntoIter<T> {}

impl<T> IntoIterator for Queue<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;

    fn into_iter(self) -> IntoIter<T> {
        IntoIter { queue: self }
    }
}
