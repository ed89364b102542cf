//! Named, independent random-number streams derived from one run seed.
//!
//! Each stream (`"arrival"`, `"service"`, …) of each replication gets its own xoshiro256++
//! generator, seeded by hashing the run seed, the replication index and the stream name with
//! SplitMix64. The same seed therefore gives the same numbers whatever thread runs the
//! replication, and two scenarios that share a stream name share its numbers (common random
//! numbers).

use rand::RngCore;

/// One SplitMix64 step: a strong 64-bit mixer, used to spread seeds.
fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The 64-bit seed of stream `name` in replication `replication` of a run seeded with `seed`.
///
/// ```
/// use kendall_sim::rng::stream_seed;
/// assert_eq!(stream_seed(7, 0, "arrival"), stream_seed(7, 0, "arrival"));
/// assert_ne!(stream_seed(7, 0, "arrival"), stream_seed(7, 0, "service"));
/// assert_ne!(stream_seed(7, 0, "arrival"), stream_seed(7, 1, "arrival"));
/// ```
pub fn stream_seed(seed: u64, replication: u64, name: &str) -> u64 {
    // FNV-1a over the name, then mixed with seed and replication through SplitMix64.
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for b in name.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3);
    }
    splitmix(splitmix(splitmix(seed) ^ replication) ^ h)
}

/// A xoshiro256++ generator: small, fast, and stable across versions of this crate, so a seed
/// gives the same run forever.
///
/// ```
/// use kendall_sim::rng::Stream;
/// use rand::RngCore;
/// let mut a = Stream::new(1, 0, "service");
/// let mut b = Stream::new(1, 0, "service");
/// assert_eq!(a.next_u64(), b.next_u64());
/// ```
#[derive(Clone, Debug)]
pub struct Stream {
    s: [u64; 4],
}

impl Stream {
    /// The stream `name` of replication `replication` of a run seeded with `seed`.
    ///
    /// ```
    /// use kendall_sim::rng::Stream;
    /// let _arrivals = Stream::new(42, 3, "arrival");
    /// ```
    pub fn new(seed: u64, replication: u64, name: &str) -> Self {
        Self::from_seed_u64(stream_seed(seed, replication, name))
    }

    /// A stream from a raw 64-bit seed (expanded with SplitMix64, never all zero).
    ///
    /// ```
    /// use kendall_sim::rng::Stream;
    /// let _s = Stream::from_seed_u64(0);
    /// ```
    pub fn from_seed_u64(seed: u64) -> Self {
        let mut z = seed;
        let mut s = [0u64; 4];
        for w in &mut s {
            z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
            *w = splitmix(z);
        }
        if s == [0; 4] {
            s[0] = 1;
        }
        Stream { s }
    }

    /// A uniform number in the open interval (0, 1): never 0, so `ln` of it is finite.
    ///
    /// ```
    /// use kendall_sim::rng::Stream;
    /// let u = Stream::new(1, 0, "x").open01();
    /// assert!(u > 0.0 && u < 1.0);
    /// ```
    #[inline]
    pub fn open01(&mut self) -> f64 {
        // 52 random bits, offset by half a step.
        ((self.next_u64() >> 12) as f64 + 0.5) * (1.0 / (1u64 << 52) as f64)
    }
}

impl RngCore for Stream {
    #[inline]
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    #[inline]
    fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        for chunk in dst.chunks_mut(8) {
            let v = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open01_mean_is_one_half() {
        let mut s = Stream::new(9, 0, "u");
        let n = 200_000;
        let mean: f64 = (0..n).map(|_| s.open01()).sum::<f64>() / n as f64;
        assert!((mean - 0.5).abs() < 0.005, "mean {mean}");
    }

    #[test]
    fn streams_differ_by_name_and_replication() {
        let a = Stream::new(1, 0, "arrival").next_u64();
        let b = Stream::new(1, 0, "service").next_u64();
        let c = Stream::new(1, 1, "arrival").next_u64();
        assert!(a != b && a != c && b != c);
    }
}
