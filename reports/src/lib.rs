//! Charts, tables and report files for Kendall simulations.
//!
//! - [`charts`]: latency vs load, queue length over time, sojourn-time distribution, throughput
//!   and loss vs load — each rendered to SVG and PNG with an embedded font, so they work on a
//!   machine with no system fonts.
//! - [`table`], [`csv`], [`json`]: every figure as a terminal table, CSV and JSON.
//! - [`markdown`], [`html`]: `report.md` and a self-contained `report.html`.
//! - [`live`]: a live run on the real channel beside theory and simulation.
//! - [`write_report`]: all of the above into one directory.

pub mod charts;
pub mod csv;
mod error;
mod fonts;
pub mod html;
pub mod json;
pub mod live;
pub mod markdown;
pub mod outcome;
mod report;
pub mod table;

pub use error::ReportError;
pub use report::{Report, ReportFiles, Section, write_report};
