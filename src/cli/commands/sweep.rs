//! `kendall sweep`: one scenario at several loads, server counts or capacities.

use kendall_reports::charts::ChartSize;
use kendall_reports::outcome::{Outcome, sweep_table};
use kendall_reports::write_report;
use kendall_sim::Station;

use super::super::args::{Format, SweepArgs, VaryArgs};
use super::super::error::CliError;
use super::super::progress::Bar;
use super::super::scenario::{self, Built};
use super::super::{output, range, report, run_config};

/// One sweep point: the scenario and the (parameter, value) it stands for.
pub type Point = (Built, (String, f64));

/// The scenarios of a sweep, and the chart's x label (`None`: offered load).
pub fn points(base: &Built, vary: &VaryArgs) -> Result<(Vec<Point>, Option<String>), CliError> {
    if let Some(text) = &vary.load {
        let loads = range::parse("load", text)?;
        let pts = loads
            .into_iter()
            .map(|l| Ok((scenario::at_load(base, l)?, ("load".to_string(), l))))
            .collect::<Result<_, CliError>>()?;
        let x_desc = base
            .scenario
            .as_tandem()
            .map(|_| "load ρ = λ/(c·μ) at the busiest stage".to_string());
        return Ok((pts, x_desc));
    }
    if let Some(text) = &vary.servers_range {
        let counts = range::parse_counts("servers-range", text, 1, Station::MAX_SERVERS)?;
        let pts = counts
            .into_iter()
            .map(|c| {
                Ok((
                    scenario::with_size(base, Some(c), None)?,
                    ("servers".to_string(), c as f64),
                ))
            })
            .collect::<Result<_, CliError>>()?;
        return Ok((pts, Some("servers c".into())));
    }
    if let Some(text) = &vary.capacity_range {
        let counts = range::parse_counts("capacity-range", text, 1, range::MAX_CAPACITY)?;
        let pts = counts
            .into_iter()
            .map(|k| {
                Ok((
                    scenario::with_size(base, None, Some(k))?,
                    ("capacity".to_string(), k as f64),
                ))
            })
            .collect::<Result<_, CliError>>()?;
        return Ok((pts, Some("capacity K [customers]".into())));
    }
    Err(CliError::new(
        "sweep: give one of --load FROM:TO:STEP, --servers-range FROM:TO:STEP or \
         --capacity-range FROM:TO:STEP (or a [sweep] table in the scenario file)",
    ))
}

/// Runs the subcommand.
pub fn run(args: &SweepArgs) -> Result<(), CliError> {
    let (mut input, run, vary) = scenario::load(&args.scenario, Some(&args.run), Some(&args.vary))?;
    if vary.load.is_some() {
        input.default_arrival_for_load_sweep();
    }
    let base = input.build()?;
    let cfg = run_config::build(&run)?;
    let (pts, x_desc) = points(&base, &vary)?;
    if let Some(dir) = &args.output.out {
        output::prepare_out(dir)?;
    }
    let outcomes = run_sweep(&pts, &cfg, &format!("sweeping {}", base.name))?;
    let format = output::format(&args.output);
    let mut table = format!("{} — {} points\n\n", base.name, outcomes.len());
    table.push_str(&sweep_table(&outcomes).to_text());
    if let Some(dir) = &args.output.out {
        let sections = report::sweep_sections(
            &base.name,
            &outcomes,
            x_desc,
            report::detail_index(&outcomes),
        );
        let rep = report::report(
            &format!("Kendall sweep — {}", base.name),
            input.description.clone().unwrap_or_default(),
            sections,
            &outcomes,
        );
        let files = write_report(dir, &rep, ChartSize::default())?;
        if format == Format::Table {
            table.push_str(&format!("\nreport: {}\n", files.html.display()));
        }
    }
    let records: Vec<_> = outcomes.iter().map(Outcome::record).collect();
    output::print(format, &records, true, &table)
}

/// Simulates every point in order with one progress bar.
pub fn run_sweep(
    pts: &[Point],
    cfg: &kendall_sim::RunConfig,
    message: &str,
) -> Result<Vec<Outcome>, CliError> {
    let bar = Bar::new(pts.len() as u64, message);
    let mut outcomes = Vec::with_capacity(pts.len());
    for (i, (built, point)) in pts.iter().enumerate() {
        match super::simulate_point(built, cfg, Some(point.clone()), &bar, i as u64) {
            Ok(o) => outcomes.push(o),
            Err(e) => {
                bar.finish();
                return Err(e);
            }
        }
    }
    bar.finish();
    Ok(outcomes)
}
