//! `task-settings.json`: only the DMS task settings this plan decides (DMS fills in the
//! rest; a full dump of defaults makes CloudFormation and Terraform show perpetual drift).
//! Typed sections, serialized in the order DMS documents them.

use serde::Serialize;

use super::json::Object;
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

/// `task-settings.json`: the sections this plan decides, in the order DMS documents them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TaskSettings {
    /// LOB handling, and batch apply where the target needs it.
    pub target_metadata: TargetMetadata,
    /// How the full load prepares and splits the tables.
    pub full_load_settings: FullLoadSettings,
    /// CloudWatch logging.
    pub logging: Logging,
    /// Data validation, where DMS supports it for the pair.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation_settings: Option<ValidationSettings>,
}

impl TaskSettings {
    /// Write the settings into a JSON object, the file's or the template's copy: what serde
    /// writes for this struct, in one pass (see `json::Object`). Keep it in step with the fields below.
    pub fn write_json(&self, mut doc: Object<'_>) {
        let t = &self.target_metadata;
        let mut meta = doc.object("TargetMetadata");
        meta.plain("SupportLobs", t.support_lobs);
        if let Some(v) = t.full_lob_mode {
            meta.plain("FullLobMode", v);
        }
        if let Some(v) = t.limited_size_lob_mode {
            meta.plain("LimitedSizeLobMode", v);
        }
        if let Some(v) = t.lob_max_size {
            meta.plain("LobMaxSize", v);
        }
        if let Some(v) = t.lob_chunk_size {
            meta.plain("LobChunkSize", v);
        }
        if let Some(v) = t.batch_apply_enabled {
            meta.plain("BatchApplyEnabled", v);
        }
        meta.close();
        let f = &self.full_load_settings;
        let mut full_load = doc.object("FullLoadSettings");
        full_load.text("TargetTablePrepMode", f.target_table_prep_mode);
        full_load.plain("MaxFullLoadSubTasks", f.max_full_load_sub_tasks);
        full_load.close();
        let mut logging = doc.object("Logging");
        logging.plain("EnableLogging", self.logging.enable_logging);
        logging.close();
        if let Some(v) = &self.validation_settings {
            let mut validation = doc.object("ValidationSettings");
            validation.plain("EnableValidation", v.enable_validation);
            validation.text("ValidationMode", v.validation_mode);
            validation.plain("ThreadCount", v.thread_count);
            validation.close();
        }
        doc.close();
    }
}

/// The `TargetMetadata` keys dmsplan sets; a key left `None` is left to DMS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TargetMetadata {
    /// Whether LOB columns are migrated at all.
    pub support_lobs: bool,
    /// Full LOB mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_lob_mode: Option<bool>,
    /// Limited LOB mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limited_size_lob_mode: Option<bool>,
    /// The largest LOB in limited LOB mode, KB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lob_max_size: Option<u32>,
    /// The piece size in full LOB mode, KB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lob_chunk_size: Option<u32>,
    /// Apply changes in batches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch_apply_enabled: Option<bool>,
}

/// The `FullLoadSettings` keys dmsplan sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FullLoadSettings {
    /// What DMS does to target tables before loading them.
    pub target_table_prep_mode: &'static str,
    /// How many tables load in parallel.
    pub max_full_load_sub_tasks: u32,
}

/// The `Logging` keys dmsplan sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Logging {
    /// Whether the task logs to CloudWatch.
    pub enable_logging: bool,
}

/// The `ValidationSettings` keys dmsplan sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ValidationSettings {
    /// Whether DMS validates the migrated rows.
    pub enable_validation: bool,
    /// `ROW_LEVEL`.
    pub validation_mode: &'static str,
    /// Validation threads.
    pub thread_count: u32,
}

/// The `TargetMetadata` LOB keys for a LOB answer.
pub fn lob_settings(lob: LobMode) -> TargetMetadata {
    let none = TargetMetadata {
        support_lobs: false,
        full_lob_mode: None,
        limited_size_lob_mode: None,
        lob_max_size: None,
        lob_chunk_size: None,
        batch_apply_enabled: None,
    };
    match lob {
        LobMode::None => none,
        LobMode::Limited { max_kb } => TargetMetadata {
            support_lobs: true,
            full_lob_mode: Some(false),
            limited_size_lob_mode: Some(true),
            lob_max_size: Some(max_kb),
            ..none
        },
        LobMode::Full => TargetMetadata {
            support_lobs: true,
            full_lob_mode: Some(true),
            limited_size_lob_mode: Some(false),
            lob_chunk_size: Some(LOB_CHUNK_SIZE_KB),
            ..none
        },
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
) -> TaskSettings {
    let (mode, _) = prep_mode(a, target_kind);
    let mut target_metadata = lob_settings(lob);
    // Redshift applies changes only in batches (CHAP_Target.Redshift.html).
    if a.cdc_requested && target_family == Family::Redshift {
        target_metadata.batch_apply_enabled = Some(true);
    }
    TaskSettings {
        target_metadata,
        full_load_settings: FullLoadSettings {
            target_table_prep_mode: mode,
            max_full_load_sub_tasks: tables.clamp(1, estimate::MAX_FULL_LOAD_SUBTASKS),
        },
        logging: Logging {
            enable_logging: true,
        },
        validation_settings: a.validation_supported.then_some(ValidationSettings {
            enable_validation: true,
            validation_mode: "ROW_LEVEL",
            thread_count: 5,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifacts::json::{self, nested_by_serde};

    #[test]
    fn the_template_copy_is_what_serde_writes() {
        for lob in [
            LobMode::None,
            LobMode::Limited { max_kb: 32 },
            LobMode::Full,
        ] {
            for (batch, validation) in [(None, None), (Some(true), Some(5))] {
                let settings = TaskSettings {
                    target_metadata: TargetMetadata {
                        batch_apply_enabled: batch,
                        ..lob_settings(lob)
                    },
                    full_load_settings: FullLoadSettings {
                        target_table_prep_mode: "DO_NOTHING",
                        max_full_load_sub_tasks: 8,
                    },
                    logging: Logging {
                        enable_logging: true,
                    },
                    validation_settings: validation.map(|thread_count| ValidationSettings {
                        enable_validation: true,
                        validation_mode: "ROW_LEVEL",
                        thread_count,
                    }),
                };
                let mut ours = String::new();
                settings.write_json(Object::nested(&mut ours));
                assert_eq!(ours, nested_by_serde(&settings));
                let pretty = json::pretty(0, |doc| settings.write_json(doc));
                assert_eq!(
                    pretty,
                    serde_json::to_string_pretty(&settings).unwrap() + "\n"
                );
            }
        }
    }

    #[test]
    fn lob_keys_follow_the_lob_answer() {
        let text = |lob| serde_json::to_string(&lob_settings(lob)).unwrap();
        assert_eq!(text(LobMode::None), r#"{"SupportLobs":false}"#);
        assert_eq!(
            text(LobMode::Limited { max_kb: 32 }),
            r#"{"SupportLobs":true,"FullLobMode":false,"LimitedSizeLobMode":true,"LobMaxSize":32}"#
        );
        assert_eq!(
            text(LobMode::Full),
            r#"{"SupportLobs":true,"FullLobMode":true,"LimitedSizeLobMode":false,"LobChunkSize":64}"#
        );
    }
}
