//! What a simulation returns: the eight mean figures, percentiles, 95% half-widths, Little's
//! law check, run counters, and bounded series for charts. Field names are the JSON schema.

use serde::{Deserialize, Serialize};

/// Four percentiles of a time distribution.
///
/// ```
/// use kendall_sim::Percentiles;
/// let p = Percentiles { p50: 1.0, p90: 2.0, p99: 3.0, p999: 4.0 };
/// assert_eq!(p.get(0.99), Some(3.0));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Percentiles {
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 99th percentile.
    pub p99: f64,
    /// 99.9th percentile.
    pub p999: f64,
}

impl Percentiles {
    /// The four levels, in the order of the fields.
    pub const LEVELS: [f64; 4] = [0.5, 0.9, 0.99, 0.999];

    /// The value at one of [`Percentiles::LEVELS`], else `None`.
    ///
    /// ```
    /// use kendall_sim::Percentiles;
    /// assert_eq!(Percentiles::default().get(0.5), Some(0.0));
    /// assert_eq!(Percentiles::default().get(0.3), None);
    /// ```
    pub fn get(&self, level: f64) -> Option<f64> {
        Self::LEVELS
            .iter()
            .position(|&l| l == level)
            .map(|i| self.named()[i].1)
    }

    /// The (name, value) pairs `("p50", …)`, … in field order.
    ///
    /// ```
    /// use kendall_sim::Percentiles;
    /// assert_eq!(Percentiles::default().named()[3].0, "p999");
    /// ```
    pub fn named(&self) -> [(&'static str, f64); 4] {
        [
            ("p50", self.p50),
            ("p90", self.p90),
            ("p99", self.p99),
            ("p999", self.p999),
        ]
    }
}

/// The 95% half-width of each mean figure; `None` (JSON `null`) when it cannot be formed
/// (a single replication too short for batch means).
///
/// ```
/// use kendall_sim::Ci95;
/// assert_eq!(Ci95::default().mean_sojourn_time, None);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Ci95 {
    /// Half-width for L.
    pub mean_number_in_system: Option<f64>,
    /// Half-width for Lq.
    pub mean_number_in_queue: Option<f64>,
    /// Half-width for W.
    pub mean_sojourn_time: Option<f64>,
    /// Half-width for Wq.
    pub mean_waiting_time: Option<f64>,
    /// Half-width for P(wait).
    pub p_wait: Option<f64>,
    /// Half-width for P(loss).
    pub p_loss: Option<f64>,
    /// Half-width for throughput.
    pub throughput: Option<f64>,
    /// Half-width for utilisation.
    pub utilisation: Option<f64>,
}

/// The mean figures shared by simulation and theory, in one fixed order.
pub(crate) const FIGURES: [&str; 8] = [
    "mean_number_in_system",
    "mean_number_in_queue",
    "mean_sojourn_time",
    "mean_waiting_time",
    "p_wait",
    "p_loss",
    "throughput",
    "utilisation",
];

impl Ci95 {
    pub(crate) fn from_array(a: [Option<f64>; 8]) -> Self {
        Ci95 {
            mean_number_in_system: a[0],
            mean_number_in_queue: a[1],
            mean_sojourn_time: a[2],
            mean_waiting_time: a[3],
            p_wait: a[4],
            p_loss: a[5],
            throughput: a[6],
            utilisation: a[7],
        }
    }

    /// The half-widths in the order of the field names.
    ///
    /// ```
    /// use kendall_sim::Ci95;
    /// assert_eq!(Ci95::default().to_array().len(), 8);
    /// ```
    pub fn to_array(&self) -> [Option<f64>; 8] {
        [
            self.mean_number_in_system,
            self.mean_number_in_queue,
            self.mean_sojourn_time,
            self.mean_waiting_time,
            self.p_wait,
            self.p_loss,
            self.throughput,
            self.utilisation,
        ]
    }
}

/// How the 95% intervals were formed.
///
/// ```
/// use kendall_sim::CiMethod;
/// assert_eq!(serde_json::to_string(&CiMethod::BatchMeans).unwrap(), "\"batch_means\"");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CiMethod {
    /// Student-t over independent replications.
    Replications,
    /// Student-t over batch means within a single replication.
    BatchMeans,
    /// Not enough data for an interval.
    None,
}

