//! Sojourn-time distribution as a tail plot: P(sojourn time > t) on a log axis, simulated
//! (and live, for a live run) beside theory (a curve, or the theory percentiles as markers, whichever is known).
//!
//! A log tail plot shows p50 through p99.9 at equal visual weight; a plain CDF squeezes them
//! into the top few pixels.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart_error;
use super::style::{self, LABEL_FONT, LEGEND_FONT, LIVE, SIMULATED, THEORY, TITLE_FONT};
use crate::ReportError;

/// Smallest tail probability drawn (the simulator reports quantiles up to 0.9999).
const FLOOR: f64 = 1e-4;

/// Distribution of the sojourn time for one scenario, as `(t, P(T ≤ t))` points.
///
/// ```
/// use kendall_reports::charts::{Chart, ChartSize, SojournChart};
/// let chart = Chart::Sojourn(SojournChart {
///     scenario: "M/M/1".into(), time_unit: "s".into(),
///     simulated_cdf: vec![(1.0, 0.4), (4.6, 0.9), (9.2, 0.99)],
///     theory_cdf: None, theory_percentiles: vec![(4.605, 0.9)],
///     live_cdf: vec![(1.1, 0.4), (5.0, 0.9)],
/// });
/// let svg = chart.render("sojourn", ChartSize::default()).unwrap().svg;
/// assert!(svg.contains("log scale") && svg.contains("live"));
/// ```
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct SojournChart {
    /// Scenario name shown in the title.
    pub scenario: String,
    /// Unit of time on the x axis.
    pub time_unit: String,
    /// Simulated `(sojourn time, P(T ≤ t))` points, increasing in t (e.g. quantiles).
    pub simulated_cdf: Vec<(f64, f64)>,
    /// Theory's CDF as a curve, when a closed form for the whole distribution is at hand.
    pub theory_cdf: Option<Vec<(f64, f64)>>,
    /// Theory's percentiles as `(t, level)` points (e.g. p50, p90, p99, p99.9), drawn as
    /// markers.
    pub theory_percentiles: Vec<(f64, f64)>,
    /// Live-run `(sojourn time, P(T ≤ t))` points; drawn when not empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub live_cdf: Vec<(f64, f64)>,
}

impl SojournChart {
    pub(crate) fn title(&self) -> String {
        format!("Sojourn-time distribution — {}", self.scenario)
    }

    /// `(t, P(T > t))` points that fit the log axis.
    fn tail(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
        style::finite(points)
            .into_iter()
            .map(|(t, p)| (t, 1.0 - p))
            .filter(|&(_, s)| (FLOOR..=1.0).contains(&s))
            .collect()
    }

    pub(crate) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), ReportError> {
        let sim = Self::tail(&self.simulated_cdf);
        let curve = Self::tail(self.theory_cdf.as_deref().unwrap_or_default());
        let marks = Self::tail(&self.theory_percentiles);
        let live = Self::tail(&self.live_cdf);
        let x = style::span(
            sim.iter()
                .chain(&curve)
                .chain(&marks)
                .chain(&live)
                .map(|p| p.0),
            true,
        );
        let mut chart = ChartBuilder::on(root)
            .caption(self.title(), TITLE_FONT)
            .margin(16)
            .x_label_area_size(52)
            .y_label_area_size(76)
            .build_cartesian_2d(x.0..x.1, (FLOOR..1.0).log_scale())
            .map_err(chart_error)?;
        chart
            .configure_mesh()
            .x_desc(format!("sojourn time t [{}]", self.time_unit))
            .y_desc("P(sojourn time > t)  (log scale)")
            .x_label_formatter(&style::tick)
            .y_label_formatter(&|v| style::tick(v))
            .label_style(LABEL_FONT)
            .axis_desc_style(LABEL_FONT)
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(chart_error)?;
        if !curve.is_empty() {
            chart
                .draw_series(LineSeries::new(curve, THEORY.stroke_width(2)))
                .map_err(chart_error)?
                .label("theory")
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], THEORY.stroke_width(2))
                });
        }
        chart
            .draw_series(LineSeries::new(sim, SIMULATED.stroke_width(3)))
            .map_err(chart_error)?
            .label("simulated")
            .legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], SIMULATED.stroke_width(3))
            });
        if !live.is_empty() {
            chart
                .draw_series(LineSeries::new(live, LIVE.stroke_width(3)))
                .map_err(chart_error)?
                .label("live")
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], LIVE.stroke_width(3)));
        }
        if !marks.is_empty() {
            chart
                .draw_series(
                    marks
                        .into_iter()
                        .map(|c| Cross::new(c, 7, THEORY.stroke_width(3))),
                )
                .map_err(chart_error)?
                .label("theory percentiles (p50, p90, p99, p99.9)")
                .legend(|(x, y)| Cross::new((x + 12, y), 6, THEORY.stroke_width(3)));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.4))
            .label_font(LEGEND_FONT)
            .draw()
            .map_err(chart_error)?;
        Ok(())
    }
}
