//! Simulation and theory side by side: the relative error of each figure and whether the
//! theory value lies inside the simulation's 95% interval.

use serde::{Deserialize, Serialize};

use crate::Progress;
use crate::config::RunConfig;
use crate::error::SimError;
use crate::result::{FIGURES, SimResult};
use crate::run::simulate_with_progress;
use crate::scenario::Scenario;
use crate::theory::{Prediction, predict};

/// One figure, simulated and predicted.
///
/// ```
/// use kendall_sim::FigureComparison;
/// let f = FigureComparison::new("mean_sojourn_time", 10.1, Some(0.2), Some(10.0));
/// assert!((f.relative_error.unwrap() - 0.01).abs() < 1e-12);
/// assert_eq!(f.theory_inside_ci, Some(true));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FigureComparison {
    /// The field name, e.g. `mean_sojourn_time` or `sojourn_time_percentiles.p99`.
    pub figure: String,
    /// Simulated value.
    pub simulated: f64,
    /// Its 95% half-width, if any.
    pub ci95: Option<f64>,
    /// Theory value, if a formula exists.
    pub theory: Option<f64>,
    /// (simulated − theory) / theory; 0 when both are 0; `None` without theory or when theory
    /// is 0 and the simulation is not.
    pub relative_error: Option<f64>,
    /// simulated − theory.
    pub absolute_error: Option<f64>,
    /// |simulated − theory| ≤ half-width; `None` without theory or interval.
    pub theory_inside_ci: Option<bool>,
}

impl FigureComparison {
    /// Builds the comparison of one figure.
    ///
    /// ```
    /// use kendall_sim::FigureComparison;
    /// let f = FigureComparison::new("p_loss", 0.0, Some(0.0), Some(0.0));
    /// assert_eq!((f.relative_error, f.theory_inside_ci), (Some(0.0), Some(true)));
    /// ```
    pub fn new(figure: &str, simulated: f64, ci95: Option<f64>, theory: Option<f64>) -> Self {
        let absolute_error = theory.map(|t| simulated - t);
        let relative_error = theory.and_then(|t| {
            if t != 0.0 {
                Some((simulated - t) / t)
            } else if simulated == 0.0 {
                Some(0.0)
            } else {
                None
            }
        });
        let theory_inside_ci = match (theory, ci95) {
            (Some(t), Some(h)) => Some((simulated - t).abs() <= h),
            _ => None,
        };
        FigureComparison {
            figure: figure.to_string(),
            simulated,
            ci95,
            theory,
            relative_error,
            absolute_error,
            theory_inside_ci,
        }
    }
}

/// A simulation, the theory prediction, and each figure compared.
///
/// ```
/// use kendall_sim::{RunConfig, Scenario, compare};
/// let c = compare(&Scenario::from_kendall("M/M/3", 0.2, 0.1)?, &RunConfig::default().customers(20_000).replications(4))?;
/// assert!(c.theory.exact);
/// assert_eq!(c.figures.len(), 16);
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The scenario in Kendall notation.
    pub model: String,
    /// The simulation.
    pub simulation: SimResult,
    /// The theory.
    pub theory: Prediction,
    /// The eight means, then sojourn and waiting percentiles.
    pub figures: Vec<FigureComparison>,
}

impl Comparison {
    /// The comparison of one figure by name.
    ///
    /// ```
    /// use kendall_sim::{RunConfig, Scenario, compare};
    /// let c = compare(&Scenario::from_kendall("M/M/1", 0.5, 1.0)?, &RunConfig::default().customers(20_000).replications(4))?;
    /// assert!(c.figure("mean_sojourn_time").unwrap().theory == Some(2.0));
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn figure(&self, name: &str) -> Option<&FigureComparison> {
        self.figures.iter().find(|f| f.figure == name)
    }
}

/// Simulates `scenario`, predicts it, and compares every figure.
///
/// ```
/// use kendall_sim::{RunConfig, Scenario, compare};
/// let c = compare(&Scenario::from_kendall("M/M/1", 0.5, 1.0)?, &RunConfig::default().customers(100_000).replications(8))?;
/// let w = c.figure("mean_sojourn_time").unwrap();
/// assert!(w.relative_error.unwrap().abs() < 0.05);
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
pub fn compare(scenario: &Scenario, config: &RunConfig) -> Result<Comparison, SimError> {
    compare_with_progress(scenario, config, None)
}

/// [`compare`] with a progress callback, as in [`simulate_with_progress`].
///
/// ```
/// use kendall_sim::{RunConfig, Scenario, compare_with_progress};
/// let c = compare_with_progress(&Scenario::from_kendall("M/D/1", 0.5, 1.0)?, &RunConfig::default().customers(10_000).replications(2), Some(&|_, _| {}))?;
/// assert_eq!(c.model, "M/D/1");
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
pub fn compare_with_progress(
    scenario: &Scenario,
    config: &RunConfig,
    progress: Option<&Progress<'_>>,
) -> Result<Comparison, SimError> {
    let theory = predict(scenario)?;
    let simulation = simulate_with_progress(scenario, config, progress)?;
    let mut figures = Vec::with_capacity(16);
    let sim = simulation.means();
    let ci = simulation.ci95.to_array();
    let th = theory.means();
    for k in 0..FIGURES.len() {
        figures.push(FigureComparison::new(FIGURES[k], sim[k], ci[k], th[k]));
    }
    for (prefix, s, t) in [
        (
            "sojourn_time_percentiles",
            &simulation.sojourn_time_percentiles,
            &theory.sojourn_time_percentiles,
        ),
        (
            "waiting_time_percentiles",
            &simulation.waiting_time_percentiles,
            &theory.waiting_time_percentiles,
        ),
    ] {
        for (i, (name, v)) in s.named().into_iter().enumerate() {
            let tv = t.map(|p| p.named()[i].1);
            figures.push(FigureComparison::new(
                &format!("{prefix}.{name}"),
                v,
                None,
                tv,
            ));
        }
    }
    Ok(Comparison {
        model: scenario.kendall(),
        simulation,
        theory,
        figures,
    })
}
