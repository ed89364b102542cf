//! What is simulated: a G/G/c/K station (FIFO, arrivals dropped and counted when full), built
//! in code or from Kendall notation such as `M/M/1`, `M/D/2/10` or `G/G/3`.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::distribution::Distribution;
use crate::error::{SimError, positive};
use crate::tandem::Tandem;

/// One FIFO queueing station of Kendall type A/S/c/K.
///
/// `capacity` is K, the most customers in the system (waiting plus in service), `K ≥ c`;
/// `None` means unbounded. An arrival that finds the station full is lost and counted.
/// The fields are public for convenience; [`Station::new`] and [`Station::with_capacity`]
/// check them, and so do [`simulate`](crate::simulate) and [`predict`](crate::theory::predict).
///
/// ```
/// use kendall_sim::{Distribution, Station};
/// let s = Station::new(Distribution::exponential(0.8)?, Distribution::exponential(1.0)?, 1)?
///     .with_capacity(5)?;
/// assert_eq!(s.kendall(), "M/M/1/5");
/// assert!((s.offered_load() - 0.8).abs() < 1e-12);
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Station {
    /// Inter-arrival time distribution.
    pub arrival: Distribution,
    /// Service time distribution.
    pub service: Distribution,
    /// Number of servers c ≥ 1; [`Station::INFINITE_SERVERS`] for an infinite-server station.
    pub servers: usize,
    /// Capacity K (total in system, K ≥ c), or `None` for unbounded.
    #[serde(default)]
    pub capacity: Option<usize>,
}

impl Station {
    /// The `servers` value of an infinite-server station (M/G/∞): nobody ever waits.
    pub const INFINITE_SERVERS: usize = usize::MAX;
    /// The most (finite) servers: Erlang B/C and M/M/c/K take O(c) steps, so this keeps
    /// theory instant.
    pub const MAX_SERVERS: usize = 1_000_000;

    /// A station with `servers` servers and unbounded capacity.
    ///
    /// ```
    /// use kendall_sim::{Distribution, Station};
    /// let e = Station::new(Distribution::exponential(1.0)?, Distribution::exponential(1.0)?, 0);
    /// assert_eq!(e.unwrap_err().to_string(), "servers (c) must be an integer ≥ 1, got 0");
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn new(
        arrival: Distribution,
        service: Distribution,
        servers: usize,
    ) -> Result<Self, SimError> {
        let s = Station {
            arrival,
            service,
            servers,
            capacity: None,
        };
        s.validate()?;
        Ok(s)
    }

    /// The same station with capacity K (total in system, `K ≥ c`).
    ///
    /// ```
    /// use kendall_sim::{Distribution, Station};
    /// let s = Station::new(Distribution::exponential(1.0)?, Distribution::exponential(1.0)?, 2)?;
    /// assert!(s.clone().with_capacity(1).is_err());
    /// assert_eq!(s.with_capacity(2)?.capacity, Some(2));
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn with_capacity(mut self, capacity: usize) -> Result<Self, SimError> {
        self.capacity = Some(capacity);
        self.validate()?;
        Ok(self)
    }

    /// Checks `1 ≤ c ≤` [`MAX_SERVERS`](Self::MAX_SERVERS) (or infinite), `K ≥ c`, and that the
    /// offered load λ/μ is finite.
    ///
    /// ```
    /// use kendall_sim::{Distribution, Station};
    /// let mut s = Station::new(Distribution::exponential(1.0)?, Distribution::exponential(1.0)?, 3)?;
    /// s.capacity = Some(2);
    /// assert_eq!(s.validate().unwrap_err().to_string(), "capacity (K) must be an integer ≥ servers (3), got 2");
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn validate(&self) -> Result<(), SimError> {
        if self.servers == 0 {
            return Err(SimError::invalid("servers (c)", "an integer ≥ 1", 0));
        }
        if self.servers > Self::MAX_SERVERS && !self.is_infinite_server() {
            return Err(SimError::invalid(
                "servers (c)",
                format!("an integer in [1, {}], or inf", Self::MAX_SERVERS),
                self.servers,
            ));
        }
        let a = self.offered_load();
        if !a.is_finite() {
            return Err(SimError::invalid(
                "offered load λ/μ",
                crate::error::FINITE_LOAD,
                a,
            ));
        }
        if let Some(k) = self.capacity
            && k < self.servers
        {
            let c = if self.is_infinite_server() {
                "∞".to_string()
            } else {
                self.servers.to_string()
            };
            return Err(SimError::invalid(
                "capacity (K)",
                format!("an integer ≥ servers ({c})"),
                k,
            ));
        }
        Ok(())
    }

