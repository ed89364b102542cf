//! The `kendall` command: parse arguments, run one subcommand, and turn every failure into
//! one line on stderr with exit code 2.

mod args;
mod commands;
mod dist;
mod error;
mod file_checks;
mod live_config;
mod output;
mod progress;
mod range;
mod report;
mod run_config;
mod scenario;
mod scenario_file;
mod text_file;

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

use args::{Cli, Command};
use error::CliError;

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(e),
    };
    let result = match cli.command {
        Command::Demo(a) => commands::demo::run(&a),
        Command::Simulate(a) => commands::simulate::run(&a),
        Command::Sweep(a) => commands::sweep::run(&a),
        Command::Theory(a) => commands::theory::run(&a),
        Command::Live(a) => commands::live::run(&a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

/// Help and version print as clap formats them; usage errors shrink to one line with the
/// allowed values, exit code 2.
fn clap_exit(e: clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // Printing help can only fail on a closed stdout, where there is no one to tell.
            let _ = e.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::from(2)
        }
        _ => {
            eprintln!("error: {}", one_line_clap(&e));
            CliError::new("").exit_code()
        }
    }
}

/// The first line of clap's message plus its hints (possible values, similar names).
fn one_line_clap(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines
        .next()
        .unwrap_or("invalid arguments")
        .trim_start_matches("error:")
        .trim()
        .to_string();
    let hints: Vec<&str> = lines
        .filter(|l| l.starts_with("[possible values") || l.starts_with("tip:"))
        .collect();
    if hints.is_empty() {
        first
    } else {
        format!("{first} {}", hints.join(" "))
    }
}
