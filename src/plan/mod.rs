//! Answers and plans: what the user told dmsplan, and the plan file that keeps it.
//!
//! A plan holds the user's answers plus `schema_version`, the dmsplan version and when it was
//! made; everything derived is recomputed at render time. `recorded` keeps the assessment's
//! headline as it was when the plan was saved, only so the runbook can say when it changed.
//! Pure: parsing and validation, no files, no clock.

pub mod downtime;
pub mod schema;
pub mod sizing;

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::assess::{Assessment, EngineSpec, MigrationType, Verdict};
use crate::catalog::Hosting;
use crate::error::Error;
pub use downtime::Duration;
pub use sizing::{LobMode, Network};

/// Bump when a field changes meaning or disappears; a new optional field is not a bump.
pub const SCHEMA_VERSION: u32 = 1;

/// What kind of value an answer holds; decides parsing, the flag's help and the JSON Schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A plan name (any text; the directory name is derived from it).
    Name,
    /// `ENGINE[:VERSION]`.
    Engine,
    /// An edition or deployment variant, as typed.
    Edition,
    /// A hosting id.
    Hosting,
    /// A size in GB (a positive number).
    SizeGb,
    /// A duration (`2h`, `90m`, `1d`).
    Duration,
    /// An AWS Region code.
    Region,
    /// `true` or `false`.
    Bool,
    /// Schemas to migrate, each optionally renamed: `HR,SALES=sales_app`.
    Schemas,
    /// A whole number of tables (`tables` at least 1, `tables_without_pk` at least 0).
    Count,
    /// GB of change log per hour, zero or more.
    Rate,
    /// LOB columns: `none`, `limited:SIZE`, `full`.
    Lob,
    /// The network path: `vpn`, `internet`, `direct-connect:1g`, `throughput:300mbps`.
    Network,
    /// A DMS replication instance class (`dms.r6i.xlarge`).
    InstanceClass,
    /// A throughput in Mbit/s.
    Mbps,
}

/// One answer: its JSON key, its flag, and whether a plan needs it.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The JSON key (`size_gb`).
    pub key: &'static str,
    /// The flag of `dmsplan new` (`--size-gb`).
    pub flag: &'static str,
    /// A plan cannot be made without it.
    pub required: bool,
    /// How it parses.
    pub kind: FieldKind,
    /// One line of help.
    pub help: &'static str,
}

