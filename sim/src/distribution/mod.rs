//! Probability distributions of inter-arrival and service times: their checked constructors,
//! sampling, and mean and squared coefficient of variation (the two numbers queueing theory
//! needs). Their text form (`exp:0.9`, `h2:mean=1,cv=2`, …) and serde support are in `text`.

mod text;

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use text::{Repr, erlang_phases};

use crate::error::{SimError, non_negative, number, positive};

/// A validated distribution of non-negative durations (inter-arrival or service times).
///
/// Build one with a constructor (every one checks its arguments) or parse the command-line
/// syntax; `Display` writes that syntax back. Serde writes it as that same string, except a
/// trace, which is written as `{ "trace": [..], "cycle": bool }`.
///
/// ```
/// use kendall_sim::Distribution;
/// let d: Distribution = "erlang:2:1.0".parse()?;
/// assert_eq!(d, Distribution::erlang(2, 1.0)?);
/// assert_eq!(d.mean(), 1.0);
/// assert_eq!(d.scv(), 0.5);
/// assert_eq!(d.to_string(), "erlang:2:1");
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Repr", into = "Repr")]
pub struct Distribution {
    kind: Kind,
}

/// The private shape of a distribution; the constructors keep its parameters valid.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Kind {
    Exponential { rate: f64 },
    Deterministic { value: f64 },
    Uniform { lo: f64, hi: f64 },
    Erlang { k: u32, rate: f64 },
    Hyperexponential { mean: f64, cv: f64 },
    Lognormal { mean: f64, cv: f64 },
    Pareto { mean: f64, shape: f64 },
    Trace { values: Arc<[f64]>, cycle: bool },
}

impl Distribution {
    /// The largest coefficient of variation of `h2` and `lognormal`: beyond it the H2 branch
    /// probability 1/(2cv²) falls below what a uniform draw resolves, and cv² soon overflows.
    pub const MAX_CV: f64 = 1e6;
    /// The most Erlang phases: each draw sums k exponentials, so k bounds the cost per sample.
    pub const MAX_ERLANG_PHASES: u32 = 1000;

    /// Exponential with the given `rate` (mean `1/rate`, SCV 1): Kendall's `M`.
    ///
    /// ```
    /// use kendall_sim::Distribution;
    /// assert_eq!(Distribution::exponential(0.5)?.mean(), 2.0);
    /// assert!(Distribution::exponential(0.0).is_err());
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn exponential(rate: f64) -> Result<Self, SimError> {
        let rate = positive("rate", rate)?;
        Self {
            kind: Kind::Exponential { rate },
        }
        .with_finite_moments("rate", rate)
    }

    /// Always `value` (SCV 0): Kendall's `D`.
    ///
    /// ```
    /// use kendall_sim::Distribution;
    /// assert_eq!(Distribution::deterministic(1.5)?.scv(), 0.0);
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn deterministic(value: f64) -> Result<Self, SimError> {
        let value = positive("value", value)?;
        Self {
            kind: Kind::Deterministic { value },
        }
        .with_finite_moments("value", value)
    }

    /// Uniform on `[lo, hi]` with `0 ≤ lo < hi`.
    ///
    /// ```
    /// use kendall_sim::Distribution;
    /// assert_eq!(Distribution::uniform(0.0, 2.0)?.mean(), 1.0);
    /// assert!(Distribution::uniform(2.0, 1.0).is_err());
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn uniform(lo: f64, hi: f64) -> Result<Self, SimError> {
        let lo = non_negative("lo", lo)?;
        if !(hi.is_finite() && hi > lo) {
            return Err(SimError::invalid(
                "hi",
                format!("a finite number > lo ({lo})"),
                hi,
            ));
        }
        Self {
            kind: Kind::Uniform { lo, hi },
        }
        .with_finite_moments("hi", hi)
    }

