//! The published catalog in Workers KV.
//!
//! Layout (written by `tools/seed`, later by publish; `zhinan_domain::catalog::manifest`):
//! `meta:current` holds the current version N; `manifest:vN` its shard hashes, each
//! `shard:{hash}` its codes' item hashes, each `item:{hash}` an item; `catalog:vN` the
//! catalog summary (halls, life events), naming each hall's rows (`rows:{hash}`) and each
//! county's search index (`find:{hash}`). A version's keys are written before the pointer
//! moves, so a reader sees one whole version; reading one item is four reads at most
//! whatever the catalog's size (fewer once the manifest and shard are cached), a hall's
//! list or a county's index two.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use worker::{kv::KvStore, Env};
use zhinan_domain::catalog::manifest::{
    self, catalog_key, ever_key, manifest_key, Manifest, Shard, CURRENT_KEY,
};
use zhinan_domain::catalog::search::words::{add_to_index, CitizenWord};
use zhinan_domain::catalog::search::SearchIndex;
use zhinan_domain::catalog::sections::{find_key, rows_key};
use zhinan_domain::{Catalog, CatalogEntry, Item, ItemCode};

use crate::ops;
use crate::respond::Failure;

const BINDING: &str = "CATALOG";
/// Keys one bulk read takes at most (the platform's limit).
pub const BULK_KEYS: usize = 100;
/// Parsed shards kept per isolate; a shard's key names its content, so a cached shard is
/// never stale. Cleared when full: shards are small and a reload is one read.
const SHARD_CACHE_SIZE: usize = 256;

/// Hall rows and county indexes kept per isolate, by key (content-addressed, never stale).
const PIECE_CACHE_SIZE: usize = 16;

/// A county's search index: its raw JSON (served as is) and parsed form (searched).
pub type CachedIndex = (Rc<str>, Rc<SearchIndex>);

thread_local! {
    /// The parsed catalog summary of the last version read. A version never changes once
    /// written, so this stays right across publishes (a new version misses and reloads).
    static CATALOG_CACHE: RefCell<Option<(u32, Rc<Catalog>)>> = const { RefCell::new(None) };
    /// County search indexes by key.
    static SEARCH_CACHE: RefCell<HashMap<String, CachedIndex>> = RefCell::new(HashMap::new());
    /// Hall rows by key.
    static ROWS_CACHE: RefCell<HashMap<String, Rc<Vec<CatalogEntry>>>> = RefCell::new(HashMap::new());
    /// The manifest of the last version read.
    static MANIFEST_CACHE: RefCell<Option<Rc<Manifest>>> = const { RefCell::new(None) };
    /// Shards by key.
    static SHARD_CACHE: RefCell<HashMap<String, Rc<Shard>>> = RefCell::new(HashMap::new());
}

/// How long an isolate serves the version pointer it read (see
/// [`CatalogStore::served_version`]).
const VERSION_TTL_MS: f64 = 1_000.0;

thread_local! {
    /// The version pointer as last read or written here, and when.
    static SERVED_VERSION: std::cell::Cell<Option<(u32, f64)>> = const { std::cell::Cell::new(None) };
}

/// The pointer was just moved to `version` (publish, rollback): this isolate serves it
/// from now on.
pub fn remember_version(version: u32) {
    SERVED_VERSION.with(|v| v.set(Some((version, js_sys::Date::now()))));
}