/// Every answer, in the order plans list them and the wizard asks them.
pub const FIELDS: &[Field] = &[
    Field {
        key: "name",
        flag: "--name",
        required: false,
        kind: FieldKind::Name,
        help: "plan name; default: made from the pair (`oracle-to-aurora-postgresql`)",
    },
    Field {
        key: "source",
        flag: "--source",
        required: true,
        kind: FieldKind::Engine,
        help: "source engine and version, ENGINE[:VERSION]",
    },
    Field {
        key: "source_edition",
        flag: "--source-edition",
        required: false,
        kind: FieldKind::Edition,
        help: "source edition or deployment variant",
    },
    Field {
        key: "source_hosting",
        flag: "--source-hosting",
        required: false,
        kind: FieldKind::Hosting,
        help: "where the source runs; default on-prem",
    },
    Field {
        key: "target",
        flag: "--target",
        required: true,
        kind: FieldKind::Engine,
        help: "target engine and version, ENGINE[:VERSION]",
    },
    Field {
        key: "target_edition",
        flag: "--target-edition",
        required: false,
        kind: FieldKind::Edition,
        help: "target edition",
    },
    Field {
        key: "target_hosting",
        flag: "--target-hosting",
        required: false,
        kind: FieldKind::Hosting,
        help: "where the target runs; default the AWS-managed form",
    },
    Field {
        key: "size_gb",
        flag: "--size-gb",
        required: true,
        kind: FieldKind::SizeGb,
        help: "data to migrate, in GB",
    },
    Field {
        key: "downtime",
        flag: "--downtime",
        required: true,
        kind: FieldKind::Duration,
        help: "downtime the business accepts at cutover (`2h`, `90m`, `1d`)",
    },
    Field {
        key: "region",
        flag: "--region",
        required: true,
        kind: FieldKind::Region,
        help: "AWS Region of the target and the replication instance",
    },
    Field {
        key: "largest_table_gb",
        flag: "--largest-table-gb",
        required: false,
        kind: FieldKind::SizeGb,
        help: "the largest table, GB; default: a quarter of the data",
    },
    Field {
        key: "tables",
        flag: "--tables",
        required: false,
        kind: FieldKind::Count,
        help: "number of tables to migrate; default: 100",
    },
    Field {
        key: "lob",
        flag: "--lob",
        required: false,
        kind: FieldKind::Lob,
        help: "LOB columns: none, limited:SIZE (e.g. limited:64KB) or full; default: limited:32KB",
    },
    Field {
        key: "tables_without_pk",
        flag: "--tables-without-pk",
        required: false,
        kind: FieldKind::Count,
        help: "tables without a primary key or unique index; default: 0",
    },
    Field {
        key: "change_rate",
        flag: "--change-rate",
        required: false,
        kind: FieldKind::Rate,
        help: "peak change rate on the source, GB of redo/binlog/WAL per hour; default: 1",
    },
    Field {
        key: "network",
        flag: "--network",
        required: false,
        kind: FieldKind::Network,
        help: "path from the source to AWS: vpn, internet, direct-connect:1g|10g|100g, throughput:300mbps; default: vpn (on premises)",
    },
    Field {
        key: "production",
        flag: "--production",
        required: false,
        kind: FieldKind::Bool,
        help: "a production database (Multi-AZ replication instance); default: yes",
    },
    Field {
        key: "instance_class",
        flag: "--instance-class",
        required: false,
        kind: FieldKind::InstanceClass,
        help: "override the replication instance class (e.g. dms.r6i.xlarge)",
    },
    Field {
        key: "throughput_mbps",
        flag: "--throughput-mbps",
        required: false,
        kind: FieldKind::Mbps,
        help: "override the effective full-load throughput, Mbit/s (e.g. measured in a test load)",
    },
    Field {
        key: "schemas",
        flag: "--schemas",
        required: false,
        kind: FieldKind::Schemas,
        help: "schemas to migrate, `NAME` or `NAME=NEW_NAME`, comma-separated; default: every user schema",
    },
    Field {
        key: "cdc",
        flag: "--cdc / --no-cdc",
        required: false,
        kind: FieldKind::Bool,
        help: "force ongoing replication on or off; default: decided from size and downtime",
    },
];

/// The field of `key`. Panics on a key that is not in `FIELDS`: keys are compile-time
/// constants of this crate, and a test runs every one of them.
pub fn field(key: &str) -> &'static Field {
    FIELDS
        .iter()
        .find(|f| f.key == key)
        .unwrap_or_else(|| panic!("`{key}` is not an answer field"))
}

/// The user's answers; each may be missing until a plan is made.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Answers {
    /// Plan name as typed.
    pub name: Option<String>,
    /// Source engine and version.
    #[serde(serialize_with = "ser_display")]
    pub source: Option<EngineSpec>,
    /// Source edition as typed.
    pub source_edition: Option<String>,
    /// Source hosting.
    pub source_hosting: Option<Hosting>,
    /// Target engine and version.
    #[serde(serialize_with = "ser_display")]
    pub target: Option<EngineSpec>,
    /// Target edition as typed.
    pub target_edition: Option<String>,
    /// Target hosting.
    pub target_hosting: Option<Hosting>,
    /// Data to migrate, GB.
    #[serde(serialize_with = "ser_number")]
    pub size_gb: Option<f64>,
    /// Accepted downtime.
    #[serde(serialize_with = "ser_display")]
    pub downtime: Option<Duration>,
    /// AWS Region.
    pub region: Option<String>,
    /// The largest table, GB.
    #[serde(serialize_with = "ser_number")]
    pub largest_table_gb: Option<f64>,
    /// Number of tables.
    pub tables: Option<u32>,
    /// LOB columns.
    #[serde(serialize_with = "ser_display")]
    pub lob: Option<LobMode>,
    /// Tables without a primary key or unique index.
    pub tables_without_pk: Option<u32>,
    /// Peak change rate, GB of log per hour.
    #[serde(serialize_with = "ser_number")]
    pub change_rate: Option<f64>,
    /// Network path from the source to AWS.
    #[serde(serialize_with = "ser_display")]
    pub network: Option<Network>,
    /// Whether this is a production database.
    pub production: Option<bool>,
    /// Replication instance class override.
    pub instance_class: Option<String>,
    /// Effective throughput override, Mbit/s.
    #[serde(serialize_with = "ser_number")]
    pub throughput_mbps: Option<f64>,
    /// Schemas to migrate (none: every user schema of the source).
    pub schemas: Option<Vec<SchemaChoice>>,
    /// Forced CDC on or off.
    pub cdc: Option<bool>,
}

