//! Every run is reproducible from its seed, whatever the number of threads; streams are
//! independent by name, so scenarios that share a stream see the same numbers.

use kendall_sim::{Distribution, RunConfig, Scenario, Warmup, simulate};

fn strip_timing(mut r: kendall_sim::SimResult) -> kendall_sim::SimResult {
    r.wall_seconds = 0.0;
    r.events_per_second = 0.0;
    r
}

#[test]
fn same_seed_same_result_any_thread_count() {
    let s = Scenario::from_kendall("M/M/3/8", 2.4, 1.0).unwrap();
    let base = RunConfig::default()
        .customers(50_000)
        .replications(7)
        .seed(99)
        .warmup(Warmup::Auto);
    let one = strip_timing(simulate(&s, &base.clone().threads(1)).unwrap());
    let again = strip_timing(simulate(&s, &base.clone().threads(1)).unwrap());
    let four = strip_timing(simulate(&s, &base.clone().threads(4)).unwrap());
    let default_threads = strip_timing(simulate(&s, &base).unwrap());
    assert_eq!(one, again);
    assert_eq!(one, four);
    assert_eq!(one, default_threads);
}

#[test]
fn precision_runs_are_reproducible_too() {
    let s = Scenario::from_kendall("M/M/1", 0.8, 1.0).unwrap();
    let base = RunConfig::default()
        .customers(20_000)
        .precision(0.02, 60)
        .seed(5);
    let a = strip_timing(simulate(&s, &base.clone().threads(1)).unwrap());
    let b = strip_timing(simulate(&s, &base.threads(3)).unwrap());
    assert_eq!(a, b);
    assert!(a.replications >= 5);
    if a.precision_reached == Some(true) {
        assert!(a.relative_half_width.unwrap() <= 0.02);
    } else {
        assert_eq!(a.replications, 60);
    }
}

#[test]
fn different_seeds_differ() {
    let s = Scenario::from_kendall("M/M/1", 0.5, 1.0).unwrap();
    let a = simulate(
        &s,
        &RunConfig::default()
            .customers(10_000)
            .replications(2)
            .seed(1),
    )
    .unwrap();
    let b = simulate(
        &s,
        &RunConfig::default()
            .customers(10_000)
            .replications(2)
            .seed(2),
    )
    .unwrap();
    assert_ne!(a.mean_sojourn_time, b.mean_sojourn_time);
}

#[test]
fn common_random_numbers_share_the_arrival_stream() {
    // Same seed, different service: the arrival stream is identical, so the number of
    // arrivals in a fixed horizon is identical too.
    let arrival = Distribution::exponential(0.5).unwrap();
    let a = Scenario::station(
        arrival.clone(),
        Distribution::exponential(1.0).unwrap(),
        1,
        None,
    )
    .unwrap();
    let b = Scenario::station(arrival, Distribution::deterministic(1.0).unwrap(), 1, None).unwrap();
    let cfg = RunConfig::default()
        .horizon(10_000.0)
        .replications(3)
        .seed(8)
        .warmup(Warmup::None);
    let ra = simulate(&a, &cfg).unwrap();
    let rb = simulate(&b, &cfg).unwrap();
    assert_eq!(ra.customers, rb.customers);
    assert_ne!(ra.mean_sojourn_time, rb.mean_sojourn_time);
}
