//! The one door to atomics, cells and spinning: std's types normally, loom's under `cfg(loom)`,
//! so the model checker sees every shared access the queue and channel make.

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicUsize, Ordering, fence};

#[cfg(not(loom))]
pub(crate) use core::sync::atomic::{AtomicUsize, Ordering, fence};

/// An `UnsafeCell` with loom's closure-based access API, so the same code checks under loom.
#[cfg(not(loom))]
#[derive(Debug)]
pub(crate) struct UnsafeCell<T>(core::cell::UnsafeCell<T>);

#[cfg(not(loom))]
impl<T> UnsafeCell<T> {
    #[inline(always)]
    pub(crate) const fn new(value: T) -> Self {
        Self(core::cell::UnsafeCell::new(value))
    }

    #[inline(always)]
    pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }
}

#[cfg(loom)]
pub(crate) use loom::cell::UnsafeCell;

/// Exponential backoff for retry loops (crossbeam's under std, a plain yield under loom so the
/// model checker can schedule the thread being waited for).
#[cfg(not(loom))]
pub(crate) use crossbeam_utils::Backoff;

#[cfg(loom)]
pub(crate) struct Backoff;

#[cfg(loom)]
impl Backoff {
    pub(crate) fn new() -> Self {
        Backoff
    }
    pub(crate) fn spin(&self) {
        loom::thread::yield_now();
    }
    pub(crate) fn snooze(&self) {
        loom::thread::yield_now();
    }
}

// Channel blocking: flags, locks, shared ownership and parking, switched the same way.
#[cfg(all(feature = "std", loom))]
pub(crate) use loom::sync::atomic::{AtomicBool, AtomicU8, AtomicU64};
#[cfg(all(feature = "std", not(loom)))]
pub(crate) use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64};

#[cfg(all(feature = "std", loom))]
pub(crate) use loom::sync::{Arc, Mutex, MutexGuard};
#[cfg(all(feature = "std", not(loom)))]
pub(crate) use std::sync::{Arc, Mutex, MutexGuard};

/// Thread handles and parking (loom's under `cfg(loom)`; loom has no timed park, so a timed
/// park there is a yield: deadlines are not part of the models).
#[cfg(feature = "std")]
pub(crate) mod thread {
    #[cfg(loom)]
    pub(crate) use loom::thread::{Thread, current, park};
    #[cfg(not(loom))]
    pub(crate) use std::thread::{Thread, current, park, park_timeout, yield_now};

    #[cfg(loom)]
    pub(crate) fn park_timeout(_: std::time::Duration) {
        loom::thread::yield_now();
    }
}

/// Locks a mutex, ignoring poisoning: the channel's lists stay consistent even if a waker
/// panicked, because every critical section is a few pushes and pops.
#[cfg(feature = "std")]
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    match mutex.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}
