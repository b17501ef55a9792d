//! Assessment cases, one row each, each citing the DMS user guide page it comes from.

use super::*;
use crate::catalog::Catalog;

/// One case: a pair as a user types it and what DMS's docs say of it.
struct Case {
    doc: &'static str,
    source: &'static str,
    source_edition: Option<&'static str>,
    source_hosting: Option<&'static str>,
    target: &'static str,
    target_edition: Option<&'static str>,
    target_hosting: Option<&'static str>,
    cdc: bool,
    supported: bool,
    classification: Option<Classification>,
    kind: Option<PairKind>,
    cdc_supported: Option<bool>,
    finding: Option<(&'static str, Severity)>,
}

fn case(doc: &'static str, source: &'static str, target: &'static str) -> Case {
    Case {
        doc,
        source,
        source_edition: None,
        source_hosting: None,
        target,
        target_edition: None,
        target_hosting: None,
        cdc: false,
        supported: true,
        classification: None,
        kind: None,
        cdc_supported: None,
        finding: None,
    }
}

impl Case {
    fn edition(mut self, e: &'static str) -> Case {
        self.source_edition = Some(e);
        self
    }
    fn hosted(mut self, h: &'static str) -> Case {
        self.source_hosting = Some(h);
        self
    }
    fn target_edition(mut self, e: &'static str) -> Case {
        self.target_edition = Some(e);
        self
    }
    fn target_hosted(mut self, h: &'static str) -> Case {
        self.target_hosting = Some(h);
        self
    }
    fn cdc(mut self) -> Case {
        self.cdc = true;
        self
    }
    fn unsupported(mut self, id: &'static str) -> Case {
        self.supported = false;
        self.finding = Some((id, Severity::Blocker));
        self
    }
    fn warns(mut self, id: &'static str) -> Case {
        self.finding = Some((id, Severity::Warning));
        self
    }
    fn notes(mut self, id: &'static str) -> Case {
        self.finding = Some((id, Severity::Info));
        self
    }
    fn class(mut self, c: Classification, k: PairKind) -> Case {
        self.classification = Some(c);
        self.kind = Some(k);
        self
    }
    fn cdc_supported(mut self, yes: bool) -> Case {
        self.cdc_supported = Some(yes);
        self
    }
}

const SOURCES: &str = "CHAP_Introduction.Sources.html";
const TARGETS: &str = "CHAP_Introduction.Targets.html";

fn cases() -> Vec<Case> {
    use Classification::{Heterogeneous as Het, Homogeneous as Hom};
    vec![
        // Oracle source versions at both edges (Sources intro: 10.2+, 11g-12.2, 18c, 19c).
        case(SOURCES, "oracle:10.2", "aurora-postgresql:16")
            .class(Het, PairKind::RelationalToRelational),
        case(SOURCES, "oracle:10.1", "aurora-postgresql:16")
            .unsupported("source.version.unsupported"),
        case(SOURCES, "oracle:12.2.0.1", "postgres:15"),
        case(SOURCES, "oracle:19c", "aurora-postgresql:16")
            .cdc()
            .cdc_supported(true),
        case(SOURCES, "oracle:21c", "aurora-postgresql:16")
            .unsupported("source.version.unsupported"),
        case(SOURCES, "oracle:23ai", "oracle:19c").unsupported("source.version.unsupported"),
        // Oracle editions (CHAP_Source.Oracle: Express; no CDC from XE 18c and later).
        case(
            "CHAP_Source.Oracle.html",
            "oracle:18c",
            "aurora-postgresql:16",
        )
        .edition("XE")
        .cdc()
        .unsupported("cdc.oracle.edition"),
        case(
            "CHAP_Source.Oracle.html",
            "oracle:11.2",
            "aurora-postgresql:16",
        )
        .edition("Express")
        .cdc()
        .cdc_supported(true),
        case(SOURCES, "oracle:19c", "aurora-postgresql:16")
            .edition("Standard Edition 2")
            .cdc(),
        case(SOURCES, "oracle:19c", "aurora-postgresql:16").edition("SE2"),
        // SQL Server source (Sources intro: 2008/2008R2 in DMS 3.5.4, 2012-2022; editions).
        case(SOURCES, "sqlserver:2008", "sqlserver").warns("source.version.min-dms"),
        case(SOURCES, "mssql:2008 R2", "sqlserver").warns("source.version.min-dms"),
        case(SOURCES, "sqlserver:2005", "sqlserver").unsupported("source.version.unsupported"),
        case(SOURCES, "sql-server:2022", "aurora-postgresql:16").cdc(),
        case(SOURCES, "sqlserver:2019", "sqlserver")
            .edition("Express")
            .unsupported("source.edition.unsupported"),
        case(SOURCES, "sqlserver:2019", "sqlserver")
            .edition("Web")
            .cdc_supported(false),
        case(SOURCES, "sqlserver:2019", "sqlserver")
            .edition("Web")
            .cdc()
            .unsupported("cdc.sqlserver.edition"),
        case(SOURCES, "sqlserver:2014", "sqlserver")
            .edition("Standard")
            .cdc()
            .unsupported("cdc.sqlserver.edition"),
        case(SOURCES, "sqlserver:2016", "sqlserver")
            .edition("standard")
            .cdc()
            .cdc_supported(true),
        case(SOURCES, "SQL Server:SQL Server 2016 SP2", "sqlserver")
            .edition("Developer")
            .cdc(),
        case(SOURCES, "sqlserver:2019", "sqlserver").class(Hom, PairKind::SameEngine),
        // SQL Server target editions (CHAP_Target.SQLServer: Web and Express unsupported).
        case(
            "CHAP_Target.SQLServer.html",
            "sqlserver:2019",
            "sqlserver:2019",
        )
        .target_edition("Web")
        .unsupported("target.edition.unsupported"),
        case(
            "CHAP_Target.SQLServer.html",
            "sqlserver:2019",
            "sqlserver:2019",
        )
        .target_edition("Express")
        .unsupported("target.edition.unsupported"),
        // MySQL (Sources intro: 5.5, 5.6, 5.7, 8.0, 8.4).
        case(SOURCES, "mysql:5.5", "aurora-mysql:8.0").class(Hom, PairKind::SameFamily),
        case(SOURCES, "mysql:5.1", "aurora-mysql:8.0").unsupported("source.version.unsupported"),
        case(SOURCES, "mysql:8.4", "mysql:8.4"),
        case(SOURCES, "mysql:9.1", "mysql:8.4").unsupported("source.version.unsupported"),
        case("CHAP_Source.MySQL.html", "mysql:5.5", "aurora-mysql:8.0")
            .hosted("rds")
            .cdc()
            .unsupported("cdc.mysql.version"),
        case("CHAP_Source.MySQL.html", "mysql:5.5", "aurora-mysql:8.0")
            .hosted("on-prem")
            .cdc(),
        // MariaDB (Sources intro: 10.0.24+, 10.2-10.6, 10.11, 11.4).
        case(SOURCES, "mariadb:10.0.24", "aurora-mysql:8.0").class(Hom, PairKind::SameFamily),
        case(SOURCES, "mariadb:10.0.23", "aurora-mysql:8.0")
            .unsupported("source.version.unsupported"),
        case(SOURCES, "mariadb:10.11", "mariadb:10.11"),
        case(SOURCES, "mariadb:10.7", "mariadb:10.11").unsupported("source.version.unsupported"),
        // PostgreSQL (Sources intro: 9.4+, 10-18; 17 and 18 need a newer DMS engine).
        case(SOURCES, "postgres:9.4", "aurora-postgresql:16").class(Hom, PairKind::SameFamily),
        case(SOURCES, "postgresql:9.3", "aurora-postgresql:16")
            .unsupported("source.version.unsupported"),
        case(SOURCES, "pg:18", "aurora-postgresql:16").warns("source.version.min-dms"),
        case(
            "CHAP_Source.PostgreSQL.html",
            "postgres:14",
            "aurora-postgresql:16",
        )
        .hosted("rds")
        .edition("read replica")
        .cdc()
        .unsupported("cdc.postgres.edition"),
        case(
            "CHAP_Source.GCPostgres.html",
            "postgres:15",
            "aurora-postgresql:16",
        )
        .hosted("gcp")
        .cdc(),
        // Hosting: one end must be in AWS (CHAP_Endpoints.Creating).
        case("CHAP_Endpoints.Creating.html", "oracle:19c", "postgres:16")
            .target_hosted("on-prem")
            .unsupported("pair.aws-endpoint"),
        case("CHAP_Endpoints.Creating.html", "oracle:19c", "postgres:16").target_hosted("ec2"),
        case(SOURCES, "sqlserver:2019", "sqlserver").hosted("azure"),
        // Azure SQL Database: full load only; Managed Instance: CDC (CHAP_Source.AzureSQL).
        case("CHAP_Source.AzureSQL.html", "azure-sql", "sqlserver").cdc_supported(false),
        case("CHAP_Source.AzureSQL.html", "azuredb", "sqlserver")
            .cdc()
            .unsupported("cdc.azuredb.engine"),
        case(
            "CHAP_Source.AzureMgd.html",
            "azure-sql-managed-instance",
            "sqlserver",
        )
        .cdc()
        .cdc_supported(true),
        case("CHAP_Source.GC.html", "gcp-mysql:8.0", "aurora-mysql:8.0")
            .warns("source.version.min-dms"),
        // MongoDB and DocumentDB: compatible, not identical (CHAP_Source.MongoDB).
        case("CHAP_Source.MongoDB.html", "mongodb:6.0", "docdb")
            .class(Hom, PairKind::Compatible)
            .warns("source.version.min-dms"),
        case("CHAP_Source.MongoDB.html", "mongodb:4.4", "documentdb")
            .cdc()
            .cdc_supported(true),
        case("CHAP_Source.MongoDB.html", "mongodb:3.4", "docdb")
            .unsupported("source.version.unsupported"),
        case("CHAP_Source.MongoDB.html", "mongodb:4.4", "docdb")
            .edition("standalone")
            .cdc()
            .unsupported("cdc.mongodb.edition"),
        // Db2 (CHAP_Source.DB2zOS: full load only; CHAP_Target.DB2: Db2 sources only).
        case("CHAP_Source.DB2zOS.html", "db2-zos:12", "db2")
            .cdc()
            .unsupported("cdc.db2-zos.engine"),
        case("CHAP_Source.DB2zOS.html", "db2-zos:12", "db2").class(Hom, PairKind::SameFamily),
        case("CHAP_Target.DB2.html", "oracle:19c", "db2").unsupported("pair.source-family"),
        // Babelfish endpoint: SQL Server sources, full load only (CHAP_Target.Babelfish).
        case("CHAP_Target.Babelfish.html", "sqlserver:2019", "babelfish")
            .class(Het, PairKind::Babelfish),
        case("CHAP_Target.Babelfish.html", "sqlserver:2019", "babelfish")
            .cdc()
            .unsupported("cdc.babelfish.target"),
        case("CHAP_Target.Babelfish.html", "oracle:19c", "babelfish")
            .unsupported("pair.source-family"),
        // Non-relational and analytics targets (Targets intro).
        case(TARGETS, "oracle:19c", "redshift").class(Het, PairKind::ToAnalytics),
        case(TARGETS, "mysql:8.0", "s3")
            .class(Het, PairKind::DataMovement)
            .cdc(),
        case(TARGETS, "postgres:16", "kinesis")
            .cdc()
            .cdc_supported(true),
        case("CHAP_Target.Neptune.html", "oracle:19c", "neptune")
            .cdc()
            .unsupported("cdc.neptune.target"),
        case(TARGETS, "sap-ase:16", "aurora-postgresql:16")
            .class(Het, PairKind::RelationalToRelational),
        case(TARGETS, "oracle:19c", "oracle:19c").class(Hom, PairKind::SameEngine),
        // Aurora MySQL sources: no CDC from reader replicas or Serverless v1 (CHAP_Source.MySQL).
        case("CHAP_Source.MySQL.html", "aurora-mysql:8.0", "mysql:8.0")
            .edition("reader replica")
            .cdc()
            .unsupported("cdc.aurora.edition"),
        case("CHAP_Source.MySQL.html", "aurora-mysql:8.0", "mysql:8.0")
            .edition("Serverless v2")
            .cdc(),
        // Roles DMS does not play (Sources and Targets intros).
        case(SOURCES, "redshift", "s3").unsupported("source.role"),
        case(TARGETS, "mysql:8.0", "mongodb").unsupported("target.role"),
        // Without --cdc, missing CDC is worth knowing, not a blocker.
        case("CHAP_Source.AzureSQL.html", "azuredb", "sqlserver").notes("cdc.azuredb.engine"),
        case(
            "CHAP_Source.Oracle.html",
            "oracle:19c",
            "aurora-postgresql:16",
        )
        .notes("schema-conversion.tool"),
        // Unknown edition text is a blocker naming the accepted ones.
        case(SOURCES, "oracle:19c", "aurora-postgresql:16")
            .edition("platinum")
            .unsupported("source.edition.unknown"),
        // A version given too coarsely to decide is a warning.
        case(SOURCES, "mariadb:10.0", "mariadb:10.11").warns("source.version.imprecise"),
    ]
}

fn endpoint(
    catalog: &Catalog,
    spec: &str,
    edition: Option<&str>,
    hosting: Option<&str>,
) -> Endpoint {
    let spec: EngineSpec = spec.parse().unwrap_or_else(|e| panic!("{spec}: {e}"));
    let engine = catalog
        .engine(&spec.engine)
        .unwrap_or_else(|| panic!("no engine `{}` in the catalog", spec.engine));
    Endpoint {
        engine: engine.id.clone(),
        version: spec.version,
        edition: edition.map(str::to_string),
        hosting: hosting.map(|h| h.parse().expect("hosting")),
    }
}

#[test]
fn assessment_cases_follow_the_dms_user_guide() {
    let catalog = Catalog::embedded().expect("embedded catalog");
    let cases = cases();
    assert!(cases.len() >= 40, "the issue asks for at least 40 cases");
    let mut failures = Vec::new();
    for c in &cases {
        let pair = Pair {
            source: endpoint(&catalog, c.source, c.source_edition, c.source_hosting),
            target: endpoint(&catalog, c.target, c.target_edition, c.target_hosting),
            cdc: c.cdc,
        };
        let a = assess(&catalog, &pair).expect("assess");
        let label = format!(
            "{} ({:?}, {:?}) -> {} ({:?}, {:?}) cdc={} [{}]",
            c.source,
            c.source_edition,
            c.source_hosting,
            c.target,
            c.target_edition,
            c.target_hosting,
            c.cdc,
            c.doc
        );
        let ids: Vec<String> = a
            .findings
            .iter()
            .map(|f| format!("{}:{}", f.severity.as_str(), f.id))
            .collect();
        if a.supported != c.supported {
            failures.push(format!(
                "{label}: supported={} want {}; findings {ids:?}",
                a.supported, c.supported
            ));
        }
        if let Some(want) = c.classification {
            if a.classification != want || Some(a.pair_kind) != c.kind {
                failures.push(format!(
                    "{label}: {:?}/{:?} want {want:?}/{:?}",
                    a.classification, a.pair_kind, c.kind
                ));
            }
        }
        if let Some(want) = c.cdc_supported {
            if a.cdc_supported != want {
                failures.push(format!(
                    "{label}: cdc_supported={} want {want}; findings {ids:?}",
                    a.cdc_supported
                ));
            }
        }
        if let Some((id, severity)) = c.finding {
            if !a
                .findings
                .iter()
                .any(|f| f.id == id && f.severity == severity)
            {
                failures.push(format!(
                    "{label}: no {} `{id}`; findings {ids:?}",
                    severity.as_str()
                ));
            }
        }
        if c.supported && c.finding.is_none_or(|(_, s)| s != Severity::Blocker) {
            if let Some(b) = a.findings.iter().find(|f| f.severity == Severity::Blocker) {
                failures.push(format!(
                    "{label}: unexpected blocker {} ({})",
                    b.id, b.message
                ));
            }
        }
        for f in &a.findings {
            if !f.doc.starts_with("https://") {
                failures.push(format!("{label}: finding {} has no doc link", f.id));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn findings_are_sorted_blockers_first() {
    let catalog = Catalog::embedded().expect("embedded catalog");
    let pair = Pair {
        source: endpoint(&catalog, "oracle:9", Some("xe"), None),
        target: endpoint(&catalog, "postgres:16", None, Some("on-prem")),
        cdc: true,
    };
    let a = assess(&catalog, &pair).expect("assess");
    let severities: Vec<Severity> = a.findings.iter().map(|f| f.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort();
    assert_eq!(severities, sorted);
    assert_eq!(a.verdict, Verdict::Unsupported);
}

#[test]
fn cdc_prerequisites_are_listed_only_when_cdc_is_wanted() {
    let catalog = Catalog::embedded().expect("embedded catalog");
    let mut pair = Pair {
        source: endpoint(&catalog, "oracle:19c", None, None),
        target: endpoint(&catalog, "aurora-postgresql:16", None, None),
        cdc: false,
    };
    let without = assess(&catalog, &pair).expect("assess");
    pair.cdc = true;
    let with = assess(&catalog, &pair).expect("assess");
    assert!(without.prerequisites.iter().all(|p| p.when == When::Always));
    assert!(
        with.prerequisites
            .iter()
            .any(|p| p.id == "oracle.archivelog")
    );
    assert_eq!(with.migration_type, MigrationType::FullLoadAndCdc);
    assert_eq!(without.migration_type, MigrationType::FullLoad);
}

#[test]
fn engine_spec_parses_engine_and_version() {
    let s: EngineSpec = "oracle:19c".parse().unwrap();
    assert_eq!(s.engine, "oracle");
    assert_eq!(s.version.unwrap().to_string(), "19");
    let s: EngineSpec = "postgres".parse().unwrap();
    assert!(s.version.is_none());
    assert!(":19".parse::<EngineSpec>().is_err());
    assert!(
        "oracle:latest"
            .parse::<EngineSpec>()
            .unwrap_err()
            .contains("not a version")
    );
}

/// A kept assessment is the one `assess` makes, and a pair is kept by its versions as
/// written: `19` and `19.0` are equal versions, but each runbook names its own.
#[test]
fn kept_assessments_are_fresh_ones_and_tell_versions_as_written_apart() {
    let catalog = Catalog::embedded().expect("embedded catalog");
    let kept = Assessments::default();
    let pair = |source: &str, cdc: bool| Pair {
        source: endpoint(&catalog, source, None, None),
        target: endpoint(&catalog, "aurora-postgresql:16", None, None),
        cdc,
    };
    for (source, cdc) in [
        ("oracle:19", false),
        ("oracle:19", true),
        ("oracle:19.0", false),
        ("oracle:19", false),
        ("postgres:14", true),
    ] {
        let p = pair(source, cdc);
        assert_eq!(
            kept.assess(&catalog, &p).unwrap(),
            assess(&catalog, &p).unwrap()
        );
    }
    let short = kept.assess(&catalog, &pair("oracle:19", false)).unwrap();
    let long = kept.assess(&catalog, &pair("oracle:19.0", false)).unwrap();
    assert_eq!(short.source.version.as_deref(), Some("19"));
    assert_eq!(long.source.version.as_deref(), Some("19.0"));
    assert_eq!(kept.lock().len(), 4);
}
