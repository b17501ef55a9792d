//! dmsplan: plan AWS DMS migrations offline.

pub mod catalog;
