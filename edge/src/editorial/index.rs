//! The catalog as the editorial office knows it, in the object's SQLite storage: one row
//! per item (published, or only drafted so far) with what the console lists, filters and
//! lints by, and the drafts themselves. Queried by code, department, hall, zone and status
//! — never loaded whole — so every staff request does a bounded number of storage calls
//! at a prefecture's 20,000 items.
//!
//! The first request of a fresh object learns the published catalog from the seed's
//! `editorial:index:v{N}` (one KV read, one insert); from then on publishing keeps it
//! current.

use serde::Deserialize;
use worker::SqlStorageValue;
use zhinan_domain::api::staff::{Draft, StaffItemRow};
use zhinan_domain::catalog::manifest::{index_key, ItemSummary};
use zhinan_domain::catalog::search::normalize;
use zhinan_domain::lint::{name_key, PeerLimit};
use zhinan_domain::{Item, TimeLimit};

use super::office::{Office, Tables};
use crate::respond::Failure;
use crate::store::CatalogStore;

type Result<T> = std::result::Result<T, Failure>;

const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS items(
        code TEXT PRIMARY KEY, name TEXT NOT NULL, department TEXT NOT NULL,
        hall TEXT NOT NULL, zone TEXT NOT NULL, name_key TEXT NOT NULL, legal TEXT NOT NULL,
        hash TEXT, version INTEGER NOT NULL, withdrawn INTEGER NOT NULL,
        errors INTEGER NOT NULL, warnings INTEGER NOT NULL, terms TEXT NOT NULL DEFAULT '',
        rules TEXT NOT NULL DEFAULT '[]', facts TEXT)",
    "CREATE INDEX IF NOT EXISTS items_by_name_key ON items(name_key)",
    "CREATE TABLE IF NOT EXISTS drafts(
        code TEXT PRIMARY KEY, rev INTEGER NOT NULL, draft TEXT NOT NULL,
        name TEXT NOT NULL, department TEXT NOT NULL, hall TEXT NOT NULL, zone TEXT NOT NULL,
        withdrawn INTEGER NOT NULL, errors INTEGER NOT NULL, warnings INTEGER NOT NULL,
        rules TEXT NOT NULL DEFAULT '[]')",
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    // Each item's summary as every version published it, for rollback.
    "CREATE TABLE IF NOT EXISTS history(version INTEGER NOT NULL, code TEXT NOT NULL,
        summary TEXT NOT NULL, PRIMARY KEY(code, version))",
    "CREATE INDEX IF NOT EXISTS history_by_version ON history(version)",
];

/// Summaries per statement when learning a catalog (≈ 300 bytes each, under SQLite's 2 MB
/// value limit).
const BOOTSTRAP_CHUNK: usize = 2_000;

/// Summaries as JSON rows, inserted or replaced in one statement.
const UPSERT_ITEMS: &str = "INSERT OR REPLACE INTO items(code, name, department, hall, zone,
    name_key, legal, hash, version, withdrawn, errors, warnings, terms, rules, facts)
    SELECT json_extract(value, '$.code'), json_extract(value, '$.name'),
        json_extract(value, '$.department'), json_extract(value, '$.hall'),
        json_extract(value, '$.zone'), json_extract(value, '$.name_key'),
        json_extract(value, '$.legal_limit'), json_extract(value, '$.hash'),
        json_extract(value, '$.version'), json_extract(value, '$.withdrawn'),
        json_extract(value, '$.errors'), json_extract(value, '$.warnings'),
        COALESCE(json_extract(value, '$.terms'), ''),
        COALESCE(json_extract(value, '$.rules'), '[]'), json_extract(value, '$.facts')
    FROM json_each(?1)";

