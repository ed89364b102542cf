//! Run features: horizon stops, unstable systems, batch means with one replication, bounded
//! series and distributions, traces, warm-up choice, and progress reporting.

use std::sync::atomic::{AtomicU64, Ordering};

use kendall_sim::{
    CiMethod, Distribution, RunConfig, Scenario, Warmup, predict, simulate, simulate_with_progress,
};

#[test]
fn horizon_stop_observes_exactly_the_horizon() {
    let s = Scenario::from_kendall("M/M/2", 1.0, 1.0).unwrap();
    let r = simulate(
        &s,
        &RunConfig::default()
            .horizon(5_000.0)
            .replications(3)
            .warmup(Warmup::Fixed(100.0)),
    )
    .unwrap();
    assert!(
        (r.observed_time - 5_000.0).abs() < 1e-9,
        "{}",
        r.observed_time
    );
    assert_eq!(r.warmup_time, 100.0);
    // ~1 arrival per time unit in 3 × 5000 time units.
    assert!(
        (r.customers as f64 - 15_000.0).abs() < 600.0,
        "{}",
        r.customers
    );
}

#[test]
fn unstable_system_runs_to_its_horizon_and_shows_the_growing_queue() {
    let s = Scenario::from_kendall("M/M/1", 1.2, 1.0).unwrap();
    assert!(predict(&s).unwrap().unstable);
    let r = simulate(
        &s,
        &RunConfig::default()
            .horizon(20_000.0)
            .replications(2)
            .warmup(Warmup::None)
            .seed(4),
    )
    .unwrap();
    // The queue grows at about λ − μ = 0.2 per time unit: ~4000 at the end, ~2000 on average.
    assert!(
        r.mean_number_in_system > 1_000.0,
        "L = {}",
        r.mean_number_in_system
    );
    let series = &r.queue_length_series;
    let last = series.last().unwrap().number_in_system as f64;
    let mid = series[series.len() / 2].number_in_system as f64;
    assert!(last > 2_500.0 && last > 1.5 * mid, "mid {mid}, last {last}");
}

#[test]
fn single_replication_uses_batch_means() {
    let s = Scenario::from_kendall("M/M/1", 0.5, 1.0).unwrap();
    let r = simulate(
        &s,
        &RunConfig::default()
            .customers(400_000)
            .replications(1)
            .warmup(Warmup::Fixed(100.0))
            .seed(6),
    )
    .unwrap();
    assert_eq!(r.ci_method, CiMethod::BatchMeans);
    let h = r.ci95.mean_sojourn_time.unwrap();
    // W = 2; the interval is a few per cent wide and, for this seed, covers 2.
    assert!(h > 0.0 && h < 0.1, "half-width {h}");
    assert!(
        (r.mean_sojourn_time - 2.0).abs() <= h,
        "{} ± {h}",
        r.mean_sojourn_time
    );
}

#[test]
fn series_and_distributions_stay_bounded() {
    let s = Scenario::from_kendall("M/M/1", 0.8, 1.0).unwrap();
    let mut cfg = RunConfig::default()
        .customers(2_000_000)
        .replications(1)
        .threads(1);
    cfg.series_points = 100;
    let r = simulate(&s, &cfg).unwrap();
    assert!(r.queue_length_series.len() <= 2 * 100 + 1);
    assert!(r.queue_length_series.len() >= 50);
    assert!(
        r.queue_length_series
            .windows(2)
            .all(|w| w[0].time < w[1].time)
    );
    assert_eq!(r.sojourn_time_distribution.len(), 201);
    assert!(
        r.sojourn_time_distribution
            .windows(2)
            .all(|w| w[0].value <= w[1].value)
    );
    // The p99 of the distribution agrees with the percentile field.
    let p99 = r
        .sojourn_time_distribution
        .iter()
        .find(|q| q.quantile == 0.99)
        .unwrap()
        .value;
    assert_eq!(p99, r.sojourn_time_percentiles.p99);
}

#[test]
fn a_trace_that_runs_out_ends_the_run() {
    let arrivals = Distribution::trace(vec![1.0; 1_000], false).unwrap();
    let s =
        Scenario::station(arrivals, Distribution::deterministic(0.5).unwrap(), 1, None).unwrap();
    let r = simulate(
        &s,
        &RunConfig::default()
            .customers(1_000_000)
            .replications(1)
            .warmup(Warmup::None),
    )
    .unwrap();
    assert!(r.trace_exhausted);
    assert_eq!(r.customers, 1_000);
    // D/D/1 with S = 0.5 < 1: nobody waits, everyone stays exactly 0.5.
    assert_eq!(r.mean_waiting_time, 0.0);
    assert!((r.mean_sojourn_time - 0.5).abs() < 1e-12);
}

