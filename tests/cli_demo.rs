//! `kendall demo`, the README's main job: a quick run checked in detail, and the real
//! (full-size) run once, which must write the whole report and agree with theory.

mod cli_support;

use cli_support::{Scratch, check_charts, kendall};
use serde_json::Value;

/// Every point of a demo agrees with (exact) theory on W and P(loss) within 4 half-widths.
fn check_points(records: &[Value]) {
    for r in records {
        assert_eq!(r["theory"]["exact"], Value::Bool(true));
        for key in ["mean_sojourn_time", "p_loss", "throughput"] {
            let s = r["simulation"][key].as_f64().unwrap();
            let t = r["theory"][key].as_f64().unwrap();
            let h = r["simulation"]["ci95"][key].as_f64().unwrap_or(0.0);
            // A rare event (P(loss) ~ 1e-5) may not occur at all in a short run: allow a
            // few counts' worth of slack on probabilities.
            let customers = r["simulation"]["customers"].as_f64().unwrap();
            let slack = if key == "p_loss" {
                5.0 / customers
            } else {
                1e-9 * t.abs()
            };
            assert!(
                (s - t).abs() <= 4.0 * h + slack,
                "{} at load {}: {key} simulated {s} ± {h}, theory {t}",
                r["scenario"]["model"],
                r["scenario"]["sweep_value"]
            );
        }
    }
}

#[test]
fn quick_demo_writes_a_checked_report() {
    let tmp = Scratch::new("demo-quick");
    let out = kendall()
        .args(["demo", "--quick", "--format", "json", "--out"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(records.len(), 6, "two scenarios × three loads");
    let models: Vec<&str> = records
        .iter()
        .map(|r| r["scenario"]["model"].as_str().unwrap())
        .collect();
    assert!(
        models.contains(&"M/M/1") && models.contains(&"M/M/3/10"),
        "{models:?}"
    );
    check_points(&records);
    // results.json holds the same records as stdout.
    let file: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("results.json")).unwrap())
            .unwrap();
    assert_eq!(file, records);
    let csv = std::fs::read_to_string(tmp.path().join("results.csv")).unwrap();
    assert_eq!(csv.lines().count(), 7, "header + one row per point");
    assert_eq!(
        check_charts(tmp.path()),
        8,
        "latency, throughput, queue length, sojourn × 2"
    );
    let html = std::fs::read_to_string(tmp.path().join("report.html")).unwrap();
    assert_eq!(html.matches("<svg").count(), 8, "every chart inlined");
    assert!(
        html.contains("demo --quick --format json --out"),
        "the exact command line"
    );
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "self-contained"
    );
    let md = std::fs::read_to_string(tmp.path().join("report.md")).unwrap();
    assert!(
        md.contains("![Sojourn time vs load — M/M/1](charts/latency-mm1.svg)"),
        "{md}"
    );
}

#[test]
fn the_real_demo_runs() {
    let tmp = Scratch::new("demo-full");
    let start = std::time::Instant::now();
    let out = kendall()
        .arg("demo")
        .current_dir(tmp.path())
        .output()
        .unwrap();
    let secs = start.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("M/M/1 (μ = 1/s per server), load sweep"),
        "{stdout}"
    );
    assert!(
        stdout.contains("report: kendall-report/report.html"),
        "{stdout}"
    );
    let dir = tmp.path().join("kendall-report");
    let records: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    assert_eq!(records.len(), 36, "two scenarios × 18 loads (0.1 to 0.95)");
    let loads: Vec<f64> = records
        .iter()
        .take(18)
        .map(|r| r["scenario"]["rho"].as_f64().unwrap())
        .collect();
    assert!(
        (loads[0] - 0.1).abs() < 1e-9 && (loads[17] - 0.95).abs() < 1e-9,
        "{loads:?}"
    );
    check_points(&records);
    assert_eq!(check_charts(&dir), 8);
    eprintln!("full demo took {secs:.1} s (test profile)");
}