/// Each item as staff see it now: its draft's fields where it has one.
const CURRENT: &str = "WITH cur AS (SELECT i.code AS code,
        COALESCE(d.name, i.name) AS name, COALESCE(d.department, i.department) AS department,
        COALESCE(d.hall, i.hall) AS hall, COALESCE(d.zone, i.zone) AS zone,
        i.hash IS NULL AS is_new, d.code IS NOT NULL AS has_draft,
        COALESCE(d.withdrawn, i.withdrawn) AS withdrawn,
        COALESCE(d.errors, i.errors) AS errors, COALESCE(d.warnings, i.warnings) AS warnings,
        i.terms AS terms, COALESCE(d.rules, i.rules) AS rules
    FROM items i LEFT JOIN drafts d ON d.code = i.code)";

/// The filters of `?department=&hall=&zone=&status=&q=`, in binding order ?1–?6.
const WHERE: &str = "WHERE (?1 IS NULL OR department = ?1) AND (?2 IS NULL OR hall = ?2)
    AND (?3 IS NULL OR zone = ?3)
    AND (?4 IS NULL OR (?4 = 'errors' AND errors > 0)
        OR (?4 = 'warnings' AND errors = 0 AND warnings > 0)
        OR (?4 = 'clean' AND errors = 0 AND warnings = 0)
        OR (?4 = 'draft' AND has_draft) OR (?4 = 'new' AND is_new)
        OR (?4 = 'withdrawn' AND withdrawn))
    AND (?5 IS NULL OR name LIKE ?5 OR code LIKE ?5 OR terms LIKE ?6)
    AND (?7 IS NULL OR EXISTS (SELECT 1 FROM json_each(rules) WHERE value = ?7))";

/// What the item list may be narrowed to.
#[derive(Debug, Default, Clone)]
pub(super) struct Filter {
    pub(super) department: Option<String>,
    pub(super) hall: Option<String>,
    pub(super) zone: Option<String>,
    /// `errors`, `warnings`, `clean`, `draft`, `new` or `withdrawn`.
    pub(super) status: Option<String>,
    /// Text typed in the search box, matched against names and codes, and against the
    /// published items' pinyin, initials and keywords (`ItemSummary::terms`).
    pub(super) text: Option<String>,
    /// A lint rule id: the items that break it.
    pub(super) rule: Option<String>,
}

impl Filter {
    fn is_empty(&self) -> bool {
        self.department.is_none()
            && self.hall.is_none()
            && self.zone.is_none()
            && self.status.is_none()
            && self.text.is_none()
            && self.rule.is_none()
    }

    fn bindings(&self) -> Vec<SqlStorageValue> {
        let like = |t: &str| format!("%{}%", t.replace(['%', '_'], ""));
        vec![
            self.department.clone().into(),
            self.hall.clone().into(),
            self.zone.clone().into(),
            self.status.clone().into(),
            self.text.as_deref().map(like).into(),
            self.text.as_deref().map(|t| like(&normalize(t))).into(),
            self.rule.clone().into(),
        ]
    }
}

#[derive(Deserialize)]
struct ListRow {
    code: String,
    name: String,
    department: String,
    hall: String,
    zone: String,
    is_new: f64,
    has_draft: f64,
    withdrawn: f64,
    errors: f64,
    warnings: f64,
}

/// A department's items in the quality report.
#[derive(Deserialize)]
pub(super) struct DepartmentCount {
    pub(super) department: String,
    pub(super) items: f64,
    pub(super) with_errors: f64,
    pub(super) with_warnings: f64,
}

/// Items of a department breaking a rule.
#[derive(Deserialize)]
pub(super) struct RuleRow {
    pub(super) department: String,
    pub(super) rule: String,
    pub(super) items: f64,
}

#[derive(Deserialize)]
struct Count {
    n: f64,
}

#[derive(Deserialize)]
struct Text {
    value: String,
}

#[derive(Deserialize)]
struct PeerRow {
    name: String,
    hall: String,
    legal: String,
}

#[derive(Deserialize)]
struct SummaryRow {
    code: String,
    name: String,
    department: String,
    hall: String,
    zone: String,
    name_key: String,
    legal: String,
    hash: Option<String>,
    version: f64,
    withdrawn: f64,
    errors: f64,
    warnings: f64,
    terms: String,
    rules: String,
    facts: Option<String>,
}

