//! The publish step between shards and the pointer: each hall whose items the publish
//! changes gets new rows (`rows:{hash}`), each county whose items it changes a new search
//! index (`find:{hash}`) — read, patched and written one piece per step, so a publish
//! costs what its halls and counties hold, never the whole catalog. An item that moved
//! leaves its old hall's rows and, across counties, its old county's index.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use serde::Deserialize;
use zhinan_domain::catalog::manifest::PINYIN_TABLE_KEY;
use zhinan_domain::catalog::search::build_index;
use zhinan_domain::catalog::sections::{patched, stored_rows, stored_search};
use zhinan_domain::{Catalog, CatalogEntry, HallSection, Item};

use super::office::Office;
use crate::respond::Failure;
use crate::store::CatalogStore;

type Result<T> = std::result::Result<T, Failure>;

/// What one section step spends at most: the job's items, the piece's read and write, the
/// pinyin table once per isolate.
pub(super) const SECTION_COST: u64 = 4;

pub(super) const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS job_sections(
    version INTEGER NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, hash TEXT,
    count INTEGER NOT NULL DEFAULT 0, done INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY(version, kind, id))";

thread_local! {
    /// The seed's pinyin table (`pinyin:table`), read once per isolate.
    static PINYIN: RefCell<Option<Rc<HashMap<char, String>>>> = const { RefCell::new(None) };
}

/// The pinyin of every common character, for indexing names the seed never saw.
pub(super) async fn pinyin_table(store: &CatalogStore) -> Result<Rc<HashMap<char, String>>> {
    if let Some(table) = PINYIN.with(|p| p.borrow().clone()) {
        return Ok(table);
    }
    let table: HashMap<char, String> = match store.text(PINYIN_TABLE_KEY).await {
        Ok(text) => serde_json::from_str::<HashMap<String, String>>(&text)
            .map_err(|e| Failure::Unavailable(format!("{PINYIN_TABLE_KEY}: {e}")))?
            .into_iter()
            .filter_map(|(k, v)| Some((k.chars().next()?, v)))
            .collect(),
        Err(_) => {
            worker::console_warn!("{PINYIN_TABLE_KEY} missing: new names get no pinyin");
            HashMap::new()
        }
    };
    let table = Rc::new(table);
    PINYIN.with(|p| *p.borrow_mut() = Some(table.clone()));
    Ok(table)
}

/// Where one item of the job goes and where it was.
#[derive(Deserialize)]
pub(super) struct Move {
    code: String,
    hall: String,
    /// Its hall in the base version; `None` for an item not published before.
    old: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct SectionRow {
    pub(super) kind: String,
    pub(super) id: String,
    pub(super) hash: Option<String>,
    pub(super) count: f64,
    pub(super) done: f64,
}

#[derive(Deserialize)]
struct ItemText {
    item: String,
}

impl Office {
    /// Where each item of the job goes and where it was: its hall in the base version is
    /// still the office index's (published rows change only when this job finishes).
    pub(super) fn moves(&self, version: u32) -> Result<Vec<Move>> {
        self.jobs_exec(
            "SELECT j.code AS code, json_extract(j.summary, '$.hall') AS hall,
                (SELECT i.hall FROM items i WHERE i.code = j.code AND i.hash IS NOT NULL) AS old
             FROM job_items j WHERE j.version = ?1",
            vec![i64::from(version).into()],
        )
    }

    /// The job's halls and counties, planned on first call.
    pub(super) fn job_sections(
        &self,
        version: u32,
        catalog: &Catalog,
        moves: &[Move],
    ) -> Result<Vec<SectionRow>> {
        let v = i64::from(version);
        let planned: Vec<SectionRow> = self.jobs_exec(
            "SELECT kind, id, hash, count, done FROM job_sections WHERE version = ?1",
            vec![v.into()],
        )?;
        if !planned.is_empty() {
            return Ok(planned);
        }
        let mut halls = BTreeSet::new();
        let mut areas = BTreeSet::new();
        for m in moves {
            for hall in std::iter::once(&m.hall).chain(m.old.as_ref()) {
                halls.insert(hall.clone());
                areas.insert(catalog.area_of(hall).to_string());
            }
        }
        let planned: Vec<SectionRow> = halls
            .into_iter()
            .map(|id| ("rows", id))
            .chain(areas.into_iter().map(|id| ("find", id)))
            .map(|(kind, id)| SectionRow {
                kind: kind.to_string(),
                id,
                hash: None,
                count: 0.0,
                done: 0.0,
            })
            .collect();
        self.record_sections(version, &planned)?;
        Ok(planned)
    }

