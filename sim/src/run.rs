//! Running a scenario: warm-up choice, replications in parallel (deterministic whatever the
//! thread count), the precision stopping rule, and pooling replications into a [`SimResult`].

use std::time::Instant;

use rayon::prelude::*;

use crate::config::{Replications, RunConfig, Stop, Warmup};
use crate::engine::{self, RepOutput, RepSpec};
use crate::error::SimError;
use crate::mser::mser_truncation;
use crate::progress::{Progress, ProgressHook};
use crate::result::{
    Ci95, CiMethod, LittleCheck, Percentiles, QuantilePoint, SeriesPoint, SimResult, StationResult,
};
use crate::scenario::Scenario;
use crate::student::mean_ci95;
use crate::tally::{Checkpoints, Quantiles, TimeHistogram, Totals};

/// Replications run at a time before their histograms are merged, which bounds memory.
const CHUNK: u64 = 16;
/// Batches used for batch-means intervals when there is a single replication.
const BATCHES: usize = 20;

/// Simulates `scenario` as `config` says and pools the replications.
///
/// ```
/// use kendall_sim::{RunConfig, Scenario, simulate};
/// let mm1 = Scenario::from_kendall("M/M/1", 0.5, 1.0)?;
/// let r = simulate(&mm1, &RunConfig::default().customers(200_000).replications(4).seed(3))?;
/// // Theory: W = 1/(μ − λ) = 2.
/// assert!((r.mean_sojourn_time - 2.0).abs() < 0.1);
/// assert!(r.little_law_ok);
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
pub fn simulate(scenario: &Scenario, config: &RunConfig) -> Result<SimResult, SimError> {
    simulate_with_progress(scenario, config, None)
}

/// [`simulate`] with a progress callback `(done, total)`, in thousandths of a replication; it
/// is called from worker threads, a few times per replication.
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use kendall_sim::{RunConfig, Scenario, simulate_with_progress};
/// let last = AtomicU64::new(0);
/// let cb = |done: u64, total: u64| { last.store(done, Ordering::Relaxed); assert!(done <= total); };
/// let mm1 = Scenario::from_kendall("M/M/1", 0.5, 1.0)?;
/// simulate_with_progress(&mm1, &RunConfig::default().customers(10_000).replications(2), Some(&cb))?;
/// assert_eq!(last.load(Ordering::Relaxed), 2000);
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
pub fn simulate_with_progress(
    scenario: &Scenario,
    config: &RunConfig,
    progress: Option<&Progress<'_>>,
) -> Result<SimResult, SimError> {
    scenario.validate()?;
    config.validate()?;
    config.validate_length(match scenario {
        Scenario::Station(st) => st.arrival_rate(),
        Scenario::Tandem(t) => t.arrival_rate(),
    })?;
    let started = Instant::now();
    let pool = match config.threads {
        Some(n) if n > 1 => rayon::ThreadPoolBuilder::new().num_threads(n).build().ok(),
        _ => None,
    };
    let sequential = config.threads == Some(1);
    let mut events = 0;

    let warmup_time = match config.warmup {
        Warmup::None => 0.0,
        Warmup::Fixed(t) => t,
        Warmup::Auto => {
            let (t, ev) = auto_warmup(scenario, config);
            events += ev;
            t
        }
    };

    let cap = match config.replications {
        Replications::Fixed(r) => r,
        Replications::Precision { max, .. } => max,
    };
    let hook = progress.map(|f| ProgressHook::new(f, u64::from(cap) * 1000));
    let mut pooled = Pooled::new(scenario);
    let run_range = |pooled: &mut Pooled, from: u64, to: u64| {
        let mut at = from;
        while at < to {
            let end = (at + CHUNK).min(to);
            let spec = |i: u64| RepSpec {
                scenario,
                seed: config.seed,
                replication: i,
                warmup: warmup_time,
                stop: config.stop,
                series_points: config.series_points,
                progress: hook.as_ref(),
            };
            let outs: Vec<RepOutput> = if sequential {
                (at..end).map(|i| engine::run(&spec(i))).collect()
            } else if let Some(pool) = &pool {
                pool.install(|| {
                    (at..end)
                        .into_par_iter()
                        .map(|i| engine::run(&spec(i)))
                        .collect()
                })
            } else {
                (at..end)
                    .into_par_iter()
                    .map(|i| engine::run(&spec(i)))
                    .collect()
            };
            for o in outs {
                pooled.absorb(o);
            }
            at = end;
        }
    };

    let mut precision_reached = None;
    match config.replications {
        Replications::Fixed(r) => run_range(&mut pooled, 0, u64::from(r)),
        Replications::Precision { epsilon, min, max } => {
            let mut done = 0u64;
            let mut target = u64::from(min);
            loop {
                run_range(&mut pooled, done, target);
                done = target;
                let rel = pooled.relative_half_width_of_sojourn()?;
                if rel <= epsilon {
                    precision_reached = Some(true);
                    break;
                }
                if done >= u64::from(max) {
                    precision_reached = Some(false);
                    break;
                }
                // Half-width shrinks like 1/√R: aim for the R that meets ε, plus 10%.
                let needed = (done as f64 * (rel / epsilon).powi(2) * 1.1).ceil();
                let needed = if needed.is_finite() {
                    needed as u64
                } else {
                    u64::from(max)
                };
                target = needed.clamp(done + 1, u64::from(max));
            }
        }
    }
    if let Some(h) = &hook {
        h.finish();
    }
    events += pooled.events;
    let wall = started.elapsed().as_secs_f64();
    pooled.finish(scenario, warmup_time, events, wall, precision_reached)
}

