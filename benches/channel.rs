//! Throughput of the `kendall_queue` channel against crossbeam-channel (bounded), std's
//! `sync_channel`, flume and kanal (blocking), and against tokio's `mpsc` and async-channel
//! (async), in messages per second.
//!
//! Groups are named `<scenario>/<capacity>` and members after the implementation, so
//! `cargo bench --bench channel -- spsc/16` reruns one group. Every peer runs the same
//! workload in the same process, so ratios between members of a group are what to read.
//! `sustained_<scenario>/<capacity>` groups move 0.4–2 M messages per iteration instead of
//! 20 000–100 000: the steady state, where the short groups also weigh thread start-up
//! (peers 20–100× behind at capacities 0 and 1 sit out those sustained groups).
//! `benches/CHANNEL.md` has the command, the table and the analysis.

use std::future::Future;
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use criterion::{BenchmarkGroup, Criterion, SamplingMode, Throughput, measurement::WallTime};

/// Messages moved per criterion iteration; divisible by every producer count below.
const MESSAGES: u64 = 100_000;

/// Fewer messages at capacities 0 and 1, where the slowest peers manage well under a million
/// a second: the run stays short and throughput is per message anyway.
fn messages(cap: usize) -> u64 {
    if cap <= 1 { MESSAGES / 5 } else { MESSAGES }
}

/// Round trips per iteration of the ping-pong scenario.
const ROUND_TRIPS: u64 = 20_000;

/// A blocking sending end.
trait Tx: Clone + Send + 'static {
    fn put(&self, v: u64);
}

/// A blocking receiving end: `None` once the channel is empty and disconnected.
trait Rx: Clone + Send + 'static {
    fn take(&self) -> Option<u64>;
}

impl Tx for kendall_queue::Sender<u64> {
    #[inline(always)]
    fn put(&self, v: u64) {
        self.send(v).unwrap();
    }
}
impl Rx for kendall_queue::Receiver<u64> {
    #[inline(always)]
    fn take(&self) -> Option<u64> {
        self.recv().ok()
    }
}
impl Tx for crossbeam_channel::Sender<u64> {
    #[inline(always)]
    fn put(&self, v: u64) {
        self.send(v).unwrap();
    }
}
impl Rx for crossbeam_channel::Receiver<u64> {
    #[inline(always)]
    fn take(&self) -> Option<u64> {
        self.recv().ok()
    }
}
impl Tx for std::sync::mpsc::SyncSender<u64> {
    #[inline(always)]
    fn put(&self, v: u64) {
        self.send(v).unwrap();
    }
}
/// std's receiver cannot be cloned: consumers share it behind a mutex, the usual workaround.
#[derive(Clone)]
struct StdRx(Arc<Mutex<std::sync::mpsc::Receiver<u64>>>);
impl Rx for StdRx {
    #[inline(always)]
    fn take(&self) -> Option<u64> {
        self.0.lock().unwrap().recv().ok()
    }
}
impl Tx for flume::Sender<u64> {
    #[inline(always)]
    fn put(&self, v: u64) {
        self.send(v).unwrap();
    }
}
impl Rx for flume::Receiver<u64> {
    #[inline(always)]
    fn take(&self) -> Option<u64> {
        self.recv().ok()
    }
}
impl Tx for kanal::Sender<u64> {
    #[inline(always)]
    fn put(&self, v: u64) {
        self.send(v).unwrap();
    }
}
impl Rx for kanal::Receiver<u64> {
    #[inline(always)]
    fn take(&self) -> Option<u64> {
        self.recv().ok()
    }
}

type Factory<S, R> = fn(usize) -> (S, R);

