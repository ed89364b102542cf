//! Async sends and receives (feature `async`): plain futures that work on any executor.
//!
//! A pending future registers its task's waker in the same wait lists blocked threads use, so
//! sync and async ends mix freely on one channel. Cancellation is safe: a receive takes a
//! message only inside the `poll` that returns it, and a send either completes in a `poll` or
//! its future still owns the value, which is dropped with it. A dropped future that had already
//! been woken passes the wake-up on, so no other waiter misses it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::rendezvous::Pending;
use super::waiters::{Waiters, Wake};
use super::{Array, Chan, Flavor, Receiver, RecvError, SendError, Sender, TrySend};

impl<T> Sender<T> {
    /// Sends `value`, waiting asynchronously while the channel is full (on a rendezvous
    /// channel, until a receiver waits). Dropping the future before it completes drops the
    /// value, unsent: the value leaves the future only inside the `poll` that returns
    /// `Ready`, so a `select!` branch that lost sent nothing.
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(1);
    /// futures::executor::block_on(async {
    ///     tx.send_async(1).await.unwrap();
    ///     assert_eq!(rx.recv_async().await, Ok(1));
    /// });
    /// ```
    pub fn send_async(&self, value: T) -> SendFuture<'_, T> {
        SendFuture {
            sender: self,
            value: Some(value),
            key: None,
            pending: None,
            missed: false,
        }
    }
}

impl<T> Receiver<T> {
    /// Receives a message, waiting asynchronously while the channel is empty. Dropping the
    /// future before it completes loses no message (safe inside `select!`).
    ///
    /// ```
    /// let (tx, rx) = kendall_queue::bounded(1);
    /// let consumer = std::thread::spawn(move || futures::executor::block_on(rx.recv_async()));
    /// tx.send('x').unwrap();
    /// assert_eq!(consumer.join().unwrap(), Ok('x'));
    /// ```
    pub fn recv_async(&self) -> RecvFuture<'_, T> {
        RecvFuture {
            receiver: self,
            key: None,
            pending: None,
            missed: false,
        }
    }
}

/// The future of [`Sender::send_async`].
#[must_use = "futures do nothing unless polled"]
pub struct SendFuture<'a, T> {
    sender: &'a Sender<T>,
    value: Option<T>,
    /// Registration in the ring flavour's sender list.
    key: Option<u64>,
    /// Registration in the rendezvous flavour.
    pending: Option<Pending<T>>,
    missed: bool,
}

/// The future of [`Receiver::recv_async`].
#[must_use = "futures do nothing unless polled"]
pub struct RecvFuture<'a, T> {
    pub(super) receiver: &'a Receiver<T>,
    key: Option<u64>,
    pending: Option<Pending<T>>,
    missed: bool,
}

// The futures never pin-project into `T`: the value is moved in and out by value only.
impl<T> Unpin for SendFuture<'_, T> {}
impl<T> Unpin for RecvFuture<'_, T> {}

/// Registers `cx`'s waker on `list`, or refreshes an existing registration.
fn register(list: &Waiters, key: &mut Option<u64>, cx: &Context<'_>) {
    match *key {
        Some(k) if list.update(k, cx.waker()) => {}
        _ => *key = Some(list.register(Wake::Task(cx.waker().clone()), None)),
    }
}

fn unregister(list: &Waiters, key: &mut Option<u64>) {
    if let Some(k) = key.take() {
        list.cancel(k);
    }
}

impl<T> SendFuture<'_, T> {
    fn poll_array(&mut self, a: &Array<T>, cx: &Context<'_>) -> Poll<Result<(), SendError<T>>> {
        let chan: &Chan<T> = &self.sender.chan;
        let counters = &self.sender.counters;
        for registered in [false, true] {
            let v = self
                .value
                .take()
                .expect("SendFuture polled after completion");
            match chan.array_try_send(a, v, counters) {
                TrySend::Sent => {
                    unregister(&a.senders, &mut self.key);
                    return Poll::Ready(Ok(()));
                }
                TrySend::Disconnected(v) => {
                    unregister(&a.senders, &mut self.key);
                    return Poll::Ready(Err(SendError(v)));
                }
                TrySend::Full(v) => self.value = Some(v),
            }
            if !self.missed {
                self.missed = true;
                counters.add_missed();
            }
            if !registered {
                // Register, then look once more (the fence in `register` pairs with the
                // receivers' check).
                register(&a.senders, &mut self.key, cx);
            }
        }
        Poll::Pending
    }
}

