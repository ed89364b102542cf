//! One replication of a tandem pipeline: the next external arrival plus, per stage, a FIFO
//! queue and a min-heap of service completions carrying their customers. Statistics are kept
//! per stage (like a single station) and end to end (entry to exit of the last stage).

use std::collections::VecDeque;

use crate::engine::{RepOutput, RepSpec, next_mark_of, permille};
use crate::result::SeriesPoint;
use crate::rng::Stream;
use crate::sampler::Sampler;
use crate::tally::{Checkpoints, TimeHistogram, Totals};
use crate::tandem::Tandem;

/// A customer on its way through the pipeline.
#[derive(Clone, Copy, Debug)]
struct Customer {
    /// Entry into the pipeline.
    origin: f64,
    /// Arrival at the current stage.
    here: f64,
    /// Waiting time summed over the stages so far.
    waited: f64,
    /// Whether it waited at any stage.
    any_wait: bool,
}

/// Min-heap of completion times with the customer in service.
#[derive(Debug, Default)]
struct Completions {
    v: Vec<(f64, Customer)>,
}

impl Completions {
    fn peek(&self) -> f64 {
        self.v.first().map_or(f64::INFINITY, |e| e.0)
    }

    fn push(&mut self, e: (f64, Customer)) {
        self.v.push(e);
        let mut i = self.v.len() - 1;
        while i > 0 {
            let p = (i - 1) / 2;
            if self.v[p].0 <= self.v[i].0 {
                break;
            }
            self.v.swap(p, i);
            i = p;
        }
    }

    fn pop(&mut self) -> Option<(f64, Customer)> {
        if self.v.is_empty() {
            return None;
        }
        let top = self.v.swap_remove(0);
        let n = self.v.len();
        let mut i = 0;
        loop {
            let (l, r) = (2 * i + 1, 2 * i + 2);
            let mut m = i;
            if l < n && self.v[l].0 < self.v[m].0 {
                m = l;
            }
            if r < n && self.v[r].0 < self.v[m].0 {
                m = r;
            }
            if m == i {
                break;
            }
            self.v.swap(i, m);
            i = m;
        }
        Some(top)
    }
}

/// One stage's state and statistics.
struct StageState {
    service: Sampler,
    servers: i64,
    capacity: i64,
    n: i64,
    busy: i64,
    queue: VecDeque<Customer>,
    completions: Completions,
    acc: Totals,
}

/// A service trace ran out: the replication ends.
struct Exhausted;

impl StageState {
    /// A customer arrives at this stage at `t`; `false` if it was lost because the stage is full.
    fn enter(&mut self, mut c: Customer, t: f64) -> Result<bool, Exhausted> {
        self.acc.arrivals += 1;
        if self.n >= self.capacity {
            self.acc.lost += 1;
            return Ok(false);
        }
        self.n += 1;
        c.here = t;
        if self.busy < self.servers {
            self.busy += 1;
            self.start(c, t)?;
        } else {
            self.queue.push_back(c);
        }
        Ok(true)
    }

    /// Service of `c` starts at `t`.
    fn start(&mut self, mut c: Customer, t: f64) -> Result<(), Exhausted> {
        let s = self.service.sample().ok_or(Exhausted)?;
        let w = t - c.here;
        self.acc.started += 1;
        self.acc.sum_wait += w;
        self.acc.sum_sojourn += w + s;
        self.acc.waited += u64::from(w > 0.0);
        c.waited += w;
        c.any_wait |= w > 0.0;
        self.completions.push((t + s, c));
        Ok(())
    }

    /// The earliest completion happens at `t`; returns the customer that leaves.
    fn complete(&mut self, t: f64) -> Result<Customer, Exhausted> {
        let (_, c) = self.completions.pop().ok_or(Exhausted)?;
        self.n -= 1;
        self.acc.departures += 1;
        match self.queue.pop_front() {
            Some(next) => self.start(next, t)?,
            None => self.busy -= 1,
        }
        Ok(c)
    }
}

