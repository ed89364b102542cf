//! The arrival thread: releases customers into the station's channel on the sampled schedule.
//!
//! Deadlines are absolute (model time from the run start), so a late release does not push the
//! later ones back; each release records how late it was. An arrival that finds the channel
//! full is lost (finite K) — or, for an unbounded station whose channel is merely large, waits
//! for room, which shows up as lateness.

use kendall_queue::{Sender, TrySendError};

use crate::config::Stop;
use crate::live::clock::Clock;
use crate::rng::Stream;
use crate::sampler::Sampler;
use crate::scenario::Station;

/// The message: who it is, when it arrived, and how long its service is to take.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Customer {
    /// Arrival number, from 0 (warm-up included).
    pub index: u64,
    /// Release instant, nanoseconds from the run start.
    pub arrival_ns: u64,
    /// Sampled service time, model units.
    pub service: f64,
}

/// One arrival as the arrival thread saw it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Arrival {
    /// Its deadline, nanoseconds from the run start.
    pub scheduled_ns: u64,
    /// When it was actually released.
    pub released_ns: u64,
    /// Whether it found the station full.
    pub lost: bool,
}

/// Everything the arrival thread hands back.
#[derive(Debug, Default)]
pub(crate) struct ArrivalLog {
    /// In arrival order; the index is the customer's `index`.
    pub arrivals: Vec<Arrival>,
    /// Whether a non-cycling trace ran out before the stop rule.
    pub trace_exhausted: bool,
}

/// What the arrival thread needs to know.
pub(crate) struct Plan<'a> {
    pub station: &'a Station,
    pub clock: Clock,
    pub seed: u64,
    pub warmup: u64,
    pub stop: Stop,
    /// Whether a full channel means a loss (finite K) rather than a wait.
    pub lossy: bool,
}

/// Releases every customer of the plan into `tx`, then drops it so the servers drain and stop.
pub(crate) fn release(plan: &Plan<'_>, tx: Sender<Customer>) -> ArrivalLog {
    let st = plan.station;
    let mut gaps = Sampler::new(&st.arrival, Stream::new(plan.seed, 0, "arrival"));
    let mut services = Sampler::new(&st.service, Stream::new(plan.seed, 0, "service"));
    let (limit, horizon) = match plan.stop {
        Stop::Customers(n) => (plan.warmup.saturating_add(n), f64::INFINITY),
        Stop::Horizon(h) => (u64::MAX, h),
    };
    let mut log = ArrivalLog {
        arrivals: Vec::with_capacity(usize::try_from(limit.min(1 << 20)).unwrap_or(1 << 20)),
        trace_exhausted: false,
    };
    let mut t = 0.0;
    // Model time at which the observed window opens (the first arrival after the warm-up).
    let mut window_start = if plan.warmup == 0 { 0.0 } else { f64::NAN };
    for index in 0..limit {
        let (Some(gap), Some(service)) = (gaps.sample(), services.sample()) else {
            log.trace_exhausted = true;
            break;
        };
        t += gap;
        if index == plan.warmup && plan.warmup > 0 {
            window_start = t;
        }
        if index >= plan.warmup && t > window_start + horizon {
            break;
        }
        let deadline = plan.clock.at(t);
        let released = plan.clock.wait_until(deadline);
        let released_ns = plan.clock.ns(released);
        let msg = Customer {
            index,
            arrival_ns: released_ns,
            service,
        };
        let lost = match tx.try_send(msg) {
            Ok(()) => false,
            Err(TrySendError::Full(m)) if !plan.lossy => tx.send(m).is_err(),
            Err(TrySendError::Full(_)) => true,
            // The servers are gone (one panicked): nothing more can be served.
            Err(TrySendError::Disconnected(_)) => break,
        };
        log.arrivals.push(Arrival {
            scheduled_ns: plan.clock.ns(deadline),
            released_ns,
            lost,
        });
    }
    log
}
