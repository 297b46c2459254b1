//! The hall API (`/api/v1/halls/{hall}/cases…`, with the hall's API key): accept a case
//! and issue its receipt, append events, read one case, list the hall's cases.

use serde::Deserialize;
use worker::{Env, Request};
use zhinan_domain::accounts::StaffUser;
use zhinan_domain::api::cases::{Accepted, CaseList, DeskReceipt};
use zhinan_domain::calendar::HolidayCalendar;
use zhinan_domain::cases::progress::{sort_for_staff, Progress};
use zhinan_domain::cases::receipt::{QueryCode, ReceiptNumber};
use zhinan_domain::cases::{beijing_time, Case, CaseEvent, Delivery, EventKind, FollowUp, NewCase};
use zhinan_domain::ItemCode;

use super::common::{
    command, command_reply, json, parse, parse_number, parse_tagged, queue_reindex, text_field,
    Answer, MAX_NAME, MAX_TEXT,
};
use super::index::{hall_rows, index};
use crate::case_object::{CaseCommand, Created, Keyed, Receipt};
use crate::respond::Failure;
use crate::store::CatalogStore;
use crate::webcrypto::hmac_sha256;
use crate::{auth, clock, holidays};

/// The client's `Idempotency-Key`, if it sent one: 1–64 visible ASCII characters.
fn idempotency_key(req: &Request) -> Result<Option<String>, Failure> {
    let Some(key) = req.headers().get("Idempotency-Key").ok().flatten() else {
        return Ok(None);
    };
    if key.is_empty() || key.len() > 64 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Failure::bad_request(
            "bad_idempotency_key",
            "Idempotency-Key 应为 1–64 个可见 ASCII 字符",
            "Idempotency-Key",
        ));
    }
    Ok(Some(key))
}

/// A keyed digest under the deployment's secret: the same input gives the same bytes,
/// which nobody without the secret can predict.
async fn digest(env: &Env, purpose: &str, parts: &[&str]) -> Result<Vec<u8>, Failure> {
    let secret = crate::strong_secret(env, "SESSION_SECRET")?;
    let message = std::iter::once(purpose)
        .chain(parts.iter().copied())
        .collect::<Vec<_>>()
        .join("\n");
    Ok(hmac_sha256(secret.as_bytes(), message.as_bytes()).await?)
}

/// Whether the test suite asked this request to fail at `point` (`X-Fault: point`, only
/// with the `FAULT_INJECTION` var set, which is never deployed).
fn fault_at(req: &Request, env: &Env, point: &str) -> bool {
    crate::fault_injection(env)
        && req
            .headers()
            .get("X-Fault")
            .ok()
            .flatten()
            .is_some_and(|v| v == point)
}

/// A new receipt number and query code. With an idempotency key the key chooses the
/// number, so a retry reaches what the first try made.
pub(super) async fn number_for(
    req: &Request,
    env: &Env,
    hall: &str,
) -> Result<(ReceiptNumber, QueryCode), Failure> {
    let number = match idempotency_key(req)? {
        Some(key) => ReceiptNumber::generate(&digest(env, "case-number", &[hall, &key]).await?),
        None => ReceiptNumber::generate(&clock::random_bytes(ReceiptNumber::RANDOM_BYTES as u32)?),
    };
    let code = QueryCode::generate(&clock::random_bytes(QueryCode::RANDOM_BYTES as u32)?);
    Ok((number, code))
}

/// The fingerprint of a keyed request (`purpose`, the hall and the body): a retry with
/// the same key and body matches, a different body under the same key does not.
pub(super) async fn fingerprint_of(
    req: &Request,
    env: &Env,
    purpose: &str,
    hall: &str,
    text: &str,
) -> Result<Option<String>, Failure> {
    Ok(match idempotency_key(req)? {
        Some(key) => Some(hex::encode(
            digest(env, purpose, &[hall, &key, text]).await?,
        )),
        None => None,
    })
}

