//! Writes a sample report with every chart kind from synthetic data, to look at the styling:
//! `cargo run -p kendall-reports --example sample_charts -- /tmp/sample-report`.

use kendall_reports::charts::{
    Chart, ChartSize, LatencyChart, LoadPoint, QueueLengthChart, SojournChart, ThroughputChart,
};
use kendall_reports::table::Table;
use kendall_reports::{Report, Section, write_report};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "sample-report".into());
    let points: Vec<LoadPoint> = (1..=19)
        .map(|i| {
            let rho = i as f64 * 0.05;
            let w = 1.0 / (1.0 - rho);
            LoadPoint {
                load: rho,
                arrival_rate: rho,
                sojourn_mean: w * (1.0 + 0.03 * (i as f64).sin()),
                sojourn_ci95: w * 0.04,
                sojourn_p99: w * 4.5,
                throughput: rho,
                p_loss: 0.0,
                theory_sojourn_mean: Some(w),
                theory_sojourn_p99: Some(w * 4.605),
                theory_throughput: Some(rho),
                theory_p_loss: Some(0.0),
                ..LoadPoint::default()
            }
        })
        .collect();
    let cdf: Vec<(f64, f64)> = (0..100)
        .map(|i| (i as f64 * 0.5, 1.0 - (-(i as f64) * 0.05).exp()))
        .collect();
    let mut table = Table::new(["ρ", "W theory", "W simulated"]);
    for p in &points {
        table.push([
            format!("{:.2}", p.load),
            format!("{:.3}", p.theory_sojourn_mean.unwrap_or(f64::NAN)),
            format!("{:.3}", p.sojourn_mean),
        ]);
    }
    let report = Report {
        title: "Sample report (synthetic data)".into(),
        intro: "Every chart kind, drawn from made-up numbers.".into(),
        command: "cargo run -p kendall-reports --example sample_charts".into(),
        sections: vec![Section {
            heading: "M/M/1".into(),
            text: String::new(),
            tables: vec![table],
            charts: vec![
                (
                    "latency".into(),
                    Chart::Latency(LatencyChart {
                        scenario: "M/M/1 (μ = 1)".into(),
                        time_unit: "s".into(),
                        points: points.clone(),
                        x_desc: None,
                        theory_exact: true,
                    }),
                ),
                (
                    "throughput".into(),
                    Chart::Throughput(ThroughputChart {
                        scenario: "M/M/1 (μ = 1)".into(),
                        time_unit: "s".into(),
                        points,
                        x_desc: None,
                    }),
                ),
                (
                    "queue-length".into(),
                    Chart::QueueLength(QueueLengthChart {
                        scenario: "M/M/1, ρ = 0.9".into(),
                        time_unit: "s".into(),
                        samples: (0..400)
                            .map(|i| (i as f64, ((i * 37) % 23) as f64))
                            .collect(),
                        theory_mean: Some(9.0),
                        live_samples: vec![],
                    }),
                ),
                (
                    "sojourn".into(),
                    Chart::Sojourn(SojournChart {
                        scenario: "M/M/1, ρ = 0.9".into(),
                        time_unit: "s".into(),
                        simulated_cdf: cdf.clone(),
                        theory_cdf: Some(cdf.clone()),
                        theory_percentiles: vec![(cdf[13].0, cdf[13].1), (cdf[45].0, cdf[45].1)],
                        live_cdf: vec![],
                    }),
                ),
            ],
        }],
        records: vec![],
    };
    let files = write_report(dir.as_ref(), &report, ChartSize::default())?;
    println!("{}", files.html.display());
    Ok(())
}
