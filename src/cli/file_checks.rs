//! Checks of a scenario file that its schema cannot express: keys that exclude each other
//! (in a file, giving both would leave one silently unused), and `[run]`/`[sweep]` values
//! valid whatever the subcommand. Values that a flag replaces are not checked: flags win.

use kendall_sim::Station;

use super::args::{RunArgs, ScenarioArgs, VaryArgs};
use super::error::CliError;
use super::scenario_file::ScenarioFile;
use super::{range, run_config};

/// Clears what the flags replace (flags win), so that only the file's values in force are
/// checked: `--arrival exp:1` settles a file that gave both `arrival` and `arrival_rate`.
pub fn drop_overridden(
    file: &mut ScenarioFile,
    args: &ScenarioArgs,
    run: Option<&RunArgs>,
    vary: Option<&VaryArgs>,
) {
    if args.arrival.is_some() || args.arrival_rate.is_some() {
        if let Some(st) = &mut file.station {
            (st.arrival, st.arrival_rate) = (None, None);
        }
        if let Some(p) = &mut file.pipeline {
            (p.arrival, p.arrival_rate) = (None, None);
        }
    }
    if (args.service.is_some() || args.service_rate.is_some())
        && let Some(st) = &mut file.station
    {
        (st.service, st.service_rate) = (None, None);
    }
    if let Some(run) = run {
        let f = &mut file.run;
        if run.customers.is_some() || run.horizon.is_some() {
            (f.customers, f.horizon) = (None, None);
        }
        if run.replications.is_some() || run.precision.is_some() {
            (f.replications, f.precision) = (None, None);
        }
        if run.warmup.is_some() {
            f.warmup = None;
        }
        if run.seed.is_some() {
            f.seed = None;
        }
        if run.threads.is_some() {
            f.threads = None;
        }
    }
    if vary.is_some_and(|v| {
        v.load.is_some() || v.servers_range.is_some() || v.capacity_range.is_some()
    }) {
        file.sweep = Default::default();
    }
}

/// Checks `file`; errors read `<table>: <what is wrong>`.
pub fn check(file: &ScenarioFile) -> Result<(), CliError> {
    exclusive(file)?;
    let r = &file.run;
    let run = RunArgs {
        customers: r.customers,
        horizon: r.horizon,
        warmup: r.warmup.as_ref().map(|w| w.to_flag()),
        replications: r.replications,
        precision: r.precision,
        seed: r.seed,
        threads: r.threads,
    };
    run_config::build(&run).map_err(|e| CliError::field("[run]", e))?;
    let s = &file.sweep;
    if let Some(text) = &s.load {
        range::parse("[sweep] load", text)?;
    }
    if let Some(text) = &s.servers {
        range::parse_counts("[sweep] servers", text, 1, Station::MAX_SERVERS)?;
    }
    if let Some(text) = &s.capacity {
        range::parse_counts("[sweep] capacity", text, 1, range::MAX_CAPACITY)?;
    }
    Ok(())
}

