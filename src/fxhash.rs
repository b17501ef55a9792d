//! A small fast hash: the rotate-xor-multiply of rustc's `FxHasher`, for the maps of a batch
//! that are hashed for every row (section names, values read by a section, row names). Their
//! keys come from dmsplan's own templates and catalog or from the user's own inventory, so
//! the flooding that SipHash guards against is no concern, and SipHash cost a tenth of the
//! time of the code that used it.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// The hasher.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher(u64);

/// A map hashed with [`FxHasher`].
pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// A set hashed with [`FxHasher`].
pub type FxSet<T> = HashSet<T, BuildHasherDefault<FxHasher>>;

impl FxHasher {
    /// Mix in one word.
    pub fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    /// Mix in bytes, eight at a time, and their length.
    pub fn bytes(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let mut w = [0u8; 8];
        w[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.add(u64::from_le_bytes(w));
        self.add(bytes.len() as u64);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.bytes(bytes);
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u64(&mut self, word: u64) {
        self.add(word);
    }
    fn write_usize(&mut self, word: usize) {
        self.add(word as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_texts_apart_and_hashes_alike_twice() {
        let hash = |s: &str| {
            let mut h = FxHasher::default();
            h.bytes(s.as_bytes());
            h.finish()
        };
        assert_eq!(hash("source.label"), hash("source.label"));
        // The length is mixed in: a text and the same with zero bytes after it differ.
        assert_ne!(hash("a"), hash("a\0"));
        assert_ne!(hash(""), hash("\0\0\0\0\0\0\0\0"));
        let mut map: FxMap<String, u32> = FxMap::default();
        map.insert("x".into(), 1);
        assert_eq!(map.get("x"), Some(&1));
    }
}
