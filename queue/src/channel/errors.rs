//! The six error types of the channel, matching `crossbeam-channel`'s in names, variants,
//! `Debug`/`Display` text and helper methods, so code that matches on them keeps compiling.

use std::{error, fmt};

/// A [`send`](crate::Sender::send) failed because every receiver is gone; the value comes back.
///
/// ```
/// let (tx, rx) = kendall_queue::bounded(1);
/// drop(rx);
/// let err = tx.send(7).unwrap_err();
/// assert_eq!(err.to_string(), "sending on a disconnected channel");
/// assert_eq!(err.into_inner(), 7);
/// ```
#[derive(PartialEq, Eq, Clone, Copy)]
pub struct SendError<T>(pub T);

/// A [`try_send`](crate::Sender::try_send) failed: the channel was full or disconnected.
///
/// ```
/// use kendall_queue::TrySendError;
/// let (tx, _rx) = kendall_queue::bounded(1);
/// tx.try_send(1).unwrap();
/// assert_eq!(tx.try_send(2), Err(TrySendError::Full(2)));
/// ```
#[derive(PartialEq, Eq, Clone, Copy)]
pub enum TrySendError<T> {
    /// The channel was full; the value comes back.
    Full(T),
    /// Every receiver is gone; the value comes back.
    Disconnected(T),
}

/// A [`send_timeout`](crate::Sender::send_timeout) or
/// [`send_deadline`](crate::Sender::send_deadline) failed.
///
/// ```
/// use kendall_queue::SendTimeoutError;
/// use std::time::Duration;
/// let (tx, _rx) = kendall_queue::bounded(1);
/// tx.send(1).unwrap();
/// let err = tx.send_timeout(2, Duration::from_millis(1)).unwrap_err();
/// assert!(err.is_timeout());
/// assert_eq!(err.into_inner(), 2);
/// ```
#[derive(PartialEq, Eq, Clone, Copy)]
pub enum SendTimeoutError<T> {
    /// No room came free before the deadline; the value comes back.
    Timeout(T),
    /// Every receiver is gone; the value comes back.
    Disconnected(T),
}

/// A [`recv`](crate::Receiver::recv) failed: the channel is empty and every sender is gone.
///
/// ```
/// let (tx, rx) = kendall_queue::bounded::<u8>(1);
/// drop(tx);
/// assert_eq!(rx.recv(), Err(kendall_queue::RecvError));
/// ```
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
pub struct RecvError;

/// A [`try_recv`](crate::Receiver::try_recv) failed.
///
/// ```
/// use kendall_queue::TryRecvError;
/// let (tx, rx) = kendall_queue::bounded::<u8>(1);
/// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
/// drop(tx);
/// assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
/// ```
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
pub enum TryRecvError {
    /// Nothing to take right now.
    Empty,
    /// Empty, and every sender is gone.
    Disconnected,
}

/// A [`recv_timeout`](crate::Receiver::recv_timeout) or
/// [`recv_deadline`](crate::Receiver::recv_deadline) failed.
///
/// ```
/// use kendall_queue::RecvTimeoutError;
/// use std::time::Duration;
/// let (_tx, rx) = kendall_queue::bounded::<u8>(1);
/// assert_eq!(rx.recv_timeout(Duration::from_millis(1)), Err(RecvTimeoutError::Timeout));
/// ```
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
pub enum RecvTimeoutError {
    /// Nothing arrived before the deadline.
    Timeout,
    /// Empty, and every sender is gone.
    Disconnected,
}

// The value-carrying errors print a quoted string in `Debug`, exactly as crossbeam-channel
// does (it formats a `&str` with `Debug`), so an `unwrap` panic reads the same after a switch.
// The value itself is left out: `T` need not be `Debug`.
impl<T> fmt::Debug for SendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt("SendError(..)", f)
    }
}

impl<T> fmt::Display for SendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad("sending on a disconnected channel")
    }
}

impl<T> error::Error for SendError<T> {}

impl<T> SendError<T> {
    /// The value that could not be sent.
    ///
    /// ```
    /// assert_eq!(kendall_queue::SendError("x").into_inner(), "x");
    /// ```
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for TrySendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrySendError::Full(..) => fmt::Debug::fmt("Full(..)", f),
            TrySendError::Disconnected(..) => fmt::Debug::fmt("Disconnected(..)", f),
        }
    }
}

impl<T> fmt::Display for TrySendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrySendError::Full(..) => f.pad("sending on a full channel"),
            TrySendError::Disconnected(..) => f.pad("sending on a disconnected channel"),
        }
    }
}

