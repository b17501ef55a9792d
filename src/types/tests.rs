//! Type map tests: the embedded maps' invariants, parsing as people type, and one table per
//! pair family whose rows come from the DMS pages named in each table's comment.

use super::*;
use crate::catalog::Catalog;

fn maps() -> &'static TypeMaps {
    TypeMaps::embedded().expect("embedded type maps are valid")
}

fn catalog() -> Catalog {
    Catalog::embedded().expect("embedded catalog")
}

/// (typed, DMS type, target type, supported, lossy)
type Case = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    bool,
    bool,
);

fn check_pair(source: &str, target: &str, cases: &[Case]) {
    let c = catalog();
    let m = maps();
    let s = c.engine(source).expect("source engine");
    let t = c.engine(target).expect("target engine");
    for (typed, dms, tgt, supported, lossy) in cases {
        let row = m.lookup(s, t, typed).expect("a map for the pair");
        assert_eq!(
            (
                row.dms_type.as_deref(),
                row.target_type.as_deref(),
                row.supported,
                row.lossy
            ),
            (*dms, *tgt, *supported, *lossy),
            "{source} -> {target}: `{typed}` ({})",
            row.notes
        );
    }
}

#[test]
fn embedded_maps_are_valid_and_name_catalog_engines() {
    let m = maps();
    let c = catalog();
    for e in m.sources.iter().flat_map(|s| &s.engines) {
        let engine = c
            .engine(e)
            .unwrap_or_else(|| panic!("source map engine `{e}`"));
        assert!(engine.source.is_some(), "`{e}` is no source");
    }
    for e in m.targets.iter().flat_map(|t| &t.engines) {
        let engine = c
            .engine(e)
            .unwrap_or_else(|| panic!("target map engine `{e}`"));
        assert!(engine.target.is_some(), "`{e}` is no target");
    }
}

#[test]
fn a_target_map_missing_a_dms_type_is_refused() {
    let mut value: serde_json::Value = serde_json::from_str(EMBEDDED).unwrap();
    value["targets"][0]["types"]
        .as_array_mut()
        .unwrap()
        .retain(|t| t["dms"] != "CLOB");
    let err = TypeMaps::from_json(&value.to_string()).unwrap_err();
    assert!(err.to_string().contains("`CLOB` has 0 entries"), "{err}");
}

#[test]
fn an_unknown_dms_type_is_refused() {
    let mut value: serde_json::Value = serde_json::from_str(EMBEDDED).unwrap();
    value["sources"][0]["types"][0]["dms"] = "DECIMAL".into();
    let err = TypeMaps::from_json(&value.to_string()).unwrap_err();
    assert!(
        err.to_string().contains("`DECIMAL` is not a DMS data type"),
        "{err}"
    );
}

#[test]
fn types_parse_as_people_type_them() {
    let rows: &[(&str, &str, Vec<Arg>)] = &[
        (
            "NUMBER(10,2)",
            "NUMBER",
            vec![Arg::Number(10), Arg::Number(2)],
        ),
        (
            "number ( 10 , 2 )",
            "NUMBER",
            vec![Arg::Number(10), Arg::Number(2)],
        ),
        ("varchar2(100 char)", "VARCHAR2", vec![Arg::Number(100)]),
        ("VARCHAR2(100 BYTE)", "VARCHAR2", vec![Arg::Number(100)]),
        (
            "TIMESTAMP(6) WITH TIME ZONE",
            "TIMESTAMP WITH TIME ZONE",
            vec![Arg::Number(6)],
        ),
        ("int unsigned", "INT UNSIGNED", vec![]),
        ("unsigned  int", "INT UNSIGNED", vec![]),
        (
            "int(11) unsigned zerofill",
            "INT UNSIGNED",
            vec![Arg::Number(11)],
        ),
        ("nvarchar(max)", "NVARCHAR", vec![Arg::Max]),
        ("NUMBER(*,0)", "NUMBER", vec![Arg::Star, Arg::Number(0)]),
        (
            "NUMBER(5,-2)",
            "NUMBER",
            vec![Arg::Number(5), Arg::Number(-2)],
        ),
        (
            "enum('small','medium')",
            "ENUM",
            vec![Arg::Text("small".into()), Arg::Text("medium".into())],
        ),
        ("integer[]", "ARRAY", vec![]),
        (
            "char(8) for bit data",
            "CHAR FOR BIT DATA",
            vec![Arg::Number(8)],
        ),
    ];
    for (input, name, args) in rows {
        let t = parse_type(input).unwrap_or_else(|e| panic!("`{input}`: {e}"));
        assert_eq!((&t.name, &t.args), (&name.to_string(), args), "`{input}`");
    }
}

