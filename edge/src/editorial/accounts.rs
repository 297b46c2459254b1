//! Staff accounts: the hall admin lists, creates, stops and restores accounts and sets a
//! new password for someone who forgot theirs; everyone changes their own password. A
//! stopped account or a new password ends the account's other sessions at once.

use wasm_bindgen::JsValue;
use worker::{ListOptions, Request};
use zhinan_domain::staff::{
    password_problem, AccountChange, NewUser, PasswordChange, Role, StaffUser,
};

use super::{
    body_of, cookie_value, forbidden, json, unhex, Answer, Editorial, StoredSession, StoredUser,
    LOGIN_FAILS_PER_USER, LOGIN_WINDOW_MS, PBKDF2_ROUNDS,
};
use crate::respond::Failure;
use crate::webcrypto::{pbkdf2, same};

/// The id of the request's session (the cookie's part before the signature).
fn session_id(req: &Request) -> Option<String> {
    cookie_value(req).and_then(|v| v.split_once('.').map(|(id, _)| id.to_string()))
}

fn admin_only(user: &StaffUser) -> std::result::Result<(), Failure> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(forbidden("只有中心管理员可以管理账号"))
    }
}

impl Editorial {
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
        let key = format!("user:{}", new.username);
        if self.get::<StoredUser>(&key).await?.is_some() {
            return Err(Failure::conflict("user_exists", "该用户名已存在"));
        }
        let (salt, hash) = self.hash_password(&new.password).await?;
        let account = StaffUser {
            username: new.username.clone(),
            display_name: new.display_name.clone(),
            role: new.role,
            department: new.department.filter(|_| new.role == Role::Editor),
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

    /// Ends every session of `username` except the one with id `keep`.
    pub(super) async fn end_sessions(
        &self,
        username: &str,
        keep: Option<&str>,
    ) -> std::result::Result<usize, Failure> {
        let storage = self.state.storage();
        let sessions = storage
            .list_with_options(ListOptions::new().prefix("session:"))
            .await?;
        let mut ended = Vec::new();
        sessions.for_each(&mut |value: JsValue, key: JsValue| {
            let (Some(key), Some(value)) = (key.as_string(), value.as_string()) else {
                return;
            };
            let kept = keep.is_some_and(|id| key == format!("session:{id}"));
            let theirs =
                serde_json::from_str::<StoredSession>(&value).is_ok_and(|s| s.username == username);
            if theirs && !kept {
                ended.push(key);
            }
        });
        for key in &ended {
            storage.delete(key).await?;
        }
        Ok(ended.len())
    }

    async fn stored_user(&self, username: &str) -> std::result::Result<StoredUser, Failure> {
        self.get(&format!("user:{username}"))
            .await?
            .ok_or_else(|| Failure::not_found("no_user", format!("没有账号 {username}")))
    }

    /// `PATCH /api/v1/staff/users/{username}`: stop or restore an account, or set a new
    /// password (admin).
    pub(super) async fn change_account(
        &self,
        req: &Request,
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
        if change.disabled == Some(true) && username == user.username {
            return Err(Failure::bad_request(
                "bad_body",
                "不能停用自己正在使用的账号",
                "disabled",
            ));
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
        let mut stored = self.stored_user(username).await?;
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
        if let Some(password) = &change.password {
            let (salt, hash) = self.hash_password(password).await?;
            stored.salt = salt;
            stored.hash = hash;
            stored.rounds = PBKDF2_ROUNDS;
            actions.push("reset_password");
        }
        self.put(&format!("user:{username}"), &stored).await?;
        // The admin's own session survives resetting their own password here.
        let keep = session_id(req).filter(|_| username == user.username);
        let ended = if stored.user.disabled || change.password.is_some() {
            self.end_sessions(username, keep.as_deref()).await?
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
    /// checked with the sign-in's failure counter, so a borrowed session cannot be used to
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
        let mut stored = self.stored_user(&user.username).await?;
        let now = js_sys::Date::now();
        let fails_key = format!("login_fails:user:{}", user.username);
        let mut fails: Vec<f64> = self.get(&fails_key).await?.unwrap_or_default();
        fails.retain(|t| now - t < LOGIN_WINDOW_MS);
        if fails.len() >= LOGIN_FAILS_PER_USER {
            return Err(Failure::TooMany((LOGIN_WINDOW_MS / 1000.0) as u32));
        }
        let presented = pbkdf2(&change.current, &unhex(&stored.salt), stored.rounds).await?;
        if !same(&presented, &unhex(&stored.hash)) {
            fails.push(now);
            self.put(&fails_key, &fails).await?;
            return Err(Failure::bad_request(
                "bad_body",
                "当前密码不正确",
                "current",
            ));
        }
        let (salt, hash) = self.hash_password(&change.new).await?;
        stored.salt = salt;
        stored.hash = hash;
        stored.rounds = PBKDF2_ROUNDS;
        self.put(&format!("user:{}", user.username), &stored)
            .await?;
        self.put(&fails_key, &Vec::<f64>::new()).await?;
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
