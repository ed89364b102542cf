//! Batch operations: claim a run of slots with one compare-and-swap.
//!
//! A run is checked slot by slot first (each stamp must say "free for this position", or "holds
//! the value written at this position"), then claimed by moving the counter over the whole run
//! at once. A checked slot cannot change state before the claim: only the thread that moves the
//! counter past its position may touch it, and the CAS fails if anyone did.
//!
//! A batch push claims slots before it pulls values from the iterator. If the iterator runs dry
//! early (its `len()` was wrong) or panics, the claimed slots it could not fill are marked
//! *skipped*: consumers step over them. The queue stays sound whatever the iterator does.
//! (Handing them back by moving `tail` back is not safe: a `force_push` that found the ring
//! full claims its position through `head` and then stores `tail`, and would store it over the
//! hand-back, leaving a position nobody ever writes.)

use alloc::vec::Vec;

use super::Queue;
use super::layout::{FULL, SKIP};
use crate::sync::{Backoff, Ordering, fence};

impl<T> Queue<T> {
    /// Pushes values from `iter` until it is exhausted or the queue is full; returns how many
    /// were pushed. Values not pushed stay in the iterator. Free slots are claimed in runs with
    /// one atomic step per run, which is much cheaper than one [`push`](Queue::push) per value.
    ///
    /// If the iterator yields fewer items than its `len()` promised, or panics, the slots
    /// claimed for the missing items are skipped by consumers (and counted by
    /// [`len`](Queue::len) until then); nothing is lost or duplicated.
    ///
    /// ```
    /// let q = kendall_queue::Queue::new(3);
    /// let mut values = vec![1, 2, 3, 4].into_iter();
    /// assert_eq!(q.push_iter(&mut values), 3);
    /// assert_eq!(values.next(), Some(4)); // did not fit
    /// assert_eq!(q.pop(), Some(1));
    /// ```
    pub fn push_iter<I>(&self, iter: &mut I) -> usize
    where
        I: ExactSizeIterator<Item = T>,
    {
        let mut pushed = 0;
        let backoff = Backoff::new();
        let mut tail = self.tail.load(Ordering::Relaxed);
        loop {
            let want = iter.len().min(self.layout.capacity);
            if want == 0 {
                return pushed;
            }
            // Count the free run starting at `tail`.
            let mut run = 0;
            let mut pos = tail;
            let mut stamp = 0;
            while run < want {
                stamp = self.slot(pos).stamp.load(Ordering::Acquire);
                if stamp != pos {
                    break;
                }
                run += 1;
                pos = self.layout.next(pos);
            }
            if run > 0 {
                match self.tail.compare_exchange_weak(
                    tail,
                    pos,
                    Ordering::SeqCst,
                    Ordering::Relaxed,
                ) {
                    Ok(_) => {
                        let written = self.fill(tail, run, iter);
                        pushed += written;
                        if written < run {
                            return pushed; // the iterator ran dry
                        }
                        tail = pos;
                    }
                    Err(current) => {
                        tail = current;
                        backoff.spin();
                    }
                }
                continue;
            }
            // The slot at `tail` is not free: full, or others are mid-operation.
            if self.occupied_last_lap(stamp, tail) {
                fence(Ordering::SeqCst);
                let head = self.head.load(Ordering::Relaxed);
                if head.wrapping_add(self.layout.one_lap) == tail {
                    return pushed;
                }
                backoff.spin();
            } else {
                backoff.snooze();
            }
            tail = self.tail.load(Ordering::Relaxed);
        }
    }