/// The number in system at one instant of replication 0.
///
/// ```
/// use kendall_sim::SeriesPoint;
/// let p = SeriesPoint { time: 1.0, number_in_system: 3, number_in_queue: 2 };
/// assert_eq!(p.number_in_system - p.number_in_queue, 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeriesPoint {
    /// Simulated time (from the empty start, warm-up included).
    pub time: f64,
    /// Customers in the system.
    pub number_in_system: u64,
    /// Customers waiting (not in service).
    pub number_in_queue: u64,
}

/// One point of an empirical distribution: `value` is the `quantile`-level quantile.
///
/// ```
/// use kendall_sim::QuantilePoint;
/// let q = QuantilePoint { quantile: 0.5, value: 1.2 };
/// assert!(q.quantile < 1.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuantilePoint {
    /// Level in (0, 1).
    pub quantile: f64,
    /// Time at that level.
    pub value: f64,
}

/// Little's law, L = λ·W and Lq = λ·Wq, with λ the accepted arrival rate.
///
/// ```
/// use kendall_sim::LittleCheck;
/// let c = LittleCheck::new(9.0, 0.9, 10.0, 8.1, 9.0);
/// assert!(c.ok);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LittleCheck {
    /// Time-average number in system.
    pub l: f64,
    /// λ·W.
    pub lambda_w: f64,
    /// Time-average number waiting.
    pub lq: f64,
    /// λ·Wq.
    pub lambda_wq: f64,
    /// max(|L − λW|, |Lq − λWq|) / max(L, λW): both gaps are measured against L.
    pub relative_gap: f64,
    /// The gap allowed, [`LittleCheck::TOLERANCE`].
    pub tolerance: f64,
    /// Whether the gap is within the tolerance.
    pub ok: bool,
}

impl LittleCheck {
    /// The relative gap allowed: 2%, room for the customers cut at the window's edges.
    pub const TOLERANCE: f64 = 0.02;

    /// The check from L, λ, W, Lq, λ·Wq's parts.
    ///
    /// ```
    /// use kendall_sim::LittleCheck;
    /// assert!(!LittleCheck::new(5.0, 1.0, 10.0, 4.0, 9.0).ok);
    /// ```
    pub fn new(l: f64, lambda: f64, w: f64, lq: f64, wq: f64) -> Self {
        let lambda_w = lambda * w;
        let lambda_wq = lambda * wq;
        let scale = l.max(lambda_w);
        let gap = (l - lambda_w).abs().max((lq - lambda_wq).abs());
        let relative_gap = if scale > 0.0 { gap / scale } else { 0.0 };
        LittleCheck {
            l,
            lambda_w,
            lq,
            lambda_wq,
            relative_gap,
            tolerance: Self::TOLERANCE,
            ok: relative_gap <= Self::TOLERANCE,
        }
    }
}

/// The mean figures of one station of a pipeline (or of the single station), with their 95%
/// half-widths over replications. `mean_sojourn_time` and `mean_waiting_time` are per visit to
/// this station; `p_loss` is the fraction of the customers reaching it that it dropped.
///
/// ```
/// use kendall_sim::{RunConfig, Scenario, simulate};
/// let r = simulate(&Scenario::from_kendall("M/M/1", 0.5, 1.0)?, &RunConfig::default().customers(20_000).replications(2))?;
/// assert_eq!(r.stations.len(), 1);
/// assert_eq!(r.stations[0].mean_sojourn_time, r.mean_sojourn_time);
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StationResult {
    /// The station in Kendall notation.
    pub station: String,
    /// L at this station.
    pub mean_number_in_system: f64,
    /// Lq at this station.
    pub mean_number_in_queue: f64,
    /// W per visit.
    pub mean_sojourn_time: f64,
    /// Wq per visit.
    pub mean_waiting_time: f64,
    /// Fraction of customers served here who waited.
    pub p_wait: f64,
    /// Fraction of customers reaching this station that it dropped.
    pub p_loss: f64,
    /// Departures per unit time.
    pub throughput: f64,
    /// Busy fraction per server.
    pub utilisation: f64,
    /// 95% half-widths.
    pub ci95: Ci95,
}

impl StationResult {
    pub(crate) fn new(station: String, means: [f64; 8], ci: [Option<f64>; 8]) -> Self {
        StationResult {
            station,
            mean_number_in_system: means[0],
            mean_number_in_queue: means[1],
            mean_sojourn_time: means[2],
            mean_waiting_time: means[3],
            p_wait: means[4],
            p_loss: means[5],
            throughput: means[6],
            utilisation: means[7],
            ci95: Ci95::from_array(ci),
        }
    }
}

