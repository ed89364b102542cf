//! The error of a queue that cannot be built.

use core::fmt;

/// The error returned by [`Queue::try_new`](crate::Queue::try_new): the capacity was zero, or so
/// large that the buffer could not be laid out or allocated.
///
/// ```
/// use kendall_queue::Queue;
///
/// let err = Queue::<u8>::try_new(0).unwrap_err();
/// assert_eq!(err.requested(), 0);
/// assert_eq!(err.to_string(), "queue capacity must be at least 1, got 0");
/// assert!(Queue::<u64>::try_new(usize::MAX).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CapacityError {
    requested: usize,
}

impl CapacityError {
    pub(crate) fn new(requested: usize) -> Self {
        CapacityError { requested }
    }

    /// The capacity that was asked for.
    ///
    /// ```
    /// let err = kendall_queue::Queue::<u8>::try_new(0).unwrap_err();
    /// assert_eq!(err.requested(), 0);
    /// ```
    pub fn requested(&self) -> usize {
        self.requested
    }
}

impl fmt::Display for CapacityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.requested == 0 {
            f.write_str("queue capacity must be at least 1, got 0")
        } else {
            write!(
                f,
                "queue capacity {} is too large: its buffer cannot be allocated",
                self.requested
            )
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for CapacityError {}
