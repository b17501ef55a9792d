//! Sizing, timeline and the CDC decision, with the arithmetic shown.
//!
//! A deliberately simple model, written down in this one module: every constant is named and
//! says where it comes from (a DMS page, or a stated assumption), and the runbook prints them
//! under "How these numbers were computed" so an engineer can check and override them
//! (`--throughput-mbps`, `--instance-class`). Pure: numbers in, numbers out.

use serde::Serialize;

use crate::plan::{Duration, LobMode, Network};

/// A DMS replication instance class (CHAP_ReplicationInstance.Types.html).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct InstanceClass {
    /// `dms.r6i.large`.
    pub name: &'static str,
    /// vCPUs.
    pub vcpu: u32,
    /// Memory, GiB.
    pub memory_gib: f64,
}

macro_rules! classes {
    ($(($name:literal, $vcpu:literal, $mem:literal)),* $(,)?) => {
        &[$(InstanceClass { name: $name, vcpu: $vcpu, memory_gib: $mem }),*]
    };
}

/// The instance classes dmsplan knows (CHAP_ReplicationInstance.Types.html; availability varies
/// by Region: `aws dms describe-orderable-replication-instances`).
pub const INSTANCE_CLASSES: &[InstanceClass] = classes![
    ("dms.t3.micro", 2, 1.0),
    ("dms.t3.small", 2, 2.0),
    ("dms.t3.medium", 2, 4.0),
    ("dms.t3.large", 2, 8.0),
    ("dms.c5.large", 2, 4.0),
    ("dms.c5.xlarge", 4, 8.0),
    ("dms.c5.2xlarge", 8, 16.0),
    ("dms.c5.4xlarge", 16, 32.0),
    ("dms.c5.9xlarge", 36, 72.0),
    ("dms.c5.12xlarge", 48, 96.0),
    ("dms.c5.18xlarge", 72, 144.0),
    ("dms.c5.24xlarge", 96, 192.0),
    ("dms.c6i.large", 2, 4.0),
    ("dms.c6i.xlarge", 4, 8.0),
    ("dms.c6i.2xlarge", 8, 16.0),
    ("dms.c6i.4xlarge", 16, 32.0),
    ("dms.c6i.8xlarge", 32, 64.0),
    ("dms.c6i.12xlarge", 48, 96.0),
    ("dms.c6i.16xlarge", 64, 128.0),
    ("dms.c6i.24xlarge", 96, 192.0),
    ("dms.c6i.32xlarge", 128, 256.0),
    ("dms.r5.large", 2, 16.0),
    ("dms.r5.xlarge", 4, 32.0),
    ("dms.r5.2xlarge", 8, 64.0),
    ("dms.r5.4xlarge", 16, 128.0),
    ("dms.r5.8xlarge", 32, 256.0),
    ("dms.r5.12xlarge", 48, 384.0),
    ("dms.r5.16xlarge", 64, 512.0),
    ("dms.r5.24xlarge", 96, 768.0),
    ("dms.r6i.large", 2, 16.0),
    ("dms.r6i.xlarge", 4, 32.0),
    ("dms.r6i.2xlarge", 8, 64.0),
    ("dms.r6i.4xlarge", 16, 128.0),
    ("dms.r6i.8xlarge", 32, 256.0),
    ("dms.r6i.12xlarge", 48, 384.0),
    ("dms.r6i.16xlarge", 64, 512.0),
    ("dms.r6i.24xlarge", 96, 768.0),
    ("dms.r6i.32xlarge", 128, 1024.0),
];

/// Look up a class by name, with or without the `dms.` prefix, in any case.
pub fn instance_class(name: &str) -> Option<&'static InstanceClass> {
    let n = name.trim().to_ascii_lowercase();
    let n = if n.starts_with("dms.") {
        n
    } else {
        format!("dms.{n}")
    };
    INSTANCE_CLASSES.iter().find(|c| c.name == n)
}

/// Every class name, for help and errors.
pub fn instance_class_names() -> Vec<&'static str> {
    INSTANCE_CLASSES.iter().map(|c| c.name).collect()
}

// --- Network ---------------------------------------------------------------------------

