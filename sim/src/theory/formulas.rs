//! Closed-form queueing formulas: Erlang B and C, and the stationary distribution of M/M/c/K.

/// Erlang B: probability that all `c` servers are busy in M/G/c/c with offered load `a`
/// (stable recursion B(k) = a·B(k−1) / (k + a·B(k−1))).
///
/// ```
/// use kendall_sim::theory::erlang_b;
/// // B(1, a) = a / (1 + a).
/// assert!((erlang_b(1, 1.0) - 0.5).abs() < 1e-15);
/// ```
pub fn erlang_b(c: usize, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (k as f64 + a * b);
    }
    b
}

/// Erlang C: probability that an arrival waits in M/M/c with offered load `a < c`.
///
/// ```
/// use kendall_sim::theory::erlang_c;
/// // M/M/1: C = ρ.
/// assert!((erlang_c(1, 0.9) - 0.9).abs() < 1e-15);
/// ```
pub fn erlang_c(c: usize, a: f64) -> f64 {
    let b = erlang_b(c, a);
    let c = c as f64;
    c * b / (c - a * (1.0 - b))
}

/// Stationary probabilities π₀…π_K of the number in an M/M/c/K system with offered load
/// `a = λ/μ` (computed in log space, so large K and a do not overflow).
///
/// ```
/// use kendall_sim::theory::mmck_distribution;
/// let p = mmck_distribution(1, 5, 0.8);
/// // M/M/1/K: π_K = (1−ρ)ρ^K / (1−ρ^{K+1}).
/// let want = 0.2 * 0.8f64.powi(5) / (1.0 - 0.8f64.powi(6));
/// assert!((p[5] - want).abs() < 1e-15);
/// ```
pub fn mmck_distribution(c: usize, k: usize, a: f64) -> Vec<f64> {
    let ln_a = a.ln();
    let mut ln_p = Vec::with_capacity(k + 1);
    let mut acc = 0.0;
    ln_p.push(0.0);
    for n in 1..=k {
        // π_n / π_{n−1} = a / min(n, c).
        acc += ln_a - (n.min(c) as f64).ln();
        ln_p.push(acc);
    }
    let max = ln_p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut p: Vec<f64> = ln_p.iter().map(|l| (l - max).exp()).collect();
    let total: f64 = p.iter().sum();
    for x in &mut p {
        *x /= total;
    }
    p
}
