//! Publishing: a selection of drafts (chosen items, one department's, or all of them)
//! becomes a new catalog version. A draft with lint errors keeps only itself out;
//! warnings must be acknowledged. The version number is reserved when a publish is
//! accepted, so two publishes queue one after the other instead of mixing, and a draft
//! saved while a publish runs is kept (only the revision that was published is dropped).
//!
//! The work goes in steps of bounded storage operations — as many as fit in the request,
//! the rest in the object's alarm — writing only what changed: each changed item under
//! its content hash, each touched shard, the rows of each touched hall and the search
//! index of each touched county (`sections`), then the manifest, the catalog summary and,
//! last, `meta:current`. A reader sees the old version or the new one,
//! never a mix, even if a publish stops half-way.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use worker::{Request, SqlStorageValue};
use zhinan_domain::accounts::{Role, StaffUser};
use zhinan_domain::api::staff::{
    Draft, ItemFindings, PublishJob, PublishRefused, PublishRequest, VersionInfo,
};
use zhinan_domain::catalog::manifest::{
    self, catalog_key, content_hash, ever_key, manifest_key, shard_key, ItemSummary, Manifest,
    Shard, CURRENT_KEY,
};
use zhinan_domain::catalog::search::search_terms;
use zhinan_domain::lint::{lint_item, LintContext, Severity};
use zhinan_domain::Item;

use super::common::{body_of, forbidden, json, Answer};
use super::office::Office;
use super::sections::{next_catalog, pinyin_table, SECTION_COST};
use crate::respond::Failure;
use crate::store::CatalogStore;
use crate::{clock, ops};

type Result<T> = std::result::Result<T, Failure>;

/// Storage operations one request or alarm may spend on publishing (the platform allows
/// 1,000; the project's bound for any request is 50, and the request itself needs some).
const BUDGET: u64 = 44;
/// What the last step (manifest, summary, pointer, bookkeeping) needs at most.
const FINISH_COST: u64 = 22;
/// Most drafts one publish takes (a county's whole catalog and then some).
const MAX_SELECTION: usize = 2_000;
/// Job items per insert (each carries its item's JSON; SQLite takes values up to 2 MB).
const JOB_CHUNK: usize = 200;

const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS jobs(version INTEGER PRIMARY KEY, state TEXT NOT NULL,
        by TEXT NOT NULL, note TEXT, base INTEGER, total INTEGER NOT NULL,
        done INTEGER NOT NULL, blocked TEXT NOT NULL, info TEXT,
        pause INTEGER NOT NULL DEFAULT 10)",
    "CREATE TABLE IF NOT EXISTS job_items(version INTEGER NOT NULL, code TEXT NOT NULL,
        rev INTEGER NOT NULL, item TEXT NOT NULL, hash TEXT NOT NULL,
        summary TEXT NOT NULL, is_new INTEGER NOT NULL, PRIMARY KEY(version, code))",
    super::sections::SCHEMA,
    "CREATE TABLE IF NOT EXISTS job_shards(version INTEGER NOT NULL, shard INTEGER NOT NULL,
        hash TEXT, done INTEGER NOT NULL, PRIMARY KEY(version, shard))",
];

#[derive(Deserialize)]
struct JobRow {
    version: f64,
    state: String,
    by: String,
    note: Option<String>,
    base: Option<f64>,
    total: f64,
    done: f64,
    blocked: String,
    info: Option<String>,
    /// Milliseconds between the alarm's steps.
    pause: f64,
}

impl JobRow {
    fn view(&self) -> PublishJob {
        PublishJob {
            version: self.version as u32,
            state: match self.state.as_str() {
                "done" | "failed" | "queued" => self.state.clone(),
                _ => "running".into(),
            },
            done: self.done as usize,
            total: self.total as usize,
            blocked: serde_json::from_str(&self.blocked).unwrap_or_default(),
            info: self
                .info
                .as_deref()
                .and_then(|i| serde_json::from_str(i).ok()),
        }
    }
}

#[derive(Deserialize)]
struct JobItemRow {
    code: String,
    rev: f64,
    item: String,
    hash: String,
    summary: String,
    is_new: f64,
}

#[derive(Deserialize)]
struct JobShardRow {
    shard: f64,
    hash: Option<String>,
}

