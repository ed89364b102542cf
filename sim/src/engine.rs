//! One replication of a single G/G/c/K FIFO station: a virtual clock, the next arrival and a
//! min-heap of service completions as the event calendar, and the statistics of `tally`.
//! Nothing is allocated per event once the buffers have grown to their working size.

use std::collections::VecDeque;

use crate::config::Stop;
use crate::heap::{Completions, MinHeap, OneServer};
use crate::progress::ProgressHook;
use crate::result::SeriesPoint;
use crate::rng::Stream;
use crate::sampler::Sampler;
use crate::scenario::{Scenario, Station};
use crate::tally::{Checkpoints, TimeHistogram, Totals};

/// What one replication is asked to do.
pub(crate) struct RepSpec<'a> {
    pub scenario: &'a Scenario,
    pub seed: u64,
    pub replication: u64,
    /// Simulated time deleted at the start.
    pub warmup: f64,
    pub stop: Stop,
    pub series_points: usize,
    pub progress: Option<&'a ProgressHook<'a>>,
}

/// What one replication returns.
pub(crate) struct RepOutput {
    pub totals: Totals,
    pub sojourn: TimeHistogram,
    pub waiting: TimeHistogram,
    pub checkpoints: Checkpoints,
    pub series: Vec<SeriesPoint>,
    pub events: u64,
    pub trace_exhausted: bool,
    /// Per-stage totals (one for a single station).
    pub stages: Vec<Totals>,
}

/// Runs one replication.
pub(crate) fn run(spec: &RepSpec<'_>) -> RepOutput {
    match spec.scenario {
        Scenario::Station(st) if st.servers == 1 => run_with(spec, st, OneServer::new()),
        Scenario::Station(st) => run_with(spec, st, MinHeap::with_capacity(st.servers.min(4096))),
        Scenario::Tandem(t) => crate::pipeline::run(spec, t),
    }
}

