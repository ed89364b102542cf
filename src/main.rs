//! The `kendall` command line: see `kendall --help`.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
