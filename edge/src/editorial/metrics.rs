//! `GET /api/v1/staff/metrics[?format=csv]`: the figures the centre is assessed and
//! ranked on, per hall and per department, over the published catalog
//! (`zhinan_domain::metrics`). Every signed-in role reads them, read-only accounts too:
//! they are the centre's own published figures. One SQL query adds the items up per
//! (hall, department), whatever the catalog's size; the hall names come from the
//! published catalog summary (one KV read, usually cached). The case metrics over a
//! period (`from`, `to`; this year by default) come from the case ledger in one call.

use serde::Deserialize;
use worker::Request;
use zhinan_domain::cases::stats::{CaseReport, OVERDUE_HORIZON_DAYS};
use zhinan_domain::metrics::{to_table, HallDepartment, MetricsReport, Tally};
use zhinan_domain::Date;

use super::common::{csv_bytes, download, json, query_param, Answer};
use super::index::Index;
use super::office::Office;
use crate::cases::ledger;
use crate::respond::Failure;
use crate::store::CatalogStore;
use crate::{clock, holidays};

/// The sums of one (hall, department), as SQLite returns numbers.
#[derive(Deserialize)]
struct SumRow {
    hall: String,
    department: String,
    items: f64,
    instant: f64,
    compressible: f64,
    compression_sum: f64,
    halved: f64,
    visits_zero: f64,
    visits_at_most_one: f64,
    d0: f64,
    d1: f64,
    d2: f64,
    d3: f64,
    d4: f64,
    with_errors: f64,
    stale: f64,
}

impl SumRow {
    fn into_row(self) -> HallDepartment {
        let n = |v: f64| v.max(0.0) as u64;
        HallDepartment {
            hall: self.hall,
            department: self.department,
            tally: Tally {
                items: n(self.items),
                instant: n(self.instant),
                compressible: n(self.compressible),
                compression_sum: self.compression_sum,
                halved: n(self.halved),
                visits_zero: n(self.visits_zero),
                visits_at_most_one: n(self.visits_at_most_one),
                depth: [n(self.d0), n(self.d1), n(self.d2), n(self.d3), n(self.d4)],
                with_errors: n(self.with_errors),
                stale: n(self.stale),
            },
        }
    }
}

/// Published, not withdrawn items with their facts, added up per hall and department.
const SUMS: &str = "WITH f AS (SELECT hall, department, errors, rules,
        json_extract(facts, '$.instant') AS instant, json_extract(facts, '$.compression') AS c,
        json_extract(facts, '$.visits') AS visits, json_extract(facts, '$.depth') AS depth
    FROM items WHERE hash IS NOT NULL AND withdrawn = 0 AND facts IS NOT NULL)
    SELECT hall, department, COUNT(*) AS items, TOTAL(instant) AS instant,
        COUNT(c) AS compressible, TOTAL(c) AS compression_sum,
        TOTAL(c >= 0.4999999) AS halved, TOTAL(visits = 0) AS visits_zero,
        TOTAL(visits <= 1) AS visits_at_most_one,
        TOTAL(depth = 0) AS d0, TOTAL(depth = 1) AS d1, TOTAL(depth = 2) AS d2,
        TOTAL(depth = 3) AS d3, TOTAL(depth = 4) AS d4, TOTAL(errors > 0) AS with_errors,
        TOTAL(EXISTS (SELECT 1 FROM json_each(rules) WHERE value = 'review-stale')) AS stale
    FROM f GROUP BY hall, department";

#[derive(Deserialize)]
struct Count {
    n: f64,
}

impl Index {
    /// The sums per (hall, department), and how many published items have no facts yet
    /// (published before the dashboard existed; counted again when next published).
    fn metric_sums(&self) -> Result<(Vec<HallDepartment>, u64), Failure> {
        let rows: Vec<SumRow> = self.rows(SUMS, Vec::new())?;
        let missing: Vec<Count> = self.rows(
            "SELECT COUNT(*) AS n FROM items
             WHERE hash IS NOT NULL AND withdrawn = 0 AND facts IS NULL",
            Vec::new(),
        )?;
        Ok((
            rows.into_iter().map(SumRow::into_row).collect(),
            missing.first().map_or(0, |c| c.n as u64),
        ))
    }
}

/// The date in the query parameter `name`, if given.
fn date_param(req: &Request, name: &str) -> Result<Option<Date>, Failure> {
    match query_param(req, name).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => Date::parse(&text).map(Some).map_err(|_| {
            Failure::bad_request(
                "bad_date",
                format!("日期应为 YYYY-MM-DD，收到“{text}”"),
                name,
            )
        }),
    }
}

/// The period of the case metrics: `from`/`to`, by default this year up to today.
fn period(req: &Request, today: Date) -> Result<(Date, Date), Failure> {
    let from =
        date_param(req, "from")?.unwrap_or_else(|| Date::new(today.year, 1, 1).unwrap_or(today));
    let to = date_param(req, "to")?.unwrap_or(today);
    if from > to {
        return Err(Failure::bad_request(
            "bad_date",
            "起始日期不能晚于截止日期",
            "from",
        ));
    }
    Ok((from, to))
}

impl Office {
    pub(super) async fn metrics(&self, req: &Request) -> Answer {
        let today = clock::today();
        let (from, to) = period(req, today)?;
        let (rows, uncounted) = self.index().await?.metric_sums()?;
        let version = self.current_version().await?;
        let catalog = CatalogStore::open(&self.env)?.catalog(version).await?;
        let hall_name = |id: &str| {
            catalog
                .hall(id)
                .map_or_else(|| id.to_string(), |h| h.name.clone())
        };
        let mut report = MetricsReport::from_rows(version, &rows, hall_name);
        report.uncounted = uncounted;
        let sums = ledger::sums(&self.env, from, to, today.add_days(OVERDUE_HORIZON_DAYS)).await?;
        let calendar = holidays::calendar(&self.env).await?;
        report.cases = CaseReport::from_rows(
            &sums.rows,
            &sums.near_due,
            &sums.follow_up,
            today,
            &calendar,
            hall_name,
        );
        report.cases.from = Some(from);
        report.cases.to = Some(to);
        if query_param(req, "format").as_deref() != Some("csv") {
            return json(&report, 200);
        }
        download(
            csv_bytes(&to_table(&report))?,
            "text/csv; charset=utf-8",
            &format!("zhinan-metrics-v{version}-{from}-{to}.csv"),
        )
    }
}
