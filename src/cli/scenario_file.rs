//! The TOML scenario file: its schema, and reading it with errors that give the line.
//!
//! ```toml
//! name = "Web requests"           # shown in titles
//! time_unit = "ms"                # axis labels
//! [station]
//! model = "M/M/2"                 # or arrival/service distributions
//! arrival_rate = 1.6
//! service_rate = 1.0
//! capacity = 50                   # optional: drop arrivals when 50 are in the system
//! [run]
//! customers = 200000
//! warmup = "auto"                 # or a time, or "none"
//! replications = 10               # or precision = 0.01
//! seed = 1
//! [sweep]                         # used by `kendall sweep`
//! load = "0.1:0.95:0.05"
//! ```
//!
//! Instead of `[station]`, a `[pipeline]` table (`arrival_rate` or `arrival`) with
//! `[[pipeline.stage]]` tables (`service_rate` or `service`, `servers`, `capacity`) describes
//! stations in series. Unknown keys are errors, reported with their line.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::error::CliError;
use super::text_file;

/// A whole scenario file.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Name used in titles and tables.
    pub name: Option<String>,
    /// Free text shown in the report.
    pub description: Option<String>,
    /// Unit of time for labels.
    pub time_unit: Option<String>,
    /// The queueing station (or give `[pipeline]` instead).
    #[serde(default)]
    pub station: Option<StationSpec>,
    /// Stations in series (instead of `[station]`).
    #[serde(default)]
    pub pipeline: Option<PipelineSpec>,
    /// Run settings.
    #[serde(default)]
    pub run: RunSpec,
    /// What `kendall sweep` varies.
    #[serde(default)]
    pub sweep: SweepSpec,
    /// The directory of the file; trace paths are relative to it.
    #[serde(skip)]
    pub base_dir: PathBuf,
}

/// The `[station]` table.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct StationSpec {
    /// Kendall notation.
    pub model: Option<String>,
    /// Arrival rate λ.
    pub arrival_rate: Option<f64>,
    /// Service rate μ per server.
    pub service_rate: Option<f64>,
    /// Inter-arrival distribution.
    pub arrival: Option<DistSpec>,
    /// Service distribution.
    pub service: Option<DistSpec>,
    /// Servers c.
    pub servers: Option<usize>,
    /// Capacity K.
    pub capacity: Option<usize>,
}

/// The `[pipeline]` table: one arrival stream through `[[pipeline.stage]]` stations in series.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PipelineSpec {
    /// Arrival rate λ into the first stage (Poisson).
    pub arrival_rate: Option<f64>,
    /// Inter-arrival distribution into the first stage.
    pub arrival: Option<DistSpec>,
    /// The stages, first to last.
    #[serde(default)]
    pub stage: Vec<StageSpec>,
}

/// One `[[pipeline.stage]]` table.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct StageSpec {
    /// Service rate μ per server (exponential service).
    pub service_rate: Option<f64>,
    /// Service distribution.
    pub service: Option<DistSpec>,
    /// Servers c (default 1).
    pub servers: Option<usize>,
    /// Capacity K; an arrival that finds the stage full is dropped.
    pub capacity: Option<usize>,
}

/// A distribution: the command-line syntax, or an inline trace.
#[derive(Debug, Deserialize, Clone, PartialEq)]
#[serde(try_from = "toml::Value")]
pub enum DistSpec {
    /// `exp:0.9`, `trace:file.txt`, …
    Text(String),
    /// `{ trace = [1.0, 2.5], cycle = true }`.
    Inline {
        /// The values, replayed in order.
        trace: Vec<f64>,
        /// Start over at the end (default) or stop the run.
        cycle: bool,
    },
}

impl TryFrom<toml::Value> for DistSpec {
    type Error = String;

    fn try_from(v: toml::Value) -> Result<Self, String> {
        const ALLOWED: &str = "a distribution string such as \"exp:0.9\" or \"lognormal:mean=1,cv=2\", \
                               or a table { trace = [1.0, 2.5], cycle = true }";
        match v {
            toml::Value::String(s) => Ok(DistSpec::Text(s)),
            toml::Value::Table(mut t) => {
                let trace = t
                    .remove("trace")
                    .ok_or_else(|| format!("expected {ALLOWED}"))?;
                let cycle = match t.remove("cycle") {
                    None => true,
                    Some(toml::Value::Boolean(b)) => b,
                    Some(other) => return Err(format!("cycle must be true or false, got {other}")),
                };
                if let Some(key) = t.keys().next() {
                    return Err(format!(
                        "unknown key `{key}` in a trace table; allowed: trace, cycle"
                    ));
                }
                let toml::Value::Array(items) = trace else {
                    return Err("trace must be a list of numbers, e.g. [1.0, 2.5]".into());
                };
                let trace = items
                    .into_iter()
                    .map(|x| match x {
                        toml::Value::Float(f) => Ok(f),
                        toml::Value::Integer(i) => Ok(i as f64),
                        other => Err(format!("trace must be a list of numbers, found {other}")),
                    })
                    .collect::<Result<Vec<f64>, String>>()?;
                Ok(DistSpec::Inline { trace, cycle })
            }
            other => Err(format!("expected {ALLOWED}, got {other}")),
        }
    }
}

