//! `POST /api/v1/staff/import[?dry_run=true]`: a hall's guides from the spreadsheet its
//! provincial platform exports (XLSX or CSV in the national 实施清单 layout) or the
//! project's JSON. Every readable row becomes a draft — never a published item — with its
//! lint findings; the report says per row what is new, changed, unchanged or unreadable,
//! and why. A dry run answers the same report without writing.
//!
//! Bounded work: the rows are compared and written in a handful of SQL statements
//! whatever their number (a county's 1,062 rows in one request).

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use worker::Request;
use zhinan_domain::accounts::{Role, StaffUser};
use zhinan_domain::api::staff::{Draft, ImportReport, ImportRow, ImportStatus};
use zhinan_domain::api::ApiFieldError;
use zhinan_domain::catalog::manifest::{content_hash, ItemSummary};
use zhinan_domain::catalog::sheet::{read_items, read_json_items, SheetRead, Table};
use zhinan_domain::lint::{lint_item, LintContext};
use zhinan_domain::FieldError;

use super::common::{forbidden, json, query_param, Answer};
use super::office::Office;
use crate::clock;
use crate::respond::Failure;

/// Largest file taken (a county's catalog as XLSX is well under 5 MB).
pub(super) const MAX_BYTES: usize = 16 * 1024 * 1024;
/// Most rows one import takes.
const MAX_ROWS: usize = 5_000;

pub(super) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The file's rows, by its `Content-Type`.
fn read_file(content_type: &str, body: &[u8]) -> Result<SheetRead, Failure> {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let bad = |message: String| Failure::bad_request("bad_file", message, "body");
    match media.as_str() {
        "application/json" => {
            let values: Vec<serde_json::Value> =
                serde_json::from_slice(body).map_err(|e| bad(format!("JSON 应为事项数组：{e}")))?;
            Ok(read_json_items(values))
        }
        "text/csv" | "application/csv" => {
            let table = csv_table(body).map_err(bad)?;
            Ok(read_items(&table, None))
        }
        XLSX => {
            let (items, materials) = xlsx_tables(body).map_err(bad)?;
            Ok(read_items(&items, materials.as_ref()))
        }
        _ => Err(Failure::bad_request(
            "unsupported_type",
            format!("不支持的文件类型“{media}”：请上传 XLSX、CSV（UTF-8 或 GBK）或 JSON"),
            "Content-Type",
        )),
    }
}

/// A CSV file as a table: UTF-8 (with or without BOM), or GB18030 as Excel saves it on
/// Chinese Windows.
fn csv_table(body: &[u8]) -> Result<Table, String> {
    let text = match std::str::from_utf8(body) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => encoding_rs::GB18030.decode(body).0,
    };
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("CSV 表头无法读取：{e}"))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    for (at, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("CSV 第 {} 行无法读取：{e}", at + 2))?;
        rows.push(record.iter().map(str::to_string).collect());
    }
    Ok(Table { headers, rows })
}

/// The text of a spreadsheet cell as typed: whole numbers without ".0".
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        other => other.to_string(),
    }
}

/// The items sheet (the first) and the materials sheet (one whose name has 材料), if any.
fn xlsx_tables(body: &[u8]) -> Result<(Table, Option<Table>), String> {
    let mut book =
        Xlsx::new(Cursor::new(body.to_vec())).map_err(|e| format!("XLSX 文件无法打开：{e}"))?;
    let names = book.sheet_names();
    let sheet = |book: &mut Xlsx<Cursor<Vec<u8>>>, name: &str| -> Result<Table, String> {
        let range = book
            .worksheet_range(name)
            .map_err(|e| format!("工作表“{name}”无法读取：{e}"))?;
        let mut rows = range
            .rows()
            .map(|r| r.iter().map(cell_text).collect::<Vec<_>>());
        let headers = rows.next().unwrap_or_default();
        Ok(Table {
            headers,
            rows: rows.collect(),
        })
    };
    let first = names.first().ok_or("XLSX 文件没有工作表")?.clone();
    let items = sheet(&mut book, &first)?;
    let materials = match names.iter().skip(1).find(|n| n.contains("材料")) {
        Some(name) => Some(sheet(&mut book, &name.clone())?),
        None => None,
    };
    Ok((items, materials))
}

/// What the office knows of a code an import names.
#[derive(serde::Deserialize)]
pub(super) struct Known {
    pub(super) code: String,
    pub(super) hash: Option<String>,
    pub(super) version: f64,
    pub(super) department: String,
}