    /// Erlang with `k ≥ 1` phases; `rate` is the rate of the whole distribution
    /// (mean `1/rate`, SCV `1/k`), so `erlang(2, 1.0)` has mean 1.
    ///
    /// ```
    /// use kendall_sim::Distribution;
    /// let d = Distribution::erlang(4, 2.0)?;
    /// assert_eq!((d.mean(), d.scv()), (0.5, 0.25));
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn erlang(k: u32, rate: f64) -> Result<Self, SimError> {
        if !(1..=Self::MAX_ERLANG_PHASES).contains(&k) {
            return Err(SimError::invalid("phases (k)", erlang_phases(), k));
        }
        let rate = positive("rate", rate)?;
        Self {
            kind: Kind::Erlang { k, rate },
        }
        .with_finite_moments("rate", rate)
    }

    /// Two-phase hyperexponential (H2) with balanced means, given its `mean` and coefficient of
    /// variation `cv ≥ 1` (SCV `cv²`).
    ///
    /// ```
    /// use kendall_sim::Distribution;
    /// let d = Distribution::hyperexponential(1.0, 2.0)?;
    /// assert!((d.scv() - 4.0).abs() < 1e-12);
    /// assert!(Distribution::hyperexponential(1.0, 0.5).is_err());
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn hyperexponential(mean: f64, cv: f64) -> Result<Self, SimError> {
        let mean = positive("mean", mean)?;
        if !(1.0..=Self::MAX_CV).contains(&cv) {
            return Err(SimError::invalid(
                "cv",
                format!("a number in [1, {:e}] for h2", Self::MAX_CV),
                number(cv),
            ));
        }
        Self {
            kind: Kind::Hyperexponential { mean, cv },
        }
        .with_finite_moments("mean", mean)
    }

    /// Lognormal given its `mean` and coefficient of variation `cv ≥ 0` (SCV `cv²`).
    ///
    /// ```
    /// use kendall_sim::Distribution;
    /// let d = Distribution::lognormal(2.0, 0.5)?;
    /// assert_eq!(d.mean(), 2.0);
    /// assert!((d.scv() - 0.25).abs() < 1e-12);
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn lognormal(mean: f64, cv: f64) -> Result<Self, SimError> {
        let mean = positive("mean", mean)?;
        if !(0.0..=Self::MAX_CV).contains(&cv) {
            return Err(SimError::invalid(
                "cv",
                format!("a number in [0, {:e}] for lognormal", Self::MAX_CV),
                number(cv),
            ));
        }
        Self {
            kind: Kind::Lognormal { mean, cv },
        }
        .with_finite_moments("mean", mean)
    }

    /// Pareto (type I) given its `mean` and tail index `shape > 1`. With `shape ≤ 2` the
    /// variance is infinite and [`scv`](Self::scv) returns `f64::INFINITY`.
    ///
    /// ```
    /// use kendall_sim::Distribution;
    /// let d = Distribution::pareto(1.0, 3.0)?;
    /// assert!((d.scv() - 1.0 / 3.0).abs() < 1e-12);
    /// assert!(Distribution::pareto(1.0, 1.5)?.scv().is_infinite());
    /// assert!(Distribution::pareto(1.0, 1.0).is_err());
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn pareto(mean: f64, shape: f64) -> Result<Self, SimError> {
        let mean = positive("mean", mean)?;
        if !(shape.is_finite() && shape > 1.0) {
            return Err(SimError::invalid(
                "shape",
                "a finite number > 1 for pareto",
                shape,
            ));
        }
        Self {
            kind: Kind::Pareto { mean, shape },
        }
        .with_finite_moments("mean", mean)
    }

    /// Replays recorded durations in order; with `cycle` it starts over at the end, otherwise
    /// the run stops when the trace runs out. Values must be finite and `≥ 0`, with a mean `> 0`.
    ///
    /// ```
    /// use kendall_sim::Distribution;
    /// let d = Distribution::trace(vec![1.0, 3.0], true)?;
    /// assert_eq!(d.mean(), 2.0);
    /// assert!(Distribution::trace(vec![], true).is_err());
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn trace(values: Vec<f64>, cycle: bool) -> Result<Self, SimError> {
        if values.is_empty() {
            return Err(SimError::EmptyTrace {
                field: "trace".into(),
            });
        }
        for (i, &v) in values.iter().enumerate() {
            non_negative(&format!("trace value #{}", i + 1), v)?;
        }
        let mean = trace_mean(&values);
        if mean <= 0.0 {
            return Err(SimError::invalid(
                "trace mean",
                "a number > 0 (not all zeros)",
                mean,
            ));
        }
        Self {
            kind: Kind::Trace {
                values: values.into(),
                cycle,
            },
        }
        .with_finite_moments("trace mean", mean)
    }

