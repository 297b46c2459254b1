//! The case ledger: one SQLite row per case with what the case metrics take from it
//! ([`CaseFacts`]), rewritten after every change to the case (with its hall-list row, so
//! a failed write is repaired the same way). The dashboard's case half is then three
//! queries in one object — sums per (hall, department, window) over the period, running
//! cases near or past their due date, 差评 waiting for a follow-up — whatever the number
//! of cases.
//!
//! One object for the deployment: a write per case event is far below what one object
//! takes (a prefecture records a few case events a second at its busiest). Cases recorded
//! before the ledger existed count once they next change.

use serde::{Deserialize, Serialize};
use worker::{durable_object, DurableObject, Env, Request, Response, Result, SqlStorage, State};
use zhinan_domain::cases::stats::{CaseFacts, CaseGroupRow, CaseTally};
use zhinan_domain::Date;

/// The ledger's object name.
const LEDGER: &str = "ledger";

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "op")]
pub enum Command {
    Put {
        facts: Box<CaseFacts>,
    },
    /// Sums of the cases accepted from `from` to `to`; running cases due before
    /// `due_before`; every 差评 waiting for a follow-up.
    Report {
        from: Date,
        to: Date,
        due_before: Date,
    },
}

/// What the ledger answers to `Report`.
#[derive(Serialize, Deserialize)]
pub struct Sums {
    pub rows: Vec<CaseGroupRow>,
    pub near_due: Vec<CaseFacts>,
    pub follow_up: Vec<CaseFacts>,
}

/// Records the facts of a case (after each change to it).
pub async fn record(env: &Env, facts: &CaseFacts) -> Result<()> {
    let response = crate::objects::post(
        env,
        "LEDGER",
        LEDGER,
        &Command::Put {
            facts: Box::new(facts.clone()),
        },
    )
    .await?;
    if response.status_code() != 200 {
        return Err(worker::Error::RustError(format!(
            "case ledger answered {}",
            response.status_code()
        )));
    }
    Ok(())
}

/// The sums and the cases to judge for the dashboard.
pub async fn sums(env: &Env, from: Date, to: Date, due_before: Date) -> Result<Sums> {
    crate::objects::post(
        env,
        "LEDGER",
        LEDGER,
        &Command::Report {
            from,
            to,
            due_before,
        },
    )
    .await?
    .json()
    .await
}

/// Rows listed by `near_due` and `follow_up` at most; counts beyond would be cut, which
/// no hall reaches (it would be 5,000 cases overdue or 差评 unanswered at once).
const LISTED: &str = "5000";

const SCHEMA: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS cases(number TEXT PRIMARY KEY, hall TEXT NOT NULL,
        department TEXT NOT NULL, window TEXT NOT NULL, accepted_on TEXT NOT NULL,
        running INTEGER NOT NULL, due TEXT NOT NULL, decided INTEGER NOT NULL,
        on_time INTEGER NOT NULL, days_used INTEGER NOT NULL, days_promised INTEGER NOT NULL,
        open INTEGER NOT NULL, rating INTEGER, follow_up INTEGER NOT NULL, rated_at TEXT,
        facts TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS cases_accepted ON cases(accepted_on)",
    "CREATE INDEX IF NOT EXISTS cases_running ON cases(running, due)",
    "CREATE INDEX IF NOT EXISTS cases_follow_up ON cases(follow_up, rated_at)",
];

#[durable_object]
pub struct CaseLedger {
    state: State,
    env: Env,
}

impl DurableObject for CaseLedger {
    fn new(state: State, env: Env) -> Self {
        CaseLedger { state, env }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        let start = crate::ops::mark();
        let response = self.handle(req).await?;
        Ok(crate::ops::reported(&self.env, start, response))
    }
}

/// One (hall, department, window)'s sums, as SQLite returns numbers.
#[derive(Deserialize)]
struct SumRow {
    hall: String,
    department: String,
    window: String,
    accepted: f64,
    decided: f64,
    on_time: f64,
    days_used: f64,
    days_promised: f64,
    open: f64,
    r0: f64,
    r1: f64,
    r2: f64,
    r3: f64,
    r4: f64,
}

