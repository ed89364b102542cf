//! Throughput of `kendall_queue::Queue<u64>` against crossbeam-queue's `ArrayQueue`,
//! concurrent-queue's bounded queue and (SPSC only) rtrb, in messages per second.
//!
//! Groups are named `<scenario>/<capacity>` and members after the implementation, so
//! `cargo bench --bench queue -- spsc/1024` reruns one group. `benches/README.md` has the
//! waiting policy, the command and the results.

use std::hint::black_box;
use std::ops::Range;
use std::sync::Barrier;
use std::time::{Duration, Instant};

use concurrent_queue::ConcurrentQueue;
use criterion::{BenchmarkGroup, Criterion, SamplingMode, Throughput, measurement::WallTime};
use crossbeam_queue::ArrayQueue;
use kendall_queue::Queue;

/// Messages moved per criterion iteration: large enough that a run is mostly steady state,
/// and divisible by every producer and consumer count used below.
const MESSAGES: u64 = 100_000;

/// Values per `push_iter` / `pop_into` call in the batch variants.
const BATCH: usize = 64;

const CAPACITIES: [usize; 2] = [1024, 16];

/// The waiting policy shared by every implementation: spin with exponentially growing pauses,
/// then yield the thread. It is the policy of `crossbeam_utils::Backoff::snooze` (spin
/// `2^step` pause hints while `step <= 6`, yield after that; `step` stops growing at 11),
/// written out here because `crossbeam-utils` is not a dependency of the root package.
struct Backoff {
    step: u32,
}

impl Backoff {
    const SPIN_LIMIT: u32 = 6;
    const YIELD_LIMIT: u32 = 10;

    fn new() -> Self {
        Backoff { step: 0 }
    }

    fn snooze(&mut self) {
        if self.step <= Self::SPIN_LIMIT {
            for _ in 0..1u32 << self.step {
                std::hint::spin_loop();
            }
        } else {
            std::thread::yield_now();
        }
        if self.step <= Self::YIELD_LIMIT {
            self.step += 1;
        }
    }
}

/// Calls `attempt` until it succeeds, backing off between failures.
#[inline(always)]
fn retry(mut attempt: impl FnMut() -> bool) {
    if attempt() {
        return;
    }
    let mut backoff = Backoff::new();
    loop {
        backoff.snooze();
        if attempt() {
            return;
        }
    }
}

/// The non-blocking operations every shared queue under test offers.
trait Ring: Send + Sync {
    fn try_push(&self, value: u64) -> bool;
    fn try_pop(&self) -> Option<u64>;
}

impl Ring for Queue<u64> {
    #[inline(always)]
    fn try_push(&self, value: u64) -> bool {
        self.push(value).is_ok()
    }
    #[inline(always)]
    fn try_pop(&self) -> Option<u64> {
        self.pop()
    }
}

impl Ring for ArrayQueue<u64> {
    #[inline(always)]
    fn try_push(&self, value: u64) -> bool {
        self.push(value).is_ok()
    }
    #[inline(always)]
    fn try_pop(&self) -> Option<u64> {
        self.pop()
    }
}

impl Ring for ConcurrentQueue<u64> {
    #[inline(always)]
    fn try_push(&self, value: u64) -> bool {
        self.push(value).is_ok()
    }
    #[inline(always)]
    fn try_pop(&self) -> Option<u64> {
        self.pop().ok()
    }
}

fn kendall(capacity: usize) -> Queue<u64> {
    Queue::new(capacity)
}

fn kendall_spread(capacity: usize) -> Queue<u64> {
    Queue::with_spread(capacity, true).expect("benchmark capacities are non-zero")
}

fn array_queue(capacity: usize) -> ArrayQueue<u64> {
    ArrayQueue::new(capacity)
}

fn concurrent_queue(capacity: usize) -> ConcurrentQueue<u64> {
    ConcurrentQueue::bounded(capacity)
}

fn produce<R: Ring>(queue: &R, values: Range<u64>) {
    for value in values {
        retry(|| queue.try_push(value));
    }
}

fn consume<R: Ring>(queue: &R, quota: u64) -> u64 {
    let mut sum = 0u64;
    for _ in 0..quota {
        retry(|| match queue.try_pop() {
            Some(value) => {
                sum = sum.wrapping_add(value);
                true
            }
            None => false,
        });
    }
    sum
}

/// The values `[start, end)` as an exact-size iterator (`Range<u64>` is not one).
fn chunk(start: u64, end: u64) -> impl ExactSizeIterator<Item = u64> {
    (0..(end - start) as usize).map(move |i| start + i as u64)
}

fn produce_batch(queue: &Queue<u64>, values: Range<u64>) {
    let mut start = values.start;
    while start < values.end {
        let end = values.end.min(start + BATCH as u64);
        let mut batch = chunk(start, end);
        while batch.len() > 0 {
            retry(|| queue.push_iter(&mut batch) > 0);
        }
        start = end;
    }
}

