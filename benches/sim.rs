//! Simulator speed in model events per second (arrivals + departures, warm-up included), one
//! replication on one thread with full statistics (time averages, HDR histograms of waiting
//! and sojourn time, checkpoints, queue-length series), for M/M/1, M/M/10 and a G/G/3/20 with
//! H2 arrivals and lognormal service; then 16 replications on 1 thread and on all cores.
//!
//! `cargo bench --bench sim` (the figures and the command are in the kendall-sim report).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kendall_sim::{Distribution, RunConfig, Scenario, Warmup, simulate};

/// Customers per replication in the single-replication benchmarks.
const CUSTOMERS: u64 = 1_000_000;

fn scenarios() -> Vec<(&'static str, Scenario)> {
    vec![
        (
            "M/M/1 rho=0.9",
            Scenario::from_kendall("M/M/1", 0.9, 1.0).unwrap(),
        ),
        (
            "M/M/10 a=8",
            Scenario::from_kendall("M/M/10", 8.0, 1.0).unwrap(),
        ),
        (
            "G/G/3/20 h2/lognormal",
            Scenario::from_kendall_with(
                "G/G/3/20",
                Distribution::hyperexponential(1.0 / 2.7, 1.5).unwrap(),
                Distribution::lognormal(1.0, 0.8).unwrap(),
            )
            .unwrap(),
        ),
    ]
}

fn one_core(c: &mut Criterion) {
    let mut g = c.benchmark_group("events_per_second");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(8))
        .warm_up_time(Duration::from_secs(1));
    for (name, scenario) in scenarios() {
        let cfg = RunConfig::default()
            .customers(CUSTOMERS)
            .replications(1)
            .threads(1)
            .warmup(Warmup::Fixed(100.0))
            .seed(1);
        // Events per run are fixed by the seed: count them once for the throughput figure.
        let events = simulate(&scenario, &cfg).unwrap().events;
        g.throughput(Throughput::Elements(events));
        g.bench_function(name, |b| {
            b.iter(|| black_box(simulate(black_box(&scenario), &cfg).unwrap()))
        });
    }
    g.finish();
}

fn replications(c: &mut Criterion) {
    let mut g = c.benchmark_group("replications_16x200k");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(8))
        .warm_up_time(Duration::from_secs(1));
    let scenario = Scenario::from_kendall("M/M/1", 0.9, 1.0).unwrap();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for threads in [1, cores] {
        let cfg = RunConfig::default()
            .customers(200_000)
            .replications(16)
            .threads(threads)
            .warmup(Warmup::Fixed(100.0));
        let events = simulate(&scenario, &cfg).unwrap().events;
        g.throughput(Throughput::Elements(events));
        g.bench_function(format!("threads={threads}"), |b| {
            b.iter(|| black_box(simulate(&scenario, &cfg).unwrap()))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    // No plots: they need system fonts, which a fresh machine may lack.
    config = Criterion::default().without_plots();
    targets = one_core, replications
}
criterion_main!(benches);
