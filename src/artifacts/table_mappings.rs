//! `table-mappings.json`: DMS selection and transformation rules for a plan.
//!
//! The rules are typed structs serialized in DMS's field order, so the file and the compact
//! copy inside the CloudFormation template come straight from them (no JSON tree built first).

use std::cell::RefCell;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use super::json::{self, Object};
use crate::catalog::Family;
use crate::plan::SchemaChoice;

/// Whether names need lower-casing on the target: a PostgreSQL- or MySQL-family target fed by
/// another family (Oracle and Db2 keep unquoted names in upper case; PostgreSQL folds them to
/// lower case, and MySQL on Linux is case-sensitive).
pub fn needs_lowercase(source: Family, target: Family) -> bool {
    matches!(target, Family::Postgresql | Family::Mysql) && source != target
}

/// The whole file: `{"rules": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableMappings {
    /// The rules, numbered from 1 in this order.
    pub rules: Vec<Rule>,
}

/// One selection or transformation rule. Field order is DMS's: the id right after the type,
/// as its examples write it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Rule {
    /// `selection` or `transformation`.
    pub rule_type: &'static str,
    /// The rule's number, written as a string as DMS's examples do.
    #[serde(serialize_with = "as_text")]
    pub rule_id: usize,
    /// A name unique within the file.
    pub rule_name: String,
    /// What a transformation changes: `schema`, `table` or `column`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_target: Option<&'static str>,
    /// The objects the rule applies to.
    pub object_locator: ObjectLocator,
    /// `include`, `exclude`, `rename` or `convert-lowercase`.
    pub rule_action: &'static str,
    /// The new name of a `rename`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// The objects a rule applies to (`%` is DMS's wildcard).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ObjectLocator {
    /// Schema name or pattern.
    pub schema_name: String,
    /// Table name or pattern, when the rule looks at tables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_name: Option<&'static str>,
    /// Column name or pattern, when the rule looks at columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column_name: Option<&'static str>,
}

impl TableMappings {
    /// Write the rules into a JSON object, the file's or the template's copy: what serde
    /// writes for this struct, in one pass (see `json::Object`). Keep it in step with the fields above.
    pub fn write_json(&self, mut doc: Object<'_>) {
        doc.objects("rules", &self.rules, Rule::write_json);
        doc.close();
    }
}

impl Rule {
    fn write_json(&self, mut rule: Object<'_>) {
        rule.text("rule-type", self.rule_type);
        rule.number_text("rule-id", self.rule_id);
        rule.text("rule-name", &self.rule_name);
        if let Some(target) = self.rule_target {
            rule.text("rule-target", target);
        }
        let locator = &self.object_locator;
        let mut at = rule.object("object-locator");
        at.text("schema-name", &locator.schema_name);
        if let Some(table) = locator.table_name {
            at.text("table-name", table);
        }
        if let Some(column) = locator.column_name {
            at.text("column-name", column);
        }
        at.close();
        rule.text("rule-action", self.rule_action);
        if let Some(value) = &self.value {
            rule.text("value", value);
        }
        rule.close();
    }
}

fn as_text<S: Serializer>(n: &usize, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(n)
}

/// `prefix` followed by `name`, without the formatting machinery.
fn joined(prefix: &str, name: &str) -> String {
    let mut s = String::with_capacity(prefix.len() + name.len());
    s.push_str(prefix);
    s.push_str(name);
    s
}

/// The rules in order, each numbered as it is pushed.
struct Rules(Vec<Rule>);

impl Rules {
    /// Select (`include` or `exclude`) every table of a schema.
    fn select(&mut self, name: String, schema: &str, action: &'static str) {
        self.push(Rule {
            rule_type: "selection",
            rule_id: 0,
            rule_name: name,
            rule_target: None,
            object_locator: ObjectLocator {
                schema_name: schema.to_string(),
                table_name: Some("%"),
                column_name: None,
            },
            rule_action: action,
            value: None,
        });
    }

    /// Change the names of a schema (and, for tables and columns, of what is inside it).
    fn transform(
        &mut self,
        name: String,
        target: &'static str,
        object_locator: ObjectLocator,
        action: &'static str,
        value: Option<String>,
    ) {
        self.push(Rule {
            rule_type: "transformation",
            rule_id: 0,
            rule_name: name,
            rule_target: Some(target),
            object_locator,
            rule_action: action,
            value,
        });
    }

    fn push(&mut self, mut rule: Rule) {
        rule.rule_id = self.0.len() + 1;
        self.0.push(rule);
    }
}

/// The locator of a schema transformation.
fn schema(name: &str) -> ObjectLocator {
    ObjectLocator {
        schema_name: name.to_string(),
        table_name: None,
        column_name: None,
    }
}

/// Build the rules: the schemas named (each renamed if asked), or every schema but the
/// engine's own; plus lower-casing where `lowercase`.
pub fn build(
    schemas: Option<&[SchemaChoice]>,
    system_schemas: &[String],
    lowercase: bool,
) -> TableMappings {
    let mut rules = Rules(Vec::with_capacity(system_schemas.len() + 6));
    match schemas {
        Some(list) => {
            for s in list {
                rules.select(joined("include-", &s.name), &s.name, "include");
            }
            for s in list {
                if let Some(new) = &s.rename {
                    let name = joined("rename-", &s.name);
                    rules.transform(name, "schema", schema(&s.name), "rename", Some(new.clone()));
                } else if lowercase {
                    let name = joined("lowercase-schema-", &s.name);
                    rules.transform(name, "schema", schema(&s.name), "convert-lowercase", None);
                }
            }
        }
        None => {
            rules.select("include-all-schemas".into(), "%", "include");
            for sys in system_schemas {
                rules.select(joined("exclude-", sys), sys, "exclude");
            }
            if lowercase {
                let name = "lowercase-schemas".into();
                rules.transform(name, "schema", schema("%"), "convert-lowercase", None);
            }
        }
    }
    if lowercase {
        let every = |column_name| ObjectLocator {
            schema_name: "%".into(),
            table_name: Some("%"),
            column_name,
        };
        let name = "lowercase-tables".into();
        rules.transform(name, "table", every(None), "convert-lowercase", None);
        let name = "lowercase-columns".into();
        rules.transform(name, "column", every(Some("%")), "convert-lowercase", None);
    }
    TableMappings { rules: rules.0 }
}