    /// Rejects parameters whose mean, rate (1/mean) or second moment mean²·(1 + SCV)
    /// overflows: theory and the tallies would print NaN or ∞. A heavy Pareto (shape ≤ 2)
    /// keeps its infinite variance on purpose. `field` and `got` name the parameter to blame.
    fn with_finite_moments(self, field: &str, got: f64) -> Result<Self, SimError> {
        let m = self.mean();
        if !(m.is_finite() && m > 0.0 && m.recip().is_finite()) {
            return Err(SimError::invalid(
                field,
                "a number for which the mean and the rate (1/mean) are both finite",
                number(got),
            ));
        }
        let scv = self.scv();
        let heavy = matches!(self.kind, Kind::Pareto { .. }) && scv.is_infinite();
        if !heavy && !(m * m * (1.0 + scv)).is_finite() {
            return Err(SimError::invalid(
                field,
                "a number for which the second moment mean²·(1 + cv²) is finite (below 1.8e308)",
                number(got),
            ));
        }
        Ok(self)
    }

    pub(crate) fn kind(&self) -> &Kind {
        &self.kind
    }

    /// The mean.
    ///
    /// ```
    /// use kendall_sim::Distribution;
    /// assert_eq!(Distribution::uniform(1.0, 3.0)?.mean(), 2.0);
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn mean(&self) -> f64 {
        match &self.kind {
            Kind::Exponential { rate } | Kind::Erlang { rate, .. } => 1.0 / rate,
            Kind::Deterministic { value } => *value,
            Kind::Uniform { lo, hi } => 0.5 * (lo + hi),
            Kind::Hyperexponential { mean, .. }
            | Kind::Lognormal { mean, .. }
            | Kind::Pareto { mean, .. } => *mean,
            Kind::Trace { values, .. } => trace_mean(values),
        }
    }

    /// The rate, 1 / mean (exactly the given rate for `exp` and `erlang`).
    ///
    /// ```
    /// use kendall_sim::Distribution;
    /// assert_eq!(Distribution::exponential(0.9)?.rate(), 0.9);
    /// assert_eq!(Distribution::deterministic(0.5)?.rate(), 2.0);
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn rate(&self) -> f64 {
        match &self.kind {
            Kind::Exponential { rate } | Kind::Erlang { rate, .. } => *rate,
            _ => 1.0 / self.mean(),
        }
    }

    /// The squared coefficient of variation, variance / mean². `f64::INFINITY` for a Pareto
    /// with `shape ≤ 2` (infinite variance).
    ///
    /// ```
    /// use kendall_sim::Distribution;
    /// assert_eq!(Distribution::exponential(3.0)?.scv(), 1.0);
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn scv(&self) -> f64 {
        match &self.kind {
            Kind::Exponential { .. } => 1.0,
            Kind::Deterministic { .. } => 0.0,
            Kind::Uniform { lo, hi } => {
                // (hi − lo)²/12 over ((hi + lo)/2)², as one ratio: the squares of tiny
                // bounds would underflow to 0/0.
                let r = (hi - lo) / (hi + lo);
                r * r / 3.0
            }
            Kind::Erlang { k, .. } => 1.0 / f64::from(*k),
            Kind::Hyperexponential { cv, .. } | Kind::Lognormal { cv, .. } => cv * cv,
            Kind::Pareto { shape, .. } => {
                if *shape <= 2.0 {
                    f64::INFINITY
                } else {
                    1.0 / (shape * (shape - 2.0))
                }
            }
            Kind::Trace { values, .. } => trace_scv(values),
        }
    }

