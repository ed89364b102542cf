//! Where each logical position of the ring lives in memory, and how positions advance.
//!
//! A position is `lap | index`: `index` is a physical slot number below `one_lap` (a power of
//! two), `lap` counts trips around the ring in multiples of `one_lap`. Consecutive logical
//! positions are *spread* over different cache lines: logical `i` lives at physical
//! `(i % lines) * per_line + i / lines`, so a producer writing position `i + 1` does not fight
//! over a line with a consumer still reading position `i`. Any capacity works: the last line may
//! have unused physical slots.

/// Bytes per cache line for spreading purposes.
pub(crate) const LINE_BYTES: usize = 64;

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
    /// Lap unit: a power of two greater than `slots`, so `index + 1` never carries into the lap.
    pub(crate) one_lap: usize,
}

impl Layout {
    /// Lays out `capacity >= 1` slots of `slot_bytes` bytes each; `spread` turns spreading on.
    pub(crate) fn new(capacity: usize, slot_bytes: usize, spread: bool) -> Self {
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
        let slots = lines * per_line;
        let one_lap = (slots + 1).next_power_of_two();
        let mut layout = Layout {
            capacity,
            slots,
            lines,
            shift,
            last: 0,
            one_lap,
        };
        layout.last = layout.physical(capacity - 1);
        layout
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

    /// The position `n <= capacity` steps after `pos`.
    #[inline]
    pub(crate) fn advance(&self, pos: usize, n: usize) -> usize {
        debug_assert!(n <= self.capacity);
        let mut lap = pos & !(self.one_lap - 1);
        let mut i = self.logical(self.index(pos)) + n;
        if i >= self.capacity {
            i -= self.capacity;
            lap = lap.wrapping_add(self.one_lap);
        }
        lap | self.physical(i)
    }

    /// Number of steps from `head` to `tail`, given `tail` is at most one lap ahead.
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
    fn every_capacity_maps_logical_positions_to_distinct_slots() {
        for slot_bytes in [0, 1, 8, 16, 24, 40, 64, 200] {
            for capacity in 1..70 {
                for spread in [false, true] {
                    let l = Layout::new(capacity, slot_bytes, spread);
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
                        for n in 0..=capacity {
                            let lap = if i + n >= capacity { l.one_lap } else { 0 };
                            let want = lap | l.physical((i + n) % capacity);
                            assert_eq!(l.advance(p, n), want);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn spreading_puts_neighbours_on_different_lines() {
        let l = Layout::new(1024, 16, true);
        assert_eq!(l.slots, 1024);
        assert_eq!(l.index(l.next(0)), 4);
        let l = Layout::new(1024, 16, false);
        assert_eq!(l.index(l.next(0)), 1);
    }

    #[test]
    fn distance_counts_steps() {
        let l = Layout::new(5, 16, true);
        let mut pos = 0;
        for n in 0..=5 {
            assert_eq!(l.distance(0, pos), n);
            pos = l.next(pos);
        }
    }
}
