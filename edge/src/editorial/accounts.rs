//! Staff accounts: the hall admin lists, creates, stops and restores accounts and sets a
//! new password for someone who forgot theirs; everyone changes their own password. A
//! stopped account or a new password ends the account's other sessions at once. The
//! first admin comes from a secret.

use worker::Request;
use zhinan_domain::accounts::{password_problem, Role, StaffUser};
use zhinan_domain::api::staff::{AccountChange, NewUser, PasswordChange};
use zhinan_domain::catalog::item::Level;

use super::common::{body_of, forbidden, json, Answer};
use super::office::{Office, StoredUser};
use super::passwords::{self, PBKDF2_ROUNDS};
use super::session::session_id;
use crate::respond::Failure;
use crate::store::CatalogStore;

/// Wrong own-password entries allowed per account within the sign-in window.
const PASSWORD_CHECKS: usize = 5;

fn admin_only(user: &StaffUser) -> std::result::Result<(), Failure> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(forbidden("只有中心管理员可以管理账号"))
    }
}

impl Office {
    /// The first admin comes from the `ADMIN_PASSWORD` secret, once.
    pub(super) async fn ensure_admin(&self) -> std::result::Result<(), Failure> {
        if self.get::<StoredUser>("user:admin").await?.is_some() {
            return Ok(());
        }
        // Unset: no first admin yet. Weak (outside local dev): refused loudly.
        if self.env.secret("ADMIN_PASSWORD").is_err() {
            return Ok(());
        }
        let password = self.secret("ADMIN_PASSWORD")?;
        let (salt, hash) = passwords::hash(&password).await?;
        self.put(
            "user:admin",
            &StoredUser {
                user: StaffUser {
                    username: "admin".into(),
                    display_name: "中心管理员".into(),
                    role: Role::Admin,
                    department: None,
                    hall: None,
                    disabled: false,
                },
                salt,
                hash,
                rounds: PBKDF2_ROUNDS,
            },
        )
        .await?;
        self.audit(
            "system",
            "create_user",
            "admin",
            "首个管理员（来自 ADMIN_PASSWORD）".into(),
        )
        .await
    }

    /// The accounts, for the admin's account page (never the hashes).
    pub(super) async fn users(&self, user: &StaffUser) -> Answer {
        admin_only(user)?;
        let mut accounts: Vec<StaffUser> = self
            .list::<StoredUser>("user:")
            .await?
            .into_iter()
            .map(|stored| stored.user)
            .collect();
        accounts.sort_by(|a, b| a.username.cmp(&b.username));
        json(&accounts, 200)
    }