/// The `[run]` table.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RunSpec {
    /// Arrivals per replication.
    pub customers: Option<u64>,
    /// Simulated time per replication.
    pub horizon: Option<f64>,
    /// `auto`, `none` or a time.
    pub warmup: Option<WarmupSpec>,
    /// Replications.
    pub replications: Option<u32>,
    /// Target relative half-width.
    pub precision: Option<f64>,
    /// Seed.
    pub seed: Option<u64>,
    /// Threads.
    pub threads: Option<usize>,
}

/// Warm-up as written in the file: a word or a number.
#[derive(Debug, Deserialize, Clone, PartialEq)]
#[serde(try_from = "toml::Value")]
pub enum WarmupSpec {
    /// A period of simulated time.
    Time(f64),
    /// `auto` or `none`.
    Word(String),
}

impl TryFrom<toml::Value> for WarmupSpec {
    type Error = String;

    fn try_from(v: toml::Value) -> Result<Self, String> {
        match v {
            toml::Value::Float(f) => Ok(WarmupSpec::Time(f)),
            toml::Value::Integer(i) => Ok(WarmupSpec::Time(i as f64)),
            toml::Value::String(s) => Ok(WarmupSpec::Word(s)),
            other => Err(format!(
                "warmup must be \"auto\", \"none\" or a time ≥ 0, got {other}"
            )),
        }
    }
}

impl WarmupSpec {
    /// The same value in command-line form.
    pub fn to_flag(&self) -> String {
        match self {
            WarmupSpec::Time(t) => t.to_string(),
            WarmupSpec::Word(w) => w.clone(),
        }
    }
}

/// The `[sweep]` table: one of these ranges.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SweepSpec {
    /// Offered load ρ range.
    pub load: Option<String>,
    /// Server counts.
    pub servers: Option<String>,
    /// Capacities.
    pub capacity: Option<String>,
}

impl ScenarioFile {
    /// Reads and parses a scenario file; errors name the file and, for TOML errors, the line.
    pub fn read(path: &Path) -> Result<Self, CliError> {
        let text =
            text_file::read("scenario file", path, text_file::MAX_BYTES).map_err(CliError::new)?;
        let mut file = Self::parse(&text)
            .map_err(|msg| CliError::new(format!("scenario file '{}', {msg}", path.display())))?;
        file.base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(file)
    }

    /// Parses TOML text; the error reads `line N: <what is wrong>`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let file = Self::parse_toml(text)?;
        match (&file.station, &file.pipeline) {
            (Some(_), Some(_)) => {
                Err("give either a [station] table or a [pipeline] table, not both".into())
            }
            (None, None) => Err("missing a [station] table (or a [pipeline] table)".into()),
            (None, Some(p)) if p.stage.is_empty() => {
                Err("[pipeline] needs at least one [[pipeline.stage]] table".into())
            }
            _ => Ok(file),
        }
    }

    fn parse_toml(text: &str) -> Result<Self, String> {
        toml::from_str::<ScenarioFile>(text).map_err(|e| {
            let line = e
                .span()
                .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            let what = plain_types(&e.message().trim().replace('\n', " "));
            // The key path (`station.servers`) is only in the error's display without input.
            let mut bare = e.clone();
            bare.set_input(None);
            let key = bare
                .to_string()
                .lines()
                .find_map(|l| Some(l.strip_prefix("in `")?.strip_suffix('`')?.to_string()));
            let what = match key {
                Some(key) => format!("{key}: {what}"),
                None => what,
            };
            match line {
                Some(line) => format!("line {line}: {what}"),
                None => what,
            }
        })
    }
}

