//! Coverage of the 95% intervals: over 1000 independent experiments of 10 replications of an
//! M/M/1 queue (λ = 0.5, μ = 1, so W = 2 and L = 1 exactly), the interval must contain the
//! true mean about 95% of the time.
//!
//! With 1000 experiments the observed rate has a standard error of √(0.95·0.05/1000) ≈ 0.7%,
//! so the accepted band [93%, 97%] is about ±3 standard errors: a correct procedure passes for
//! almost every seed, while intervals that are too narrow (say 90% coverage, as a normal
//! quantile with few replications or correlated data would give) or too wide fail. The seed
//! is fixed, so the test is deterministic.

use kendall_sim::{RunConfig, Scenario, Warmup, simulate};

#[test]
fn ci95_covers_mm1_means_about_95_percent_of_the_time() {
    let mm1 = Scenario::from_kendall("M/M/1", 0.5, 1.0).unwrap();
    let experiments = 1000u64;
    let (mut w_hits, mut l_hits) = (0u32, 0u32);
    for e in 0..experiments {
        let cfg = RunConfig::default()
            .customers(5_000)
            .replications(10)
            .warmup(Warmup::Fixed(50.0))
            .seed(1_000_000 + e);
        let r = simulate(&mm1, &cfg).unwrap();
        let hw = r.ci95.mean_sojourn_time.unwrap();
        w_hits += u32::from((r.mean_sojourn_time - 2.0).abs() <= hw);
        let hl = r.ci95.mean_number_in_system.unwrap();
        l_hits += u32::from((r.mean_number_in_system - 1.0).abs() <= hl);
    }
    let w_rate = f64::from(w_hits) / experiments as f64;
    let l_rate = f64::from(l_hits) / experiments as f64;
    println!("coverage: W {w_rate:.3}, L {l_rate:.3}");
    assert!((0.93..=0.97).contains(&w_rate), "W coverage {w_rate}");
    assert!((0.93..=0.97).contains(&l_rate), "L coverage {l_rate}");
}
