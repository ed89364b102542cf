//! Exact theory values against reference values evaluated here from textbook formulas, to 1e-9
//! relative, and against the rounded values quoted in issue 3.
//!
//! References: Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory* (4th ed.),
//! §2.2 (M/M/1), §2.3 (M/M/c), §2.4 (M/M/1/K and M/M/c/K), §5.1 (M/G/1, Pollaczek–Khinchine);
//! Kleinrock, *Queueing Systems* Vol. 1, eq. (3.39) (Erlang C) and §5.6 (M/D/1).
//! Each reference below is computed by the direct (non-recursive) form of the formula, so it
//! does not share code with the library's recursions.

use kendall_sim::{Distribution, Scenario, predict};

fn close(got: f64, want: f64, what: &str) {
    let rel = ((got - want) / want).abs();
    assert!(rel <= 1e-9, "{what}: got {got}, want {want} (rel {rel:e})");
}

fn factorial(n: u32) -> f64 {
    (1..=n).map(f64::from).product()
}

/// Erlang C by the direct sum (Kleinrock eq. 3.39).
fn erlang_c_direct(c: u32, a: f64) -> f64 {
    let top = a.powi(c as i32) / factorial(c) * f64::from(c) / (f64::from(c) - a);
    let sum: f64 = (0..c).map(|n| a.powi(n as i32) / factorial(n)).sum();
    top / (sum + top)
}

#[test]
fn mm1_at_rho_half_and_nine_tenths() {
    for (lambda, mu) in [(0.5, 1.0), (0.9, 1.0)] {
        let p = predict(&Scenario::from_kendall("M/M/1", lambda, mu).unwrap()).unwrap();
        let rho: f64 = lambda / mu;
        assert!(p.exact && !p.unstable);
        // Gross & Harris §2.2: L = ρ/(1−ρ), Lq = ρ²/(1−ρ), W = 1/(μ−λ), Wq = ρ/(μ−λ).
        close(p.mean_number_in_system.unwrap(), rho / (1.0 - rho), "L");
        close(
            p.mean_number_in_queue.unwrap(),
            rho * rho / (1.0 - rho),
            "Lq",
        );
        close(p.mean_sojourn_time.unwrap(), 1.0 / (mu - lambda), "W");
        close(p.mean_waiting_time.unwrap(), rho / (mu - lambda), "Wq");
        close(p.p_wait.unwrap(), rho, "P(wait)");
        close(p.utilisation.unwrap(), rho, "utilisation");
        close(p.throughput.unwrap(), lambda, "throughput");
        // Sojourn time is exponential with rate μ − λ: p_q = −ln(1−q)/(μ−λ).
        let s = p.sojourn_time_percentiles.unwrap();
        close(s.p50, 2f64.ln() / (mu - lambda), "sojourn p50");
        close(s.p99, 100f64.ln() / (mu - lambda), "sojourn p99");
        close(s.p999, 1000f64.ln() / (mu - lambda), "sojourn p99.9");
        // Waiting time: P(Wq > t) = ρ e^{−(μ−λ)t}, so p_q = ln(ρ/(1−q))/(μ−λ) for q > 1−ρ.
        let w = p.waiting_time_percentiles.unwrap();
        close(w.p99, (rho / 0.01).ln() / (mu - lambda), "waiting p99");
    }
    // Issue 3's figures at λ = 0.9, μ = 1: L = 9, W = 10, sojourn p99 = 46.05.
    let p = predict(&Scenario::from_kendall("M/M/1", 0.9, 1.0).unwrap()).unwrap();
    close(p.mean_number_in_system.unwrap(), 9.0, "L");
    close(p.mean_sojourn_time.unwrap(), 10.0, "W");
    assert!((p.sojourn_time_percentiles.unwrap().p99 - 46.05).abs() < 0.005);
}

#[test]
fn mm10_with_eight_erlang() {
    let p = predict(&Scenario::from_kendall("M/M/10", 8.0, 1.0).unwrap()).unwrap();
    let c = erlang_c_direct(10, 8.0);
    close(p.p_wait.unwrap(), c, "P(wait)");
    // Wq = C / (cμ − λ).
    close(p.mean_waiting_time.unwrap(), c / (10.0 - 8.0), "Wq");
    close(p.mean_number_in_queue.unwrap(), 8.0 * c / 2.0, "Lq");
    close(p.mean_sojourn_time.unwrap(), c / 2.0 + 1.0, "W");
    // Issue 3: P(wait) = 0.40918, Wq = 0.20459 (5 digits).
    assert!((p.p_wait.unwrap() - 0.40918).abs() < 5e-6);
    assert!((p.mean_waiting_time.unwrap() - 0.20459).abs() < 5e-6);
    // Waiting tail C·e^{−(cμ−λ)t}: p99 = ln(C/0.01)/2.
    close(
        p.waiting_time_percentiles.unwrap().p99,
        (c / 0.01).ln() / 2.0,
        "waiting p99",
    );
}

