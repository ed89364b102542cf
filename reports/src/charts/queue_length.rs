//! Number in system over (model) time, with theory's mean L as a reference line and, for a
//! live run, the live series beside the simulated one.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart_error;
use super::style::{self, LABEL_FONT, LEGEND_FONT, LIVE, SIMULATED, THEORY, TITLE_FONT};
use crate::ReportError;

/// Number in system over time for one run.
///
/// ```
/// use kendall_reports::charts::{Chart, ChartSize, QueueLengthChart};
/// let chart = Chart::QueueLength(QueueLengthChart { scenario: "M/M/1".into(), time_unit: "s".into(),
///                                                   samples: vec![(0.0, 0.0), (2.0, 3.0)], theory_mean: Some(1.0),
///                                                   live_samples: vec![(0.0, 1.0), (2.5, 2.0)] });
/// let svg = chart.render("q", ChartSize::default()).unwrap().svg;
/// assert!(svg.contains("number in system") && svg.contains("live"));
/// ```
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct QueueLengthChart {
    /// Scenario name shown in the title.
    pub scenario: String,
    /// Unit of time on the x axis.
    pub time_unit: String,
    /// `(time, number in system)` samples in time order; drawn as a step line.
    pub samples: Vec<(f64, f64)>,
    /// Theory's mean number in system L, drawn as a horizontal line when known.
    pub theory_mean: Option<f64>,
    /// `(time, number in system)` samples of a live run in model time units, drawn as a
    /// second step line when not empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub live_samples: Vec<(f64, f64)>,
}

/// `(t, n)` samples as a step line: the count holds its value until the next sample.
fn steps(samples: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(samples.len() * 2);
    for pair in samples.windows(2) {
        out.push(pair[0]);
        out.push((pair[1].0, pair[0].1));
    }
    if let Some(last) = samples.last() {
        out.push(*last);
    }
    out
}

impl QueueLengthChart {
    pub(crate) fn title(&self) -> String {
        format!("Number in system over time — {}", self.scenario)
    }

    pub(crate) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), ReportError> {
        let samples = style::finite(&self.samples);
        let live = style::finite(&self.live_samples);
        let x = style::span(samples.iter().chain(&live).map(|s| s.0), false);
        let y = style::span(
            samples
                .iter()
                .chain(&live)
                .map(|s| s.1)
                .chain(self.theory_mean.filter(|l| l.is_finite())),
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
            .x_desc(if live.is_empty() {
                format!("simulated time [{}]", self.time_unit)
            } else {
                format!("model time [{}]", self.time_unit)
            })
            .y_desc("number in system [customers]")
            .x_label_formatter(&style::tick)
            .y_label_formatter(&style::tick)
            .label_style(LABEL_FONT)
            .axis_desc_style(LABEL_FONT)
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(chart_error)?;
        chart
            .draw_series(LineSeries::new(steps(&samples), SIMULATED.stroke_width(1)))
            .map_err(chart_error)?
            .label("simulated number in system")
            .legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], SIMULATED.stroke_width(2))
            });
        if !live.is_empty() {
            chart
                .draw_series(LineSeries::new(steps(&live), LIVE.stroke_width(1)))
                .map_err(chart_error)?
                .label("live number in system")
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], LIVE.stroke_width(2)));
        }
        if let Some(l) = self.theory_mean.filter(|l| l.is_finite()) {
            chart
                .draw_series(LineSeries::new(
                    [(x.0, l), (x.1, l)],
                    THEORY.stroke_width(2),
                ))
                .map_err(chart_error)?
                .label(format!("theory mean L = {}", style::tick(&l)))
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], THEORY.stroke_width(2))
                });
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