impl Office {
    pub(super) async fn import(&self, user: &StaffUser, req: &Request, body: &[u8]) -> Answer {
        if !matches!(user.role, Role::Admin | Role::Editor) {
            return Err(forbidden("只有管理员和编辑可以导入"));
        }
        if body.len() > MAX_BYTES {
            return Err(Failure::bad_request(
                "too_large",
                format!("文件超过 {} MB，请按部门分批导入", MAX_BYTES / 1024 / 1024),
                "body",
            ));
        }
        let dry_run = query_param(req, "dry_run").is_some_and(|v| v == "true" || v == "1");
        let content_type = req
            .headers()
            .get("Content-Type")
            .ok()
            .flatten()
            .unwrap_or_default();
        let read = read_file(&content_type, body)?;
        if read.rows.len() > MAX_ROWS {
            return Err(Failure::bad_request(
                "too_many",
                format!("一次最多导入 {MAX_ROWS} 行，请按部门分批导入"),
                "body",
            ));
        }
        let index = self.index().await?;
        let codes: Vec<String> = read.rows.iter().filter_map(|r| r.code.clone()).collect();
        let drafts: HashMap<String, Draft> = index
            .drafts(Some(&codes), None)?
            .into_iter()
            .map(|d| (d.item.code.clone(), d))
            .collect();
        let published: HashMap<String, Known> = index
            .known(&codes)?
            .into_iter()
            .map(|r| (r.code.clone(), r))
            .collect();
        let halls: Vec<String> = {
            let mut named: Vec<&str> = read
                .rows
                .iter()
                .filter_map(|r| r.item.as_ref().map(|i| i.hall.as_str()))
                .filter(|h| !h.is_empty())
                .collect();
            named.sort_unstable();
            named.dedup();
            index.known_halls(&named)?
        };
        let items: Vec<&zhinan_domain::Item> =
            read.rows.iter().filter_map(|r| r.item.as_ref()).collect();
        let ctx = LintContext {
            today: clock::today(),
            peers: index.peers(items.iter().copied())?,
        };

        let now = clock::now_timestamp();
        let mut report = ImportReport {
            dry_run,
            rows: Vec::new(),
            unknown_columns: read.unknown_columns,
            new: 0,
            changed: 0,
            unchanged: 0,
            unreadable: 0,
        };
        let mut writes: Vec<(Draft, ItemSummary)> = Vec::new();
        for row in read.rows {
            let mut problems: Vec<ApiFieldError> =
                row.problems.into_iter().map(ApiFieldError::from).collect();
            let name = row.item.as_ref().map(|i| i.name.clone());
            let code = row.code.clone().unwrap_or_default();
            let draft = drafts.get(&code);
            let live = published.get(&code);
            let refused =
                |message: &str, field: &str| ApiFieldError::from(FieldError::new(field, message));
            // Editors import their own department's items, never another's into theirs.
            let refusal = row.item.as_ref().and_then(|item| {
                let theirs = !user.can_edit(item)
                    || draft.is_some_and(|d| !user.can_edit(&d.item))
                    || live.is_some_and(|p| !user.can_edit_in(&p.department));
                if theirs {
                    Some(refused("只能导入本部门的事项", "department"))
                } else if !item.hall.is_empty() && !halls.contains(&item.hall) {
                    Some(refused("没有这个服务中心", "hall"))
                } else {
                    None
                }
            });
            let item = match refusal {
                Some(refusal) => {
                    problems.push(refusal);
                    None
                }
                None => row.item,
            };
            let Some(mut item) = item else {
                report.unreadable += 1;
                report.rows.push(ImportRow {
                    row: row.row,
                    code: row.code,
                    name,
                    status: ImportStatus::Unreadable,
                    findings: Vec::new(),
                    problems,
                });
                continue;
            };
            let status = match (draft, live.and_then(|p| p.hash.as_deref())) {
                (Some(draft), _) if draft.item == item => ImportStatus::Unchanged,
                (Some(_), _) => ImportStatus::Changed,
                (None, Some(hash)) => {
                    let json = serde_json::to_string(&item).unwrap_or_default();
                    if content_hash(json.as_bytes()) == hash {
                        ImportStatus::Unchanged
                    } else {
                        ImportStatus::Changed
                    }
                }
                (None, None) => ImportStatus::New,
            };
            let findings = lint_item(&item, &ctx);
            match status {
                ImportStatus::New => report.new += 1,
                ImportStatus::Changed => report.changed += 1,
                _ => report.unchanged += 1,
            }
            if status != ImportStatus::Unchanged {
                if let Some(live) = live.filter(|p| p.hash.is_some()) {
                    // The draft carries the published version it was based on.
                    item.version = live.version as u32;
                }
                let hash = live.and_then(|p| p.hash.clone());
                let summary = ItemSummary::of(&item, hash, &findings);
                writes.push((
                    Draft {
                        rev: draft.map_or(1, |d| d.rev + 1),
                        item,
                        saved_by: user.username.clone(),
                        saved_at: now.clone(),
                        findings: findings.clone(),
                    },
                    summary,
                ));
            }
            report.rows.push(ImportRow {
                row: row.row,
                code: row.code,
                name,
                status,
                findings,
                problems,
            });
        }
        if !dry_run && !writes.is_empty() {
            index.put_drafts(&writes.iter().map(|(d, s)| (d, s)).collect::<Vec<_>>())?;
            self.audit(
                &user.username,
                "import",
                &format!("{} 行", report.rows.len()),
                format!(
                    "新增 {}、修改 {}、未变 {}、无法读取 {}（均为草稿）",
                    report.new, report.changed, report.unchanged, report.unreadable
                ),
            )
            .await?;
        }
        json(&report, 200)
    }
}