    pub(super) async fn create_user(&self, user: &StaffUser, text: &str) -> Answer {
        admin_only(user)?;
        let new: NewUser = body_of(text)?;
        let name_ok = !new.username.is_empty()
            && new.username.len() <= 32
            && new
                .username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !name_ok {
            return Err(Failure::bad_request(
                "bad_body",
                "用户名为 1–32 位字母、数字、-、_",
                "username",
            ));
        }
        if let Some(problem) = password_problem("password", &new.password) {
            return Err(Failure::bad_request(
                "bad_body",
                problem.message,
                "password",
            ));
        }
        if new.role == Role::Editor && new.department.as_deref().unwrap_or("").trim().is_empty() {
            return Err(Failure::bad_request(
                "bad_body",
                "部门编辑需指定部门",
                "department",
            ));
        }
        let hall = match (new.role, new.hall.as_deref().map(str::trim)) {
            (Role::Clerk | Role::Agent, Some(hall)) if !hall.is_empty() => {
                let store = CatalogStore::open(&self.env)?;
                let catalog = store.catalog(store.current_version().await?).await?;
                let Some(found) = catalog.hall(hall) else {
                    return Err(Failure::bad_request(
                        "bad_body",
                        format!("目录中没有编号为“{hall}”的服务中心"),
                        "hall",
                    ));
                };
                if new.role == Role::Agent && found.level != Level::Village {
                    return Err(Failure::bad_request(
                        "bad_body",
                        format!("代办员应在村（社区）服务点，“{}”不是", found.name),
                        "hall",
                    ));
                }
                Some(hall.to_string())
            }
            (Role::Clerk | Role::Agent, _) => {
                return Err(Failure::bad_request(
                    "bad_body",
                    format!("{}需指定所在服务中心", new.role.label()),
                    "hall",
                ))
            }
            _ => None,
        };
        // Another admin can do everything this one can: a borrowed session must not make one.
        if new.role == Role::Admin {
            self.confirm_own_password(user, new.admin_password.as_deref(), "admin_password")
                .await?;
        }
        // Hash first: from the existence check to the write only storage is awaited, so
        // two creations of one name cannot both succeed.
        let (salt, hash) = passwords::hash(&new.password).await?;
        let key = format!("user:{}", new.username);
        if self.get::<StoredUser>(&key).await?.is_some() {
            return Err(Failure::conflict("user_exists", "该用户名已存在"));
        }
        let account = StaffUser {
            username: new.username.clone(),
            display_name: new.display_name.clone(),
            role: new.role,
            department: new.department.filter(|_| new.role == Role::Editor),
            hall,
            disabled: false,
        };
        self.put(
            &key,
            &StoredUser {
                user: account.clone(),
                salt,
                hash,
                rounds: PBKDF2_ROUNDS,
            },
        )
        .await?;
        self.audit(
            &user.username,
            "create_user",
            &account.username,
            account.role.label().into(),
        )
        .await?;
        json(&account, 201)
    }

    /// Checks the signed-in user's own password (`field` of the body names it), under an
    /// attempt limit of its own so a borrowed session cannot guess it, and returns the
    /// account as it was checked.
    async fn confirm_own_password(
        &self,
        user: &StaffUser,
        password: Option<&str>,
        field: &str,
    ) -> std::result::Result<StoredUser, Failure> {
        let Some(password) = password.filter(|p| !p.is_empty()) else {
            return Err(Failure::bad_request(
                "bad_body",
                "请输入你自己的密码以确认",
                field,
            ));
        };
        let checked = self.stored_user(&user.username).await?;
        let attempts_key = format!("password_checks:{}", user.username);
        let now = js_sys::Date::now();
        self.begin_attempt(&[(&attempts_key, PASSWORD_CHECKS)], now)
            .await?;
        if !passwords::matches(&checked, password).await? {
            self.audit(
                &user.username,
                "password_check_failed",
                &user.username,
                format!("{field} 不正确"),
            )
            .await?;
            return Err(Failure::bad_request("bad_body", "密码不正确", field));
        }
        self.put(&attempts_key, &Vec::<f64>::new()).await?;
        Ok(checked)
    }

    async fn stored_user(&self, username: &str) -> std::result::Result<StoredUser, Failure> {
        self.get(&format!("user:{username}"))
            .await?
            .ok_or_else(|| Failure::not_found("no_user", format!("没有账号 {username}")))
    }

