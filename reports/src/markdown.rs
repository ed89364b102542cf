//! `report.md`: the same content as the HTML page, charts referenced as files under `charts/`.

use crate::charts::RenderedChart;
use crate::report::Report;

/// Builds the Markdown report; `charts[i]` holds the rendered charts of `report.sections[i]`.
///
/// ```
/// use kendall_reports::{Report, Section, markdown, table::Table};
/// let mut t = Table::new(["figure", "theory"]);
/// t.push(["W", "10"]);
/// let report = Report { title: "T".into(), command: "kendall demo".into(),
///     sections: vec![Section { heading: "M/M/1".into(), tables: vec![t], ..Section::default() }],
///     ..Report::default() };
/// let md = markdown::render(&report, &[]);
/// assert!(md.contains("## M/M/1") && md.contains("| W | 10 |"));
/// ```
pub fn render(report: &Report, charts: &[Vec<RenderedChart>]) -> String {
    let mut out = format!("# {}\n\n", report.title);
    if !report.intro.is_empty() {
        out.push_str(&format!("{}\n\n", report.intro));
    }
    out.push_str(&format!("Produced by:\n\n```sh\n{}\n```\n", report.command));
    for (i, section) in report.sections.iter().enumerate() {
        out.push_str(&format!("\n## {}\n\n", section.heading));
        if !section.text.is_empty() {
            out.push_str(&format!("{}\n\n", section.text));
        }
        for table in &section.tables {
            out.push_str(&table.to_markdown());
            out.push('\n');
        }
        for chart in charts.get(i).map(Vec::as_slice).unwrap_or_default() {
            out.push_str(&format!(
                "![{t}](charts/{n}.svg)\n\n[{t} (PNG)](charts/{n}.png)\n\n",
                t = chart.title,
                n = chart.name
            ));
        }
    }
    out
}