#[test]
fn auto_warmup_finds_a_designed_transient() {
    // A trace whose first 5000 gaps are long (every customer finds the system empty and stays
    // 1) followed by gaps alternating 0.5 and 2 (every other customer waits 0.5): MSER-5 on the
    // pilot must cut the first 5000 customers, i.e. about 5000 × 10 time units.
    let mut gaps = vec![10.0; 5_000];
    gaps.extend((0..45_000).map(|i| if i % 2 == 0 { 0.5 } else { 2.0 }));
    let s = Scenario::station(
        Distribution::trace(gaps, false).unwrap(),
        Distribution::deterministic(1.0).unwrap(),
        1,
        None,
    )
    .unwrap();
    let r = simulate(
        &s,
        &RunConfig::default()
            .customers(40_000)
            .replications(2)
            .warmup(Warmup::Auto),
    )
    .unwrap();
    assert!(
        (r.warmup_time - 50_000.0).abs() <= 200.0,
        "warm-up {}",
        r.warmup_time
    );
    assert!(
        (r.mean_sojourn_time - 1.25).abs() < 1e-3,
        "W {}",
        r.mean_sojourn_time
    );
    // A deterministic queue is stationary from the start: nothing to delete.
    let light = Scenario::from_kendall("D/D/1", 0.5, 1.0).unwrap();
    let r = simulate(
        &light,
        &RunConfig::default()
            .customers(50_000)
            .replications(2)
            .warmup(Warmup::Auto),
    )
    .unwrap();
    assert_eq!(r.warmup_time, 0.0);
}

#[test]
fn progress_reaches_its_total_once_per_thousandth() {
    let s = Scenario::from_kendall("M/M/1", 0.5, 1.0).unwrap();
    let calls = AtomicU64::new(0);
    let last = AtomicU64::new(0);
    let cb = |done: u64, total: u64| {
        assert!(done <= total);
        calls.fetch_add(1, Ordering::Relaxed);
        last.store(done, Ordering::Relaxed);
    };
    let cfg = RunConfig::default()
        .customers(1_000_000)
        .replications(4)
        .threads(2);
    simulate_with_progress(&s, &cfg, Some(&cb)).unwrap();
    assert_eq!(last.load(Ordering::Relaxed), 4_000);
    assert!(
        calls.load(Ordering::Relaxed) > 20,
        "only {} progress calls",
        calls.load(Ordering::Relaxed)
    );
}

#[test]
fn results_serialise_with_the_schema_names() {
    let s = Scenario::from_kendall("M/M/1/5", 0.8, 1.0).unwrap();
    let r = simulate(&s, &RunConfig::default().customers(20_000).replications(2)).unwrap();
    let v = serde_json::to_value(&r).unwrap();
    for key in [
        "mean_number_in_system",
        "mean_number_in_queue",
        "mean_sojourn_time",
        "mean_waiting_time",
        "p_wait",
        "p_loss",
        "throughput",
        "utilisation",
        "customers",
        "events",
        "events_per_second",
        "wall_seconds",
        "little_law_ok",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
        if key != "little_law_ok" {
            assert!(
                v["ci95"].get(key).is_some() || !key.starts_with("mean") && !key.starts_with('p'),
                "ci95 misses {key}"
            );
        }
    }
    for p in ["p50", "p90", "p99", "p999"] {
        assert!(v["sojourn_time_percentiles"][p].is_number());
        assert!(v["waiting_time_percentiles"][p].is_number());
    }
    let t = serde_json::to_value(predict(&s).unwrap()).unwrap();
    assert_eq!(t["exact"], true);
    assert_eq!(t["unstable"], false);
}

#[test]
fn absurdly_small_times_do_not_hang() {
    // Subnormal times are refused (their rate 1/mean overflows); the smallest normal ones run.
    assert!(Distribution::deterministic(1e-320).is_err());
    let s = Scenario::station(
        Distribution::deterministic(1e-300).unwrap(),
        Distribution::deterministic(1e-301).unwrap(),
        1,
        None,
    )
    .unwrap();
    let r = simulate(
        &s,
        &RunConfig::default()
            .customers(1_000)
            .replications(1)
            .warmup(Warmup::None),
    )
    .unwrap();
    assert_eq!(r.customers, 1_000);
    assert!(r.mean_sojourn_time.is_finite());
}
