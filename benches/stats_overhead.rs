//! What the live counters behind `stats()` cost on the channel's fast path (issue target:
//! at most 5%). The same benchmark is built twice, once as is and once with
//! `RUSTFLAGS="--cfg kendall_no_stats"`, which compiles the counter updates out;
//! `python3 benches/stats_overhead.py` runs both builds in alternation and prints the ratio.

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};

const CAP: usize = 1024;
/// Messages per iteration of the threaded case.
const MESSAGES: u64 = 200_000;

/// Fills the channel with blocking sends and drains it with blocking receives, on one thread:
/// the cost per operation, with nothing else in the way.
fn pairs(c: &mut Criterion) {
    let mut g = c.benchmark_group("stats_overhead");
    g.throughput(Throughput::Elements(CAP as u64));
    let (tx, rx) = kendall_queue::bounded::<u64>(CAP);
    g.bench_function("send_recv_one_thread", |b| {
        b.iter(|| {
            for i in 0..CAP as u64 {
                tx.send(i).unwrap();
            }
            for _ in 0..CAP {
                std::hint::black_box(rx.recv().unwrap());
            }
        })
    });
    g.bench_function("try_send_try_recv_one_thread", |b| {
        b.iter(|| {
            for i in 0..CAP as u64 {
                tx.try_send(i).unwrap();
            }
            for _ in 0..CAP {
                std::hint::black_box(rx.try_recv().unwrap());
            }
        })
    });
    g.throughput(Throughput::Elements(MESSAGES));
    g.bench_function("spsc_threads", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let (tx, rx) = kendall_queue::bounded::<u64>(CAP);
                total += std::thread::scope(|s| {
                    s.spawn(move || {
                        for i in 0..MESSAGES {
                            tx.send(i).unwrap();
                        }
                    });
                    let start = Instant::now();
                    let mut sum = 0u64;
                    while let Ok(v) = rx.recv() {
                        sum = sum.wrapping_add(v);
                    }
                    assert_eq!(sum, MESSAGES * (MESSAGES - 1) / 2);
                    start.elapsed()
                });
            }
            total
        })
    });
    g.finish();
}

fn main() {
    let mut c = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .configure_from_args();
    pairs(&mut c);
    c.final_summary();
}
