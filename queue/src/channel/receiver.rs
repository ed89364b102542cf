//! The receiving end: blocking, non-blocking, timed, tracked and batch receives.

use std::fmt;
use std::time::{Duration, Instant};

use super::stats::Counters;
use super::{Chan, Flavor, Iter, RecvError, RecvTimeoutError, Stats, TryIter, TryRecvError, Work};
use crate::sync::{Arc, Ordering};

/// The receiving end of a channel made by [`bounded`](crate::bounded). Clone it for more
/// consumers (each message goes to exactly one); the channel disconnects for senders when the
/// last clone drops, and the messages still inside are dropped then.
///
/// ```
/// let (tx, rx) = kendall_queue::bounded(4);
/// tx.send('a').unwrap();
/// drop(tx);
/// assert_eq!(rx.recv(), Ok('a'));
/// assert!(rx.recv().is_err()); // empty and disconnected
/// ```
pub struct Receiver<T> {
    pub(super) chan: Arc<Chan<T>>,
    pub(super) counters: Counters,
}

impl<T> Receiver<T> {
    pub(super) fn new(chan: Arc<Chan<T>>) -> Self {
        chan.receiver_count.fetch_add(1, Ordering::Relaxed);
        let counters = chan.registry.join(false);
        Receiver { chan, counters }
    }

    fn work(&self, (value, generation): (T, Option<usize>)) -> Work<T> {
        Work::new(
            value,
            self.chan.tracker.clone(),
            generation.expect("a tracked receive enters a generation"),
        )
    }

    /// Receives a message, waiting while the channel is empty. Fails once the channel is empty
    /// and every sender is gone.
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(1);
    /// std::thread::spawn(move || tx.send(5).unwrap());
    /// assert_eq!(rx.recv(), Ok(5));
    /// ```
    #[inline]
    pub fn recv(&self) -> Result<T, RecvError> {
        match self.chan.recv(None, false, &self.counters) {
            Ok((v, _)) => Ok(v),
            Err(_) => Err(RecvError),
        }
    }

