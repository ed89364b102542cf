//! The sending end: blocking, non-blocking, timed, overwriting and batch sends.

use std::cell::Cell;
use std::fmt;
use std::time::{Duration, Instant};

use super::stats::Counters;
use super::waiters::Waiters;
use super::{Chan, Envelope, Flavor, SendError, SendTimeoutError, Stats, TrySendError};
use crate::sync::{Arc, Ordering};

/// The sending end of a channel made by [`bounded`](crate::bounded). Clone it for more
/// producers; the channel disconnects for receivers when the last clone drops.
///
/// ```
/// let (tx, rx) = kendall_queue::bounded(4);
/// let tx2 = tx.clone();
/// tx.send(1).unwrap();
/// tx2.send(2).unwrap();
/// assert!(tx.same_channel(&tx2));
/// assert_eq!(rx.try_iter().collect::<Vec<_>>(), [1, 2]);
/// ```
pub struct Sender<T> {
    pub(super) chan: Arc<Chan<T>>,
    pub(super) counters: Counters,
}

impl<T> Sender<T> {
    pub(super) fn new(chan: Arc<Chan<T>>) -> Self {
        chan.sender_count.fetch_add(1, Ordering::Relaxed);
        let counters = chan.registry.join(true);
        Sender { chan, counters }
    }

