//! The channel: `bounded(capacity)` returns a [`Sender`] and a [`Receiver`] that share one
//! [`Chan`], with the names and semantics of `crossbeam-channel`'s bounded channel.
//!
//! A positive capacity uses the lock-free [`Queue`] plus two wait lists (receivers waiting for
//! a value, senders waiting for a slot); capacity zero uses the rendezvous flavour. This file
//! holds the shared state and the operations both ends build on.

mod array;
mod errors;
mod iter;
mod receiver;
mod rendezvous;
mod sender;
mod stats;
mod tracking;
mod waiters;

#[cfg(feature = "async")]
mod async_ops;
#[cfg(feature = "latency")]
mod latency;
#[cfg(feature = "async")]
mod stream;

use std::time::Instant;

use crossbeam_utils::CachePadded;

use crate::Queue;
use crate::sync::{Arc, AtomicBool, AtomicUsize, Ordering};

pub use errors::{
    RecvError, RecvTimeoutError, SendError, SendTimeoutError, TryRecvError, TrySendError,
};
pub use iter::{IntoIter, Iter, TryIter};
pub use receiver::Receiver;
pub use sender::Sender;
pub use stats::Stats;
pub use tracking::{Work, WorkDone};

#[cfg(feature = "async")]
pub use async_ops::{RecvFuture, SendFuture};
#[cfg(feature = "async")]
pub use stream::RecvStream;

use array::Array;
use rendezvous::Rendezvous;
use stats::{Counters, Registry};
use tracking::Tracker;

#[cfg(feature = "latency")]
use latency::Envelope;

/// What the ring stores: just the message (the `latency` feature adds a send instant).
#[cfg(not(feature = "latency"))]
#[repr(transparent)]
struct Envelope<T> {
    value: T,
}

#[cfg(not(feature = "latency"))]
impl<T> Envelope<T> {
    #[inline(always)]
    fn stamp(value: T, _sample: bool) -> Self {
        Envelope { value }
    }
}

/// Creates a channel holding at most `capacity` messages; `bounded(0)` is a rendezvous
/// channel where each send waits for a receiver to take the value.
///
/// ```
/// use std::thread;
///
/// let (tx, rx) = kendall_queue::bounded(16);
/// let producer = thread::spawn(move || {
///     for i in 0..100 {
///         tx.send(i).unwrap();
///     }
///     // `tx` drops here: the receiver drains what is left, then its loop ends.
/// });
/// let total: u64 = rx.iter().sum();
/// producer.join().unwrap();
/// assert_eq!(total, 4950);
/// ```
pub fn bounded<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    let chan = Arc::new(Chan::new(capacity));
    let tx = Sender::new(chan.clone());
    let rx = Receiver::new(chan);
    (tx, rx)
}

/// std's name for [`Sender`], so that code written for `std::sync::mpsc::sync_channel` compiles
/// with only its `use` line changed.
pub type SyncSender<T> = Sender<T>;

/// [`bounded`] under std's name: code written for `std::sync::mpsc::sync_channel` compiles and
/// behaves the same with only its `use` line changed. What differs: the [`Receiver`] can also
/// be cloned and shared between threads, which only widens what compiles; and the text of the
/// errors and ends is crossbeam-channel's, so log lines change wording ("sending on a
/// disconnected channel" where std says "closed", `"SendError(..)"` where std's `Debug` prints
/// `SendError { .. }`).
///
/// ```
/// use kendall_queue::{sync_channel, SyncSender, TrySendError}; // was: use std::sync::mpsc::…
/// use std::thread;
///
/// let (tx, rx) = sync_channel(1);
/// let producer = thread::spawn(move || {
///     let tx: SyncSender<i32> = tx;
///     tx.send(1).unwrap();
///     tx.send(2).unwrap(); // waits until the receiver takes 1
/// });
/// assert_eq!(rx.recv(), Ok(1));
/// assert_eq!(rx.recv(), Ok(2));
/// producer.join().unwrap();
///
/// let (tx, _rx) = sync_channel(0); // rendezvous: nobody is receiving yet
/// assert_eq!(tx.try_send('x'), Err(TrySendError::Full('x')));
/// ```
pub fn sync_channel<T>(bound: usize) -> (SyncSender<T>, Receiver<T>) {
    bounded(bound)
}

// The channel lives once, in an `Arc`: boxing the ring would only add a pointer chase.
#[allow(clippy::large_enum_variant)]
enum Flavor<T> {
    Array(Array<T>),
    Zero(Rendezvous<T>),
}

