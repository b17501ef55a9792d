//! The lists and verdicts the wizard shows: engines, versions, editions and hostings to pick
//! from, every target annotated with what DMS says of it, and the short verdict of a pair.
//!
//! Pure library code over the catalog and `assess`: no terminal, no prompts, no files. The
//! wizard (`wizard.rs`) only displays what is computed here, so what it says and what
//! `dmsplan check` says cannot disagree. This module holds no support rules of its own; every
//! "supported" comes from `assess::assess`.

use std::fmt::Write as _;

use crate::assess::{self, Assessment, Classification, Endpoint, Pair, Verdict};
use crate::catalog::{Catalog, EngineVersion, Hosting, Role, Severity};
use crate::error::Error;

/// The source engine offered when the user just presses Enter.
pub const DEFAULT_SOURCE: &str = "mysql";
/// The source version offered by default for `DEFAULT_SOURCE`.
pub const DEFAULT_SOURCE_VERSION: &str = "8.0";
/// The data size offered by default, as typed.
pub const DEFAULT_SIZE: &str = "100";
/// The accepted downtime offered by default, as typed.
pub const DEFAULT_DOWNTIME: &str = "4h";
/// The AWS Region offered by default.
pub const DEFAULT_REGION: &str = "us-east-1";

/// An engine to pick in one role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineChoice {
    /// Catalog id (`postgres`).
    pub id: String,
    /// Display name (`PostgreSQL`).
    pub name: String,
    /// Other names people type, for fuzzy matching.
    pub aliases: Vec<String>,
}

impl EngineChoice {
    /// One line for a fuzzy list: name, id, and the aliases that the name and id do not
    /// already match as a subsequence, cut to at most `width` characters at an alias boundary.
    pub fn label(&self, width: usize) -> String {
        let mut text = format!("{} [{}]", self.name, self.id);
        // An alias found inside the name, the id or a longer alias adds nothing to a search.
        let mut extra: Vec<&str> = self
            .aliases
            .iter()
            .filter(|a| {
                !is_subsequence(a, &text)
                    && !self
                        .aliases
                        .iter()
                        .any(|b| b.len() > a.len() && is_subsequence(a, b))
            })
            .map(String::as_str)
            .collect();
        extra.sort_by_key(|a| a.len());
        let mut first = true;
        for alias in extra {
            let sep = if first { "  " } else { ", " };
            if text.chars().count() + sep.len() + alias.chars().count() > width {
                break;
            }
            text.push_str(sep);
            text.push_str(alias);
            first = false;
        }
        text
    }
}

/// Whether every character of `needle` appears in `hay` in order (any case).
fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut hay = hay.chars().flat_map(char::to_lowercase);
    needle
        .chars()
        .flat_map(char::to_lowercase)
        .all(|c| hay.any(|h| h == c))
}

/// The engines DMS uses in `role`, in catalog order.
pub fn engines(catalog: &Catalog, role: Role) -> Vec<EngineChoice> {
    catalog
        .engines
        .iter()
        .filter(|e| e.role(role).is_some())
        .map(|e| EngineChoice {
            id: e.id.clone(),
            name: e.name.clone(),
            aliases: e.aliases.clone(),
        })
        .collect()
}

/// A version to pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionChoice {
    /// The version, as `ENGINE:VERSION` takes it.
    pub version: EngineVersion,
    /// DMS supports only full load for it (on some hosting, when no hosting was given).
    pub full_load_only: bool,
}

impl VersionChoice {
    /// The line shown in a list.
    pub fn label(&self) -> String {
        if self.full_load_only {
            format!("{}  (full load only)", self.version)
        } else {
            self.version.to_string()
        }
    }
}

/// Spans whose single differing component is a year are not expanded (2012–2022 is not
/// eleven releases); above this a span offers only its ends.
const MAX_EXPANDED: u32 = 20;

