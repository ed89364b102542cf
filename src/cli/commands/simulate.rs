//! `kendall simulate`: one scenario, simulated and compared with theory figure by figure.

use kendall_reports::charts::ChartSize;
use kendall_reports::write_report;

use super::super::args::{Format, SimulateArgs};
use super::super::error::CliError;
use super::super::progress::Bar;
use super::super::{output, report, run_config, scenario};

/// Runs the subcommand.
pub fn run(args: &SimulateArgs) -> Result<(), CliError> {
    let (input, run, _) = scenario::load(&args.scenario, Some(&args.run), None)?;
    let built = input.build()?;
    let cfg = run_config::build(&run)?;
    if let Some(dir) = &args.output.out {
        output::prepare_out(dir)?;
    }
    let bar = Bar::new(1, &format!("simulating {}", built.name));
    let outcome = super::simulate_point(&built, &cfg, None, &bar, 0);
    bar.finish();
    let outcome = outcome?;
    let format = output::format(&args.output);
    let mut table = format!("{}\n\n", report::run_summary(&outcome));
    table.push_str(&kendall_reports::outcome::comparison_table(&outcome).to_text());
    if let Some(dir) = &args.output.out {
        let section = report::single_section(&outcome, &outcome.name);
        let rep = report::report(
            &format!("Kendall simulation — {}", outcome.name),
            input.description.clone().unwrap_or_default(),
            vec![section],
            std::slice::from_ref(&outcome),
        );
        let files = write_report(dir, &rep, ChartSize::default())?;
        if format == Format::Table {
            table.push_str(&format!("\nreport: {}\n", files.html.display()));
        }
    }
    output::print(format, &[outcome.record()], false, &table)
}