#[test]
fn text_that_is_no_type_is_a_finding_not_a_panic() {
    for bad in ["", "   ", "NUMBER(10", "NUMBER)10(", "enum('a", "()"] {
        assert!(parse_type(bad).is_err(), "`{bad}` should not parse");
    }
    let c = catalog();
    let (s, t) = (c.engine("oracle").unwrap(), c.engine("postgres").unwrap());
    for odd in ["", "NUMBER(10", "SUPERTYPE", "🦀(1,2)"] {
        let row = maps().lookup(s, t, odd).expect("a map");
        assert!(!row.supported && row.dms_type.is_none(), "`{odd}`: {row:?}");
        assert!(!row.notes.is_empty(), "`{odd}` needs a reason");
    }
}

/// CHAP_Source.Oracle.html#CHAP_Source.Oracle.DataTypes (and ConnectionAttrib for
/// NumberDataTypeScale), CHAP_Target.PostgreSQL.html#CHAP_Target.PostgreSQL.DataTypes.
#[test]
fn oracle_to_aurora_postgresql() {
    check_pair(
        "oracle",
        "aurora-postgresql",
        &[
            (
                "NUMBER(10,2)",
                Some("NUMERIC(10,2)"),
                Some("NUMERIC(10,2)"),
                true,
                false,
            ),
            (
                "NUMBER",
                Some("NUMERIC(38,10)"),
                Some("NUMERIC(38,10)"),
                true,
                true,
            ),
            ("NUMBER(2)", Some("INT1"), Some("SMALLINT"), true, false),
            ("NUMBER(4,0)", Some("INT2"), Some("SMALLINT"), true, false),
            ("NUMBER(9)", Some("INT4"), Some("INTEGER"), true, false),
            (
                "NUMBER(18)",
                Some("NUMERIC(18,0)"),
                Some("NUMERIC(18,0)"),
                true,
                false,
            ),
            (
                "NUMBER(*,0)",
                Some("NUMERIC(38,0)"),
                Some("NUMERIC(38,0)"),
                true,
                false,
            ),
            ("NUMBER(5,-2)", Some("REAL8"), Some("FLOAT8"), true, true),
            ("FLOAT(24)", Some("REAL4"), Some("FLOAT4"), true, false),
            ("BINARY_DOUBLE", Some("REAL8"), Some("FLOAT8"), true, false),
            (
                "varchar2(100 char)",
                Some("STRING(100)"),
                Some("VARCHAR(100)"),
                true,
                false,
            ),
            (
                "NVARCHAR2(50)",
                Some("WSTRING(50)"),
                Some("VARCHAR(50)"),
                true,
                false,
            ),
            (
                "DATE",
                Some("DATETIME(0)"),
                Some("TIMESTAMP(0)"),
                true,
                false,
            ),
            (
                "TIMESTAMP",
                Some("DATETIME(6)"),
                Some("TIMESTAMP(6)"),
                true,
                false,
            ),
            (
                "TIMESTAMP(9)",
                Some("DATETIME(9)"),
                Some("VARCHAR(37)"),
                true,
                true,
            ),
            (
                "TIMESTAMP(6) WITH TIME ZONE",
                Some("STRING"),
                Some("VARCHAR"),
                true,
                true,
            ),
            (
                "TIMESTAMP WITH LOCAL TIME ZONE",
                Some("STRING"),
                Some("VARCHAR"),
                true,
                true,
            ),
            ("CLOB", Some("CLOB"), Some("TEXT"), true, false),
            ("BLOB", Some("BLOB"), Some("BYTEA"), true, false),
            ("LONG", Some("CLOB"), Some("TEXT"), true, true),
            ("LONG RAW", Some("BLOB"), Some("BYTEA"), true, true),
            ("RAW(16)", Some("BYTES(16)"), Some("BYTEA"), true, false),
            ("BFILE", None, None, false, false),
            ("ROWID", None, None, false, false),
        ],
    );
}