    /// The variance, `scv · mean²` (infinite for a heavy Pareto).
    ///
    /// ```
    /// use kendall_sim::Distribution;
    /// assert_eq!(Distribution::exponential(0.5)?.variance(), 4.0);
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn variance(&self) -> f64 {
        let m = self.mean();
        self.scv() * m * m
    }

    /// Whether this is exactly an exponential distribution (so Kendall's `M` applies): an
    /// `exp`, an Erlang with one phase, or an H2 with `cv = 1`.
    ///
    /// ```
    /// use kendall_sim::Distribution;
    /// assert!(Distribution::erlang(1, 2.0)?.is_exponential());
    /// assert!(!Distribution::deterministic(1.0)?.is_exponential());
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn is_exponential(&self) -> bool {
        match &self.kind {
            Kind::Exponential { .. } => true,
            Kind::Erlang { k, .. } => *k == 1,
            Kind::Hyperexponential { cv, .. } => *cv == 1.0,
            _ => false,
        }
    }

    /// Whether this is a deterministic distribution (Kendall's `D`).
    ///
    /// ```
    /// use kendall_sim::Distribution;
    /// assert!(Distribution::deterministic(1.0)?.is_deterministic());
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn is_deterministic(&self) -> bool {
        matches!(self.kind, Kind::Deterministic { .. })
    }

    /// The Kendall-notation letter: `M`, `D`, `E2`, `H2`, or `G` for anything else.
    ///
    /// ```
    /// use kendall_sim::Distribution;
    /// assert_eq!(Distribution::erlang(3, 1.0)?.kendall_symbol(), "E3");
    /// assert_eq!(Distribution::lognormal(1.0, 1.0)?.kendall_symbol(), "G");
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn kendall_symbol(&self) -> String {
        if self.is_exponential() {
            return "M".into();
        }
        match &self.kind {
            Kind::Deterministic { .. } => "D".into(),
            Kind::Erlang { k, .. } => format!("E{k}"),
            Kind::Hyperexponential { .. } => "H2".into(),
            _ => "G".into(),
        }
    }

    /// A short name of the family: `exponential`, `deterministic`, `uniform`, `erlang`,
    /// `hyperexponential`, `lognormal`, `pareto` or `trace`.
    ///
    /// ```
    /// use kendall_sim::Distribution;
    /// assert_eq!(Distribution::pareto(1.0, 2.5)?.family(), "pareto");
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn family(&self) -> &'static str {
        match &self.kind {
            Kind::Exponential { .. } => "exponential",
            Kind::Deterministic { .. } => "deterministic",
            Kind::Uniform { .. } => "uniform",
            Kind::Erlang { .. } => "erlang",
            Kind::Hyperexponential { .. } => "hyperexponential",
            Kind::Lognormal { .. } => "lognormal",
            Kind::Pareto { .. } => "pareto",
            Kind::Trace { .. } => "trace",
        }
    }

    /// The same distribution with every duration multiplied by `factor > 0` (the mean scales,
    /// the SCV does not). Useful for load sweeps.
    ///
    /// ```
    /// use kendall_sim::Distribution;
    /// let d = Distribution::exponential(1.0)?.scaled(2.0)?;
    /// assert_eq!(d.mean(), 2.0);
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn scaled(&self, factor: f64) -> Result<Self, SimError> {
        let f = positive("scale factor", factor)?;
        match &self.kind {
            Kind::Exponential { rate } => Self::exponential(rate / f),
            Kind::Deterministic { value } => Self::deterministic(value * f),
            Kind::Uniform { lo, hi } => Self::uniform(lo * f, hi * f),
            Kind::Erlang { k, rate } => Self::erlang(*k, rate / f),
            Kind::Hyperexponential { mean, cv } => Self::hyperexponential(mean * f, *cv),
            Kind::Lognormal { mean, cv } => Self::lognormal(mean * f, *cv),
            Kind::Pareto { mean, shape } => Self::pareto(mean * f, *shape),
            Kind::Trace { values, cycle } => {
                Self::trace(values.iter().map(|v| v * f).collect(), *cycle)
            }
        }
    }
}

