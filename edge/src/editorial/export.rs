//! `GET /api/v1/staff/export?format=xlsx|csv|json&scope=published|drafts&department=&hall=`:
//! the catalog in the national 实施清单 layout (XLSX: an items sheet and a 申请材料 sheet
//! keyed by 实施编码; CSV: one table whose 申请材料 column holds one material per line) or
//! as the project's JSON — what the import reads back unchanged.
//!
//! Bounded work: published items are read a hundred per KV operation (bulk reads), so an
//! export takes at most [`MAX_ITEMS`] items; a larger catalog is exported by department or
//! hall. Editors export their own department.

use worker::Request;
use zhinan_domain::catalog::manifest::item_key;
use zhinan_domain::catalog::sheet::{write_items, Table};
use zhinan_domain::Item;

use super::common::{csv_bytes, download, query_param, Answer};
use super::import::XLSX;
use super::office::Office;
use crate::respond::Failure;
use crate::store::{CatalogStore, BULK_KEYS};

/// Most items one export takes: 40 bulk reads, within the per-request bound.
const MAX_ITEMS: usize = 40 * BULK_KEYS;

#[derive(serde::Deserialize)]
struct Published {
    hash: String,
}

fn xlsx_bytes(items: &Table, materials: &Table) -> Result<Vec<u8>, Failure> {
    let fail = |e: rust_xlsxwriter::XlsxError| Failure::Unavailable(format!("xlsx: {e}"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (name, table) in [("事项", items), ("申请材料", materials)] {
        let sheet = book.add_worksheet();
        sheet.set_name(name).map_err(fail)?;
        for (c, header) in table.headers.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, header, &bold)
                .map_err(fail)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
                sheet
                    .write_string(r as u32 + 1, c as u16, cell)
                    .map_err(fail)?;
            }
        }
    }
    book.save_to_buffer().map_err(fail)
}

impl Office {
    pub(super) async fn export(
        &self,
        user: &zhinan_domain::accounts::StaffUser,
        req: &Request,
    ) -> Answer {
        let param = |name: &str| query_param(req, name).filter(|v| !v.trim().is_empty());
        let format = param("format").unwrap_or_else(|| "xlsx".into());
        if !["xlsx", "csv", "json"].contains(&format.as_str()) {
            return Err(Failure::bad_request(
                "bad_query",
                "format 应为 xlsx、csv 或 json",
                "format",
            ));
        }
        let scope = param("scope").unwrap_or_else(|| "published".into());
        let department = match user.list_scope() {
            Some(own) => Some(own.to_string()),
            None => param("department"),
        };
        let hall = param("hall");
        let index = self.index().await?;
        let mut items: Vec<Item> = match scope.as_str() {
            "drafts" => index
                .drafts(None, department.as_deref())?
                .into_iter()
                .map(|d| d.item)
                .filter(|i| hall.as_ref().is_none_or(|h| i.hall == *h))
                .collect(),
            "published" => {
                let rows: Vec<Published> = index.rows(
                    "SELECT hash FROM items WHERE hash IS NOT NULL
                       AND (?1 IS NULL OR department = ?1) AND (?2 IS NULL OR hall = ?2)
                     ORDER BY code LIMIT ?3",
                    vec![
                        department.clone().into(),
                        hall.clone().into(),
                        (MAX_ITEMS as i64 + 1).into(),
                    ],
                )?;
                if rows.len() > MAX_ITEMS {
                    return Err(Failure::bad_request(
                        "too_many",
                        format!("一次最多导出 {MAX_ITEMS} 个事项，请按部门或服务中心导出"),
                        "department",
                    ));
                }
                let mut items = Vec::with_capacity(rows.len());
                for chunk in rows.chunks(BULK_KEYS) {
                    let keys: Vec<String> = chunk.iter().map(|r| item_key(&r.hash)).collect();
                    let mut found = CatalogStore::texts(&self.env, &keys).await?;
                    for key in &keys {
                        let text = found
                            .remove(key)
                            .ok_or_else(|| Failure::Unavailable(format!("{key} missing")))?;
                        items.push(
                            serde_json::from_str(&text)
                                .map_err(|e| Failure::Unavailable(format!("{key}: {e}")))?,
                        );
                    }
                }
                items
            }
            _ => {
                return Err(Failure::bad_request(
                    "bad_query",
                    "scope 应为 published 或 drafts",
                    "scope",
                ))
            }
        };
        items.sort_by(|a, b| a.code.cmp(&b.code));
        let (bytes, media) = match format.as_str() {
            "json" => (
                serde_json::to_vec(&items).map_err(|e| Failure::Unavailable(e.to_string()))?,
                "application/json; charset=utf-8",
            ),
            "csv" => (
                csv_bytes(&write_items(&items, true).0)?,
                "text/csv; charset=utf-8",
            ),
            _ => {
                let (table, materials) = write_items(&items, false);
                (xlsx_bytes(&table, &materials)?, XLSX)
            }
        };
        download(bytes, media, &format!("zhinan-{scope}.{format}"))
    }
}
