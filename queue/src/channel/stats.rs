//! Live metrics without a contended atomic on the hot path.
//!
//! On a ring channel (64-bit targets) a send or receive that succeeds at once counts nothing:
//! the ring's head and tail positions already say how many values went in and out
//! (`Queue::counts`), less the few that never were values or were not received (skipped
//! slots, displaced values and values dropped with the last receiver, each counted on a cold
//! path). Everything else — the
//! sends that found the channel full, receives that found it empty, and every count of a
//! rendezvous channel — is counted per handle: each `Sender` and `Receiver` owns its counters
//! on its own cache line, and the channel keeps a registry of the live handles' counters plus
//! the totals of handles already dropped. A snapshot sums them. Parks and wake-ups happen only
//! on the slow path and live in the wait lists.
//!
//! A handle is `Sync`, so two threads may count through one handle at once; a locked
//! `fetch_add` would be exact but costs a full barrier per message (it waits for the queue's
//! slot store to drain). So an [`OpCounter`] belongs to the first thread that uses it: that
//! thread adds with a plain load and store, any other thread with `fetch_add` on a second
//! cell. Both cells only grow, and a snapshot adds them.

use crossbeam_utils::CachePadded;

use crate::sync::{Arc, AtomicU64, AtomicUsize, Mutex, Ordering, lock};

/// A snapshot of a channel's activity, from [`Sender::stats`](crate::Sender::stats) or
/// [`Receiver::stats`](crate::Receiver::stats). Totals count since the channel was created.
///
/// The totals are exact whenever no operation is under way, and each only grows as long as
/// senders use `send`/`try_send`-style calls and full batches. While a `force_send` is
/// displacing a value, or a `send_iter` whose iterator ran dry is marking slots it claimed
/// as unfilled, a snapshot may for a moment count that value as received, or those slots as
/// sent, and the next snapshot not: totals taken during such operations can step back by as
/// many as are under way. (While the last receiver drops what is left, `received` may read
/// one low for a moment.)
///
/// ```
/// let (tx, rx) = kendall_queue::bounded(1);
/// tx.send(1).unwrap();
/// assert!(tx.try_send(2).is_err()); // found the channel full
/// rx.recv().unwrap();
/// assert!(rx.try_recv().is_err()); // found it empty
/// let s = rx.stats();
/// assert_eq!((s.len, s.capacity, s.sent, s.received), (0, 1, 1, 1));
/// assert_eq!((s.full_on_send, s.empty_on_recv), (1, 1));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Messages in the channel now.
    pub len: usize,
    /// The channel's capacity (0 for a rendezvous channel).
    pub capacity: usize,
    /// Messages sent (including those that overwrote others with `force_send`). A send in
    /// progress counts from the moment it has claimed its slot.
    pub sent: u64,
    /// Messages received (a receive in progress counts from the moment it has claimed its
    /// value). Values dropped because the last receiver left are not received.
    pub received: u64,
    /// Messages dropped from the front by `force_send` to make room.
    pub displaced: u64,
    /// Send calls that found the channel full (whether they then waited or failed). A
    /// blocking send also counts here when the slot it needed was still being emptied by a
    /// receiver: it waits then too, without asking which it was.
    pub full_on_send: u64,
    /// Receive calls that found the channel empty (whether they then waited or failed). A
    /// blocking receive also counts here when the value it needed was still being written.
    pub empty_on_recv: u64,
    /// Times a blocked thread parked.
    pub parks: u64,
    /// Waiters (threads or tasks) woken by the other side or by disconnection.
    pub wakeups: u64,
}

/// An exact operation count that costs no locked instruction for its owning thread.
#[derive(Default)]
pub(crate) struct OpCounter {
    /// Identity of the owning thread (see [`thread_mark`]); 0 until first use.
    owner: AtomicUsize,
    /// Added to by the owner only, with a plain load and store.
    own: AtomicU64,
    /// Added to by every other thread, with `fetch_add`.
    shared: AtomicU64,
}

impl OpCounter {
    #[inline(always)]
    pub(crate) fn add(&self, n: u64) {
        // `RUSTFLAGS="--cfg kendall_no_stats"` builds the baseline of the stats-overhead
        // benchmark (`benches/CHANNEL.md`); no other build sets it.
        if cfg!(kendall_no_stats) {
            return;
        }
        let me = thread_mark();
        if self.owner.load(Ordering::Relaxed) == me {
            // Only the owner writes `own`: a plain increment loses nothing. `Release` lets a
            // `join` that reads the count also see the operation it counts.
            let own = self.own.load(Ordering::Relaxed);
            self.own.store(own + n, Ordering::Release);
        } else {
            self.add_other(me, n);
        }
    }

