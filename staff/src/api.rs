//! Typed client of the staff API (`/api/v1/staff/*`). The session lives in an HttpOnly
//! cookie; every state-changing request echoes the session's CSRF token in a header.

use std::cell::RefCell;

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use thiserror::Error;
use zhinan_domain::accounts::StaffUser;
use zhinan_domain::api::cases::{Accepted, CaseList, DeskReceipt, ProxyIssued, ProxyList};
use zhinan_domain::api::staff::{
    AccountChange, AuditPage, Draft, DraftConflict, ImportReport, LoginRequest, NewUser,
    PasswordChange, PublishJob, PublishRefused, PublishRequest, QualityReport, RollbackRequest,
    SaveDraft, SessionInfo, StaffItem, StaffItemPage, Versions,
};
use zhinan_domain::api::ApiError as ErrorBody;
use zhinan_domain::calendar::notice::{CalendarListing, NoticeEntry};
use zhinan_domain::cases::{Case, ProxyRequest};
use zhinan_domain::catalog::diff::Change;
use zhinan_domain::catalog::poster::{IssuedPosters, PosterListing, PrintRequest};
use zhinan_domain::catalog::search::words::{CitizenWord, ReplaceWords, SearchWords};
use zhinan_domain::metrics::MetricsReport;
use zhinan_domain::{Directory, Item};

const BASE: &str = "/api/v1/staff";

#[derive(Debug, Clone, Error)]
pub enum ApiError {
    #[error("网络连接失败，请检查网络后重试")]
    Network,
    #[error("登录已失效，请重新登录")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("没有找到")]
    NotFound,
    #[error("尝试次数过多，请稍后再试")]
    TooManyRequests,
    #[error("服务器返回的数据无法读取")]
    Decode,
    /// 400: the body did not fit; the fields at fault are named.
    #[error("{}", .0.error)]
    Invalid(ErrorBody),
    /// 409 on saving a draft: someone else saved first.
    #[error("{}", .0.error)]
    Conflict(Box<DraftConflict>),
    /// 409 on publishing: errors remain or warnings were not acknowledged.
    #[error("{}", .0.error)]
    Refused(Box<PublishRefused>),
    #[error("{0}")]
    Server(String),
}

thread_local! {
    /// The CSRF token of the current session (from login or `me`).
    static CSRF: RefCell<String> = const { RefCell::new(String::new()) };
}

fn remember(session: &SessionInfo) {
    CSRF.with(|c| *c.borrow_mut() = session.csrf_token.clone());
}

fn forget() {
    CSRF.with(|c| c.borrow_mut().clear());
}

fn with_csrf(builder: RequestBuilder) -> RequestBuilder {
    let token = CSRF.with(|c| c.borrow().clone());
    builder.header("X-CSRF-Token", &token)
}

/// Maps a non-2xx answer to an error (409 bodies are decoded by their callers).
async fn failure(response: Response) -> ApiError {
    let status = response.status();
    let body = response.json::<ErrorBody>().await.ok();
    let message = |fallback: String| body.as_ref().map(|b| b.error.clone()).unwrap_or(fallback);
    match status {
        401 => ApiError::Unauthorized,
        403 => ApiError::Forbidden(message("没有权限进行这项操作".into())),
        404 => ApiError::NotFound,
        429 => ApiError::TooManyRequests,
        400 | 422 => match body {
            Some(b) => ApiError::Invalid(b),
            None => ApiError::Server(format!("请求有误（{status}）")),
        },
        _ => ApiError::Server(message(format!("服务器错误（{status}）"))),
    }
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiError> {
    request
        .map_err(|_| ApiError::Decode)?
        .send()
        .await
        .map_err(|_| ApiError::Network)
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    response.json().await.map_err(|_| ApiError::Decode)
}

async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    let response = send(Request::get(url).build()).await?;
    if response.ok() {
        decode(response).await
    } else {
        Err(failure(response).await)
    }
}

async fn post<B: Serialize>(url: &str, body: &B) -> Result<Response, ApiError> {
    send(with_csrf(Request::post(url)).json(body)).await
}

