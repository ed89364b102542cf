//! The live runner: the same scenario the simulator runs and the theory predicts, driven
//! through the real [`kendall_queue`] channel by real threads, and measured with the same
//! statistics — so theory, simulation and reality can be read side by side.
//!
//! One arrival thread releases customers on the sampled schedule (absolute deadlines, so
//! lateness never accumulates); the station's waiting room is a `kendall_queue::bounded`
//! channel; `c` server threads `recv` customers in FIFO order and perform each service as timed
//! work (sleep, then spin the last [`LiveConfig::spin_us`] µs). Model time maps to real time
//! through [`LiveConfig::time_scale`]; every figure comes back in model units.
//!
//! **Capacity.** For a finite K the channel holds K − c messages and the c customers in
//! service are held by the server threads, so at most K are in the system; an arrival whose
//! `try_send` finds the channel full is lost. (For K = c the channel is a rendezvous channel:
//! an arrival gets in only if a server is waiting in `recv`.) An unbounded station gets a
//! channel large enough for the whole run.
//!
//! **Fidelity.** A live run is as good as the machine's timers: a sleeping thread wakes late
//! by the OS timer slack plus scheduling delay, and a loaded machine with few cores delays
//! spinning threads too. The run measures this — [`LiveResult::timing`] has release lateness
//! and service overshoot percentiles — so a reader can tell an honest deviation from theory
//! from a timing artefact. Keep the time scale coarse (≥ 0.1 ms per unit) for faithful runs.
//!
//! ```
//! use kendall_sim::{Scenario, live::{self, LiveConfig}};
//! let mm1 = Scenario::from_kendall("M/M/1", 0.5, 1.0)?;
//! // 200 customers at 0.1 ms per model time unit: about 40 ms of real time.
//! let r = live::run(&mm1, &LiveConfig::default().time_scale(1e-4).customers(200).warmup_customers(20))?;
//! assert_eq!(r.result.customers, 200);
//! assert!(r.result.mean_sojourn_time > 0.0 && r.channel.sent >= 200);
//! # Ok::<(), kendall_sim::SimError>(())
//! ```

mod arrivals;
mod clock;
mod compare;
mod config;
mod measure;
mod servers;

use std::thread;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::config::Stop;
use crate::error::SimError;
use crate::result::SimResult;
use crate::scenario::{Scenario, Station};

pub use compare::{LiveComparison, LiveFigure, compare_live};
pub use config::LiveConfig;
pub use measure::Timing;

use arrivals::{Plan, release};
use clock::Clock;
use measure::{Raw, measure};
use servers::serve;

/// The most servers (one thread each) a live run accepts.
pub const MAX_SERVERS: usize = 256;

/// The largest channel a live run builds: an unbounded station's channel (messages beyond
/// it make the arrival thread wait, which shows as release lateness), and the most waiting
/// room K − c accepted.
const UNBOUNDED_CAPACITY_CAP: u64 = 1 << 16;

/// The channel's own counters at the end of the run (a copy of
/// [`kendall_queue::Stats`] that serialises).
///
/// ```
/// use kendall_sim::{Scenario, live::{LiveConfig, run}};
/// let r = run(&Scenario::from_kendall("M/M/1/2", 2.0, 1.0)?, &LiveConfig::default().time_scale(1e-4).customers(200))?;
/// assert_eq!(r.channel.capacity, 1); // K − c
/// assert!(r.channel.full_on_send >= r.result.lost);
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelStats {
    /// The channel's capacity (K − c; 0 is a rendezvous channel).
    pub capacity: usize,
    /// Messages sent.
    pub sent: u64,
    /// Messages received.
    pub received: u64,
    /// Sends that found the channel full.
    pub full_on_send: u64,
    /// Receives that found the channel empty (an idle server).
    pub empty_on_recv: u64,
    /// Times a blocked thread parked.
    pub parks: u64,
    /// Parked threads woken.
    pub wakeups: u64,
}

impl From<kendall_queue::Stats> for ChannelStats {
    fn from(s: kendall_queue::Stats) -> Self {
        ChannelStats {
            capacity: s.capacity,
            sent: s.sent,
            received: s.received,
            full_on_send: s.full_on_send,
            empty_on_recv: s.empty_on_recv,
            parks: s.parks,
            wakeups: s.wakeups,
        }
    }
}

/// The outcome of a live run: the simulator's figures (same names, model time units; the
/// half-widths are batch means within the run), the timing error, and the channel's counters.
/// In JSON the figures sit at the top level beside `time_scale`, `timing` and `channel`.
///
/// `p_wait` counts the customers who found at least c others in the system on arrival (as in
/// theory); `events` counts arrivals and departures.
///
/// ```
/// use kendall_sim::{Scenario, live::{LiveConfig, run}};
/// let r = run(&Scenario::from_kendall("M/D/1", 0.5, 1.0)?, &LiveConfig::default().time_scale(1e-4).customers(200))?;
/// let json = serde_json::to_value(&r).unwrap();
/// assert!(json["mean_sojourn_time"].is_number() && json["timing"]["spin_us"].is_number());
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiveResult {
    /// The measured figures, as [`simulate`](crate::simulate) reports them.
    #[serde(flatten)]
    pub result: SimResult,
    /// Real seconds per model time unit.
    pub time_scale: f64,
    /// How faithfully the schedule was kept.
    pub timing: Timing,
    /// The channel's counters.
    pub channel: ChannelStats,
}

