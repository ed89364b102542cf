//! Wait lists and the spin-then-park loop.
//!
//! A blocked sender or receiver first retries while spinning and yielding for a short budget
//! (the other side is usually running and about to make room or a value), then registers in a
//! [`Waiters`] list and parks. The side that makes progress checks the list with one fence and
//! one load: nobody waiting costs almost nothing.
//!
//! No lost wake-ups, by the store-buffer (Dekker) argument: a waiter *stores* its registration
//! (the count) and issues a `SeqCst` fence, then retries, which *loads* the channel state; a
//! notifier's operation *writes* the channel state, then the notifier *loads* the count with
//! `SeqCst`. Either the notifier's load follows the waiter's fence in the single `SeqCst`
//! order, and sees the registration, or it precedes it, and then so does the notifier's
//! operation, which the waiter's retry therefore sees. `tests/loom_channel.rs` checks this.
//!
//! The core's part (what [`Queue`](crate::Queue) guarantees and this relies on, as
//! crossbeam-channel does with its own ring): every successful push, pop, batch claim or
//! `force_push` takes its slot with a `SeqCst` read-modify-write (or store) of the ring's tail
//! or head, so the notifier needs no fence of its own after it; and a push that reports
//! "full", or a pop that reports "empty", has issued a `SeqCst` fence and re-read the other
//! end's counter after looking at the slot, so the waiter's retry sees a claim ordered before
//! its fence (it then waits for that claim's value or free slot instead of reporting failure).
//! Only that attempt — the one a waiter makes after registering — needs it: a blocking call's
//! first try (`Queue::push_free`/`pop_written`) and its spin-phase looks read only slot stamps
//! and may miss a value or a free slot, which costs a look, never a wake-up.

use std::collections::VecDeque;
#[cfg(feature = "async")]
use std::task::Waker;
#[cfg(not(loom))]
use std::time::Duration;
use std::time::Instant;

use crossbeam_utils::CachePadded;

use crate::sync::{Arc, AtomicBool, AtomicU64, AtomicUsize, Mutex, Ordering, fence, lock, thread};

/// How long a blocked call spins and yields before it parks.
#[cfg(not(loom))]
const SPIN_BUDGET: Duration = Duration::from_micros(50);

/// How to wake a waiter: unpark its thread, or wake its task.
pub(crate) enum Wake {
    Thread(thread::Thread),
    #[cfg(feature = "async")]
    Task(Waker),
}

impl Wake {
    pub(crate) fn wake(self) {
        match self {
            Wake::Thread(t) => t.unpark(),
            #[cfg(feature = "async")]
            Wake::Task(w) => w.wake(),
        }
    }
}

struct Entry {
    key: u64,
    wake: Wake,
    /// Set before a thread waiter is woken, so it can tell a real wake-up from a spurious one.
    notified: Option<Arc<AtomicBool>>,
}

struct List {
    entries: VecDeque<Entry>,
    next_key: u64,
}

/// A list of waiters (threads or tasks) for one condition: "a value is ready" or "a slot is
/// free".
pub(crate) struct Waiters {
    /// Entries in `list`; written only under the lock, read without it by notifiers.
    count: CachePadded<AtomicUsize>,
    list: Mutex<List>,
    /// Times a thread parked on this list (slow path only).
    parks: AtomicU64,
    /// Waiters woken from this list (slow path only).
    wakeups: AtomicU64,
}

impl Waiters {
    pub(crate) fn new() -> Self {
        Waiters {
            count: CachePadded::new(AtomicUsize::new(0)),
            list: Mutex::new(List {
                entries: VecDeque::new(),
                next_key: 0,
            }),
            parks: AtomicU64::new(0),
            wakeups: AtomicU64::new(0),
        }
    }

    /// After `n` successful operations: wakes up to `n` waiters, if any. When nobody waits
    /// this is a single load, with no fence: see "The core's part" in the module comment.
    #[inline(always)]
    pub(crate) fn notify_after_op(&self, n: usize) {
        // Loom models `SeqCst` loads and read-modify-writes as acquire/release only (its
        // fences are exact), so the model gets the equivalent fence explicitly.
        #[cfg(loom)]
        fence(Ordering::SeqCst);
        if self.count.load(Ordering::SeqCst) != 0 {
            self.notify(n);
        }
    }