impl SumRow {
    fn into_row(self) -> CaseGroupRow {
        let n = |v: f64| v.max(0.0) as u64;
        CaseGroupRow {
            hall: self.hall,
            department: self.department,
            window: self.window,
            tally: CaseTally {
                accepted: n(self.accepted),
                decided: n(self.decided),
                on_time: n(self.on_time),
                days_used: n(self.days_used),
                days_promised: n(self.days_promised),
                open: n(self.open),
                ratings: [self.r0, self.r1, self.r2, self.r3, self.r4].map(n),
                overdue: 0,
                follow_up: 0,
            },
        }
    }
}

#[derive(Deserialize)]
struct FactsRow {
    facts: String,
}

impl CaseLedger {
    fn sql(&self) -> Result<SqlStorage> {
        let sql = self.state.storage().sql();
        crate::ops::one();
        for statement in SCHEMA {
            sql.exec(statement, None)?;
        }
        Ok(sql)
    }

    fn facts(
        sql: &SqlStorage,
        query: &str,
        bindings: Vec<worker::SqlStorageValue>,
    ) -> Result<Vec<CaseFacts>> {
        crate::ops::one();
        let rows: Vec<FactsRow> = sql.exec(query, Some(bindings))?.to_array()?;
        Ok(rows
            .into_iter()
            .filter_map(|r| serde_json::from_str(&r.facts).ok())
            .collect())
    }

    async fn handle(&self, mut req: Request) -> Result<Response> {
        let command: Command = req.json().await?;
        let sql = self.sql()?;
        match command {
            Command::Put { facts } => {
                let tally = CaseTally::of(&facts);
                let rating = facts.rating.map(|level| level.rank() as i64);
                crate::ops::one();
                sql.exec(
                    "INSERT OR REPLACE INTO cases(number, hall, department, window, accepted_on,
                        running, due, decided, on_time, days_used, days_promised, open, rating,
                        follow_up, rated_at, facts)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                    Some(vec![
                        facts.number.clone().into(),
                        facts.hall.clone().into(),
                        facts.department.clone().into(),
                        facts.window.clone().into(),
                        facts.accepted_on.to_string().into(),
                        i64::from(facts.running).into(),
                        facts.due.to_string().into(),
                        (tally.decided as i64).into(),
                        (tally.on_time as i64).into(),
                        (tally.days_used as i64).into(),
                        (tally.days_promised as i64).into(),
                        (tally.open as i64).into(),
                        rating.into(),
                        i64::from(facts.follow_up).into(),
                        facts.rated_at.clone().into(),
                        serde_json::to_string(&facts)?.into(),
                    ]),
                )?;
                Response::ok("")
            }
            Command::Report {
                from,
                to,
                due_before,
            } => {
                crate::ops::one();
                let rows: Vec<SumRow> = sql
                    .exec(
                        "SELECT hall, department, window, COUNT(*) AS accepted,
                            TOTAL(decided) AS decided, TOTAL(on_time) AS on_time,
                            TOTAL(days_used) AS days_used, TOTAL(days_promised) AS days_promised,
                            TOTAL(open) AS open, TOTAL(rating = 0) AS r0, TOTAL(rating = 1) AS r1,
                            TOTAL(rating = 2) AS r2, TOTAL(rating = 3) AS r3, TOTAL(rating = 4) AS r4
                         FROM cases WHERE accepted_on >= ?1 AND accepted_on <= ?2
                         GROUP BY hall, department, window",
                        Some(vec![from.to_string().into(), to.to_string().into()]),
                    )?
                    .to_array()?;
                let near_due = Self::facts(
                    &sql,
                    &format!(
                        "SELECT facts FROM cases WHERE running = 1 AND due < ?1
                         ORDER BY due LIMIT {LISTED}"
                    ),
                    vec![due_before.to_string().into()],
                )?;
                let follow_up = Self::facts(
                    &sql,
                    &format!(
                        "SELECT facts FROM cases WHERE follow_up = 1
                         ORDER BY rated_at LIMIT {LISTED}"
                    ),
                    Vec::new(),
                )?;
                Response::from_json(&Sums {
                    rows: rows.into_iter().map(SumRow::into_row).collect(),
                    near_due,
                    follow_up,
                })
            }
        }
    }
}
