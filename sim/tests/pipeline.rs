//! Pipelines (tandem stations): a Jackson tandem against its exact theory (Burke: each stage
//! is an M/M/c queue with the same λ; end-to-end means are sums), per-stage figures, losses
//! inside the pipeline, and equality with a single station when there is one stage.

use kendall_sim::stats::student_t_quantile;
use kendall_sim::{
    Distribution, RunConfig, Scenario, Stage, Tandem, Warmup, compare, predict, simulate,
};

fn exp(rate: f64) -> Distribution {
    Distribution::exponential(rate).unwrap()
}

#[test]
fn jackson_tandem_matches_theory() {
    // λ = 0.5 into M/M/1 (μ = 1) then M/M/2 (μ = 0.4 each).
    // Stage 1: W₁ = 1/(μ−λ) = 2, L₁ = 1. Stage 2: a = 1.25, c = 2, Erlang C = a²/2·2/(2−a) /
    // (1 + a + a²/2·2/(2−a)) = 2.0833/4.3333 = 0.48077, Wq₂ = C/(cμ−λ) = 1.6026, W₂ = 4.1026.
    let t = Tandem::new(
        exp(0.5),
        vec![
            Stage::new(exp(1.0), 1, None).unwrap(),
            Stage::new(exp(0.4), 2, None).unwrap(),
        ],
    )
    .unwrap();
    let s = Scenario::from(t);
    let p = predict(&s).unwrap();
    assert!(p.exact);
    let a: f64 = 1.25;
    let top = a * a / 2.0 * 2.0 / (2.0 - a);
    let c = top / (1.0 + a + top);
    let w = 2.0 + c / (0.8 - 0.5) + 2.5;
    assert!((p.mean_sojourn_time.unwrap() - w).abs() < 1e-12 * w);
    assert!((p.mean_number_in_system.unwrap() - 0.5 * w).abs() < 1e-12 * w);

    let cfg = RunConfig::default()
        .customers(400_000)
        .replications(10)
        .seed(31)
        .warmup(Warmup::Fixed(200.0));
    let cmp = compare(&s, &cfg).unwrap();
    let widen = student_t_quantile(0.9995, 9.0) / student_t_quantile(0.975, 9.0);
    for f in cmp
        .figures
        .iter()
        .filter(|f| f.theory.is_some() && f.ci95.is_some())
    {
        let (t, h) = (f.theory.unwrap(), f.ci95.unwrap());
        println!(
            "{:24} sim {:.5} ± {:.5} theory {:.5}",
            f.figure, f.simulated, h, t
        );
        assert!(
            (f.simulated - t).abs() <= h * widen,
            "{}: {} vs {t} ± {h}",
            f.figure,
            f.simulated
        );
    }
    let r = &cmp.simulation;
    assert!(r.little_law_ok);
    assert_eq!(r.stations.len(), 2);
    assert!((r.stations[0].mean_sojourn_time - 2.0).abs() < 0.05);
    assert!((r.stations[1].utilisation - 0.625).abs() < 0.01);
    // The pipeline's utilisation is its busiest station's.
    assert_eq!(
        r.utilisation,
        r.stations.iter().map(|s| s.utilisation).fold(0.0, f64::max)
    );
    assert!(r.model.contains('→'));
}

#[test]
fn one_stage_pipeline_is_the_station() {
    // Same stream names, same event order: the stage's figures equal the station's exactly.
    let station = Scenario::from_kendall("M/M/2/6", 1.5, 1.0).unwrap();
    let tandem = Scenario::from(
        Tandem::new(exp(1.5), vec![Stage::new(exp(1.0), 2, Some(6)).unwrap()]).unwrap(),
    );
    let cfg = RunConfig::default()
        .customers(100_000)
        .replications(3)
        .seed(2)
        .warmup(Warmup::Fixed(50.0));
    let a = simulate(&station, &cfg).unwrap();
    let b = simulate(&tandem, &cfg).unwrap();
    let (sa, sb) = (&a.stations[0], &b.stations[0]);
    assert_eq!(sa.mean_number_in_system, sb.mean_number_in_system);
    assert_eq!(sa.mean_waiting_time, sb.mean_waiting_time);
    assert_eq!(sa.p_loss, sb.p_loss);
    assert_eq!(a.p_loss, b.p_loss);
}

#[test]
fn losses_inside_the_pipeline_are_counted() {
    // A fast first stage feeding a slow, small second stage: stage 2 drops customers.
    let t = Tandem::new(
        exp(0.9),
        vec![
            Stage::new(exp(2.0), 1, None).unwrap(),
            Stage::new(exp(1.0), 1, Some(3)).unwrap(),
        ],
    )
    .unwrap();
    let s = Scenario::from(t);
    assert_eq!(predict(&s).unwrap().method, "none");
    let r = simulate(
        &s,
        &RunConfig::default()
            .customers(200_000)
            .replications(4)
            .seed(3),
    )
    .unwrap();
    assert_eq!(r.stations[0].p_loss, 0.0);
    assert!(r.stations[1].p_loss > 0.05, "{}", r.stations[1].p_loss);
    // Every loss happens at stage 2, so the end-to-end loss is close to stage 2's.
    assert!((r.p_loss - r.stations[1].p_loss).abs() < 0.01);
    assert!(r.throughput < 0.9 * (1.0 - 0.05));
}

#[test]
fn pipeline_errors_and_serde() {
    assert!(Tandem::new(exp(1.0), vec![]).is_err());
    let e = Tandem::new(
        exp(1.0),
        vec![Stage {
            service: exp(1.0),
            servers: 0,
            capacity: None,
        }],
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "stage 1 servers (c) must be an integer in [1, 1000000], got 0"
    );
    // A lone stage does not know its place: the caller names it.
    let e = Stage::new(exp(1.0), 2, Some(1)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "capacity (K) must be an integer ≥ servers (2), got 1"
    );
    let s = Scenario::from(
        Tandem::new(exp(1.0), vec![Stage::new(exp(2.0), 1, Some(4)).unwrap()]).unwrap(),
    );
    let json = serde_json::to_string(&s).unwrap();
    assert!(json.contains("\"kind\":\"tandem\""), "{json}");
    assert_eq!(serde_json::from_str::<Scenario>(&json).unwrap(), s);
}
