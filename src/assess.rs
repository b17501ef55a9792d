//! The assessment: what DMS can do with a source and a target, and why.
//!
//! Pure: `(&Catalog, &Pair) -> Assessment`, no I/O. Every rule lives in one function of this
//! file and produces findings with a stable rule id; its tests name the DMS doc page.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::catalog::{
    Catalog, Edition, Engine, EngineVersion, Family, Hosting, Kind, Role, RoleSpec, Severity,
    VersionSpan, When, doc_url,
};
use crate::error::Error;

/// Where the rule "one end must be in AWS" is written.
const DOC_ONE_END_IN_AWS: &str = "CHAP_Endpoints.Creating.html";

/// An engine and optional version as typed on the command line: `oracle:19c`, `postgres`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineSpec {
    /// The engine id or alias, as typed.
    pub engine: String,
    /// The version, when one was given.
    pub version: Option<EngineVersion>,
}

impl FromStr for EngineSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (engine, version) = match s.split_once(':') {
            Some((e, v)) => (e.trim(), Some(v.trim())),
            None => (s.trim(), None),
        };
        if engine.is_empty() {
            return Err(format!(
                "`{s}` names no engine (expected ENGINE[:VERSION], e.g. `oracle:19c`)"
            ));
        }
        let version = match version {
            Some(v) => Some(v.parse::<EngineVersion>().map_err(|e| e.to_string())?),
            None => None,
        };
        Ok(EngineSpec {
            engine: engine.to_string(),
            version,
        })
    }
}

impl fmt::Display for EngineSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.version {
            Some(v) => write!(f, "{}:{v}", self.engine),
            None => f.write_str(&self.engine),
        }
    }
}

/// One end of a migration, with the engine resolved against the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The catalog engine id.
    pub engine: String,
    /// The version, when known.
    pub version: Option<EngineVersion>,
    /// The edition or deployment variant as typed, when given.
    pub edition: Option<String>,
    /// Where it runs; `None` takes the default for the role.
    pub hosting: Option<Hosting>,
}

/// What to assess: a source, a target and whether ongoing replication is wanted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// The database DMS reads from.
    pub source: Endpoint,
    /// The database or service DMS writes to.
    pub target: Endpoint,
    /// Whether the migration needs change data capture (ongoing replication).
    pub cdc: bool,
}

/// Look up an engine typed by a user; the error suggests the nearest names.
pub fn resolve_engine<'c>(
    catalog: &'c Catalog,
    flag: &str,
    name: &str,
) -> Result<&'c Engine, Error> {
    catalog.engine(name).ok_or_else(|| Error::UnknownEngine {
        flag: flag.to_string(),
        given: name.to_string(),
        nearest: catalog.nearest(name),
    })
}

/// Same engine family or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Classification {
    /// Same engine family: no schema conversion.
    Homogeneous,
    /// Different engines: schema conversion or mapping needed.
    Heterogeneous,
}

impl Classification {
    /// The id as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Classification::Homogeneous => "homogeneous",
            Classification::Heterogeneous => "heterogeneous",
        }
    }
}

/// Which kind of homogeneous or heterogeneous migration a pair is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PairKind {
    /// The same engine at both ends (Oracle to RDS for Oracle).
    SameEngine,
    /// Engines of one family (MySQL to Aurora MySQL).
    SameFamily,
    /// Compatible but not identical (MongoDB to Amazon DocumentDB).
    Compatible,
    /// Relational to another relational engine: schema conversion.
    RelationalToRelational,
    /// SQL Server to Babelfish for Aurora PostgreSQL.
    Babelfish,
    /// Relational to a data warehouse (Redshift).
    ToAnalytics,
    /// To or from a non-relational store: data movement with mapping, no schema conversion.
    DataMovement,
}

/// DMS's overall answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// No blockers, no warnings.
    Supported,
    /// No blockers, some warnings.
    SupportedWithWarnings,
    /// At least one blocker.
    Unsupported,
}

/// DMS's migration types, as `--migration-type` spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MigrationType {
    /// Migrate existing data.
    FullLoad,
    /// Migrate existing data and replicate ongoing changes.
    FullLoadAndCdc,
    /// Replicate data changes only.
    Cdc,
}

impl MigrationType {
    /// The value for `aws dms create-replication-task --migration-type`.
    pub fn as_str(self) -> &'static str {
        match self {
            MigrationType::FullLoad => "full-load",
            MigrationType::FullLoadAndCdc => "full-load-and-cdc",
            MigrationType::Cdc => "cdc",
        }
    }
}

