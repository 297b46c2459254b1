//! Posters (`/api/v1/staff/posters`): staff print sheets of QR posters for one item, a
//! zone, a department or a whole hall, and a zone's door poster. Each poster gets the next
//! serial (`zhinan_domain::catalog::poster`), which is also its short address `/q/{serial}`;
//! the object keeps every poster issued (SQLite, strongly consistent) and mirrors each
//! block of 64 serials to KV (`q:{block}`), where `/q/` reads it. Retiring a poster (the
//! sticker was removed) is one call; its address keeps working and says so.
//!
//! Admins print for every department, editors for their own; read-only accounts list.
//! A sheet takes at most [`MAX_PER_SHEET`] posters, so a request writes at most two KV
//! blocks whatever the hall's size.

use std::collections::BTreeMap;

use serde::Deserialize;
use worker::Request;
use zhinan_domain::accounts::{Role, StaffUser};
use zhinan_domain::catalog::poster::{
    block_key, block_of, serial, IssuedPosters, Poster, PosterListing, PrintRequest, BLOCK_SIZE,
    MAX_SERIALS,
};

use super::common::{body_of, forbidden, json, query_param, Answer};
use super::office::{Office, Tables};
use crate::respond::Failure;
use crate::store::CatalogStore;

/// Posters one request issues at most (8 sheets of 8).
pub(super) const MAX_PER_SHEET: usize = 64;
/// Posters one listing page shows.
const PAGE: i64 = 100;

const SCHEMA: &[&str] = &["CREATE TABLE IF NOT EXISTS posters(n INTEGER PRIMARY KEY,
    serial TEXT NOT NULL UNIQUE, code TEXT, name TEXT NOT NULL, hall TEXT NOT NULL,
    hall_name TEXT NOT NULL, zone TEXT NOT NULL, department TEXT NOT NULL,
    printed_at TEXT NOT NULL, printed_by TEXT NOT NULL, retired_at TEXT)"];

#[derive(Deserialize)]
struct ItemRow {
    code: String,
    name: String,
    hall: String,
    zone: String,
    department: String,
}

#[derive(Deserialize)]
struct PosterRow {
    n: f64,
    serial: String,
    code: Option<String>,
    name: String,
    hall: String,
    hall_name: String,
    zone: String,
    department: String,
    printed_at: String,
    retired_at: Option<String>,
}

impl PosterRow {
    fn poster(self) -> Poster {
        Poster {
            serial: self.serial,
            code: self.code,
            name: self.name,
            hall: self.hall,
            hall_name: self.hall_name,
            zone: self.zone,
            printed_at: self.printed_at,
            retired_at: self.retired_at,
        }
    }
}

#[derive(Deserialize)]
struct Max {
    n: Option<f64>,
}

