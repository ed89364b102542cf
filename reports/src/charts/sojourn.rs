//! Sojourn-time distribution: the simulated CDF beside theory's CDF where one is known.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart_error;
use super::style::{self, LABEL_FONT, LEGEND_FONT, SIMULATED, THEORY, TITLE_FONT};
use crate::ReportError;

/// Cumulative distribution of the sojourn time for one scenario.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SojournChart {
    /// Scenario name shown in the title.
    pub scenario: String,
    /// Unit of time on the x axis.
    pub time_unit: String,
    /// Simulated `(sojourn time, P(T ≤ t))` points, increasing in t.
    pub simulated_cdf: Vec<(f64, f64)>,
    /// Theory's CDF at chosen points, when a closed form exists.
    pub theory_cdf: Option<Vec<(f64, f64)>>,
}

impl SojournChart {
    pub(crate) fn title(&self) -> String {
        format!("Sojourn-time distribution — {}", self.scenario)
    }

    pub(crate) fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), ReportError> {
        let sim = style::finite(&self.simulated_cdf);
        let theory = self
            .theory_cdf
            .as_deref()
            .map(style::finite)
            .unwrap_or_default();
        let x = style::span(sim.iter().chain(&theory).map(|p| p.0), true);
        let mut chart = ChartBuilder::on(root)
            .caption(self.title(), TITLE_FONT)
            .margin(16)
            .x_label_area_size(52)
            .y_label_area_size(76)
            .build_cartesian_2d(x.0..x.1, 0.0..1.02)
            .map_err(chart_error)?;
        chart
            .configure_mesh()
            .x_desc(format!("sojourn time t [{}]", self.time_unit))
            .y_desc("P(sojourn time ≤ t)")
            .x_label_formatter(&style::tick)
            .y_label_formatter(&style::tick)
            .label_style(LABEL_FONT)
            .axis_desc_style(LABEL_FONT)
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(chart_error)?;
        if !theory.is_empty() {
            chart
                .draw_series(LineSeries::new(theory, THEORY.stroke_width(2)))
                .map_err(chart_error)?
                .label("theory CDF")
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], THEORY.stroke_width(2))
                });
        }
        chart
            .draw_series(DashedLineSeries::new(sim, 8, 4, SIMULATED.stroke_width(3)))
            .map_err(chart_error)?
            .label("simulated CDF")
            .legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], SIMULATED.stroke_width(3))
            });
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.4))
            .label_font(LEGEND_FONT)
            .draw()
            .map_err(chart_error)?;
        Ok(())
    }
}
