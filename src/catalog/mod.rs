//! The engine catalog: what DMS can read from and write to, as data with sources.
//!
//! `engines.json` is compiled in and validated when loaded, exactly like a user's
//! `--catalog FILE`; `FORMAT.md` beside it documents every field. Pure: no files are read
//! here (the caller hands in the text), no terminal, no clock.

pub mod version;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use version::{EngineVersion, Range};

/// The catalog compiled into the binary.
pub const EMBEDDED: &str = include_str!("engines.json");

/// Where every relative `doc` link of the catalog points.
pub const DOC_BASE: &str = "https://docs.aws.amazon.com/dms/latest/userguide/";

/// Which end of a migration an engine is at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The database DMS reads from.
    Source,
    /// The database or service DMS writes to.
    Target,
}

impl Role {
    /// `source` or `target`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Source => "source",
            Role::Target => "target",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a database runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hosting {
    /// In the user's own data centre.
    OnPrem,
    /// Self-managed on Amazon EC2.
    Ec2,
    /// Amazon RDS.
    Rds,
    /// Amazon Aurora.
    Aurora,
    /// An AWS managed service that is not RDS or Aurora (S3, Redshift, DynamoDB, MSK, ...).
    Aws,
    /// Microsoft Azure.
    Azure,
    /// Google Cloud.
    Gcp,
}

impl Hosting {
    /// Every hosting, in the order help texts list them.
    pub const ALL: [Hosting; 7] = [
        Hosting::OnPrem,
        Hosting::Ec2,
        Hosting::Rds,
        Hosting::Aurora,
        Hosting::Aws,
        Hosting::Azure,
        Hosting::Gcp,
    ];

    /// Whether a database hosted here is "in AWS" for DMS's rule that one end must be.
    pub fn is_aws(self) -> bool {
        matches!(
            self,
            Hosting::Ec2 | Hosting::Rds | Hosting::Aurora | Hosting::Aws
        )
    }

    /// Whether AWS runs the database for the user (not EC2, not elsewhere).
    pub fn is_aws_managed(self) -> bool {
        matches!(self, Hosting::Rds | Hosting::Aurora | Hosting::Aws)
    }

    /// The id as written in flags and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Hosting::OnPrem => "on-prem",
            Hosting::Ec2 => "ec2",
            Hosting::Rds => "rds",
            Hosting::Aurora => "aurora",
            Hosting::Aws => "aws",
            Hosting::Azure => "azure",
            Hosting::Gcp => "gcp",
        }
    }
}

impl fmt::Display for Hosting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Hosting {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        let hosting = match norm.as_str() {
            "on-prem" | "onprem" | "on-premises" | "on-premise" | "datacenter" | "data-centre"
            | "self-managed" => Hosting::OnPrem,
            "ec2" | "amazon-ec2" => Hosting::Ec2,
            "rds" | "amazon-rds" => Hosting::Rds,
            "aurora" | "amazon-aurora" => Hosting::Aurora,
            "aws" | "aws-managed" => Hosting::Aws,
            "azure" | "microsoft-azure" => Hosting::Azure,
            "gcp" | "google-cloud" | "google" | "cloud-sql" => Hosting::Gcp,
            _ => return Err(format!("unknown hosting `{s}`")),
        };
        Ok(hosting)
    }
}

/// Engine families: engines of one family migrate homogeneously.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum Family {
    Oracle,
    Sqlserver,
    Mysql,
    Postgresql,
    Mongodb,
    Db2,
    SapAse,
    Babelfish,
    Redshift,
    S3,
    Dynamodb,
    Kinesis,
    Kafka,
    Opensearch,
    Neptune,
    Redis,
    Timestream,
}

impl Family {
    /// The id as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Oracle => "oracle",
            Family::Sqlserver => "sqlserver",
            Family::Mysql => "mysql",
            Family::Postgresql => "postgresql",
            Family::Mongodb => "mongodb",
            Family::Db2 => "db2",
            Family::SapAse => "sap-ase",
            Family::Babelfish => "babelfish",
            Family::Redshift => "redshift",
            Family::S3 => "s3",
            Family::Dynamodb => "dynamodb",
            Family::Kinesis => "kinesis",
            Family::Kafka => "kafka",
            Family::Opensearch => "opensearch",
            Family::Neptune => "neptune",
            Family::Redis => "redis",
            Family::Timestream => "timestream",
        }
    }
}

