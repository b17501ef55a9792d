//! Engine versions as people type them (`19c`, `SQL Server 2016 SP2`, `v6.0`) and the ranges
//! the catalog lists. Pure: parsing and ordering only.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Examples shown when a text is no version at all.
pub const EXAMPLES: &str =
    "`19c`, `12.2.0.1`, `2019`, `SQL Server 2016 SP2`, `8.0.35`, `16.4`, `10.11`, `v6.0`";

/// A database engine version: numeric components, plus SQL Server's `R2` releases.
///
/// Ordering is numeric per component; a missing component counts as 0, so `19` == `19.0.0`.
/// `2008 R2` sorts after every `2008.x` and before `2009`.
#[derive(Debug, Clone, Eq)]
pub struct EngineVersion {
    parts: Vec<u32>,
    r2: bool,
}

impl EngineVersion {
    /// The numeric components, most significant first.
    pub fn parts(&self) -> &[u32] {
        &self.parts
    }

    /// The components used for ordering: `R2` becomes an extra major step after the year.
    fn key(&self) -> Vec<u32> {
        if self.r2 {
            let mut key = vec![self.parts[0], u32::MAX];
            key.extend_from_slice(&self.parts[1..]);
            key
        } else {
            self.parts.clone()
        }
    }

    /// This version cut to at most `n` components (`12.2.0.1` cut to 2 is `12.2`).
    pub fn truncated(&self, n: usize) -> EngineVersion {
        let mut parts = self.parts.clone();
        parts.truncate(n.max(1));
        EngineVersion { parts, r2: self.r2 }
    }

    /// The version exactly as written: `19` and `19.0` are equal versions, but each is shown
    /// as typed, so what is kept per version (an assessment) must tell them apart.
    pub fn as_written(&self) -> (&[u32], bool) {
        (&self.parts, self.r2)
    }

    /// How many components were given (`R2` counts as one).
    pub fn precision(&self) -> usize {
        self.parts.len() + usize::from(self.r2)
    }
}

fn cmp_keys(a: &[u32], b: &[u32]) -> Ordering {
    let len = a.len().max(b.len());
    for i in 0..len {
        let (x, y) = (
            a.get(i).copied().unwrap_or(0),
            b.get(i).copied().unwrap_or(0),
        );
        match x.cmp(&y) {
            Ordering::Equal => continue,
            other => return other,
        }
    }
    Ordering::Equal
}

impl PartialEq for EngineVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl PartialOrd for EngineVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for EngineVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_keys(&self.key(), &other.key())
    }
}

impl fmt::Display for EngineVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.r2 {
            write!(f, "{} R2", self.parts[0])?;
            for p in &self.parts[1..] {
                write!(f, ".{p}")?;
            }
            return Ok(());
        }
        let mut first = true;
        for p in &self.parts {
            if !first {
                f.write_str(".")?;
            }
            write!(f, "{p}")?;
            first = false;
        }
        Ok(())
    }
}

/// Why a text is not a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseVersionError {
    /// The text as given.
    pub given: String,
}

impl fmt::Display for ParseVersionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a version (examples: {EXAMPLES})",
            self.given
        )
    }
}

impl std::error::Error for ParseVersionError {}

/// Product words people put before a version; they carry no version information.
const PRODUCT_WORDS: &[&str] = &[
    "oracle",
    "database",
    "sql",
    "server",
    "mysql",
    "mariadb",
    "postgresql",
    "postgres",
    "pg",
    "mongodb",
    "mongo",
    "db2",
    "ase",
    "sybase",
    "sap",
    "aurora",
    "version",
    "ver",
    "release",
    "edition",
    "community",
    "enterprise",
    "standard",
];

impl FromStr for EngineVersion {
    type Err = ParseVersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseVersionError {
            given: s.to_string(),
        };
        let lower = s.trim().to_ascii_lowercase();
        let mut words = lower
            .split(|c: char| c.is_whitespace() || c == '_')
            .filter(|w| !w.is_empty())
            .skip_while(|w| PRODUCT_WORDS.contains(w))
            .peekable();
        let mut core = words.next().ok_or_else(err)?.to_string();
        // `2008 R2`, `2008r2`
        // Oracle `10gR2`, `11gR1`: release N of that version, i.e. `10.2`.
        if let Some(pos) = core.find("gr") {
            let (major, release) = (&core[..pos], &core[pos + 2..]);
            if !major.is_empty()
                && major.chars().all(|c| c.is_ascii_digit())
                && !release.is_empty()
                && release.chars().all(|c| c.is_ascii_digit())
            {
                core = format!("{major}.{release}");
            }
        }
        let mut r2 = false;
        if let Some(next) = words.peek() {
            if *next == "r2" {
                r2 = true;
                words.next();
            }
        }
        if let Some(stripped) = core.strip_suffix("r2") {
            r2 = true;
            core = stripped.to_string();
        }
        // What follows the version (`SP2`, `CU14`, `-log`, `(Ubuntu)`) is not part of it.
        for w in words {
            let service_pack = w.starts_with("sp") || w.starts_with("cu") || w.starts_with("fp");
            let noise = w.starts_with('(') || w.starts_with('-') || w.starts_with('+');
            if !(service_pack || noise || w.chars().all(|c| c.is_ascii_alphabetic())) {
                return Err(err());
            }
        }
        let core = core.strip_prefix('v').unwrap_or(&core);
        // Cut build suffixes: `5.7.44-log`, `16.4+deb12`, `8.0.35-0ubuntu`.
        let core = core.split(['-', '+']).next().unwrap_or_default();
        // Oracle marketing suffixes: `19c`, `11g`, `23ai`, `10gR2`.
        let core = ["ai", "c", "g", "i"]
            .iter()
            .find_map(|suffix| {
                core.strip_suffix(suffix)
                    .filter(|rest| rest.ends_with(|c: char| c.is_ascii_digit()))
            })
            .unwrap_or(core);
        let core = core.strip_suffix('.').unwrap_or(core);
        if core.is_empty() {
            return Err(err());
        }
        let mut parts = Vec::new();
        for piece in core.split('.') {
            if piece.is_empty() || !piece.chars().all(|c| c.is_ascii_digit()) || piece.len() > 9 {
                return Err(err());
            }
            parts.push(piece.parse().map_err(|_| err())?);
        }
        if r2 && parts.len() != 1 {
            return Err(err());
        }
        Ok(EngineVersion { parts, r2 })
    }
}

