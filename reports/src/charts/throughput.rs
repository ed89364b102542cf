//! Throughput and loss probability against offered load (loss on a second y axis).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::chart_error;
use super::latency::LoadPoint;
use super::style::{self, LABEL_FONT, LEGEND_FONT, SECOND, SIMULATED, THEORY, TITLE_FONT};
use crate::ReportError;

/// Throughput (left axis) and loss probability (right axis) against offered load.
///
/// ```
/// use kendall_reports::charts::{Chart, ChartSize, LoadPoint, ThroughputChart};
/// let p = LoadPoint { load: 0.9, arrival_rate: 2.7, throughput: 2.5, p_loss: 0.07, ..LoadPoint::default() };
/// let chart = Chart::Throughput(ThroughputChart { scenario: "M/M/3/10".into(), time_unit: "s".into(),
///                                                 points: vec![p], x_desc: None });
/// assert!(chart.render("throughput", ChartSize::default()).unwrap().svg.contains("P(loss)"));
/// ```
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct ThroughputChart {
    /// Scenario name shown in the title.
    pub scenario: String,
    /// Unit of time; throughput is drawn per this unit.
    pub time_unit: String,
    /// The simulated points.
    pub points: Vec<LoadPoint>,
    /// The x axis label when the points vary something other than load (their `load` field
    /// then holds that parameter); `None` means offered load ρ.
    pub x_desc: Option<String>,
}

impl ThroughputChart {
    pub(crate) fn title(&self) -> String {
        format!("Throughput and loss vs load — {}", self.scenario)
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
                    p.arrival_rate,
                    p.throughput,
                    p.theory_throughput.unwrap_or(f64::NAN),
                ]
            }),
            true,
        );
        let loss_max = style::span(
            pts.iter().flat_map(|p| {
                [
                    p.p_loss + p.p_loss_ci95,
                    p.theory_p_loss.unwrap_or(f64::NAN),
                ]
            }),
            true,
        )
        .1
        .clamp(0.01, 1.0);
        let mut chart = ChartBuilder::on(root)
            .caption(self.title(), TITLE_FONT)
            .margin(16)
            .x_label_area_size(52)
            .y_label_area_size(76)
            .right_y_label_area_size(76)
            .build_cartesian_2d(x.0..x.1, y.0..y.1)
            .map_err(chart_error)?
            .set_secondary_coord(x.0..x.1, 0.0..loss_max);
        chart
            .configure_mesh()
            .x_desc(
                self.x_desc
                    .clone()
                    .unwrap_or_else(|| "offered load ρ = λ/(c·μ)".into()),
            )
            .y_desc(format!("throughput [customers/{}]", self.time_unit))
            .x_label_formatter(&style::tick)
            .y_label_formatter(&style::tick)
            .label_style(LABEL_FONT)
            .axis_desc_style(LABEL_FONT)
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(chart_error)?;
        chart
            .configure_secondary_axes()
            .y_desc("loss probability P(loss)")
            .y_label_formatter(&style::tick)
            .label_style(LABEL_FONT)
            .axis_desc_style(LABEL_FONT)
            .draw()
            .map_err(chart_error)?;

        let offered = style::finite(
            &pts.iter()
                .map(|p| (p.load, p.arrival_rate))
                .collect::<Vec<_>>(),
        );
        chart
            .draw_series(DashedLineSeries::new(
                offered,
                6,
                6,
                BLACK.mix(0.5).stroke_width(1),
            ))
            .map_err(chart_error)?
            .label("offered arrival rate λ")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], BLACK.mix(0.5)));
        let theory: Vec<_> = pts
            .iter()
            .filter_map(|p| p.theory_throughput.map(|t| (p.load, t)))
            .collect();
        let theory = style::finite(&theory);
        if !theory.is_empty() {
            chart
                .draw_series(LineSeries::new(theory, THEORY.stroke_width(2)))
                .map_err(chart_error)?
                .label("theory throughput")
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], THEORY.stroke_width(2))
                });
        }
        let sim = style::finite(
            &pts.iter()
                .map(|p| (p.load, p.throughput))
                .collect::<Vec<_>>(),
        );
        chart
            .draw_series(
                sim.into_iter()
                    .map(|c| Circle::new(c, 5, SIMULATED.filled())),
            )
            .map_err(chart_error)?
            .label("simulated throughput")
            .legend(|(x, y)| Circle::new((x + 12, y), 5, SIMULATED.filled()));

        let theory_loss: Vec<_> = pts
            .iter()
            .filter_map(|p| p.theory_p_loss.map(|l| (p.load, l)))
            .collect();
        let theory_loss = style::finite(&theory_loss);
        if !theory_loss.is_empty() {
            chart
                .draw_secondary_series(DashedLineSeries::new(
                    theory_loss,
                    10,
                    6,
                    SECOND.stroke_width(2),
                ))
                .map_err(chart_error)?
                .label("theory P(loss) (right axis)")
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], SECOND.stroke_width(2))
                });
        }
        let loss: Vec<_> = pts
            .iter()
            .filter(|p| p.load.is_finite() && p.p_loss.is_finite())
            .map(|p| {
                let h = if p.p_loss_ci95.is_finite() {
                    p.p_loss_ci95
                } else {
                    0.0
                };
                ErrorBar::new_vertical(
                    p.load,
                    (p.p_loss - h).max(0.0),
                    p.p_loss,
                    p.p_loss + h,
                    SECOND.filled().stroke_width(2),
                    10,
                )
            })
            .collect();
        chart
            .draw_secondary_series(loss)
            .map_err(chart_error)?
            .label("simulated P(loss) ± 95% CI (right axis)")
            .legend(|(x, y)| Circle::new((x + 12, y), 5, SECOND.filled()));
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
