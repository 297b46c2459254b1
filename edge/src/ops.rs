//! Storage operations per request: KV reads, writes and lists, Durable Object storage and
//! SQL calls, and subrequests to Durable Objects. Cloudflare caps them per invocation
//! (1,000 KV operations), and the catalog must stay usable at a prefecture's 20,000 items,
//! so every request's count is bounded and the test suite checks the bound on every route.
//!
//! Counting is always on (an add to a number); it is *reported* only when the `COUNT_OPS`
//! var is "1" (local dev and tests), in the `X-Storage-Ops` response header. The counter
//! belongs to the isolate and only grows; a request reads the difference between its end
//! and its start. Requests that overlap in one isolate would share counts, so the tests
//! send one request at a time. A Durable Object reports its own count in the same header;
//! the worker adds it unless the object ran in the worker's own isolate (then its
//! operations are in the worker's difference already).

use std::cell::Cell;

use worker::{Env, Headers, Response};

/// The response header carrying the count.
pub const HEADER: &str = "X-Storage-Ops";

thread_local! {
    static COUNT: Cell<u64> = const { Cell::new(0) };
}

/// One storage operation (or `n`).
pub fn add(n: u64) {
    COUNT.with(|c| c.set(c.get() + n));
}

/// One storage operation.
pub fn one() {
    add(1);
}

/// Where a request's counting starts.
#[derive(Debug, Clone, Copy)]
pub struct Mark(u64);

pub fn mark() -> Mark {
    Mark(COUNT.with(Cell::get))
}

impl Mark {
    /// Operations since this mark.
    pub fn since(self) -> u64 {
        COUNT.with(Cell::get).saturating_sub(self.0)
    }
}

/// Whether this deployment reports counts (`COUNT_OPS = "1"`, never in production).
pub fn reporting(env: &Env) -> bool {
    env.var("COUNT_OPS").is_ok_and(|v| v.to_string() == "1")
}

/// The response with the count since `mark` added, when reporting. A response whose
/// headers are immutable (one fetched from a Durable Object or the assets) is copied.
pub fn reported(env: &Env, mark: Mark, mut response: Response) -> Response {
    if !reporting(env) {
        return response;
    }
    let count = mark.since().to_string();
    if response.headers_mut().set(HEADER, &count).is_ok() {
        return response;
    }
    let headers = Headers::new();
    for (name, value) in response.headers().entries() {
        let _ = headers.append(&name, &value);
    }
    let _ = headers.set(HEADER, &count);
    let status = response.status_code();
    let (_, body) = response.into_parts();
    Response::builder()
        .with_status(status)
        .with_headers(headers)
        .body(body)
}

/// After a subrequest to a Durable Object started at `before`: counts the subrequest and
/// the object's own operations from its `X-Storage-Ops` header, unless they were counted
/// here already (the object shared this isolate).
pub fn absorb(before: Mark, response: &Response) {
    one();
    let reported: u64 = response
        .headers()
        .get(HEADER)
        .ok()
        .flatten()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let seen_here = before.since().saturating_sub(1);
    if seen_here < reported {
        add(reported - seen_here);
    }
}