#[test]
fn mm3_small_rates() {
    // λ = 0.2, μ = 0.1, c = 3: a = 2, Σ_{n<3} aⁿ/n! = 5, (a³/3!)·3/(3−2) = 4, so C = 4/9 and
    // Wq = C/(cμ − λ) = (4/9)/0.1 = 40/9 = 4.444…
    let p = predict(&Scenario::from_kendall("M/M/3", 0.2, 0.1).unwrap()).unwrap();
    close(p.p_wait.unwrap(), 4.0 / 9.0, "P(wait)");
    close(p.mean_waiting_time.unwrap(), 40.0 / 9.0, "Wq");
    close(p.mean_sojourn_time.unwrap(), 40.0 / 9.0 + 10.0, "W");
    close(p.p_wait.unwrap(), erlang_c_direct(3, 2.0), "P(wait) direct");
}

#[test]
fn mm1k_loss() {
    // Gross & Harris §2.4: π_n = (1−ρ)ρⁿ/(1−ρ^{K+1}); L = ρ/(1−ρ) − (K+1)ρ^{K+1}/(1−ρ^{K+1}).
    let (rho, k) = (0.8f64, 5);
    let p = predict(&Scenario::from_kendall("M/M/1/5", 0.8, 1.0).unwrap()).unwrap();
    let norm = 1.0 - rho.powi(k + 1);
    let pk = (1.0 - rho) * rho.powi(k) / norm;
    close(p.p_loss.unwrap(), pk, "P(loss)");
    let l = rho / (1.0 - rho) - f64::from(k + 1) * rho.powi(k + 1) / norm;
    close(p.mean_number_in_system.unwrap(), l, "L");
    let lambda_eff = 0.8 * (1.0 - pk);
    close(p.throughput.unwrap(), lambda_eff, "throughput");
    close(p.mean_sojourn_time.unwrap(), l / lambda_eff, "W");
    close(
        p.mean_number_in_queue.unwrap(),
        l - (1.0 - (1.0 - rho) / norm),
        "Lq = L − (1 − π₀)",
    );
    // Issue 3: P(loss) = 0.08882.
    assert!((p.p_loss.unwrap() - 0.08882).abs() < 5e-6);
    // Sojourn p50 solves Σ_{n<K} q_n·P(Erlang(n+1, μ) > t) = 0.5 (checked by re-evaluating).
    let t = p.sojourn_time_percentiles.unwrap().p50;
    let mut tail = 0.0;
    for n in 0..k {
        let erl: f64 = (0..=n)
            .map(|j| (-t).exp() * t.powi(j) / factorial(j as u32))
            .sum();
        tail += (1.0 - rho) * rho.powi(n) / norm / (1.0 - pk) * erl;
    }
    assert!((tail - 0.5).abs() < 1e-9, "tail at p50 = {tail}");
}

#[test]
fn mmck_multi_server() {
    // M/M/3/6 with a = 2.5 by the direct sum over states.
    let (c, k, a) = (3u32, 6u32, 2.5f64);
    let p = predict(&Scenario::from_kendall("M/M/3/6", 2.5, 1.0).unwrap()).unwrap();
    let w: Vec<f64> = (0..=k)
        .map(|n| {
            if n <= c {
                a.powi(n as i32) / factorial(n)
            } else {
                a.powi(c as i32) / factorial(c) * (a / f64::from(c)).powi((n - c) as i32)
            }
        })
        .collect();
    let total: f64 = w.iter().sum();
    let pi: Vec<f64> = w.iter().map(|x| x / total).collect();
    close(p.p_loss.unwrap(), pi[k as usize], "P(loss)");
    let lq: f64 = (c..=k).map(|n| f64::from(n - c) * pi[n as usize]).sum();
    close(p.mean_number_in_queue.unwrap(), lq, "Lq");
    let pw: f64 = (c..k).map(|n| pi[n as usize]).sum::<f64>() / (1.0 - pi[k as usize]);
    close(p.p_wait.unwrap(), pw, "P(wait)");
}

#[test]
fn md1_at_rho_nine_tenths() {
    // Pollaczek–Khinchine with SCV 0: Lq = ρ²/(2(1−ρ)) = 4.05 (issue 3), Wq = Lq/λ.
    let p = predict(&Scenario::from_kendall("M/D/1", 0.9, 1.0).unwrap()).unwrap();
    assert!(p.exact);
    close(p.mean_number_in_queue.unwrap(), 0.81 / 0.2, "Lq");
    close(p.mean_number_in_queue.unwrap(), 4.05, "Lq (issue)");
    close(p.mean_waiting_time.unwrap(), 4.05 / 0.9, "Wq");
    close(p.mean_number_in_system.unwrap(), 4.05 + 0.9, "L");
}

