//! The editorial office: one Durable Object that owns everything staff change — accounts,
//! sessions, drafts, publishing, rollback and the audit log. Being one object, its steps
//! never interleave: two saves of one draft are ordered, so the second sees the first
//! and gets a conflict instead of silently overwriting it; two publishes never mix.
//!
//! Published catalog versions live in KV (readers never touch this object). A publish
//! writes every key of the new version first and moves `meta:current` last, so a reader
//! sees the whole old version or the whole new one, even if the publish stops half-way.

mod accounts;
mod calendar;

use std::collections::HashMap;

use serde::{de::DeserializeOwned, Deserialize, Serialize};
use worker::{
    durable_object, DurableObject, Env, ListOptions, Method, Request, Response, Result, State,
};
use zhinan_domain::accounts::{Role, StaffUser};
use zhinan_domain::api::staff::{
    AuditEntry, Draft, DraftConflict, ItemFindings, LoginRequest, PublishRefused, PublishRequest,
    RollbackRequest, SaveDraft, SessionInfo, StaffItem, StaffItemRow, VersionInfo, Versions,
};
use zhinan_domain::api::{parse_body, ApiError};
use zhinan_domain::catalog::diff::diff_items;
use zhinan_domain::catalog::search::{build_index, SearchIndex};
use zhinan_domain::lint::{lint_catalog, lint_item, Finding, LintContext, PeerLimit, Severity};
use zhinan_domain::{validate_item, Catalog, CatalogEntry, Item, ItemCode};

use crate::respond::{json_no_store, secure, Failure};
use crate::store::CatalogStore;
use crate::webcrypto::{hex, hmac_sha256, pbkdf2, same};
use crate::{clock, limiter};

const COOKIE: &str = "zhinan_staff";
const SESSION_SECS: u32 = 8 * 3600;
const PBKDF2_ROUNDS: u32 = 100_000;
/// Failed logins allowed per account, and per client address, within the window.
const LOGIN_FAILS_PER_USER: usize = 5;
const LOGIN_FAILS_PER_CLIENT: usize = 20;
const LOGIN_WINDOW_MS: f64 = 15.0 * 60.0 * 1000.0;

type Answer = std::result::Result<Response, Failure>;

/// Forwards a `/api/v1/staff/*` request to the one editorial object.
pub async fn forward(req: Request, env: &Env) -> Result<Response> {
    env.durable_object("EDITORIAL")?
        .id_from_name("catalog")?
        .get_stub()?
        .fetch_with_request(req)
        .await
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredUser {
    user: StaffUser,
    salt: String,
    hash: String,
    rounds: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredSession {
    username: String,
    csrf: String,
    expires_ms: f64,
}

fn json(value: &impl Serialize, status: u16) -> Answer {
    Ok(json_no_store(value, status)?)
}

fn no_content() -> Answer {
    Ok(secure(Response::empty()?.with_status(204))?)
}

fn forbidden(message: &str) -> Failure {
    Failure::Forbidden(message.to_string())
}

fn random_hex(n: u32) -> std::result::Result<String, Failure> {
    Ok(hex(&clock::random_bytes(n)?))
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len() / 2)
        .filter_map(|i| u8::from_str_radix(text.get(i * 2..i * 2 + 2)?, 16).ok())
        .collect()
}

fn body_of<T: DeserializeOwned>(text: &str) -> std::result::Result<T, Failure> {
    parse_body(text).map_err(|e| Failure::bad_request("bad_body", e.message, e.field))
}

fn cookie_value(req: &Request) -> Option<String> {
    let header = req.headers().get("Cookie").ok().flatten()?;
    header.split(';').find_map(|part| {
        let (name, value) = part.trim().split_once('=')?;
        (name == COOKIE).then(|| value.to_string())
    })
}

fn query_param(req: &Request, name: &str) -> Option<String> {
    let url = req.url().ok()?;
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Drafts of codes the published catalog does not have (new items), by code.
fn new_item_drafts<'a>(drafts: &'a HashMap<String, Draft>, published: &[Item]) -> Vec<&'a Draft> {
    let mut new: Vec<&Draft> = drafts
        .values()
        .filter(|d| !published.iter().any(|p| p.code == d.item.code))
        .collect();
    new.sort_by(|a, b| a.item.code.cmp(&b.item.code));
    new
}

