//! The bridge from a live run to reports: theory, simulation and the live run of one scenario
//! as a JSON record, the three-column table, the timing and channel blocks, and the charts
//! with a live series beside the simulated one.

use kendall_sim::SimResult;
use kendall_sim::live::{ChannelStats, LiveComparison, Timing};
use serde_json::{Map, Value, json};

use crate::charts::{QueueLengthChart, SojournChart};
use crate::outcome::{Outcome, SERIES_KEYS, human, theory_cell, theory_kind, to_value};
use crate::table::{Table, fmt_figure};

/// One scenario run live: the [`Outcome`] (theory, and the simulation unless skipped), the
/// live comparison, and optionally a short simulation as long as the live run for the
/// queue-length chart (the main simulation runs far longer, so its series would not line up).
///
/// ```
/// use kendall_reports::{live::LiveOutcome, outcome::Outcome};
/// use kendall_sim::{Scenario, predict, live::{LiveComparison, LiveConfig, run}};
/// let scenario = Scenario::from_kendall("M/M/1", 0.5, 1.0)?;
/// let theory = predict(&scenario)?;
/// let live = run(&scenario, &LiveConfig::default().time_scale(1e-4).customers(200))?;
/// let o = LiveOutcome {
///     outcome: Outcome { name: "M/M/1".into(), time_unit: "s".into(), point: None,
///                        theory: theory.clone(), scenario, comparison: None },
///     live: LiveComparison::new(theory, None, live),
///     short_simulation: None,
/// };
/// let r = o.record();
/// assert!(r["live"]["mean_sojourn_time"].is_number() && r["live"]["timing"]["faithful"].is_boolean());
/// assert!(r.get("simulation").is_none());
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
#[derive(Debug, Clone)]
pub struct LiveOutcome {
    /// Theory and (unless skipped) the simulation of the scenario.
    pub outcome: Outcome,
    /// Theory, simulation and live run lined up figure by figure.
    pub live: LiveComparison,
    /// One replication as long as the live run, for the queue-length chart.
    pub short_simulation: Option<SimResult>,
}

