//! 代办 at the desks (`/api/v1/staff/desk/…/proxy…`): a village agent registers a
//! request and records the village leg; the hall it was handed to accepts it, which
//! opens the case under the same receipt number. The caller (the staff office) has
//! checked who may act where; these functions check what the request allows.

use serde::Deserialize;
use worker::{Env, Request};
use zhinan_domain::accounts::StaffUser;
use zhinan_domain::api::cases::{ProxyIssued, ProxyList};
use zhinan_domain::cases::proxy::NewProxyRequest;
use zhinan_domain::cases::receipt::ReceiptNumber;
use zhinan_domain::cases::{Case, Delivery, NewCase, ProxyRequest, ProxyStep, ProxyStepKind};
use zhinan_domain::ItemCode;

use super::common::{
    command_reply, parse, parse_number, parse_tagged, queue_reindex, text_field, MAX_NAME, MAX_TEXT,
};
use super::hall_api::{fingerprint_of, index_or_repair, number_for, recorded_at};
use super::index::{index_proxy, proxy_rows};
use crate::case_object::{CaseCommand, Found, ProxyCreated};
use crate::respond::Failure;
use crate::store::CatalogStore;
use crate::{clock, holidays};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProxyBody {
    item_code: String,
    applicant_name: String,
    #[serde(default)]
    contact: Option<String>,
    /// The 代办委托书 is signed (it may be signed later, before handing over).
    mandate_signed: bool,
    /// Names of the guide's materials received.
    #[serde(default)]
    received: Vec<String>,
    #[serde(default)]
    note: Option<String>,
}

/// The rows of the 代办 request behind `case` (if it came through one), after the hall
/// recorded a step: the village's desk learns when the result is ready to bring back.
pub(super) async fn after_case_step(env: &Env, case: &Case) {
    if case.proxy_from.is_none() {
        return;
    }
    match command_reply::<ProxyCreated>(env, &case.number, &CaseCommand::ProxyReceipt).await {
        Ok(found) => index_or_queue(env, &found.request, Some(case)).await,
        Err(failure) => worker::console_warn!("代办 rows of {}: {failure:?}", case.number),
    }
}

fn refused(e: impl ToString, field: &str) -> Failure {
    Failure::bad_request("bad_body", e.to_string(), field)
}

fn step_by(user: &StaffUser, at: String, kind: ProxyStepKind, note: Option<String>) -> ProxyStep {
    ProxyStep {
        at,
        kind,
        by: user.signature(),
        account: Some(user.username.clone()),
        note: note.filter(|n| !n.trim().is_empty()),
    }
}

/// Writes both desks' rows; if that fails the request stands and its object's alarm
/// rewrites them.
async fn index_or_queue(env: &Env, request: &ProxyRequest, case: Option<&Case>) {
    if let Err(failure) = index_proxy(env, request, case).await {
        queue_reindex(env, &request.number, &failure).await;
    }
}

fn issued(origin: &str, number: &str, created: ProxyCreated) -> Result<ProxyIssued, Failure> {
    let url = format!(
        "{origin}/c#n={}&q={}",
        created.request.number, created.query_code
    );
    let qr_svg =
        crate::qr::svg_for(&url).map_err(|e| Failure::Unavailable(format!("qr: {e:?}")))?;
    Ok(ProxyIssued {
        number: number.to_string(),
        query_code: created.query_code,
        request: created.request,
        qr_svg,
    })
}

/// Registers a 代办 request at village `village` (`POST …/desk/{village}/proxy`).
/// Returns it and whether this was a retry answered from what was stored.
pub async fn register(
    req: &Request,
    env: &Env,
    village: &str,
    origin: &str,
    text: &str,
    user: &StaffUser,
) -> Result<(ProxyIssued, bool), Failure> {
    let body: ProxyBody = parse(text)?;
    let code = ItemCode::parse(&body.item_code).map_err(|e| refused(e, "item_code"))?;
    text_field("applicant_name", &body.applicant_name, MAX_NAME)?;
    if let Some(note) = body.note.as_deref().filter(|n| !n.trim().is_empty()) {
        text_field("note", note, MAX_TEXT)?;
    }
    let store = CatalogStore::open(env)?;
    let version = store.current_version().await?;
    let catalog = store.catalog(version).await?;
    let here = catalog
        .hall(village)
        .ok_or_else(|| Failure::not_found("no_hall", "目录中没有该服务点"))?;
    let item = store
        .item(version, &code)
        .await?
        .ok_or_else(|| refused("目录中没有该事项", "item_code"))?;
    if !here.proxy_targets().contains(&item.hall.as_str()) {
        return Err(refused("只能代办本乡镇或本县服务中心的事项", "item_code"));
    }
    let to_hall_name = catalog
        .hall(&item.hall)
        .map_or_else(|| item.hall.clone(), |h| h.name.clone());
    let (number, query_code) = number_for(req, env, village).await?;
    let fingerprint = fingerprint_of(req, env, "proxy-request", village, text).await?;
    let request = ProxyRequest::open(
        NewProxyRequest {
            number: number.clone(),
            village: village.to_string(),
            village_name: here.name.clone(),
            to_hall: item.hall.clone(),
            to_hall_name,
            applicant_name: body.applicant_name.trim().to_string(),
            contact: body.contact,
            mandate_signed: body.mandate_signed,
            received: body.received,
            at: clock::now_timestamp(),
            by: user.signature(),
            account: Some(user.username.clone()),
            note: body.note,
        },
        &item,
    )
    .map_err(|e| refused(&e, e.field()))?;
    let created: ProxyCreated = command_reply(
        env,
        number.as_compact(),
        &CaseCommand::ProxyCreate {
            request: Box::new(request),
            query_code: query_code.as_str().to_string(),
            fingerprint,
        },
    )
    .await?;
    index_or_queue(env, &created.request, None).await;
    let replayed = created.replayed;
    Ok((issued(origin, &number.to_string(), created)?, replayed))
}