/// The signed-in session, or `None` when nobody is signed in.
pub async fn me() -> Result<Option<SessionInfo>, ApiError> {
    match get::<SessionInfo>(&format!("{BASE}/me")).await {
        Ok(session) => {
            remember(&session);
            Ok(Some(session))
        }
        Err(ApiError::Unauthorized) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn login(username: String, password: String) -> Result<SessionInfo, ApiError> {
    let body = LoginRequest { username, password };
    let response = send(Request::post(&format!("{BASE}/login")).json(&body)).await?;
    if !response.ok() {
        return Err(failure(response).await);
    }
    let session: SessionInfo = decode(response).await?;
    remember(&session);
    Ok(session)
}

pub async fn logout() -> Result<(), ApiError> {
    let response = send(with_csrf(Request::post(&format!("{BASE}/logout"))).build()).await?;
    forget();
    if response.ok() || response.status() == 401 {
        Ok(())
    } else {
        Err(failure(response).await)
    }
}

/// What the item list asks the server for: filters, search text and the page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemQuery {
    pub q: String,
    /// A hall's items only (the desk's picker).
    pub hall: String,
    pub status: String,
    pub department: String,
    /// A lint rule id: the items that break it.
    pub rule: String,
    pub after: String,
    pub limit: usize,
}

pub async fn items(query: &ItemQuery) -> Result<StaffItemPage, ApiError> {
    let mut params = vec![];
    for (name, value) in [
        ("q", query.q.trim()),
        ("status", query.status.as_str()),
        ("department", query.department.as_str()),
        ("hall", query.hall.as_str()),
        ("rule", query.rule.as_str()),
        ("after", query.after.as_str()),
    ] {
        if !value.is_empty() {
            params.push(format!("{name}={}", js_sys::encode_uri_component(value)));
        }
    }
    if query.limit > 0 {
        params.push(format!("limit={}", query.limit));
    }
    get(&format!("{BASE}/items?{}", params.join("&"))).await
}

pub async fn item(code: &str) -> Result<StaffItem, ApiError> {
    get(&format!("{BASE}/items/{code}")).await
}

pub async fn save_draft(item: Item, base_rev: Option<u64>) -> Result<Draft, ApiError> {
    let url = format!("{BASE}/items/{}/draft", item.code);
    let body = SaveDraft { item, base_rev };
    let response = send(with_csrf(Request::put(&url)).json(&body)).await?;
    match response.status() {
        200 | 201 => decode(response).await,
        409 => Err(match response.json::<DraftConflict>().await {
            Ok(conflict) => ApiError::Conflict(Box::new(conflict)),
            Err(_) => ApiError::Server("保存冲突：草稿已被他人修改，请刷新后重试".into()),
        }),
        _ => Err(failure(response).await),
    }
}

pub async fn discard_draft(code: &str) -> Result<(), ApiError> {
    let url = format!("{BASE}/items/{code}/draft");
    let response = send(with_csrf(Request::delete(&url)).build()).await?;
    if response.ok() {
        Ok(())
    } else {
        Err(failure(response).await)
    }
}

pub async fn publish(
    acknowledge_warnings: bool,
    note: Option<String>,
    codes: Option<Vec<String>>,
) -> Result<PublishJob, ApiError> {
    let body = PublishRequest {
        acknowledge_warnings,
        note,
        codes,
        department: None,
    };
    let response = post(&format!("{BASE}/publish"), &body).await?;
    match response.status() {
        // 202: accepted, going on in the background.
        200..=202 => decode(response).await,
        409 => Err(match response.json::<PublishRefused>().await {
            Ok(refused) => ApiError::Refused(Box::new(refused)),
            Err(_) => ApiError::Server("发布被拒绝".into()),
        }),
        _ => Err(failure(response).await),
    }
}

/// The latest publish and how far it got.
pub async fn publish_status() -> Result<Option<PublishJob>, ApiError> {
    get(&format!("{BASE}/publish")).await
}

pub async fn versions() -> Result<Versions, ApiError> {
    get(&format!("{BASE}/versions")).await
}

pub async fn rollback(version: u32) -> Result<Versions, ApiError> {
    let response = post(&format!("{BASE}/rollback"), &RollbackRequest { version }).await?;
    if response.ok() {
        decode(response).await
    } else {
        Err(failure(response).await)
    }
}

/// Changes of one item between two versions; `to` is a version number or `draft`.
pub async fn diff(code: &str, from: &str, to: &str) -> Result<Vec<Change>, ApiError> {
    get(&format!("{BASE}/items/{code}/diff?from={from}&to={to}")).await
}

pub async fn users() -> Result<Vec<StaffUser>, ApiError> {
    get(&format!("{BASE}/users")).await
}

pub async fn create_user(user: NewUser) -> Result<StaffUser, ApiError> {
    let response = post(&format!("{BASE}/users"), &user).await?;
    if response.ok() {
        decode(response).await
    } else {
        Err(failure(response).await)
    }
}

/// Stops or restores an account, or sets a new password for it (admin).
pub async fn change_account(username: &str, change: &AccountChange) -> Result<StaffUser, ApiError> {
    let url = format!("{BASE}/users/{username}");
    let response = send(with_csrf(Request::patch(&url)).json(change)).await?;
    if response.ok() {
        decode(response).await
    } else {
        Err(failure(response).await)
    }
}

/// Changes the signed-in user's own password.
pub async fn change_password(change: &PasswordChange) -> Result<StaffUser, ApiError> {
    let response = post(&format!("{BASE}/me/password"), change).await?;
    if response.ok() {
        decode(response).await
    } else {
        Err(failure(response).await)
    }
}

/// What the audit page asks for: filters (empty = any) and the page start.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditQuery {
    pub who: String,
    pub action: String,
    pub target: String,
    pub before: Option<i64>,
}

