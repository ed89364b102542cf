//! JSON output: results as pretty-printed JSON, the schema documented in the README.

use serde::Serialize;

use crate::ReportError;

/// Pretty-prints any serialisable result with a trailing newline.
///
/// Non-finite numbers cannot appear in JSON; serde_json writes them as `null`, which the schema
/// documents as "not available".
///
/// ```
/// let text = kendall_reports::json::to_pretty(&serde_json::json!({"p_wait": 0.5})).unwrap();
/// assert_eq!(text, "{\n  \"p_wait\": 0.5\n}\n");
/// ```
pub fn to_pretty<T: Serialize + ?Sized>(value: &T) -> Result<String, ReportError> {
    let mut text =
        serde_json::to_string_pretty(value).map_err(|e| ReportError::Json(e.to_string()))?;
    text.push('\n');
    Ok(text)
}
