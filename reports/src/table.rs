//! A plain table of strings, rendered for a terminal, Markdown or HTML.

use crate::html::escape;

/// Rows of cells under a header row; every renderer pads short rows with empty cells.
///
/// ```
/// use kendall_reports::table::Table;
/// let mut t = Table::new(["figure", "theory"]);
/// t.push(["W", "10"]);
/// assert!(t.to_text().contains("figure  theory"));
/// assert!(t.to_markdown().starts_with("| figure | theory |"));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Column headings.
    pub headers: Vec<String>,
    /// Cells, row by row.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headings and no rows.
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Self {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends one row.
    pub fn push<S: Into<String>>(&mut self, row: impl IntoIterator<Item = S>) {
        self.rows.push(row.into_iter().map(Into::into).collect());
    }

    fn width(&self) -> usize {
        self.rows
            .iter()
            .map(Vec::len)
            .chain([self.headers.len()])
            .max()
            .unwrap_or(0)
    }

    fn cell(row: &[String], i: usize) -> &str {
        row.get(i).map(String::as_str).unwrap_or("")
    }

    /// Aligned columns separated by two spaces, with a rule under the header; numbers
    /// are right-aligned so digits line up.
    pub fn to_text(&self) -> String {
        let n = self.width();
        let mut widths = vec![0usize; n];
        for row in std::iter::once(&self.headers).chain(&self.rows) {
            for (i, w) in widths.iter_mut().enumerate() {
                *w = (*w).max(Self::cell(row, i).chars().count());
            }
        }
        let line = |row: &[String], out: &mut String| {
            let cells: Vec<String> = (0..n)
                .map(|i| {
                    let c = Self::cell(row, i);
                    let pad = widths[i] - c.chars().count();
                    if looks_numeric(c) {
                        format!("{}{c}", " ".repeat(pad))
                    } else {
                        format!("{c}{}", " ".repeat(pad))
                    }
                })
                .collect();
            out.push_str(cells.join("  ").trim_end());
            out.push('\n');
        };
        let mut out = String::new();
        line(&self.headers, &mut out);
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        out.push_str(&rule.join("  "));
        out.push('\n');
        for row in &self.rows {
            line(row, &mut out);
        }
        out
    }

    /// A GitHub-flavoured Markdown table.
    pub fn to_markdown(&self) -> String {
        let n = self.width();
        let md = |row: &[String]| {
            let cells: Vec<String> = (0..n)
                .map(|i| Self::cell(row, i).replace('|', "\\|"))
                .collect();
            format!("| {} |\n", cells.join(" | "))
        };
        let mut out = md(&self.headers);
        out.push_str(&format!("|{}\n", "---|".repeat(n)));
        for row in &self.rows {
            out.push_str(&md(row));
        }
        out
    }

    /// An HTML `<table>` with escaped cells.
    pub fn to_html(&self) -> String {
        let n = self.width();
        let mut out = String::from("<table>\n<thead><tr>");
        for i in 0..n {
            out.push_str(&format!(
                "<th>{}</th>",
                escape(Self::cell(&self.headers, i))
            ));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &self.rows {
            out.push_str("<tr>");
            for i in 0..n {
                let c = Self::cell(row, i);
                let class = if looks_numeric(c) {
                    " class=\"num\""
                } else {
                    ""
                };
                out.push_str(&format!("<td{class}>{}</td>", escape(c)));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
        out
    }
}

/// Whether a cell reads as a number (possibly with `±`, `%` or a sign), for right alignment.
fn looks_numeric(c: &str) -> bool {
    let c = c.trim();
    !c.is_empty()
        && c.chars()
            .next()
            .is_some_and(|ch| ch.is_ascii_digit() || "+-−.".contains(ch))
        && c.chars()
            .all(|ch| ch.is_ascii_digit() || "+-−.e%± ".contains(ch))
}

/// Formats a figure with 4 significant digits, or `—` when absent or not finite.
///
/// ```
/// use kendall_reports::table::fmt_figure;
/// assert_eq!(fmt_figure(Some(9.0)), "9.000");
/// assert_eq!(fmt_figure(Some(0.0123456)), "0.01235");
/// assert_eq!(fmt_figure(None), "—");
/// ```
pub fn fmt_figure(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => {
            let a = v.abs();
            if a == 0.0 {
                "0".to_string()
            } else if !(1e-4..1e7).contains(&a) {
                format!("{v:.3e}")
            } else {
                let decimals = (3 - a.log10().floor() as i32).max(0) as usize;
                format!("{v:.decimals$}")
            }
        }
        _ => "—".to_string(),
    }
}

/// Formats a parameter value (load, servers) as short as it is exact: `0.9`, `3`, `0.125`.
///
/// ```
/// use kendall_reports::table::fmt_param;
/// assert_eq!(fmt_param(0.9), "0.9");
/// assert_eq!(fmt_param(10.0), "10");
/// ```
pub fn fmt_param(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let s = format!("{v:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_aligns_numbers_right() {
        let mut t = Table::new(["a", "value"]);
        t.push(["x", "1.5"]);
        t.push(["longer", "100.25"]);
        let text = t.to_text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[2], "x          1.5");
        assert_eq!(lines[3], "longer  100.25");
    }

    #[test]
    fn html_escapes_cells() {
        let mut t = Table::new(["<h>"]);
        t.push(["a&b"]);
        let html = t.to_html();
        assert!(html.contains("&lt;h&gt;") && html.contains("a&amp;b"));
    }

    #[test]
    fn markdown_escapes_pipes_and_pads_rows() {
        let mut t = Table::new(["a", "b"]);
        t.push(["x|y"]);
        assert!(t.to_markdown().contains("| x\\|y |  |"));
    }
}