/// The catalog's versions of `engine` in `role` (on `hosting`, or on any hosting when
/// `None`), newest first, without duplicates.
///
/// A span whose ends have the same precision and differ only in the last component is
/// expanded (`10`–`16` gives 16, 15, ..., 10); any other span offers its max and its min.
pub fn versions(
    catalog: &Catalog,
    engine: &str,
    role: Role,
    hosting: Option<Hosting>,
) -> Vec<VersionChoice> {
    let Some(spec) = catalog.engine(engine).and_then(|e| e.role(role)) else {
        return Vec::new();
    };
    let mut out: Vec<VersionChoice> = Vec::new();
    for span in spec
        .versions
        .iter()
        .filter(|s| hosting.is_none_or(|h| s.applies_to(h)))
    {
        for version in expand(&span.min, &span.max) {
            match out.iter_mut().find(|c| c.version == version) {
                Some(have) => have.full_load_only |= !span.cdc,
                None => out.push(VersionChoice {
                    version,
                    full_load_only: !span.cdc,
                }),
            }
        }
    }
    out.sort_by(|a, b| b.version.cmp(&a.version));
    out
}

/// The discrete versions of one span, newest first.
fn expand(min: &EngineVersion, max: &EngineVersion) -> Vec<EngineVersion> {
    let (lo, hi) = (min.parts(), max.parts());
    let same_prefix = lo.len() == hi.len()
        && !lo.is_empty()
        && lo[..lo.len() - 1] == hi[..hi.len() - 1]
        && min.precision() == lo.len()
        && max.precision() == hi.len();
    if same_prefix {
        let (a, b) = (lo[lo.len() - 1], hi[hi.len() - 1]);
        if b >= a && b - a < MAX_EXPANDED && b < 1900 {
            let prefix: Vec<String> = lo[..lo.len() - 1].iter().map(u32::to_string).collect();
            return (a..=b)
                .rev()
                .filter_map(|last| {
                    let mut parts = prefix.clone();
                    parts.push(last.to_string());
                    parts.join(".").parse().ok()
                })
                .collect();
        }
    }
    if min == max {
        vec![max.clone()]
    } else {
        vec![max.clone(), min.clone()]
    }
}

/// The version offered by default: `DEFAULT_SOURCE_VERSION` for the default source, the
/// source's version for a target that lists it, else the newest. An index into `list`.
pub fn default_version(
    list: &[VersionChoice],
    engine: &str,
    role: Role,
    source_version: Option<&EngineVersion>,
) -> usize {
    let wanted: Option<EngineVersion> = match role {
        Role::Source if engine == DEFAULT_SOURCE => DEFAULT_SOURCE_VERSION.parse().ok(),
        Role::Source => None,
        Role::Target => source_version.cloned(),
    };
    wanted
        .and_then(|w| list.iter().position(|c| c.version == w))
        .unwrap_or(0)
}

/// An edition or deployment variant to pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionChoice {
    /// Edition id (what `--source-edition` takes).
    pub id: String,
    /// The vendor's name.
    pub name: String,
    /// DMS supports it in this role.
    pub supported: bool,
    /// DMS can run CDC with it (for some versions, when `cdc_versions` limits it).
    pub cdc: bool,
    /// The catalog's default for the role.
    pub default: bool,
}

impl EditionChoice {
    /// The line shown in a list.
    pub fn label(&self) -> String {
        let what = if !self.supported {
            "not supported by DMS"
        } else if self.cdc {
            "full load and CDC"
        } else {
            "full load only"
        };
        let default = if self.default { ", default" } else { "" };
        format!("{} [{}]  ({what}{default})", self.name, self.id)
    }
}

/// The editions of `engine` in `role` that exist on `hosting` (all when `None`), the
/// default first, then in catalog order. Unsupported editions are listed and marked.
pub fn editions(
    catalog: &Catalog,
    engine: &str,
    role: Role,
    hosting: Option<Hosting>,
) -> Vec<EditionChoice> {
    let Some(spec) = catalog.engine(engine).and_then(|e| e.role(role)) else {
        return Vec::new();
    };
    let mut out: Vec<EditionChoice> = spec
        .editions
        .iter()
        .filter(|e| hosting.is_none_or(|h| e.hostings.as_ref().is_none_or(|hs| hs.contains(&h))))
        .map(|e| EditionChoice {
            id: e.id.clone(),
            name: e.name.clone(),
            supported: e.supported,
            cdc: e.supported && e.cdc,
            default: spec.default_edition.as_deref() == Some(e.id.as_str()),
        })
        .collect();
    // Stable: the default moves to the front, the rest keep catalog order.
    out.sort_by_key(|e| !e.default);
    out
}

