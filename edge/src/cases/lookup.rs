//! The citizen's side: progress by receipt number and query code (`POST
//! /api/v1/cases/lookup`), the rating (`…/rate`), the receipt's QR code (`…/receipt-qr`)
//! and the `/c` page that does the same without JavaScript. Every lookup counts against
//! the client's rate limit before it reaches the case.

use serde::{Deserialize, Serialize};
use worker::{Env, Request, Response};
use zhinan_domain::cases::progress::Progress;
use zhinan_domain::cases::receipt::QueryCode;
use zhinan_domain::cases::too_many_message;
use zhinan_domain::cases::{Case, ProxyProgress, Rating};
use zhinan_ui::{Lookup, Page, PageData};

use super::common::{body_of, command, command_reply, json, parse_number, Answer};
use super::index::index;
use crate::case_object::{CaseCommand, Found, ProxyCreated};
use crate::respond::{secure, Failure};
use crate::{clock, holidays, limiter, pages, qr};

/// Public lookups allowed per client address per ten minutes.
const CLIENT_LOOKUPS: usize = 30;
const CLIENT_WINDOW_MS: f64 = 10.0 * 60.0 * 1000.0;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LookupBody {
    number: String,
    query_code: String,
}

async fn limit_client(req: &Request, env: &Env) -> Result<(), Failure> {
    limiter::admit(
        env,
        &limiter::client_of(req),
        CLIENT_LOOKUPS,
        CLIENT_WINDOW_MS,
    )
    .await
}

/// Same answer for an unknown number and a wrong code.
fn not_found() -> Failure {
    Failure::not_found("no_case", "受理编号或查询码不正确")
}

/// Looks up a receipt number for a citizen: client rate limit, then the number's own
/// lock. It may hold a case, a 代办 request, or both.
pub async fn lookup_case(
    req: &Request,
    env: &Env,
    number: &str,
    code: &str,
) -> Result<Found, Failure> {
    limit_client(req, env).await?;
    let number = parse_number(number, "number")?;
    if QueryCode::parse(code).is_err() {
        return Err(Failure::bad_request(
            "bad_query_code",
            "查询码应为6位数字",
            "query_code",
        ));
    }
    command_reply(
        env,
        number.as_compact(),
        &CaseCommand::LookupAll {
            query_code: code.to_string(),
        },
    )
    .await
    .map_err(|f| match f {
        Failure::NotFound(_) => not_found(),
        other => other,
    })
}

/// The API's answer: the case's progress (with the village leg of a 代办 case), or, before
/// the hall has accepted a 代办 request, the village leg alone.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum LookupAnswer {
    Case(Box<Progress>),
    Proxy { proxy: ProxyProgress },
}

/// `POST /api/v1/cases/lookup`: progress for the applicant.
pub async fn lookup(mut req: Request, env: &Env) -> Answer {
    let body: LookupBody = body_of(&mut req).await?;
    let found = lookup_case(&req, env, &body.number, &body.query_code).await?;
    let proxy = found.proxy.map(|p| p.progress());
    let answer = match (found.case, proxy) {
        (Some(case), proxy) => {
            let calendar = holidays::calendar(env).await?;
            let mut progress = Progress::of(&case, clock::today(), &calendar);
            progress.proxy = proxy;
            LookupAnswer::Case(Box::new(progress))
        }
        (None, Some(proxy)) => LookupAnswer::Proxy { proxy },
        (None, None) => return Err(not_found()),
    };
    json(&answer, 200)
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
    let mut progress = Progress::of(&case, clock::today(), &calendar);
    progress.proxy = proxy_of(env, &case).await;
    json(&progress, 200)
}

/// The village leg of a rated case that came through 代办 (best effort: the rating
/// stands either way); no call at all for any other case.
async fn proxy_of(env: &Env, case: &Case) -> Option<ProxyProgress> {
    case.proxy_from.as_ref()?;
    let found: ProxyCreated = command_reply(env, &case.number, &CaseCommand::ProxyReceipt)
        .await
        .ok()?;
    Some(found.request.progress())
}

/// `POST /api/v1/cases/receipt-qr`: the QR code printed on the receipt. It carries the
/// query code, so it is made only for the right pair and only in a POST body.
pub async fn receipt_qr(mut req: Request, env: &Env, origin: &str) -> Answer {
    let body: LookupBody = body_of(&mut req).await?;
    lookup_case(&req, env, &body.number, &body.query_code).await?;
    let number = parse_number(&body.number, "number")?;
    let url = format!(
        "{origin}/c#n={}&q={}",
        number.as_compact(),
        body.query_code.trim()
    );
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

fn page_response(origin: &str, lookup: Lookup, status: u16, embed: Option<&[String]>) -> Answer {
    let data = PageData {
        origin: origin.to_string(),
        page: Page::Progress {
            lookup: Box::new(lookup),
        },
    };
    let mut response = Response::from_html(pages::render(&data, embed, "/c"))?.with_status(status);
    let headers = response.headers_mut();
    headers.set("Cache-Control", "no-store")?;
    headers.set("Content-Security-Policy", &pages::content_security_policy())?;
    Ok(secure(response)?)
}

/// `GET /c`: the empty lookup form (the receipt QR's fragment is read by the app); with
/// `embed` (the listed origins) `/embed/c`.
pub fn page(origin: &str, embed: Option<&[String]>) -> Answer {
    page_response(origin, Lookup::default(), 200, embed)
}

/// `POST /c` (or `/embed/c`): the same forms without JavaScript: look up, or rate then
/// look up.
pub async fn page_post(
    mut req: Request,
    env: &Env,
    origin: &str,
    embed: Option<&[String]>,
) -> Answer {
    let text = req.text().await?;
    let form: PageForm = serde_urlencoded::from_str(&text).unwrap_or_default();
    let mut lookup = Lookup {
        number: form.number.trim().to_string(),
        query_code: form.query_code.trim().to_string(),
        ..Lookup::default()
    };
    let found = lookup_case(&req, env, &lookup.number, &lookup.query_code).await;
    let calendar = holidays::calendar(env).await?;
    let mut outcome: Result<Option<Case>, Failure> = match found {
        Ok(found) => {
            lookup.proxy = found.proxy.map(|p| p.progress());
            Ok(found.case)
        }
        Err(failure) => Err(failure),
    };
    if let (Ok(Some(_)), Some(level)) = (&outcome, form.level) {
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
            .await
            .map(Some);
            if let Ok(Some(case)) = &outcome {
                index(env, case, &calendar).await?;
                lookup.rated = true;
            }
        }
    }
    let status = match outcome {
        Ok(case) => {
            lookup.progress = case.map(|case| Progress::of(&case, clock::today(), &calendar));
            200
        }
        Err(Failure::Unavailable(detail)) => return Err(Failure::Unavailable(detail)),
        Err(failure) => {
            let status = failure.status();
            lookup.message = Some(match failure {
                Failure::TooMany(wait) => too_many_message(wait),
                Failure::BadRequest(e) | Failure::Conflict(e) => e.error,
                _ => "受理编号或查询码不正确，请核对受理通知单。".to_string(),
            });
            status
        }
    };
    page_response(origin, lookup, status, embed)
}
