//! Where each logical position of the ring lives in memory, and how positions advance.
//!
//! A position is `lap | index`: `index` is a physical slot number below `one_lap` (a power of
//! two), `lap` counts trips around the ring in multiples of `one_lap`. Packed, logical `i` is
//! physical `i`. Spread, consecutive logical positions land on different cache lines: logical
//! `i` lives at physical `(i % lines) * per_line + i / lines`, so a producer writing position
//! `i + 1` does not fight over a line with a consumer still reading position `i` (at the price
//! of touching more lines in a batch). Any capacity works: the last line may have unused
//! physical slots.

/// Bytes per cache line for spreading purposes.
pub(crate) const LINE_BYTES: usize = 64;

/// Stamp offset meaning "holds the value written at this position".
pub(crate) const FULL: usize = 1;
/// Stamp offset meaning "claimed at this position, then left without a value" (a batch push
/// whose iterator ran dry or panicked); consumers step over such slots.
pub(crate) const SKIP: usize = 2;

#[derive(Clone, Copy, Debug)]
pub(crate) struct Layout {
    /// Logical capacity (values the ring holds when full).
    pub(crate) capacity: usize,
    /// Physical slots allocated: `lines * per_line >= capacity`.
    pub(crate) slots: usize,
    /// Number of cache lines the ring is spread over.
    lines: usize,
    /// `log2(per_line)`: how many slots share a line (a power of two).
    shift: u32,
    /// Physical index of the last logical position, `capacity - 1`.
    last: usize,
    /// Lap unit: a power of two greater than `slots + SKIP`, so stamps never carry into the lap.
    pub(crate) one_lap: usize,
}

impl Layout {
    /// Lays out `capacity >= 1` slots of `slot_bytes` bytes each; `spread` turns spreading on.
    /// `None` if the counters or the buffer size would overflow.
    pub(crate) fn new(capacity: usize, slot_bytes: usize, spread: bool) -> Option<Self> {
        debug_assert!(capacity >= 1);
        let per_line = if !spread || slot_bytes == 0 || slot_bytes > LINE_BYTES / 2 {
            1
        } else {
            // Largest power of two not above LINE_BYTES / slot_bytes.
            let fit = LINE_BYTES / slot_bytes;
            1usize << (usize::BITS - 1 - fit.leading_zeros())
        };
        let shift = per_line.trailing_zeros();
        let lines = capacity.div_ceil(per_line);
        let slots = lines.checked_mul(per_line)?;
        // Room for `index + FULL` and `index + SKIP` below the lap bit, and at least four laps'
        // worth of distinct stamps per slot.
        let one_lap = slots
            .checked_add(SKIP + 1)?
            .checked_next_power_of_two()?
            .max(4);
        // The buffer must be addressable, and a lap must leave room for many laps.
        let bytes = slots.checked_mul(slot_bytes.max(1))?;
        if bytes > isize::MAX as usize || one_lap > usize::MAX / 4 {
            return None;
        }
        let mut layout = Layout {
            capacity,
            slots,
            lines,
            shift,
            last: 0,
            one_lap,
        };
        layout.last = layout.physical(capacity - 1);
        Some(layout)
    }

    /// Mask selecting the physical index of a position.
    #[inline(always)]
    pub(crate) fn index(&self, pos: usize) -> usize {
        pos & (self.one_lap - 1)
    }

    /// Physical slot of logical index `i < capacity`.
    #[inline(always)]
    pub(crate) fn physical(&self, i: usize) -> usize {
        if self.shift == 0 {
            i
        } else {
            ((i % self.lines) << self.shift) | (i / self.lines)
        }
    }

    /// Logical index of physical slot `p`.
    #[inline(always)]
    pub(crate) fn logical(&self, p: usize) -> usize {
        if self.shift == 0 {
            p
        } else {
            (p & ((1 << self.shift) - 1)) * self.lines + (p >> self.shift)
        }
    }

    /// The position after `pos`.
    #[inline(always)]
    pub(crate) fn next(&self, pos: usize) -> usize {
        let p = self.index(pos);
        if p == self.last {
            (pos & !(self.one_lap - 1)).wrapping_add(self.one_lap)
        } else if p + (1 << self.shift) < self.slots {
            pos + (1 << self.shift)
        } else {
            // Last line reached: back to the first line, one column to the right.
            (pos & !(self.one_lap - 1)) | ((p & ((1 << self.shift) - 1)) + 1)
        }
    }

    #[cfg(any(feature = "std", test))] // for the channel only
    /// Signed number of steps from position `from` to position `to`: how far `to` is ahead
    /// (negative: behind). Positions wrap with `usize` — after 2^32 / `one_lap` laps on a
    /// 32-bit target — so laps are compared modulo the lap count and the result is right
    /// while the two are less than half the position space apart.
    pub(crate) fn steps(&self, from: usize, to: usize) -> i128 {
        let lap_mask = usize::MAX / self.one_lap;
        let laps = (to / self.one_lap).wrapping_sub(from / self.one_lap) & lap_mask;
        // Sign-extend the lap difference from the lap counter's width.
        let laps = if laps > lap_mask / 2 {
            laps as i128 - lap_mask as i128 - 1
        } else {
            laps as i128
        };
        laps * self.capacity as i128 + self.logical(self.index(to)) as i128
            - self.logical(self.index(from)) as i128
    }

