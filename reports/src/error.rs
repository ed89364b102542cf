//! The one error type of the reports crate.

use std::fmt;
use std::path::PathBuf;

/// What can go wrong while rendering charts or writing report files.
///
/// ```
/// use kendall_reports::charts::{Chart, ChartSize, QueueLengthChart};
/// let err = Chart::QueueLength(QueueLengthChart::default())
///     .render("q", ChartSize { width: 10, height: 10 })
///     .unwrap_err();
/// assert!(err.to_string().starts_with("chart: chart size 10x10 is out of range"));
/// ```
#[derive(Debug)]
pub enum ReportError {
    /// A chart could not be drawn (bad size, drawing backend failure).
    Chart(String),
    /// A report file or directory could not be written.
    Write {
        /// The path that failed.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// Results could not be turned into JSON.
    Json(String),
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::Chart(msg) => write!(f, "chart: {msg}"),
            ReportError::Write { path, source } => {
                write!(f, "out: cannot write {}: {source}", path.display())
            }
            ReportError::Json(msg) => write!(f, "json: {msg}"),
        }
    }
}

impl std::error::Error for ReportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReportError::Write { source, .. } => Some(source),
            _ => None,
        }
    }
}
