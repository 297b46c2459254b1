//! Cases (办件): staff and back-office systems accept cases and record events with a
//! hall API key; citizens look up progress and rate with the receipt number plus the
//! query code printed only on the receipt.
//!
//! Each case lives in its own Durable Object (`case_object`), the only writer of its
//! events. KV keeps a row per case (`case:{hall}:{number}`, the row in the metadata) so
//! a hall's list is one `list` call.

use serde::{Deserialize, Serialize};
use worker::{Env, Request, Response};
use zhinan_domain::api::{parse_body, ApiError};
use zhinan_domain::calendar::HolidayCalendar;
use zhinan_domain::cases::progress::{sort_for_staff, CaseRow, Progress};
use zhinan_domain::cases::receipt::{QueryCode, ReceiptNumber};
use zhinan_domain::cases::{beijing_time, Case, CaseEvent, Delivery, EventKind, NewCase, Rating};
use zhinan_domain::{FieldPath, ItemCode};

use crate::case_object::{self, CaseCommand};
use crate::respond::{json_no_store, secure, Failure};
use crate::store::CatalogStore;
use crate::{auth, clock, holidays, limiter, pages, qr};
use zhinan_ui::{Lookup, Page, PageData};

type Answer = Result<Response, Failure>;

/// Public lookups allowed per client address per ten minutes.
const CLIENT_LOOKUPS: usize = 30;
const CLIENT_WINDOW_MS: f64 = 10.0 * 60.0 * 1000.0;
const MAX_NAME: usize = 30;
const MAX_TEXT: usize = 200;

fn index_kv(env: &Env) -> Result<worker::kv::KvStore, Failure> {
    Ok(env.kv("CASES")?)
}

fn json(value: &impl Serialize, status: u16) -> Answer {
    Ok(json_no_store(value, status)?)
}

async fn body_of<T: serde::de::DeserializeOwned>(req: &mut Request) -> Result<T, Failure> {
    let text = req.text().await?;
    parse_body(&text).map_err(|e| Failure::bad_request("bad_body", e.message, e.field))
}

fn text_field(field: &str, value: &str, max: usize) -> Result<(), Failure> {
    let count = value.trim().chars().count();
    if count == 0 {
        Err(Failure::bad_request("bad_body", "不能为空", field))
    } else if count > max {
        Err(Failure::bad_request(
            "bad_body",
            format!("不能超过 {max} 字"),
            field,
        ))
    } else {
        Ok(())
    }
}

fn parse_number(raw: &str, field: &str) -> Result<ReceiptNumber, Failure> {
    ReceiptNumber::parse(raw).map_err(|e| Failure::bad_request("bad_number", e.to_string(), field))
}

/// Turns a case object's non-success answer into the same failure for our caller.
async fn object_failure(mut response: Response) -> Failure {
    let status = response.status_code();
    let body: ApiError = response
        .json()
        .await
        .unwrap_or_else(|_| ApiError::new("unavailable", "办件存储暂不可用"));
    match status {
        400 => Failure::BadRequest(body),
        404 => Failure::NotFound(body),
        409 => Failure::Conflict(body),
        429 => {
            let wait = response
                .headers()
                .get("Retry-After")
                .ok()
                .flatten()
                .and_then(|v| v.parse().ok())
                .unwrap_or(60);
            Failure::TooMany(wait)
        }
        _ => Failure::Unavailable(format!("case object answered {status}: {}", body.error)),
    }
}

async fn command(env: &Env, number: &str, cmd: &CaseCommand) -> Result<Case, Failure> {
    let mut response = case_object::send(env, number, cmd).await?;
    if response.status_code() >= 300 {
        return Err(object_failure(response).await);
    }
    response
        .json()
        .await
        .map_err(|e| Failure::Unavailable(format!("case object reply: {e}")))
}

/// KV metadata is capped at 1024 bytes.
const ROW_BYTES: usize = 1000;
/// Rows stored before rows carried their clock, brought up to date per list call.
const UPGRADES_PER_LIST: usize = 20;