/// Share of a link's nominal speed a bulk load gets. Assumption: TCP, TLS and protocol
/// overhead and other traffic on the link.
pub const NETWORK_EFFICIENCY: f64 = 0.7;
/// A site-to-site VPN tunnel's limit: up to 1.25 Gbit/s (AWS Site-to-Site VPN quotas).
pub const VPN_MBPS: f64 = 1250.0;
/// Internet uplink share available to the migration. Assumption.
pub const INTERNET_MBPS: f64 = 100.0;

// --- Replication instance ------------------------------------------------------------------

/// Full-load throughput per vCPU for a homogeneous pair, GB/h. Assumption, calibrated to
/// the DMS best practices' guidance that load parallelism and CPU drive speed.
pub const GB_PER_HOUR_PER_VCPU_HOMOGENEOUS: f64 = 25.0;
/// The same for a heterogeneous pair: type conversion is CPU-heavy (CHAP_BestPractices.html,
/// "choosing the right replication instance"). Assumption.
pub const GB_PER_HOUR_PER_VCPU_HETEROGENEOUS: f64 = 15.0;
/// One table loads in one thread unless parallel load is configured: GB/h per table.
/// Assumption.
pub const GB_PER_HOUR_PER_TABLE: f64 = 20.0;
/// Tables DMS loads at once: `MaxFullLoadSubTasks` default (CHAP_BestPractices.html).
pub const MAX_FULL_LOAD_SUBTASKS: u32 = 8;
/// Speed kept with LOBs in limited LOB mode. Assumption.
pub const LOB_LIMITED_FACTOR: f64 = 0.8;
/// Speed kept in full LOB mode, which fetches each LOB in pieces (CHAP_BestPractices.html,
/// "improving performance when migrating large binary objects"). Assumption.
pub const LOB_FULL_FACTOR: f64 = 0.3;
/// Expected speed as a share of the optimistic one: uneven table sizes, source load,
/// retries. Assumption.
pub const EXPECTED_SHARE: f64 = 0.6;

// --- Cutover -------------------------------------------------------------------------------

/// Validation time as a share of the expected full-load time. Assumption: DMS data
/// validation re-reads both sides (CHAP_Validating.html).
pub const VALIDATION_SHARE: f64 = 0.5;
/// Fixed cutover work, hours: stop writes, final checks, repoint applications, smoke test.
pub const CUTOVER_STEPS_HOURS: f64 = 0.5;
/// Provisioning the replication instance and endpoints, hours. Assumption.
pub const PROVISION_HOURS: f64 = 1.0;
/// A premigration assessment run, hours. Assumption.
pub const ASSESSMENT_HOURS: f64 = 0.5;
/// Steady CDC before cutover, hours: a full business day of changes seen. Assumption.
pub const CDC_SOAK_HOURS: f64 = 24.0;
/// Margin on top of the full-load time for source change-log retention, hours: a day to
/// notice and restart a failed task. Assumption.
pub const LOG_RETENTION_MARGIN_HOURS: f64 = 24.0;

// --- Storage and Serverless --------------------------------------------------------------

/// Storage for task logs and working space, GB. Assumption on top of DMS's 50 to 100 GB
/// included (CHAP_ReplicationInstance.html).
pub const BASE_STORAGE_GB: u32 = 100;
/// The largest allocated storage dmsplan proposes, GB (commonly quoted maximum).
pub const MAX_STORAGE_GB: u32 = 6144;
/// DMS Serverless capacity units: 1 DCU = 2 GB of memory; allowed values
/// (CHAP_Serverless.Components.html).
pub const DCU_VALUES: &[u32] = &[1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384];

/// What the model needs, with the answers' defaults already applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    /// Data to migrate, GB.
    pub size_gb: f64,
    /// Largest table, GB.
    pub largest_table_gb: f64,
    /// Tables.
    pub tables: u32,
    /// LOB columns.
    pub lob: LobMode,
    /// Peak change rate, GB of log per hour.
    pub change_rate: f64,
    /// Network path.
    pub network: Network,
    /// Production database.
    pub production: bool,
    /// Accepted downtime.
    pub downtime: Duration,
    /// Heterogeneous pair (type conversion).
    pub heterogeneous: bool,
    /// Forced CDC on or off.
    pub cdc_forced: Option<bool>,
    /// Instance class override.
    pub instance_class: Option<&'static InstanceClass>,
    /// Throughput override, Mbit/s.
    pub throughput_mbps: Option<f64>,
    /// Whether DMS Serverless supports both ends.
    pub serverless_supported: bool,
}

