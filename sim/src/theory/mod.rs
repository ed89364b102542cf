//! Queueing theory for a scenario: closed forms where they exist (M/M/1, M/M/c, M/M/c/K,
//! M/G/∞, M/G/c/c, M/G/1 by Pollaczek–Khinchine) and approximations otherwise (Kingman for
//! G/G/1, Allen–Cunneen for G/G/c), each marked exact or approximate. An unstable system is
//! reported as unstable, never as a number.

mod formulas;
mod tails;

use serde::{Deserialize, Serialize};

pub use formulas::{erlang_b, erlang_c, mmck_distribution};
use tails::{MmckTails, quantile_from_tail};

use crate::error::SimError;
use crate::result::Percentiles;
use crate::scenario::{Scenario, Station};
use crate::tandem::Tandem;

/// M/M/c/K percentiles are skipped above this many servers or waiting places (they cost O(K)
/// memory and O(K) work per bisection step).
const MAX_PERCENTILE_ROOM: usize = 100_000;

/// What theory predicts for a scenario. Figures without a formula are `None` (JSON `null`);
/// when `unstable` is true every figure is `None`.
///
/// ```
/// use kendall_sim::{Scenario, theory::predict};
/// let p = predict(&Scenario::from_kendall("M/M/1", 0.9, 1.0)?)?;
/// assert!(p.exact && !p.unstable);
/// assert!((p.mean_number_in_system.unwrap() - 9.0).abs() < 1e-12);
/// assert!((p.mean_sojourn_time.unwrap() - 10.0).abs() < 1e-12);
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// The formula used, e.g. `"M/M/c (Erlang C)"`, or `"none"`.
    pub method: String,
    /// Whether the figures are exact (`false`: an approximation, or no formula at all).
    pub exact: bool,
    /// ρ ≥ 1 with unbounded capacity: the queue grows without bound.
    pub unstable: bool,
    /// Offered load a = λ·E\[S\] in Erlang.
    pub offered_load: f64,
    /// Load per server ρ = a / c (0 for infinite servers).
    pub rho: f64,
    /// L.
    pub mean_number_in_system: Option<f64>,
    /// Lq.
    pub mean_number_in_queue: Option<f64>,
    /// W.
    pub mean_sojourn_time: Option<f64>,
    /// Wq.
    pub mean_waiting_time: Option<f64>,
    /// Probability that an accepted arrival waits.
    pub p_wait: Option<f64>,
    /// Probability that an arrival is lost.
    pub p_loss: Option<f64>,
    /// Departures per unit time.
    pub throughput: Option<f64>,
    /// Busy fraction per server (mean busy servers for infinite servers).
    pub utilisation: Option<f64>,
    /// Sojourn-time percentiles, where a closed form exists.
    pub sojourn_time_percentiles: Option<Percentiles>,
    /// Waiting-time percentiles, where a closed form exists.
    pub waiting_time_percentiles: Option<Percentiles>,
    /// Why some figures are missing or approximate.
    pub note: Option<String>,
}

impl Prediction {
    /// The eight mean figures in the order of [`Ci95::to_array`](crate::Ci95::to_array).
    ///
    /// ```
    /// use kendall_sim::{Scenario, theory::predict};
    /// let p = predict(&Scenario::from_kendall("M/M/1", 0.5, 1.0)?)?;
    /// assert_eq!(p.means()[2], Some(2.0));
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn means(&self) -> [Option<f64>; 8] {
        [
            self.mean_number_in_system,
            self.mean_number_in_queue,
            self.mean_sojourn_time,
            self.mean_waiting_time,
            self.p_wait,
            self.p_loss,
            self.throughput,
            self.utilisation,
        ]
    }

    fn empty(method: &str, exact: bool, st: &Station) -> Self {
        Prediction {
            method: method.to_string(),
            exact,
            unstable: false,
            offered_load: st.offered_load(),
            rho: st.rho(),
            mean_number_in_system: None,
            mean_number_in_queue: None,
            mean_sojourn_time: None,
            mean_waiting_time: None,
            p_wait: None,
            p_loss: None,
            throughput: None,
            utilisation: None,
            sojourn_time_percentiles: None,
            waiting_time_percentiles: None,
            note: None,
        }
    }