impl LiveOutcome {
    /// The record of the output schema: the [`Outcome::record`] keys plus `live` (the
    /// simulation's keys, `time_scale`, `timing` and `channel`) and `live_comparison` (per
    /// figure: `live_error` against theory and `live_vs_simulation`).
    pub fn record(&self) -> Value {
        let mut record = match self.outcome.record() {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        let mut live = to_value(&self.live.live);
        if let Value::Object(map) = &mut live {
            for key in SERIES_KEYS {
                map.remove(key);
            }
        }
        record.insert("live".into(), live);
        let mut figures = Map::new();
        for f in &self.live.figures {
            figures.insert(
                f.figure.clone(),
                json!({
                    "live_error": f.live_error,
                    "live_vs_simulation": f.live_vs_simulation,
                }),
            );
        }
        record.insert("live_comparison".into(), Value::Object(figures));
        Value::Object(record)
    }

    /// Number in system over model time: the live run beside one simulated replication of
    /// the same length (the short simulation, else the main one), with theory's L.
    pub fn queue_length_chart(&self, title: &str) -> QueueLengthChart {
        let sim = self
            .short_simulation
            .as_ref()
            .or(self.live.simulation.as_ref());
        let series = |s: &SimResult| -> Vec<(f64, f64)> {
            s.queue_length_series
                .iter()
                .map(|p| (p.time, p.number_in_system as f64))
                .collect()
        };
        QueueLengthChart {
            scenario: title.to_string(),
            time_unit: self.outcome.time_unit.clone(),
            samples: sim.map(series).unwrap_or_default(),
            theory_mean: self.outcome.theory.mean_number_in_system,
            live_samples: series(&self.live.live.result),
        }
    }

    /// The sojourn-time tail: live beside simulated (when run) and theory's percentiles.
    pub fn sojourn_chart(&self, title: &str) -> SojournChart {
        let cdf = |s: &SimResult| -> Vec<(f64, f64)> {
            s.sojourn_time_distribution
                .iter()
                .map(|q| (q.value, q.quantile))
                .collect()
        };
        let mut chart = self.outcome.sojourn_chart(title).unwrap_or(SojournChart {
            scenario: title.to_string(),
            time_unit: self.outcome.time_unit.clone(),
            theory_percentiles: theory_percentiles(&self.outcome),
            ..SojournChart::default()
        });
        chart.live_cdf = cdf(&self.live.live.result);
        chart
    }
}

fn theory_percentiles(o: &Outcome) -> Vec<(f64, f64)> {
    let levels = kendall_sim::Percentiles::LEVELS;
    o.theory
        .sojourn_time_percentiles
        .map(|p| {
            levels
                .iter()
                .zip(p.named())
                .map(|(level, (_, v))| (v, *level))
                .collect()
        })
        .unwrap_or_default()
}

fn pct(e: Option<f64>) -> String {
    e.map(|e| format!("{:+.1}%", e * 100.0))
        .unwrap_or_else(|| "—".into())
}

fn pm(v: Option<f64>) -> String {
    v.map(|h| format!("± {}", fmt_figure(Some(h))))
        .unwrap_or_default()
}

/// Figure by figure: theory, simulated ± 95%, its error, live ± 95% (batch means), the live
/// error against theory, and live against simulation.
///
/// ```
/// use kendall_reports::live::live_table;
/// use kendall_sim::{Scenario, predict, live::{LiveComparison, LiveConfig, run}};
/// let s = Scenario::from_kendall("M/D/1", 0.5, 1.0)?;
/// let c = LiveComparison::new(predict(&s)?, None, run(&s, &LiveConfig::default().time_scale(1e-4).customers(200))?);
/// let text = live_table(&c).to_text();
/// assert!(text.contains("live") && text.contains("W  mean sojourn time"));
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
pub fn live_table(c: &LiveComparison) -> Table {
    let mut t = Table::new([
        "figure".to_string(),
        format!("theory ({})", theory_kind(&c.theory)),
        "simulated".into(),
        "± 95%".into(),
        "sim. error".into(),
        "live".into(),
        "± 95%".into(),
        "live error".into(),
        "live vs sim.".into(),
    ]);
    let simulated = c.simulation.is_some();
    for f in &c.figures {
        t.push([
            human(&f.figure).to_string(),
            theory_cell(&c.theory, f.theory),
            if simulated {
                fmt_figure(f.simulated)
            } else {
                "—".into()
            },
            pm(f.simulated_ci95),
            pct(f.simulation_error),
            fmt_figure(Some(f.live)),
            pm(f.live_ci95),
            pct(f.live_error),
            pct(f.live_vs_simulation),
        ]);
    }
    t
}

/// The timing block: release lateness and service overshoot percentiles in real µs, and the
/// verdict.
///
/// ```
/// use kendall_reports::live::timing_table;
/// use kendall_sim::{Scenario, live::{LiveConfig, run}};
/// let r = run(&Scenario::from_kendall("M/M/1", 0.5, 1.0)?, &LiveConfig::default().time_scale(1e-4).customers(200))?;
/// let text = timing_table(&r.timing).to_text();
/// assert!(text.contains("release lateness") && text.contains("service overshoot"));
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
pub fn timing_table(timing: &Timing) -> Table {
    let mut t = Table::new([
        "timing (real µs)",
        "mean",
        "p50",
        "p90",
        "p99",
        "p99.9",
        "max",
    ]);
    let us = |v: f64| format!("{v:.1}");
    for (name, p, mean, max) in [
        (
            "release lateness",
            &timing.release_lateness_us,
            timing.mean_release_lateness_us,
            timing.max_release_lateness_us,
        ),
        (
            "service overshoot",
            &timing.service_overshoot_us,
            timing.mean_service_overshoot_us,
            timing.max_service_overshoot_us,
        ),
    ] {
        t.push([
            name.to_string(),
            us(mean),
            us(p.p50),
            us(p.p90),
            us(p.p99),
            us(p.p999),
            us(max),
        ]);
    }
    t
}

/// One line on whether the live run kept its schedule: `faithful: yes`, or a warning that
/// the machine, not the model, inflated the figures.
///
/// ```
/// use kendall_reports::live::faithful_line;
/// use kendall_sim::{Scenario, live::{LiveConfig, run}};
/// let mut r = run(&Scenario::from_kendall("M/M/1", 0.5, 1.0)?, &LiveConfig::default().time_scale(1e-4).customers(200))?;
/// r.timing.faithful = false;
/// assert!(faithful_line(&r.timing).starts_with("WARNING"));
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
pub fn faithful_line(timing: &Timing) -> String {
    if timing.faithful {
        format!(
            "faithful: yes — mean release lateness and service overshoot within {:.0}% of the \
             mean inter-arrival and service times (spin window {} µs)",
            Timing::MAX_LATENESS * 100.0,
            timing.spin_us
        )
    } else {
        format!(
            "WARNING: faithful: no — the machine did not keep the schedule (mean lateness \
             {:.0} µs, mean overshoot {:.0} µs); the live figures, waiting times above all, are \
             inflated by timer and scheduling delay, not by the model. Try a coarser \
             --time-scale or a quieter machine.",
            timing.mean_release_lateness_us, timing.mean_service_overshoot_us
        )
    }
}

/// The channel block: the real queue's own counters.
///
/// ```
/// use kendall_reports::live::channel_table;
/// use kendall_sim::live::ChannelStats;
/// let text = channel_table(&ChannelStats { sent: 10, received: 10, ..ChannelStats::default() }).to_text();
/// assert!(text.contains("full on send") && text.contains("wake-ups"));
/// ```
pub fn channel_table(ch: &ChannelStats) -> Table {
    let mut t = Table::new([
        "channel",
        "capacity",
        "sent",
        "received",
        "full on send",
        "empty on recv",
        "parks",
        "wake-ups",
    ]);
    t.push([
        "kendall_queue::bounded".to_string(),
        ch.capacity.to_string(),
        ch.sent.to_string(),
        ch.received.to_string(),
        ch.full_on_send.to_string(),
        ch.empty_on_recv.to_string(),
        ch.parks.to_string(),
        ch.wakeups.to_string(),
    ]);
    t
}
