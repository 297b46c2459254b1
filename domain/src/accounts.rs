//! Staff accounts: roles, what each may do with an item, and password rules.

use serde::{Deserialize, Serialize};

use crate::catalog::item::Item;
use crate::catalog::validate::FieldError;

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
    /// 窗口人员: accepts cases (受理) and records their steps at their own hall's desk.
    Clerk,
    /// 代办员: at a village service point, takes villagers' files to the township or
    /// county hall (代办) and brings the results back.
    Agent,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "中心管理员",
            Role::Editor => "部门编辑",
            Role::Viewer => "只读",
            Role::Clerk => "窗口人员",
            Role::Agent => "村（社区）代办员",
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
    /// The hall a window clerk works at (`Hall::id`); `None` for others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hall: Option<String>,
    /// 已停用: cannot sign in; sessions end. Kept, not deleted, so the audit log's names
    /// stay meaningful.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
}

impl StaffUser {
    /// May this user change drafts of `item`?
    pub fn can_edit(&self, item: &Item) -> bool {
        self.can_edit_in(&item.department)
    }

    /// May this user change drafts of items of `department`?
    pub fn can_edit_in(&self, department: &str) -> bool {
        if self.disabled {
            return false;
        }
        match self.role {
            Role::Admin => true,
            Role::Editor => self.department.as_deref() == Some(department),
            Role::Viewer | Role::Clerk | Role::Agent => false,
        }
    }

    /// May this user see `item` in the console list? Editors see their department's.
    pub fn can_list(&self, item: &Item) -> bool {
        self.can_list_in(&item.department)
    }

    /// May this user see items of `department`?
    pub fn can_list_in(&self, department: &str) -> bool {
        match self.role {
            Role::Editor => self.can_edit_in(department),
            Role::Admin | Role::Viewer | Role::Clerk | Role::Agent => true,
        }
    }

    /// The one department this user's lists are limited to (editors).
    pub fn list_scope(&self) -> Option<&str> {
        match self.role {
            Role::Editor => Some(self.department.as_deref().unwrap_or("")),
            Role::Admin | Role::Viewer | Role::Clerk | Role::Agent => None,
        }
    }

    /// May this user accept cases and record their steps at `hall`'s desk? Admins at
    /// any hall, clerks at their own.
    pub fn can_record_cases_at(&self, hall: &str) -> bool {
        !self.disabled
            && match self.role {
                Role::Admin => true,
                Role::Clerk => self.hall.as_deref() == Some(hall),
                Role::Editor | Role::Viewer | Role::Agent => false,
            }
    }

    /// May this user register 代办 requests at village `hall` and record their village
    /// steps? Admins anywhere, agents at their own village.
    pub fn can_proxy_at(&self, hall: &str) -> bool {
        !self.disabled
            && match self.role {
                Role::Admin => true,
                Role::Agent => self.hall.as_deref() == Some(hall),
                Role::Editor | Role::Viewer | Role::Clerk => false,
            }
    }

    /// Works at one hall's desk (clerks and agents), which then must be named.
    pub fn works_at_a_hall(&self) -> bool {
        matches!(self.role, Role::Clerk | Role::Agent)
    }

    /// May this user see `hall`'s cases? Also read-only accounts (supervision).
    pub fn can_read_cases_at(&self, hall: &str) -> bool {
        self.role == Role::Viewer || self.can_record_cases_at(hall)
    }

    /// How this user is named in a case's timeline and the audit log: name and account.
    pub fn signature(&self) -> String {
        format!("{}（{}）", self.display_name, self.username)
    }
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

/// Shortest secret a deployment may run with (characters): signing keys, hall API keys,
/// the first admin's password.
pub const MIN_SECRET: usize = 20;

/// Why a deployment secret is too weak to run with outside local development: too short,
/// one character repeated, or a placeholder from the docs or the local `.dev.vars`.
pub fn secret_problem(value: &str) -> Option<&'static str> {
    let lower = value.to_ascii_lowercase();
    if value.chars().count() < MIN_SECRET {
        Some("too short (at least 20 characters)")
    } else if value.chars().all(|c| value.starts_with(c)) {
        Some("one character repeated")
    } else if [
        "dev-",
        "changeme",
        "change-me",
        "password",
        "example",
        "secret",
    ]
    .iter()
    .any(|p| lower.contains(p))
    {
        Some("a placeholder, not a secret")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_and_short_secrets_are_named_and_random_ones_pass() {
        for weak in [
            "dev-admin-password",
            "dev-xinxian-key",
            "short",
            "aaaaaaaaaaaaaaaaaaaaaaaa",
            "please-change-me-before-deploy",
            "my-session-secret-value-123",
        ] {
            assert!(secret_problem(weak).is_some(), "{weak}");
        }
        for strong in ["7f3a9c1e5b2d8f604a1c9e3b", "Kq8vZ2rN5tW9xB4mH7jL3pF6"] {
            assert_eq!(secret_problem(strong), None, "{strong}");
        }
    }
    use crate::api::staff::AccountChange;
    use crate::parse_item;

    fn item() -> Item {
        parse_item(include_str!("catalog/fixtures/item.json")).unwrap()
    }

    #[test]
    fn editors_edit_only_their_department() {
        let it = item();
        let editor = StaffUser {
            username: "e".into(),
            display_name: "E".into(),
            role: Role::Editor,
            department: Some(it.department.clone()),
            hall: None,
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

    #[test]
    fn clerks_record_cases_at_their_own_hall_only() {
        let clerk = StaffUser {
            username: "wangfang".into(),
            display_name: "王芳".into(),
            role: Role::Clerk,
            department: None,
            hall: Some("xinxian".into()),
            disabled: false,
        };
        assert!(clerk.can_record_cases_at("xinxian"));
        assert!(!clerk.can_record_cases_at("shangji"));
        assert!(!clerk.can_read_cases_at("shangji"));
        assert!(!clerk.can_edit(&item()), "no catalog edits");
        assert_eq!(clerk.signature(), "王芳（wangfang）");
        let viewer = StaffUser {
            role: Role::Viewer,
            hall: None,
            ..clerk.clone()
        };
        assert!(viewer.can_read_cases_at("shangji"));
        assert!(!viewer.can_record_cases_at("shangji"));
        let admin = StaffUser {
            role: Role::Admin,
            hall: None,
            ..clerk.clone()
        };
        assert!(admin.can_record_cases_at("shangji"));
        let stopped = StaffUser {
            disabled: true,
            ..clerk
        };
        assert!(!stopped.can_record_cases_at("xinxian"));
    }
}