#[test]
fn mg1_lognormal_service() {
    // P–K: Wq = λE[S²]/(2(1−ρ)) with E[S²] = (1 + cv²)·E[S]² for any distribution.
    let s = Scenario::from_kendall_with(
        "M/G/1",
        Distribution::exponential(0.7).unwrap(),
        Distribution::lognormal(1.0, 1.5).unwrap(),
    )
    .unwrap();
    let p = predict(&s).unwrap();
    assert!(p.exact);
    let wq = 0.7 * (1.0 + 2.25) / (2.0 * 0.3);
    close(p.mean_waiting_time.unwrap(), wq, "Wq");
    close(p.mean_sojourn_time.unwrap(), wq + 1.0, "W");
    close(p.p_wait.unwrap(), 0.7, "P(wait) = ρ");
}

#[test]
fn infinite_server_and_erlang_loss() {
    let p = predict(&Scenario::from_kendall("M/M/inf", 3.0, 0.5).unwrap()).unwrap();
    close(p.mean_number_in_system.unwrap(), 6.0, "L = λ/μ");
    close(
        p.sojourn_time_percentiles.unwrap().p90,
        10f64.ln() / 0.5,
        "p90",
    );
    // Erlang B for M/D/2/2 with a = 1: B = (a²/2)/(1 + a + a²/2) = 0.2, insensitive to S.
    let p = predict(&Scenario::from_kendall("M/D/2/2", 1.0, 1.0).unwrap()).unwrap();
    assert!(p.exact);
    close(p.p_loss.unwrap(), 0.2, "Erlang B");
}

#[test]
fn approximations_and_unstable() {
    // Kingman for D/M/1 is marked approximate; an unbounded ρ ≥ 1 station is unstable.
    let p = predict(&Scenario::from_kendall("D/M/1", 0.5, 1.0).unwrap()).unwrap();
    assert!(!p.exact && !p.unstable);
    // Kingman: Wq ≈ ρ/(1−ρ)·(ca²+cs²)/2·E[S] = 1·(0+1)/2 = 0.5.
    close(p.mean_waiting_time.unwrap(), 0.5, "Kingman Wq");
    for n in ["M/M/1", "M/D/3", "E2/M/2"] {
        let c: f64 = n.rsplit('/').next().unwrap().parse().unwrap();
        let p = predict(&Scenario::from_kendall(n, c, 1.0).unwrap()).unwrap();
        assert!(p.unstable, "{n}");
        assert!(p.means().iter().all(Option::is_none), "{n}: {p:?}");
        let json = serde_json::to_value(&p).unwrap();
        assert!(json["mean_number_in_system"].is_null());
    }
    // With finite capacity ρ ≥ 1 is fine.
    let p = predict(&Scenario::from_kendall("M/M/1/10", 2.0, 1.0).unwrap()).unwrap();
    assert!(!p.unstable && p.p_loss.unwrap() > 0.5);
}

#[test]
fn loss_systems_flooded_far_beyond_capacity_stay_exact() {
    // λ/μ so large that 1 − P(loss) cancels to 0 in double precision: the servers are busy,
    // so throughput → cμ, W → the time an accepted customer spends inside, and the
    // percentiles must come back (M/M/1/1 at 1e17 used to allocate without end).
    for (model, c, w) in [
        ("M/M/1/1", 1.0, 1.0),
        ("M/M/5/5", 5.0, 1.0),
        ("M/D/2/2", 2.0, 1.0),
        // Arrivals accepted when one place is free: they wait for one completion at cμ.
        ("M/M/1/2", 1.0, 2.0),
        ("M/M/4/6", 4.0, 1.5),
    ] {
        for lambda in [1e12, 1e17, 1e300] {
            let p = predict(&Scenario::from_kendall(model, lambda, 1.0).unwrap()).unwrap();
            let what = format!("{model} at λ = {lambda:e}");
            close(p.throughput.unwrap(), c, &format!("{what}: throughput"));
            close(p.utilisation.unwrap(), 1.0, &format!("{what}: utilisation"));
            close(p.mean_sojourn_time.unwrap(), w, &format!("{what}: W"));
            let l = p.mean_number_in_system.unwrap();
            close(l, p.throughput.unwrap() * w, &format!("{what}: L = XW"));
            if let Some(s) = p.sojourn_time_percentiles {
                assert!(s.p50.is_finite() && s.p50 > 0.0, "{what}: {s:?}");
            }
        }
    }
    // The M/M/1/1 sojourn time is the service time, whatever the load: p50 = ln 2 / μ.
    let p = predict(&Scenario::from_kendall("M/M/1/1", 1e15, 1.0).unwrap()).unwrap();
    close(
        p.sojourn_time_percentiles.unwrap().p50,
        2f64.ln(),
        "M/M/1/1 sojourn p50",
    );
}