/// CHAP_Source.Oracle.html#CHAP_Source.Oracle.DataTypes and the note on homogeneous
/// replication above it: identical types but LONG (CLOB) and LONG RAW (BLOB);
/// CHAP_Target.Oracle.html#CHAP_Target.Oracle.DataTypes.
#[test]
fn oracle_to_oracle_keeps_types_but_long() {
    check_pair(
        "oracle",
        "oracle",
        &[
            (
                "NUMBER(10,2)",
                Some("NUMERIC(10,2)"),
                Some("NUMBER(10,2)"),
                true,
                false,
            ),
            (
                "NUMBER",
                Some("NUMERIC(38,10)"),
                Some("NUMBER"),
                true,
                false,
            ),
            (
                "VARCHAR2(30)",
                Some("STRING(30)"),
                Some("VARCHAR2(30)"),
                true,
                false,
            ),
            (
                "TIMESTAMP WITH LOCAL TIME ZONE",
                Some("STRING"),
                Some("TIMESTAMP WITH LOCAL TIME ZONE"),
                true,
                false,
            ),
            ("LONG", Some("CLOB"), Some("CLOB"), true, true),
            ("LONG RAW", Some("BLOB"), Some("BLOB"), true, true),
            ("XMLTYPE", Some("CLOB"), Some("XMLTYPE"), true, false),
            ("BFILE", None, None, false, false),
            ("DATE", Some("DATETIME(0)"), Some("DATE"), true, false),
            ("CLOB", Some("CLOB"), Some("CLOB"), true, false),
            (
                "NCHAR(10)",
                Some("WSTRING(10)"),
                Some("NCHAR(10)"),
                true,
                false,
            ),
            (
                "BINARY_FLOAT",
                Some("REAL4"),
                Some("BINARY_FLOAT"),
                true,
                false,
            ),
        ],
    );
}

/// CHAP_Source.Oracle.html#CHAP_Source.Oracle.DataTypes,
/// CHAP_Target.Redshift.html#CHAP_Target.Redshift.DataTypes.
#[test]
fn oracle_to_redshift() {
    check_pair(
        "oracle",
        "redshift",
        &[
            (
                "NUMBER(10,2)",
                Some("NUMERIC(10,2)"),
                Some("NUMERIC(10,2)"),
                true,
                false,
            ),
            ("NUMBER(2)", Some("INT1"), Some("INT2"), true, false),
            ("NUMBER(9)", Some("INT4"), Some("INT4"), true, false),
            (
                "NUMBER",
                Some("NUMERIC(38,10)"),
                Some("NUMERIC(38,10)"),
                true,
                true,
            ),
            ("BINARY_FLOAT", Some("REAL4"), Some("FLOAT4"), true, false),
            (
                "VARCHAR2(4000)",
                Some("STRING(4000)"),
                Some("VARCHAR(4000)"),
                true,
                false,
            ),
            (
                "NVARCHAR2(100)",
                Some("WSTRING(100)"),
                Some("NVARCHAR(100)"),
                true,
                false,
            ),
            (
                "DATE",
                Some("DATETIME(0)"),
                Some("TIMESTAMP(0)"),
                true,
                false,
            ),
            (
                "TIMESTAMP(3)",
                Some("DATETIME(3)"),
                Some("TIMESTAMP(3)"),
                true,
                false,
            ),
            (
                "CLOB",
                Some("CLOB"),
                Some("VARCHAR(LobMaxSize)"),
                true,
                true,
            ),
            (
                "BLOB",
                Some("BLOB"),
                Some("VARCHAR(2 x LobMaxSize)"),
                true,
                true,
            ),
            (
                "RAW(16)",
                Some("BYTES(16)"),
                Some("VARCHAR(16)"),
                true,
                true,
            ),
            ("BFILE", None, None, false, false),
        ],
    );
}