/// Writes the case's hall-list row; if that fails the case stays accepted (its receipt
/// is already valid) and its object rewrites the row from its alarm.
pub(super) async fn index_or_repair(
    req: &Request,
    env: &Env,
    case: &Case,
    calendar: &HolidayCalendar,
) {
    let written = if fault_at(req, env, "case-index") {
        Err(Failure::Unavailable("injected: hall list write".into()))
    } else {
        index(env, case, calendar).await
    };
    if let Err(failure) = written {
        queue_reindex(env, &case.number, &failure).await;
    }
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
    /// The back-office system (or its operator) recording the acceptance: required with
    /// the hall key, never sent from the desk (the signed-in account is who).
    #[serde(default)]
    by: Option<String>,
    /// A phone to reach the applicant.
    #[serde(default)]
    contact: Option<String>,
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

/// Who records a case or a step: a staff account at the desk, or a back-office system
/// with the hall's API key (named by the `by` it sends).
pub struct Actor {
    pub by: String,
    pub account: Option<String>,
}

impl Actor {
    /// A back-office system: the `by` it sent, checked.
    fn system(by: Option<&str>) -> Result<Actor, Failure> {
        let by = by.unwrap_or_default();
        text_field("by", by, MAX_NAME)?;
        Ok(Actor {
            by: by.trim().to_string(),
            account: None,
        })
    }

    /// A signed-in staff member, who may not name someone else.
    fn staff(user: &StaffUser, by: Option<&str>) -> Result<Actor, Failure> {
        if by.is_some() {
            return Err(Failure::bad_request(
                "bad_body",
                "由登录账号记录，不能另填 by",
                "by",
            ));
        }
        Ok(Actor {
            by: user.signature(),
            account: Some(user.username.clone()),
        })
    }
}

/// `POST /api/v1/halls/{hall}/cases`: accept (受理) a case and issue its receipt.
pub async fn accept(mut req: Request, env: &Env, hall: &str, origin: &str) -> Answer {
    // Body first: answering with the request stream unread makes the runtime complain.
    let text = req.text().await?;
    auth::require_hall(&req, env, hall)?;
    let body: AcceptBody = parse(&text)?;
    let actor = Actor::system(body.by.as_deref())?;
    if body.receipt.is_some() {
        // Numbers and codes chosen by the caller only while cases move over from an
        // older system.
        auth::require_migration(&req, env)?;
    }
    let (accepted, replayed) = accept_as(&req, env, hall, origin, &text, body, actor).await?;
    accepted_response(&accepted, replayed)
}

/// `POST /api/v1/staff/desk/{hall}/cases`: the desk accepts a case, signed by the
/// account (the caller has checked it may record cases at `hall`).
pub async fn accept_at_desk(
    req: &Request,
    env: &Env,
    hall: &str,
    origin: &str,
    text: &str,
    user: &StaffUser,
) -> Result<(Accepted, bool), Failure> {
    let body: AcceptBody = parse(text)?;
    let actor = Actor::staff(user, body.by.as_deref())?;
    if body.receipt.is_some() {
        return Err(Failure::bad_request(
            "bad_body",
            "既有受理编号只能由后台系统迁移导入",
            "receipt",
        ));
    }
    accept_as(req, env, hall, origin, text, body, actor).await
}

async fn accept_as(
    req: &Request,
    env: &Env,
    hall: &str,
    origin: &str,
    text: &str,
    body: AcceptBody,
    actor: Actor,
) -> Result<(Accepted, bool), Failure> {
    // A malformed key is refused before anything is read.
    idempotency_key(req)?;
    let code = ItemCode::parse(&body.item_code)
        .map_err(|e| Failure::bad_request("bad_body", e.to_string(), "item_code"))?;
    text_field("applicant_name", &body.applicant_name, MAX_NAME)?;
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
        Some(import) => {
            // Never an easily guessed code.
            let code = QueryCode::parse(&import.query_code).map_err(|e| {
                Failure::bad_request("bad_body", e.to_string(), "receipt.query_code")
            })?;
            if let Some(why) = code.weakness() {
                return Err(Failure::bad_request(
                    "weak_query_code",
                    why,
                    "receipt.query_code",
                ));
            }
            (parse_number(&import.number, "receipt.number")?, code)
        }
        None => number_for(req, env, hall).await?,
    };
    let fingerprint = fingerprint_of(req, env, "case-request", hall, text).await?;
    let calendar = holidays::calendar(env).await?;
    let case = Case::open(
        NewCase {
            number: number.clone(),
            item_code: item.code.clone(),
            item_version: item.version,
            item_name: item.name.clone(),
            department: item.department.clone(),
            hall: hall.to_string(),
            window: body.window.clone().unwrap_or_else(|| item.window.clone()),
            accepted_at,
            promised_limit: item.promised_limit,
            delivery: body.delivery,
            applicant_name: body.applicant_name.clone(),
            contact: body.contact.clone(),
            by: actor.by,
            account: actor.account,
        },
        &calendar,
    )
    .map_err(|e| Failure::bad_request("bad_body", e.to_string(), "body"))?;
    let created: Created = command_reply(
        env,
        number.as_compact(),
        &CaseCommand::Create {
            case: Box::new(case),
            query_code: query_code.as_str().to_string(),
            fingerprint,
        },
    )
    .await?;
    // Also on a retry: the first try's row may be the write that failed.
    index_or_repair(req, env, &created.case, &calendar).await;
    let receipt_url = format!(
        "{origin}/staff/receipt/{}#q={}",
        number.as_compact(),
        created.query_code
    );
    Ok((
        Accepted {
            number: number.to_string(),
            query_code: created.query_code,
            due: created.case.due,
            receipt_url,
            case: created.case,
        },
        created.replayed,
    ))
}

