//! The MSER truncation rule (White 1997; MSER-5 applies it to means of batches of five):
//! delete the first d batches where d minimises the squared standard error of the rest.

/// The number of leading values to delete from `y` (batch means), searched over the first
/// half only, as the rule prescribes.
///
/// ```
/// use kendall_sim::stats::mser_truncation;
/// let mut y = vec![10.0, 8.0, 6.0, 4.0];
/// y.extend(std::iter::repeat(1.0).take(20));
/// assert_eq!(mser_truncation(&y), 4);
/// ```
pub fn mser_truncation(y: &[f64]) -> usize {
    let n = y.len();
    if n < 4 {
        return 0;
    }
    // Suffix sums of y and y² give each candidate's variance in O(1).
    let mut s1 = vec![0.0; n + 1];
    let mut s2 = vec![0.0; n + 1];
    for i in (0..n).rev() {
        s1[i] = s1[i + 1] + y[i];
        s2[i] = s2[i + 1] + y[i] * y[i];
    }
    let mut best = (f64::INFINITY, 0);
    for d in 0..=n / 2 {
        let m = (n - d) as f64;
        let mean = s1[d] / m;
        let ss = (s2[d] - m * mean * mean).max(0.0);
        let score = ss / (m * m);
        if score < best.0 {
            best = (score, d);
        }
    }
    best.1
}