/// MSER-5 on a pilot replication (its own random streams): the warm-up in simulated time, and
/// the events the pilot cost.
fn auto_warmup(scenario: &Scenario, config: &RunConfig) -> (f64, u64) {
    let stop = match config.stop {
        // A quarter of the run, at least 20 000 and at most 2 000 000 customers: long enough for
        // MSER to see the transient, short enough to cost little on long runs.
        Stop::Customers(n) => Stop::Customers(n.min((n / 4).clamp(20_000, 2_000_000))),
        Stop::Horizon(t) => Stop::Horizon(t),
    };
    let spec = RepSpec {
        scenario,
        seed: config.seed,
        replication: u64::MAX,
        warmup: 0.0,
        stop,
        series_points: 2,
        progress: None,
    };
    let out = engine::run(&spec);
    (mser_warmup(&out.checkpoints), out.events)
}

/// The end time of the batches MSER deletes (batch means of sojourn time between checkpoints).
fn mser_warmup(cp: &Checkpoints) -> f64 {
    let mut prev = Totals::default();
    let mut y = Vec::with_capacity(cp.points.len());
    for p in &cp.points {
        let n = p.started - prev.started;
        if n > 0 {
            y.push((p.sum_sojourn - prev.sum_sojourn) / n as f64);
        }
        prev = *p;
    }
    match mser_truncation(&y) {
        0 => 0.0,
        d => cp.points[d - 1].time,
    }
}

/// Replications pooled so far.
struct Pooled {
    figures: Vec<[f64; 8]>,
    accepted_rates: Vec<f64>,
    observed: Vec<f64>,
    sojourn: TimeHistogram,
    waiting: TimeHistogram,
    first: Option<(Checkpoints, Totals, Vec<SeriesPoint>)>,
    customers: u64,
    lost: u64,
    events: u64,
    trace_exhausted: bool,
    servers: f64,
    empty_replication: bool,
    /// Per station: servers (for utilisation) and each replication's figures.
    stage_servers: Vec<f64>,
    stage_figures: Vec<Vec<[f64; 8]>>,
    /// A pipeline reports its busiest station's utilisation.
    pipeline: bool,
}