    #[cold]
    fn add_other(&self, me: usize, n: u64) {
        if self
            .owner
            .compare_exchange(0, me, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok()
        {
            let own = self.own.load(Ordering::Relaxed);
            self.own.store(own + n, Ordering::Release);
        } else {
            self.shared.fetch_add(n, Ordering::Release);
        }
    }

    pub(crate) fn get(&self) -> u64 {
        self.own.load(Ordering::Acquire) + self.shared.load(Ordering::Acquire)
    }
}

/// A number unique to each running thread: the address of a thread-local byte. A thread that
/// exits may hand its number to a new thread, which then owns the counters the old one owned;
/// the old one no longer counts, so that is harmless.
#[cfg(not(loom))]
#[inline(always)]
fn thread_mark() -> usize {
    std::thread_local!(static MARK: u8 = const { 0 });
    MARK.with(|m| m as *const u8 as usize)
}

/// Under loom every thread takes the `fetch_add` path, which the model checks.
#[cfg(loom)]
fn thread_mark() -> usize {
    usize::MAX
}

/// Whether a ring channel's `sent` and `received` totals come from the ring's own positions
/// (`Queue::counts`), so that a ring send or receive counts nothing at all. On a 32-bit target
/// positions wrap after about 2^30 messages, too soon for a `u64` total: there each handle
/// counts its messages as a rendezvous handle does.
pub(crate) const TOTALS_FROM_POSITIONS: bool = cfg!(target_pointer_width = "64");

/// One handle's counters.
#[derive(Default)]
pub(crate) struct EndCounters {
    /// Messages this handle sent or received. On a ring channel only where
    /// [`TOTALS_FROM_POSITIONS`] is off, or where the `latency` feature samples 1 send in N
    /// by this count.
    pub(crate) done: OpCounter,
    /// Sends that found the channel full, or receives that found it empty.
    pub(crate) missed: OpCounter,
    /// Messages this sender displaced with `force_send`.
    pub(crate) displaced: AtomicU64,
    /// Not a statistic: the ring's head position when this receiver last waited, for the
    /// wait hint (`Array::value_hint`). A plain atomic, not an `OpCounter`, so that a build
    /// without statistics (`kendall_no_stats`) waits the same way.
    pub(crate) head_at_wait: AtomicUsize,
    #[cfg(feature = "latency")]
    pub(crate) sojourn: super::latency::Recorder,
}

impl EndCounters {
    #[inline(always)]
    pub(crate) fn add_done(&self, n: u64) {
        self.done.add(n);
    }

    /// Counts `n` messages moved through the ring: nothing to do where the ring's positions
    /// give the totals (unless latency sampling needs the count).
    #[inline(always)]
    pub(crate) fn add_ring_done(&self, n: u64) {
        if !TOTALS_FROM_POSITIONS || cfg!(feature = "latency") {
            self.done.add(n);
        }
    }

    #[inline]
    pub(crate) fn add_missed(&self) {
        self.missed.add(1);
    }
}

pub(crate) type Counters = Arc<CachePadded<EndCounters>>;

#[derive(Default)]
struct Book {
    senders: Vec<Counters>,
    receivers: Vec<Counters>,
    retired_sent: u64,
    retired_received: u64,
    retired_displaced: u64,
    retired_full: u64,
    retired_empty: u64,
    #[cfg(feature = "latency")]
    retired_sojourn: Option<hdrhistogram::Histogram<u64>>,
}

/// The channel's list of every handle's counters.
#[derive(Default)]
pub(crate) struct Registry {
    book: Mutex<Book>,
}

/// The summed totals of every handle, live or dropped.
pub(crate) struct Totals {
    pub(crate) sent: u64,
    pub(crate) received: u64,
    pub(crate) displaced: u64,
    pub(crate) full_on_send: u64,
    pub(crate) empty_on_recv: u64,
}

impl Registry {
    pub(crate) fn new() -> Self {
        Registry::default()
    }

    /// Counters for a new handle.
    pub(crate) fn join(&self, sender: bool) -> Counters {
        let counters: Counters = Arc::new(CachePadded::new(EndCounters::default()));
        let mut book = lock(&self.book);
        if sender {
            book.senders.push(counters.clone());
        } else {
            book.receivers.push(counters.clone());
        }
        counters
    }

    /// Folds a dropped handle's counters into the retired totals.
    pub(crate) fn leave(&self, sender: bool, counters: &Counters) {
        let mut book = lock(&self.book);
        let list = if sender {
            &mut book.senders
        } else {
            &mut book.receivers
        };
        if let Some(at) = list.iter().position(|c| Arc::ptr_eq(c, counters)) {
            list.swap_remove(at);
        }
        let done = counters.done.get();
        let missed = counters.missed.get();
        if sender {
            book.retired_sent += done;
            book.retired_full += missed;
            book.retired_displaced += counters.displaced.load(Ordering::Relaxed);
        } else {
            book.retired_received += done;
            book.retired_empty += missed;
            #[cfg(feature = "latency")]
            {
                let h = counters.sojourn.snapshot();
                match &mut book.retired_sojourn {
                    Some(total) => super::latency::merge(total, &h),
                    None => book.retired_sojourn = Some(h),
                }
            }
        }
    }

    pub(crate) fn totals(&self) -> Totals {
        let book = lock(&self.book);
        let sum = |list: &[Counters], f: fn(&EndCounters) -> u64| -> u64 {
            list.iter().map(|c| f(c)).sum()
        };
        Totals {
            sent: book.retired_sent + sum(&book.senders, |c| c.done.get()),
            received: book.retired_received + sum(&book.receivers, |c| c.done.get()),
            displaced: book.retired_displaced
                + sum(&book.senders, |c| c.displaced.load(Ordering::Acquire)),
            full_on_send: book.retired_full + sum(&book.senders, |c| c.missed.get()),
            empty_on_recv: book.retired_empty + sum(&book.receivers, |c| c.missed.get()),
        }
    }

    /// Every receiver's sojourn histogram, merged.
    #[cfg(feature = "latency")]
    pub(crate) fn sojourn(&self) -> hdrhistogram::Histogram<u64> {
        let book = lock(&self.book);
        let mut total = book
            .retired_sojourn
            .clone()
            .unwrap_or_else(super::latency::empty);
        for r in &book.receivers {
            super::latency::merge(&mut total, &r.sojourn.snapshot());
        }
        total
    }
}
