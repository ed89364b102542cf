//! Shared look of every chart: colours, fonts, and axis ranges that ignore non-finite values.

use plotters::prelude::*;

/// Theory curves: solid dark grey.
pub(crate) const THEORY: RGBColor = RGBColor(40, 40, 40);
/// Simulated means and their interval bars.
pub(crate) const SIMULATED: RGBColor = RGBColor(31, 119, 180);
/// Tail (p99) series.
pub(crate) const TAIL: RGBColor = RGBColor(214, 39, 40);
/// Live-run series (the real channel driven by real threads).
pub(crate) const LIVE: RGBColor = RGBColor(44, 160, 44);
/// A second simulated quantity (loss).
pub(crate) const SECOND: RGBColor = RGBColor(255, 127, 14);

pub(crate) const TITLE_FONT: (&str, u32) = ("sans-serif", 22);
pub(crate) const LABEL_FONT: (&str, u32) = ("sans-serif", 16);
pub(crate) const LEGEND_FONT: (&str, u32) = ("sans-serif", 14);

/// A plotting range `[lo, hi]` covering every finite value, with a little headroom and never
/// empty, so a single point or an all-NaN series still draws a sane frame.
pub(crate) fn span(values: impl IntoIterator<Item = f64>, include_zero: bool) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in values.into_iter().filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if include_zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
        let pad = if hi == 0.0 { 1.0 } else { hi.abs() * 0.1 };
        return (
            lo - if include_zero && lo == 0.0 { 0.0 } else { pad },
            hi + pad,
        );
    }
    let pad = (hi - lo) * 0.05;
    let lo = if include_zero && lo >= 0.0 {
        lo
    } else {
        lo - pad
    };
    (lo, hi + pad)
}

/// Keeps only points whose coordinates are both finite.
pub(crate) fn finite(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    points
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect()
}

/// Formats an axis tick without trailing noise (`0.5`, `12`, `1.2e6`).
pub(crate) fn tick(v: &f64) -> String {
    let a = v.abs();
    if a != 0.0 && !(1e-3..1e6).contains(&a) {
        format!("{v:.1e}")
    } else if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_ignores_nan_and_pads() {
        let (lo, hi) = span([1.0, f64::NAN, 3.0, f64::INFINITY], false);
        assert!(lo < 1.0 && hi > 3.0 && hi < 3.5);
    }

    #[test]
    fn span_of_nothing_is_unit() {
        assert_eq!(span([f64::NAN], true), (0.0, 1.0));
    }

    #[test]
    fn span_of_one_value_is_not_empty() {
        let (lo, hi) = span([2.0], true);
        assert!(lo == 0.0 && hi > 2.0);
    }

    #[test]
    fn ticks_are_short() {
        assert_eq!(tick(&0.5), "0.5");
        assert_eq!(tick(&12.0), "12");
        assert_eq!(tick(&0.1234567), "0.123");
        assert_eq!(tick(&2.0e7), "2.0e7");
    }
}
