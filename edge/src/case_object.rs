//! One Durable Object per case: the single writer of its events, so two appends at the
//! same moment are applied one after the other, never lost or reordered. It also holds
//! the query code and counts wrong guesses, so brute force on one receipt stops here.

use serde::{Deserialize, Serialize};
use worker::{durable_object, DurableObject, Env, Request, Response, Result, State};
use zhinan_domain::api::ApiError;
use zhinan_domain::calendar::HolidayCalendar;
use zhinan_domain::cases::receipt::QueryCode;
use zhinan_domain::cases::{Case, CaseEvent, Rating};

/// Wrong query codes tolerated per case within `LOCK_WINDOW_MS` before lookups lock.
const MAX_FAILURES: usize = 5;
const LOCK_WINDOW_MS: f64 = 15.0 * 60.0 * 1000.0;

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum CaseCommand {
    Create {
        case: Box<Case>,
        query_code: String,
    },
    Append {
        event: CaseEvent,
    },
    Get,
    Lookup {
        query_code: String,
    },
    Rate {
        query_code: String,
        level: Rating,
        comment: Option<String>,
        at: String,
    },
}

/// Sends `command` to the case object of `number` and returns its answer.
pub async fn send(env: &Env, number: &str, command: &CaseCommand) -> Result<Response> {
    crate::objects::post(env, "CASE_OBJECTS", number, command).await
}

fn reply(status: u16, code: &str, message: impl Into<String>) -> Result<Response> {
    Ok(Response::from_json(&ApiError::new(code, message))?.with_status(status))
}

#[durable_object]
pub struct CaseObject {
    state: State,
    env: Env,
}

impl DurableObject for CaseObject {
    fn new(state: State, env: Env) -> Self {
        CaseObject { state, env }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        let start = crate::ops::mark();
        let response = self.handle(req).await?;
        Ok(crate::ops::reported(&self.env, start, response))
    }
}

impl CaseObject {
    async fn handle(&self, mut req: Request) -> Result<Response> {
        let command: CaseCommand = match req.json().await {
            Ok(c) => c,
            Err(e) => return reply(400, "bad_command", e.to_string()),
        };
        // The calendar comes from KV, before the case is read: while a KV read is
        // awaited other requests may run, but from reading the case to writing it back
        // only storage calls are awaited, which the runtime's input gate keeps exclusive.
        let calendar = match &command {
            CaseCommand::Append { .. } => match crate::holidays::calendar(&self.env).await {
                Ok(calendar) => Some(calendar),
                Err(failure) => return failure.into_json_response(),
            },
            _ => None,
        };
        let storage = self.state.storage();
        crate::ops::one();
        let stored: Option<String> = storage.get("case").await?;
        let mut case: Option<Case> = match stored {
            Some(json) => Some(serde_json::from_str(&json)?),
            None => None,
        };
        match command {
            CaseCommand::Create {
                case: new,
                query_code,
            } => {
                if case.is_some() {
                    return reply(409, "case_exists", "该受理编号已存在");
                }
                crate::ops::one();
                storage.put("case", serde_json::to_string(&new)?).await?;
                storage.put("query", query_code).await?;
                Ok(Response::from_json(&new)?.with_status(201))
            }
            CaseCommand::Get => match case {
                Some(c) => Response::from_json(&c),
                None => reply(404, "no_case", "没有该办件"),
            },
            CaseCommand::Append { event } => {
                let Some(c) = case.as_mut() else {
                    return reply(404, "no_case", "没有该办件");
                };
                let calendar = calendar.unwrap_or_else(HolidayCalendar::builtin);
                if let Err(e) = c.record(event, &calendar) {
                    return reply(409, "invalid_transition", e.to_string());
                }
                crate::ops::one();
                storage.put("case", serde_json::to_string(&c)?).await?;
                Response::from_json(&c)
            }
            CaseCommand::Lookup { query_code } => {
                let c = match self.verify(case, &query_code).await? {
                    Ok(c) => c,
                    Err(answer) => return Ok(answer),
                };
                Response::from_json(&c)
            }
            CaseCommand::Rate {
                query_code,
                level,
                comment,
                at,
            } => {
                let mut c = match self.verify(case, &query_code).await? {
                    Ok(c) => c,
                    Err(answer) => return Ok(answer),
                };
                if let Err(e) = c.rate(level, comment.as_deref(), &at) {
                    return reply(409, "rating_refused", e.to_string());
                }
                crate::ops::one();
                storage.put("case", serde_json::to_string(&c)?).await?;
                Response::from_json(&c)
            }
        }
    }
}

impl CaseObject {
    /// Checks the query code, counting failures. An unknown case and a wrong code give
    /// the same answer; too many wrong codes lock the case for a while.
    async fn verify(
        &self,
        case: Option<Case>,
        presented: &str,
    ) -> Result<std::result::Result<Case, Response>> {
        let storage = self.state.storage();
        let now = js_sys::Date::now();
        crate::ops::one();
        let mut failures: Vec<f64> = storage.get("failures").await?.unwrap_or_default();
        failures.retain(|t| now - t < LOCK_WINDOW_MS);
        if failures.len() >= MAX_FAILURES {
            let oldest = failures.iter().copied().fold(f64::MAX, f64::min);
            let wait = ((LOCK_WINDOW_MS - (now - oldest)) / 1000.0).ceil().max(1.0) as u32;
            let mut answer = reply(429, "too_many_attempts", "查询码错误次数过多，请稍后再试")?;
            answer.headers_mut().set("Retry-After", &wait.to_string())?;
            return Ok(Err(answer));
        }
        let expected: Option<String> = storage.get("query").await?;
        let matches = match (&case, expected, QueryCode::parse(presented)) {
            (Some(_), Some(expected), Ok(presented)) => QueryCode::parse(&expected)
                .map(|e| e.matches(&presented))
                .unwrap_or(false),
            _ => false,
        };
        match case {
            Some(c) if matches => {
                if !failures.is_empty() {
                    crate::ops::one();
                    storage.put("failures", Vec::<f64>::new()).await?;
                }
                Ok(Ok(c))
            }
            _ => {
                failures.push(now);
                crate::ops::one();
                storage.put("failures", failures).await?;
                Ok(Err(reply(404, "no_case", "受理编号或查询码不正确")?))
            }
        }
    }
}
