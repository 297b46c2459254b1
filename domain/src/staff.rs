//! Staff work on the catalog: accounts and roles, drafts with conflict detection,
//! publishing, versions, diffs and the audit log. The JSON shapes of `/api/v1/staff/*`,
//! shared by the edge (authoritative) and the staff console.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::item::Item;
use crate::lint::Finding;
use crate::validate::FieldError;

/// What a staff account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 中心管理员: manages accounts, publishes, rolls back, edits every item.
    Admin,
    /// 部门编辑: edits drafts of their own department's items only.
    Editor,
    /// 只读: sees items, drafts, versions and the audit log.
    Viewer,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "中心管理员",
            Role::Editor => "部门编辑",
            Role::Viewer => "只读",
        }
    }
}

/// A staff account as shown to the console (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The department an editor works for (`Item::department`); `None` for others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// 已停用: cannot sign in; sessions end. Kept, not deleted, so the audit log's names
    /// stay meaningful.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
}

impl StaffUser {
    /// May this user change drafts of `item`?
    pub fn can_edit(&self, item: &Item) -> bool {
        if self.disabled {
            return false;
        }
        match self.role {
            Role::Admin => true,
            Role::Editor => self.department.as_deref() == Some(item.department.as_str()),
            Role::Viewer => false,
        }
    }

    /// May this user see `item` in the console list? Editors see their department's.
    pub fn can_list(&self, item: &Item) -> bool {
        match self.role {
            Role::Editor => self.can_edit(item),
            Role::Admin | Role::Viewer => true,
        }
    }
}

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
}

/// Shortest and longest password accepted (characters).
pub const MIN_PASSWORD: usize = 10;
pub const MAX_PASSWORD: usize = 128;

/// Why `password` cannot be set, naming `field`; `None` when it can.
pub fn password_problem(field: &str, password: &str) -> Option<FieldError> {
    let count = password.chars().count();
    if count < MIN_PASSWORD {
        Some(FieldError::new(
            field,
            format!("密码至少 {MIN_PASSWORD} 位"),
        ))
    } else if count > MAX_PASSWORD {
        Some(FieldError::new(
            field,
            format!("密码不超过 {MAX_PASSWORD} 位"),
        ))
    } else if password.trim() != password {
        Some(FieldError::new(field, "密码首尾不能是空格"))
    } else {
        None
    }
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

/// One entry of the append-only audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
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

/// One changed field between two versions of an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Field path like `materials[2].name`.
    pub path: String,
    pub before: Value,
    pub after: Value,
}

fn walk(path: &str, before: &Value, after: &Value, out: &mut Vec<Change>) {
    match (before, after) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let sub = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                walk(
                    &sub,
                    a.get(key).unwrap_or(&Value::Null),
                    b.get(key).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for i in 0..a.len().max(b.len()) {
                walk(
                    &format!("{path}[{i}]"),
                    a.get(i).unwrap_or(&Value::Null),
                    b.get(i).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        (a, b) if a != b => out.push(Change {
            path: path.to_string(),
            before: a.clone(),
            after: b.clone(),
        }),
        _ => {}
    }
}

/// Field-by-field differences from `before` to `after`.
pub fn diff_items(before: &Item, after: &Item) -> Vec<Change> {
    let a = serde_json::to_value(before).unwrap_or(Value::Null);
    let b = serde_json::to_value(after).unwrap_or(Value::Null);
    let mut out = Vec::new();
    walk("", &a, &b, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{parse_item, Kind};

    fn item() -> Item {
        parse_item(include_str!("fixtures/item.json")).unwrap()
    }

    #[test]
    fn diff_names_the_changed_fields_only() {
        let a = item();
        let mut b = a.clone();
        b.kind = Kind::Instant;
        b.materials[2].name = "身份证".into();
        b.materials.pop();
        let changes = diff_items(&a, &b);
        let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
        assert!(paths.contains(&"kind"));
        assert!(paths.contains(&"materials[2].name"));
        assert!(paths.iter().any(|p| p.starts_with("materials[5]")));
        assert!(!paths.contains(&"name"));
        assert!(diff_items(&a, &a).is_empty());
    }

    #[test]
    fn editors_edit_only_their_department() {
        let it = item();
        let editor = StaffUser {
            username: "e".into(),
            display_name: "E".into(),
            role: Role::Editor,
            department: Some(it.department.clone()),
            disabled: false,
        };
        let other = StaffUser {
            department: Some("新县公安局".into()),
            ..editor.clone()
        };
        let viewer = StaffUser {
            role: Role::Viewer,
            department: None,
            ..editor.clone()
        };
        assert!(editor.can_edit(&it));
        assert!(!other.can_edit(&it));
        assert!(!other.can_list(&it));
        assert!(!viewer.can_edit(&it));
        assert!(viewer.can_list(&it));
        let stopped = StaffUser {
            disabled: true,
            ..editor.clone()
        };
        assert!(!stopped.can_edit(&it));
        // Accounts stored before the flag existed are active.
        let old: StaffUser =
            serde_json::from_str(r#"{"username":"e","display_name":"E","role":"viewer"}"#).unwrap();
        assert!(!old.disabled);
        assert!(!serde_json::to_string(&old).unwrap().contains("disabled"));
    }

    #[test]
    fn passwords_and_account_changes_are_checked() {
        assert_eq!(
            password_problem("password", "short").unwrap().field,
            "password"
        );
        assert!(password_problem("new", " 前后有空格的密码0123 ").is_some());
        assert!(password_problem("new", &"长".repeat(MAX_PASSWORD + 1)).is_some());
        assert!(password_problem("new", "十个字符的中文密码呀").is_none());
        let change: AccountChange = crate::api::parse_body(r#"{"disabled":true}"#).unwrap();
        assert_eq!(change.disabled, Some(true));
        assert_eq!(
            crate::api::parse_body::<AccountChange>(r#"{"role":"admin"}"#)
                .unwrap_err()
                .field,
            "role",
            "only `disabled` and `password` can be changed"
        );
    }
}
