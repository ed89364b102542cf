//! The command-line syntax of a distribution (`exp:0.9`, `h2:mean=1,cv=2`, …): parsing,
//! `Display` back to it, and the serde form built on both.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{Distribution, Kind};
use crate::error::SimError;

impl fmt::Display for Distribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Exponential { rate } => write!(f, "exp:{rate}"),
            Kind::Deterministic { value } => write!(f, "det:{value}"),
            Kind::Uniform { lo, hi } => write!(f, "uniform:{lo}:{hi}"),
            Kind::Erlang { k, rate } => write!(f, "erlang:{k}:{rate}"),
            Kind::Hyperexponential { mean, cv } => write!(f, "h2:mean={mean},cv={cv}"),
            Kind::Lognormal { mean, cv } => write!(f, "lognormal:mean={mean},cv={cv}"),
            Kind::Pareto { mean, shape } => write!(f, "pareto:mean={mean},shape={shape}"),
            Kind::Trace { values, cycle } => {
                write!(
                    f,
                    "trace:{}values,{}",
                    values.len(),
                    if *cycle { "cycle" } else { "once" }
                )
            }
        }
    }
}

pub(super) fn erlang_phases() -> String {
    format!("an integer in [1, {}]", Distribution::MAX_ERLANG_PHASES)
}

const SYNTAX: &str = "expected exp:RATE, det:VALUE, erlang:K:RATE, uniform:LO:HI, \
                      h2:mean=M,cv=C, lognormal:mean=M,cv=C or pareto:mean=M,shape=A";

impl FromStr for Distribution {
    type Err = SimError;

    /// Parses the command-line syntax, e.g. `exp:0.9` or `lognormal:mean=1,cv=0.5`.
    fn from_str(s: &str) -> Result<Self, SimError> {
        let bad = |reason: &str| SimError::UnknownDistribution {
            input: s.to_string(),
            reason: reason.to_string(),
        };
        let text = s.trim();
        let (family, rest) = text.split_once(':').ok_or_else(|| bad(SYNTAX))?;
        let number = |field: &str, v: &str| -> Result<f64, SimError> {
            v.trim()
                .parse::<f64>()
                .map_err(|_| SimError::invalid(field, "a number", format!("'{}'", v.trim())))
        };
        let positional = |names: &[&str]| -> Result<Vec<f64>, SimError> {
            let parts: Vec<&str> = rest.split(':').collect();
            if parts.len() != names.len() {
                return Err(bad(&format!(
                    "{family} takes {} value(s): {family}:{}",
                    names.len(),
                    names.join(":")
                )));
            }
            names.iter().zip(parts).map(|(n, p)| number(n, p)).collect()
        };
        let named = |first: &str, second: &str| -> Result<(f64, f64), SimError> {
            let mut a = None;
            let mut b = None;
            for part in rest.split(',') {
                let (key, value) = part
                    .split_once('=')
                    .ok_or_else(|| bad(&format!("{family} takes {first}=…,{second}=…")))?;
                let slot = match key.trim() {
                    k if k == first => &mut a,
                    k if k == second => &mut b,
                    other => {
                        return Err(bad(&format!(
                            "unknown key '{other}'; {family} takes {first}=…,{second}=…"
                        )));
                    }
                };
                if slot.is_some() {
                    return Err(bad(&format!(
                        "{} is given twice; {family} takes {first}=…,{second}=…",
                        key.trim()
                    )));
                }
                *slot = Some(number(key.trim(), value)?);
            }
            match (a, b) {
                (Some(a), Some(b)) => Ok((a, b)),
                _ => Err(bad(&format!(
                    "{family} needs both {first}=… and {second}=…"
                ))),
            }
        };
        match family.trim().to_ascii_lowercase().as_str() {
            "exp" | "exponential" | "m" => Self::exponential(positional(&["rate"])?[0]),
            "det" | "deterministic" | "d" => Self::deterministic(positional(&["value"])?[0]),
            "uniform" | "u" => {
                let v = positional(&["lo", "hi"])?;
                Self::uniform(v[0], v[1])
            }
            "erlang" | "e" => {
                let parts: Vec<&str> = rest.split(':').collect();
                if parts.len() != 2 {
                    return Err(bad("erlang takes 2 values: erlang:K:RATE"));
                }
                let k = parts[0].trim().parse::<u32>().map_err(|_| {
                    SimError::invalid(
                        "phases (k)",
                        erlang_phases(),
                        format!("'{}'", parts[0].trim()),
                    )
                })?;
                Self::erlang(k, number("rate", parts[1])?)
            }
            "h2" | "hyperexponential" => {
                let (m, c) = named("mean", "cv")?;
                Self::hyperexponential(m, c)
            }
            "lognormal" | "lognorm" => {
                let (m, c) = named("mean", "cv")?;
                Self::lognormal(m, c)
            }
            "pareto" => {
                let (m, a) = named("mean", "shape")?;
                Self::pareto(m, a)
            }
            "trace" => Err(bad(
                "a trace is read from a file; build it with Distribution::trace",
            )),
            _ => Err(bad(SYNTAX)),
        }
    }
}

/// The serde form: the command-line string, or a trace as a list.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
pub(super) enum Repr {
    Text(String),
    Trace { trace: Vec<f64>, cycle: bool },
}

impl TryFrom<Repr> for Distribution {
    type Error = SimError;
    fn try_from(r: Repr) -> Result<Self, SimError> {
        match r {
            Repr::Text(s) => s.parse(),
            Repr::Trace { trace, cycle } => Distribution::trace(trace, cycle),
        }
    }
}

impl From<Distribution> for Repr {
    fn from(d: Distribution) -> Repr {
        match d.kind {
            Kind::Trace { values, cycle } => Repr::Trace {
                trace: values.to_vec(),
                cycle,
            },
            _ => Repr::Text(d.to_string()),
        }
    }
}