impl SummaryRow {
    fn summary(self) -> ItemSummary {
        ItemSummary {
            code: self.code,
            name: self.name,
            department: self.department,
            hall: self.hall,
            zone: self.zone,
            name_key: self.name_key,
            legal_limit: serde_json::from_str(&self.legal).unwrap_or(TimeLimit {
                value: 0,
                unit: zhinan_domain::DayUnit::WorkingDays,
            }),
            hash: self.hash,
            version: self.version as u32,
            withdrawn: self.withdrawn != 0.0,
            errors: self.errors as u32,
            warnings: self.warnings as u32,
            terms: self.terms,
            rules: serde_json::from_str(&self.rules).unwrap_or_default(),
            facts: self.facts.and_then(|f| serde_json::from_str(&f).ok()),
        }
    }
}

pub(super) struct Index {
    tables: Tables,
}

impl Index {
    fn exec(&self, query: &str, bindings: Vec<SqlStorageValue>) -> Result<()> {
        self.tables.run(query, bindings)
    }

    pub(super) fn rows<T: serde::de::DeserializeOwned>(
        &self,
        query: &str,
        bindings: Vec<SqlStorageValue>,
    ) -> Result<Vec<T>> {
        self.tables.rows(query, bindings)
    }

    /// One page of the list, in code order after `after`, and the number of matches.
    pub(super) fn page(
        &self,
        filter: &Filter,
        after: &str,
        limit: usize,
    ) -> Result<(Vec<StaffItemRow>, usize)> {
        let mut bindings = filter.bindings();
        bindings.push(after.into());
        bindings.push((limit as i64).into());
        let rows: Vec<ListRow> = self.rows(
            &format!("{CURRENT} SELECT * FROM cur {WHERE} AND code > ?8 ORDER BY code LIMIT ?9"),
            bindings,
        )?;
        // Unfiltered, every row counts: no need to join each one with its draft.
        let total: Vec<Count> = if filter.is_empty() {
            self.rows("SELECT COUNT(*) AS n FROM items", Vec::new())?
        } else {
            self.rows(
                &format!("{CURRENT} SELECT COUNT(*) AS n FROM cur {WHERE}"),
                filter.bindings(),
            )?
        };
        let listed = rows
            .into_iter()
            .map(|r| StaffItemRow {
                code: r.code,
                name: r.name,
                department: r.department,
                hall: r.hall,
                zone: r.zone,
                editable: false,
                has_draft: r.has_draft != 0.0,
                errors: r.errors as usize,
                warnings: r.warnings as usize,
                withdrawn: r.withdrawn != 0.0,
                is_new: r.is_new != 0.0,
            })
            .collect();
        Ok((listed, total.first().map_or(0, |c| c.n as usize)))
    }

    /// The summary of one item (published, or a new item's draft).
    pub(super) fn summary(&self, code: &str) -> Result<Option<ItemSummary>> {
        let rows: Vec<SummaryRow> =
            self.rows("SELECT * FROM items WHERE code = ?1", vec![code.into()])?;
        Ok(rows.into_iter().next().map(SummaryRow::summary))
    }

    /// The codes among `codes` that have been published (a row with a hash), in one query.
    pub(super) fn published_codes(
        &self,
        codes: &[&str],
    ) -> Result<std::collections::HashSet<String>> {
        let rows: Vec<Text> = self.rows(
            "SELECT code AS value FROM items
             WHERE hash IS NOT NULL AND code IN (SELECT value FROM json_each(?1))",
            vec![serde_json::to_string(codes).unwrap_or_default().into()],
        )?;
        Ok(rows.into_iter().map(|r| r.value).collect())
    }

