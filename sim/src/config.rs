//! How to run a scenario: when to stop, how much warm-up to delete, how many replications,
//! the seed and the number of threads.

use serde::{Deserialize, Serialize};

use crate::error::{SimError, non_negative, number, positive};

/// When one replication ends (counted after the warm-up).
///
/// ```
/// use kendall_sim::Stop;
/// let _ = Stop::Customers(1_000_000);
/// let _ = Stop::Horizon(10_000.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stop {
    /// After this many arrivals (accepted or lost) past the warm-up.
    Customers(u64),
    /// After this much simulated time past the warm-up.
    Horizon(f64),
}

impl Stop {
    /// Simulated time at which a run with `warmup` deleted stops (infinite for a customer
    /// count).
    pub(crate) fn end_time(&self, warmup: f64) -> f64 {
        match *self {
            Stop::Horizon(t) => warmup + t,
            Stop::Customers(_) => f64::INFINITY,
        }
    }

    /// Arrivals after the warm-up at which the run stops (unbounded for a horizon).
    pub(crate) fn customers(&self) -> u64 {
        match *self {
            Stop::Customers(n) => n,
            Stop::Horizon(_) => u64::MAX,
        }
    }

    /// The expected end of the run, given the mean time between arrivals.
    pub(crate) fn expected_end(&self, warmup: f64, mean_gap: f64) -> f64 {
        warmup
            + match *self {
                Stop::Customers(n) => n as f64 * mean_gap,
                Stop::Horizon(t) => t,
            }
    }
}

/// Which start-up transient to delete before statistics are collected.
///
/// ```
/// use kendall_sim::Warmup;
/// assert_eq!(Warmup::default(), Warmup::Auto);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Warmup {
    /// Keep everything from time 0 (the empty, idle start).
    None,
    /// Delete this much simulated time.
    Fixed(f64),
    /// Choose the period with the MSER-5 rule on a pilot replication.
    #[default]
    Auto,
}

/// How many independent replications to run.
///
/// ```
/// use kendall_sim::Replications;
/// let _ = Replications::Fixed(10);
/// let _ = Replications::Precision { epsilon: 0.01, min: 5, max: 200 };
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Replications {
    /// Exactly this many (≥ 1). With one, intervals come from batch means within the run.
    Fixed(u32),
    /// Run until the relative 95% half-width of the mean sojourn time is below `epsilon`,
    /// starting with `min` (≥ 2) replications and stopping at `max` whatever happens.
    Precision {
        /// Target relative half-width, in (0, 1).
        epsilon: f64,
        /// Replications to start with (≥ 2).
        min: u32,
        /// Cap (≥ `min`).
        max: u32,
    },
}

/// Everything about a run except the model. Build with [`RunConfig::default`] and the
/// chainable setters.
///
/// ```
/// use kendall_sim::{RunConfig, Warmup};
/// let cfg = RunConfig::default().customers(100_000).replications(8).seed(7).warmup(Warmup::Fixed(100.0)).threads(2);
/// assert!(cfg.validate().is_ok());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunConfig {
    /// When each replication ends.
    pub stop: Stop,
    /// Warm-up deletion.
    pub warmup: Warmup,
    /// Number of replications or a precision target.
    pub replications: Replications,
    /// The run seed; replication `i` and stream `name` get seeds derived from it.
    pub seed: u64,
    /// Worker threads (`None`: all cores). Results do not depend on it.
    pub threads: Option<usize>,
    /// Most points kept in the queue-length-over-time series (≥ 2).
    pub series_points: usize,
}

impl Default for RunConfig {
    /// 10⁶ customers per replication, automatic warm-up, 10 replications, seed 1, all cores,
    /// 500 series points.
    fn default() -> Self {
        RunConfig {
            stop: Stop::Customers(1_000_000),
            warmup: Warmup::Auto,
            replications: Replications::Fixed(10),
            seed: 1,
            threads: None,
            series_points: 500,
        }
    }
}

impl RunConfig {
    /// The most worker threads: each is an OS thread, and more than cores only adds overhead.
    pub const MAX_THREADS: usize = 1024;
    /// The most arrivals one replication may be asked for, by `customers` or expected from a
    /// horizon or a fixed warm-up: about a day of simulation on one core. Far beyond it the
    /// clock stops advancing (t + gap rounds to t) and a run would never end.
    pub const MAX_CUSTOMERS: u64 = 1_000_000_000_000;
    /// The most replications: each keeps its figures until the end.
    pub const MAX_REPLICATIONS: u32 = 100_000;

    /// Stop each replication after `n` arrivals past the warm-up.
    ///
    /// ```
    /// use kendall_sim::{RunConfig, Stop};
    /// assert_eq!(RunConfig::default().customers(5).stop, Stop::Customers(5));
    /// ```
    pub fn customers(mut self, n: u64) -> Self {
        self.stop = Stop::Customers(n);
        self
    }

    /// Stop each replication after `t` time units past the warm-up.
    ///
    /// ```
    /// use kendall_sim::{RunConfig, Stop};
    /// assert_eq!(RunConfig::default().horizon(50.0).stop, Stop::Horizon(50.0));
    /// ```
    pub fn horizon(mut self, t: f64) -> Self {
        self.stop = Stop::Horizon(t);
        self
    }

