//! Per-replication statistics with bounded memory: cumulative totals, checkpoints of those
//! totals for batch means and MSER, and HDR histograms of times.

use hdrhistogram::Histogram;

/// Cumulative totals since the end of the warm-up. A snapshot of them is a checkpoint.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Totals {
    /// Observed time since the end of the warm-up.
    pub time: f64,
    /// ∫ number in system dt.
    pub area_n: f64,
    /// ∫ busy servers dt.
    pub area_busy: f64,
    /// Arrivals (accepted or lost).
    pub arrivals: u64,
    /// Arrivals lost.
    pub lost: u64,
    /// Departures.
    pub departures: u64,
    /// Customers that started service (their waiting and sojourn times are tallied).
    pub started: u64,
    /// Of those, how many waited.
    pub waited: u64,
    pub sum_wait: f64,
    pub sum_sojourn: f64,
}

impl Totals {
    /// The eight mean figures over the window between `self` (earlier) and `later`, or `None`
    /// when no customer started service in it.
    pub(crate) fn figures_between(&self, later: &Totals, servers: f64) -> Option<[f64; 8]> {
        let dt = later.time - self.time;
        let started = later.started - self.started;
        if started == 0 || dt <= 0.0 {
            return None;
        }
        let area_n = later.area_n - self.area_n;
        let area_busy = later.area_busy - self.area_busy;
        let arrivals = later.arrivals - self.arrivals;
        let lost = later.lost - self.lost;
        let s = started as f64;
        Some([
            area_n / dt,
            (area_n - area_busy) / dt,
            (later.sum_sojourn - self.sum_sojourn) / s,
            (later.sum_wait - self.sum_wait) / s,
            (later.waited - self.waited) as f64 / s,
            if arrivals > 0 {
                lost as f64 / arrivals as f64
            } else {
                0.0
            },
            (later.departures - self.departures) as f64 / dt,
            area_busy / dt / servers,
        ])
    }

    /// Accepted arrivals per unit time.
    pub(crate) fn accepted_rate(&self) -> f64 {
        if self.time > 0.0 {
            (self.arrivals - self.lost) as f64 / self.time
        } else {
            0.0
        }
    }
}

/// Bounded list of checkpoints taken every `stride` started customers; when full, every other
/// one is dropped and the stride doubles, so any run length fits in the same memory.
#[derive(Clone, Debug)]
pub(crate) struct Checkpoints {
    pub points: Vec<Totals>,
    pub stride: u64,
    next: u64,
}

impl Checkpoints {
    pub(crate) const MAX: usize = 1024;

    /// First stride: 5 customers, the batch size of MSER-5.
    pub(crate) fn new() -> Self {
        Checkpoints {
            points: Vec::with_capacity(Self::MAX),
            stride: 5,
            next: 5,
        }
    }

    pub(crate) fn clear(&mut self) {
        self.points.clear();
        self.stride = 5;
        self.next = 5;
    }

    #[inline]
    pub(crate) fn due(&self, started: u64) -> bool {
        started >= self.next
    }

    #[cold]
    pub(crate) fn take(&mut self, t: Totals) {
        if self.points.len() == Self::MAX {
            let mut i = 0;
            self.points.retain(|_| {
                i += 1;
                i % 2 == 0
            });
            self.stride *= 2;
        }
        self.points.push(t);
        self.next = t.started + self.stride;
    }
}

/// A histogram of non-negative times with 3 significant digits, in units of `unit` (a
/// thousandth of the mean service time), up to 2⁴⁰ units; larger values saturate.
#[derive(Clone, Debug)]
pub(crate) struct TimeHistogram {
    pub h: Histogram<u64>,
    inv_unit: f64,
    pub unit: f64,
}

impl TimeHistogram {
    pub(crate) fn new(unit: f64) -> Self {
        let h = Histogram::new_with_bounds(1, 1 << 40, 3).expect("constant bounds are valid");
        TimeHistogram {
            h,
            inv_unit: 1.0 / unit,
            unit,
        }
    }

    #[inline]
    pub(crate) fn record(&mut self, v: f64) {
        // `as` saturates, and v ≥ 0, so this never panics.
        self.h.saturating_record((v * self.inv_unit + 0.5) as u64);
    }

    /// The `q`-quantile in time units (0 for an empty histogram).
    pub(crate) fn quantile(&self, q: f64) -> f64 {
        if self.h.is_empty() {
            return 0.0;
        }
        let raw = self.h.value_at_quantile(q);
        self.h.median_equivalent(raw) as f64 * self.unit
    }

    pub(crate) fn add(&mut self, other: &TimeHistogram) {
        // Same bounds on both sides, so addition cannot fail.
        self.h.add(&other.h).expect("histograms share bounds");
    }
}