    /// Whether any item is handled at `hall` (the halls of the catalog, without reading
    /// its summary).
    pub(super) fn has_hall(&self, hall: &str) -> Result<bool> {
        let rows: Vec<Count> = self.rows(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM items WHERE hall = ?1 LIMIT 1)",
            vec![hall.into()],
        )?;
        Ok(rows.first().is_some_and(|c| c.n > 0.0))
    }

    /// The draft of one item.
    pub(super) fn draft(&self, code: &str) -> Result<Option<Draft>> {
        let rows: Vec<Text> = self.rows(
            "SELECT draft AS value FROM drafts WHERE code = ?1",
            vec![code.into()],
        )?;
        rows.into_iter()
            .next()
            .map(|r| {
                serde_json::from_str(&r.value)
                    .map_err(|e| Failure::Unavailable(format!("draft {code}: {e}")))
            })
            .transpose()
    }

    /// The drafts of these codes, or of one department, or all, in code order.
    pub(super) fn drafts(
        &self,
        codes: Option<&[String]>,
        department: Option<&str>,
    ) -> Result<Vec<Draft>> {
        let rows: Vec<Text> = self.rows(
            "SELECT draft AS value FROM drafts
             WHERE (?1 IS NULL OR code IN (SELECT value FROM json_each(?1)))
               AND (?2 IS NULL OR department = ?2)
             ORDER BY code",
            vec![
                codes
                    .map(|c| serde_json::to_string(c).unwrap_or_default())
                    .into(),
                department.map(str::to_string).into(),
            ],
        )?;
        rows.into_iter()
            .map(|r| {
                serde_json::from_str(&r.value)
                    .map_err(|e| Failure::Unavailable(format!("draft: {e}")))
            })
            .collect()
    }

    /// Keeps a draft; a draft of a code never published also lists the new item.
    pub(super) fn put_draft(&self, draft: &Draft, summary: &ItemSummary) -> Result<()> {
        self.put_drafts(&[(draft, summary)])
    }

    /// Items (as staff see them, drafts included) per department, with errors, and with
    /// warnings only; then the items breaking each rule per department. Two queries.
    pub(super) fn quality(
        &self,
        department: Option<&str>,
    ) -> Result<(Vec<DepartmentCount>, Vec<RuleRow>)> {
        let departments = self.rows(
            &format!(
                "{CURRENT} SELECT department, COUNT(*) AS items,
                    SUM(errors > 0) AS with_errors, SUM(errors = 0 AND warnings > 0) AS with_warnings
                 FROM cur WHERE ?1 IS NULL OR department = ?1 GROUP BY department"
            ),
            vec![department.map(str::to_string).into()],
        )?;
        let rules = self.rows(
            &format!(
                "{CURRENT} SELECT department, r.value AS rule, COUNT(*) AS items
                 FROM cur, json_each(cur.rules) r WHERE ?1 IS NULL OR department = ?1
                 GROUP BY department, r.value"
            ),
            vec![department.map(str::to_string).into()],
        )?;
        Ok((departments, rules))
    }

    /// What the index has of these codes (hash, version, department), in one query.
    pub(super) fn known(&self, codes: &[String]) -> Result<Vec<super::import::Known>> {
        self.rows(
            "SELECT code, hash, version, department FROM items
             WHERE code IN (SELECT value FROM json_each(?1))",
            vec![serde_json::to_string(codes).unwrap_or_default().into()],
        )
    }

    /// The halls among `halls` that items are handled at, in one query.
    pub(super) fn known_halls(&self, halls: &[&str]) -> Result<Vec<String>> {
        let rows: Vec<Text> = self.rows(
            "SELECT DISTINCT hall AS value FROM items
             WHERE hall IN (SELECT value FROM json_each(?1))",
            vec![serde_json::to_string(halls).unwrap_or_default().into()],
        )?;
        Ok(rows.into_iter().map(|r| r.value).collect())
    }

    /// Keeps drafts (one, or an import's many): a statement per ~1 MB of them, and the new
    /// items' rows for the list.
    pub(super) fn put_drafts(&self, drafts: &[(&Draft, &ItemSummary)]) -> Result<()> {
        const CHUNK_BYTES: usize = 1_000_000;
        let mut rows: Vec<serde_json::Value> = Vec::new();
        let mut bytes = 0;
        let flush = |rows: &mut Vec<serde_json::Value>| -> Result<()> {
            if rows.is_empty() {
                return Ok(());
            }
            self.exec(
                "INSERT OR REPLACE INTO drafts(code, rev, draft, name, department, hall, zone,
                    withdrawn, errors, warnings, rules)
                 SELECT json_extract(value, '$.code'), json_extract(value, '$.rev'),
                    json_extract(value, '$.draft'), json_extract(value, '$.name'),
                    json_extract(value, '$.department'), json_extract(value, '$.hall'),
                    json_extract(value, '$.zone'), json_extract(value, '$.withdrawn'),
                    json_extract(value, '$.errors'), json_extract(value, '$.warnings'),
                    json_extract(value, '$.rules')
                 FROM json_each(?1)",
                vec![serde_json::to_string(&rows).unwrap_or_default().into()],
            )?;
            rows.clear();
            Ok(())
        };
        for (draft, summary) in drafts {
            let json =
                serde_json::to_string(draft).map_err(|e| Failure::Unavailable(e.to_string()))?;
            bytes += json.len();
            rows.push(serde_json::json!({
                "code": summary.code, "rev": draft.rev, "draft": json, "name": summary.name,
                "department": summary.department, "hall": summary.hall, "zone": summary.zone,
                "withdrawn": i64::from(summary.withdrawn), "errors": summary.errors,
                "warnings": summary.warnings,
                "rules": serde_json::to_string(&summary.rules).unwrap_or_default(),
            }));
            if bytes > CHUNK_BYTES {
                flush(&mut rows)?;
                bytes = 0;
            }
        }
        flush(&mut rows)?;
        let fresh: Vec<ItemSummary> = drafts
            .iter()
            .filter(|(_, s)| s.hash.is_none())
            .map(|(_, s)| (*s).clone())
            .collect();
        for chunk in fresh.chunks(BOOTSTRAP_CHUNK) {
            self.upsert(chunk)?;
        }
        Ok(())
    }

    /// Drops a draft; a new item that was only this draft leaves the list.
    pub(super) fn delete_draft(&self, code: &str) -> Result<()> {
        self.exec("DELETE FROM drafts WHERE code = ?1", vec![code.into()])?;
        self.exec(
            "DELETE FROM items WHERE code = ?1 AND hash IS NULL",
            vec![code.into()],
        )?;
        Ok(())
    }

    /// Drops the drafts that were published, unless saved again since (`(code, rev)`).
    pub(super) fn delete_published_drafts(&self, published: &[(String, u64)]) -> Result<()> {
        let json = serde_json::to_string(published).unwrap_or_default();
        self.exec(
            "DELETE FROM drafts WHERE EXISTS (SELECT 1 FROM json_each(?1) AS p
                WHERE json_extract(p.value, '$[0]') = drafts.code
                  AND json_extract(p.value, '$[1]') = drafts.rev)",
            vec![json.into()],
        )?;
        Ok(())
    }

    /// Inserts or replaces summaries, in one statement.
    pub(super) fn upsert(&self, summaries: &[ItemSummary]) -> Result<()> {
        if summaries.is_empty() {
            return Ok(());
        }
        let json =
            serde_json::to_string(summaries).map_err(|e| Failure::Unavailable(e.to_string()))?;
        self.exec(UPSERT_ITEMS, vec![json.into()])?;
        Ok(())
    }

    /// The legal limits of the items named like `items` (namesakes in other halls are
    /// lint peers), in one query.
    pub(super) fn peers<'a>(
        &self,
        items: impl Iterator<Item = &'a Item>,
    ) -> Result<Vec<PeerLimit>> {
        let mut keys: Vec<String> = items.map(|i| name_key(&i.name)).collect();
        keys.sort();
        keys.dedup();
        let rows: Vec<PeerRow> = self.rows(
            "SELECT name, hall, legal FROM items
             WHERE hash IS NOT NULL AND name_key IN (SELECT value FROM json_each(?1))",
            vec![serde_json::to_string(&keys).unwrap_or_default().into()],
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(PeerLimit {
                    name: r.name,
                    hall: r.hall,
                    legal_limit: serde_json::from_str(&r.legal).ok()?,
                })
            })
            .collect())
    }

    /// Records the summaries version `version` published (JSON array of summaries).
    pub(super) fn record(&self, version: u32, summaries_json: &str) -> Result<()> {
        self.exec(
            "INSERT OR REPLACE INTO history(version, code, summary)
             SELECT ?1, json_extract(value, '$.code'), value FROM json_each(?2)",
            vec![i64::from(version).into(), summaries_json.into()],
        )?;
        Ok(())
    }

    /// The index as of version `to`, coming from version `from` (a rollback, or forward
    /// again): every item published in between gets its summary as of `to` back; one that
    /// `to` did not have leaves the list unless it has a draft (then it is a new item).
    pub(super) fn restore(&self, from: u32, to: u32) -> Result<()> {
        let (low, high) = (i64::from(from.min(to)), i64::from(from.max(to)));
        let target = i64::from(to);
        let changed = "SELECT code FROM history WHERE version > ?1 AND version <= ?2";
        self.exec(
            &format!(
                "UPDATE items SET hash = NULL, version = 0
                 WHERE code IN ({changed}) AND NOT EXISTS
                   (SELECT 1 FROM history h WHERE h.code = items.code AND h.version <= ?3)"
            ),
            vec![low.into(), high.into(), target.into()],
        )?;
        self.exec(
            &UPSERT_ITEMS.replace(
                "FROM json_each(?1)",
                &format!(
                    "FROM (SELECT h.summary AS value FROM history h
                     WHERE h.code IN ({changed}) AND h.version = (SELECT MAX(version)
                       FROM history h2 WHERE h2.code = h.code AND h2.version <= ?3))"
                ),
            ),
            vec![low.into(), high.into(), target.into()],
        )?;
        self.exec(
            "DELETE FROM items WHERE hash IS NULL AND code NOT IN (SELECT code FROM drafts)",
            Vec::new(),
        )?;
        Ok(())
    }

    pub(super) fn meta(&self, key: &str) -> Result<Option<String>> {
        let rows: Vec<Text> =
            self.rows("SELECT value FROM meta WHERE key = ?1", vec![key.into()])?;
        Ok(rows.into_iter().next().map(|r| r.value))
    }

    pub(super) fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.exec(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
            vec![key.into(), value.into()],
        )?;
        Ok(())
    }
}

