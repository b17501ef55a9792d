//! Homogeneous options: the ways to move a database to an engine of its own family (DMS,
//! DMS homogeneous data migrations, the engine's native tools, a native full load followed by
//! DMS CDC), and which one fits a plan's size and downtime.
//!
//! `catalog/native.json` holds the facts (documented in `catalog/FORMAT.md`); this module
//! loads them and decides. Pure: no files, no terminal, no clock.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::catalog::{CatalogError, Family, Hosting};

/// The options compiled into the binary.
pub const EMBEDDED: &str = include_str!("catalog/native.json");

/// The whole file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NativeOptions {
    /// When the facts were last checked (YYYY-MM-DD).
    pub as_of: String,
    /// What the throughput figures are.
    pub note: String,
    /// One entry per engine family.
    pub families: Vec<FamilyOptions>,
}

/// The options of one engine family.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FamilyOptions {
    /// The family.
    pub family: Family,
    /// Where DMS CDC can start after a native load, if it can.
    pub cdc_start: Option<CdcStart>,
    /// The tools, in order of preference.
    pub tools: Vec<Tool>,
}

/// A native CDC start position and how to record it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CdcStart {
    /// `SCN`, `LSN`, `binlog position`.
    pub name: String,
    /// How to record it when the native export starts.
    pub how: String,
    /// The page this comes from.
    pub doc: String,
}

/// What kind of option a tool is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ToolKind {
    /// A logical dump and restore (pg_dump, mysqldump, Data Pump, mongodump).
    NativeDump,
    /// A physical backup restored (XtraBackup, SQL Server native backup).
    NativePhysical,
    /// The engine's own replication (PostgreSQL logical replication).
    NativeReplication,
    /// A native full load, then DMS CDC from the recorded position.
    NativePlusCdc,
    /// DMS full load and CDC.
    Dms,
    /// DMS homogeneous data migrations.
    DmsHomogeneous,
}

/// One way to move the data.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    /// Stable id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What kind of option.
    pub kind: ToolKind,
    /// Whether the source keeps taking writes until cutover.
    pub online: bool,
    /// Planning throughput of an offline tool, GB per hour.
    pub gb_per_hour: Option<f64>,
    /// Largest practical size, GB (`None`: no limit).
    pub max_size_gb: Option<f64>,
    /// Target engine ids it loads into (`None`: any of the family).
    #[serde(default)]
    pub targets: Option<Vec<String>>,
    /// Target hostings it loads into (`None`: any).
    #[serde(default)]
    pub target_hostings: Option<Vec<Hosting>>,
    /// What it moves.
    pub moves: String,
    /// Where it fits.
    pub fits: String,
    /// The page this comes from.
    pub doc: String,
}

impl Tool {
    /// Whether it can load into this target engine on this hosting.
    pub fn applies_to(&self, target: &str, hosting: Hosting) -> bool {
        self.targets
            .as_ref()
            .is_none_or(|t| t.iter().any(|x| x == target))
            && self
                .target_hostings
                .as_ref()
                .is_none_or(|h| h.contains(&hosting))
    }

    /// Hours to copy `size_gb` offline, when the tool has a throughput.
    pub fn hours_for(&self, size_gb: f64) -> Option<f64> {
        self.gb_per_hour
            .filter(|r| *r > 0.0)
            .map(|rate| size_gb / rate)
    }

    fn fits_size(&self, size_gb: f64) -> bool {
        self.max_size_gb.is_none_or(|m| size_gb <= m)
    }
}

/// The option dmsplan recommends, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// The tool id.
    pub tool: String,
    /// Why, one sentence with the numbers.
    pub reason: String,
}

/// The share of the downtime an offline copy may take; the rest is for checks and cutover.
pub const OFFLINE_SHARE: f64 = 0.5;

fn hours_text(h: f64) -> String {
    if h < 1.0 {
        format!("{} min", (h * 60.0).ceil().max(1.0))
    } else {
        format!("{:.1} h", h)
    }
}

