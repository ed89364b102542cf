//! Live-run settings from flags to the simulator's `LiveConfig`: durations like `1ms`,
//! counts, and the checks that name the flag and the allowed range.

use kendall_sim::live::LiveConfig;

use super::args::LiveRunArgs;
use super::error::CliError;

/// Arrivals after the warm-up when `--customers` is not given: a run of seconds at 1 ms per
/// unit for loads near 1 customer per unit.
pub const DEFAULT_CUSTOMERS: u64 = 3_000;
/// Warm-up arrivals when `--warmup-customers` is not given.
pub const DEFAULT_WARMUP_CUSTOMERS: u64 = 300;
/// Below this many seconds per unit the OS timers distort the run noticeably.
pub const PRECISE_TIME_SCALE: f64 = 5e-4;

const TIME_SCALE_RANGE: &str = "a duration in [1us, 3600s], e.g. 1ms, 500us, 2s or 0.002 (seconds)";

/// Parses `1ms`, `500us`, `500µs`, `2s`, `100ns` or a plain number of seconds.
pub fn parse_time_scale(text: &str) -> Result<f64, CliError> {
    let bad = || {
        CliError::new(format!(
            "--time-scale must be {TIME_SCALE_RANGE}, got '{text}'"
        ))
    };
    let t = text.trim();
    let (number, factor) = [
        ("ns", 1e-9),
        ("us", 1e-6),
        ("µs", 1e-6),
        ("ms", 1e-3),
        ("s", 1.0),
    ]
    .iter()
    .find_map(|(suffix, f)| t.strip_suffix(suffix).map(|n| (n.trim(), *f)))
    .unwrap_or((t, 1.0));
    let v: f64 = number.parse().map_err(|_| bad())?;
    let seconds = v * factor;
    if !(LiveConfig::MIN_TIME_SCALE..=LiveConfig::MAX_TIME_SCALE).contains(&seconds) {
        return Err(bad());
    }
    Ok(seconds)
}

/// A count flag: an integer at least `min`.
fn parse_count(flag: &str, text: Option<&str>, default: u64, min: u64) -> Result<u64, CliError> {
    let Some(text) = text else {
        return Ok(default);
    };
    match text.trim().parse::<u64>() {
        Ok(n) if n >= min => Ok(n),
        _ => Err(CliError::new(format!(
            "{flag} must be an integer ≥ {min}, got '{text}'"
        ))),
    }
}

/// Builds and checks the live configuration.
pub fn build(args: &LiveRunArgs) -> Result<LiveConfig, CliError> {
    let customers = parse_count(
        "--customers",
        args.customers.as_deref(),
        DEFAULT_CUSTOMERS,
        1,
    )?;
    let warmup = parse_count(
        "--warmup-customers",
        args.warmup_customers.as_deref(),
        DEFAULT_WARMUP_CUSTOMERS,
        0,
    )?;
    // Every arrival of the run is kept in memory until the end.
    let max = LiveConfig::MAX_ARRIVALS;
    if warmup.checked_add(customers).is_none_or(|n| n > max) {
        return Err(CliError::new(format!(
            "--warmup-customers + --customers must be at most {max}, got {warmup} + {customers}"
        )));
    }
    let mut cfg = LiveConfig::default()
        .time_scale(parse_time_scale(&args.time_scale)?)
        .customers(customers)
        .warmup_customers(warmup);
    if let Some(seed) = args.seed {
        cfg = cfg.seed(seed);
    }
    if let Some(text) = &args.spin_us {
        let max = LiveConfig::MAX_SPIN_US;
        match text.trim().parse::<f64>() {
            Ok(us) if us.is_finite() && (0.0..=max).contains(&us) => cfg = cfg.spin_us(us),
            _ => {
                return Err(CliError::new(format!(
                    "--spin-us must be a number of microseconds in [0, {max}], got '{text}'"
                )));
            }
        }
    }
    cfg.validate()?;
    Ok(cfg)
}

/// A duration in seconds for people: `1 ms`, `500 µs`, `2.5 s`.
pub fn human_duration(seconds: f64) -> String {
    if seconds >= 1.0 {
        trim(format!("{seconds:.3}")) + " s"
    } else if seconds >= 1e-3 {
        trim(format!("{:.3}", seconds * 1e3)) + " ms"
    } else {
        trim(format!("{:.3}", seconds * 1e6)) + " µs"
    }
}

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_scales() {
        assert_eq!(parse_time_scale("1ms").unwrap(), 1e-3);
        assert!((parse_time_scale("500us").unwrap() - 5e-4).abs() < 1e-15);
        assert!((parse_time_scale("500µs").unwrap() - 5e-4).abs() < 1e-15);
        assert_eq!(parse_time_scale("0.002").unwrap(), 0.002);
        assert_eq!(parse_time_scale("2s").unwrap(), 2.0);
        assert_eq!(parse_time_scale("1us").unwrap(), 1e-6);
        for bad in [
            "0", "-1ms", "abc", "", "ms", "inf", "NaN", "7200s", "1e-300", "5e-324", "1ns", "999ns",
        ] {
            let e = parse_time_scale(bad).unwrap_err().to_string();
            assert!(e.starts_with("--time-scale must be"), "{bad}: {e}");
        }
    }

    #[test]
    fn counts_and_spin() {
        let args = |c: &str| LiveRunArgs {
            time_scale: "1ms".into(),
            customers: Some(c.into()),
            ..LiveRunArgs::default()
        };
        assert!(build(&args("10")).is_ok());
        for bad in ["0", "-3", "x"] {
            let e = build(&args(bad)).unwrap_err().to_string();
            assert!(e.starts_with("--customers must be an integer ≥ 1"), "{e}");
        }
        let e = build(&LiveRunArgs {
            time_scale: "1ms".into(),
            customers: Some("18446744073709551615".into()),
            warmup_customers: Some("1".into()),
            ..LiveRunArgs::default()
        })
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("--warmup-customers + --customers must be at most"),
            "{e}"
        );
        let e = build(&LiveRunArgs {
            time_scale: "1ms".into(),
            spin_us: Some("-1".into()),
            ..LiveRunArgs::default()
        })
        .unwrap_err();
        assert!(e.to_string().contains("--spin-us"), "{e}");
    }

    #[test]
    fn durations_for_people() {
        assert_eq!(human_duration(1e-3), "1 ms");
        assert_eq!(human_duration(5e-4), "500 µs");
        assert_eq!(human_duration(2.5), "2.5 s");
        assert_eq!(human_duration(3.0), "3 s");
    }
}
