//! Kendall's lock-free bounded MPMC ring buffer and the channel built on it.
#![cfg_attr(not(feature = "std"), no_std)]