/// One item as the job writes it.
#[derive(Serialize)]
struct JobItem<'a> {
    code: &'a str,
    rev: u64,
    item: String,
    hash: String,
    summary: String,
    is_new: bool,
}

/// Stops a publish after `n` KV writes when the `FAULT_INJECTION` var is set and the
/// request asks (`X-Fault-After-Writes`): the test of an interrupted publish.
struct Fault {
    after: Option<usize>,
    writes: usize,
}

impl Fault {
    fn write(&mut self) -> bool {
        self.writes += 1;
        self.after.is_some_and(|n| self.writes > n)
    }
}

impl Office {
    pub(super) fn jobs_exec<T: serde::de::DeserializeOwned>(
        &self,
        query: &str,
        bindings: Vec<SqlStorageValue>,
    ) -> Result<Vec<T>> {
        self.tables(SCHEMA, &self.jobs_ready)?.rows(query, bindings)
    }

    pub(super) fn jobs_run(&self, query: &str, bindings: Vec<SqlStorageValue>) -> Result<()> {
        self.tables(SCHEMA, &self.jobs_ready)?.run(query, bindings)
    }

    /// The publish that runs now (the oldest unfinished), if any.
    fn running_job(&self) -> Result<Option<JobRow>> {
        Ok(self
            .jobs_exec::<JobRow>(
                "SELECT * FROM jobs WHERE state NOT IN ('done', 'failed')
                 ORDER BY version LIMIT 1",
                Vec::new(),
            )?
            .into_iter()
            .next())
    }

    fn job(&self, version: u32) -> Result<Option<JobRow>> {
        Ok(self
            .jobs_exec::<JobRow>(
                "SELECT * FROM jobs WHERE version = ?1",
                vec![i64::from(version).into()],
            )?
            .into_iter()
            .next())
    }

    /// `GET /api/v1/staff/publish`: the latest publish and how far it got.
    pub(super) async fn publish_status(&self) -> Answer {
        let latest = self
            .jobs_exec::<JobRow>(
                "SELECT * FROM jobs ORDER BY version DESC LIMIT 1",
                Vec::new(),
            )?
            .into_iter()
            .next();
        json(&latest.map(|j| j.view()), 200)
    }

