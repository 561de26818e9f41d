//! One sort for the whole crate (size: every `slice::sort_by` call instantiates the standard
//! library's driftsort or ipnsort for its element type and comparator, 2–5 KB of wasm each).
//!
//! [`order`] is a bottom-up merge sort of indices with a `dyn` comparator, compiled once;
//! [`sort_by`] is the thin generic part, a comparator by index and a permutation applied in place.
//! Stable, O(n log n) comparisons, never panics (every index comes from `0..len`).

use std::cmp::Ordering;

/// The indices `0..len` in stable order of `cmp`: an index comes before another when `cmp`
/// says its element is less, or when they compare equal and it is the smaller index.
#[inline(never)]
pub fn order(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    let mut merged: Vec<usize> = vec![0; len];
    let mut width = 1usize;
    while width < len {
        let mut start = 0usize;
        while start < len {
            let middle = start.saturating_add(width).min(len);
            let end = middle.saturating_add(width).min(len);
            let (mut left, mut right) = (start, middle);
            for slot in merged.iter_mut().take(end).skip(start) {
                // The left run's head goes first unless the right one's is strictly less.
                let take_left = match (order.get(left), order.get(right)) {
                    (Some(&l), Some(&r)) if left < middle && right < end => {
                        cmp(r, l) != Ordering::Less
                    }
                    _ => left < middle,
                };
                let source = if take_left { &mut left } else { &mut right };
                *slot = order.get(*source).copied().unwrap_or(0);
                *source += 1;
            }
            start = end;
        }
        std::mem::swap(&mut order, &mut merged);
        width = width.saturating_mul(2);
    }
    order
}

/// Sorts `items` stably by `cmp`, as `slice::sort_by` does (same result: a stable sort's
/// output is determined by the comparator).
pub fn sort_by<T>(items: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let mut ranks = order(items.len(), &|a, b| match (items.get(a), items.get(b)) {
        (Some(a), Some(b)) => cmp(a, b),
        _ => Ordering::Equal,
    });
    permute(items, &mut ranks);
}

/// Sorts `items` stably by the key `key` gives, as `slice::sort_by_key` does.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Moves the element at `order[i]` to position `i`, cycle by cycle (`order` is a permutation
/// of `0..items.len()`; it is used up as the visited marks).
fn permute<T>(items: &mut [T], order: &mut [usize]) {
    for start in 0..order.len() {
        let mut current = start;
        while let Some(&source) = order.get(current) {
            if let Some(mark) = order.get_mut(current) {
                *mark = current;
            }
            if source == start || source == current || source >= items.len() {
                break;
            }
            items.swap(current, source);
            current = source;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_standard_stable_sort() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for len in 0..200 {
            for _ in 0..5 {
                let items: Vec<(u8, usize)> = (0..len)
                    .map(|i| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        ((seed % 7) as u8, i)
                    })
                    .collect();
                let mut expected = items.clone();
                expected.sort_by_key(|item| item.0);
                let mut actual = items.clone();
                sort_by_key(&mut actual, |item| item.0);
                assert_eq!(actual, expected);
                let mut expected = items.clone();
                expected.sort_by(|a, b| b.cmp(a));
                let mut actual = items;
                sort_by(&mut actual, |a, b| b.cmp(a));
                assert_eq!(actual, expected);
            }
        }
    }
}