/// A range of hours, optimistic to expected.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HoursRange {
    /// Optimistic.
    pub low: f64,
    /// Expected.
    pub high: f64,
}

/// The replication instance proposed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Instance {
    /// Instance class.
    pub class: String,
    /// Allocated storage, GB.
    pub allocated_storage_gb: u32,
    /// Multi-AZ.
    pub multi_az: bool,
    /// Why, one line each.
    #[serde(skip)]
    pub reasons: Vec<String>,
}

/// DMS Serverless capacity, where the pair supports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Serverless {
    /// Minimum DCUs.
    pub min_capacity_units: u32,
    /// Maximum DCUs.
    pub max_capacity_units: u32,
}

/// One phase of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Phase {
    /// Name.
    pub name: &'static str,
    /// Expected hours.
    pub hours: f64,
}

/// Everything the model concludes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// Full load, optimistic to expected.
    pub full_load_hours: HoursRange,
    /// The cutover window: cutover steps with CDC, the whole offline window without.
    pub cutover_hours: f64,
    /// Why CDC or not, with the numbers.
    pub cdc_reason: String,
    /// The replication instance.
    pub replication_instance: Instance,
    /// The Serverless alternative.
    pub serverless: Option<Serverless>,
    /// Source change-log retention for CDC, hours (`null` without CDC).
    pub log_retention_hours: Option<u32>,
    /// Whether the numbers call for CDC (before any forcing).
    #[serde(skip)]
    pub needs_cdc: bool,
    /// Whether the plan uses CDC (the numbers, or forced).
    #[serde(skip)]
    pub cdc: bool,
    /// Validation, expected hours.
    #[serde(skip)]
    pub validation_hours: f64,
    /// A full-load-only cutover window, hours.
    #[serde(skip)]
    pub offline_window_hours: f64,
    /// Accepted downtime, hours.
    #[serde(skip)]
    pub downtime_hours: f64,
    /// Network throughput, GB/h.
    #[serde(skip)]
    pub network_gb_per_hour: f64,
    /// Instance throughput, GB/h.
    #[serde(skip)]
    pub instance_gb_per_hour: f64,
    /// Effective optimistic throughput, GB/h.
    #[serde(skip)]
    pub effective_gb_per_hour: f64,
    /// Hours of the largest table alone, optimistic.
    #[serde(skip)]
    pub largest_table_hours: f64,
    /// Whether `--throughput-mbps` replaced the model's throughput.
    #[serde(skip)]
    pub throughput_override: bool,
    /// Phases, in order.
    #[serde(skip)]
    pub timeline: Vec<Phase>,
    /// How long the replication instance runs, expected hours.
    #[serde(skip)]
    pub instance_hours: f64,
}

/// Mbit/s to GB/h.
pub fn mbps_to_gb_per_hour(mbps: f64) -> f64 {
    mbps * 3600.0 / 8.0 / 1000.0
}

/// The nominal speed of a network path, Mbit/s, and whether it is measured.
pub fn network_mbps(n: Network) -> (f64, bool) {
    match n {
        Network::Internet => (INTERNET_MBPS, false),
        Network::Vpn => (VPN_MBPS, false),
        Network::DirectConnect { gbps } => (f64::from(gbps) * 1000.0, false),
        Network::Throughput { mbps } => (mbps, true),
    }
}

fn lob_factor(lob: LobMode) -> f64 {
    match lob {
        LobMode::None => 1.0,
        LobMode::Limited { .. } => LOB_LIMITED_FACTOR,
        LobMode::Full => LOB_FULL_FACTOR,
    }
}

