//! Where a published catalog version keeps its items, so that publishing one item writes
//! a handful of keys whatever the catalog's size, and a version never changes once
//! written.
//!
//! - An item's JSON is stored under the hash of its content (`item:{hash}`): an unchanged
//!   item keeps its key from version to version; a changed one gets a new key.
//! - A version's list of items is split into [`SHARDS`] shards by the hash of the code;
//!   each shard (`{code: item hash}`) is stored under the hash of its content too
//!   (`shard:{hash}`), so a publish rewrites only the shards whose items changed.
//! - The version's manifest (`manifest:v{N}`) lists the shard hashes; the pointer
//!   `meta:current` names the version. A reader goes pointer → manifest → shard → item and
//!   never sees half a version; rollback moves the pointer back.
//!
//! The seed tool writes this layout and the edge reads and extends it: one definition.

use crate::metrics::ItemFacts;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::item::{Item, TimeLimit};
use crate::lint::{name_key, Finding, Severity};

/// Shards per version. 64 keeps a shard near 300 items at 20,000 (≈ 20 KB) and the
/// manifest near 2.5 KB.
pub const SHARDS: usize = 64;

/// The pointer to the published version.
pub const CURRENT_KEY: &str = "meta:current";

/// The first 32 hex digits of the SHA-256 of `bytes`: the name of a stored value.
pub fn content_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// The shard an item code belongs to.
pub fn shard_of(code: &str) -> usize {
    usize::from(Sha256::digest(code.as_bytes())[0]) % SHARDS
}

pub fn item_key(hash: &str) -> String {
    format!("item:{hash}")
}

pub fn shard_key(hash: &str) -> String {
    format!("shard:{hash}")
}

pub fn manifest_key(version: u32) -> String {
    format!("manifest:v{version}")
}

/// The catalog summary of a version (halls, life events, where each hall's rows and each
/// county's search index are: [`crate::catalog::sections`]).
pub fn catalog_key(version: u32) -> String {
    format!("catalog:v{version}")
}

/// The pinyin of every common character, so a publish can index new names without
/// pinyin data in the worker.
pub const PINYIN_TABLE_KEY: &str = "pinyin:table";

/// A code that was once published: its guide URL and QR code keep working after a
/// rollback to a version without it ("此事项已调整"). The value is the item's hash.
pub fn ever_key(code: &str) -> String {
    format!("ever:{code}")
}

/// The bootstrap of the editorial office's item index for version N, written by the seed:
/// one [`ItemSummary`] per item, so the office learns a catalog it did not publish in one
/// read instead of one per item.
pub fn index_key(version: u32) -> String {
    format!("editorial:index:v{version}")
}

/// What the editorial office keeps of each item to list, filter, search and lint it
/// without reading the item: names, place, the legal limit its namesakes elsewhere are
/// compared with, where its JSON is, and its lint counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemSummary {
    pub code: String,
    pub name: String,
    pub department: String,
    pub hall: String,
    pub zone: String,
    /// [`crate::lint::name_key`] of the name: namesakes in other halls are lint peers.
    pub name_key: String,
    pub legal_limit: TimeLimit,
    /// Content hash of the published item (`item:{hash}`); `None` while only a draft.
    pub hash: Option<String>,
    /// The item's own version number as published (0 for a new item).
    pub version: u32,
    pub withdrawn: bool,
    pub errors: u32,
    pub warnings: u32,
    /// [`crate::catalog::search::search_terms`] of the item, for staff search by pinyin
    /// and initials; empty until computed where the pinyin table is.
    #[serde(default)]
    pub terms: String,
    /// The lint rules it breaks (ids, each once): the data-quality report counts them.
    #[serde(default)]
    pub rules: Vec<String>,
    /// What the assessment dashboard counts of it; `None` in summaries written before
    /// the dashboard existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facts: Option<ItemFacts>,
}

impl ItemSummary {
    pub fn of(item: &Item, hash: Option<String>, findings: &[Finding]) -> ItemSummary {
        let count =
            |severity: Severity| findings.iter().filter(|f| f.severity == severity).count() as u32;
        ItemSummary {
            code: item.code.clone(),
            name: item.name.clone(),
            department: item.department.clone(),
            hall: item.hall.clone(),
            zone: item.zone.clone(),
            name_key: name_key(&item.name),
            legal_limit: item.legal_limit,
            hash,
            version: item.version,
            withdrawn: item.withdrawn.is_some(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            terms: String::new(),
            rules: {
                let mut rules: Vec<String> = findings.iter().map(|f| f.rule.clone()).collect();
                rules.sort();
                rules.dedup();
                rules
            },
            facts: Some(ItemFacts::of(item)),
        }
    }
}

/// The codes of one shard and their items' hashes.
pub type Shard = BTreeMap<String, String>;

/// A version's shards, by position; an empty shard has no key (`None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub shards: Vec<Option<String>>,
}

/// A shard to write: its key's hash and JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardWrite {
    pub hash: String,
    pub json: String,
}

fn stored(shard: &Shard) -> Option<ShardWrite> {
    (!shard.is_empty()).then(|| {
        let json = serde_json::to_string(shard).unwrap_or_default();
        ShardWrite {
            hash: content_hash(json.as_bytes()),
            json,
        }
    })
}