/// The state both ends share.
pub(crate) struct Chan<T> {
    flavor: Flavor<T>,
    /// Read on every send and receive, written only at disconnection.
    flags: CachePadded<Flags>,
    sender_count: AtomicUsize,
    receiver_count: AtomicUsize,
    tracker: Arc<Tracker>,
    registry: Registry,
    /// Sample one message in this many for the sojourn histogram.
    #[cfg(feature = "latency")]
    sample_every: AtomicUsize,
}

struct Flags {
    senders_gone: AtomicBool,
    receivers_gone: AtomicBool,
}

/// Outcome of one non-blocking send attempt.
enum TrySend<T> {
    Sent,
    Full(T),
    Disconnected(T),
}

impl<T> Chan<T> {
    fn new(capacity: usize) -> Self {
        let flavor = match Queue::try_new(capacity) {
            Ok(queue) => Flavor::Array(Array::new(queue)),
            Err(_) => Flavor::Zero(Rendezvous::new()),
        };
        Chan {
            flavor,
            flags: CachePadded::new(Flags {
                senders_gone: AtomicBool::new(false),
                receivers_gone: AtomicBool::new(false),
            }),
            sender_count: AtomicUsize::new(0),
            receiver_count: AtomicUsize::new(0),
            tracker: Arc::new(Tracker::new()),
            registry: Registry::new(),
            #[cfg(feature = "latency")]
            sample_every: AtomicUsize::new(1),
        }
    }

    fn capacity(&self) -> usize {
        match &self.flavor {
            Flavor::Array(a) => a.queue.capacity(),
            Flavor::Zero(_) => 0,
        }
    }

    fn len(&self) -> usize {
        match &self.flavor {
            Flavor::Array(a) => a.queue.len(),
            Flavor::Zero(_) => 0,
        }
    }

    fn is_empty(&self) -> bool {
        match &self.flavor {
            Flavor::Array(a) => a.queue.is_empty(),
            Flavor::Zero(_) => true,
        }
    }

    fn is_full(&self) -> bool {
        match &self.flavor {
            Flavor::Array(a) => a.queue.is_full(),
            Flavor::Zero(_) => true,
        }
    }

    #[inline(always)]
    fn receivers_gone(&self) -> bool {
        self.flags.receivers_gone.load(Ordering::Acquire)
    }

    #[inline(always)]
    fn senders_gone(&self) -> bool {
        self.flags.senders_gone.load(Ordering::SeqCst)
    }

    /// Whether this send should carry a timestamp for the sojourn histogram.
    #[inline(always)]
    fn sample(&self, counters: &Counters) -> bool {
        #[cfg(feature = "latency")]
        {
            let every = self.sample_every.load(Ordering::Relaxed).max(1);
            counters.done.get().is_multiple_of(every as u64)
        }
        #[cfg(not(feature = "latency"))]
        {
            let _ = counters;
            false
        }
    }

    /// Unwraps a received envelope, recording its sojourn if it was stamped.
    #[inline(always)]
    fn open(&self, envelope: Envelope<T>, counters: &Counters) -> T {
        #[cfg(feature = "latency")]
        if let Some(sent) = envelope.sent {
            counters.sojourn.record(sent);
        }
        #[cfg(not(feature = "latency"))]
        let _ = counters;
        envelope.value
    }

    /// One non-blocking send on the ring flavour.
    #[inline(always)]
    fn array_try_send(&self, a: &Array<T>, value: T, counters: &Counters) -> TrySend<T> {
        self.array_send_once::<false>(a, value, counters)
    }

    /// One send on the ring flavour; with `WAITS` (a blocking send's first try, which waits
    /// on `Full`) a slot still occupied reads as full without asking whether a receiver is
    /// taking it right now (`Queue::push_free`).
    #[inline(always)]
    fn array_send_once<const WAITS: bool>(
        &self,
        a: &Array<T>,
        value: T,
        counters: &Counters,
    ) -> TrySend<T> {
        if self.receivers_gone() {
            return TrySend::Disconnected(value);
        }
        let envelope = Envelope::stamp(value, self.sample(counters));
        let pushed = if WAITS {
            a.queue.push_free(envelope)
        } else {
            a.queue.push(envelope)
        };
        match pushed {
            Ok(()) => {
                counters.add_ring_done(1);
                a.receivers.notify_after_op(1);
                TrySend::Sent
            }
            Err(envelope) => TrySend::Full(envelope.value),
        }
    }