/// The class dmsplan proposes, with its reasons.
pub fn choose_class(i: &Inputs) -> (&'static InstanceClass, Vec<String>) {
    let mut reasons = Vec::new();
    let mut vcpu = match i.size_gb {
        s if s <= 500.0 => 2,
        s if s <= 2048.0 => 4,
        s if s <= 8192.0 => 8,
        _ => 16,
    };
    reasons.push(format!(
        "{} of data: {vcpu} vCPU for parallel load",
        gb(i.size_gb)
    ));
    let need = |v: &mut u32, want: u32, why: String, reasons: &mut Vec<String>| {
        if *v < want {
            *v = want;
            reasons.push(why);
        }
    };
    if i.change_rate > 50.0 {
        need(
            &mut vcpu,
            16,
            format!("{} GB/h of changes: 16 vCPU to apply them", i.change_rate),
            &mut reasons,
        );
    } else if i.change_rate > 20.0 {
        need(
            &mut vcpu,
            8,
            format!("{} GB/h of changes: 8 vCPU to apply them", i.change_rate),
            &mut reasons,
        );
    } else if i.change_rate > 5.0 {
        need(
            &mut vcpu,
            4,
            format!("{} GB/h of changes: 4 vCPU to apply them", i.change_rate),
            &mut reasons,
        );
    }
    if i.tables > 5000 {
        need(
            &mut vcpu,
            8,
            format!(
                "{} tables: 8 vCPU for the task's metadata and subtasks",
                i.tables
            ),
            &mut reasons,
        );
    } else if i.tables > 1000 {
        need(
            &mut vcpu,
            4,
            format!(
                "{} tables: 4 vCPU for the task's metadata and subtasks",
                i.tables
            ),
            &mut reasons,
        );
    }
    let compute = i.heterogeneous && i.lob != LobMode::Full && i.change_rate <= 2.0;
    let family = if compute {
        reasons.push("heterogeneous with little change and no full LOB mode: compute-optimized C class, since type conversion is CPU-bound (CHAP_BestPractices.html)".into());
        "c6i"
    } else {
        reasons.push("memory-optimized R class: DMS holds LOBs and cached changes in memory (CHAP_BestPractices.html)".into());
        "r6i"
    };
    let size = match vcpu {
        2 => "large",
        4 => "xlarge",
        8 => "2xlarge",
        _ => "4xlarge",
    };
    let name = format!("dms.{family}.{size}");
    let class = instance_class(&name).unwrap_or(&INSTANCE_CLASSES[0]);
    (class, reasons)
}

fn snap_dcu(want: f64) -> u32 {
    DCU_VALUES
        .iter()
        .copied()
        .find(|v| f64::from(*v) >= want)
        .unwrap_or(384)
}