#[durable_object]
pub struct Editorial {
    state: State,
    env: Env,
}

impl DurableObject for Editorial {
    fn new(state: State, env: Env) -> Self {
        Editorial { state, env }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        match self.handle(req).await {
            Ok(response) => Ok(response),
            Err(failure) => failure.into_json_response(),
        }
    }
}

impl Editorial {
    async fn get<T: DeserializeOwned>(&self, key: &str) -> std::result::Result<Option<T>, Failure> {
        let text: Option<String> = self.state.storage().get(key).await?;
        match text {
            None => Ok(None),
            Some(t) => serde_json::from_str(&t)
                .map(Some)
                .map_err(|e| Failure::Unavailable(format!("{key}: {e}"))),
        }
    }

    async fn put<T: Serialize>(&self, key: &str, value: &T) -> std::result::Result<(), Failure> {
        let text = serde_json::to_string(value).map_err(|e| Failure::Unavailable(e.to_string()))?;
        self.state.storage().put(key, text).await?;
        Ok(())
    }

    /// Every stored value whose key starts with `prefix`, in key order.
    async fn list<T: DeserializeOwned>(
        &self,
        prefix: &str,
    ) -> std::result::Result<Vec<T>, Failure> {
        let map = self
            .state
            .storage()
            .list_with_options(ListOptions::new().prefix(prefix))
            .await?;
        let mut out = Vec::new();
        for value in map.values() {
            let value = value.map_err(worker::Error::from)?;
            if let Some(text) = value.as_string() {
                if let Ok(v) = serde_json::from_str(&text) {
                    out.push(v);
                }
            }
        }
        Ok(out)
    }

    async fn audit(
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

    /// Counts a password attempt under every `(key, limit)` before the slow hash is
    /// computed: the object may take other requests while it awaits the hash, and
    /// attempts counted only afterwards would let guesses sent in parallel all slip under
    /// the limit. Refuses with 429 when a limit is reached.
    async fn begin_attempt(
        &self,
        counters: &[(&str, usize)],
        now: f64,
    ) -> std::result::Result<(), Failure> {
        let mut lists = Vec::with_capacity(counters.len());
        for (key, limit) in counters {
            let mut attempts: Vec<f64> = self.get(key).await?.unwrap_or_default();
            attempts.retain(|t| now - t < LOGIN_WINDOW_MS);
            if attempts.len() >= *limit {
                return Err(Failure::TooMany((LOGIN_WINDOW_MS / 1000.0) as u32));
            }
            attempts.push(now);
            lists.push(attempts);
        }
        for ((key, _), attempts) in counters.iter().zip(lists) {
            self.put(key, &attempts).await?;
        }
        Ok(())
    }

    /// Takes back the attempt counted at `now` (it succeeded).
    async fn forgive_attempt(&self, key: &str, now: f64) -> std::result::Result<(), Failure> {
        let mut attempts: Vec<f64> = self.get(key).await?.unwrap_or_default();
        if let Some(i) = attempts.iter().position(|t| *t == now) {
            attempts.remove(i);
            self.put(key, &attempts).await?;
        }
        Ok(())
    }

    fn secret(&self, name: &str) -> std::result::Result<String, Failure> {
        self.env
            .secret(name)
            .map(|s| s.to_string())
            .ok()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Failure::Unavailable(format!("secret {name} is not set")))
    }

    async fn hash_password(
        &self,
        password: &str,
    ) -> std::result::Result<(String, String), Failure> {
        let salt = clock::random_bytes(16)?;
        let hash = pbkdf2(password, &salt, PBKDF2_ROUNDS).await?;
        Ok((hex(&salt), hex(&hash)))
    }

