//! The JSON bodies of `/api/v1/staff/*`, shared by the edge (authoritative) and the staff
//! console. The rules they carry out live with their concern (accounts, catalog, lint).

use serde::{Deserialize, Serialize};

use super::ApiFieldError;
use crate::accounts::{Role, StaffUser};
use crate::catalog::diff::Change;
use crate::catalog::item::Item;
use crate::lint::Finding;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// The signed-in user and the CSRF token every state-changing request must echo in the
/// `X-CSRF-Token` header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user: StaffUser,
    pub csrf_token: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
    #[serde(default)]
    pub department: Option<String>,
    /// A window clerk's hall (`Hall::id`).
    #[serde(default)]
    pub hall: Option<String>,
    /// The acting admin's own password, required to create another admin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_password: Option<String>,
}

/// `PATCH /api/v1/staff/users/{username}` (admin): stop or restore an account, or set a
/// new password for someone who forgot theirs. Either ends the account's sessions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// The acting admin's own password, required to set someone else's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_password: Option<String>,
}

/// `POST /api/v1/staff/me/password`: the signed-in user changes their own password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// A saved, unpublished edit of one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub item: Item,
    /// Increases with every save; a save must name the revision it was edited from.
    pub rev: u64,
    pub saved_by: String,
    pub saved_at: String,
    /// Lint of the draft as saved (authoritative, from the edge).
    pub findings: Vec<Finding>,
}

/// `PUT /api/v1/staff/items/{code}/draft`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SaveDraft {
    pub item: Item,
    /// The draft revision the editor started from; `None` when starting from the
    /// published item. A different current revision is a conflict.
    #[serde(default)]
    pub base_rev: Option<u64>,
}

/// 409 on a save: someone else saved first. Both versions, so nothing is lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftConflict {
    pub error: String,
    pub code: String,
    pub yours: Item,
    pub theirs: Draft,
    pub changes: Vec<Change>,
}

/// One row of the console's item list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffItemRow {
    pub code: String,
    pub name: String,
    pub department: String,
    pub hall: String,
    #[serde(default)]
    pub zone: String,
    pub editable: bool,
    pub has_draft: bool,
    pub errors: usize,
    pub warnings: usize,
    pub withdrawn: bool,
    /// Only a draft so far: a new item, published with the next version.
    #[serde(default)]
    pub is_new: bool,
}

/// `GET /api/v1/staff/items/{code}`: the published item, the draft if any, and lint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffItem {
    /// `None` for an item that exists only as a draft.
    pub published: Option<Item>,
    pub draft: Option<Draft>,
    pub editable: bool,
    /// Lint of the draft if there is one, else of the published item.
    pub findings: Vec<Finding>,
}

/// `POST /api/v1/staff/publish`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PublishRequest {
    /// Warnings were read and accepted; without this, warnings refuse the publish.
    #[serde(default)]
    pub acknowledge_warnings: bool,
    #[serde(default)]
    pub note: Option<String>,
    /// The drafts to publish; with neither this nor `department`, every draft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codes: Option<Vec<String>>,
    /// Publish one department's drafts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
}

/// One page of the staff item list (`GET /api/v1/staff/items?…`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffItemPage {
    pub rows: Vec<StaffItemRow>,
    /// Items matching the filters, on every page.
    pub total: usize,
    /// The `after` of the next page; `None` on the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// Where a publish stands (`POST /api/v1/staff/publish`, `GET /api/v1/staff/publish`): a
/// large one goes on in the background in batches, and the console shows its progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishJob {
    /// The version this publish makes, reserved when it was accepted.
    pub version: u32,
    /// `queued`, `running` or `done`.
    pub state: String,
    /// Items written so far, of `total`.
    pub done: usize,
    pub total: usize,
    /// Items in the selection whose lint errors kept them out (they stay drafts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocked: Vec<ItemFindings>,
    /// The published version, once done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<VersionInfo>,
}

/// Lint findings of one item, in publish answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemFindings {
    pub code: String,
    pub name: String,
    pub findings: Vec<Finding>,
}

/// 409 on publish: errors remain, or warnings were not acknowledged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishRefused {
    pub error: String,
    pub code: String,
    pub errors: Vec<ItemFindings>,
    pub warnings: Vec<ItemFindings>,
}

/// One published catalog version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionInfo {
    pub version: u32,
    pub published_at: String,
    pub published_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Codes of items that changed against the version it was based on.
    pub changed: Vec<String>,
    pub items: usize,
}

/// `GET /api/v1/staff/versions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Versions {
    pub current: u32,
    pub versions: Vec<VersionInfo>,
}

/// `POST /api/v1/staff/rollback`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RollbackRequest {
    pub version: u32,
}

/// One page of the audit log, newest first, and where the next (older) page starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Pass as `before` for the next page; `None` on the last page.
    pub next_before: Option<i64>,
}

/// One entry of the append-only audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the log (increasing): pages are cut by it.
    #[serde(default)]
    pub seq: i64,
    pub at: String,
    pub who: String,
    /// `login`, `login_failed`, `save_draft`, `discard_draft`, `publish`, `rollback`,
    /// `create_user`.
    pub action: String,
    /// Item code, version or username the action was about.
    pub target: String,
    #[serde(default)]
    pub detail: String,
}

/// What one row of an import became.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// A code the catalog does not have yet: a new draft.
    New,
    /// Differs from the item's draft, or from the published item when it has no draft.
    Changed,
    /// The same as the draft, or the published item: nothing to write.
    Unchanged,
    /// Could not be read (or may not be imported by this user): not written.
    Unreadable,
}

/// One row of `POST /api/v1/staff/import`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportRow {
    /// Row in the items sheet (its header is row 1), or position in a JSON array (from 1).
    pub row: usize,
    pub code: Option<String>,
    pub name: Option<String>,
    pub status: ImportStatus,
    /// The lint of the item as imported (rule id, severity, fields).
    pub findings: Vec<Finding>,
    /// What could not be read, and blank required values imported as a stated default.
    pub problems: Vec<ApiFieldError>,
}

/// The answer of `POST /api/v1/staff/import[?dry_run=true]`: the same report whether it
/// wrote (`dry_run: false`: new and changed rows are now drafts) or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub dry_run: bool,
    pub rows: Vec<ImportRow>,
    /// Columns no field matches: their cells were not imported.
    pub unknown_columns: Vec<String>,
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub unreadable: usize,
}

/// How many items break one lint rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleCount {
    pub rule: String,
    /// The rule's short title ([`crate::lint::RULES`]).
    pub title: String,
    pub severity: crate::lint::Severity,
    pub items: usize,
}

/// One department's share of the findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentQuality {
    pub department: String,
    pub items: usize,
    pub with_errors: usize,
    pub with_warnings: usize,
    pub rules: Vec<RuleCount>,
}

/// `GET /api/v1/staff/quality`: the catalog's findings (drafts as staff see them) by rule
/// and by department — the centre's list of what to chase, department by department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityReport {
    pub items: usize,
    pub with_errors: usize,
    /// Items with warnings and no error.
    pub with_warnings: usize,
    /// Rules broken, most items first.
    pub by_rule: Vec<RuleCount>,
    /// Departments with most items with errors first.
    pub by_department: Vec<DepartmentQuality>,
}