fn consume_batch(queue: &Queue<u64>, quota: u64) -> u64 {
    let mut out = Vec::with_capacity(BATCH);
    let mut sum = 0u64;
    let mut left = quota;
    while left > 0 {
        out.clear();
        let max = BATCH.min(left as usize);
        retry(|| queue.pop_into(&mut out, max) > 0);
        left -= out.len() as u64;
        sum = out.iter().fold(sum, |s, &v| s.wrapping_add(v));
    }
    sum
}

/// A thread's part in a run.
enum Role<'a> {
    Producer(Box<dyn FnOnce() + Send + 'a>),
    Consumer(Box<dyn FnOnce() -> u64 + Send + 'a>),
}

/// Runs every role on its own thread, all released together by a barrier. Returns the time
/// from the first thread leaving the barrier to the last consumer receiving its last message,
/// and the sum of every value received.
fn timed(roles: Vec<Role<'_>>) -> (Duration, u64) {
    let barrier = Barrier::new(roles.len());
    let barrier = &barrier;
    std::thread::scope(|s| {
        let handles: Vec<_> = roles
            .into_iter()
            .map(|role| {
                s.spawn(move || {
                    barrier.wait();
                    let start = Instant::now();
                    let received = match role {
                        Role::Producer(f) => {
                            f();
                            None
                        }
                        Role::Consumer(f) => Some(f()),
                    };
                    (start, received.map(|sum| (Instant::now(), sum)))
                })
            })
            .collect();
        let mut first_start: Option<Instant> = None;
        let mut last_end: Option<Instant> = None;
        let mut sum = 0u64;
        for handle in handles {
            let (start, received) = handle.join().expect("benchmark thread panicked");
            first_start = Some(first_start.map_or(start, |t| t.min(start)));
            if let Some((end, part)) = received {
                last_end = Some(last_end.map_or(end, |t| t.max(end)));
                sum = sum.wrapping_add(part);
            }
        }
        let (start, end) = first_start.zip(last_end).expect("a run has a consumer");
        (end - start, sum)
    })
}

/// The sum of `0..n`, which every run must receive in full.
fn expected_sum(n: u64) -> u64 {
    (n.wrapping_mul(n.wrapping_sub(1))) / 2
}

/// `producers` threads send `0..n` between them to `consumers` threads, single operations.
fn run_single<R: Ring>(queue: &R, producers: u64, consumers: u64, n: u64) -> Duration {
    let mut roles = Vec::new();
    for p in 0..producers {
        let values = p * n / producers..(p + 1) * n / producers;
        roles.push(Role::Producer(Box::new(move || produce(queue, values))));
    }
    for c in 0..consumers {
        let quota = (c + 1) * n / consumers - c * n / consumers;
        roles.push(Role::Consumer(Box::new(move || consume(queue, quota))));
    }
    let (elapsed, sum) = timed(roles);
    assert_eq!(sum, expected_sum(n), "every message received exactly once");
    elapsed
}

/// As [`run_single`], with Kendall's batch operations on both sides.
fn run_batch(queue: &Queue<u64>, producers: u64, consumers: u64, n: u64) -> Duration {
    let mut roles = Vec::new();
    for p in 0..producers {
        let values = p * n / producers..(p + 1) * n / producers;
        roles.push(Role::Producer(Box::new(move || {
            produce_batch(queue, values)
        })));
    }
    for c in 0..consumers {
        let quota = (c + 1) * n / consumers - c * n / consumers;
        roles.push(Role::Consumer(Box::new(move || {
            consume_batch(queue, quota)
        })));
    }
    let (elapsed, sum) = timed(roles);
    assert_eq!(sum, expected_sum(n), "every message received exactly once");
    elapsed
}

/// SPSC through rtrb's split producer and consumer ends.
fn run_rtrb(capacity: usize, n: u64) -> Duration {
    let (mut tx, mut rx) = rtrb::RingBuffer::<u64>::new(capacity);
    let roles = vec![
        Role::Producer(Box::new(move || {
            for value in 0..n {
                retry(|| tx.push(value).is_ok());
            }
        })),
        Role::Consumer(Box::new(move || {
            let mut sum = 0u64;
            for _ in 0..n {
                retry(|| match rx.pop() {
                    Ok(value) => {
                        sum = sum.wrapping_add(value);
                        true
                    }
                    Err(_) => false,
                });
            }
            sum
        })),
    ];
    let (elapsed, sum) = timed(roles);
    assert_eq!(sum, expected_sum(n), "every message received exactly once");
    elapsed
}

/// One thread: push one value, pop it back, `n` times.
fn pair<R: Ring>(queue: &R, n: u64) -> Duration {
    let start = Instant::now();
    let mut sum = 0u64;
    for value in 0..n {
        let pushed = queue.try_push(black_box(value));
        let popped = queue.try_pop();
        debug_assert!(pushed && popped == Some(value));
        sum = sum.wrapping_add(popped.unwrap_or(0));
    }
    let elapsed = start.elapsed();
    assert_eq!(black_box(sum), expected_sum(n), "every pair went through");
    elapsed
}

/// One thread: push a batch, pop it back, until `n` values went through.
fn pair_batch(queue: &Queue<u64>, n: u64) -> Duration {
    let batch = BATCH.min(queue.capacity()) as u64;
    let mut out = Vec::with_capacity(BATCH);
    let start = Instant::now();
    let mut sum = 0u64;
    let mut next = 0;
    while next < n {
        let end = n.min(next + batch);
        let pushed = queue.push_iter(&mut chunk(black_box(next), end));
        out.clear();
        let popped = queue.pop_into(&mut out, BATCH);
        debug_assert!(pushed == (end - next) as usize && popped == pushed);
        sum = out.iter().fold(sum, |s, &v| s.wrapping_add(v));
        next = end;
    }
    let elapsed = start.elapsed();
    assert_eq!(black_box(sum), expected_sum(n), "every batch went through");
    elapsed
}

/// A group `<scenario>/<capacity>` measured in messages per iteration, flat sampling
/// because one iteration already takes milliseconds.
fn group<'a>(
    c: &'a mut Criterion,
    scenario: &str,
    capacity: usize,
) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(format!("{scenario}/{capacity}"));
    group.throughput(Throughput::Elements(MESSAGES));
    group.sampling_mode(SamplingMode::Flat);
    group
}

