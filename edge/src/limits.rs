//! Size limits checked before a request is read: a body is read whole by every handler,
//! so the bound comes first (413), and over-long addresses (414) and headers (431) are
//! refused as well. Pure: the handler gives the sizes, the tests run natively.

use worker::Method;

/// Any request's body unless its route says otherwise: every citizen and hall API body
/// (a lookup, a rating, a case, an event) is a few hundred bytes.
pub const BODY_MAX: usize = 64 * 1024;
/// A draft save carries a whole guide: long 设定依据 and many materials fit with room.
pub const DRAFT_MAX: usize = 1024 * 1024;
/// A hall's catalog sheet (XLSX or CSV), as the import itself allows.
pub const IMPORT_MAX: usize = 16 * 1024 * 1024;
/// Longer addresses than any page, search or API link the app makes.
pub const URL_MAX: usize = 4096;
/// All header names and values together (cookies included).
pub const HEADERS_MAX: usize = 16 * 1024;

/// Why a request is refused before it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Oversize {
    Url,
    Headers,
    /// The body is longer than `limit` bytes (or says so in `Content-Length`).
    Body {
        limit: usize,
    },
    /// A streamed body (`Transfer-Encoding`) without `Content-Length`: its size cannot be
    /// checked before reading.
    NoLength,
}

impl Oversize {
    pub fn status(&self) -> u16 {
        match self {
            Oversize::Url => 414,
            Oversize::Headers => 431,
            Oversize::Body { .. } => 413,
            Oversize::NoLength => 411,
        }
    }

    /// `(code, field, message)` of the JSON error.
    pub fn describe(&self) -> (&'static str, &'static str, String) {
        match self {
            Oversize::Url => ("url_too_long", "url", "地址过长".to_string()),
            Oversize::Headers => ("headers_too_large", "headers", "请求头过大".to_string()),
            Oversize::Body { limit } => (
                "body_too_large",
                "body",
                format!("请求内容过大（本接口最多 {}）", size_label(*limit)),
            ),
            Oversize::NoLength => (
                "length_required",
                "body",
                "请求缺少 Content-Length".to_string(),
            ),
        }
    }
}

fn size_label(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MB", bytes / 1024 / 1024)
    } else {
        format!("{} KB", bytes / 1024)
    }
}

/// The most a body of `method path` may hold.
pub fn body_limit(method: &Method, path: &str) -> usize {
    let staff = path.trim_start_matches("/api/v1/staff/");
    let segments: Vec<&str> = staff.trim_matches('/').split('/').collect();
    match (
        method,
        path.starts_with("/api/v1/staff/"),
        segments.as_slice(),
    ) {
        (Method::Post, true, ["import"]) => IMPORT_MAX,
        (Method::Put, true, ["items", _, "draft"]) => DRAFT_MAX,
        _ => BODY_MAX,
    }
}

/// Checks the sizes of a request before anything reads it.
pub fn check(
    method: &Method,
    path: &str,
    url_len: usize,
    headers_len: usize,
    content_length: Option<usize>,
    chunked: bool,
) -> Result<(), Oversize> {
    if url_len > URL_MAX {
        return Err(Oversize::Url);
    }
    if headers_len > HEADERS_MAX {
        return Err(Oversize::Headers);
    }
    match content_length {
        Some(len) if len > body_limit(method, path) => Err(Oversize::Body {
            limit: body_limit(method, path),
        }),
        Some(_) => Ok(()),
        None if chunked => Err(Oversize::NoLength),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_bodies_everywhere_larger_for_drafts_and_imports() {
        assert_eq!(body_limit(&Method::Post, "/api/v1/cases/lookup"), BODY_MAX);
        assert_eq!(body_limit(&Method::Post, "/c"), BODY_MAX);
        assert_eq!(
            body_limit(&Method::Put, "/api/v1/staff/items/X-1/draft"),
            DRAFT_MAX
        );
        assert_eq!(
            body_limit(&Method::Post, "/api/v1/staff/import"),
            IMPORT_MAX
        );
        // Only those routes: a sign-in or a publish is small.
        assert_eq!(body_limit(&Method::Post, "/api/v1/staff/login"), BODY_MAX);
        assert_eq!(body_limit(&Method::Put, "/api/v1/staff/import"), BODY_MAX);
    }

    #[test]
    fn refuses_before_reading() {
        let lookup = |len| check(&Method::Post, "/api/v1/cases/lookup", 40, 500, len, false);
        assert_eq!(lookup(Some(100)), Ok(()));
        assert_eq!(lookup(Some(BODY_MAX)), Ok(()));
        assert_eq!(
            lookup(Some(BODY_MAX + 1)),
            Err(Oversize::Body { limit: BODY_MAX })
        );
        // No body at all (a POST without one) is fine; a streamed one is not.
        assert_eq!(lookup(None), Ok(()));
        assert_eq!(
            check(&Method::Post, "/c", 20, 500, None, true),
            Err(Oversize::NoLength)
        );
        assert_eq!(check(&Method::Get, "/", 20, 500, None, false), Ok(()));
        assert_eq!(
            check(&Method::Get, "/s", URL_MAX + 1, 500, None, false),
            Err(Oversize::Url)
        );
        assert_eq!(
            check(&Method::Get, "/", 20, HEADERS_MAX + 1, None, false),
            Err(Oversize::Headers)
        );
        assert_eq!(Oversize::Body { limit: 1 }.status(), 413);
        assert!(Oversize::Body { limit: DRAFT_MAX }
            .describe()
            .2
            .contains("1 MB"));
    }
}
