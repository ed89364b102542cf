//! End-to-end tests of `kendall live`: a short live M/M/1 run in JSON with a report, the
//! theory/simulation/live columns, the live chart series, and clean refusals of bad input.

mod cli_support;

use cli_support::{Scratch, check_charts, kendall, rel};
use serde_json::Value;

const MM1: [&str; 7] = [
    "live",
    "--model",
    "M/M/1",
    "--arrival-rate",
    "0.5",
    "--service-rate",
    "1",
];

/// Runs `kendall live …` expecting exit 2 and exactly one `error:` line naming `needle`.
fn refused(extra: &[&str], needle: &str) {
    let out = kendall().args(MM1).args(extra).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{extra:?}: {stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{extra:?}: {stderr}");
    assert!(errors[0].contains(needle), "{extra:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.stdout.is_empty(), "{extra:?} printed results");
}

#[test]
fn live_mm1_matches_theory_and_writes_a_report_with_live_series() {
    let dir = Scratch::new("live");
    let out = kendall()
        .args(MM1)
        .args(["--customers", "1500", "--warmup-customers", "300"])
        .args(["--time-scale", "1ms", "--seed", "5", "--replications", "4"])
        .args(["--format", "json", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("about"), "no wall-time estimate: {stderr}");
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();

    // Schema: `live` has every key of `simulation`, plus the live-only blocks.
    let (sim, live) = (&r["simulation"], &r["live"]);
    for key in sim.as_object().unwrap().keys() {
        assert!(live.get(key).is_some(), "live lacks '{key}'");
    }
    for key in ["time_scale", "timing", "channel"] {
        assert!(live.get(key).is_some(), "live lacks '{key}'");
    }
    assert!(r["scenario"].is_object() && r["theory"].is_object());
    assert_eq!(live["time_scale"].as_f64(), Some(1e-3));
    assert!(live["timing"]["faithful"].is_boolean());
    assert!(live["timing"]["release_lateness_us"]["p99"].is_number());

    // Counts: an M/M/1 loses nobody; the channel carried warm-up and observed customers.
    assert_eq!(live["customers"].as_u64(), Some(1500));
    assert_eq!(live["lost"].as_u64(), Some(0));
    let ch = &live["channel"];
    assert_eq!(ch["sent"].as_u64(), Some(1800));
    assert_eq!(ch["received"].as_u64(), Some(1800));
    assert_eq!(ch["full_on_send"].as_u64(), Some(0));
    assert_eq!(live["little_law_ok"], Value::Bool(true), "{live}");

    // W = 1/(μ − λ) = 2. Timing noise only inflates waiting, so an unfaithful run is only
    // held to not being far below theory.
    let w = live["mean_sojourn_time"].as_f64().unwrap();
    if live["timing"]["faithful"] == Value::Bool(true) {
        assert!(rel(w, 2.0) < 0.35, "live W = {w}, theory 2");
    } else {
        assert!(w > 2.0 * 0.75, "live W = {w} far below theory 2");
    }
    assert!(rel(sim["mean_sojourn_time"].as_f64().unwrap(), 2.0) < 0.05);
    let err = r["live_comparison"]["mean_sojourn_time"]["live_error"]
        .as_f64()
        .unwrap();
    assert!((err - (w - 2.0) / 2.0).abs() < 1e-9);

    // The report: three columns, timing and channel blocks, charts with a live series.
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    for needle in [
        "live error",
        "release lateness",
        "full on send",
        "faithful:",
        "live number in system",
    ] {
        assert!(html.contains(needle), "report.html lacks '{needle}'");
    }
    let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(
        md.contains("| live |") || md.contains("live error"),
        "report.md lacks the live column"
    );
    assert!(check_charts(dir.path()) >= 2);
    let charts = dir.path().join("charts");
    let q: Value = serde_json::from_str(
        &std::fs::read_to_string(charts.join("queue-length-mm1.json")).unwrap(),
    )
    .unwrap();
    assert!(q["live_samples"].as_array().unwrap().len() > 10);
    assert!(q["samples"].as_array().unwrap().len() > 10);
    let s: Value =
        serde_json::from_str(&std::fs::read_to_string(charts.join("sojourn-mm1.json")).unwrap())
            .unwrap();
    assert!(s["live_cdf"].as_array().unwrap().len() > 10);
    assert!(s["simulated_cdf"].as_array().unwrap().len() > 10);
    let svg = std::fs::read_to_string(charts.join("sojourn-mm1.svg")).unwrap();
    assert!(
        svg.contains(">live<") || svg.contains("live"),
        "sojourn chart has no live legend"
    );
    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("results.json")).unwrap())
            .unwrap();
    assert_eq!(results[0]["live"]["customers"].as_u64(), Some(1500));
}

#[test]
fn no_sim_table_shows_theory_and_live_only() {
    let out = kendall()
        .args(MM1)
        .args(["--customers", "200", "--warmup-customers", "20", "--no-sim"])
        .args(["--format", "table"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in ["live error", "release lateness", "faithful:", "wake-ups"] {
        assert!(text.contains(needle), "table lacks '{needle}': {text}");
    }
    assert!(
        !text.contains("replications"),
        "simulated with --no-sim: {text}"
    );
    let csv = kendall()
        .args(MM1)
        .args(["--customers", "100", "--warmup-customers", "0", "--no-sim"])
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert!(csv.status.success());
    let csv = String::from_utf8_lossy(&csv.stdout);
    let header = csv.lines().next().unwrap();
    assert!(header.contains("live.mean_sojourn_time") && header.contains("live.timing.faithful"));
    assert!(!header.contains("simulation."), "{header}");
}

#[test]
fn bad_values_name_the_flag_and_range() {
    for ts in ["0", "-1ms", "abc", "1e-300", "5e-324", "1ns"] {
        refused(
            &["--time-scale", ts],
            "--time-scale must be a duration in [1us, 3600s]",
        );
    }
    refused(
        &[
            "--customers",
            "18446744073709551615",
            "--warmup-customers",
            "300",
        ],
        "--warmup-customers + --customers must be at most",
    );
    refused(&["--customers", "0"], "--customers must be an integer ≥ 1");
    // Each arrival is kept in memory: billions aborted when memory ran out.
    refused(
        &["--customers", "20000000"],
        "--warmup-customers + --customers must be at most 10000000",
    );
    // (100 000 + 300) arrivals × 2 time units × 1 h: decades, refused before it starts.
    refused(
        &["--customers", "100000", "--time-scale", "3600s"],
        "at most 24 h",
    );
    refused(&["--spin-us", "-5"], "--spin-us");
    // The simulation column's settings are checked even when it is skipped.
    refused(&["--no-sim", "--replications", "0"], "replications");
}

#[test]
fn unsupported_scenarios_are_refused_cleanly() {
    let out = kendall()
        .args([
            "live",
            "--scenario",
            "examples/pipeline.toml",
            "--customers",
            "10",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: scenario") && stderr.contains("pipeline"),
        "{stderr}"
    );
    let out = kendall()
        .args([
            "live",
            "--model",
            "M/M/inf",
            "--arrival-rate",
            "1",
            "--service-rate",
            "1",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("servers (c)"), "{stderr}");
}

#[test]
fn help_shows_examples() {
    let out = kendall().args(["live", "--help"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in ["Examples:", "--time-scale", "--no-sim", "faithful"] {
        assert!(text.contains(needle), "help lacks '{needle}'");
    }
}