    /// `POST /api/v1/staff/publish`: accepts a selection of drafts as the next version.
    pub(super) async fn publish(&self, user: &StaffUser, req: &Request, text: &str) -> Answer {
        if user.role != Role::Admin {
            return Err(forbidden("只有中心管理员可以发布"));
        }
        let start = ops::mark();
        let request: PublishRequest = body_of(text)?;
        let mut fault = Fault {
            after: crate::fault_injection(&self.env)
                .then(|| req.headers().get("X-Fault-After-Writes").ok().flatten())
                .flatten()
                .and_then(|v| v.parse().ok()),
            writes: 0,
        };
        // Tests space the background steps out to act while a publish runs.
        let pause: i64 = crate::fault_injection(&self.env)
            .then(|| req.headers().get("X-Publish-Pause-Ms").ok().flatten())
            .flatten()
            .and_then(|v| v.parse().ok())
            .unwrap_or(10)
            .clamp(1, 5_000);
        let index = self.index().await?;
        let drafts = index.drafts(request.codes.as_deref(), request.department.as_deref())?;
        if drafts.is_empty() {
            return Err(Failure::conflict("nothing_to_publish", "没有待发布的草稿"));
        }
        if drafts.len() > MAX_SELECTION {
            return Err(Failure::bad_request(
                "too_many",
                format!("一次最多发布 {MAX_SELECTION} 个事项，请按部门分批发布"),
                "codes",
            ));
        }
        let peers = index.peers(drafts.iter().map(|d| &d.item))?;
        let published = index.published_codes(
            &drafts
                .iter()
                .map(|d| d.item.code.as_str())
                .collect::<Vec<_>>(),
        )?;
        let ctx = LintContext {
            today: clock::today(),
            peers,
        };
        let today = clock::today().to_string();
        let mut blocked = Vec::new();
        let mut warned = Vec::new();
        let mut chosen: Vec<(&Draft, Item, ItemSummary)> = Vec::new();
        for draft in &drafts {
            let findings = lint_item(&draft.item, &ctx);
            let of = |severity: Severity| ItemFindings {
                code: draft.item.code.clone(),
                name: draft.item.name.clone(),
                findings: findings
                    .iter()
                    .filter(|f| f.severity == severity)
                    .cloned()
                    .collect(),
            };
            let errors = of(Severity::Error);
            if !errors.findings.is_empty() {
                blocked.push(errors);
                continue;
            }
            let warnings = of(Severity::Warning);
            if !warnings.findings.is_empty() {
                warned.push(warnings);
            }
            let is_new = !published.contains(&draft.item.code);
            let mut item = draft.item.clone();
            item.version = if is_new { 1 } else { item.version + 1 };
            item.updated_at = today.clone();
            let json = serde_json::to_string(&item).unwrap_or_default();
            let summary = ItemSummary::of(&item, Some(content_hash(json.as_bytes())), &findings);
            chosen.push((draft, item, summary));
        }
        if chosen.is_empty() || (!warned.is_empty() && !request.acknowledge_warnings) {
            let (error, code) = if chosen.is_empty() {
                (
                    format!("所选 {} 个事项仍有错误，不能发布", blocked.len()),
                    "lint_errors",
                )
            } else {
                (
                    "有提醒尚未确认：请阅读后勾选“已知晓”再发布".to_string(),
                    "warnings_unacknowledged",
                )
            };
            return json(
                &PublishRefused {
                    error,
                    code: code.into(),
                    errors: blocked,
                    warnings: warned,
                },
                409,
            );
        }

        // Reserve the version before any write: a second publish queues behind this one.
        // Nothing is awaited from reading the last reservation to making this one, so no
        // other request can come in between.
        let current = self.current_version().await?;
        let latest = self.latest(current).await?;
        let reserved: Vec<JobRow> = self.jobs_exec(
            "SELECT * FROM jobs ORDER BY version DESC LIMIT 1",
            Vec::new(),
        )?;
        let version = latest.max(reserved.first().map_or(0, |j| j.version as u32)) + 1;
        let rows: Vec<JobItem> = chosen
            .iter()
            .map(|(draft, item, summary)| JobItem {
                code: &item.code,
                rev: draft.rev,
                item: serde_json::to_string(item).unwrap_or_default(),
                hash: summary.hash.clone().unwrap_or_default(),
                summary: serde_json::to_string(summary).unwrap_or_default(),
                is_new: item.version == 1,
            })
            .collect();
        // Alone, it starts from the current version; behind another publish, from the
        // version that one makes (known when it finishes).
        let alone = reserved
            .first()
            .is_none_or(|j| j.state == "done" || j.state == "failed");
        self.jobs_run(
            "INSERT INTO jobs(version, state, by, note, base, total, done, blocked, info, pause)
             VALUES (?1, ?6, ?2, ?3, ?7, ?4, 0, ?5, NULL, ?8)",
            vec![
                i64::from(version).into(),
                user.username.as_str().into(),
                request.note.filter(|n| !n.trim().is_empty()).into(),
                (rows.len() as i64).into(),
                serde_json::to_string(&blocked).unwrap_or_default().into(),
                if alone { "items" } else { "queued" }.into(),
                alone.then_some(i64::from(current)).into(),
                pause.into(),
            ],
        )?;
        for chunk in rows.chunks(JOB_CHUNK) {
            self.jobs_run(
                "INSERT INTO job_items(version, code, rev, item, hash, summary, is_new)
                 SELECT ?1, json_extract(value, '$.code'), json_extract(value, '$.rev'),
                    json_extract(value, '$.item'), json_extract(value, '$.hash'),
                    json_extract(value, '$.summary'), json_extract(value, '$.is_new')
                 FROM json_each(?2)",
                vec![
                    i64::from(version).into(),
                    serde_json::to_string(chunk).unwrap_or_default().into(),
                ],
            )?;
        }
        let outcome = self.advance(start, &mut fault).await;
        if let Err(Failure::Unavailable(message)) = &outcome {
            if fault.after.is_some() {
                self.jobs_run(
                    "UPDATE jobs SET state = 'failed' WHERE version = ?1",
                    vec![i64::from(version).into()],
                )?;
                self.audit(
                    &user.username,
                    "publish_interrupted",
                    &version.to_string(),
                    message.clone(),
                )
                .await?;
            }
        }
        outcome?;
        let job = self
            .job(version)?
            .ok_or_else(|| Failure::Unavailable(format!("publish job {version} missing")))?;
        let view = job.view();
        if let Some(next) = self.running_job()? {
            self.state.storage().set_alarm(next.pause as i64).await?;
        }
        json(&view, if view.state == "done" { 200 } else { 202 })
    }