    /// Fills the means from Wq with no loss: Lq = λWq, W = Wq + E\[S\], L = λW (Little).
    fn with_wq(mut self, st: &Station, wq: f64, p_wait: Option<f64>) -> Self {
        let lambda = st.arrival_rate();
        let es = st.service.mean();
        self.mean_waiting_time = Some(wq);
        self.mean_number_in_queue = Some(lambda * wq);
        self.mean_sojourn_time = Some(wq + es);
        self.mean_number_in_system = Some(lambda * (wq + es));
        self.p_wait = p_wait;
        self.p_loss = Some(0.0);
        self.throughput = Some(lambda);
        self.utilisation = Some(st.rho());
        self
    }
}

/// Predicts the figures of `scenario`, choosing the formula from its distributions.
///
/// ```
/// use kendall_sim::{Distribution, Scenario, theory::predict};
/// // M/D/1 at ρ = 0.9: Lq = ρ²/(2(1−ρ)) = 4.05 (Pollaczek–Khinchine).
/// let p = predict(&Scenario::from_kendall("M/D/1", 0.9, 1.0)?)?;
/// assert!((p.mean_number_in_queue.unwrap() - 4.05).abs() < 1e-12);
/// // ρ ≥ 1 with unbounded capacity: unstable, no numbers.
/// let u = predict(&Scenario::from_kendall("M/M/1", 1.0, 1.0)?)?;
/// assert!(u.unstable && u.mean_number_in_system.is_none());
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
pub fn predict(scenario: &Scenario) -> Result<Prediction, SimError> {
    scenario.validate()?;
    match scenario {
        Scenario::Station(st) => Ok(predict_station(st)),
        Scenario::Tandem(t) => Ok(predict_tandem(t)),
    }
}

fn predict_station(st: &Station) -> Prediction {
    let poisson = st.arrival.is_exponential();
    let exp_service = st.service.is_exponential();
    if st.is_infinite_server() {
        return infinite_server(st, exp_service);
    }
    if let Some(k) = st.capacity {
        return if poisson && exp_service {
            mmck(st, k)
        } else if poisson && k == st.servers {
            erlang_loss(st)
        } else {
            let mut p = Prediction::empty("none", false, st);
            p.note = Some(format!(
                "no closed form or standard approximation for {}; simulation only",
                st.kendall()
            ));
            p
        };
    }
    let c = st.servers;
    let (ca2, cs2) = (st.arrival.scv(), st.service.scv());
    let (method, exact) = if poisson && exp_service {
        (if c == 1 { "M/M/1" } else { "M/M/c (Erlang C)" }, true)
    } else if poisson && c == 1 {
        ("M/G/1 (Pollaczek–Khinchine)", true)
    } else if c == 1 {
        ("G/G/1 (Kingman)", false)
    } else {
        ("G/G/c (Allen–Cunneen)", false)
    };
    if st.rho() >= 1.0 {
        let mut p = Prediction::empty(method, true, st);
        p.unstable = true;
        p.note = Some(format!(
            "ρ = {} ≥ 1 with unbounded capacity: the queue grows without bound",
            st.rho()
        ));
        return p;
    }
    let p = Prediction::empty(method, exact, st);
    let a = st.offered_load();
    let mu = st.service_rate();
    let lambda = st.arrival_rate();
    if poisson && exp_service {
        let pw = erlang_c(c, a);
        let gamma = c as f64 * mu - lambda;
        let mut p = p.with_wq(st, pw / gamma, Some(pw));
        // Wq has an atom 1−C at 0 and tail C·e^{−γt}; T = Wq + Exp(μ).
        let wq_tail = |t: f64| {
            if t <= 0.0 {
                pw
            } else {
                pw * (-gamma * t).exp()
            }
        };
        let t_tail = |t: f64| mmc_sojourn_tail(t, pw, gamma, mu);
        p.waiting_time_percentiles = Some(percentiles(wq_tail));
        p.sojourn_time_percentiles = Some(if c == 1 {
            // Exactly exponential with rate μ − λ.
            let f = |q: f64| -(1.0 - q).ln() / gamma;
            Percentiles {
                p50: f(0.5),
                p90: f(0.9),
                p99: f(0.99),
                p999: f(0.999),
            }
        } else {
            percentiles(t_tail)
        });
        return p;
    }
    if ca2.is_infinite() || cs2.is_infinite() {
        let mut p = p;
        p.throughput = Some(lambda);
        p.utilisation = Some(st.rho());
        p.p_loss = Some(0.0);
        p.note =
            Some("infinite variance (Pareto shape ≤ 2): the mean waiting time is infinite".into());
        return p;
    }
    let es = st.service.mean();
    if poisson && c == 1 {
        let rho = st.rho();
        let wq = rho * (1.0 + cs2) / (2.0 * (1.0 - rho)) * es;
        // PASTA: an arrival waits exactly when the server is busy, probability ρ.
        return p.with_wq(st, wq, Some(rho));
    }
    // Allen–Cunneen (Kingman for c = 1): Erlang C delay scaled by (ca² + cs²)/2.
    let wq = erlang_c(c, a) / (c as f64 * mu - lambda) * (ca2 + cs2) / 2.0;
    let mut p = p.with_wq(st, wq, None);
    p.note =
        Some("approximation: mean figures only; P(wait) and percentiles need simulation".into());
    p
}