thread_local! {
    /// The request being served asked for its catalog reads to fail (tests only: see
    /// [`inject_read_fault`]).
    static READ_FAULT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Makes this request's catalog reads fail when the `FAULT_INJECTION` var is set (never
/// deployed) and the request asks with `X-Fault: kv-read` or the cookie
/// `zhinan_fault=kv-read` (which a service worker's own fetch also carries). Set at the
/// start of every request, so one request's fault never outlives it in a sequential test.
pub fn inject_read_fault(env: &Env, req: &worker::Request) {
    let enabled = crate::fault_injection(env);
    let header = |name: &str| req.headers().get(name).ok().flatten().unwrap_or_default();
    let asked = header("X-Fault") == "kv-read"
        || header("Cookie")
            .split(';')
            .any(|c| c.trim() == "zhinan_fault=kv-read");
    READ_FAULT.with(|f| f.set(enabled && asked));
}

fn read_fault() -> Result<(), Failure> {
    if READ_FAULT.with(std::cell::Cell::get) {
        Err(Failure::Unavailable("injected: KV read".into()))
    } else {
        Ok(())
    }
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

    /// Many keys in one KV operation (a bulk read, at most [`BULK_KEYS`] keys), as text;
    /// a missing key is missing from the map.
    pub async fn texts(env: &Env, keys: &[String]) -> Result<HashMap<String, String>, Failure> {
        use wasm_bindgen::JsCast;
        read_fault()?;
        let js = |e: wasm_bindgen::JsValue| Failure::Unavailable(format!("KV bulk read: {e:?}"));
        let binding = js_sys::Reflect::get(env.as_ref(), &BINDING.into()).map_err(js)?;
        let get: js_sys::Function = js_sys::Reflect::get(&binding, &"get".into())
            .map_err(js)?
            .dyn_into()
            .map_err(js)?;
        let names: js_sys::Array = keys
            .iter()
            .map(|k| wasm_bindgen::JsValue::from_str(k))
            .collect();
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"type".into(), &"text".into()).map_err(js)?;
        ops::one();
        let promise: js_sys::Promise = get
            .call2(&binding, &names, &options)
            .map_err(js)?
            .dyn_into()
            .map_err(js)?;
        let found: js_sys::Map = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map_err(js)?
            .dyn_into()
            .map_err(js)?;
        let mut out = HashMap::new();
        found.for_each(&mut |value, key| {
            if let (Some(key), Some(value)) = (key.as_string(), value.as_string()) {
                out.insert(key, value);
            }
        });
        Ok(out)
    }

    /// One KV read, counted.
    async fn read(&self, key: &str) -> Result<Option<String>, Failure> {
        read_fault()?;
        ops::one();
        Ok(self.kv.get(key).text().await?)
    }

    /// The version citizens are served, as this isolate last read it if that was less
    /// than [`VERSION_TTL_MS`] ago: a repeated scan of a guide then reads nothing. KV
    /// itself may answer with a pointer up to a minute old at other locations, so this
    /// adds little; the isolate that moves the pointer updates it at once
    /// ([`remember_version`]). Staff and writers read the pointer itself
    /// ([`CatalogStore::current_version`]).
    pub async fn served_version(&self) -> Result<u32, Failure> {
        read_fault()?;
        let now = js_sys::Date::now();
        let fresh = SERVED_VERSION.with(|v| {
            v.get()
                .filter(|(_, read_at)| now - read_at < VERSION_TTL_MS && now >= *read_at)
                .map(|(version, _)| version)
        });
        if let Some(version) = fresh {
            return Ok(version);
        }
        let version = self.current_version().await?;
        SERVED_VERSION.with(|v| v.set(Some((version, now))));
        Ok(version)
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
            remember(
                &mut c.borrow_mut(),
                SHARD_CACHE_SIZE,
                key.to_string(),
                shard.clone(),
            )
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

    /// The rows of a hall in that catalog (empty for a hall without items).
    pub async fn rows(
        &self,
        catalog: &Catalog,
        hall: &str,
    ) -> Result<Rc<Vec<CatalogEntry>>, Failure> {
        let Some(section) = catalog.sections.get(hall) else {
            return Ok(Rc::new(Vec::new()));
        };
        let key = rows_key(&section.rows);
        if let Some(hit) = ROWS_CACHE.with(|c| c.borrow().get(&key).cloned()) {
            return Ok(hit);
        }
        let (_, rows) = self.required::<Vec<CatalogEntry>>(&key).await?;
        let rows = Rc::new(rows);
        ROWS_CACHE.with(|c| remember(&mut c.borrow_mut(), PIECE_CACHE_SIZE, key, rows.clone()));
        Ok(rows)
    }

    /// The search index of a county (search area) in that catalog, written by the seed or
    /// a publish with the pinyin computed there: the raw JSON as stored, and parsed.
    /// `None` when the area has no items.
    pub async fn area_index(
        &self,
        catalog: &Catalog,
        area: &str,
    ) -> Result<Option<CachedIndex>, Failure> {
        let Some(hash) = catalog.search.get(area) else {
            return Ok(None);
        };
        let key = find_key(hash);
        if let Some(hit) = SEARCH_CACHE.with(|c| c.borrow().get(&key).cloned()) {
            return Ok(Some(hit));
        }
        let (text, index) = self.required::<SearchIndex>(&key).await?;
        let hit: CachedIndex = (Rc::from(text), Rc::new(index));
        SEARCH_CACHE.with(|c| remember(&mut c.borrow_mut(), PIECE_CACHE_SIZE, key, hit.clone()));
        Ok(Some(hit))
    }
}

/// The citizens' words hall staff added (KV [`STAFF_WORDS_KEY`]), with a tag that changes
/// whenever they do (part of the search ETags and of the cache key of an index served
/// with them).
#[derive(Debug, Clone, Default)]
pub struct CurrentWords {
    pub tag: String,
    pub list: Vec<CitizenWord>,
}

/// KV key of the staff's citizens' words (a JSON list, written by the editorial object).
pub const STAFF_WORDS_KEY: &str = "words:staff";

impl CatalogStore {
    /// The staff's citizens' words; none until staff save some. A value that does not
    /// parse (only a hand edit could make one) is logged and left out: search still works
    /// with the shipped words.
    pub async fn staff_words(&self) -> Result<CurrentWords, Failure> {
        let Some(text) = self.read(STAFF_WORDS_KEY).await? else {
            return Ok(CurrentWords::default());
        };
        match serde_json::from_str::<Vec<CitizenWord>>(&text) {
            Ok(list) if list.is_empty() => Ok(CurrentWords::default()),
            Ok(list) => Ok(CurrentWords {
                tag: format!("{:x}", fnv(&text)),
                list,
            }),
            Err(e) => {
                worker::console_error!("{STAFF_WORDS_KEY} is unusable: {e}");
                Ok(CurrentWords::default())
            }
        }
    }

    /// [`Self::area_index`] with the staff's words added as keywords of the items they
    /// stand for, as phones and the search pages use it; kept per isolate by index and
    /// words.
    pub async fn area_index_with(
        &self,
        catalog: &Catalog,
        area: &str,
        words: &CurrentWords,
    ) -> Result<Option<CachedIndex>, Failure> {
        let Some((raw, index)) = self.area_index(catalog, area).await? else {
            return Ok(None);
        };
        if words.list.is_empty() {
            return Ok(Some((raw, index)));
        }
        let key = format!("{}#{}", find_key(&catalog.search[area]), words.tag);
        if let Some(hit) = SEARCH_CACHE.with(|c| c.borrow().get(&key).cloned()) {
            return Ok(Some(hit));
        }
        let mut with_words = (*index).clone();
        add_to_index(&mut with_words, &words.list);
        let text = serde_json::to_string(&with_words)
            .map_err(|e| Failure::Unavailable(format!("{key}: {e}")))?;
        let hit: CachedIndex = (Rc::from(text), Rc::new(with_words));
        SEARCH_CACHE.with(|c| remember(&mut c.borrow_mut(), PIECE_CACHE_SIZE, key, hit.clone()));
        Ok(Some(hit))
    }
}

/// FNV-1a: a short stable hash of a text (ETags, cache tags).
pub fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

/// Keeps a value in a cache of `size` entries, emptied when full (a reload is one read).
fn remember<T>(cache: &mut HashMap<String, T>, size: usize, key: String, value: T) {
    if cache.len() >= size {
        cache.clear();
    }
    cache.insert(key, value);
}
