//! The progress hook: replications report thousandths of their work to a caller's callback
//! (e.g. an indicatif bar), from any thread.

use std::sync::atomic::{AtomicU64, Ordering};

/// A progress callback, called with `(done, total)` in thousandths of a replication.
///
/// ```
/// use kendall_sim::Progress;
/// let show: &Progress<'_> = &|done, total| eprintln!("{done}/{total}");
/// show(1, 2);
/// ```
pub type Progress<'a> = dyn Fn(u64, u64) + Sync + 'a;

/// Shared counter in front of the caller's callback.
pub(crate) struct ProgressHook<'a> {
    f: &'a Progress<'a>,
    done: AtomicU64,
    total: AtomicU64,
}

impl<'a> ProgressHook<'a> {
    pub(crate) fn new(f: &'a Progress<'a>, total: u64) -> Self {
        ProgressHook {
            f,
            done: AtomicU64::new(0),
            total: AtomicU64::new(total),
        }
    }

    pub(crate) fn advance(&self, delta: u64) {
        let done = self.done.fetch_add(delta, Ordering::Relaxed) + delta;
        let total = self.total.load(Ordering::Relaxed);
        (self.f)(done.min(total), total);
    }

    /// Reports completion (a precision run may stop before its cap).
    pub(crate) fn finish(&self) {
        let total = self.total.load(Ordering::Relaxed);
        self.done.store(total, Ordering::Relaxed);
        (self.f)(total, total);
    }
}