impl Manifest {
    /// The manifest of a whole catalog (seed time): every item's `(code, hash)`.
    pub fn build<'a>(
        version: u32,
        items: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (Manifest, Vec<ShardWrite>) {
        let mut shards = vec![Shard::new(); SHARDS];
        for (code, hash) in items {
            shards[shard_of(code)].insert(code.to_string(), hash.to_string());
        }
        let writes: Vec<Option<ShardWrite>> = shards.iter().map(stored).collect();
        let manifest = Manifest {
            version,
            shards: writes
                .iter()
                .map(|w| w.as_ref().map(|w| w.hash.clone()))
                .collect(),
        };
        (manifest, writes.into_iter().flatten().collect())
    }

    /// The shards a change of these codes touches, each once, in order.
    pub fn shards_of<'a>(codes: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
        let mut touched: Vec<usize> = codes.into_iter().map(shard_of).collect();
        touched.sort_unstable();
        touched.dedup();
        touched
    }

    /// The next version: `changes` maps a code to its new item hash, or `None` to drop it;
    /// `current` holds the present content of every shard the changes touch (read by the
    /// caller; an empty shard is an empty map). Returns the new manifest and the shards to
    /// write (a shard whose content is unchanged is not rewritten).
    pub fn next(
        &self,
        version: u32,
        current: &BTreeMap<usize, Shard>,
        changes: &BTreeMap<String, Option<String>>,
    ) -> (Manifest, Vec<ShardWrite>) {
        let mut shards = self.shards.clone();
        shards.resize(SHARDS, None);
        let mut touched: BTreeMap<usize, Shard> = BTreeMap::new();
        for (code, hash) in changes {
            let at = shard_of(code);
            let shard = touched
                .entry(at)
                .or_insert_with(|| current.get(&at).cloned().unwrap_or_default());
            match hash {
                Some(hash) => shard.insert(code.clone(), hash.clone()),
                None => shard.remove(code),
            };
        }
        let mut writes = Vec::new();
        for (at, shard) in touched {
            let write = stored(&shard);
            let hash = write.as_ref().map(|w| w.hash.clone());
            if hash != shards[at] {
                writes.extend(write);
            }
            shards[at] = hash;
        }
        (Manifest { version, shards }, writes)
    }

    /// The key of the shard holding `code`, if that shard has any item.
    pub fn shard_key_of(&self, code: &str) -> Option<String> {
        self.shards
            .get(shard_of(code))
            .cloned()
            .flatten()
            .map(|hash| shard_key(&hash))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(n: usize) -> Vec<(String, String)> {
        (0..n)
            .map(|i| {
                (
                    format!("CODE-{i:05}"),
                    content_hash(format!("item {i}").as_bytes()),
                )
            })
            .collect()
    }

    #[test]
    fn hashes_name_content() {
        assert_eq!(content_hash(b"abc"), content_hash(b"abc"));
        assert_ne!(content_hash(b"abc"), content_hash(b"abd"));
        assert_eq!(content_hash(b"abc").len(), 32);
        assert!(shard_of("11411523MB1D00001A-000201001") < SHARDS);
    }

    #[test]
    fn one_change_rewrites_one_shard() {
        let items = codes(2_000);
        let (v1, writes) = Manifest::build(1, items.iter().map(|(c, h)| (c.as_str(), h.as_str())));
        assert_eq!(writes.len(), SHARDS, "2,000 codes fill every shard");
        let code = items[7].0.clone();
        let at = shard_of(&code);
        let current: Shard = items
            .iter()
            .filter(|(c, _)| shard_of(c) == at)
            .cloned()
            .collect();
        let changes = BTreeMap::from([(code.clone(), Some(content_hash(b"new")))]);
        let (v2, writes) = v1.next(2, &BTreeMap::from([(at, current.clone())]), &changes);
        assert_eq!(writes.len(), 1);
        assert_eq!(v2.version, 2);
        for i in 0..SHARDS {
            assert_eq!(v1.shards[i] == v2.shards[i], i != at, "shard {i}");
        }
        // The same content again changes nothing.
        let same = BTreeMap::from([(code.clone(), Some(current[&code].clone()))]);
        let (v3, writes) = v1.next(3, &BTreeMap::from([(at, current)]), &same);
        assert!(writes.is_empty());
        assert_eq!(v3.shards, v1.shards);
    }

    #[test]
    fn dropping_the_last_item_of_a_shard_empties_it() {
        let (v1, _) = Manifest::build(1, [("A-1", "h1")]);
        let at = shard_of("A-1");
        assert!(v1.shard_key_of("A-1").is_some());
        let current = BTreeMap::from([(at, Shard::from([("A-1".into(), "h1".into())]))]);
        let (v2, writes) = v1.next(2, &current, &BTreeMap::from([("A-1".into(), None)]));
        assert!(writes.is_empty());
        assert_eq!(v2.shards[at], None);
        assert_eq!(v2.shard_key_of("A-1"), None);
    }

    #[test]
    fn manifests_travel_as_json() {
        let (v1, _) = Manifest::build(4, [("A-1", "h1")]);
        let json = serde_json::to_string(&v1).unwrap();
        assert_eq!(serde_json::from_str::<Manifest>(&json).unwrap(), v1);
        assert!(json.len() < 2_000);
    }
}
