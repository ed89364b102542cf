#![cfg(not(loom))]
//! `stats()` snapshots and the opt-in sojourn histogram.

use std::thread;
use std::time::Duration;

use kendall_queue::bounded;

#[test]
fn counts_sent_received_full_and_empty() {
    let (tx, rx) = bounded(2);
    let s = tx.stats();
    assert_eq!((s.len, s.capacity, s.sent, s.received), (0, 2, 0, 0));
    tx.send(1).unwrap();
    tx.send(2).unwrap();
    assert!(tx.try_send(3).is_err());
    assert!(tx.send_timeout(3, Duration::from_millis(1)).is_err());
    let s = rx.stats();
    assert_eq!((s.len, s.sent, s.full_on_send), (2, 2, 2));
    let mut out = Vec::new();
    rx.recv_into(&mut out, 5).unwrap();
    assert!(rx.try_recv().is_err());
    assert!(rx.recv_timeout(Duration::from_millis(1)).is_err());
    let s = tx.stats();
    assert_eq!((s.len, s.received, s.empty_on_recv), (0, 2, 2));
}

#[test]
fn totals_survive_dropped_handles() {
    let (tx, rx) = bounded(8);
    let tx2 = tx.clone();
    tx2.send(1).unwrap();
    drop(tx2);
    let rx2 = rx.clone();
    rx2.recv().unwrap();
    drop(rx2);
    tx.send(2).unwrap();
    let s = rx.stats();
    assert_eq!((s.sent, s.received, s.len), (2, 1, 1));
}

/// A batch whose iterator panics has published the values it yielded before the panic: they
/// count as sent, so `sent` never falls behind `received`.
#[test]
fn a_panicking_batch_counts_what_it_published() {
    let (tx, rx) = bounded::<u32>(8);
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        tx.send_iter((0..5u32).inspect(|&i| assert!(i != 3, "iterator fails")))
    }))
    .is_err();
    assert!(panicked);
    let got: Vec<_> = rx.try_iter().collect();
    assert_eq!(got, [0, 1, 2]);
    let s = rx.stats();
    assert_eq!((s.sent, s.received, s.len), (3, 3, 0), "{s:?}");
    // A batch refused by departed receivers counts nothing it handed back.
    drop(rx);
    assert_eq!(
        tx.send_iter(0..4u32).unwrap_err().into_inner(),
        [0, 1, 2, 3]
    );
    assert_eq!(tx.stats().sent, 3);
}

/// An iterator that promises `claims` items and yields `yields`: a batch send claims slots
/// for the promise and leaves the rest skipped.
struct Short {
    yields: u32,
    claims: usize,
}

impl Iterator for Short {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        self.claims = self.claims.saturating_sub(1);
        self.yields = self.yields.checked_sub(1)?;
        Some(self.yields)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.claims, Some(self.claims))
    }
}

impl ExactSizeIterator for Short {}

/// Slots a batch left unfilled are neither sent nor received; a value `force_send` displaced
/// counts as displaced, not received; values dropped with the last receiver are not received.
#[test]
fn only_values_count_as_sent_and_received() {
    let (tx, rx) = bounded::<u32>(4);
    tx.send_iter(Short {
        yields: 1,
        claims: 3,
    })
    .unwrap();
    let s = tx.stats();
    assert_eq!((s.sent, s.received), (1, 0), "{s:?}");
    assert_eq!(rx.recv(), Ok(0));
    assert!(rx.try_recv().is_err()); // steps over the two skipped slots
    tx.send_iter([1, 2, 3, 4]).unwrap();
    assert_eq!(tx.force_send(5), Ok(Some(1)));
    let s = rx.stats();
    assert_eq!((s.sent, s.received, s.displaced), (6, 1, 1), "{s:?}");
    // Let a `force_send` take over a skipped slot: nothing displaced.
    let mut out = Vec::new();
    rx.recv_into(&mut out, 4).unwrap();
    tx.send_iter(Short {
        yields: 0,
        claims: 1,
    })
    .unwrap();
    for v in 6..9 {
        assert_eq!(tx.force_send(v), Ok(None));
    }
    assert_eq!(
        tx.force_send(9),
        Ok(None),
        "the skipped slot, not a value, made room"
    );
    let s = rx.stats();
    assert_eq!(
        (s.sent, s.received, s.displaced, s.len),
        (10, 5, 1, 4),
        "{s:?}"
    );
    rx.recv().unwrap();
    drop(rx); // three values still queued are dropped, not received
    let s = tx.stats();
    assert_eq!((s.sent, s.received, s.displaced), (10, 6, 1), "{s:?}");
}

/// While the last receiver drops what is left in the channel, `received` never counts the
/// values it drops (it may read one low for a moment: the drop counts each value just before
/// taking it).
#[test]
fn received_does_not_move_while_the_last_receiver_drains() {
    let cap = 1 << 18;
    let (tx, rx) = bounded::<u64>(cap);
    for i in 0..cap as u64 {
        tx.try_send(i).unwrap();
    }
    assert_eq!(rx.recv(), Ok(0));
    tx.try_send(0).unwrap();
    let dropper = thread::spawn(move || drop(rx));
    let mut seen = Vec::new();
    while !dropper.is_finished() {
        seen.push(tx.stats().received);
    }
    dropper.join().unwrap();
    assert!(seen.iter().all(|&r| r <= 1), "received rose: {:?}", {
        let mut odd: Vec<_> = seen.iter().filter(|&&r| r > 1).collect();
        odd.dedup();
        odd.truncate(8);
        odd
    });
    assert_eq!(tx.stats().received, 1);
    assert_eq!(tx.stats().sent, cap as u64 + 1);
}

