//! Building responses: JSON errors with a stable shape, caching headers, security
//! headers and compression.

use worker::{Headers, Request, Response, Result};
use zhinan_domain::api::ApiError;
use zhinan_domain::FieldPath;

/// What a 503 asks clients to wait before trying again (`Retry-After`).
pub const UNAVAILABLE_RETRY_SECS: u32 = 30;

/// Why a request failed, mapped to one HTTP answer each.
#[derive(Debug)]
pub enum Failure {
    BadRequest(ApiError),
    NotFound(ApiError),
    /// No or unknown API key.
    Unauthorized,
    /// A valid key, but not for this hall.
    Forbidden(String),
    /// The request is valid but the state refuses it (e.g. an invalid case transition).
    Conflict(ApiError),
    /// Too many attempts; retry after that many seconds.
    TooMany(u32),
    /// The store did not answer or held something unreadable: never the caller's fault.
    Unavailable(String),
    /// Refused unread for its size (411, 413, 414 or 431, see `limits`).
    Oversize(u16, ApiError),
}

impl From<worker::Error> for Failure {
    fn from(e: worker::Error) -> Self {
        Failure::Unavailable(e.to_string())
    }
}

impl From<worker::kv::KvError> for Failure {
    fn from(e: worker::kv::KvError) -> Self {
        Failure::Unavailable(e.to_string())
    }
}

impl Failure {
    pub fn bad_request(
        code: &str,
        message: impl Into<String>,
        field: impl Into<FieldPath>,
    ) -> Failure {
        let message = message.into();
        Failure::BadRequest(ApiError::new(code, message.clone()).with_field(field, message))
    }

    /// 400 `bad_body` naming every field at fault; the first problem is the message.
    pub fn bad_fields(errors: Vec<zhinan_domain::FieldError>) -> Failure {
        let first = errors
            .first()
            .map(|e| e.message.clone())
            .unwrap_or_default();
        let mut error = ApiError::new("bad_body", first);
        error.fields = errors.into_iter().map(Into::into).collect();
        Failure::BadRequest(error)
    }

    pub fn not_found(code: &str, message: impl Into<String>) -> Failure {
        Failure::NotFound(ApiError::new(code, message))
    }

    pub fn into_json_response(self) -> Result<Response> {
        let retry_after = match &self {
            Failure::TooMany(secs) => Some(*secs),
            Failure::Unavailable(_) => Some(UNAVAILABLE_RETRY_SECS),
            _ => None,
        };
        let unauthorized = matches!(self, Failure::Unauthorized);
        let (status, body) = match self {
            Failure::BadRequest(e) => (400, e),
            Failure::NotFound(e) => (404, e),
            Failure::Unauthorized => (
                401,
                ApiError::new(
                    "unauthorized",
                    "需要有效的 API 密钥（Authorization: Bearer …）",
                ),
            ),
            Failure::Forbidden(message) => (403, ApiError::new("forbidden", message)),
            Failure::Conflict(e) => (409, e),
            Failure::TooMany(wait) => (
                429,
                ApiError::new(
                    "too_many_attempts",
                    zhinan_domain::cases::too_many_message(wait),
                ),
            ),
            Failure::Oversize(status, e) => (status, e),
            Failure::Unavailable(detail) => {
                worker::console_error!("store unavailable: {detail}");
                (
                    503,
                    ApiError::new("unavailable", "服务暂时不可用，请稍后再试"),
                )
            }
        };
        let mut response = Response::from_json(&body)?.with_status(status);
        response.headers_mut().set("Cache-Control", "no-store")?;
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .set("Retry-After", &secs.to_string())?;
        }
        if unauthorized {
            response.headers_mut().set("WWW-Authenticate", "Bearer")?;
        }
        secure(response)
    }

    pub fn conflict(code: &str, message: impl Into<String>) -> Failure {
        Failure::Conflict(ApiError::new(code, message))
    }

    /// The HTTP status this failure answers with.
    pub fn status(&self) -> u16 {
        match self {
            Failure::BadRequest(_) => 400,
            Failure::Unauthorized => 401,
            Failure::Forbidden(_) => 403,
            Failure::NotFound(_) => 404,
            Failure::Conflict(_) => 409,
            Failure::TooMany(_) => 429,
            Failure::Unavailable(_) => 503,
            Failure::Oversize(status, _) => *status,
        }
    }
}

/// Two years, subdomains too: a government domain is https everywhere.
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// Headers every response carries.
pub fn secure(mut response: Response) -> Result<Response> {
    let headers = response.headers_mut();
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("Referrer-Policy", "strict-origin-when-cross-origin")?;
    // Browsers heed it over https only: local http development is unaffected.
    headers.set("Strict-Transport-Security", HSTS)?;
    Ok(response)
}

/// True when the client's cached copy (`If-None-Match`) is still current.
pub fn not_modified(req: &Request, etag: &str) -> bool {
    req.headers()
        .get("If-None-Match")
        .ok()
        .flatten()
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
}

/// 304 with the validators, or the full response.
pub fn cached(
    req: &Request,
    etag: &str,
    cache_control: &str,
    build: impl FnOnce() -> Result<Response>,
) -> Result<Response> {
    let response = if not_modified(req, etag) {
        Response::empty()?.with_status(304)
    } else {
        compress(req, build()?)?
    };
    with_validators(response, etag, cache_control)
}

/// `response` with its ETag and cache policy (it varies by encoding), secured.
pub fn with_validators(
    mut response: Response,
    etag: &str,
    cache_control: &str,
) -> Result<Response> {
    let headers = response.headers_mut();
    headers.set("ETag", etag)?;
    headers.set("Cache-Control", cache_control)?;
    headers.append("Vary", "Accept-Encoding")?;
    secure(response)
}

/// Asks the runtime to compress the body (it encodes per `Content-Encoding`): brotli when
/// the client takes it, else gzip. Phones on one bar of signal feel every kilobyte.
pub fn compress(req: &Request, mut response: Response) -> Result<Response> {
    let accepts = req
        .headers()
        .get("Accept-Encoding")
        .ok()
        .flatten()
        .unwrap_or_default();
    let encoding = if accepts.contains("br") {
        Some("br")
    } else if accepts.contains("gzip") {
        Some("gzip")
    } else {
        None
    };
    if let Some(encoding) = encoding {
        response.headers_mut().set("Content-Encoding", encoding)?;
    }
    Ok(response)
}

/// A JSON answer that no cache may keep (personal or changing data).
pub fn json_no_store(value: &impl serde::Serialize, status: u16) -> Result<Response> {
    let mut response = Response::from_json(value)?
        .with_headers(json_headers()?)
        .with_status(status);
    response.headers_mut().set("Cache-Control", "no-store")?;
    secure(response)
}

pub const JSON_TYPE: &str = "application/json; charset=utf-8";

pub fn json_headers() -> Result<Headers> {
    let headers = Headers::new();
    headers.set("Content-Type", JSON_TYPE)?;
    Ok(headers)
}
