//! Puts outcomes together into the report the commands write: sections, tables and charts.

use kendall_reports::charts::{Chart, LatencyChart, ThroughputChart};
use kendall_reports::outcome::{Outcome, comparison_table, sweep_table, theory_table};
use kendall_reports::{Report, Section};

/// A file-name-safe stem: `M/M/3/10` → `mm3-10`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for (i, part) in name.split('/').enumerate() {
        if i >= 3 && !out.is_empty() {
            out.push('-');
        }
        for c in part.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
                dash = false;
            } else if !dash && !out.is_empty() && i < 3 {
                out.push('-');
                dash = true;
            }
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "scenario".into()
    } else {
        out
    }
}

/// One line on how a simulation ran.
pub fn run_summary(o: &Outcome) -> String {
    let station = o.scenario.to_string();
    // `M/M/1 (arrival …)` already names an unnamed scenario; a named one keeps its name.
    let who = if station.starts_with(&format!("{} ", o.name)) {
        station
    } else {
        format!("{} — {station}", o.name)
    };
    let Some(c) = &o.comparison else {
        return format!("{who}; theory: {}", o.theory.method);
    };
    let s = &c.simulation;
    format!(
        "{who}: {} replications, {} customers after warm-up ({} {} deleted per replication); \
         {:.1} M events/s; Little's law {}; theory: {}{}",
        s.replications,
        s.customers,
        kendall_reports::table::fmt_figure(Some(s.warmup_time)),
        o.time_unit,
        s.events_per_second / 1e6,
        if s.little_law_ok {
            "holds"
        } else {
            "is OFF — the run may be too short"
        },
        o.theory.method,
        if o.theory.unstable {
            " (unstable: ρ ≥ 1, the queue grows without bound)"
        } else {
            ""
        },
    )
}

/// The section for a single scenario: comparison table and its two time-domain charts.
pub fn single_section(o: &Outcome, heading: &str) -> Section {
    let stem = slug(&o.name);
    let mut charts = Vec::new();
    if let Some(c) = o.queue_length_chart(&o.name) {
        charts.push((format!("queue-length-{stem}"), Chart::QueueLength(c)));
    }
    if let Some(c) = o.sojourn_chart(&o.name) {
        charts.push((format!("sojourn-{stem}"), Chart::Sojourn(c)));
    }
    let table = if o.comparison.is_some() {
        comparison_table(o)
    } else {
        theory_table(o)
    };
    Section {
        heading: heading.to_string(),
        text: run_summary(o),
        tables: vec![table],
        charts,
    }
}

/// The sections for a sweep: the sweep table with the load charts, then the detail of one
/// point (`detail`) with its comparison and time-domain charts.
pub fn sweep_sections(
    name: &str,
    outcomes: &[Outcome],
    x_desc: Option<String>,
    detail: usize,
) -> Vec<Section> {
    let stem = slug(name);
    let time_unit = outcomes
        .first()
        .map(|o| o.time_unit.clone())
        .unwrap_or_default();
    let points: Vec<_> = outcomes
        .iter()
        .filter_map(|o| {
            let mut p = o.load_point()?;
            if x_desc.is_some() {
                p.load = o.point.as_ref().map(|p| p.1).unwrap_or(p.load);
            }
            Some(p)
        })
        .collect();
    let exact = outcomes.iter().all(|o| o.theory.exact || o.theory.unstable);
    let parameter = outcomes
        .first()
        .and_then(|o| o.point.as_ref().map(|p| p.0.clone()))
        .unwrap_or_else(|| "load".into());
    let mut sections = vec![Section {
        heading: format!("{name} — sweep over {parameter}"),
        text: format!(
            "{} points; theory {}. Intervals are 95% Student-t half-widths over replications.",
            outcomes.len(),
            if exact {
                "exact"
            } else {
                "approximate where no closed form exists"
            }
        ),
        tables: vec![sweep_table(outcomes)],
        charts: vec![
            (
                format!("latency-{stem}"),
                Chart::Latency(LatencyChart {
                    scenario: name.to_string(),
                    time_unit: time_unit.clone(),
                    points: points.clone(),
                    x_desc: x_desc.clone(),
                    theory_exact: exact,
                }),
            ),
            (
                format!("throughput-{stem}"),
                Chart::Throughput(ThroughputChart {
                    scenario: name.to_string(),
                    time_unit,
                    points,
                    x_desc,
                }),
            ),
        ],
    }];
    if let Some(o) = outcomes.get(detail) {
        let (p, v) = o
            .point
            .clone()
            .unwrap_or_else(|| ("point".into(), detail as f64));
        let label = format!("{name}, {p} = {}", kendall_reports::table::fmt_param(v));
        let mut detail_section = single_section(
            &Outcome {
                name: label.clone(),
                ..o.clone()
            },
            &format!("{label} — detail"),
        );
        for (file, _) in &mut detail_section.charts {
            *file = file.replace(&slug(&label), &stem);
        }
        sections.push(detail_section);
    }
    sections
}

/// The point shown in detail: load closest to 0.9 for a load sweep, else the last.
pub fn detail_index(outcomes: &[Outcome]) -> usize {
    let is_load = outcomes
        .first()
        .and_then(|o| o.point.as_ref())
        .is_some_and(|p| p.0 == "load");
    if is_load {
        outcomes
            .iter()
            .enumerate()
            .min_by(|a, b| {
                let d = |o: &Outcome| (o.point.as_ref().map_or(0.0, |p| p.1) - 0.9).abs();
                d(a.1).total_cmp(&d(b.1))
            })
            .map_or(0, |(i, _)| i)
    } else {
        outcomes.len().saturating_sub(1)
    }
}

/// A report around sections.
pub fn report(title: &str, intro: String, sections: Vec<Section>, outcomes: &[Outcome]) -> Report {
    Report {
        title: title.to_string(),
        intro,
        command: super::output::command_line(),
        sections,
        records: outcomes.iter().map(Outcome::record).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs() {
        assert_eq!(slug("M/M/1"), "mm1");
        assert_eq!(slug("M/M/3/10"), "mm3-10");
        assert_eq!(slug("Web request queue"), "web-request-queue");
        assert_eq!(slug("///"), "scenario");
    }
}
