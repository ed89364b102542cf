//! Every example scenario in `examples/` runs through `simulate`, `theory` and (where the
//! file has a `[sweep]` table) `sweep`; the JSON follows the documented schema and agrees
//! with theory where theory is exact.

mod cli_support;

use cli_support::{json, kendall, rel};
use serde_json::Value;

/// Keys every `theory` and `simulation` object carries (README: output schema).
const MEANS: [&str; 8] = [
    "mean_number_in_system",
    "mean_number_in_queue",
    "mean_sojourn_time",
    "mean_waiting_time",
    "p_wait",
    "p_loss",
    "throughput",
    "utilisation",
];

fn examples() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| format!("examples/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    files.sort();
    assert!(
        files.len() >= 5,
        "expected at least five example scenarios, found {files:?}"
    );
    files
}

fn num(v: &Value, path: &str) -> f64 {
    let mut cur = v;
    for key in path.split('.') {
        cur = &cur[key];
    }
    cur.as_f64()
        .unwrap_or_else(|| panic!("{path} is not a number: {cur}"))
}

/// Checks the record's shape and, when theory is exact, that the simulation agrees with it.
fn check_record(file: &str, r: &Value) {
    for key in ["scenario", "theory", "simulation"] {
        assert!(r[key].is_object(), "{file}: no {key}");
    }
    let sim = &r["simulation"];
    let th = &r["theory"];
    for key in MEANS {
        assert!(sim[key].is_number(), "{file}: simulation.{key}");
        assert!(
            sim["ci95"].get(key).is_some(),
            "{file}: simulation.ci95.{key}"
        );
        assert!(th.get(key).is_some(), "{file}: theory.{key}");
    }
    for p in ["p50", "p90", "p99", "p999"] {
        assert!(
            sim["sojourn_time_percentiles"][p].is_number(),
            "{file}: sojourn {p}"
        );
        assert!(
            sim["waiting_time_percentiles"][p].is_number(),
            "{file}: waiting {p}"
        );
    }
    for key in ["customers", "events", "events_per_second", "wall_seconds"] {
        assert!(num(sim, key) > 0.0, "{file}: simulation.{key}");
    }
    assert_eq!(
        sim["little_law_ok"],
        Value::Bool(true),
        "{file}: Little's law"
    );
    assert!(th["exact"].is_boolean(), "{file}: theory.exact");
    assert!(
        th["unstable"] == Value::Bool(false),
        "{file}: examples are stable"
    );
    if th["exact"] == Value::Bool(true) {
        for key in [
            "mean_number_in_system",
            "mean_sojourn_time",
            "mean_waiting_time",
            "p_loss",
            "throughput",
            "utilisation",
        ] {
            let (s, t) = (num(sim, key), num(th, key));
            let h = sim["ci95"][key].as_f64().unwrap_or(0.0);
            // Four half-widths; for P(loss) also a few counts' worth of slack, since a rare
            // loss may not occur at all in a short run.
            let customers = num(sim, "customers");
            let slack = if key == "p_loss" {
                5.0 / customers
            } else {
                1e-9 * t.abs().max(1.0)
            };
            assert!(
                (s - t).abs() <= 4.0 * h + slack,
                "{file}: {key} simulated {s} ± {h} vs theory {t}"
            );
            if t > 0.01 {
                assert!(rel(s, t) < 0.15, "{file}: {key} {s} vs {t}");
            }
        }
    }
}

#[test]
fn every_example_simulates_and_agrees_with_theory() {
    for file in examples() {
        let r = json(&[
            "simulate",
            "--scenario",
            &file,
            "--customers",
            "20000",
            "--replications",
            "4",
            "--format",
            "json",
        ]);
        check_record(&file, &r);
        assert!(
            r["scenario"]["name"]
                .as_str()
                .is_some_and(|n| !n.is_empty()),
            "{file}: name"
        );
    }
}

#[test]
fn every_example_has_theory_in_json_and_csv() {
    for file in examples() {
        let r = json(&["theory", "--scenario", &file, "--format", "json"]);
        assert!(r["theory"]["method"].is_string(), "{file}");
        assert!(
            r.get("simulation").is_none(),
            "{file}: theory must not simulate"
        );
        let out = kendall()
            .args(["theory", "--scenario", &file, "--format", "csv"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{file}");
        let csv = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 2, "{file}: one header and one row");
        assert!(
            lines[0].contains("theory.mean_sojourn_time"),
            "{file}: {}",
            lines[0]
        );
        assert_eq!(
            csv_fields(lines[0]),
            csv_fields(lines[1]),
            "{file}: ragged CSV"
        );
    }
}

/// Number of fields in one CSV line, honouring quotes (RFC 4180).
fn csv_fields(line: &str) -> usize {
    let mut fields = 1;
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => fields += 1,
            _ => {}
        }
    }
    assert!(!quoted, "unbalanced quotes in {line}");
    fields
}