pub async fn audit(query: &AuditQuery) -> Result<AuditPage, ApiError> {
    let mut params = vec![];
    for (name, value) in [
        ("who", query.who.trim()),
        ("action", query.action.as_str()),
        ("target", query.target.trim()),
    ] {
        if !value.is_empty() {
            params.push(format!("{name}={}", js_sys::encode_uri_component(value)));
        }
    }
    if let Some(before) = query.before {
        params.push(format!("before={before}"));
    }
    get(&format!("{BASE}/audit?{}", params.join("&"))).await
}

/// The holiday schedules due dates are counted with (read back from the editorial object,
/// so an entry just made shows at once).
pub async fn holidays() -> Result<CalendarListing, ApiError> {
    get(&format!("{BASE}/holidays")).await
}

/// Enters or replaces one year's schedule (admin).
pub async fn enter_holidays(year: i32, entry: &NoticeEntry) -> Result<CalendarListing, ApiError> {
    let url = format!("{BASE}/holidays/{year}");
    let response = send(with_csrf(Request::put(&url)).json(entry)).await?;
    if response.ok() {
        decode(response).await
    } else {
        Err(failure(response).await)
    }
}

/// Withdraws a year staff entered (admin).
pub async fn withdraw_holidays(year: i32) -> Result<CalendarListing, ApiError> {
    let url = format!("{BASE}/holidays/{year}");
    let response = send(with_csrf(Request::delete(&url)).build()).await?;
    if response.ok() {
        decode(response).await
    } else {
        Err(failure(response).await)
    }
}

/// The search's citizens' words: shipped and the hall's additions (read back from the
/// editorial object, so a save shows at once).
pub async fn search_words() -> Result<SearchWords, ApiError> {
    get(&format!("{BASE}/search-words")).await
}

/// Replaces the hall's additions (admin).
pub async fn replace_search_words(words: Vec<CitizenWord>) -> Result<SearchWords, ApiError> {
    let url = format!("{BASE}/search-words");
    let body = ReplaceWords { words };
    let response = send(with_csrf(Request::put(&url)).json(&body)).await?;
    if response.ok() {
        decode(response).await
    } else {
        Err(failure(response).await)
    }
}

/// The public catalog's halls (for hall names in the preview).
pub async fn catalog() -> Result<Directory, ApiError> {
    get("/api/v1/halls").await
}