/// One thing the assessment found, with its rule id, fix and source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable rule id (`cdc.sqlserver.edition`); never changes meaning.
    pub id: String,
    /// Blocker, warning or info.
    pub severity: Severity,
    /// What was found, one sentence.
    pub message: String,
    /// What to do about it, when there is something to do.
    pub fix: Option<String>,
    /// The DMS doc page it comes from (full URL).
    pub doc: String,
}

/// One end of the pair as assessed: names resolved, defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EndpointView {
    /// Catalog engine id (DMS `--engine-name`).
    pub engine: String,
    /// Display name.
    pub name: String,
    /// Engine family.
    pub family: Family,
    /// Version as given, normalized.
    pub version: Option<String>,
    /// Edition id, after resolving aliases or taking the default.
    pub edition: Option<String>,
    /// Edition display name.
    pub edition_name: Option<String>,
    /// Hosting, after taking the default.
    pub hosting: Hosting,
    /// The engine's DMS doc page for this role.
    pub doc: Option<String>,
}

/// A prerequisite that applies to this migration.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct RequiredStep {
    /// Catalog id (`oracle.archivelog`).
    pub id: String,
    /// Source or target side.
    pub role: Role,
    /// Needed always, or because of CDC.
    pub when: When,
    /// What to do.
    pub title: String,
    /// A query or command that shows the current state.
    pub check: Option<String>,
    /// The statement or setting that satisfies it.
    pub action: String,
    /// Language of `check` and `action`.
    pub lang: String,
    /// Language of `check`.
    pub check_lang: String,
    /// Full doc URL.
    pub doc: String,
}

/// A schema conversion tool that handles this pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ToolRef {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Full doc URL.
    pub doc: String,
}

/// Everything dmsplan concludes about a pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// The source as assessed.
    pub source: EndpointView,
    /// The target as assessed.
    pub target: EndpointView,
    /// Homogeneous or heterogeneous.
    pub classification: Classification,
    /// Which kind of pair.
    pub pair_kind: PairKind,
    /// What the classification means for this pair, one sentence.
    pub classification_detail: String,
    /// Whether DMS supports the pair as asked (no blocker).
    pub supported: bool,
    /// Supported, supported with warnings, or unsupported.
    pub verdict: Verdict,
    /// Whether ongoing replication was asked for.
    pub cdc_requested: bool,
    /// Whether DMS can run CDC from this source to this target in this configuration.
    pub cdc_supported: bool,
    /// How DMS captures changes from the source, when it can.
    pub cdc_method: Option<String>,
    /// Whether DMS data validation works for this pair.
    pub validation_supported: bool,
    /// Whether the schema must be converted before DMS moves data.
    pub schema_conversion: bool,
    /// The tools that convert this pair.
    pub schema_conversion_tools: Vec<ToolRef>,
    /// The DMS migration type this plan uses.
    pub migration_type: MigrationType,
    /// The oldest DMS engine version that handles both ends, when the doc names one.
    pub min_dms_version: Option<String>,
    /// Blockers first, then warnings, then info.
    pub findings: Vec<Finding>,
    /// Source and target prerequisites for this migration.
    pub prerequisites: Vec<RequiredStep>,
    /// The date of the catalog the answer comes from.
    pub catalog_as_of: String,
}

impl Assessment {
    /// Recompute `supported` and `verdict` from the findings.
    pub fn refresh_verdict(&mut self) {
        self.supported = !self
            .findings
            .iter()
            .any(|f| f.severity == Severity::Blocker);
        self.verdict = if !self.supported {
            Verdict::Unsupported
        } else if self
            .findings
            .iter()
            .any(|f| f.severity == Severity::Warning)
        {
            Verdict::SupportedWithWarnings
        } else {
            Verdict::Supported
        };
    }

    /// The findings of one severity.
    pub fn findings_of(&self, severity: Severity) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.severity == severity)
    }
}

/// Collects findings for one assessment.
struct Findings(Vec<Finding>);

impl Findings {
    fn add(
        &mut self,
        id: impl Into<String>,
        severity: Severity,
        message: String,
        fix: Option<String>,
        doc: &str,
    ) {
        self.0.push(Finding {
            id: id.into(),
            severity,
            message,
            fix,
            doc: doc_url(doc),
        });
    }
}