/// serde's Rust type names in words: `expected usize` says nothing to someone writing TOML.
fn plain_types(message: &str) -> String {
    let mut m = message.replace(" as i128", "");
    for (rust, words) in [
        ("usize", "a whole number ≥ 0"),
        ("u64", "a whole number ≥ 0"),
        ("u32", "a whole number ≥ 0"),
        ("f64", "a number"),
        ("a sequence", "an array of tables"),
    ] {
        if let Some(stem) = m.strip_suffix(&format!("expected {rust}")) {
            m = format!("{stem}expected {words}");
        }
    }
    if let Some(i) = m.find("expected struct ") {
        m.replace_range(i.., "expected a table");
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_file_parses() {
        let f = ScenarioFile::parse(
            "[station]\nmodel = \"M/M/1\"\narrival_rate = 0.5\nservice_rate = 1\n",
        )
        .unwrap();
        let st = f.station.unwrap();
        assert_eq!(st.model.as_deref(), Some("M/M/1"));
        assert_eq!(st.arrival_rate, Some(0.5));
    }

    #[test]
    fn unknown_field_names_the_line() {
        let e = ScenarioFile::parse("[station]\nmodel = \"M/M/1\"\nservrs = 2\n").unwrap_err();
        assert!(e.starts_with("line 3:"), "{e}");
        assert!(e.contains("servrs"), "{e}");
    }

    #[test]
    fn syntax_error_names_the_line() {
        let e = ScenarioFile::parse("name = \"x\"\n\n[station\n").unwrap_err();
        assert!(e.starts_with("line 3:"), "{e}");
    }

    #[test]
    fn pipelines_parse_and_exclude_a_station() {
        let f = ScenarioFile::parse(
            "[pipeline]\narrival_rate = 0.5\n[[pipeline.stage]]\nservice_rate = 1\n\
             [[pipeline.stage]]\nservice = \"det:1\"\ncapacity = 5\n",
        )
        .unwrap();
        let p = f.pipeline.unwrap();
        assert_eq!(p.stage.len(), 2);
        assert_eq!(p.stage[1].capacity, Some(5));
        let e = ScenarioFile::parse("[station]\n[pipeline]\n").unwrap_err();
        assert!(e.contains("not both"), "{e}");
        let e = ScenarioFile::parse("name = \"x\"\n").unwrap_err();
        assert!(e.contains("[station]"), "{e}");
        let e = ScenarioFile::parse("[pipeline]\narrival_rate = 1\n").unwrap_err();
        assert!(e.contains("[[pipeline.stage]]"), "{e}");
    }

    #[test]
    fn wrong_shapes_say_what_is_allowed() {
        let e = ScenarioFile::parse("[station]\narrival = 5\n").unwrap_err();
        assert!(e.starts_with("line 2:") && e.contains("exp:0.9"), "{e}");
        let e = ScenarioFile::parse("[station]\n[run]\nwarmup = true\n").unwrap_err();
        assert!(e.starts_with("line 3:") && e.contains("\"auto\""), "{e}");
        let e = ScenarioFile::parse("[station]\nservice = { trace = [1, \"x\"] }\n").unwrap_err();
        assert!(e.contains("list of numbers"), "{e}");
        let e =
            ScenarioFile::parse("[station]\nservice = { trace = [1], loop = true }\n").unwrap_err();
        assert!(e.contains("unknown key `loop`"), "{e}");
    }

    #[test]
    fn wrong_types_name_the_key_in_words() {
        for (text, want) in [
            (
                "[station]\nservers = -1\n",
                "line 2: station.servers: invalid value: integer `-1`, expected a whole number ≥ 0",
            ),
            (
                "[station]\ncapacity = 1.5\n",
                "line 2: station.capacity: invalid type: floating point `1.5`, expected a whole \
                 number ≥ 0",
            ),
            (
                "[station]\nservers = 99999999999999999999\n",
                "line 2: station.servers: invalid type: integer `99999999999999999999`, expected \
                 a whole number ≥ 0",
            ),
            (
                "[station]\narrival_rate = \"1\"\n",
                "line 2: station.arrival_rate: invalid type: string \"1\", expected a number",
            ),
            (
                "[station]\n[run]\nseed = -1\n",
                "line 3: run.seed: invalid value: integer `-1`, expected a whole number ≥ 0",
            ),
            (
                "station = 5\n",
                "line 1: station: invalid type: integer `5`, expected a table",
            ),
        ] {
            assert_eq!(ScenarioFile::parse(text).unwrap_err(), want, "{text}");
        }
        let e =
            ScenarioFile::parse("[pipeline]\narrival_rate = 1\n[pipeline.stage]\n").unwrap_err();
        assert!(
            e.contains("pipeline.stage") && e.contains("array of tables"),
            "{e}"
        );
    }

    #[test]
    fn inline_trace_and_numeric_warmup() {
        let f = ScenarioFile::parse(
            "[station]\nservice = { trace = [1.0, 2.0] }\narrival = \"exp:1\"\n[run]\nwarmup = 50\n",
        )
        .unwrap();
        assert_eq!(
            f.station.unwrap().service,
            Some(DistSpec::Inline {
                trace: vec![1.0, 2.0],
                cycle: true
            })
        );
        assert_eq!(f.run.warmup, Some(WarmupSpec::Time(50.0)));
    }
}
