#![cfg(not(loom))]
//! Async ends on two executors (tokio and `futures::executor`), cancellation safety inside
//! `tokio::select!`, the `Stream`, and sync/async mixing on one channel.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll};
use std::thread;
use std::time::Duration;

use futures::StreamExt;
use futures::task::noop_waker;
use kendall_queue::{RecvError, SendError, bounded};

#[test]
fn futures_executor_round_trip() {
    let (tx, rx) = bounded(2);
    futures::executor::block_on(async {
        for i in 0..2 {
            tx.send_async(i).await.unwrap();
        }
        assert_eq!(rx.recv_async().await, Ok(0));
        assert_eq!(rx.recv_async().await, Ok(1));
        drop(tx);
        assert_eq!(rx.recv_async().await, Err(RecvError));
    });
}

#[test]
fn async_send_to_a_disconnected_channel_returns_the_value() {
    let (tx, rx) = bounded(1);
    drop(rx);
    let err = futures::executor::block_on(tx.send_async(String::from("v"))).unwrap_err();
    assert_eq!(err, SendError(String::from("v")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokio_tasks_exchange_everything() {
    let (tx, rx) = bounded(4);
    let producers: Vec<_> = (0..4u64)
        .map(|p| {
            let tx = tx.clone();
            tokio::spawn(async move {
                for i in 0..2_000 {
                    tx.send_async(p * 2_000 + i).await.unwrap();
                }
            })
        })
        .collect();
    drop(tx);
    let consumers: Vec<_> = (0..3)
        .map(|_| {
            let rx = rx.clone();
            tokio::spawn(async move {
                let mut got = Vec::new();
                while let Ok(v) = rx.recv_async().await {
                    got.push(v);
                }
                got
            })
        })
        .collect();
    drop(rx);
    for p in producers {
        p.await.unwrap();
    }
    let mut all = Vec::new();
    for c in consumers {
        all.extend(c.await.unwrap());
    }
    all.sort_unstable();
    assert_eq!(all, (0..8_000).collect::<Vec<_>>());
}

/// The classic `select!` loop: a timer branch keeps winning and cancelling the pending
/// receive. No message may be lost to a cancelled `recv_async`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recv_async_is_cancellation_safe_in_select() {
    for capacity in [0, 1, 8] {
        let (tx, rx) = bounded(capacity);
        let n = 2_000u32;
        let producer = tokio::spawn(async move {
            for i in 0..n {
                tx.send_async(i).await.unwrap();
                if i % 64 == 0 {
                    tokio::task::yield_now().await;
                }
            }
        });
        let mut got = Vec::new();
        let mut ticks = 0u32;
        loop {
            tokio::select! {
                v = rx.recv_async() => match v {
                    Ok(v) => got.push(v),
                    Err(_) => break,
                },
                _ = tokio::task::yield_now() => ticks += 1,
            }
        }
        producer.await.unwrap();
        assert_eq!(got, (0..n).collect::<Vec<_>>(), "capacity {capacity}");
        assert!(ticks > 0, "the cancelling branch never won");
    }
}

/// Exactly the values whose send completed arrive: a send that lost its `select!` race sent
/// nothing, none is half-sent, none lost. At capacity 0 a pending send once offered its value
/// where a receiver could take it unpolled (one round of 500 sends caught that 3 times in 4).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_async_is_cancellation_safe_in_select() {
    for (capacity, round) in [0, 1, 4]
        .into_iter()
        .flat_map(|c| (0..4).map(move |r| (c, r)))
    {
        let (tx, rx) = bounded(capacity);
        let mut sent = Vec::new();
        let mut attempts = 0u32;
        let consumer = tokio::spawn(async move {
            let mut got = Vec::new();
            while let Ok(v) = rx.recv_async().await {
                got.push(v);
                tokio::task::yield_now().await;
            }
            got
        });
        while sent.len() < 500 {
            attempts += 1;
            let v = attempts;
            tokio::select! {
                r = tx.send_async(v) => { r.unwrap(); sent.push(v); }
                _ = tokio::task::yield_now() => {}
            }
        }
        drop(tx);
        assert_eq!(
            consumer.await.unwrap(),
            sent,
            "capacity {capacity}, round {round}"
        );
    }
}

#[test]
fn dropping_a_woken_recv_future_passes_the_wake_up_on() {
    let (tx, rx) = bounded(1);
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    // Two pending receives register; a send wakes the first, which is then dropped unused.
    let mut first = Box::pin(rx.recv_async());
    assert!(first.as_mut().poll(&mut cx).is_pending());
    let rx2 = rx.clone();
    let second = thread::spawn(move || futures::executor::block_on(rx2.recv_async()));
    thread::sleep(Duration::from_millis(20));
    tx.send(7).unwrap();
    drop(first);
    assert_eq!(second.join().unwrap(), Ok(7));
}

#[test]
fn dropping_a_pending_rendezvous_send_withdraws_the_value() {
    let (tx, rx) = bounded(0);
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    {
        let mut send = pin!(tx.send_async(1));
        assert!(send.as_mut().poll(&mut cx).is_pending());
    }
    assert!(rx.try_recv().is_err());
}

#[test]
fn a_value_handed_to_a_dropped_rendezvous_receive_is_not_lost() {
    let (tx, rx) = bounded(0);
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    let mut recv = Box::pin(rx.recv_async());
    assert!(recv.as_mut().poll(&mut cx).is_pending());
    tx.try_send(9).unwrap(); // handed to the pending receive
    drop(recv);
    assert_eq!(rx.try_recv(), Ok(9));
}

#[test]
fn stream_yields_everything_then_ends() {
    let (tx, rx) = bounded(3);
    let t = thread::spawn(move || {
        for i in 0..1000 {
            tx.send(i).unwrap();
        }
    });
    let got: Vec<i32> = futures::executor::block_on(rx.stream().collect());
    t.join().unwrap();
    assert_eq!(got, (0..1000).collect::<Vec<_>>());
    let mut s = rx.stream();
    assert!(futures::executor::block_on(s.next()).is_none());
    assert!(futures::stream::FusedStream::is_terminated(&s));
}

#[tokio::test]
async fn stream_works_on_a_current_thread_runtime() {
    let (tx, rx) = bounded(2);
    let producer = tokio::spawn(async move {
        for i in 0..100 {
            tx.send_async(i).await.unwrap();
        }
    });
    let sum: i32 = rx.stream().fold(0, |a, b| async move { a + b }).await;
    producer.await.unwrap();
    assert_eq!(sum, 4950);
}

#[test]
fn sync_and_async_ends_mix_on_one_channel() {
    let (tx, rx) = bounded(4);
    let sync_sender = {
        let tx = tx.clone();
        thread::spawn(move || {
            for i in 0..1000u32 {
                tx.send(i).unwrap();
            }
        })
    };
    let async_sender = {
        let tx = tx.clone();
        thread::spawn(move || {
            futures::executor::block_on(async {
                for i in 1000..2000u32 {
                    tx.send_async(i).await.unwrap();
                }
            })
        })
    };
    drop(tx);
    let async_receiver = {
        let rx = rx.clone();
        thread::spawn(move || futures::executor::block_on(rx.stream().collect::<Vec<u32>>()))
    };
    let mut got: Vec<u32> = rx.iter().collect();
    sync_sender.join().unwrap();
    async_sender.join().unwrap();
    got.extend(async_receiver.join().unwrap());
    got.sort_unstable();
    assert_eq!(got, (0..2000).collect::<Vec<_>>());
}

#[test]
fn polling_after_ready_is_not_needed_for_progress() {
    // A receive that completes on its first poll never registers.
    let (tx, rx) = bounded(1);
    tx.send(1).unwrap();
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    let mut f = pin!(rx.recv_async());
    assert_eq!(f.as_mut().poll(&mut cx), Poll::Ready(Ok(1)));
}