    #[cfg(feature = "async")]
    /// Wakes one waiter if any (for a wake-up passed on by a cancelled task).
    pub(crate) fn notify_one(&self) {
        fence(Ordering::SeqCst);
        if self.count.load(Ordering::Relaxed) != 0 {
            self.notify(1);
        }
    }

    /// Wakes every waiter (disconnection).
    pub(crate) fn notify_all(&self) {
        fence(Ordering::SeqCst);
        self.notify(usize::MAX);
    }

    #[cold]
    fn notify(&self, n: usize) {
        // The first wake-up is kept apart so that the common case, one, allocates nothing.
        let (first, rest) = {
            let mut list = lock(&self.list);
            let first = pop_waiter(&mut list);
            let mut rest = Vec::new();
            while first.is_some() && rest.len() + 1 < n {
                match pop_waiter(&mut list) {
                    Some(wake) => rest.push(wake),
                    None => break,
                }
            }
            self.count.store(list.entries.len(), Ordering::Relaxed);
            (first, rest)
        };
        let woken = first.iter().count() + rest.len();
        self.wakeups.fetch_add(woken as u64, Ordering::Relaxed);
        // The rest are off the list: if a task's waker panics, they are still woken.
        let rest = WakeRest(rest.into_iter());
        if let Some(w) = first {
            w.wake();
        }
        drop(rest);
    }

    /// Registers a waiter and returns its key. The caller must retry its operation afterwards
    /// (this issues the fence that pairs with [`notify_after_op`](Self::notify_after_op)).
    pub(crate) fn register(&self, wake: Wake, notified: Option<Arc<AtomicBool>>) -> u64 {
        let key = {
            let mut list = lock(&self.list);
            let key = list.next_key;
            list.next_key += 1;
            list.entries.push_back(Entry {
                key,
                wake,
                notified,
            });
            self.count.store(list.entries.len(), Ordering::Relaxed);
            key
        };
        fence(Ordering::SeqCst);
        key
    }

    #[cfg(feature = "async")]
    /// Replaces the waker of a registered task; `false` if it was already notified (removed).
    pub(crate) fn update(&self, key: u64, waker: &Waker) -> bool {
        let mut list = lock(&self.list);
        match list.entries.iter_mut().find(|e| e.key == key) {
            Some(entry) => {
                if let Wake::Task(w) = &mut entry.wake
                    && !w.will_wake(waker)
                {
                    *w = waker.clone();
                }
                true
            }
            None => false,
        }
    }

    /// Removes a waiter; `true` if it was still registered, `false` if it had been notified.
    pub(crate) fn cancel(&self, key: u64) -> bool {
        let mut list = lock(&self.list);
        let Some(at) = list.entries.iter().position(|e| e.key == key) else {
            return false;
        };
        list.entries.remove(at);
        self.count.store(list.entries.len(), Ordering::Relaxed);
        true
    }

    #[cfg(feature = "async")]
    /// Forwards a wake-up that a cancelled task received but will not use.
    pub(crate) fn pass_on(&self) {
        self.notify_one();
    }

    pub(crate) fn parks(&self) -> u64 {
        self.parks.load(Ordering::Relaxed)
    }

    pub(crate) fn wakeups(&self) -> u64 {
        self.wakeups.load(Ordering::Relaxed)
    }

    /// Blocks the calling thread until `attempt` returns `Some`, or `deadline` passes (then
    /// `None`, after one last attempt). Spins and yields for a short budget first, then parks on
    /// this list, re-registering after each wake-up that did not end in success.
    ///
    /// While spinning, `attempt` runs only when the cheap hint `ready` says it may succeed;
    /// after parking it always runs (the hint only shapes the spin, never correctness).
    pub(crate) fn block_on<R>(
        &self,
        deadline: Option<Instant>,
        mut ready: impl FnMut() -> bool,
        mut attempt: impl FnMut() -> Option<R>,
    ) -> Option<R> {
        // The first spin holds no wake-up, so it needs no guard (and stays the plain loop the
        // hot path was measured with).
        if let Some(done) = spin_then_deadline(deadline, &mut ready, &mut attempt) {
            return done;
        }
        self.park_until(deadline, ready, attempt)
    }

