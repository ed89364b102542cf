//! `kendall live`: one scenario run live on the real channel (first, with nothing else
//! running), then simulated, then shown in three columns beside theory with the timing and
//! channel blocks.

use kendall_reports::Section;
use kendall_reports::charts::{Chart, ChartSize};
use kendall_reports::live::{LiveOutcome, channel_table, faithful_line, live_table, timing_table};
use kendall_reports::outcome::Outcome;
use kendall_reports::write_report;
use kendall_sim::live::{self, LiveComparison, LiveConfig, LiveResult};
use kendall_sim::{RunConfig, Scenario, SimResult, Stop, Warmup, predict, simulate};

use super::super::args::{Format, LiveArgs, RunArgs};
use super::super::error::CliError;
use super::super::live_config::{self, PRECISE_TIME_SCALE, human_duration};
use super::super::progress::{Bar, Spinner};
use super::super::report::{report, run_summary, slug};
use super::super::scenario::Built;
use super::super::{output, run_config, scenario};

/// Runs the subcommand.
pub fn run(args: &LiveArgs) -> Result<(), CliError> {
    let sim_flags = RunArgs {
        replications: args.live.replications,
        seed: args.live.seed,
        ..RunArgs::default()
    };
    let (input, sim_run, _) = scenario::load(&args.scenario, Some(&sim_flags), None)?;
    let built = input.build()?;
    let mut cfg = live_config::build(&args.live)?;
    if let Some(seed) = sim_run.seed {
        cfg = cfg.seed(seed);
    }
    if let Some(s) = estimate_seconds(&built.scenario, &cfg)
        && s > MAX_LIVE_SECONDS
    {
        return Err(CliError::new(format!(
            "the live run would take about {} of real time ((warm-up + customers) × mean \
             inter-arrival time × time scale); at most 24 h: lower --customers or --time-scale",
            human_duration(s)
        )));
    }
    // Checked with --no-sim too: a bad value is an error, not something silently ignored.
    let sim_cfg = run_config::build(&sim_run)?;
    let sim_cfg = (!args.live.no_sim).then_some(sim_cfg);
    if let Some(dir) = &args.output.out {
        output::prepare_out(dir)?;
    }
    let theory = predict(&built.scenario)?;

    if cfg.time_scale < PRECISE_TIME_SCALE {
        eprintln!(
            "warning: --time-scale {} is below {} per model time unit: timer precision \
             (sleep wake-up and scheduling delay) will distort the live figures",
            human_duration(cfg.time_scale),
            human_duration(PRECISE_TIME_SCALE)
        );
    }
    // A one-customer probe at a fine scale: the live runner's own checks refuse an
    // unsupported scenario (pipeline, M/M/inf, huge K) before the run is announced.
    live::run(
        &built.scenario,
        &cfg.clone()
            .customers(1)
            .warmup_customers(0)
            .time_scale(1e-6),
    )?;
    let estimate = estimate_seconds(&built.scenario, &cfg);
    let about = estimate.map_or_else(
        || "unknown".to_string(),
        |s| format!("about {}", human_duration(s)),
    );
    if let Some(s) = estimate {
        eprintln!(
            "live run of {}: {} arrivals ({} warm-up) at {} per time unit — about {}",
            built.name,
            total_arrivals(&cfg),
            cfg.warmup_customers,
            human_duration(cfg.time_scale),
            human_duration(s)
        );
    }
    let spinner = Spinner::new(&format!("running {} live", built.name), &about);
    let live_result = live::run(&built.scenario, &cfg);
    spinner.finish();
    let live_result = live_result?;

    let (comparison, short) = match &sim_cfg {
        Some(sim_cfg) => {
            let bar = Bar::new(1, &format!("simulating {}", built.name));
            let c = super::simulate_point(&built, sim_cfg, None, &bar, 0);
            bar.finish();
            let c = c?;
            let short = short_simulation(&built.scenario, &cfg)?;
            (c.comparison, Some(short))
        }
        None => (None, None),
    };
    let outcome = Outcome {
        name: built.name.clone(),
        time_unit: built.time_unit.clone(),
        scenario: built.scenario.clone(),
        point: None,
        theory: theory.clone(),
        comparison,
    };
    let sim = outcome.comparison.as_ref().map(|c| c.simulation.clone());
    let lo = LiveOutcome {
        live: LiveComparison::new(theory, sim, live_result),
        outcome,
        short_simulation: short,
    };

    let format = output::format(&args.output);
    let mut table = text_report(&lo);
    if let Some(dir) = &args.output.out {
        let rep = report(
            &format!("Kendall live run — {}", built.name),
            input.description.clone().unwrap_or_default(),
            vec![section(&lo, &built)],
            &[],
        );
        let rep = kendall_reports::Report {
            records: vec![lo.record()],
            ..rep
        };
        let files = write_report(dir, &rep, ChartSize::default())?;
        if format == Format::Table {
            table.push_str(&format!("\nreport: {}\n", files.html.display()));
        }
    }
    output::print(format, &[lo.record()], false, &table)
}

