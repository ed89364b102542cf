//! Bad input gives a typed error naming the field and the allowed range — never a panic or NaN.

use kendall_sim::{
    Distribution, Replications, RunConfig, Scenario, SimError, Station, Stop, Warmup, predict,
    simulate,
};

fn invalid(e: SimError, field: &str) {
    match &e {
        SimError::InvalidParameter {
            field: f, allowed, ..
        } => {
            assert_eq!(f, field, "{e}");
            assert!(!allowed.is_empty());
            assert!(
                e.to_string().starts_with(&format!("{field} must be ")),
                "{e}"
            );
            assert!(!e.to_string().contains('\n'));
        }
        other => panic!("expected InvalidParameter for {field}, got {other:?}"),
    }
}

#[test]
fn rates_must_be_finite_and_positive() {
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        invalid(
            Scenario::from_kendall("M/M/1", bad, 1.0).unwrap_err(),
            "arrival rate",
        );
        invalid(
            Scenario::from_kendall("M/M/1", 1.0, bad).unwrap_err(),
            "service rate",
        );
        invalid(Distribution::exponential(bad).unwrap_err(), "rate");
        invalid(Distribution::erlang(2, bad).unwrap_err(), "rate");
        invalid(Distribution::deterministic(bad).unwrap_err(), "value");
        invalid(Distribution::lognormal(bad, 1.0).unwrap_err(), "mean");
        invalid(
            Distribution::hyperexponential(bad, 2.0).unwrap_err(),
            "mean",
        );
        invalid(Distribution::pareto(bad, 3.0).unwrap_err(), "mean");
    }
    assert_eq!(
        Scenario::from_kendall("M/M/1", -1.0, 1.0)
            .unwrap_err()
            .to_string(),
        "arrival rate must be a finite number > 0, got -1"
    );
}

#[test]
fn servers_and_capacity() {
    invalid(
        Scenario::from_kendall("M/M/0", 1.0, 1.0).unwrap_err(),
        "servers (c)",
    );
    invalid(
        Scenario::from_kendall("M/M/3/2", 1.0, 1.0).unwrap_err(),
        "capacity (K)",
    );
    let exp = Distribution::exponential(1.0).unwrap();
    invalid(
        Station::new(exp.clone(), exp.clone(), 0).unwrap_err(),
        "servers (c)",
    );
    // Public fields edited by hand are caught before simulating or predicting.
    let mut st = Station::new(exp.clone(), exp, 2).unwrap();
    st.capacity = Some(1);
    let sc = Scenario::from(st);
    invalid(
        simulate(&sc, &RunConfig::default()).unwrap_err(),
        "capacity (K)",
    );
    invalid(predict(&sc).unwrap_err(), "capacity (K)");
}

#[test]
fn shape_parameters() {
    invalid(Distribution::lognormal(1.0, -0.5).unwrap_err(), "cv");
    invalid(Distribution::hyperexponential(1.0, 0.9).unwrap_err(), "cv");
    invalid(Distribution::pareto(1.0, 1.0).unwrap_err(), "shape");
    invalid(Distribution::erlang(0, 1.0).unwrap_err(), "phases (k)");
    invalid(Distribution::uniform(3.0, 2.0).unwrap_err(), "hi");
    invalid(Distribution::uniform(-1.0, 2.0).unwrap_err(), "lo");
}

#[test]
fn empty_and_bad_traces() {
    let e = Distribution::trace(vec![], true).unwrap_err();
    assert!(matches!(e, SimError::EmptyTrace { .. }));
    assert_eq!(
        e.to_string(),
        "trace must hold at least one value, got an empty list"
    );
    invalid(
        Distribution::trace(vec![1.0, -2.0], true).unwrap_err(),
        "trace value #2",
    );
    invalid(
        Distribution::trace(vec![0.0], true).unwrap_err(),
        "trace mean",
    );
}

