//! Latency against load: the theory curve, simulated mean sojourn times with 95% interval bars,
//! and the p99 sojourn time as a second series.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart_error;
use super::style::{self, LABEL_FONT, LEGEND_FONT, SIMULATED, TAIL, THEORY, TITLE_FONT};
use crate::ReportError;

/// One point of a load sweep, as the latency and throughput charts read it.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct LoadPoint {
    /// Offered load per server, ρ = λ / (c·μ) — or, when the chart's `x_desc` says so, the
    /// value of the parameter that was varied (servers, capacity).
    pub load: f64,
    /// Arrival rate λ offered at this point (customers per time unit).
    pub arrival_rate: f64,
    /// Simulated mean sojourn time W.
    pub sojourn_mean: f64,
    /// 95% half-width of the simulated mean sojourn time (0 when unknown).
    pub sojourn_ci95: f64,
    /// Simulated 99th percentile of the sojourn time.
    pub sojourn_p99: f64,
    /// Simulated throughput (departures per time unit).
    pub throughput: f64,
    /// Simulated loss probability.
    pub p_loss: f64,
    /// 95% half-width of the simulated loss probability (0 when unknown).
    pub p_loss_ci95: f64,
    /// Theory's mean sojourn time, when it has one (not for an unstable point).
    pub theory_sojourn_mean: Option<f64>,
    /// Theory's p99 sojourn time, when it has one.
    pub theory_sojourn_p99: Option<f64>,
    /// Theory's throughput, when it has one.
    pub theory_throughput: Option<f64>,
    /// Theory's loss probability, when it has one.
    pub theory_p_loss: Option<f64>,
}

/// Mean and p99 sojourn time against offered load for one scenario family.
///
/// ```
/// use kendall_reports::charts::{Chart, ChartSize, LatencyChart, LoadPoint};
/// let points = vec![LoadPoint { load: 0.5, sojourn_mean: 2.0, sojourn_ci95: 0.1, sojourn_p99: 9.2,
///                               theory_sojourn_mean: Some(2.0), ..LoadPoint::default() }];
/// let chart = Chart::Latency(LatencyChart { scenario: "M/M/1".into(), time_unit: "s".into(),
///                                           points, x_desc: None, theory_exact: true });
/// let svg = chart.render("latency", ChartSize::default()).unwrap().svg;
/// assert!(svg.contains("Sojourn time vs load"));
/// ```
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct LatencyChart {
    /// Scenario name shown in the title, e.g. `M/M/1 (μ = 1)`.
    pub scenario: String,
    /// Unit of time, shown on the y axis (e.g. `s`, `ms`).
    pub time_unit: String,
    /// The simulated points.
    pub points: Vec<LoadPoint>,
    /// The x axis label when the points vary something other than load (their `load` field
    /// then holds that parameter); `None` means offered load ρ.
    pub x_desc: Option<String>,
    /// Whether the theory values are exact (otherwise an approximation is named in the legend).
    pub theory_exact: bool,
}

impl LatencyChart {
    pub(crate) fn title(&self) -> String {
        format!("Sojourn time vs load — {}", self.scenario)
    }

    pub(crate) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), ReportError> {
        let pts = &self.points;
        let x = style::span(pts.iter().map(|p| p.load), true);
        let y = style::span(
            pts.iter().flat_map(|p| {
                [
                    p.sojourn_mean + p.sojourn_ci95,
                    p.sojourn_p99,
                    p.theory_sojourn_mean.unwrap_or(f64::NAN),
                    p.theory_sojourn_p99.unwrap_or(f64::NAN),
                ]
            }),
            true,
        );
        let mut chart = ChartBuilder::on(root)
            .caption(self.title(), TITLE_FONT)
            .margin(16)
            .x_label_area_size(52)
            .y_label_area_size(76)
            .build_cartesian_2d(x.0..x.1, y.0..y.1)
            .map_err(chart_error)?;
        chart
            .configure_mesh()
            .x_desc(
                self.x_desc
                    .clone()
                    .unwrap_or_else(|| "offered load ρ = λ/(c·μ)".into()),
            )
            .y_desc(format!("sojourn time [{}]", self.time_unit))
            .x_label_formatter(&style::tick)
            .y_label_formatter(&style::tick)
            .label_style(LABEL_FONT)
            .axis_desc_style(LABEL_FONT)
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(chart_error)?;

        let kind = if self.theory_exact {
            "exact"
        } else {
            "approx."
        };
        let theory_mean = style::finite(
            &pts.iter()
                .filter_map(|p| p.theory_sojourn_mean.map(|w| (p.load, w)))
                .collect::<Vec<_>>(),
        );
        if !theory_mean.is_empty() {
            chart
                .draw_series(LineSeries::new(theory_mean, THEORY.stroke_width(2)))
                .map_err(chart_error)?
                .label(format!("theory mean W ({kind})"))
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], THEORY.stroke_width(2))
                });
        }
        let theory_p99 = style::finite(
            &pts.iter()
                .filter_map(|p| p.theory_sojourn_p99.map(|w| (p.load, w)))
                .collect::<Vec<_>>(),
        );
        if !theory_p99.is_empty() {
            chart
                .draw_series(DashedLineSeries::new(
                    theory_p99,
                    10,
                    6,
                    THEORY.stroke_width(2),
                ))
                .map_err(chart_error)?
                .label(format!("theory p99 ({kind}, dashed)"))
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], THEORY.stroke_width(2))
                });
        }
        let means: Vec<_> = pts
            .iter()
            .filter(|p| p.load.is_finite() && p.sojourn_mean.is_finite())
            .map(|p| {
                let h = if p.sojourn_ci95.is_finite() {
                    p.sojourn_ci95
                } else {
                    0.0
                };
                ErrorBar::new_vertical(
                    p.load,
                    p.sojourn_mean - h,
                    p.sojourn_mean,
                    p.sojourn_mean + h,
                    SIMULATED.filled().stroke_width(2),
                    10,
                )
            })
            .collect();
        chart
            .draw_series(means)
            .map_err(chart_error)?
            .label("simulated mean W ± 95% CI")
            .legend(|(x, y)| Circle::new((x + 12, y), 5, SIMULATED.filled()));
        let p99 = style::finite(
            &pts.iter()
                .map(|p| (p.load, p.sojourn_p99))
                .collect::<Vec<_>>(),
        );
        chart
            .draw_series(LineSeries::new(p99.clone(), TAIL.stroke_width(1)))
            .map_err(chart_error)?;
        chart
            .draw_series(
                p99.into_iter()
                    .map(|c| TriangleMarker::new(c, 6, TAIL.filled())),
            )
            .map_err(chart_error)?
            .label("simulated p99")
            .legend(|(x, y)| TriangleMarker::new((x + 12, y), 6, TAIL.filled()));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.4))
            .label_font(LEGEND_FONT)
            .draw()
            .map_err(chart_error)?;
        Ok(())
    }
}
