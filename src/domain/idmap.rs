//! Maps keyed by database ids (`i32`), hashed with one multiplication instead of SipHash.
//!
//! Ids come from our own database, not from an attacker choosing keys, so the flooding
//! protection of the default hasher buys nothing here; summing a year's million sale lines
//! by product and the cart's product index are both dominated by hashing otherwise.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// Fibonacci hashing of an integer key: the product's high bits (which the map uses to pick
/// buckets and tags) depend on every bit of the key.
#[derive(Clone, Copy, Debug, Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Not used by integer keys; fold any other bytes in so the hasher stays correct.
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_i32(&mut self, n: i32) {
        self.0 = (self.0 ^ u64::from(n as u32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write_i64(&mut self, n: i64) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A map from database ids.
pub type IdMap<V> = HashMap<i32, V, BuildHasherDefault<IdHasher>>;

/// A set of database ids.
pub type IdSet = HashSet<i32, BuildHasherDefault<IdHasher>>;

/// An empty map with room for `n` ids.
pub fn id_map<V>(n: usize) -> IdMap<V> {
    IdMap::with_capacity_and_hasher(n, BuildHasherDefault::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_every_id_apart() {
        let mut m = id_map(0);
        for id in (-1000..100_000).step_by(7) {
            m.insert(id, id * 2);
        }
        for id in (-1000..100_000).step_by(7) {
            assert_eq!(m.get(&id), Some(&(id * 2)));
            assert_eq!(m.get(&(id + 1)), None);
        }
        let s: IdSet = [1, 2, 3, 2].into_iter().collect();
        assert_eq!(s.len(), 3);
    }

    #[test]
    fn spreads_consecutive_ids_over_the_high_bits() {
        let top = |id: i32| {
            let mut h = IdHasher::default();
            h.write_i32(id);
            h.finish() >> 57
        };
        let tags: HashSet<u64> = (0..1000).map(top).collect();
        assert!(tags.len() > 100, "only {} distinct tags", tags.len());
    }
}
