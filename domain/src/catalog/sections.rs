//! A catalog version's summary in pieces no reader or publish has to take whole:
//!
//! - `catalog:v{N}` — the [`Catalog`]: halls, life events, and per hall the hash of its
//!   rows, per county (search area) the hash of its search index;
//! - `rows:{hash}` — one hall's [`CatalogEntry`] rows, in catalog order;
//! - `find:{hash}` — one county's [`SearchIndex`]: its own hall's items and those of the
//!   township and village halls under it, which is what a phone in that county downloads.
//!
//! Rows and indexes are stored under the hash of their content, like items and shards:
//! publishing one item rewrites its hall's rows and its county's index and nothing else,
//! and a version's keys never change once written.

use std::collections::BTreeMap;

use super::item::Item;
use super::manifest::content_hash;
use super::search::{build_index, SearchEntry, SearchIndex};
use super::{Catalog, CatalogEntry, Hall, HallSection, LifeEvent};

pub fn rows_key(hash: &str) -> String {
    format!("rows:{hash}")
}

pub fn find_key(hash: &str) -> String {
    format!("find:{hash}")
}

/// A value to store under its content hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub key: String,
    pub hash: String,
    pub json: String,
}

/// A hall's rows, as stored.
pub fn stored_rows(rows: &[CatalogEntry]) -> Stored {
    let json = serde_json::to_string(rows).unwrap_or_default();
    let hash = content_hash(json.as_bytes());
    Stored {
        key: rows_key(&hash),
        hash,
        json,
    }
}

/// A county's search index, as stored. Its version is 0: an index is shared by every
/// version whose county it did not change, so it names none.
pub fn stored_search(entries: Vec<SearchEntry>) -> Stored {
    let json = serde_json::to_string(&SearchIndex::new(0, entries)).unwrap_or_default();
    let hash = content_hash(json.as_bytes());
    Stored {
        key: find_key(&hash),
        hash,
        json,
    }
}

/// Rows or index entries with those of `changed` codes replaced in place, new ones
/// appended, and those of `leaving` codes (moved to another hall or county) dropped.
pub fn patched<T>(
    mut current: Vec<T>,
    changed: Vec<T>,
    leaving: &[&str],
    code_of: impl Fn(&T) -> &str,
) -> Vec<T> {
    current.retain(|e| !leaving.contains(&code_of(e)));
    for entry in changed {
        match current.iter().position(|e| code_of(e) == code_of(&entry)) {
            Some(at) => current[at] = entry,
            None => current.push(entry),
        }
    }
    current
}

/// The summary and pieces of a whole catalog (seed time).
pub fn build(
    version: u32,
    published_at: &str,
    halls: &[Hall],
    life_events: &[LifeEvent],
    items: &[Item],
    pinyin_of: impl Fn(char) -> Option<String>,
) -> (Catalog, Vec<Stored>) {
    let mut catalog = Catalog {
        version,
        published_at: published_at.to_string(),
        halls: halls.to_vec(),
        life_events: life_events.to_vec(),
        sections: BTreeMap::new(),
        search: BTreeMap::new(),
    };
    let mut by_hall: BTreeMap<&str, Vec<CatalogEntry>> = BTreeMap::new();
    for item in items {
        by_hall
            .entry(item.hall.as_str())
            .or_default()
            .push(CatalogEntry::from(item));
    }
    let mut stored = Vec::new();
    for (hall, rows) in by_hall {
        let piece = stored_rows(&rows);
        catalog.sections.insert(
            hall.to_string(),
            HallSection {
                rows: piece.hash.clone(),
                count: rows.len() as u32,
            },
        );
        stored.push(piece);
    }
    let index = build_index(items, version, pinyin_of);
    let mut by_area: BTreeMap<String, Vec<SearchEntry>> = BTreeMap::new();
    for entry in index.entries {
        by_area
            .entry(catalog.area_of(&entry.hall).to_string())
            .or_default()
            .push(entry);
    }
    for (area, entries) in by_area {
        let piece = stored_search(entries);
        catalog.search.insert(area, piece.hash.clone());
        stored.push(piece);
    }
    (catalog, stored)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::item::Level;

    fn hall(id: &str, county: Option<&str>) -> Hall {
        Hall {
            id: id.into(),
            name: format!("{id}服务中心"),
            level: if county.is_some() {
                Level::Township
            } else {
                Level::County
            },
            address: String::new(),
            phone: String::new(),
            zones: vec!["综合窗口".into()],
            county: county.map(str::to_string),
            township: None,
            hours: Vec::new(),
        }
    }

    fn items() -> Vec<Item> {
        let sample: Item = serde_json::from_str(include_str!("fixtures/item.json")).unwrap();
        [
            ("A-1", "xian"),
            ("A-2", "zhen"),
            ("A-3", "other"),
            ("A-4", "xian"),
        ]
        .into_iter()
        .map(|(code, hall)| Item {
            code: code.into(),
            hall: hall.into(),
            ..sample.clone()
        })
        .collect()
    }

    #[test]
    fn halls_have_rows_and_counties_an_index() {
        let halls = [
            hall("xian", None),
            hall("zhen", Some("xian")),
            hall("other", None),
        ];
        let (catalog, stored) = build(3, "2026-11-29", &halls, &[], &items(), |_| None);
        assert_eq!(catalog.total(), 4);
        assert_eq!(catalog.count_of("xian"), 2);
        assert_eq!(catalog.area_of("zhen"), "xian");
        let directory = super::super::Directory::of(&catalog);
        assert_eq!(directory.total(), 4);
        assert_eq!(directory.count_of("zhen"), 1);
        let areas: Vec<(&str, u32)> = directory
            .areas()
            .into_iter()
            .map(|(h, n)| (h.id.as_str(), n))
            .collect();
        assert_eq!(areas, [("xian", 3), ("other", 1)]);
        let index = |area: &str| -> SearchIndex {
            let key = find_key(&catalog.search[area]);
            serde_json::from_str(&stored.iter().find(|s| s.key == key).unwrap().json).unwrap()
        };
        let codes: Vec<String> = index("xian").entries.into_iter().map(|e| e.code).collect();
        assert_eq!(codes, ["A-1", "A-2", "A-4"]);
        assert_eq!(index("other").entries.len(), 1);
        assert_eq!(catalog.hall_order(), ["xian", "zhen", "other"]);
    }

    #[test]
    fn same_content_same_key() {
        let halls = [
            hall("xian", None),
            hall("zhen", Some("xian")),
            hall("other", None),
        ];
        let (a, _) = build(3, "2026-11-29", &halls, &[], &items(), |_| None);
        let (b, _) = build(4, "2026-11-30", &halls, &[], &items(), |_| None);
        assert_eq!(a.sections, b.sections);
        assert_eq!(a.search, b.search);
    }

    #[test]
    fn patching_replaces_appends_and_drops() {
        let rows: Vec<CatalogEntry> = items().iter().map(CatalogEntry::from).collect();
        let mut renamed = rows[1].clone();
        renamed.name = "新名称".into();
        let mut added = rows[0].clone();
        added.code = "A-9".into();
        let next = patched(rows, vec![renamed, added], &["A-3"], |e| &e.code);
        let codes: Vec<&str> = next.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["A-1", "A-2", "A-4", "A-9"]);
        assert_eq!(next[1].name, "新名称");
    }
}
