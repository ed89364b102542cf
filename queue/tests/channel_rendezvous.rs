#![cfg(not(loom))]
//! `bounded(0)`: the rendezvous channel of crossbeam-channel and `std::sync::mpsc::sync_channel(0)`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use kendall_queue::{
    RecvError, RecvTimeoutError, SendError, SendTimeoutError, TryRecvError, TrySendError, bounded,
};

const SHORT: Duration = Duration::from_millis(20);

#[test]
fn flags_of_a_zero_capacity_channel() {
    let (tx, rx) = bounded::<u8>(0);
    assert_eq!(tx.capacity(), Some(0));
    assert_eq!(rx.len(), 0);
    assert!(tx.is_empty() && tx.is_full());
}

#[test]
fn try_send_fails_without_a_waiting_receiver() {
    let (tx, rx) = bounded(0);
    assert_eq!(tx.try_send(1), Err(TrySendError::Full(1)));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    drop(rx);
    assert_eq!(tx.try_send(1), Err(TrySendError::Disconnected(1)));
}

#[test]
fn send_completes_only_when_the_value_is_taken() {
    let (tx, rx) = bounded(0);
    let taken = Arc::new(AtomicBool::new(false));
    let t = {
        let taken = taken.clone();
        thread::spawn(move || {
            tx.send(42).unwrap();
            // The receiver marks `taken` right after it got the value; the send cannot have
            // returned before the receive happened.
            taken.load(Ordering::SeqCst) || {
                thread::sleep(SHORT);
                taken.load(Ordering::SeqCst)
            }
        })
    };
    thread::sleep(Duration::from_millis(30));
    assert!(!t.is_finished(), "send returned with no receiver");
    assert_eq!(rx.recv(), Ok(42));
    taken.store(true, Ordering::SeqCst);
    assert!(t.join().unwrap());
}

#[test]
fn try_send_hands_off_to_a_blocked_receiver() {
    let (tx, rx) = bounded(0);
    let t = thread::spawn(move || rx.recv());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match tx.try_send(5) {
            Ok(()) => break,
            Err(TrySendError::Full(_)) if Instant::now() < deadline => thread::yield_now(),
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(t.join().unwrap(), Ok(5));
}

#[test]
fn try_recv_takes_from_a_blocked_sender() {
    let (tx, rx) = bounded(0);
    let t = thread::spawn(move || tx.send(6));
    let deadline = Instant::now() + Duration::from_secs(5);
    let got = loop {
        match rx.try_recv() {
            Ok(v) => break v,
            Err(TryRecvError::Empty) if Instant::now() < deadline => thread::yield_now(),
            Err(e) => panic!("{e}"),
        }
    };
    assert_eq!(got, 6);
    assert_eq!(t.join().unwrap(), Ok(()));
}

#[test]
fn timeouts_are_never_early_and_withdraw_the_offer() {
    let (tx, rx) = bounded(0);
    let start = Instant::now();
    assert_eq!(tx.send_timeout(1, SHORT), Err(SendTimeoutError::Timeout(1)));
    assert!(start.elapsed() >= SHORT);
    // The withdrawn offer is gone: nothing to receive.
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    let start = Instant::now();
    assert_eq!(rx.recv_timeout(SHORT), Err(RecvTimeoutError::Timeout));
    assert!(start.elapsed() >= SHORT);
    assert_eq!(tx.try_send(2), Err(TrySendError::Full(2)));
}

#[test]
fn disconnection_wakes_both_sides() {
    let (tx, rx) = bounded::<u8>(0);
    let t = thread::spawn(move || rx.recv());
    thread::sleep(SHORT);
    drop(tx);
    assert_eq!(t.join().unwrap(), Err(RecvError));

    let (tx, rx) = bounded(0);
    let t = thread::spawn(move || tx.send(3));
    thread::sleep(SHORT);
    drop(rx);
    assert_eq!(t.join().unwrap(), Err(SendError(3)));
}

#[test]
fn many_senders_many_receivers_exchange_everything_once() {
    let (tx, rx) = bounded(0);
    let per = 2_000u64;
    let senders: Vec<_> = (0..3)
        .map(|s| {
            let tx = tx.clone();
            thread::spawn(move || {
                for i in 0..per {
                    tx.send(s * per + i).unwrap();
                }
            })
        })
        .collect();
    drop(tx);
    let receivers: Vec<_> = (0..3)
        .map(|_| {
            let rx = rx.clone();
            thread::spawn(move || rx.iter().collect::<Vec<u64>>())
        })
        .collect();
    drop(rx);
    for s in senders {
        s.join().unwrap();
    }
    let mut all: Vec<u64> = receivers
        .into_iter()
        .flat_map(|r| r.join().unwrap())
        .collect();
    all.sort_unstable();
    assert_eq!(all, (0..3 * per).collect::<Vec<_>>());
}

#[test]
fn ping_pong_round_trips() {
    let (ping_tx, ping_rx) = bounded(0);
    let (pong_tx, pong_rx) = bounded(0);
    let t = thread::spawn(move || {
        for v in ping_rx {
            pong_tx.send(v + 1).unwrap();
        }
    });
    for i in 0..1000 {
        ping_tx.send(i).unwrap();
        assert_eq!(pong_rx.recv(), Ok(i + 1));
    }
    drop(ping_tx);
    t.join().unwrap();
}

#[test]
fn force_send_and_batches_on_a_rendezvous_channel() {
    let (tx, rx) = bounded(0);
    assert_eq!(tx.force_send(1), Ok(Some(1))); // nobody waiting: the value is the oldest
    let t = thread::spawn(move || tx.send_iter(vec![1, 2, 3]));
    let mut out = Vec::new();
    while out.len() < 3 {
        rx.recv_into(&mut out, 3).unwrap();
    }
    assert_eq!(out, [1, 2, 3]);
    t.join().unwrap().unwrap();
}

#[test]
fn async_receiver_and_blocking_sender_meet() {
    let (tx, rx) = bounded(0);
    let t = thread::spawn(move || {
        for i in 0..200 {
            tx.send(i).unwrap();
        }
    });
    let got: Vec<i32> = futures::executor::block_on(async {
        let mut got = Vec::new();
        while let Ok(v) = rx.recv_async().await {
            got.push(v);
        }
        got
    });
    t.join().unwrap();
    assert_eq!(got, (0..200).collect::<Vec<_>>());
}

#[test]
fn async_sender_and_blocking_receiver_meet() {
    let (tx, rx) = bounded(0);
    let t = thread::spawn(move || rx.iter().collect::<Vec<i32>>());
    futures::executor::block_on(async {
        for i in 0..200 {
            tx.send_async(i).await.unwrap();
        }
    });
    drop(tx);
    assert_eq!(t.join().unwrap(), (0..200).collect::<Vec<_>>());
}
