#![cfg(loom)]
//! Loom models of the channel's park/wake protocol: in every interleaving, a blocked sender or
//! receiver is woken by the value, the free slot or the disconnection (a lost wake-up shows
//! up as a deadlock, which loom reports). Deadlines are not modelled (loom has no clock).
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test -p kendall-queue --release --test loom_channel`.

use kendall_queue::{RecvError, SendError, bounded};
use loom::thread;

/// A receiver that parks on an empty channel is woken by the send.
#[test]
fn recv_wakes_on_send() {
    loom::model(|| {
        let (tx, rx) = bounded(1);
        let t = thread::spawn(move || tx.send(1).unwrap());
        assert_eq!(rx.recv(), Ok(1));
        t.join().unwrap();
    });
}

/// A sender that parks on a full channel is woken by the receive that frees a slot.
#[test]
fn send_wakes_on_recv() {
    loom::model(|| {
        let (tx, rx) = bounded(1);
        tx.send(1).unwrap();
        let t = thread::spawn(move || {
            assert_eq!(rx.recv(), Ok(1));
            rx
        });
        tx.send(2).unwrap();
        let rx = t.join().unwrap();
        assert_eq!(rx.try_recv(), Ok(2));
    });
}

/// A parked receiver is woken by the last sender leaving, after taking what was sent.
#[test]
fn recv_wakes_on_disconnect() {
    loom::model(|| {
        let (tx, rx) = bounded(1);
        let t = thread::spawn(move || {
            tx.send(7).unwrap();
            drop(tx);
        });
        assert_eq!(rx.recv(), Ok(7));
        assert_eq!(rx.recv(), Err(RecvError));
        t.join().unwrap();
    });
}

/// A parked sender is woken by the last receiver leaving. Its send may still succeed if it
/// slipped in as the departing receiver emptied the channel (it then linearises before the
/// disconnection, and the value is dropped with the channel); it must never hang.
#[test]
fn send_wakes_on_disconnect() {
    loom::model(|| {
        let (tx, rx) = bounded(1);
        tx.send(1).unwrap();
        let t = thread::spawn(move || drop(rx));
        let _ = tx.send(2);
        t.join().unwrap();
        // After the disconnection is visible, sends fail and hand the value back.
        assert_eq!(tx.send(3), Err(SendError(3)));
    });
}

/// Two receivers parked, two values sent by two senders: both receivers wake.
#[test]
fn two_receivers_both_wake() {
    loom::model(|| {
        let (tx, rx) = bounded(2);
        let rx2 = rx.clone();
        let t = thread::spawn(move || rx2.recv().unwrap());
        let tx2 = tx.clone();
        let s = thread::spawn(move || tx2.send(1).unwrap());
        tx.send(2).unwrap();
        let a = rx.recv().unwrap();
        let b = t.join().unwrap();
        s.join().unwrap();
        assert_eq!(a + b, 3);
    });
}

/// Rendezvous: the hand-off completes on both sides.
#[test]
fn rendezvous_hand_off() {
    loom::model(|| {
        let (tx, rx) = bounded(0);
        let t = thread::spawn(move || tx.send(5).unwrap());
        assert_eq!(rx.recv(), Ok(5));
        t.join().unwrap();
    });
}

/// Rendezvous: a parked receiver is woken by disconnection.
#[test]
fn rendezvous_disconnect() {
    loom::model(|| {
        let (tx, rx) = bounded::<u8>(0);
        let t = thread::spawn(move || drop(tx));
        assert_eq!(rx.recv(), Err(RecvError));
        t.join().unwrap();
    });
}

/// An async receive registers its waker and is woken by a send from another thread.
#[test]
fn async_recv_wakes_on_send() {
    loom::model(|| {
        let (tx, rx) = bounded(1);
        let t = thread::spawn(move || tx.send(1).unwrap());
        assert_eq!(loom::future::block_on(rx.recv_async()), Ok(1));
        t.join().unwrap();
    });
}

/// An async send parked on a full channel is woken by a receive.
#[test]
fn async_send_wakes_on_recv() {
    loom::model(|| {
        let (tx, rx) = bounded(1);
        tx.send(1).unwrap();
        let t = thread::spawn(move || {
            assert_eq!(rx.recv(), Ok(1));
            rx
        });
        loom::future::block_on(tx.send_async(2)).unwrap();
        assert_eq!(t.join().unwrap().try_recv(), Ok(2));
    });
}

/// Rendezvous, async sender: it waits until a receiver waits, which nudges it, and then hands
/// the value over in its own poll — against a blocking and an async receiver.
#[test]
fn async_rendezvous_send_is_nudged_by_a_waiting_receiver() {
    loom::model(|| {
        let (tx, rx) = bounded(0);
        let t = thread::spawn(move || loom::future::block_on(tx.send_async(3)).unwrap());
        assert_eq!(rx.recv(), Ok(3));
        t.join().unwrap();
    });
    loom::model(|| {
        let (tx, rx) = bounded(0);
        let t = thread::spawn(move || loom::future::block_on(tx.send_async(4)).unwrap());
        assert_eq!(loom::future::block_on(rx.recv_async()), Ok(4));
        t.join().unwrap();
    });
}

/// Rendezvous: a pending async sender is woken by the last receiver leaving, and gets its
/// value back.
#[test]
fn async_rendezvous_send_wakes_on_disconnect() {
    loom::model(|| {
        let (tx, rx) = bounded::<u8>(0);
        let t = thread::spawn(move || drop(rx));
        assert_eq!(loom::future::block_on(tx.send_async(9)), Err(SendError(9)));
        t.join().unwrap();
    });
}