/// Table mappings with their two texts: the file, and the template's copy.
#[derive(Debug)]
pub struct Written {
    /// The rules.
    pub mappings: TableMappings,
    /// `table-mappings.json`.
    pub file: String,
    /// The copy in the template (`json::Object::nested`).
    pub nested: String,
}

impl Written {
    fn new(mappings: TableMappings) -> Written {
        let file = json::pretty(256 + 320 * mappings.rules.len(), |doc| {
            mappings.write_json(doc);
        });
        let mut nested = String::with_capacity(file.len());
        mappings.write_json(Object::nested(&mut nested));
        Written {
            mappings,
            file,
            nested,
        }
    }
}

/// How many selections of every user schema `written` keeps per thread: one for each source
/// engine and lower-casing is far fewer; the limit only bounds a catalog given per plan.
const KEEP: usize = 64;

/// The mappings `build` makes, written. Every plan that migrates every user schema of the same
/// source engine has the same, so a batch builds and writes them once per engine (and thread),
/// not for each plan; a plan that names its schemas gets its own. The key is the system schemas
/// themselves, not the engine's id, so two catalogs never share an entry wrongly.
pub fn written(
    schemas: Option<&[SchemaChoice]>,
    system_schemas: &[String],
    lowercase: bool,
) -> Arc<Written> {
    type Kept = Vec<(bool, Vec<String>, Arc<Written>)>;
    thread_local! {
        static KEPT: RefCell<Kept> = const { RefCell::new(Vec::new()) };
    }
    if schemas.is_some() {
        return Arc::new(Written::new(build(schemas, system_schemas, lowercase)));
    }
    KEPT.with_borrow_mut(|kept| {
        let found = kept
            .iter()
            .find(|(l, sys, _)| *l == lowercase && sys.as_slice() == system_schemas);
        if let Some((_, _, written)) = found {
            return Arc::clone(written);
        }
        let written = Arc::new(Written::new(build(None, system_schemas, lowercase)));
        if kept.len() < KEEP {
            kept.push((lowercase, system_schemas.to_vec(), Arc::clone(&written)));
        }
        written
    })
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::artifacts::json::{self, nested_by_serde};
    use crate::plan::parse_schemas;

    fn value(t: &TableMappings) -> Value {
        serde_json::to_value(t).unwrap()
    }

    #[test]
    fn every_user_schema_without_the_engines_own() {
        let v = value(&build(None, &["SYS".into(), "SYSTEM".into()], true));
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
        let v = value(&build(Some(&schemas), &[], true));
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
    fn fields_come_in_the_order_dms_writes_them() {
        let text = serde_json::to_string(&build(None, &[], true)).unwrap();
        assert!(text.starts_with(
            r#"{"rules":[{"rule-type":"selection","rule-id":"1","rule-name":"include-all-schemas","object-locator":{"schema-name":"%","table-name":"%"},"rule-action":"include"}"#
        ));
    }

    #[test]
    fn the_template_copy_is_what_serde_writes() {
        let schemas = parse_schemas("HR,SALES=sales_app,my schema=Ünï,back\\slash$x%").unwrap();
        let system = ["SYS".to_string(), "a\"b".to_string()];
        for tm in [
            build(None, &system, true),
            build(None, &[], false),
            build(Some(&schemas), &[], true),
            build(Some(&schemas), &[], false),
        ] {
            let mut ours = String::new();
            tm.write_json(Object::nested(&mut ours));
            assert_eq!(ours, nested_by_serde(&tm));
            let pretty = json::pretty(0, |doc| tm.write_json(doc));
            assert_eq!(pretty, serde_json::to_string_pretty(&tm).unwrap() + "\n");
        }
    }

    #[test]
    fn written_mappings_are_shared_only_when_they_are_the_same() {
        let sys = ["SYS".to_string(), "SYSTEM".to_string()];
        let first = written(None, &sys, true);
        assert!(Arc::ptr_eq(&first, &written(None, &sys, true)));
        for (schemas, system, lowercase) in [
            (None, &sys[..1], true),
            (None, &sys[..], false),
            (Some(&parse_schemas("HR").unwrap()[..]), &sys[..], true),
        ] {
            let other = written(schemas, system, lowercase);
            assert!(!Arc::ptr_eq(&first, &other));
            let tm = build(schemas, system, lowercase);
            assert_eq!(other.mappings, tm);
            assert_eq!(
                other.file,
                serde_json::to_string_pretty(&tm).unwrap() + "\n"
            );
            assert_eq!(other.nested, nested_by_serde(&tm));
        }
    }

    #[test]
    fn lowercase_only_across_families_into_postgresql_or_mysql() {
        assert!(needs_lowercase(Family::Oracle, Family::Postgresql));
        assert!(needs_lowercase(Family::Sqlserver, Family::Mysql));
        assert!(!needs_lowercase(Family::Postgresql, Family::Postgresql));
        assert!(!needs_lowercase(Family::Oracle, Family::Redshift));
    }
}
