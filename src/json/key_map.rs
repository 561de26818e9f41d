//! [`KeyMap`]: a map with string keys kept as a list sorted by key, for the small maps the wire
//! carries (a bundle's `texts`: language → key → text; a quote's texts; a trust root's keys).
//!
//! It reads, writes and iterates as the `BTreeMap<String, V>` it replaced (a JSON object on the
//! wire, keys in byte order, the last of a repeated key kept by serde), with the same methods
//! for what the engine does with it. A sorted `Vec` is a fraction of a B-tree's code in the wasm
//! (size, issue 9; docs/size.md, session 9); the maps hold tens of entries, so a binary search
//! and an insertion are as fast.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// A map of `String` keys to `V`, sorted by key, each key once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyMap<V> {
    entries: Vec<(String, V)>,
}

impl<V> Default for KeyMap<V> {
    fn default() -> Self {
        KeyMap {
            entries: Vec::new(),
        }
    }
}

impl<V> KeyMap<V> {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        let at = self.position(key).ok()?;
        self.entries.get(at).map(|(_, value)| value)
    }

    /// The value of `key`, to change in place.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        let at = self.position(key).ok()?;
        self.entries.get_mut(at).map(|(_, value)| value)
    }

    /// Whether `key` is in the map.
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    /// Sets `key` to `value`; the value it replaces, if any.
    pub fn insert(&mut self, key: String, value: V) -> Option<V> {
        match self.position(&key) {
            Ok(at) => self
                .entries
                .get_mut(at)
                .map(|(_, old)| std::mem::replace(old, value)),
            Err(at) => {
                self.entries.insert(at, (key, value));
                None
            }
        }
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.entries.iter().map(|(key, value)| (key, value))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(key, _)| key)
    }

    /// The values in key order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, value)| value)
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

impl<'a, V> IntoIterator for &'a KeyMap<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, V)>,
        fn(&'a (String, V)) -> (&'a String, &'a V),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(key, value)| (key, value))
    }
}

impl<V> FromIterator<(String, V)> for KeyMap<V> {
    /// Inserted in turn: a repeated key keeps its last value, as a `BTreeMap` does.
    fn from_iter<I: IntoIterator<Item = (String, V)>>(items: I) -> Self {
        let mut map = KeyMap::new();
        for (key, value) in items {
            map.insert(key, value);
        }
        map
    }
}

impl<V, const N: usize> From<[(String, V); N]> for KeyMap<V> {
    /// As `BTreeMap::from`: a repeated key keeps its last value.
    fn from(items: [(String, V); N]) -> Self {
        items.into_iter().collect()
    }
}

/// A JSON object, members in key order (serde's form of a `BTreeMap`).
impl<V: Serialize> Serialize for KeyMap<V> {
    fn serialize<S: Serializer>(&self, out: S) -> Result<S::Ok, S::Error> {
        out.collect_map(self.iter())
    }
}

/// Read as serde reads a `BTreeMap<String, V>` (native callers and the readers' oracle; the
/// wasm reads it with `json::tree::map`).
impl<'de, V: Deserialize<'de>> Deserialize<'de> for KeyMap<V> {
    fn deserialize<D: Deserializer<'de>>(input: D) -> Result<Self, D::Error> {
        Ok(BTreeMap::<String, V>::deserialize(input)?
            .into_iter()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against a `BTreeMap` on the same operations: the same entries in the same order.
    #[test]
    fn behaves_as_a_btree_map() {
        let mut ours = KeyMap::new();
        let mut theirs = BTreeMap::new();
        let mut state = 0x2545_f491_u64;
        for _ in 0..2_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let key = format!("k{}", state % 97);
            let value = state % 1_000;
            assert_eq!(
                ours.insert(key.clone(), value),
                theirs.insert(key.clone(), value)
            );
            assert_eq!(ours.get(&key), theirs.get(&key));
            let probe = format!("k{}", (state >> 20) % 120);
            assert_eq!(ours.contains_key(&probe), theirs.contains_key(&probe));
            if let (Some(a), Some(b)) = (ours.get_mut(&probe), theirs.get_mut(&probe)) {
                *a += 1;
                *b += 1;
            }
            assert_eq!(
                ours.get_mut(&probe).is_some(),
                theirs.get_mut(&probe).is_some()
            );
        }
        assert!(ours.iter().eq(theirs.iter()));
        let pairs = [
            ("b".to_owned(), 1),
            ("a".to_owned(), 2),
            ("b".to_owned(), 3),
        ];
        assert!(KeyMap::from(pairs.clone())
            .iter()
            .eq(BTreeMap::from(pairs).iter()));
        assert_eq!(ours.len(), theirs.len());
        let text = serde_json::to_string(&ours).unwrap_or_default();
        assert_eq!(text, serde_json::to_string(&theirs).unwrap_or_default());
        let back: KeyMap<u64> = serde_json::from_str(r#"{"b":1,"a":2,"b":3}"#).unwrap_or_default();
        assert_eq!(
            back.iter().collect::<Vec<_>>(),
            [(&"a".to_owned(), &2), (&"b".to_owned(), &3)]
        );
    }
}
