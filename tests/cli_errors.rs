//! Bad input: every case exits with code 2 and one line on stderr that names the field and
//! what is allowed, and never panics.

mod cli_support;

use cli_support::{Scratch, kendall};

/// Runs `kendall ARGS` and checks exit code 2, one `error:` line containing every `needle`.
fn fails(args: &[&str], needles: &[&str]) {
    let out = kendall().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "kendall {args:?}: stderr {stderr}"
    );
    assert!(
        !stderr.contains("panicked"),
        "kendall {args:?} panicked: {stderr}"
    );
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        lines.len(),
        1,
        "kendall {args:?}: expected one line, got {stderr}"
    );
    assert!(lines[0].starts_with("error: "), "{}", lines[0]);
    for n in needles {
        assert!(
            lines[0].contains(n),
            "kendall {args:?}: '{}' lacks '{n}'",
            lines[0]
        );
    }
    assert!(
        out.stdout.is_empty(),
        "kendall {args:?} printed to stdout on error"
    );
}

const MM1: [&str; 6] = [
    "--model",
    "M/M/1",
    "--arrival-rate",
    "0.5",
    "--service-rate",
    "1",
];

#[test]
fn negative_and_zero_rates() {
    fails(
        &[
            "theory",
            "--model",
            "M/M/1",
            "--arrival-rate",
            "-1",
            "--service-rate",
            "1",
        ],
        &["arrival-rate", "> 0", "-1"],
    );
    fails(
        &[
            "theory",
            "--model",
            "M/M/1",
            "--arrival-rate",
            "1",
            "--service-rate",
            "0",
        ],
        &["service-rate", "> 0"],
    );
    fails(
        &["simulate", "--arrival", "exp:-2", "--service", "exp:1"],
        &["arrival", "rate", "> 0"],
    );
    fails(
        &["theory", "--arrival-rate", "NaN", "--service-rate", "1"],
        &["arrival-rate", "finite"],
    );
}

#[test]
fn capacity_below_servers_and_zero_servers() {
    fails(
        &[
            "theory",
            "--model",
            "M/M/3/2",
            "--arrival-rate",
            "1",
            "--service-rate",
            "1",
        ],
        &["capacity", "3"],
    );
    fails(
        &[
            "theory",
            "--model",
            "M/M/1",
            "--arrival-rate",
            "1",
            "--service-rate",
            "2",
            "--servers",
            "0",
        ],
        &["servers", "[1, 1000000]"],
    );
}

#[test]
fn huge_server_counts_and_erlang_phases_are_refused_not_run() {
    let theory = |model: &str, extra: &[&str]| {
        let mut a = vec![
            "theory",
            "--model",
            model,
            "--arrival-rate",
            "0.5",
            "--service-rate",
            "1",
        ];
        a.extend(extra);
        a.into_iter().map(String::from).collect::<Vec<_>>()
    };
    for (args, needles) in [
        (
            theory("M/M/4294967296/4294967296", &[]),
            vec!["servers (c)", "[1, 1000000], or inf"],
        ),
        // usize::MAX is the infinite-server marker inside; it must not leak in as a count.
        (
            theory("M/M/1", &["--servers", "18446744073709551615"]),
            vec!["servers", "[1, 1000000]", "M/M/inf"],
        ),
        (
            theory("M/E4000000000/1", &[]),
            vec!["phases (k)", "[1, 1000]"],
        ),
        (
            vec![
                "theory".into(),
                "--arrival".into(),
                "exp:1".into(),
                "--service".into(),
                "erlang:99999999999:1".into(),
            ],
            vec!["service", "phases (k)", "[1, 1000]"],
        ),
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        fails(&args, &needles);
    }
}

#[test]
fn overflowing_means_and_moments_are_refused() {
    fails(
        &[
            "simulate",
            "--arrival",
            "exp:0.5",
            "--service",
            "h2:mean=1,cv=1e200",
            "--customers",
            "2000",
            "--replications",
            "2",
        ],
        &["service", "cv", "[1, 1e6]", "got 1e200"],
    );
    fails(
        &[
            "theory",
            "--arrival",
            "exp:0.5",
            "--service",
            "lognormal:mean=1,cv=1e200",
        ],
        &["service", "cv", "[0, 1e6]"],
    );
    fails(
        &[
            "theory",
            "--model",
            "M/M/1",
            "--arrival-rate",
            "0.5",
            "--service-rate",
            "1e-320",
        ],
        &["service-rate", "1/rate is finite", "got 1e-320"],
    );
    fails(
        &["theory", "--arrival", "exp:0.5", "--service", "exp:1e-320"],
        &["service", "rate", "finite", "got 1e-320"],
    );
    fails(
        &[
            "theory",
            "--model",
            "M/M/1",
            "--arrival-rate",
            "1e300",
            "--service-rate",
            "1e-100",
        ],
        &["offered load", "finite"],
    );
    let tmp = Scratch::new("errors-huge-trace");
    let huge = tmp.path().join("huge.txt");
    std::fs::write(&huge, "1e308\n1e308\n").unwrap();
    let spec = format!("trace:{}", huge.display());
    fails(
        &["theory", "--arrival", "exp:0.5", "--service", &spec],
        &["service", "trace mean", "finite"],
    );
}

