//! Where results go: stdout in the chosen format, and the report directory of `--out`.

use std::io::{IsTerminal, Write};
use std::path::Path;

use serde_json::Value;

use super::args::{Format, OutputArgs};
use super::error::CliError;

/// The format to print: as asked, else a table on a terminal and JSON otherwise.
pub fn format(out: &OutputArgs) -> Format {
    out.format.unwrap_or(if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Json
    })
}

/// Prints records as JSON (one object, or an array when `many`) or CSV; `table` is printed
/// for [`Format::Table`].
pub fn print(format: Format, records: &[Value], many: bool, table: &str) -> Result<(), CliError> {
    let text = match format {
        Format::Table => table.to_string(),
        Format::Json => match (many, records) {
            (false, [one]) => kendall_reports::json::to_pretty(one)?,
            _ => kendall_reports::json::to_pretty(records)?,
        },
        Format::Csv => kendall_reports::csv::from_records(records),
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`kendall … | head`) is not an error worth a message.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    Ok(())
}

/// Creates the report directory up front and checks it is writable, so a bad `--out` fails
/// before minutes of simulation rather than after.
pub fn prepare_out(dir: &Path) -> Result<(), CliError> {
    let fail = |e: std::io::Error| {
        CliError::new(format!(
            "out: cannot write to '{}': {e} (give --out a writable directory)",
            dir.display()
        ))
    };
    if dir.exists() && !dir.is_dir() {
        return Err(CliError::new(format!(
            "out: '{}' exists and is not a directory (give --out a writable directory)",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(fail)?;
    let probe = dir.join(".kendall-write-test");
    std::fs::write(&probe, b"").map_err(fail)?;
    std::fs::remove_file(&probe).map_err(fail)?;
    Ok(())
}

/// The command line as typed, quoted where a shell would need it.
pub fn command_line() -> String {
    let mut words: Vec<String> = std::env::args().collect();
    if let Some(first) = words.first_mut() {
        // Show the program by name, not by the build directory it ran from.
        if let Some(name) = Path::new(first.as_str()).file_name() {
            *first = name.to_string_lossy().into_owned();
        }
    }
    words
        .iter()
        .map(|w| {
            if !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=,+@%".contains(c))
            {
                w.clone()
            } else {
                format!("'{}'", w.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