impl Office {
    /// The index, its tables made and the published catalog learnt on first use.
    pub(super) async fn index(&self) -> Result<Index> {
        let index = Index {
            tables: self.tables(SCHEMA, &self.index_tables)?,
        };
        if self.index_ready.get() {
            return Ok(index);
        }
        // Objects made before the assessment dashboard have no `facts` column: add it
        // (to a table made with it, SQLite refuses, which is as good).
        if index.meta("facts_column")?.is_none() {
            let _ = index.exec("ALTER TABLE items ADD COLUMN facts TEXT", Vec::new());
            index.set_meta("facts_column", "1")?;
        }
        if index.meta("bootstrapped")?.is_none() {
            let store = CatalogStore::open(&self.env)?;
            let version = self.current_version().await?;
            let json = store.text(&index_key(version)).await?;
            let rows: Vec<serde_json::Value> = serde_json::from_str(&json)
                .map_err(|e| Failure::Unavailable(format!("{}: {e}", index_key(version))))?;
            // SQLite takes values of up to 2 MB: a prefecture's index goes in chunks.
            for chunk in rows.chunks(BOOTSTRAP_CHUNK) {
                let chunk = serde_json::to_string(chunk).unwrap_or_default();
                index.exec(UPSERT_ITEMS, vec![chunk.as_str().into()])?;
                index.record(version, &chunk)?;
            }
            index.set_meta("bootstrapped", &version.to_string())?;
        }
        self.index_ready.set(true);
        Ok(index)
    }
}