fn uncontended_pair(c: &mut Criterion) {
    for capacity in CAPACITIES {
        let mut g = group(c, "pair", capacity);
        g.bench_function("kendall", |b| {
            let q = kendall(capacity);
            b.iter_custom(|iters| pair(&q, iters * MESSAGES));
        });
        g.bench_function("kendall-spread", |b| {
            let q = kendall_spread(capacity);
            b.iter_custom(|iters| pair(&q, iters * MESSAGES));
        });
        g.bench_function("kendall-batch64", |b| {
            let q = kendall(capacity);
            b.iter_custom(|iters| pair_batch(&q, iters * MESSAGES));
        });
        g.bench_function("kendall-spread-batch64", |b| {
            let q = kendall_spread(capacity);
            b.iter_custom(|iters| pair_batch(&q, iters * MESSAGES));
        });
        g.bench_function("arrayqueue", |b| {
            let q = array_queue(capacity);
            b.iter_custom(|iters| pair(&q, iters * MESSAGES));
        });
        g.bench_function("concurrent-queue", |b| {
            let q = concurrent_queue(capacity);
            b.iter_custom(|iters| pair(&q, iters * MESSAGES));
        });
        g.finish();
    }
}

/// One threaded scenario at both capacities, every implementation.
fn threaded(c: &mut Criterion, scenario: &str, producers: u64, consumers: u64) {
    for capacity in CAPACITIES {
        let mut g = group(c, scenario, capacity);
        // A fresh queue per run: each run starts from an empty queue and sends `0..n`.
        g.bench_function("kendall", |b| {
            b.iter_custom(|iters| {
                run_single(&kendall(capacity), producers, consumers, iters * MESSAGES)
            });
        });
        g.bench_function("kendall-spread", |b| {
            b.iter_custom(|iters| {
                run_single(
                    &kendall_spread(capacity),
                    producers,
                    consumers,
                    iters * MESSAGES,
                )
            });
        });
        g.bench_function("kendall-batch64", |b| {
            b.iter_custom(|iters| {
                run_batch(&kendall(capacity), producers, consumers, iters * MESSAGES)
            });
        });
        g.bench_function("kendall-spread-batch64", |b| {
            b.iter_custom(|iters| {
                run_batch(
                    &kendall_spread(capacity),
                    producers,
                    consumers,
                    iters * MESSAGES,
                )
            });
        });
        g.bench_function("arrayqueue", |b| {
            b.iter_custom(|iters| {
                run_single(
                    &array_queue(capacity),
                    producers,
                    consumers,
                    iters * MESSAGES,
                )
            });
        });
        g.bench_function("concurrent-queue", |b| {
            b.iter_custom(|iters| {
                run_single(
                    &concurrent_queue(capacity),
                    producers,
                    consumers,
                    iters * MESSAGES,
                )
            });
        });
        if producers == 1 && consumers == 1 {
            g.bench_function("rtrb", |b| {
                b.iter_custom(|iters| run_rtrb(capacity, iters * MESSAGES));
            });
        }
        g.finish();
    }
}

fn spsc(c: &mut Criterion) {
    threaded(c, "spsc", 1, 1);
}

fn mpsc(c: &mut Criterion) {
    threaded(c, "mpsc-2p1c", 2, 1);
}

fn mpmc(c: &mut Criterion) {
    threaded(c, "mpmc-2p2c", 2, 2);
}

fn oversubscribed(c: &mut Criterion) {
    threaded(c, "oversub-4p4c", 4, 4);
    threaded(c, "oversub-8p8c", 8, 8);
}

/// Short runs: the whole file should finish in a few minutes on a 2-core machine. Command-line
/// flags (`--measurement-time`, `--sample-size`, …) override these.
fn config() -> Criterion {
    Criterion::default()
        .sample_size(15)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .nresamples(20_000)
        .without_plots()
}

criterion::criterion_group! {
    name = benches;
    config = config();
    targets = uncontended_pair, spsc, mpsc, mpmc, oversubscribed
}
criterion::criterion_main!(benches);