/// The hosting `assess` takes when none is given: on-prem for a source that can run there,
/// else the first of the role's list.
pub fn default_hosting(catalog: &Catalog, engine: &str, role: Role) -> Option<Hosting> {
    let spec = catalog.engine(engine)?.role(role)?;
    match role {
        Role::Source if spec.hostings.contains(&Hosting::OnPrem) => Some(Hosting::OnPrem),
        _ => spec.hostings.first().copied(),
    }
}

/// Where `engine` may run in `role`, the default first.
pub fn hostings(catalog: &Catalog, engine: &str, role: Role) -> Vec<Hosting> {
    let Some(spec) = catalog.engine(engine).and_then(|e| e.role(role)) else {
        return Vec::new();
    };
    let mut out = spec.hostings.clone();
    if let Some(d) = default_hosting(catalog, engine, role) {
        out.sort_by_key(|h| *h != d);
    }
    out
}

/// A target engine with what DMS says of it from the chosen source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetChoice {
    /// The engine.
    pub engine: EngineChoice,
    /// DMS supports this target from the source, with the target's defaults (no blocker).
    pub supported: bool,
    /// Homogeneous or heterogeneous.
    pub classification: Classification,
    /// The blocker messages, when not supported.
    pub blockers: Vec<String>,
}

impl TargetChoice {
    /// One line for the target list: the engine, then `supported` or `NOT supported` and the
    /// classification in a column. At most about `width` characters.
    pub fn label(&self, width: usize) -> String {
        let support = if self.supported {
            "✓ supported"
        } else {
            "✗ NOT supported"
        };
        let tail = format!("{support:<15}  {}", self.classification.as_str());
        let head_width = width.saturating_sub(tail.chars().count() + 2).clamp(20, 56);
        let head = format!("{} [{}]", self.engine.name, self.engine.id);
        let head: String = head.chars().take(head_width).collect();
        format!("{head:<head_width$}  {tail}")
    }
}

/// Every DMS target, assessed from `source` with the target's defaults (no version, default
/// edition and hosting, no CDC): supported homogeneous ones first, then supported
/// heterogeneous ones, then the unsupported ones; catalog order within each group.
pub fn targets(catalog: &Catalog, source: &Endpoint) -> Result<Vec<TargetChoice>, Error> {
    let mut out = Vec::new();
    for engine in engines(catalog, Role::Target) {
        let pair = Pair {
            source: source.clone(),
            target: Endpoint {
                engine: engine.id.clone(),
                version: None,
                edition: None,
                hosting: None,
            },
            cdc: false,
        };
        let a = assess::assess(catalog, &pair)?;
        out.push(TargetChoice {
            engine,
            supported: a.supported,
            classification: a.classification,
            blockers: a
                .findings_of(Severity::Blocker)
                .map(|f| f.message.clone())
                .collect(),
        });
    }
    out.sort_by_key(|t| {
        (
            !t.supported,
            t.classification != Classification::Homogeneous,
        )
    });
    Ok(out)
}

/// The target offered by default: a supported homogeneous Aurora target, else the source's
/// own engine when supported, else the first supported homogeneous one, else the first
/// supported one, else the first. An index into `list`.
pub fn default_target(list: &[TargetChoice], source_engine: &str) -> usize {
    let homo = |t: &TargetChoice| t.supported && t.classification == Classification::Homogeneous;
    list.iter()
        .position(|t| homo(t) && t.engine.id.starts_with("aurora"))
        .or_else(|| {
            list.iter()
                .position(|t| t.supported && t.engine.id == source_engine)
        })
        .or_else(|| list.iter().position(homo))
        .or_else(|| list.iter().position(|t| t.supported))
        .unwrap_or(0)
}