/// One key of each pair at most, as clap enforces for the flags.
fn exclusive(file: &ScenarioFile) -> Result<(), CliError> {
    let r = &file.run;
    let s = &file.sweep;
    let mut pairs = vec![
        (
            "[run]",
            "customers",
            r.customers.is_some(),
            "horizon",
            r.horizon.is_some(),
        ),
        (
            "[run]",
            "replications",
            r.replications.is_some(),
            "precision",
            r.precision.is_some(),
        ),
    ];
    if let Some(st) = &file.station {
        pairs.push((
            "[station]",
            "arrival",
            st.arrival.is_some(),
            "arrival_rate",
            st.arrival_rate.is_some(),
        ));
        pairs.push((
            "[station]",
            "service",
            st.service.is_some(),
            "service_rate",
            st.service_rate.is_some(),
        ));
    }
    if let Some(p) = &file.pipeline {
        pairs.push((
            "[pipeline]",
            "arrival",
            p.arrival.is_some(),
            "arrival_rate",
            p.arrival_rate.is_some(),
        ));
    }
    for (table, a, has_a, b, has_b) in pairs {
        if has_a && has_b {
            return Err(CliError::new(format!("{table}: give {a} or {b}, not both")));
        }
    }
    let stages = file.pipeline.as_ref().map_or(&[][..], |p| &p.stage[..]);
    for (i, st) in stages.iter().enumerate() {
        if st.service.is_some() && st.service_rate.is_some() {
            return Err(CliError::new(format!(
                "[[pipeline.stage]] {}: give service or service_rate, not both",
                i + 1
            )));
        }
    }
    let ranges = [
        ("load", s.load.is_some()),
        ("servers", s.servers.is_some()),
        ("capacity", s.capacity.is_some()),
    ];
    let given: Vec<&str> = ranges.iter().filter(|r| r.1).map(|r| r.0).collect();
    if given.len() > 1 {
        return Err(CliError::new(format!(
            "[sweep]: give one of load, servers or capacity, not {}",
            given.join(" and ")
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATION: &str = "[station]\nmodel = \"M/M/1\"\narrival_rate = 0.5\nservice_rate = 1\n";

    fn err(extra: &str) -> String {
        let file = ScenarioFile::parse(&format!("{STATION}{extra}")).unwrap();
        check(&file).unwrap_err().to_string()
    }

    #[test]
    fn keys_that_exclude_each_other() {
        let e = err("[run]\ncustomers = 10\nhorizon = 5.0\n");
        assert_eq!(e, "[run]: give customers or horizon, not both");
        let e = err("[run]\nreplications = 3\nprecision = 0.1\n");
        assert_eq!(e, "[run]: give replications or precision, not both");
        let e = err("[sweep]\nload = \"0.5\"\nservers = \"1:2:1\"\n");
        assert_eq!(
            e,
            "[sweep]: give one of load, servers or capacity, not load and servers"
        );
        let e = err("arrival = \"exp:1\"\n");
        assert_eq!(e, "[station]: give arrival or arrival_rate, not both");
        let pipe = "[pipeline]\narrival_rate = 1\narrival = \"exp:1\"\n\
                    [[pipeline.stage]]\nservice_rate = 2\n";
        let e = check(&ScenarioFile::parse(pipe).unwrap()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "[pipeline]: give arrival or arrival_rate, not both"
        );
        let pipe = "[pipeline]\narrival_rate = 1\n[[pipeline.stage]]\nservice_rate = 2\n\
                    [[pipeline.stage]]\nservice_rate = 2\nservice = \"det:1\"\n";
        let e = check(&ScenarioFile::parse(pipe).unwrap()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "[[pipeline.stage]] 2: give service or service_rate, not both"
        );
    }

    #[test]
    fn values_a_flag_replaces_are_not_checked() {
        let text = format!("{STATION}arrival = \"exp:1\"\n[run]\nthreads = 100000\n");
        let mut file = ScenarioFile::parse(&text).unwrap();
        let args = ScenarioArgs {
            arrival: Some("exp:0.3".into()),
            ..Default::default()
        };
        let run = RunArgs {
            threads: Some(4),
            ..Default::default()
        };
        drop_overridden(&mut file, &args, Some(&run), None);
        assert!(check(&file).is_ok());
        // Without the flags both problems stand.
        let file = ScenarioFile::parse(&text).unwrap();
        assert!(check(&file).is_err());
        // A flag on the other side leaves the file's contradiction in force.
        let mut file = ScenarioFile::parse(&text).unwrap();
        let args = ScenarioArgs {
            service: Some("det:1".into()),
            ..Default::default()
        };
        drop_overridden(&mut file, &args, Some(&run), None);
        let e = check(&file).unwrap_err().to_string();
        assert_eq!(e, "[station]: give arrival or arrival_rate, not both");
    }

    #[test]
    fn run_and_sweep_values_are_checked() {
        let e = err("[run]\nreplications = 0\n");
        assert!(e.starts_with("[run]: replications must be"), "{e}");
        let e = err("[run]\nthreads = 100000\n");
        assert!(e.starts_with("[run]: threads must be"), "{e}");
        let e = err("[sweep]\nload = \"abc\"\n");
        assert!(e.starts_with("[sweep] load: 'abc'"), "{e}");
        let e = err("[sweep]\nservers = \"0:2:1\"\n");
        assert!(e.starts_with("[sweep] servers: every value"), "{e}");
        let file = ScenarioFile::parse(&format!(
            "{STATION}[run]\ncustomers = 10\nwarmup = \"auto\"\n[sweep]\nload = \"0.1:0.5:0.1\"\n"
        ))
        .unwrap();
        assert!(check(&file).is_ok());
    }
}