    /// Whether this is an infinite-server station.
    ///
    /// ```
    /// use kendall_sim::Scenario;
    /// let s = Scenario::from_kendall("M/M/inf", 1.0, 1.0)?;
    /// assert!(s.as_station().unwrap().is_infinite_server());
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn is_infinite_server(&self) -> bool {
        self.servers == Self::INFINITE_SERVERS
    }

    /// Arrival rate λ = 1 / mean inter-arrival time.
    ///
    /// ```
    /// use kendall_sim::Scenario;
    /// assert_eq!(Scenario::from_kendall("M/M/1", 0.9, 1.0)?.as_station().unwrap().arrival_rate(), 0.9);
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn arrival_rate(&self) -> f64 {
        self.arrival.rate()
    }

    /// Service rate μ of one server = 1 / mean service time.
    ///
    /// ```
    /// use kendall_sim::Scenario;
    /// assert_eq!(Scenario::from_kendall("M/D/1", 0.9, 2.0)?.as_station().unwrap().service_rate(), 2.0);
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn service_rate(&self) -> f64 {
        self.service.rate()
    }

    /// Offered load a = λ/μ in Erlang.
    ///
    /// ```
    /// use kendall_sim::Scenario;
    /// assert_eq!(Scenario::from_kendall("M/M/10", 8.0, 1.0)?.as_station().unwrap().offered_load(), 8.0);
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn offered_load(&self) -> f64 {
        self.arrival_rate() / self.service_rate()
    }

    /// Load per server ρ = λ/(cμ); 0 for an infinite-server station. The station is unstable
    /// when ρ ≥ 1 and capacity is unbounded.
    ///
    /// ```
    /// use kendall_sim::Scenario;
    /// assert_eq!(Scenario::from_kendall("M/M/3", 0.2, 0.1)?.as_station().unwrap().rho(), 2.0 / 3.0);
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn rho(&self) -> f64 {
        if self.is_infinite_server() {
            0.0
        } else {
            self.offered_load() / self.servers as f64
        }
    }

    /// The station in Kendall notation, e.g. `M/M/1`, `M/D/2/10`, `E2/G/3`, `M/M/∞`.
    ///
    /// ```
    /// use kendall_sim::Scenario;
    /// assert_eq!(Scenario::from_kendall("M/D/2/10", 1.0, 1.0)?.as_station().unwrap().kendall(), "M/D/2/10");
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn kendall(&self) -> String {
        let c = if self.is_infinite_server() {
            "∞".to_string()
        } else {
            self.servers.to_string()
        };
        let mut s = format!(
            "{}/{}/{}",
            self.arrival.kendall_symbol(),
            self.service.kendall_symbol(),
            c
        );
        if let Some(k) = self.capacity {
            s.push_str(&format!("/{k}"));
        }
        s
    }
}

impl fmt::Display for Station {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (arrival {}, service {})",
            self.kendall(),
            self.arrival,
            self.service
        )
    }
}

/// A model to simulate or predict: a single G/G/c/K station or a pipeline of stations. The
/// enum is `#[non_exhaustive]` so that networks can be added without breaking callers.
///
/// ```
/// use kendall_sim::{Distribution, Scenario, Station};
/// let a = Scenario::from_kendall("M/M/1", 0.9, 1.0)?;
/// let b = Scenario::from(Station::new(Distribution::exponential(0.9)?, Distribution::exponential(1.0)?, 1)?);
/// assert_eq!(a, b);
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Scenario {
    /// One G/G/c/K station.
    Station(Station),
    /// Stations in series.
    Tandem(Tandem),
}