/// The event loop, compiled once per kind of completion calendar.
fn run_with<C: Completions>(spec: &RepSpec<'_>, st: &Station, mut heap: C) -> RepOutput {
    // Signed counters: i64 → f64 is one instruction, u64 → f64 is several.
    let servers = i64::try_from(st.servers).unwrap_or(i64::MAX);
    let capacity = st
        .capacity
        .map_or(i64::MAX, |k| i64::try_from(k).unwrap_or(i64::MAX));
    let mut arrival = Sampler::new(
        &st.arrival,
        Stream::new(spec.seed, spec.replication, "arrival"),
    );
    let mut service = Sampler::new(
        &st.service,
        Stream::new(spec.seed, spec.replication, "service"),
    );
    let unit = st.service.mean() * 1e-3;
    let mut sojourn = TimeHistogram::new(unit);
    let mut waiting = TimeHistogram::new(unit);
    let mut checkpoints = Checkpoints::new();
    let waiting_room = st
        .capacity
        .map_or(1 << 12, |k| k.saturating_sub(st.servers).min(1 << 12));
    let mut queue: VecDeque<f64> = VecDeque::with_capacity(waiting_room);

    // The series covers the whole run; its spacing is guessed from the expected run length
    // and doubled (dropping every other point) if the run turns out longer.
    let expected_end = spec.stop.expected_end(spec.warmup, st.arrival.mean());
    let mut series_dt = expected_end / spec.series_points as f64;
    let mut series: Vec<SeriesPoint> = Vec::with_capacity(2 * spec.series_points + 1);
    let mut next_series = 0.0;

    let stop_time = spec.stop.end_time(spec.warmup);
    let stop_customers = spec.stop.customers();
    let mut warmup_pending = spec.warmup > 0.0;
    // Until the warm-up ends no arrival count can stop the run.
    let mut limit = if warmup_pending {
        u64::MAX
    } else {
        stop_customers
    };

    let mut acc = Totals::default();
    let mut stats_start = 0.0;
    let mut last = 0.0;
    let mut n: i64 = 0;
    let mut busy: i64 = 0;
    let mut events: u64 = 0;
    let mut all_arrivals: u64 = 0;
    let mut reported: u64 = 0;
    let mut trace_exhausted = false;
    let end;

    let mut next_arrival = match arrival.sample() {
        Some(a) => a,
        None => {
            trace_exhausted = true;
            f64::INFINITY
        }
    };
    let mut next_mark = next_mark_of(warmup_pending, spec.warmup, next_series, stop_time);

    macro_rules! tally {
        ($wait:expr, $soj:expr) => {{
            let (w, s): (f64, f64) = ($wait, $soj);
            acc.started += 1;
            acc.sum_wait += w;
            acc.sum_sojourn += s;
            acc.waited += u64::from(w > 0.0);
            waiting.record(w);
            sojourn.record(s);
            if checkpoints.due(acc.started) {
                acc.time = last - stats_start;
                checkpoints.take(acc);
            }
        }};
    }

    loop {
        let departure = heap.peek();
        let te = if next_arrival <= departure {
            next_arrival
        } else {
            departure
        };
        if te == f64::INFINITY {
            // Nothing left to happen: a non-cycling arrival trace ran out and all left.
            end = last;
            break;
        }
        if te >= next_mark {
            // Marks at or before `te`: end of warm-up, series samples, the horizon.
            let mut stop = false;
            while te >= next_mark {
                let m = next_mark;
                if warmup_pending && m == spec.warmup {
                    warmup_pending = false;
                    acc = Totals::default();
                    sojourn.reset();
                    waiting.reset();
                    checkpoints.clear();
                    stats_start = m;
                    last = m;
                    limit = stop_customers;
                }
                if m == next_series {
                    series.push(SeriesPoint {
                        time: m,
                        number_in_system: n as u64,
                        number_in_queue: (n - busy) as u64,
                    });
                    if series.len() > 2 * spec.series_points {
                        let mut i = 0;
                        series.retain(|_| {
                            i += 1;
                            i % 2 == 1
                        });
                        series_dt *= 2.0;
                    }
                    next_series = series.last().map_or(0.0, |p| p.time) + series_dt;
                    if next_series <= m {
                        // Spacing lost below float resolution (absurdly small times): stop sampling.
                        next_series = f64::INFINITY;
                    }
                }
                if m == stop_time {
                    stop = true;
                    break;
                }
                next_mark = next_mark_of(warmup_pending, spec.warmup, next_series, stop_time);
            }
            if stop {
                let dt = stop_time - last;
                acc.area_n += n as f64 * dt;
                acc.area_busy += busy as f64 * dt;
                end = stop_time;
                break;
            }
        }
        let dt = te - last;
        acc.area_n += n as f64 * dt;
        acc.area_busy += busy as f64 * dt;
        last = te;
        events += 1;
        if next_arrival <= departure {
            acc.arrivals += 1;
            all_arrivals += 1;
            if n >= capacity {
                acc.lost += 1;
            } else {
                n += 1;
                if busy < servers {
                    busy += 1;
                    let Some(s) = service.sample() else {
                        trace_exhausted = true;
                        end = te;
                        break;
                    };
                    tally!(0.0, s);
                    heap.push(te + s);
                } else {
                    queue.push_back(te);
                }
            }
            match arrival.sample() {
                Some(a) => next_arrival = te + a,
                None => {
                    trace_exhausted = true;
                    next_arrival = f64::INFINITY;
                }
            }
            if all_arrivals & 0xFFFF == 0
                && let Some(p) = spec.progress
            {
                let done = permille(&spec.stop, acc.arrivals, te - stats_start, warmup_pending);
                if done > reported {
                    p.advance(done - reported);
                    reported = done;
                }
            }
            if acc.arrivals >= limit {
                end = te;
                break;
            }
        } else {
            acc.departures += 1;
            n -= 1;
            if let Some(arrived) = queue.pop_front() {
                let Some(s) = service.sample() else {
                    trace_exhausted = true;
                    end = te;
                    break;
                };
                let w = te - arrived;
                tally!(w, w + s);
                heap.replace_top(te + s);
            } else {
                heap.pop();
                busy -= 1;
            }
        }
    }
    acc.time = end - stats_start;
    if let Some(p) = spec.progress
        && reported < 1000
    {
        p.advance(1000 - reported);
    }
    RepOutput {
        totals: acc,
        sojourn,
        waiting,
        checkpoints,
        series,
        events,
        trace_exhausted,
        stages: vec![acc],
    }
}

#[inline]
pub(crate) fn next_mark_of(
    warmup_pending: bool,
    warmup: f64,
    next_series: f64,
    stop_time: f64,
) -> f64 {
    let m = next_series.min(stop_time);
    if warmup_pending { m.min(warmup) } else { m }
}

/// Progress of a replication in thousandths.
pub(crate) fn permille(stop: &Stop, arrivals: u64, elapsed: f64, warming: bool) -> u64 {
    if warming {
        return 0;
    }
    let f = match *stop {
        Stop::Customers(n) => arrivals as f64 / n as f64,
        Stop::Horizon(t) => elapsed / t,
    };
    (f * 1000.0).clamp(0.0, 1000.0) as u64
}