/// 201 with the new case, or 200 for a retry answered from what was stored.
pub fn accepted_response(accepted: &Accepted, replayed: bool) -> Answer {
    let mut response = json(accepted, if replayed { 200 } else { 201 })?;
    if replayed {
        response.headers_mut().set("Idempotent-Replayed", "true")?;
    }
    Ok(response)
}

/// When a step or call back happened: as sent (a back-office system syncing what happened
/// earlier), not in the future; now by default.
pub(super) fn recorded_at(sent: Option<String>) -> Result<String, Failure> {
    match sent {
        None => Ok(clock::now_timestamp()),
        Some(at) if beijing_time(&at).is_some_and(|(d, _)| d <= clock::today()) => Ok(at),
        Some(_) => Err(Failure::bad_request(
            "bad_body",
            "时间格式应为 RFC 3339 且不晚于现在",
            "at",
        )),
    }
}

/// Case `number` if it is `hall`'s; another hall's is "no such case" to this one.
async fn hall_case(env: &Env, hall: &str, number: &ReceiptNumber) -> Result<Case, Failure> {
    let case = command(env, number.as_compact(), &CaseCommand::Get).await?;
    if case.hall != hall {
        return Err(Failure::not_found("no_case", "没有该办件"));
    }
    Ok(case)
}

// No `deny_unknown_fields`: serde cannot combine it with `flatten`.
#[derive(Debug, Deserialize)]
struct EventBody {
    #[serde(flatten)]
    kind: EventKind,
    /// Required with the hall key; never from the desk (see [`Actor`]).
    #[serde(default)]
    by: Option<String>,
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
    let body = parse_tagged::<EventBody>(&text)?;
    let actor = Actor::system(body.by.as_deref())?;
    json(
        &append_as(&req, env, hall, raw_number, &text, body, actor).await?,
        200,
    )
}

/// `POST /api/v1/staff/desk/{hall}/cases/{number}/events`: the desk records a step,
/// signed by the account.
pub async fn append_at_desk(
    req: &Request,
    env: &Env,
    hall: &str,
    raw_number: &str,
    text: &str,
    user: &StaffUser,
) -> Result<Case, Failure> {
    let body = parse_tagged::<EventBody>(text)?;
    let actor = Actor::staff(user, body.by.as_deref())?;
    append_as(req, env, hall, raw_number, text, body, actor).await
}