impl Serialize for EngineVersion {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for EngineVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// An inclusive range of versions, compared at the precision the catalog wrote.
///
/// `max` `12.2` includes `12.2.0.1`; `min` `10.0.24` excludes `10.0.23`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    /// The oldest version in the range.
    pub min: EngineVersion,
    /// The newest version in the range, at the precision it is written.
    pub max: EngineVersion,
}

impl Range {
    /// Whether `v` lies in this range.
    pub fn contains(&self, v: &EngineVersion) -> bool {
        v >= &self.min && v.truncated(self.max.precision()) <= self.max
    }

    /// Whether `v`, given with fewer components than `min`, names a series that is only partly
    /// in this range (`10.0` against `10.0.24`–`10.0`, `9` against `9.4`–`9.6`).
    pub fn overlaps_series(&self, v: &EngineVersion) -> bool {
        v.precision() < self.min.precision()
            && !self.contains(v)
            && v >= &self.min.truncated(v.precision())
            && v.truncated(self.max.precision()) <= self.max
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.min == self.max {
            write!(f, "{}", self.min)
        } else if self.min.precision() > self.max.precision()
            && self.min.truncated(self.max.precision()) == self.max
        {
            // `10.0.24`–`10.0`: from 10.0.24 to the last 10.0 release.
            write!(f, "{}–{}.x", self.min, self.max)
        } else {
            write!(f, "{}–{}", self.min, self.max)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> EngineVersion {
        s.parse().unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    #[test]
    fn parses_versions_as_people_type_them() {
        let cases = [
            ("19c", "19"),
            ("19", "19"),
            ("19.0.0.0", "19.0.0.0"),
            ("12.2.0.1", "12.2.0.1"),
            ("11g", "11"),
            ("10gR2", "10.2"),
            ("23ai", "23"),
            ("Oracle 19c", "19"),
            ("2019", "2019"),
            ("SQL Server 2016 SP2", "2016"),
            ("sql server 2019 cu14", "2019"),
            ("2008 R2", "2008 R2"),
            ("2008R2", "2008 R2"),
            ("8.0.35", "8.0.35"),
            ("5.7.44-log", "5.7.44"),
            ("5.7", "5.7"),
            ("9.6", "9.6"),
            ("16.4", "16.4"),
            ("PostgreSQL 16.4", "16.4"),
            ("10.11", "10.11"),
            ("v6.0", "6.0"),
            ("  V7.0 ", "7.0"),
            ("15.7 SP100", "15.7"),
            ("11.5.8.0", "11.5.8.0"),
        ];
        for (input, want) in cases {
            assert_eq!(v(input).to_string(), want, "input {input:?}");
        }
    }

    #[test]
    fn refuses_text_that_is_no_version() {
        for input in [
            "", "latest", "abc", "19.x", "1..2", "v", "twelve", "12 13", "2019R2.1",
        ] {
            let err = input.parse::<EngineVersion>().expect_err(input);
            assert!(err.to_string().contains("examples"), "input {input:?}");
        }
    }

    #[test]
    fn orders_numerically_with_missing_parts_as_zero() {
        assert!(v("10.11") > v("10.6"));
        assert_eq!(v("19"), v("19.0.0"));
        assert!(v("2008 R2") > v("2008"));
        assert!(v("2008 R2") < v("2012"));
        assert!(v("9.4") < v("10"));
    }

    #[test]
    fn ranges_compare_at_catalog_precision() {
        let r = |a: &str, b: &str| Range {
            min: v(a),
            max: v(b),
        };
        let cases = [
            (r("11", "12.2"), "12.2.0.1", true),
            (r("11", "12.2"), "12.1", true),
            (r("11", "12.2"), "18", false),
            (r("10.0.24", "10.0"), "10.0.28", true),
            (r("10.0.24", "10.0"), "10.0.23", false),
            (r("10.0.24", "10.0"), "10.0", false),
            (r("10.2", "10.6"), "10.11", false),
            (r("10.2", "10.6"), "10.6.17", true),
            (r("9.4", "9.6"), "9.3", false),
            (r("9.4", "9.6"), "9", false),
            (r("10", "18"), "16.4", true),
            (r("2008", "2022"), "2008 R2", true),
            (r("2012", "2022"), "2008 R2", false),
        ];
        for (range, input, want) in cases {
            assert_eq!(range.contains(&v(input)), want, "{input} in {range}");
        }
    }

    #[test]
    fn a_short_version_partly_overlaps_a_range() {
        let r = |a: &str, b: &str| Range {
            min: v(a),
            max: v(b),
        };
        assert!(r("10.0.24", "10.0").overlaps_series(&v("10.0")));
        assert!(r("9.4", "9.6").overlaps_series(&v("9")));
        assert!(!r("9.4", "9.6").overlaps_series(&v("8")));
        assert!(!r("10", "18").overlaps_series(&v("16")));
    }
}