    /// Runs `f`, an attempt meant to use a wake-up this thread holds; if `f` unwinds, the
    /// wake-up goes to the next waiter.
    fn passing_on_unwind<R>(&self, f: impl FnOnce() -> R) -> R {
        let pass_on = PassOnUnwind { list: self };
        let r = f();
        core::mem::forget(pass_on);
        r
    }

    /// [`block_on`](Self::block_on) after its first spin: register, park, and after each
    /// wake-up spin again.
    #[inline(never)]
    fn park_until<R>(
        &self,
        deadline: Option<Instant>,
        mut ready: impl FnMut() -> bool,
        mut attempt: impl FnMut() -> Option<R>,
    ) -> Option<R> {
        // Whether this thread was woken from the list and has not used the wake-up yet: if
        // an attempt meant to use it unwinds (a batch send's iterator panics), a guard passes
        // it on, or another waiter could sleep on with room or a value there for it.
        let mut woken = false;
        loop {
            if woken
                && let Some(done) = self
                    .passing_on_unwind(|| spin_then_deadline(deadline, &mut ready, &mut attempt))
            {
                return done;
            }
            let notified = Arc::new(AtomicBool::new(false));
            let key = self.register(Wake::Thread(thread::current()), Some(notified.clone()));
            // If `attempt` panics (a batch send's iterator), the registration must not stay
            // behind to swallow a wake-up meant for a live waiter, and a wake-up from before
            // it (a woken sender whose spin hint did not let it look) must be passed on.
            let unwinding = CancelOnUnwind {
                list: self,
                key,
                woken,
            };
            let first = attempt();
            core::mem::forget(unwinding);
            if let Some(r) = first {
                self.cancel(key);
                return Some(r);
            }
            while !notified.load(Ordering::Acquire) {
                self.parks.fetch_add(1, Ordering::Relaxed);
                match deadline {
                    None => thread::park(),
                    Some(d) => {
                        let now = Instant::now();
                        if now >= d {
                            // Either still registered (remove it) or just notified: in both
                            // cases one last attempt decides, and nothing is left unclaimed.
                            if self.cancel(key) {
                                return attempt();
                            }
                            return self.passing_on_unwind(&mut attempt);
                        }
                        thread::park_timeout(d - now);
                    }
                }
            }
            woken = true;
        }
    }
}

/// Takes the oldest waiter off the list (under its lock), marking a thread waiter notified.
fn pop_waiter(list: &mut List) -> Option<Wake> {
    let entry = list.entries.pop_front()?;
    if let Some(flag) = &entry.notified {
        flag.store(true, Ordering::Release);
    }
    Some(entry.wake)
}

/// Drops a thread's registration when the attempt made right after it unwinds; wake-ups it
/// holds go to the next waiters: one given to this registration, and one from before it
/// (`woken`) that the attempt was to use.
struct CancelOnUnwind<'a> {
    list: &'a Waiters,
    key: u64,
    woken: bool,
}

impl Drop for CancelOnUnwind<'_> {
    fn drop(&mut self) {
        let held = usize::from(!self.list.cancel(self.key)) + usize::from(self.woken);
        if held > 0 {
            self.list.notify_after_op(held);
        }
    }
}

/// Wakes the waiters it holds when dropped. Each wake-up runs with the waiters after it held
/// in a new guard, so a panicking waker still leaves them woken (by that guard, while
/// unwinding; a second panic then aborts, as any panic during unwinding does).
struct WakeRest(std::vec::IntoIter<Wake>);