/// What kind of store an engine is; decides which classification a pair gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum Kind {
    Relational,
    Document,
    Analytics,
    ObjectStore,
    Streaming,
    KeyValue,
    Search,
    Graph,
    TimeSeries,
}

impl Kind {
    /// The id as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Relational => "relational",
            Kind::Document => "document",
            Kind::Analytics => "analytics",
            Kind::ObjectStore => "object-store",
            Kind::Streaming => "streaming",
            Kind::KeyValue => "key-value",
            Kind::Search => "search",
            Kind::Graph => "graph",
            Kind::TimeSeries => "time-series",
        }
    }
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// DMS cannot do what was asked.
    Blocker,
    /// DMS can, with a caveat the engineer must act on.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// The id as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Blocker => "blocker",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// When a limitation or prerequisite applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum When {
    /// Whatever the migration type.
    #[default]
    Always,
    /// Only when ongoing replication (CDC) is part of the migration.
    Cdc,
}

/// The whole catalog file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// The date the facts were last checked against the DMS user guide (YYYY-MM-DD).
    pub as_of: String,
    /// Every engine DMS reads from or writes to.
    pub engines: Vec<Engine>,
    /// Concrete settings, statements and privileges each engine needs.
    pub prerequisites: Vec<Prerequisite>,
    /// Tools that convert schemas between engines.
    pub schema_conversion: Vec<ConversionTool>,
}

/// One engine, with what DMS can do with it as a source and as a target.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Engine {
    /// The id DMS uses for `--engine-name`.
    pub id: String,
    /// The name people know it by.
    pub name: String,
    /// Engines of one family migrate homogeneously.
    pub family: Family,
    /// What kind of store it is.
    pub kind: Kind,
    /// Other names people type for it, lower case.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// What DMS can do reading from it; `None` when it is no DMS source.
    pub source: Option<RoleSpec>,
    /// What DMS can do writing to it; `None` when it is no DMS target.
    pub target: Option<RoleSpec>,
}

impl Engine {
    /// The engine's facts for one role, if it plays that role.
    pub fn role(&self, role: Role) -> Option<&RoleSpec> {
        match role {
            Role::Source => self.source.as_ref(),
            Role::Target => self.target.as_ref(),
        }
    }
}

/// What DMS supports for an engine in one role.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleSpec {
    /// The DMS user guide page for this engine in this role.
    pub doc: String,
    /// Where the engine may run in this role; for targets the first is the default.
    pub hostings: Vec<Hosting>,
    /// Supported versions; empty when versions do not apply (S3, DynamoDB, ...).
    #[serde(default)]
    pub versions: Vec<VersionSpan>,
    /// Editions and deployment variants that change DMS's answer.
    #[serde(default)]
    pub editions: Vec<Edition>,
    /// The edition assumed when none is given (an id from `editions`).
    #[serde(default)]
    pub default_edition: Option<String>,
    /// Change data capture in this role: reading changes (source) or applying them (target).
    pub cdc: CdcSpec,
    /// Whether DMS data validation works with this engine in this role (`None`: it does not).
    #[serde(default)]
    pub validation: Option<ValidationSpec>,
    /// Whether DMS Serverless replications support this engine in this role (`None`: no).
    #[serde(default)]
    pub serverless: Option<ValidationSpec>,
    /// For targets: the only source families DMS accepts (`None`: any).
    #[serde(default)]
    pub allowed_source_families: Option<Vec<Family>>,
    /// The endpoint's `--ssl-mode` values DMS accepts, most secure first.
    #[serde(default)]
    pub ssl_modes: Vec<String>,
    /// Notable limitations, shown as findings.
    #[serde(default)]
    pub limitations: Vec<Limitation>,
    /// How dmsplan creates the DMS endpoint for this engine in this role.
    pub endpoint: EndpointSpec,
    /// Schemas of the engine itself that a migration never selects (sources only).
    #[serde(default)]
    pub system_schemas: Vec<String>,
    /// How to keep the change logs long enough for CDC (sources only): statements with
    /// `{hours}`, `{days}`, `{minutes}`, `{seconds}`, `{gb}` and `{mb}` filled in by dmsplan.
    #[serde(default)]
    pub log_retention: Vec<LogRetention>,
}