    /// Sends `value`, waiting while the channel is full. Fails, giving the value back, if
    /// every receiver is gone.
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(1);
    /// tx.send("hello").unwrap();
    /// assert_eq!(rx.recv(), Ok("hello"));
    /// drop(rx);
    /// assert_eq!(tx.send("lost").unwrap_err().into_inner(), "lost");
    /// ```
    #[inline]
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        self.chan
            .send(value, None, &self.counters)
            .map_err(|e| SendError(e.into_inner()))
    }

    /// Sends `value` if there is room right now.
    ///
    /// ```
    /// use kendall_queue::TrySendError;
    /// let (tx, rx) = kendall_queue::bounded(1);
    /// assert_eq!(tx.try_send(1), Ok(()));
    /// assert_eq!(tx.try_send(2), Err(TrySendError::Full(2)));
    /// drop(rx);
    /// assert_eq!(tx.try_send(3), Err(TrySendError::Disconnected(3)));
    /// ```
    pub fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        self.chan.try_send(value, &self.counters)
    }

    /// Sends `value`, waiting at most `timeout` for room.
    ///
    /// ```
    /// use std::time::Duration;
    /// let (tx, _rx) = kendall_queue::bounded(1);
    /// tx.send(1).unwrap();
    /// assert!(tx.send_timeout(2, Duration::from_millis(5)).unwrap_err().is_timeout());
    /// ```
    pub fn send_timeout(&self, value: T, timeout: Duration) -> Result<(), SendTimeoutError<T>> {
        match Instant::now().checked_add(timeout) {
            Some(deadline) => self.send_deadline(value, deadline),
            None => self.send(value).map_err(SendTimeoutError::from),
        }
    }

    /// Sends `value`, waiting until `deadline` at the latest for room.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// let (tx, rx) = kendall_queue::bounded(1);
    /// tx.send_deadline(1, Instant::now() + Duration::from_secs(1)).unwrap();
    /// assert_eq!(rx.recv(), Ok(1));
    /// ```
    pub fn send_deadline(&self, value: T, deadline: Instant) -> Result<(), SendTimeoutError<T>> {
        self.chan.send(value, Some(deadline), &self.counters)
    }

    /// Sends `value` without waiting: if the channel is full, the oldest message is removed
    /// and returned to make room (ring-buffer style). On a rendezvous channel with no receiver
    /// waiting, `value` itself is the oldest and comes back.
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(2);
    /// assert_eq!(tx.force_send(1), Ok(None));
    /// assert_eq!(tx.force_send(2), Ok(None));
    /// assert_eq!(tx.force_send(3), Ok(Some(1)));
    /// assert_eq!(rx.try_iter().collect::<Vec<_>>(), [2, 3]);
    /// ```
    pub fn force_send(&self, value: T) -> Result<Option<T>, SendError<T>> {
        match &self.chan.flavor {
            Flavor::Array(a) => {
                if self.chan.receivers_gone() {
                    return Err(SendError(value));
                }
                let envelope = Envelope::stamp(value, self.chan.sample(&self.counters));
                let displaced = a.queue.force_push(envelope);
                self.counters.add_ring_done(1);
                a.receivers.notify_after_op(1);
                Ok(displaced.map(|old| {
                    self.counters.displaced.fetch_add(1, Ordering::Relaxed);
                    old.value
                }))
            }
            Flavor::Zero(_) => match self.try_send(value) {
                Ok(()) => Ok(None),
                Err(TrySendError::Full(v)) => Ok(Some(v)),
                Err(TrySendError::Disconnected(v)) => Err(SendError(v)),
            },
        }
    }

    /// Sends every value of `values` in order, waiting for room as needed. Free slots are
    /// claimed in runs (one atomic step per run) and waiting receivers are woken once per run,
    /// not once per value. If every receiver goes away, the values not sent come back.
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(8);
    /// tx.send_iter(vec![1, 2, 3]).unwrap();
    /// let mut out = Vec::new();
    /// assert_eq!(rx.recv_into(&mut out, 10), Ok(3));
    /// assert_eq!(out, [1, 2, 3]);
    /// ```
    pub fn send_iter<I>(&self, values: I) -> Result<(), SendError<Vec<T>>>
    where
        I: IntoIterator<Item = T>,
        I::IntoIter: ExactSizeIterator,
    {
        let mut values = values.into_iter();
        let a = match &self.chan.flavor {
            Flavor::Array(a) => a,
            Flavor::Zero(_) => {
                for v in values.by_ref() {
                    if let Err(SendError(v)) = self.send(v) {
                        return Err(SendError(core::iter::once(v).chain(values).collect()));
                    }
                }
                return Ok(());
            }
        };
        let counters = &self.counters;
        // Where the handle counts its messages (see `add_ring_done`: 32-bit targets, or the
        // `latency` feature's sampling): every value the iterator yields is written into a
        // slot at once, so counting the yielded values counts the sent ones — also those a
        // panicking iterator published before it panicked, which `push_iter` never returns.
        let sent = SentCount {
            counters,
            yielded: Cell::new(0),
            counted: Cell::new(0),
        };
        let mut envelopes = UntilDry::new(values.map(|v| {
            sent.yielded.set(sent.yielded.get() + 1);
            Envelope::stamp(v, self.chan.sample(counters))
        }));
        // If the iterator panics, values it already published (and slots it left skipped)
        // would otherwise wait for the next send to wake a receiver.
        let _wake = WakeOnUnwind(&a.receivers);
        let push_run = |envelopes: &mut _| {
            let n = a.queue.push_iter(envelopes);
            sent.flush();
            // Also with nothing pushed: an iterator that ran dry early may have left skipped
            // slots that a parked receiver has to step over (one load when nobody waits).
            a.receivers.notify_after_op(n.max(1));
            n
        };
        loop {
            if self.chan.receivers_gone() {
                let unsent = envelopes.map(|e| e.value).collect();
                // Every earlier run is counted; these were yielded to be handed back.
                sent.counted.set(sent.yielded.get());
                return Err(SendError(unsent));
            }
            push_run(&mut envelopes);
            let short = envelopes.len() == 0;
            if envelopes.finished() {
                return Ok(());
            }
            if short {
                // `len` understated: the rest may well fit without waiting.
                continue;
            }
            counters.add_missed();
            a.senders.block_on(None, a.room_hint(&self.chan), || {
                // Disconnection first: a gone receiver must get nothing more pushed.
                let done = self.chan.receivers_gone()
                    || push_run(&mut envelopes) > 0
                    || envelopes.finished();
                done.then_some(())
            });
        }
    }

    /// The number of messages in the channel (a snapshot).
    ///
    /// ```
    /// let (tx, _rx) = kendall_queue::bounded(3);
    /// tx.send(()).unwrap();
    /// assert_eq!(tx.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.chan.len()
    }

    /// Whether the channel is empty (a snapshot; always `true` for `bounded(0)`).
    ///
    /// ```
    /// let (tx, _rx) = kendall_queue::bounded::<u8>(3);
    /// assert!(tx.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.chan.is_empty()
    }

    /// Whether the channel is full (a snapshot; always `true` for `bounded(0)`).
    ///
    /// ```
    /// let (tx, _rx) = kendall_queue::bounded(1);
    /// tx.send(()).unwrap();
    /// assert!(tx.is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        self.chan.is_full()
    }

    /// The channel's capacity; always `Some` (the `Option` matches crossbeam-channel, whose
    /// unbounded channels have none).
    ///
    /// ```
    /// let (tx, _rx) = kendall_queue::bounded::<u8>(5);
    /// assert_eq!(tx.capacity(), Some(5));
    /// ```
    pub fn capacity(&self) -> Option<usize> {
        Some(self.chan.capacity())
    }

    /// Whether both senders belong to the same channel.
    ///
    /// ```
    /// let (a, _) = kendall_queue::bounded::<u8>(1);
    /// let (b, _) = kendall_queue::bounded::<u8>(1);
    /// assert!(a.same_channel(&a.clone()));
    /// assert!(!a.same_channel(&b));
    /// ```
    pub fn same_channel(&self, other: &Sender<T>) -> bool {
        Arc::ptr_eq(&self.chan, &other.chan)
    }

    /// A snapshot of the channel's metrics (see [`Stats`]).
    ///
    /// ```
    /// let (tx, _rx) = kendall_queue::bounded(2);
    /// tx.send(1).unwrap();
    /// assert_eq!(tx.stats().sent, 1);
    /// ```
    pub fn stats(&self) -> Stats {
        self.chan.stats()
    }

    /// Blocks until every message sent before this call has been received and, if taken with
    /// [`recv_tracked`](crate::Receiver::recv_tracked), finished. Returns early if every
    /// receiver goes away. A send still under way when `join` is called (on another thread)
    /// may be waited for too: `join` never returns before what it must wait for, but it may
    /// wait for slightly more.
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(8);
    /// let worker = std::thread::spawn(move || {
    ///     for work in std::iter::from_fn(|| rx.recv_tracked().ok()) {
    ///         assert!(*work < 3); // ... process, then the guard drops: finished
    ///     }
    /// });
    /// tx.send_iter(0..3).unwrap();
    /// tx.join();
    /// drop(tx);
    /// worker.join().unwrap();
    /// ```
    pub fn join(&self) {
        self.chan.join(None);
    }

    /// Like [`join`](Self::join), waiting at most `timeout`: `true` if all that work is
    /// finished, `false` on timeout or if every receiver went away before all of it was
    /// received and finished (conservatively: also if they left while a send racing this call
    /// was still writing a message they would have had to take).
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(1);
    /// tx.send(1).unwrap();
    /// assert!(!tx.join_timeout(std::time::Duration::from_millis(1)));
    /// rx.recv().unwrap(); // an untracked receive finishes on receipt
    /// assert!(tx.join_timeout(std::time::Duration::from_millis(1)));
    /// ```
    pub fn join_timeout(&self, timeout: Duration) -> bool {
        self.chan.join(Instant::now().checked_add(timeout))
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        Sender::new(self.chan.clone())
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        self.chan.registry.leave(true, &self.counters);
        if self.chan.sender_count.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.chan.disconnect_senders();
        }
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad("Sender { .. }")
    }
}

