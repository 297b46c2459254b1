//! One Durable Object per case: the single writer of its events, so two appends at the
//! same moment are applied one after the other, never lost or reordered. It also holds
//! the query code and counts wrong guesses, so brute force on one receipt stops here.
//! A retried creation or append (same idempotency key) is answered from what was stored,
//! and a hall-list row that could not be written is rewritten by the object's alarm.

use serde::{Deserialize, Serialize};
use worker::{durable_object, DurableObject, Env, Request, Response, Result, State};
use zhinan_domain::api::ApiError;
use zhinan_domain::calendar::HolidayCalendar;
use zhinan_domain::cases::receipt::QueryCode;
use zhinan_domain::cases::{Case, CaseEvent, FollowUp, ProxyRequest, ProxyStep, Rating};

/// Idempotency keys of appended events remembered per case.
const EVENT_KEYS: usize = 200;
/// Wait before the alarm retries a hall-list row whose write failed.
const REINDEX_DELAY_MS: i64 = 3_000;

/// Wrong query codes tolerated per case within `LOCK_WINDOW_MS` before lookups lock.
const MAX_FAILURES: usize = 5;
const LOCK_WINDOW_MS: f64 = 15.0 * 60.0 * 1000.0;

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum CaseCommand {
    Create {
        case: Box<Case>,
        query_code: String,
        /// The request's fingerprint when the client sent an idempotency key (which chose
        /// the number): a retry with the same fingerprint gets the stored case back.
        #[serde(default)]
        fingerprint: Option<String>,
    },
    Append {
        event: CaseEvent,
        #[serde(default)]
        key: Option<Keyed>,
        /// Tests only (`FAULT_INJECTION`): fail after the event is stored, as an object
        /// restarted before it could answer would.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        crash_after_store: bool,
    },
    /// The hall-list row could not be written: the alarm writes it a little later.
    Reindex,
    Get,
    /// The case and its query code, for staff printing the receipt again.
    Receipt,
    Rate {
        query_code: String,
        level: Rating,
        comment: Option<String>,
        at: String,
    },
    /// A call back about the case's 差评 (staff).
    FollowUp {
        call: FollowUp,
    },
    /// A village agent registers a 代办 request under this number.
    ProxyCreate {
        request: Box<ProxyRequest>,
        query_code: String,
        #[serde(default)]
        fingerprint: Option<String>,
    },
    /// A step of the village leg (not the hall's acceptance: `ProxyAccept`); answers
    /// `Found` with the case, if any.
    ProxyRecord {
        step: ProxyStep,
    },
    /// The hall's desk accepts a handed-over request: the case begins under its number.
    ProxyAccept {
        case: Box<Case>,
        step: ProxyStep,
    },
    /// The request and its query code, for staff printing the 委托书 and checklist.
    ProxyReceipt,
    /// The citizen's lookup of a number that may be a 代办 request, a case, or both.
    LookupAll {
        query_code: String,
    },
}

/// Keys written together (`put_multiple`, one atomic write): an object stopped halfway
/// never keeps a case or request without its query code, nor a 代办 case without its
/// request's 受理 step.
#[derive(Serialize)]
struct Opened {
    #[serde(skip_serializing_if = "Option::is_none")]
    case: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    proxy: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fingerprint: Option<String>,
}

/// What `LookupAll` and `ProxyAccept` answer: the case and the 代办 request, either or
/// both.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Found {
    pub case: Option<Case>,
    pub proxy: Option<ProxyRequest>,
}

/// The answer to `ProxyCreate` (the stored one on a retry) and `ProxyReceipt`.
#[derive(Debug, Serialize, Deserialize)]
pub struct ProxyCreated {
    pub request: ProxyRequest,
    pub query_code: String,
    #[serde(default)]
    pub replayed: bool,
}

/// A client's idempotency key and the fingerprint of the request that carried it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Keyed {
    pub key: String,
    pub fingerprint: String,
}

/// The answer to `Create`: the case and its query code, the stored ones on a retry.
#[derive(Debug, Serialize, Deserialize)]
pub struct Created {
    pub case: Case,
    pub query_code: String,
    pub replayed: bool,
}

