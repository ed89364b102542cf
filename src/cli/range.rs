//! Sweep ranges: `FROM:TO:STEP` (inclusive of TO, within rounding) or a comma list.

use super::error::{self, CliError};

/// Most points one sweep may have.
const MAX_POINTS: usize = 1000;
/// The largest capacity a capacity sweep may reach.
pub const MAX_CAPACITY: usize = 1_000_000_000;

/// Parses a range of numbers for `field`.
pub fn parse(field: &str, text: &str) -> Result<Vec<f64>, CliError> {
    let bad = |why: &str| {
        CliError::new(format!(
            "{field}: '{text}' {why}; expected FROM:TO:STEP (e.g. 0.1:0.95:0.05) or a comma list"
        ))
    };
    let number = |s: &str| -> Result<f64, CliError> {
        let v: f64 = s
            .trim()
            .parse()
            .map_err(|_| bad(&format!("has '{}', not a number", s.trim())))?;
        if v.is_finite() {
            Ok(v)
        } else {
            Err(bad("has a value that is not finite"))
        }
    };
    let values = if text.contains(':') {
        let parts: Vec<&str> = text.split(':').collect();
        if parts.len() != 3 {
            return Err(bad("needs exactly three parts"));
        }
        let (from, to, step) = (number(parts[0])?, number(parts[1])?, number(parts[2])?);
        if step <= 0.0 {
            return Err(bad("has STEP ≤ 0 (STEP must be > 0)"));
        }
        if to < from {
            return Err(bad("has TO < FROM"));
        }
        // Count in f64 first: a tiny STEP gives a count no usize holds.
        let steps = ((to - from) / step + 1e-9).floor();
        if steps >= MAX_POINTS as f64 {
            return Err(bad(&format!(
                "has {} points (at most {MAX_POINTS})",
                error::number(steps + 1.0)
            )));
        }
        let n = steps as usize + 1;
        // Round to the step's precision so 0.1 + 5·0.05 prints as 0.35, not 0.35000000000000003.
        (0..n).map(|i| round12(from + i as f64 * step)).collect()
    } else {
        text.split(',').map(number).collect::<Result<Vec<_>, _>>()?
    };
    if values.is_empty() {
        return Err(bad("is empty"));
    }
    if values.len() > MAX_POINTS {
        return Err(bad(&format!(
            "has {} points (at most {MAX_POINTS})",
            values.len()
        )));
    }
    Ok(values)
}

/// Parses a range of whole numbers in `[min, max]` for `field` (servers, capacity).
pub fn parse_counts(
    field: &str,
    text: &str,
    min: usize,
    max: usize,
) -> Result<Vec<usize>, CliError> {
    parse(field, text)?
        .into_iter()
        .map(|v| {
            if v.fract() == 0.0 && v >= min as f64 && v <= max as f64 {
                Ok(v as usize)
            } else {
                Err(CliError::new(format!(
                    "{field}: every value must be a whole number in [{min}, {max}], got {}",
                    error::number(v)
                )))
            }
        })
        .collect()
}

/// Rounds to 12 significant digits, dropping binary noise from derived values. Relative: a
/// fixed 1e-12 grid turns 1e-13 into 0 and 1e297 into inf. Through decimal text, which rounds
/// exactly at every magnitude, where scaling by 10^k overflows or is inexact.
pub fn round12(v: f64) -> f64 {
    if !v.is_finite() {
        return v;
    }
    format!("{v:.11e}").parse().unwrap_or(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inclusive_range() {
        let v = parse("load", "0.1:0.95:0.05").unwrap();
        assert_eq!(v.len(), 18);
        assert_eq!(v[0], 0.1);
        assert_eq!(v[5], 0.35);
        assert_eq!(*v.last().unwrap(), 0.95);
    }

    #[test]
    fn lists_and_errors() {
        assert_eq!(parse("load", "0.5, 0.9").unwrap(), vec![0.5, 0.9]);
        assert!(parse("load", "0.1:0.9").is_err());
        assert!(
            parse("load", "0.1:0.9:0")
                .unwrap_err()
                .to_string()
                .contains("STEP")
        );
        assert!(parse("load", "0.9:0.1:0.1").is_err());
        assert!(parse("load", "a,b").is_err());
        assert!(parse_counts("servers", "0:3:1", 1, 10).is_err());
        assert!(parse_counts("servers", "1:11:1", 1, 10).is_err());
        assert_eq!(
            parse_counts("servers", "1:3:1", 1, 10).unwrap(),
            vec![1, 2, 3]
        );
    }

    #[test]
    fn tiny_and_huge_values_survive_rounding() {
        assert_eq!(
            parse("load", "1e-13:2e-13:1e-13").unwrap(),
            vec![1e-13, 2e-13]
        );
        assert_eq!(parse("load", "1e297:1e297:1").unwrap(), vec![1e297]);
        assert_eq!(parse("load", "0.1:0.3:0.1").unwrap(), vec![0.1, 0.2, 0.3]);
        for v in [
            1e-300,
            5e-324,
            1e-290,
            123.456_789_012_345,
            -0.35000000000000003,
        ] {
            let r = round12(v);
            assert!(r.is_finite() && r != 0.0, "{v}: {r}");
            assert!((r - v).abs() <= 1e-11 * v.abs(), "{v}: {r}");
        }
    }

    #[test]
    fn huge_point_counts_are_too_many_not_empty() {
        for text in ["0.1:0.9:1e-300", "0:1e308:1e-308", "0.1:0.9:0.0001"] {
            let e = parse("load", text).unwrap_err().to_string();
            assert!(e.contains("points (at most 1000)"), "{text}: {e}");
        }
    }
}
