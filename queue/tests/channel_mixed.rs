#![cfg(not(loom))]
//! Every send and receive style on one channel at once — blocking, with timeouts, `force_send`,
//! batches, async futures cancelled by timers, streams dropped mid-item, tracked work — at
//! capacities 0 to 3, with and without a receiver leaving early: each value is received at
//! most once and dropped exactly once, and nobody hangs.

mod mixed {
    //! Every send and receive style at once, with timeouts and cancelled futures on both
    //! sides: each value is received or dropped exactly once, and nobody hangs.

    use std::sync::Arc;
    use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
    use std::thread;
    use std::time::{Duration, Instant};

    use futures::StreamExt;
    use kendall_queue::{Receiver, RecvTimeoutError, SendTimeoutError, Sender, bounded};

    pub struct Counted {
        pub id: usize,
        drops: Arc<Vec<AtomicU8>>,
    }

    impl Drop for Counted {
        fn drop(&mut self) {
            self.drops[self.id].fetch_add(1, Ordering::SeqCst);
        }
    }

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
    }

    fn produce(
        style: usize,
        tx: Sender<Counted>,
        ids: Vec<usize>,
        drops: Arc<Vec<AtomicU8>>,
        cancelled: &[AtomicU8],
    ) {
        let make = |id| Counted {
            id,
            drops: drops.clone(),
        };
        match style {
            0 => {
                for id in ids {
                    let mut v = make(id);
                    loop {
                        match tx.send_timeout(v, Duration::from_micros(30)) {
                            Ok(()) => break,
                            Err(SendTimeoutError::Timeout(back)) => v = back,
                            Err(SendTimeoutError::Disconnected(_)) => return,
                        }
                    }
                }
            }
            1 => {
                for id in ids {
                    if tx.force_send(make(id)).is_err() {
                        return;
                    }
                }
            }
            2 => {
                for chunk in ids.chunks(5) {
                    let batch: Vec<Counted> = chunk.iter().map(|&id| make(id)).collect();
                    if tx.send_iter(batch).is_err() {
                        return;
                    }
                }
            }
            3 => rt().block_on(async {
                for id in ids {
                    // A cancelled send sent nothing: that id must never be received.
                    let sent =
                        tokio::time::timeout(Duration::from_micros(20), tx.send_async(make(id)))
                            .await;
                    match sent {
                        Ok(Ok(())) => {}
                        Ok(Err(_)) => return,
                        Err(_) => {
                            cancelled[id].store(1, Ordering::SeqCst);
                        }
                    }
                }
            }),
            _ => {
                for id in ids {
                    if tx.send(make(id)).is_err() {
                        return;
                    }
                }
            }
        }
    }

    fn consume(style: usize, rx: Receiver<Counted>, seen: &[AtomicU8]) {
        let mut note = |c: Counted| {
            seen[c.id].fetch_add(1, Ordering::SeqCst);
        };
        match style {
            0 => loop {
                match rx.recv_timeout(Duration::from_micros(40)) {
                    Ok(c) => note(c),
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            },
            1 => rt().block_on(async {
                loop {
                    match tokio::time::timeout(Duration::from_micros(20), rx.recv_async()).await {
                        Ok(Ok(c)) => note(c),
                        Ok(Err(_)) => return,
                        Err(_) => {}
                    }
                }
            }),
            2 => rt().block_on(async {
                loop {
                    // A fresh stream each round, dropped mid-way when the timer wins.
                    let mut s = rx.stream();
                    match tokio::time::timeout(Duration::from_micros(20), s.next()).await {
                        Ok(Some(c)) => note(c),
                        Ok(None) => return,
                        Err(_) => {}
                    }
                }
            }),
            3 => {
                let mut out = Vec::new();
                while rx.recv_into(&mut out, 3).is_ok() {
                    out.drain(..).for_each(&mut note);
                }
            }
            4 => loop {
                match rx.recv_tracked_timeout(Duration::from_micros(40)) {
                    Ok(w) => {
                        let (c, done) = w.into_parts();
                        note(c);
                        drop(done);
                    }
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            },
            _ => {
                while let Ok(c) = rx.recv() {
                    note(c)
                }
            }
        }
    }

    /// Runs one round; returns (received, dropped unreceived).
    pub fn round(
        capacity: usize,
        producers: &[usize],
        consumers: &[usize],
        per: usize,
        leave_early: bool,
    ) -> (usize, usize) {
        let n = producers.len() * per;
        let drops: Arc<Vec<AtomicU8>> = Arc::new((0..n).map(|_| AtomicU8::new(0)).collect());
        let seen: Arc<Vec<AtomicU8>> = Arc::new((0..n).map(|_| AtomicU8::new(0)).collect());
        let cancelled: Arc<Vec<AtomicU8>> = Arc::new((0..n).map(|_| AtomicU8::new(0)).collect());
        let (tx, rx) = bounded::<Counted>(capacity);
        let start = Instant::now();
        let ps: Vec<_> = producers
            .iter()
            .enumerate()
            .map(|(p, &style)| {
                let tx = tx.clone();
                let drops = drops.clone();
                let cancelled = cancelled.clone();
                let ids = (p * per..(p + 1) * per).collect();
                thread::spawn(move || produce(style, tx, ids, drops, &cancelled))
            })
            .collect();
        drop(tx);
        let left = Arc::new(AtomicUsize::new(consumers.len()));
        let cs: Vec<_> = consumers
            .iter()
            .enumerate()
            .map(|(i, &style)| {
                let rx = rx.clone();
                let seen = seen.clone();
                let left = left.clone();
                thread::spawn(move || {
                    if leave_early && i == 0 {
                        // One consumer takes a few and leaves.
                        for _ in 0..3 {
                            let _ = rx
                                .recv_timeout(Duration::from_millis(1))
                                .map(|c| seen[c.id].fetch_add(1, Ordering::SeqCst));
                        }
                    } else {
                        consume(style, rx, &seen);
                    }
                    left.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        drop(rx);
        for p in ps {
            p.join().unwrap();
        }
        while left.load(Ordering::SeqCst) > 0 {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "consumers hang: cap {capacity} {producers:?} {consumers:?}"
            );
            thread::sleep(Duration::from_millis(1));
        }
        for c in cs {
            c.join().unwrap();
        }
        let mut received = 0;
        for id in 0..n {
            let d = drops[id].load(Ordering::SeqCst);
            let s = seen[id].load(Ordering::SeqCst);
            assert_eq!(
                d, 1,
                "value {id} dropped {d} times (received {s}) cap {capacity}"
            );
            assert!(s <= 1, "value {id} received {s} times");
            assert!(
                s == 0 || cancelled[id].load(Ordering::SeqCst) == 0,
                "value {id} was received though its send_async was cancelled (cap {capacity})"
            );
            received += s as usize;
        }
        (received, n - received)
    }
}

fn mixed_rounds(capacity: usize, leave_early: bool, rounds: usize) {
    let styles = [[0, 1, 2, 3], [4, 3, 2, 0], [3, 3, 4, 4], [1, 1, 0, 2]];
    let cstyles = [[0, 1, 2, 5], [3, 4, 1, 2], [5, 5, 1, 1], [2, 2, 0, 4]];
    for r in 0..rounds {
        let p = &styles[r % 4];
        let c = &cstyles[(r / 4) % 4];
        // force_send displaces: only where nothing else is checked about what arrives.
        mixed::round(capacity, p, c, 300, leave_early);
    }
}

#[test]
fn mixed_styles_exactly_once_capacity_1() {
    mixed_rounds(1, false, 32);
}

#[test]
fn mixed_styles_exactly_once_capacity_2() {
    mixed_rounds(2, false, 32);
}

#[test]
fn mixed_styles_exactly_once_rendezvous() {
    mixed_rounds(0, false, 32);
}

#[test]
fn mixed_styles_with_a_receiver_leaving_early() {
    for capacity in [0, 1, 3] {
        mixed_rounds(capacity, true, 16);
    }
}
