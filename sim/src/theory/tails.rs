//! Waiting- and sojourn-time distributions of M/M/c/K (and so M/M/1/K) as mixtures of Erlang
//! tails, and a quantile solver for any decreasing tail function.

/// Poisson probabilities P(N = j) for j < `len`, mean `x` > 0, via log recurrence (no
/// underflow of e^{−x} for large x).
fn poisson_terms(x: f64, len: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(len);
    let ln_x = x.ln();
    let mut lp = -x;
    for j in 0..len {
        if j > 0 {
            lp += ln_x - (j as f64).ln();
        }
        out.push(lp.exp());
    }
    out
}

/// Tails of the waiting and sojourn times of M/M/c/K seen by an accepted arrival.
pub(crate) struct MmckTails {
    /// q_n: probability an accepted arrival finds n in the system, n < K.
    q: Vec<f64>,
    c: usize,
    mu: f64,
}

impl MmckTails {
    /// From the stationary distribution π₀…π_K.
    pub(crate) fn new(pi: &[f64], c: usize, mu: f64) -> Self {
        let k = pi.len() - 1;
        // A sum, not 1 − π_K: far above capacity that difference cancels to 0.
        let accept: f64 = pi[..k].iter().sum();
        MmckTails {
            q: pi[..k].iter().map(|p| p / accept).collect(),
            c,
            mu,
        }
    }

    /// P(wait > 0).
    pub(crate) fn p_wait(&self) -> f64 {
        self.q.iter().skip(self.c).sum()
    }

    /// P(Wq > t): an arrival finding n ≥ c waits for n−c+1 completions at rate cμ.
    pub(crate) fn waiting_tail(&self, t: f64) -> f64 {
        if t <= 0.0 {
            return self.p_wait();
        }
        let kmax = self.q.len().saturating_sub(self.c);
        let pois = poisson_terms(self.c as f64 * self.mu * t, kmax + 1);
        // Erlang(k) tail = Σ_{j<k} pois_j, built up as k grows.
        let mut erlang_tail = 0.0;
        let mut sum = 0.0;
        for (i, qn) in self.q.iter().enumerate().skip(self.c) {
            erlang_tail += pois[i - self.c];
            sum += qn * erlang_tail;
        }
        sum.min(1.0)
    }

    /// P(T > t) with T = Wq + service. For k waiting phases at rate cμ plus one at rate μ,
    /// P(T > t) = Q_k(cμt) + h_k(t) where h_k = ((c−1)/c)·h_{k+1} + pois_k(cμt); this downward
    /// recurrence adds positive terms only, so it is stable (for c = 1 it gives Q_{k+1}).
    pub(crate) fn sojourn_tail(&self, t: f64) -> f64 {
        if t <= 0.0 {
            return 1.0;
        }
        let c = self.c as f64;
        let x = c * self.mu * t;
        let kmax = self.q.len().saturating_sub(self.c);
        // Start the recurrence where h is negligible: far above both kmax and x.
        let top = (kmax + 1).max((x + 40.0 * x.sqrt() + 50.0) as usize);
        let pois = poisson_terms(x, top + 1);
        let ratio = (c - 1.0) / c;
        let mut h = vec![0.0; kmax + 2];
        let mut hk = 0.0;
        for k in (1..=top).rev() {
            hk = ratio * hk + pois[k];
            if k <= kmax + 1 {
                h[k] = hk;
            }
        }
        let exp_tail = (-self.mu * t).exp();
        let mut sum: f64 = self.q.iter().take(self.c).sum::<f64>() * exp_tail;
        let mut erlang_tail = 0.0;
        for (i, qn) in self.q.iter().enumerate().skip(self.c) {
            let k = i - self.c + 1;
            erlang_tail += pois[k - 1];
            sum += qn * (erlang_tail + h[k]);
        }
        sum.min(1.0)
    }
}

/// The smallest t ≥ 0 with tail(t) ≤ 1 − q, for a decreasing `tail` (bisection to ~1e-13).
pub(crate) fn quantile_from_tail(q: f64, tail: impl Fn(f64) -> f64) -> f64 {
    let target = 1.0 - q;
    // An atom at zero that holds exactly q (e.g. P(no wait) = 0.9 at p90) gives 0, not a
    // rounding-error-sized positive time.
    if tail(0.0) <= target + 1e-12 {
        return 0.0;
    }
    let mut hi = 1.0;
    while tail(hi) > target {
        hi *= 2.0;
        if hi > 1e300 {
            return f64::INFINITY;
        }
    }
    let mut lo = 0.0;
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if tail(mid) > target {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-14 * hi {
            break;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theory::formulas::mmck_distribution;

    #[test]
    fn an_atom_holding_exactly_the_level_gives_zero() {
        // M/M/1 at ρ = 0.1: P(wait) = 0.1 (with rounding), so the waiting p90 is 0.
        let pw = 0.1_f64; // one ulp above 1 - 0.9
        assert_eq!(
            quantile_from_tail(0.9, |t| if t <= 0.0 { pw } else { pw * (-0.9 * t).exp() }),
            0.0
        );
        assert!(
            quantile_from_tail(0.99, |t| if t <= 0.0 { pw } else { pw * (-0.9 * t).exp() }) > 2.0
        );
    }

    #[test]
    fn mm1k_sojourn_matches_erlang_mixture() {
        // c = 1: given n ahead, sojourn is Erlang(n+1, μ); check one point by direct sums.
        let pi = mmck_distribution(1, 5, 0.8);
        let tails = MmckTails::new(&pi, 1, 1.0);
        let t: f64 = 3.0;
        let mut want = 0.0;
        for n in 0..5 {
            let k = n + 1;
            let mut erl = 0.0;
            let mut term = (-t).exp();
            for j in 0..k {
                if j > 0 {
                    term *= t / j as f64;
                }
                erl += term;
            }
            want += pi[n] / (1.0 - pi[5]) * erl;
        }
        assert!((tails.sojourn_tail(t) - want).abs() < 1e-14);
    }

    #[test]
    fn mm2_sojourn_single_wait_phase() {
        // c = 2, K = 3: n = 2 waits one Exp(2μ) phase then Exp(μ):
        // P(E(2)+E(1) > t) = 2e^{-t} − e^{-2t}.
        let pi = mmck_distribution(2, 3, 1.0);
        let tails = MmckTails::new(&pi, 2, 1.0);
        let t: f64 = 1.7;
        let acc = 1.0 - pi[3];
        let want = (pi[0] + pi[1]) / acc * (-t).exp()
            + pi[2] / acc * (2.0 * (-t).exp() - (-2.0 * t).exp());
        assert!(
            (tails.sojourn_tail(t) - want).abs() < 1e-14,
            "{} vs {want}",
            tails.sojourn_tail(t)
        );
    }
}
