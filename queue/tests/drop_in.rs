//! Drop-in checks: one program written for `std::sync::mpsc::sync_channel`, and one written for
//! crossbeam-channel's bounded channel, each compiled twice — once against the original and once
//! against `kendall_queue`, changing only the `use` line — must produce the same transcript.
//!
//! The transcripts hold results and, for crossbeam-channel, whose wording the channel follows,
//! the errors' `Debug` and `Display` text (std's differ: "closed channel", `SendError { .. }`);
//! never timings or thread interleavings, so they are deterministic.

#![cfg(not(loom))]

use std::sync::mpsc as std_mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// A program written for std's bounded channel; `$chan` is the module it imports from.
macro_rules! std_program {
    ($chan:ident) => {{
        use $chan::{
            IntoIter, Iter, Receiver, RecvError, RecvTimeoutError, SendError, SyncSender, TryIter,
            TryRecvError, TrySendError, sync_channel,
        };

        // The iterator types by name, as a program that stores or passes them would.
        fn drain(it: IntoIter<u64>) -> Vec<u64> {
            it.collect()
        }

        fn first_two(mut it: Iter<'_, u64>) -> (Option<u64>, Option<u64>) {
            (it.next(), it.next())
        }

        fn ready(it: TryIter<'_, u64>) -> usize {
            it.count()
        }

        fn producer(tx: SyncSender<u64>, from: u64, to: u64) -> thread::JoinHandle<()> {
            thread::spawn(move || {
                for i in from..to {
                    tx.send(i).unwrap();
                }
            })
        }

        fn forward(tx: &SyncSender<u64>, v: u64) -> Result<(), Box<dyn std::error::Error>> {
            tx.send(v)?; // `SendError` converts into a boxed error
            Ok(())
        }

        let mut log: Vec<String> = Vec::new();

        // Filling, overflowing and draining a channel of two.
        let (tx, rx): (SyncSender<u64>, Receiver<u64>) = sync_channel(2);
        log.push(format!("{:?}", tx.try_send(1)));
        log.push(format!("{:?}", tx.try_send(2)));
        match tx.try_send(3) {
            Err(TrySendError::Full(v)) => log.push(format!("full, got {v} back")),
            other => log.push(format!("unexpected {other:?}")),
        }
        log.push(format!("{:?}", rx.try_recv()));
        log.push(format!("{:?}", rx.recv()));
        log.push(format!("{:?}", rx.try_recv()));
        log.push(format!("{:?}", rx.recv_timeout(Duration::from_millis(20))));

        // Several producers (cloned senders) feeding one receiver; the loop ends when all are
        // gone.
        let handles: Vec<_> = (0..3)
            .map(|k| producer(tx.clone(), k * 1000, k * 1000 + 500))
            .collect();
        drop(tx);
        let mut sum = 0;
        let mut count = 0;
        for v in rx.iter() {
            sum += v;
            count += 1;
        }
        for h in handles {
            h.join().unwrap();
        }
        log.push(format!("iter: {count} values, sum {sum}"));
        log.push(format!(
            "{:?}",
            rx.try_recv() == Err(TryRecvError::Disconnected)
        ));
        log.push(format!("{:?}", rx.recv() == Err(RecvError)));
        log.push(format!(
            "{:?}",
            rx.recv_timeout(Duration::from_secs(5)) == Err(RecvTimeoutError::Disconnected)
        ));

        // The receiver gone: the value comes back.
        let (tx, rx) = sync_channel::<u64>(4);
        log.push(format!("{:?}", forward(&tx, 9).is_ok()));
        drop(rx);
        match tx.send(5) {
            Err(SendError(v)) => log.push(format!("send error, got {v} back")),
            Ok(()) => log.push("sent into a dropped channel".into()),
        }
        match tx.try_send(6) {
            Err(TrySendError::Disconnected(v)) => log.push(format!("disconnected, got {v} back")),
            other => log.push(format!("unexpected {other:?}")),
        }
        log.push(format!("{:?}", forward(&tx, 7).is_err()));

        // `try_iter` takes what is ready and never waits; `for` over the receiver, by value and
        // by reference.
        let (tx, rx) = sync_channel::<u64>(4);
        tx.send(10).unwrap();
        tx.send(11).unwrap();
        log.push(format!("{:?}", rx.try_iter().collect::<Vec<_>>()));
        log.push(format!("{:?}", rx.try_iter().next()));
        tx.send(12).unwrap();
        let mut by_ref = Vec::new();
        for v in &rx {
            by_ref.push(v);
            if v == 12 {
                break;
            }
        }
        tx.send(13).unwrap();
        tx.send(14).unwrap();
        log.push(format!("{:?}", first_two(rx.iter())));
        tx.send(15).unwrap();
        tx.send(16).unwrap();
        log.push(format!("{}", ready(rx.try_iter())));
        tx.send(17).unwrap();
        drop(tx);
        log.push(format!("{by_ref:?} {:?}", drain(rx.into_iter())));

        // Rendezvous: `sync_channel(0)` hands each value straight to a receiver.
        let (tx, rx) = sync_channel::<u64>(0);
        match tx.try_send(1) {
            Err(TrySendError::Full(v)) => log.push(format!("no receiver waiting, got {v} back")),
            other => log.push(format!("unexpected {other:?}")),
        }
        let consumer = thread::spawn(move || (rx.recv(), rx.recv()));
        tx.send(20).unwrap();
        tx.send(21).unwrap();
        log.push(format!("{:?}", consumer.join().unwrap()));
        log.push(format!("{:?}", tx.send(22).map_err(|SendError(v)| v)));

        // A timed receive that runs out waits its whole timeout.
        let (_tx, rx) = sync_channel::<u64>(1);
        let start = Instant::now();
        let r = rx.recv_timeout(Duration::from_millis(30));
        log.push(format!(
            "{r:?}, waited the timeout: {}",
            start.elapsed() >= Duration::from_millis(30)
        ));
        log
    }};
}

