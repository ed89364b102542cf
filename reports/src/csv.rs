//! CSV output: one row per scenario or sweep point, columns named by the JSON keys.
//!
//! Nested objects flatten to dotted names (`simulation.mean_sojourn_time`,
//! `theory.sojourn_time_percentiles.p99`), so the CSV and JSON share one vocabulary.

use serde_json::Value;

/// Flattens JSON records into CSV text: a header row with every leaf key in first-seen order,
/// then one row per record (empty cell where a record lacks a key or holds `null`).
///
/// ```
/// use serde_json::json;
/// let rows = [json!({"load": 0.5, "theory": {"p_wait": 0.5}}), json!({"load": 0.9})];
/// let text = kendall_reports::csv::from_records(&rows);
/// assert_eq!(text, "load,theory.p_wait\n0.5,0.5\n0.9,\n");
/// ```
pub fn from_records(records: &[Value]) -> String {
    let flat: Vec<Vec<(String, String)>> = records
        .iter()
        .map(|r| {
            let mut cells = Vec::new();
            flatten("", r, &mut cells);
            cells
        })
        .collect();
    let mut columns: Vec<String> = Vec::new();
    for row in &flat {
        for (k, _) in row {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    let mut out = String::new();
    let header: Vec<String> = columns.iter().map(|c| quote(c)).collect();
    out.push_str(&header.join(","));
    out.push('\n');
    for row in &flat {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| {
                row.iter()
                    .find(|(k, _)| k == c)
                    .map(|(_, v)| quote(v))
                    .unwrap_or_default()
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                flatten(&key(k), v, out);
            }
        }
        // Series (queue length over time, CDF points) are chart data, not figures.
        Value::Array(_) => {}
        Value::Null => out.push((prefix.to_string(), String::new())),
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

/// Quotes a cell when it holds a comma, quote or line break (RFC 4180).
fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quotes_commas_and_quotes() {
        let text = from_records(&[json!({"scenario": "G/G/1, \"fast\""})]);
        assert_eq!(text, "scenario\n\"G/G/1, \"\"fast\"\"\"\n");
    }

    #[test]
    fn skips_arrays_keeps_nulls_and_bools() {
        let text = from_records(&[json!({"a": [1, 2], "b": null, "c": true})]);
        assert_eq!(text, "b,c\n,true\n");
    }
}
