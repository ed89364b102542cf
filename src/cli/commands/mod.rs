//! One file per subcommand, and the step they share: run and compare one scenario.

pub mod demo;
pub mod live;
pub mod simulate;
pub mod sweep;
pub mod theory;

use kendall_reports::outcome::Outcome;
use kendall_sim::{RunConfig, compare_with_progress, predict};

use super::error::CliError;
use super::progress::Bar;
use super::scenario::Built;

/// Simulates `built` and compares it with theory, reporting progress as step `step` of `bar`.
pub fn simulate_point(
    built: &Built,
    cfg: &RunConfig,
    point: Option<(String, f64)>,
    bar: &Bar,
    step: u64,
) -> Result<Outcome, CliError> {
    let hook = bar.hook(step);
    let comparison = compare_with_progress(&built.scenario, cfg, Some(&hook))?;
    Ok(Outcome {
        name: built.name.clone(),
        time_unit: built.time_unit.clone(),
        scenario: built.scenario.clone(),
        point,
        theory: comparison.theory.clone(),
        comparison: Some(comparison),
    })
}

/// Theory alone for `built`.
pub fn theory_point(built: &Built, point: Option<(String, f64)>) -> Result<Outcome, CliError> {
    Ok(Outcome {
        name: built.name.clone(),
        time_unit: built.time_unit.clone(),
        scenario: built.scenario.clone(),
        point,
        theory: predict(&built.scenario)?,
        comparison: None,
    })
}
