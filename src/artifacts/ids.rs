//! DMS resource identifiers: the rule they follow, and the ones a plan derives from its name.

use serde::Serialize;

/// Check a DMS identifier (replication instance, endpoint, task, subnet group, certificate):
/// 1 to `max` ASCII letters, digits and hyphens, starting with a letter, without a trailing
/// hyphen or two hyphens in a row (CHAP_ReplicationInstance.Creating.html, API reference).
pub fn check(id: &str, max: usize) -> Result<(), String> {
    if id.is_empty() || id.len() > max {
        return Err(format!("`{id}` must have 1 to {max} characters"));
    }
    let bytes = id.as_bytes();
    if !bytes[0].is_ascii_alphabetic() {
        return Err(format!("`{id}` must start with a letter"));
    }
    // One pass over the bytes: every allowed character is ASCII, so the first byte that is
    // not allowed starts the first character that is not.
    let mut double_hyphen = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'-' {
            double_hyphen |= i > 0 && bytes[i - 1] == b'-';
        } else if !b.is_ascii_alphanumeric() {
            let c = id[i..].chars().next().unwrap_or_default();
            return Err(format!(
                "`{id}` may hold only letters, digits and hyphens, not `{c}`"
            ));
        }
    }
    if id.ends_with('-') {
        return Err(format!("`{id}` must not end with a hyphen"));
    }
    if double_hyphen {
        return Err(format!("`{id}` must not hold two hyphens in a row"));
    }
    Ok(())
}

/// The longest replication instance identifier DMS accepts.
pub const MAX_INSTANCE_ID: usize = 63;

/// The longest endpoint, task and subnet group identifier DMS accepts.
pub const MAX_ID: usize = 255;

/// Every identifier a plan uses, derived from its slug.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identifiers {
    /// Replication subnet group.
    pub subnet_group: String,
    /// Replication instance.
    pub instance: String,
    /// Source endpoint.
    pub source_endpoint: String,
    /// Target endpoint.
    pub target_endpoint: String,
    /// Replication task.
    pub task: String,
    /// Premigration assessment run.
    pub assessment_run: String,
    /// Source CA certificate.
    pub source_certificate: String,
    /// Target CA certificate.
    pub target_certificate: String,
}

impl Identifiers {
    /// Identifiers for a plan; `slug` comes from `plan::slug`, which already follows the rule.
    pub fn new(slug: &str) -> Result<Identifiers, String> {
        let id = |suffix: &str| [slug, suffix].concat();
        let ids = Identifiers {
            subnet_group: id("-subnets"),
            instance: id("-ri"),
            source_endpoint: id("-src"),
            target_endpoint: id("-tgt"),
            task: id("-task"),
            assessment_run: id("-assessment"),
            source_certificate: id("-src-ca"),
            target_certificate: id("-tgt-ca"),
        };
        // Checking the instance's identifier checks them all: each is the same stem with a
        // suffix of letters after one hyphen, at most 8 bytes longer than `-ri`, and the others
        // may be 255 characters long, not 63.
        check(&ids.instance, MAX_INSTANCE_ID)?;
        Ok(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::slug;

    #[test]
    fn the_rule_names_what_is_broken() {
        assert!(check("billing-ri", 63).is_ok());
        assert!(check("", 63).unwrap_err().contains("1 to 63"));
        assert!(check(&"a".repeat(64), 63).unwrap_err().contains("1 to 63"));
        assert!(
            check("1abc", 63)
                .unwrap_err()
                .contains("start with a letter")
        );
        assert!(check("a_b", 63).unwrap_err().contains("not `_`"));
        assert!(check("ab-", 63).unwrap_err().contains("end with a hyphen"));
        assert!(check("a--b", 63).unwrap_err().contains("two hyphens"));
        assert!(
            check("a--b-", 63)
                .unwrap_err()
                .contains("end with a hyphen")
        );
        assert!(check("a--é", 63).unwrap_err().contains("not `é`"));
        assert!(check("-a", 63).unwrap_err().contains("start with a letter"));
        assert!(check("é", 63).unwrap_err().contains("start with a letter"));
    }

    #[test]
    fn names_people_type_become_valid_identifiers() {
        for name in [
            "billing",
            "x; rm -rf ~",
            "$(reboot)",
            "Ünïcode DB (prod) 2024",
            "a--b--",
            &"long name ".repeat(20),
        ] {
            let s = slug(name);
            let ids = Identifiers::new(&s).unwrap_or_else(|e| panic!("{name:?}: {e}"));
            assert!(check(&ids.instance, MAX_INSTANCE_ID).is_ok(), "{name:?}");
            for id in [
                &ids.subnet_group,
                &ids.source_endpoint,
                &ids.target_endpoint,
                &ids.task,
                &ids.assessment_run,
                &ids.source_certificate,
                &ids.target_certificate,
            ] {
                assert!(check(id, MAX_ID).is_ok(), "{name:?}: {id}");
            }
        }
    }
}