    /// Set the warm-up rule.
    ///
    /// ```
    /// use kendall_sim::{RunConfig, Warmup};
    /// assert_eq!(RunConfig::default().warmup(Warmup::None).warmup, Warmup::None);
    /// ```
    pub fn warmup(mut self, w: Warmup) -> Self {
        self.warmup = w;
        self
    }

    /// Run exactly `r` replications.
    ///
    /// ```
    /// use kendall_sim::{Replications, RunConfig};
    /// assert_eq!(RunConfig::default().replications(3).replications, Replications::Fixed(3));
    /// ```
    pub fn replications(mut self, r: u32) -> Self {
        self.replications = Replications::Fixed(r);
        self
    }

    /// Run until the relative 95% half-width of the mean sojourn time is below `epsilon`
    /// (starting with 5 replications, at most `max`).
    ///
    /// ```
    /// use kendall_sim::{Replications, RunConfig};
    /// let c = RunConfig::default().precision(0.01, 100);
    /// assert_eq!(c.replications, Replications::Precision { epsilon: 0.01, min: 5, max: 100 });
    /// ```
    pub fn precision(mut self, epsilon: f64, max: u32) -> Self {
        self.replications = Replications::Precision {
            epsilon,
            min: 5.min(max.max(2)),
            max,
        };
        self
    }

    /// Set the run seed.
    ///
    /// ```
    /// use kendall_sim::RunConfig;
    /// assert_eq!(RunConfig::default().seed(9).seed, 9);
    /// ```
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Use `n` worker threads.
    ///
    /// ```
    /// use kendall_sim::RunConfig;
    /// assert_eq!(RunConfig::default().threads(4).threads, Some(4));
    /// ```
    pub fn threads(mut self, n: usize) -> Self {
        self.threads = Some(n);
        self
    }

    /// Checks every field.
    ///
    /// ```
    /// use kendall_sim::RunConfig;
    /// let e = RunConfig::default().customers(0).validate().unwrap_err();
    /// assert_eq!(e.to_string(), "customers must be an integer ≥ 1, got 0");
    /// ```
    pub fn validate(&self) -> Result<(), SimError> {
        match self.stop {
            Stop::Customers(0) => return Err(SimError::invalid("customers", "an integer ≥ 1", 0)),
            Stop::Customers(n) if n > Self::MAX_CUSTOMERS => {
                return Err(SimError::invalid(
                    "customers",
                    format!("an integer in [1, {}]", Self::MAX_CUSTOMERS),
                    n,
                ));
            }
            Stop::Customers(_) => {}
            Stop::Horizon(t) => {
                positive("horizon", t)?;
            }
        }
        if let Warmup::Fixed(t) = self.warmup {
            non_negative("warm-up", t)?;
        }
        let most = |field: &str, r: u32| {
            if r > Self::MAX_REPLICATIONS {
                Err(SimError::invalid(
                    field,
                    format!("an integer in [1, {}]", Self::MAX_REPLICATIONS),
                    r,
                ))
            } else {
                Ok(())
            }
        };
        match self.replications {
            Replications::Fixed(0) => {
                return Err(SimError::invalid("replications", "an integer ≥ 1", 0));
            }
            Replications::Fixed(r) => most("replications", r)?,
            Replications::Precision { epsilon, min, max } => {
                most("maximum replications", max)?;
                if !(epsilon.is_finite() && epsilon > 0.0 && epsilon < 1.0) {
                    return Err(SimError::invalid(
                        "precision (epsilon)",
                        "a number in (0, 1)",
                        epsilon,
                    ));
                }
                if min < 2 {
                    return Err(SimError::invalid(
                        "minimum replications",
                        "an integer ≥ 2",
                        min,
                    ));
                }
                if max < min {
                    return Err(SimError::invalid(
                        "maximum replications",
                        format!("an integer ≥ the minimum ({min})"),
                        max,
                    ));
                }
            }
        }
        if let Some(n) = self.threads
            && !(1..=Self::MAX_THREADS).contains(&n)
        {
            return Err(SimError::invalid(
                "threads",
                format!("an integer in [1, {}]", Self::MAX_THREADS),
                n,
            ));
        }
        if self.series_points < 2 {
            return Err(SimError::invalid(
                "series points",
                "an integer ≥ 2",
                self.series_points,
            ));
        }
        Ok(())
    }

    /// Checks that a horizon and a fixed warm-up hold at most
    /// [`MAX_CUSTOMERS`](Self::MAX_CUSTOMERS) arrivals at `arrival_rate`.
    pub(crate) fn validate_length(&self, arrival_rate: f64) -> Result<(), SimError> {
        let max = Self::MAX_CUSTOMERS as f64;
        let check = |field: &str, t: f64| {
            if t * arrival_rate <= max {
                return Ok(());
            }
            Err(SimError::invalid(
                field,
                format!(
                    "a time ≤ {} ({max:e} arrivals at the arrival rate {})",
                    number(max / arrival_rate),
                    number(arrival_rate)
                ),
                number(t),
            ))
        };
        if let Stop::Horizon(t) = self.stop {
            check("horizon", t)?;
        }
        if let Warmup::Fixed(t) = self.warmup {
            check("warm-up", t)?;
        }
        Ok(())
    }
}
