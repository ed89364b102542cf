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

/// A histogram of non-negative times with the HDR layout at 3 significant digits (2048
/// linear sub-buckets per power of two), in units of `unit` (a thousandth of the mean service
/// time), up to 2⁴⁰ units; larger values saturate. Recording is an index computation and one
/// increment, inlined into the event loop; quantiles are read through `hdrhistogram`, whose
/// buckets at 3 significant digits are exactly these.
#[derive(Clone, Debug)]
pub(crate) struct TimeHistogram {
    counts: Vec<u64>,
    inv_unit: f64,
    pub unit: f64,
}

/// log2 of the linear range: values below 2048 units are counted exactly.
const SUB_BITS: u32 = 11;
const HALF: usize = 1 << (SUB_BITS - 1);
const MAX_UNITS: u64 = 1 << 40;
/// The largest value recorded, in units, as a float (just below 2⁴⁰).
const MAX_UNITS_F: f64 = (MAX_UNITS - 1) as f64;
const BUCKETS: usize = HALF * (40 - SUB_BITS as usize + 2);

impl TimeHistogram {
    pub(crate) fn new(unit: f64) -> Self {
        TimeHistogram {
            counts: vec![0; BUCKETS],
            inv_unit: 1.0 / unit,
            unit,
        }
    }

    /// The bucket of an integer value (the reference `record` is tested against).
    #[cfg(test)]
    fn index(v: u64) -> usize {
        if v < (1 << SUB_BITS) {
            v as usize
        } else {
            // v >> shift lies in [1024, 2048): one of the 1024 upper sub-buckets of its power.
            let shift = 63 - v.leading_zeros() - (SUB_BITS - 1);
            HALF * shift as usize + (v >> shift) as usize
        }
    }

    /// The smallest value (in units) that falls in bucket `i`.
    fn lowest(i: usize) -> u64 {
        if i < (1 << SUB_BITS) {
            i as u64
        } else {
            let shift = i / HALF - 1;
            ((i - HALF * shift) as u64) << shift
        }
    }

    #[inline(always)]
    pub(crate) fn record(&mut self, v: f64) {
        let x = (v * self.inv_unit).min(MAX_UNITS_F);
        let i = if x < (1 << SUB_BITS) as f64 {
            // Linear range: round to the nearest unit (`as` saturates; x ≥ 0).
            (x + 0.5) as i64 as usize
        } else {
            // Log range, straight from the float: its binary exponent picks the power of two
            // and its top 10 mantissa bits the sub-bucket, as `index` does for integers.
            let bits = x.to_bits();
            let exp = ((bits >> 52) as usize) - 1023;
            HALF * (exp - (SUB_BITS as usize - 2)) + ((bits >> 42) & (HALF as u64 - 1)) as usize
        };
        match self.counts.get_mut(i) {
            Some(c) => *c += 1,
            None => self.grow_and_count(i),
        }
    }

    #[cold]
    fn grow_and_count(&mut self, i: usize) {
        self.counts
            .resize((i + 1).next_multiple_of(HALF).min(BUCKETS), 0);
        self.counts[i] += 1;
    }

    pub(crate) fn reset(&mut self) {
        self.counts.fill(0);
    }

    pub(crate) fn add(&mut self, other: &TimeHistogram) {
        if self.counts.len() < other.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    /// The counts as an `hdrhistogram` (3 significant digits, same buckets).
    pub(crate) fn to_hdr(&self) -> Histogram<u64> {
        let mut h = Histogram::new_with_bounds(1, MAX_UNITS, 3).expect("constant bounds are valid");
        for (i, &c) in self.counts.iter().enumerate() {
            if c > 0 {
                h.saturating_record_n(Self::lowest(i), c);
            }
        }
        h
    }
}

/// Quantiles of a [`TimeHistogram`] read through `hdrhistogram`.
pub(crate) struct Quantiles {
    h: Histogram<u64>,
    unit: f64,
}

impl Quantiles {
    pub(crate) fn new(t: &TimeHistogram) -> Self {
        Quantiles {
            h: t.to_hdr(),
            unit: t.unit,
        }
    }

    /// The quantiles at ascending `levels`, in time units (0 for an empty histogram), each at
    /// its bucket's middle; one pass over the buckets.
    pub(crate) fn at(&self, levels: &[f64]) -> Vec<f64> {
        if self.h.is_empty() {
            return vec![0.0; levels.len()];
        }
        self.h
            .value_at_quantiles(levels.iter().copied())
            .map(|raw| self.h.median_equivalent(raw) as f64 * self.unit)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_match_hdr() {
        let h: Histogram<u64> = Histogram::new_with_bounds(1, MAX_UNITS, 3).unwrap();
        for v in [
            0u64,
            1,
            2047,
            2048,
            2049,
            4095,
            4096,
            123_456,
            987_654_321,
            MAX_UNITS - 1,
        ] {
            let i = TimeHistogram::index(v);
            let lo = TimeHistogram::lowest(i);
            assert_eq!(lo, h.lowest_equivalent(v), "value {v}");
            assert!(TimeHistogram::index(lo) == i);
        }
    }

    #[test]
    fn float_record_matches_integer_index() {
        let mut t = TimeHistogram::new(1.0);
        for v in [
            0.0,
            0.4,
            1.0,
            2047.0,
            2048.0,
            2049.0,
            4095.0,
            4096.0,
            123_456.0,
            987_654_321.0,
            1e13,
            1e300,
        ] {
            t.counts.fill(0);
            t.record(v);
            let want = TimeHistogram::index((v.min(MAX_UNITS_F) + 0.5) as u64);
            let got = t.counts.iter().position(|&c| c == 1).unwrap();
            assert_eq!(got, want, "value {v}");
        }
    }

    #[test]
    fn quantiles_of_uniform_counts() {
        let mut t = TimeHistogram::new(0.001);
        for k in 1..=10_000 {
            t.record(k as f64 * 0.01);
        }
        let q = Quantiles::new(&t).at(&[0.5, 0.99]);
        assert!((q[0] - 50.0).abs() / 50.0 < 1e-3);
        assert!((q[1] - 99.0).abs() / 99.0 < 1e-3);
    }
}
