//! Work tracking, the `task_done`/`join` model of Python's `queue.Queue`.
//!
//! A receiver may take a message as tracked [`Work`]: the work counts as unfinished until the
//! guard is dropped or [`Work::done`] is called. `join` waits in two phases:
//!
//! 1. until every message sent before the call has left the channel. On a buffered channel
//!    `join` reads the ring's tail position: each send that completed before the call claimed
//!    a position below it, and they have all been taken (or displaced by `force_send`) once
//!    the head passes it, whatever order concurrent producers finished in (slots a failed
//!    batch left unfilled are skipped by receivers, which `send_iter` wakes for it; the tail
//!    never moves back). If the last receiver leaves, the head it
//!    saw before draining the ring decides (so receivers that took everything and then left
//!    still satisfy `join`). On a rendezvous channel a send completes only when a receiver
//!    has the value, so the counters suffice.
//! 2. until every piece of tracked work *entered* before the end of phase 1 is finished. Work
//!    is counted in one of two generations (an epoch scheme): `join` flips the epoch and waits
//!    for the old generation's count to fall to zero. A tracked receive enters its generation
//!    *before* it claims the value, so a value taken during phase 1 is always covered.
//!
//! Untracked receives count as finished on receipt and touch none of this. Both phases poll
//! with a sleeping back-off (at most 1 ms between looks) rather than being woken: `join` is
//! not latency-critical, and polling keeps the send and receive paths free of any join
//! bookkeeping.

use std::time::{Duration, Instant};

use crossbeam_utils::CachePadded;

use crate::sync::{Arc, AtomicUsize, Mutex, Ordering, lock, thread};

/// The shared state of work tracking on one channel.
pub(crate) struct Tracker {
    epoch: AtomicUsize,
    active: [CachePadded<AtomicUsize>; 2],
    /// Serialises epoch flips between concurrent joins.
    flips: Mutex<()>,
}

impl Tracker {
    pub(crate) fn new() -> Self {
        Tracker {
            epoch: AtomicUsize::new(0),
            active: [
                CachePadded::new(AtomicUsize::new(0)),
                CachePadded::new(AtomicUsize::new(0)),
            ],
            flips: Mutex::new(()),
        }
    }

    /// Counts one piece of work as started; returns its generation.
    pub(crate) fn enter(&self) -> usize {
        loop {
            let epoch = self.epoch.load(Ordering::SeqCst);
            let generation = epoch & 1;
            self.active[generation].fetch_add(1, Ordering::SeqCst);
            if self.epoch.load(Ordering::SeqCst) == epoch {
                return generation;
            }
            // A join flipped the epoch meanwhile: count in the new generation instead.
            self.active[generation].fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Counts one piece of work of `generation` as finished.
    pub(crate) fn leave(&self, generation: usize) {
        self.active[generation].fetch_sub(1, Ordering::SeqCst);
    }

    /// Phase 2 of `join`: waits until all work entered so far is finished.
    pub(crate) fn drain(&self, deadline: Option<Instant>, gone: &dyn Fn() -> bool) -> bool {
        let _flip = lock(&self.flips);
        let epoch = self.epoch.load(Ordering::SeqCst);
        // The other generation's counter is reused after the flip: it must be empty first.
        if !poll_until(deadline, gone, || {
            self.active[(epoch + 1) & 1].load(Ordering::SeqCst) == 0
        }) {
            return false;
        }
        self.epoch.store(epoch + 1, Ordering::SeqCst);
        poll_until(deadline, gone, || {
            self.active[epoch & 1].load(Ordering::SeqCst) == 0
        })
    }
}

/// Waits for `ready` with a sleeping back-off (join is not latency-critical, and polling keeps
/// the receive path free of any join bookkeeping). `false` at the deadline or when `gone`.
pub(crate) fn poll_until(
    deadline: Option<Instant>,
    gone: &dyn Fn() -> bool,
    ready: impl Fn() -> bool,
) -> bool {
    let mut nap = Duration::from_micros(5);
    loop {
        if ready() {
            return true;
        }
        if gone() {
            return false;
        }
        let mut sleep = nap;
        if let Some(d) = deadline {
            let now = Instant::now();
            if now >= d {
                return ready();
            }
            sleep = sleep.min(d - now);
        }
        thread::park_timeout(sleep);
        nap = (nap * 2).min(Duration::from_millis(1));
    }
}

/// A message taken as a tracked unit of work: it counts as unfinished until this guard is
/// dropped or [`done`](Work::done) is called. Dereferences to the message.
///
/// ```
/// let (tx, rx) = kendall_queue::bounded(4);
/// tx.send(String::from("job")).unwrap();
/// let work = rx.recv_tracked().unwrap();
/// assert_eq!(work.len(), 3); // `Work<String>` dereferences to the `String`
/// assert!(!tx.join_timeout(std::time::Duration::from_millis(1))); // still in progress
/// work.done();
/// tx.join(); // returns: everything sent has been received and finished
/// ```
pub struct Work<T> {
    value: T,
    token: WorkDone,
}

/// The "finished" mark of a [`Work`], separated from its value by [`Work::into_parts`]: the
/// work counts as finished when this is dropped or [`done`](WorkDone::done) is called.
///
/// ```
/// let (tx, rx) = kendall_queue::bounded(1);
/// tx.send(vec![1, 2]).unwrap();
/// let (values, token) = rx.recv_tracked().unwrap().into_parts();
/// let total: i32 = values.into_iter().sum(); // the value is owned now
/// token.done();
/// assert_eq!(total, 3);
/// ```
pub struct WorkDone {
    tracker: Option<Arc<Tracker>>,
    generation: usize,
}

impl<T> Work<T> {
    pub(crate) fn new(value: T, tracker: Arc<Tracker>, generation: usize) -> Self {
        Work {
            value,
            token: WorkDone {
                tracker: Some(tracker),
                generation,
            },
        }
    }

    /// Marks the work finished (same as dropping the guard).
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(1);
    /// tx.send(1).unwrap();
    /// rx.recv_tracked().unwrap().done();
    /// assert!(rx.join_timeout(std::time::Duration::ZERO));
    /// ```
    pub fn done(self) {}

    /// Splits the guard into the owned message and its "finished" mark.
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(1);
    /// tx.send('m').unwrap();
    /// let (m, done) = rx.recv_tracked().unwrap().into_parts();
    /// assert_eq!(m, 'm');
    /// drop(done);
    /// ```
    pub fn into_parts(self) -> (T, WorkDone) {
        (self.value, self.token)
    }
}

impl WorkDone {
    /// Marks the work finished (same as dropping the token).
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(1);
    /// tx.send(()).unwrap();
    /// rx.recv_tracked().unwrap().into_parts().1.done();
    /// ```
    pub fn done(self) {}
}

impl Drop for WorkDone {
    fn drop(&mut self) {
        if let Some(tracker) = self.tracker.take() {
            tracker.leave(self.generation);
        }
    }
}

impl<T> core::ops::Deref for Work<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> core::ops::DerefMut for Work<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.value
    }
}

impl<T: core::fmt::Debug> core::fmt::Debug for Work<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("Work").field(&self.value).finish()
    }
}

impl core::fmt::Debug for WorkDone {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.pad("WorkDone { .. }")
    }
}