/// What was resolved about one end.
struct Side<'c> {
    role: Role,
    engine: &'c Engine,
    spec: Option<&'c RoleSpec>,
    hosting: Hosting,
    version: Option<&'c EngineVersion>,
    span: Option<&'c VersionSpan>,
    edition: Option<&'c Edition>,
    /// Reasons this side cannot do CDC: (aspect, message, doc).
    no_cdc: Vec<(&'static str, String, String)>,
}

/// Assessments kept by pair, for many plans of few pairs (a batch of thousands of rows has a
/// handful of engine pairs): [`assess`] depends on the catalog and the pair alone, so each
/// pair is assessed once. Use one per catalog. Keeps at most [`Assessments::CAPACITY`] pairs.
#[derive(Debug, Default)]
pub struct Assessments(Mutex<HashMap<PairKey, Arc<Assessment>>>);

/// A pair exactly as given (versions as written: see [`EngineVersion::as_written`]).
#[derive(Debug, PartialEq, Eq, Hash)]
struct PairKey([EndpointKey; 2], bool);

#[derive(Debug, PartialEq, Eq, Hash)]
struct EndpointKey {
    engine: String,
    version: Option<(Vec<u32>, bool)>,
    edition: Option<String>,
    hosting: Option<Hosting>,
}

impl PairKey {
    fn of(pair: &Pair) -> PairKey {
        let end = |e: &Endpoint| EndpointKey {
            engine: e.engine.clone(),
            version: e.version.as_ref().map(|v| {
                let (parts, r2) = v.as_written();
                (parts.to_vec(), r2)
            }),
            edition: e.edition.clone(),
            hosting: e.hosting,
        };
        PairKey([end(&pair.source), end(&pair.target)], pair.cdc)
    }
}

impl Assessments {
    /// Most pairs kept; past it, pairs are assessed each time (memory stays flat).
    pub const CAPACITY: usize = 4096;