async fn append_as(
    req: &Request,
    env: &Env,
    hall: &str,
    raw_number: &str,
    text: &str,
    body: EventBody,
    actor: Actor,
) -> Result<Case, Failure> {
    let idempotency = idempotency_key(req)?;
    let number = parse_number(raw_number, "number")?;
    if let Some(note) = &body.note {
        text_field("note", note, MAX_TEXT)?;
    }
    let at = recorded_at(body.at)?;
    let existing = hall_case(env, hall, &number).await?;
    // Nothing happens to a case before it was accepted: an earlier time is a typo (or a
    // clock reset) that would bend the working days counted and the timeline shown.
    let accepted = beijing_time(&existing.accepted_at).map(|(d, _)| d);
    if beijing_time(&at)
        .zip(accepted)
        .is_some_and(|((day, _), accepted)| day < accepted)
    {
        return Err(Failure::bad_request(
            "bad_body",
            format!("时间不能早于受理时间（{}）", existing.accepted_at),
            "at",
        ));
    }
    let mut event = CaseEvent::new(at, body.kind, actor.by);
    event.account = actor.account;
    event.note = body.note;
    let key = match idempotency {
        Some(key) => Some(Keyed {
            fingerprint: hex::encode(
                digest(env, "event-request", &[hall, raw_number, &key, text]).await?,
            ),
            key,
        }),
        None => None,
    };
    let case = command(
        env,
        number.as_compact(),
        &CaseCommand::Append {
            event,
            key,
            crash_after_store: fault_at(req, env, "case-crash-after-store"),
        },
    )
    .await?;
    index_or_repair(req, env, &case, &holidays::calendar(env).await?).await;
    super::proxy::after_case_step(env, &case).await;
    Ok(case)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FollowUpBody {
    /// Required with the hall key; never from the desk (see [`Actor`]).
    #[serde(default)]
    by: Option<String>,
    outcome: String,
    /// 回访完成; a call nobody answered is recorded with `false`.
    done: bool,
    #[serde(default)]
    at: Option<String>,
}

/// `POST /api/v1/halls/{hall}/cases/{number}/follow-ups`: record a call back about the
/// case's 差评 (回访) and what came of it; once one is done the rating no longer waits.
pub async fn follow_up(mut req: Request, env: &Env, hall: &str, raw_number: &str) -> Answer {
    let text = req.text().await?;
    auth::require_hall(&req, env, hall)?;
    let body: FollowUpBody = parse(&text)?;
    let actor = Actor::system(body.by.as_deref())?;
    json(
        &follow_up_as(&req, env, hall, raw_number, body, actor).await?,
        200,
    )
}

/// `POST /api/v1/staff/desk/{hall}/cases/{number}/follow-ups`: the desk records a call
/// back, signed by the account.
pub async fn follow_up_at_desk(
    req: &Request,
    env: &Env,
    hall: &str,
    raw_number: &str,
    text: &str,
    user: &StaffUser,
) -> Result<Case, Failure> {
    let body: FollowUpBody = parse(text)?;
    let actor = Actor::staff(user, body.by.as_deref())?;
    follow_up_as(req, env, hall, raw_number, body, actor).await
}

async fn follow_up_as(
    req: &Request,
    env: &Env,
    hall: &str,
    raw_number: &str,
    body: FollowUpBody,
    actor: Actor,
) -> Result<Case, Failure> {
    let number = parse_number(raw_number, "number")?;
    let at = recorded_at(body.at)?;
    // Only the hall's own case (another hall's is "no such case").
    hall_case(env, hall, &number).await?;
    let case = command(
        env,
        number.as_compact(),
        &CaseCommand::FollowUp {
            call: FollowUp {
                at,
                by: actor.by,
                account: actor.account,
                outcome: body.outcome,
                done: body.done,
            },
        },
    )
    .await?;
    index_or_repair(req, env, &case, &holidays::calendar(env).await?).await;
    Ok(case)
}

/// `GET /api/v1/halls/{hall}/cases/{number}`: the whole case, for staff.
pub async fn get(req: &Request, env: &Env, hall: &str, raw_number: &str) -> Answer {
    auth::require_hall(req, env, hall)?;
    let number = parse_number(raw_number, "number")?;
    let mut case = hall_case(env, hall, &number).await?;
    // Stored with the calendar of its last event; a notice entered since may move it.
    case.recompute_due(&holidays::calendar(env).await?);
    json(&case, 200)
}

/// `hall`'s cases as staff chase them ([`sort_for_staff`]); closed ones too if asked.
pub async fn hall_list(env: &Env, hall: &str, include_closed: bool) -> Result<CaseList, Failure> {
    let today = clock::today();
    let calendar = holidays::calendar(env).await?;
    let mut rows = hall_rows(env, hall, include_closed, today, &calendar).await?;
    sort_for_staff(&mut rows, today);
    Ok(CaseList {
        hall: hall.to_string(),
        today,
        cases: rows,
    })
}

/// `GET /api/v1/halls/{hall}/cases`: open cases, overdue first, then flagged ratings;
/// `?all=1` includes closed ones.
pub async fn list(req: &Request, env: &Env, hall: &str) -> Answer {
    auth::require_hall(req, env, hall)?;
    let include_closed = req
        .url()
        .map(|u| u.query_pairs().any(|(k, v)| k == "all" && v == "1"))
        .unwrap_or(false);
    json(&hall_list(env, hall, include_closed).await?, 200)
}

/// The receipt of case `raw_number` for a signed-in account, which must be allowed at
/// the case's hall (`allowed`). No public lookup limit is spent: the session is the key.
pub async fn receipt_at_desk(
    env: &Env,
    raw_number: &str,
    origin: &str,
    allowed: impl Fn(&str) -> bool,
) -> Result<DeskReceipt, Failure> {
    let number = parse_number(raw_number, "number")?;
    let Receipt { case, query_code } =
        command_reply(env, number.as_compact(), &CaseCommand::Receipt).await?;
    if !allowed(&case.hall) {
        return Err(Failure::Forbidden(
            "只能打印本人所在服务中心的受理通知单".into(),
        ));
    }
    let url = format!("{origin}/c#n={}&q={query_code}", case.number);
    let qr_svg =
        crate::qr::svg_for(&url).map_err(|e| Failure::Unavailable(format!("qr: {e:?}")))?;
    let progress = Progress::of(&case, clock::today(), &holidays::calendar(env).await?);
    Ok(DeskReceipt {
        progress,
        query_code,
        qr_svg,
    })
}
