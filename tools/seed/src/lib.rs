//! Turns a catalog directory (the layout of `data/`) into Workers KV entries.
//!
//! KV layout (one catalog version is never modified once written; see
//! `zhinan_domain::catalog::manifest`):
//! - `item:{hash}`          → an item's JSON, under the hash of its content
//! - `shard:{hash}`         → one of the version's shards: `{code: item hash}`
//! - `manifest:v{N}`        → the shard hashes of version N
//! - `catalog:v{N}`         → the `Catalog` summary of version N: halls, life events, and
//!   where each hall's rows and each county's search index are
//! - `rows:{hash}`          → one hall's catalog rows
//! - `find:{hash}`          → one county's `SearchIndex` (names with their pinyin, keywords,
//!   filter fields): what a phone in that county downloads
//! - `editorial:index:v{N}` → one `ItemSummary` per item: the staff office's index
//! - `meta:current`         → N, the published version; flipping this one key publishes.

use std::fs;
use std::path::Path;

use pinyin::ToPinyin;
use serde::Serialize;
use zhinan_domain::catalog::manifest::{
    self, content_hash, index_key, manifest_key, shard_key, ItemSummary, Manifest,
};
use zhinan_domain::catalog::search::{build_index, search_terms, SearchIndex};
use zhinan_domain::catalog::sections;
use zhinan_domain::{lint_catalog, parse_item, Catalog, Date, Hall, Item, LifeEvent};

pub use manifest::{catalog_key, CURRENT_KEY, PINYIN_TABLE_KEY};

/// Synthetic catalogs of N items for benchmarks and tests (`gen-catalog`).
pub mod synthetic;

/// Toneless pinyin of a Han character ("zhong", "lü"), from the tables compiled into the
/// `pinyin` crate; a heteronym gets its most common reading (参 can, 重 zhong, 地 di),
/// which is the one citizens type for the demo catalog. `None` for other characters.
pub fn pinyin_of(c: char) -> Option<String> {
    c.to_pinyin().map(|p| p.plain().to_string())
}

/// Everything in `data/`, checked.
#[derive(Debug)]
pub struct Loaded {
    pub halls: Vec<Hall>,
    pub life_events: Vec<LifeEvent>,
    pub items: Vec<Item>,
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Loads and checks the catalog. Every problem found is reported, not just the first.
pub fn load(dir: &Path) -> Result<Loaded, Vec<String>> {
    let mut problems = Vec::new();
    let halls: Vec<Hall> = read_json(&dir.join("halls.json")).unwrap_or_else(|e| {
        problems.push(e);
        Vec::new()
    });
    let life_events: Vec<LifeEvent> =
        read_json(&dir.join("life_events.json")).unwrap_or_else(|e| {
            problems.push(e);
            Vec::new()
        });

    let mut paths: Vec<_> = match fs::read_dir(dir.join("items")) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect(),
        Err(e) => {
            problems.push(format!("{}/items: {e}", dir.display()));
            Vec::new()
        }
    };
    paths.sort();

    let mut items: Vec<Item> = Vec::new();
    for path in &paths {
        let text = match fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        match parse_item(&text) {
            Ok(item) => {
                let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
                if stem != item.code {
                    problems.push(format!(
                        "{}: file name should be the item code {}",
                        path.display(),
                        item.code
                    ));
                }
                if halls.iter().all(|h| h.id != item.hall) {
                    problems.push(format!("{}: unknown hall {}", path.display(), item.hall));
                }
                for event in &item.life_events {
                    if life_events.iter().all(|e| &e.id != event) {
                        problems.push(format!("{}: unknown life event {event}", path.display()));
                    }
                }
                items.push(item);
            }
            Err(errors) => {
                for e in errors {
                    problems.push(format!("{}: {}: {}", path.display(), e.field, e.message));
                }
            }
        }
    }
    for event in &life_events {
        for code in &event.items {
            if items.iter().all(|i| &i.code != code) {
                problems.push(format!("life event {}: unknown item {code}", event.id));
            }
        }
    }
    if problems.is_empty() {
        Ok(Loaded {
            halls,
            life_events,
            items,
        })
    } else {
        Err(problems)
    }
}

