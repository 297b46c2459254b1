//! The published catalog in Workers KV.
//!
//! Layout (written by `tools/seed`, later by publish; `zhinan_domain::catalog::manifest`):
//! `meta:current` holds the current version N; `manifest:vN` its shard hashes, each
//! `shard:{hash}` its codes' item hashes, each `item:{hash}` an item; `catalog:vN` the
//! catalog summary and `search:vN` its search index. A version's keys are written before
//! the pointer moves, so a reader sees one whole version; reading one item is four reads
//! at most whatever the catalog's size (fewer once the manifest and shard are cached).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use worker::{kv::KvStore, Env};
use zhinan_domain::catalog::manifest::{
    self, catalog_key, ever_key, manifest_key, search_key, Manifest, Shard, CURRENT_KEY,
};
use zhinan_domain::catalog::search::SearchIndex;
use zhinan_domain::{Catalog, Item, ItemCode};

use crate::ops;
use crate::respond::Failure;

const BINDING: &str = "CATALOG";
/// Parsed shards kept per isolate; a shard's key names its content, so a cached shard is
/// never stale. Cleared when full: shards are small and a reload is one read.
const SHARD_CACHE_SIZE: usize = 256;

/// A search index version with its raw JSON (served as is) and parsed form (searched).
type CachedIndex = (u32, Rc<str>, Rc<SearchIndex>);

thread_local! {
    /// The parsed catalog summary of the last version read. A version never changes once
    /// written, so this stays right across publishes (a new version misses and reloads).
    static CATALOG_CACHE: RefCell<Option<(u32, Rc<Catalog>)>> = const { RefCell::new(None) };
    /// The search index of the last version read (raw JSON and parsed), same reasoning.
    static SEARCH_CACHE: RefCell<Option<CachedIndex>> = const { RefCell::new(None) };
    /// The manifest of the last version read.
    static MANIFEST_CACHE: RefCell<Option<Rc<Manifest>>> = const { RefCell::new(None) };
    /// Shards by key.
    static SHARD_CACHE: RefCell<HashMap<String, Rc<Shard>>> = RefCell::new(HashMap::new());
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

    /// One KV read, counted.
    async fn read(&self, key: &str) -> Result<Option<String>, Failure> {
        ops::one();
        Ok(self.kv.get(key).text().await?)
    }

    /// The published version number.
    pub async fn current_version(&self) -> Result<u32, Failure> {
        let raw = self.read(CURRENT_KEY).await?.ok_or_else(|| {
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
        let (_, catalog) = self.required(&catalog_key(version)).await?;
        let catalog: Rc<Catalog> = Rc::new(catalog);
        CATALOG_CACHE.with(|c| *c.borrow_mut() = Some((version, catalog.clone())));
        Ok(catalog)
    }

    /// A key every published version has, as stored.
    pub async fn text(&self, key: &str) -> Result<String, Failure> {
        self.read(key)
            .await?
            .ok_or_else(|| Failure::Unavailable(format!("{key} missing")))
    }

    /// A key every published version has: its raw JSON and the parsed value. Missing or
    /// unreadable means the store is broken, never the caller's fault.
    async fn required<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<(String, T), Failure> {
        let text = self.text(key).await?;
        let value =
            serde_json::from_str(&text).map_err(|e| Failure::Unavailable(format!("{key}: {e}")))?;
        Ok((text, value))
    }

    /// The manifest of a version: where its items are.
    pub async fn manifest(&self, version: u32) -> Result<Rc<Manifest>, Failure> {
        let cached = MANIFEST_CACHE.with(|c| {
            c.borrow()
                .as_ref()
                .filter(|m| m.version == version)
                .cloned()
        });
        if let Some(manifest) = cached {
            return Ok(manifest);
        }
        let (_, manifest) = self.required::<Manifest>(&manifest_key(version)).await?;
        let manifest = Rc::new(manifest);
        MANIFEST_CACHE.with(|c| *c.borrow_mut() = Some(manifest.clone()));
        Ok(manifest)
    }

    /// A shard by its key.
    pub async fn shard(&self, key: &str) -> Result<Rc<Shard>, Failure> {
        if let Some(shard) = SHARD_CACHE.with(|c| c.borrow().get(key).cloned()) {
            return Ok(shard);
        }
        let (_, shard) = self.required::<Shard>(key).await?;
        let shard = Rc::new(shard);
        SHARD_CACHE.with(|c| {
            let mut cache = c.borrow_mut();
            if cache.len() >= SHARD_CACHE_SIZE {
                cache.clear();
            }
            cache.insert(key.to_string(), shard.clone());
        });
        Ok(shard)
    }

    /// The content hash of the item `code` in that version, or `None`.
    pub async fn item_hash(&self, version: u32, code: &str) -> Result<Option<String>, Failure> {
        let manifest = self.manifest(version).await?;
        let Some(key) = manifest.shard_key_of(code) else {
            return Ok(None);
        };
        Ok(self.shard(&key).await?.get(code).cloned())
    }

    /// An item by its content hash.
    pub async fn item_by_hash(&self, hash: &str) -> Result<Item, Failure> {
        Ok(self.required::<Item>(&manifest::item_key(hash)).await?.1)
    }

    /// The item of that version, or `None` when the catalog has no such code.
    pub async fn item(&self, version: u32, code: &ItemCode) -> Result<Option<Item>, Failure> {
        match self.item_hash(version, code.as_str()).await? {
            None => Ok(None),
            Some(hash) => self.item_by_hash(&hash).await.map(Some),
        }
    }

    /// The last published form of an item that some version had but this one lacks
    /// (rolled back past it, or dropped): its guide URL keeps answering.
    pub async fn ever_published(&self, code: &ItemCode) -> Result<Option<Item>, Failure> {
        match self.read(&ever_key(code.as_str())).await? {
            None => Ok(None),
            Some(hash) => self.item_by_hash(hash.trim()).await.map(Some),
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
        let (text, index) = self.required(&search_key(version)).await?;
        let index: Rc<SearchIndex> = Rc::new(index);
        let raw: Rc<str> = Rc::from(text);
        SEARCH_CACHE.with(|c| *c.borrow_mut() = Some((version, raw.clone(), index.clone())));
        Ok((raw, index))
    }
}