#[test]
fn negative_whole_number_flags_name_the_flag() {
    // Each used to end in clap's "unexpected argument '-1' found", naming neither.
    let mut base = vec!["simulate"];
    base.extend(MM1);
    for (extra, needles) in [
        (["--servers", "-1"], vec!["--servers", "[1, 1000000]"]),
        (["--capacity", "-1"], vec!["--capacity", "≥ servers"]),
        (
            ["--customers", "-5"],
            vec!["--customers", "[1, 1000000000000]"],
        ),
        (["--customers", "1e6"], vec!["--customers", "whole number"]),
        (
            ["--replications", "-3"],
            vec!["--replications", "[1, 100000]"],
        ),
        (
            ["--seed", "-1"],
            vec!["--seed", "[0, 18446744073709551615]"],
        ),
        (["--threads", "-2"], vec!["--threads", "[1, 1024]"]),
    ] {
        let mut a = base.clone();
        a.extend(extra);
        fails(&a, &needles);
    }
    fails(
        &["demo", "--quick", "--threads", "-1"],
        &["--threads", "[1, 1024]"],
    );
    let mut a = vec!["live"];
    a.extend(MM1);
    a.extend(["--replications", "-1"]);
    fails(&a, &["--replications", "[1, 100000]"]);
}

#[test]
fn unknown_flag_values_and_flags() {
    fails(
        &["theory", "--format", "xml"],
        &["xml", "--format", "table, json, csv"],
    );
    fails(&["simulate", "--cusomers", "10"], &["--cusomers"]);
    fails(&["bogus"], &["bogus"]);
    fails(
        &["simulate", "--customers", "many"],
        &["many", "--customers"],
    );
}

#[test]
fn bad_distributions_and_notation() {
    fails(
        &[
            "theory",
            "--arrival",
            "exp:1",
            "--service",
            "lognormal:mean=1",
        ],
        &["service", "cv"],
    );
    fails(
        &["theory", "--arrival", "poisson:1", "--service", "exp:1"],
        &["arrival", "exp:RATE"],
    );
    fails(
        &[
            "theory",
            "--model",
            "X/Y/1",
            "--arrival-rate",
            "1",
            "--service-rate",
            "2",
        ],
        &["model", "'X'"],
    );
    fails(
        &[
            "theory",
            "--model",
            "M/M",
            "--arrival-rate",
            "1",
            "--service-rate",
            "2",
        ],
        &["model", "A/S/c"],
    );
    fails(
        &[
            "theory",
            "--model",
            "G/G/1",
            "--arrival-rate",
            "1",
            "--service-rate",
            "2",
        ],
        &["arrival", "--arrival DIST"],
    );
    fails(
        &["theory", "--service-rate", "1"],
        &["arrival", "missing", "arrival_rate = RATE"],
    );
}

#[test]
fn bad_run_settings() {
    let mut args = vec!["simulate"];
    args.extend(MM1);
    for (extra, needles) in [
        (vec!["--customers", "0"], vec!["customers", "≥ 1"]),
        (vec!["--warmup", "soon"], vec!["warmup", "auto"]),
        (vec!["--precision", "2"], vec!["precision", "(0, 1)"]),
        (vec!["--replications", "0"], vec!["replications", "≥ 1"]),
        (vec!["--horizon", "-5"], vec!["horizon", "> 0"]),
        (vec!["--threads", "0"], vec!["threads", "[1, 1024]"]),
        (
            vec!["--threads", "10000"],
            vec!["threads", "[1, 1024]", "10000"],
        ),
        // Runs that would take days to forever are refused, not started.
        (
            vec!["--customers", "18446744073709551615"],
            vec!["customers", "[1, 1000000000000]"],
        ),
        (vec!["--horizon", "1e300"], vec!["horizon", "1e12 arrivals"]),
        (vec!["--warmup", "1e308"], vec!["warm-up", "1e12 arrivals"]),
        (
            vec!["--replications", "4000000000"],
            vec!["replications", "[1, 100000]"],
        ),
    ] {
        let mut a = args.clone();
        a.extend(extra);
        fails(&a, &needles);
    }
}

