//! Invariants of the embedded catalog and refusals of broken ones.

use super::*;

#[test]
fn embedded_catalog_is_valid() {
    if let Err(e) = Catalog::embedded() {
        panic!("embedded catalog: {e}");
    }
}

fn cat() -> Catalog {
    Catalog::embedded().expect("embedded catalog is valid")
}

fn v(s: &str) -> EngineVersion {
    s.parse().unwrap_or_else(|e| panic!("{e}"))
}

/// Every `--engine-name` DMS has for a source or target (serverless variants are editions,
/// `elasticsearch` is an alias of `opensearch`).
const DMS_ENGINE_IDS: &[&str] = &[
    "oracle",
    "sqlserver",
    "mysql",
    "mariadb",
    "postgres",
    "aurora",
    "aurora-postgresql",
    "mongodb",
    "docdb",
    "db2",
    "db2-zos",
    "sybase",
    "azuredb",
    "azure-sql-managed-instance",
    "gcp-mysql",
    "redshift",
    "redshift-serverless",
    "s3",
    "dynamodb",
    "kinesis",
    "kafka",
    "opensearch",
    "neptune",
    "redis",
    "babelfish",
    "timestream",
];

#[test]
fn every_dms_engine_is_present() {
    let c = cat();
    for id in DMS_ENGINE_IDS {
        assert!(
            c.engines.iter().any(|e| e.id == *id),
            "engine `{id}` missing"
        );
    }
}

#[test]
fn names_people_type_resolve() {
    let c = cat();
    for (name, id) in [
        ("PostgreSQL", "postgres"),
        ("pg", "postgres"),
        ("aurora mysql", "aurora"),
        ("MSSQL", "sqlserver"),
        ("sql server", "sqlserver"),
        ("SAP ASE", "sybase"),
        ("DocumentDB", "docdb"),
        ("azure sql", "azuredb"),
        ("db2 luw", "db2"),
        ("mongo", "mongodb"),
        ("MSK", "kafka"),
        ("elasticsearch", "opensearch"),
        ("ElastiCache", "redis"),
        ("cloud sql mysql", "gcp-mysql"),
        ("maria", "mariadb"),
        ("babelfish-aurora-postgresql", "babelfish"),
        ("ddb", "dynamodb"),
        ("kinesis-data-streams", "kinesis"),
        ("amazon-s3", "s3"),
    ] {
        let got = c.engine(name).map(|e| e.id.as_str());
        assert_eq!(got, Some(id), "`{name}`");
    }
}

#[test]
fn targets_default_to_an_aws_hosting() {
    for e in cat().engines {
        if let Some(t) = &e.target {
            assert!(
                t.hostings[0].is_aws(),
                "target `{}` defaults to {}",
                e.id,
                t.hostings[0]
            );
        }
    }
}

#[test]
fn relational_sources_list_their_user_and_cdc_prerequisites() {
    let c = cat();
    for e in c.engines.iter().filter(|e| e.kind == Kind::Relational) {
        let Some(src) = &e.source else { continue };
        let prereqs: Vec<_> = c.prerequisites_for(&e.id, Role::Source).collect();
        assert!(
            prereqs.iter().any(|p| p.when == When::Always),
            "source `{}` has no always-prerequisite (the DMS user)",
            e.id
        );
        if src.cdc.supported {
            for h in &src.hostings {
                assert!(
                    prereqs
                        .iter()
                        .any(|p| p.applies(true, *h) && p.when == When::Cdc),
                    "source `{}` on {h} has no CDC prerequisite",
                    e.id
                );
            }
        }
    }
}

#[test]
fn main_relational_targets_list_the_dms_user() {
    let c = cat();
    for id in [
        "postgres",
        "aurora-postgresql",
        "mysql",
        "aurora",
        "mariadb",
        "sqlserver",
        "oracle",
        "redshift",
    ] {
        assert!(
            c.prerequisites_for(id, Role::Target)
                .any(|p| p.when == When::Always),
            "target `{id}` has no DMS user prerequisite"
        );
    }
}

