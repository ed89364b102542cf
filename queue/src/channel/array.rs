//! The ring flavour's state: the lock-free queue, its two wait lists, and the hints that
//! shape a blocked call's spin (when a look is worth making).

use super::stats::Counters;
use super::waiters::Waiters;
use super::{Chan, Envelope};
use crate::Queue;
use crate::sync::{AtomicU64, AtomicUsize, Ordering};

/// The ring flavour: a lock-free queue and two wait lists.
pub(super) struct Array<T> {
    pub(super) queue: Queue<Envelope<T>>,
    /// Receivers waiting for a value.
    pub(super) receivers: Waiters,
    /// Senders waiting for a free slot.
    pub(super) senders: Waiters,
    /// How many free slots a spinning sender waits for before it retries (see
    /// [`Array::room_hint`]).
    burst: usize,
    /// How many values a spinning receiver that was streaming waits for (see
    /// [`Array::value_hint`]).
    run: usize,
    /// The head's position when the last receiver left, before it drained the ring: what had
    /// been received (or displaced) by then, for `join`.
    pub(super) departed_head: AtomicUsize,
    /// Values the last receiver dropped as it left: popped from the ring, not received.
    /// Counted *before* each pop moves the head, so a snapshot never counts one as received.
    pub(super) drained: AtomicU64,
}

impl<T> Array<T> {
    pub(super) fn new(queue: Queue<Envelope<T>>) -> Self {
        // Half the ring: producer and consumer then work lines far apart (tried: 32 slots at
        // most, and no hysteresis; half was ahead at 1024, equal at 16 and 64).
        let burst = (queue.capacity() / 2).max(1);
        let run = (queue.capacity() / 2).clamp(1, RECV_RUN);
        Array {
            queue,
            receivers: Waiters::new(),
            senders: Waiters::new(),
            burst,
            run,
            departed_head: AtomicUsize::new(0),
            drained: AtomicU64::new(0),
        }
    }

    /// The spin-phase hint for a sender blocked on a full channel: retry once `burst` slots
    /// are free. Retrying the moment one slot frees makes producer and consumer work on the
    /// same cache line for every message (each push lands in the slot just emptied, next to
    /// the one the consumer reads next); waiting for a run of free slots lets the producer
    /// write lines the consumer has left. Only the spin uses it: a parked sender retries on
    /// every wake-up.
    #[inline(always)]
    pub(super) fn room_hint<'a>(&'a self, chan: &'a Chan<T>) -> impl FnMut() -> bool + 'a {
        || self.queue.room_ahead(self.burst) || chan.receivers_gone()
    }

    /// The spin-phase hint for a receiver on an empty channel. A receiver that had been
    /// streaming (a long run of values taken from the ring, by anyone, since this handle
    /// last waited here) is faster than its producer, and retrying the moment one value
    /// lands makes it read each line while the producer is still writing it: for its first
    /// few looks it waits for a run of `run` values. After a short run (a request/response pattern) any value will do. Either
    /// way a look reads one slot stamp and never the producers' `tail`, whose line would
    /// otherwise travel to the receiver and back with every hand-over (the attempt a waiter
    /// makes after registering, before it parks, still reads it).
    #[inline(always)]
    pub(super) fn value_hint<'a>(
        &'a self,
        chan: &'a Chan<T>,
        counters: &Counters,
    ) -> impl FnMut() -> bool + 'a {
        let (head, run) = self
            .queue
            .head_since(counters.head_at_wait.load(Ordering::Relaxed));
        counters.head_at_wait.store(head, Ordering::Relaxed);
        let want = if run >= STREAMING { self.run } else { 1 };
        let mut looks = 0u32;
        move || {
            looks += 1;
            let k = if looks > RUN_LOOKS { 1 } else { want };
            self.queue.value_ahead(k) || chan.senders_gone()
        }
    }
}

/// A receiver that saw at least this many values taken since it last waited counts as
/// streaming (see [`Array::value_hint`]).
const STREAMING: i128 = 64;
/// The run a streaming receiver waits for (at most half the capacity).
const RECV_RUN: usize = 32;
/// How many looks a streaming receiver spends waiting for a run before any value will do.
const RUN_LOOKS: u32 = 6;

#[cfg(all(test, not(loom)))]
mod hint_tests {
    use super::super::{Flavor, bounded};
    use super::RUN_LOOKS;

    /// The receivers' spin hint: after a long run it holds back `RUN_LOOKS` looks unless a
    /// run of values is ready or the senders are gone; after a short run it never does.
    #[test]
    fn a_streaming_receiver_waits_for_a_run_in_its_first_looks() {
        let (tx, rx) = bounded::<u32>(64);
        let Flavor::Array(a) = &rx.chan.flavor else {
            unreachable!("a ring channel")
        };
        let streamed = |n| {
            for i in 0..n {
                tx.try_send(i).unwrap();
                rx.try_recv().unwrap();
            }
        };
        // A long run, then one value: held back for the first looks, then taken.
        streamed(100);
        tx.try_send(0).unwrap();
        let mut ready = a.value_hint(&rx.chan, &rx.counters);
        let looks: Vec<bool> = (0..RUN_LOOKS + 1).map(|_| ready()).collect();
        assert!(looks[..RUN_LOOKS as usize].iter().all(|r| !r), "{looks:?}");
        assert!(looks[RUN_LOOKS as usize]);
        // That wait reset the run: the next wait takes any value at once, and only a value.
        let mut ready = a.value_hint(&rx.chan, &rx.counters);
        assert!(ready());
        rx.try_recv().unwrap();
        let mut ready = a.value_hint(&rx.chan, &rx.counters);
        assert!(!ready());
        // A long run, then a full run of values ready: taken at once.
        streamed(100);
        for i in 0..32 {
            tx.try_send(i).unwrap();
        }
        let mut ready = a.value_hint(&rx.chan, &rx.counters);
        assert!(ready());
        while rx.try_recv().is_ok() {}
        // A long run, then the senders leave: no holding back.
        streamed(100);
        let chan = rx.chan.clone();
        drop(tx);
        let mut ready = a.value_hint(&chan, &rx.counters);
        assert!(ready());
    }
}
