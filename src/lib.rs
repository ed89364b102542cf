//! # Kendall
//!
//! A lock-free bounded MPMC queue and a queueing laboratory around it.
//!
//! - [`queue`]: the ring buffer ([`queue::Queue`]) and the drop-in channel.
//! - [`sim`]: the discrete-event simulator, statistics and queueing theory.
//! - [`reports`]: charts, tables and report files.
//!
//! ```
//! let q = kendall::queue::Queue::new(2);
//! q.push(1).unwrap();
//! assert_eq!(q.pop(), Some(1));
//! ```

pub use kendall_queue as queue;
pub use kendall_reports as reports;
pub use kendall_sim as sim;

/// The README's examples, compiled and run as doc tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