/// A schema to migrate, and the name it gets on the target if renamed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaChoice {
    /// The schema's name on the source (DMS `%` wildcards allowed).
    pub name: String,
    /// Its new name on the target.
    pub rename: Option<String>,
}

impl std::fmt::Display for SchemaChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.rename {
            Some(r) => write!(f, "{}={r}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

impl Serialize for SchemaChoice {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Parse `HR,SALES=sales_app` into schema choices.
pub fn parse_schemas(text: &str) -> Result<Vec<SchemaChoice>, String> {
    let mut out: Vec<SchemaChoice> = Vec::new();
    for item in text.split(',') {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let (name, rename) = match item.split_once('=') {
            Some((n, r)) => (n.trim(), Some(r.trim())),
            None => (item, None),
        };
        let valid = |t: &str| {
            !t.is_empty()
                && t.len() <= 128
                && !t.chars().any(|c| c.is_control() || "=,\"'`".contains(c))
        };
        if !valid(name) || rename.is_some_and(|r| !valid(r) || r.contains('%')) {
            return Err(format!(
                "`{item}` is not a schema: write NAME or NAME=NEW_NAME (no quotes, commas or control characters; `%` only in NAME)"
            ));
        }
        if out.iter().any(|c| c.name == name) {
            return Err(format!("schema `{name}` is listed twice"));
        }
        out.push(SchemaChoice {
            name: name.to_string(),
            rename: rename.map(str::to_string),
        });
    }
    if out.is_empty() {
        return Err("no schema given; leave the answer out to migrate every user schema".into());
    }
    Ok(out)
}

fn ser_display<T: std::fmt::Display, S: serde::Serializer>(
    v: &Option<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

/// A whole number of GB as `800`, not `800.0`.
fn ser_number<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(n) if n.fract() == 0.0 && *n < 9.0e15 => s.serialize_u64(*n as u64),
        Some(n) => s.serialize_f64(*n),
        None => s.serialize_none(),
    }
}

fn invalid(field: String, reason: String, tip: Option<String>) -> Error {
    Error::InvalidValue { field, reason, tip }
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// Parse a size as people type it: `800`, `800GB`, `1.5 TB`, `500 GiB`.
pub fn parse_size_gb(text: &str) -> Result<f64, String> {
    // Most sizes are typed in lower case without spaces: then no copy is needed.
    let trimmed = text.trim();
    let t: Cow<str> = if trimmed.bytes().any(|b| b == b' ' || b.is_ascii_uppercase()) {
        Cow::Owned(trimmed.to_ascii_lowercase().replace(' ', ""))
    } else {
        Cow::Borrowed(trimmed)
    };
    let (number, factor) = if let Some(n) = t
        .strip_suffix("tb")
        .or_else(|| t.strip_suffix("tib"))
        .or_else(|| t.strip_suffix('t'))
    {
        (n, 1024.0)
    } else if let Some(n) = t
        .strip_suffix("gb")
        .or_else(|| t.strip_suffix("gib"))
        .or_else(|| t.strip_suffix('g'))
    {
        (n, 1.0)
    } else if let Some(n) = t
        .strip_suffix("mb")
        .or_else(|| t.strip_suffix("mib"))
        .or_else(|| t.strip_suffix('m'))
    {
        (n, 1.0 / 1024.0)
    } else {
        (&*t, 1.0)
    };
    let value: f64 = number.parse().map_err(|_| {
        format!("expected a positive number of GB (e.g. `800`, `2TB`), got `{text}`")
    })?;
    check_size(value * factor)
        .map_err(|_| format!("expected a positive number of GB (e.g. `800`, `2TB`), got `{text}`"))
}

fn check_size(gb: f64) -> Result<f64, ()> {
    if gb.is_finite() && gb > 0.0 && gb <= 1.0e7 {
        Ok(gb)
    } else {
        Err(())
    }
}

/// Check an AWS Region code (`eu-west-1`, `us-gov-west-1`, `cn-north-1`).
pub fn parse_region(text: &str) -> Result<String, String> {
    let t = text.trim();
    // Three or four parts: two letters, letters, (letters,) digits. One pass over the bytes:
    // `parts` counts the parts a hyphen ends, which must be letters; the last, digits.
    let (mut parts, mut len, mut letters, mut digits) = (0, 0, true, true);
    let mut ok = true;
    for b in t.bytes() {
        if b == b'-' {
            if len == 0 || !letters || (parts == 0 && len != 2) {
                ok = false;
                break;
            }
            (parts, len, letters, digits) = (parts + 1, 0, true, true);
        } else {
            len += 1;
            letters &= b.is_ascii_lowercase();
            digits &= b.is_ascii_digit();
        }
    }
    let ok = ok && (2..=3).contains(&parts) && len > 0 && digits;
    if ok {
        Ok(t.to_string())
    } else {
        Err(format!(
            "`{t}` is not an AWS Region code (e.g. `eu-west-1`, `us-east-2`)"
        ))
    }
}

/// Check a plan name: any printable text up to 100 characters that yields a directory name.
pub fn parse_name(text: &str) -> Result<String, String> {
    if text.chars().any(char::is_control) {
        return Err("a plan name cannot hold control characters (newlines, tabs)".into());
    }
    let t = text.trim();
    if t.chars().count() > 100 {
        return Err("a plan name has at most 100 characters".into());
    }
    // The slug keeps ASCII letters and digits but drops leading digits, so it is empty
    // exactly when the name has no ASCII letter.
    if !t.bytes().any(|b| b.is_ascii_alphabetic()) {
        return Err(format!(
            "`{t}` has no letter or digit to name the plan directory after"
        ));
    }
    Ok(t.to_string())
}

/// A directory name and DMS identifier stem from a plan name: lower-case ASCII letters, digits
/// and single hyphens, starting with a letter, at most 40 characters.
pub fn slug(name: &str) -> String {
    /// The longest slug, in characters (all ASCII, so bytes too).
    const MAX: usize = 40;
    // One pass into one allocation: nothing is kept before the first letter (leading digits
    // and hyphens are dropped), and writing stops at `MAX`.
    let mut out = String::with_capacity(name.len().min(MAX));
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            if !out.is_empty() || c.is_ascii_alphabetic() {
                out.push(c);
            }
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() == MAX {
            break;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

impl Answers {
    /// Parse answers from a JSON object; errors name the JSON path (`prefix` + key).
    pub fn from_json(value: &Value, prefix: &str) -> Result<Answers, Error> {
        let obj = value.as_object().ok_or_else(|| {
            let path = prefix.trim_end_matches('.');
            invalid(
                if path.is_empty() {
                    "answers".to_string()
                } else {
                    path.to_string()
                },
                format!("expected an object of answers, got {}", describe(value)),
                None,
            )
        })?;
        let mut a = Answers::default();
        for (key, v) in obj {
            let path = format!("{prefix}{key}");
            let Some(field) = FIELDS.iter().find(|f| f.key == key) else {
                let known: Vec<&str> = FIELDS.iter().map(|f| f.key).collect();
                return Err(invalid(
                    path,
                    "unknown key".into(),
                    Some(format!("known keys: {}", known.join(", "))),
                ));
            };
            if v.is_null() {
                continue;
            }
            a.set_json(field, v, &path)?;
        }
        Ok(a)
    }

    fn set_json(&mut self, field: &Field, v: &Value, path: &str) -> Result<(), Error> {
        let text = || {
            v.as_str().map(str::to_string).ok_or_else(|| {
                invalid(
                    path.to_string(),
                    format!("expected a string, got {}", describe(v)),
                    None,
                )
            })
        };
        match field.kind {
            FieldKind::SizeGb => {
                let gb = match v {
                    Value::Number(n) => n.as_f64().and_then(|g| check_size(g).ok()),
                    _ => None,
                };
                let gb = gb.ok_or_else(|| {
                    invalid(
                        path.to_string(),
                        format!("expected a positive number, got {}", describe(v)),
                        Some("give the size in GB, e.g. 800".into()),
                    )
                })?;
                if field.key == "largest_table_gb" {
                    self.largest_table_gb = Some(gb);
                } else {
                    self.size_gb = Some(gb);
                }
            }
            FieldKind::Count | FieldKind::Rate | FieldKind::Mbps => {
                let Value::Number(n) = v else {
                    return Err(invalid(
                        path.to_string(),
                        format!("expected a number, got {}", describe(v)),
                        None,
                    ));
                };
                self.set_text(field, &n.to_string(), path)?;
            }
            FieldKind::Schemas => {
                let text = match v {
                    Value::String(t) => t.clone(),
                    Value::Array(items) => {
                        let mut parts = Vec::new();
                        for item in items {
                            let t = item.as_str().ok_or_else(|| {
                                invalid(
                                    path.to_string(),
                                    format!(
                                        "expected schema names as strings, got {}",
                                        describe(item)
                                    ),
                                    None,
                                )
                            })?;
                            if t.contains(',') {
                                return Err(invalid(
                                    path.to_string(),
                                    format!("`{t}` holds a comma; give one schema per item"),
                                    None,
                                ));
                            }
                            parts.push(t.to_string());
                        }
                        parts.join(",")
                    }
                    other => {
                        return Err(invalid(
                            path.to_string(),
                            format!("expected a list of schema names, got {}", describe(other)),
                            None,
                        ));
                    }
                };
                self.schemas =
                    Some(parse_schemas(&text).map_err(|r| invalid(path.to_string(), r, None))?);
            }
            FieldKind::Bool => {
                let b = v.as_bool().ok_or_else(|| {
                    invalid(
                        path.to_string(),
                        format!("expected true or false, got {}", describe(v)),
                        None,
                    )
                })?;
                self.set_bool(field.key, b);
            }
            _ => {
                let t = text()?;
                self.set_text(field, &t, path)?;
            }
        }
        Ok(())
    }

    /// Set one answer from text as typed at a flag or prompt; the error names `at`.
    pub fn set_text(&mut self, field: &Field, t: &str, at: &str) -> Result<(), Error> {
        let bad = |reason: String, tip: Option<String>| invalid(at.to_string(), reason, tip);
        match (field.kind, field.key) {
            (FieldKind::Name, _) => self.name = Some(parse_name(t).map_err(|r| bad(r, None))?),
            (FieldKind::Engine, key) => {
                let spec: EngineSpec = t.parse().map_err(|r| {
                    bad(r, Some("write ENGINE[:VERSION], e.g. `oracle:19c`".into()))
                })?;
                if key == "source" {
                    self.source = Some(spec);
                } else {
                    self.target = Some(spec);
                }
            }
            (FieldKind::Edition, key) => {
                let t = t.trim();
                if t.is_empty() || t.chars().any(|c| c.is_control() || c == '`') {
                    return Err(bad(format!("`{t}` is not an edition"), None));
                }
                if key == "source_edition" {
                    self.source_edition = Some(t.to_string());
                } else {
                    self.target_edition = Some(t.to_string());
                }
            }
            (FieldKind::Hosting, key) => {
                let h: Hosting = t.parse().map_err(|r: String| {
                    let all: Vec<&str> = Hosting::ALL.iter().map(|h| h.as_str()).collect();
                    bad(r, Some(format!("one of: {}", all.join(", "))))
                })?;
                if key == "source_hosting" {
                    self.source_hosting = Some(h);
                } else {
                    self.target_hosting = Some(h);
                }
            }
            (FieldKind::SizeGb, key) => {
                let gb = Some(parse_size_gb(t).map_err(|r| bad(r, None))?);
                if key == "largest_table_gb" {
                    self.largest_table_gb = gb;
                } else {
                    self.size_gb = gb;
                }
            }
            (FieldKind::Count, key) => {
                let min = u32::from(key == "tables");
                let n = Some(sizing::parse_count(t, min).map_err(|r| bad(r, None))?);
                if key == "tables" {
                    self.tables = n;
                } else {
                    self.tables_without_pk = n;
                }
            }
            (FieldKind::Rate, _) => {
                self.change_rate =
                    Some(sizing::parse_rate_gb_per_hour(t).map_err(|r| bad(r, None))?)
            }
            (FieldKind::Mbps, _) => {
                self.throughput_mbps = Some(sizing::parse_mbps(t).map_err(|r| bad(r, None))?)
            }
            (FieldKind::Lob, _) => self.lob = Some(t.parse().map_err(|r| bad(r, None))?),
            (FieldKind::Network, _) => self.network = Some(t.parse().map_err(|r| bad(r, None))?),
            (FieldKind::InstanceClass, _) => {
                let class = crate::estimate::instance_class(t).ok_or_else(|| {
                    bad(
                        format!(
                            "`{}` is not a DMS replication instance class dmsplan knows",
                            t.trim()
                        ),
                        Some(format!(
                            "one of: {}",
                            crate::estimate::instance_class_names().join(", ")
                        )),
                    )
                })?;
                self.instance_class = Some(class.name.to_string());
            }
            (FieldKind::Duration, _) => self.downtime = Some(t.parse().map_err(|r| bad(r, None))?),
            (FieldKind::Region, _) => {
                self.region = Some(parse_region(t).map_err(|r| bad(r, None))?)
            }
            (FieldKind::Schemas, _) => {
                self.schemas = Some(parse_schemas(t).map_err(|r| bad(r, None))?)
            }
            (FieldKind::Bool, key) => {
                let b = match t.trim().to_ascii_lowercase().as_str() {
                    "true" | "yes" | "y" | "on" => true,
                    "false" | "no" | "n" | "off" => false,
                    _ => return Err(bad(format!("expected yes or no, got `{t}`"), None)),
                };
                self.set_bool(key, b);
            }
        }
        Ok(())
    }

    fn set_bool(&mut self, key: &str, b: bool) {
        if key == "production" {
            self.production = Some(b);
        } else {
            self.cdc = Some(b);
        }
    }

    /// Whether the answer for `key` is given.
    pub fn has(&self, key: &str) -> bool {
        match key {
            "name" => self.name.is_some(),
            "source" => self.source.is_some(),
            "source_edition" => self.source_edition.is_some(),
            "source_hosting" => self.source_hosting.is_some(),
            "target" => self.target.is_some(),
            "target_edition" => self.target_edition.is_some(),
            "target_hosting" => self.target_hosting.is_some(),
            "size_gb" => self.size_gb.is_some(),
            "downtime" => self.downtime.is_some(),
            "region" => self.region.is_some(),
            "largest_table_gb" => self.largest_table_gb.is_some(),
            "tables" => self.tables.is_some(),
            "lob" => self.lob.is_some(),
            "tables_without_pk" => self.tables_without_pk.is_some(),
            "change_rate" => self.change_rate.is_some(),
            "network" => self.network.is_some(),
            "production" => self.production.is_some(),
            "instance_class" => self.instance_class.is_some(),
            "throughput_mbps" => self.throughput_mbps.is_some(),
            "schemas" => self.schemas.is_some(),
            "cdc" => self.cdc.is_some(),
            _ => false,
        }
    }

    /// These answers with every answer of `over` that is given put on top (flags over a file).
    pub fn overlay(mut self, over: &Answers) -> Answers {
        macro_rules! take {
            ($($f:ident),*) => { $( if over.$f.is_some() { self.$f = over.$f.clone(); } )* };
        }
        take!(
            name,
            source,
            source_edition,
            source_hosting,
            target,
            target_edition,
            target_hosting,
            size_gb,
            downtime,
            region,
            largest_table_gb,
            tables,
            lob,
            tables_without_pk,
            change_rate,
            network,
            production,
            instance_class,
            throughput_mbps,
            schemas,
            cdc
        );
        self
    }

    /// The required answers still missing.
    pub fn missing(&self) -> Vec<&'static Field> {
        FIELDS
            .iter()
            .filter(|f| f.required && !self.has(f.key))
            .collect()
    }

    /// The plan name: the one given, or one made from the pair.
    pub fn name_or_default(&self) -> String {
        if let Some(n) = &self.name {
            return n.clone();
        }
        match (&self.source, &self.target) {
            (Some(s), Some(t)) => format!("{}-to-{}", s.engine, t.engine),
            _ => "migration".to_string(),
        }
    }
}

/// The assessment's headline as it was when the plan was saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recorded {
    /// Supported, with warnings, or not.
    pub verdict: Verdict,
    /// The migration type decided then.
    pub migration_type: MigrationType,
    /// The rule ids of the blockers and warnings then, sorted.
    pub findings: Vec<String>,
    /// The catalog date then.
    pub catalog_as_of: String,
}

impl Recorded {
    /// The headline of an assessment, with the migration type decided for the plan.
    pub fn of(a: &Assessment, migration_type: MigrationType) -> Recorded {
        let mut findings: Vec<String> = a
            .findings
            .iter()
            .filter(|f| f.severity != crate::catalog::Severity::Info)
            .map(|f| f.id.clone())
            .collect();
        findings.sort();
        findings.dedup();
        Recorded {
            verdict: a.verdict,
            migration_type,
            findings,
            catalog_as_of: a.catalog_as_of.clone(),
        }
    }

    /// What changed from `then` to `self`, one line each; empty when nothing did.
    pub fn changes_since(&self, then: &Recorded) -> Vec<String> {
        let mut out = Vec::new();
        if self.verdict != then.verdict {
            out.push(format!(
                "verdict was `{}`, now `{}`",
                enum_str(&then.verdict),
                enum_str(&self.verdict)
            ));
        }
        if self.migration_type != then.migration_type {
            out.push(format!(
                "migration type was `{}`, now `{}`",
                then.migration_type.as_str(),
                self.migration_type.as_str()
            ));
        }
        for id in self
            .findings
            .iter()
            .filter(|id| !then.findings.contains(id))
        {
            out.push(format!("new finding `{id}`"));
        }
        for id in then
            .findings
            .iter()
            .filter(|id| !self.findings.contains(id))
        {
            out.push(format!("finding `{id}` no longer applies"));
        }
        out
    }
}

fn enum_str<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// A saved plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// The format version of this file.
    pub schema_version: u32,
    /// The dmsplan version that wrote it.
    pub dmsplan_version: String,
    /// When it was made (RFC 3339, UTC).
    pub created_at: String,
    /// The user's answers; the required ones are all given.
    pub answers: Answers,
    /// The assessment headline when it was saved.
    pub recorded: Recorded,
}

impl Plan {
    /// Parse and validate a plan file's text; errors carry the JSON path.
    pub fn from_json(text: &str, file: &str) -> Result<Plan, Error> {
        let at = |path: &str| format!("{file}: {path}");
        let value: Value = serde_json::from_str(text).map_err(|e| {
            invalid(
                format!("{file}: line {} column {}", e.line(), e.column()),
                format!("not valid JSON: {e}"),
                None,
            )
        })?;
        let Some(obj) = value.as_object() else {
            return Err(invalid(
                at("$"),
                format!("expected a plan object, got {}", describe(&value)),
                None,
            ));
        };
        let obj = upgrade(obj.clone(), file)?;
        const KEYS: [&str; 5] = [
            "schema_version",
            "dmsplan_version",
            "created_at",
            "answers",
            "recorded",
        ];
        for key in obj.keys() {
            if !KEYS.contains(&key.as_str()) {
                return Err(invalid(
                    at(key),
                    "unknown key".into(),
                    Some(format!("known keys: {}", KEYS.join(", "))),
                ));
            }
        }
        let string = |key: &str| -> Result<String, Error> {
            match obj.get(key) {
                Some(Value::String(s)) => Ok(s.clone()),
                Some(other) => Err(invalid(
                    at(key),
                    format!("expected a string, got {}", describe(other)),
                    None,
                )),
                None => Err(invalid(at(key), "missing".into(), None)),
            }
        };
        let dmsplan_version = string("dmsplan_version")?;
        let created_at = string("created_at")?;
        let answers_value = obj
            .get("answers")
            .ok_or_else(|| invalid(at("answers"), "missing".into(), None))?;
        let answers = Answers::from_json(answers_value, &format!("{file}: answers."))?;
        if let Some(f) = answers.missing().first() {
            return Err(invalid(
                at(&format!("answers.{}", f.key)),
                "missing".into(),
                Some(format!("add it to the plan ({})", f.help)),
            ));
        }
        let recorded_value = obj
            .get("recorded")
            .ok_or_else(|| invalid(at("recorded"), "missing".into(), None))?;
        let recorded: Recorded = serde_json::from_value(recorded_value.clone()).map_err(|e| {
            invalid(
                at("recorded"),
                e.to_string(),
                Some("`dmsplan render` rewrites it when you pass --force to `dmsplan new`".into()),
            )
        })?;
        Ok(Plan {
            schema_version: SCHEMA_VERSION,
            dmsplan_version,
            created_at,
            answers,
            recorded,
        })
    }

    /// The canonical JSON text of this plan: fixed key order, pretty, final newline.
    pub fn to_json(&self) -> String {
        // Room for a typical plan up front (about 1.2 KB), so the text is not copied as it grows.
        let mut bytes = Vec::with_capacity(2048);
        if serde_json::to_writer_pretty(&mut bytes, self).is_err() {
            bytes.clear();
        }
        bytes.push(b'\n');
        // serde_json writes UTF-8.
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// The plan's directory name.
    pub fn slug(&self) -> String {
        match &self.answers.name {
            Some(name) => slug(name),
            None => slug(&self.answers.name_or_default()),
        }
    }
}

/// Bring an older plan up to `SCHEMA_VERSION`; refuse a newer one.
fn upgrade(obj: Map<String, Value>, file: &str) -> Result<Map<String, Value>, Error> {
    let version = match obj.get("schema_version") {
        Some(Value::Number(n)) => n.as_u64().ok_or_else(|| {
            invalid(
                format!("{file}: schema_version"),
                format!("expected a whole number, got {n}"),
                None,
            )
        })?,
        Some(other) => {
            return Err(invalid(
                format!("{file}: schema_version"),
                format!("expected a whole number, got {}", describe(other)),
                None,
            ));
        }
        None => {
            return Err(invalid(
                format!("{file}: schema_version"),
                "missing".into(),
                None,
            ));
        }
    };
    if version > u64::from(SCHEMA_VERSION) {
        return Err(invalid(
            format!("{file}: schema_version"),
            format!("this plan is format {version}; this dmsplan reads up to {SCHEMA_VERSION}"),
            Some("upgrade dmsplan to read it".into()),
        ));
    }
    if version == 0 {
        return Err(invalid(
            format!("{file}: schema_version"),
            "format 0 does not exist".into(),
            None,
        ));
    }
    // Format 1 is the first; later formats add their upgrade steps here.
    Ok(obj)
}

/// Seconds since the Unix epoch as an RFC 3339 UTC timestamp (`2026-11-25T15:42:31Z`).
pub fn timestamp(secs: u64) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// The flags to pass for missing answers, for the one-line error.
pub fn missing_flags(missing: &[&Field]) -> String {
    let mut s = String::new();
    for (i, f) in missing.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        let _ = write!(s, "{}", f.flag);
    }
    s
}

#[cfg(test)]
mod tests;
