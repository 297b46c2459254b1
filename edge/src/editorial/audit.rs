//! The audit log: every change staff make (and every failed sign-in) appended as one row
//! of the object's SQLite table `audit` (one storage call), and the latest entries read
//! back for admins and read-only accounts.

use serde::Deserialize;
use zhinan_domain::accounts::{Role, StaffUser};
use zhinan_domain::api::staff::AuditEntry;

use super::common::{forbidden, json, Answer};
use super::office::Office;
use crate::clock;
use crate::respond::Failure;

/// Audit entries shown.
const RECENT: i64 = 200;

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS audit(seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
    detail TEXT NOT NULL)";

#[derive(Deserialize)]
struct Row {
    at: String,
    who: String,
    action: String,
    target: String,
    detail: String,
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

    /// `GET /api/v1/staff/audit`, newest first.
    pub(super) async fn audit_log(&self, user: &StaffUser) -> Answer {
        if user.role == Role::Editor {
            return Err(forbidden("审计日志仅管理员和只读账号可查看"));
        }
        let rows: Vec<Row> = self.tables(&[SCHEMA], &self.audit_ready)?.rows(
            "SELECT at, who, action, target, detail FROM audit ORDER BY seq DESC LIMIT ?1",
            vec![RECENT.into()],
        )?;
        let entries: Vec<AuditEntry> = rows
            .into_iter()
            .map(|r| AuditEntry {
                at: r.at,
                who: r.who,
                action: r.action,
                target: r.target,
                detail: r.detail,
            })
            .collect();
        json(&entries, 200)
    }
}
