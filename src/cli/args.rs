//! The clap command tree: subcommands, their flags, and the examples shown by `--help`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Kendall: simulate queues, compare with queueing theory, and write reports with charts.
#[derive(Debug, Parser)]
#[command(
    name = "kendall",
    version,
    about = "Simulate queues, compare every figure with queueing theory, and write reports with charts.",
    after_help = "Examples:\n  kendall demo\n  kendall simulate --model M/M/1 --arrival-rate 0.9 --service-rate 1\n  \
                  kendall sweep --model M/M/3/10 --service-rate 1 --load 0.1:0.95:0.05 --out report\n  \
                  kendall theory --model M/M/10 --arrival-rate 8 --service-rate 1\n  \
                  kendall live --model M/M/1 --arrival-rate 0.5 --service-rate 1 --customers 2000"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load sweep of an M/M/1 and an M/M/c/K queue (ρ 0.1..0.95) with a report and charts.
    #[command(
        after_help = "Examples:\n  kendall demo\n  kendall demo --out /tmp/report\n  \
                            kendall demo --quick --format json"
    )]
    Demo(DemoArgs),
    /// Simulate one scenario and compare every figure with theory.
    #[command(after_help = SIMULATE_EXAMPLES)]
    Simulate(SimulateArgs),
    /// Simulate a scenario at several loads, server counts or capacities.
    #[command(after_help = SWEEP_EXAMPLES)]
    Sweep(SweepArgs),
    /// Print what queueing theory predicts for a scenario (no simulation).
    #[command(after_help = THEORY_EXAMPLES)]
    Theory(TheoryArgs),
    /// Run a scenario live on the real lock-free channel and show it beside theory and simulation.
    #[command(after_help = LIVE_EXAMPLES)]
    Live(LiveArgs),
}

const SIMULATE_EXAMPLES: &str = "Examples:
  kendall simulate --model M/M/1 --arrival-rate 0.9 --service-rate 1
  kendall simulate --model M/D/2/10 --arrival-rate 1.5 --service-rate 1 --format json
  kendall simulate --arrival exp:0.8 --service lognormal:mean=1,cv=2 --servers 2 --capacity 20
  kendall simulate --arrival trace:arrivals.txt --service det:0.5 --horizon 10000
  kendall simulate --scenario examples/web-requests.toml --out web-report
  kendall simulate --model M/M/1 --arrival-rate 0.9 --precision 0.01 --seed 7

Distributions (a RATE is 1/mean of the whole distribution):
  exp:RATE  det:VALUE  erlang:K:RATE  uniform:LO:HI  h2:mean=M,cv=C
  lognormal:mean=M,cv=C  pareto:mean=M,shape=A  trace:FILE (numbers, one per line)";

const SWEEP_EXAMPLES: &str = "Examples:
  kendall sweep --model M/M/1 --service-rate 1 --load 0.1:0.95:0.05
  kendall sweep --model M/M/3/10 --service-rate 1 --load 0.5:0.95:0.15 --out sweep-report
  kendall sweep --model M/M/1 --arrival-rate 3.5 --service-rate 1 --servers-range 4:8:1
  kendall sweep --scenario examples/consumer-pool.toml --capacity-range 4:40:4 --format csv

--load sets the arrival rate so that ρ = λ/(c·μ) takes each value.";

const THEORY_EXAMPLES: &str = "Examples:
  kendall theory --model M/M/1 --arrival-rate 0.9 --service-rate 1
  kendall theory --model M/M/10 --arrival-rate 8 --service-rate 1 --format json
  kendall theory --arrival exp:0.9 --service lognormal:mean=1,cv=0.5
  kendall theory --scenario examples/deterministic-service.toml";

const LIVE_EXAMPLES: &str = "Examples:
  kendall live --model M/M/1 --arrival-rate 0.5 --service-rate 1
  kendall live --model M/D/2/10 --arrival-rate 1.5 --service-rate 1 --customers 2000 --out live-report
  kendall live --arrival exp:0.8 --service lognormal:mean=1,cv=2 --time-scale 2ms --format json
  kendall live --scenario examples/web-requests.toml --time-scale 500us --no-sim

One arrival thread releases customers on the sampled schedule into a kendall_queue channel
(the waiting room, K − c messages) and c server threads perform each service as timed work.
Model time maps to real time by --time-scale (seconds per model time unit; 1ms, 500us or
0.002), so a run takes about (warm-up + customers) × mean inter-arrival × time scale; the
estimate is printed before it starts. The live run goes first, alone, then the simulation.
The timing block says how late releases and services ran; 'faithful: no' means the machine,
not the model, inflated the live figures. Pipelines, M/M/inf and waiting rooms above 65536
are not supported live.";