/// The media type an import is sent as, by the file's extension (browsers report .csv
/// files differently from one system to the next).
pub fn import_type(file_name: &str) -> Option<&'static str> {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".xlsx") {
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    } else if lower.ends_with(".csv") {
        Some("text/csv")
    } else if lower.ends_with(".json") {
        Some("application/json")
    } else {
        None
    }
}

/// `POST /import[?dry_run=true]`: the file as the body; the report of every row.
pub async fn import(file: web_sys::File, dry_run: bool) -> Result<ImportReport, ApiError> {
    let media = import_type(&file.name())
        .ok_or_else(|| ApiError::Server("请选择 XLSX、CSV 或 JSON 文件".to_string()))?;
    let url = format!("{BASE}/import?dry_run={dry_run}");
    let request = with_csrf(Request::post(&url))
        .header("Content-Type", media)
        .body(wasm_bindgen::JsValue::from(file));
    let response = send(request).await?;
    if response.ok() {
        decode(response).await
    } else {
        Err(failure(response).await)
    }
}

/// Issues a sheet of QR posters (admins; editors for their department).
pub async fn print_posters(request: &PrintRequest) -> Result<IssuedPosters, ApiError> {
    let response = post(&format!("{BASE}/posters"), request).await?;
    if response.ok() {
        decode(response).await
    } else {
        Err(failure(response).await)
    }
}

/// The posters issued, newest first (the first page); with a hall, their scans.
pub async fn posters(hall: String) -> Result<PosterListing, ApiError> {
    if hall.is_empty() {
        get(&format!("{BASE}/posters")).await
    } else {
        get(&format!(
            "{BASE}/posters?hall={}",
            js_sys::encode_uri_component(&hall)
        ))
        .await
    }
}

/// Retires a poster whose sticker was removed.
pub async fn retire_poster(serial: &str) -> Result<(), ApiError> {
    let url = format!(
        "{BASE}/posters/{}/retire",
        js_sys::encode_uri_component(serial)
    );
    let response = post(&url, &serde_json::json!({})).await?;
    if response.ok() {
        Ok(())
    } else {
        Err(failure(response).await)
    }
}