#[test]
fn prerequisite_ids_start_with_their_engine() {
    for p in cat().prerequisites {
        assert!(
            p.id.starts_with(&format!("{}.", p.engine)),
            "prerequisite `{}`",
            p.id
        );
        assert!(
            ["sql", "ini", "shell", "json", "text"].contains(&p.lang.as_str()),
            "prerequisite `{}` lang",
            p.id
        );
    }
}

#[test]
fn limitation_hostings_belong_to_the_role() {
    for e in cat().engines {
        for (role, spec) in [("source", &e.source), ("target", &e.target)] {
            let Some(spec) = spec else { continue };
            for l in &spec.limitations {
                if let Some(h) = &l.hostings {
                    assert!(
                        h.iter().all(|h| spec.hostings.contains(h)),
                        "{} {role} limitation `{}`",
                        e.id,
                        l.id
                    );
                }
            }
        }
    }
}

#[test]
fn roles_with_editions_name_a_default() {
    for e in cat().engines {
        for (role, spec) in [("source", &e.source), ("target", &e.target)] {
            let Some(spec) = spec else { continue };
            if spec.editions.is_empty() {
                continue;
            }
            let default = spec
                .default_edition
                .as_ref()
                .unwrap_or_else(|| panic!("{} {role} has no default edition", e.id));
            let ed = spec.editions.iter().find(|ed| &ed.id == default).unwrap();
            assert!(
                ed.supported && ed.cdc,
                "{} {role}: the default edition must be fully supported",
                e.id
            );
        }
    }
}

#[test]
fn full_load_only_endpoints() {
    let c = cat();
    for (id, role) in [
        ("db2-zos", Role::Source),
        ("azuredb", Role::Source),
        ("neptune", Role::Target),
        ("babelfish", Role::Target),
    ] {
        let spec = c.engine(id).and_then(|e| e.role(role)).unwrap();
        assert!(!spec.cdc.supported, "{id} {role} should be full load only");
    }
    for id in ["redshift", "s3", "kafka", "aurora-postgresql", "docdb"] {
        assert!(
            c.engine(id).unwrap().target.as_ref().unwrap().cdc.supported,
            "{id} target CDC"
        );
    }
}

#[test]
fn restricted_targets_name_their_source_families() {
    let c = cat();
    let fam = |id: &str| {
        c.engine(id)
            .unwrap()
            .target
            .as_ref()
            .unwrap()
            .allowed_source_families
            .clone()
    };
    assert_eq!(fam("babelfish"), Some(vec![Family::Sqlserver]));
    assert_eq!(fam("db2"), Some(vec![Family::Db2]));
    assert_eq!(fam("postgres"), None);
}

#[test]
fn aurora_engines_are_hosted_on_aurora_only() {
    let c = cat();
    for id in ["aurora", "aurora-postgresql", "babelfish"] {
        let e = c.engine(id).unwrap();
        for spec in [&e.source, &e.target].into_iter().flatten() {
            assert_eq!(spec.hostings, vec![Hosting::Aurora], "{id}");
        }
    }
}

fn span_for<'a>(spec: &'a RoleSpec, version: &str, hosting: Hosting) -> Option<&'a VersionSpan> {
    let ver = v(version);
    spec.versions
        .iter()
        .find(|s| s.applies_to(hosting) && s.range().contains(&ver))
}

#[test]
fn version_spans_carry_the_documented_minimum_dms_versions() {
    let c = cat();
    let src = |id: &str| c.engine(id).unwrap().source.clone().unwrap();
    let pg = src("postgres");
    for (ver, dms) in [
        ("15.4", Some("3.5.1")),
        ("16.2", Some("3.5.3")),
        ("17.1", Some("3.6.1")),
        ("14.9", None),
    ] {
        let s = span_for(&pg, ver, Hosting::Ec2).unwrap_or_else(|| panic!("pg {ver}"));
        assert_eq!(s.min_dms.as_deref(), dms, "pg {ver}");
    }
    let ms = src("sqlserver");
    assert_eq!(
        span_for(&ms, "2008 R2", Hosting::OnPrem)
            .unwrap()
            .min_dms
            .as_deref(),
        Some("3.5.4")
    );
    assert!(span_for(&ms, "2005", Hosting::OnPrem).is_none());
    let mongo = src("mongodb");
    for (ver, dms) in [
        ("5.0", "3.5.1"),
        ("6.0.4", "3.5.2"),
        ("7.0", "3.5.4"),
        ("8.0.1", "3.5.4"),
    ] {
        assert_eq!(
            span_for(&mongo, ver, Hosting::OnPrem)
                .unwrap()
                .min_dms
                .as_deref(),
            Some(dms),
            "mongo {ver}"
        );
    }
    assert!(span_for(&mongo, "3.4", Hosting::OnPrem).is_none());
    assert_eq!(
        span_for(&src("gcp-mysql"), "8.0.31", Hosting::Gcp)
            .unwrap()
            .min_dms
            .as_deref(),
        Some("3.4.6")
    );
    assert_eq!(
        span_for(&src("mysql"), "8.0.36", Hosting::Rds)
            .unwrap()
            .min_dms
            .as_deref(),
        Some("3.4.0")
    );
}