/// `kendall demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// A much smaller run (fewer customers and points), for a quick look or a test.
    #[arg(long)]
    pub quick: bool,
    /// Seed of every run.
    #[arg(long, default_value_t = 1, allow_negative_numbers = true, value_parser = whole::<u64>(SEEDS))]
    pub seed: u64,
    /// Worker threads, 1 to 1024 (default: all cores); results do not depend on it.
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = whole::<usize>(THREADS))]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `kendall simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub run: RunArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `kendall sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub vary: VaryArgs,
    #[command(flatten)]
    pub run: RunArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `kendall theory`.
#[derive(Debug, Args)]
pub struct TheoryArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `kendall live`.
#[derive(Debug, Args)]
pub struct LiveArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub live: LiveRunArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// How to run live, and whether to simulate beside it.
#[derive(Debug, Args, Default, Clone)]
pub struct LiveRunArgs {
    /// Real time per model time unit: 1ms, 500us, 2s, or seconds as a number (0.002).
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "1ms",
        allow_hyphen_values = true
    )]
    pub time_scale: String,
    /// Arrivals after the warm-up [default: 3000]; with the warm-up at most 10 000 000.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub customers: Option<String>,
    /// Arrivals released before statistics start [default: 300].
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub warmup_customers: Option<String>,
    /// Seed of the live run and of the simulation.
    #[arg(long, value_name = "S", allow_negative_numbers = true, value_parser = whole::<u64>(SEEDS))]
    pub seed: Option<u64>,
    /// Microseconds before each deadline at which a thread stops sleeping and spins (0..=10000).
    #[arg(long, value_name = "US", allow_hyphen_values = true)]
    pub spin_us: Option<String>,
    /// Replications of the simulation column.
    #[arg(long, value_name = "R", allow_negative_numbers = true, value_parser = whole::<u32>(REPLICATIONS))]
    pub replications: Option<u32>,
    /// Skip the simulation column (theory and live only).
    #[arg(long)]
    pub no_sim: bool,
}

/// The scenario, from flags or a TOML file (flags override the file).
#[derive(Debug, Args, Default, Clone)]
pub struct ScenarioArgs {
    /// Scenario file (TOML); see examples/ for the format.
    #[arg(long, value_name = "FILE.toml")]
    pub scenario: Option<PathBuf>,
    /// Kendall notation: M/M/1, M/D/2/10, M/E2/3, M/M/inf, G/G/3 (G needs --arrival/--service).
    #[arg(long, value_name = "A/S/c[/K]")]
    pub model: Option<String>,
    /// Arrival rate λ (customers per time unit).
    #[arg(long, value_name = "RATE", allow_negative_numbers = true)]
    pub arrival_rate: Option<f64>,
    /// Service rate μ per server (customers per time unit).
    #[arg(long, value_name = "RATE", allow_negative_numbers = true)]
    pub service_rate: Option<f64>,
    /// Inter-arrival time distribution, e.g. exp:0.9 (overrides --arrival-rate).
    #[arg(long, value_name = "DIST")]
    pub arrival: Option<String>,
    /// Service time distribution, e.g. lognormal:mean=1,cv=2 (overrides --service-rate).
    #[arg(long, value_name = "DIST")]
    pub service: Option<String>,
    /// Number of servers c, 1 to 1 000 000 (default 1, or as in --model).
    #[arg(long, value_name = "C", allow_negative_numbers = true, value_parser = whole::<usize>(SERVERS))]
    pub servers: Option<usize>,
    /// Capacity K: most customers in the system, waiting plus in service (K ≥ c).
    #[arg(long, value_name = "K", allow_negative_numbers = true, value_parser = whole::<usize>(CAPACITY))]
    pub capacity: Option<usize>,
    /// Unit of time for labels and charts (e.g. s, ms).
    #[arg(long, value_name = "UNIT")]
    pub time_unit: Option<String>,
}

