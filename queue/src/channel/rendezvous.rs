//! The zero-capacity flavour, `bounded(0)`: a send completes only when a receiver takes the
//! value, as in crossbeam-channel and std's `sync_channel(0)`.
//!
//! One lock guards two queues of waiting parties. Each waiter owns a [`Packet`]: a value slot
//! and a state that the other side flips (under the lock) when it completes the hand-off or
//! when the channel disconnects. A thread waiter spins on that state briefly, then parks.
//!
//! A pending async send offers no value: its future keeps the value, and a receiver that
//! starts waiting wakes it ("nudges" it) to hand the value over in its own poll. A value
//! therefore moves only inside a `poll` that returns `Ready`, so a dropped send future has
//! sent nothing, as on the ring flavour. The price: `try_recv` does not see async senders.

use std::collections::VecDeque;
#[cfg(feature = "async")]
use std::task::{Context, Poll};
use std::time::Instant;

use super::tracking::Tracker;
use super::waiters::Wake;
use crate::sync::{Arc, AtomicU8, AtomicUsize, Mutex, MutexGuard, Ordering, lock, thread};

const WAITING: u8 = 0;
const DONE: u8 = 1;
const CLOSED: u8 = 2;
/// An async sender taken off the queue and woken because a receiver now waits.
#[cfg(feature = "async")]
const NUDGED: u8 = 3;
/// `Packet::generation` of a receiver that does not track its work.
const UNTRACKED: usize = usize::MAX;

/// One waiting party's side of a hand-off.
pub(crate) struct Packet<T> {
    state: AtomicU8,
    value: Mutex<Option<T>>,
    /// For a tracked receiver: the tracking generation entered at hand-off.
    generation: AtomicUsize,
}

impl<T> Packet<T> {
    fn new(value: Option<T>, tracked: bool) -> Arc<Self> {
        Arc::new(Packet {
            state: AtomicU8::new(WAITING),
            value: Mutex::new(value),
            generation: AtomicUsize::new(if tracked { 0 } else { UNTRACKED }),
        })
    }

    fn take(&self) -> Option<T> {
        lock(&self.value).take()
    }
}

struct Waiting<T> {
    key: u64,
    packet: Arc<Packet<T>>,
    wake: Wake,
    /// An async sender: it offers no value, and waits to be nudged.
    intent: bool,
}

struct Inner<T> {
    senders: VecDeque<Waiting<T>>,
    receivers: VecDeque<Waiting<T>>,
    /// Values handed to an async receiver that was then dropped: the next receiver takes them.
    orphans: VecDeque<T>,
    disconnected: bool,
    next_key: u64,
}

/// The outcome of a completed hand-off on the receiving side: the value and, if tracked, the
/// generation its work was entered in.
pub(crate) type Received<T> = (T, Option<usize>);

/// A pending registration of an async sender or receiver.
#[cfg(feature = "async")]
pub(crate) struct Pending<T> {
    key: u64,
    packet: Arc<Packet<T>>,
}

pub(crate) struct Rendezvous<T> {
    inner: Mutex<Inner<T>>,
}

/// What a sender gets back when the hand-off did not happen.
pub(crate) enum SendFailure<T> {
    Full(T),
    Timeout(T),
    Disconnected(T),
}

/// Why a receive did not happen.
pub(crate) enum RecvFailure {
    Empty,
    Timeout,
    Disconnected,
}

impl<T> Rendezvous<T> {
    pub(crate) fn new() -> Self {
        Rendezvous {
            inner: Mutex::new(Inner {
                senders: VecDeque::new(),
                receivers: VecDeque::new(),
                orphans: VecDeque::new(),
                disconnected: false,
                next_key: 0,
            }),
        }
    }

    /// Hands `value` to the first waiting receiver, if any (with the lock held).
    fn hand_over(inner: &mut Inner<T>, tracker: &Tracker, value: T) -> Result<Waiting<T>, T> {
        let Some(r) = inner.receivers.pop_front() else {
            return Err(value);
        };
        if r.packet.generation.load(Ordering::Relaxed) != UNTRACKED {
            r.packet
                .generation
                .store(tracker.enter(), Ordering::Relaxed);
        }
        *lock(&r.packet.value) = Some(value);
        r.packet.state.store(DONE, Ordering::Release);
        Ok(r)
    }

