//! Kendall's queueing laboratory: a discrete-event simulator of G/G/c/K stations, with
//! statistics you can trust (warm-up deletion, Student-t intervals, Little's law checked) and
//! queueing theory side by side.
//!
//! ```
//! use kendall_sim::{RunConfig, Scenario, compare};
//! let mm1 = Scenario::from_kendall("M/M/1", 0.9, 1.0)?;
//! let c = compare(&mm1, &RunConfig::default().customers(200_000).replications(8).seed(42))?;
//! let w = c.figure("mean_sojourn_time").unwrap();
//! assert!((w.theory.unwrap() - 10.0).abs() < 1e-9);
//! assert!(w.relative_error.unwrap().abs() < 0.1);
//! # Ok::<(), kendall_sim::SimError>(())
//! ```
//!
//! - [`Distribution`]: inter-arrival and service times, parsed from `exp:0.9` style text.
//! - [`Station`] and [`Scenario`]: the model, also from Kendall notation.
//! - [`RunConfig`] and [`simulate`]: replications in parallel, reproducible from one seed.
//! - [`theory::predict`]: closed forms and approximations.
//! - [`compare`]: both, with relative errors and interval checks.
//! - [`live`]: the same scenario run live through the real `kendall_queue` channel by real
//!   threads, measured with the same statistics, and [`live::compare_live`] for all three.

#![warn(missing_docs)]

mod compare;
mod config;
mod distribution;
mod engine;
mod error;
mod heap;
pub mod live;
mod mser;
mod pipeline;
mod progress;
mod result;
pub mod rng;
mod run;
mod sampler;
mod scenario;
mod student;
mod tally;
mod tandem;
pub mod theory;

pub use compare::{Comparison, FigureComparison, compare, compare_with_progress};
pub use config::{Replications, RunConfig, Stop, Warmup};
pub use distribution::Distribution;
pub use error::{SimError, number as message_number};
pub use progress::Progress;
pub use result::{
    Ci95, CiMethod, LittleCheck, Percentiles, QuantilePoint, SeriesPoint, SimResult, StationResult,
};
pub use run::{simulate, simulate_with_progress};
pub use sampler::Sampler;
pub use scenario::{Scenario, Station};
pub use tandem::{Stage, Tandem};
pub use theory::{Prediction, predict};

/// Statistical helpers used for intervals and warm-up, public for reuse and testing.
pub mod stats {
    pub use crate::mser::mser_truncation;
    pub use crate::student::{mean_ci95, student_t_cdf, student_t_quantile};
}
