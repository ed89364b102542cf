//! `report.html`: one self-contained page (inline CSS and SVG charts) that opens from disk.

use crate::charts::RenderedChart;
use crate::report::Report;

/// Escapes text for HTML element content and attribute values.
///
/// ```
/// assert_eq!(kendall_reports::html::escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,'DejaVu Sans',sans-serif;margin:2rem auto;\
max-width:1000px;padding:0 1rem;color:#222}\
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ddd}\
pre{background:#f4f4f4;padding:.6rem;overflow-x:auto}\
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}\
th,td{border:1px solid #ccc;padding:.25rem .5rem}th{background:#f0f0f0}td.num{text-align:right;\
font-variant-numeric:tabular-nums}figure{margin:1.5rem 0}figure svg{max-width:100%;height:auto;\
border:1px solid #eee}figcaption{font-size:.85rem;color:#555}";

/// Builds the page; `charts[i]` holds the rendered charts of `report.sections[i]`, in order.
///
/// ```
/// use kendall_reports::{Report, html};
/// let page = html::render(&Report { title: "T <1>".into(), command: "kendall demo".into(), ..Report::default() }, &[]);
/// assert!(page.starts_with("<!DOCTYPE html>") && page.contains("T &lt;1&gt;"));
/// ```
///
/// Charts are inlined as SVG, so the page needs no other file; each caption links to the
/// SVG and PNG written beside it under `charts/`.
pub fn render(report: &Report, charts: &[Vec<RenderedChart>]) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(&report.title)));
    out.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    out.push_str(&format!("<h1>{}</h1>\n", escape(&report.title)));
    if !report.intro.is_empty() {
        out.push_str(&format!("<p>{}</p>\n", escape(&report.intro)));
    }
    out.push_str(&format!(
        "<p>Produced by:</p>\n<pre><code>{}</code></pre>\n",
        escape(&report.command)
    ));
    for (i, section) in report.sections.iter().enumerate() {
        out.push_str(&format!("<h2>{}</h2>\n", escape(&section.heading)));
        if !section.text.is_empty() {
            out.push_str(&format!("<p>{}</p>\n", escape(&section.text)));
        }
        for table in &section.tables {
            out.push_str(&table.to_html());
        }
        for chart in charts.get(i).map(Vec::as_slice).unwrap_or_default() {
            out.push_str("<figure>\n");
            out.push_str(strip_xml_prolog(&chart.svg));
            out.push_str(&format!(
                "\n<figcaption>{} — <a href=\"charts/{n}.svg\">SVG</a> · \
                 <a href=\"charts/{n}.png\">PNG</a></figcaption>\n</figure>\n",
                escape(&chart.title),
                n = escape(&chart.name)
            ));
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// Inline SVG must not carry an `<?xml …?>` prolog.
fn strip_xml_prolog(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    }
}