fn kendall(cap: usize) -> (kendall_queue::Sender<u64>, kendall_queue::Receiver<u64>) {
    kendall_queue::bounded(cap)
}
fn crossbeam(
    cap: usize,
) -> (
    crossbeam_channel::Sender<u64>,
    crossbeam_channel::Receiver<u64>,
) {
    crossbeam_channel::bounded(cap)
}
fn std_sync(cap: usize) -> (std::sync::mpsc::SyncSender<u64>, StdRx) {
    let (tx, rx) = std::sync::mpsc::sync_channel(cap);
    (tx, StdRx(Arc::new(Mutex::new(rx))))
}
fn flume(cap: usize) -> (flume::Sender<u64>, flume::Receiver<u64>) {
    flume::bounded(cap)
}
fn kanal(cap: usize) -> (kanal::Sender<u64>, kanal::Receiver<u64>) {
    kanal::bounded(cap)
}

/// Messages per iteration of the `sustained_*` groups: enough that a run lasts tens of
/// milliseconds even for the fastest channel, so the steady state outweighs the transient of
/// freshly started threads finding their cores (which dominates a 100 000-message burst).
/// At capacities 0, 1 and 16 (a few M msg/s for the fast channels) 400 000 messages do that.
fn sustained_messages(cap: usize) -> u64 {
    match cap {
        0..=16 => 400_000,
        17..=1023 => 1_000_000,
        _ => 2_000_000,
    }
}

/// Moves `messages` values from `producers` threads to `consumers` threads, `iters` times;
/// returns the time spent moving them: from the first worker out of the start barrier to the
/// last message received, both read by the workers themselves. (The main thread only waits:
/// with more threads than cores it may get its core back well after the workers are done, so
/// its own clock would cut a run short by up to a time slice — a bias in favour of channels
/// whose waiting threads keep both cores busy.)
fn run_threads<S: Tx, R: Rx>(
    make: Factory<S, R>,
    (cap, messages): (usize, u64),
    producers: u64,
    consumers: u64,
    iters: u64,
) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let (tx, rx) = make(cap);
        let barrier = Barrier::new((producers + consumers) as usize);
        let per = messages / producers;
        total += std::thread::scope(|s| {
            let senders: Vec<_> = (0..producers)
                .map(|p| {
                    let (tx, barrier) = (tx.clone(), &barrier);
                    s.spawn(move || {
                        barrier.wait();
                        let start = Instant::now();
                        for i in 0..per {
                            tx.put(p * per + i);
                        }
                        start
                    })
                })
                .collect();
            drop(tx);
            let receivers: Vec<_> = (0..consumers)
                .map(|_| {
                    let (rx, barrier) = (rx.clone(), &barrier);
                    s.spawn(move || {
                        barrier.wait();
                        let start = Instant::now();
                        let mut sum = 0u64;
                        while let Some(v) = rx.take() {
                            sum = sum.wrapping_add(v);
                        }
                        (sum, start, Instant::now())
                    })
                })
                .collect();
            drop(rx);
            let mut first = senders
                .into_iter()
                .map(|h| h.join().unwrap())
                .min()
                .unwrap();
            let (mut sum, mut last) = (0u64, first);
            for h in receivers {
                let (part, start, end) = h.join().unwrap();
                sum = sum.wrapping_add(part);
                first = first.min(start);
                last = last.max(end);
            }
            assert_eq!(
                sum,
                messages * (messages - 1) / 2,
                "lost or duplicated messages"
            );
            last - first
        });
    }
    total
}

/// `ROUND_TRIPS` request/response pairs between two threads over two channels.
fn run_ping_pong<S: Tx, R: Rx>(make: Factory<S, R>, cap: usize, iters: u64) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let (ping_tx, ping_rx) = make(cap);
        let (pong_tx, pong_rx) = make(cap);
        total += std::thread::scope(|s| {
            s.spawn(move || {
                while let Some(v) = ping_rx.take() {
                    pong_tx.put(v + 1);
                }
            });
            let start = Instant::now();
            for i in 0..ROUND_TRIPS {
                ping_tx.put(i);
                assert_eq!(pong_rx.take(), Some(i + 1));
            }
            let elapsed = start.elapsed();
            drop(ping_tx);
            elapsed
        });
    }
    total
}

fn configure<'a>(c: &'a mut Criterion, name: &str, elements: u64) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Elements(elements));
    g.sampling_mode(SamplingMode::Flat);
    g
}

