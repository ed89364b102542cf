//! A binary min-heap of service-completion times: the event calendar of the busy servers.
//! Plain `f64`s in a `Vec` reused for the whole run, so no allocation per event.

/// The busy servers' completion times, as the event loop needs them. Two implementations, so
/// the loop is compiled once for a single server (one slot) and once for c > 1 (a heap).
pub(crate) trait Completions {
    /// The earliest completion, or +∞ when no server is busy.
    fn peek(&self) -> f64;
    /// A server becomes busy until `t`.
    fn push(&mut self, t: f64);
    /// The earliest completion happens and its server goes idle.
    fn pop(&mut self);
    /// The earliest completion happens and its server starts again, until `t`.
    fn replace_top(&mut self, t: f64);
}

/// One server: its completion time, +∞ when idle.
#[derive(Debug)]
pub(crate) struct OneServer(f64);

impl OneServer {
    pub(crate) fn new() -> Self {
        OneServer(f64::INFINITY)
    }
}

impl Completions for OneServer {
    #[inline(always)]
    fn peek(&self) -> f64 {
        self.0
    }
    #[inline(always)]
    fn push(&mut self, t: f64) {
        self.0 = t;
    }
    #[inline(always)]
    fn pop(&mut self) {
        self.0 = f64::INFINITY;
    }
    #[inline(always)]
    fn replace_top(&mut self, t: f64) {
        self.0 = t;
    }
}

impl Completions for MinHeap {
    #[inline(always)]
    fn peek(&self) -> f64 {
        MinHeap::peek(self)
    }
    #[inline(always)]
    fn push(&mut self, t: f64) {
        MinHeap::push(self, t);
    }
    #[inline(always)]
    fn pop(&mut self) {
        MinHeap::pop(self);
    }
    #[inline(always)]
    fn replace_top(&mut self, t: f64) {
        MinHeap::replace_top(self, t);
    }
}

/// Min-heap of `f64` times (never NaN: times are sums of finite durations).
#[derive(Debug, Default)]
pub(crate) struct MinHeap {
    v: Vec<f64>,
}

impl MinHeap {
    pub(crate) fn with_capacity(n: usize) -> Self {
        MinHeap {
            v: Vec::with_capacity(n),
        }
    }

    /// The smallest time, or +∞ when empty.
    #[inline]
    pub(crate) fn peek(&self) -> f64 {
        match self.v.first() {
            Some(&t) => t,
            None => f64::INFINITY,
        }
    }

    #[inline]
    pub(crate) fn push(&mut self, t: f64) {
        self.v.push(t);
        let mut i = self.v.len() - 1;
        while i > 0 {
            let p = (i - 1) / 2;
            if self.v[p] <= t {
                break;
            }
            self.v[i] = self.v[p];
            i = p;
        }
        self.v[i] = t;
    }

    /// Removes the smallest time.
    #[inline]
    pub(crate) fn pop(&mut self) {
        if let Some(last) = self.v.pop()
            && !self.v.is_empty()
        {
            self.sift_down(last);
        }
    }

    /// Replaces the smallest time by `t` (one server finishes and starts again).
    #[inline]
    pub(crate) fn replace_top(&mut self, t: f64) {
        if self.v.len() <= 1 {
            if let Some(x) = self.v.first_mut() {
                *x = t;
            } else {
                self.v.push(t);
            }
            return;
        }
        self.sift_down(t);
    }

    /// Puts `t` at the root and sinks it to its place.
    #[inline]
    fn sift_down(&mut self, t: f64) {
        let n = self.v.len();
        let mut i = 0;
        loop {
            let l = 2 * i + 1;
            if l >= n {
                break;
            }
            let r = l + 1;
            let m = if r < n && self.v[r] < self.v[l] { r } else { l };
            if self.v[m] >= t {
                break;
            }
            self.v[i] = self.v[m];
            i = m;
        }
        self.v[i] = t;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_order() {
        let mut h = MinHeap::with_capacity(4);
        let xs = [5.0, 1.0, 4.0, 2.0, 3.0, 0.5, 7.0];
        for x in xs {
            h.push(x);
        }
        h.replace_top(6.0); // 0.5 out, 6 in
        let mut out = vec![];
        while h.peek().is_finite() {
            out.push(h.peek());
            h.pop();
        }
        assert_eq!(out, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]);
    }
}