    /// Sends if a receiver is waiting right now.
    pub(crate) fn try_send(&self, tracker: &Tracker, value: T) -> Result<(), SendFailure<T>> {
        let mut inner = lock(&self.inner);
        if inner.disconnected {
            return Err(SendFailure::Disconnected(value));
        }
        match Self::hand_over(&mut inner, tracker, value) {
            Ok(r) => {
                drop(inner);
                r.wake.wake();
                Ok(())
            }
            Err(value) => Err(SendFailure::Full(value)),
        }
    }

    /// Sends, waiting for a receiver until `deadline`.
    pub(crate) fn send(
        &self,
        tracker: &Tracker,
        value: T,
        deadline: Option<Instant>,
    ) -> Result<(), SendFailure<T>> {
        let (key, packet) = {
            let mut inner = lock(&self.inner);
            if inner.disconnected {
                return Err(SendFailure::Disconnected(value));
            }
            match Self::hand_over(&mut inner, tracker, value) {
                Ok(r) => {
                    drop(inner);
                    r.wake.wake();
                    return Ok(());
                }
                Err(value) => {
                    let packet = Packet::new(Some(value), false);
                    let key = Self::enqueue(
                        &mut inner,
                        true,
                        &packet,
                        Wake::Thread(thread::current()),
                        false,
                    );
                    (key, packet)
                }
            }
        };
        if wait(&packet.state, deadline) {
            return self.sender_outcome(&packet);
        }
        // Deadline: withdraw the offer unless a receiver took it meanwhile.
        let mut inner = lock(&self.inner);
        if remove(&mut inner.senders, key) {
            drop(inner);
            let value = packet
                .take()
                .expect("a withdrawn offer still holds its value");
            return Err(SendFailure::Timeout(value));
        }
        drop(inner);
        self.sender_outcome(&packet)
    }

    fn sender_outcome(&self, packet: &Packet<T>) -> Result<(), SendFailure<T>> {
        match packet.state.load(Ordering::Acquire) {
            DONE => Ok(()),
            _ => {
                let value = packet.take().expect("a closed offer still holds its value");
                Err(SendFailure::Disconnected(value))
            }
        }
    }

    fn enqueue(
        inner: &mut Inner<T>,
        sender: bool,
        packet: &Arc<Packet<T>>,
        wake: Wake,
        intent: bool,
    ) -> u64 {
        let key = inner.next_key;
        inner.next_key += 1;
        let waiting = Waiting {
            key,
            packet: packet.clone(),
            wake,
            intent,
        };
        if sender {
            inner.senders.push_back(waiting);
        } else {
            inner.receivers.push_back(waiting);
        }
        key
    }

    /// Queues a receiver, nudges an async sender to serve it, and unlocks: its key.
    fn wait_as_receiver(
        mut inner: MutexGuard<'_, Inner<T>>,
        packet: &Arc<Packet<T>>,
        wake: Wake,
    ) -> u64 {
        let key = Self::enqueue(&mut inner, false, packet, wake, false);
        let nudged = Self::nudge(&mut inner);
        drop(inner);
        if let Some(w) = nudged {
            w.wake();
        }
        key
    }

    /// Wakes the oldest async sender, if any, to hand its value to a receiver that has just
    /// started waiting (with the lock held; the caller wakes it after unlocking).
    fn nudge(inner: &mut Inner<T>) -> Option<Wake> {
        #[cfg(feature = "async")]
        {
            let at = inner.senders.iter().position(|s| s.intent)?;
            let s = inner.senders.remove(at)?;
            s.packet.state.store(NUDGED, Ordering::Release);
            Some(s.wake)
        }
        #[cfg(not(feature = "async"))]
        {
            let _ = inner;
            None
        }
    }

    /// Takes from an orphan or a waiting sender thread, with the lock held.
    fn take_ready(
        inner: &mut Inner<T>,
        tracker: &Tracker,
        tracked: bool,
    ) -> Option<(Received<T>, Option<Wake>)> {
        let enter = |t: &Tracker| if tracked { Some(t.enter()) } else { None };
        if let Some(v) = inner.orphans.pop_front() {
            return Some(((v, enter(tracker)), None));
        }
        // The oldest sender that offers a value: async senders hand theirs over in their own
        // poll, once nudged.
        let at = inner.senders.iter().position(|s| !s.intent)?;
        let s = inner.senders.remove(at)?;
        let generation = enter(tracker);
        let value = s.packet.take().expect("a waiting sender holds its value");
        s.packet.state.store(DONE, Ordering::Release);
        Some(((value, generation), Some(s.wake)))
    }

