//! The command line's error: one line naming the field and what is allowed; exit code 2.

use std::fmt;
use std::process::ExitCode;

use kendall_reports::ReportError;
use kendall_sim::SimError;

/// A failure the user can fix: printed as `error: <message>` and exit code 2.
#[derive(Debug, Clone, PartialEq)]
pub struct CliError {
    message: String,
}

impl CliError {
    /// An error with this message (one line, naming the field and the allowed values).
    pub fn new(message: impl Into<String>) -> Self {
        // Keep the promise of one line even if a lower layer's message spans several.
        let message: String = message.into();
        let one_line = message.split_whitespace().collect::<Vec<_>>().join(" ");
        CliError { message: one_line }
    }

    /// `field: message`, for errors found in a named input.
    pub fn field(field: &str, message: impl fmt::Display) -> Self {
        CliError::new(format!("{field}: {message}"))
    }

    /// The exit code for every user-facing error.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(2)
    }
}

/// `value` as written in a message: `1e-320`, not three hundred digits (the simulator's rule,
/// so both crates' messages agree).
pub use kendall_sim::message_number as number;

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<SimError> for CliError {
    fn from(e: SimError) -> Self {
        CliError::new(e.to_string())
    }
}

impl From<ReportError> for CliError {
    fn from(e: ReportError) -> Self {
        CliError::new(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line() {
        let e = CliError::new("a\n  b\tc");
        assert_eq!(e.to_string(), "a b c");
    }
}
