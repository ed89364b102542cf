//! A report's content and the function that writes it as a directory of files.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::charts::{Chart, ChartSize, RenderedChart};
use crate::table::Table;
use crate::{ReportError, csv, html, json, markdown};

/// Everything a report shows.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Page title.
    pub title: String,
    /// One introductory paragraph (may be empty).
    pub intro: String,
    /// The exact command line that produced the report.
    pub command: String,
    /// Sections in page order.
    pub sections: Vec<Section>,
    /// One JSON record per scenario or sweep point (`scenario`, `theory`, `simulation`):
    /// written as `results.json` (an array) and `results.csv` (one row each).
    pub records: Vec<Value>,
}

/// A heading with text, tables and charts.
#[derive(Debug, Clone, Default)]
pub struct Section {
    /// Section heading.
    pub heading: String,
    /// A paragraph under the heading (may be empty).
    pub text: String,
    /// Tables, in order.
    pub tables: Vec<Table>,
    /// Charts with their file stems (`latency-mm1` → `charts/latency-mm1.svg` and `.png`).
    pub charts: Vec<(String, Chart)>,
}

/// Paths of the files a report wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFiles {
    /// The report directory.
    pub dir: PathBuf,
    /// `report.html`.
    pub html: PathBuf,
    /// `report.md`.
    pub markdown: PathBuf,
    /// `results.json`.
    pub json: PathBuf,
    /// `results.csv`.
    pub csv: PathBuf,
    /// Every chart file: `.svg`, `.png`, and the data behind it as `.json` and `.csv`.
    pub charts: Vec<PathBuf>,
}

/// Renders every chart and writes the report into `dir` (created if missing):
/// `report.html`, `report.md`, `results.json`, `results.csv` and, per chart,
/// `charts/<name>.svg|png` with its data as `charts/<name>.json|csv`.
///
/// ```
/// use kendall_reports::{Report, write_report, charts::ChartSize};
/// let dir = std::env::temp_dir().join(format!("kendall-doc-{}", std::process::id()));
/// let report = Report { title: "Empty".into(), command: "kendall demo".into(), ..Report::default() };
/// let files = write_report(&dir, &report, ChartSize::default()).unwrap();
/// assert!(std::fs::read_to_string(&files.html).unwrap().contains("kendall demo"));
/// std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn write_report(
    dir: &Path,
    report: &Report,
    size: ChartSize,
) -> Result<ReportFiles, ReportError> {
    let chart_dir = dir.join("charts");
    create_dir(&chart_dir)?;
    let mut rendered: Vec<Vec<RenderedChart>> = Vec::with_capacity(report.sections.len());
    let mut chart_files = Vec::new();
    for section in &report.sections {
        let mut done = Vec::with_capacity(section.charts.len());
        for (name, chart) in &section.charts {
            let r = chart.render(name, size)?;
            let svg = chart_dir.join(format!("{name}.svg"));
            let png = chart_dir.join(format!("{name}.png"));
            let data_json = chart_dir.join(format!("{name}.json"));
            let data_csv = chart_dir.join(format!("{name}.csv"));
            write(&svg, r.svg.as_bytes())?;
            write(&png, &r.png)?;
            write(&data_json, chart.data_json()?.as_bytes())?;
            write(&data_csv, chart.data_csv().as_bytes())?;
            chart_files.extend([svg, png, data_json, data_csv]);
            done.push(r);
        }
        rendered.push(done);
    }
    let files = ReportFiles {
        dir: dir.to_path_buf(),
        html: dir.join("report.html"),
        markdown: dir.join("report.md"),
        json: dir.join("results.json"),
        csv: dir.join("results.csv"),
        charts: chart_files,
    };
    write(&files.json, json::to_pretty(&report.records)?.as_bytes())?;
    write(&files.csv, csv::from_records(&report.records).as_bytes())?;
    write(
        &files.markdown,
        markdown::render(report, &rendered).as_bytes(),
    )?;
    write(&files.html, html::render(report, &rendered).as_bytes())?;
    Ok(files)
}

fn create_dir(path: &Path) -> Result<(), ReportError> {
    fs::create_dir_all(path).map_err(|source| ReportError::Write {
        path: path.to_path_buf(),
        source,
    })
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    fs::write(path, bytes).map_err(|source| ReportError::Write {
        path: path.to_path_buf(),
        source,
    })
}