/// The answer to `Receipt`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Receipt {
    pub case: Case,
    pub query_code: String,
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

    async fn alarm(&self) -> Result<Response> {
        let storage = self.state.storage();
        let proxy: Option<String> = storage.get("proxy").await?;
        let stored: Option<String> = storage.get("case").await?;
        let case = stored.and_then(|json| serde_json::from_str::<Case>(&json).ok());
        let proxy_written = match proxy.and_then(|json| serde_json::from_str(&json).ok()) {
            Some(request) => crate::cases::index_proxy(&self.env, &request, case.as_ref()).await,
            None => Ok(()),
        };
        let case_written = match &case {
            Some(case) => match crate::holidays::calendar(&self.env).await {
                Ok(calendar) => crate::cases::index(&self.env, case, &calendar).await,
                Err(failure) => Err(failure),
            },
            None => Ok(()),
        };
        let written = proxy_written.and(case_written);
        if let Err(failure) = written {
            worker::console_warn!("re-indexing failed again: {failure:?}");
            self.state
                .storage()
                .set_alarm(REINDEX_DELAY_MS * 10)
                .await?;
        }
        Response::empty()
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
                fingerprint,
            } => {
                if let Some(existing) = case {
                    crate::ops::one();
                    let stored: Option<String> = storage.get("fingerprint").await?;
                    return match (fingerprint, stored) {
                        (Some(sent), Some(stored)) if sent == stored => {
                            let query_code: String =
                                storage.get("query").await?.unwrap_or_default();
                            Response::from_json(&Created {
                                case: existing,
                                query_code,
                                replayed: true,
                            })
                        }
                        (Some(_), Some(_)) => reply(
                            409,
                            "idempotency_conflict",
                            "该 Idempotency-Key 已用于另一份不同的受理请求",
                        ),
                        _ => reply(409, "case_exists", "该受理编号已存在"),
                    };
                }
                // A 代办 request's number is its own: its case comes only from ProxyAccept.
                if self.proxy().await?.is_some() {
                    return reply(409, "case_exists", "该受理编号已存在");
                }
                crate::ops::one();
                storage
                    .put_multiple(Opened {
                        case: Some(serde_json::to_string(&new)?),
                        proxy: None,
                        query: Some(query_code.clone()),
                        fingerprint,
                    })
                    .await?;
                Ok(Response::from_json(&Created {
                    case: *new,
                    query_code,
                    replayed: false,
                })?
                .with_status(201))
            }
            CaseCommand::Reindex => {
                crate::ops::one();
                storage.set_alarm(REINDEX_DELAY_MS).await?;
                Response::from_json(&"queued")
            }
            CaseCommand::Get => match case {
                Some(c) => Response::from_json(&c),
                None => reply(404, "no_case", "没有该办件"),
            },
            CaseCommand::Receipt => match case {
                Some(case) => {
                    crate::ops::one();
                    let query_code: String = storage.get("query").await?.unwrap_or_default();
                    Response::from_json(&Receipt { case, query_code })
                }
                None => reply(404, "no_case", "没有该办件"),
            },
            CaseCommand::Append {
                event,
                key,
                crash_after_store,
            } => {
                let Some(c) = case.as_mut() else {
                    return reply(404, "no_case", "没有该办件");
                };
                let mut keys: Vec<Keyed> = Vec::new();
                if let Some(key) = &key {
                    crate::ops::one();
                    keys = storage.get("event_keys").await?.unwrap_or_default();
                    if let Some(seen) = keys.iter().find(|k| k.key == key.key) {
                        return if seen.fingerprint == key.fingerprint {
                            Response::from_json(&c)
                        } else {
                            reply(
                                409,
                                "idempotency_conflict",
                                "该 Idempotency-Key 已用于另一条不同的记录",
                            )
                        };
                    }
                }
                let calendar = calendar.unwrap_or_else(HolidayCalendar::builtin);
                if let Err(e) = c.record(event, &calendar) {
                    return reply(409, "invalid_transition", e.to_string());
                }
                crate::ops::one();
                storage.put("case", serde_json::to_string(&c)?).await?;
                if let Some(key) = key {
                    keys.push(key);
                    let drop = keys.len().saturating_sub(EVENT_KEYS);
                    keys.drain(..drop);
                    storage.put("event_keys", keys).await?;
                }
                if crash_after_store {
                    return Err(worker::Error::RustError(
                        "injected: the object stopped after storing the event".into(),
                    ));
                }
                Response::from_json(&c)
            }
            CaseCommand::Rate {
                query_code,
                level,
                comment,
                at,
            } => {
                // A 代办 request not yet accepted has the right code but nothing to rate:
                // refused as such, not counted as a wrong guess.
                let exists = case.is_some() || self.proxy().await?.is_some();
                if let Err(answer) = self.verify_code(exists, &query_code).await? {
                    return Ok(answer);
                }
                let Some(mut c) = case else {
                    return reply(
                        409,
                        "rating_refused",
                        "受理中心尚未受理该代办件，办结后才能评价",
                    );
                };
                if let Err(e) = c.rate(level, comment.as_deref(), &at) {
                    return reply(409, "rating_refused", e.to_string());
                }
                crate::ops::one();
                storage.put("case", serde_json::to_string(&c)?).await?;
                Response::from_json(&c)
            }
            CaseCommand::FollowUp { call } => {
                let Some(c) = case.as_mut() else {
                    return reply(404, "no_case", "没有该办件");
                };
                if let Err(e) = c.follow_up(call) {
                    return reply(409, "follow_up_refused", e.to_string());
                }
                crate::ops::one();
                storage.put("case", serde_json::to_string(&c)?).await?;
                Response::from_json(&c)
            }
            CaseCommand::ProxyCreate {
                request,
                query_code,
                fingerprint,
            } => {
                self.proxy_create(case, *request, query_code, fingerprint)
                    .await
            }
            CaseCommand::ProxyRecord { step } => {
                let Some(mut request) = self.proxy().await? else {
                    return reply(404, "no_proxy", "没有该代办件");
                };
                let finished = case.as_ref().is_some_and(crate::cases::result_ready);
                if let Err(e) = request.record(step, finished) {
                    return reply(409, "invalid_transition", e.to_string());
                }
                crate::ops::one();
                storage
                    .put("proxy", serde_json::to_string(&request)?)
                    .await?;
                Response::from_json(&Found {
                    case,
                    proxy: Some(request),
                })
            }
            CaseCommand::ProxyAccept { case: new, step } => {
                let Some(mut request) = self.proxy().await? else {
                    return reply(404, "no_proxy", "没有该代办件");
                };
                if case.is_some() {
                    return reply(409, "case_exists", "该代办件已受理");
                }
                if let Err(e) = request.record(step, false) {
                    return reply(409, "invalid_transition", e.to_string());
                }
                crate::ops::one();
                // Both or neither: a case without its request's 受理 step would leave the
                // request open to withdrawal while the hall works on it.
                let mut new = new;
                new.proxy_from = Some(request.village.clone());
                storage
                    .put_multiple(Opened {
                        case: Some(serde_json::to_string(&new)?),
                        proxy: Some(serde_json::to_string(&request)?),
                        query: None,
                        fingerprint: None,
                    })
                    .await?;
                Response::from_json(&Found {
                    case: Some(*new),
                    proxy: Some(request),
                })
            }
            CaseCommand::ProxyReceipt => match self.proxy().await? {
                Some(request) => {
                    crate::ops::one();
                    let query_code: String = storage.get("query").await?.unwrap_or_default();
                    Response::from_json(&ProxyCreated {
                        request,
                        query_code,
                        replayed: false,
                    })
                }
                None => reply(404, "no_proxy", "没有该代办件"),
            },
            CaseCommand::LookupAll { query_code } => {
                let proxy = self.proxy().await?;
                let exists = case.is_some() || proxy.is_some();
                match self.verify_code(exists, &query_code).await? {
                    Ok(()) => Response::from_json(&Found { case, proxy }),
                    Err(answer) => Ok(answer),
                }
            }
        }
    }
}

