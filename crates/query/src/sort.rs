//! One small sort for the whole engine.
//!
//! `slice::sort_unstable_by` is fast but large: every element type and comparator gets
//! its own copy of pattern-defeating quicksort, 3 to 5 KB of wasm each, which was more
//! than a third of the engine. Heapsort is a few hundred bytes per use, needs no
//! allocation, and is O(n log n) on the small slices the engine sorts (hits, positions,
//! expansions); `top_k` keeps only the best `k` of many candidates in O(n log k).

use std::cmp::Ordering;

/// Sorts `v` by `cmp` (not stable: give `cmp` a tie-breaker for deterministic order).
pub(crate) fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift_down(v, i, n, &mut cmp);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end, &mut cmp);
    }
}

/// Sorts `v` by the natural order.
pub(crate) fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Keeps the `k` first elements of `v` in `cmp` order, sorted; drops the rest.
pub(crate) fn top_k<T>(v: &mut Vec<T>, k: usize, mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if k == 0 {
        v.clear();
        return;
    }
    if v.len() > k {
        // a max-heap (by `cmp`) of the best k seen so far: its root is the worst of them
        for i in (0..k / 2).rev() {
            sift_down(&mut v[..k], i, k, &mut cmp);
        }
        for i in k..v.len() {
            if cmp(&v[i], &v[0]) == Ordering::Less {
                v.swap(0, i);
                sift_down(&mut v[..k], 0, k, &mut cmp);
            }
        }
        v.truncate(k);
    }
    sort_by(v, cmp);
}

fn sift_down<T>(
    v: &mut [T],
    mut root: usize,
    end: usize,
    cmp: &mut impl FnMut(&T, &T) -> Ordering,
) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && cmp(&v[child], &v[child + 1]) == Ordering::Less {
            child += 1;
        }
        if cmp(&v[root], &v[child]) != Ordering::Less {
            return;
        }
        v.swap(root, child);
        root = child;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_like_std(mut v in proptest::collection::vec(any::<i32>(), 0..200)) {
            let mut expected = v.clone();
            expected.sort_unstable();
            sort(&mut v);
            prop_assert_eq!(v, expected);
        }

        #[test]
        fn top_k_is_the_sorted_prefix(mut v in proptest::collection::vec(any::<u16>(), 0..300), k in 0usize..40) {
            let mut expected = v.clone();
            expected.sort_unstable_by(|a, b| b.cmp(a));
            expected.truncate(k);
            top_k(&mut v, k, |a, b| b.cmp(a));
            prop_assert_eq!(v, expected);
        }
    }
}