/// CHAP_Source.SQLServer.html#CHAP_Source.SQLServer.DataTypes,
/// CHAP_Target.PostgreSQL.html#CHAP_Target.PostgreSQL.DataTypes.
#[test]
fn sql_server_to_postgresql() {
    check_pair(
        "sqlserver",
        "postgres",
        &[
            ("INT", Some("INT4"), Some("INTEGER"), true, false),
            ("BIGINT", Some("INT8"), Some("BIGINT"), true, false),
            ("TINYINT", Some("UINT1"), Some("SMALLINT"), true, false),
            ("BIT", Some("BOOLEAN"), Some("BOOLEAN"), true, false),
            (
                "DECIMAL(12,3)",
                Some("NUMERIC(12,3)"),
                Some("NUMERIC(12,3)"),
                true,
                false,
            ),
            (
                "MONEY",
                Some("NUMERIC(19,4)"),
                Some("NUMERIC(19,4)"),
                true,
                false,
            ),
            ("FLOAT", Some("REAL8"), Some("FLOAT8"), true, false),
            (
                "DATETIME",
                Some("DATETIME(3)"),
                Some("TIMESTAMP(3)"),
                true,
                false,
            ),
            (
                "DATETIME2",
                Some("DATETIME(7)"),
                Some("VARCHAR(37)"),
                true,
                true,
            ),
            (
                "DATETIME2(3)",
                Some("DATETIME(3)"),
                Some("TIMESTAMP(3)"),
                true,
                false,
            ),
            (
                "datetimeoffset",
                Some("WSTRING(34)"),
                Some("VARCHAR(34)"),
                true,
                true,
            ),
            (
                "NVARCHAR(200)",
                Some("WSTRING(200)"),
                Some("VARCHAR(200)"),
                true,
                false,
            ),
            ("NVARCHAR(MAX)", Some("NCLOB"), Some("TEXT"), true, false),
            ("VARBINARY(max)", Some("BLOB"), Some("BYTEA"), true, false),
            (
                "UNIQUEIDENTIFIER",
                Some("STRING"),
                Some("VARCHAR"),
                true,
                false,
            ),
            (
                "hierarchyid",
                Some("WSTRING(250)"),
                Some("VARCHAR(250)"),
                true,
                true,
            ),
            ("sql_variant", None, None, false, false),
        ],
    );
}

/// CHAP_Source.SQLServer.html#CHAP_Source.SQLServer.DataTypes,
/// CHAP_Target.Babelfish.html#CHAP_Target.Babelfish.DataTypes (DATETIME from
/// CHAP_Target.SQLServer.html#CHAP_Target.SQLServer.DataTypes: the Babelfish table has none).
#[test]
fn sql_server_to_babelfish() {
    check_pair(
        "sqlserver",
        "babelfish",
        &[
            ("INT", Some("INT4"), Some("INT"), true, false),
            ("SMALLINT", Some("INT2"), Some("SMALLINT"), true, false),
            ("TINYINT", Some("UINT1"), Some("TINYINT"), true, false),
            ("BIT", Some("BOOLEAN"), Some("TINYINT"), true, false),
            (
                "NUMERIC(10,2)",
                Some("NUMERIC(10,2)"),
                Some("NUMERIC(10,2)"),
                true,
                false,
            ),
            ("REAL", Some("REAL4"), Some("REAL"), true, false),
            ("DATE", Some("DATE"), Some("DATE"), true, false),
            (
                "DATETIME2(7)",
                Some("DATETIME(7)"),
                Some("DATETIME2(7)"),
                true,
                false,
            ),
            (
                "VARCHAR(50)",
                Some("STRING(50)"),
                Some("VARCHAR(50)"),
                true,
                false,
            ),
            (
                "NVARCHAR(50)",
                Some("WSTRING(50)"),
                Some("NVARCHAR(50)"),
                true,
                false,
            ),
            (
                "VARCHAR(MAX)",
                Some("CLOB"),
                Some("VARCHAR(max)"),
                true,
                false,
            ),
            ("IMAGE", Some("BLOB"), Some("VARBINARY(max)"), true, false),
            (
                "DATETIMEOFFSET",
                Some("WSTRING(34)"),
                Some("NVARCHAR(34)"),
                true,
                true,
            ),
            ("SQL_VARIANT", None, None, false, false),
        ],
    );
}