impl From<Tandem> for Scenario {
    fn from(t: Tandem) -> Self {
        Scenario::Tandem(t)
    }
}

impl From<Station> for Scenario {
    fn from(s: Station) -> Self {
        Scenario::Station(s)
    }
}

impl Scenario {
    /// A station from Kendall notation and two rates: `M` is exponential with that rate, `D`
    /// deterministic with mean `1/rate`, `Ek` Erlang-k with mean `1/rate`. The number of
    /// servers may be `inf` or `∞`; capacity K is optional. `G`/`GI` need explicit
    /// distributions: use [`Scenario::from_kendall_with`].
    ///
    /// ```
    /// use kendall_sim::Scenario;
    /// let s = Scenario::from_kendall("M/D/2/10", 1.5, 1.0)?;
    /// let st = s.as_station().unwrap();
    /// assert_eq!((st.servers, st.capacity), (2, Some(10)));
    /// assert!(Scenario::from_kendall("G/G/1", 1.0, 1.0).is_err());
    /// assert!(Scenario::from_kendall("M/M/1", -1.0, 1.0).is_err());
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn from_kendall(
        notation: &str,
        arrival_rate: f64,
        service_rate: f64,
    ) -> Result<Self, SimError> {
        let n = KendallNotation::parse(notation)?;
        let arrival_rate = positive("arrival rate", arrival_rate)?;
        let service_rate = positive("service rate", service_rate)?;
        let arrival = n.arrival.with_rate(arrival_rate, notation, "arrival")?;
        let service = n.service.with_rate(service_rate, notation, "service")?;
        n.station(arrival, service)
    }

    /// A station from Kendall notation with explicit distributions, which must match the
    /// letters (`M` exponential, `D` deterministic, `Ek` Erlang-k, `G`/`GI` anything).
    ///
    /// ```
    /// use kendall_sim::{Distribution, Scenario};
    /// let s = Scenario::from_kendall_with(
    ///     "G/G/3",
    ///     "h2:mean=1,cv=2".parse()?,
    ///     Distribution::lognormal(2.5, 0.5)?,
    /// )?;
    /// assert_eq!(s.as_station().unwrap().servers, 3);
    /// assert!(Scenario::from_kendall_with("M/M/1", Distribution::deterministic(1.0)?, Distribution::exponential(1.0)?).is_err());
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn from_kendall_with(
        notation: &str,
        arrival: Distribution,
        service: Distribution,
    ) -> Result<Self, SimError> {
        let n = KendallNotation::parse(notation)?;
        n.arrival.check(&arrival, notation, "arrival")?;
        n.service.check(&service, notation, "service")?;
        n.station(arrival, service)
    }

    /// A single station from its parts; `capacity` `None` is unbounded.
    ///
    /// ```
    /// use kendall_sim::{Distribution, Scenario};
    /// let s = Scenario::station(Distribution::exponential(0.8)?, Distribution::exponential(1.0)?, 1, Some(5))?;
    /// assert_eq!(s.kendall(), "M/M/1/5");
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn station(
        arrival: Distribution,
        service: Distribution,
        servers: usize,
        capacity: Option<usize>,
    ) -> Result<Self, SimError> {
        let s = Station {
            arrival,
            service,
            servers,
            capacity,
        };
        s.validate()?;
        Ok(Scenario::Station(s))
    }

    /// The station, if this scenario is a single station.
    ///
    /// ```
    /// use kendall_sim::Scenario;
    /// assert!(Scenario::from_kendall("M/M/1", 0.5, 1.0)?.as_station().is_some());
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn as_station(&self) -> Option<&Station> {
        match self {
            Scenario::Station(s) => Some(s),
            Scenario::Tandem(_) => None,
        }
    }

