//! Invariants of the embedded catalog and refusals of broken ones.

use super::*;

#[test]
fn embedded_catalog_is_valid() {
    if let Err(e) = Catalog::embedded() {
        panic!("embedded catalog: {e}");
    }
}
