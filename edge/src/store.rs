//! The published catalog in Workers KV.
//!
//! Layout (written by `tools/seed`, later by publish): `meta:current` holds the current
//! version N; `catalog:vN` the catalog summary; `item:vN:{CODE}` each item. A version's
//! keys are written before the pointer moves, so a reader sees one whole version.

use std::cell::RefCell;
use std::rc::Rc;

use worker::{kv::KvStore, Env};
use zhinan_domain::catalog::search::SearchIndex;
use zhinan_domain::{Catalog, Item, ItemCode};

use crate::respond::Failure;

const BINDING: &str = "CATALOG";
const CURRENT_KEY: &str = "meta:current";

/// A search index version with its raw JSON (served as is) and parsed form (searched).
type CachedIndex = (u32, Rc<str>, Rc<SearchIndex>);

thread_local! {
    /// The parsed catalog summary of the last version read. A version never changes once
    /// written, so this stays right across publishes (a new version misses and reloads).
    static CATALOG_CACHE: RefCell<Option<(u32, Rc<Catalog>)>> = const { RefCell::new(None) };
    /// The search index of the last version read (raw JSON and parsed), same reasoning.
    static SEARCH_CACHE: RefCell<Option<CachedIndex>> = const { RefCell::new(None) };
}

pub struct CatalogStore {
    kv: KvStore,
}

impl CatalogStore {
    pub fn open(env: &Env) -> Result<CatalogStore, Failure> {
        Ok(CatalogStore {
            kv: env.kv(BINDING)?,
        })
    }

    /// The published version number.
    pub async fn current_version(&self) -> Result<u32, Failure> {
        let raw = self.kv.get(CURRENT_KEY).text().await?.ok_or_else(|| {
            Failure::Unavailable("catalog not seeded: meta:current missing".into())
        })?;
        raw.trim()
            .parse()
            .map_err(|_| Failure::Unavailable(format!("meta:current is not a version: {raw}")))
    }

    pub async fn catalog(&self, version: u32) -> Result<Rc<Catalog>, Failure> {
        let cached = CATALOG_CACHE.with(|c| {
            c.borrow()
                .as_ref()
                .filter(|(v, _)| *v == version)
                .map(|(_, catalog)| catalog.clone())
        });
        if let Some(catalog) = cached {
            return Ok(catalog);
        }
        let (_, catalog) = self.required(&format!("catalog:v{version}")).await?;
        let catalog: Rc<Catalog> = Rc::new(catalog);
        CATALOG_CACHE.with(|c| *c.borrow_mut() = Some((version, catalog.clone())));
        Ok(catalog)
    }

    /// A key every published version has: its raw JSON and the parsed value. Missing or
    /// unreadable means the store is broken, never the caller's fault.
    async fn required<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<(String, T), Failure> {
        let text = self
            .kv
            .get(key)
            .text()
            .await?
            .ok_or_else(|| Failure::Unavailable(format!("{key} missing")))?;
        let value =
            serde_json::from_str(&text).map_err(|e| Failure::Unavailable(format!("{key}: {e}")))?;
        Ok((text, value))
    }

    /// The item of that version, or `None` when the catalog has no such code.
    pub async fn item(&self, version: u32, code: &ItemCode) -> Result<Option<Item>, Failure> {
        let key = format!("item:v{version}:{code}");
        match self.kv.get(&key).text().await? {
            None => Ok(None),
            Some(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| Failure::Unavailable(format!("{key}: {e}"))),
        }
    }

    /// The search index of that version (`search:vN`, written by the seed/publish tool
    /// with the pinyin computed there): the raw JSON as stored, and parsed.
    pub async fn search_index(&self, version: u32) -> Result<(Rc<str>, Rc<SearchIndex>), Failure> {
        let cached = SEARCH_CACHE.with(|c| {
            c.borrow()
                .as_ref()
                .filter(|(v, _, _)| *v == version)
                .map(|(_, raw, index)| (raw.clone(), index.clone()))
        });
        if let Some(hit) = cached {
            return Ok(hit);
        }
        let (text, index) = self.required(&format!("search:v{version}")).await?;
        let index: Rc<SearchIndex> = Rc::new(index);
        let raw: Rc<str> = Rc::from(text);
        SEARCH_CACHE.with(|c| *c.borrow_mut() = Some((version, raw.clone(), index.clone())));
        Ok((raw, index))
    }
}