/// Runs the blocking peers in group `$g`, but those named in `$skip` (the sustained groups at
/// capacities 0 and 1 leave out peers that move 20–100× fewer messages a second there in every
/// short run: a sustained run of theirs would take minutes).
macro_rules! blocking_peers {
    ($g:expr, |$make:ident| $body:expr) => {
        blocking_peers!($g, &[], |$make| $body)
    };
    ($g:expr, $skip:expr, |$make:ident| $body:expr) => {{
        let skip: &[&str] = $skip;
        if !skip.contains(&"kendall") {
            let $make = kendall as Factory<_, _>;
            $g.bench_function("kendall", |b| b.iter_custom(|iters| $body(iters)));
        }
        if !skip.contains(&"crossbeam") {
            let $make = crossbeam as Factory<_, _>;
            $g.bench_function("crossbeam", |b| b.iter_custom(|iters| $body(iters)));
        }
        if !skip.contains(&"std") {
            let $make = std_sync as Factory<_, _>;
            $g.bench_function("std", |b| b.iter_custom(|iters| $body(iters)));
        }
        if !skip.contains(&"flume") {
            let $make = flume as Factory<_, _>;
            $g.bench_function("flume", |b| b.iter_custom(|iters| $body(iters)));
        }
        if !skip.contains(&"kanal") {
            let $make = kanal as Factory<_, _>;
            $g.bench_function("kanal", |b| b.iter_custom(|iters| $body(iters)));
        }
    }};
}

/// The peers a sustained group at capacity `cap` leaves out (see `blocking_peers!`).
fn too_slow_to_sustain(cap: usize) -> &'static [&'static str] {
    match cap {
        0 => &["crossbeam", "std", "flume"],
        1 => &["std", "flume"],
        _ => &[],
    }
}

/// Scenario name, producers, consumers.
const SCENARIOS: [(&str, u64, u64); 4] = [
    ("spsc", 1, 1),
    ("mpsc_4p1c", 4, 1),
    ("mpmc_2p2c", 2, 2),
    ("oversub_8p8c", 8, 8),
];

fn blocking(c: &mut Criterion) {
    for (name, producers, consumers) in SCENARIOS {
        let caps: &[usize] = if name == "spsc" {
            &[0, 1, 16, 64, 1024]
        } else {
            &[0, 1, 64, 1024]
        };
        for &cap in caps {
            let mut g = configure(c, &format!("{name}/{cap}"), messages(cap));
            blocking_peers!(g, |make| |iters| run_threads(
                make,
                (cap, messages(cap)),
                producers,
                consumers,
                iters
            ));
            g.finish();
        }
        let sustained: &[usize] = if name == "spsc" {
            &[0, 1, 16, 64, 1024]
        } else {
            &[0, 1, 64, 1024]
        };
        for &cap in sustained {
            let n = sustained_messages(cap);
            let mut g = configure(c, &format!("sustained_{name}/{cap}"), n);
            blocking_peers!(g, too_slow_to_sustain(cap), |make| |iters| run_threads(
                make,
                (cap, n),
                producers,
                consumers,
                iters
            ));
            g.finish();
        }
    }
    for cap in [0, 1, 64] {
        let mut g = configure(c, &format!("ping_pong/{cap}"), ROUND_TRIPS);
        blocking_peers!(g, |make| |iters| run_ping_pong(make, cap, iters));
        g.finish();
    }
}