/// A statement that keeps a source's change log for the CDC window.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogRetention {
    /// Hostings it applies to (`None`: all of the role's).
    #[serde(default)]
    pub hostings: Option<Vec<Hosting>>,
    /// What to do, with placeholders.
    pub title: String,
    /// The statement or command, with placeholders.
    pub action: String,
    /// Its language (`sql`, `shell`, `text`).
    pub lang: String,
    /// The page this fact comes from.
    pub doc: String,
}

impl LogRetention {
    /// Fill in the placeholders for a retention of `hours` and a change rate in GB/h.
    pub fn fill(text: &str, hours: u32, change_rate_gb_per_hour: f64) -> String {
        let gb = (f64::from(hours) * change_rate_gb_per_hour).ceil().max(1.0) as u64;
        let hours = u64::from(hours);
        let values = [
            ("{hours}", hours),
            ("{days}", hours.div_ceil(24)),
            ("{minutes}", hours * 60),
            ("{seconds}", hours * 3600),
            ("{gb}", gb),
            ("{mb}", gb * 1024),
        ];
        // One pass (each CDC plan fills every statement of its source).
        let mut digits = itoa::Buffer::new();
        let mut out = String::with_capacity(text.len() + 16);
        let mut rest = text;
        while let Some(at) = rest.find('{') {
            out.push_str(&rest[..at]);
            let tail = &rest[at..];
            match values.iter().find(|(name, _)| tail.starts_with(name)) {
                Some((name, value)) => {
                    out.push_str(digits.format(*value));
                    rest = &tail[name.len()..];
                }
                None => {
                    out.push('{');
                    rest = &tail[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// How an endpoint gets its credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Credentials {
    /// A Secrets Manager secret (username, password, host, port) read through an IAM role.
    SecretsManager,
    /// An IAM role DMS assumes to reach an AWS service; no password.
    ServiceRole,
    /// A user name and password, passed from a secret at run time (the engine has no
    /// Secrets Manager support in DMS).
    Password,
    /// Nothing: the settings hold all DMS needs.
    None,
}

/// The endpoint settings dmsplan uses for an engine in one role.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointSpec {
    /// The option of `aws dms create-endpoint` that carries the settings (`--oracle-settings`).
    pub settings_option: String,
    /// The property of `AWS::DMS::Endpoint` that carries them (`OracleSettings`).
    pub cfn_property: String,
    /// How the endpoint authenticates.
    pub credentials: Credentials,
    /// Whether the endpoint needs `--database-name`.
    #[serde(default)]
    pub database_name: bool,
    /// Settings dmsplan sets, each with its reason.
    #[serde(default)]
    pub settings: Vec<EndpointSetting>,
    /// The page these facts come from.
    pub doc: String,
}

/// One endpoint setting: a fixed value, or an input the user supplies.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointSetting {
    /// The setting's name in the DMS API (`PluginName`).
    pub name: String,
    /// A fixed value.
    #[serde(default)]
    pub value: Option<serde_json::Value>,
    /// The shell variable (upper snake case) that holds a value the user supplies.
    #[serde(default)]
    pub input: Option<String>,
    /// Set always or only with CDC.
    #[serde(default)]
    pub when: When,
    /// Why dmsplan sets it.
    pub why: String,
    /// The page this fact comes from.
    pub doc: String,
}

/// A range of supported versions, possibly only for some hostings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionSpan {
    /// The oldest version.
    pub min: EngineVersion,
    /// The newest version, at the precision the doc gives.
    pub max: EngineVersion,
    /// Hostings this span is for (`None`: every hosting of the role).
    #[serde(default)]
    pub hostings: Option<Vec<Hosting>>,
    /// `false` when DMS supports only full load for these versions.
    #[serde(default = "yes")]
    pub cdc: bool,
    /// The oldest DMS engine version that handles these versions.
    #[serde(default)]
    pub min_dms: Option<String>,
    /// What else the doc says of these versions (a disagreement between pages, say).
    #[serde(default)]
    pub note: Option<String>,
    /// The page this fact comes from.
    pub doc: String,
}

fn yes() -> bool {
    true
}

impl VersionSpan {
    /// The versions as a plain range.
    pub fn range(&self) -> Range {
        Range {
            min: self.min.clone(),
            max: self.max.clone(),
        }
    }

    /// Whether this span applies to `hosting`.
    pub fn applies_to(&self, hosting: Hosting) -> bool {
        self.hostings.as_ref().is_none_or(|h| h.contains(&hosting))
    }
}

/// An edition or deployment variant (`Express`, `read replica`, `Serverless v1`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edition {
    /// Stable id, kebab-case.
    pub id: String,
    /// The name as the vendor writes it.
    pub name: String,
    /// Other spellings people type, lower case.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Whether DMS supports this edition at all in this role.
    pub supported: bool,
    /// Whether DMS can run CDC with it (ignored when not `supported`).
    pub cdc: bool,
    /// When CDC works only for some versions of this edition: those versions.
    #[serde(default)]
    pub cdc_versions: Option<Vec<Range>>,
    /// Hostings where this edition exists (`None`: all of the role's).
    #[serde(default)]
    pub hostings: Option<Vec<Hosting>>,
    /// Why, in one sentence, when the answer is not a plain yes.
    #[serde(default)]
    pub note: Option<String>,
    /// The page this fact comes from.
    pub doc: String,
}

impl Edition {
    /// Whether `name` (any case, any spacing) names this edition.
    pub fn is_named(&self, name: &str) -> bool {
        let key = normalize(name);
        normalize(&self.id) == key
            || normalize(&self.name) == key
            || self.aliases.iter().any(|a| normalize(a) == key)
    }
}

/// How DMS does CDC with an engine in one role.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CdcSpec {
    /// Whether CDC exists at all for this engine in this role.
    pub supported: bool,
    /// How DMS reads or applies changes (`LogMiner (default) or Binary Reader`).
    pub method: String,
    /// The page this fact comes from.
    pub doc: String,
}