/// CHAP_Source.MySQL.html#CHAP_Source.MySQL.DataTypes,
/// CHAP_Target.PostgreSQL.html#CHAP_Target.PostgreSQL.DataTypes.
#[test]
fn mysql_to_postgresql() {
    check_pair(
        "mysql",
        "aurora-postgresql",
        &[
            ("INT", Some("INT4"), Some("INTEGER"), true, false),
            ("TINYINT", Some("INT1"), Some("SMALLINT"), true, false),
            ("int unsigned", Some("UINT4"), Some("BIGINT"), true, false),
            (
                "SMALLINT UNSIGNED",
                Some("UINT2"),
                Some("INTEGER"),
                true,
                false,
            ),
            ("bigint unsigned", Some("UINT8"), Some("BIGINT"), true, true),
            (
                "DECIMAL(10)",
                Some("NUMERIC(10,0)"),
                Some("NUMERIC(10,0)"),
                true,
                false,
            ),
            (
                "DECIMAL(12,2)",
                Some("NUMERIC(12,2)"),
                Some("NUMERIC(12,2)"),
                true,
                false,
            ),
            (
                "VARCHAR(45)",
                Some("WSTRING(45)"),
                Some("VARCHAR(45)"),
                true,
                false,
            ),
            (
                "TINYTEXT",
                Some("WSTRING(255)"),
                Some("VARCHAR(255)"),
                true,
                false,
            ),
            ("LONGTEXT", Some("NCLOB"), Some("TEXT"), true, false),
            ("BLOB", Some("BYTES(65535)"), Some("BYTEA"), true, false),
            (
                "DATETIME(3)",
                Some("DATETIME(3)"),
                Some("TIMESTAMP(3)"),
                true,
                false,
            ),
            ("TIME", Some("STRING"), Some("VARCHAR"), true, true),
            ("YEAR", Some("INT2"), Some("SMALLINT"), true, false),
            ("BIT", Some("BOOLEAN"), Some("BOOLEAN"), true, false),
            (
                "enum('s','medium','l')",
                Some("WSTRING(6)"),
                Some("VARCHAR(6)"),
                true,
                true,
            ),
            (
                "SET('a','bb')",
                Some("WSTRING(4)"),
                Some("VARCHAR(4)"),
                true,
                true,
            ),
            ("JSON", Some("CLOB"), Some("TEXT"), true, false),
        ],
    );
}