/// The short verdict of an assessment, for the wizard: the pair, classification, DMS support
/// and CDC, then every blocker with its fix.
///
/// Right after the pair is chosen CDC is not decided yet (`cdc_reason` is `None`): the text
/// says only whether it is available. For a complete plan pass the estimate's reason: the
/// text then gives the migration type and lists the warnings too.
pub fn verdict_text(a: &Assessment, cdc_reason: Option<&str>) -> String {
    let mut out = String::new();
    let side = |v: &assess::EndpointView| {
        let mut s = v.name.clone();
        if let Some(ver) = &v.version {
            let _ = write!(s, " {ver}");
        }
        if let Some(e) = &v.edition_name {
            let _ = write!(s, ", {e}");
        }
        let _ = write!(s, ", on {}", v.hosting);
        s
    };
    let _ = writeln!(out, "  source          {}", side(&a.source));
    let _ = writeln!(out, "  target          {}", side(&a.target));
    let _ = writeln!(
        out,
        "  classification  {}: {}",
        a.classification.as_str(),
        a.classification_detail
    );
    let blockers: Vec<_> = a.findings_of(Severity::Blocker).collect();
    let warnings: Vec<_> = a.findings_of(Severity::Warning).collect();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let support = match a.verdict {
        Verdict::Supported => "supported".to_string(),
        Verdict::SupportedWithWarnings => format!(
            "supported, with {} warning{}",
            warnings.len(),
            plural(warnings.len())
        ),
        Verdict::Unsupported => format!(
            "NOT supported: {} blocker{}",
            blockers.len(),
            plural(blockers.len())
        ),
    };
    let _ = writeln!(out, "  DMS support     {support}");
    match cdc_reason {
        None => {
            let cdc = if a.cdc_supported {
                "available; size and downtime decide whether the plan uses it"
            } else {
                "not available: full load only"
            };
            let _ = writeln!(out, "  CDC             {cdc}");
        }
        Some(reason) => {
            let cdc = match (a.cdc_supported, a.cdc_requested) {
                (true, true) => "planned",
                (true, false) => "available, not planned",
                (false, true) => "needed, but not available (see blockers)",
                (false, false) => "not available: full load only",
            };
            let _ = writeln!(out, "  CDC             {cdc}: {reason}");
            let _ = writeln!(out, "  migration type  {}", a.migration_type.as_str());
        }
    }
    for b in blockers {
        let _ = writeln!(out, "  blocker  {} [{}]", b.message, b.id);
        if let Some(fix) = &b.fix {
            let _ = writeln!(out, "           fix: {fix}");
        }
    }
    if cdc_reason.is_some() {
        for w in warnings {
            let _ = writeln!(out, "  warning  {} [{}]", w.message, w.id);
        }
    }
    out
}