/// Run the model.
pub fn estimate(i: &Inputs) -> Estimate {
    let (proposed, mut reasons) = choose_class(i);
    let class = match i.instance_class {
        Some(c) => {
            reasons = vec![format!(
                "your answer (--instance-class); dmsplan would propose {}",
                proposed.name
            )];
            c
        }
        None => proposed,
    };
    let (mbps, measured) = network_mbps(i.network);
    let network_gbph = mbps_to_gb_per_hour(mbps) * if measured { 1.0 } else { NETWORK_EFFICIENCY };
    let per_vcpu = if i.heterogeneous {
        GB_PER_HOUR_PER_VCPU_HETEROGENEOUS
    } else {
        GB_PER_HOUR_PER_VCPU_HOMOGENEOUS
    };
    let parallel = i.tables.clamp(1, MAX_FULL_LOAD_SUBTASKS);
    let instance_gbph = (f64::from(class.vcpu) * per_vcpu)
        .min(f64::from(parallel) * GB_PER_HOUR_PER_TABLE)
        * lob_factor(i.lob);
    let effective = match i.throughput_mbps {
        Some(m) => mbps_to_gb_per_hour(m),
        None => network_gbph.min(instance_gbph),
    };
    let per_table = GB_PER_HOUR_PER_TABLE * lob_factor(i.lob);
    let largest_hours = i.largest_table_gb / per_table;
    let low = (i.size_gb / effective).max(largest_hours);
    let high = low / EXPECTED_SHARE;
    let validation = high * VALIDATION_SHARE;
    let window = high + validation + CUTOVER_STEPS_HOURS;
    let downtime_hours = i.downtime.hours();
    let needs_cdc = window > downtime_hours;
    let cdc = i.cdc_forced.unwrap_or(needs_cdc);
    let parts = format!(
        "full load {}, validation {}, cutover steps {}",
        hours(high),
        hours(validation),
        hours(CUTOVER_STEPS_HOURS)
    );
    let cdc_reason = if needs_cdc {
        format!(
            "a full-load-only cutover needs about {} ({parts}), more than the accepted downtime of {}",
            hours(window),
            hours(downtime_hours)
        )
    } else {
        format!(
            "a full-load-only cutover needs about {} ({parts}), within the accepted downtime of {} with {} to spare",
            hours(window),
            hours(downtime_hours),
            hours(downtime_hours - window)
        )
    };
    let cache_gb = if cdc { i.change_rate * high } else { 0.0 };
    let storage = (f64::from(BASE_STORAGE_GB) + cache_gb).min(f64::from(MAX_STORAGE_GB));
    let storage = ((storage / 50.0).ceil() * 50.0) as u32;
    if cache_gb > 0.0 {
        reasons.push(format!(
            "{storage} GB storage: {} base plus up to {} of changes cached while tables load ({} GB/h for {})",
            gb(f64::from(BASE_STORAGE_GB)),
            gb(cache_gb.ceil()),
            i.change_rate,
            hours(high)
        ));
    }
    let multi_az = i.production || cdc;
    reasons.push(if i.production {
        "Multi-AZ: a production migration survives the loss of an Availability Zone".into()
    } else if cdc {
        "Multi-AZ: CDC keeps the instance running until cutover (recommended for CDC)".into()
    } else {
        "Single-AZ: not production, and a full load can be restarted".into()
    });
    let serverless = i.serverless_supported.then(|| {
        let dcu_equivalent = class.memory_gib / 2.0;
        Serverless {
            min_capacity_units: snap_dcu((dcu_equivalent / 2.0).max(1.0)),
            max_capacity_units: snap_dcu(dcu_equivalent * 2.0),
        }
    });
    let log_retention_hours = cdc.then(|| (high + LOG_RETENTION_MARGIN_HOURS).ceil() as u32);
    let mut timeline = vec![
        Phase {
            name: "Provision the replication instance and endpoints",
            hours: PROVISION_HOURS,
        },
        Phase {
            name: "Premigration assessment",
            hours: ASSESSMENT_HOURS,
        },
        Phase {
            name: "Full load",
            hours: high,
        },
        Phase {
            name: "Validation",
            hours: validation,
        },
    ];
    if cdc {
        timeline.push(Phase {
            name: "CDC until cutover",
            hours: CDC_SOAK_HOURS,
        });
        timeline.push(Phase {
            name: "Cutover",
            hours: CUTOVER_STEPS_HOURS,
        });
    } else {
        timeline.push(Phase {
            name: "Cutover steps",
            hours: CUTOVER_STEPS_HOURS,
        });
    }
    let instance_hours = timeline.iter().map(|p| p.hours).sum();
    Estimate {
        full_load_hours: HoursRange { low, high },
        cutover_hours: if cdc { CUTOVER_STEPS_HOURS } else { window },
        cdc_reason,
        replication_instance: Instance {
            class: class.name.to_string(),
            allocated_storage_gb: storage,
            multi_az,
            reasons,
        },
        serverless,
        log_retention_hours,
        needs_cdc,
        cdc,
        validation_hours: validation,
        offline_window_hours: window,
        downtime_hours,
        network_gb_per_hour: network_gbph,
        instance_gb_per_hour: instance_gbph,
        effective_gb_per_hour: effective,
        largest_table_hours: largest_hours,
        throughput_override: i.throughput_mbps.is_some(),
        timeline,
        instance_hours,
    }
}

fn gb(v: f64) -> String {
    if v >= 1024.0 {
        format!("{:.1} TB", v / 1024.0)
    } else {
        format!("{v:.0} GB")
    }
}

/// Hours as people read them: `45 min`, `2.5 h`, `3 d 4 h`.
pub fn hours(h: f64) -> String {
    // Integers written with itoa: `format!` cost a tenth of building a render context.
    let mut digits = itoa::Buffer::new();
    let mut text = String::with_capacity(16);
    let minutes = (h * 60.0).round().max(0.0) as u64;
    if minutes < 60 {
        text.push_str(digits.format(minutes));
        text.push_str(" min");
    } else if minutes < 48 * 60 {
        // In tenths of an hour, as integers, as `{:.1}` of the rounded hours reads.
        let tenths = (h * 10.0).round() as u64;
        text.push_str(digits.format(tenths / 10));
        if tenths % 10 != 0 {
            text.push('.');
            text.push_str(digits.format(tenths % 10));
        }
        text.push_str(" h");
    } else {
        let total_h = h.round() as u64;
        text.push_str(digits.format(total_h / 24));
        text.push_str(" d ");
        text.push_str(digits.format(total_h % 24));
        text.push_str(" h");
    }
    text
}

#[cfg(test)]
mod tests;