#[test]
fn bad_sweep_ranges() {
    let mut args = vec!["sweep"];
    args.extend(MM1);
    for (extra, needles) in [
        (vec!["--load", "0.9:0.1:0.1"], vec!["load", "TO < FROM"]),
        (vec!["--load", "0.1:0.9:0"], vec!["load", "STEP"]),
        (
            vec!["--servers-range", "0:3:1"],
            vec!["servers-range", "[1, 1000000]"],
        ),
        (
            vec!["--servers-range", "1:1000000000:100000000"],
            vec!["servers-range", "[1, 1000000]", "100000001"],
        ),
        // A tiny STEP is too many points, not an empty range.
        (
            vec!["--load", "0.1:0.9:1e-300"],
            vec!["load", "8e299 points (at most 1000)"],
        ),
        (vec![], vec!["--load"]),
        // A rate of 1e-300 has no finite second moment; it used to read "got NaN".
        (vec!["--load", "1e-300"], vec!["load", "got 1e-300"]),
    ] {
        let mut a = args.clone();
        a.extend(extra);
        fails(&a, &needles);
    }
    fails(
        &[
            "sweep",
            "--model",
            "M/M/1",
            "--arrival-rate",
            "1",
            "--service-rate",
            "2",
            "--load",
            "0.5",
            "--capacity-range",
            "5",
        ],
        &["cannot be used with"],
    );
}

#[test]
fn scenario_file_errors_give_the_line() {
    let tmp = Scratch::new("errors-toml");
    let unknown = tmp.path().join("unknown.toml");
    std::fs::write(
        &unknown,
        "name = \"x\"\n[station]\nmodel = \"M/M/1\"\nservrs = 2\n",
    )
    .unwrap();
    fails(
        &["theory", "--scenario", unknown.to_str().unwrap()],
        &["line 4", "servrs", "unknown field"],
    );
    let malformed = tmp.path().join("malformed.toml");
    std::fs::write(&malformed, "# comment\n[station\nmodel = \"M/M/1\"\n").unwrap();
    fails(
        &["theory", "--scenario", malformed.to_str().unwrap()],
        &["line 2", "malformed.toml"],
    );
    let wrong_type = tmp.path().join("wrong-type.toml");
    std::fs::write(
        &wrong_type,
        "[station]\nmodel = \"M/M/1\"\narrival_rate = \"fast\"\n",
    )
    .unwrap();
    fails(
        &["theory", "--scenario", wrong_type.to_str().unwrap()],
        &["line 3"],
    );
    fails(
        &["theory", "--scenario", "/nonexistent/scenario.toml"],
        &["scenario", "/nonexistent/scenario.toml"],
    );
}

#[test]
fn scenario_files_obey_the_flags_rules_for_every_subcommand() {
    let tmp = Scratch::new("errors-file-rules");
    let station = "[station]\nmodel = \"M/M/1\"\narrival_rate = 0.5\nservice_rate = 1\n";
    for (extra, needles) in [
        (
            "[run]\ncustomers = 10\nhorizon = 5.0\n",
            vec!["[run]: give customers or horizon, not both"],
        ),
        (
            "[run]\nreplications = 3\nprecision = 0.1\n",
            vec!["[run]: give replications or precision, not both"],
        ),
        (
            "[sweep]\nload = \"0.5\"\nservers = \"1:2:1\"\n",
            vec!["[sweep]: give one of load, servers or capacity"],
        ),
        (
            "arrival = \"exp:1\"\n",
            vec!["[station]", "arrival or arrival_rate"],
        ),
        // `theory` ignores [run] and [sweep], but still refuses bad values in them.
        (
            "[run]\nreplications = 0\n",
            vec!["[run]: replications", "≥ 1"],
        ),
        ("[sweep]\nload = \"abc\"\n", vec!["[sweep] load", "'abc'"]),
    ] {
        let path = tmp.path().join("s.toml");
        // [station] keys go inside [station], tables after it.
        let text = if extra.starts_with('[') {
            format!("{station}{extra}")
        } else {
            station.replacen("[station]\n", &format!("[station]\n{extra}"), 1)
        };
        std::fs::write(&path, text).unwrap();
        let mut n = needles.clone();
        n.push("s.toml");
        fails(&["theory", "--scenario", path.to_str().unwrap()], &n);
    }
    let pipe = tmp.path().join("p.toml");
    std::fs::write(
        &pipe,
        "[pipeline]\narrival_rate = 1\narrival = \"exp:1\"\n[[pipeline.stage]]\nservice_rate = 2\n",
    )
    .unwrap();
    fails(
        &["theory", "--scenario", pipe.to_str().unwrap()],
        &["[pipeline]: give arrival or arrival_rate, not both"],
    );
}