/// Support of a DMS feature (data validation, Serverless) for an engine in one role.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidationSpec {
    /// Whether the feature works with this engine in this role.
    pub supported: bool,
    /// The page this fact comes from.
    pub doc: String,
}

/// A notable limitation of an engine in one role.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limitation {
    /// Stable id, unique within the engine and role (the rule id adds the engine).
    pub id: String,
    /// `warning` or `info`; a blocker is never a limitation but a rule.
    pub severity: Severity,
    /// What the limitation is, one sentence.
    pub text: String,
    /// What to do about it.
    #[serde(default)]
    pub fix: Option<String>,
    /// Whether it matters always or only with CDC.
    #[serde(default)]
    pub when: When,
    /// Hostings it applies to (`None`: all).
    #[serde(default)]
    pub hostings: Option<Vec<Hosting>>,
    /// The page this fact comes from.
    pub doc: String,
}

/// A concrete setting, statement or privilege an engine needs before DMS can use it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prerequisite {
    /// Stable id, `engine.topic` (`oracle.archivelog`).
    pub id: String,
    /// The engine id it belongs to.
    pub engine: String,
    /// Source or target side.
    pub role: Role,
    /// Needed always or only for CDC.
    pub when: When,
    /// Hostings it applies to (`None`: all of the role's).
    #[serde(default)]
    pub hostings: Option<Vec<Hosting>>,
    /// What to do, as an imperative sentence.
    pub title: String,
    /// How to see the current state (a query or command), if there is one.
    #[serde(default)]
    pub check: Option<String>,
    /// The exact statement, setting or command that satisfies it.
    pub action: String,
    /// The language of `action` (`sql`, `ini`, `shell`, `json`, `text`), and of `check` unless
    /// `check_lang` says otherwise.
    pub lang: String,
    /// The language of `check` when it differs from `action`'s (a SQL query for an `ini` setting).
    #[serde(default)]
    pub check_lang: Option<String>,
    /// The page this fact comes from.
    pub doc: String,
}