    /// One non-blocking receive on the ring flavour: `Err(true)` when disconnected.
    #[inline(always)]
    fn array_try_recv(&self, a: &Array<T>, counters: &Counters) -> Result<T, bool> {
        self.array_recv_once::<false>(a, counters)
    }

    /// One receive on the ring flavour; with `WAITS` (a blocking receive's first try, which
    /// waits on `Err(false)`) a slot not yet written reads as empty without asking whether a
    /// sender is writing it right now (`Queue::pop_written`). Disconnection is exact either
    /// way.
    #[inline(always)]
    fn array_recv_once<const WAITS: bool>(
        &self,
        a: &Array<T>,
        counters: &Counters,
    ) -> Result<T, bool> {
        let mut freed = 0;
        let popped = if WAITS {
            a.queue.pop_written(&mut freed)
        } else {
            a.queue.pop_counting(&mut freed)
        };
        if freed != 0 {
            // Stepped over slots a batch left unfilled: room for a sender, as a take is.
            a.senders.notify_after_op(freed);
        }
        match popped {
            Some(envelope) => Ok(self.took(a, envelope, counters)),
            None => {
                if !self.senders_gone() {
                    return Err(false);
                }
                // Every send happened before the flag was set: one more look drains them.
                match a.queue.pop() {
                    Some(envelope) => Ok(self.took(a, envelope, counters)),
                    None => Err(true),
                }
            }
        }
    }

    #[inline(always)]
    fn took(&self, a: &Array<T>, envelope: Envelope<T>, counters: &Counters) -> T {
        counters.add_ring_done(1);
        a.senders.notify_after_op(1);
        self.open(envelope, counters)
    }

    /// Blocking send until `deadline`. Small enough to inline: the waits and the rendezvous
    /// flavour are out of line.
    #[inline(always)]
    fn send(
        &self,
        value: T,
        deadline: Option<Instant>,
        counters: &Counters,
    ) -> Result<(), SendTimeoutError<T>> {
        match &self.flavor {
            Flavor::Array(a) => {
                let value = match self.array_send_once::<true>(a, value, counters) {
                    TrySend::Sent => return Ok(()),
                    TrySend::Disconnected(v) => return Err(SendTimeoutError::Disconnected(v)),
                    TrySend::Full(v) => v,
                };
                self.array_send_wait(a, value, deadline, counters)
            }
            Flavor::Zero(z) => self.zero_send(z, value, deadline, counters),
        }
    }

    #[inline(never)]
    fn zero_send(
        &self,
        z: &Rendezvous<T>,
        value: T,
        deadline: Option<Instant>,
        counters: &Counters,
    ) -> Result<(), SendTimeoutError<T>> {
        use rendezvous::SendFailure as F;
        let value = match z.try_send(&self.tracker, value) {
            Ok(()) => {
                counters.add_done(1);
                return Ok(());
            }
            Err(F::Disconnected(v)) => return Err(SendTimeoutError::Disconnected(v)),
            Err(F::Full(v) | F::Timeout(v)) => v,
        };
        counters.add_missed();
        match z.send(&self.tracker, value, deadline) {
            Ok(()) => {
                counters.add_done(1);
                Ok(())
            }
            Err(F::Disconnected(v)) => Err(SendTimeoutError::Disconnected(v)),
            Err(F::Full(v) | F::Timeout(v)) => Err(SendTimeoutError::Timeout(v)),
        }
    }

    /// A ring receive that may wait: the first attempt for a tracked receive (an untracked one
    /// has made it inline), then the wait.
    #[inline(never)]
    fn array_recv_wait(
        &self,
        a: &Array<T>,
        deadline: Option<Instant>,
        tracked: bool,
        counters: &Counters,
    ) -> Result<(T, Option<usize>), RecvTimeoutError> {
        let attempt = || {
            let generation = tracked.then(|| self.tracker.enter());
            match self.array_try_recv(a, counters) {
                Ok(v) => Some(Ok((v, generation))),
                Err(gone) => {
                    if let Some(g) = generation {
                        self.tracker.leave(g);
                    }
                    gone.then_some(Err(RecvTimeoutError::Disconnected))
                }
            }
        };
        if tracked && let Some(r) = attempt() {
            return r;
        }
        counters.add_missed();
        a.receivers
            .block_on(deadline, a.value_hint(self, counters), attempt)
            .unwrap_or(Err(RecvTimeoutError::Timeout))
    }

