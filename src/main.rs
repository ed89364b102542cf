//! The `kendall` command line.

use clap::Parser;

/// Kendall: a lock-free queue and a queueing laboratory.
#[derive(Parser)]
#[command(name = "kendall", version, about)]
struct Cli {}

fn main() {
    let _ = Cli::parse();
}
