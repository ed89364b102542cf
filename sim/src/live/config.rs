//! How to run a scenario live: the time scale (real seconds per model time unit), when to
//! stop, the warm-up, the seed and the spin window of the precise waits.

use serde::{Deserialize, Serialize};

use crate::config::Stop;
use crate::error::{SimError, number};

/// Everything about a live run except the model. Build with [`LiveConfig::default`] and the
/// chainable setters.
///
/// ```
/// use kendall_sim::live::LiveConfig;
/// let cfg = LiveConfig::default().time_scale(1e-4).customers(2_000).warmup_customers(200).seed(7);
/// assert!(cfg.validate().is_ok());
/// assert!(LiveConfig::default().time_scale(0.0).validate().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiveConfig {
    /// Real seconds per model time unit: with `1e-3` an M/M/1 with μ = 1 serves in about 1 ms.
    pub time_scale: f64,
    /// When arrivals stop, counted after the warm-up: arrivals (accepted or lost), or model
    /// time. The customers still in the station are then served to the end.
    pub stop: Stop,
    /// Arrivals released before statistics start (the run starts empty and idle).
    pub warmup_customers: u64,
    /// The run seed; arrival and service times come from the streams `"arrival"` and
    /// `"service"` of replication 0, as in [`simulate`](crate::simulate).
    pub seed: u64,
    /// Microseconds before each deadline at which a thread stops sleeping and spins.
    pub spin_us: f64,
    /// Most points kept in the queue-length-over-time series (≥ 2).
    pub series_points: usize,
}

impl Default for LiveConfig {
    /// 1 ms per model time unit, 5 000 customers after 500 warm-up arrivals, seed 1, an 80 µs
    /// spin window, 500 series points.
    fn default() -> Self {
        LiveConfig {
            time_scale: 1e-3,
            stop: Stop::Customers(5_000),
            warmup_customers: 500,
            seed: 1,
            spin_us: 80.0,
            series_points: 500,
        }
    }
}

impl LiveConfig {
    /// The smallest time scale accepted, 1 µs per model time unit: below it every service
    /// and gap is shorter than the timer and scheduling delay, so the run measures the machine.
    pub const MIN_TIME_SCALE: f64 = 1e-6;
    /// The largest time scale accepted: an hour per model time unit.
    pub const MAX_TIME_SCALE: f64 = 3600.0;
    /// The largest spin window accepted, in microseconds.
    pub const MAX_SPIN_US: f64 = 10_000.0;
    /// The most arrivals (warm-up plus customers) a run accepts: each is kept until the end,
    /// about 140 bytes apiece, so this bounds memory near 1.4 GB.
    pub const MAX_ARRIVALS: u64 = 10_000_000;

    /// Set the real seconds per model time unit.
    ///
    /// ```
    /// use kendall_sim::live::LiveConfig;
    /// assert_eq!(LiveConfig::default().time_scale(2e-3).time_scale, 2e-3);
    /// ```
    pub fn time_scale(mut self, seconds_per_unit: f64) -> Self {
        self.time_scale = seconds_per_unit;
        self
    }

    /// Stop after `n` arrivals past the warm-up.
    ///
    /// ```
    /// use kendall_sim::{Stop, live::LiveConfig};
    /// assert_eq!(LiveConfig::default().customers(9).stop, Stop::Customers(9));
    /// ```
    pub fn customers(mut self, n: u64) -> Self {
        self.stop = Stop::Customers(n);
        self
    }

    /// Stop releasing arrivals `t` model time units after the warm-up.
    ///
    /// ```
    /// use kendall_sim::{Stop, live::LiveConfig};
    /// assert_eq!(LiveConfig::default().horizon(50.0).stop, Stop::Horizon(50.0));
    /// ```
    pub fn horizon(mut self, t: f64) -> Self {
        self.stop = Stop::Horizon(t);
        self
    }

    /// Set the number of warm-up arrivals.
    ///
    /// ```
    /// use kendall_sim::live::LiveConfig;
    /// assert_eq!(LiveConfig::default().warmup_customers(0).warmup_customers, 0);
    /// ```
    pub fn warmup_customers(mut self, n: u64) -> Self {
        self.warmup_customers = n;
        self
    }

    /// Set the run seed.
    ///
    /// ```
    /// use kendall_sim::live::LiveConfig;
    /// assert_eq!(LiveConfig::default().seed(3).seed, 3);
    /// ```
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Set the spin window in microseconds (0: sleep only).
    ///
    /// ```
    /// use kendall_sim::live::LiveConfig;
    /// assert_eq!(LiveConfig::default().spin_us(0.0).spin_us, 0.0);
    /// ```
    pub fn spin_us(mut self, us: f64) -> Self {
        self.spin_us = us;
        self
    }

    /// Checks every field.
    ///
    /// ```
    /// use kendall_sim::live::LiveConfig;
    /// let e = LiveConfig::default().time_scale(-1.0).validate().unwrap_err();
    /// assert_eq!(e.to_string(), "time scale (seconds per model time unit) must be a number in [1e-6, 3600], got -1");
    /// let e = LiveConfig::default().time_scale(1e-300).validate().unwrap_err();
    /// assert!(e.to_string().ends_with("got 1e-300"));
    /// assert!(LiveConfig::default().customers(0).validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), SimError> {
        let t = self.time_scale;
        if !(Self::MIN_TIME_SCALE..=Self::MAX_TIME_SCALE).contains(&t) {
            return Err(SimError::invalid(
                "time scale (seconds per model time unit)",
                "a number in [1e-6, 3600]",
                number(t),
            ));
        }
        match self.stop {
            Stop::Customers(0) => return Err(SimError::invalid("customers", "an integer ≥ 1", 0)),
            Stop::Customers(n) if n.saturating_add(self.warmup_customers) > Self::MAX_ARRIVALS => {
                return Err(SimError::invalid(
                    "warm-up plus customers",
                    format!("an integer ≤ {}", Self::MAX_ARRIVALS),
                    format!("{} + {n}", self.warmup_customers),
                ));
            }
            Stop::Customers(_) => {}
            Stop::Horizon(h) if !(h.is_finite() && h > 0.0) => {
                return Err(SimError::invalid("horizon", "a finite number > 0", h));
            }
            Stop::Horizon(_) => {}
        }
        let s = self.spin_us;
        if !(s.is_finite() && (0.0..=Self::MAX_SPIN_US).contains(&s)) {
            return Err(SimError::invalid(
                "spin window (µs)",
                "a finite number in [0, 10000]",
                s,
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
}
