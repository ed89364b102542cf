//! Drawing values from a [`Distribution`] with its own random stream: the per-run state
//! (precomputed parameters, the trace cursor) that the inner simulation loop uses.

use std::sync::Arc;

use rand_distr::{Distribution as _, Exp1, StandardNormal};

use crate::distribution::{Distribution, Kind};
use crate::rng::Stream;

/// Precomputed parameters, so a draw is a few flops.
#[derive(Clone, Debug)]
enum Shape {
    Exponential { mean: f64 },
    Deterministic { value: f64 },
    Uniform { lo: f64, width: f64 },
    Erlang { k: u32, phase_mean: f64 },
    Hyperexponential { p1: f64, mean1: f64, mean2: f64 },
    Lognormal { mu: f64, sigma: f64 },
    Pareto { scale: f64, neg_inv_shape: f64 },
    Trace { values: Arc<[f64]>, cycle: bool },
}

/// A distribution bound to a random stream: draws durations one by one.
///
/// ```
/// use kendall_sim::{Distribution, Sampler, rng::Stream};
/// let d = Distribution::exponential(2.0)?;
/// let mut s = Sampler::new(&d, Stream::new(1, 0, "service"));
/// let n = 100_000;
/// let mean = (0..n).map(|_| s.sample().unwrap()).sum::<f64>() / n as f64;
/// assert!((mean - 0.5).abs() < 0.01);
/// # Ok::<(), kendall_sim::SimError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Sampler {
    shape: Shape,
    rng: Stream,
    pos: usize,
}

impl Sampler {
    /// Binds `dist` to the random stream `rng`.
    ///
    /// ```
    /// use kendall_sim::{Distribution, Sampler, rng::Stream};
    /// let mut s = Sampler::new(&Distribution::deterministic(3.0)?, Stream::new(0, 0, "x"));
    /// assert_eq!(s.sample(), Some(3.0));
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    pub fn new(dist: &Distribution, rng: Stream) -> Self {
        let shape = match dist.kind() {
            Kind::Exponential { rate } => Shape::Exponential { mean: 1.0 / rate },
            Kind::Deterministic { value } => Shape::Deterministic { value: *value },
            Kind::Uniform { lo, hi } => Shape::Uniform {
                lo: *lo,
                width: hi - lo,
            },
            Kind::Erlang { k, rate } => Shape::Erlang {
                k: *k,
                phase_mean: 1.0 / (rate * f64::from(*k)),
            },
            Kind::Hyperexponential { mean, cv } => {
                let c2 = cv * cv;
                let p1 = 0.5 * (1.0 + ((c2 - 1.0) / (c2 + 1.0)).sqrt());
                Shape::Hyperexponential {
                    p1,
                    mean1: mean / (2.0 * p1),
                    mean2: mean / (2.0 * (1.0 - p1)),
                }
            }
            Kind::Lognormal { mean, cv } => {
                let s2 = (1.0 + cv * cv).ln();
                Shape::Lognormal {
                    mu: mean.ln() - 0.5 * s2,
                    sigma: s2.sqrt(),
                }
            }
            Kind::Pareto { mean, shape } => Shape::Pareto {
                scale: mean * (shape - 1.0) / shape,
                neg_inv_shape: -1.0 / shape,
            },
            Kind::Trace { values, cycle } => Shape::Trace {
                values: values.clone(),
                cycle: *cycle,
            },
        };
        Sampler { shape, rng, pos: 0 }
    }

    /// The next duration, or `None` when a non-cycling trace has run out.
    ///
    /// ```
    /// use kendall_sim::{Distribution, Sampler, rng::Stream};
    /// let d = Distribution::trace(vec![1.0, 2.0], false)?;
    /// let mut s = Sampler::new(&d, Stream::new(0, 0, "x"));
    /// assert_eq!((s.sample(), s.sample(), s.sample()), (Some(1.0), Some(2.0), None));
    /// # Ok::<(), kendall_sim::SimError>(())
    /// ```
    #[inline(always)]
    pub fn sample(&mut self) -> Option<f64> {
        let rng = &mut self.rng;
        Some(match &self.shape {
            Shape::Exponential { mean } => {
                let e: f64 = Exp1.sample(rng);
                e * mean
            }
            Shape::Deterministic { value } => *value,
            Shape::Uniform { lo, width } => lo + width * rng.open01(),
            Shape::Erlang { k, phase_mean } => {
                let mut sum = 0.0;
                for _ in 0..*k {
                    let e: f64 = Exp1.sample(rng);
                    sum += e;
                }
                sum * phase_mean
            }
            Shape::Hyperexponential { p1, mean1, mean2 } => {
                let m = if rng.open01() < *p1 { *mean1 } else { *mean2 };
                let e: f64 = Exp1.sample(rng);
                e * m
            }
            Shape::Lognormal { mu, sigma } => {
                let z: f64 = StandardNormal.sample(rng);
                (mu + sigma * z).exp()
            }
            Shape::Pareto {
                scale,
                neg_inv_shape,
            } => scale * rng.open01().powf(*neg_inv_shape),
            Shape::Trace { values, cycle } => {
                if self.pos == values.len() {
                    if !*cycle {
                        return None;
                    }
                    self.pos = 0;
                }
                let v = values[self.pos];
                self.pos += 1;
                v
            }
        })
    }
}
