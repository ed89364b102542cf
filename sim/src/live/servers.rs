//! The server threads: each takes the next customer from the channel (FIFO), performs its
//! service as timed work — sleep, then spin to the deadline — and records when it started and
//! finished. The customer a server holds is in service, outside the channel.

use kendall_queue::Receiver;

use crate::live::arrivals::Customer;
use crate::live::clock::Clock;

/// One served customer.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Completion {
    pub index: u64,
    pub arrival_ns: u64,
    pub start_ns: u64,
    pub end_ns: u64,
    /// The sampled service time, nanoseconds.
    pub nominal_ns: u64,
}

/// Serves customers from `rx` until every sender is gone and the channel is empty.
pub(crate) fn serve(clock: Clock, rx: Receiver<Customer>, expected: usize) -> Vec<Completion> {
    let mut done = Vec::with_capacity(expected);
    while let Ok(c) = rx.recv() {
        let start = std::time::Instant::now();
        let work = clock.real(c.service);
        let end = clock.wait_until(start + work);
        done.push(Completion {
            index: c.index,
            arrival_ns: c.arrival_ns,
            start_ns: clock.ns(start),
            end_ns: clock.ns(end),
            nominal_ns: u64::try_from(work.as_nanos()).unwrap_or(u64::MAX),
        });
    }
    done
}
