//! The schema section of the committed example runbooks: type lines and conversion steps for
//! heterogeneous pairs, the options side by side and a recommendation for homogeneous ones.

use std::path::Path;

fn runbook(slug: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("plans")
        .join(slug)
        .join("runbook.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn schema_section(text: &str) -> &str {
    let start = text.find("\n## Schema\n").expect("a schema section");
    let rest = &text[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    &rest[..end]
}

#[test]
fn oracle_to_aurora_postgresql_shows_conversion_steps_and_type_lines() {
    let text = runbook("billing-oracle-to-aurora-postgresql");
    let s = schema_section(&text);
    for want in [
        "### Conversion steps",
        "Run the assessment report",
        "Convert the schema and code objects",
        "Apply the converted schema",
        "Fix the action items",
        "`DO_NOTHING`",
        "### Data types that change on the way",
        "| Source type | DMS type | Target type | Status | What to know |",
        "NUMERIC(38,10)",
        "| [BFILE](",
        "| [LONG](",
        "TIMESTAMP WITH LOCAL TIME ZONE",
        "`dmsplan types --source oracle --target aurora-postgresql`",
    ] {
        assert!(s.contains(want), "missing {want:?} in:\n{s}");
    }
}

#[test]
fn sql_server_to_babelfish_shows_compass_and_type_lines() {
    let s = runbook("payroll-sql-server-to-babelfish");
    let s = schema_section(&s);
    assert!(s.contains("Babelfish Compass"), "{s}");
    assert!(
        s.contains("| [SQL\\_VARIANT](") || s.contains("| [SQL_VARIANT]("),
        "{s}"
    );
    assert!(s.contains("DATETIMEOFFSET"), "{s}");
}

#[test]
fn sql_server_to_rds_recommends_a_native_load_then_cdc_from_the_lsn() {
    let text = runbook("crm-sql-server-to-rds");
    let s = schema_section(&text);
    assert!(s.contains("### Ways to move the data"), "{s}");
    assert!(s.contains("SQL Server native backup to S3"), "{s}");
    assert!(s.contains("DMS full load and CDC"), "{s}");
    assert!(
        s.contains(
            "**dmsplan recommends Native full load, then DMS CDC from the recorded position**"
        ),
        "{s}"
    );
    assert!(s.contains("`--cdc-start-position`"), "{s}");
    assert!(!s.contains("### Data types that change"), "{s}");
}

#[test]
fn small_mysql_to_aurora_recommends_a_dump_and_lists_xtrabackup() {
    let text = runbook("shop-mysql-5-7-to-aurora-mysql");
    let s = schema_section(&text);
    assert!(s.contains("**dmsplan recommends mysqldump**"), "{s}");
    assert!(
        s.contains("Percona XtraBackup restored from Amazon S3"),
        "{s}"
    );
    assert!(s.contains("DMS homogeneous data migrations"), "{s}");
}
