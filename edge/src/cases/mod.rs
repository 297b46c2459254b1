//! Cases (办件): staff and back-office systems accept cases and record events with a
//! hall API key; citizens look up progress and rate with the receipt number plus the
//! query code printed only on the receipt.
//!
//! Each case lives in its own Durable Object (`case_object`), the only writer of its
//! events. KV keeps a row per case (`case:{hall}:{number}`, the row in the metadata) so
//! a hall's list is one `list` call.
//!
//! `ledger` keeps what the case metrics take from each case (one SQLite object).
//!
//! `hall_api` is the staff side (accept, events, one case, the hall's list), `lookup` the
//! citizen side (progress, rating, the receipt QR, the `/c` page), `index` the KV rows;
//! both sides reach the case objects through `common`.

mod common;
pub mod hall_api;
mod index;
pub mod ledger;
pub mod lookup;

pub(crate) use index::{index, index_proxy, result_ready};
pub mod proxy;