/// Runs `scenario` live as `config` says. Blocks for about (warm-up + customers) × mean
/// inter-arrival time × time scale, plus the time to serve those still waiting.
///
/// Errors: invalid scenario or config; a pipeline (not supported live yet); more than
/// [`MAX_SERVERS`] servers or an infinite-server station; a waiting room K − c above 65 536;
/// [`SimError::NoCompletedCustomers`] when nobody arrived after the warm-up (a trace too short).
///
/// ```
/// use kendall_sim::{Scenario, SimError, live::{LiveConfig, run}};
/// let mm1 = Scenario::from_kendall("M/M/1", 0.5, 1.0)?;
/// let e = run(&mm1, &LiveConfig::default().customers(0)).unwrap_err();
/// assert!(matches!(e, SimError::InvalidParameter { .. }));
/// let r = run(&mm1, &LiveConfig::default().time_scale(1e-4).customers(200).seed(3))?;
/// assert!(r.result.utilisation > 0.0 && r.result.utilisation < 1.0);
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
pub fn run(scenario: &Scenario, config: &LiveConfig) -> Result<LiveResult, SimError> {
    scenario.validate()?;
    config.validate()?;
    let st = supported(scenario)?;
    let lossy = st.capacity.is_some();
    let capacity = match st.capacity {
        Some(k) => k - st.servers,
        None => unbounded_capacity(st, config),
    };
    let (tx, rx) = kendall_queue::bounded(capacity);
    let total = match config.stop {
        Stop::Customers(n) => config.warmup_customers.saturating_add(n),
        Stop::Horizon(_) => 1 << 12,
    };
    let per_server = usize::try_from(total / st.servers as u64 + 16)
        .unwrap_or(1 << 16)
        .min(1 << 20);

    let wall = Instant::now();
    // A small lead so every thread is up before the first deadline.
    let clock = Clock::new(
        Instant::now() + Duration::from_millis(2),
        config.time_scale,
        Duration::from_secs_f64(config.spin_us * 1e-6),
    );
    let plan = Plan {
        station: st,
        clock,
        seed: config.seed,
        warmup: config.warmup_customers,
        stop: config.stop,
        lossy,
    };
    let (arrivals, completions) = thread::scope(|s| {
        let servers: Vec<_> = (0..st.servers)
            .map(|_| {
                let rx = rx.clone();
                s.spawn(move || serve(clock, rx, per_server))
            })
            .collect();
        let source = s.spawn(|| release(&plan, tx));
        let arrivals = join(source);
        let mut done = Vec::new();
        for h in servers {
            done.extend(join(h));
        }
        (arrivals, done)
    });
    let channel = ChannelStats::from(rx.stats());
    let wall_seconds = wall.elapsed().as_secs_f64();
    let raw = Raw {
        station: st,
        clock,
        warmup: config.warmup_customers,
        arrivals,
        completions,
        series_points: config.series_points,
        spin_us: config.spin_us,
        wall_seconds,
    };
    let (result, timing) = measure(raw).ok_or(SimError::NoCompletedCustomers)?;
    Ok(LiveResult {
        result,
        time_scale: config.time_scale,
        timing,
        channel,
    })
}

/// The station of a scenario the live runner can run.
fn supported(scenario: &Scenario) -> Result<&Station, SimError> {
    let Some(st) = scenario.as_station() else {
        return Err(SimError::invalid(
            "scenario",
            "a single G/G/c/K station for a live run (pipelines are not supported live yet)",
            scenario.kendall(),
        ));
    };
    if st.servers > MAX_SERVERS {
        let got = if st.is_infinite_server() {
            "∞".to_string()
        } else {
            st.servers.to_string()
        };
        return Err(SimError::invalid(
            "servers (c)",
            format!("an integer in [1, {MAX_SERVERS}] for a live run (one thread per server)"),
            got,
        ));
    }
    if let Some(k) = st.capacity
        && (k - st.servers) as u64 > UNBOUNDED_CAPACITY_CAP
    {
        return Err(SimError::invalid(
            "capacity (K)",
            format!(
                "at most servers + {UNBOUNDED_CAPACITY_CAP} for a live run (leave it unbounded instead)"
            ),
            k,
        ));
    }
    Ok(st)
}

/// A channel that the run's arrivals cannot fill (within a cap).
fn unbounded_capacity(st: &Station, config: &LiveConfig) -> usize {
    let n = match config.stop {
        Stop::Customers(n) => config.warmup_customers.saturating_add(n),
        Stop::Horizon(h) => {
            let expected = 2.0 * h / st.arrival.mean() + 1024.0;
            config
                .warmup_customers
                .saturating_add(expected.min(UNBOUNDED_CAPACITY_CAP as f64) as u64)
        }
    };
    usize::try_from(n.clamp(1, UNBOUNDED_CAPACITY_CAP)).unwrap_or(1 << 16)
}

/// Joins a worker, passing its panic on.
fn join<T>(h: thread::ScopedJoinHandle<'_, T>) -> T {
    h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
}