#[test]
fn pipeline_files_reject_station_flags_and_bad_stages() {
    fails(
        &[
            "theory",
            "--scenario",
            "examples/pipeline.toml",
            "--servers",
            "3",
        ],
        &["--servers", "single station", "[[pipeline.stage]]"],
    );
    let tmp = Scratch::new("errors-pipeline");
    let bad = tmp.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[pipeline]\narrival_rate = 1\n[[pipeline.stage]]\nservers = 2\n",
    )
    .unwrap();
    fails(
        &["theory", "--scenario", bad.to_str().unwrap()],
        &["stage 1 service", "missing"],
    );
    std::fs::write(
        &bad,
        "[pipeline]\narrival_rate = 1\n[[pipeline.stage]]\nservice_rate = 2\ncapacity = 0\n",
    )
    .unwrap();
    fails(
        &["theory", "--scenario", bad.to_str().unwrap()],
        &["stage 1: capacity (K) must be"],
    );
    // The stage is named once, and it is the right one.
    std::fs::write(
        &bad,
        "[pipeline]\narrival_rate = 1\n[[pipeline.stage]]\nservice_rate = 2\n\
         [[pipeline.stage]]\nservice_rate = 2\nservers = 2000000\n",
    )
    .unwrap();
    fails(
        &["theory", "--scenario", bad.to_str().unwrap()],
        &["error: stage 2: servers (c) must be an integer in [1, 1000000]"],
    );
    fails(
        &[
            "sweep",
            "--scenario",
            "examples/pipeline.toml",
            "--servers-range",
            "1:2:1",
        ],
        &["sweep", "single-station"],
    );
}

#[test]
fn missing_trace_file() {
    fails(
        &[
            "theory",
            "--arrival",
            "exp:1",
            "--service",
            "trace:/nonexistent/times.txt",
        ],
        &["service", "trace file", "/nonexistent/times.txt"],
    );
    let tmp = Scratch::new("errors-trace");
    let bad = tmp.path().join("times.txt");
    std::fs::write(&bad, "1.0\n2.0\nslow\n").unwrap();
    let spec = format!("trace:{}", bad.display());
    fails(
        &["theory", "--arrival", "exp:0.5", "--service", &spec],
        &["service", "line 3", "'slow'"],
    );
    let empty = tmp.path().join("empty.txt");
    std::fs::write(&empty, "# nothing\n").unwrap();
    let spec = format!("trace:{}", empty.display());
    fails(
        &["theory", "--arrival", "exp:0.5", "--service", &spec],
        &["service", "at least one value"],
    );
}

/// An endless file is refused after the size cap instead of read until memory runs out.
#[cfg(target_os = "linux")]
#[test]
fn endless_trace_file_is_capped() {
    fails(
        &[
            "theory",
            "--arrival",
            "exp:0.5",
            "--service",
            "trace:/dev/zero",
        ],
        &["service", "/dev/zero", "larger than the 256 MiB allowed"],
    );
}

#[test]
fn unwritable_out() {
    let tmp = Scratch::new("errors-out");
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "not a directory").unwrap();
    let under_file = file.join("report");
    let mut args = vec!["theory"];
    args.extend(MM1);
    let mut a = args.clone();
    a.extend(["--out", under_file.to_str().unwrap()]);
    fails(&a, &["out", "cannot write", "writable directory"]);
    let mut a = args.clone();
    a.extend(["--out", file.to_str().unwrap()]);
    fails(&a, &["out", "not a directory"]);
    // The demo checks --out before it simulates anything.
    fails(
        &["demo", "--quick", "--out", under_file.to_str().unwrap()],
        &["out", "cannot write"],
    );
}

#[test]
fn help_and_version_succeed() {
    for args in [
        vec!["--help"],
        vec!["simulate", "--help"],
        vec!["sweep", "--help"],
        vec!["theory", "--help"],
        vec!["demo", "--help"],
        vec!["--version"],
    ] {
        let out = kendall().args(&args).output().unwrap();
        assert!(out.status.success(), "kendall {args:?}");
        assert!(!out.stdout.is_empty());
    }
    let help = kendall().args(["simulate", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("Examples:") && help.contains("lognormal:mean=M,cv=C"),
        "{help}"
    );
}
