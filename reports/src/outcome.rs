//! The bridge from the simulator to reports: one scenario's theory (and simulation), turned
//! into a JSON record, table rows and chart inputs.

use kendall_sim::{Comparison, Prediction, Scenario};
use serde_json::{Map, Value, json};

use crate::charts::{LoadPoint, QueueLengthChart, SojournChart};
use crate::table::{Table, fmt_figure, fmt_param};

/// Bulky series in a simulation result: chart data, kept out of the figure records.
pub(crate) const SERIES_KEYS: [&str; 3] = [
    "queue_length_series",
    "sojourn_time_distribution",
    "waiting_time_distribution",
];

/// One scenario (or one sweep point): its theory and, unless theory-only, its simulation.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Name used in titles.
    pub name: String,
    /// Unit of time for labels.
    pub time_unit: String,
    /// The scenario.
    pub scenario: Scenario,
    /// For a sweep point: the parameter varied (`load`, `servers`, `capacity`) and its value.
    pub point: Option<(String, f64)>,
    /// Theory's prediction.
    pub theory: Prediction,
    /// Simulation compared with theory; `None` for `kendall theory`.
    pub comparison: Option<Comparison>,
}

impl Outcome {
    /// The record of the output schema: `scenario`, `theory`, and (when simulated)
    /// `simulation` and `comparison`, without the chart series.
    ///
    /// ```
    /// use kendall_reports::outcome::Outcome;
    /// use kendall_sim::{Scenario, predict};
    /// let scenario = Scenario::from_kendall("M/M/1", 0.9, 1.0)?;
    /// let o = Outcome {
    ///     name: "M/M/1".into(), time_unit: "s".into(), point: None,
    ///     theory: predict(&scenario)?, scenario, comparison: None,
    /// };
    /// let r = o.record();
    /// assert!((r["theory"]["mean_sojourn_time"].as_f64().unwrap() - 10.0).abs() < 1e-9);
    /// assert_eq!(r["scenario"]["model"], "M/M/1");
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn record(&self) -> Value {
        let mut record = Map::new();
        record.insert("scenario".into(), self.scenario_json());
        record.insert("theory".into(), to_value(&self.theory));
        if let Some(c) = &self.comparison {
            let mut sim = to_value(&c.simulation);
            if let Value::Object(map) = &mut sim {
                for key in SERIES_KEYS {
                    map.remove(key);
                }
            }
            record.insert("simulation".into(), sim);
            let mut figures = Map::new();
            for f in &c.figures {
                figures.insert(
                    f.figure.clone(),
                    json!({
                        "relative_error": f.relative_error,
                        "theory_inside_ci": f.theory_inside_ci,
                    }),
                );
            }
            record.insert("comparison".into(), Value::Object(figures));
        }
        Value::Object(record)
    }

    fn scenario_json(&self) -> Value {
        let mut obj = Map::new();
        obj.insert("name".into(), json!(self.name));
        obj.insert("model".into(), json!(self.scenario.kendall()));
        if let Some(st) = self.scenario.as_station() {
            obj.insert("arrival".into(), json!(st.arrival.to_string()));
            obj.insert("service".into(), json!(st.service.to_string()));
            let servers = if st.is_infinite_server() {
                json!("inf")
            } else {
                json!(st.servers)
            };
            obj.insert("servers".into(), servers);
            obj.insert("capacity".into(), json!(st.capacity));
            obj.insert("arrival_rate".into(), json!(st.arrival_rate()));
            obj.insert("service_rate".into(), json!(st.service_rate()));
            obj.insert("offered_load".into(), json!(st.offered_load()));
            obj.insert("rho".into(), json!(st.rho()));
        } else if let Some(t) = self.scenario.as_tandem() {
            let lambda = t.arrival_rate();
            obj.insert("arrival".into(), json!(t.arrival.to_string()));
            obj.insert("arrival_rate".into(), json!(lambda));
            let stages: Vec<Value> = t
                .stages
                .iter()
                .map(|s| {
                    json!({
                        "service": s.service.to_string(),
                        "servers": s.servers,
                        "capacity": s.capacity,
                        "service_rate": 1.0 / s.service.mean(),
                        "rho": s.rho(lambda),
                    })
                })
                .collect();
            obj.insert("stages".into(), Value::Array(stages));
            obj.insert("offered_load".into(), json!(self.theory.offered_load));
            obj.insert("rho".into(), json!(self.theory.rho));
        }
        obj.insert("time_unit".into(), json!(self.time_unit));
        if let Some((parameter, value)) = &self.point {
            obj.insert("sweep_parameter".into(), json!(parameter));
            obj.insert("sweep_value".into(), json!(value));
        }
        Value::Object(obj)
    }