#[test]
fn full_load_only_versions_and_editions() {
    let c = cat();
    let src = |id: &str| c.engine(id).unwrap().source.clone().unwrap();
    assert!(!span_for(&src("mysql"), "5.5.62", Hosting::Rds).unwrap().cdc);
    assert!(
        span_for(&src("mysql"), "5.5.62", Hosting::OnPrem)
            .unwrap()
            .cdc
    );
    assert!(
        !span_for(&src("aurora-postgresql"), "10.5", Hosting::Aurora)
            .unwrap()
            .cdc
    );
    assert!(
        span_for(&src("aurora-postgresql"), "10.6", Hosting::Aurora)
            .unwrap()
            .cdc
    );
    assert!(span_for(&src("mariadb"), "10.0.23", Hosting::OnPrem).is_none());
    assert!(span_for(&src("mariadb"), "10.0.28", Hosting::OnPrem).is_some());

    let ed = |id: &str, name: &str| {
        src(id)
            .editions
            .into_iter()
            .find(|e| e.is_named(name))
            .unwrap_or_else(|| panic!("{id} edition {name}"))
    };
    assert!(!ed("sqlserver", "express").supported);
    assert!(!ed("sqlserver", "web").cdc);
    assert_eq!(
        ed("sqlserver", "standard").cdc_versions.unwrap()[0].min,
        v("2016")
    );
    assert!(!ed("aurora", "aurora replica").cdc);
    assert!(!ed("aurora", "serverless v1").cdc);
    assert!(ed("aurora", "serverless v2").cdc);
    assert!(!ed("aurora-postgresql", "serverless v1").cdc);
    assert!(!ed("postgres", "read replica").cdc);
    assert!(!ed("mongodb", "standalone").cdc);
    assert!(ed("mongodb", "replica set").cdc);
    let xe = ed("oracle", "XE");
    assert!(
        xe.supported
            && xe
                .cdc_versions
                .unwrap()
                .iter()
                .all(|r| !r.contains(&v("18")))
    );

    let tgt = c.engine("sqlserver").unwrap().target.clone().unwrap();
    for name in ["web", "express"] {
        assert!(
            !tgt.editions
                .iter()
                .find(|e| e.is_named(name))
                .unwrap()
                .supported,
            "sqlserver target {name}"
        );
    }
}

#[test]
fn schema_conversion_tools_name_engines_in_their_role() {
    let c = cat();
    let mut ids = BTreeSet::new();
    for t in &c.schema_conversion {
        assert!(ids.insert(t.id.clone()), "tool id `{}` twice", t.id);
        assert!(
            !t.sources.is_empty() && !t.targets.is_empty(),
            "tool `{}`",
            t.id
        );
    }
    let converts = |tool: &str, s: &str, t: &str| {
        c.schema_conversion.iter().any(|x| {
            x.id.starts_with(tool)
                && x.sources.iter().any(|i| i == s)
                && x.targets.iter().any(|i| i == t)
        })
    };
    assert!(converts(
        "dms-schema-conversion",
        "oracle",
        "aurora-postgresql"
    ));
    assert!(converts("dms-schema-conversion", "sqlserver", "mysql"));
    assert!(converts("aws-sct", "oracle", "redshift"));
    assert!(converts("aws-sct", "sqlserver", "babelfish"));
}

