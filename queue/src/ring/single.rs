//! One value at a time: `push`, `force_push` and `pop`.
//!
//! Each has an inlined fast path (one stamp check, one compare-and-swap) and a cold slow path
//! that handles contention, a full or empty ring, and slots skipped by a batch push.

use core::mem::MaybeUninit;

use super::Queue;
use super::layout::{FULL, SKIP};
use crate::sync::{Backoff, Ordering, fence};

impl<T> Queue<T> {
    /// Adds `value` at the back, or gives it back in `Err` if the queue is full.
    ///
    /// ```
    /// let q = kendall_queue::Queue::new(1);
    /// assert_eq!(q.push(1), Ok(()));
    /// assert_eq!(q.push(2), Err(2));
    /// ```
    #[inline]
    pub fn push(&self, value: T) -> Result<(), T> {
        match self.push_fast(value) {
            Ok(()) => Ok(()),
            Err((value, _, _)) => self.push_slow(value),
        }
    }

    /// The fast path of `push` and `push_free`: the slot at `tail` is free and nobody races
    /// us for it. Otherwise the value comes back with the tail and the stamp it read.
    #[inline(always)]
    fn push_fast(&self, value: T) -> Result<(), (T, usize, usize)> {
        let tail = self.tail.load(Ordering::Relaxed);
        let slot = self.slot(tail);
        let stamp = slot.stamp.load(Ordering::Acquire);
        if stamp == tail
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
        Err((value, tail, stamp))
    }

    #[cfg(any(feature = "std", test))] // for the channel only
    /// `push` for a caller that will wait anyway if the queue is full (the channel's blocking
    /// send): when the slot at the tail still holds last lap's value it gives `value` back at
    /// once, without the fence and the read of the consumers' `head` that tell "full" from "a
    /// consumer is taking it" (see [`pop_written`](Self::pop_written)).
    #[inline]
    pub(crate) fn push_free(&self, value: T) -> Result<(), T> {
        // `push`'s fast path, with one more way out.
        match self.push_fast(value) {
            Ok(()) => Ok(()),
            Err((value, tail, stamp)) if self.occupied_last_lap(stamp, tail) => Err(value),
            Err((value, _, _)) => self.push_slow(value),
        }
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
            } else if self.occupied_last_lap(stamp, tail) {
                // Full, unless a consumer is taking the slot right now.
                fence(Ordering::SeqCst);
                let head = self.head.load(Ordering::Relaxed);
                if head.wrapping_add(self.layout.one_lap) == tail {
                    return Err(value);
                }
                // Snooze, not spin: the consumer we wait for may have been preempted between
                // its claim and its release, and on a busy machine it needs this core.
                backoff.snooze();
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
            } else if self.occupied_last_lap(stamp, tail) {
                // Full (the oldest position sits in our slot): take it over by moving `head`
                // past it, so no consumer can claim it, then move `tail`.
                let head = tail.wrapping_sub(self.layout.one_lap);
                let new_head = next.wrapping_sub(self.layout.one_lap);
                if self
                    .head
                    .compare_exchange_weak(head, new_head, Ordering::SeqCst, Ordering::Relaxed)
                    .is_ok()
                {
                    // Producers see the slot still occupied and wait for this store; consumers
                    // start at `new_head`. Nobody else touches the slot meanwhile.
                    self.tail.store(next, Ordering::SeqCst);
                    let held_value = stamp == head.wrapping_add(FULL);
                    // SAFETY: moving `head` from the slot's position claimed it for us (no
                    // consumer can win that CAS now), and the stale stamp keeps producers out
                    // until we publish. The slot holds an initialised value iff its stamp said
                    // FULL (a SKIP slot was never written).
                    let old = slot.value.with_mut(|v| unsafe {
                        let old = core::mem::replace(&mut *v, MaybeUninit::new(value));
                        held_value.then(|| old.assume_init())
                    });
                    slot.stamp.store(tail.wrapping_add(FULL), Ordering::Release);
                    if !held_value {
                        self.passed_skips(1);
                    }
                    return old;
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
        self.pop_counting(&mut 0)
    }

    /// `pop`, adding to `freed` the slots a batch push skipped that it stepped over (and so
    /// freed for producers): the channel must wake senders for them as for taken values.
    #[inline]
    pub(crate) fn pop_counting(&self, freed: &mut usize) -> Option<T> {
        match self.pop_fast() {
            Ok(value) => Some(value),
            Err(_) => self.pop_slow(freed),
        }
    }

    /// The fast path of the pops: the slot at `head` holds its value and nobody races us for
    /// it. Otherwise the head and the stamp it read.
    #[inline(always)]
    fn pop_fast(&self) -> Result<T, (usize, usize)> {
        let head = self.head.load(Ordering::Relaxed);
        let slot = self.slot(head);
        let stamp = slot.stamp.load(Ordering::Acquire);
        if stamp == head.wrapping_add(FULL)
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
            return Ok(self.take(slot, head));
        }
        Err((head, stamp))
    }

    #[cfg(any(feature = "std", test))] // for the channel only
    /// `pop` for a caller that will wait anyway if it gets nothing (the channel's blocking
    /// receive): when the slot at the head has not been written yet it returns `None` at
    /// once, without the fence and the read of the producers' `tail` that tell "empty" from
    /// "a producer is mid-write". Where waiting hands values over one at a time, that read
    /// moved the producers' line to the consumer and back for every message.
    /// Like [`pop_counting`](Self::pop_counting), it adds the skipped slots it freed to `freed`.
    #[inline]
    pub(crate) fn pop_written(&self, freed: &mut usize) -> Option<T> {
        // `pop`'s fast path, with one more way out.
        match self.pop_fast() {
            Ok(value) => Some(value),
            Err((head, stamp)) if stamp == head => None,
            Err(_) => self.pop_slow(freed),
        }
    }

    #[cold]
    #[inline(never)]
    fn pop_slow(&self, freed: &mut usize) -> Option<T> {
        let backoff = Backoff::new();
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            let slot = self.slot(head);
            let stamp = slot.stamp.load(Ordering::Acquire);
            let full = stamp == head.wrapping_add(FULL);
            if full || stamp == head.wrapping_add(SKIP) {
                let next = self.layout.next(head);
                match self.head.compare_exchange_weak(
                    head,
                    next,
                    Ordering::SeqCst,
                    Ordering::Relaxed,
                ) {
                    Ok(_) if full => return Some(self.take(slot, head)),
                    Ok(_) => {
                        // A skipped slot: free it and look at the next one.
                        self.release(slot, head);
                        self.passed_skips(1);
                        *freed += 1;
                        head = next;
                    }
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
                // Snooze, not spin: the producer may have been preempted mid-write.
                backoff.snooze();
                head = self.head.load(Ordering::Relaxed);
            } else {
                // Another consumer took this position; catch up.
                backoff.snooze();
                head = self.head.load(Ordering::Relaxed);
            }
        }
    }
}
