//! The one error type of the simulator: every bad input names its field and the allowed range.

use std::fmt;

/// Everything that can go wrong when building or running a scenario.
///
/// `Display` prints one clear line that names the field and what is allowed, so a command line
/// can show it as is.
///
/// ```
/// use kendall_sim::Distribution;
/// let err = Distribution::exponential(-1.0).unwrap_err();
/// assert_eq!(err.to_string(), "rate must be a finite number > 0, got -1");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum SimError {
    /// A number outside its allowed range (`rate ≤ 0`, `c = 0`, `K < c`, `CV < 0`, …).
    InvalidParameter {
        /// The field, in words (`"arrival rate"`, `"servers (c)"`).
        field: String,
        /// The allowed range, in words (`"a finite number > 0"`).
        allowed: String,
        /// The value that was given, as written.
        got: String,
    },
    /// A trace with no values.
    EmptyTrace {
        /// Which trace (`"trace"`, `"arrival trace"`).
        field: String,
    },
    /// A distribution spec such as `exp:0.9` that could not be read.
    UnknownDistribution {
        /// The text that was given.
        input: String,
        /// Why it could not be read and what is accepted.
        reason: String,
    },
    /// Kendall notation such as `M/M/1` that could not be read.
    UnknownNotation {
        /// The text that was given.
        input: String,
        /// Why it could not be read and what is accepted.
        reason: String,
    },
    /// A run that finished without a single customer completing service after warm-up, so no
    /// mean could be formed (the horizon is too short or the warm-up too long).
    NoCompletedCustomers,
}

impl SimError {
    /// Shorthand for [`SimError::InvalidParameter`].
    ///
    /// ```
    /// use kendall_sim::SimError;
    /// let e = SimError::invalid("servers (c)", "an integer ≥ 1", 0);
    /// assert_eq!(e.to_string(), "servers (c) must be an integer ≥ 1, got 0");
    /// ```
    pub fn invalid(
        field: impl Into<String>,
        allowed: impl Into<String>,
        got: impl fmt::Display,
    ) -> Self {
        SimError::InvalidParameter {
            field: field.into(),
            allowed: allowed.into(),
            got: got.to_string(),
        }
    }
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::InvalidParameter {
                field,
                allowed,
                got,
            } => {
                write!(f, "{field} must be {allowed}, got {got}")
            }
            SimError::EmptyTrace { field } => {
                write!(f, "{field} must hold at least one value, got an empty list")
            }
            SimError::UnknownDistribution { input, reason } => {
                write!(f, "distribution '{input}' is not understood: {reason}")
            }
            SimError::UnknownNotation { input, reason } => {
                write!(f, "Kendall notation '{input}' is not understood: {reason}")
            }
            SimError::NoCompletedCustomers => write!(
                f,
                "no customer completed service after the warm-up; run longer (stop) or shorten the warm-up"
            ),
        }
    }
}

impl std::error::Error for SimError {}

/// What a load λ/μ (or λ·E[S]/c) that overflowed must be instead.
pub(crate) const FINITE_LOAD: &str =
    "finite (the arrival rate is too many orders of magnitude above the service rate)";

/// `value` as an error message writes it: `1e200`, not two hundred digits (the CLI's messages
/// use it too, so that both say the same number the same way).
///
/// ```
/// assert_eq!(kendall_sim::message_number(1e200), "1e200");
/// assert_eq!(kendall_sim::message_number(0.25), "0.25");
/// ```
pub fn number(value: f64) -> String {
    let a = value.abs();
    if a != 0.0 && a.is_finite() && !(1e-4..1e15).contains(&a) {
        format!("{value:e}")
    } else {
        value.to_string()
    }
}

/// Checks that `value` is finite and `> 0`.
pub(crate) fn positive(field: &str, value: f64) -> Result<f64, SimError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(SimError::invalid(
            field,
            "a finite number > 0",
            number(value),
        ))
    }
}

/// Checks that `value` is finite and `≥ 0`.
pub(crate) fn non_negative(field: &str, value: f64) -> Result<f64, SimError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(SimError::invalid(
            field,
            "a finite number ≥ 0",
            number(value),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extreme_numbers_are_short() {
        assert_eq!(number(1e200), "1e200");
        assert_eq!(number(1e-320), "1e-320");
        assert_eq!(number(-2.5), "-2.5");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(f64::NAN), "NaN");
    }
}
