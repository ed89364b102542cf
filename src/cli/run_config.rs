//! Run settings from flags (and the scenario file) to the simulator's `RunConfig`.

use kendall_sim::{RunConfig, Warmup};

use super::args::RunArgs;
use super::error::CliError;

/// Customers per replication when neither `--customers` nor `--horizon` is given.
pub const DEFAULT_CUSTOMERS: u64 = 200_000;
/// Replications when neither `--replications` nor `--precision` is given.
pub const DEFAULT_REPLICATIONS: u32 = 10;
/// Replication cap under `--precision`.
pub const PRECISION_MAX_REPLICATIONS: u32 = 200;

/// Builds and checks the run configuration.
pub fn build(run: &RunArgs) -> Result<RunConfig, CliError> {
    let mut cfg = RunConfig::default();
    cfg = match (run.customers, run.horizon) {
        (_, Some(t)) => cfg.horizon(t),
        (Some(n), None) => cfg.customers(n),
        (None, None) => cfg.customers(DEFAULT_CUSTOMERS),
    };
    cfg = match (run.replications, run.precision) {
        (_, Some(eps)) => cfg.precision(eps, PRECISION_MAX_REPLICATIONS),
        (Some(r), None) => cfg.replications(r),
        (None, None) => cfg.replications(DEFAULT_REPLICATIONS),
    };
    if let Some(w) = &run.warmup {
        cfg = cfg.warmup(parse_warmup(w)?);
    }
    if let Some(s) = run.seed {
        cfg = cfg.seed(s);
    }
    if let Some(t) = run.threads {
        cfg = cfg.threads(t);
    }
    cfg.validate()?;
    Ok(cfg)
}

/// `auto`, `none`, or a time ≥ 0.
pub fn parse_warmup(text: &str) -> Result<Warmup, CliError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "auto" => Ok(Warmup::Auto),
        "none" | "0" => Ok(Warmup::None),
        other => match other.parse::<f64>() {
            Ok(t) if t.is_finite() && t >= 0.0 => Ok(Warmup::Fixed(t)),
            _ => Err(CliError::new(format!(
                "warmup must be 'auto', 'none' or a time ≥ 0, got '{text}'"
            ))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warmup_forms() {
        assert_eq!(parse_warmup("auto").unwrap(), Warmup::Auto);
        assert_eq!(parse_warmup("none").unwrap(), Warmup::None);
        assert_eq!(parse_warmup("12.5").unwrap(), Warmup::Fixed(12.5));
        assert!(parse_warmup("-1").is_err());
        assert!(parse_warmup("soon").is_err());
    }

    #[test]
    fn bad_values_are_named() {
        let e = build(&RunArgs {
            replications: Some(0),
            ..RunArgs::default()
        })
        .unwrap_err();
        assert!(e.to_string().contains("replications"), "{e}");
        let e = build(&RunArgs {
            precision: Some(2.0),
            ..RunArgs::default()
        })
        .unwrap_err();
        assert!(e.to_string().contains("precision"), "{e}");
    }
}