/// A program written for crossbeam-channel's bounded channel.
macro_rules! crossbeam_program {
    ($chan:ident) => {{
        use $chan::{
            IntoIter, Iter, Receiver, RecvTimeoutError, SendTimeoutError, Sender, TryIter,
            TryRecvError, TrySendError, bounded,
        };

        // Fused, as crossbeam's blocking iterators are.
        fn after_the_end(it: std::iter::Fuse<Iter<'_, u32>>) -> Vec<u32> {
            it.collect()
        }

        fn fused<I: std::iter::FusedIterator>(it: I) -> I {
            it
        }

        fn all(it: IntoIter<u32>) -> Vec<u32> {
            it.collect()
        }

        fn ready(it: TryIter<'_, u32>) -> Vec<u32> {
            it.collect()
        }

        fn worker(rx: Receiver<u32>, done: Sender<u32>) -> thread::JoinHandle<()> {
            thread::spawn(move || {
                for v in &rx {
                    done.send(v * 2).unwrap();
                }
            })
        }

        let mut log: Vec<String> = Vec::new();

        // Inspection: length, capacity, flags, identity.
        let (tx, rx) = bounded::<u32>(3);
        log.push(format!(
            "{:?} {} {} {} {}",
            tx.capacity(),
            tx.len(),
            tx.is_empty(),
            rx.is_full(),
            rx.is_empty()
        ));
        tx.send(1).unwrap();
        tx.send(2).unwrap();
        tx.send(3).unwrap();
        log.push(format!(
            "{:?} {} {} {}",
            rx.capacity(),
            rx.len(),
            tx.is_full(),
            rx.is_empty()
        ));
        let (other, _keep) = bounded::<u32>(3);
        log.push(format!(
            "{} {} {}",
            tx.same_channel(&tx.clone()),
            rx.same_channel(&rx.clone()),
            tx.same_channel(&other)
        ));

        // Errors: matching, their methods, `Debug` and `Display`.
        let full = tx.try_send(4).unwrap_err();
        log.push(format!(
            "{full:?} / {full} / {} {}",
            full.is_full(),
            full.is_disconnected()
        ));
        log.push(format!("{}", full.into_inner()));
        let timed = tx.send_timeout(5, Duration::from_millis(20)).unwrap_err();
        log.push(format!(
            "{timed:?} / {timed} / {} {}",
            timed.is_timeout(),
            timed.is_disconnected()
        ));
        match tx.send_deadline(6, Instant::now() + Duration::from_millis(20)) {
            Err(SendTimeoutError::Timeout(v)) => log.push(format!("deadline passed, {v} back")),
            other => log.push(format!("unexpected {other:?}")),
        }
        log.push(format!("{:?}", rx.try_iter().collect::<Vec<_>>()));
        let empty = rx.try_recv().unwrap_err();
        log.push(format!(
            "{empty:?} / {empty} / {} {}",
            empty.is_empty(),
            empty.is_disconnected()
        ));
        let timeout = rx.recv_timeout(Duration::from_millis(20)).unwrap_err();
        log.push(format!(
            "{timeout:?} / {timeout} / {} {}",
            timeout.is_timeout(),
            timeout.is_disconnected()
        ));
        log.push(format!(
            "{:?}",
            rx.recv_deadline(Instant::now() + Duration::from_millis(20))
        ));

        // Disconnection, both ways.
        tx.send(7).unwrap();
        drop(tx);
        log.push(format!("{:?} {:?}", rx.recv(), rx.recv()));
        let gone = rx.try_recv().unwrap_err();
        log.push(format!("{gone:?} / {gone} / {}", gone.is_disconnected()));
        let gone = rx.recv_timeout(Duration::from_secs(5)).unwrap_err();
        log.push(format!("{gone:?} / {gone} / {}", gone.is_disconnected()));
        let err = rx.recv().unwrap_err();
        log.push(format!("{err:?} / {err}"));
        log.push(format!(
            "{}",
            rx.try_recv() == Err(TryRecvError::Disconnected)
        ));
        let (tx, rx) = bounded::<u32>(1);
        drop(rx);
        let err = tx.send(8).unwrap_err();
        log.push(format!("{err:?} / {err} / {}", err.into_inner()));
        match tx.try_send(9) {
            Err(TrySendError::Disconnected(v)) => log.push(format!("disconnected, {v} back")),
            other => log.push(format!("unexpected {other:?}")),
        }
        let err = tx.send_timeout(10, Duration::from_secs(5)).unwrap_err();
        log.push(format!("{err:?} / {err} / {}", err.is_disconnected()));

        // A worker pool: cloned receivers share the work, each value is handled once.
        let (jobs, queue) = bounded::<u32>(8);
        let (done, results) = bounded::<u32>(8);
        let pool: Vec<_> = (0..3)
            .map(|_| worker(queue.clone(), done.clone()))
            .collect();
        drop((queue, done));
        let feeder = thread::spawn(move || {
            for i in 1..=300 {
                jobs.send(i).unwrap();
            }
        });
        let total: u32 = results.iter().sum();
        feeder.join().unwrap();
        for w in pool {
            w.join().unwrap();
        }
        log.push(format!("pool total {total}"));
        log.push(format!(
            "{}",
            results.recv_timeout(Duration::from_secs(5)) == Err(RecvTimeoutError::Disconnected)
        ));

        // Both ends may be used across `catch_unwind` (they are unwind-safe).
        let (tx, rx) = bounded::<u32>(1);
        let sent = std::panic::catch_unwind(|| tx.send(50).is_ok());
        let got = std::panic::catch_unwind(move || rx.recv());
        log.push(format!("{:?} {:?}", sent, got.map(|r| r.ok())));

        // Named iterator types and the rendezvous channel.
        let (tx, rx) = bounded::<u32>(4);
        tx.send(30).unwrap();
        tx.send(31).unwrap();
        log.push(format!("{:?}", ready(rx.try_iter())));
        let (tx, rx) = bounded::<u32>(0);
        log.push(format!(
            "{:?} {} {} {} {:?}",
            tx.capacity(),
            tx.len(),
            tx.is_empty(),
            tx.is_full(),
            tx.try_send(1)
        ));
        // `try_send` succeeds once a receiver is waiting.
        let waiting = thread::spawn({
            let rx = rx.clone();
            move || rx.recv()
        });
        let give_up = Instant::now() + Duration::from_secs(10);
        let mut handed = tx.try_send(2);
        while matches!(handed, Err(TrySendError::Full(_))) && Instant::now() < give_up {
            thread::sleep(Duration::from_micros(100));
            handed = tx.try_send(2);
        }
        if handed.is_err() {
            // No receiver seen waiting within 10 s: say so and let the blocked one go.
            log.push(format!("try_send never succeeded: {handed:?}"));
            tx.send(2).unwrap();
        }
        log.push(format!("{handed:?} {:?}", waiting.join().unwrap()));
        let taker = thread::spawn(move || all(rx.into_iter()));
        for v in 40..43 {
            tx.send(v).unwrap();
        }
        drop(tx);
        log.push(format!("{:?}", taker.join().unwrap()));

        // Iteration past the end, and formatting flags on the errors and the ends.
        let (tx, rx) = bounded::<u32>(2);
        tx.send(60).unwrap();
        drop(tx);
        log.push(format!("{:?}", after_the_end(rx.iter().fuse())));
        let mut ended = fused(rx.iter());
        log.push(format!("{:?} {:?}", ended.next(), ended.next()));
        log.push(format!(
            "[{:>40}] [{:<30?}] [{:^20?}]",
            TrySendError::Full(1),
            TrySendError::Disconnected(1),
            rx
        ));
        log
    }};
}

/// Line by line first, so a difference names its line; then the lengths.
fn assert_same(original: &[String], kendall: &[String]) {
    for (line, (a, b)) in original.iter().zip(kendall).enumerate() {
        assert_eq!(a, b, "line {line} of the transcript");
    }
    assert_eq!(original.len(), kendall.len());
}

#[test]
fn a_std_sync_channel_program_behaves_the_same() {
    assert_same(&std_program!(std_mpsc), &std_program!(kendall_queue));
}

#[test]
fn a_crossbeam_channel_program_behaves_the_same() {
    assert_same(
        &crossbeam_program!(crossbeam_channel),
        &crossbeam_program!(kendall_queue),
    );
}