/// Whether the first blocker of an assessment is on the source side (its rule id starts
/// with `source.`), so the wizard can offer "change the source" first.
pub fn blocker_on_source(a: &Assessment) -> bool {
    a.findings_of(Severity::Blocker)
        .next()
        .is_some_and(|f| f.id.starts_with("source."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        Catalog::embedded().expect("the embedded catalog loads")
    }

    fn strings(list: &[VersionChoice]) -> Vec<String> {
        list.iter().map(|c| c.version.to_string()).collect()
    }

    fn endpoint(engine: &str, version: Option<&str>, edition: Option<&str>) -> Endpoint {
        Endpoint {
            engine: engine.to_string(),
            version: version.map(|v| v.parse().expect("a version")),
            edition: edition.map(str::to_string),
            hosting: None,
        }
    }

    #[test]
    fn source_engines_are_those_dms_reads_from() {
        let list = engines(&catalog(), Role::Source);
        assert!(list.iter().any(|e| e.id == "oracle"));
        assert!(list.iter().any(|e| e.id == DEFAULT_SOURCE));
        assert!(
            !list.iter().any(|e| e.id == "redshift"),
            "Redshift is no DMS source"
        );
        assert!(list.iter().all(|e| !e.name.is_empty()));
    }

    #[test]
    fn engine_label_keeps_aliases_the_name_does_not_match() {
        let list = engines(&catalog(), Role::Source);
        let sqlserver = list
            .iter()
            .find(|e| e.id == "sqlserver")
            .expect("sqlserver");
        let label = sqlserver.label(90);
        assert!(label.starts_with("Microsoft SQL Server [sqlserver]"));
        // Every alias is still found by a fuzzy (subsequence) search of the label.
        assert!(is_subsequence("mssql", &label), "{label}");
        assert!(label.contains("rds-sqlserver"), "{label}");
        for e in &list {
            assert!(e.label(90).chars().count() <= 90, "{}", e.label(90));
        }
        let pg = list.iter().find(|e| e.id == "postgres").expect("postgres");
        // `pg` and `psql` are subsequences of "PostgreSQL [postgres]": fuzzy search finds them.
        assert!(is_subsequence("pg", &pg.label(90)));
        assert!(is_subsequence("psql", &pg.label(90)));
    }

    #[test]
    fn same_precision_spans_expand_newest_first() {
        let list = versions(&catalog(), "postgres", Role::Source, Some(Hosting::OnPrem));
        let v = strings(&list);
        let at = |s: &str| v.iter().position(|x| x == s);
        assert!(
            at("14").is_some() && at("10").is_some() && at("12").is_some(),
            "{v:?}"
        );
        assert!(at("9.5").is_some(), "{v:?}");
        assert!(at("16") < at("15") && at("15") < at("10") && at("10") < at("9.6"));
        let mut sorted = list.clone();
        sorted.sort_by(|a, b| b.version.cmp(&a.version));
        assert_eq!(list, sorted);
    }

    #[test]
    fn year_and_mixed_spans_offer_their_ends() {
        let v = strings(&versions(&catalog(), "sqlserver", Role::Source, None));
        assert!(
            v.contains(&"2022".to_string()) && v.contains(&"2012".to_string()),
            "{v:?}"
        );
        assert!(!v.contains(&"2020".to_string()), "no made-up years: {v:?}");
        let v = strings(&versions(&catalog(), "oracle", Role::Source, None));
        assert!(
            v.contains(&"12.2".to_string()) && v.contains(&"11".to_string()),
            "{v:?}"
        );
        assert_eq!(v.first().map(String::as_str), Some("19"));
    }

    #[test]
    fn every_offered_version_is_one_check_accepts() {
        let c = catalog();
        for e in &c.engines {
            for role in [Role::Source, Role::Target] {
                let Some(spec) = e.role(role) else { continue };
                for h in &spec.hostings {
                    for v in versions(&c, &e.id, role, Some(*h)) {
                        let inside = spec.versions.iter().filter(|s| s.applies_to(*h)).any(|s| {
                            s.range().contains(&v.version) || s.range().overlaps_series(&v.version)
                        });
                        assert!(inside, "{} {role} {h} {}", e.id, v.version);
                    }
                }
            }
        }
    }

    #[test]
    fn engines_without_versions_offer_none() {
        assert!(versions(&catalog(), "s3", Role::Target, None).is_empty());
        assert!(versions(&catalog(), "nope", Role::Source, None).is_empty());
    }

    #[test]
    fn default_versions() {
        let c = catalog();
        let list = versions(&c, "mysql", Role::Source, None);
        assert_eq!(
            list[default_version(&list, "mysql", Role::Source, None)]
                .version
                .to_string(),
            "8.0"
        );
        let list = versions(&c, "aurora", Role::Target, None);
        let src: EngineVersion = "8.0".parse().expect("version");
        assert_eq!(
            list[default_version(&list, "aurora", Role::Target, Some(&src))]
                .version
                .to_string(),
            "8.0"
        );
        let list = versions(&c, "oracle", Role::Source, None);
        assert_eq!(default_version(&list, "oracle", Role::Source, None), 0);
    }

    #[test]
    fn editions_put_the_default_first_and_mark_unsupported() {
        let list = editions(&catalog(), "sqlserver", Role::Source, None);
        assert_eq!(list[0].id, "enterprise");
        assert!(list[0].default);
        let express = list.iter().find(|e| e.id == "express").expect("express");
        assert!(!express.supported);
        assert!(express.label().contains("not supported"));
        assert!(editions(&catalog(), "s3", Role::Target, None).is_empty());
    }

    #[test]
    fn default_hosting_agrees_with_assess() {
        let c = catalog();
        for e in &c.engines {
            let Some(_) = e.role(Role::Source) else {
                continue;
            };
            let pair = Pair {
                source: endpoint(&e.id, None, None),
                target: endpoint("s3", None, None),
                cdc: false,
            };
            let a = assess::assess(&c, &pair).expect("assess");
            assert_eq!(
                default_hosting(&c, &e.id, Role::Source),
                Some(a.source.hosting),
                "{}",
                e.id
            );
            assert_eq!(
                hostings(&c, &e.id, Role::Source).first().copied(),
                Some(a.source.hosting)
            );
        }
        for e in &c.engines {
            let Some(_) = e.role(Role::Target) else {
                continue;
            };
            let pair = Pair {
                source: endpoint("mysql", None, None),
                target: endpoint(&e.id, None, None),
                cdc: false,
            };
            let a = assess::assess(&c, &pair).expect("assess");
            assert_eq!(
                default_hosting(&c, &e.id, Role::Target),
                Some(a.target.hosting)
            );
        }
    }

    #[test]
    fn targets_are_annotated_not_hidden() {
        let c = catalog();
        let list = targets(&c, &endpoint("oracle", Some("19"), None)).expect("targets");
        assert_eq!(list.len(), engines(&c, Role::Target).len());
        let babelfish = list
            .iter()
            .find(|t| t.engine.id == "babelfish")
            .expect("babelfish");
        assert!(!babelfish.supported);
        assert!(!babelfish.blockers.is_empty());
        assert!(babelfish.label(90).contains("NOT supported"));
        let apg = list
            .iter()
            .find(|t| t.engine.id == "aurora-postgresql")
            .expect("apg");
        assert!(apg.supported);
        assert_eq!(apg.classification, Classification::Heterogeneous);
        assert!(apg.label(90).contains("✓ supported"));
        assert!(apg.label(90).ends_with("heterogeneous"));
        for t in &list {
            assert!(t.label(90).chars().count() <= 90, "{}", t.label(90));
        }
        // Supported first.
        let first_bad = list.iter().position(|t| !t.supported).unwrap_or(list.len());
        assert!(list[first_bad..].iter().all(|t| !t.supported));
        // The default for Oracle is Oracle on RDS.
        assert_eq!(list[default_target(&list, "oracle")].engine.id, "oracle");
    }

    #[test]
    fn the_default_pair_is_supported_and_homogeneous() {
        let c = catalog();
        let source = endpoint(DEFAULT_SOURCE, Some(DEFAULT_SOURCE_VERSION), None);
        let list = targets(&c, &source).expect("targets");
        let t = &list[default_target(&list, DEFAULT_SOURCE)];
        assert_eq!(t.engine.id, "aurora");
        assert!(t.supported);
        assert_eq!(t.classification, Classification::Homogeneous);
    }

    #[test]
    fn agrees_with_check_for_every_target() {
        // The annotation is `assess` itself: same pair, same answer.
        let c = catalog();
        let source = endpoint("sqlserver", Some("2019"), Some("express"));
        for t in targets(&c, &source).expect("targets") {
            let pair = Pair {
                source: source.clone(),
                target: endpoint(&t.engine.id, None, None),
                cdc: false,
            };
            assert_eq!(
                assess::assess(&c, &pair).expect("assess").supported,
                t.supported
            );
            assert!(!t.supported, "Express is no DMS source: {}", t.engine.id);
        }
    }

    #[test]
    fn verdict_text_lists_blockers_with_fixes() {
        let c = catalog();
        let pair = Pair {
            source: endpoint("oracle", Some("19"), None),
            target: endpoint("babelfish", None, None),
            cdc: false,
        };
        let a = assess::assess(&c, &pair).expect("assess");
        let text = verdict_text(&a, None);
        assert!(text.contains("NOT supported: 1 blocker"), "{text}");
        assert!(
            !text.contains("migration type"),
            "CDC is not decided yet: {text}"
        );
        assert!(text.contains("[pair.source-family]"), "{text}");
        assert!(text.contains("fix:"), "{text}");
        assert!(!blocker_on_source(&a));
        let pair = Pair {
            source: endpoint("sqlserver", Some("2019"), Some("express")),
            target: endpoint("sqlserver", None, None),
            cdc: false,
        };
        let a = assess::assess(&c, &pair).expect("assess");
        assert!(blocker_on_source(&a));
        let pair = Pair {
            source: endpoint("mysql", Some("8.0"), None),
            target: endpoint("aurora", Some("8.0"), None),
            cdc: false,
        };
        let text = verdict_text(&assess::assess(&c, &pair).expect("assess"), Some("it fits"));
        assert!(text.contains("homogeneous"), "{text}");
        assert!(text.contains("not planned: it fits"), "{text}");
        assert!(text.contains("migration type  full-load"), "{text}");
        assert!(text.contains("DMS support     supported"), "{text}");
    }
}
