//! Charts: what each one shows (the `*Chart` inputs) and how any of them becomes SVG and PNG.
//!
//! Every chart is drawn once per backend by the same code, so the SVG and the PNG always agree.
//! PNGs are encoded in memory, so a report can inline them or write them as files.

mod latency;
mod png;
mod queue_length;
mod sojourn;
mod style;
mod throughput;

pub use latency::{LatencyChart, LoadPoint};
pub use queue_length::QueueLengthChart;
pub use sojourn::SojournChart;
pub use throughput::ThroughputChart;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::ReportError;

/// Pixel size of a rendered chart; SVG and PNG share it.
///
/// ```
/// let size = kendall_reports::charts::ChartSize::default();
/// assert_eq!((size.width, size.height), (960, 600));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartSize {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Default for ChartSize {
    fn default() -> Self {
        ChartSize {
            width: 960,
            height: 600,
        }
    }
}

/// One chart of a report, ready to render.
///
/// ```
/// use kendall_reports::charts::{Chart, ChartSize, QueueLengthChart};
///
/// let chart = Chart::QueueLength(QueueLengthChart {
///     scenario: "M/M/1, ρ = 0.5".into(),
///     time_unit: "s".into(),
///     samples: vec![(0.0, 0.0), (1.0, 2.0), (2.0, 1.0)],
///     theory_mean: Some(1.0),
///     live_samples: vec![],
/// });
/// let rendered = chart.render("queue-length", ChartSize::default()).unwrap();
/// assert!(rendered.svg.starts_with("<svg"));
/// assert_eq!(&rendered.png[1..4], b"PNG");
/// ```
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "chart", rename_all = "snake_case")]
pub enum Chart {
    /// Mean and p99 sojourn time against offered load, with the theory curve.
    Latency(LatencyChart),
    /// Number in system over (simulated) time.
    QueueLength(QueueLengthChart),
    /// Distribution (CDF) of the sojourn time, simulated and theoretical.
    Sojourn(SojournChart),
    /// Throughput and loss probability against offered load.
    Throughput(ThroughputChart),
}

/// A chart rendered to both formats.
#[derive(Debug, Clone)]
pub struct RenderedChart {
    /// File stem, e.g. `latency-mm1`; the report writes `<name>.svg` and `<name>.png`.
    pub name: String,
    /// The chart title, as drawn.
    pub title: String,
    /// Pixel size of both renderings.
    pub size: ChartSize,
    /// The SVG document.
    pub svg: String,
    /// The PNG file bytes.
    pub png: Vec<u8>,
}

impl Chart {
    /// The title drawn at the top of the chart; it names the scenario.
    pub fn title(&self) -> String {
        match self {
            Chart::Latency(c) => c.title(),
            Chart::QueueLength(c) => c.title(),
            Chart::Sojourn(c) => c.title(),
            Chart::Throughput(c) => c.title(),
        }
    }

    /// The data behind the chart as JSON (inputs exactly as drawn).
    pub fn data_json(&self) -> Result<String, ReportError> {
        crate::json::to_pretty(self)
    }

    /// The data behind the chart as CSV: one row per point (for the sojourn chart, long
    /// format with a `series` column).
    ///
    /// ```
    /// use kendall_reports::charts::{Chart, QueueLengthChart};
    /// let c = Chart::QueueLength(QueueLengthChart { samples: vec![(0.0, 1.0)], ..Default::default() });
    /// assert_eq!(c.data_csv(), "time,number_in_system\n0.0,1.0\n");
    /// ```
    pub fn data_csv(&self) -> String {
        use serde_json::json;
        let rows: Vec<serde_json::Value> = match self {
            Chart::Latency(c) => c.points.iter().map(|p| json!(p)).collect(),
            Chart::Throughput(c) => c.points.iter().map(|p| json!(p)).collect(),
            // With a live series, long format with a `series` column (as the sojourn chart).
            Chart::QueueLength(c) if !c.live_samples.is_empty() => {
                let long = |series: &str, pts: &[(f64, f64)]| -> Vec<serde_json::Value> {
                    pts.iter()
                        .map(|(t, n)| json!({"series": series, "time": t, "number_in_system": n}))
                        .collect()
                };
                let mut rows = long("simulated", &c.samples);
                rows.extend(long("live", &c.live_samples));
                rows
            }
            Chart::QueueLength(c) => c
                .samples
                .iter()
                .map(|(t, n)| json!({"time": t, "number_in_system": n}))
                .collect(),
            Chart::Sojourn(c) => {
                let long = |series: &str, pts: &[(f64, f64)]| -> Vec<serde_json::Value> {
                    pts.iter()
                        .map(|(t, p)| json!({"series": series, "sojourn_time": t, "cdf": p}))
                        .collect()
                };
                let mut rows = long("simulated", &c.simulated_cdf);
                rows.extend(long("theory", c.theory_cdf.as_deref().unwrap_or_default()));
                rows.extend(long("theory_percentile", &c.theory_percentiles));
                rows.extend(long("live", &c.live_cdf));
                rows
            }
        };
        crate::csv::from_records(&rows)
    }

    /// Renders the chart as SVG and PNG of `size`, stored under the file stem `name`.
    pub fn render(&self, name: &str, size: ChartSize) -> Result<RenderedChart, ReportError> {
        if size.width < 200 || size.height < 150 || size.width > 8000 || size.height > 8000 {
            return Err(ReportError::Chart(format!(
                "chart size {}x{} is out of range (width 200..=8000, height 150..=8000 pixels)",
                size.width, size.height
            )));
        }
        if !crate::fonts::ensure_registered() {
            return Err(ReportError::Chart(
                "the embedded font could not be loaded".into(),
            ));
        }
        let mut svg = String::new();
        {
            let root =
                SVGBackend::with_string(&mut svg, (size.width, size.height)).into_drawing_area();
            self.draw(&root)?;
            root.present().map_err(chart_error)?;
        }
        let mut rgb = vec![0u8; size.width as usize * size.height as usize * 3];
        {
            let root =
                BitMapBackend::with_buffer(&mut rgb, (size.width, size.height)).into_drawing_area();
            self.draw(&root)?;
            root.present().map_err(chart_error)?;
        }
        let png = png::encode_rgb(&rgb, size)?;
        Ok(RenderedChart {
            name: name.to_string(),
            title: self.title(),
            size,
            svg,
            png,
        })
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ReportError> {
        root.fill(&WHITE).map_err(chart_error)?;
        match self {
            Chart::Latency(c) => c.draw(root),
            Chart::QueueLength(c) => c.draw(root),
            Chart::Sojourn(c) => c.draw(root),
            Chart::Throughput(c) => c.draw(root),
        }
    }
}

/// Turns any plotters error into ours; they only carry a message worth showing.
pub(crate) fn chart_error<E: std::fmt::Display>(e: E) -> ReportError {
    ReportError::Chart(e.to_string())
}