/// Runs one replication of a pipeline.
pub(crate) fn run(spec: &RepSpec<'_>, tandem: &Tandem) -> RepOutput {
    let mut arrival = Sampler::new(
        &tandem.arrival,
        Stream::new(spec.seed, spec.replication, "arrival"),
    );
    let mut stages: Vec<StageState> = tandem
        .stages
        .iter()
        .enumerate()
        .map(|(i, st)| {
            // Stage 1 shares its stream name with a single station's service (common numbers).
            let name = if i == 0 {
                "service".to_string()
            } else {
                format!("service{}", i + 1)
            };
            StageState {
                service: Sampler::new(&st.service, Stream::new(spec.seed, spec.replication, &name)),
                servers: i64::try_from(st.servers).unwrap_or(i64::MAX),
                capacity: st
                    .capacity
                    .map_or(i64::MAX, |k| i64::try_from(k).unwrap_or(i64::MAX)),
                n: 0,
                busy: 0,
                queue: VecDeque::with_capacity(1024),
                completions: Completions {
                    v: Vec::with_capacity(st.servers.min(4096)),
                },
                acc: Totals::default(),
            }
        })
        .collect();
    let unit = tandem.stages.iter().map(|s| s.service.mean()).sum::<f64>() * 1e-3;
    let mut sojourn = TimeHistogram::new(unit);
    let mut waiting = TimeHistogram::new(unit);
    let mut checkpoints = Checkpoints::new();

    let expected_end = spec.stop.expected_end(spec.warmup, tandem.arrival.mean());
    let mut series_dt = expected_end / spec.series_points as f64;
    let mut series: Vec<SeriesPoint> = Vec::with_capacity(2 * spec.series_points + 1);
    let mut next_series = 0.0;
    let stop_time = spec.stop.end_time(spec.warmup);
    let stop_customers = spec.stop.customers();
    let mut warmup_pending = spec.warmup > 0.0;
    let mut limit = if warmup_pending {
        u64::MAX
    } else {
        stop_customers
    };

    let mut acc = Totals::default();
    let mut stats_start = 0.0;
    let mut last = 0.0;
    let mut events = 0u64;
    let mut all_arrivals = 0u64;
    let mut reported = 0u64;
    let mut trace_exhausted = false;
    let mut next_arrival = arrival.sample().unwrap_or_else(|| {
        trace_exhausted = true;
        f64::INFINITY
    });
    let mut next_mark = next_mark_of(warmup_pending, spec.warmup, next_series, stop_time);
    let end = 'run: loop {
        let mut te = next_arrival;
        let mut which = None;
        for (i, s) in stages.iter().enumerate() {
            let t = s.completions.peek();
            if t < te {
                te = t;
                which = Some(i);
            }
        }
        if te == f64::INFINITY {
            break last;
        }
        while te >= next_mark {
            let m = next_mark;
            if warmup_pending && m == spec.warmup {
                warmup_pending = false;
                acc = Totals::default();
                for s in &mut stages {
                    s.acc = Totals::default();
                }
                sojourn.reset();
                waiting.reset();
                checkpoints.clear();
                stats_start = m;
                last = m;
                limit = stop_customers;
            }
            if m == next_series {
                let n: i64 = stages.iter().map(|s| s.n).sum();
                let q: i64 = stages.iter().map(|s| s.n - s.busy).sum();
                series.push(SeriesPoint {
                    time: m,
                    number_in_system: n as u64,
                    number_in_queue: q as u64,
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
                integrate(&mut stages, &mut acc, stop_time - last);
                break 'run stop_time;
            }
            next_mark = next_mark_of(warmup_pending, spec.warmup, next_series, stop_time);
        }
        integrate(&mut stages, &mut acc, te - last);
        last = te;
        events += 1;
        let step: Result<(), Exhausted> = match which {
            None => {
                acc.arrivals += 1;
                all_arrivals += 1;
                let c = Customer {
                    origin: te,
                    here: te,
                    waited: 0.0,
                    any_wait: false,
                };
                let entered = stages[0].enter(c, te);
                match arrival.sample() {
                    Some(a) => next_arrival = te + a,
                    None => {
                        trace_exhausted = true;
                        next_arrival = f64::INFINITY;
                    }
                }
                entered.map(|ok| acc.lost += u64::from(!ok))
            }
            Some(i) => stages[i].complete(te).and_then(|c| {
                if i + 1 < stages.len() {
                    let ok = stages[i + 1].enter(c, te)?;
                    acc.lost += u64::from(!ok);
                } else {
                    // Leaves the pipeline: end-to-end tallies.
                    acc.departures += 1;
                    acc.started += 1;
                    acc.sum_wait += c.waited;
                    acc.sum_sojourn += te - c.origin;
                    acc.waited += u64::from(c.any_wait);
                    waiting.record(c.waited);
                    sojourn.record(te - c.origin);
                    if checkpoints.due(acc.started) {
                        acc.time = te - stats_start;
                        checkpoints.take(acc);
                    }
                }
                Ok(())
            }),
        };
        if step.is_err() {
            trace_exhausted = true;
            break te;
        }
        if which.is_none() {
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
                break te;
            }
        }
    };
    acc.time = end - stats_start;
    for s in &mut stages {
        s.acc.time = acc.time;
    }
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
        stages: stages.iter().map(|s| s.acc).collect(),
    }
}

/// Advances every time integral by `dt`.
fn integrate(stages: &mut [StageState], acc: &mut Totals, dt: f64) {
    for s in stages {
        s.acc.area_n += s.n as f64 * dt;
        s.acc.area_busy += s.busy as f64 * dt;
        acc.area_n += s.n as f64 * dt;
        acc.area_busy += s.busy as f64 * dt;
    }
}
