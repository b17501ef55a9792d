//! `table-mappings.json`: DMS selection and transformation rules for a plan.

use serde_json::{Value, json};

use crate::catalog::Family;
use crate::plan::SchemaChoice;

/// Whether names need lower-casing on the target: a PostgreSQL- or MySQL-family target fed by
/// another family (Oracle and Db2 keep unquoted names in upper case; PostgreSQL folds them to
/// lower case, and MySQL on Linux is case-sensitive).
pub fn needs_lowercase(source: Family, target: Family) -> bool {
    matches!(target, Family::Postgresql | Family::Mysql) && source != target
}

/// Build the rules: the schemas named (each renamed if asked), or every schema but the
/// engine's own; plus lower-casing where `lowercase`.
pub fn build(
    schemas: Option<&[SchemaChoice]>,
    system_schemas: &[String],
    lowercase: bool,
) -> Value {
    let mut rules: Vec<Value> = Vec::new();
    let next = |rules: &mut Vec<Value>, mut rule: Value| {
        let id = (rules.len() + 1).to_string();
        rule["rule-id"] = json!(id);
        rules.push(rule);
    };
    match schemas {
        Some(list) => {
            for s in list {
                next(
                    &mut rules,
                    json!({
                        "rule-type": "selection",
                        "rule-name": format!("include-{}", s.name),
                        "object-locator": {"schema-name": s.name, "table-name": "%"},
                        "rule-action": "include"
                    }),
                );
            }
            for s in list {
                if let Some(new) = &s.rename {
                    next(
                        &mut rules,
                        json!({
                            "rule-type": "transformation",
                            "rule-name": format!("rename-{}", s.name),
                            "rule-target": "schema",
                            "object-locator": {"schema-name": s.name},
                            "rule-action": "rename",
                            "value": new
                        }),
                    );
                } else if lowercase {
                    next(
                        &mut rules,
                        json!({
                            "rule-type": "transformation",
                            "rule-name": format!("lowercase-schema-{}", s.name),
                            "rule-target": "schema",
                            "object-locator": {"schema-name": s.name},
                            "rule-action": "convert-lowercase"
                        }),
                    );
                }
            }
        }
        None => {
            next(
                &mut rules,
                json!({
                    "rule-type": "selection",
                    "rule-name": "include-all-schemas",
                    "object-locator": {"schema-name": "%", "table-name": "%"},
                    "rule-action": "include"
                }),
            );
            for sys in system_schemas {
                next(
                    &mut rules,
                    json!({
                        "rule-type": "selection",
                        "rule-name": format!("exclude-{sys}"),
                        "object-locator": {"schema-name": sys, "table-name": "%"},
                        "rule-action": "exclude"
                    }),
                );
            }
            if lowercase {
                next(
                    &mut rules,
                    json!({
                        "rule-type": "transformation",
                        "rule-name": "lowercase-schemas",
                        "rule-target": "schema",
                        "object-locator": {"schema-name": "%"},
                        "rule-action": "convert-lowercase"
                    }),
                );
            }
        }
    }
    if lowercase {
        next(
            &mut rules,
            json!({
                "rule-type": "transformation",
                "rule-name": "lowercase-tables",
                "rule-target": "table",
                "object-locator": {"schema-name": "%", "table-name": "%"},
                "rule-action": "convert-lowercase"
            }),
        );
        next(
            &mut rules,
            json!({
                "rule-type": "transformation",
                "rule-name": "lowercase-columns",
                "rule-target": "column",
                "object-locator": {"schema-name": "%", "table-name": "%", "column-name": "%"},
                "rule-action": "convert-lowercase"
            }),
        );
    }
    // Field order inside each rule: the id first, as DMS's examples write it.
    let rules: Vec<Value> = rules.into_iter().map(order_rule).collect();
    json!({ "rules": rules })
}

fn order_rule(rule: Value) -> Value {
    let Value::Object(map) = rule else {
        return rule;
    };
    let order = [
        "rule-type",
        "rule-id",
        "rule-name",
        "rule-target",
        "object-locator",
        "rule-action",
        "value",
    ];
    let mut out = serde_json::Map::new();
    for key in order {
        if let Some(v) = map.get(key) {
            out.insert(key.to_string(), v.clone());
        }
    }
    for (k, v) in map {
        if !out.contains_key(&k) {
            out.insert(k, v);
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::parse_schemas;

    #[test]
    fn every_user_schema_without_the_engines_own() {
        let v = build(None, &["SYS".into(), "SYSTEM".into()], true);
        let rules = v["rules"].as_array().unwrap();
        assert_eq!(rules[0]["rule-action"], "include");
        assert_eq!(rules[1]["object-locator"]["schema-name"], "SYS");
        assert_eq!(rules[1]["rule-action"], "exclude");
        let ids: Vec<&str> = rules
            .iter()
            .map(|r| r["rule-id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["1", "2", "3", "4", "5", "6"]);
        assert!(
            rules
                .iter()
                .any(|r| r["rule-target"] == "column" && r["rule-action"] == "convert-lowercase")
        );
    }

    #[test]
    fn named_schemas_with_a_rename() {
        let schemas = parse_schemas("HR,SALES=sales_app").unwrap();
        let v = build(Some(&schemas), &[], true);
        let rules = v["rules"].as_array().unwrap();
        assert_eq!(rules[0]["object-locator"]["schema-name"], "HR");
        assert!(
            rules
                .iter()
                .any(|r| r["rule-action"] == "rename" && r["value"] == "sales_app")
        );
        // A renamed schema gets no second schema action (DMS allows one per object).
        let on_sales = rules
            .iter()
            .filter(|r| {
                r["rule-target"] == "schema" && r["object-locator"]["schema-name"] == "SALES"
            })
            .count();
        assert_eq!(on_sales, 1);
    }

    #[test]
    fn lowercase_only_across_families_into_postgresql_or_mysql() {
        assert!(needs_lowercase(Family::Oracle, Family::Postgresql));
        assert!(needs_lowercase(Family::Sqlserver, Family::Mysql));
        assert!(!needs_lowercase(Family::Postgresql, Family::Postgresql));
        assert!(!needs_lowercase(Family::Oracle, Family::Redshift));
    }
}
