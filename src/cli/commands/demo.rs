//! `kendall demo`: the README's main job. Load sweeps of an M/M/1 and an M/M/c/K queue
//! (ρ from 0.1 to 0.95), a report with charts, and a summary on the terminal.

use std::path::PathBuf;

use kendall_reports::charts::ChartSize;
use kendall_reports::outcome::{Outcome, sweep_table};
use kendall_reports::write_report;
use kendall_sim::{RunConfig, Scenario, Warmup};

use super::super::args::{DemoArgs, Format};
use super::super::error::CliError;
use super::super::scenario::{self, Built};
use super::super::{output, report};

/// Where the report goes without `--out`.
pub const DEFAULT_OUT: &str = "kendall-report";

/// The demo's two scenario families: (name, Kendall notation), service rate 1 per second.
const FAMILIES: [(&str, &str); 2] = [("M/M/1", "M/M/1"), ("M/M/3/10", "M/M/3/10")];

/// Runs the subcommand.
pub fn run(args: &DemoArgs) -> Result<(), CliError> {
    let dir = args
        .output
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT));
    output::prepare_out(&dir)?;
    let (loads, customers, replications) = if args.quick {
        (vec![0.3, 0.6, 0.9], 5_000, 4)
    } else {
        (
            (2..=19).map(|i| i as f64 * 0.05).collect::<Vec<_>>(),
            300_000,
            10,
        )
    };
    // Loads 0.1, 0.15, …, 0.95 (written as multiples of 0.05 to avoid 0.30000000000000004).
    let loads: Vec<f64> = loads
        .into_iter()
        .map(|l| (l * 100.0f64).round() / 100.0)
        .collect();
    let mut cfg = RunConfig::default()
        .customers(customers)
        .replications(replications)
        .warmup(Warmup::Auto)
        .seed(args.seed);
    if let Some(t) = args.threads {
        cfg = cfg.threads(t);
    }
    cfg.validate()?;

    let mut all: Vec<Outcome> = Vec::new();
    let mut sections = Vec::new();
    let mut summary = String::new();
    for (name, model) in FAMILIES {
        let base = Built {
            scenario: Scenario::from_kendall(model, 0.5, 1.0)?,
            name: name.to_string(),
            time_unit: "s".into(),
        };
        let pts = loads
            .iter()
            .map(|&l| Ok((scenario::at_load(&base, l)?, ("load".to_string(), l))))
            .collect::<Result<Vec<_>, CliError>>()?;
        let outcomes = super::sweep::run_sweep(&pts, &cfg, &format!("demo: {name}"))?;
        summary.push_str(&format!("{name} (μ = 1/s per server), load sweep\n"));
        summary.push_str(&sweep_table(&outcomes).to_text());
        summary.push('\n');
        sections.extend(report::sweep_sections(
            name,
            &outcomes,
            None,
            report::detail_index(&outcomes),
        ));
        all.extend(outcomes);
    }
    let intro = format!(
        "Two queues with service rate μ = 1 per second per server, driven from ρ = {} to {}: \
         an M/M/1 queue (unbounded) and an M/M/3/10 queue (3 servers, at most 10 in the \
         system, arrivals dropped when full). Each point: {replications} replications of \
         {customers} customers after an automatic (MSER-5) warm-up, seed {}. Theory is exact \
         for both models.",
        loads.first().copied().unwrap_or_default(),
        loads.last().copied().unwrap_or_default(),
        args.seed,
    );
    let rep = report::report(
        "Kendall demo — simulation vs queueing theory",
        intro,
        sections,
        &all,
    );
    let files = write_report(&dir, &rep, ChartSize::default())?;
    let format = args.output.format.unwrap_or(Format::Table);
    summary.push_str(&format!(
        "report: {} ({} charts as SVG and PNG, results.json, results.csv)\n",
        files.html.display(),
        files.charts.len() / 4
    ));
    let records: Vec<_> = all.iter().map(Outcome::record).collect();
    output::print(format, &records, true, &summary)?;
    if format != Format::Table {
        eprintln!("report: {}", files.html.display());
    }
    Ok(())
}