/// Adds the values a `send_iter` batch published to its sender's count (where it keeps one,
/// see `add_ring_done`): after every run, and on unwinding for a run its iterator's panic
/// cut short.
struct SentCount<'a> {
    counters: &'a Counters,
    yielded: Cell<u64>,
    counted: Cell<u64>,
}

impl SentCount<'_> {
    fn flush(&self) {
        let new = self.yielded.get() - self.counted.get();
        if new > 0 {
            self.counters.add_ring_done(new);
            self.counted.set(self.yielded.get());
        }
    }
}

impl Drop for SentCount<'_> {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Keeps a batch's iterator honest about its end. It ends at the first `None`, whatever `len`
/// still claims: an `ExactSizeIterator` that keeps promising values it never yields would
/// otherwise have `send_iter` claim and skip slots for ever. And a batch is over only when
/// the iterator says `None` ([`finished`](Self::finished)): one whose `len` understated would
/// otherwise have its last values dropped unsent behind an `Ok`. Not `Iterator::fuse`: for an
/// iterator that declares itself `FusedIterator`, `Fuse` keeps passing its `len` on after the
/// `None`.
struct UntilDry<I: Iterator> {
    iter: I,
    dry: bool,
    /// A value taken to check that the iterator really ended; yielded first.
    peeked: Option<I::Item>,
}

impl<I: Iterator> UntilDry<I> {
    fn new(iter: I) -> Self {
        UntilDry {
            iter,
            dry: false,
            peeked: None,
        }
    }
}

impl<I: ExactSizeIterator> UntilDry<I> {
    /// Whether every value has been yielded: `len` says so and the iterator confirms it.
    fn finished(&mut self) -> bool {
        if self.len() != 0 {
            return false;
        }
        if self.dry {
            return true;
        }
        match self.iter.next() {
            None => {
                self.dry = true;
                true
            }
            Some(v) => {
                self.peeked = Some(v);
                false
            }
        }
    }
}

impl<I: Iterator> Iterator for UntilDry<I> {
    type Item = I::Item;

    #[inline]
    fn next(&mut self) -> Option<I::Item> {
        if let Some(v) = self.peeked.take() {
            return Some(v);
        }
        if self.dry {
            return None;
        }
        let next = self.iter.next();
        self.dry = next.is_none();
        next
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let p = usize::from(self.peeked.is_some());
        if self.dry {
            (p, Some(p))
        } else {
            let (lo, hi) = self.iter.size_hint();
            (lo.saturating_add(p), hi.and_then(|h| h.checked_add(p)))
        }
    }
}

impl<I: ExactSizeIterator> ExactSizeIterator for UntilDry<I> {
    // The inner `len`, not the default through `size_hint`: an iterator may implement only
    // `len`, and `Map` (which `send_iter` wraps) passes `len` on.
    fn len(&self) -> usize {
        let p = usize::from(self.peeked.is_some());
        if self.dry { p } else { p + self.iter.len() }
    }
}

/// Wakes every waiting receiver when dropped during a panic (see [`Sender::send_iter`]).
struct WakeOnUnwind<'a>(&'a Waiters);

impl Drop for WakeOnUnwind<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.notify_all();
        }
    }
}