    /// The alarm: goes on with queued publishes, a budget's worth at a time.
    pub(super) async fn publish_alarm(&self) -> Result<()> {
        let mut fault = Fault {
            after: None,
            writes: 0,
        };
        self.advance(ops::mark(), &mut fault).await?;
        if let Some(next) = self.running_job()? {
            self.state.storage().set_alarm(next.pause as i64).await?;
        }
        Ok(())
    }

    /// Does publishing work until the budget since `start` is spent or nothing is left.
    /// One request (or the alarm) at a time: another that comes in meanwhile leaves the
    /// work to it.
    async fn advance(&self, start: ops::Mark, fault: &mut Fault) -> Result<()> {
        if self.advancing.replace(true) {
            return Ok(());
        }
        let _done = Advancing(&self.advancing);
        let store = CatalogStore::open(&self.env)?;
        let kv = self.env.kv("CATALOG")?;
        let mut put = |key: String, value: String| {
            let stop = fault.write();
            let kv = kv.clone();
            async move {
                if stop {
                    return Err(Failure::Unavailable(format!(
                        "publish interrupted before {key} (fault injection)"
                    )));
                }
                ops::one();
                kv.put(&key, value)?.execute().await?;
                Ok::<(), Failure>(())
            }
        };
        // The job is read once and its state kept here as it moves on.
        let mut current: Option<JobRow> = None;
        // The job's codes and hashes, read once for its shard steps.
        let mut codes: Option<Vec<CodeHash>> = None;
        while start.since() + 4 < BUDGET {
            if current.is_none() {
                current = self.running_job()?;
                codes = None;
            }
            let Some(job) = current.as_mut() else {
                return Ok(());
            };
            let version = job.version as u32;
            let v = i64::from(version);
            match job.state.as_str() {
                "queued" => {
                    let base = self.current_version().await?;
                    self.jobs_run(
                        "UPDATE jobs SET state = 'items', base = ?2 WHERE version = ?1",
                        vec![v.into(), i64::from(base).into()],
                    )?;
                    job.state = "items".into();
                    job.base = Some(f64::from(base));
                }
                "items" => {
                    let room = (BUDGET - start.since()).saturating_sub(3) / 2;
                    let batch: Vec<JobItemRow> = self.jobs_exec(
                        "SELECT code, rev, item, hash, summary, is_new FROM job_items
                         WHERE version = ?1 ORDER BY code LIMIT ?2 OFFSET ?3",
                        vec![
                            v.into(),
                            (room.max(1) as i64).into(),
                            (job.done as i64).into(),
                        ],
                    )?;
                    if batch.is_empty() {
                        self.jobs_run(
                            "UPDATE jobs SET state = 'shards' WHERE version = ?1",
                            vec![v.into()],
                        )?;
                        job.state = "shards".into();
                        continue;
                    }
                    let mut written = 0usize;
                    for row in &batch {
                        put(manifest::item_key(&row.hash), row.item.clone()).await?;
                        if row.is_new != 0.0 {
                            // Its guide URL must keep answering after any rollback.
                            put(ever_key(&row.code), row.hash.clone()).await?;
                        }
                        written += 1;
                    }
                    job.done += written as f64;
                    if job.done as usize >= job.total as usize {
                        // That was the last batch.
                        job.state = "shards".into();
                    }
                    self.jobs_run(
                        "UPDATE jobs SET done = ?2, state = ?3 WHERE version = ?1",
                        vec![
                            v.into(),
                            (job.done as i64).into(),
                            job.state.as_str().into(),
                        ],
                    )?;
                }
                "shards" => {
                    let base = job.base.unwrap_or_default() as u32;
                    let manifest = store.manifest(base).await?;
                    let done: Vec<JobShardRow> = self.jobs_exec(
                        "SELECT shard, hash FROM job_shards WHERE version = ?1",
                        vec![v.into()],
                    )?;
                    if codes.is_none() {
                        codes = Some(self.jobs_exec(
                            "SELECT code, hash FROM job_items WHERE version = ?1",
                            vec![v.into()],
                        )?);
                    }
                    let codes = codes.as_deref().unwrap_or_default();
                    let touched = Manifest::shards_of(codes.iter().map(|c| c.code.as_str()));
                    let todo: Vec<usize> = touched
                        .into_iter()
                        .filter(|s| !done.iter().any(|d| d.shard as usize == *s))
                        .collect();
                    if todo.is_empty() {
                        self.jobs_run(
                            "UPDATE jobs SET state = 'sections' WHERE version = ?1",
                            vec![v.into()],
                        )?;
                        job.state = "sections".into();
                        continue;
                    }
                    let last = todo.len();
                    let room = ((BUDGET - start.since()).saturating_sub(2) / 3).max(1) as usize;
                    let mut written = Vec::new();
                    let taken = room.min(last);
                    for at in todo.into_iter().take(taken) {
                        let current = match manifest.shards.get(at).cloned().flatten() {
                            Some(hash) => (*store.shard(&shard_key(&hash)).await?).clone(),
                            None => Shard::new(),
                        };
                        let changes: BTreeMap<String, Option<String>> = codes
                            .iter()
                            .filter(|c| manifest::shard_of(&c.code) == at)
                            .map(|c| (c.code.clone(), Some(c.hash.clone())))
                            .collect();
                        let (next, writes) =
                            manifest.next(version, &BTreeMap::from([(at, current)]), &changes);
                        for write in writes {
                            put(shard_key(&write.hash), write.json).await?;
                        }
                        written.push((at, next.shards[at].clone()));
                    }
                    self.jobs_run(
                        "INSERT OR REPLACE INTO job_shards(version, shard, hash, done)
                         SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]'), 1
                         FROM json_each(?2)",
                        vec![
                            v.into(),
                            serde_json::to_string(&written).unwrap_or_default().into(),
                        ],
                    )?;
                    if taken == last {
                        self.jobs_run(
                            "UPDATE jobs SET state = 'sections' WHERE version = ?1",
                            vec![v.into()],
                        )?;
                        job.state = "sections".into();
                    }
                }
                "sections" => {
                    let base = store.catalog(job.base.unwrap_or_default() as u32).await?;
                    let moves = self.moves(version)?;
                    let mut sections = self.job_sections(version, &base, &moves)?;
                    let mut outcome = Ok(());
                    let mut wrote = false;
                    let mut left = false;
                    for section in sections.iter_mut().filter(|s| s.done == 0.0) {
                        // Room for this step and for recording what was written.
                        if start.since() + SECTION_COST + 2 > BUDGET {
                            left = true;
                            break;
                        }
                        outcome = self
                            .section_step(version, &base, &moves, section, &store, &mut put)
                            .await;
                        if outcome.is_err() {
                            break;
                        }
                        wrote = true;
                    }
                    // Keep what was written, even before a failure; the finish step reads
                    // the sections from here (planned ones were recorded when planned).
                    if wrote {
                        self.record_sections(version, &sections)?;
                    }
                    outcome?;
                    if left {
                        return Ok(());
                    }
                    self.jobs_run(
                        "UPDATE jobs SET state = 'finish' WHERE version = ?1",
                        vec![v.into()],
                    )?;
                    job.state = "finish".into();
                }
                _ => {
                    // "finish": in one go, so it needs a fresh budget's room.
                    if start.since() + FINISH_COST > BUDGET {
                        return Ok(());
                    }
                    self.finish(job, &store, &mut put).await?;
                    current = None;
                }
            }
        }
        Ok(())
    }

    /// The last step: manifest, summary, index, pointer, then the office's own records.
    async fn finish<F, Fut>(&self, job: &JobRow, store: &CatalogStore, put: &mut F) -> Result<()>
    where
        F: FnMut(String, String) -> Fut,
        Fut: std::future::Future<Output = Result<()>>,
    {
        let version = job.version as u32;
        let v = i64::from(version);
        let base = job.base.unwrap_or_default() as u32;
        let old = store.manifest(base).await?;
        let shards: Vec<JobShardRow> = self.jobs_exec(
            "SELECT shard, hash FROM job_shards WHERE version = ?1",
            vec![v.into()],
        )?;
        let mut manifest = Manifest {
            version,
            shards: old.shards.clone(),
        };
        manifest.shards.resize(manifest::SHARDS, None);
        for row in shards {
            manifest.shards[row.shard as usize] = row.hash;
        }
        let rows: Vec<JobItemRow> = self.jobs_exec(
            "SELECT code, rev, item, hash, summary, is_new FROM job_items WHERE version = ?1",
            vec![v.into()],
        )?;
        let base_catalog = store.catalog(base).await?;
        let sections = self.jobs_exec(
            "SELECT kind, id, hash, count, done FROM job_sections WHERE version = ?1",
            vec![v.into()],
        )?;
        let catalog = next_catalog(
            &base_catalog,
            version,
            clock::today().to_string(),
            &sections,
        );
        let count = catalog.total() as usize;

        put(
            manifest_key(version),
            serde_json::to_string(&manifest).unwrap_or_default(),
        )
        .await?;
        put(
            catalog_key(version),
            serde_json::to_string(&catalog).unwrap_or_default(),
        )
        .await?;
        // The one write that makes it visible.
        put(CURRENT_KEY.to_string(), version.to_string()).await?;
        crate::store::remember_version(version);

        self.put("latest_version", &version).await?;
        self.set_current_version(version).await?;
        // Staff find published items by pinyin and initials too.
        let table = pinyin_table(store).await?;
        let summaries: Vec<ItemSummary> = rows
            .iter()
            .filter_map(|r| {
                let summary: ItemSummary = serde_json::from_str(&r.summary).ok()?;
                let item: Item = serde_json::from_str(&r.item).ok()?;
                Some(ItemSummary {
                    terms: search_terms(&item.name, &item.keywords, |c| table.get(&c).cloned()),
                    ..summary
                })
            })
            .collect();
        let office_index = self.index().await?;
        office_index.upsert(&summaries)?;
        office_index.record(
            version,
            &serde_json::to_string(&summaries).unwrap_or_default(),
        )?;
        office_index.delete_published_drafts(
            &rows
                .iter()
                .map(|r| (r.code.clone(), r.rev as u64))
                .collect::<Vec<_>>(),
        )?;
        let changed_codes: Vec<String> = rows.iter().map(|r| r.code.clone()).collect();
        let info = VersionInfo {
            version,
            published_at: clock::now_timestamp(),
            published_by: job.by.clone(),
            note: job.note.clone(),
            changed: changed_codes.clone(),
            items: count,
        };
        self.put(&format!("version:{version:08}"), &info).await?;
        self.jobs_run(
            "UPDATE jobs SET state = 'done', info = ?2 WHERE version = ?1",
            vec![
                v.into(),
                serde_json::to_string(&info).unwrap_or_default().into(),
            ],
        )?;
        self.jobs_run("DELETE FROM job_items WHERE version = ?1", vec![v.into()])?;
        self.jobs_run(
            "DELETE FROM job_sections WHERE version = ?1",
            vec![v.into()],
        )?;
        self.audit(
            &job.by,
            "publish",
            &version.to_string(),
            format!("基于第 {base} 版，修改 {}", shorten(&changed_codes)),
        )
        .await
    }
}

#[derive(Deserialize)]
struct CodeHash {
    code: String,
    hash: String,
}

/// The first few codes of a long list, for the audit line.
fn shorten(codes: &[String]) -> String {
    const SHOWN: usize = 20;
    if codes.len() <= SHOWN {
        codes.join("、")
    } else {
        format!("{} 等 {} 项", codes[..SHOWN].join("、"), codes.len())
    }
}

/// Clears the office's "publishing work under way" flag when the work stops, however.
struct Advancing<'a>(&'a std::cell::Cell<bool>);

impl Drop for Advancing<'_> {
    fn drop(&mut self) {
        self.0.set(false);
    }
}