    /// The first admin comes from the `ADMIN_PASSWORD` secret, once.
    async fn ensure_admin(&self) -> std::result::Result<(), Failure> {
        if self.get::<StoredUser>("user:admin").await?.is_some() {
            return Ok(());
        }
        let Ok(password) = self.secret("ADMIN_PASSWORD") else {
            return Ok(());
        };
        let (salt, hash) = self.hash_password(&password).await?;
        self.put(
            "user:admin",
            &StoredUser {
                user: StaffUser {
                    username: "admin".into(),
                    display_name: "中心管理员".into(),
                    role: Role::Admin,
                    department: None,
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

    async fn sign(&self, id: &str) -> std::result::Result<String, Failure> {
        let secret = self.secret("SESSION_SECRET")?;
        Ok(hex(&hmac_sha256(secret.as_bytes(), id.as_bytes()).await?))
    }

    /// The signed-in user, from the signed session cookie.
    async fn session(
        &self,
        req: &Request,
    ) -> std::result::Result<(StaffUser, StoredSession), Failure> {
        let value = cookie_value(req).ok_or(Failure::Unauthorized)?;
        let (id, signature) = value.split_once('.').ok_or(Failure::Unauthorized)?;
        let expected = self.sign(id).await?;
        if !same(expected.as_bytes(), signature.as_bytes()) {
            return Err(Failure::Unauthorized);
        }
        let session: StoredSession = self
            .get(&format!("session:{id}"))
            .await?
            .ok_or(Failure::Unauthorized)?;
        if session.expires_ms < js_sys::Date::now() {
            self.state
                .storage()
                .delete(&format!("session:{id}"))
                .await?;
            return Err(Failure::Unauthorized);
        }
        let user: StoredUser = self
            .get(&format!("user:{}", session.username))
            .await?
            .ok_or(Failure::Unauthorized)?;
        if user.user.disabled {
            self.state
                .storage()
                .delete(&format!("session:{id}"))
                .await?;
            return Err(Failure::Unauthorized);
        }
        Ok((user.user, session))
    }

    async fn handle(&self, mut req: Request) -> Answer {
        self.ensure_admin().await?;
        let path = req.path();
        let segments: Vec<String> = path
            .trim_start_matches("/api/v1/staff")
            .trim_matches('/')
            .split('/')
            .map(crate::decode)
            .collect();
        let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
        let method = req.method();
        // Read the whole body before any answer: the runtime faults an object that
        // answers while the request stream is still unread.
        let body = req.text().await.unwrap_or_default();
        if method == Method::Post && segs == ["login"] {
            return self.login(&req, &body).await;
        }
        let (user, session) = self.session(&req).await?;
        if method != Method::Get && method != Method::Head {
            let token = req
                .headers()
                .get("X-CSRF-Token")
                .ok()
                .flatten()
                .unwrap_or_default();
            if !same(token.as_bytes(), session.csrf.as_bytes()) {
                return Err(Failure::Forbidden(
                    "缺少或错误的 CSRF 令牌（X-CSRF-Token）".into(),
                ));
            }
        }
        match (method, segs.as_slice()) {
            (Method::Get, ["me"]) => json(
                &SessionInfo {
                    user,
                    csrf_token: session.csrf,
                },
                200,
            ),
            (Method::Post, ["logout"]) => self.logout(&req).await,
            (Method::Get, ["items"]) => self.items(&user).await,
            (Method::Get, ["items", code]) => self.item(&user, code).await,
            (Method::Put, ["items", code, "draft"]) => self.save_draft(&user, code, &body).await,
            (Method::Delete, ["items", code, "draft"]) => self.discard_draft(&user, code).await,
            (Method::Get, ["items", code, "diff"]) => self.diff(code, &req).await,
            (Method::Post, ["publish"]) => self.publish(&user, &req, &body).await,
            (Method::Get, ["versions"]) => self.versions().await,
            (Method::Post, ["rollback"]) => self.rollback(&user, &body).await,
            (Method::Get, ["audit"]) => self.audit_log(&user).await,
            (Method::Get, ["users"]) => self.users(&user).await,
            (Method::Post, ["users"]) => self.create_user(&user, &body).await,
            (Method::Patch, ["users", name]) => self.change_account(&user, name, &body).await,
            (Method::Post, ["me", "password"]) => {
                self.change_own_password(&req, &user, &body).await
            }
            (method, ["holidays"]) => self.holidays(&user, method, None, &body).await,
            (method, ["holidays", year]) => self.holidays(&user, method, Some(year), &body).await,
            _ => Err(Failure::not_found(
                "no_route",
                format!("没有这个接口：{path}"),
            )),
        }
    }

    async fn login(&self, req: &Request, text: &str) -> Answer {
        let body: LoginRequest = body_of(text)?;
        if body.username.is_empty()
            || body.username.len() > 64
            || body.password.chars().count() > 256
        {
            return Err(Failure::bad_request(
                "bad_body",
                "用户名或密码长度不对",
                "username",
            ));
        }
        let client = limiter::client_of(req);
        let now = js_sys::Date::now();
        let user_key = format!("login_fails:user:{}", body.username);
        let client_key = format!("login_fails:client:{client}");
        self.begin_attempt(
            &[
                (&user_key, LOGIN_FAILS_PER_USER),
                (&client_key, LOGIN_FAILS_PER_CLIENT),
            ],
            now,
        )
        .await?;
        let stored: Option<StoredUser> = self.get(&format!("user:{}", body.username)).await?;
        let ok = match &stored {
            Some(s) => {
                let hash = pbkdf2(&body.password, &unhex(&s.salt), s.rounds).await?;
                same(&hash, &unhex(&s.hash))
            }
            None => {
                // Same work for unknown names, so timing does not tell which exist.
                pbkdf2(&body.password, &[0; 16], PBKDF2_ROUNDS).await?;
                false
            }
        };
        let Some(stored) = stored.filter(|_| ok) else {
            // The attempt was counted already.
            self.audit(&body.username, "login_failed", &body.username, client)
                .await?;
            return Err(Failure::Unauthorized);
        };
        self.put(&user_key, &Vec::<f64>::new()).await?;
        self.forgive_attempt(&client_key, now).await?;
        if stored.user.disabled {
            // Said only to someone who knows the password.
            return Err(forbidden("账号已停用，请联系中心管理员"));
        }
        let id = random_hex(24)?;
        let csrf = random_hex(24)?;
        self.put(
            &format!("session:{id}"),
            &StoredSession {
                username: stored.user.username.clone(),
                csrf: csrf.clone(),
                expires_ms: now + f64::from(SESSION_SECS) * 1000.0,
            },
        )
        .await?;
        self.audit(
            &stored.user.username,
            "login",
            &stored.user.username,
            String::new(),
        )
        .await?;
        let signature = self.sign(&id).await?;
        let mut response = json(
            &SessionInfo {
                user: stored.user,
                csrf_token: csrf,
            },
            200,
        )?;
        response.headers_mut().set(
            "Set-Cookie",
            &format!("{COOKIE}={id}.{signature}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={SESSION_SECS}"),
        )?;
        Ok(response)
    }

    async fn logout(&self, req: &Request) -> Answer {
        if let Some((id, _)) = cookie_value(req).as_deref().and_then(|v| v.split_once('.')) {
            self.state
                .storage()
                .delete(&format!("session:{id}"))
                .await?;
        }
        let mut response = no_content()?;
        response.headers_mut().set(
            "Set-Cookie",
            &format!("{COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0"),
        )?;
        Ok(response)
    }

    /// The published catalog and its items.
    async fn published(
        &self,
    ) -> std::result::Result<(u32, std::rc::Rc<Catalog>, Vec<Item>), Failure> {
        let store = CatalogStore::open(&self.env)?;
        let version = store.current_version().await?;
        let catalog = store.catalog(version).await?;
        let mut items = Vec::with_capacity(catalog.items.len());
        for entry in &catalog.items {
            let code =
                ItemCode::parse(&entry.code).map_err(|e| Failure::Unavailable(e.to_string()))?;
            if let Some(item) = store.item(version, &code).await? {
                items.push(item);
            }
        }
        Ok((version, catalog, items))
    }

    async fn drafts(&self) -> std::result::Result<HashMap<String, Draft>, Failure> {
        Ok(self
            .list::<Draft>("draft:")
            .await?
            .into_iter()
            .map(|d| (d.item.code.clone(), d))
            .collect())
    }

    fn lint_context(items: &[Item]) -> LintContext {
        LintContext {
            today: clock::today(),
            peers: items.iter().map(PeerLimit::from).collect(),
        }
    }

    async fn items(&self, user: &StaffUser) -> Answer {
        let (_, _, items) = self.published().await?;
        let drafts = self.drafts().await?;
        let ctx = Self::lint_context(&items);
        // Published items, then new items that exist only as drafts.
        let new_items = new_item_drafts(&drafts, &items)
            .into_iter()
            .map(|d| (&d.item, true));
        let rows: Vec<StaffItemRow> = items
            .iter()
            .map(|i| (i, false))
            .chain(new_items)
            .filter(|(i, _)| user.can_list(i))
            .map(|(base, is_new)| {
                let draft = drafts.get(&base.code);
                let current = draft.map(|d| &d.item).unwrap_or(base);
                let findings = lint_item(current, &ctx);
                StaffItemRow {
                    code: base.code.clone(),
                    name: current.name.clone(),
                    department: current.department.clone(),
                    hall: current.hall.clone(),
                    editable: user.can_edit(base),
                    has_draft: draft.is_some(),
                    is_new,
                    errors: findings
                        .iter()
                        .filter(|f| f.severity == Severity::Error)
                        .count(),
                    warnings: findings
                        .iter()
                        .filter(|f| f.severity == Severity::Warning)
                        .count(),
                    withdrawn: current.withdrawn.is_some(),
                }
            })
            .collect();
        json(&rows, 200)
    }

    fn parse_code(code: &str) -> std::result::Result<ItemCode, Failure> {
        ItemCode::parse(code).map_err(|e| Failure::bad_request("bad_code", e.to_string(), "code"))
    }

    async fn item(&self, user: &StaffUser, code: &str) -> Answer {
        let code = Self::parse_code(code)?;
        let (_, _, items) = self.published().await?;
        let published = items.iter().find(|i| i.code == code.as_str()).cloned();
        let draft: Option<Draft> = self.get(&format!("draft:{code}")).await?;
        let Some(basis) = draft.as_ref().map(|d| d.item.clone()).or(published.clone()) else {
            return Err(Failure::not_found(
                "no_item",
                format!("没有编码为 {code} 的事项"),
            ));
        };
        if !user.can_list(&basis) {
            return Err(forbidden("只能查看本部门的事项"));
        }
        let findings = lint_item(&basis, &Self::lint_context(&items));
        json(
            &StaffItem {
                editable: user.can_edit(&basis),
                published,
                draft,
                findings,
            },
            200,
        )
    }

    async fn save_draft(&self, user: &StaffUser, code: &str, text: &str) -> Answer {
        let code = Self::parse_code(code)?;
        let body: SaveDraft = body_of(text)?;
        if body.item.code != code.as_str() {
            return Err(Failure::bad_request(
                "bad_body",
                "事项编码不能修改",
                "item.code",
            ));
        }
        let errors = validate_item(&body.item);
        if let Some(first) = errors.first() {
            let mut error = ApiError::new(
                "invalid_item",
                format!("{}：{}", first.field, first.message),
            );
            error.fields = errors.into_iter().map(|e| e.into()).collect();
            return Err(Failure::BadRequest(error));
        }
        let (_, catalog, items) = self.published().await?;
        if !catalog.halls.iter().any(|h| h.id == body.item.hall) {
            return Err(Failure::bad_request(
                "bad_body",
                "没有这个服务中心",
                "item.hall",
            ));
        }
        let published = items.iter().find(|i| i.code == code.as_str());
        let existing: Option<Draft> = self.get(&format!("draft:{code}")).await?;
        // Both the item as it is and the item as edited must be this editor's department.
        let before = existing.as_ref().map(|d| &d.item).or(published);
        if before.is_some_and(|b| !user.can_edit(b)) || !user.can_edit(&body.item) {
            return Err(forbidden("只能编辑本部门的事项"));
        }
        if let Some(theirs) = &existing {
            if body.base_rev != Some(theirs.rev) {
                let conflict = DraftConflict {
                    error: format!(
                        "{} 已于 {} 保存了新的草稿，请对照后再保存",
                        theirs.saved_by, theirs.saved_at
                    ),
                    code: "draft_conflict".into(),
                    changes: diff_items(&theirs.item, &body.item),
                    yours: body.item,
                    theirs: theirs.clone(),
                };
                return json(&conflict, 409);
            }
        } else if body.base_rev.is_some() {
            return Err(Failure::conflict(
                "draft_gone",
                "草稿已被发布或丢弃，请重新打开事项",
            ));
        }
        let findings = lint_item(&body.item, &Self::lint_context(&items));
        let draft = Draft {
            rev: existing.as_ref().map(|d| d.rev + 1).unwrap_or(1),
            item: body.item,
            saved_by: user.username.clone(),
            saved_at: clock::now_timestamp(),
            findings,
        };
        self.put(&format!("draft:{code}"), &draft).await?;
        let detail = match published {
            Some(p) => format!("{} 处修改", diff_items(p, &draft.item).len()),
            None => "新事项".into(),
        };
        self.audit(
            &user.username,
            "save_draft",
            code.as_str(),
            format!("草稿第 {} 版，{detail}", draft.rev),
        )
        .await?;
        json(&draft, 200)
    }

    async fn discard_draft(&self, user: &StaffUser, code: &str) -> Answer {
        let code = Self::parse_code(code)?;
        let Some(draft) = self.get::<Draft>(&format!("draft:{code}")).await? else {
            return Err(Failure::not_found("no_draft", "没有草稿"));
        };
        if !user.can_edit(&draft.item) {
            return Err(forbidden("只能编辑本部门的事项"));
        }
        self.state
            .storage()
            .delete(&format!("draft:{code}"))
            .await?;
        self.audit(
            &user.username,
            "discard_draft",
            code.as_str(),
            format!("丢弃草稿第 {} 版", draft.rev),
        )
        .await?;
        no_content()
    }

    async fn item_at(&self, code: &ItemCode, which: &str) -> std::result::Result<Item, Failure> {
        if which == "draft" {
            return self
                .get::<Draft>(&format!("draft:{code}"))
                .await?
                .map(|d| d.item)
                .ok_or_else(|| Failure::not_found("no_draft", "没有草稿"));
        }
        let version: u32 = which
            .parse()
            .map_err(|_| Failure::bad_request("bad_version", "版本应为数字或 draft", "from"))?;
        CatalogStore::open(&self.env)?
            .item(version, code)
            .await?
            .ok_or_else(|| Failure::not_found("no_item", format!("第 {version} 版中没有该事项")))
    }

    async fn diff(&self, code: &str, req: &Request) -> Answer {
        let code = Self::parse_code(code)?;
        let current = CatalogStore::open(&self.env)?
            .current_version()
            .await?
            .to_string();
        let from = query_param(req, "from").unwrap_or_else(|| current.clone());
        let to = query_param(req, "to").unwrap_or_else(|| "draft".into());
        let before = self.item_at(&code, &from).await?;
        let after = self.item_at(&code, &to).await?;
        json(&diff_items(&before, &after), 200)
    }

    async fn latest(&self, current: u32) -> std::result::Result<u32, Failure> {
        Ok(self
            .get::<u32>("latest_version")
            .await?
            .unwrap_or(current)
            .max(current))
    }

    /// Publishes the drafts as a new catalog version.
    async fn publish(&self, user: &StaffUser, req: &Request, text: &str) -> Answer {
        if user.role != Role::Admin {
            return Err(forbidden("只有中心管理员可以发布"));
        }
        let request: PublishRequest = body_of(text)?;
        let fault_after: Option<usize> = self
            .env
            .var("FAULT_INJECTION")
            .ok()
            .filter(|v| v.to_string() == "1")
            .and_then(|_| req.headers().get("X-Fault-After-Writes").ok().flatten())
            .and_then(|v| v.parse().ok());
        let (current, catalog, published) = self.published().await?;
        let drafts = self.drafts().await?;
        if drafts.is_empty() {
            return Err(Failure::conflict("nothing_to_publish", "没有待发布的草稿"));
        }
        let today = clock::today().to_string();
        let mut changed = Vec::new();
        let mut items: Vec<Item> = published
            .iter()
            .map(|p| match drafts.get(&p.code) {
                Some(d) => {
                    changed.push(p.code.clone());
                    let mut item = d.item.clone();
                    item.version = p.version + 1;
                    item.updated_at = today.clone();
                    item
                }
                None => p.clone(),
            })
            .collect();
        // New items join at version 1.
        for draft in new_item_drafts(&drafts, &published) {
            changed.push(draft.item.code.clone());
            let mut item = draft.item.clone();
            item.version = 1;
            item.updated_at = today.clone();
            items.push(item);
        }
        let report = lint_catalog(&items, clock::today(), &[]);
        let findings_of = |severity: Severity| -> Vec<ItemFindings> {
            report
                .iter()
                .filter(|(code, _)| changed.contains(code))
                .filter_map(|(code, findings)| {
                    let picked: Vec<Finding> = findings
                        .iter()
                        .filter(|f| f.severity == severity)
                        .cloned()
                        .collect();
                    (!picked.is_empty()).then(|| ItemFindings {
                        code: code.clone(),
                        name: items
                            .iter()
                            .find(|i| &i.code == code)
                            .map(|i| i.name.clone())
                            .unwrap_or_default(),
                        findings: picked,
                    })
                })
                .collect()
        };
        let errors = findings_of(Severity::Error);
        let warnings = findings_of(Severity::Warning);
        if !errors.is_empty() || (!warnings.is_empty() && !request.acknowledge_warnings) {
            let error = if errors.is_empty() {
                "有提醒尚未确认：请阅读后勾选“已知晓”再发布".to_string()
            } else {
                format!("{} 个事项仍有错误，不能发布", errors.len())
            };
            let code = if errors.is_empty() {
                "warnings_unacknowledged"
            } else {
                "lint_errors"
            };
            return json(
                &PublishRefused {
                    error,
                    code: code.into(),
                    errors,
                    warnings,
                },
                409,
            );
        }

        let version = self.latest(current).await? + 1;
        let kv = self.env.kv("CATALOG")?;
        let mut writes = 0usize;
        let mut write = |key: String, value: String| {
            writes += 1;
            let stop = fault_after.is_some_and(|n| writes > n);
            (key, value, stop)
        };
        // 1. Every key of the new version; readers cannot see any of it yet.
        let mut pending: Vec<(String, String, bool)> = items
            .iter()
            .map(|item| {
                write(
                    format!("item:v{version}:{}", item.code),
                    serde_json::to_string(item).unwrap_or_default(),
                )
            })
            .collect();
        let new_catalog = Catalog {
            version,
            published_at: today.clone(),
            halls: catalog.halls.clone(),
            life_events: catalog.life_events.clone(),
            items: items.iter().map(CatalogEntry::from).collect(),
        };
        pending.push(write(
            format!("catalog:v{version}"),
            serde_json::to_string(&new_catalog).unwrap_or_default(),
        ));
        let index = self.search_index(&items, version, current).await?;
        pending.push(write(
            format!("search:v{version}"),
            serde_json::to_string(&index).unwrap_or_default(),
        ));
        for (key, value, stop) in pending {
            if stop {
                self.audit(
                    &user.username,
                    "publish_interrupted",
                    &version.to_string(),
                    format!("写入 {key} 前中断"),
                )
                .await?;
                return Err(Failure::Unavailable(format!(
                    "publish interrupted before {key} (fault injection)"
                )));
            }
            kv.put(&key, value)?.execute().await?;
        }
        // 2. The one write that makes it visible.
        kv.put("meta:current", version.to_string())?
            .execute()
            .await?;
        self.put("latest_version", &version).await?;
        for code in &changed {
            self.state
                .storage()
                .delete(&format!("draft:{code}"))
                .await?;
        }
        let info = VersionInfo {
            version,
            published_at: clock::now_timestamp(),
            published_by: user.username.clone(),
            note: request.note.filter(|n| !n.trim().is_empty()),
            changed: changed.clone(),
            items: items.len(),
        };
        self.put(&format!("version:{version:08}"), &info).await?;
        self.audit(
            &user.username,
            "publish",
            &version.to_string(),
            format!("基于第 {current} 版，修改 {}", changed.join("、")),
        )
        .await?;
        json(&info, 200)
    }

    /// The search index of the new version. Pinyin comes from the seed's table
    /// (`pinyin:table`, written at seed time) so no pinyin data ships in the worker.
    async fn search_index(
        &self,
        items: &[Item],
        version: u32,
        current: u32,
    ) -> std::result::Result<SearchIndex, Failure> {
        let kv = self.env.kv("CATALOG")?;
        let table: HashMap<char, String> = match kv.get("pinyin:table").text().await? {
            Some(text) => serde_json::from_str::<HashMap<String, String>>(&text)
                .map_err(|e| Failure::Unavailable(format!("pinyin:table: {e}")))?
                .into_iter()
                .filter_map(|(k, v)| Some((k.chars().next()?, v)))
                .collect(),
            None => {
                worker::console_warn!(
                    "pinyin:table missing; search v{version} built from v{current}'s pinyin only"
                );
                HashMap::new()
            }
        };
        Ok(build_index(items, version, |c| table.get(&c).cloned()))
    }

    async fn versions(&self) -> Answer {
        let current = CatalogStore::open(&self.env)?.current_version().await?;
        let mut versions: Vec<VersionInfo> = self.list("version:").await?;
        if !versions.iter().any(|v| v.version == 1) {
            versions.insert(
                0,
                VersionInfo {
                    version: 1,
                    published_at: String::new(),
                    published_by: "初始目录（导入）".into(),
                    note: None,
                    changed: Vec::new(),
                    items: 0,
                },
            );
        }
        versions.reverse();
        json(&Versions { current, versions }, 200)
    }

    async fn rollback(&self, user: &StaffUser, text: &str) -> Answer {
        if user.role != Role::Admin {
            return Err(forbidden("只有中心管理员可以回退"));
        }
        let body: RollbackRequest = body_of(text)?;
        let store = CatalogStore::open(&self.env)?;
        let current = store.current_version().await?;
        if store.catalog(body.version).await.is_err() {
            return Err(Failure::bad_request(
                "bad_body",
                format!("没有第 {} 版", body.version),
                "version",
            ));
        }
        let latest = self.latest(current).await?;
        self.put("latest_version", &latest).await?;
        self.env
            .kv("CATALOG")?
            .put("meta:current", body.version.to_string())?
            .execute()
            .await?;
        self.audit(
            &user.username,
            "rollback",
            &body.version.to_string(),
            format!("从第 {current} 版回退"),
        )
        .await?;
        self.versions().await
    }

    async fn audit_log(&self, user: &StaffUser) -> Answer {
        if user.role == Role::Editor {
            return Err(forbidden("审计日志仅管理员和只读账号可查看"));
        }
        let mut entries: Vec<AuditEntry> = self.list("audit:").await?;
        entries.reverse();
        json(&entries, 200)
    }
}
