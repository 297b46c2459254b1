//! Zhinan's domain: the one definition of items, guides and their rules that the app,
//! the edge worker, the seed tool and the tests all share. No JS, no I/O.

pub mod api;
pub mod case;
pub mod catalog;
pub mod code;
pub mod date;
pub mod holiday_notice;
pub mod hours;
pub mod item;
pub mod lint;
pub mod progress;
pub mod receipt;
pub mod search;
pub mod staff;
pub mod validate;
pub mod workdays;

#[cfg(test)]
mod tests;

pub use catalog::{Catalog, CatalogEntry, Hall, LifeEvent};
pub use code::{CodeError, ItemCode};
pub use date::Date;
pub use item::*;
pub use lint::{
    has_errors, lint_catalog, lint_item, Finding, LintContext, PeerLimit, RuleInfo, Severity, RULES,
};
pub use validate::{parse_item, validate_item, FieldError};