    /// The point for latency and throughput charts (needs a simulation).
    pub fn load_point(&self) -> Option<LoadPoint> {
        let c = self.comparison.as_ref()?;
        let s = &c.simulation;
        let t = &self.theory;
        let arrival_rate = match (self.scenario.as_station(), self.scenario.as_tandem()) {
            (Some(st), _) => st.arrival_rate(),
            (None, Some(tandem)) => tandem.arrival_rate(),
            _ => return None,
        };
        Some(LoadPoint {
            // Theory's ρ: the load per server, at the busiest stage of a pipeline.
            load: t.rho,
            arrival_rate,
            sojourn_mean: s.mean_sojourn_time,
            sojourn_ci95: s.ci95.mean_sojourn_time.unwrap_or(0.0),
            sojourn_p99: s.sojourn_time_percentiles.p99,
            throughput: s.throughput,
            p_loss: s.p_loss,
            p_loss_ci95: s.ci95.p_loss.unwrap_or(0.0),
            theory_sojourn_mean: t.mean_sojourn_time,
            theory_sojourn_p99: t.sojourn_time_percentiles.map(|p| p.p99),
            theory_throughput: t.throughput,
            theory_p_loss: t.p_loss,
        })
    }

    /// Number in system over time, with theory's L (needs a simulation).
    pub fn queue_length_chart(&self, title: &str) -> Option<QueueLengthChart> {
        let s = &self.comparison.as_ref()?.simulation;
        Some(QueueLengthChart {
            scenario: title.to_string(),
            time_unit: self.time_unit.clone(),
            samples: s
                .queue_length_series
                .iter()
                .map(|p| (p.time, p.number_in_system as f64))
                .collect(),
            theory_mean: self.theory.mean_number_in_system,
            live_samples: Vec::new(),
        })
    }

    /// The sojourn-time tail, with theory's percentiles (needs a simulation).
    pub fn sojourn_chart(&self, title: &str) -> Option<SojournChart> {
        let s = &self.comparison.as_ref()?.simulation;
        let levels = kendall_sim::Percentiles::LEVELS;
        Some(SojournChart {
            scenario: title.to_string(),
            time_unit: self.time_unit.clone(),
            simulated_cdf: s
                .sojourn_time_distribution
                .iter()
                .map(|q| (q.value, q.quantile))
                .collect(),
            theory_cdf: None,
            theory_percentiles: self
                .theory
                .sojourn_time_percentiles
                .map(|p| {
                    levels
                        .iter()
                        .zip(p.named())
                        .map(|(level, (_, v))| (v, *level))
                        .collect()
                })
                .unwrap_or_default(),
            live_cdf: Vec::new(),
        })
    }
}

