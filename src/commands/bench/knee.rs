//! `bench --auto`'s choice: the knee of throughput against worker count, the smallest
//! count whose throughput is within `TOLERANCE` of the best measured. Past the knee more
//! workers buy (almost) nothing but memory, so the knee is the count worth saving.

use serde::Serialize;

use super::Measurement;

/// How far below the best throughput the chosen count may be.
pub const TOLERANCE: f64 = 0.05;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    pub workers: usize,
    /// Audio seconds per wall second at the chosen count.
    pub throughput: f64,
    pub best_workers: usize,
    pub best_throughput: f64,
    /// Resident memory after loading at the chosen count, MiB.
    pub rss_loaded_mib: f64,
    /// Why, in one line for the operator.
    pub reason: String,
}

/// Audio seconds made per wall second.
pub fn throughput(m: &Measurement) -> f64 {
    m.audio_seconds / (m.wall_ms / 1000.0)
}

/// The knee among pool measurements that finished every language; `None` when none did.
pub fn choose(measurements: &[Measurement]) -> Option<Choice> {
    let mut usable: Vec<&Measurement> = measurements
        .iter()
        .filter(|m| m.mode == "pool" && m.languages_failed == 0 && throughput(m).is_finite())
        .collect();
    usable.sort_by_key(|m| m.workers);
    let best = usable
        .iter()
        .copied()
        .max_by(|a, b| throughput(a).total_cmp(&throughput(b)))?;
    let best_throughput = throughput(best);
    let chosen = usable
        .iter()
        .copied()
        .find(|m| throughput(m) >= best_throughput * (1.0 - TOLERANCE))
        .expect("the best itself qualifies");
    let share = 100.0 * throughput(chosen) / best_throughput;
    let reason = if chosen.workers == best.workers {
        match usable.iter().find(|m| m.workers > chosen.workers) {
            Some(next) => format!(
                "{} workers give the most audio per second ({:.2} s/s); {} give {:.2}",
                chosen.workers,
                best_throughput,
                next.workers,
                throughput(next)
            ),
            None => format!(
                "{} workers, the most measured, give the most audio per second ({:.2} s/s): more may help, measure them with --workers",
                chosen.workers, best_throughput
            ),
        }
    } else {
        format!(
            "{} workers give {:.2} audio s/s, {share:.0}% of the best ({:.2} at {} workers), for {:.0} MiB less resident memory",
            chosen.workers,
            throughput(chosen),
            best_throughput,
            best.workers,
            best.rss_loaded_mib - chosen.rss_loaded_mib
        )
    };
    Some(Choice {
        workers: chosen.workers,
        throughput: throughput(chosen),
        best_workers: best.workers,
        best_throughput,
        rss_loaded_mib: chosen.rss_loaded_mib,
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(workers: usize, wall_ms: f64, rss: f64) -> Measurement {
        Measurement {
            mode: "pool".into(),
            workers,
            intra_threads: 1,
            wall_ms,
            ort_run_ms: wall_ms,
            audio_seconds: 10.0,
            cpu_busy_percent: 90.0,
            rss_loaded_mib: rss,
            peak_rss_mib: rss,
            vram_loaded_mib: None,
            shared_weights: true,
            languages_failed: 0,
        }
    }

    #[test]
    fn the_knee_is_the_smallest_count_within_five_percent_of_the_best() {
        // 2 workers: 4.65 s/s; 3: 4.76 (best); 2 is 97.7% of it.
        let runs = [
            pool(1, 4000.0, 170.0),
            pool(2, 2150.0, 200.0),
            pool(3, 2100.0, 230.0),
        ];
        let choice = choose(&runs).unwrap();
        assert_eq!((choice.workers, choice.best_workers), (2, 3));
        assert!(
            choice.reason.contains("98% of the best"),
            "{}",
            choice.reason
        );
        assert!(choice.reason.contains("30 MiB less"), "{}", choice.reason);
        // Just outside the tolerance: the best is chosen.
        let runs = [
            pool(1, 4000.0, 170.0),
            pool(2, 2220.0, 200.0),
            pool(3, 2100.0, 230.0),
        ];
        assert_eq!(choose(&runs).unwrap().workers, 3);
    }

    #[test]
    fn a_slower_bigger_pool_and_failed_runs_do_not_win() {
        let mut failed = pool(4, 1000.0, 300.0);
        failed.languages_failed = 1;
        let runs = [
            pool(1, 4000.0, 170.0),
            pool(2, 2200.0, 200.0),
            pool(3, 2600.0, 230.0),
            failed,
        ];
        let choice = choose(&runs).unwrap();
        assert_eq!(choice.workers, 2);
        assert!(choice.reason.contains("3 give"), "{}", choice.reason);
        assert_eq!(choose(&[]), None);
        let mut lock = pool(2, 100.0, 1.0);
        lock.mode = "shared-lock".into();
        assert_eq!(choose(&[lock]), None);
    }

    #[test]
    fn the_largest_count_measured_says_more_may_help() {
        let choice = choose(&[pool(1, 4000.0, 170.0), pool(2, 2000.0, 200.0)]).unwrap();
        assert_eq!(choice.workers, 2);
        assert!(choice.reason.contains("more may help"), "{}", choice.reason);
    }
}
