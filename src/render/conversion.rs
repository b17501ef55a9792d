//! What the runbook's schema section needs beyond the classification: the data type lines
//! that matter for the pair, and for homogeneous pairs the options side by side with the
//! one dmsplan recommends.
//!
//! Facts come from `catalog/types.json` and `catalog/native.json`; the words are in
//! `templates/partials/schema.md.hbs`. Pure.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde::Serialize;

use crate::catalog::{Catalog, doc_url};
use crate::evaluate::Evaluation;
use crate::native::{self, NativeOptions, Tool};
use crate::plan::Plan;
use crate::types::TypeMaps;

use super::tree::Shared;

/// The schema section's type lines and homogeneous options.
#[derive(Debug, Clone, Serialize)]
pub struct ConversionCtx {
    /// The command that prints the whole map for the pair.
    pub types_command: String,
    /// Whether dmsplan has a type map for the pair.
    pub has_type_map: bool,
    /// The source types DMS does not migrate or migrates lossily for this pair (shared by
    /// every plan of the pair).
    pub type_lines: Shared<Vec<TypeLineCtx>>,
    /// The source page of the map (full URL), when there is a map.
    pub source_types_doc: Option<String>,
    /// The target page of the map (full URL), when there is a map.
    pub target_types_doc: Option<String>,
    /// Homogeneous options, for pairs of one family.
    pub native: Option<NativeCtx>,
}

/// One type line of the runbook table.
#[derive(Debug, Clone, Serialize)]
pub struct TypeLineCtx {
    /// Source type.
    pub source_type: String,
    /// DMS type, or `-`.
    pub dms_type: String,
    /// Target type, or `-`.
    pub target_type: String,
    /// `not migrated` or `lossy`.
    pub status: String,
    /// Notes (trusted catalog text).
    pub notes: String,
    /// Page (full URL).
    pub doc: String,
}

/// The homogeneous options and the recommendation.
#[derive(Debug, Clone, Serialize)]
pub struct NativeCtx {
    /// Each option, in preference order.
    pub options: Vec<OptionCtx>,
    /// The recommended option's name.
    pub recommended: String,
    /// Why, with the numbers.
    pub reason: String,
    /// Whether the recommendation is a native load followed by DMS CDC.
    pub native_then_cdc: bool,
    /// The CDC start position of the source family, when DMS can start from one.
    pub cdc_start: Option<CdcStartCtx>,
    /// What the throughput figures are.
    pub figures_note: String,
}

/// One option as the table shows it.
#[derive(Debug, Clone, Serialize)]
pub struct OptionCtx {
    /// Name.
    pub name: String,
    /// What it moves.
    pub moves: String,
    /// Where it fits.
    pub fits: String,
    /// The copy time for this plan's size, or `online`.
    pub window: String,
    /// Whether dmsplan recommends it.
    pub recommended: bool,
    /// Page (full URL).
    pub doc: String,
}

/// The native CDC start position.
#[derive(Debug, Clone, Serialize)]
pub struct CdcStartCtx {
    /// `SCN`, `LSN`, `binlog position`.
    pub name: String,
    /// How to record it (trusted catalog text).
    pub how: String,
    /// Page (full URL).
    pub doc: String,
}

fn hours(h: f64) -> String {
    if h < 1.0 {
        format!("about {} min", (h * 60.0).ceil().max(1.0))
    } else {
        format!("about {h:.1} h")
    }
}

/// Build the context from the plan and its evaluation.
pub fn build(catalog: &Catalog, plan: &Plan, eval: &Evaluation) -> ConversionCtx {
    let a = &eval.assessment;
    let source = catalog.engine(&a.source.engine);
    let target = catalog.engine(&a.target.engine);
    let types_command = format!(
        "dmsplan types --source {} --target {}",
        a.source.engine, a.target.engine
    );
    let (Some(source), Some(target)) = (source, target) else {
        return ConversionCtx {
            types_command,
            has_type_map: false,
            type_lines: no_lines(),
            source_types_doc: None,
            target_types_doc: None,
            native: None,
        };
    };
    let maps = TypeMaps::embedded().ok();
    let type_lines = maps.and_then(|m| type_lines(m, source, target));
    let native = if source.family == target.family {
        native_ctx(plan, eval, source.family, &target.id)
    } else {
        None
    };
    ConversionCtx {
        types_command,
        has_type_map: type_lines.is_some(),
        type_lines: type_lines.unwrap_or_else(no_lines),
        source_types_doc: maps
            .as_ref()
            .and_then(|m| m.source_map(&source.id))
            .map(|s| doc_url(&s.doc)),
        target_types_doc: maps
            .as_ref()
            .and_then(|m| m.target_map(&target.id))
            .map(|t| doc_url(&t.doc)),
        native,
    }
}

