//! The sizing model: hand-computed cases and properties over many generated inputs.

use super::*;

fn inputs() -> Inputs {
    Inputs {
        size_gb: 800.0,
        largest_table_gb: 200.0,
        tables: 100,
        lob: LobMode::Limited { max_kb: 32 },
        change_rate: 1.0,
        network: Network::Vpn,
        production: true,
        downtime: "2h".parse().unwrap(),
        heterogeneous: true,
        cdc_forced: None,
        instance_class: None,
        throughput_mbps: None,
        serverless_supported: true,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn hand_computed_heterogeneous_800_gb_over_vpn() {
    let e = estimate(&inputs());
    // 800 GB, 4 vCPU (up to 2 TB), heterogeneous: c6i.xlarge.
    assert_eq!(e.replication_instance.class, "dms.c6i.xlarge");
    // VPN: 1250 Mbit/s x 0.7 = 875 Mbit/s = 393.75 GB/h.
    assert!(
        close(e.network_gb_per_hour, 393.75),
        "{}",
        e.network_gb_per_hour
    );
    // Instance: min(4 x 15, 8 tables x 20) = 60 GB/h, x 0.8 for limited LOBs = 48 GB/h.
    assert!(
        close(e.instance_gb_per_hour, 48.0),
        "{}",
        e.instance_gb_per_hour
    );
    // 800 / 48 = 16.67 h optimistic (the largest table alone: 200 / 16 = 12.5 h); / 0.6 expected.
    assert!(close(e.full_load_hours.low, 800.0 / 48.0));
    assert!(close(e.full_load_hours.high, 800.0 / 48.0 / 0.6));
    assert!(close(e.largest_table_hours, 12.5));
    // Window 27.8 + 13.9 + 0.5 h > 2 h: CDC; retention = ceil(27.8 + 24) = 52 h.
    assert!(e.needs_cdc && e.cdc);
    assert_eq!(e.log_retention_hours, Some(52));
    // Storage: 100 + 1 GB/h x 27.8 h = 127.8, rounded up to 150 GB; production: Multi-AZ.
    assert_eq!(e.replication_instance.allocated_storage_gb, 150);
    assert!(e.replication_instance.multi_az);
    // Serverless: 8 GiB = 4 DCU equivalent; min 2, max 8.
    assert_eq!(
        e.serverless,
        Some(Serverless {
            min_capacity_units: 2,
            max_capacity_units: 8
        })
    );
    assert!(
        e.cdc_reason
            .starts_with("a full-load-only cutover needs about"),
        "{}",
        e.cdc_reason
    );
}

#[test]
fn hand_computed_small_homogeneous_fits_the_window() {
    let mut i = inputs();
    i.size_gb = 20.0;
    i.largest_table_gb = 5.0;
    i.heterogeneous = false;
    i.lob = LobMode::None;
    i.downtime = "4h".parse().unwrap();
    i.production = false;
    let e = estimate(&i);
    // r6i.large: min(2 x 25, 8 x 20) = 50 GB/h; 20 / 50 = 0.4 h; expected 0.667 h;
    // validation 0.333 h; steps 0.5 h: window 1.5 h < 4 h.
    assert_eq!(e.replication_instance.class, "dms.r6i.large");
    assert!(close(e.full_load_hours.low, 0.4));
    assert!(close(e.offline_window_hours, 0.4 / 0.6 * 1.5 + 0.5));
    assert!(!e.cdc);
    assert_eq!(e.log_retention_hours, None);
    assert!(!e.replication_instance.multi_az);
    assert!(close(e.cutover_hours, e.offline_window_hours));
}

#[test]
fn a_measured_throughput_overrides_the_model() {
    let mut i = inputs();
    i.throughput_mbps = Some(100.0);
    i.largest_table_gb = 1.0;
    let e = estimate(&i);
    // 100 Mbit/s = 45 GB/h: 800 / 45 h.
    assert!(close(e.full_load_hours.low, 800.0 / 45.0));
}

#[test]
fn an_instance_class_override_is_used_and_says_what_dmsplan_proposed() {
    let mut i = inputs();
    i.instance_class = instance_class("r6i.4xlarge");
    let e = estimate(&i);
    assert_eq!(e.replication_instance.class, "dms.r6i.4xlarge");
    assert!(e.replication_instance.reasons[0].contains("dms.c6i.xlarge"));
}

#[test]
fn change_rate_tables_and_lobs_pick_bigger_memory_classes() {
    let mut i = inputs();
    i.change_rate = 30.0;
    assert_eq!(choose_class(&i).0.name, "dms.r6i.2xlarge");
    let mut i = inputs();
    i.tables = 2000;
    i.lob = LobMode::Full;
    assert_eq!(choose_class(&i).0.name, "dms.r6i.xlarge");
    let mut i = inputs();
    i.size_gb = 20_000.0;
    assert_eq!(choose_class(&i).0.name, "dms.c6i.4xlarge");
}

#[test]
fn instance_classes_resolve_with_or_without_prefix() {
    assert_eq!(instance_class("R6I.Large").unwrap().name, "dms.r6i.large");
    assert_eq!(instance_class("dms.c5.9xlarge").unwrap().vcpu, 36);
    assert!(instance_class("dms.x9.huge").is_none());
}

/// Inputs over a grid of sizes, windows, classes, LOB modes and networks.
fn grid() -> Vec<Inputs> {
    let mut out = Vec::new();
    for size in [1.0, 10.0, 100.0, 500.0, 2000.0, 10_000.0] {
        for lob in [
            LobMode::None,
            LobMode::Limited { max_kb: 64 },
            LobMode::Full,
        ] {
            for network in [
                Network::Internet,
                Network::Vpn,
                Network::DirectConnect { gbps: 10 },
            ] {
                for heterogeneous in [false, true] {
                    let mut i = inputs();
                    i.size_gb = size;
                    i.largest_table_gb = size / 4.0;
                    i.lob = lob;
                    i.network = network;
                    i.heterogeneous = heterogeneous;
                    out.push(i);
                }
            }
        }
    }
    out
}

#[test]
fn more_data_never_shortens_the_load() {
    for i in grid() {
        let base = estimate(&i);
        let mut more = i.clone();
        more.size_gb *= 1.5;
        more.largest_table_gb *= 1.5;
        more.instance_class = instance_class(&base.replication_instance.class);
        let bigger = estimate(&more);
        assert!(
            bigger.full_load_hours.high >= base.full_load_hours.high,
            "{i:?}"
        );
    }
}

#[test]
fn a_longer_window_never_turns_full_load_only_into_cdc() {
    let windows = ["15m", "1h", "4h", "12h", "1d", "3d", "7d"];
    for i in grid() {
        let mut needed = true;
        for w in windows {
            let mut j = i.clone();
            j.downtime = w.parse().unwrap();
            let e = estimate(&j);
            assert!(needed || !e.needs_cdc, "{w}: {i:?}");
            needed = e.needs_cdc;
        }
    }
}

#[test]
fn a_bigger_instance_never_estimates_slower() {
    let ladder = [
        "dms.r6i.large",
        "dms.r6i.xlarge",
        "dms.r6i.2xlarge",
        "dms.r6i.4xlarge",
        "dms.r6i.8xlarge",
    ];
    for i in grid() {
        let mut last = f64::INFINITY;
        for class in ladder {
            let mut j = i.clone();
            j.instance_class = instance_class(class);
            let e = estimate(&j);
            assert!(e.full_load_hours.high <= last + 1e-9, "{class}: {i:?}");
            last = e.full_load_hours.high;
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

/// Hours written from integers read as the `format!` of floats they replace did, on a fine
/// grid from minutes to days.
#[test]
fn hours_written_from_integers_match_float_formatting() {
    for i in 0..200_000u32 {
        let h = f64::from(i) * 0.001;
        let minutes = (h * 60.0).round() as u64;
        let expected = if minutes < 60 {
            format!("{minutes} min")
        } else if minutes < 48 * 60 {
            let tenths = (h * 10.0).round() / 10.0;
            if (tenths - tenths.round()).abs() < f64::EPSILON {
                format!("{} h", tenths.round() as u64)
            } else {
                format!("{tenths:.1} h")
            }
        } else {
            let total = h.round() as u64;
            format!("{} d {} h", total / 24, total % 24)
        };
        assert_eq!(hours(h), expected, "{h}");
    }
}