/// Pick an option: the first offline tool (in preference order) whose copy takes at most
/// half the downtime; otherwise the first online one that works for the pair (DMS-based
/// options only when DMS can run CDC for it); otherwise the fastest offline tool, with the
/// warning that the downtime must grow.
pub fn recommend(
    tools: &[&Tool],
    size_gb: f64,
    downtime_hours: f64,
    dms_cdc: bool,
) -> Option<Recommendation> {
    let budget = downtime_hours * OFFLINE_SHARE;
    let offline = tools
        .iter()
        .filter(|t| !t.online && t.fits_size(size_gb))
        .filter_map(|t| t.hours_for(size_gb).map(|h| (*t, h)));
    if let Some((t, h)) = offline.clone().find(|(_, h)| *h <= budget) {
        return Some(Recommendation {
            tool: t.id.clone(),
            reason: format!(
                "{} GB at about {} GB/h takes about {}, within half of the {} downtime: {} moves {}, with no replication to run",
                size_gb,
                t.gb_per_hour.unwrap_or_default(),
                hours_text(h),
                hours_text(downtime_hours),
                t.name,
                t.moves
            ),
        });
    }
    let fastest = offline.min_by(|a, b| a.1.total_cmp(&b.1));
    let why_not_offline = match fastest {
        Some((t, h)) => format!(
            "the fastest offline copy ({}) needs about {} for {} GB, more than half of the {} downtime",
            t.name,
            hours_text(h),
            size_gb,
            hours_text(downtime_hours)
        ),
        None => format!("no offline tool handles {size_gb} GB"),
    };
    let usable = |t: &&&Tool| {
        t.online
            && (dms_cdc
                || !matches!(
                    t.kind,
                    ToolKind::Dms | ToolKind::NativePlusCdc | ToolKind::DmsHomogeneous
                ))
    };
    if let Some(t) = tools.iter().find(usable) {
        return Some(Recommendation {
            tool: t.id.clone(),
            reason: format!(
                "{why_not_offline}, so the source must keep taking writes until cutover; {} is the first online option for this pair: {}",
                t.name, t.fits
            ),
        });
    }
    fastest.map(|(t, _)| Recommendation {
        tool: t.id.clone(),
        reason: format!(
            "{why_not_offline}, and no online option works for this pair: plan a longer downtime for {}",
            t.name
        ),
    })
}

impl NativeOptions {
    /// Parse and validate from JSON text.
    pub fn from_json(text: &str) -> Result<NativeOptions, CatalogError> {
        let o: NativeOptions = serde_json::from_str(text).map_err(|e| CatalogError {
            entry: format!("native: line {} column {}", e.line(), e.column()),
            reason: e.to_string(),
        })?;
        o.validate()?;
        Ok(o)
    }

    /// The options compiled into the binary.
    pub fn embedded() -> Result<&'static NativeOptions, CatalogError> {
        static OPTIONS: std::sync::OnceLock<Result<NativeOptions, CatalogError>> =
            std::sync::OnceLock::new();
        OPTIONS
            .get_or_init(|| NativeOptions::from_json(EMBEDDED))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The options of a family.
    pub fn family(&self, family: Family) -> Option<&FamilyOptions> {
        self.families.iter().find(|f| f.family == family)
    }