impl Pooled {
    fn new(scenario: &Scenario) -> Self {
        // Stations as (mean service, servers); an infinite-server station reports mean busy
        // servers as its utilisation.
        let stations: Vec<(f64, f64)> = match scenario {
            Scenario::Station(st) => {
                vec![(
                    st.service.mean(),
                    if st.is_infinite_server() {
                        1.0
                    } else {
                        st.servers as f64
                    },
                )]
            }
            Scenario::Tandem(t) => t
                .stages
                .iter()
                .map(|s| (s.service.mean(), s.servers as f64))
                .collect(),
        };
        let unit = stations.iter().map(|s| s.0).sum::<f64>() * 1e-3;
        Pooled {
            figures: Vec::new(),
            accepted_rates: Vec::new(),
            observed: Vec::new(),
            sojourn: TimeHistogram::new(unit),
            waiting: TimeHistogram::new(unit),
            first: None,
            customers: 0,
            lost: 0,
            events: 0,
            trace_exhausted: false,
            servers: stations.iter().map(|s| s.1).sum(),
            empty_replication: false,
            stage_servers: stations.iter().map(|s| s.1).collect(),
            stage_figures: vec![Vec::new(); stations.len()],
            pipeline: matches!(scenario, Scenario::Tandem(_)),
        }
    }

    fn absorb(&mut self, o: RepOutput) {
        let mut busiest: f64 = 0.0;
        for (k, st) in o.stages.iter().enumerate() {
            // A station nobody reached still has a utilisation (0) and no time figures.
            let f = Totals::default()
                .figures_between(st, self.stage_servers[k])
                .unwrap_or_else(|| {
                    let dt = st.time.max(f64::MIN_POSITIVE);
                    [
                        st.area_n / dt,
                        (st.area_n - st.area_busy) / dt,
                        0.0,
                        0.0,
                        0.0,
                        0.0,
                        0.0,
                        st.area_busy / dt / self.stage_servers[k],
                    ]
                });
            busiest = busiest.max(f[7]);
            self.stage_figures[k].push(f);
        }
        match Totals::default().figures_between(&o.totals, self.servers) {
            Some(mut f) => {
                if self.pipeline {
                    f[7] = busiest;
                }
                self.figures.push(f)
            }
            None => self.empty_replication = true,
        }
        self.accepted_rates.push(o.totals.accepted_rate());
        self.observed.push(o.totals.time);
        self.sojourn.add(&o.sojourn);
        self.waiting.add(&o.waiting);
        self.customers += o.totals.arrivals;
        self.lost += o.totals.lost;
        self.events += o.events;
        self.trace_exhausted |= o.trace_exhausted;
        if self.first.is_none() {
            self.first = Some((o.checkpoints, o.totals, o.series));
        }
    }

    fn column(&self, k: usize) -> Vec<f64> {
        self.figures.iter().map(|f| f[k]).collect()
    }

    fn relative_half_width_of_sojourn(&self) -> Result<f64, SimError> {
        if self.empty_replication {
            return Err(SimError::NoCompletedCustomers);
        }
        let (m, h) = mean_ci95(&self.column(2));
        Ok(match h {
            Some(h) if m > 0.0 => h / m,
            Some(_) => 0.0,
            None => f64::INFINITY,
        })
    }

    /// Half-widths over batch means of the single replication.
    fn batch_means_ci(&self) -> Option<[Option<f64>; 8]> {
        let (cp, totals, _) = self.first.as_ref()?;
        let mut marks: Vec<Totals> = vec![Totals::default()];
        marks.extend(cp.points.iter().copied());
        marks.push(*totals);
        if marks.len() < BATCHES + 1 {
            return None;
        }
        let last = marks.len() - 1;
        let mut batches = Vec::with_capacity(BATCHES);
        for b in 0..BATCHES {
            let from = &marks[b * last / BATCHES];
            let to = &marks[(b + 1) * last / BATCHES];
            batches.push(from.figures_between(to, self.servers)?);
        }
        let mut out = [None; 8];
        for (k, o) in out.iter_mut().enumerate() {
            let col: Vec<f64> = batches.iter().map(|f| f[k]).collect();
            *o = mean_ci95(&col).1;
        }
        Some(out)
    }

