//! How long the full load takes and whether the accepted downtime needs CDC.
//!
//! A deliberately simple model, every constant named and sourced, shown in the runbook
//! ("How these numbers were computed") so an engineer can check it. Pure: numbers in,
//! numbers out.

use serde::Serialize;

use crate::plan::Duration;

/// Optimistic full-load throughput of one DMS task, GB per hour. Assumption: a mid-size
/// replication instance (dms.r6i.large class) loading 8 tables in parallel
/// (`MaxFullLoadSubTasks` default, CHAP_BestPractices.html) over a link of at least
/// 1 Gbit/s; homogeneous engines without LOBs reach it.
pub const OPTIMISTIC_GB_PER_HOUR: f64 = 100.0;

/// Expected full-load throughput of one DMS task, GB per hour. Assumption: the same instance
/// over a site-to-site VPN or with type conversion (heterogeneous pairs), LOB columns in
/// limited mode; half the optimistic figure.
pub const EXPECTED_GB_PER_HOUR: f64 = 50.0;

/// Time to validate the migrated data, as a share of the full-load time. Assumption: DMS
/// data validation compares rows at roughly twice the load rate (CHAP_Validating.html
/// describes it as extra load on source and target).
pub const VALIDATION_SHARE: f64 = 0.5;

/// Fixed cutover work, hours: stop writes, final checks, repoint applications, smoke test.
pub const CUTOVER_STEPS_HOURS: f64 = 0.5;

/// Hours spent in a full-load-only cutover window, optimistic and expected.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HoursRange {
    /// Optimistic.
    pub low: f64,
    /// Expected.
    pub high: f64,
}

/// The CDC decision and the numbers behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// Full-load duration, optimistic to expected.
    pub full_load_hours: HoursRange,
    /// Validation after a full load, expected.
    pub validation_hours: f64,
    /// The whole window a full-load-only migration needs (expected full load, validation,
    /// cutover steps).
    pub offline_window_hours: f64,
    /// The cutover itself when CDC carries the changes (cutover steps only).
    pub cutover_hours: f64,
    /// The accepted downtime.
    pub downtime_hours: f64,
    /// Whether a full-load-only migration does not fit the downtime.
    pub needs_cdc: bool,
    /// Why, with the numbers.
    pub cdc_reason: String,
}

/// Estimate the full load of `size_gb` and decide whether `downtime` needs CDC.
pub fn estimate(size_gb: f64, downtime: Duration) -> Estimate {
    let low = size_gb / OPTIMISTIC_GB_PER_HOUR;
    let high = size_gb / EXPECTED_GB_PER_HOUR;
    let validation = high * VALIDATION_SHARE;
    let window = high + validation + CUTOVER_STEPS_HOURS;
    let downtime_hours = downtime.hours();
    let needs_cdc = window > downtime_hours;
    let cdc_reason = if needs_cdc {
        format!(
            "a full-load-only cutover needs about {} (full load {}, validation {}, cutover steps {}), more than the accepted downtime of {}",
            hours(window),
            hours(high),
            hours(validation),
            hours(CUTOVER_STEPS_HOURS),
            hours(downtime_hours)
        )
    } else {
        format!(
            "a full-load-only cutover needs about {} (full load {}, validation {}, cutover steps {}), within the accepted downtime of {} with {} to spare",
            hours(window),
            hours(high),
            hours(validation),
            hours(CUTOVER_STEPS_HOURS),
            hours(downtime_hours),
            hours(downtime_hours - window)
        )
    };
    Estimate {
        full_load_hours: HoursRange { low, high },
        validation_hours: validation,
        offline_window_hours: window,
        cutover_hours: CUTOVER_STEPS_HOURS,
        downtime_hours,
        needs_cdc,
        cdc_reason,
    }
}

/// Storage of a replication instance, GB: the 100 GB that DMS includes with the larger
/// classes (CHAP_ReplicationInstance.html); it holds task logs and cached changes.
pub const INSTANCE_STORAGE_GB: u32 = 100;