    /// Receives a message if one is ready right now. On a rendezvous channel (`bounded(0)`)
    /// that means a sender thread blocked in `send`: a pending `send_async` hands its value
    /// over only in its own poll, to a receiver that waits (`recv`, `recv_async`), so that a
    /// cancelled send future has sent nothing.
    ///
    /// ```
    /// use kendall_queue::TryRecvError;
    /// let (tx, rx) = kendall_queue::bounded(1);
    /// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    /// tx.send(1).unwrap();
    /// assert_eq!(rx.try_recv(), Ok(1));
    /// ```
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        self.chan.try_recv(false, &self.counters).map(|(v, _)| v)
    }

    /// Receives a message, waiting at most `timeout`.
    ///
    /// ```
    /// use kendall_queue::RecvTimeoutError;
    /// use std::time::Duration;
    /// let (tx, rx) = kendall_queue::bounded::<i32>(1);
    /// assert_eq!(rx.recv_timeout(Duration::from_millis(5)), Err(RecvTimeoutError::Timeout));
    /// drop(tx);
    /// assert_eq!(rx.recv_timeout(Duration::from_millis(5)), Err(RecvTimeoutError::Disconnected));
    /// ```
    pub fn recv_timeout(&self, timeout: Duration) -> Result<T, RecvTimeoutError> {
        match Instant::now().checked_add(timeout) {
            Some(deadline) => self.recv_deadline(deadline),
            None => self.recv().map_err(RecvTimeoutError::from),
        }
    }

    /// Receives a message, waiting until `deadline` at the latest.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// let (tx, rx) = kendall_queue::bounded(1);
    /// tx.send(2).unwrap();
    /// assert_eq!(rx.recv_deadline(Instant::now() + Duration::from_secs(1)), Ok(2));
    /// ```
    pub fn recv_deadline(&self, deadline: Instant) -> Result<T, RecvTimeoutError> {
        self.chan
            .recv(Some(deadline), false, &self.counters)
            .map(|(v, _)| v)
    }

    /// Receives a message as a tracked unit of [`Work`]: [`join`](Self::join) on either end
    /// waits until the guard is dropped or marked [`done`](Work::done).
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(1);
    /// tx.send(10).unwrap();
    /// let work = rx.recv_tracked().unwrap();
    /// assert_eq!(*work + 1, 11);
    /// drop(work); // finished
    /// assert!(tx.join_timeout(std::time::Duration::ZERO));
    /// ```
    pub fn recv_tracked(&self) -> Result<Work<T>, RecvError> {
        match self.chan.recv(None, true, &self.counters) {
            Ok(got) => Ok(self.work(got)),
            Err(_) => Err(RecvError),
        }
    }

    /// [`try_recv`](Self::try_recv), taking the message as tracked [`Work`].
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(1);
    /// assert!(rx.try_recv_tracked().is_err());
    /// tx.send(1).unwrap();
    /// rx.try_recv_tracked().unwrap().done();
    /// ```
    pub fn try_recv_tracked(&self) -> Result<Work<T>, TryRecvError> {
        self.chan
            .try_recv(true, &self.counters)
            .map(|got| self.work(got))
    }

    /// [`recv_timeout`](Self::recv_timeout), taking the message as tracked [`Work`].
    ///
    /// ```
    /// use std::time::Duration;
    /// let (_tx, rx) = kendall_queue::bounded::<u8>(1);
    /// assert!(rx.recv_tracked_timeout(Duration::from_millis(1)).unwrap_err().is_timeout());
    /// ```
    pub fn recv_tracked_timeout(&self, timeout: Duration) -> Result<Work<T>, RecvTimeoutError> {
        let deadline = Instant::now().checked_add(timeout);
        self.chan
            .recv(deadline, true, &self.counters)
            .map(|got| self.work(got))
    }

    /// Waits for at least one message, then moves up to `max` ready messages into `out`
    /// (appended in channel order) without waiting further; returns how many. Ready messages
    /// are claimed in runs (one atomic step per run) and waiting senders are woken once per
    /// run. Fails once the channel is empty and every sender is gone.
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(8);
    /// tx.send_iter(0..5).unwrap();
    /// let mut out = Vec::new();
    /// assert_eq!(rx.recv_into(&mut out, 3), Ok(3));
    /// assert_eq!(rx.recv_into(&mut out, 3), Ok(2));
    /// assert_eq!(out, [0, 1, 2, 3, 4]);
    /// ```
    pub fn recv_into(&self, out: &mut Vec<T>, max: usize) -> Result<usize, RecvError> {
        if max == 0 {
            return Ok(0);
        }
        match &self.chan.flavor {
            Flavor::Array(a) => {
                let mut n = self.chan.pop_batch(a, out, max, &self.counters);
                if n == 0 {
                    self.counters.add_missed();
                    n = a
                        .receivers
                        .block_on(
                            None,
                            || true,
                            || {
                                let n = self.chan.pop_batch(a, out, max, &self.counters);
                                if n > 0 {
                                    Some(Ok(n))
                                } else if self.chan.senders_gone() {
                                    // Everything sent before the flag is visible now.
                                    let n = self.chan.pop_batch(a, out, max, &self.counters);
                                    Some(if n > 0 { Ok(n) } else { Err(RecvError) })
                                } else {
                                    None
                                }
                            },
                        )
                        .expect("no deadline")?;
                }
                Ok(n)
            }
            Flavor::Zero(_) => {
                out.push(self.recv()?);
                let mut n = 1;
                while n < max {
                    match self.try_recv() {
                        Ok(v) => out.push(v),
                        Err(_) => break,
                    }
                    n += 1;
                }
                Ok(n)
            }
        }
    }

    /// Moves up to `max` ready messages into `out` without waiting; returns how many.
    ///
    /// ```
    /// use kendall_queue::TryRecvError;
    /// let (tx, rx) = kendall_queue::bounded(4);
    /// let mut out = Vec::new();
    /// assert_eq!(rx.try_recv_into(&mut out, 4), Err(TryRecvError::Empty));
    /// tx.send(1).unwrap();
    /// assert_eq!(rx.try_recv_into(&mut out, 4), Ok(1));
    /// ```
    pub fn try_recv_into(&self, out: &mut Vec<T>, max: usize) -> Result<usize, TryRecvError> {
        if max == 0 {
            return Ok(0);
        }
        match &self.chan.flavor {
            Flavor::Array(a) => {
                let n = self.chan.pop_batch(a, out, max, &self.counters);
                if n > 0 {
                    return Ok(n);
                }
                if self.chan.senders_gone() {
                    let n = self.chan.pop_batch(a, out, max, &self.counters);
                    return if n > 0 {
                        Ok(n)
                    } else {
                        Err(TryRecvError::Disconnected)
                    };
                }
                self.counters.add_missed();
                Err(TryRecvError::Empty)
            }
            Flavor::Zero(_) => {
                let mut n = 0;
                while n < max {
                    match self.try_recv() {
                        Ok(v) => out.push(v),
                        Err(e) if n == 0 => return Err(e),
                        Err(_) => break,
                    }
                    n += 1;
                }
                Ok(n)
            }
        }
    }

    /// A blocking iterator over messages; it ends when the channel is empty and every sender
    /// is gone.
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(4);
    /// tx.send(1).unwrap();
    /// tx.send(2).unwrap();
    /// drop(tx);
    /// assert_eq!(rx.iter().collect::<Vec<_>>(), [1, 2]);
    /// ```
    pub fn iter(&self) -> Iter<'_, T> {
        Iter { receiver: self }
    }

    /// An iterator over the messages ready now; it never blocks.
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(4);
    /// tx.send(1).unwrap();
    /// assert_eq!(rx.try_iter().collect::<Vec<_>>(), [1]); // tx still alive: no blocking
    /// ```
    pub fn try_iter(&self) -> TryIter<'_, T> {
        TryIter { receiver: self }
    }

    /// The number of messages in the channel (a snapshot).
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(3);
    /// tx.send(()).unwrap();
    /// assert_eq!(rx.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.chan.len()
    }

    /// Whether the channel is empty (a snapshot; always `true` for `bounded(0)`).
    ///
    /// ```
    /// let (_tx, rx) = kendall_queue::bounded::<u8>(3);
    /// assert!(rx.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.chan.is_empty()
    }

    /// Whether the channel is full (a snapshot; always `true` for `bounded(0)`).
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(1);
    /// tx.send(()).unwrap();
    /// assert!(rx.is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        self.chan.is_full()
    }

    /// The channel's capacity; always `Some` (as in crossbeam-channel's bounded channels).
    ///
    /// ```
    /// let (_tx, rx) = kendall_queue::bounded::<u8>(0);
    /// assert_eq!(rx.capacity(), Some(0));
    /// ```
    pub fn capacity(&self) -> Option<usize> {
        Some(self.chan.capacity())
    }

    /// Whether both receivers belong to the same channel.
    ///
    /// ```
    /// let (_tx, rx) = kendall_queue::bounded::<u8>(1);
    /// assert!(rx.same_channel(&rx.clone()));
    /// ```
    pub fn same_channel(&self, other: &Receiver<T>) -> bool {
        Arc::ptr_eq(&self.chan, &other.chan)
    }

    /// A snapshot of the channel's metrics (see [`Stats`]).
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(2);
    /// tx.send(1).unwrap();
    /// rx.recv().unwrap();
    /// assert_eq!(rx.stats().received, 1);
    /// ```
    pub fn stats(&self) -> Stats {
        self.chan.stats()
    }

    /// Blocks until every message sent before this call has been received and, if tracked,
    /// finished (see [`Sender::join`](crate::Sender::join)).
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(2);
    /// tx.send(1).unwrap();
    /// let work = rx.recv_tracked().unwrap();
    /// let rx2 = rx.clone();
    /// let joiner = std::thread::spawn(move || rx2.join());
    /// work.done();
    /// joiner.join().unwrap();
    /// ```
    pub fn join(&self) {
        self.chan.join(None);
    }

    /// Like [`join`](Self::join), waiting at most `timeout`; `true` if all that work is
    /// finished.
    ///
    /// ```
    /// let (_tx, rx) = kendall_queue::bounded::<u8>(1);
    /// assert!(rx.join_timeout(std::time::Duration::ZERO)); // nothing was sent
    /// ```
    pub fn join_timeout(&self, timeout: Duration) -> bool {
        self.chan.join(Instant::now().checked_add(timeout))
    }

    /// Samples one message in `every` for the sojourn-time histogram (1, the default, records
    /// every message; 0 counts as 1). Feature `latency`.
    ///
    /// ```
    /// let (_tx, rx) = kendall_queue::bounded::<u8>(1);
    /// rx.set_latency_sampling(100);
    /// ```
    #[cfg(feature = "latency")]
    pub fn set_latency_sampling(&self, every: usize) {
        self.chan
            .sample_every
            .store(every.max(1), Ordering::Relaxed);
    }

    /// The sojourn time (send to receive) of the sampled messages so far, in nanoseconds,
    /// merged over every receiver. Feature `latency`.
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(4);
    /// tx.send(1).unwrap();
    /// rx.recv().unwrap();
    /// let h = rx.latency();
    /// assert_eq!(h.len(), 1);
    /// assert!(h.max() > 0);
    /// ```
    #[cfg(feature = "latency")]
    pub fn latency(&self) -> hdrhistogram::Histogram<u64> {
        self.chan.registry.sojourn()
    }
}