/// P(T > t) for M/M/c: (1−C)e^{−μt} + C·P(Exp(γ) + Exp(μ) > t), γ = cμ − λ.
fn mmc_sojourn_tail(t: f64, pw: f64, gamma: f64, mu: f64) -> f64 {
    if t <= 0.0 {
        return 1.0;
    }
    let both = if (gamma - mu).abs() <= 1e-12 * mu {
        (1.0 + mu * t) * (-mu * t).exp()
    } else {
        (gamma * (-mu * t).exp() - mu * (-gamma * t).exp()) / (gamma - mu)
    };
    (1.0 - pw) * (-mu * t).exp() + pw * both
}

fn percentiles(tail: impl Fn(f64) -> f64) -> Percentiles {
    Percentiles {
        p50: quantile_from_tail(0.5, &tail),
        p90: quantile_from_tail(0.9, &tail),
        p99: quantile_from_tail(0.99, &tail),
        p999: quantile_from_tail(0.999, &tail),
    }
}

/// M/M/c/K from its stationary distribution; exact, with percentiles.
fn mmck(st: &Station, k: usize) -> Prediction {
    let c = st.servers;
    let a = st.offered_load();
    let lambda = st.arrival_rate();
    let mu = st.service_rate();
    let (l, lq, p_loss, p_wait, accept) = formulas::mmck_means(c, k, a);
    let lambda_eff = lambda * accept;
    let method = if c == 1 { "M/M/1/K" } else { "M/M/c/K" };
    let mut p = Prediction::empty(method, true, st);
    p.mean_number_in_system = Some(l);
    p.mean_number_in_queue = Some(lq);
    p.mean_sojourn_time = Some(l / lambda_eff);
    p.mean_waiting_time = Some(lq / lambda_eff);
    p.p_loss = Some(p_loss);
    p.throughput = Some(lambda_eff);
    p.utilisation = Some(lambda_eff / (c as f64 * mu));
    p.p_wait = Some(p_wait);
    if k - c <= MAX_PERCENTILE_ROOM && c <= MAX_PERCENTILE_ROOM {
        // Percentiles need the whole distribution: only for moderate sizes.
        let tails = MmckTails::new(&mmck_distribution(c, k, a), c, mu);
        p.waiting_time_percentiles = Some(percentiles(|t| tails.waiting_tail(t)));
        p.sojourn_time_percentiles = Some(percentiles(|t| tails.sojourn_tail(t)));
    } else {
        p.note = Some("percentiles skipped: waiting room too large for the exact mixture".into());
    }
    p
}

/// M/G/c/c: Erlang B is insensitive to the service distribution beyond its mean.
fn erlang_loss(st: &Station) -> Prediction {
    let c = st.servers;
    let a = st.offered_load();
    let lambda = st.arrival_rate();
    let b = erlang_b(c, a);
    let accept = formulas::erlang_b_complement(c, a);
    let mut p = Prediction::empty("M/G/c/c (Erlang B)", true, st);
    let lambda_eff = lambda * accept;
    p.mean_number_in_system = Some(a * accept);
    p.mean_number_in_queue = Some(0.0);
    p.mean_sojourn_time = Some(st.service.mean());
    p.mean_waiting_time = Some(0.0);
    p.p_wait = Some(0.0);
    p.p_loss = Some(b);
    p.throughput = Some(lambda_eff);
    p.utilisation = Some(a * accept / c as f64);
    p
}