    /// A ring send that found the ring full: the wait, out of line like the receivers'.
    #[inline(never)]
    fn array_send_wait(
        &self,
        a: &Array<T>,
        value: T,
        deadline: Option<Instant>,
        counters: &Counters,
    ) -> Result<(), SendTimeoutError<T>> {
        counters.add_missed();
        let mut slot = Some(value);
        let outcome = a.senders.block_on(deadline, a.room_hint(self), || {
            let v = slot.take()?;
            match self.array_try_send(a, v, counters) {
                TrySend::Sent => Some(Ok(())),
                TrySend::Disconnected(v) => Some(Err(v)),
                TrySend::Full(v) => {
                    slot = Some(v);
                    None
                }
            }
        });
        match outcome {
            Some(Ok(())) => Ok(()),
            Some(Err(v)) => Err(SendTimeoutError::Disconnected(v)),
            None => Err(SendTimeoutError::Timeout(
                slot.take().expect("a timed-out send still holds its value"),
            )),
        }
    }

    fn try_send(&self, value: T, counters: &Counters) -> Result<(), TrySendError<T>> {
        let outcome = match &self.flavor {
            Flavor::Array(a) => self.array_try_send(a, value, counters),
            Flavor::Zero(z) => match z.try_send(&self.tracker, value) {
                Ok(()) => {
                    counters.add_done(1);
                    TrySend::Sent
                }
                Err(rendezvous::SendFailure::Disconnected(v)) => TrySend::Disconnected(v),
                Err(rendezvous::SendFailure::Full(v) | rendezvous::SendFailure::Timeout(v)) => {
                    TrySend::Full(v)
                }
            },
        };
        match outcome {
            TrySend::Sent => Ok(()),
            TrySend::Full(v) => {
                counters.add_missed();
                Err(TrySendError::Full(v))
            }
            TrySend::Disconnected(v) => Err(TrySendError::Disconnected(v)),
        }
    }

    /// Receives until `deadline`; with `tracked`, also enters the work's generation (before
    /// taking the value, see `tracking`) and returns it.
    #[inline(always)]
    fn recv(
        &self,
        deadline: Option<Instant>,
        tracked: bool,
        counters: &Counters,
    ) -> Result<(T, Option<usize>), RecvTimeoutError> {
        match &self.flavor {
            Flavor::Array(a) => {
                // The common case inline; the closure the wait needs stays out of line.
                if !tracked {
                    match self.array_recv_once::<true>(a, counters) {
                        Ok(v) => return Ok((v, None)),
                        Err(true) => return Err(RecvTimeoutError::Disconnected),
                        Err(false) => {}
                    }
                }
                self.array_recv_wait(a, deadline, tracked, counters)
            }
            Flavor::Zero(z) => self.zero_recv(z, deadline, tracked, counters),
        }
    }

    #[inline(never)]
    fn zero_recv(
        &self,
        z: &Rendezvous<T>,
        deadline: Option<Instant>,
        tracked: bool,
        counters: &Counters,
    ) -> Result<(T, Option<usize>), RecvTimeoutError> {
        use rendezvous::RecvFailure as F;
        let got = match z.try_recv(&self.tracker, tracked) {
            Ok(got) => Ok(got),
            Err(F::Disconnected) => return Err(RecvTimeoutError::Disconnected),
            Err(F::Empty | F::Timeout) => {
                counters.add_missed();
                z.recv(&self.tracker, tracked, deadline)
            }
        };
        match got {
            Ok(got) => {
                counters.add_done(1);
                Ok(got)
            }
            Err(F::Disconnected) => Err(RecvTimeoutError::Disconnected),
            Err(F::Empty | F::Timeout) => Err(RecvTimeoutError::Timeout),
        }
    }