impl CaseObject {
    /// The 代办 request stored under this number, if any.
    async fn proxy(&self) -> Result<Option<ProxyRequest>> {
        crate::ops::one();
        let stored: Option<String> = self.state.storage().get("proxy").await?;
        Ok(match stored {
            Some(json) => Some(serde_json::from_str(&json)?),
            None => None,
        })
    }

    async fn proxy_create(
        &self,
        case: Option<Case>,
        request: ProxyRequest,
        query_code: String,
        fingerprint: Option<String>,
    ) -> Result<Response> {
        let storage = self.state.storage();
        if let Some(existing) = self.proxy().await? {
            crate::ops::one();
            let stored: Option<String> = storage.get("fingerprint").await?;
            return match (fingerprint, stored) {
                (Some(sent), Some(stored)) if sent == stored => {
                    let query_code: String = storage.get("query").await?.unwrap_or_default();
                    Response::from_json(&ProxyCreated {
                        request: existing,
                        query_code,
                        replayed: true,
                    })
                }
                (Some(_), Some(_)) => reply(
                    409,
                    "idempotency_conflict",
                    "该 Idempotency-Key 已用于另一份不同的代办登记",
                ),
                _ => reply(409, "case_exists", "该受理编号已存在"),
            };
        }
        if case.is_some() {
            return reply(409, "case_exists", "该受理编号已存在");
        }
        crate::ops::one();
        storage
            .put_multiple(Opened {
                case: None,
                proxy: Some(serde_json::to_string(&request)?),
                query: Some(query_code.clone()),
                fingerprint,
            })
            .await?;
        Ok(Response::from_json(&ProxyCreated {
            request,
            query_code,
            replayed: false,
        })?
        .with_status(201))
    }

    /// Checks the query code for a number that holds something (`exists`), counting
    /// failures. An unknown number and a wrong code give the same answer; too many wrong
    /// codes lock the number for a while.
    async fn verify_code(
        &self,
        exists: bool,
        presented: &str,
    ) -> Result<std::result::Result<(), Response>> {
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
        let matches = match (exists, expected, QueryCode::parse(presented)) {
            (true, Some(expected), Ok(presented)) => QueryCode::parse(&expected)
                .map(|e| e.matches(&presented))
                .unwrap_or(false),
            _ => false,
        };
        if matches {
            if !failures.is_empty() {
                crate::ops::one();
                storage.put("failures", Vec::<f64>::new()).await?;
            }
            Ok(Ok(()))
        } else {
            failures.push(now);
            crate::ops::one();
            storage.put("failures", failures).await?;
            Ok(Err(reply(404, "no_case", "受理编号或查询码不正确")?))
        }
    }
}
