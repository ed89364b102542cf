//! Runs a λ = 0.9, μ = 1 station (M/M/1 unless a notation is given) for N customers per
//! replication and prints events/s and every figure beside theory:
//! `cargo run --release -p kendall-sim --example mm1_run -- N [NOTATION] [REPLICATIONS] [THREADS] [λ] [μ]`
//! (defaults: 10⁷, M/M/1, 1 replication, 1 thread, λ = 0.9, μ = 1; THREADS 0 means all cores).

use kendall_sim::{RunConfig, Scenario, Warmup, compare};

fn main() -> Result<(), kendall_sim::SimError> {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000_000);
    let model = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "M/M/1".to_string());
    let arg = |i: usize, default: f64| {
        std::env::args()
            .nth(i)
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let mm1 = Scenario::from_kendall(&model, arg(5, 0.9), arg(6, 1.0))?;
    let reps: u32 = std::env::args()
        .nth(3)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let threads: usize = std::env::args()
        .nth(4)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let mut cfg = RunConfig::default()
        .customers(n)
        .replications(reps)
        .warmup(Warmup::Fixed(1000.0));
    if threads > 0 {
        cfg = cfg.threads(threads);
    }
    let c = compare(&mm1, &cfg)?;
    let s = &c.simulation;
    println!(
        "{}: {} customers, {} events in {:.3} s = {:.1} M events/s",
        c.model,
        s.customers,
        s.events,
        s.wall_seconds,
        s.events_per_second / 1e6
    );
    for f in &c.figures {
        println!(
            "{:34} sim {:>12.6} ±{:<10} theory {:<12} rel.err {}",
            f.figure,
            f.simulated,
            f.ci95.map_or("-".into(), |h| format!("{h:.4}")),
            f.theory.map_or("-".into(), |t| format!("{t:.6}")),
            f.relative_error
                .map_or("-".into(), |e| format!("{:+.4}%", e * 100.0))
        );
    }
    println!(
        "little_law_ok {} gap {:.2e}",
        s.little_law_ok, s.little_law.relative_gap
    );
    Ok(())
}
