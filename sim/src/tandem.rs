//! Pipelines: stations in series (a tandem network), the shape of a message-processing
//! pipeline. Customers enter at the first stage, are served FIFO at each stage in turn and
//! leave after the last; a customer that finds a stage full is dropped there and counted lost.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::distribution::Distribution;
use crate::error::SimError;
use crate::scenario::Station;

/// One stage of a pipeline: its service, servers c ≥ 1 and capacity K ≥ c (or unbounded).
///
/// ```
/// use kendall_sim::{Distribution, Stage};
/// let s = Stage::new(Distribution::exponential(2.0)?, 1, Some(10))?;
/// assert_eq!(s.capacity, Some(10));
/// assert!(Stage::new(Distribution::exponential(2.0)?, 2, Some(1)).is_err());
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    /// Service time distribution.
    pub service: Distribution,
    /// Number of servers c ≥ 1.
    pub servers: usize,
    /// Capacity K (waiting plus in service, K ≥ c), or `None` for unbounded.
    #[serde(default)]
    pub capacity: Option<usize>,
}

impl Stage {
    /// A checked stage.
    ///
    /// ```
    /// use kendall_sim::{Distribution, Stage};
    /// assert!(Stage::new(Distribution::deterministic(1.0)?, 0, None).is_err());
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn new(
        service: Distribution,
        servers: usize,
        capacity: Option<usize>,
    ) -> Result<Self, SimError> {
        let s = Stage {
            service,
            servers,
            capacity,
        };
        s.validate(None)?;
        Ok(s)
    }

    /// Checks `1 ≤ c ≤` [`Station::MAX_SERVERS`] and `K ≥ c`; `index` (a pipeline's stage)
    /// prefixes the field, so a caller that names the stage itself passes `None`.
    fn validate(&self, index: Option<usize>) -> Result<(), SimError> {
        let name = |what: &str| match index {
            Some(i) => format!("stage {} {what}", i + 1),
            None => what.to_string(),
        };
        if self.servers == 0 || self.servers > Station::MAX_SERVERS {
            return Err(SimError::invalid(
                name("servers (c)"),
                format!("an integer in [1, {}]", Station::MAX_SERVERS),
                self.servers,
            ));
        }
        if let Some(k) = self.capacity
            && k < self.servers
        {
            return Err(SimError::invalid(
                name("capacity (K)"),
                format!("an integer ≥ servers ({})", self.servers),
                k,
            ));
        }
        Ok(())
    }

    /// Load per server ρ = λ·E\[S\]/c at arrival rate `lambda`.
    ///
    /// ```
    /// use kendall_sim::{Distribution, Stage};
    /// assert_eq!(Stage::new(Distribution::deterministic(1.0)?, 2, None)?.rho(1.0), 0.5);
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn rho(&self, lambda: f64) -> f64 {
        lambda * self.service.mean() / self.servers as f64
    }
}

/// Stations in series fed by one arrival stream.
///
/// ```
/// use kendall_sim::{Distribution, Scenario, Stage, Tandem};
/// let t = Tandem::new(
///     Distribution::exponential(0.5)?,
///     vec![Stage::new(Distribution::exponential(1.0)?, 1, None)?, Stage::new(Distribution::exponential(2.0)?, 1, None)?],
/// )?;
/// assert_eq!(t.kendall(), "M/M/1 → ·/M/1");
/// let _ = Scenario::from(t);
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tandem {
    /// Inter-arrival time distribution at the first stage.
    pub arrival: Distribution,
    /// The stages, first to last (at least one).
    pub stages: Vec<Stage>,
}

impl Tandem {
    /// A checked pipeline.
    ///
    /// ```
    /// use kendall_sim::{Distribution, Tandem};
    /// let e = Tandem::new(Distribution::exponential(1.0)?, vec![]).unwrap_err();
    /// assert_eq!(e.to_string(), "stages must be at least 1 stage, got 0");
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn new(arrival: Distribution, stages: Vec<Stage>) -> Result<Self, SimError> {
        let t = Tandem { arrival, stages };
        t.validate()?;
        Ok(t)
    }

    /// Checks every stage (`c ≥ 1`, `K ≥ c`) and that there is at least one.
    ///
    /// ```
    /// use kendall_sim::{Distribution, Stage, Tandem};
    /// let mut t = Tandem::new(Distribution::exponential(1.0)?, vec![Stage::new(Distribution::exponential(2.0)?, 1, None)?])?;
    /// t.stages[0].capacity = Some(0);
    /// assert_eq!(t.validate().unwrap_err().to_string(), "stage 1 capacity (K) must be an integer ≥ servers (1), got 0");
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn validate(&self) -> Result<(), SimError> {
        if self.stages.is_empty() {
            return Err(SimError::invalid("stages", "at least 1 stage", 0));
        }
        let lambda = self.arrival_rate();
        for (i, s) in self.stages.iter().enumerate() {
            s.validate(Some(i))?;
            let rho = s.rho(lambda);
            if !rho.is_finite() {
                return Err(SimError::invalid(
                    format!("stage {} load λ·E[S]/c", i + 1),
                    crate::error::FINITE_LOAD,
                    rho,
                ));
            }
        }
        Ok(())
    }

    /// Arrival rate λ into the first stage.
    ///
    /// ```
    /// use kendall_sim::{Distribution, Stage, Tandem};
    /// let t = Tandem::new(Distribution::exponential(0.5)?, vec![Stage::new(Distribution::exponential(1.0)?, 1, None)?])?;
    /// assert_eq!(t.arrival_rate(), 0.5);
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn arrival_rate(&self) -> f64 {
        self.arrival.rate()
    }

    /// Kendall notation of each stage joined by arrows; later stages' arrivals are `·` (the
    /// previous stage's departures).
    ///
    /// ```
    /// use kendall_sim::{Distribution, Stage, Tandem};
    /// let t = Tandem::new(Distribution::deterministic(1.0)?, vec![Stage::new(Distribution::exponential(2.0)?, 2, Some(4))?])?;
    /// assert_eq!(t.kendall(), "D/M/2/4");
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn kendall(&self) -> String {
        let mut parts = Vec::with_capacity(self.stages.len());
        for (i, s) in self.stages.iter().enumerate() {
            let a = if i == 0 {
                self.arrival.kendall_symbol()
            } else {
                "·".to_string()
            };
            let mut p = format!("{a}/{}/{}", s.service.kendall_symbol(), s.servers);
            if let Some(k) = s.capacity {
                p.push_str(&format!("/{k}"));
            }
            parts.push(p);
        }
        parts.join(" → ")
    }
}

impl fmt::Display for Tandem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (arrival {}", self.kendall(), self.arrival)?;
        for (i, s) in self.stages.iter().enumerate() {
            write!(f, ", stage {} service {}", i + 1, s.service)?;
        }
        write!(f, ")")
    }
}