impl Drop for WakeRest {
    fn drop(&mut self) {
        while let Some(w) = self.0.next() {
            let rest = WakeRest(core::mem::take(&mut self.0));
            w.wake();
            // No panic: take the rest back without the guard's drop (what is left in it, an
            // empty iterator, owns no allocation).
            let mut rest = core::mem::ManuallyDrop::new(rest);
            self.0 = core::mem::take(&mut rest.0);
        }
    }
}

/// A spin, then, once `deadline` has passed, one last attempt: `Some(outcome)` when the wait
/// is over, `None` when the caller should park.
#[inline(always)]
fn spin_then_deadline<R>(
    deadline: Option<Instant>,
    ready: &mut impl FnMut() -> bool,
    attempt: &mut impl FnMut() -> Option<R>,
) -> Option<Option<R>> {
    if let Some(r) = spin(deadline, ready, attempt) {
        return Some(Some(r));
    }
    deadline.is_some_and(|d| Instant::now() >= d).then(attempt)
}

/// Passes a wake-up its thread was given, and had not used, on to the next waiter when the
/// attempt that was to use it unwinds. Forgotten once the attempt returns.
struct PassOnUnwind<'a> {
    list: &'a Waiters,
}

impl Drop for PassOnUnwind<'_> {
    fn drop(&mut self) {
        self.list.notify_after_op(1);
    }
}

/// A yield that takes longer than this means another thread ran on our core: stop spinning
/// and park. Yields that return at once (a spare core) keep spinning for [`SPIN_BUDGET`].
/// Without this, 16 threads on 2 cores yielding to each other fell into switch storms
/// (`benches/README.md`, attempts log).
#[cfg(not(loom))]
const SLOW_YIELD: Duration = Duration::from_micros(10);

#[cfg(not(loom))]
std::thread_local! {
    /// Waits on this thread that the quick polls could not end but the first yield did, plus
    /// failed probes, since the quick polls last ended a wait. Then the peer was not running beside us — on two cores it shares ours, and gets
    /// to run only when we yield — and the quick polls' pauses (about 3 µs) are dead time
    /// in every hand-over: a small channel's fresh thread pair that lands on one core moved
    /// 4–9 M msg/s instead of 30.
    static YIELD_WINS: core::cell::Cell<u32> = const { core::cell::Cell::new(0) };
}

/// After this many yield wins in a row a wait polls once, then yields.
#[cfg(not(loom))]
const YIELD_FIRST_AFTER: u32 = 3;

/// … but every this many counted wins it polls in full again, to notice that the peer has
/// moved to a core of its own (a success in the quick polls ends yield-first mode). The
/// interval doubles as the count doubles, up to [`PROBE_EVERY_MAX`]: a failed probe costs the
/// quick polls' pauses, which at one probe in 8 were a fifth of a same-core hand-over.
#[cfg(not(loom))]
const PROBE_EVERY: u32 = 8;

/// The longest interval between probes, in counted wins: a peer that moves to a core of its
/// own is noticed within this many hand-overs (under a millisecond in a tight loop).
#[cfg(not(loom))]
const PROBE_EVERY_MAX: u32 = 256;

/// Whether a wait after `wins` yield wins in a row polls in full.
#[cfg(not(loom))]
#[inline]
fn probes(wins: u32) -> bool {
    if wins < YIELD_FIRST_AFTER {
        return true;
    }
    let every = (wins / PROBE_EVERY)
        .next_power_of_two()
        .clamp(PROBE_EVERY, PROBE_EVERY_MAX);
    // A power of two: a mask, not a division, on every wait.
    wins & (every - 1) == 0
}

/// Retries before the first yield, with 1, 2, 4, … 64 pause hints after them (the shape of
/// crossbeam's `Backoff`). Polling back to back instead pulled the channel's cache lines away
/// from the thread that was about to make progress, and with more threads than cores sent
/// everyone into the yield phase at once (`benches/README.md`, attempts log).
#[cfg(not(loom))]
const QUICK_POLLS: u32 = 7;