impl Prerequisite {
    /// Whether this prerequisite applies to a migration with or without CDC, on `hosting`.
    pub fn applies(&self, cdc: bool, hosting: Hosting) -> bool {
        (self.when == When::Always || cdc)
            && self.hostings.as_ref().is_none_or(|h| h.contains(&hosting))
    }
}

/// A tool that converts schemas and code between engines.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConversionTool {
    /// Stable id (`dms-schema-conversion`, `aws-sct`).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Source engine ids it converts from.
    pub sources: Vec<String>,
    /// Target engine ids it converts to.
    pub targets: Vec<String>,
    /// The page this fact comes from.
    pub doc: String,
}

/// Why a catalog is unusable; names the entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogError {
    /// The entry (`engine `sqlserver``, `prerequisite `x.y``), or the JSON position.
    pub entry: String,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.entry, self.reason)
    }
}

impl std::error::Error for CatalogError {}

/// Lower case, one hyphen for every run of spaces, underscores and hyphens.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .trim()
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    out
}

/// Whether `normalize(s) == key`, without building the normalized text of ASCII `s`.
fn normalizes_to(s: &str, key: &str) -> bool {
    let mut key_bytes = key.bytes();
    // A separator is written only between two words, as one hyphen.
    let (mut in_word, mut hyphen) = (false, false);
    for b in s.bytes() {
        if !b.is_ascii() {
            return normalize(s) == key;
        }
        if char::from(b).is_whitespace() || b == b'_' || b == b'-' {
            hyphen = in_word;
            continue;
        }
        if hyphen && key_bytes.next() != Some(b'-') {
            return false;
        }
        (in_word, hyphen) = (true, false);
        if key_bytes.next() != Some(b.to_ascii_lowercase()) {
            return false;
        }
    }
    key_bytes.next().is_none()
}

/// The full URL of a catalog `doc` link (relative links are DMS user guide pages).
pub fn doc_url(doc: &str) -> String {
    if doc.starts_with("https://") {
        doc.to_string()
    } else {
        format!("{DOC_BASE}{doc}")
    }
}

impl Catalog {
    /// Parse and validate a catalog from JSON text.
    pub fn from_json(text: &str) -> Result<Catalog, CatalogError> {
        let catalog: Catalog = serde_json::from_str(text).map_err(|e| CatalogError {
            entry: format!("line {} column {}", e.line(), e.column()),
            reason: e.to_string(),
        })?;
        catalog.validate()?;
        Ok(catalog)
    }

    /// The catalog compiled into the binary.
    pub fn embedded() -> Result<Catalog, CatalogError> {
        Catalog::from_json(EMBEDDED)
    }

    /// Find an engine by id or alias, in any case.
    pub fn engine(&self, name: &str) -> Option<&Engine> {
        // Ids are normalized and every normalized name is unique (`validate`), so an exact id
        // is the answer the slow path would give; plans and rendering pass ids.
        if let Some(e) = self.engines.iter().find(|e| e.id == name) {
            return Some(e);
        }
        // The name is normalized once (not at all when it already is) and compared with each
        // id and alias as it would normalize, without building their text: normalizing every
        // name of the catalog for each lookup cost some 27,000 instructions per alias.
        let key = if normalizes_to(name, name) {
            Cow::Borrowed(name)
        } else {
            Cow::Owned(normalize(name))
        };
        self.engines.iter().find(|e| {
            normalizes_to(&e.id, &key) || e.aliases.iter().any(|a| normalizes_to(a, &key))
        })
    }

    /// Engine ids and aliases nearest to a misspelt name, closest first (at most three).
    pub fn nearest(&self, name: &str) -> Vec<String> {
        let key = normalize(name);
        let mut scored: Vec<(usize, &str)> = Vec::new();
        for e in &self.engines {
            let best = std::iter::once(e.id.as_str())
                .chain(e.aliases.iter().map(String::as_str))
                .map(|n| {
                    let d = edit_distance(&key, &normalize(n));
                    let prefix = normalize(n).starts_with(&key) || key.starts_with(&normalize(n));
                    if prefix && key.len() >= 3 {
                        d.min(1)
                    } else {
                        d
                    }
                })
                .min()
                .unwrap_or(usize::MAX);
            scored.push((best, &e.id));
        }
        scored.sort();
        let limit = (key.chars().count() / 3).max(2);
        scored
            .into_iter()
            .filter(|(d, _)| *d <= limit)
            .take(3)
            .map(|(_, id)| id.to_string())
            .collect()
    }

