//! The progress bar: drawn when stderr is a terminal (a pseudo-terminal from util-linux
//! `script`), absent when it is a pipe.

mod cli_support;

use std::process::Command;

use cli_support::kendall;

const ARGS: &str = "simulate --model M/M/1 --arrival-rate 0.9 --service-rate 1 \
                    --customers 300000 --replications 4 --threads 1 --format json";

#[test]
fn bar_on_a_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("NOTICE: util-linux `script` not found; skipping the terminal progress test");
        return;
    }
    let cmd = format!("{} {ARGS}", env!("CARGO_BIN_EXE_kendall"));
    let out = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(
        screen.contains("simulating M/M/1 ["),
        "no progress bar on a terminal: {screen}"
    );
    assert!(screen.contains("%"), "{screen}");
}

#[test]
fn silent_in_a_pipe() {
    let out = kendall().args(ARGS.split_whitespace()).output().unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
}
