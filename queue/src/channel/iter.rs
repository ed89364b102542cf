//! Iterators over a [`Receiver`]: blocking ([`Iter`], [`IntoIter`]) and non-blocking
//! ([`TryIter`]), as in crossbeam-channel.

use std::fmt;
use std::iter::FusedIterator;

use super::Receiver;

/// A blocking iterator over a borrowed receiver, from [`Receiver::iter`]: ends when the
/// channel is empty and every sender is gone.
///
/// ```
/// let (tx, rx) = kendall_queue::bounded(2);
/// tx.send(1).unwrap();
/// drop(tx);
/// for v in &rx {
///     assert_eq!(v, 1);
/// }
/// ```
pub struct Iter<'a, T> {
    pub(super) receiver: &'a Receiver<T>,
}

/// A non-blocking iterator from [`Receiver::try_iter`]: ends at the first empty look.
///
/// ```
/// let (_tx, rx) = kendall_queue::bounded::<u8>(2);
/// assert_eq!(rx.try_iter().next(), None);
/// ```
pub struct TryIter<'a, T> {
    pub(super) receiver: &'a Receiver<T>,
}

/// A blocking iterator that owns the receiver (from `IntoIterator for Receiver`).
///
/// ```
/// let (tx, rx) = kendall_queue::bounded(2);
/// tx.send(1).unwrap();
/// drop(tx);
/// assert_eq!(rx.into_iter().collect::<Vec<_>>(), [1]);
/// ```
pub struct IntoIter<T> {
    receiver: Receiver<T>,
}

impl<T> Iterator for Iter<'_, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.receiver.recv().ok()
    }
}

// Once `recv` reports the disconnection it always will (senders never come back), so the
// blocking iterators stay ended, as crossbeam-channel's do. `TryIter` is not fused: it ends
// at the first empty look, and a later call may find a value.
impl<T> FusedIterator for Iter<'_, T> {}

impl<T> Iterator for TryIter<'_, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.receiver.try_recv().ok()
    }
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.receiver.recv().ok()
    }
}

impl<T> FusedIterator for IntoIter<T> {}

impl<'a, T> IntoIterator for &'a Receiver<T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T> IntoIterator for Receiver<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;
    fn into_iter(self) -> IntoIter<T> {
        IntoIter { receiver: self }
    }
}

impl<T> fmt::Debug for Iter<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad("Iter { .. }")
    }
}

impl<T> fmt::Debug for TryIter<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad("TryIter { .. }")
    }
}

impl<T> fmt::Debug for IntoIter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad("IntoIter { .. }")
    }
}