/// The blank-trimmed value, `None` when blank.
fn given(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl Office {
    fn poster_tables(&self) -> Result<Tables, Failure> {
        self.tables(SCHEMA, &self.posters_ready)
    }

    /// Writes the KV blocks of the poster numbers `numbers`, each from the table.
    async fn mirror_blocks(&self, tables: &Tables, numbers: &[u64]) -> Result<(), Failure> {
        let mut blocks: Vec<u64> = numbers.iter().map(|&n| block_of(n)).collect();
        blocks.sort_unstable();
        blocks.dedup();
        let kv = self.env.kv("CATALOG")?;
        for block in blocks {
            let rows: Vec<PosterRow> = tables.rows(
                // The size is written into the query: a bound number arrives as a float,
                // and `n / 64.0` is not the block.
                &format!("SELECT * FROM posters WHERE n / {BLOCK_SIZE} = ?1"),
                vec![(block as i64).into()],
            )?;
            let map: BTreeMap<String, Poster> = rows
                .into_iter()
                .map(|r| (r.serial.clone(), r.poster()))
                .collect();
            let text = serde_json::to_string(&map)
                .map_err(|e| Failure::Unavailable(format!("posters json: {e}")))?;
            crate::ops::one();
            kv.put(&block_key(block), text)?.execute().await?;
        }
        Ok(())
    }

    /// `POST /api/v1/staff/posters`: issues serials for a sheet and returns its posters.
    pub(super) async fn print_posters(&self, user: &StaffUser, body: &str) -> Answer {
        if !matches!(user.role, Role::Admin | Role::Editor) {
            return Err(forbidden("只有管理员和部门编辑可以打印海报"));
        }
        let request: PrintRequest = body_of(body)?;
        // Posters hang for years: only with the official https origin (local dev aside).
        let origin = crate::public_origin(&self.env);
        crate::check_printable(&self.env, &origin)?;
        let codes = request.codes.filter(|c| !c.is_empty());
        let hall = given(request.hall);
        let zone = given(request.zone);
        let department = match user.list_scope() {
            Some(own) => Some(own.to_string()),
            None => given(request.department),
        };
        if codes.is_none() && hall.is_none() {
            return Err(Failure::bad_request(
                "no_scope",
                "请选择事项，或选择服务中心（可再选专区或部门）",
                "hall",
            ));
        }
        if request.door && hall.is_none() {
            return Err(Failure::bad_request(
                "no_hall",
                "门牌或公告栏海报需要选择服务中心",
                "hall",
            ));
        }
        let index = self.index().await?;
        let items: Vec<ItemRow> = index.rows(
            "SELECT code, name, hall, zone, department FROM items
             WHERE hash IS NOT NULL AND withdrawn = 0
               AND (?1 IS NULL OR code IN (SELECT value FROM json_each(?1)))
               AND (?2 IS NULL OR hall = ?2) AND (?3 IS NULL OR zone = ?3)
               AND (?4 IS NULL OR department = ?4)
             ORDER BY hall, zone, code LIMIT ?5",
            vec![
                codes
                    .as_ref()
                    .map(|c| serde_json::to_string(c).unwrap_or_default())
                    .into(),
                hall.clone().into(),
                zone.clone().into(),
                department.clone().into(),
                ((MAX_PER_SHEET + 1) as i64).into(),
            ],
        )?;
        if items.is_empty() {
            return Err(Failure::bad_request(
                "no_items",
                "没有符合条件的已发布事项（编辑只能打印本部门的事项）",
                "codes",
            ));
        }
        if items.len() > MAX_PER_SHEET && !request.door {
            return Err(Failure::bad_request(
                "too_many",
                format!("一次最多打印 {MAX_PER_SHEET} 张，请按专区或部门分批打印"),
                "hall",
            ));
        }
        let version = self.current_version().await?;
        let catalog = CatalogStore::open(&self.env)?.catalog(version).await?;
        let hall_name = |id: &str| {
            catalog
                .hall(id)
                .map_or_else(|| id.to_string(), |h| h.name.clone())
        };
        // One poster per item, or the zone's door poster.
        let wanted: Vec<(Option<String>, String, String, String, String)> = if request.door {
            // A zone's door poster, or without a zone the hall's (a village's board).
            let first = &items[0];
            let zone = zone.clone().unwrap_or_default();
            let name = if zone.is_empty() {
                format!("{}事项清单", hall_name(&first.hall))
            } else {
                format!("{zone}事项清单")
            };
            vec![(
                None,
                name,
                first.hall.clone(),
                zone,
                department.clone().unwrap_or_default(),
            )]
        } else {
            items
                .into_iter()
                .map(|i| (Some(i.code), i.name, i.hall, i.zone, i.department))
                .collect()
        };
        let tables = self.poster_tables()?;
        // Numbers are handed out here and nowhere else; nothing is awaited between reading
        // the last one and storing the new ones, so no two posters share a serial.
        let last: Vec<Max> = tables.rows("SELECT MAX(n) AS n FROM posters", Vec::new())?;
        let first = last.first().and_then(|m| m.n).map_or(0, |n| n as u64 + 1);
        if first + wanted.len() as u64 > MAX_SERIALS {
            return Err(Failure::Unavailable("poster serials used up".into()));
        }
        let today = crate::clock::today().to_string();
        let mut numbers = Vec::with_capacity(wanted.len());
        let rows: Vec<serde_json::Value> = wanted
            .into_iter()
            .enumerate()
            .map(|(i, (code, name, hall, zone, department))| {
                let n = first + i as u64;
                numbers.push(n);
                serde_json::json!({
                    "n": n, "serial": serial(n).unwrap_or_default(), "code": code,
                    "name": name, "hall_name": hall_name(&hall), "hall": hall, "zone": zone,
                    "department": department, "printed_at": today, "printed_by": user.username,
                })
            })
            .collect();
        tables.run(
            "INSERT INTO posters(n, serial, code, name, hall, hall_name, zone, department,
                printed_at, printed_by)
             SELECT json_extract(value, '$.n'), json_extract(value, '$.serial'),
                json_extract(value, '$.code'), json_extract(value, '$.name'),
                json_extract(value, '$.hall'), json_extract(value, '$.hall_name'),
                json_extract(value, '$.zone'), json_extract(value, '$.department'),
                json_extract(value, '$.printed_at'), json_extract(value, '$.printed_by')
             FROM json_each(?1)",
            vec![serde_json::to_string(&rows).unwrap_or_default().into()],
        )?;
        self.mirror_blocks(&tables, &numbers).await?;
        let posters: Vec<PosterRow> = tables.rows(
            "SELECT * FROM posters WHERE n >= ?1 AND n <= ?2 ORDER BY n",
            vec![
                (first as i64).into(),
                (*numbers.last().unwrap_or(&first) as i64).into(),
            ],
        )?;
        let posters: Vec<Poster> = posters.into_iter().map(PosterRow::poster).collect();
        self.audit(
            &user.username,
            "print_posters",
            &posters
                .first()
                .map(|p| p.serial.clone())
                .unwrap_or_default(),
            format!(
                "{} 张：{} 至 {}",
                posters.len(),
                posters.first().map(|p| p.serial.as_str()).unwrap_or(""),
                posters.last().map(|p| p.serial.as_str()).unwrap_or("")
            ),
        )
        .await?;
        json(&IssuedPosters { origin, posters }, 201)
    }

    /// `GET /api/v1/staff/posters?hall=&before=`: posters issued, newest first; with a
    /// hall, their scans (one call to the hall's scan object); always the serials scanned
    /// that were never issued.
    pub(super) async fn list_posters(&self, req: &Request) -> Answer {
        let hall = given(query_param(req, "hall"));
        let before: i64 = query_param(req, "before")
            .and_then(|b| b.parse().ok())
            .unwrap_or(i64::MAX);
        let tables = self.poster_tables()?;
        let rows: Vec<PosterRow> = tables.rows(
            "SELECT * FROM posters WHERE (?1 IS NULL OR hall = ?1) AND n < ?2
             ORDER BY n DESC LIMIT ?3",
            vec![hall.clone().into(), before.into(), (PAGE + 1).into()],
        )?;
        let more = rows.len() as i64 > PAGE;
        let rows: Vec<PosterRow> = rows.into_iter().take(PAGE as usize).collect();
        let next_before = more.then(|| rows.last().map_or(0, |r| r.n as i64));
        let posters: Vec<Poster> = rows.into_iter().map(PosterRow::poster).collect();
        let scans = match &hall {
            Some(hall) if !posters.is_empty() => {
                let serials = posters.iter().map(|p| p.serial.clone()).collect();
                crate::scans::summary(&self.env, Some(hall), serials).await?
            }
            _ => Vec::new(),
        };
        let unknown = crate::scans::summary(&self.env, None, Vec::new()).await?;
        json(
            &PosterListing {
                posters,
                next_before,
                scans,
                unknown,
            },
            200,
        )
    }

    /// `POST /api/v1/staff/posters/{serial}/retire`: the sticker was removed.
    pub(super) async fn retire_poster(&self, user: &StaffUser, raw: &str) -> Answer {
        if !matches!(user.role, Role::Admin | Role::Editor) {
            return Err(forbidden("只有管理员和部门编辑可以撤下海报"));
        }
        let Some(n) = zhinan_domain::catalog::poster::parse_serial(raw) else {
            return Err(Failure::not_found("no_poster", "没有这个海报编号"));
        };
        let tables = self.poster_tables()?;
        let rows: Vec<PosterRow> = tables.rows(
            "SELECT * FROM posters WHERE n = ?1",
            vec![(n as i64).into()],
        )?;
        let Some(row) = rows.into_iter().next() else {
            return Err(Failure::not_found("no_poster", "没有这个海报编号"));
        };
        if user.list_scope().is_some_and(|own| own != row.department) {
            return Err(forbidden("只能撤下本部门的海报"));
        }
        if row.retired_at.is_none() {
            tables.run(
                "UPDATE posters SET retired_at = ?2 WHERE n = ?1",
                vec![(n as i64).into(), crate::clock::today().to_string().into()],
            )?;
            self.mirror_blocks(&tables, &[n]).await?;
            self.audit(
                &user.username,
                "retire_poster",
                &row.serial,
                row.name.clone(),
            )
            .await?;
        }
        let rows: Vec<PosterRow> = tables.rows(
            "SELECT * FROM posters WHERE n = ?1",
            vec![(n as i64).into()],
        )?;
        let poster = rows.into_iter().next().map(PosterRow::poster);
        json(&poster, 200)
    }
}