    fn try_recv(
        &self,
        tracked: bool,
        counters: &Counters,
    ) -> Result<(T, Option<usize>), TryRecvError> {
        let got = match &self.flavor {
            Flavor::Array(a) => {
                let generation = tracked.then(|| self.tracker.enter());
                match self.array_try_recv(a, counters) {
                    Ok(v) => Ok((v, generation)),
                    Err(gone) => {
                        if let Some(g) = generation {
                            self.tracker.leave(g);
                        }
                        Err(if gone {
                            TryRecvError::Disconnected
                        } else {
                            TryRecvError::Empty
                        })
                    }
                }
            }
            Flavor::Zero(z) => match z.try_recv(&self.tracker, tracked) {
                Ok(got) => {
                    counters.add_done(1);
                    Ok(got)
                }
                Err(rendezvous::RecvFailure::Disconnected) => Err(TryRecvError::Disconnected),
                Err(_) => Err(TryRecvError::Empty),
            },
        };
        if matches!(got, Err(TryRecvError::Empty)) {
            counters.add_missed();
        }
        got
    }

    /// Waits until every message sent before the call is received and its work finished.
    fn join(&self, deadline: Option<Instant>) -> bool {
        let gone = || self.flags.receivers_gone.load(Ordering::SeqCst);
        let received = match &self.flavor {
            // Every send that completed before this call claimed a ring position below the
            // tail read now; they are all received (or displaced) once the head passes it.
            Flavor::Array(a) => {
                let (_, target) = a.queue.claimed();
                let reached = |pos: usize| a.queue.reached(pos, target);
                let departed = || a.departed_head.load(Ordering::SeqCst);
                // Receivers that left after taking everything sent before the call: done.
                let left_early = || gone() && !reached(departed());
                tracking::poll_until(deadline, &left_early, || {
                    let (head, _) = a.queue.claimed();
                    // The last receiver drains the ring as it leaves, which moves the head
                    // too; the drain follows the flag, so a head read before the flag was
                    // seen unset counts only real receives.
                    if gone() {
                        reached(departed())
                    } else {
                        reached(head)
                    }
                })
            }
            // A rendezvous send completes only once a receiver has its value, so the counts
            // can only lag, never run ahead.
            Flavor::Zero(_) => {
                let target = self.registry.totals().sent;
                tracking::poll_until(deadline, &gone, || {
                    let t = self.registry.totals();
                    t.received + t.displaced >= target
                })
            }
        };
        received && self.tracker.drain(deadline, &gone)
    }

    fn stats(&self) -> Stats {
        // The handles' counts first: what they include has already moved the ring's positions.
        let t = self.registry.totals();
        let (sent, received) = match &self.flavor {
            Flavor::Array(a) if stats::TOTALS_FROM_POSITIONS => {
                // `displaced` (in `t`) was read before the ring and `drained` is read after
                // it: each is counted on its own side of the head's move, so neither a
                // displaced nor a dropped value can pass for a received one at rest.
                let (pushed, popped) = a.queue.counts();
                let drained = a.drained.load(Ordering::SeqCst);
                (pushed, popped.saturating_sub(t.displaced + drained))
            }
            _ => (t.sent, t.received),
        };
        let (parks, wakeups) = match &self.flavor {
            Flavor::Array(a) => (
                a.receivers.parks() + a.senders.parks(),
                a.receivers.wakeups() + a.senders.wakeups(),
            ),
            Flavor::Zero(_) => (0, 0),
        };
        Stats {
            len: self.len(),
            capacity: self.capacity(),
            sent,
            received,
            displaced: t.displaced,
            full_on_send: t.full_on_send,
            empty_on_recv: t.empty_on_recv,
            parks,
            wakeups,
        }
    }

    /// The last sender left: receivers drain what is left, then see the disconnection.
    fn disconnect_senders(&self) {
        self.flags.senders_gone.store(true, Ordering::SeqCst);
        match &self.flavor {
            Flavor::Array(a) => a.receivers.notify_all(),
            Flavor::Zero(z) => z.disconnect(),
        }
    }

    /// The last receiver left: senders fail from now on, and what is queued is dropped now.
    fn disconnect_receivers(&self) {
        if let Flavor::Array(a) = &self.flavor {
            a.departed_head.store(a.queue.claimed().0, Ordering::SeqCst);
        }
        self.flags.receivers_gone.store(true, Ordering::SeqCst);
        match &self.flavor {
            Flavor::Array(a) => {
                a.senders.notify_all();
                loop {
                    // Counted before the pop, taken back if there was nothing: `stats` reads
                    // this after the head, so it never sees a dropped value as received.
                    a.drained.fetch_add(1, Ordering::SeqCst);
                    if a.queue.pop().is_none() {
                        a.drained.fetch_sub(1, Ordering::SeqCst);
                        break;
                    }
                }
            }
            Flavor::Zero(z) => {
                z.disconnect();
                z.discard();
            }
        }
    }
}