impl<T> Chan<T> {
    /// Pops up to `max` ready values into `out`; counts and wakes once per call.
    pub(super) fn pop_batch(
        &self,
        a: &super::Array<T>,
        out: &mut Vec<T>,
        max: usize,
        counters: &Counters,
    ) -> usize {
        // Skipped slots stepped over (a batch left them unfilled): room for senders too.
        let mut freed = 0;
        #[cfg(not(feature = "latency"))]
        let n = {
            let taken = core::mem::take(out);
            let mut raw = core::mem::ManuallyDrop::new(taken);
            let (ptr, len, cap) = (raw.as_mut_ptr(), raw.len(), raw.capacity());
            // SAFETY: `Envelope<T>` is `repr(transparent)` over `T`, so the allocation and
            // every element are valid as `Envelope<T>`; the original `Vec` was forgotten
            // (`ManuallyDrop`), so the buffer has exactly one owner.
            let mut envelopes =
                unsafe { Vec::from_raw_parts(ptr.cast::<super::Envelope<T>>(), len, cap) };
            let n = a.queue.pop_into_counting(&mut envelopes, max, &mut freed);
            let mut raw = core::mem::ManuallyDrop::new(envelopes);
            let (ptr, len, cap) = (raw.as_mut_ptr(), raw.len(), raw.capacity());
            // SAFETY: as above, in the other direction.
            *out = unsafe { Vec::from_raw_parts(ptr.cast::<T>(), len, cap) };
            n
        };
        #[cfg(feature = "latency")]
        let n = {
            let mut envelopes = Vec::new();
            let n = a.queue.pop_into_counting(&mut envelopes, max, &mut freed);
            out.extend(envelopes.into_iter().map(|e| self.open(e, counters)));
            n
        };
        if n > 0 {
            counters.add_ring_done(n as u64);
        }
        if n + freed > 0 {
            a.senders.notify_after_op(n + freed);
        }
        n
    }
}

impl<T> Clone for Receiver<T> {
    fn clone(&self) -> Self {
        Receiver::new(self.chan.clone())
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        self.chan.registry.leave(false, &self.counters);
        if self.chan.receiver_count.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.chan.disconnect_receivers();
        }
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad("Receiver { .. }")
    }
}