    /// Check the invariants; the error names the entry.
    pub fn validate(&self) -> Result<(), CatalogError> {
        let mut families = BTreeSet::new();
        for f in &self.families {
            let entry = format!("native: family `{}`", f.family.as_str());
            let fail = |reason: String| {
                Err(CatalogError {
                    entry: entry.clone(),
                    reason,
                })
            };
            if !families.insert(f.family) {
                return fail("listed twice".into());
            }
            let mut ids = BTreeSet::new();
            for t in &f.tools {
                if !ids.insert(&t.id) {
                    return fail(format!("tool `{}` listed twice", t.id));
                }
                if t.online == t.gb_per_hour.is_some() {
                    return fail(format!(
                        "tool `{}`: an offline tool needs `gb_per_hour`, an online one has none",
                        t.id
                    ));
                }
                if !(t.doc.ends_with(".html") || t.doc.contains(".html#")) {
                    return fail(format!("tool `{}`: doc `{}` is no page", t.id, t.doc));
                }
            }
            if f.cdc_start.is_none() && f.tools.iter().any(|t| t.kind == ToolKind::NativePlusCdc) {
                return fail("a native-plus-cdc tool needs a `cdc_start`".into());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tools(family: Family, target: &str, hosting: Hosting) -> Vec<Tool> {
        let o = NativeOptions::embedded().expect("embedded native options");
        o.family(family)
            .expect("family")
            .tools
            .iter()
            .filter(|t| t.applies_to(target, hosting))
            .cloned()
            .collect()
    }

    fn pick(family: Family, target: &str, hosting: Hosting, gb: f64, hours: f64) -> String {
        let t = tools(family, target, hosting);
        let refs: Vec<&Tool> = t.iter().collect();
        recommend(&refs, gb, hours, true)
            .expect("a recommendation")
            .tool
    }

    #[test]
    fn embedded_options_are_valid() {
        NativeOptions::embedded().expect("valid");
    }

    #[test]
    fn recommendations_follow_size_and_downtime() {
        use Family::*;
        use Hosting::*;
        let rows: &[(Family, &str, Hosting, f64, f64, &str)] = &[
            // 40 GB at 20 GB/h is 2 h, within half of 6 h: the simplest dump fits.
            (Mysql, "aurora", Aurora, 40.0, 6.0, "mysqldump"),
            // 300 GB: mysqldump (100 GB max) is out, mydumper at 80 GB/h needs 3.75 h <= 4 h.
            (Mysql, "aurora", Aurora, 300.0, 8.0, "mydumper"),
            // 2 TB in 1 h: nothing offline fits; DMS homogeneous data migrations come first.
            (Mysql, "aurora", Aurora, 2048.0, 1.0, "dms-homogeneous"),
            // Self-managed target: homogeneous data migrations need RDS or Aurora.
            (Mysql, "mysql", Ec2, 2048.0, 1.0, "native-then-dms-cdc"),
            // PostgreSQL 2 TB in 1 h: logical replication is the first online option.
            (
                Postgresql,
                "aurora-postgresql",
                Aurora,
                2048.0,
                1.0,
                "pg-logical-replication",
            ),
            (Postgresql, "postgres", Rds, 50.0, 4.0, "pg-dump"),
            // 800 GB Oracle in 2 h: Data Pump at 60 GB/h needs 13 h; native + CDC from the SCN.
            (Oracle, "oracle", Rds, 800.0, 2.0, "native-then-dms-cdc"),
            (Oracle, "oracle", Rds, 100.0, 8.0, "data-pump"),
            // 300 GB SQL Server in 2 h: a backup at 150 GB/h needs 2 h, more than 1 h.
            (
                Sqlserver,
                "sqlserver",
                Rds,
                300.0,
                2.0,
                "native-then-dms-cdc",
            ),
            (Sqlserver, "sqlserver", Rds, 100.0, 4.0, "native-backup-s3"),
            (Mongodb, "docdb", Aws, 120.0, 0.5, "dms-homogeneous"),
            (Mongodb, "docdb", Aws, 10.0, 2.0, "mongodump"),
        ];
        for (family, target, hosting, gb, hours, want) in rows {
            assert_eq!(
                pick(*family, target, *hosting, *gb, *hours),
                *want,
                "{family:?} -> {target} ({hosting:?}), {gb} GB in {hours} h"
            );
        }
    }

    #[test]
    fn without_dms_cdc_only_native_online_options_remain() {
        let t = tools(Family::Oracle, "oracle", Hosting::Rds);
        let refs: Vec<&Tool> = t.iter().collect();
        let r = recommend(&refs, 800.0, 2.0, false).expect("a recommendation");
        assert_eq!(r.tool, "data-pump");
        assert!(r.reason.contains("longer downtime"), "{}", r.reason);
    }
}
