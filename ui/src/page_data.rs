//! The data a server-rendered page was made from, embedded in the page as JSON so the
//! app can take over with exactly the same content without a second request.

use serde::{Deserialize, Serialize};
use zhinan_domain::catalog::search::Filters;
use zhinan_domain::{CatalogEntry, Directory, Hall, Item, LifeEvent};

use crate::print::QrPath;
use crate::progress::Lookup;
use crate::search::{SearchChoices, SearchResult};

/// Id of the `<script type="application/json">` element holding the `PageData`.
pub const PAGE_DATA_ID: &str = "zhinan-data";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageData {
    /// The official public origin (`PUBLIC_ORIGIN`) guide URLs and QR codes use.
    pub origin: String,
    pub page: Page,
}

/// The pages the citizen app leaves as served (print, life event, progress, a hall's page;
/// see the app's `main`) keep their data in the page for the edge's own use, but the app's
/// wasm skips reading it (`skip_deserializing` on wasm32), which keeps their deserializers
/// out of the bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// Externally tagged on purpose: an internally tagged enum makes serde buffer every
// variant through `Content`, which doubles the deserializer code in the citizen wasm.
#[serde(rename_all = "snake_case")]
pub enum Page {
    /// `/`: the halls and their item counts, life events.
    Home {
        catalog: Directory,
    },
    /// `/h/{hall}`: one hall and its items. Left as served by the app, which does not
    /// read it at all (a page it cannot read is one it leaves as served).
    #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
    Hall {
        hall: Hall,
        rows: Vec<CatalogEntry>,
    },
    Guide {
        item: Box<Item>,
        hall: Option<Hall>,
        /// Village service points that take this item over (代办), when it may be, and
        /// how many more the hall has.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        villages: Vec<Hall>,
        #[serde(default, skip_serializing_if = "is_zero")]
        more_villages: u32,
    },
    NotFound {
        code: String,
    },
    /// `/s?q=…`: the query, the filters and their results.
    Search {
        query: String,
        filters: Filters,
        results: Vec<SearchResult>,
        choices: SearchChoices,
    },
    /// `/e/{id}`: a life event with its items in order.
    LifeEvent {
        #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
        event: LifeEvent,
        #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
        items: Vec<Item>,
        #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
        halls: Vec<Hall>,
    },
    /// `/g/{code}/print`: the one-page notice (一次性告知单).
    Print {
        item: Box<Item>,
        #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
        hall: Option<Hall>,
        #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
        qr: Option<QrPath>,
    },
    /// `/c`: the progress lookup, with its result when one was asked for.
    Progress {
        #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
        lookup: Box<Lookup>,
    },
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl PageData {
    /// JSON safe to place inside a `<script>` element: `<` is escaped so no catalog text
    /// can close the element (`</script>`) or open a comment.
    pub fn to_script_json(&self) -> String {
        serde_json::to_string(self)
            .expect("page data serializes")
            .replace('<', "\\u003c")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let data = PageData {
            origin: "http://x".into(),
            page: Page::NotFound {
                code: "</script><script>alert(1)</script>".into(),
            },
        };
        let json = data.to_script_json();
        assert!(!json.contains('<'), "{json}");
        let back: PageData = serde_json::from_str(&json).unwrap();
        assert_eq!(back, data);
    }
}