/// The query string of the metrics for cases accepted from `from` to `to` (YYYY-MM-DD;
/// empty leaves the server's default, this year).
pub fn metrics_query(from: &str, to: &str) -> String {
    [("from", from), ("to", to)]
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={}", js_sys::encode_uri_component(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `GET /metrics`: the assessment figures per hall and department, and the case metrics
/// of the period in `query` ([`metrics_query`]).
pub async fn metrics(query: String) -> Result<MetricsReport, ApiError> {
    get(&format!("{BASE}/metrics?{query}")).await
}

/// `GET /desk/{hall}/cases`: the hall's cases, overdue first; `clerk` narrows them to
/// one account's; `all` keeps closed ones.
pub async fn desk_cases(hall: &str, clerk: &str, all: bool) -> Result<CaseList, ApiError> {
    get(&format!(
        "{BASE}/desk/{}/cases?{}",
        js_sys::encode_uri_component(hall),
        desk_query(clerk, all)
    ))
    .await
}

/// The query of the desk's list and of its CSV.
pub fn desk_query(clerk: &str, all: bool) -> String {
    let mut params = Vec::new();
    if !clerk.trim().is_empty() {
        params.push(format!(
            "clerk={}",
            js_sys::encode_uri_component(clerk.trim())
        ));
    }
    if all {
        params.push("all=1".to_string());
    }
    params.join("&")
}

/// Posts `body` to a desk endpoint and decodes the answer.
async fn desk_post<B: Serialize, T: DeserializeOwned>(url: &str, body: &B) -> Result<T, ApiError> {
    let response = post(url, body).await?;
    if response.ok() {
        decode(response).await
    } else {
        Err(failure(response).await)
    }
}

/// Posts `body` with an idempotency key (`attempt`): sent again after a dropped
/// connection, it gets the first try's answer, never a second registration.
async fn desk_post_keyed<T: DeserializeOwned>(
    url: &str,
    body: &serde_json::Value,
    attempt: &str,
) -> Result<T, ApiError> {
    let response = send(
        with_csrf(Request::post(url))
            .header("Idempotency-Key", attempt)
            .json(body),
    )
    .await?;
    if response.ok() {
        decode(response).await
    } else {
        Err(failure(response).await)
    }
}

/// `POST /desk/{hall}/cases`: 受理, keyed by its `attempt`.
pub async fn desk_accept(
    hall: &str,
    body: &serde_json::Value,
    attempt: &str,
) -> Result<Accepted, ApiError> {
    let url = format!("{BASE}/desk/{}/cases", js_sys::encode_uri_component(hall));
    desk_post_keyed(&url, body, attempt).await
}

/// `POST /desk/{hall}/cases/{number}/events`: a step.
pub async fn desk_event(
    hall: &str,
    number: &str,
    body: &serde_json::Value,
) -> Result<Case, ApiError> {
    let url = format!(
        "{BASE}/desk/{}/cases/{}/events",
        js_sys::encode_uri_component(hall),
        js_sys::encode_uri_component(number)
    );
    desk_post(&url, body).await
}

/// `POST /desk/{hall}/cases/{number}/follow-ups`: a call back about a 差评.
pub async fn desk_follow_up(
    hall: &str,
    number: &str,
    body: &serde_json::Value,
) -> Result<Case, ApiError> {
    let url = format!(
        "{BASE}/desk/{}/cases/{}/follow-ups",
        js_sys::encode_uri_component(hall),
        js_sys::encode_uri_component(number)
    );
    desk_post(&url, body).await
}

/// `GET /desk/receipts/{number}`: the receipt to print, for a signed-in clerk.
pub async fn desk_receipt(number: &str) -> Result<DeskReceipt, ApiError> {
    get(&format!(
        "{BASE}/desk/receipts/{}",
        js_sys::encode_uri_component(number)
    ))
    .await
}

/// `GET /desk/{hall}/proxy`: a village's 代办 requests, or those handed to a hall.
pub async fn desk_proxies(hall: &str, all: bool) -> Result<ProxyList, ApiError> {
    get(&format!(
        "{BASE}/desk/{}/proxy{}",
        js_sys::encode_uri_component(hall),
        if all { "?all=1" } else { "" }
    ))
    .await
}

/// `POST /desk/{village}/proxy`: register a 代办 request, keyed by its `attempt`.
pub async fn desk_proxy_register(
    village: &str,
    body: &serde_json::Value,
    attempt: &str,
) -> Result<ProxyIssued, ApiError> {
    let url = format!(
        "{BASE}/desk/{}/proxy",
        js_sys::encode_uri_component(village)
    );
    desk_post_keyed(&url, body, attempt).await
}

/// `POST /desk/{village}/proxy/{number}/steps`: a step of the village leg.
pub async fn desk_proxy_step(
    village: &str,
    number: &str,
    body: &serde_json::Value,
) -> Result<ProxyRequest, ApiError> {
    let url = format!(
        "{BASE}/desk/{}/proxy/{}/steps",
        js_sys::encode_uri_component(village),
        js_sys::encode_uri_component(number)
    );
    desk_post(&url, body).await
}

/// `POST /desk/{hall}/proxy/{number}/accept`: the hall accepts a handed-over request.
pub async fn desk_proxy_accept(hall: &str, number: &str) -> Result<Case, ApiError> {
    let url = format!(
        "{BASE}/desk/{}/proxy/{}/accept",
        js_sys::encode_uri_component(hall),
        js_sys::encode_uri_component(number)
    );
    desk_post(&url, &serde_json::json!({})).await
}

/// `GET /desk/proxy-slips/{number}`: the 委托书 and checklist to print.
pub async fn desk_proxy_slip(number: &str) -> Result<ProxyIssued, ApiError> {
    get(&format!(
        "{BASE}/desk/proxy-slips/{}",
        js_sys::encode_uri_component(number)
    ))
    .await
}

/// `GET /quality`: findings by rule and by department.
pub async fn quality() -> Result<QualityReport, ApiError> {
    get(&format!("{BASE}/quality")).await
}
