//! `Receiver::stream()`: the receiver as a `futures_core::Stream` (feature `async`).

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_core::stream::FusedStream;

use super::Receiver;
use super::async_ops::RecvFuture;

impl<T> Receiver<T> {
    /// The messages as an async [`Stream`]; it ends when the channel is empty and every
    /// sender is gone. Dropping the stream between items loses nothing.
    ///
    /// ```
    /// use futures::StreamExt;
    /// let (tx, rx) = kendall_queue::bounded(4);
    /// tx.send_iter(1..4).unwrap();
    /// drop(tx);
    /// let total: i32 = futures::executor::block_on(rx.stream().fold(0, |a, b| async move { a + b }));
    /// assert_eq!(total, 6);
    /// ```
    pub fn stream(&self) -> RecvStream<'_, T> {
        RecvStream {
            next: self.recv_async(),
            ended: false,
        }
    }
}

/// The stream of [`Receiver::stream`].
#[must_use = "streams do nothing unless polled"]
pub struct RecvStream<'a, T> {
    next: RecvFuture<'a, T>,
    ended: bool,
}

impl<T> Stream for RecvStream<'_, T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        let poll = this.next.poll_next_value(cx);
        if let Poll::Ready(None) = poll {
            this.ended = true;
        }
        poll
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        // No lower bound: `len` counts slots a batch left unfilled, and other receivers may
        // take what is there first.
        if self.ended { (0, Some(0)) } else { (0, None) }
    }
}

impl<T> FusedStream for RecvStream<'_, T> {
    fn is_terminated(&self) -> bool {
        self.ended
    }
}

impl<T> std::fmt::Debug for RecvStream<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad("RecvStream { .. }")
    }
}
