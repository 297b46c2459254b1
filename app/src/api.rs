//! Typed client of the edge API: the search index a search page downloads once.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::http::Request;
use thiserror::Error;
use zhinan_domain::catalog::search::SearchIndex;

/// The message of an error answer: all the app reads of the body (its field paths would
/// bring their parser into the citizen bundle).
#[derive(serde::Deserialize)]
struct ErrorBody {
    error: String,
}

#[derive(Debug, Clone, Error)]
pub enum ApiError {
    #[error("网络连接失败，请检查网络后重试")]
    Network,
    #[error("{0}")]
    Server(String),
    #[error("服务器返回的数据无法读取")]
    Decode,
    #[error("没有找到")]
    NotFound,
}

async fn get_json<T: serde::de::DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    match response.status() {
        200 => response.json().await.map_err(|_| ApiError::Decode),
        404 => Err(ApiError::NotFound),
        _ => Err(match response.json::<ErrorBody>().await {
            Ok(body) => ApiError::Server(body.error),
            Err(_) => ApiError::Server(format!("服务器错误（{}）", response.status())),
        }),
    }
}

thread_local! {
    /// The search index of one county (pinyin included) and the scope it was asked for,
    /// downloaded once per page load.
    static SEARCH_INDEX: RefCell<Option<(Option<String>, Rc<SearchIndex>)>> =
        const { RefCell::new(None) };
}

/// The index already downloaded for `scope`, if any.
pub fn cached_search_index(scope: Option<&str>) -> Option<Rc<SearchIndex>> {
    SEARCH_INDEX.with(|c| {
        c.borrow()
            .as_ref()
            .filter(|(s, _)| s.as_deref() == scope)
            .map(|(_, index)| index.clone())
    })
}

/// The search index of the county of hall `scope` (of the only county when `None`).
pub async fn search_index(scope: Option<&str>) -> Result<Rc<SearchIndex>, ApiError> {
    if let Some(cached) = cached_search_index(scope) {
        return Ok(cached);
    }
    let url = match scope {
        Some(hall) => format!(
            "/api/v1/search-index?hall={}",
            zhinan_ui::search::encode(hall)
        ),
        None => "/api/v1/search-index".to_string(),
    };
    let index: SearchIndex = get_json(&url).await?;
    let index = Rc::new(index);
    SEARCH_INDEX.with(|c| *c.borrow_mut() = Some((scope.map(str::to_string), index.clone())));
    Ok(index)
}