    /// The pipeline, if this scenario is one.
    ///
    /// ```
    /// use kendall_sim::Scenario;
    /// assert!(Scenario::from_kendall("M/M/1", 0.5, 1.0)?.as_tandem().is_none());
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn as_tandem(&self) -> Option<&Tandem> {
        match self {
            Scenario::Tandem(t) => Some(t),
            Scenario::Station(_) => None,
        }
    }

    /// Checks every parameter (useful after editing public fields or deserialising).
    ///
    /// ```
    /// use kendall_sim::Scenario;
    /// assert!(Scenario::from_kendall("M/M/1", 0.5, 1.0)?.validate().is_ok());
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn validate(&self) -> Result<(), SimError> {
        match self {
            Scenario::Station(s) => s.validate(),
            Scenario::Tandem(t) => t.validate(),
        }
    }

    /// The scenario in Kendall notation.
    ///
    /// ```
    /// use kendall_sim::Scenario;
    /// assert_eq!(Scenario::from_kendall("m/m/3", 0.2, 0.1)?.kendall(), "M/M/3");
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn kendall(&self) -> String {
        match self {
            Scenario::Station(s) => s.kendall(),
            Scenario::Tandem(t) => t.kendall(),
        }
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scenario::Station(s) => s.fmt(f),
            Scenario::Tandem(t) => t.fmt(f),
        }
    }
}

/// One letter of Kendall notation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Letter {
    Markov,
    Deterministic,
    Erlang(u32),
    General,
}

impl Letter {
    fn parse(text: &str, notation: &str) -> Result<Self, SimError> {
        let t = text.trim().to_ascii_uppercase();
        match t.as_str() {
            "M" => Ok(Letter::Markov),
            "D" => Ok(Letter::Deterministic),
            "G" | "GI" => Ok(Letter::General),
            _ if t.starts_with('E') => match t[1..].parse::<u32>() {
                Ok(k) if (1..=Distribution::MAX_ERLANG_PHASES).contains(&k) => {
                    Ok(Letter::Erlang(k))
                }
                _ => Err(unknown(
                    notation,
                    &format!(
                        "'{text}' is not a letter: Erlang needs a phase count in [1, {}], e.g. E2",
                        Distribution::MAX_ERLANG_PHASES
                    ),
                )),
            },
            _ => Err(unknown(
                notation,
                &format!("'{text}' is not one of M, D, Ek, G, GI"),
            )),
        }
    }

    fn with_rate(self, rate: f64, notation: &str, side: &str) -> Result<Distribution, SimError> {
        match self {
            Letter::Markov => Distribution::exponential(rate),
            Letter::Deterministic => Distribution::deterministic(1.0 / rate),
            Letter::Erlang(k) => Distribution::erlang(k, rate),
            Letter::General => Err(unknown(
                notation,
                &format!(
                    "G (general) {side} needs an explicit distribution; use Scenario::from_kendall_with"
                ),
            )),
        }
    }

    fn check(self, d: &Distribution, notation: &str, side: &str) -> Result<(), SimError> {
        let ok = match self {
            Letter::Markov => d.is_exponential(),
            Letter::Deterministic => d.is_deterministic(),
            Letter::Erlang(k) => {
                d.kendall_symbol() == format!("E{k}") || (k == 1 && d.is_exponential())
            }
            Letter::General => true,
        };
        if ok {
            Ok(())
        } else {
            let want = match self {
                Letter::Markov => "exponential".to_string(),
                Letter::Deterministic => "deterministic".to_string(),
                Letter::Erlang(k) => format!("Erlang with {k} phases"),
                Letter::General => unreachable!("G accepts every distribution"),
            };
            Err(SimError::invalid(
                format!("{side} distribution"),
                format!("{want} (as '{notation}' says)"),
                d,
            ))
        }
    }
}

