//! The generator's one way of using every core: independent jobs, largest first, results in the
//! order of the input (so nothing downstream depends on scheduling or on the number of cores).

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` applied to each item on as many threads as the machine has cores, the items of larger
/// `size` started first (a large item taken last would keep one thread busy while the others
/// idle); the results come back in the order of `items`. A panic in `f` is resumed on the caller.
pub fn map<T: Send, R: Send>(
    items: Vec<T>,
    size: impl Fn(&T) -> usize,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(size(&items[i])));
    // Each item is taken exactly once: the slot of the `i`-th index handed out.
    let slots: Vec<std::sync::Mutex<Option<T>>> = items
        .into_iter()
        .map(|item| std::sync::Mutex::new(Some(item)))
        .collect();
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            let item = slots[i]
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .take();
            if let Some(item) = item {
                done.push((i, f(item)));
            }
        }
        done
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(order.len());
    let mut results: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
        let mut all = work();
        for h in handles {
            all.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        all
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_input_order_whatever_the_sizes() {
        let items: Vec<usize> = (0..100).collect();
        // Sizes that reverse the start order: the results still come back as the input.
        let out = super::map(items.clone(), |&i| i, |i| i * 2);
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert!(super::map(Vec::<u8>::new(), |_| 0, |b| b).is_empty());
    }
}