    /// [`assess`], or a copy of the assessment of the same pair made before.
    pub fn assess(&self, catalog: &Catalog, pair: &Pair) -> Result<Assessment, Error> {
        let key = PairKey::of(pair);
        let kept = self.lock().get(&key).cloned();
        if let Some(kept) = kept {
            return Ok(Assessment::clone(&kept));
        }
        let assessment = assess(catalog, pair)?;
        let mut kept = self.lock();
        if kept.len() < Self::CAPACITY {
            kept.insert(key, Arc::new(assessment.clone()));
        }
        Ok(assessment)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PairKey, Arc<Assessment>>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Assess a pair against the catalog.
///
/// `pair.source.engine` and `pair.target.engine` must be catalog ids (see `resolve_engine`);
/// an id the catalog lacks is reported as an `UnknownEngine` error.
pub fn assess(catalog: &Catalog, pair: &Pair) -> Result<Assessment, Error> {
    let source_engine = resolve_engine(catalog, "--source", &pair.source.engine)?;
    let target_engine = resolve_engine(catalog, "--target", &pair.target.engine)?;
    let mut findings = Findings(Vec::new());

    let source = side(&mut findings, source_engine, Role::Source, &pair.source);
    let target = side(&mut findings, target_engine, Role::Target, &pair.target);

    rule_one_end_in_aws(&mut findings, &source, &target);
    rule_allowed_source_family(&mut findings, &source, &target);

    let (classification, pair_kind, detail) = classify(source_engine, target_engine);
    // A tool may have several catalog entries (one per pair matrix); list it once.
    let mut tools: Vec<ToolRef> = Vec::new();
    for t in catalog
        .schema_conversion
        .iter()
        .filter(|t| t.sources.contains(&source_engine.id) && t.targets.contains(&target_engine.id))
    {
        if !tools.iter().any(|have| have.name == t.name) {
            tools.push(ToolRef {
                id: t.id.clone(),
                name: t.name.clone(),
                doc: doc_url(&t.doc),
            });
        }
    }
    let schema_conversion = match pair_kind {
        PairKind::RelationalToRelational | PairKind::Babelfish => true,
        PairKind::ToAnalytics => !tools.is_empty(),
        _ => false,
    };
    rule_classification(&mut findings, &source, &target, pair_kind, &tools);

    let cdc_supported = source.no_cdc.is_empty()
        && target.no_cdc.is_empty()
        && source.spec.is_some()
        && target.spec.is_some();
    rule_cdc(&mut findings, pair.cdc, &source, &target);
    let validation_supported = rule_validation(&mut findings, &source, &target);
    rule_limitations(&mut findings, pair.cdc, &source);
    rule_limitations(&mut findings, pair.cdc, &target);

    let min_dms_version = [source.span, target.span]
        .into_iter()
        .flatten()
        .filter_map(|s| s.min_dms.as_deref())
        .max_by(|a, b| compare_dms(a, b))
        .map(str::to_string);

    let mut prerequisites = Vec::new();
    for s in [&source, &target] {
        for p in catalog.prerequisites_for(&s.engine.id, s.role) {
            if p.applies(pair.cdc, s.hosting) {
                prerequisites.push(RequiredStep {
                    id: p.id.clone(),
                    role: p.role,
                    when: p.when,
                    title: p.title.clone(),
                    check: p.check.clone(),
                    action: p.action.clone(),
                    lang: p.lang.clone(),
                    check_lang: p.check_lang.clone().unwrap_or_else(|| p.lang.clone()),
                    doc: doc_url(&p.doc),
                });
            }
        }
    }

    let mut findings = findings.0;
    findings.sort_by_key(|f| f.severity);

    let mut assessment = Assessment {
        source: view(&source),
        target: view(&target),
        classification,
        pair_kind,
        classification_detail: detail,
        supported: true,
        verdict: Verdict::Supported,
        cdc_requested: pair.cdc,
        cdc_supported,
        cdc_method: source
            .spec
            .filter(|_| cdc_supported)
            .map(|s| s.cdc.method.clone()),
        validation_supported,
        schema_conversion,
        schema_conversion_tools: tools,
        migration_type: if pair.cdc {
            MigrationType::FullLoadAndCdc
        } else {
            MigrationType::FullLoad
        },
        min_dms_version,
        findings,
        prerequisites,
        catalog_as_of: catalog.as_of.clone(),
    };
    assessment.refresh_verdict();
    Ok(assessment)
}

/// Compare DMS engine versions like `3.5.4` numerically.
fn compare_dms(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<EngineVersion>(), b.parse::<EngineVersion>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

fn view(s: &Side<'_>) -> EndpointView {
    EndpointView {
        engine: s.engine.id.clone(),
        name: s.engine.name.clone(),
        family: s.engine.family,
        version: s.version.map(ToString::to_string),
        edition: s.edition.map(|e| e.id.clone()),
        edition_name: s.edition.map(|e| e.name.clone()),
        hosting: s.hosting,
        doc: s.spec.map(|r| doc_url(&r.doc)),
    }
}

fn role_prefix(role: Role) -> &'static str {
    match role {
        Role::Source => "source",
        Role::Target => "target",
    }
}

/// Where an end runs: the hosting given, else on premises for a source that can be there,
/// else the role's first hosting (for a target, the AWS-managed form of the engine).
pub fn hosting_for(engine: &Engine, role: Role, given: Option<Hosting>) -> Hosting {
    let spec = engine.role(role);
    given.unwrap_or(match role {
        Role::Source if spec.is_some_and(|s| s.hostings.contains(&Hosting::OnPrem)) => {
            Hosting::OnPrem
        }
        _ => spec.map_or(Hosting::OnPrem, |s| s.hostings[0]),
    })
}

/// Resolve one end: role, hosting, version and edition rules.
fn side<'c>(f: &mut Findings, engine: &'c Engine, role: Role, given: &'c Endpoint) -> Side<'c> {
    let p = role_prefix(role);
    let spec = engine.role(role);
    let hosting = hosting_for(engine, role, given.hosting);
    let mut s = Side {
        role,
        engine,
        spec,
        hosting,
        version: given.version.as_ref(),
        span: None,
        edition: None,
        no_cdc: Vec::new(),
    };
    let Some(spec) = spec else {
        let (other, doc) = match role {
            Role::Source => ("target", "CHAP_Introduction.Sources.html"),
            Role::Target => ("source", "CHAP_Introduction.Targets.html"),
        };
        let can = if engine.role(Role::Source).is_some() || engine.role(Role::Target).is_some() {
            format!("; it is a DMS {other}")
        } else {
            String::new()
        };
        f.add(
            format!("{p}.role"),
            Severity::Blocker,
            format!("DMS cannot use {} as a {role}{can}", engine.name),
            Some(format!(
                "`dmsplan engines --role {role}` lists the engines DMS uses as a {role}"
            )),
            doc,
        );
        return s;
    };
    rule_hosting(f, &s, spec, p);
    s.span = rule_version(f, &s, spec, p);
    s.edition = rule_edition(f, &s, spec, given.edition.as_deref(), p);
    collect_no_cdc(&mut s, spec);
    s
}

fn hostings_list(h: &[Hosting]) -> String {
    h.iter()
        .map(|h| format!("`{h}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An engine runs only where the catalog says DMS can reach it in that role.
fn rule_hosting(f: &mut Findings, s: &Side<'_>, spec: &RoleSpec, p: &str) {
    if !spec.hostings.contains(&s.hosting) {
        f.add(
            format!("{p}.hosting"),
            Severity::Blocker,
            format!(
                "DMS does not support {} hosted on `{}` as a {}",
                s.engine.name, s.hosting, s.role
            ),
            Some(format!(
                "pass --{p}-hosting with one of {}",
                hostings_list(&spec.hostings)
            )),
            &spec.doc,
        );
    }
}

/// Versions outside the catalog are blockers; a missing version is a warning.
fn rule_version<'c>(
    f: &mut Findings,
    s: &Side<'c>,
    spec: &'c RoleSpec,
    p: &str,
) -> Option<&'c VersionSpan> {
    let here: Vec<&VersionSpan> = spec
        .versions
        .iter()
        .filter(|v| v.applies_to(s.hosting))
        .collect();
    let listed = |spans: &[&VersionSpan]| {
        spans
            .iter()
            .map(|v| v.range().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(version) = s.version else {
        if !here.is_empty() {
            f.add(
                format!("{p}.version.missing"),
                Severity::Warning,
                format!(
                    "no {} version given; DMS supports {} {} on `{}`",
                    s.role,
                    s.engine.name,
                    listed(&here),
                    s.hosting
                ),
                Some(format!(
                    "pass --{p} {}:VERSION so dmsplan can check it",
                    s.engine.id
                )),
                &here[0].doc,
            );
        }
        return None;
    };
    if spec.versions.is_empty() {
        f.add(
            format!("{p}.version.ignored"),
            Severity::Info,
            format!(
                "{} has no versions that DMS distinguishes; version {version} is ignored",
                s.engine.name
            ),
            None,
            &spec.doc,
        );
        return None;
    }
    if let Some(span) = here.iter().find(|v| v.range().contains(version)) {
        if let Some(min_dms) = &span.min_dms {
            let note = span
                .note
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            f.add(
                format!("{p}.version.min-dms"),
                Severity::Warning,
                format!(
                    "{} {version} needs DMS engine version {min_dms} or later{note}",
                    s.engine.name
                ),
                Some(format!(
                    "create the replication instance with --engine-version {min_dms} or later"
                )),
                &span.doc,
            );
        }
        return Some(span);
    }
    if let Some(span) = here.iter().find(|v| v.range().overlaps_series(version)) {
        f.add(
            format!("{p}.version.imprecise"),
            Severity::Warning,
            format!(
                "{} {version} covers releases DMS does not support; DMS supports {} from {}",
                s.engine.name,
                span.range(),
                span.min
            ),
            Some(format!(
                "pass the exact version, e.g. --{p} {}:{}",
                s.engine.id, span.min
            )),
            &span.doc,
        );
        return Some(span);
    }
    let doc = here.first().map_or(spec.doc.as_str(), |v| v.doc.as_str());
    let oldest = here.iter().map(|v| &v.min).min();
    let newest = here.iter().map(|v| &v.max).max();
    let why = match (oldest, newest) {
        (Some(old), _) if version < old => {
            format!("is older than the oldest version DMS supports there, {old}")
        }
        (_, Some(new)) if version.truncated(new.precision()) > *new => {
            format!("is newer than the newest version DMS supports there, {new}")
        }
        (None, _) => "is not supported".to_string(),
        _ => format!(
            "is not among the versions DMS supports there ({})",
            listed(&here)
        ),
    };
    let elsewhere: Vec<String> = spec
        .versions
        .iter()
        .filter(|v| !v.applies_to(s.hosting) && v.range().contains(version))
        .flat_map(|v| v.hostings.clone().unwrap_or_default())
        .map(|h| format!("`{h}`"))
        .collect();
    let also = if elsewhere.is_empty() {
        String::new()
    } else {
        format!(" (it is supported on {})", elsewhere.join(", "))
    };
    f.add(
        format!("{p}.version.unsupported"),
        Severity::Blocker,
        format!("{} {version} on `{}` {why}{also}", s.engine.name, s.hosting),
        Some(format!(
            "upgrade the {} first, or check a newer catalog with --catalog; supported: {}",
            s.role,
            listed(&here)
        )),
        doc,
    );
    None
}

/// Editions outside the catalog, or unsupported ones, are blockers.
fn rule_edition<'c>(
    f: &mut Findings,
    s: &Side<'c>,
    spec: &'c RoleSpec,
    given: Option<&str>,
    p: &str,
) -> Option<&'c Edition> {
    let names = || {
        spec.editions
            .iter()
            .filter(|e| e.hostings.as_ref().is_none_or(|h| h.contains(&s.hosting)))
            .map(|e| format!("`{}`", e.id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(given) = given else {
        let edition = spec
            .default_edition
            .as_ref()
            .and_then(|d| spec.editions.iter().find(|e| &e.id == d))?;
        // The default is only worth a warning when another edition would change the answer.
        let matters = spec.editions.iter().any(|e| {
            e.hostings.as_ref().is_none_or(|h| h.contains(&s.hosting))
                && (e.supported != edition.supported
                    || edition_has_cdc(e, s.version) != edition_has_cdc(edition, s.version))
        });
        let severity = if matters {
            Severity::Warning
        } else {
            Severity::Info
        };
        f.add(
            format!("{p}.edition.assumed"),
            severity,
            format!(
                "no {} edition given; assumed {} {}",
                s.role, s.engine.name, edition.name
            ),
            Some(format!(
                "pass --{p}-edition (one of {}) if it is another",
                names()
            )),
            &edition.doc,
        );
        return Some(edition);
    };
    if spec.editions.is_empty() {
        f.add(
            format!("{p}.edition.ignored"),
            Severity::Info,
            format!(
                "{} has no editions that change DMS's answer; `{given}` is ignored",
                s.engine.name
            ),
            None,
            &spec.doc,
        );
        return None;
    }
    let Some(edition) = spec.editions.iter().find(|e| e.is_named(given)) else {
        f.add(
            format!("{p}.edition.unknown"),
            Severity::Blocker,
            format!(
                "`{given}` is not an edition of {} that the catalog knows",
                s.engine.name
            ),
            Some(format!("pass --{p}-edition with one of {}", names())),
            &spec.doc,
        );
        return None;
    };
    if let Some(h) = &edition.hostings {
        if !h.contains(&s.hosting) {
            f.add(
                format!("{p}.edition.hosting"),
                Severity::Blocker,
                format!(
                    "{} {} does not exist on `{}` for DMS (only on {})",
                    s.engine.name,
                    edition.name,
                    s.hosting,
                    hostings_list(h)
                ),
                Some(format!("pass --{p}-edition with one of {}", names())),
                &edition.doc,
            );
            return Some(edition);
        }
    }
    if !edition.supported {
        let why = edition
            .note
            .as_deref()
            .map(|n| format!(": {n}"))
            .unwrap_or_default();
        f.add(
            format!("{p}.edition.unsupported"),
            Severity::Blocker,
            format!(
                "DMS does not support {} {} as a {}{why}",
                s.engine.name, edition.name, s.role
            ),
            Some(format!(
                "move to a supported edition ({}) first",
                supported_names(spec)
            )),
            &edition.doc,
        );
    }
    Some(edition)
}

fn supported_names(spec: &RoleSpec) -> String {
    spec.editions
        .iter()
        .filter(|e| e.supported)
        .map(|e| e.name.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

fn edition_has_cdc(e: &Edition, version: Option<&EngineVersion>) -> bool {
    e.supported
        && e.cdc
        && match (&e.cdc_versions, version) {
            (Some(ranges), Some(v)) => ranges.iter().any(|r| r.contains(v)),
            _ => true,
        }
}

/// Why this side cannot run CDC, if it cannot.
fn collect_no_cdc(s: &mut Side<'_>, spec: &RoleSpec) {
    let name = &s.engine.name;
    if !spec.cdc.supported {
        let msg = match s.role {
            Role::Source => {
                format!("DMS cannot capture ongoing changes from {name}: full load only")
            }
            Role::Target => format!("DMS cannot apply ongoing changes to {name}: full load only"),
        };
        let aspect = match s.role {
            Role::Source => "engine",
            Role::Target => "target",
        };
        s.no_cdc.push((aspect, msg, spec.cdc.doc.clone()));
        return;
    }
    if let (Some(span), Some(v)) = (s.span, s.version) {
        if !span.cdc {
            s.no_cdc.push((
                "version",
                format!(
                    "DMS supports only full load for {name} {v} on `{}`",
                    s.hosting
                ),
                span.doc.clone(),
            ));
        }
    }
    if let Some(e) = s.edition {
        if e.supported && !e.cdc {
            let why = e
                .note
                .as_deref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default();
            s.no_cdc.push((
                "edition",
                format!("DMS supports only full load for {name} {}{why}", e.name),
                e.doc.clone(),
            ));
        } else if e.supported && !edition_has_cdc(e, s.version) {
            let ranges = e
                .cdc_versions
                .iter()
                .flatten()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            let v = s.version.map(ToString::to_string).unwrap_or_default();
            s.no_cdc.push((
                "edition",
                format!(
                    "DMS captures changes from {name} {} only in versions {ranges}, not {v}",
                    e.name
                ),
                e.doc.clone(),
            ));
        }
    }
}

/// CDC wanted where it is not available blocks CDC (full load stays possible).
fn rule_cdc(f: &mut Findings, wanted: bool, source: &Side<'_>, target: &Side<'_>) {
    for s in [source, target] {
        for (aspect, msg, doc) in &s.no_cdc {
            let (severity, fix) = if wanted {
                (
                    Severity::Blocker,
                    Some("migrate with full load only (drop --cdc) within a downtime window, or change the edition, version or engine".to_string()),
                )
            } else {
                (Severity::Info, None)
            };
            f.add(
                format!("cdc.{}.{aspect}", s.engine.id),
                severity,
                msg.clone(),
                fix,
                doc,
            );
        }
    }
    if wanted && source.no_cdc.is_empty() && target.no_cdc.is_empty() {
        if let (Some(e), None) = (source.edition, source.version) {
            if e.cdc_versions.is_some() {
                f.add(
                    format!("cdc.{}.edition", source.engine.id),
                    Severity::Warning,
                    format!(
                        "{} {} has CDC only in some versions; give the version to check",
                        source.engine.name, e.name
                    ),
                    Some(format!("pass --source {}:VERSION", source.engine.id)),
                    &e.doc,
                );
            }
        }
    }
}

/// DMS needs at least one end in AWS.
fn rule_one_end_in_aws(f: &mut Findings, source: &Side<'_>, target: &Side<'_>) {
    if !source.hosting.is_aws() && !target.hosting.is_aws() {
        f.add(
            "pair.aws-endpoint",
            Severity::Blocker,
            format!(
                "neither end is in AWS (source on `{}`, target on `{}`); DMS needs at least one endpoint on an AWS service or EC2",
                source.hosting, target.hosting
            ),
            Some("put the target on AWS (e.g. --target-hosting rds or ec2)".to_string()),
            DOC_ONE_END_IN_AWS,
        );
    }
}

/// Some targets accept only some source families (Babelfish: SQL Server; Db2: Db2).
fn rule_allowed_source_family(f: &mut Findings, source: &Side<'_>, target: &Side<'_>) {
    let Some(allowed) = target.spec.and_then(|t| t.allowed_source_families.as_ref()) else {
        return;
    };
    if !allowed.contains(&source.engine.family) {
        let list = allowed
            .iter()
            .map(|fam| format!("`{}`", fam.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        f.add(
            "pair.source-family",
            Severity::Blocker,
            format!(
                "DMS writes to {} only from sources of the {list} family, not from {}",
                target.engine.name, source.engine.name
            ),
            Some("choose another target, or migrate through an intermediate engine".to_string()),
            target
                .spec
                .map_or("CHAP_Introduction.Targets.html", |t| t.doc.as_str()),
        );
    }
}

/// Homogeneous or heterogeneous, and which kind.
pub fn classify(source: &Engine, target: &Engine) -> (Classification, PairKind, String) {
    use Classification::*;
    if source.id == target.id {
        return (
            Homogeneous,
            PairKind::SameEngine,
            format!(
                "same engine ({}) at both ends: no schema conversion",
                source.name
            ),
        );
    }
    if source.family == target.family {
        if source.kind != target.kind || source.family == Family::Mongodb {
            return (
                Homogeneous,
                PairKind::Compatible,
                format!(
                    "{} is compatible with {} but not identical: check the features and operators your application uses",
                    target.name, source.name
                ),
            );
        }
        return (
            Homogeneous,
            PairKind::SameFamily,
            format!(
                "{} and {} are one engine family: no schema conversion",
                source.name, target.name
            ),
        );
    }
    if target.family == Family::Babelfish {
        return (
            Heterogeneous,
            PairKind::Babelfish,
            format!(
                "{} speaks T-SQL over the TDS protocol: create the schema from the SQL Server DDL, assessed with Babelfish Compass",
                target.name
            ),
        );
    }
    match (source.kind, target.kind) {
        (Kind::Relational, Kind::Relational) => (
            Heterogeneous,
            PairKind::RelationalToRelational,
            format!(
                "{} to {}: convert the schema and code objects before DMS moves the data",
                source.name, target.name
            ),
        ),
        (_, Kind::Analytics) => (
            Heterogeneous,
            PairKind::ToAnalytics,
            format!(
                "{} to the data warehouse {}: convert the schema for analytics before DMS moves the data",
                source.name, target.name
            ),
        ),
        _ => (
            Heterogeneous,
            PairKind::DataMovement,
            format!(
                "{} to {} ({}): DMS moves the data with mapping rules; no schema conversion tool applies",
                source.name,
                target.name,
                target.kind.as_str()
            ),
        ),
    }
}

/// Say what the classification means, with the tool that converts the schema.
fn rule_classification(
    f: &mut Findings,
    source: &Side<'_>,
    target: &Side<'_>,
    kind: PairKind,
    tools: &[ToolRef],
) {
    match kind {
        PairKind::RelationalToRelational | PairKind::ToAnalytics => {
            if tools.is_empty() {
                f.add(
                    "schema-conversion.no-tool",
                    Severity::Warning,
                    format!(
                        "no AWS schema conversion tool converts {} to {}; the schema must be created by hand",
                        source.engine.name, target.engine.name
                    ),
                    Some("write the target DDL yourself and use target table preparation mode DO_NOTHING".to_string()),
                    "CHAP_Introduction.Sources.html#CHAP_Introduction.Sources.SchemaConversion",
                );
            } else {
                let names = tools.iter().map(|t| t.name.clone()).collect::<Vec<_>>().join(" or ");
                f.add(
                    "schema-conversion.tool",
                    Severity::Info,
                    format!("convert the schema with {names} before DMS moves the data"),
                    Some("create the target schema first, then run the DMS task with target table preparation mode DO_NOTHING".to_string()),
                    tools[0].doc.as_str(),
                );
            }
        }
        PairKind::Babelfish => f.add(
            "schema-conversion.babelfish",
            Severity::Info,
            format!(
                "assess the SQL Server schema with Babelfish Compass and create the tables in {} through its T-SQL endpoint before DMS loads data",
                target.engine.name
            ),
            Some("pre-create the tables; DMS uses target table preparation mode DO_NOTHING with Babelfish".to_string()),
            "CHAP_Target.Babelfish.html",
        ),
        _ => {}
    }
}

/// DMS data validation needs support at both ends; without it, say how to compare instead.
fn rule_validation(f: &mut Findings, source: &Side<'_>, target: &Side<'_>) -> bool {
    let supports = |s: &Side<'_>| {
        s.spec
            .and_then(|r| r.validation.as_ref())
            .is_some_and(|v| v.supported)
    };
    let ok = supports(source) && supports(target);
    if !ok && source.spec.is_some() && target.spec.is_some() {
        let which = if supports(source) { target } else { source };
        f.add(
            "validation.unsupported",
            Severity::Info,
            format!(
                "DMS data validation does not support {} as a {}; compare row counts and checksums yourself",
                which.engine.name, which.role
            ),
            Some("plan your own comparison queries (row counts, aggregates per table) for the cutover checks".to_string()),
            "CHAP_Validating.html",
        );
    }
    ok
}

/// Each role's notable limitations, as findings.
fn rule_limitations(f: &mut Findings, cdc: bool, s: &Side<'_>) {
    let Some(spec) = s.spec else { return };
    for l in &spec.limitations {
        let hosted = l.hostings.as_ref().is_none_or(|h| h.contains(&s.hosting));
        if hosted && (l.when == When::Always || cdc) {
            f.add(
                format!("{}.{}.{}", s.engine.id, role_prefix(s.role), l.id),
                l.severity,
                l.text.clone(),
                l.fix.clone(),
                &l.doc,
            );
        }
    }
}

#[cfg(test)]
mod tests;
