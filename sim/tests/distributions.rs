//! Each distribution's empirical mean and squared coefficient of variation match what it
//! declares (which is what the theory side uses).

use kendall_sim::rng::Stream;
use kendall_sim::{Distribution, Sampler};

/// Sample mean and SCV of `n` draws.
fn moments(d: &Distribution, n: usize, seed: u64) -> (f64, f64) {
    let mut s = Sampler::new(d, Stream::new(seed, 0, "test"));
    let (mut sum, mut sum2) = (0.0, 0.0);
    for _ in 0..n {
        let x = s.sample().unwrap();
        assert!(x.is_finite() && x >= 0.0);
        sum += x;
        sum2 += x * x;
    }
    let m = sum / n as f64;
    let var = sum2 / n as f64 - m * m;
    (m, var / (m * m))
}

#[test]
fn empirical_moments_match_declared() {
    let n = 2_000_000;
    let cases = [
        "exp:0.5",
        "det:2.5",
        "uniform:1:3",
        "erlang:3:2",
        "h2:mean=1,cv=2",
        "h2:mean=2,cv=1",
        "lognormal:mean=1,cv=0.5",
        "lognormal:mean=3,cv=1.5",
        "pareto:mean=1,shape=5",
    ];
    for (i, text) in cases.iter().enumerate() {
        let d: Distribution = text.parse().unwrap();
        let (m, scv) = moments(&d, n, i as u64);
        let dm = (m - d.mean()).abs() / d.mean();
        let ds = (scv - d.scv()).abs() / d.scv().max(0.05);
        println!(
            "{text}: mean {m:.5} vs {:.5}, scv {scv:.5} vs {:.5}",
            d.mean(),
            d.scv()
        );
        assert!(dm < 0.005, "{text}: mean {m} vs {}", d.mean());
        assert!(ds < 0.03, "{text}: scv {scv} vs {}", d.scv());
    }
}

#[test]
fn heavy_pareto_has_right_mean_and_infinite_scv() {
    let d = Distribution::pareto(2.0, 2.5).unwrap();
    assert!(d.scv().is_finite());
    let d = Distribution::pareto(2.0, 1.8).unwrap();
    assert!(d.scv().is_infinite());
    // The mean converges slowly for shape 1.8; the median is exact: scale·2^{1/shape}.
    let mut s = Sampler::new(&d, Stream::new(3, 0, "p"));
    let mut xs: Vec<f64> = (0..200_001).map(|_| s.sample().unwrap()).collect();
    xs.sort_by(f64::total_cmp);
    let scale = 2.0 * 0.8 / 1.8;
    let median = scale * 2f64.powf(1.0 / 1.8);
    assert!((xs[100_000] - median).abs() / median < 0.01);
}

#[test]
fn traces_replay_in_order() {
    let d = Distribution::trace(vec![1.0, 2.0, 6.0], true).unwrap();
    let mut s = Sampler::new(&d, Stream::new(0, 0, "t"));
    let xs: Vec<f64> = (0..7).map(|_| s.sample().unwrap()).collect();
    assert_eq!(xs, vec![1.0, 2.0, 6.0, 1.0, 2.0, 6.0, 1.0]);
    assert_eq!(d.mean(), 3.0);
}

#[test]
fn serde_uses_the_command_line_syntax() {
    let d: Distribution = "lognormal:mean=1,cv=0.5".parse().unwrap();
    assert_eq!(
        serde_json::to_string(&d).unwrap(),
        "\"lognormal:mean=1,cv=0.5\""
    );
    let back: Distribution = serde_json::from_str("\"erlang:2:1\"").unwrap();
    assert_eq!(back, Distribution::erlang(2, 1.0).unwrap());
    let t = Distribution::trace(vec![1.0, 2.0], false).unwrap();
    let json = serde_json::to_string(&t).unwrap();
    assert_eq!(serde_json::from_str::<Distribution>(&json).unwrap(), t);
    assert!(serde_json::from_str::<Distribution>("\"exp:-1\"").is_err());
}