    /// `PATCH /api/v1/staff/users/{username}`: stop or restore an account, or set a new
    /// password for someone else (admin). Admins change their own password like everyone
    /// else, with the current one, so a borrowed session cannot take the account over.
    pub(super) async fn change_account(
        &self,
        user: &StaffUser,
        username: &str,
        text: &str,
    ) -> Answer {
        admin_only(user)?;
        let change: AccountChange = body_of(text)?;
        if change.disabled.is_none() && change.password.is_none() {
            return Err(Failure::bad_request(
                "bad_body",
                "请指定要停用/启用账号（disabled）或重设密码（password）",
                "body",
            ));
        }
        if username == user.username {
            if change.disabled == Some(true) {
                return Err(Failure::bad_request(
                    "bad_body",
                    "不能停用自己正在使用的账号",
                    "disabled",
                ));
            }
            if change.password.is_some() {
                return Err(Failure::bad_request(
                    "bad_body",
                    "修改自己的密码请用“修改密码”，需输入当前密码",
                    "password",
                ));
            }
        }
        if let Some(problem) = change
            .password
            .as_deref()
            .and_then(|p| password_problem("password", p))
        {
            return Err(Failure::bad_request(
                "bad_body",
                problem.message,
                "password",
            ));
        }
        if change.password.is_some() {
            self.confirm_own_password(user, change.admin_password.as_deref(), "admin_password")
                .await?;
        }
        // The slow hash first: from reading the account to writing it back only storage
        // is awaited, so a change made meanwhile by another request is never overwritten.
        let new_hash = match &change.password {
            Some(password) => Some(passwords::hash(password).await?),
            None => None,
        };
        let mut stored = self.stored_user(username).await?;
        if change.disabled == Some(true) && stored.user.role == Role::Admin {
            let active_admins = self
                .list::<StoredUser>("user:")
                .await?
                .into_iter()
                .filter(|s| s.user.role == Role::Admin && !s.user.disabled)
                .count();
            if active_admins <= 1 && !stored.user.disabled {
                return Err(Failure::bad_request(
                    "bad_body",
                    "至少要保留一个可用的中心管理员账号",
                    "disabled",
                ));
            }
        }
        let mut actions = Vec::new();
        if let Some(disabled) = change.disabled {
            if stored.user.disabled != disabled {
                stored.user.disabled = disabled;
                actions.push(if disabled {
                    "disable_user"
                } else {
                    "enable_user"
                });
            }
        }
        if let Some((salt, hash)) = new_hash {
            stored.salt = salt;
            stored.hash = hash;
            stored.rounds = PBKDF2_ROUNDS;
            actions.push("reset_password");
        }
        self.put(&format!("user:{username}"), &stored).await?;
        let ended = if stored.user.disabled || change.password.is_some() {
            self.end_sessions(username, None).await?
        } else {
            0
        };
        for action in actions {
            self.audit(
                &user.username,
                action,
                username,
                format!("结束会话 {ended} 个"),
            )
            .await?;
        }
        json(&stored.user, 200)
    }

    /// `POST /api/v1/staff/me/password`: change one's own password. The current one is
    /// checked under the sign-in's attempt limit, so a borrowed session cannot be used to
    /// guess it; the user's other sessions end.
    pub(super) async fn change_own_password(
        &self,
        req: &Request,
        user: &StaffUser,
        text: &str,
    ) -> Answer {
        let change: PasswordChange = body_of(text)?;
        if let Some(problem) = password_problem("new", &change.new) {
            return Err(Failure::bad_request("bad_body", problem.message, "new"));
        }
        if change.new == change.current {
            return Err(Failure::bad_request(
                "bad_body",
                "新密码不能与当前密码相同",
                "new",
            ));
        }
        let checked = self
            .confirm_own_password(user, Some(&change.current), "current")
            .await?;
        let (salt, hash) = passwords::hash(&change.new).await?;
        // Read again after the hashing: only storage is awaited from here to the write.
        let mut stored = self.stored_user(&user.username).await?;
        if stored.user.disabled {
            return Err(Failure::Unauthorized);
        }
        if stored.hash != checked.hash {
            return Err(Failure::conflict(
                "password_changed",
                "密码刚被修改过，请重新登录后再试",
            ));
        }
        stored.salt = salt;
        stored.hash = hash;
        stored.rounds = PBKDF2_ROUNDS;
        self.put(&format!("user:{}", user.username), &stored)
            .await?;
        let ended = self
            .end_sessions(&user.username, session_id(req).as_deref())
            .await?;
        self.audit(
            &user.username,
            "change_password",
            &user.username,
            format!("结束其他会话 {ended} 个"),
        )
        .await?;
        json(&stored.user, 200)
    }
}
