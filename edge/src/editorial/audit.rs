//! The audit log: every change staff make (and every failed sign-in) appended as
//! `audit:{seq}`, and the log read back for admins and read-only accounts.

use zhinan_domain::accounts::{Role, StaffUser};
use zhinan_domain::api::staff::AuditEntry;

use super::common::{forbidden, json, Answer};
use super::office::Office;
use crate::clock;
use crate::respond::Failure;

impl Office {
    pub(super) async fn audit(
        &self,
        who: &str,
        action: &str,
        target: &str,
        detail: String,
    ) -> std::result::Result<(), Failure> {
        let seq: u64 = self.get("audit_seq").await?.unwrap_or(0) + 1;
        self.put("audit_seq", &seq).await?;
        self.put(
            &format!("audit:{seq:010}"),
            &AuditEntry {
                at: clock::now_timestamp(),
                who: who.to_string(),
                action: action.to_string(),
                target: target.to_string(),
                detail,
            },
        )
        .await
    }

    /// `GET /api/v1/staff/audit`, newest first.
    pub(super) async fn audit_log(&self, user: &StaffUser) -> Answer {
        if user.role == Role::Editor {
            return Err(forbidden("审计日志仅管理员和只读账号可查看"));
        }
        let mut entries: Vec<AuditEntry> = self.list("audit:").await?;
        entries.reverse();
        json(&entries, 200)
    }
}