/// CHAP_Source.PostgreSQL.html#CHAP_Source-PostgreSQL-DataTypes,
/// CHAP_Target.MySQL.html#CHAP_Target.MySQL.DataTypes.
#[test]
fn postgresql_to_mysql() {
    check_pair(
        "postgres",
        "aurora-mysql",
        &[
            ("INTEGER", Some("INT4"), Some("INTEGER"), true, false),
            ("BIGSERIAL", Some("INT8"), Some("BIGINT"), true, false),
            (
                "NUMERIC(12,2)",
                Some("NUMERIC(12,2)"),
                Some("DECIMAL(12,2)"),
                true,
                false,
            ),
            ("NUMERIC(40,2)", Some("STRING"), Some("VARCHAR"), true, true),
            ("NUMERIC", Some("NUMERIC"), Some("DECIMAL"), true, true),
            (
                "MONEY",
                Some("NUMERIC(38,4)"),
                Some("DECIMAL(38,4)"),
                true,
                false,
            ),
            (
                "double precision",
                Some("REAL8"),
                Some("DOUBLE PRECISION"),
                true,
                false,
            ),
            (
                "character varying(80)",
                Some("WSTRING(80)"),
                Some("VARCHAR(80)"),
                true,
                false,
            ),
            (
                "TEXT",
                Some("NCLOB"),
                Some("LONGTEXT CHARACTER SET ucs2"),
                true,
                false,
            ),
            ("BYTEA", Some("BLOB"), Some("LONGBLOB"), true, false),
            (
                "timestamptz",
                Some("DATETIME(6)"),
                Some("DATETIME(6)"),
                true,
                true,
            ),
            ("BOOLEAN", Some("STRING(5)"), Some("VARCHAR(5)"), true, true),
            ("UUID", Some("STRING"), Some("VARCHAR"), true, false),
            (
                "JSONB",
                Some("NCLOB"),
                Some("LONGTEXT CHARACTER SET ucs2"),
                true,
                false,
            ),
            (
                "integer[]",
                Some("NCLOB"),
                Some("LONGTEXT CHARACTER SET ucs2"),
                true,
                true,
            ),
        ],
    );
}

/// CHAP_Source.DB2.html#CHAP_Source.DB2.DataTypes,
/// CHAP_Target.PostgreSQL.html#CHAP_Target.PostgreSQL.DataTypes.
#[test]
fn db2_luw_to_postgresql() {
    check_pair(
        "db2",
        "postgres",
        &[
            ("INTEGER", Some("INT4"), Some("INTEGER"), true, false),
            ("SMALLINT", Some("INT2"), Some("SMALLINT"), true, false),
            ("BIGINT", Some("INT8"), Some("BIGINT"), true, false),
            (
                "DECIMAL(15,2)",
                Some("NUMERIC(15,2)"),
                Some("NUMERIC(15,2)"),
                true,
                false,
            ),
            ("DOUBLE", Some("REAL8"), Some("FLOAT8"), true, false),
            ("REAL", Some("REAL4"), Some("FLOAT4"), true, false),
            ("DECFLOAT(16)", Some("REAL8"), Some("FLOAT8"), true, true),
            ("DECFLOAT", Some("STRING"), Some("VARCHAR"), true, true),
            (
                "VARGRAPHIC(100)",
                Some("WSTRING(100)"),
                Some("VARCHAR(100)"),
                true,
                false,
            ),
            (
                "CHARACTER(10)",
                Some("STRING(10)"),
                Some("VARCHAR(10)"),
                true,
                false,
            ),
            (
                "VARCHAR(20) FOR BIT DATA",
                Some("BYTES(20)"),
                Some("BYTEA"),
                true,
                false,
            ),
            (
                "TIMESTAMP",
                Some("DATETIME(6)"),
                Some("TIMESTAMP(6)"),
                true,
                false,
            ),
            ("DBCLOB", Some("CLOB"), Some("TEXT"), true, false),
            ("XML", Some("CLOB"), Some("TEXT"), true, false),
        ],
    );
}

/// CHAP_Source.SAP.html#CHAP_Source.SAP.DataTypes,
/// CHAP_Target.PostgreSQL.html#CHAP_Target.PostgreSQL.DataTypes.
#[test]
fn sap_ase_to_postgresql() {
    check_pair(
        "sybase",
        "aurora-postgresql",
        &[
            ("BIGINT", Some("INT8"), Some("BIGINT"), true, false),
            ("UNSIGNED BIGINT", Some("UINT8"), Some("BIGINT"), true, true),
            ("UNSIGNED INT", Some("UINT4"), Some("BIGINT"), true, false),
            ("TINYINT", Some("UINT1"), Some("SMALLINT"), true, false),
            (
                "NUMERIC(10,2)",
                Some("NUMERIC(10,2)"),
                Some("NUMERIC(10,2)"),
                true,
                false,
            ),
            (
                "MONEY",
                Some("NUMERIC(19,4)"),
                Some("NUMERIC(19,4)"),
                true,
                false,
            ),
            (
                "BIGDATETIME",
                Some("DATETIME(6)"),
                Some("TIMESTAMP(6)"),
                true,
                false,
            ),
            (
                "UNIVARCHAR(40)",
                Some("WSTRING(40)"),
                Some("VARCHAR(40)"),
                true,
                false,
            ),
            (
                "VARCHAR(40)",
                Some("STRING(40)"),
                Some("VARCHAR(40)"),
                true,
                false,
            ),
            ("BIT", Some("BOOLEAN"), Some("BOOLEAN"), true, false),
            ("TEXT", Some("CLOB"), Some("TEXT"), true, false),
            ("UNITEXT", Some("NCLOB"), Some("TEXT"), true, false),
            ("IMAGE", Some("BLOB"), Some("BYTEA"), true, false),
        ],
    );
}