/// The outcome of [`simulate`](crate::simulate): means over replications with their 95%
/// half-widths, percentiles from all replications' histograms, and run counters.
///
/// Times are in the units of the distributions; `throughput` is customers per time unit;
/// `utilisation` is the busy fraction per server (for an infinite-server station: the mean
/// number of busy servers). For a pipeline the figures are end to end (entry to exit, L
/// summed over stations, P(wait): waited at any station, P(loss): dropped at any station) and
/// `utilisation` is the busiest station's; `stations` has each station's own figures.
///
/// ```
/// use kendall_sim::{RunConfig, Scenario, simulate};
/// let r = simulate(&Scenario::from_kendall("M/M/1/5", 0.8, 1.0)?, &RunConfig::default().customers(50_000).replications(4))?;
/// // P(loss) = 0.0888 in theory; the interval is reported beside the mean.
/// assert!((r.p_loss - 0.0888).abs() < 0.02);
/// assert!(r.ci95.p_loss.is_some() && r.little_law_ok);
/// assert!(r.queue_length_series.len() <= 2 * 500 + 1);
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimResult {
    /// The scenario in Kendall notation.
    pub model: String,
    /// L: time-average number in system.
    pub mean_number_in_system: f64,
    /// Lq: time-average number waiting.
    pub mean_number_in_queue: f64,
    /// W: mean time from arrival to departure (accepted customers).
    pub mean_sojourn_time: f64,
    /// Wq: mean time from arrival to start of service.
    pub mean_waiting_time: f64,
    /// Fraction of accepted customers who waited at all.
    pub p_wait: f64,
    /// Fraction of arrivals lost because the station was full.
    pub p_loss: f64,
    /// Departures per unit time.
    pub throughput: f64,
    /// Busy fraction per server.
    pub utilisation: f64,
    /// Sojourn-time percentiles (all replications pooled).
    pub sojourn_time_percentiles: Percentiles,
    /// Waiting-time percentiles (all replications pooled).
    pub waiting_time_percentiles: Percentiles,
    /// 95% half-width of each mean.
    pub ci95: Ci95,
    /// How `ci95` was formed.
    pub ci_method: CiMethod,
    /// Replications run.
    pub replications: u32,
    /// Arrivals after warm-up, all replications.
    pub customers: u64,
    /// Arrivals lost after warm-up, all replications.
    pub lost: u64,
    /// Model events processed (arrivals and departures, warm-up included), all replications.
    pub events: u64,
    /// `events / wall_seconds`.
    pub events_per_second: f64,
    /// Wall-clock time of the whole call.
    pub wall_seconds: f64,
    /// Deleted warm-up period (simulated time) per replication.
    pub warmup_time: f64,
    /// Mean length of the observed window (simulated time after warm-up) per replication.
    pub observed_time: f64,
    /// Whether Little's law holds within its tolerance (see `little_law`).
    pub little_law_ok: bool,
    /// Little's law figures.
    pub little_law: LittleCheck,
    /// With a precision target: whether it was met before the cap.
    pub precision_reached: Option<bool>,
    /// Relative 95% half-width of the mean sojourn time.
    pub relative_half_width: Option<f64>,
    /// Whether a non-cycling trace ran out and ended a replication early.
    pub trace_exhausted: bool,
    /// Each station's figures (one entry for a single station).
    pub stations: Vec<StationResult>,
    /// Number in system over time in replication 0 (bounded by `series_points`).
    pub queue_length_series: Vec<SeriesPoint>,
    /// Sojourn-time quantiles at levels 0.005, 0.01, …, 0.995, 0.999, 0.9999 (201 points).
    pub sojourn_time_distribution: Vec<QuantilePoint>,
    /// Waiting-time quantiles at the same levels.
    pub waiting_time_distribution: Vec<QuantilePoint>,
}

impl SimResult {
    /// The eight mean figures in the order of [`Ci95::to_array`].
    ///
    /// ```
    /// use kendall_sim::{RunConfig, Scenario, simulate};
    /// let r = simulate(&Scenario::from_kendall("M/M/1", 0.5, 1.0)?, &RunConfig::default().customers(10_000).replications(2))?;
    /// assert_eq!(r.means()[2], r.mean_sojourn_time);
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn means(&self) -> [f64; 8] {
        [
            self.mean_number_in_system,
            self.mean_number_in_queue,
            self.mean_sojourn_time,
            self.mean_waiting_time,
            self.p_wait,
            self.p_loss,
            self.throughput,
            self.utilisation,
        ]
    }
}
