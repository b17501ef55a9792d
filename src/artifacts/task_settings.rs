//! `task-settings.json`: only the DMS task settings this plan decides (DMS fills in the
//! rest; a full dump of defaults makes CloudFormation and Terraform show perpetual drift).

use serde_json::{Value, json};

use crate::assess::{Assessment, PairKind};
use crate::catalog::{Family, Kind};
use crate::estimate;
use crate::plan::LobMode;

/// The target table preparation mode, and why.
pub fn prep_mode(a: &Assessment, target_kind: Kind) -> (&'static str, &'static str) {
    match (a.pair_kind, target_kind) {
        (
            _,
            Kind::KeyValue
            | Kind::Streaming
            | Kind::Search
            | Kind::Graph
            | Kind::ObjectStore
            | Kind::TimeSeries,
        ) => (
            "DROP_AND_CREATE",
            "DMS creates the target objects itself for this kind of target",
        ),
        (PairKind::RelationalToRelational | PairKind::ToAnalytics | PairKind::Babelfish, _) => (
            "DO_NOTHING",
            "the converted schema is created before the load, so DMS must keep it",
        ),
        _ => (
            "DO_NOTHING",
            "the schema is created with the engine's own tools before the load (DMS creates only tables and primary keys), so DMS must keep it",
        ),
    }
}

/// LOB chunk size in full LOB mode, KB: DMS's default
/// (CHAP_Tasks.CustomizingTasks.TaskSettings.TargetMetadata.html).
pub const LOB_CHUNK_SIZE_KB: u32 = 64;

/// The `TargetMetadata` LOB keys for a LOB answer.
pub fn lob_settings(lob: LobMode) -> Value {
    match lob {
        LobMode::None => json!({"SupportLobs": false}),
        LobMode::Limited { max_kb } => json!({
            "SupportLobs": true,
            "FullLobMode": false,
            "LimitedSizeLobMode": true,
            "LobMaxSize": max_kb
        }),
        LobMode::Full => json!({
            "SupportLobs": true,
            "FullLobMode": true,
            "LimitedSizeLobMode": false,
            "LobChunkSize": LOB_CHUNK_SIZE_KB
        }),
    }
}

/// Build the settings for a plan: LOB mode from the LOB answer, as many full-load subtasks as
/// tables up to DMS's default of 8 (CHAP_BestPractices.html: don't go beyond it without a reason).
pub fn build(
    a: &Assessment,
    target_kind: Kind,
    target_family: Family,
    lob: LobMode,
    tables: u32,
) -> Value {
    let (mode, _) = prep_mode(a, target_kind);
    let mut target_metadata = lob_settings(lob);
    // Redshift applies changes only in batches (CHAP_Target.Redshift.html).
    if a.cdc_requested && target_family == Family::Redshift {
        target_metadata["BatchApplyEnabled"] = json!(true);
    }
    let mut settings = json!({
        "TargetMetadata": target_metadata,
        "FullLoadSettings": {
            "TargetTablePrepMode": mode,
            "MaxFullLoadSubTasks": tables.clamp(1, estimate::MAX_FULL_LOAD_SUBTASKS)
        },
        "Logging": {"EnableLogging": true}
    });
    if a.validation_supported {
        settings["ValidationSettings"] = json!({
            "EnableValidation": true,
            "ValidationMode": "ROW_LEVEL",
            "ThreadCount": 5
        });
    }
    settings
}
