//! Turning the timestamps of a live run into the simulator's statistics, in model time units:
//! the number in system and in queue integrated over real time, per-customer waiting and
//! sojourn times, 20 batch means for 95% half-widths, and the timing error of the run.

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

use crate::live::arrivals::ArrivalLog;
use crate::live::clock::Clock;
use crate::live::servers::Completion;
use crate::result::{
    Ci95, CiMethod, LittleCheck, Percentiles, SeriesPoint, SimResult, StationResult,
};
use crate::run::spread;
use crate::scenario::Station;
use crate::student::mean_ci95;
use crate::tally::TimeHistogram;

/// Batches for the batch-means half-widths, and the fewest customers that makes them useful.
const BATCHES: usize = 20;
const MIN_CUSTOMERS_FOR_BATCHES: usize = 10 * BATCHES;

/// How faithfully the run kept to its schedule, in real microseconds.
///
/// `faithful` is the verdict: on average, releases were late by at most
/// [`Timing::MAX_LATENESS`] of the mean inter-arrival time and services overran by at most
/// [`Timing::MAX_OVERSHOOT`] of the mean service time. A run that fails it ran on
/// a busy machine: its arrivals came in bursts after stalls and its figures (waiting times
/// above all) are inflated by the machine, not by the model.
///
/// ```
/// use kendall_sim::{Scenario, live::{LiveConfig, run}};
/// let mm1 = Scenario::from_kendall("M/M/1", 0.5, 1.0)?;
/// let r = run(&mm1, &LiveConfig::default().time_scale(1e-4).customers(200).warmup_customers(0))?;
/// assert!(r.timing.release_lateness_us.p50 >= 0.0);
/// assert!(r.timing.service_overshoot_us.p999 >= r.timing.service_overshoot_us.p50);
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    /// How late each arrival was released after its deadline.
    pub release_lateness_us: Percentiles,
    /// Mean release lateness.
    pub mean_release_lateness_us: f64,
    /// Worst release lateness.
    pub max_release_lateness_us: f64,
    /// How much longer each service took than its sampled time.
    pub service_overshoot_us: Percentiles,
    /// Mean service overshoot.
    pub mean_service_overshoot_us: f64,
    /// Worst service overshoot.
    pub max_service_overshoot_us: f64,
    /// Mean service time as performed, model units.
    pub mean_service_time: f64,
    /// Mean of the sampled service times of the same customers, model units.
    pub mean_nominal_service_time: f64,
    /// The spin window used, µs.
    pub spin_us: f64,
    /// Whether the timing error was small enough for the figures to speak for the model.
    pub faithful: bool,
}

impl Timing {
    /// The mean release lateness allowed in a faithful run, as a fraction of the mean
    /// inter-arrival time.
    pub const MAX_LATENESS: f64 = 0.02;
    /// The mean service overshoot allowed in a faithful run, as a fraction of the mean
    /// service time.
    pub const MAX_OVERSHOOT: f64 = 0.02;
}

/// What the run produced, gathered from the threads.
pub(crate) struct Raw<'a> {
    pub station: &'a Station,
    pub clock: Clock,
    pub warmup: u64,
    pub arrivals: ArrivalLog,
    pub completions: Vec<Completion>,
    pub series_points: usize,
    pub spin_us: f64,
    pub wall_seconds: f64,
}

/// One change of the station's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Event {
    ns: u64,
    /// Departures first, then service starts, then arrivals, at the same nanosecond.
    kind: u8,
    index: u64,
}

const END: u8 = 0;
const START: u8 = 1;
const ARRIVE: u8 = 2;

/// Sums over one batch (or the whole window).
#[derive(Clone, Copy, Debug, Default)]
struct Bin {
    /// ∫ n dt, ∫ q dt, ∫ busy dt in count·ns.
    area_n: f64,
    area_q: f64,
    area_busy: f64,
    departures: u64,
    arrivals: u64,
    lost: u64,
    served: u64,
    waited: u64,
    sum_sojourn: f64,
    sum_wait: f64,
}

impl Bin {
    fn add(&mut self, o: &Bin) {
        self.area_n += o.area_n;
        self.area_q += o.area_q;
        self.area_busy += o.area_busy;
        self.departures += o.departures;
        self.arrivals += o.arrivals;
        self.lost += o.lost;
        self.served += o.served;
        self.waited += o.waited;
        self.sum_sojourn += o.sum_sojourn;
        self.sum_wait += o.sum_wait;
    }

    /// The eight mean figures over a window of `dt_ns` (None when nobody was served in it).
    fn figures(&self, dt_ns: u64, clock: &Clock, servers: f64) -> Option<[f64; 8]> {
        if self.served == 0 || dt_ns == 0 {
            return None;
        }
        let dt = dt_ns as f64;
        let s = self.served as f64;
        Some([
            self.area_n / dt,
            self.area_q / dt,
            self.sum_sojourn / s,
            self.sum_wait / s,
            self.waited as f64 / s,
            if self.arrivals > 0 {
                self.lost as f64 / self.arrivals as f64
            } else {
                0.0
            },
            self.departures as f64 / clock.model(dt_ns),
            self.area_busy / dt / servers,
        ])
    }
}

