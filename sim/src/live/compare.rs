//! Theory, simulation and live run side by side: three columns per figure, with the relative
//! error of the simulation and of the live run against theory, and of live against simulation.

use serde::{Deserialize, Serialize};

use crate::config::RunConfig;
use crate::error::SimError;
use crate::live::{LiveConfig, LiveResult, run};
use crate::result::{FIGURES, SimResult};
use crate::run::simulate;
use crate::scenario::Scenario;
use crate::theory::{Prediction, predict};

/// One figure in three columns.
///
/// ```
/// use kendall_sim::live::LiveFigure;
/// let f = LiveFigure::new("mean_sojourn_time", Some(2.0), Some(2.02), None, 2.2, None);
/// assert!((f.live_error.unwrap() - 0.1).abs() < 1e-12);
/// assert!((f.simulation_error.unwrap() - 0.01).abs() < 1e-12);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiveFigure {
    /// The field name, e.g. `mean_sojourn_time` or `sojourn_time_percentiles.p99`.
    pub figure: String,
    /// Theory value, if a formula exists.
    pub theory: Option<f64>,
    /// Simulated value, if a simulation was run.
    pub simulated: Option<f64>,
    /// Its 95% half-width.
    pub simulated_ci95: Option<f64>,
    /// Live value.
    pub live: f64,
    /// Its 95% half-width (batch means within the live run).
    pub live_ci95: Option<f64>,
    /// (simulated − theory) / theory.
    pub simulation_error: Option<f64>,
    /// (live − theory) / theory.
    pub live_error: Option<f64>,
    /// (live − simulated) / simulated.
    pub live_vs_simulation: Option<f64>,
}

/// (value − reference) / reference; 0 when both are 0; `None` when only the reference is 0.
fn relative(value: f64, reference: f64) -> Option<f64> {
    if reference != 0.0 {
        Some((value - reference) / reference)
    } else if value == 0.0 {
        Some(0.0)
    } else {
        None
    }
}

impl LiveFigure {
    /// Builds one row from its columns.
    ///
    /// ```
    /// use kendall_sim::live::LiveFigure;
    /// let f = LiveFigure::new("p_loss", Some(0.0), None, None, 0.0, None);
    /// assert_eq!((f.live_error, f.live_vs_simulation), (Some(0.0), None));
    /// ```
    pub fn new(
        figure: &str,
        theory: Option<f64>,
        simulated: Option<f64>,
        simulated_ci95: Option<f64>,
        live: f64,
        live_ci95: Option<f64>,
    ) -> Self {
        LiveFigure {
            figure: figure.to_string(),
            theory,
            simulated,
            simulated_ci95,
            live,
            live_ci95,
            simulation_error: simulated.zip(theory).and_then(|(s, t)| relative(s, t)),
            live_error: theory.and_then(|t| relative(live, t)),
            live_vs_simulation: simulated.and_then(|s| relative(live, s)),
        }
    }
}

/// Theory, an optional simulation and a live run of one scenario, figure by figure.
///
/// ```
/// use kendall_sim::{Scenario, predict, live::{LiveComparison, LiveConfig, run}};
/// let mm1 = Scenario::from_kendall("M/M/1", 0.5, 1.0)?;
/// let live = run(&mm1, &LiveConfig::default().time_scale(1e-4).customers(200))?;
/// let c = LiveComparison::new(predict(&mm1)?, None, live);
/// assert_eq!(c.figures.len(), 16);
/// assert_eq!(c.figure("mean_sojourn_time").unwrap().theory, Some(2.0));
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiveComparison {
    /// The scenario in Kendall notation.
    pub model: String,
    /// The theory.
    pub theory: Prediction,
    /// The simulation, if one was run.
    pub simulation: Option<SimResult>,
    /// The live run.
    pub live: LiveResult,
    /// The eight means, then sojourn and waiting percentiles.
    pub figures: Vec<LiveFigure>,
}