/// How long and how often to simulate.
#[derive(Debug, Args, Default, Clone)]
pub struct RunArgs {
    /// Arrivals per replication after the warm-up (at most 10¹²).
    #[arg(
        long,
        value_name = "N",
        conflicts_with = "horizon",
        allow_negative_numbers = true,
        value_parser = whole::<u64>(CUSTOMERS)
    )]
    pub customers: Option<u64>,
    /// Simulated time per replication after the warm-up.
    #[arg(long, value_name = "T", allow_negative_numbers = true)]
    pub horizon: Option<f64>,
    /// Warm-up to delete: a time T, `auto` (MSER-5) or `none`.
    #[arg(long, value_name = "T|auto|none", allow_negative_numbers = true)]
    pub warmup: Option<String>,
    /// Number of independent replications.
    #[arg(
        long,
        value_name = "R",
        conflicts_with = "precision",
        allow_negative_numbers = true,
        value_parser = whole::<u32>(REPLICATIONS)
    )]
    pub replications: Option<u32>,
    /// Run until the relative 95% half-width of the mean sojourn time is below EPS.
    #[arg(long, value_name = "EPS", allow_negative_numbers = true)]
    pub precision: Option<f64>,
    /// Seed; the same seed gives the same results on any number of threads.
    #[arg(long, value_name = "S", allow_negative_numbers = true, value_parser = whole::<u64>(SEEDS))]
    pub seed: Option<u64>,
    /// Worker threads, 1 to 1024 (default: all cores).
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = whole::<usize>(THREADS))]
    pub threads: Option<usize>,
}

/// What each whole-number flag allows, as its parse error says; the ranges themselves are
/// checked after parsing (the test below keeps the two in step).
const SERVERS: &str = "a whole number in [1, 1000000]";
const CAPACITY: &str = "a whole number ≥ servers";
const CUSTOMERS: &str = "a whole number in [1, 1000000000000]";
const REPLICATIONS: &str = "a whole number in [1, 100000]";
const SEEDS: &str = "a whole number in [0, 18446744073709551615]";
const THREADS: &str = "a whole number in [1, 1024]";

/// A whole-number flag's parser: `-1` or `1e6` is refused naming what the flag takes (the
/// flag itself reaches it through `allow_negative_numbers`; without that clap reads `-1` as
/// an unknown flag and names neither).
fn whole<T>(
    allowed: &'static str,
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: std::str::FromStr + Clone + Send + Sync + 'static,
{
    move |text| {
        text.trim()
            .parse()
            .map_err(|_| format!("must be {allowed}"))
    }
}

/// What a sweep varies: exactly one of these.
#[derive(Debug, Args, Default, Clone)]
#[group(multiple = false)]
pub struct VaryArgs {
    /// Offered load ρ = λ/(c·μ) as FROM:TO:STEP (or a comma list), e.g. 0.1:0.95:0.05.
    #[arg(long, value_name = "FROM:TO:STEP")]
    pub load: Option<String>,
    /// Number of servers as FROM:TO:STEP (or a comma list), e.g. 1:8:1.
    #[arg(long, value_name = "FROM:TO:STEP")]
    pub servers_range: Option<String>,
    /// Capacity K as FROM:TO:STEP (or a comma list), e.g. 5:50:5.
    #[arg(long, value_name = "FROM:TO:STEP")]
    pub capacity_range: Option<String>,
}

/// Output format of the figures on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for reading.
    Table,
    /// The JSON schema (see README).
    Json,
    /// One row per scenario or point.
    Csv,
}

/// Where results go.
#[derive(Debug, Args, Default, Clone)]
pub struct OutputArgs {
    /// Output format on stdout [default: table on a terminal, json otherwise].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write a report directory (report.html, report.md, results.json/csv, charts/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use kendall_sim::{RunConfig, Station};

    #[test]
    fn whole_number_ranges_match_the_checks() {
        let max = |text: &str| {
            text.rsplit(", ")
                .next()
                .unwrap()
                .trim_end_matches(']')
                .to_string()
        };
        assert_eq!(max(SERVERS), Station::MAX_SERVERS.to_string());
        assert_eq!(max(CUSTOMERS), RunConfig::MAX_CUSTOMERS.to_string());
        assert_eq!(max(REPLICATIONS), RunConfig::MAX_REPLICATIONS.to_string());
        assert_eq!(max(SEEDS), u64::MAX.to_string());
        assert_eq!(max(THREADS), RunConfig::MAX_THREADS.to_string());
        assert_eq!(whole::<u32>(THREADS)(" 7 "), Ok(7));
        assert_eq!(
            whole::<u32>(THREADS)("-1"),
            Err("must be a whole number in [1, 1024]".to_string())
        );
    }
}
