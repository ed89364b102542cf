//! Report directories from `simulate` and `sweep --out`: every file is written, every chart
//! is a valid SVG and a non-blank PNG of the stated size, and the tables carry the figures.

mod cli_support;

use cli_support::{Scratch, check_charts, kendall};
use serde_json::Value;

#[test]
fn simulate_report_has_table_charts_and_command() {
    let tmp = Scratch::new("report-simulate");
    let out = kendall()
        .args([
            "simulate",
            "--model",
            "M/M/2/6",
            "--arrival-rate",
            "1.5",
            "--service-rate",
            "1",
            "--customers",
            "20000",
            "--replications",
            "4",
            "--format",
            "table",
            "--out",
        ])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // No progress bar or chatter when stderr is not a terminal.
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("W  mean sojourn time") && stdout.contains("theory in CI"),
        "{stdout}"
    );
    assert!(stdout.contains("report: "), "{stdout}");
    assert_eq!(
        check_charts(tmp.path()),
        2,
        "queue length and sojourn distribution"
    );
    let html = std::fs::read_to_string(tmp.path().join("report.html")).unwrap();
    assert!(
        html.contains("<table>") && html.contains("P(loss)"),
        "comparison table"
    );
    assert!(
        html.contains("simulate --model M/M/2/6 --arrival-rate 1.5"),
        "command line"
    );
    let record: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("results.json")).unwrap())
            .unwrap();
    assert_eq!(record[0]["scenario"]["capacity"], 6);
    assert!(record[0]["comparison"]["p_loss"]["relative_error"].is_number());
}

#[test]
fn sweep_report_over_servers() {
    let tmp = Scratch::new("report-sweep");
    let out = kendall()
        .args([
            "sweep",
            "--model",
            "M/M/1",
            "--arrival-rate",
            "2.5",
            "--service-rate",
            "1",
            "--servers-range",
            "3:5:1",
            "--customers",
            "5000",
            "--replications",
            "3",
            "--format",
            "csv",
            "--out",
        ])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4, "{csv}");
    let header: Vec<&str> = lines[0].split(',').collect();
    for col in [
        "scenario.servers",
        "theory.mean_sojourn_time",
        "simulation.mean_sojourn_time",
        "simulation.ci95.mean_sojourn_time",
        "simulation.sojourn_time_percentiles.p99",
        "simulation.little_law_ok",
    ] {
        assert!(header.contains(&col), "missing column {col}: {header:?}");
    }
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("results.csv")).unwrap(),
        csv
    );
    assert_eq!(check_charts(tmp.path()), 4);
    // The x axis names the parameter varied.
    let svg = std::fs::read_to_string(tmp.path().join("charts/latency-mm1.svg")).unwrap();
    assert!(svg.contains("servers c"), "x axis label");
    let data: Value = serde_json::from_str(
        &std::fs::read_to_string(tmp.path().join("charts/latency-mm1.json")).unwrap(),
    )
    .unwrap();
    let xs: Vec<f64> = data["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["load"].as_f64().unwrap())
        .collect();
    assert_eq!(xs, vec![3.0, 4.0, 5.0]);
}

#[test]
fn load_sweep_needs_no_arrival_rate() {
    let out = kendall()
        .args([
            "sweep",
            "--model",
            "M/D/2",
            "--service-rate",
            "2",
            "--load",
            "0.5,0.8",
            "--customers",
            "5000",
            "--replications",
            "2",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rates: Vec<f64> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["scenario"]["arrival_rate"].as_f64().unwrap())
        .collect();
    // λ = ρ·c·μ.
    assert!(
        (rates[0] - 2.0).abs() < 1e-9 && (rates[1] - 3.2).abs() < 1e-9,
        "{rates:?}"
    );
}

#[test]
fn unstable_scenario_is_reported_not_numbered() {
    let r = kendall()
        .args([
            "simulate",
            "--model",
            "M/M/1",
            "--arrival-rate",
            "1.2",
            "--service-rate",
            "1",
            "--customers",
            "5000",
            "--replications",
            "2",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let v: Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(v["theory"]["unstable"], Value::Bool(true));
    assert!(v["theory"]["mean_sojourn_time"].is_null());
    assert!(
        v["simulation"]["mean_number_in_system"].as_f64().unwrap() > 10.0,
        "the queue grows"
    );
    let table = kendall()
        .args([
            "theory",
            "--model",
            "M/M/1",
            "--arrival-rate",
            "1.2",
            "--service-rate",
            "1",
            "--format",
            "table",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&table.stdout).contains("unstable"));
}

#[test]
fn readme_chart_images_are_valid_pngs() {
    // The README shows these, copied from `kendall demo`'s report.
    for name in ["latency-mm1.png", "throughput-mm3-10.png"] {
        let path = format!("{}/examples/report/{name}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap();
        let (w, h, ink, _) = cli_support::inspect_png(&bytes, &path);
        assert_eq!((w, h), (960, 600), "{path}");
        assert!(ink > 5_000, "{path} is nearly blank");
    }
}
