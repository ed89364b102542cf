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
        if b == 0.0 {
            // Underflowed: it stays 0, so stop early even for a huge c.
            break;
        }
    }
    b
}

/// 1 − B(c, a), from the recursion's last step c / (c + a·B(c−1)): far above capacity
/// B rounds to 1 and the difference would cancel to 0.
pub(crate) fn erlang_b_complement(c: usize, a: f64) -> f64 {
    let cf = c as f64;
    cf / (cf + a * erlang_b(c - 1, a))
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

/// Means of M/M/c/K without storing the distribution: `(L, Lq, P(loss), P(wait), P(accept))`.
///
/// The states above c form a geometric series with ratio r = a/c, summed in closed form
/// (scaled by r^{K−c} when r > 1 so nothing overflows); the c states below are streamed in
/// log space. O(c) time, O(1) memory, for any K. P(accept) = 1 − P(loss) and P(wait) are
/// sums over the states below K, not differences: far above capacity 1 − P(loss) cancels.
pub(crate) fn mmck_means(c: usize, k: usize, a: f64) -> (f64, f64, f64, f64, f64) {
    let m = (k - c) as f64;
    let cf = c as f64;
    let r = a / cf;
    let ln_a = a.ln();
    // ln(aⁿ/n!) for n ≤ c, streamed twice: once for the maximum, once for the sums.
    let ln_w = |each: &mut dyn FnMut(usize, f64)| {
        let mut lw = 0.0;
        for n in 0..=c {
            if n > 0 {
                lw += ln_a - (n as f64).ln();
            }
            each(n, lw);
        }
    };
    let mut ln_wc = 0.0;
    let mut max_below = f64::NEG_INFINITY;
    ln_w(&mut |n, lw| {
        if n < c {
            max_below = max_below.max(lw);
        } else {
            ln_wc = lw;
        }
    });
    // Geometric sums G0 = Σ r^j, G1 = Σ j r^j over j = 0..m and Gw = Σ r^j over j < m (the
    // accepted states that wait), as G = e^{lg}·g.
    let (lg, g0, g1, gw) = if r < 1.0 {
        let rm = r.powf(m);
        let g0 = (1.0 - rm * r) / (1.0 - r);
        let g1 = r * (1.0 - (m + 1.0) * rm + m * rm * r) / ((1.0 - r) * (1.0 - r));
        (0.0, g0, g1, (1.0 - rm) / (1.0 - r))
    } else if r == 1.0 {
        (0.0, m + 1.0, m * (m + 1.0) / 2.0, m)
    } else {
        let u = 1.0 / r;
        let um = u.powf(m);
        let s0 = (1.0 - um * u) / (1.0 - u);
        let s1 = u * (1.0 - (m + 1.0) * um + m * um * u) / ((1.0 - u) * (1.0 - u));
        (m * r.ln(), s0, m * s0 - s1, u * (1.0 - um) / (1.0 - u))
    };
    let top = ln_wc + lg;
    let scale = max_below.max(top);
    let (mut below, mut below_n) = (0.0, 0.0);
    ln_w(&mut |n, lw| {
        if n < c {
            let w = (lw - scale).exp();
            below += w;
            below_n += n as f64 * w;
        }
    });
    let wc = (top - scale).exp();
    let z = below + wc * g0;
    let p_loss = (ln_wc + m * r.ln() - scale).exp() / z;
    let lq = wc * g1 / z;
    let l = (below_n + wc * (cf * g0 + g1)) / z;
    let accepted = below + wc * gw;
    let p_wait = wc * gw / accepted;
    (l, lq, p_loss, p_wait, accepted / z)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_form_matches_the_distribution() {
        for &(c, k, a) in &[
            (1, 5, 0.8),
            (3, 6, 2.5),
            (2, 40, 2.0),
            (4, 30, 7.0),
            (5, 5, 3.0),
            (10, 200, 9.5),
        ] {
            let pi = mmck_distribution(c, k, a);
            let l: f64 = pi.iter().enumerate().map(|(n, p)| n as f64 * p).sum();
            let lq: f64 = pi
                .iter()
                .enumerate()
                .skip(c)
                .map(|(n, p)| (n - c) as f64 * p)
                .sum();
            let pw: f64 = pi[c..k].iter().sum::<f64>() / (1.0 - pi[k]);
            let (cl, clq, closs, cpw, caccept) = mmck_means(c, k, a);
            let accept: f64 = pi[..k].iter().sum();
            for (got, want) in [
                (cl, l),
                (clq, lq),
                (closs, pi[k]),
                (cpw, pw),
                (caccept, accept),
            ] {
                assert!(
                    (got - want).abs() <= 1e-9 * want.abs().max(1e-12),
                    "c {c} K {k} a {a}: {got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn huge_capacity_needs_no_memory() {
        // ρ < 1: like M/M/c; ρ > 1: loses 1 − 1/ρ of arrivals.
        let (l, _, loss, _, _) = mmck_means(1, 1_000_000_000_000, 0.5);
        assert!((l - 1.0).abs() < 1e-9 && loss == 0.0);
        let (_, _, loss, _, _) = mmck_means(2, 1_000_000_000_000, 4.0);
        assert!((loss - 0.5).abs() < 1e-9);
        assert!(erlang_b(usize::MAX, 3.0) < 1e-300);
    }

    #[test]
    fn erlang_b_complement_does_not_cancel() {
        for &(c, a) in &[(1, 0.5), (3, 2.0), (10, 9.5)] {
            assert!((erlang_b_complement(c, a) - (1.0 - erlang_b(c, a))).abs() < 1e-15);
        }
        // 1 − B(1, a) = 1/(1 + a), which 1 − a/(1 + a) loses entirely at a = 1e17.
        assert_eq!(erlang_b_complement(1, 1e17), 1.0 / (1.0 + 1e17));
    }
}