/// Secrets never enter a runbook: a prerequisite names a password only through the client's
/// own variable (`&dms_password`, `$(DMS_PASSWORD)`, `:'dms_password'`, `@dms_password`,
/// `process.env.DMS_PASSWORD`), never as a literal.
#[test]
fn no_prerequisite_holds_a_literal_password() {
    let catalog = Catalog::embedded().unwrap();
    for p in &catalog.prerequisites {
        let text =
            format!("{}\n{}", p.action, p.check.as_deref().unwrap_or_default()).to_lowercase();
        for needle in [
            "change_me",
            "password = '",
            "password '",
            "identified by '",
            "pwd: \"",
            "pwd: '",
        ] {
            let literal = text.match_indices(needle).any(|(i, _)| {
                let rest = &text[i + needle.len()..];
                !(rest.starts_with("$(") || rest.starts_with(['&', ':', ',']))
            });
            assert!(
                !literal,
                "prerequisite `{}` holds a literal password ({needle})",
                p.id
            );
        }
    }
}

#[test]
fn a_name_is_compared_as_it_normalizes() {
    let names = [
        "",
        " ",
        "-",
        "pg",
        "PG",
        "p g",
        "p-g",
        "p--g",
        "pg-",
        "-pg",
        "aurora-postgresql",
        " Aurora_PostgreSQL ",
        "aurora  postgresql",
        "aurora\t_-postgresql",
        "aurora\u{b}postgresql",
        "aurora-postgresq",
        "aurora-postgresqll",
        "MS SQL",
        "ms-sql",
        "mssql",
        "Postgrés",
        "postgrés",
        "ΣQL",
        "σql",
        "sql\u{a0}server",
        "sql-server",
    ];
    for s in names {
        for other in names {
            let key = normalize(other);
            assert_eq!(
                normalizes_to(s, &key),
                normalize(s) == key,
                "`{s}` against `{key}`"
            );
        }
    }
}

#[test]
fn every_id_and_alias_finds_its_engine_in_any_case_and_spacing() {
    let c = cat();
    for e in &c.engines {
        for name in std::iter::once(&e.id).chain(&e.aliases) {
            for typed in [
                name.clone(),
                name.to_uppercase(),
                format!("  {}  ", name.replace('-', " ")),
                name.replace('-', "_"),
            ] {
                assert_eq!(c.engine(&typed).map(|f| &f.id), Some(&e.id), "`{typed}`");
            }
        }
    }
    assert!(c.engine("postgress").is_none());
    assert!(c.engine("").is_none());
}

/// Filling in one pass reads as the six replacements it replaced, for every retention text of
/// the catalog and texts with placeholders side by side, unknown or cut short.
#[test]
fn retention_placeholders_fill_as_replacements_did() {
    fn replaced(text: &str, hours: u32, rate: f64) -> String {
        let gb = (f64::from(hours) * rate).ceil().max(1.0) as u64;
        text.replace("{hours}", &hours.to_string())
            .replace("{days}", &hours.div_ceil(24).to_string())
            .replace("{minutes}", &(u64::from(hours) * 60).to_string())
            .replace("{seconds}", &(u64::from(hours) * 3600).to_string())
            .replace("{gb}", &gb.to_string())
            .replace("{mb}", &(gb * 1024).to_string())
    }
    let c = Catalog::embedded().unwrap();
    let mut texts: Vec<String> = c
        .engines
        .iter()
        .filter_map(|e| e.source.as_ref())
        .flat_map(|s| s.log_retention.iter())
        .flat_map(|r| [r.title.clone(), r.action.clone()])
        .collect();
    assert!(texts.iter().any(|t| t.contains("{hours}")));
    texts.extend(
        [
            "{hours}{days}{minutes}{seconds}{gb}{mb}",
            "{{hours}} {hour} {gb {mb}} {",
            "}{}{x}{hours",
            "é{days}ü",
            "",
        ]
        .map(String::from),
    );
    for text in &texts {
        for (hours, rate) in [(1, 0.0), (25, 1.0), (48, 2.5), (168, 30.0), (1000, 0.1)] {
            assert_eq!(
                LogRetention::fill(text, hours, rate),
                replaced(text, hours, rate),
                "{text}"
            );
        }
    }
}