/// Retries `attempt` (when `ready` allows) a few times with growing pauses, then between
/// `yield_now`s for [`SPIN_BUDGET`], or until a yield comes back late. Yielding (rather than
/// long busy spins) reacts within a few hundred nanoseconds when the peer runs on another
/// core, and hands the core over when it does not: on a small channel the peer is often only
/// a time slice away, which parking would turn into a futex round trip per handful of
/// messages. In yield-first mode a probe that fails gives up at once (the caller parks), so
/// that the wake-up can move this thread to an idle core.
#[cfg(not(loom))]
pub(crate) fn spin<R>(
    deadline: Option<Instant>,
    ready: &mut impl FnMut() -> bool,
    attempt: &mut impl FnMut() -> Option<R>,
) -> Option<R> {
    let wins = YIELD_WINS.get();
    let full = probes(wins);
    let polls = if full { QUICK_POLLS } else { 1 };
    for i in 0..polls {
        if ready()
            && let Some(r) = attempt()
        {
            if full {
                YIELD_WINS.set(0);
            }
            return Some(r);
        }
        for _ in 0..1u32 << i {
            core::hint::spin_loop();
        }
    }
    if full && wins >= YIELD_FIRST_AFTER {
        // A failed probe: the peer still shares our core. Park this once: a yield never moves
        // a thread, but the wake-up that ends a park places it on an idle core if there is one.
        YIELD_WINS.set(wins.wrapping_add(1));
        return None;
    }
    let mut yields = 0u32;
    let mut now = Instant::now();
    let mut end = now + SPIN_BUDGET;
    if let Some(d) = deadline {
        end = end.min(d);
    }
    loop {
        if ready()
            && let Some(r) = attempt()
        {
            if yields == 1 {
                // Wrapping: a count stuck at the top would never probe again.
                YIELD_WINS.set(wins.wrapping_add(1));
            }
            return Some(r);
        }
        if now >= end {
            return None;
        }
        thread::yield_now();
        yields += 1;
        let after = Instant::now();
        if after - now > SLOW_YIELD {
            // Another thread had this core: we are oversubscribed, and more yielding would
            // only trade the core back and forth. Park and let the kernel pick.
            return None;
        }
        now = after;
    }
}

/// Under loom: one attempt, so the model explores the park/wake protocol, not spin loops.
#[cfg(loom)]
fn spin<R>(
    _: Option<Instant>,
    _: &mut impl FnMut() -> bool,
    attempt: &mut impl FnMut() -> Option<R>,
) -> Option<R> {
    attempt()
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn probes_grow_rarer_as_yield_wins_go_on_but_never_past_the_cap() {
        assert!((0..YIELD_FIRST_AFTER).all(probes));
        let at: Vec<u32> = (YIELD_FIRST_AFTER..1 << 16)
            .filter(|&w| probes(w))
            .collect();
        assert_eq!(&at[..3], &[8, 16, 24]);
        let gaps: Vec<u32> = at.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(gaps.windows(2).all(|g| g[0] <= g[1]), "gaps only widen");
        assert_eq!(gaps.iter().min(), Some(&PROBE_EVERY));
        assert_eq!(gaps.iter().max(), Some(&PROBE_EVERY_MAX));
        // The top of the range computes without overflow (a debug build would panic).
        assert!(!probes(u32::MAX));
        assert!(probes(u32::MAX - 255));
    }

    #[test]
    fn a_failed_probe_in_yield_first_mode_parks_at_once_and_moves_the_next_probe_on() {
        let mut looks = 0;
        let mut never = || {
            looks += 1;
            None::<()>
        };
        YIELD_WINS.set(PROBE_EVERY);
        assert!(spin(None, &mut || true, &mut never).is_none());
        assert_eq!(YIELD_WINS.get(), PROBE_EVERY + 1);
        assert_eq!(looks, QUICK_POLLS, "the quick polls, then no yield phase");
        // Between probes: one poll, then the yield phase until the spin budget runs out.
        looks = 0;
        let mut never = || {
            looks += 1;
            None::<()>
        };
        assert!(spin(None, &mut || true, &mut never).is_none());
        // (How many looks depends on how fast the yields return; a late one parks at once.)
        assert!(looks >= 1);
        assert_eq!(YIELD_WINS.get(), PROBE_EVERY + 1, "no win, no loss");
    }
}