fn unknown(notation: &str, reason: &str) -> SimError {
    SimError::UnknownNotation {
        input: notation.to_string(),
        reason: reason.to_string(),
    }
}

/// Parsed `A/S/c[/K]`.
struct KendallNotation {
    arrival: Letter,
    service: Letter,
    servers: usize,
    capacity: Option<usize>,
}

impl KendallNotation {
    fn parse(notation: &str) -> Result<Self, SimError> {
        let parts: Vec<&str> = notation.split('/').collect();
        if !(3..=4).contains(&parts.len()) {
            return Err(unknown(
                notation,
                "expected A/S/c or A/S/c/K, e.g. M/M/1 or M/D/2/10",
            ));
        }
        let arrival = Letter::parse(parts[0], notation)?;
        let service = Letter::parse(parts[1], notation)?;
        let servers = match parts[2].trim() {
            "inf" | "∞" | "INF" | "Inf" => Station::INFINITE_SERVERS,
            c => c.parse::<usize>().map_err(|_| {
                unknown(
                    notation,
                    &format!("servers '{c}' is not a whole number ≥ 1 or 'inf'"),
                )
            })?,
        };
        let capacity = match parts.get(3).map(|k| k.trim()) {
            None | Some("inf" | "∞" | "INF" | "Inf") => None,
            Some(k) => Some(k.parse::<usize>().map_err(|_| {
                unknown(
                    notation,
                    &format!("capacity '{k}' is not a whole number or 'inf'"),
                )
            })?),
        };
        Ok(KendallNotation {
            arrival,
            service,
            servers,
            capacity,
        })
    }

    fn station(&self, arrival: Distribution, service: Distribution) -> Result<Scenario, SimError> {
        Scenario::station(arrival, service, self.servers, self.capacity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notation_errors() {
        for bad in [
            "M/M",
            "M/M/1/2/3",
            "X/M/1",
            "M/M/0",
            "M/M/-1",
            "M/M/two",
            "M/M/2/1",
            "E0/M/1",
            "M/E1001/1",
            "M/E4000000000/1",
            "M/M/1/x",
            "M/M/1000001",
            "M/M/4294967296/4294967296",
        ] {
            assert!(
                Scenario::from_kendall(bad, 1.0, 2.0).is_err(),
                "{bad} accepted"
            );
        }
        assert!(matches!(
            Scenario::from_kendall("M/M/0", 1.0, 1.0),
            Err(SimError::InvalidParameter { .. })
        ));
        assert!(matches!(
            Scenario::from_kendall("Q/M/1", 1.0, 1.0),
            Err(SimError::UnknownNotation { .. })
        ));
        let e = Scenario::from_kendall("M/E99999999999/1", 1.0, 1.0).unwrap_err();
        assert!(e.to_string().contains("phase count in [1, 1000]"), "{e}");
        let e = Scenario::from_kendall("M/M/2000000", 1.0, 1.0).unwrap_err();
        assert!(e.to_string().contains("[1, 1000000], or inf"), "{e}");
        // Each rate is fine, but λ/μ overflows.
        let e = Scenario::from_kendall("M/M/1", 1e300, 1e-100).unwrap_err();
        assert!(
            e.to_string().starts_with("offered load λ/μ must be finite"),
            "{e}"
        );
        let e = Scenario::from_kendall("M/M/1", 1.0, f64::NAN).unwrap_err();
        assert_eq!(
            e.to_string(),
            "service rate must be a finite number > 0, got NaN"
        );
    }

    #[test]
    fn erlang_and_infinite() {
        let s = Scenario::from_kendall("E3/M/inf", 1.0, 2.0).unwrap();
        assert_eq!(s.kendall(), "E3/M/∞");
        assert!(Scenario::from_kendall("M/M/inf/10", 1.0, 1.0).is_err());
    }

    #[test]
    fn serde_round_trip() {
        let s = Scenario::from_kendall("M/D/2/10", 1.5, 1.0).unwrap();
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Scenario>(&json).unwrap(), s);
    }
}