    #[cfg(any(feature = "std", test))] // for the channel only
    /// How many positions come before `pos` since position 0: laps times capacity plus the
    /// logical index. Exact while positions have not wrapped `usize`: on a 64-bit target
    /// after 2^64 / `one_lap` laps, more than 2^59 positions even at capacity 1.
    #[inline]
    pub(crate) fn ordinal(&self, pos: usize) -> u64 {
        (pos / self.one_lap) as u64 * self.capacity as u64 + self.logical(self.index(pos)) as u64
    }

    #[cfg(any(feature = "std", test))] // for the channel only
    /// The position `k` steps after `pos` (`k < capacity`).
    #[inline]
    pub(crate) fn advance(&self, pos: usize, k: usize) -> usize {
        debug_assert!(k < self.capacity);
        let lap = pos & !(self.one_lap - 1);
        let l = self.logical(self.index(pos)) + k;
        if l < self.capacity {
            lap | self.physical(l)
        } else {
            lap.wrapping_add(self.one_lap) | self.physical(l - self.capacity)
        }
    }

    #[inline]
    pub(crate) fn distance(&self, head: usize, tail: usize) -> usize {
        let h = self.logical(self.index(head));
        let t = self.logical(self.index(tail));
        if h < t {
            t - h
        } else if h > t {
            self.capacity - h + t
        } else if head == tail {
            0
        } else {
            self.capacity
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    fn walk(layout: &Layout) -> Vec<usize> {
        let mut pos = 0;
        let mut seen = Vec::new();
        for _ in 0..layout.capacity {
            seen.push(layout.index(pos));
            pos = layout.next(pos);
        }
        assert_eq!(
            pos, layout.one_lap,
            "one lap returns to index 0 of the next lap"
        );
        seen
    }

    #[test]
    fn ordinal_counts_the_positions_walked() {
        for capacity in [1, 2, 3, 5, 8, 13, 64] {
            for spread in [false, true] {
                let l = Layout::new(capacity, 8, spread).unwrap();
                let mut pos = 0;
                for n in 0..5 * capacity as u64 + 3 {
                    assert_eq!(l.ordinal(pos), n, "cap {capacity} spread {spread}");
                    pos = l.next(pos);
                }
            }
        }
    }

    #[test]
    fn every_capacity_maps_logical_positions_to_distinct_slots() {
        for slot_bytes in [0, 1, 8, 16, 24, 40, 64, 200] {
            for capacity in 1..70 {
                for spread in [false, true] {
                    let l = Layout::new(capacity, slot_bytes, spread).unwrap();
                    let seen = walk(&l);
                    let mut sorted = seen.clone();
                    sorted.sort_unstable();
                    sorted.dedup();
                    assert_eq!(sorted.len(), capacity);
                    assert!(sorted.iter().all(|&p| p < l.slots));
                    assert!(l.slots < l.one_lap);
                    for (i, &p) in seen.iter().enumerate() {
                        assert_eq!(l.physical(i), p);
                        assert_eq!(l.logical(p), i);
                    }
                }
            }
        }
    }

    #[test]
    fn spreading_puts_neighbours_on_different_lines() {
        let l = Layout::new(1024, 16, true).unwrap();
        assert_eq!(l.slots, 1024);
        assert_eq!(l.index(l.next(0)), 4);
        let l = Layout::new(1024, 16, false).unwrap();
        assert_eq!(l.index(l.next(0)), 1);
    }

    #[test]
    fn huge_capacities_are_refused() {
        assert!(Layout::new(usize::MAX, 16, true).is_none());
        assert!(Layout::new(usize::MAX / 2, 16, false).is_none());
        assert!(Layout::new(usize::MAX / 4, 0, false).is_none());
        assert!(Layout::new(1 << 40, 16, true).is_some());
    }

    #[test]
    fn advance_matches_repeated_next() {
        for capacity in 1..40 {
            for spread in [false, true] {
                let l = Layout::new(capacity, 16, spread).unwrap();
                let mut start = 0;
                for _ in 0..(2 * capacity + 1) {
                    let mut pos = start;
                    for k in 0..capacity {
                        assert_eq!(l.advance(start, k), pos, "cap {capacity} k {k}");
                        pos = l.next(pos);
                    }
                    start = l.next(start);
                }
            }
        }
    }

    #[test]
    fn steps_count_every_step() {
        for capacity in 1..20 {
            for spread in [false, true] {
                let l = Layout::new(capacity, 16, spread).unwrap();
                let mut pos = 0;
                for n in 0..(3 * capacity + 2) {
                    assert_eq!(l.steps(0, pos), n as i128, "cap {capacity}");
                    assert_eq!(l.steps(pos, 0), -(n as i128), "cap {capacity}");
                    pos = l.next(pos);
                }
            }
        }
    }

    #[test]
    fn steps_survive_the_position_wrap() {
        for capacity in [1, 3, 16, 1000] {
            let l = Layout::new(capacity, 16, true).unwrap();
            // The first position of the last lap before `usize` wraps.
            let start = (usize::MAX / l.one_lap) * l.one_lap;
            let mut pos = start;
            for n in 0..(3 * capacity + 2) {
                assert_eq!(l.steps(start, pos), n as i128, "cap {capacity}");
                assert_eq!(l.steps(pos, start), -(n as i128), "cap {capacity}");
                pos = l.next(pos);
            }
            assert!(pos < start, "the walk crossed the wrap");
        }
    }

    #[test]
    fn distance_counts_steps() {
        let l = Layout::new(5, 16, true).unwrap();
        let mut pos = 0;
        for n in 0..=5 {
            assert_eq!(l.distance(0, pos), n);
            pos = l.next(pos);
        }
    }
}