    /// Keeps the sections' state (planned, or written with their hash and count).
    pub(super) fn record_sections(&self, version: u32, sections: &[SectionRow]) -> Result<()> {
        let rows: Vec<(&str, &str, Option<&str>, f64, f64)> = sections
            .iter()
            .map(|s| {
                (
                    s.kind.as_str(),
                    s.id.as_str(),
                    s.hash.as_deref(),
                    s.count,
                    s.done,
                )
            })
            .collect();
        self.jobs_run(
            "INSERT OR REPLACE INTO job_sections(version, kind, id, hash, count, done)
             SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]'),
                json_extract(value, '$[2]'), json_extract(value, '$[3]'),
                json_extract(value, '$[4]')
             FROM json_each(?2)",
            vec![
                i64::from(version).into(),
                serde_json::to_string(&rows).unwrap_or_default().into(),
            ],
        )
    }

    /// Writes one hall's rows or one county's index of the new version (unless unchanged)
    /// and notes its hash — none when nothing is left in it — and its count in `section`.
    pub(super) async fn section_step<F, Fut>(
        &self,
        version: u32,
        catalog: &Catalog,
        moves: &[Move],
        section: &mut SectionRow,
        store: &CatalogStore,
        put: &mut F,
    ) -> Result<()>
    where
        F: FnMut(String, String) -> Fut,
        Fut: std::future::Future<Output = Result<()>>,
    {
        let kind = section.kind.clone();
        let id = section.id.clone();
        let inside = |hall: &str| match kind.as_str() {
            "rows" => hall == id,
            _ => catalog.area_of(hall) == id,
        };
        let arriving: Vec<&str> = moves
            .iter()
            .filter(|m| inside(&m.hall))
            .map(|m| m.code.as_str())
            .collect();
        let leaving: Vec<&str> = moves
            .iter()
            .filter(|m| !inside(&m.hall) && m.old.as_deref().is_some_and(inside))
            .map(|m| m.code.as_str())
            .collect();
        let items: Vec<Item> = if arriving.is_empty() {
            Vec::new()
        } else {
            self.jobs_exec::<ItemText>(
                "SELECT item FROM job_items
                 WHERE version = ?1 AND code IN (SELECT value FROM json_each(?2))",
                vec![
                    i64::from(version).into(),
                    serde_json::to_string(&arriving).unwrap_or_default().into(),
                ],
            )?
            .into_iter()
            .filter_map(|row| serde_json::from_str(&row.item).ok())
            .collect()
        };
        let (piece, count) = if kind == "rows" {
            let current = store.rows(catalog, &id).await?;
            let fresh = items.iter().map(CatalogEntry::from).collect();
            let rows = patched((*current).clone(), fresh, &leaving, |e| &e.code);
            let count = rows.len();
            (stored_rows(&rows), count)
        } else {
            let current = match store.area_index(catalog, &id).await? {
                Some((_, index)) => index.entries.clone(),
                None => Vec::new(),
            };
            let table = pinyin_table(store).await?;
            let fresh = build_index(&items, version, |c| table.get(&c).cloned()).entries;
            let entries = patched(current, fresh, &leaving, |e| &e.code);
            let count = entries.len();
            (stored_search(entries), count)
        };
        let unchanged = match kind.as_str() {
            "rows" => catalog.sections.get(&id).map(|s| &s.rows),
            _ => catalog.search.get(&id),
        } == Some(&piece.hash);
        if count > 0 && !unchanged {
            put(piece.key, piece.json).await?;
        }
        section.hash = (count > 0).then_some(piece.hash);
        section.count = count as f64;
        section.done = 1.0;
        Ok(())
    }
}

/// The catalog summary of the new version: the base's, with the rewritten pieces.
pub(super) fn next_catalog(
    base: &Catalog,
    version: u32,
    published_at: String,
    sections: &[SectionRow],
) -> Catalog {
    let mut next = Catalog {
        version,
        published_at,
        ..base.clone()
    };
    for section in sections {
        match (section.kind.as_str(), &section.hash) {
            ("rows", Some(hash)) => {
                next.sections.insert(
                    section.id.clone(),
                    HallSection {
                        rows: hash.clone(),
                        count: section.count as u32,
                    },
                );
            }
            ("rows", None) => {
                next.sections.remove(&section.id);
            }
            (_, Some(hash)) => {
                next.search.insert(section.id.clone(), hash.clone());
            }
            (_, None) => {
                next.search.remove(&section.id);
            }
        }
    }
    next
}
