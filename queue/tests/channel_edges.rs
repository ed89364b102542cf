#![cfg(not(loom))]
//! Edge cases found in review: rendezvous channels with async ends (a cancelled send sent
//! nothing; `join` and the stats around it), `send_iter` with an iterator whose `len`
//! understates, the stream's size hint, values whose `Drop` panics or that are zero-sized.

use std::future::Future;
use std::pin::pin;
use std::task::Context;
use std::time::Duration;

use futures::task::noop_waker;
use kendall_queue::bounded;

/// A pending `send_async` on a rendezvous channel parks its value where a receiver can take
/// it without the future being polled again. Dropping the future then must not leave a
/// message that was delivered but never counted as sent (nor, per the docs, deliver it at
/// all: "Dropping the future before it completes drops the value; nothing is half-sent").
#[test]
fn a_dropped_pending_rendezvous_send_async_sends_nothing() {
    let (tx, rx) = bounded::<u32>(0);
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    let got = {
        let mut send = pin!(tx.send_async(1));
        assert!(send.as_mut().poll(&mut cx).is_pending());
        // A receiver comes along while the send is pending …
        let got = rx.try_recv().ok();
        // … and the sender gives up (a `select!` timer won) without polling again.
        got
    };
    let s = rx.stats();
    assert_eq!(
        got, None,
        "a send_async that never completed delivered its value ({s:?})"
    );
}

/// Same path, seen through the stats: at rest every received message must have been
/// counted as sent.
#[test]
fn stats_stay_consistent_after_a_dropped_pending_rendezvous_send_async() {
    let (tx, rx) = bounded::<u32>(0);
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    {
        let mut send = pin!(tx.send_async(1));
        assert!(send.as_mut().poll(&mut cx).is_pending());
        let _ = rx.try_recv();
    }
    let s = rx.stats();
    assert!(
        s.received <= s.sent,
        "received more than was sent at rest: {s:?}"
    );
}

/// The skew above makes a later `join` return while a message sent before it is still in the
/// channel (handed to a `recv_async` that was then dropped, so the next receiver takes it).
#[test]
fn join_waits_for_a_message_orphaned_by_a_dropped_rendezvous_recv_async() {
    let (tx, rx) = bounded::<u32>(0);
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    {
        let mut send = pin!(tx.send_async(1));
        assert!(send.as_mut().poll(&mut cx).is_pending());
        let _ = rx.try_recv();
    }
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

/// The `select!` form of the first test, on a real runtime: exactly the values whose send
/// completed arrive. (A few rounds: one round of 500 sends catches it about 3 times in 4.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rendezvous_send_async_is_cancellation_safe_in_select() {
    for round in 0..4 {
        let (tx, rx) = bounded(0);
        let consumer = tokio::spawn(async move {
            let mut got = Vec::new();
            while let Ok(v) = rx.recv_async().await {
                got.push(v);
                tokio::task::yield_now().await;
            }
            got
        });
        let mut sent = Vec::new();
        let mut attempts = 0u32;
        while sent.len() < 500 {
            attempts += 1;
            let v = attempts;
            tokio::select! {
                r = tx.send_async(v) => { r.unwrap(); sent.push(v); }
                _ = tokio::task::yield_now() => {}
            }
        }
        drop(tx);
        let got = consumer.await.unwrap();
        assert_eq!(
            got.len(),
            sent.len(),
            "round {round}: {} delivered, {} sends completed",
            got.len(),
            sent.len()
        );
        assert_eq!(got, sent);
    }
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

/// An exact-size iterator that promises `0` values and yields none.
struct Promises(usize);

impl Iterator for Promises {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        self.0 = 0;
        None
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.0, Some(self.0))
    }
}

impl ExactSizeIterator for Promises {}

/// `Stream::size_hint`'s lower bound is a promise of at least that many more items. The
/// stream reports the channel's `len`, which counts slots a batch left unfilled, and which
/// other receivers may empty first: here it promises 2 items and ends with none.
#[test]
fn stream_size_hint_lower_bound_is_kept() {
    use futures::{Stream, StreamExt};
    let (tx, rx) = bounded::<u32>(4);
    tx.send_iter(Promises(2)).unwrap();
    drop(tx);
    let s = rx.stream();
    let (low, _) = s.size_hint();
    let items = futures::executor::block_on(s.count());
    assert!(
        low <= items,
        "size_hint promised at least {low} items, the stream yielded {items}"
    );
}