/// The longest live run started: beyond a day it is a mistake in the flags, not a run.
const MAX_LIVE_SECONDS: f64 = 24.0 * 3600.0;

/// Arrivals after the warm-up (a horizon run has no fixed count).
fn customers(cfg: &LiveConfig) -> u64 {
    match cfg.stop {
        Stop::Customers(n) => n,
        Stop::Horizon(_) => 0,
    }
}

/// Warm-up plus counted arrivals (`live_config::build` checks that the sum fits).
fn total_arrivals(cfg: &LiveConfig) -> u64 {
    cfg.warmup_customers.saturating_add(customers(cfg))
}

/// (warm-up + customers) × mean inter-arrival × time scale, for a single station.
fn estimate_seconds(scenario: &Scenario, cfg: &LiveConfig) -> Option<f64> {
    let st = scenario.as_station()?;
    let arrivals = total_arrivals(cfg) as f64;
    Some(arrivals * st.arrival.mean() * cfg.time_scale).filter(|s| s.is_finite())
}

/// One simulated replication as long as the live run, so the two queue-length series share a
/// time axis (the main simulation runs far longer).
fn short_simulation(scenario: &Scenario, cfg: &LiveConfig) -> Result<SimResult, CliError> {
    let warmup = match scenario.as_station() {
        Some(st) if cfg.warmup_customers > 0 => {
            Warmup::Fixed(cfg.warmup_customers as f64 * st.arrival.mean())
        }
        _ => Warmup::None,
    };
    let run = RunConfig::default()
        .customers(customers(cfg).max(1))
        .replications(1)
        .seed(cfg.seed)
        .warmup(warmup);
    Ok(simulate(scenario, &run)?)
}

/// One line on how the live run went.
fn live_summary(r: &LiveResult, name: &str) -> String {
    format!(
        "live {name}: {} customers after a warm-up of {} time units, at {} per time unit, \
         {:.1} s of real time; Little's law {}",
        r.result.customers,
        kendall_reports::table::fmt_figure(Some(r.result.warmup_time)),
        human_duration(r.time_scale),
        r.result.wall_seconds,
        if r.result.little_law_ok {
            "holds"
        } else {
            "is OFF"
        }
    )
}

/// The table printed on a terminal: summaries, three columns, timing and channel blocks.
fn text_report(lo: &LiveOutcome) -> String {
    let live = &lo.live.live;
    let mut out = String::new();
    if lo.outcome.comparison.is_some() {
        out.push_str(&run_summary(&lo.outcome));
        out.push('\n');
    }
    out.push_str(&live_summary(live, &lo.outcome.name));
    out.push_str("\n\n");
    out.push_str(&live_table(&lo.live).to_text());
    out.push('\n');
    out.push_str(&timing_table(&live.timing).to_text());
    out.push_str(&faithful_line(&live.timing));
    out.push_str("\n\n");
    out.push_str(&channel_table(&live.channel).to_text());
    out
}

/// The report section: three-column table, timing and channel blocks, and the charts with
/// the live series.
fn section(lo: &LiveOutcome, built: &Built) -> Section {
    let live = &lo.live.live;
    let stem = slug(&built.name);
    Section {
        heading: format!("{} — theory, simulation and live run", built.name),
        text: format!(
            "{} {} {}",
            if lo.outcome.comparison.is_some() {
                run_summary(&lo.outcome) + "."
            } else {
                "No simulation (--no-sim).".to_string()
            },
            live_summary(live, &lo.outcome.name) + ".",
            faithful_line(&live.timing)
        ),
        tables: vec![
            live_table(&lo.live),
            timing_table(&live.timing),
            channel_table(&live.channel),
        ],
        charts: vec![
            (
                format!("queue-length-{stem}"),
                Chart::QueueLength(lo.queue_length_chart(&built.name)),
            ),
            (
                format!("sojourn-{stem}"),
                Chart::Sojourn(lo.sojourn_chart(&built.name)),
            ),
        ],
    }
}