/// Keeps the hall's list row of a case current (`calendar`: the one in effect, which the
/// caller has read already).
async fn index(env: &Env, case: &Case, calendar: &HolidayCalendar) -> Result<(), Failure> {
    let mut row = CaseRow::of(case, clock::today(), calendar);
    row.fit_within(ROW_BYTES);
    index_kv(env)?
        .put(&format!("case:{}:{}", case.hall, case.number), "")?
        .metadata(&row)?
        .execute()
        .await?;
    Ok(())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Import {
    number: String,
    query_code: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AcceptBody {
    item_code: String,
    applicant_name: String,
    delivery: Delivery,
    /// Staff member or system recording the acceptance.
    by: String,
    /// Defaults to the item's window.
    #[serde(default)]
    window: Option<String>,
    /// Back-office import of a case accepted earlier: when it was accepted…
    #[serde(default)]
    accepted_at: Option<String>,
    /// …and the receipt already issued on paper.
    #[serde(default)]
    receipt: Option<Import>,
}

#[derive(Debug, Serialize)]
struct Accepted {
    number: String,
    query_code: String,
    due: zhinan_domain::Date,
    /// Page the window prints for the applicant (the query code travels in the fragment).
    receipt_url: String,
    case: Case,
}

/// `POST /api/v1/halls/{hall}/cases`: accept (受理) a case and issue its receipt.
pub async fn accept(mut req: Request, env: &Env, hall: &str, origin: &str) -> Answer {
    // Body first: answering with the request stream unread makes the runtime complain.
    let text = req.text().await?;
    auth::require_hall(&req, env, hall)?;
    let body: AcceptBody =
        parse_body(&text).map_err(|e| Failure::bad_request("bad_body", e.message, e.field))?;
    let code = ItemCode::parse(&body.item_code)
        .map_err(|e| Failure::bad_request("bad_body", e.to_string(), "item_code"))?;
    text_field("applicant_name", &body.applicant_name, MAX_NAME)?;
    text_field("by", &body.by, MAX_NAME)?;
    if let Some(window) = &body.window {
        text_field("window", window, MAX_NAME)?;
    }
    let store = CatalogStore::open(env)?;
    let version = store.current_version().await?;
    let item = store
        .item(version, &code)
        .await?
        .ok_or_else(|| Failure::bad_request("bad_body", "目录中没有该事项", "item_code"))?;
    if item.hall != hall {
        return Err(Failure::bad_request(
            "bad_body",
            "该事项不在本中心办理",
            "item_code",
        ));
    }
    let accepted_at = match &body.accepted_at {
        None => clock::now_timestamp(),
        Some(at) => match beijing_time(at) {
            Some((date, _)) if date <= clock::today() => at.clone(),
            Some(_) => {
                return Err(Failure::bad_request(
                    "bad_body",
                    "受理时间不能晚于现在",
                    "accepted_at",
                ))
            }
            None => {
                return Err(Failure::bad_request(
                    "bad_body",
                    "时间格式应为 RFC 3339，如 2026-11-02T09:00:00+08:00",
                    "accepted_at",
                ))
            }
        },
    };
    let (number, query_code) = match &body.receipt {
        Some(import) => (
            parse_number(&import.number, "receipt.number")?,
            QueryCode::parse(&import.query_code).map_err(|e| {
                Failure::bad_request("bad_body", e.to_string(), "receipt.query_code")
            })?,
        ),
        None => (
            ReceiptNumber::generate(&clock::random_bytes(ReceiptNumber::RANDOM_BYTES as u32)?),
            QueryCode::generate(&clock::random_bytes(QueryCode::RANDOM_BYTES as u32)?),
        ),
    };
    let calendar = holidays::calendar(env).await?;
    let case = Case::open(
        NewCase {
            number: number.clone(),
            item_code: item.code.clone(),
            item_version: item.version,
            item_name: item.name.clone(),
            hall: hall.to_string(),
            window: body.window.clone().unwrap_or_else(|| item.window.clone()),
            accepted_at,
            promised_limit: item.promised_limit,
            delivery: body.delivery,
            applicant_name: body.applicant_name.clone(),
            by: body.by.clone(),
        },
        &calendar,
    )
    .map_err(|e| Failure::bad_request("bad_body", e.to_string(), "body"))?;
    let case = command(
        env,
        number.as_compact(),
        &CaseCommand::Create {
            case: Box::new(case),
            query_code: query_code.as_str().to_string(),
        },
    )
    .await?;
    index(env, &case, &calendar).await?;
    let receipt_url = format!(
        "{origin}/staff/receipt/{}#q={}",
        number.as_compact(),
        query_code.as_str()
    );
    json(
        &Accepted {
            number: number.to_string(),
            query_code: query_code.as_str().to_string(),
            due: case.due,
            receipt_url,
            case,
        },
        201,
    )
}

// No `deny_unknown_fields`: serde cannot combine it with `flatten`.
#[derive(Debug, Deserialize)]
struct EventBody {
    #[serde(flatten)]
    kind: EventKind,
    by: String,
    #[serde(default)]
    note: Option<String>,
    /// For back-office systems syncing events that happened earlier; default now.
    #[serde(default)]
    at: Option<String>,
}

/// `POST /api/v1/halls/{hall}/cases/{number}/events`: append an event.
pub async fn append(mut req: Request, env: &Env, hall: &str, raw_number: &str) -> Answer {
    let text = req.text().await?;
    auth::require_hall(&req, env, hall)?;
    let number = parse_number(raw_number, "number")?;
    // `flatten` hides the failing field from serde's path; check the event type first.
    let body: EventBody = parse_body(&text).map_err(|e| {
        let field = if e.field == "body" {
            FieldPath::new("type")
        } else {
            e.field
        };
        Failure::bad_request("bad_body", e.message, field)
    })?;
    text_field("by", &body.by, MAX_NAME)?;
    if let Some(note) = &body.note {
        text_field("note", note, MAX_TEXT)?;
    }
    let at = match body.at {
        None => clock::now_timestamp(),
        Some(at) if beijing_time(&at).is_some_and(|(d, _)| d <= clock::today()) => at,
        Some(_) => {
            return Err(Failure::bad_request(
                "bad_body",
                "时间格式应为 RFC 3339 且不晚于现在",
                "at",
            ))
        }
    };
    let existing = command(env, number.as_compact(), &CaseCommand::Get).await?;
    if existing.hall != hall {
        return Err(Failure::not_found("no_case", "没有该办件"));
    }
    let mut event = CaseEvent::new(at, body.kind, body.by);
    event.note = body.note;
    let case = command(env, number.as_compact(), &CaseCommand::Append { event }).await?;
    index(env, &case, &holidays::calendar(env).await?).await?;
    json(&case, 200)
}

/// `GET /api/v1/halls/{hall}/cases/{number}`: the whole case, for staff.
pub async fn get(req: &Request, env: &Env, hall: &str, raw_number: &str) -> Answer {
    auth::require_hall(req, env, hall)?;
    let number = parse_number(raw_number, "number")?;
    let mut case = command(env, number.as_compact(), &CaseCommand::Get).await?;
    if case.hall != hall {
        return Err(Failure::not_found("no_case", "没有该办件"));
    }
    // Stored with the calendar of its last event; a notice entered since may move it.
    case.recompute_due(&holidays::calendar(env).await?);
    json(&case, 200)
}

#[derive(Debug, Serialize)]
struct CaseList {
    hall: String,
    today: zhinan_domain::Date,
    cases: Vec<CaseRow>,
}

/// `GET /api/v1/halls/{hall}/cases`: open cases, overdue first, then flagged ratings;
/// `?all=1` includes closed ones.
pub async fn list(req: &Request, env: &Env, hall: &str) -> Answer {
    auth::require_hall(req, env, hall)?;
    let include_closed = req
        .url()
        .map(|u| u.query_pairs().any(|(k, v)| k == "all" && v == "1"))
        .unwrap_or(false);
    let today = clock::today();
    let calendar = holidays::calendar(env).await?;
    let mut rows: Vec<CaseRow> = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut listing = index_kv(env)?.list().prefix(format!("case:{hall}:"));
        if let Some(c) = cursor.take() {
            listing = listing.cursor(c);
        }
        let page = listing.execute().await?;
        for key in page.keys {
            let Some(meta) = key.metadata else { continue };
            if let Ok(mut row) = serde_json::from_value::<CaseRow>(meta) {
                row.refresh(today, &calendar);
                if include_closed || !row.closed || row.follow_up {
                    rows.push(row);
                }
            }
        }
        match page.cursor {
            Some(c) if !page.list_complete => cursor = Some(c),
            _ => break,
        }
    }
    // A row stored without its clock keeps its old due date; rebuild open ones from the
    // case (a few per call, so one list never fans out into many calls).
    let stale: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, row)| row.clock.is_none() && !row.clock_omitted && !row.closed)
        .map(|(i, _)| i)
        .take(UPGRADES_PER_LIST)
        .collect();
    for i in stale {
        let Ok(number) = ReceiptNumber::parse(&rows[i].number) else {
            continue;
        };
        // Best effort: the list is still right with the old row, only not yet upgraded.
        if let Ok(case) = command(env, number.as_compact(), &CaseCommand::Get).await {
            if let Err(failure) = index(env, &case, &calendar).await {
                worker::console_warn!("re-indexing {}: {failure:?}", case.number);
            }
            rows[i] = CaseRow::of(&case, today, &calendar);
        }
    }
    sort_for_staff(&mut rows);
    json(
        &CaseList {
            hall: hall.to_string(),
            today,
            cases: rows,
        },
        200,
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LookupBody {
    number: String,
    query_code: String,
}

async fn limit_client(req: &Request, env: &Env) -> Result<(), Failure> {
    let verdict = limiter::check(
        env,
        &limiter::client_of(req),
        CLIENT_LOOKUPS,
        CLIENT_WINDOW_MS,
    )
    .await?;
    if verdict.allowed {
        Ok(())
    } else {
        Err(Failure::TooMany(verdict.retry_after_secs))
    }
}

/// Same answer for an unknown number and a wrong code.
fn not_found() -> Failure {
    Failure::not_found("no_case", "受理编号或查询码不正确")
}

/// Looks up a case for a citizen: client rate limit, then the case's own lock.
pub async fn lookup_case(
    req: &Request,
    env: &Env,
    number: &str,
    code: &str,
) -> Result<Case, Failure> {
    limit_client(req, env).await?;
    let number = parse_number(number, "number")?;
    if QueryCode::parse(code).is_err() {
        return Err(Failure::bad_request(
            "bad_query_code",
            "查询码应为6位数字",
            "query_code",
        ));
    }
    command(
        env,
        number.as_compact(),
        &CaseCommand::Lookup {
            query_code: code.to_string(),
        },
    )
    .await
    .map_err(|f| match f {
        Failure::NotFound(_) => not_found(),
        other => other,
    })
}

/// `POST /api/v1/cases/lookup`: progress for the applicant.
pub async fn lookup(mut req: Request, env: &Env) -> Answer {
    let body: LookupBody = body_of(&mut req).await?;
    let case = lookup_case(&req, env, &body.number, &body.query_code).await?;
    json(
        &Progress::of(&case, clock::today(), &holidays::calendar(env).await?),
        200,
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RateBody {
    number: String,
    query_code: String,
    level: Rating,
    #[serde(default)]
    comment: Option<String>,
}

/// `POST /api/v1/cases/rate`: 好差评, once, after 办结.
pub async fn rate(mut req: Request, env: &Env) -> Answer {
    let body: RateBody = body_of(&mut req).await?;
    limit_client(&req, env).await?;
    let number = parse_number(&body.number, "number")?;
    if QueryCode::parse(&body.query_code).is_err() {
        return Err(Failure::bad_request(
            "bad_query_code",
            "查询码应为6位数字",
            "query_code",
        ));
    }
    if let Some(comment) = &body.comment {
        if comment.chars().count() > 300 {
            return Err(Failure::bad_request(
                "bad_body",
                "评价内容不能超过 300 字",
                "comment",
            ));
        }
    }
    let case = command(
        env,
        number.as_compact(),
        &CaseCommand::Rate {
            query_code: body.query_code,
            level: body.level,
            comment: body.comment.filter(|c| !c.trim().is_empty()),
            at: clock::now_timestamp(),
        },
    )
    .await
    .map_err(|f| match f {
        Failure::NotFound(_) => not_found(),
        other => other,
    })?;
    let calendar = holidays::calendar(env).await?;
    index(env, &case, &calendar).await?;
    json(&Progress::of(&case, clock::today(), &calendar), 200)
}

/// `POST /api/v1/cases/receipt-qr`: the QR code printed on the receipt. It carries the
/// query code, so it is made only for the right pair and only in a POST body.
pub async fn receipt_qr(mut req: Request, env: &Env, origin: &str) -> Answer {
    let body: LookupBody = body_of(&mut req).await?;
    let case = lookup_case(&req, env, &body.number, &body.query_code).await?;
    let url = format!("{origin}/c#n={}&q={}", case.number, body.query_code.trim());
    let svg = qr::svg_for(&url).map_err(|e| Failure::Unavailable(format!("qr: {e:?}")))?;
    let mut response = Response::ok(svg)?;
    response
        .headers_mut()
        .set("Content-Type", "image/svg+xml")?;
    response.headers_mut().set("Cache-Control", "no-store")?;
    Ok(secure(response)?)
}

/// The fields of the progress page's forms (`application/x-www-form-urlencoded`).
#[derive(Debug, Default, Deserialize)]
struct PageForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    query_code: String,
    #[serde(default)]
    level: Option<Rating>,
    #[serde(default)]
    comment: Option<String>,
}

fn page_response(origin: &str, lookup: Lookup, status: u16) -> Answer {
    let data = PageData {
        origin: origin.to_string(),
        page: Page::Progress {
            lookup: Box::new(lookup),
        },
    };
    let mut response = Response::from_html(pages::render_document(&data))?.with_status(status);
    let headers = response.headers_mut();
    headers.set("Cache-Control", "no-store")?;
    headers.set("Content-Security-Policy", &pages::content_security_policy())?;
    Ok(secure(response)?)
}

/// `GET /c`: the empty lookup form (the receipt QR's fragment is read by the app).
pub fn page(origin: &str) -> Answer {
    page_response(origin, Lookup::default(), 200)
}

/// `POST /c`: the same forms without JavaScript: look up, or rate then look up.
pub async fn page_post(mut req: Request, env: &Env, origin: &str) -> Answer {
    let text = req.text().await?;
    let form: PageForm = serde_urlencoded::from_str(&text).unwrap_or_default();
    let mut lookup = Lookup {
        number: form.number.trim().to_string(),
        query_code: form.query_code.trim().to_string(),
        ..Lookup::default()
    };
    let mut outcome = lookup_case(&req, env, &lookup.number, &lookup.query_code).await;
    let calendar = holidays::calendar(env).await?;
    if let (Ok(_), Some(level)) = (&outcome, form.level) {
        let comment = form.comment.filter(|c| !c.trim().is_empty());
        if comment.as_ref().is_some_and(|c| c.chars().count() > 300) {
            outcome = Err(Failure::bad_request(
                "bad_body",
                "评价内容不能超过 300 字",
                "comment",
            ));
        } else {
            let number = parse_number(&lookup.number, "number")?;
            outcome = command(
                env,
                number.as_compact(),
                &CaseCommand::Rate {
                    query_code: lookup.query_code.clone(),
                    level,
                    comment,
                    at: clock::now_timestamp(),
                },
            )
            .await;
            if let Ok(case) = &outcome {
                index(env, case, &calendar).await?;
                lookup.rated = true;
            }
        }
    }
    let status = match outcome {
        Ok(case) => {
            lookup.progress = Some(Progress::of(&case, clock::today(), &calendar));
            200
        }
        Err(Failure::Unavailable(detail)) => return Err(Failure::Unavailable(detail)),
        Err(failure) => {
            let status = failure.status();
            lookup.message = Some(match failure {
                Failure::TooMany(_) => "查询过于频繁，请稍后再试。".to_string(),
                Failure::BadRequest(e) | Failure::Conflict(e) => e.error,
                _ => "受理编号或查询码不正确，请核对受理通知单。".to_string(),
            });
            status
        }
    };
    page_response(origin, lookup, status)
}