    /// Receives if a sender is waiting right now.
    pub(crate) fn try_recv(
        &self,
        tracker: &Tracker,
        tracked: bool,
    ) -> Result<Received<T>, RecvFailure> {
        let mut inner = lock(&self.inner);
        if let Some((got, wake)) = Self::take_ready(&mut inner, tracker, tracked) {
            drop(inner);
            if let Some(w) = wake {
                w.wake();
            }
            return Ok(got);
        }
        if inner.disconnected {
            Err(RecvFailure::Disconnected)
        } else {
            Err(RecvFailure::Empty)
        }
    }

    /// Receives, waiting for a sender until `deadline`.
    pub(crate) fn recv(
        &self,
        tracker: &Tracker,
        tracked: bool,
        deadline: Option<Instant>,
    ) -> Result<Received<T>, RecvFailure> {
        let (key, packet) = {
            let mut inner = lock(&self.inner);
            if let Some((got, wake)) = Self::take_ready(&mut inner, tracker, tracked) {
                drop(inner);
                if let Some(w) = wake {
                    w.wake();
                }
                return Ok(got);
            }
            if inner.disconnected {
                return Err(RecvFailure::Disconnected);
            }
            let packet = Packet::new(None, tracked);
            let key = Self::wait_as_receiver(inner, &packet, Wake::Thread(thread::current()));
            (key, packet)
        };
        if !wait(&packet.state, deadline) {
            let mut inner = lock(&self.inner);
            if remove(&mut inner.receivers, key) {
                return Err(RecvFailure::Timeout);
            }
        }
        Self::receiver_outcome(&packet)
    }

    fn receiver_outcome(packet: &Packet<T>) -> Result<Received<T>, RecvFailure> {
        match packet.state.load(Ordering::Acquire) {
            DONE => {
                let value = packet.take().expect("a completed hand-off holds the value");
                let generation = packet.generation.load(Ordering::Relaxed);
                Ok((value, (generation != UNTRACKED).then_some(generation)))
            }
            _ => Err(RecvFailure::Disconnected),
        }
    }

    /// Closes the channel: every waiting party is told, and new operations fail.
    pub(crate) fn disconnect(&self) {
        let woken: Vec<Wake> = {
            let mut inner = lock(&self.inner);
            inner.disconnected = true;
            let mut all: Vec<Waiting<T>> = inner.senders.drain(..).collect();
            all.extend(inner.receivers.drain(..));
            all.into_iter()
                .map(|w| {
                    w.packet.state.store(CLOSED, Ordering::Release);
                    w.wake
                })
                .collect()
        };
        for w in woken {
            w.wake();
        }
    }

    /// Drops orphaned values (the last receiver left).
    pub(crate) fn discard(&self) {
        let orphans: VecDeque<T> = core::mem::take(&mut lock(&self.inner).orphans);
        drop(orphans);
    }

    #[cfg(feature = "async")]
    /// Async send: hands `value` to a waiting receiver, or queues as an async sender until a
    /// receiver nudges it. `value` stays with the caller until the hand-off.
    pub(crate) fn poll_send(
        &self,
        tracker: &Tracker,
        pending: &mut Option<Pending<T>>,
        value: &mut Option<T>,
        cx: &Context<'_>,
    ) -> Poll<Result<(), T>> {
        let mut inner = lock(&self.inner);
        if let Some(p) = pending {
            match p.packet.state.load(Ordering::Acquire) {
                CLOSED => {
                    drop(inner);
                    *pending = None;
                    return Poll::Ready(Err(value.take().expect("a pending send holds its value")));
                }
                // Still queued: unless a receiver waits now, keep waiting.
                WAITING => {
                    if inner.receivers.is_empty() {
                        update(&mut inner.senders, p.key, cx);
                        return Poll::Pending;
                    }
                    remove(&mut inner.senders, p.key);
                }
                _ => {} // nudged: off the queue, try the hand-off
            }
            *pending = None;
        }
        let v = value.take().expect("polled after completion");
        if inner.disconnected {
            return Poll::Ready(Err(v));
        }
        match Self::hand_over(&mut inner, tracker, v) {
            Ok(r) => {
                drop(inner);
                r.wake.wake();
                Poll::Ready(Ok(()))
            }
            Err(v) => {
                *value = Some(v);
                let packet = Packet::new(None, false);
                let key = Self::enqueue(
                    &mut inner,
                    true,
                    &packet,
                    Wake::Task(cx.waker().clone()),
                    true,
                );
                *pending = Some(Pending { key, packet });
                Poll::Pending
            }
        }
    }

