#![cfg(not(loom))]
//! Edge cases found in review: rendezvous channels with async ends (a cancelled send sent
//! nothing; `join` and the stats around it), `send_iter` with an iterator whose `len`
//! understates, values whose `Drop` panics or that are zero-sized.

use std::future::Future;
use std::pin::pin;
use std::task::Context;
use std::time::Duration;

use futures::task::noop_waker;
use kendall_queue::bounded;

/// Polls a rendezvous `send_async` once (pending: no receiver waits), lets a receiver try
/// while it is pending, then drops it (as a `select!` whose other branch won would): what the
/// receiver got.
fn try_recv_beside_a_dropped_rendezvous_send(
    tx: &kendall_queue::Sender<u32>,
    rx: &kendall_queue::Receiver<u32>,
) -> Option<u32> {
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    let mut send = pin!(tx.send_async(1));
    assert!(send.as_mut().poll(&mut cx).is_pending());
    rx.try_recv().ok()
}

/// A pending `send_async` on a rendezvous channel keeps its value until a poll hands it over,
/// so dropping the future sends nothing (it once offered the value where a receiver could take
/// it unpolled: delivered, yet never counted as sent).
#[test]
fn a_dropped_pending_rendezvous_send_async_sends_nothing() {
    let (tx, rx) = bounded::<u32>(0);
    assert_eq!(try_recv_beside_a_dropped_rendezvous_send(&tx, &rx), None);
    let s = rx.stats();
    assert_eq!((s.sent, s.received), (0, 0), "{s:?}");
}

/// With values delivered but never counted as sent, `join` could return while a message sent
/// before it was still in the channel (handed to a `recv_async` that was then dropped, so the
/// next receiver takes it).
#[test]
fn join_waits_for_a_message_orphaned_by_a_dropped_rendezvous_recv_async() {
    let (tx, rx) = bounded::<u32>(0);
    try_recv_beside_a_dropped_rendezvous_send(&tx, &rx);
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    {
        let mut recv = pin!(rx.recv_async());
        assert!(recv.as_mut().poll(&mut cx).is_pending());
        tx.try_send(2).unwrap(); // completed: handed to the pending receive
    } // the receive is dropped: 2 stays in the channel for the next receiver
    assert!(
        !tx.join_timeout(Duration::from_millis(20)),
        "join returned while a message sent before it was still unreceived"
    );
    assert_eq!(rx.try_recv(), Ok(2));
    assert!(tx.join_timeout(Duration::from_millis(20)));
}

/// An exact-size iterator whose `len` runs out before its values do: it admits to `left - 2`.
struct Understates {
    left: u32,
    drops: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

struct Noted(
    #[allow(dead_code)] u32,
    std::sync::Arc<std::sync::atomic::AtomicUsize>,
);

impl Drop for Noted {
    fn drop(&mut self) {
        self.1.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Iterator for Understates {
    type Item = Noted;
    fn next(&mut self) -> Option<Noted> {
        self.left = self.left.checked_sub(1)?;
        Some(Noted(self.left, self.drops.clone()))
    }
}

impl ExactSizeIterator for Understates {
    fn len(&self) -> usize {
        self.left.saturating_sub(2) as usize
    }
}

/// `send_iter` answers `Ok` only if it sent every value: an iterator whose `len` says 0 while
/// it still has values must not have them dropped unsent behind an `Ok(())`. (`len` may not
/// be trusted; the over-promising direction is handled, this is the other one.)
#[test]
fn send_iter_sends_everything_even_when_len_understates() {
    for capacity in [0, 1, 4, 16] {
        let drops = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (tx, rx) = bounded::<Noted>(capacity);
        let rx2 = rx.clone();
        let consumer = std::thread::spawn(move || rx2.iter().count());
        let r = tx.send_iter(Understates {
            left: 5,
            drops: drops.clone(),
        });
        drop(tx);
        let got = consumer.join().unwrap();
        assert!(r.is_ok());
        assert_eq!(
            got,
            5,
            "capacity {capacity}: send_iter returned Ok but {} values were dropped unsent",
            5 - got
        );
        assert_eq!(drops.load(std::sync::atomic::Ordering::SeqCst), 5);
        drop(rx);
    }
}

mod panicking_drops {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use kendall_queue::bounded;

    struct Bomb {
        panics: bool,
        drops: Arc<AtomicUsize>,
    }

    impl Drop for Bomb {
        fn drop(&mut self) {
            self.drops.fetch_add(1, Ordering::SeqCst);
            if self.panics {
                panic!("bomb");
            }
        }
    }

    /// The last receiver drops what is left as it leaves; a value whose `Drop` panics there
    /// must not keep the others from being dropped (once), nor leave senders blocked.
    #[test]
    fn a_panicking_value_dropped_with_the_last_receiver() {
        for capacity in [1, 2, 4] {
            let drops = Arc::new(AtomicUsize::new(0));
            let (tx, rx) = bounded(capacity);
            for i in 0..capacity {
                tx.send(Bomb {
                    panics: i == 0,
                    drops: drops.clone(),
                })
                .unwrap();
            }
            let blocked = {
                let tx = tx.clone();
                let drops = drops.clone();
                std::thread::spawn(move || {
                    tx.send(Bomb {
                        panics: false,
                        drops,
                    })
                    .is_err()
                })
            };
            std::thread::sleep(std::time::Duration::from_millis(20));
            let r = catch_unwind(AssertUnwindSafe(|| drop(rx)));
            assert!(r.is_err(), "the bomb went off");
            // The blocked sender is told the receivers left, and gets its value back.
            assert!(blocked.join().unwrap(), "capacity {capacity}");
            assert!(
                tx.send(Bomb {
                    panics: false,
                    drops: drops.clone()
                })
                .is_err()
            );
            drop(tx);
            assert_eq!(
                drops.load(Ordering::SeqCst),
                capacity + 2,
                "capacity {capacity}"
            );
        }
    }

    /// Zero-sized values with a `Drop` through the batch paths (the `recv_into` buffer is
    /// reinterpreted in place) and left behind in a dropped channel.
    #[test]
    fn zero_sized_values_with_drop_through_batches() {
        static DROPS: AtomicUsize = AtomicUsize::new(0);
        struct Unit;
        impl Drop for Unit {
            fn drop(&mut self) {
                DROPS.fetch_add(1, Ordering::SeqCst);
            }
        }
        let (tx, rx) = bounded::<Unit>(3);
        tx.send_iter((0..3).map(|_| Unit)).unwrap();
        let mut out = vec![Unit];
        assert_eq!(rx.recv_into(&mut out, 2), Ok(2));
        assert_eq!(out.len(), 3);
        assert_eq!(DROPS.load(Ordering::SeqCst), 0);
        drop(out);
        assert_eq!(DROPS.load(Ordering::SeqCst), 3);
        tx.send_iter((0..2).map(|_| Unit)).unwrap();
        assert_eq!(rx.len(), 3);
        drop(tx);
        drop(rx);
        assert_eq!(DROPS.load(Ordering::SeqCst), 6);
    }
}