/// One entry of `wrangler kv bulk put`.
#[derive(Debug, Serialize)]
pub struct KvEntry {
    pub key: String,
    pub value: String,
}

impl Loaded {
    /// The catalog summary of `version` and its pieces (hall rows, county indexes).
    pub fn catalog(&self, version: u32, published_at: &str) -> (Catalog, Vec<sections::Stored>) {
        sections::build(
            version,
            published_at,
            &self.halls,
            &self.life_events,
            &self.items,
            pinyin_of,
        )
    }

    /// The editorial office's index of the catalog: each item's summary and lint counts
    /// (peers from the whole catalog, as of `published_at`).
    pub fn summaries(&self, hashes: &[String], published_at: &str) -> Vec<ItemSummary> {
        let today = Date::parse(published_at).expect("published_at is a date");
        lint_catalog(&self.items, today, &[])
            .into_iter()
            .zip(self.items.iter().zip(hashes))
            .map(|((_, findings), (item, hash))| ItemSummary {
                terms: search_terms(&item.name, &item.keywords, pinyin_of),
                ..ItemSummary::of(item, Some(hash.clone()), &findings)
            })
            .collect()
    }

    /// The search index of catalog `version`, pinyin included.
    pub fn search_index(&self, version: u32) -> SearchIndex {
        build_index(&self.items, version, pinyin_of)
    }

    /// The KV entries of catalog `version`, the pointer last.
    pub fn kv_entries(&self, version: u32, published_at: &str) -> Vec<KvEntry> {
        let jsons: Vec<String> = self
            .items
            .iter()
            .map(|item| serde_json::to_string(item).expect("items serialize"))
            .collect();
        let hashes: Vec<String> = jsons.iter().map(|j| content_hash(j.as_bytes())).collect();
        let mut entries: Vec<KvEntry> = jsons
            .into_iter()
            .zip(&hashes)
            .map(|(json, hash)| KvEntry {
                key: manifest::item_key(hash),
                value: json,
            })
            .collect();
        let (manifest, shards) = Manifest::build(
            version,
            self.items
                .iter()
                .zip(&hashes)
                .map(|(item, hash)| (item.code.as_str(), hash.as_str())),
        );
        entries.extend(shards.into_iter().map(|shard| KvEntry {
            key: shard_key(&shard.hash),
            value: shard.json,
        }));
        entries.push(KvEntry {
            key: manifest_key(version),
            value: serde_json::to_string(&manifest).expect("manifest serializes"),
        });
        entries.push(KvEntry {
            key: index_key(version),
            value: serde_json::to_string(&self.summaries(&hashes, published_at))
                .expect("index serializes"),
        });
        let (catalog, pieces) = self.catalog(version, published_at);
        entries.extend(pieces.into_iter().map(|piece| KvEntry {
            key: piece.key,
            value: piece.json,
        }));
        entries.push(KvEntry {
            key: catalog_key(version),
            value: serde_json::to_string(&catalog).expect("catalog serializes"),
        });
        entries.push(KvEntry {
            key: PINYIN_TABLE_KEY.to_string(),
            value: serde_json::to_string(&pinyin_table()).expect("pinyin table serializes"),
        });
        entries.push(KvEntry {
            key: CURRENT_KEY.to_string(),
            value: version.to_string(),
        });
        entries
    }
}

/// Pinyin of every CJK Unified Ideograph of the basic block, so a publish can index new
/// names without pinyin data in the worker bundle.
pub fn pinyin_table() -> std::collections::BTreeMap<String, String> {
    ('\u{4E00}'..='\u{9FFF}')
        .filter_map(|c| pinyin_of(c).map(|p| (c.to_string(), p)))
        .collect()
}
