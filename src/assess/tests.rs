//! Assessment cases, each citing its DMS doc page.