/// No type lines.
fn no_lines() -> Shared<Vec<TypeLineCtx>> {
    static NONE: OnceLock<Shared<Vec<TypeLineCtx>>> = OnceLock::new();
    NONE.get_or_init(|| Shared::new(Vec::new())).clone()
}

/// The type lines of a pair; `None` when dmsplan has no map for it. They depend only on the
/// two engine ids and whether they are one family (the maps are embedded), so they are worked
/// out once per pair and shared: a batch plans thousands of databases of a few pairs.
fn type_lines(
    maps: &TypeMaps,
    source: &crate::catalog::Engine,
    target: &crate::catalog::Engine,
) -> Option<Shared<Vec<TypeLineCtx>>> {
    type Key = (String, String, bool);
    type Lines = Option<Shared<Vec<TypeLineCtx>>>;
    static KNOWN: OnceLock<Mutex<HashMap<Key, Lines>>> = OnceLock::new();
    let key = (
        source.id.clone(),
        target.id.clone(),
        source.family == target.family,
    );
    let known = KNOWN.get_or_init(Mutex::default);
    if let Some(lines) = known.lock().ok().and_then(|k| k.get(&key).cloned()) {
        return lines;
    }
    let lines: Lines = maps
        .pair_rows(source, target)
        .map(|rows| {
            rows.iter()
                .filter(|r| !r.supported || r.lossy)
                .map(|r| TypeLineCtx {
                    source_type: r.source_type.clone(),
                    dms_type: r.dms_type.clone().unwrap_or_else(|| "-".into()),
                    target_type: r.target_type.clone().unwrap_or_else(|| "-".into()),
                    status: if r.supported { "lossy" } else { "not migrated" }.into(),
                    notes: r.notes.clone(),
                    doc: r.doc.clone(),
                })
                .collect::<Vec<_>>()
        })
        .map(Shared::new);
    // Pairs of engines are few (a catalog's engines squared), so the map stays small.
    if let Ok(mut k) = known.lock() {
        k.insert(key, lines.clone());
    }
    lines
}

fn native_ctx(
    plan: &Plan,
    eval: &Evaluation,
    family: crate::catalog::Family,
    target: &str,
) -> Option<NativeCtx> {
    let options = NativeOptions::embedded().ok()?;
    let fam = options.family(family)?;
    let hosting = eval.assessment.target.hosting;
    let tools: Vec<&Tool> = fam
        .tools
        .iter()
        .filter(|t| t.applies_to(target, hosting))
        .collect();
    let size = plan.answers.size_gb.unwrap_or_default();
    let downtime = plan.answers.downtime.map_or(0.0, |d| d.hours());
    let rec = native::recommend(&tools, size, downtime, eval.assessment.cdc_supported)?;
    let recommended = tools.iter().find(|t| t.id == rec.tool)?;
    Some(NativeCtx {
        options: tools
            .iter()
            .map(|t| OptionCtx {
                name: t.name.clone(),
                moves: t.moves.clone(),
                fits: t.fits.clone(),
                window: match t.hours_for(size) {
                    Some(h) if !t.online => {
                        if t.max_size_gb.is_some_and(|m| size > m) {
                            format!("{} (beyond its practical size)", hours(h))
                        } else {
                            hours(h)
                        }
                    }
                    _ => "online until cutover".into(),
                },
                recommended: t.id == rec.tool,
                doc: doc_url(&t.doc),
            })
            .collect(),
        recommended: recommended.name.clone(),
        reason: rec.reason,
        native_then_cdc: recommended.kind == native::ToolKind::NativePlusCdc,
        cdc_start: fam.cdc_start.as_ref().map(|c| CdcStartCtx {
            name: c.name.clone(),
            how: c.how.clone(),
            doc: doc_url(&c.doc),
        }),
        figures_note: options.note.clone(),
    })
}
