//! # kendall-queue
//!
//! A fast, lock-free, bounded multi-producer multi-consumer ring buffer ([`Queue`]), and a
//! drop-in channel built on it: the names and semantics of `crossbeam-channel`'s bounded
//! channel (switching is a one-line import change), plus async, work tracking and live metrics.
//!
//! ```
//! use kendall_queue::bounded; // was: use crossbeam_channel::bounded;
//! use std::thread;
//!
//! let (tx, rx) = bounded(64);
//! let workers: Vec<_> = (0..2)
//!     .map(|_| {
//!         let rx = rx.clone();
//!         thread::spawn(move || {
//!             // Each message is a tracked unit of work: finished when the guard drops.
//!             while let Ok(job) = rx.recv_tracked() {
//!                 assert!(*job < 1000);
//!             }
//!         })
//!     })
//!     .collect();
//! for i in 0..1000u64 {
//!     tx.send(i).unwrap(); // waits (spins briefly, then parks) while the channel is full
//! }
//! tx.join(); // like Python's queue.join(): every job sent so far is finished
//! assert_eq!(tx.stats().received, 1000);
//! drop(tx); // receivers drain what is left, then see the disconnection
//! for w in workers {
//!     w.join().unwrap();
//! }
//! ```
//!
//! The same channel from async code (any executor; feature `async`, on by default):
//!
//! ```
//! let (tx, rx) = kendall_queue::bounded(8);
//! futures::executor::block_on(async {
//!     tx.send_async("ping").await.unwrap();
//!     assert_eq!(rx.recv_async().await, Ok("ping"));
//! });
//! ```
//!
//! The ring buffer on its own:
//!
//! ```
//! use kendall_queue::Queue;
//! use std::sync::Arc;
//!
//! let q = Arc::new(Queue::new(64));
//! let producer = {
//!     let q = Arc::clone(&q);
//!     std::thread::spawn(move || {
//!         for i in 0..1000u64 {
//!             while q.push(i).is_err() {
//!                 std::thread::yield_now();
//!             }
//!         }
//!     })
//! };
//! let mut sum = 0;
//! let mut received = 0;
//! while received < 1000 {
//!     if let Some(v) = q.pop() {
//!         sum += v;
//!         received += 1;
//!     }
//! }
//! producer.join().unwrap();
//! assert_eq!(sum, 999 * 1000 / 2);
//! ```
//!
//! The core builds without `std` (with `alloc`): turn off default features. The channel needs
//! feature `std`; feature `latency` adds a sojourn-time histogram (`Receiver::latency`).
// Unit tests link std either way (they use its test harness and `Vec`).
#![cfg_attr(all(not(feature = "std"), not(test)), no_std)]
#![warn(missing_docs)]

extern crate alloc;

#[cfg(feature = "std")]
mod channel;
mod ring;
mod sync;

pub use ring::{CapacityError, Queue, QueueIntoIter};

#[cfg(feature = "std")]
pub use channel::{
    IntoIter, Iter, Receiver, RecvError, RecvTimeoutError, SendError, SendTimeoutError, Sender,
    Stats, SyncSender, TryIter, TryRecvError, TrySendError, Work, WorkDone, bounded, sync_channel,
};

#[cfg(feature = "async")]
pub use channel::{RecvFuture, RecvStream, SendFuture};