    /// Writes `run` slots claimed from `start` with values from `iter`; returns how many. Slots
    /// left unwritten (the iterator ran dry or panicked) are marked skipped.
    fn fill<I: Iterator<Item = T>>(&self, start: usize, run: usize, iter: &mut I) -> usize {
        /// Marks the claimed slots not yet written as skipped; also during unwinding.
        struct Unfilled<'a, T> {
            queue: &'a Queue<T>,
            pos: usize,
            left: usize,
        }
        impl<T> Drop for Unfilled<'_, T> {
            fn drop(&mut self) {
                if self.left > 0 {
                    // Counted before the marks are visible, so never behind the passes.
                    self.queue
                        .skips
                        .marked
                        .fetch_add(self.left, Ordering::SeqCst);
                }
                for _ in 0..self.left {
                    let slot = self.queue.slot(self.pos);
                    slot.stamp
                        .store(self.pos.wrapping_add(SKIP), Ordering::Release);
                    self.pos = self.queue.layout.next(self.pos);
                }
            }
        }
        let mut unfilled = Unfilled {
            queue: self,
            pos: start,
            left: run,
        };
        while unfilled.left > 0 {
            let Some(value) = iter.next() else { break };
            // The CAS that moved `tail` over this run claimed each of its slots, every one
            // checked free (stamp == position) just before the claim.
            self.write(self.slot(unfilled.pos), unfilled.pos, value);
            unfilled.pos = self.layout.next(unfilled.pos);
            unfilled.left -= 1;
        }
        run - unfilled.left
    }

    /// Pops up to `max` values into `out` (appended in queue order); returns how many. Ready
    /// values are claimed in runs with one atomic step per run.
    ///
    /// ```
    /// let q = kendall_queue::Queue::new(8);
    /// for i in 0..5 {
    ///     q.push(i).unwrap();
    /// }
    /// let mut out = Vec::new();
    /// assert_eq!(q.pop_into(&mut out, 3), 3);
    /// assert_eq!(out, [0, 1, 2]);
    /// ```
    pub fn pop_into(&self, out: &mut Vec<T>, max: usize) -> usize {
        self.pop_into_counting(out, max, &mut 0)
    }

    /// `pop_into`, adding to `freed` the skipped slots it stepped over (see
    /// [`pop_counting`](Self::pop_counting)).
    pub(crate) fn pop_into_counting(
        &self,
        out: &mut Vec<T>,
        max: usize,
        freed: &mut usize,
    ) -> usize {
        let mut popped = 0;
        let backoff = Backoff::new();
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            let want = (max - popped).min(self.layout.capacity);
            if want == 0 {
                return popped;
            }
            // Count the run of full (or skipped) slots starting at `head`.
            let mut run = 0;
            let mut pos = head;
            let mut stamp = 0;
            while run < want {
                stamp = self.slot(pos).stamp.load(Ordering::Acquire);
                if stamp != pos.wrapping_add(FULL) && stamp != pos.wrapping_add(SKIP) {
                    break;
                }
                run += 1;
                pos = self.layout.next(pos);
            }
            if run > 0 {
                // Before the claim: a panic in the allocation (capacity overflow) must not
                // leave claimed slots that nobody empties.
                out.reserve(run);
                match self.head.compare_exchange_weak(
                    head,
                    pos,
                    Ordering::SeqCst,
                    Ordering::Relaxed,
                ) {
                    Ok(_) => {
                        let mut at = head;
                        let mut skipped = 0;
                        for _ in 0..run {
                            // The CAS that moved `head` over this run claimed each of its
                            // slots, every one checked full or skipped just before the claim;
                            // the Acquire load of the scan already saw its final stamp.
                            let slot = self.slot(at);
                            if slot.stamp.load(Ordering::Relaxed) == at.wrapping_add(FULL) {
                                out.push(self.take(slot, at));
                                popped += 1;
                            } else {
                                self.release(slot, at);
                                skipped += 1;
                            }
                            at = self.layout.next(at);
                        }
                        if skipped > 0 {
                            self.passed_skips(skipped);
                            *freed += skipped;
                        }
                        head = pos;
                    }
                    Err(current) => {
                        head = current;
                        backoff.spin();
                    }
                }
                continue;
            }
            if stamp == head {
                fence(Ordering::SeqCst);
                let tail = self.tail.load(Ordering::Relaxed);
                if tail == head {
                    return popped;
                }
                backoff.spin();
            } else {
                backoff.snooze();
            }
            head = self.head.load(Ordering::Relaxed);
        }
    }
}
