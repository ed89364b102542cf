//! Simulation against exact theory: with a fixed seed, enough customers and 10 replications,
//! the interval of every mean figure contains the theory value, Little's law holds, and
//! percentiles land within a few per cent of their closed forms.
//!
//! About 80 figures are checked here, and the figures of one scenario move together, so
//! demanding that every 95% interval cover would fail by chance for many seeds. Each check
//! therefore uses the 99.9% Student-t interval (the reported 95% half-width widened by
//! t₀.₉₉₉₅/t₀.₉₇₅), which makes a chance failure across the whole file unlikely (≈ 8%
//! Bonferroni bound) without hiding a real bias of a few standard errors; the headline figure,
//! the mean sojourn time, must lie inside the plain 95% interval. That the 95% intervals cover
//! 95% of the time is checked on its own in `coverage.rs`. Theory values themselves are checked
//! against textbook formulas in `theory_exact.rs`.

use kendall_sim::stats::student_t_quantile;
use kendall_sim::{Comparison, Distribution, RunConfig, Scenario, Warmup, compare};

/// Compares, prints the table (shown on failure), and checks the intervals and percentiles.
fn check(scenario: Scenario, config: RunConfig, percentile_tol: f64) -> Comparison {
    let c = compare(&scenario, &config).unwrap();
    let df = f64::from(c.simulation.replications - 1);
    let widen = student_t_quantile(0.9995, df) / student_t_quantile(0.975, df);
    let mut failures = vec![];
    for f in &c.figures {
        println!(
            "{:36} sim {:>10.5} ±{:<9} theory {:<10} rel {:>8}",
            f.figure,
            f.simulated,
            f.ci95.map_or("-".into(), |h| format!("{h:.5}")),
            f.theory.map_or("-".into(), |t| format!("{t:.5}")),
            f.relative_error
                .map_or("-".into(), |e| format!("{:+.3}%", 100.0 * e)),
        );
        match (f.theory, f.ci95) {
            (Some(t), Some(h)) => {
                if (f.simulated - t).abs() > h * widen {
                    failures.push(format!("{}: theory outside the 99.9% interval", f.figure));
                }
                if f.figure == "mean_sojourn_time" && f.theory_inside_ci != Some(true) {
                    failures.push("mean_sojourn_time: theory outside the 95% interval".into());
                }
            }
            // Percentiles have no interval: compare against the tolerance, doubled for p99.9
            // whose estimate rests on few, strongly correlated customers.
            (Some(t), None) if t > 0.0 => {
                let tol = if f.figure.ends_with("p999") {
                    2.0 * percentile_tol
                } else {
                    percentile_tol
                };
                if f.relative_error.unwrap().abs() > tol {
                    failures.push(format!("{}: off by more than {tol}", f.figure));
                }
            }
            _ => {}
        }
    }
    let s = &c.simulation;
    println!(
        "little gap {:.2e}, warm-up {:.1}, events {}",
        s.little_law.relative_gap, s.warmup_time, s.events
    );
    assert!(
        s.little_law_ok,
        "Little's law gap {}",
        s.little_law.relative_gap
    );
    assert!(failures.is_empty(), "{}: {failures:#?}", c.model);
    c
}

/// `KENDALL_SEED_OFFSET` shifts every seed, to try other fixed seeds by hand.
fn config(customers: u64, seed: u64) -> RunConfig {
    let offset: u64 = std::env::var("KENDALL_SEED_OFFSET")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let seed = seed + offset;
    RunConfig::default()
        .customers(customers)
        .replications(10)
        .seed(seed)
        .warmup(Warmup::Fixed(200.0))
}

#[test]
fn mm1_rho_half() {
    check(
        Scenario::from_kendall("M/M/1", 0.5, 1.0).unwrap(),
        config(500_000, 11),
        0.01,
    );
}

#[test]
fn mm1_rho_nine_tenths_with_auto_warmup() {
    let c = check(
        Scenario::from_kendall("M/M/1", 0.9, 1.0).unwrap(),
        config(2_000_000, 12).warmup(Warmup::Auto),
        0.03,
    );
    assert!(c.simulation.warmup_time >= 0.0);
}

#[test]
fn mm10_eight_erlang() {
    check(
        Scenario::from_kendall("M/M/10", 8.0, 1.0).unwrap(),
        config(500_000, 13),
        0.02,
    );
}

#[test]
fn mm3_small_rates() {
    check(
        Scenario::from_kendall("M/M/3", 0.2, 0.1).unwrap(),
        config(300_000, 14).warmup(Warmup::Fixed(2000.0)),
        0.03,
    );
}

#[test]
fn mm1k_loss() {
    check(
        Scenario::from_kendall("M/M/1/5", 0.8, 1.0).unwrap(),
        config(500_000, 15),
        0.01,
    );
}

#[test]
fn mm3k_loss() {
    check(
        Scenario::from_kendall("M/M/3/6", 2.5, 1.0).unwrap(),
        config(500_000, 16),
        0.01,
    );
}

#[test]
fn md1_rho_nine_tenths() {
    check(
        Scenario::from_kendall("M/D/1", 0.9, 1.0).unwrap(),
        config(1_000_000, 17),
        0.02,
    );
}

#[test]
fn mg1_lognormal() {
    let s = Scenario::from_kendall_with(
        "M/G/1",
        Distribution::exponential(0.7).unwrap(),
        Distribution::lognormal(1.0, 1.5).unwrap(),
    )
    .unwrap();
    check(s, config(1_000_000, 18), 0.02);
}

#[test]
fn infinite_servers() {
    check(
        Scenario::from_kendall("M/M/inf", 3.0, 0.5).unwrap(),
        config(300_000, 19),
        0.01,
    );
}

#[test]
fn erlang_loss_with_deterministic_service() {
    check(
        Scenario::from_kendall("M/D/2/2", 1.0, 1.0).unwrap(),
        config(300_000, 20),
        0.01,
    );
}