/// CHAP_Source.MySQL.html#CHAP_Source.MySQL.DataTypes,
/// CHAP_Target.SQLServer.html#CHAP_Target.SQLServer.DataTypes: unsigned types land in
/// signed SQL Server types of the same width.
#[test]
fn mysql_unsigned_integers_to_sql_server_overflow() {
    check_pair(
        "mysql",
        "sqlserver",
        &[
            (
                "TINYINT UNSIGNED",
                Some("UINT1"),
                Some("TINYINT"),
                true,
                false,
            ),
            (
                "SMALLINT UNSIGNED",
                Some("UINT2"),
                Some("SMALLINT"),
                true,
                true,
            ),
            ("INT UNSIGNED", Some("UINT4"), Some("INT"), true, true),
            ("BIGINT UNSIGNED", Some("UINT8"), Some("BIGINT"), true, true),
        ],
    );
}

#[test]
fn a_pair_without_a_map_says_so() {
    let c = catalog();
    let m = maps();
    let report = m.report(
        c.engine("oracle").unwrap(),
        c.engine("dynamodb").unwrap(),
        None,
    );
    assert!(report.types.is_empty());
    assert!(
        report
            .note
            .as_deref()
            .is_some_and(|n| n.contains("no data type map")),
        "{report:?}"
    );
    let report = m.report(
        c.engine("mongodb").unwrap(),
        c.engine("docdb").unwrap(),
        Some("string"),
    );
    assert!(report.types.is_empty(), "{report:?}");
}

#[test]
fn the_whole_map_lists_every_case_once() {
    let c = catalog();
    let rows = maps()
        .pair_rows(c.engine("oracle").unwrap(), c.engine("postgres").unwrap())
        .expect("a map");
    let labels: Vec<&str> = rows.iter().map(|r| r.source_type.as_str()).collect();
    for want in [
        "NUMBER (no precision or scale)",
        "NUMBER(p), p <= 2",
        "NUMBER(p,s), s > 0",
        "LONG",
        "BFILE",
    ] {
        assert!(labels.contains(&want), "{want} missing from {labels:?}");
    }
    let number = rows
        .iter()
        .find(|r| r.source_type == "NUMBER(p,s), s > 0")
        .unwrap();
    assert_eq!(number.target_type.as_deref(), Some("NUMERIC(p,s)"));
    let small = rows
        .iter()
        .find(|r| r.source_type == "NUMBER(p), p <= 2")
        .unwrap();
    assert_eq!(small.target_type.as_deref(), Some("SMALLINT"));
}

#[test]
fn templates_leave_out_unknown_parameters() {
    let v = Values {
        precision: Some(Val::Num(10)),
        ..Values::default()
    };
    assert_eq!(fill_template("NUMERIC({precision},{scale})", &v), "NUMERIC");
    assert_eq!(fill_template("VARCHAR({length})", &v), "VARCHAR");
    assert_eq!(fill_template("NUMBER(19)", &v), "NUMBER(19)");
    let v = Values {
        scale: Some(Val::Num(6)),
        ..Values::default()
    };
    assert_eq!(
        fill_template("TIMESTAMP({scale}) WITH TIME ZONE", &v),
        "TIMESTAMP(6) WITH TIME ZONE"
    );
}
