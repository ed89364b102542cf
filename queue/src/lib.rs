//! # kendall-queue
//!
//! A fast, lock-free, bounded multi-producer multi-consumer ring buffer ([`Queue`]), and the
//! channel built on it.
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
//! The core builds without `std` (with `alloc`): turn off default features.
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

extern crate alloc;

mod ring;
mod sync;

pub use ring::{CapacityError, IntoIter, Queue};
