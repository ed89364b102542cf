//! Batch operations: claim a run of slots with one compare-and-swap.
//!
//! A run is checked slot by slot first (each stamp must say "free for this position" or "holds
//! the value written at this position"), then claimed by moving the counter over the whole
//! run at once. A checked slot cannot change state before the claim: only the thread that
//! moves the counter past its position may touch it, and the CAS fails if anyone did.

use alloc::vec::Vec;

use super::Queue;
use crate::sync::{Backoff, Ordering, fence};

impl<T> Queue<T> {
    /// Pushes values from `iter` until it is exhausted or the queue is full; returns how many
    /// were pushed. Values not pushed stay in the iterator. Free slots are claimed in runs with
    /// one atomic step per run, which is much cheaper than one [`push`](Queue::push) per value.
    ///
    /// # Panics
    ///
    /// If the iterator yields fewer items than its `len()` promised and the slots claimed for
    /// the missing items cannot be handed back.
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
                        pushed += self.fill(tail, run, iter);
                        tail = pos;
                        continue;
                    }
                    Err(current) => {
                        tail = current;
                        backoff.spin();
                        continue;
                    }
                }
            }
            // The slot at `tail` is not free: full, or others are mid-operation.
            if stamp.wrapping_add(self.layout.one_lap) == tail.wrapping_add(1) {
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

    /// Writes `run` claimed slots from `start` with values from `iter`; returns how many.
    fn fill<I: Iterator<Item = T>>(&self, start: usize, run: usize, iter: &mut I) -> usize {
        let mut pos = start;
        for written in 0..run {
            let Some(value) = iter.next() else {
                self.give_back(pos, run - written);
                return written;
            };
            // The CAS that moved `tail` over this run claimed each of its slots, every one
            // checked free (stamp == position) just before the claim.
            self.write(self.slot(pos), pos, value);
            pos = self.layout.next(pos);
        }
        run
    }

    /// Returns `unused` claimed-but-unwritten slots starting at `pos` (the iterator lied about
    /// its length). Possible only while no other producer has claimed past them.
    #[cold]
    fn give_back(&self, pos: usize, unused: usize) {
        let end = self.layout.advance(pos, unused);
        if self
            .tail
            .compare_exchange(end, pos, Ordering::SeqCst, Ordering::Relaxed)
            .is_err()
        {
            panic!("push_iter: the iterator yielded fewer items than its len() promised");
        }
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
        let mut popped = 0;
        let backoff = Backoff::new();
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            let want = (max - popped).min(self.layout.capacity);
            if want == 0 {
                return popped;
            }
            let mut run = 0;
            let mut pos = head;
            let mut stamp = 0;
            while run < want {
                stamp = self.slot(pos).stamp.load(Ordering::Acquire);
                if stamp != pos.wrapping_add(1) {
                    break;
                }
                run += 1;
                pos = self.layout.next(pos);
            }
            if run > 0 {
                match self.head.compare_exchange_weak(
                    head,
                    pos,
                    Ordering::SeqCst,
                    Ordering::Relaxed,
                ) {
                    Ok(_) => {
                        out.reserve(run);
                        let mut at = head;
                        for _ in 0..run {
                            // The CAS that moved `head` over this run claimed each of its
                            // slots, every one checked full (stamp == position + 1) just
                            // before the claim.
                            out.push(self.take(self.slot(at), at));
                            at = self.layout.next(at);
                        }
                        popped += run;
                        head = pos;
                        continue;
                    }
                    Err(current) => {
                        head = current;
                        backoff.spin();
                        continue;
                    }
                }
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
