//! How many searches run at once, the others waiting their turn in arrival order.
//!
//! A search is pure computation over memory-mapped files. With sixteen of them at once on two
//! cores, each gets an eighth of a core, and a broad query, three times the work of a narrow one,
//! took eight times its own time: p99 was five to seven times p50 at 100,000 records. Letting only
//! as many run as there are cores (and one more, so that no core idles while the next
//! one wakes up), the rest queued first come first served, gives each search its core to the end
//! (and its caches): the wait is shared evenly instead
//! (`docs/benchmarks.md`, issue #23). Cached results do not queue.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::Thread;

/// A first-come, first-served gate letting `limit` holders in at once. A holder leaving hands
/// its place to the first in the queue and wakes that one only.
#[derive(Debug)]
pub(crate) struct Gate {
    limit: usize,
    queue: Mutex<Queue>,
}

#[derive(Debug, Default)]
struct Queue {
    /// Holders inside.
    inside: usize,
    /// Those waiting, first come first.
    waiting: VecDeque<Arc<Waiter>>,
}

#[derive(Debug)]
struct Waiter {
    thread: Thread,
    /// Set by the holder who handed over its place.
    let_in: AtomicBool,
}

/// Being inside the gate; leaving is dropping it.
pub(crate) struct Pass<'a>(&'a Gate);

impl Gate {
    /// A gate for `limit` at once (0: one more than the machine has cores, so that a core is
    /// not left idle while the next in the queue wakes up).
    pub(crate) fn new(limit: usize) -> Self {
        let limit = match limit {
            0 => std::thread::available_parallelism().map_or(2, |n| n.get()) + 1,
            n => n,
        };
        Gate {
            limit,
            queue: Mutex::new(Queue::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for this caller's turn and a free place.
    pub(crate) fn enter(&self) -> Pass<'_> {
        let mut q = self.lock();
        if q.inside < self.limit && q.waiting.is_empty() {
            q.inside += 1;
            return Pass(self);
        }
        let me = Arc::new(Waiter {
            thread: std::thread::current(),
            let_in: AtomicBool::new(false),
        });
        q.waiting.push_back(Arc::clone(&me));
        drop(q);
        // `park` may return early; the flag says when the place is ours.
        while !me.let_in.load(Ordering::Acquire) {
            std::thread::park();
        }
        Pass(self)
    }
}

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        let mut q = self.0.lock();
        match q.waiting.pop_front() {
            Some(next) => {
                // The place goes to `next`: those inside stay as many.
                next.let_in.store(true, Ordering::Release);
                next.thread.unpark();
            }
            None => q.inside -= 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Gate;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    /// `limit` hold the places while six arrive one after another; then the places are freed.
    /// Returns the order they got in and the most inside at once.
    fn queue(limit: usize) -> (Vec<usize>, usize) {
        let gate = Arc::new(Gate::new(limit));
        let inside = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let order = Arc::new(Mutex::new(Vec::new()));
        let holders: Vec<_> = (0..limit).map(|_| gate.enter()).collect();
        let mut waiting = Vec::new();
        for i in 0..6 {
            let (gate2, inside, most, order) = (
                Arc::clone(&gate),
                Arc::clone(&inside),
                Arc::clone(&most),
                Arc::clone(&order),
            );
            waiting.push(std::thread::spawn(move || {
                let _pass = gate2.enter();
                order.lock().unwrap().push(i);
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(20));
                inside.fetch_sub(1, Ordering::SeqCst);
            }));
            // Let it take its ticket before the next one arrives.
            while gate.lock().waiting.len() < i + 1 {
                std::thread::yield_now();
            }
        }
        assert!(
            order.lock().unwrap().is_empty(),
            "nobody passes a full gate"
        );
        drop(holders);
        for t in waiting {
            t.join().unwrap();
        }
        assert_eq!(gate.lock().inside, 0);
        let order = order.lock().unwrap().clone();
        (order, most.load(Ordering::SeqCst))
    }

    #[test]
    fn turns_in_arrival_order_and_never_more_inside_than_the_limit() {
        let (order, most) = queue(1);
        assert_eq!(order, vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(most, 1);
        let (mut order, most) = queue(2);
        assert_eq!(most, 2);
        order.sort_unstable();
        assert_eq!(order, vec![0, 1, 2, 3, 4, 5]);
    }
}
