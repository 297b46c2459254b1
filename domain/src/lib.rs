//! Zhinan's domain: the one definition of items, guides and their rules that the app,
//! the edge worker, the seed tool and the tests all share. No JS, no I/O.
//!
//! By concern: [`catalog`] (items, codes, validation, hours, search, diffs), [`lint`]
//! (the twelve consistency rules), [`calendar`] (dates, holidays, working days),
//! [`cases`] (cases, events, receipts, progress), [`accounts`] (staff roles and
//! passwords), [`metrics`] (the figures a centre is assessed on); [`api`] holds the HTTP
//! bodies apart from the rules, and [`FieldPath`] names a field of a body or an item
//! wherever one is at fault.

pub mod accounts;
pub mod api;
pub mod calendar;
pub mod cases;
pub mod catalog;
pub mod field_path;
pub mod lint;
pub mod metrics;

pub use calendar::Date;
pub use catalog::code::{CodeError, ItemCode};
pub use catalog::item::*;
pub use catalog::validate::{parse_item, validate_item, FieldError};
pub use catalog::{Catalog, CatalogEntry, Directory, Hall, HallRows, HallSection, LifeEvent};
pub use field_path::FieldPath;
pub use lint::{
    has_errors, lint_catalog, lint_item, Finding, LintContext, PeerLimit, RuleInfo, Severity, RULES,
};