impl<T> error::Error for TrySendError<T> {}

impl<T> From<SendError<T>> for TrySendError<T> {
    fn from(err: SendError<T>) -> Self {
        TrySendError::Disconnected(err.0)
    }
}

impl<T> TrySendError<T> {
    /// The value that could not be sent.
    ///
    /// ```
    /// assert_eq!(kendall_queue::TrySendError::Full(3).into_inner(), 3);
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            TrySendError::Full(v) | TrySendError::Disconnected(v) => v,
        }
    }

    /// Whether the channel was full.
    ///
    /// ```
    /// assert!(kendall_queue::TrySendError::Full(()).is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        matches!(self, TrySendError::Full(_))
    }

    /// Whether every receiver was gone.
    ///
    /// ```
    /// assert!(kendall_queue::TrySendError::Disconnected(()).is_disconnected());
    /// ```
    pub fn is_disconnected(&self) -> bool {
        matches!(self, TrySendError::Disconnected(_))
    }
}

impl<T> fmt::Debug for SendTimeoutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt("SendTimeoutError(..)", f)
    }
}

impl<T> fmt::Display for SendTimeoutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendTimeoutError::Timeout(..) => f.pad("timed out waiting on send operation"),
            SendTimeoutError::Disconnected(..) => f.pad("sending on a disconnected channel"),
        }
    }
}

impl<T> error::Error for SendTimeoutError<T> {}

impl<T> From<SendError<T>> for SendTimeoutError<T> {
    fn from(err: SendError<T>) -> Self {
        SendTimeoutError::Disconnected(err.0)
    }
}

impl<T> SendTimeoutError<T> {
    /// The value that could not be sent.
    ///
    /// ```
    /// assert_eq!(kendall_queue::SendTimeoutError::Timeout(4).into_inner(), 4);
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            SendTimeoutError::Timeout(v) | SendTimeoutError::Disconnected(v) => v,
        }
    }

    /// Whether the deadline passed.
    ///
    /// ```
    /// assert!(kendall_queue::SendTimeoutError::Timeout(()).is_timeout());
    /// ```
    pub fn is_timeout(&self) -> bool {
        matches!(self, SendTimeoutError::Timeout(_))
    }

    /// Whether every receiver was gone.
    ///
    /// ```
    /// assert!(kendall_queue::SendTimeoutError::Disconnected(()).is_disconnected());
    /// ```
    pub fn is_disconnected(&self) -> bool {
        matches!(self, SendTimeoutError::Disconnected(_))
    }
}

impl fmt::Display for RecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad("receiving on an empty and disconnected channel")
    }
}

impl error::Error for RecvError {}

impl fmt::Display for TryRecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryRecvError::Empty => f.pad("receiving on an empty channel"),
            TryRecvError::Disconnected => f.pad("receiving on an empty and disconnected channel"),
        }
    }
}

impl error::Error for TryRecvError {}

impl From<RecvError> for TryRecvError {
    fn from(_: RecvError) -> Self {
        TryRecvError::Disconnected
    }
}

impl TryRecvError {
    /// Whether the channel was merely empty.
    ///
    /// ```
    /// assert!(kendall_queue::TryRecvError::Empty.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        matches!(self, TryRecvError::Empty)
    }

    /// Whether the channel was empty and every sender gone.
    ///
    /// ```
    /// assert!(kendall_queue::TryRecvError::Disconnected.is_disconnected());
    /// ```
    pub fn is_disconnected(&self) -> bool {
        matches!(self, TryRecvError::Disconnected)
    }
}

impl fmt::Display for RecvTimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecvTimeoutError::Timeout => f.pad("timed out waiting on receive operation"),
            RecvTimeoutError::Disconnected => f.pad("channel is empty and disconnected"),
        }
    }
}

impl error::Error for RecvTimeoutError {}

impl From<RecvError> for RecvTimeoutError {
    fn from(_: RecvError) -> Self {
        RecvTimeoutError::Disconnected
    }
}

impl RecvTimeoutError {
    /// Whether the deadline passed.
    ///
    /// ```
    /// assert!(kendall_queue::RecvTimeoutError::Timeout.is_timeout());
    /// ```
    pub fn is_timeout(&self) -> bool {
        matches!(self, RecvTimeoutError::Timeout)
    }

    /// Whether the channel was empty and every sender gone.
    ///
    /// ```
    /// assert!(kendall_queue::RecvTimeoutError::Disconnected.is_disconnected());
    /// ```
    pub fn is_disconnected(&self) -> bool {
        matches!(self, RecvTimeoutError::Disconnected)
    }
}