    /// The prerequisites of an engine in a role.
    pub fn prerequisites_for<'a>(
        &'a self,
        engine: &'a str,
        role: Role,
    ) -> impl Iterator<Item = &'a Prerequisite> + 'a {
        self.prerequisites
            .iter()
            .filter(move |p| p.engine == engine && p.role == role)
    }

    /// Check every invariant; the error names the first broken entry.
    pub fn validate(&self) -> Result<(), CatalogError> {
        let fail = |entry: String, reason: String| Err(CatalogError { entry, reason });
        if !is_iso_date(&self.as_of) {
            return fail(
                "as_of".into(),
                format!("`{}` is not a date (YYYY-MM-DD)", self.as_of),
            );
        }
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for e in &self.engines {
            let entry = format!("engine `{}`", e.id);
            if e.id.is_empty() || normalize(&e.id) != e.id {
                return fail(entry, "id must be lower-case kebab-case".into());
            }
            for name in std::iter::once(&e.id).chain(&e.aliases) {
                if let Some(other) = names.insert(normalize(name), e.id.clone()) {
                    return fail(
                        entry,
                        format!("name `{name}` is already used by engine `{other}`"),
                    );
                }
            }
            if e.source.is_none() && e.target.is_none() {
                return fail(entry, "is neither a source nor a target".into());
            }
            for role in [Role::Source, Role::Target] {
                if let Some(spec) = e.role(role) {
                    validate_role(spec, &format!("engine `{}` {role}", e.id))?;
                }
            }
        }
        let mut prereq_ids = BTreeSet::new();
        for p in &self.prerequisites {
            let entry = format!("prerequisite `{}`", p.id);
            if !prereq_ids.insert(&p.id) {
                return fail(entry, "duplicate id".into());
            }
            let Some(engine) = self.engines.iter().find(|e| e.id == p.engine) else {
                return fail(
                    entry,
                    format!("names no engine of the catalog (`{}`)", p.engine),
                );
            };
            let Some(spec) = engine.role(p.role) else {
                return fail(entry, format!("engine `{}` is no {}", p.engine, p.role));
            };
            if let Some(h) = &p.hostings {
                if let Some(bad) = h.iter().find(|h| !spec.hostings.contains(h)) {
                    return fail(entry, format!("hosting `{bad}` is not one of the engine's"));
                }
            }
            if p.action.trim().is_empty() || p.title.trim().is_empty() {
                return fail(entry, "needs a title and an action".into());
            }
            check_doc(&entry, &p.doc)?;
        }
        for t in &self.schema_conversion {
            let entry = format!("schema conversion tool `{}`", t.id);
            for (list, role) in [(&t.sources, Role::Source), (&t.targets, Role::Target)] {
                for id in list {
                    if !self
                        .engines
                        .iter()
                        .any(|e| &e.id == id && e.role(role).is_some())
                    {
                        return fail(entry, format!("`{id}` is no {role} engine of the catalog"));
                    }
                }
            }
            check_doc(&entry, &t.doc)?;
        }
        Ok(())
    }
}

