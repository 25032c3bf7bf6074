//! Two jobs at once: a build has a few large steps that do not depend on each other
//! (gzipping the whole index while it is split, gzipping half the bundle's files each),
//! and the machines that build sites have at least two cores.
//!
//! Run by Node from the npm package (WASI), the CLI has no threads: the jobs run one
//! after the other there, with the same results.

/// Runs `a` and `b`, on two threads where there are threads, and returns both results.
pub fn both<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    #[cfg(not(target_os = "wasi"))]
    {
        std::thread::scope(|scope| {
            let b = scope.spawn(b);
            let a = a();
            match b.join() {
                Ok(b) => (a, b),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    }
    #[cfg(target_os = "wasi")]
    {
        (a(), b())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_results_come_back_in_order() {
        let data: Vec<u64> = (1..=1000).collect();
        let (evens, odds) = both(
            || data.iter().filter(|&&x| x % 2 == 0).sum::<u64>(),
            || data.iter().filter(|&&x| x % 2 == 1).sum::<u64>(),
        );
        assert_eq!((evens, odds), (250_500, 250_000));
    }
}