/// An async workload: `producers` tasks send `MESSAGES` in all to `consumers` tasks on a
/// two-worker tokio runtime. Each implementation supplies its task bodies.
fn run_async<P, PF, C, CF>(
    producers: u64,
    consumers: u64,
    iters: u64,
    spawn: impl Fn() -> (Vec<P>, Vec<C>),
) -> Duration
where
    P: FnOnce(u64, u64) -> PF,
    PF: Future<Output = ()> + Send + 'static,
    C: FnOnce() -> CF,
    CF: Future<Output = u64> + Send + 'static,
{
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let mut total = Duration::ZERO;
    let per = MESSAGES / producers;
    for _ in 0..iters {
        let (ps, cs) = spawn();
        assert_eq!((ps.len() as u64, cs.len() as u64), (producers, consumers));
        total += rt.block_on(async {
            let start = Instant::now();
            let cons: Vec<_> = cs.into_iter().map(|c| tokio::spawn(c())).collect();
            let prods: Vec<_> = ps
                .into_iter()
                .enumerate()
                .map(|(p, f)| tokio::spawn(f(p as u64 * per, per)))
                .collect();
            for p in prods {
                p.await.unwrap();
            }
            let mut sum = 0u64;
            for c in cons {
                sum = sum.wrapping_add(c.await.unwrap());
            }
            let elapsed = start.elapsed();
            assert_eq!(
                sum,
                MESSAGES * (MESSAGES - 1) / 2,
                "lost or duplicated messages"
            );
            elapsed
        });
    }
    total
}

fn asynchronous(c: &mut Criterion) {
    for (name, producers, consumers) in [("async_spsc", 1u64, 1u64), ("async_mpsc_4p1c", 4, 1)] {
        for cap in [1usize, 64, 1024] {
            let mut g = configure(c, &format!("{name}/{cap}"), MESSAGES);
            g.bench_function("kendall", |b| {
                b.iter_custom(|iters| {
                    run_async(producers, consumers, iters, || {
                        let (tx, rx) = kendall_queue::bounded::<u64>(cap);
                        let ps = (0..producers)
                            .map(|_| {
                                let tx = tx.clone();
                                move |from: u64, n: u64| async move {
                                    for v in from..from + n {
                                        tx.send_async(v).await.unwrap();
                                    }
                                }
                            })
                            .collect();
                        let cs = (0..consumers)
                            .map(|_| {
                                let rx = rx.clone();
                                move || async move {
                                    let mut sum = 0u64;
                                    while let Ok(v) = rx.recv_async().await {
                                        sum = sum.wrapping_add(v);
                                    }
                                    sum
                                }
                            })
                            .collect();
                        (ps, cs)
                    })
                })
            });
            g.bench_function("tokio_mpsc", |b| {
                b.iter_custom(|iters| {
                    run_async(producers, consumers, iters, || {
                        let (tx, rx) = tokio::sync::mpsc::channel::<u64>(cap);
                        let ps = (0..producers)
                            .map(|_| {
                                let tx = tx.clone();
                                move |from: u64, n: u64| async move {
                                    for v in from..from + n {
                                        tx.send(v).await.unwrap();
                                    }
                                }
                            })
                            .collect();
                        let mut rx = Some(rx);
                        let cs = (0..consumers)
                            .map(|_| {
                                let mut rx = rx.take().expect("tokio mpsc has one consumer");
                                move || async move {
                                    let mut sum = 0u64;
                                    while let Some(v) = rx.recv().await {
                                        sum = sum.wrapping_add(v);
                                    }
                                    sum
                                }
                            })
                            .collect();
                        (ps, cs)
                    })
                })
            });
            g.bench_function("async_channel", |b| {
                b.iter_custom(|iters| {
                    run_async(producers, consumers, iters, || {
                        let (tx, rx) = async_channel::bounded::<u64>(cap);
                        let ps = (0..producers)
                            .map(|_| {
                                let tx = tx.clone();
                                move |from: u64, n: u64| async move {
                                    for v in from..from + n {
                                        tx.send(v).await.unwrap();
                                    }
                                }
                            })
                            .collect();
                        let cs = (0..consumers)
                            .map(|_| {
                                let rx = rx.clone();
                                move || async move {
                                    let mut sum = 0u64;
                                    while let Ok(v) = rx.recv().await {
                                        sum = sum.wrapping_add(v);
                                    }
                                    sum
                                }
                            })
                            .collect();
                        (ps, cs)
                    })
                })
            });
            g.finish();
        }
    }
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .without_plots()
}

criterion::criterion_group! {
    name = benches;
    config = config();
    targets = blocking, asynchronous
}
criterion::criterion_main!(benches);
