//! Real time for a live run: the mapping from model time units to wall-clock instants (the
//! time scale) and a precise wait that sleeps for the bulk of an interval and spins the end.

use std::time::{Duration, Instant};

/// The run's time origin and scale, shared by the arrival and server threads.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Clock {
    start: Instant,
    /// Real seconds per model time unit.
    scale: f64,
    /// How long before a deadline `wait_until` stops sleeping and starts spinning.
    spin: Duration,
}

impl Clock {
    pub(crate) fn new(start: Instant, scale: f64, spin: Duration) -> Self {
        Clock { start, scale, spin }
    }

    /// The instant `model` time units after the start.
    pub(crate) fn at(&self, model: f64) -> Instant {
        self.start + self.real(model)
    }

    /// A model duration as a real one (saturating: a huge value waits "forever").
    pub(crate) fn real(&self, model: f64) -> Duration {
        Duration::try_from_secs_f64(model * self.scale).unwrap_or(Duration::MAX / 4)
    }

    /// Nanoseconds from the start to `t` (0 for an instant before the start).
    pub(crate) fn ns(&self, t: Instant) -> u64 {
        u64::try_from(t.saturating_duration_since(self.start).as_nanos()).unwrap_or(u64::MAX)
    }

    /// Nanoseconds as model time units.
    pub(crate) fn model(&self, ns: u64) -> f64 {
        ns as f64 * 1e-9 / self.scale
    }

    /// Waits until `deadline` and returns the instant it woke: sleeps until `spin` before it
    /// (the OS wakes a sleeper late by its timer slack, 50 µs on Linux, plus scheduling), then
    /// spins on the clock. A short spin keeps c spinning servers from starving a small machine.
    pub(crate) fn wait_until(&self, deadline: Instant) -> Instant {
        let mut now = Instant::now();
        if let Some(left) = deadline.checked_duration_since(now)
            && left > self.spin
        {
            std::thread::sleep(left - self.spin);
            now = Instant::now();
        }
        while now < deadline {
            std::hint::spin_loop();
            now = Instant::now();
        }
        now
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_is_never_early() {
        let c = Clock::new(Instant::now(), 1e-3, Duration::from_micros(80));
        for k in 1..20 {
            let d = c.at(f64::from(k) * 0.3);
            assert!(c.wait_until(d) >= d);
        }
    }

    #[test]
    fn conversions_round_trip() {
        let start = Instant::now();
        let c = Clock::new(start, 1e-3, Duration::ZERO);
        let t = c.at(2.5);
        assert_eq!(c.ns(t), 2_500_000);
        assert!((c.model(c.ns(t)) - 2.5).abs() < 1e-12);
        assert_eq!(c.ns(start - Duration::from_secs(0)), 0);
    }
}
