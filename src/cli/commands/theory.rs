//! `kendall theory`: the formulas alone for a scenario, instantly.

use kendall_reports::charts::ChartSize;
use kendall_reports::write_report;

use super::super::args::{Format, TheoryArgs};
use super::super::error::CliError;
use super::super::{output, report, scenario};

/// Runs the subcommand.
pub fn run(args: &TheoryArgs) -> Result<(), CliError> {
    let (input, _, _) = scenario::load(&args.scenario, None, None)?;
    let built = input.build()?;
    if let Some(dir) = &args.output.out {
        output::prepare_out(dir)?;
    }
    let outcome = super::theory_point(&built, None)?;
    let format = output::format(&args.output);
    let mut table = format!("{}\n\n", report::run_summary(&outcome));
    table.push_str(&kendall_reports::outcome::theory_table(&outcome).to_text());
    if let Some(note) = &outcome.theory.note {
        table.push_str(&format!("\nnote: {note}\n"));
    }
    if let Some(dir) = &args.output.out {
        let section = report::single_section(&outcome, &format!("{} — theory", outcome.name));
        let rep = report::report(
            &format!("Kendall theory — {}", outcome.name),
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
