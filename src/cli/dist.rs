//! Distributions from the command-line syntax, including `trace:FILE` read from disk.

use std::path::Path;

use kendall_sim::Distribution;

use super::error::CliError;
use super::scenario_file::DistSpec;
use super::text_file;

/// Parses `spec` for `field` (`arrival` or `service`); relative trace paths are taken from
/// `base_dir` (the scenario file's directory, or the working directory for flags).
///
/// `trace:FILE` replays the file's values and starts over at the end; `trace-once:FILE`
/// replays them once and ends the run when they run out.
pub fn parse(field: &str, spec: &DistSpec, base_dir: &Path) -> Result<Distribution, CliError> {
    match spec {
        DistSpec::Inline { trace, cycle } => {
            Distribution::trace(trace.clone(), *cycle).map_err(|e| CliError::field(field, e))
        }
        DistSpec::Text(text) => {
            let text = text.trim();
            let (cycle, file) = if let Some(f) = text.strip_prefix("trace:") {
                (true, f)
            } else if let Some(f) = text.strip_prefix("trace-once:") {
                (false, f)
            } else {
                return text
                    .parse::<Distribution>()
                    .map_err(|e| CliError::field(field, e));
            };
            let values = read_trace(field, &base_dir.join(file))?;
            Distribution::trace(values, cycle).map_err(|e| CliError::field(field, e))
        }
    }
}

/// The largest trace file read: tens of millions of values, and a bound on memory when the
/// path is endless (`/dev/zero`, a pipe).
const MAX_TRACE_BYTES: u64 = text_file::MAX_BYTES;

/// Reads a trace file: numbers separated by white space, commas or line breaks; `#` starts a
/// comment.
fn read_trace(field: &str, path: &Path) -> Result<Vec<f64>, CliError> {
    let text = read_capped(field, path, MAX_TRACE_BYTES)?;
    let mut values = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("");
        for word in line.split(|c: char| c == ',' || c.is_whitespace()) {
            if word.is_empty() {
                continue;
            }
            let v: f64 = word.parse().map_err(|_| {
                CliError::field(
                    field,
                    format!(
                        "trace file '{}', line {}: '{word}' is not a number (expected times ≥ 0)",
                        path.display(),
                        i + 1
                    ),
                )
            })?;
            values.push(v);
        }
    }
    Ok(values)
}

/// The file's text, refusing more than `max` bytes without reading past them.
fn read_capped(field: &str, path: &Path, max: u64) -> Result<String, CliError> {
    text_file::read("trace file", path, max).map_err(|m| CliError::field(field, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_specs_parse() {
        let d = parse(
            "service",
            &DistSpec::Text("erlang:2:1.0".into()),
            Path::new("."),
        )
        .unwrap();
        assert!((d.mean() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn bad_spec_names_the_field() {
        let e = parse("arrival", &DistSpec::Text("exp:-1".into()), Path::new(".")).unwrap_err();
        assert!(e.to_string().starts_with("arrival: "), "{e}");
    }

    #[test]
    fn missing_trace_file_names_it() {
        let e = parse(
            "arrival",
            &DistSpec::Text("trace:/nonexistent/x.txt".into()),
            Path::new("."),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("cannot read trace file '/nonexistent/x.txt'"),
            "{e}"
        );
    }

    #[test]
    fn oversized_trace_files_are_refused() {
        let dir = std::env::temp_dir().join(format!("kendall-trace-cap-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.txt");
        std::fs::write(&path, "1.0\n".repeat(1 << 19)).unwrap();
        let e = read_capped("service", &path, 1 << 20)
            .unwrap_err()
            .to_string();
        assert!(e.contains("is larger than the 1 MiB allowed"), "{e}");
        assert!(read_capped("service", &path, 2 << 20).is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn trace_file_is_read_relative_to_base() {
        let dir = std::env::temp_dir().join(format!("kendall-trace-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("t.txt"), "# comment\n1.0, 2.0\n3.0\n").unwrap();
        let d = parse("service", &DistSpec::Text("trace:t.txt".into()), &dir).unwrap();
        assert!((d.mean() - 2.0).abs() < 1e-12);
        std::fs::write(dir.join("bad.txt"), "1.0\nfast\n").unwrap();
        let e = parse("service", &DistSpec::Text("trace:bad.txt".into()), &dir).unwrap_err();
        assert!(
            e.to_string().contains("line 2: 'fast' is not a number"),
            "{e}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
