#![cfg(not(loom))]
//! Counting stress tests: blocking, async and batch ends on one channel; nothing lost,
//! nothing duplicated, every value dropped exactly once, at every capacity flavour.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::thread;

use futures::StreamExt;
use kendall_queue::{Receiver, Sender, bounded};

/// A value that records its own drop in a shared table.
struct Counted {
    id: usize,
    drops: Arc<Vec<AtomicU8>>,
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.drops[self.id].fetch_add(1, Ordering::SeqCst);
    }
}

fn table(n: usize) -> Arc<Vec<AtomicU8>> {
    Arc::new((0..n).map(|_| AtomicU8::new(0)).collect())
}

fn assert_each_dropped_once(drops: &[AtomicU8]) {
    for (id, d) in drops.iter().enumerate() {
        assert_eq!(
            d.load(Ordering::SeqCst),
            1,
            "value {id} dropped {d:?} times"
        );
    }
}

/// Producer styles.
fn produce(style: usize, tx: Sender<Counted>, ids: Vec<usize>, drops: Arc<Vec<AtomicU8>>) {
    let make = |id| Counted {
        id,
        drops: drops.clone(),
    };
    match style {
        0 => {
            for id in ids {
                tx.send(make(id)).unwrap();
            }
        }
        1 => {
            for chunk in ids.chunks(13) {
                let batch: Vec<Counted> = chunk.iter().map(|&id| make(id)).collect();
                tx.send_iter(batch).unwrap();
            }
        }
        _ => futures::executor::block_on(async {
            for id in ids {
                tx.send_async(make(id)).await.unwrap();
            }
        }),
    }
}

/// Consumer styles; each returns the ids it received (the values drop here).
fn consume(style: usize, rx: Receiver<Counted>) -> Vec<usize> {
    match style {
        0 => rx.iter().map(|c| c.id).collect(),
        1 => {
            let mut out = Vec::new();
            let mut ids = Vec::new();
            while rx.recv_into(&mut out, 7).is_ok() {
                ids.extend(out.drain(..).map(|c| c.id));
            }
            ids
        }
        2 => futures::executor::block_on(rx.stream().map(|c| c.id).collect()),
        _ => {
            let mut ids = Vec::new();
            while let Ok(w) = rx.recv_tracked() {
                ids.push(w.id);
            }
            ids
        }
    }
}

fn run(capacity: usize, per_producer: usize) {
    let producers = 3;
    let n = producers * per_producer;
    let drops = table(n);
    let (tx, rx) = bounded(capacity);
    let handles: Vec<_> = (0..producers)
        .map(|p| {
            let (tx, drops) = (tx.clone(), drops.clone());
            let ids: Vec<usize> = (p * per_producer..(p + 1) * per_producer).collect();
            thread::spawn(move || produce(p, tx, ids, drops))
        })
        .collect();
    drop(tx);
    let consumers: Vec<_> = (0..4)
        .map(|c| {
            let rx = rx.clone();
            thread::spawn(move || consume(c, rx))
        })
        .collect();
    drop(rx);
    for h in handles {
        h.join().unwrap();
    }
    let mut got: Vec<usize> = consumers
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    got.sort_unstable();
    assert_eq!(got, (0..n).collect::<Vec<_>>(), "capacity {capacity}");
    assert_each_dropped_once(&drops);
}

#[test]
fn mixed_ends_capacity_1() {
    run(1, 15_000);
}

#[test]
fn mixed_ends_capacity_16() {
    run(16, 50_000);
}

#[test]
fn mixed_ends_capacity_1024() {
    run(1024, 100_000);
}

#[test]
fn mixed_ends_rendezvous() {
    run(0, 5_000);
}

/// Receivers leave mid-stream: what is left in the channel, what comes back in errors and
/// what was received are each dropped exactly once, and together are everything.
#[test]
fn receivers_leave_early() {
    for capacity in [0, 1, 8, 64] {
        let n = 6_000;
        let drops = table(n);
        let (tx, rx) = bounded(capacity);
        let producers: Vec<_> = (0..3)
            .map(|p| {
                let (tx, drops) = (tx.clone(), drops.clone());
                thread::spawn(move || {
                    let mut returned = 0;
                    for id in (p..n).step_by(3) {
                        let v = Counted {
                            id,
                            drops: drops.clone(),
                        };
                        let failed = match p {
                            0 => tx.send(v).is_err(),
                            1 => futures::executor::block_on(tx.send_async(v)).is_err(),
                            _ => tx.send_iter(vec![v]).is_err(),
                        };
                        returned += failed as usize;
                    }
                    returned
                })
            })
            .collect();
        drop(tx);
        let mut received = 0;
        for _ in 0..n / 4 {
            received += rx.recv().is_ok() as usize;
        }
        drop(rx); // the rest: dropped in the channel or returned to the senders
        let returned: usize = producers.into_iter().map(|p| p.join().unwrap()).sum();
        assert!(received + returned <= n);
        assert_each_dropped_once(&drops);
    }
}

/// Every end dropped with values inside: the channel drops them exactly once.
#[test]
fn values_left_inside_drop_once() {
    let drops = table(100);
    let (tx, rx) = bounded(128);
    for id in 0..100 {
        tx.send(Counted {
            id,
            drops: drops.clone(),
        })
        .unwrap();
    }
    let _ = rx.recv();
    drop(tx);
    drop(rx);
    assert_each_dropped_once(&drops);
}

/// `force_send` displaces values under contention: received plus displaced is everything.
#[test]
fn force_send_under_contention() {
    let n = 20_000;
    let drops = table(n);
    let (tx, rx) = bounded(4);
    let senders: Vec<_> = (0..2)
        .map(|p| {
            let (tx, drops) = (tx.clone(), drops.clone());
            thread::spawn(move || {
                let mut displaced = Vec::new();
                for id in (p..n).step_by(2) {
                    let v = Counted {
                        id,
                        drops: drops.clone(),
                    };
                    if let Some(old) = tx.force_send(v).unwrap() {
                        displaced.push(old.id);
                    }
                }
                displaced
            })
        })
        .collect();
    drop(tx);
    let mut all: Vec<usize> = rx.iter().map(|c| c.id).collect();
    for s in senders {
        all.extend(s.join().unwrap());
    }
    all.sort_unstable();
    assert_eq!(all, (0..n).collect::<Vec<_>>());
    assert_each_dropped_once(&drops);
}
