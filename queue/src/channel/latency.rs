//! Opt-in sojourn-time recording (feature `latency`): a sampled message carries the instant it
//! was sent; the receiver records `now - sent` in nanoseconds into its own HDR histogram (one
//! per receiver handle, so recording never contends), merged on read.

use std::time::Instant;

use hdrhistogram::Histogram;

use crate::sync::{Mutex, lock};

/// Significant figures kept by the histograms (1 part in 1 000).
const SIGFIG: u8 = 3;

pub(crate) fn empty() -> Histogram<u64> {
    Histogram::new(SIGFIG).expect("3 significant figures is a valid precision")
}

pub(crate) fn merge(total: &mut Histogram<u64>, other: &Histogram<u64>) {
    // Auto-resizing histograms of one precision always merge.
    let _ = total.add(other);
}

/// One receiver's histogram.
pub(crate) struct Recorder {
    histogram: Mutex<Histogram<u64>>,
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder {
            histogram: Mutex::new(empty()),
        }
    }
}

impl Recorder {
    /// Records the sojourn of a message stamped at `sent`.
    #[inline]
    pub(crate) fn record(&self, sent: Instant) {
        let nanos = u64::try_from(sent.elapsed().as_nanos()).unwrap_or(u64::MAX);
        let mut h = lock(&self.histogram);
        // `record` grows the auto-resizing histogram; only a value beyond any size is clamped.
        if h.record(nanos).is_err() {
            h.saturating_record(nanos);
        }
    }

    pub(crate) fn snapshot(&self) -> Histogram<u64> {
        lock(&self.histogram).clone()
    }
}

/// What the ring actually stores: the message and, when sampled, its send instant.
pub(crate) struct Envelope<T> {
    pub(crate) value: T,
    pub(crate) sent: Option<Instant>,
}

impl<T> Envelope<T> {
    #[inline]
    pub(crate) fn stamp(value: T, sample: bool) -> Self {
        Envelope {
            value,
            sent: sample.then(Instant::now),
        }
    }
}
