//! The audit log: every change staff make appended as one row of the object's SQLite
//! table `audit` (one storage call), read back a page at a time by admins and read-only
//! accounts, filtered by person, action or object.
//!
//! Failed sign-ins carry names an attacker chooses: they are summarised, one row per
//! client address per hour (a count and the first few names tried), and only the latest
//! `FAILED_LOGIN_ROWS` such rows are kept, so guessing cannot grow the log without bound.

use serde::Deserialize;
use worker::Request;
use zhinan_domain::accounts::{Role, StaffUser};
use zhinan_domain::api::staff::{AuditEntry, AuditPage};

use super::common::{forbidden, json, Answer};
use super::office::Office;
use crate::clock;
use crate::respond::Failure;

/// Entries per page unless the request asks for fewer (`limit`).
const PAGE: i64 = 100;
/// Summary rows of failed sign-ins kept (the newest).
const FAILED_LOGIN_ROWS: i64 = 1_000;
/// Names listed in one summary row; longer names are cut.
const NAMES_PER_SUMMARY: usize = 5;
const NAME_CHARS: usize = 32;

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS audit(seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
    detail TEXT NOT NULL)";

#[derive(Deserialize)]
struct Row {
    seq: i64,
    at: String,
    who: String,
    action: String,
    target: String,
    detail: String,
}

/// The running summary of one client's failed sign-ins within the hour, as stored in a
/// row's `detail`: `3 次：admin、root`.
#[derive(Debug, PartialEq)]
pub(super) struct FailedLogins {
    pub count: u32,
    pub names: Vec<String>,
}

impl FailedLogins {
    pub(super) fn parse(detail: &str) -> Option<FailedLogins> {
        let (count, names) = detail.split_once(" 次：")?;
        Some(FailedLogins {
            count: count.parse().ok()?,
            names: names
                .split('、')
                .filter(|n| !n.is_empty() && *n != "…")
                .map(str::to_string)
                .collect(),
        })
    }

    /// Counts one more failure, for `name`.
    pub(super) fn add(&mut self, name: &str) {
        self.count += 1;
        let name: String = name.chars().take(NAME_CHARS).collect();
        if !self.names.contains(&name) && self.names.len() < NAMES_PER_SUMMARY {
            self.names.push(name);
        }
    }

    pub(super) fn detail(&self) -> String {
        let more = if self.names.len() >= NAMES_PER_SUMMARY {
            "、…"
        } else {
            ""
        };
        format!("{} 次：{}{more}", self.count, self.names.join("、"))
    }
}

/// The filters of `GET /audit`: `before` (a `seq`), `who`, `action`, `target`, `limit`.
struct Filters {
    before: Option<i64>,
    who: Option<String>,
    action: Option<String>,
    target: Option<String>,
    limit: i64,
}

fn filters(req: &Request) -> std::result::Result<Filters, Failure> {
    let url = req.url()?;
    let mut f = Filters {
        before: None,
        who: None,
        action: None,
        target: None,
        limit: PAGE,
    };
    for (key, value) in url.query_pairs() {
        let value = value.trim().to_string();
        if value.is_empty() {
            continue;
        }
        let number = |field: &str| {
            value
                .parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| Failure::bad_request("bad_query", "应为正整数", field))
        };
        match key.as_ref() {
            "before" => f.before = Some(number("before")?),
            "limit" => f.limit = number("limit")?.min(PAGE),
            "who" => f.who = Some(value.chars().take(64).collect()),
            "action" => f.action = Some(value.chars().take(64).collect()),
            "target" => f.target = Some(value.chars().take(64).collect()),
            _ => {}
        }
    }
    Ok(f)
}