/// A trace's mean, with the values divided by the largest so that the sum cannot overflow
/// (1e308 twice): the largest value and the mean of the scaled values (NaN if all are 0).
fn scaled_mean(values: &[f64]) -> (f64, f64) {
    let top = values.iter().copied().fold(0.0, f64::max);
    let m = values.iter().map(|v| v / top).sum::<f64>() / values.len() as f64;
    (top, m)
}

fn trace_mean(values: &[f64]) -> f64 {
    let (top, m) = scaled_mean(values);
    if top == 0.0 { 0.0 } else { top * m }
}

/// The SCV on the scaled values: a ratio, so tiny values (1e-170) do not square to 0/0.
fn trace_scv(values: &[f64]) -> f64 {
    let (top, m) = scaled_mean(values);
    let var = values.iter().map(|v| (v / top - m).powi(2)).sum::<f64>() / values.len() as f64;
    var / (m * m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_round_trips() {
        for s in [
            "exp:0.9",
            "det:1.5",
            "uniform:0:2",
            "erlang:3:1.25",
            "h2:mean=1,cv=2",
            "lognormal:mean=2,cv=0.5",
            "pareto:mean=1,shape=2.5",
        ] {
            let d: Distribution = s.parse().unwrap();
            assert_eq!(d.to_string(), s);
            assert_eq!(d.to_string().parse::<Distribution>().unwrap(), d);
        }
    }

    #[test]
    fn parse_errors_name_the_field() {
        let e = "exp:-1".parse::<Distribution>().unwrap_err();
        assert_eq!(e.to_string(), "rate must be a finite number > 0, got -1");
        let e = "h2:mean=1,cv=0.5".parse::<Distribution>().unwrap_err();
        assert!(e.to_string().starts_with("cv must be"), "{e}");
        let e = "erlang:0:1".parse::<Distribution>().unwrap_err();
        assert!(e.to_string().starts_with("phases (k) must be"), "{e}");
        assert!(matches!(
            "gamma:1".parse::<Distribution>(),
            Err(SimError::UnknownDistribution { .. })
        ));
        assert!(matches!(
            "exp".parse::<Distribution>(),
            Err(SimError::UnknownDistribution { .. })
        ));
        assert!(matches!(
            "exp:1:2".parse::<Distribution>(),
            Err(SimError::UnknownDistribution { .. })
        ));
        assert!(matches!(
            "exp:abc".parse::<Distribution>(),
            Err(SimError::InvalidParameter { .. })
        ));
        assert!(matches!(
            "exp:NaN".parse::<Distribution>(),
            Err(SimError::InvalidParameter { .. })
        ));
        assert!(matches!(
            "exp:inf".parse::<Distribution>(),
            Err(SimError::InvalidParameter { .. })
        ));
        assert!(matches!(
            "lognormal:mean=1".parse::<Distribution>(),
            Err(SimError::UnknownDistribution { .. })
        ));
        assert!(matches!(
            "lognormal:mean=1,cv=-1".parse::<Distribution>(),
            Err(SimError::InvalidParameter { .. })
        ));
        assert!(matches!(
            "pareto:mean=1,shape=1".parse::<Distribution>(),
            Err(SimError::InvalidParameter { .. })
        ));
    }

    #[test]
    fn constructors_reject_bad_input() {
        assert!(Distribution::exponential(f64::NAN).is_err());
        assert!(Distribution::deterministic(0.0).is_err());
        assert!(Distribution::uniform(-1.0, 1.0).is_err());
        assert!(Distribution::uniform(1.0, f64::INFINITY).is_err());
        assert!(Distribution::erlang(2, -3.0).is_err());
        assert!(Distribution::hyperexponential(0.0, 2.0).is_err());
        assert!(Distribution::lognormal(1.0, -0.1).is_err());
        assert!(Distribution::pareto(-1.0, 3.0).is_err());
        assert_eq!(
            Distribution::trace(vec![], false),
            Err(SimError::EmptyTrace {
                field: "trace".into()
            })
        );
        assert!(Distribution::trace(vec![1.0, -1.0], false).is_err());
        assert!(Distribution::trace(vec![0.0, 0.0], false).is_err());
        assert!(Distribution::trace(vec![1.0, f64::NAN], false).is_err());
    }

    #[test]
    fn overflowing_moments_are_rejected() {
        // cv² overflows (h2 turned into NaN draws) or leaves the H2 branch unresolvable.
        for spec in [
            "h2:mean=1,cv=1e200",
            "h2:mean=1,cv=1e9",
            "lognormal:mean=1,cv=1e200",
        ] {
            let e = spec.parse::<Distribution>().unwrap_err().to_string();
            assert!(e.starts_with("cv must be a number in ["), "{spec}: {e}");
            assert!(e.contains("1e6"), "{spec}: {e}");
        }
        assert!("h2:mean=1,cv=1e6".parse::<Distribution>().is_ok());
        // A mean (1/rate) or rate (1/mean) that is not finite.
        for spec in [
            "exp:1e-320",
            "erlang:2:1e-320",
            "det:1e-320",
            "uniform:0:1e-320",
        ] {
            let e = spec.parse::<Distribution>().unwrap_err().to_string();
            assert!(e.contains("rate (1/mean) are both finite"), "{spec}: {e}");
        }
        // A second moment that overflows.
        for spec in [
            "h2:mean=1e200,cv=2",
            "det:1e200",
            "lognormal:mean=1e160,cv=0",
        ] {
            let e = spec.parse::<Distribution>().unwrap_err().to_string();
            assert!(
                e.starts_with("mean") || e.starts_with("value"),
                "{spec}: {e}"
            );
            assert!(e.contains("second moment"), "{spec}: {e}");
        }
        let e = Distribution::trace(vec![1e308, 1e308], true)
            .unwrap_err()
            .to_string();
        // The mean itself is 1e308 (the sum overflowed before); its square is what overflows.
        assert!(e.starts_with("trace mean must be"), "{e}");
        assert!(
            e.contains("second moment") && e.ends_with("got 1e308"),
            "{e}"
        );
        // A heavy Pareto keeps its infinite variance.
        assert!(Distribution::pareto(1.0, 1.5).is_ok());
    }

    #[test]
    fn tiny_scales_keep_their_shape() {
        // Squares of these underflow; the SCV is a ratio and must not turn into 0/0.
        let u = Distribution::uniform(0.0, 1e-200).unwrap();
        assert!((u.scv() - 1.0 / 3.0).abs() < 1e-12, "{}", u.scv());
        assert!((u.mean() - 5e-201).abs() < 1e-212);
        let t = Distribution::trace(vec![1e-170, 3e-170], true).unwrap();
        assert!((t.mean() - 2e-170).abs() < 1e-182);
        assert!((t.scv() - 0.25).abs() < 1e-12, "{}", t.scv());
        // Unchanged at ordinary scales.
        let t = Distribution::trace(vec![1.0, 3.0], true).unwrap();
        assert_eq!(t.mean(), 2.0);
        assert!((t.scv() - 0.25).abs() < 1e-15, "{}", t.scv());
        assert!((Distribution::uniform(1.0, 3.0).unwrap().scv() - 1.0 / 12.0).abs() < 1e-15);
    }

    #[test]
    fn erlang_phases_are_capped() {
        assert!(Distribution::erlang(1000, 1.0).is_ok());
        for spec in [
            "erlang:1001:1",
            "erlang:4000000000:1",
            "erlang:99999999999:1",
        ] {
            let e = spec.parse::<Distribution>().unwrap_err().to_string();
            assert!(
                e.starts_with("phases (k) must be an integer in [1, 1000]"),
                "{spec}: {e}"
            );
        }
    }

    #[test]
    fn uniform_and_trace_moments() {
        let u = Distribution::uniform(0.0, 2.0).unwrap();
        assert!((u.scv() - 1.0 / 3.0).abs() < 1e-15);
        let t = Distribution::trace(vec![1.0, 3.0], true).unwrap();
        assert!((t.scv() - 0.25).abs() < 1e-15);
    }
}