/// G/G/∞: nobody waits, so W = E\[S\] and L = λE\[S\] exactly; percentiles for exponential service.
fn infinite_server(st: &Station, exp_service: bool) -> Prediction {
    let a = st.offered_load();
    let es = st.service.mean();
    let mut p = Prediction::empty("G/G/∞", true, st);
    p.mean_number_in_system = Some(a);
    p.mean_number_in_queue = Some(0.0);
    p.mean_sojourn_time = Some(es);
    p.mean_waiting_time = Some(0.0);
    p.p_wait = Some(0.0);
    p.p_loss = Some(0.0);
    p.throughput = Some(st.arrival_rate());
    p.utilisation = Some(a);
    p.waiting_time_percentiles = Some(Percentiles::default());
    if exp_service {
        let f = |q: f64| -(1.0 - q).ln() * es;
        p.sojourn_time_percentiles = Some(Percentiles {
            p50: f(0.5),
            p90: f(0.9),
            p99: f(0.99),
            p999: f(0.999),
        });
    } else if st.service.is_deterministic() {
        p.sojourn_time_percentiles = Some(Percentiles {
            p50: es,
            p90: es,
            p99: es,
            p999: es,
        });
    }
    p
}

/// A pipeline of M/M/c stations with Poisson arrivals and unbounded capacities is a Jackson
/// network: by Burke's theorem every stage sees Poisson(λ) arrivals, so the end-to-end means
/// are the sums of the stages' M/M/c means (exact). P(wait) at any stage and percentiles are
/// not products or convolutions in general, so they are left out; anything else has no
/// formula here.
fn predict_tandem(t: &Tandem) -> Prediction {
    let lambda = t.arrival_rate();
    let rho = t.stages.iter().map(|s| s.rho(lambda)).fold(0.0, f64::max);
    let offered = t.stages.iter().map(|s| lambda * s.service.mean()).sum();
    let mut p = Prediction {
        method: "Jackson tandem (Burke)".into(),
        exact: true,
        unstable: false,
        offered_load: offered,
        rho,
        mean_number_in_system: None,
        mean_number_in_queue: None,
        mean_sojourn_time: None,
        mean_waiting_time: None,
        p_wait: None,
        p_loss: None,
        throughput: None,
        utilisation: None,
        sojourn_time_percentiles: None,
        waiting_time_percentiles: None,
        note: None,
    };
    let jackson = t.arrival.is_exponential()
        && t.stages
            .iter()
            .all(|s| s.service.is_exponential() && s.capacity.is_none());
    if !jackson {
        p.method = "none".into();
        p.exact = false;
        p.note = Some(format!(
            "no closed form for the pipeline {}; simulation only",
            t.kendall()
        ));
        return p;
    }
    if rho >= 1.0 {
        p.unstable = true;
        p.note = Some(format!(
            "the busiest stage has ρ = {rho} ≥ 1 with unbounded capacity: its queue grows without bound"
        ));
        return p;
    }
    let (mut l, mut lq, mut w, mut wq) = (0.0, 0.0, 0.0, 0.0);
    for s in &t.stages {
        let st = Station {
            arrival: t.arrival.clone(),
            service: s.service.clone(),
            servers: s.servers,
            capacity: None,
        };
        // Every stage is a stable M/M/c here, which always has all four means.
        let [Some(sl), Some(slq), Some(sw), Some(swq), ..] = predict_station(&st).means() else {
            p.note = Some("a stage has no closed form".into());
            return p;
        };
        (l, lq, w, wq) = (l + sl, lq + slq, w + sw, wq + swq);
    }
    p.mean_number_in_system = Some(l);
    p.mean_number_in_queue = Some(lq);
    p.mean_sojourn_time = Some(w);
    p.mean_waiting_time = Some(wq);
    p.p_loss = Some(0.0);
    p.throughput = Some(lambda);
    p.utilisation = Some(rho);
    p.note = Some("end-to-end means; P(wait) and percentiles need simulation".into());
    p
}