    fn finish(
        self,
        scenario: &Scenario,
        warmup_time: f64,
        events: u64,
        wall: f64,
        precision_reached: Option<bool>,
    ) -> Result<SimResult, SimError> {
        if self.empty_replication || self.figures.is_empty() {
            return Err(SimError::NoCompletedCustomers);
        }
        let r = self.figures.len();
        let mut means = [0.0; 8];
        let mut ci = [None; 8];
        for (k, (m, c)) in means.iter_mut().zip(ci.iter_mut()).enumerate() {
            (*m, *c) = mean_ci95(&self.column(k));
        }
        let ci_method = if r >= 2 {
            CiMethod::Replications
        } else if let Some(b) = self.batch_means_ci() {
            ci = b;
            CiMethod::BatchMeans
        } else {
            CiMethod::None
        };
        let lambda = mean_ci95(&self.accepted_rates).0;
        let little = LittleCheck::new(means[0], lambda, means[2], means[1], means[3]);
        let relative_half_width = ci[2].map(|h| if means[2] > 0.0 { h / means[2] } else { 0.0 });
        let (sojourn_pct, sojourn_dist) = spread(&self.sojourn);
        let (waiting_pct, waiting_dist) = spread(&self.waiting);
        let series = self.first.as_ref().map(|f| f.2.clone()).unwrap_or_default();
        let names: Vec<String> = match scenario {
            Scenario::Station(st) => vec![st.kendall()],
            Scenario::Tandem(t) => t.kendall().split(" → ").map(str::to_string).collect(),
        };
        let stations = names
            .into_iter()
            .zip(&self.stage_figures)
            .map(|(name, reps)| {
                let mut m = [0.0; 8];
                let mut h = [None; 8];
                for k in 0..8 {
                    let col: Vec<f64> = reps.iter().map(|f| f[k]).collect();
                    (m[k], h[k]) = mean_ci95(&col);
                }
                StationResult::new(name, m, h)
            })
            .collect();
        Ok(SimResult {
            model: scenario.kendall(),
            mean_number_in_system: means[0],
            mean_number_in_queue: means[1],
            mean_sojourn_time: means[2],
            mean_waiting_time: means[3],
            p_wait: means[4],
            p_loss: means[5],
            throughput: means[6],
            utilisation: means[7],
            sojourn_time_percentiles: sojourn_pct,
            waiting_time_percentiles: waiting_pct,
            ci95: Ci95::from_array(ci),
            ci_method,
            replications: r as u32,
            customers: self.customers,
            lost: self.lost,
            events,
            events_per_second: if wall > 0.0 {
                events as f64 / wall
            } else {
                0.0
            },
            wall_seconds: wall,
            warmup_time,
            observed_time: mean_ci95(&self.observed).0,
            little_law_ok: little.ok,
            little_law: little,
            precision_reached,
            relative_half_width,
            trace_exhausted: self.trace_exhausted,
            stations,
            queue_length_series: series,
            sojourn_time_distribution: sojourn_dist,
            waiting_time_distribution: waiting_dist,
        })
    }
}

/// 0.005, 0.010, …, 0.995, then 0.999 and 0.9999.
pub(crate) fn distribution_levels() -> Vec<f64> {
    // k/200 keeps 0.5, 0.9 and 0.99 exact, so the percentiles can be looked up.
    let mut v: Vec<f64> = (1..200).map(|k| f64::from(k) / 200.0).collect();
    v.extend([0.999, 0.9999]);
    v
}

/// The four named percentiles and the full quantile distribution of a time histogram.
pub(crate) fn spread(h: &TimeHistogram) -> (Percentiles, Vec<QuantilePoint>) {
    let levels = distribution_levels();
    let values = Quantiles::new(h).at(&levels);
    let at = |q: f64| {
        levels
            .iter()
            .position(|&l| l == q)
            .map_or(0.0, |i| values[i])
    };
    let pct = Percentiles {
        p50: at(0.5),
        p90: at(0.9),
        p99: at(0.99),
        p999: at(0.999),
    };
    let dist = levels
        .iter()
        .zip(&values)
        .map(|(&quantile, &value)| QuantilePoint { quantile, value })
        .collect();
    (pct, dist)
}
