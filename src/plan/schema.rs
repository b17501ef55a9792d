//! The JSON Schema of a plan file, built from the same field table the parser uses, so the
//! two cannot drift apart.

use serde_json::{Value, json};

use super::{FIELDS, FieldKind, SCHEMA_VERSION};
use crate::catalog::Hosting;

fn answer_schema(kind: FieldKind, help: &str) -> Value {
    let hostings: Vec<&str> = Hosting::ALL.iter().map(|h| h.as_str()).collect();
    let mut s = match kind {
        FieldKind::Name => json!({"type": "string", "minLength": 1, "maxLength": 100}),
        FieldKind::Engine => {
            json!({"type": "string", "pattern": "^[^:]+(:.+)?$", "examples": ["oracle:19", "aurora-postgresql:16"]})
        }
        FieldKind::Edition => json!({"type": "string", "minLength": 1}),
        FieldKind::Hosting => json!({"enum": hostings}),
        FieldKind::SizeGb => json!({"type": "number", "exclusiveMinimum": 0, "maximum": 1.0e7}),
        FieldKind::Duration => {
            json!({"type": "string", "pattern": "^([0-9]+[dhm])+$", "examples": ["2h", "90m", "1d"]})
        }
        FieldKind::Region => json!({"type": "string", "pattern": "^[a-z]{2}(-[a-z]+)+-[0-9]+$"}),
        FieldKind::Bool => json!({"type": "boolean"}),
        FieldKind::Count => json!({"type": "integer", "minimum": 0}),
        FieldKind::Rate => json!({"type": "number", "minimum": 0}),
        FieldKind::Mbps => json!({"type": "number", "exclusiveMinimum": 0}),
        FieldKind::Lob => {
            json!({"type": "string", "pattern": "^(none|full|limited(:[0-9.]+(KB|MB)?)?)$", "examples": ["none", "limited:64KB", "full"]})
        }
        FieldKind::Network => {
            json!({"type": "string", "pattern": "^(vpn|internet|direct-connect:(1|10|100)g|throughput:[0-9.]+(mbps|gbps)?)$"})
        }
        FieldKind::InstanceClass => json!({"enum": crate::estimate::instance_class_names()}),
        FieldKind::Schemas => {
            json!({"type": "array", "minItems": 1, "items": {"type": "string", "pattern": "^[^=,]+(=[^=,%]+)?$"}, "examples": [["HR", "SALES=sales_app"]]})
        }
    };
    s["description"] = json!(help);
    s
}

/// The JSON Schema (draft 2020-12) of a plan file.
pub fn plan_schema() -> Value {
    let mut properties = serde_json::Map::new();
    for f in FIELDS {
        let inner = answer_schema(f.kind, f.help);
        let schema = if f.required {
            inner
        } else {
            json!({"anyOf": [inner, {"type": "null"}]})
        };
        properties.insert(f.key.to_string(), schema);
    }
    let required: Vec<&str> = FIELDS
        .iter()
        .filter(|f| f.required)
        .map(|f| f.key)
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "dmsplan plan",
        "description": "A dmsplan migration plan: the user's answers; everything else is recomputed when rendered.",
        "type": "object",
        "additionalProperties": false,
        "required": ["schema_version", "dmsplan_version", "created_at", "answers", "recorded"],
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "dmsplan_version": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
            "answers": {
                "type": "object",
                "additionalProperties": false,
                "required": required,
                "properties": properties,
            },
            "recorded": {
                "description": "The assessment's headline when the plan was saved; the runbook says when it has changed.",
                "type": "object",
                "additionalProperties": false,
                "required": ["verdict", "migration_type", "findings", "catalog_as_of"],
                "properties": {
                    "verdict": {"enum": ["supported", "supported-with-warnings", "unsupported"]},
                    "migration_type": {"enum": ["full-load", "full-load-and-cdc", "cdc"]},
                    "findings": {"type": "array", "items": {"type": "string"}},
                    "catalog_as_of": {"type": "string"},
                }
            }
        }
    })
}