/// All figures of the run, and its timing error.
pub(crate) fn measure(raw: Raw<'_>) -> Option<(SimResult, Timing)> {
    let clock = raw.clock;
    let st = raw.station;
    let c = st.servers as u64;
    let arrivals = &raw.arrivals.arrivals;
    let warmup = usize::try_from(raw.warmup).ok()?;
    if arrivals.len() <= warmup {
        return None;
    }
    let mut done = raw.completions;
    done.sort_unstable_by_key(|d| d.index);

    // The observed window: from the first arrival after the warm-up (or the empty start) until
    // the last of those customers has left, so each is in L for its whole stay and Little's
    // law holds up to the customers already present when the window opens. (Ending at the
    // last arrival instead would cut off the stays of a burst released after a stall.)
    let w0 = if warmup == 0 {
        0
    } else {
        arrivals[warmup].released_ns
    };
    let last_arrival = arrivals.last().map_or(0, |a| a.released_ns);
    let last_departure = done
        .iter()
        .filter(|d| d.index as usize >= warmup)
        .map(|d| d.end_ns)
        .max()
        .unwrap_or(0);
    let w1 = last_departure.max(last_arrival).max(w0 + 1);

    // Batch b holds the customers [first[b], first[b + 1]) and the time [bounds[b], bounds[b + 1]).
    let observed = arrivals.len() - warmup;
    let batches = if observed >= MIN_CUSTOMERS_FOR_BATCHES {
        BATCHES
    } else {
        1
    };
    let first: Vec<usize> = (0..=batches)
        .map(|b| warmup + b * observed / batches)
        .collect();
    let mut bounds: Vec<u64> = first[..batches]
        .iter()
        .map(|&i| arrivals[i].released_ns)
        .collect();
    bounds[0] = w0;
    bounds.push(w1);
    let batch_of = |i: usize| first.partition_point(|&f| f <= i) - 1;
    let mut bins = vec![Bin::default(); batches];

    // Per customer: arrivals and losses.
    for (i, a) in arrivals.iter().enumerate().skip(warmup) {
        let b = &mut bins[batch_of(i)];
        b.arrivals += 1;
        b.lost += u64::from(a.lost);
    }

    // The timeline of the whole run.
    let mut events: Vec<Event> = Vec::with_capacity(arrivals.len() + 2 * done.len());
    for (i, a) in arrivals.iter().enumerate() {
        if !a.lost {
            events.push(Event {
                ns: a.released_ns,
                kind: ARRIVE,
                index: i as u64,
            });
        }
    }
    for d in &done {
        events.push(Event {
            ns: d.start_ns,
            kind: START,
            index: d.index,
        });
        events.push(Event {
            ns: d.end_ns,
            kind: END,
            index: d.index,
        });
    }
    events.sort_unstable();

    // One sweep: integrate n, q and busy into the bins, find who found ≥ c in the system
    // (they waited, in FIFO order), and sample the series.
    let mut waited = vec![false; arrivals.len()];
    let (mut n, mut q, mut busy) = (0u64, 0u64, 0u64);
    let mut last = 0u64;
    let mut bin = 0usize;
    let stride = events.len().div_ceil(raw.series_points).max(1);
    let mut series = Vec::with_capacity(raw.series_points + 2);
    for (k, e) in events.iter().enumerate() {
        integrate(&mut bins, &bounds, &mut bin, last, e.ns, [n, q, busy]);
        last = e.ns;
        match e.kind {
            ARRIVE => {
                waited[e.index as usize] = n >= c;
                n += 1;
                q += 1;
            }
            START => {
                q -= 1;
                busy += 1;
            }
            _ => {
                n -= 1;
                busy -= 1;
                if (w0..w1).contains(&e.ns) {
                    let b = bounds.partition_point(|&t| t <= e.ns) - 1;
                    bins[b.min(batches - 1)].departures += 1;
                }
            }
        }
        if k % stride == 0 || k + 1 == events.len() {
            series.push(SeriesPoint {
                time: clock.model(e.ns),
                number_in_system: n,
                number_in_queue: q,
            });
        }
    }

    // Per customer: waiting and sojourn times.
    let unit = st.service.mean() * 1e-3;
    let mut sojourn_h = TimeHistogram::new(unit);
    let mut waiting_h = TimeHistogram::new(unit);
    let (mut performed, mut nominal) = (0.0, 0.0);
    let mut overshoot = ns_histogram();
    for d in &done {
        let (soj, wait) = (
            clock.model(d.end_ns - d.arrival_ns),
            clock.model(d.start_ns - d.arrival_ns),
        );
        let took = d.end_ns - d.start_ns;
        overshoot.saturating_record(took.saturating_sub(d.nominal_ns));
        performed += clock.model(took);
        nominal += clock.model(d.nominal_ns);
        let i = d.index as usize;
        if i < warmup {
            continue;
        }
        let b = &mut bins[batch_of(i)];
        b.served += 1;
        b.waited += u64::from(waited[i]);
        b.sum_sojourn += soj;
        b.sum_wait += wait;
        sojourn_h.record(soj);
        waiting_h.record(wait);
    }

    let servers = c as f64;
    let mut whole = Bin::default();
    for b in &bins {
        whole.add(b);
    }
    let means = whole.figures(w1 - w0, &clock, servers)?;
    let (ci, ci_method) = if batches > 1 {
        let per: Option<Vec<[f64; 8]>> = bins
            .iter()
            .enumerate()
            .map(|(b, bin)| bin.figures(bounds[b + 1] - bounds[b], &clock, servers))
            .collect();
        match per {
            Some(per) => {
                let mut ci = [None; 8];
                for (k, h) in ci.iter_mut().enumerate() {
                    let col: Vec<f64> = per.iter().map(|f| f[k]).collect();
                    *h = mean_ci95(&col).1;
                }
                (ci, CiMethod::BatchMeans)
            }
            None => ([None; 8], CiMethod::None),
        }
    } else {
        ([None; 8], CiMethod::None)
    };

    let window = clock.model(w1 - w0);
    let lambda = (whole.arrivals - whole.lost) as f64 / window;
    let little = LittleCheck::new(means[0], lambda, means[2], means[1], means[3]);
    let (sojourn_pct, sojourn_dist) = spread(&sojourn_h);
    let (waiting_pct, waiting_dist) = spread(&waiting_h);
    let events_count = (arrivals.len() + done.len()) as u64;

    let mut lateness = ns_histogram();
    for a in arrivals {
        lateness.saturating_record(a.released_ns.saturating_sub(a.scheduled_ns));
    }
    let served = done.len().max(1) as f64;
    let mean_release_lateness_us = lateness.mean() * 1e-3;
    let mean_service_overshoot_us = overshoot.mean() * 1e-3;
    let us_to_model = |us: f64| clock.model((us * 1e3) as u64);
    let faithful = us_to_model(mean_release_lateness_us)
        <= Timing::MAX_LATENESS * st.arrival.mean()
        && us_to_model(mean_service_overshoot_us) <= Timing::MAX_OVERSHOOT * st.service.mean();
    let timing = Timing {
        release_lateness_us: us_percentiles(&lateness),
        mean_release_lateness_us,
        max_release_lateness_us: lateness.max() as f64 * 1e-3,
        service_overshoot_us: us_percentiles(&overshoot),
        mean_service_overshoot_us,
        max_service_overshoot_us: overshoot.max() as f64 * 1e-3,
        mean_service_time: performed / served,
        mean_nominal_service_time: nominal / served,
        spin_us: raw.spin_us,
        faithful,
    };

    let result = SimResult {
        model: st.kendall(),
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
        replications: 1,
        customers: whole.arrivals,
        lost: whole.lost,
        events: events_count,
        events_per_second: if raw.wall_seconds > 0.0 {
            events_count as f64 / raw.wall_seconds
        } else {
            0.0
        },
        wall_seconds: raw.wall_seconds,
        warmup_time: clock.model(w0),
        observed_time: window,
        little_law_ok: little.ok,
        little_law: little,
        precision_reached: None,
        relative_half_width: ci[2].map(|h| if means[2] > 0.0 { h / means[2] } else { 0.0 }),
        trace_exhausted: raw.arrivals.trace_exhausted,
        stations: vec![StationResult::new(st.kendall(), means, ci)],
        queue_length_series: series,
        sojourn_time_distribution: sojourn_dist,
        waiting_time_distribution: waiting_dist,
    };
    Some((result, timing))
}

/// Adds the state `[n, q, busy]` held over `[from, to)` to the bins it overlaps (only the part
/// inside the observed window counts). `bin` is the bin of `from`, advanced as time goes on.
fn integrate(bins: &mut [Bin], bounds: &[u64], bin: &mut usize, from: u64, to: u64, s: [u64; 3]) {
    let mut t = from.max(bounds[0]);
    while t < to && *bin < bins.len() {
        let edge = bounds[*bin + 1];
        if t >= edge {
            *bin += 1;
            continue;
        }
        let seg = (to.min(edge) - t) as f64;
        let b = &mut bins[*bin];
        b.area_n += s[0] as f64 * seg;
        b.area_q += s[1] as f64 * seg;
        b.area_busy += s[2] as f64 * seg;
        t = to.min(edge);
    }
}

/// A histogram of nanoseconds up to an hour, 3 significant digits.
fn ns_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 3_600_000_000_000, 3).expect("constant bounds are valid")
}

fn us_percentiles(h: &Histogram<u64>) -> Percentiles {
    let q = |l: f64| h.value_at_quantile(l) as f64 * 1e-3;
    Percentiles {
        p50: q(0.5),
        p90: q(0.9),
        p99: q(0.99),
        p999: q(0.999),
    }
}