/// A village-leg step from the desk body (`{"type": "handed_over"}` …).
#[derive(Debug, Deserialize)]
struct StepBody {
    #[serde(flatten)]
    kind: ProxyStepKind,
    #[serde(default)]
    note: Option<String>,
}

/// Records a village-leg step on request `raw_number` of village `village`.
pub async fn record(
    env: &Env,
    village: &str,
    raw_number: &str,
    text: &str,
    user: &StaffUser,
) -> Result<ProxyRequest, Failure> {
    let body: StepBody = parse_tagged(text)?;
    if matches!(
        body.kind,
        ProxyStepKind::Registered | ProxyStepKind::Accepted
    ) {
        return Err(refused(
            "登记和受理不在此记录（受理由受理中心窗口办理）",
            "type",
        ));
    }
    if let Some(note) = body.note.as_deref().filter(|n| !n.trim().is_empty()) {
        text_field("note", note, MAX_TEXT)?;
    }
    ProxyRequest::check_kind(&body.kind).map_err(|e| refused(&e, e.field()))?;
    let number = parse_number(raw_number, "number")?;
    let request = desk_request(env, &number, |r| r.village == village).await?;
    let step = step_by(user, recorded_at(None)?, body.kind, body.note);
    let found: Found =
        command_reply(env, &request.number, &CaseCommand::ProxyRecord { step }).await?;
    let Some(request) = found.proxy else {
        return Err(Failure::Unavailable(
            "case object answered without the request".into(),
        ));
    };
    index_or_queue(env, &request, found.case.as_ref()).await;
    Ok(request)
}

/// Request `number` if it is this desk's (`ours`); another desk's is "no such request"
/// to this one.
async fn desk_request(
    env: &Env,
    number: &ReceiptNumber,
    ours: impl Fn(&ProxyRequest) -> bool,
) -> Result<ProxyRequest, Failure> {
    let found: ProxyCreated =
        command_reply(env, number.as_compact(), &CaseCommand::ProxyReceipt).await?;
    if !ours(&found.request) {
        return Err(Failure::not_found("no_proxy", "没有该代办件"));
    }
    Ok(found.request)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AcceptBody {
    /// Defaults to the item's window.
    #[serde(default)]
    window: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

/// The hall's desk accepts request `raw_number` handed to `hall`: the case opens under
/// the same number with the published guide's promise, signed by the clerk. The result
/// goes back through the agent, so it is collected at the window.
pub async fn accept(
    req: &Request,
    env: &Env,
    hall: &str,
    raw_number: &str,
    text: &str,
    user: &StaffUser,
) -> Result<Case, Failure> {
    let body: AcceptBody = parse(text)?;
    if let Some(window) = &body.window {
        text_field("window", window, MAX_NAME)?;
    }
    let number = parse_number(raw_number, "number")?;
    let request = desk_request(env, &number, |r| r.to_hall == hall).await?;
    let store = CatalogStore::open(env)?;
    let version = store.current_version().await?;
    let code = ItemCode::parse(&request.item_code).map_err(|e| refused(e, "item_code"))?;
    let item = store
        .item(version, &code)
        .await?
        .ok_or_else(|| Failure::conflict("item_withdrawn", "该事项已不在目录中，无法受理"))?;
    let at = clock::now_timestamp();
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
            accepted_at: at.clone(),
            promised_limit: item.promised_limit,
            delivery: Delivery::Window,
            applicant_name: request.applicant_masked.clone(),
            contact: request.contact.clone(),
            by: user.signature(),
            account: Some(user.username.clone()),
        },
        &calendar,
    )
    .map_err(|e| refused(e, "body"))?;
    let step = step_by(user, at, ProxyStepKind::Accepted, body.note);
    let found: Found = command_reply(
        env,
        number.as_compact(),
        &CaseCommand::ProxyAccept {
            case: Box::new(case),
            step,
        },
    )
    .await?;
    let (Some(case), Some(request)) = (found.case, found.proxy) else {
        return Err(Failure::Unavailable(
            "case object answered without the case".into(),
        ));
    };
    index_or_queue(env, &request, Some(&case)).await;
    index_or_repair(req, env, &case, &calendar).await;
    Ok(case)
}

/// `hall`'s 代办 list: a village's own requests, or those handed to a hall.
pub async fn list(env: &Env, hall: &str, include_finished: bool) -> Result<ProxyList, Failure> {
    let store = CatalogStore::open(env)?;
    let catalog = store.catalog(store.current_version().await?).await?;
    let at_village = catalog
        .hall(hall)
        .is_some_and(|h| h.level == zhinan_domain::catalog::item::Level::Village);
    Ok(ProxyList {
        hall: hall.to_string(),
        at_village,
        requests: proxy_rows(env, hall, at_village, include_finished).await?,
    })
}

/// The request to print again (委托书 and checklist), for an account `allowed` at one
/// of its two halls.
pub async fn slip(
    env: &Env,
    raw_number: &str,
    origin: &str,
    allowed: impl Fn(&ProxyRequest) -> bool,
) -> Result<ProxyIssued, Failure> {
    let number = parse_number(raw_number, "number")?;
    let found: ProxyCreated =
        command_reply(env, number.as_compact(), &CaseCommand::ProxyReceipt).await?;
    if !allowed(&found.request) {
        return Err(Failure::Forbidden(
            "只能打印本人所在服务点或服务中心的代办件".into(),
        ));
    }
    issued(origin, &number.to_string(), found)
}