impl<T> Future for SendFuture<'_, T> {
    type Output = Result<(), SendError<T>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let chan = &this.sender.chan;
        match &chan.flavor {
            Flavor::Array(a) => this.poll_array(a, cx),
            Flavor::Zero(z) => {
                let first = this.pending.is_none();
                let poll = z.poll_send(&chan.tracker, &mut this.pending, &mut this.value, cx);
                if first && poll.is_pending() {
                    this.sender.counters.add_missed();
                }
                poll.map(|r| match r {
                    Ok(()) => {
                        this.sender.counters.add_done(1);
                        Ok(())
                    }
                    Err(v) => Err(SendError(v)),
                })
            }
        }
    }
}

impl<T> Drop for SendFuture<'_, T> {
    #[inline]
    fn drop(&mut self) {
        // Most futures complete without waiting: then there is nothing to undo, and the
        // channel's state need not be read at all.
        if self.key.is_some() || self.pending.is_some() {
            self.withdraw();
        }
    }
}

impl<T> SendFuture<'_, T> {
    /// Withdraws the registration of a future dropped while waiting.
    #[cold]
    #[inline(never)]
    fn withdraw(&mut self) {
        match &self.sender.chan.flavor {
            Flavor::Array(a) => {
                if let Some(k) = self.key.take()
                    && !a.senders.cancel(k)
                {
                    a.senders.pass_on();
                }
            }
            Flavor::Zero(z) => {
                if let Some(p) = self.pending.take() {
                    z.cancel_send(p);
                }
            }
        }
    }
}

impl<T> RecvFuture<'_, T> {
    /// Polls for the next message; `Ready(None)` when disconnected. Reusable after `Ready`
    /// (the stream polls it repeatedly).
    pub(super) fn poll_next_value(&mut self, cx: &Context<'_>) -> Poll<Option<T>> {
        let chan: &Chan<T> = &self.receiver.chan;
        let counters = &self.receiver.counters;
        match &chan.flavor {
            Flavor::Array(a) => {
                for registered in [false, true] {
                    match chan.array_try_recv(a, counters) {
                        Ok(v) => {
                            unregister(&a.receivers, &mut self.key);
                            self.missed = false;
                            return Poll::Ready(Some(v));
                        }
                        Err(true) => {
                            unregister(&a.receivers, &mut self.key);
                            return Poll::Ready(None);
                        }
                        Err(false) => {}
                    }
                    if !self.missed {
                        self.missed = true;
                        counters.add_missed();
                    }
                    if !registered {
                        register(&a.receivers, &mut self.key, cx);
                    }
                }
                Poll::Pending
            }
            Flavor::Zero(z) => {
                let first = self.pending.is_none();
                let poll = z.poll_recv(&chan.tracker, &mut self.pending, cx);
                match poll {
                    Poll::Pending => {
                        if first && !self.missed {
                            self.missed = true;
                            counters.add_missed();
                        }
                        Poll::Pending
                    }
                    Poll::Ready(Ok(v)) => {
                        counters.add_done(1);
                        self.missed = false;
                        Poll::Ready(Some(v))
                    }
                    Poll::Ready(Err(())) => Poll::Ready(None),
                }
            }
        }
    }
}

impl<T> Future for RecvFuture<'_, T> {
    type Output = Result<T, RecvError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.get_mut()
            .poll_next_value(cx)
            .map(|v| v.ok_or(RecvError))
    }
}

impl<T> Drop for RecvFuture<'_, T> {
    #[inline]
    fn drop(&mut self) {
        if self.key.is_some() || self.pending.is_some() {
            self.withdraw();
        }
    }
}

impl<T> RecvFuture<'_, T> {
    /// Withdraws the registration of a future dropped while waiting.
    #[cold]
    #[inline(never)]
    fn withdraw(&mut self) {
        let chan = &self.receiver.chan;
        match &chan.flavor {
            Flavor::Array(a) => {
                if let Some(k) = self.key.take()
                    && !a.receivers.cancel(k)
                {
                    a.receivers.pass_on();
                }
            }
            Flavor::Zero(z) => {
                if let Some(p) = self.pending.take() {
                    z.cancel_recv(&chan.tracker, p);
                }
            }
        }
    }
}

impl<T> std::fmt::Debug for SendFuture<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad("SendFuture { .. }")
    }
}

impl<T> std::fmt::Debug for RecvFuture<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad("RecvFuture { .. }")
    }
}