#[test]
fn unknown_notation_and_distribution_text() {
    for bad in [
        "",
        "M/M",
        "M-M-1",
        "Z/M/1",
        "M/M/x",
        "M/M/1/y",
        "M/M/1/2/3",
        "G/G/1",
    ] {
        let e = Scenario::from_kendall(bad, 1.0, 2.0).unwrap_err();
        assert!(
            matches!(e, SimError::UnknownNotation { .. }),
            "{bad}: {e:?}"
        );
        assert!(e.to_string().starts_with("Kendall notation"), "{e}");
    }
    for bad in [
        "",
        "exp",
        "gamma:1",
        "exp:1:2",
        "h2:mean=1",
        "h2:avg=1,cv=2",
        "trace:x",
        // A key given twice used to keep the last silently.
        "h2:mean=1,cv=1,cv=2",
        "lognormal:mean=1,mean=2,cv=1",
        "pareto:shape=3,mean=1,shape=2",
    ] {
        let e = bad.parse::<Distribution>().unwrap_err();
        assert!(
            matches!(e, SimError::UnknownDistribution { .. }),
            "{bad}: {e:?}"
        );
    }
    invalid("exp:fast".parse::<Distribution>().unwrap_err(), "rate");
    // Explicit distributions must match the letters.
    let det = Distribution::deterministic(1.0).unwrap();
    let exp = Distribution::exponential(1.0).unwrap();
    invalid(
        Scenario::from_kendall_with("M/M/1", det.clone(), exp.clone()).unwrap_err(),
        "arrival distribution",
    );
    invalid(
        Scenario::from_kendall_with("M/E2/1", exp.clone(), exp).unwrap_err(),
        "service distribution",
    );
}

#[test]
fn run_config() {
    let mm1 = Scenario::from_kendall("M/M/1", 0.5, 1.0).unwrap();
    let run = |c: RunConfig| simulate(&mm1, &c).unwrap_err();
    invalid(run(RunConfig::default().customers(0)), "customers");
    invalid(run(RunConfig::default().horizon(-5.0)), "horizon");
    invalid(run(RunConfig::default().horizon(f64::NAN)), "horizon");
    invalid(
        run(RunConfig::default().warmup(Warmup::Fixed(-1.0))),
        "warm-up",
    );
    invalid(run(RunConfig::default().replications(0)), "replications");
    invalid(run(RunConfig::default().threads(0)), "threads");
    let precision = |epsilon, min, max| RunConfig {
        replications: Replications::Precision { epsilon, min, max },
        ..RunConfig::default()
    };
    invalid(run(precision(0.0, 5, 10)), "precision (epsilon)");
    invalid(run(precision(0.01, 1, 10)), "minimum replications");
    invalid(run(precision(0.01, 5, 4)), "maximum replications");
    invalid(
        run(RunConfig {
            series_points: 1,
            ..RunConfig::default()
        }),
        "series points",
    );
}

#[test]
fn runs_too_long_to_finish_are_refused_not_started() {
    // Each would run for days to centuries, or never end: past ~10¹⁶ arrivals the clock
    // stops advancing (t + gap == t), so a horizon or a warm-up is never reached.
    let mm1 = Scenario::from_kendall("M/M/1", 0.5, 1.0).unwrap();
    let flood = Scenario::from_kendall("M/M/1/1", 1e17, 1.0).unwrap();
    let run = |s: &Scenario, c: RunConfig| simulate(s, &c.replications(2)).unwrap_err();
    invalid(
        run(&mm1, RunConfig::default().customers(u64::MAX)),
        "customers",
    );
    invalid(run(&mm1, RunConfig::default().horizon(1e300)), "horizon");
    invalid(run(&flood, RunConfig::default().horizon(10.0)), "horizon");
    let warm = RunConfig::default()
        .customers(100)
        .warmup(Warmup::Fixed(1e300));
    invalid(run(&mm1, warm), "warm-up");
    invalid(
        simulate(&mm1, &RunConfig::default().replications(u32::MAX)).unwrap_err(),
        "replications",
    );
    let e = run(&flood, RunConfig::default().horizon(10.0)).to_string();
    assert!(e.contains("1e12 arrivals"), "{e}");
    // The largest accepted sizes are still fine to ask for.
    let ok = RunConfig::default().customers(RunConfig::MAX_CUSTOMERS);
    assert!(ok.validate().is_ok());
}

#[test]
fn a_run_with_no_completed_customer_is_an_error_not_nan() {
    // Service takes 1000, the horizon after warm-up is 1: nobody starts service after warm-up.
    let s = Scenario::from_kendall("M/D/1", 0.001, 0.001).unwrap();
    let cfg = RunConfig {
        stop: Stop::Horizon(1.0),
        warmup: Warmup::Fixed(10.0),
        ..RunConfig::default().replications(2)
    };
    assert_eq!(
        simulate(&s, &cfg).unwrap_err(),
        SimError::NoCompletedCustomers
    );
}