    #[cfg(feature = "async")]
    /// A pending async send was dropped (its value goes with the future): withdraw it, and
    /// if a receiver had nudged it, nudge the next async sender instead.
    pub(crate) fn cancel_send(&self, p: Pending<T>) {
        let mut inner = lock(&self.inner);
        if remove(&mut inner.senders, p.key)
            || p.packet.state.load(Ordering::Acquire) != NUDGED
            || inner.receivers.is_empty()
        {
            return;
        }
        let next = Self::nudge(&mut inner);
        drop(inner);
        if let Some(w) = next {
            w.wake();
        }
    }

    #[cfg(feature = "async")]
    /// Async receive.
    pub(crate) fn poll_recv(
        &self,
        tracker: &Tracker,
        pending: &mut Option<Pending<T>>,
        cx: &Context<'_>,
    ) -> Poll<Result<T, ()>> {
        let mut inner = lock(&self.inner);
        if let Some(p) = pending {
            if p.packet.state.load(Ordering::Acquire) == WAITING {
                update(&mut inner.receivers, p.key, cx);
                return Poll::Pending;
            }
            drop(inner);
            let p = pending.take().expect("checked above");
            return Poll::Ready(match Self::receiver_outcome(&p.packet) {
                Ok((v, _)) => Ok(v),
                Err(_) => Err(()),
            });
        }
        if let Some(((v, _), wake)) = Self::take_ready(&mut inner, tracker, false) {
            drop(inner);
            if let Some(w) = wake {
                w.wake();
            }
            return Poll::Ready(Ok(v));
        }
        if inner.disconnected {
            return Poll::Ready(Err(()));
        }
        let packet = Packet::new(None, false);
        let key = Self::wait_as_receiver(inner, &packet, Wake::Task(cx.waker().clone()));
        *pending = Some(Pending { key, packet });
        Poll::Pending
    }

    #[cfg(feature = "async")]
    /// A pending async receive was dropped: withdraw it; a value already handed over goes to
    /// the next receiver, so nothing is lost.
    pub(crate) fn cancel_recv(&self, tracker: &Tracker, p: Pending<T>) {
        let mut inner = lock(&self.inner);
        if remove(&mut inner.receivers, p.key) {
            return;
        }
        let Some(value) = p.packet.take() else {
            return;
        };
        match Self::hand_over(&mut inner, tracker, value) {
            Ok(r) => {
                drop(inner);
                r.wake.wake();
            }
            Err(value) => inner.orphans.push_front(value),
        }
    }
}

/// Removes the waiter with `key`; `false` if it is no longer queued.
fn remove<T>(queue: &mut VecDeque<Waiting<T>>, key: u64) -> bool {
    match queue.iter().position(|w| w.key == key) {
        Some(at) => {
            queue.remove(at);
            true
        }
        None => false,
    }
}

#[cfg(feature = "async")]
fn update<T>(queue: &mut VecDeque<Waiting<T>>, key: u64, cx: &Context<'_>) {
    if let Some(w) = queue.iter_mut().find(|w| w.key == key) {
        match &w.wake {
            Wake::Task(old) if old.will_wake(cx.waker()) => {}
            _ => w.wake = Wake::Task(cx.waker().clone()),
        }
    }
}

/// Waits for `state` to leave `WAITING`: spins briefly, then parks. `false` at the deadline.
fn wait(state: &AtomicU8, deadline: Option<Instant>) -> bool {
    let done = || state.load(Ordering::Acquire) != WAITING;
    #[cfg(not(loom))]
    if super::waiters::spin(deadline, &mut || true, &mut || done().then_some(())).is_some() {
        return true;
    }
    loop {
        if done() {
            return true;
        }
        match deadline {
            None => thread::park(),
            Some(d) => {
                let now = Instant::now();
                if now >= d {
                    return done();
                }
                thread::park_timeout(d - now);
            }
        }
    }
}