impl LiveComparison {
    /// Lines up results already computed (e.g. a simulation the caller ran with progress).
    ///
    /// ```
    /// use kendall_sim::{RunConfig, Scenario, predict, simulate, live::{LiveComparison, LiveConfig, run}};
    /// let s = Scenario::from_kendall("M/D/1", 0.5, 1.0)?;
    /// let sim = simulate(&s, &RunConfig::default().customers(10_000).replications(2))?;
    /// let live = run(&s, &LiveConfig::default().time_scale(1e-4).customers(200))?;
    /// let c = LiveComparison::new(predict(&s)?, Some(sim), live);
    /// assert!(c.figure("throughput").unwrap().simulated.is_some());
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn new(theory: Prediction, simulation: Option<SimResult>, live: LiveResult) -> Self {
        let th = theory.means();
        let lv = live.result.means();
        let lci = live.result.ci95.to_array();
        let (sm, sci) = match &simulation {
            Some(s) => (s.means().map(Some), s.ci95.to_array()),
            None => ([None; 8], [None; 8]),
        };
        let mut figures: Vec<LiveFigure> = (0..FIGURES.len())
            .map(|k| LiveFigure::new(FIGURES[k], th[k], sm[k], sci[k], lv[k], lci[k]))
            .collect();
        let pick = |s: &SimResult, sojourn: bool| {
            if sojourn {
                s.sojourn_time_percentiles
            } else {
                s.waiting_time_percentiles
            }
        };
        for (prefix, sojourn) in [
            ("sojourn_time_percentiles", true),
            ("waiting_time_percentiles", false),
        ] {
            let t = if sojourn {
                theory.sojourn_time_percentiles
            } else {
                theory.waiting_time_percentiles
            };
            let l = pick(&live.result, sojourn);
            let s = simulation.as_ref().map(|s| pick(s, sojourn));
            for (i, (name, v)) in l.named().into_iter().enumerate() {
                figures.push(LiveFigure::new(
                    &format!("{prefix}.{name}"),
                    t.map(|p| p.named()[i].1),
                    s.map(|p| p.named()[i].1),
                    None,
                    v,
                    None,
                ));
            }
        }
        LiveComparison {
            model: live.result.model.clone(),
            theory,
            simulation,
            live,
            figures,
        }
    }

    /// One row by figure name.
    ///
    /// ```
    /// use kendall_sim::{Scenario, predict, live::{LiveComparison, LiveConfig, run}};
    /// let s = Scenario::from_kendall("M/M/1", 0.5, 1.0)?;
    /// let c = LiveComparison::new(predict(&s)?, None, run(&s, &LiveConfig::default().time_scale(1e-4).customers(200))?);
    /// assert!(c.figure("no_such_figure").is_none());
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn figure(&self, name: &str) -> Option<&LiveFigure> {
        self.figures.iter().find(|f| f.figure == name)
    }
}

/// Predicts `scenario`, runs it live, then simulates it, and lines the three up. The live run
/// goes first so the simulation's threads do not disturb its timing.
///
/// ```
/// use kendall_sim::{RunConfig, Scenario, live::{LiveConfig, compare_live}};
/// let s = Scenario::from_kendall("M/M/1", 0.5, 1.0)?;
/// let c = compare_live(&s, &RunConfig::default().customers(10_000).replications(2), &LiveConfig::default().time_scale(1e-4).customers(200))?;
/// let w = c.figure("mean_sojourn_time").unwrap();
/// assert_eq!(w.theory, Some(2.0));
/// assert!(w.simulated.is_some() && w.live > 0.0);
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
pub fn compare_live(
    scenario: &Scenario,
    simulation: &RunConfig,
    live: &LiveConfig,
) -> Result<LiveComparison, SimError> {
    simulation.validate()?;
    let theory = predict(scenario)?;
    let live = run(scenario, live)?;
    let sim = simulate(scenario, simulation)?;
    Ok(LiveComparison::new(theory, Some(sim), live))
}
