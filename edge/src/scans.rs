//! Scans of posters' short addresses, counted per serial per day — no address, no
//! cookie, nothing about the person: only that a poster was scanned that day. One object
//! per hall (`scans:hall:{hall}`) keeps its posters' counts, so a scan is one call and a
//! page of the console's poster list for a hall one more; serials that are well formed
//! but were never issued (a sticker that is not ours) are counted in `scans:unknown`,
//! which keeps the [`UNKNOWN_ROWS`] newest.

use serde::{Deserialize, Serialize};
use worker::{durable_object, DurableObject, Env, Request, Response, Result, SqlStorage, State};
use zhinan_domain::catalog::poster::ScanSummary;

/// Rows the unknown-serials object keeps (the newest days): guessing cannot grow it.
const UNKNOWN_ROWS: i64 = 1_000;
/// Rows a hall's object keeps: 200 posters scanned every day for over a year.
const HALL_ROWS: i64 = 80_000;

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    /// One scan of `serial` on `day` (Beijing date); the object keeps `keep` rows.
    Count {
        serial: String,
        day: String,
        keep: i64,
    },
    /// What the object knows of these serials (all of them when empty).
    Summary { serials: Vec<String> },
}

/// The object of a hall's posters, or of unknown serials.
pub fn object_name(hall: Option<&str>) -> String {
    match hall {
        Some(hall) => format!("scans:hall:{hall}"),
        None => "scans:unknown".to_string(),
    }
}

/// Counts one scan (today, Beijing time).
pub async fn count(env: &Env, hall: Option<&str>, serial: &str) -> Result<()> {
    let command = Command::Count {
        serial: serial.to_string(),
        day: crate::clock::today().to_string(),
        keep: if hall.is_some() {
            HALL_ROWS
        } else {
            UNKNOWN_ROWS
        },
    };
    crate::objects::post(env, "SCANS", &object_name(hall), &command).await?;
    Ok(())
}

/// The scans of `serials` (of every serial the object knows when empty).
pub async fn summary(
    env: &Env,
    hall: Option<&str>,
    serials: Vec<String>,
) -> Result<Vec<ScanSummary>> {
    crate::objects::post(
        env,
        "SCANS",
        &object_name(hall),
        &Command::Summary { serials },
    )
    .await?
    .json()
    .await
}

#[durable_object]
pub struct ScanCounter {
    state: State,
    env: Env,
}

#[derive(Deserialize)]
struct Row {
    serial: String,
    total: f64,
    last_day: Option<String>,
}

impl DurableObject for ScanCounter {
    fn new(state: State, env: Env) -> Self {
        ScanCounter { state, env }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        let start = crate::ops::mark();
        let response = self.handle(req).await?;
        Ok(crate::ops::reported(&self.env, start, response))
    }
}

impl ScanCounter {
    fn sql(&self) -> Result<SqlStorage> {
        let sql = self.state.storage().sql();
        crate::ops::one();
        sql.exec(
            "CREATE TABLE IF NOT EXISTS scans(serial TEXT NOT NULL, day TEXT NOT NULL,
                n INTEGER NOT NULL, PRIMARY KEY(serial, day))",
            None,
        )?;
        Ok(sql)
    }

    async fn handle(&self, mut req: Request) -> Result<Response> {
        let command: Command = req.json().await?;
        let sql = self.sql()?;
        match command {
            Command::Count { serial, day, keep } => {
                let serial: String = serial.chars().take(16).collect();
                crate::ops::one();
                sql.exec(
                    "INSERT INTO scans(serial, day, n) VALUES (?1, ?2, 1)
                     ON CONFLICT(serial, day) DO UPDATE SET n = n + 1",
                    Some(vec![serial.into(), day.into()]),
                )?;
                // Pruned now and then, not on every scan: a scan stays one write.
                if js_sys::Math::random() < 0.02 {
                    crate::ops::one();
                    sql.exec(
                        "DELETE FROM scans WHERE rowid NOT IN
                           (SELECT rowid FROM scans ORDER BY day DESC LIMIT ?1)",
                        Some(vec![keep.into()]),
                    )?;
                }
                Response::ok("")
            }
            Command::Summary { serials } => {
                crate::ops::one();
                let rows: Vec<Row> = sql
                    .exec(
                        "SELECT serial, SUM(n) AS total, MAX(day) AS last_day FROM scans
                         WHERE ?1 = '[]' OR serial IN (SELECT value FROM json_each(?1))
                         GROUP BY serial ORDER BY MAX(day) DESC LIMIT 200",
                        Some(vec![serde_json::to_string(&serials)?.into()]),
                    )?
                    .to_array()?;
                let out: Vec<ScanSummary> = rows
                    .into_iter()
                    .map(|r| ScanSummary {
                        serial: r.serial,
                        total: r.total as u64,
                        last_day: r.last_day,
                    })
                    .collect();
                Response::from_json(&out)
            }
        }
    }
}