/// A `force_send` displacing a value while the last receiver leaves: nothing was received,
/// whatever the interleaving (the displaced count lands after the head moves, the drop's
/// count before).
#[test]
fn displacing_while_the_last_receiver_leaves_receives_nothing() {
    // A stress check: the bad interleaving is rare (a few in 10 000 trials under load).
    for _ in 0..500 {
        let (tx, rx) = bounded::<u32>(1);
        tx.send(0).unwrap();
        let sender = thread::spawn(move || {
            let mut i = 1;
            while tx.force_send(i).is_ok() {
                i += 1;
            }
            tx
        });
        thread::yield_now();
        drop(rx);
        let tx = sender.join().unwrap();
        let s = tx.stats();
        assert_eq!(s.received, 0, "{s:?}");
        // The rest were dropped with the receiver.
        assert!(s.sent >= s.displaced + s.len as u64, "{s:?}");
    }
}

/// Totals add up exactly once every thread is done, with every kind of send and receive
/// running at once: blocking, batch and `force_send` senders, blocking and batch receivers.
#[test]
fn mixed_concurrent_totals_add_up() {
    let (tx, rx) = bounded::<u64>(3);
    let senders: Vec<_> = (0..3)
        .map(|kind| {
            let tx = tx.clone();
            thread::spawn(move || {
                let mut displaced = 0;
                for i in 0..2_000u64 {
                    match kind {
                        0 => tx.send(i).unwrap(),
                        1 => tx.send_iter([i, i]).unwrap(),
                        _ => displaced += tx.force_send(i).unwrap().is_some() as u64,
                    }
                }
                displaced
            })
        })
        .collect();
    drop(tx);
    let receivers: Vec<_> = (0..2)
        .map(|kind| {
            let rx = rx.clone();
            thread::spawn(move || {
                let mut n = 0u64;
                if kind == 0 {
                    while rx.recv().is_ok() {
                        n += 1;
                    }
                } else {
                    let mut out = Vec::new();
                    while let Ok(k) = rx.recv_into(&mut out, 4) {
                        n += k as u64;
                        out.clear();
                    }
                }
                n
            })
        })
        .collect();
    let displaced: u64 = senders.into_iter().map(|t| t.join().unwrap()).sum();
    let received: u64 = receivers.into_iter().map(|t| t.join().unwrap()).sum();
    let s = rx.stats();
    assert_eq!(s.sent, 8_000, "{s:?}");
    assert_eq!((s.received, s.displaced), (received, displaced), "{s:?}");
    assert_eq!(received + displaced, 8_000);
}

#[test]
fn counts_parks_and_wakeups() {
    let (tx, rx) = bounded(1);
    let t = thread::spawn(move || rx.recv());
    thread::sleep(Duration::from_millis(50)); // well past the spin budget: parked
    tx.send(1).unwrap();
    assert_eq!(t.join().unwrap(), Ok(1));
    let s = tx.stats();
    assert!(s.parks >= 1, "{s:?}");
    assert_eq!(s.wakeups, 1, "{s:?}");
}

#[test]
fn concurrent_totals_add_up() {
    let (tx, rx) = bounded(4);
    let producers: Vec<_> = (0..3)
        .map(|_| {
            let tx = tx.clone();
            thread::spawn(move || {
                for i in 0..5_000 {
                    tx.send(i).unwrap();
                }
            })
        })
        .collect();
    drop(tx);
    let consumers: Vec<_> = (0..2)
        .map(|_| {
            let rx = rx.clone();
            thread::spawn(move || rx.iter().count())
        })
        .collect();
    for p in producers {
        p.join().unwrap();
    }
    let n: usize = consumers.into_iter().map(|c| c.join().unwrap()).sum();
    let s = rx.stats();
    assert_eq!((n, s.sent, s.received), (15_000, 15_000, 15_000));
}

#[test]
fn rendezvous_stats() {
    let (tx, rx) = bounded(0);
    let t = thread::spawn(move || rx.recv());
    tx.send(1).unwrap();
    assert_eq!(t.join().unwrap(), Ok(1));
    let s = tx.stats();
    assert_eq!((s.capacity, s.len, s.sent, s.received), (0, 0, 1, 1));
}

#[cfg(feature = "latency")]
mod latency {
    use super::*;

    #[test]
    fn records_every_message_sojourn() {
        let (tx, rx) = bounded(4);
        for i in 0..3 {
            tx.send(i).unwrap();
        }
        thread::sleep(Duration::from_millis(5));
        let mut out = Vec::new();
        rx.recv_into(&mut out, 3).unwrap();
        let h = rx.latency();
        assert_eq!(h.len(), 3);
        // Each waited at least the 5 ms sleep (1 part in 1000 precision).
        assert!(h.min() >= 4_990_000, "min {} ns", h.min());
    }

    #[test]
    fn samples_one_in_n_and_merges_receivers() {
        let (tx, rx) = bounded(64);
        rx.set_latency_sampling(10);
        let rx2 = rx.clone();
        for i in 0..50 {
            tx.send(i).unwrap();
        }
        for _ in 0..25 {
            rx.recv().unwrap();
            rx2.recv().unwrap();
        }
        drop(rx2); // a dropped receiver's samples are kept
        assert_eq!(rx.latency().len(), 5);
    }

    #[test]
    fn async_and_rendezvous_receives_record_too() {
        let (tx, rx) = bounded(2);
        tx.send(1).unwrap();
        futures::executor::block_on(rx.recv_async()).unwrap();
        assert_eq!(rx.latency().len(), 1);
    }
}