fn validate_role(spec: &RoleSpec, entry: &str) -> Result<(), CatalogError> {
    let fail = |reason: String| {
        Err(CatalogError {
            entry: entry.to_string(),
            reason,
        })
    };
    check_doc(entry, &spec.doc)?;
    check_doc(entry, &spec.cdc.doc)?;
    for v in [&spec.validation, &spec.serverless].into_iter().flatten() {
        check_doc(entry, &v.doc)?;
    }
    check_doc(entry, &spec.endpoint.doc)?;
    for r in &spec.log_retention {
        check_doc(entry, &r.doc)?;
        if let Some(bad) = r
            .hostings
            .iter()
            .flatten()
            .find(|h| !spec.hostings.contains(h))
        {
            return fail(format!(
                "log retention names hosting `{bad}`, which the role does not list"
            ));
        }
    }
    let option_ok = spec.endpoint.settings_option.starts_with("--")
        && spec.endpoint.settings_option[2..]
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !option_ok {
        return fail(format!(
            "endpoint settings option `{}` is not a CLI option",
            spec.endpoint.settings_option
        ));
    }
    for setting in &spec.endpoint.settings {
        check_doc(entry, &setting.doc)?;
        let name_ok =
            !setting.name.is_empty() && setting.name.chars().all(|c| c.is_ascii_alphanumeric());
        if !name_ok {
            return fail(format!(
                "endpoint setting `{}` is not a DMS setting name",
                setting.name
            ));
        }
        match (&setting.value, &setting.input) {
            (Some(v), None) if v.is_string() || v.is_boolean() || v.is_number() => {}
            (None, Some(var))
                if !var.is_empty()
                    && var
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_') => {}
            _ => {
                return fail(format!(
                    "endpoint setting `{}` needs either a scalar `value` or an `input` variable (UPPER_SNAKE_CASE)",
                    setting.name
                ));
            }
        }
    }
    if spec.hostings.is_empty() {
        return fail("lists no hosting".into());
    }
    for span in &spec.versions {
        check_doc(entry, &span.doc)?;
        if !span.range().contains(&span.min) {
            return fail(format!("version range {} has min above max", span.range()));
        }
        if let Some(h) = &span.hostings {
            if let Some(bad) = h.iter().find(|h| !spec.hostings.contains(h)) {
                return fail(format!(
                    "versions {} name hosting `{bad}`, which the role does not list",
                    span.range()
                ));
            }
        }
    }
    // Ranges that apply to a common hosting must not overlap.
    for (i, a) in spec.versions.iter().enumerate() {
        for b in &spec.versions[i + 1..] {
            let shared = spec
                .hostings
                .iter()
                .any(|h| a.applies_to(*h) && b.applies_to(*h));
            let overlap = a.range().contains(&b.min)
                || b.range().contains(&a.min)
                || a.range().contains(&b.max)
                || b.range().contains(&a.max);
            if shared && overlap {
                return fail(format!("versions {} and {} overlap", a.range(), b.range()));
            }
        }
    }
    let mut edition_names: BTreeSet<String> = BTreeSet::new();
    for ed in &spec.editions {
        check_doc(entry, &ed.doc)?;
        let own: BTreeSet<String> = std::iter::once(&ed.id)
            .chain(std::iter::once(&ed.name))
            .chain(&ed.aliases)
            .map(|n| normalize(n))
            .collect();
        if let Some(clash) = own.intersection(&edition_names).next() {
            return fail(format!(
                "edition name `{clash}` is used by more than one edition"
            ));
        }
        edition_names.extend(own);
        if let Some(h) = &ed.hostings {
            if let Some(bad) = h.iter().find(|h| !spec.hostings.contains(h)) {
                return fail(format!(
                    "edition `{}` names hosting `{bad}`, which the role does not list",
                    ed.id
                ));
            }
        }
    }
    if let Some(default) = &spec.default_edition {
        if !spec.editions.iter().any(|e| &e.id == default) {
            return fail(format!("default edition `{default}` is not listed"));
        }
    }
    let mut limitation_ids = BTreeSet::new();
    for l in &spec.limitations {
        check_doc(entry, &l.doc)?;
        if !limitation_ids.insert(&l.id) {
            return fail(format!("limitation `{}` is listed twice", l.id));
        }
        if l.severity == Severity::Blocker {
            return fail(format!(
                "limitation `{}` is a blocker; blockers are rules, not limitations",
                l.id
            ));
        }
    }
    Ok(())
}

fn check_doc(entry: &str, doc: &str) -> Result<(), CatalogError> {
    let ok = doc.starts_with("https://")
        || (doc.ends_with(".html") && !doc.contains(char::is_whitespace) && !doc.contains('/'))
        || (doc.contains(".html#") && !doc.contains(char::is_whitespace));
    if ok {
        Ok(())
    } else {
        Err(CatalogError {
            entry: entry.to_string(),
            reason: format!("doc `{doc}` is neither a user guide page (`X.html`) nor a URL"),
        })
    }
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests;