#[test]
fn known_values_from_the_examples() {
    // Erlang C, A = 8 Erlang, c = 10: P(wait) = 0.40918, Wq = 0.20459 (standard tables;
    // e.g. Kleinrock, Queueing Systems Vol. 1, §3.5).
    let r = json(&[
        "theory",
        "--scenario",
        "examples/call-centre.toml",
        "--format",
        "json",
    ]);
    assert!(rel(num(&r, "theory.p_wait"), 0.40918) < 1e-4);
    assert!(rel(num(&r, "theory.mean_waiting_time"), 0.20459) < 1e-4);
    // M/D/1 at ρ = 0.9: Lq = ρ²/(2(1−ρ)) = 4.05 (Pollaczek–Khinchine).
    let r = json(&[
        "theory",
        "--scenario",
        "examples/deterministic-service.toml",
        "--format",
        "json",
    ]);
    assert!(rel(num(&r, "theory.mean_number_in_queue"), 4.05) < 1e-9);
    // The trace's mean sets the service rate: μ = 1 / mean of service-times.txt.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/service-times.txt"
    ))
    .unwrap();
    let values: Vec<f64> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.trim().parse().unwrap())
        .collect();
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let r = json(&[
        "theory",
        "--scenario",
        "examples/trace-replay.toml",
        "--format",
        "json",
    ]);
    assert!(rel(num(&r, "scenario.service_rate"), 1.0 / mean) < 1e-12);
}

#[test]
fn flags_override_the_scenario_file() {
    let r = json(&[
        "theory",
        "--scenario",
        "examples/call-centre.toml",
        "--servers",
        "12",
        "--format",
        "json",
    ]);
    assert_eq!(r["scenario"]["servers"], 12);
    assert_eq!(r["scenario"]["model"], "M/M/12");
}

#[test]
fn sweep_tables_in_example_files_run() {
    let r = json(&[
        "sweep",
        "--scenario",
        "examples/consumer-pool.toml",
        "--capacity-range",
        "4,12,40",
        "--customers",
        "10000",
        "--replications",
        "3",
        "--format",
        "json",
    ]);
    let points = r.as_array().unwrap();
    assert_eq!(points.len(), 3);
    let loss: Vec<f64> = points.iter().map(|p| num(p, "theory.p_loss")).collect();
    assert!(
        loss[0] > loss[1] && loss[1] > loss[2],
        "loss must fall as capacity grows: {loss:?}"
    );
    for p in points {
        assert_eq!(p["scenario"]["sweep_parameter"], "capacity");
        check_record("consumer-pool sweep", p);
    }
    // The [sweep] table of the file is used when no range flag is given.
    let r = json(&[
        "sweep",
        "--scenario",
        "examples/call-centre.toml",
        "--customers",
        "5000",
        "--replications",
        "2",
        "--format",
        "json",
    ]);
    assert_eq!(r.as_array().unwrap().len(), 6, "servers 9:14:1");
}

#[test]
fn pipeline_example_is_a_tandem_with_exact_theory() {
    let r = json(&[
        "theory",
        "--scenario",
        "examples/pipeline.toml",
        "--format",
        "json",
    ]);
    assert_eq!(r["scenario"]["model"], "M/M/1 → ·/M/2 → ·/M/1");
    assert_eq!(r["scenario"]["stages"].as_array().unwrap().len(), 3);
    assert_eq!(r["theory"]["exact"], Value::Bool(true));
    // Burke: W is the sum of the stages' M/M/c sojourn times, here
    // 1/(100−40) + W(M/M/2, λ = 40, μ = 25) + 1/(60−40), with W(M/M/2) = 1/(μ(1−ρ²)) at ρ = 0.8.
    let w_mm2 = 1.0 / (25.0 * (1.0 - 0.8f64 * 0.8));
    let expected = 1.0 / 60.0 + w_mm2 + 1.0 / 20.0;
    assert!(rel(num(&r, "theory.mean_sojourn_time"), expected) < 1e-9);
    // A load sweep sets ρ at the busiest stage (enrich: λ / (2 × 25)).
    let r = json(&[
        "sweep",
        "--scenario",
        "examples/pipeline.toml",
        "--load",
        "0.5",
        "--customers",
        "5000",
        "--replications",
        "2",
        "--format",
        "json",
    ]);
    assert!(rel(num(&r[0], "scenario.arrival_rate"), 25.0) < 1e-12);
    assert!(rel(num(&r[0], "scenario.rho"), 0.5) < 1e-12);
}