/// The replication instance proposed for a migration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Instance {
    /// Instance class (`dms.r6i.large`).
    pub class: String,
    /// Allocated storage, GB.
    pub storage_gb: u32,
    /// Multi-AZ: recommended whenever CDC runs (CHAP_ReplicationInstance.html).
    pub multi_az: bool,
    /// Why, in one sentence.
    pub reason: String,
}

/// Propose a replication instance from the data size. Memory-optimized R classes, since
/// DMS buffers changes and LOBs in memory (CHAP_BestPractices.html, "sizing").
pub fn replication_instance(size_gb: f64, cdc: bool) -> Instance {
    let (class, why) = if size_gb <= 1024.0 {
        (
            "dms.r6i.large",
            "up to 1 TB: 2 vCPU / 16 GiB loads 8 tables in parallel",
        )
    } else if size_gb <= 5120.0 {
        (
            "dms.r6i.xlarge",
            "1 to 5 TB: 4 vCPU / 32 GiB for more parallel load threads",
        )
    } else {
        (
            "dms.r6i.2xlarge",
            "over 5 TB: 8 vCPU / 64 GiB; consider splitting into several tasks",
        )
    };
    let az = if cdc {
        "Multi-AZ because CDC keeps it running until cutover"
    } else {
        "Single-AZ because a full load can be restarted"
    };
    Instance {
        class: class.to_string(),
        storage_gb: INSTANCE_STORAGE_GB,
        multi_az: cdc,
        reason: format!("{why}; {az}"),
    }
}

/// Hours as people read them: `45 min`, `2.5 h`, `3 d 4 h`.
pub fn hours(h: f64) -> String {
    let minutes = (h * 60.0).round().max(0.0) as u64;
    if minutes < 60 {
        format!("{minutes} min")
    } else if minutes < 48 * 60 {
        let tenths = (h * 10.0).round() / 10.0;
        if (tenths - tenths.round()).abs() < f64::EPSILON {
            format!("{} h", tenths.round() as u64)
        } else {
            format!("{tenths:.1} h")
        }
    } else {
        let total_h = (h).round() as u64;
        format!("{} d {} h", total_h / 24, total_h % 24)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Duration {
        s.parse().unwrap()
    }

    #[test]
    fn hand_computed_cases() {
        // 800 GB: 8 h optimistic, 16 h expected, 8 h validation, 0.5 h steps = 24.5 h.
        let e = estimate(800.0, d("2h"));
        assert_eq!(
            e.full_load_hours,
            HoursRange {
                low: 8.0,
                high: 16.0
            }
        );
        assert!((e.offline_window_hours - 24.5).abs() < 1e-9);
        assert!(e.needs_cdc);
        assert!(
            e.cdc_reason
                .contains("more than the accepted downtime of 2 h"),
            "{}",
            e.cdc_reason
        );
        // 20 GB: 0.4 h expected, 0.2 h validation, 0.5 h steps = 1.1 h, fits 4 h.
        let e = estimate(20.0, d("4h"));
        assert!(!e.needs_cdc);
        assert!(e.cdc_reason.contains("2.9 h to spare"), "{}", e.cdc_reason);
    }

    #[test]
    fn more_data_never_shortens_and_longer_windows_never_add_cdc() {
        let sizes = [1.0, 10.0, 50.0, 100.0, 500.0, 1000.0, 5000.0];
        let windows = ["30m", "1h", "2h", "8h", "1d", "3d"];
        for w in windows {
            let mut last = 0.0;
            for s in sizes {
                let e = estimate(s, d(w));
                assert!(e.offline_window_hours >= last);
                last = e.offline_window_hours;
            }
        }
        for s in sizes {
            let mut needed = true;
            for w in windows {
                let e = estimate(s, d(w));
                assert!(
                    needed || !e.needs_cdc,
                    "{s} GB, {w}: a longer window turned on CDC"
                );
                needed = e.needs_cdc;
            }
        }
    }

    #[test]
    fn hours_read_well() {
        assert_eq!(hours(0.25), "15 min");
        assert_eq!(hours(2.0), "2 h");
        assert_eq!(hours(2.54), "2.5 h");
        assert_eq!(hours(76.0), "3 d 4 h");
    }
}