pub(crate) fn to_value<T: serde::Serialize>(v: &T) -> Value {
    // The simulator's result types are plain structs of numbers, strings and options: their
    // serialisation cannot fail, and a failure would only blank a record, never panic.
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// Human names of the compared figures, in table order.
const FIGURE_NAMES: [(&str, &str); 16] = [
    ("mean_number_in_system", "L  mean number in system"),
    ("mean_number_in_queue", "Lq mean number in queue"),
    ("mean_sojourn_time", "W  mean sojourn time"),
    ("mean_waiting_time", "Wq mean waiting time"),
    ("p_wait", "P(wait)"),
    ("p_loss", "P(loss)"),
    ("throughput", "throughput"),
    ("utilisation", "utilisation"),
    ("sojourn_time_percentiles.p50", "sojourn p50"),
    ("sojourn_time_percentiles.p90", "sojourn p90"),
    ("sojourn_time_percentiles.p99", "sojourn p99"),
    ("sojourn_time_percentiles.p999", "sojourn p99.9"),
    ("waiting_time_percentiles.p50", "waiting p50"),
    ("waiting_time_percentiles.p90", "waiting p90"),
    ("waiting_time_percentiles.p99", "waiting p99"),
    ("waiting_time_percentiles.p999", "waiting p99.9"),
];

pub(crate) fn human(figure: &str) -> &str {
    FIGURE_NAMES
        .iter()
        .find(|(k, _)| *k == figure)
        .map(|(_, h)| *h)
        .unwrap_or(figure)
}

/// Figure by figure: theory, simulated ± 95% half-width, relative error, theory in interval.
///
/// ```
/// use kendall_reports::outcome::{Outcome, comparison_table};
/// use kendall_sim::{RunConfig, Scenario, compare};
/// let scenario = Scenario::from_kendall("M/M/1", 0.5, 1.0)?;
/// let c = compare(&scenario, &RunConfig::default().customers(5_000).replications(2))?;
/// let o = Outcome { name: "M/M/1".into(), time_unit: "s".into(), point: None,
///                   theory: c.theory.clone(), scenario, comparison: Some(c) };
/// let text = comparison_table(&o).to_text();
/// assert!(text.contains("W  mean sojourn time") && text.contains("theory (exact)"));
/// assert!(o.load_point().is_some() && o.sojourn_chart("M/M/1").is_some());
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
pub fn comparison_table(outcome: &Outcome) -> Table {
    let kind = theory_kind(&outcome.theory);
    let mut t = Table::new([
        "figure".to_string(),
        format!("theory ({kind})"),
        "simulated".into(),
        "± 95%".into(),
        "rel. error".into(),
        "theory in CI".into(),
    ]);
    let Some(c) = &outcome.comparison else {
        return theory_table(outcome);
    };
    for f in &c.figures {
        t.push([
            human(&f.figure).to_string(),
            theory_cell(&outcome.theory, f.theory),
            fmt_figure(Some(f.simulated)),
            f.ci95
                .map(|h| fmt_figure(Some(h)))
                .unwrap_or_else(|| "—".into()),
            f.relative_error
                .map(|e| format!("{:+.2}%", e * 100.0))
                .unwrap_or_else(|| "—".into()),
            match f.theory_inside_ci {
                Some(true) => "yes".into(),
                Some(false) => "no".into(),
                None => "—".into(),
            },
        ]);
    }
    t
}

/// Theory alone, figure by figure.
///
/// ```
/// use kendall_reports::outcome::{Outcome, theory_table};
/// use kendall_sim::{Scenario, predict};
/// let scenario = Scenario::from_kendall("M/M/1", 1.5, 1.0)?;
/// let o = Outcome { name: "M/M/1".into(), time_unit: "s".into(), point: None,
///                   theory: predict(&scenario)?, scenario, comparison: None };
/// assert!(theory_table(&o).to_text().contains("unstable"));
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
pub fn theory_table(outcome: &Outcome) -> Table {
    let p = &outcome.theory;
    let mut t = Table::new(["figure".to_string(), format!("theory ({})", theory_kind(p))]);
    let means = p.means();
    for (i, (key, _)) in FIGURE_NAMES.iter().take(8).enumerate() {
        t.push([human(key).to_string(), theory_cell(p, means[i])]);
    }
    for (prefix, pct) in [
        ("sojourn_time_percentiles", p.sojourn_time_percentiles),
        ("waiting_time_percentiles", p.waiting_time_percentiles),
    ] {
        if let Some(pct) = pct {
            for (name, v) in pct.named() {
                t.push([
                    human(&format!("{prefix}.{name}")).to_string(),
                    fmt_figure(Some(v)),
                ]);
            }
        }
    }
    t
}

/// One row per sweep point: the headline figures side by side.
///
/// ```
/// use kendall_reports::outcome::{Outcome, sweep_table};
/// use kendall_sim::{Scenario, predict};
/// let outcomes: Vec<Outcome> = [0.5, 0.9].iter().map(|&rho| {
///     let scenario = Scenario::from_kendall("M/M/1", rho, 1.0).unwrap();
///     Outcome { name: "M/M/1".into(), time_unit: "s".into(), point: Some(("load".into(), rho)),
///               theory: predict(&scenario).unwrap(), scenario, comparison: None }
/// }).collect();
/// let t = sweep_table(&outcomes);
/// assert_eq!(t.rows.len(), 2);
/// assert_eq!(t.rows[1][2], "10.00"); // W = 1/(μ − λ) at ρ = 0.9
/// ```
pub fn sweep_table(outcomes: &[Outcome]) -> Table {
    let parameter = outcomes
        .first()
        .and_then(|o| o.point.as_ref().map(|p| p.0.clone()))
        .unwrap_or_else(|| "point".into());
    let mut t = Table::new([
        parameter.as_str(),
        "ρ",
        "W theory",
        "W simulated",
        "± 95%",
        "rel. error",
        "p99 theory",
        "p99 simulated",
        "P(loss) theory",
        "P(loss) simulated",
        "Little",
    ]);
    for o in outcomes {
        let rho = Some(o.theory.rho);
        let sim = o.comparison.as_ref().map(|c| &c.simulation);
        let w = o
            .comparison
            .as_ref()
            .and_then(|c| c.figure("mean_sojourn_time"));
        t.push([
            o.point.as_ref().map(|p| fmt_param(p.1)).unwrap_or_default(),
            rho.map(fmt_param).unwrap_or_default(),
            theory_cell(&o.theory, o.theory.mean_sojourn_time),
            fmt_figure(sim.map(|s| s.mean_sojourn_time)),
            fmt_figure(sim.and_then(|s| s.ci95.mean_sojourn_time)),
            w.and_then(|w| w.relative_error)
                .map(|e| format!("{:+.2}%", e * 100.0))
                .unwrap_or_else(|| "—".into()),
            theory_cell(&o.theory, o.theory.sojourn_time_percentiles.map(|p| p.p99)),
            fmt_figure(sim.map(|s| s.sojourn_time_percentiles.p99)),
            theory_cell(&o.theory, o.theory.p_loss),
            fmt_figure(sim.map(|s| s.p_loss)),
            sim.map(|s| if s.little_law_ok { "ok" } else { "off" }.to_string())
                .unwrap_or_else(|| "—".into()),
        ]);
    }
    t
}

pub(crate) fn theory_kind(p: &Prediction) -> &'static str {
    if p.unstable {
        "unstable"
    } else if p.exact {
        "exact"
    } else {
        "approx."
    }
}

pub(crate) fn theory_cell(p: &Prediction, v: Option<f64>) -> String {
    if p.unstable {
        "unstable".into()
    } else {
        fmt_figure(v)
    }
}