impl Office {
    pub(super) async fn audit(
        &self,
        who: &str,
        action: &str,
        target: &str,
        detail: String,
    ) -> std::result::Result<(), Failure> {
        self.tables(&[SCHEMA], &self.audit_ready)?.run(
            "INSERT INTO audit(at, who, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            vec![
                clock::now_timestamp().into(),
                who.into(),
                action.into(),
                target.into(),
                detail.into(),
            ],
        )
    }

    /// Counts a failed sign-in into the client's summary row of the hour (a new row
    /// when there is none), then drops summary rows beyond the newest
    /// `FAILED_LOGIN_ROWS`.
    pub(super) async fn audit_failed_login(
        &self,
        username: &str,
        client: &str,
    ) -> std::result::Result<(), Failure> {
        let tables = self.tables(&[SCHEMA], &self.audit_ready)?;
        let now = clock::now_timestamp();
        // Timestamps are all +08:00 and the same length, so the hour is a text prefix.
        let hour = &now[..13];
        let open: Vec<Row> = tables.rows(
            "SELECT seq, at, who, action, target, detail FROM audit
             WHERE action = 'login_failed' AND target = ?1 AND substr(at, 1, 13) = ?2
             ORDER BY seq DESC LIMIT 1",
            vec![client.into(), hour.into()],
        )?;
        match open.into_iter().next() {
            Some(row) => {
                let mut summary = FailedLogins::parse(&row.detail).unwrap_or(FailedLogins {
                    count: 0,
                    names: Vec::new(),
                });
                summary.add(username);
                tables.run(
                    "UPDATE audit SET at = ?1, detail = ?2 WHERE seq = ?3",
                    vec![now.into(), summary.detail().into(), row.seq.into()],
                )
            }
            None => {
                let mut summary = FailedLogins {
                    count: 0,
                    names: Vec::new(),
                };
                summary.add(username);
                tables.run(
                    "INSERT INTO audit(at, who, action, target, detail) VALUES (?1, '', 'login_failed', ?2, ?3)",
                    vec![now.into(), client.into(), summary.detail().into()],
                )?;
                tables.run(
                    "DELETE FROM audit WHERE action = 'login_failed' AND seq <
                     (SELECT seq FROM audit WHERE action = 'login_failed'
                      ORDER BY seq DESC LIMIT 1 OFFSET ?1)",
                    vec![(FAILED_LOGIN_ROWS - 1).into()],
                )
            }
        }
    }

    /// `GET /api/v1/staff/audit`: a page of entries, newest first, optionally only one
    /// person's, one action's or one object's.
    pub(super) async fn audit_log(&self, user: &StaffUser, req: &Request) -> Answer {
        if matches!(user.role, Role::Editor | Role::Clerk | Role::Agent) {
            return Err(forbidden("审计日志仅管理员和只读账号可查看"));
        }
        let f = filters(req)?;
        // Unused filters compare a column with itself; one statement serves every mix.
        let rows: Vec<Row> = self.tables(&[SCHEMA], &self.audit_ready)?.rows(
            "SELECT seq, at, who, action, target, detail FROM audit
             WHERE seq < ?1 AND who = coalesce(?2, who) AND action = coalesce(?3, action)
               AND target = coalesce(?4, target)
             ORDER BY seq DESC LIMIT ?5",
            vec![
                // Above any seq, and exact as a JavaScript number.
                f.before.unwrap_or(1 << 53).into(),
                f.who.into(),
                f.action.into(),
                f.target.into(),
                (f.limit + 1).into(),
            ],
        )?;
        let more = rows.len() as i64 > f.limit;
        let entries: Vec<AuditEntry> = rows
            .into_iter()
            .take(f.limit as usize)
            .map(|r| AuditEntry {
                seq: r.seq,
                at: r.at,
                who: r.who,
                action: r.action,
                target: r.target,
                detail: r.detail,
            })
            .collect();
        let next_before = if more {
            entries.last().map(|e| e.seq)
        } else {
            None
        };
        json(
            &AuditPage {
                entries,
                next_before,
            },
            200,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::FailedLogins;

    #[test]
    fn a_summary_counts_every_failure_and_lists_a_few_names() {
        let mut summary = FailedLogins {
            count: 0,
            names: Vec::new(),
        };
        for name in ["admin", "admin", "root", "a", "b", "c", "d", "e"] {
            summary.add(name);
        }
        assert_eq!(summary.count, 8);
        assert_eq!(summary.detail(), "8 次：admin、root、a、b、c、…");
        let again = FailedLogins::parse(&summary.detail()).unwrap();
        assert_eq!(again.count, 8);
        assert_eq!(again.names, ["admin", "root", "a", "b", "c"]);
    }

    #[test]
    fn long_names_are_cut_and_the_summary_reads_back() {
        let mut summary = FailedLogins {
            count: 0,
            names: Vec::new(),
        };
        summary.add(&"x".repeat(500));
        assert_eq!(summary.detail(), format!("1 次：{}", "x".repeat(32)));
        assert_eq!(FailedLogins::parse("garbage"), None);
    }
}
