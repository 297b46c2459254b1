//! Server-rendered public pages: the whole readable guide in the first response, with
//! inline CSS and nothing render-blocking; the app bundle loads after and takes over.

use html_escape::encode_quoted_attribute;
use leptos::prelude::*;
use zhinan_ui::{page_view, Page, PageData, PAGE_DATA_ID};

include!(concat!(env!("OUT_DIR"), "/app_head.rs"));

/// Critical CSS, inlined so the first paint needs no second request.
const CSS: &str = concat!(
    include_str!("../../style/app.css"),
    include_str!("../../style/cases.css")
);
/// Inline boot script: elderly mode before first paint, service worker registration.
const BOOT_JS: &str = include_str!("boot.js");

/// Title and description of a page, for the tab, bookmarks and shared links.
fn head_text(page: &Page) -> (String, String) {
    match page {
        Page::Home { catalog } => (
            "办事指南 · 政务服务中心".to_string(),
            format!(
                "{} 个政务服务事项的办事指南：材料、地点、时限、网上办和邮寄办。",
                catalog.total()
            ),
        ),
        Page::Hall { hall, rows } => (
            format!("{} · 办事指南", hall.name),
            format!(
                "{}（{}）可办的 {} 个事项：要带的材料、办理窗口和时限。",
                hall.name,
                hall.address,
                rows.len()
            ),
        ),
        Page::Guide { item, .. } => (
            format!("{} · 办事指南", item.name),
            format!(
                "{}：承诺时限{}，需带{}项材料。{}",
                item.name,
                item.promised_limit.label(),
                item.required_materials().count(),
                item.department
            ),
        ),
        Page::NotFound { .. } => (
            "没有找到这个事项 · 办事指南".to_string(),
            "事项不存在".to_string(),
        ),
        Page::Search { query, .. } => (
            if query.is_empty() {
                "搜索事项 · 办事指南".to_string()
            } else {
                format!("{query} · 搜索事项 · 办事指南")
            },
            "按事项名称、拼音、首字母或常用说法搜索政务服务事项。".to_string(),
        ),
        Page::LifeEvent { event, .. } => (
            format!("{} · 一件事一次办 · 办事指南", event.name),
            event.summary.clone(),
        ),
        Page::Print { item, .. } => (
            format!("{} · 一次性告知单", item.name),
            format!("{}：需带材料、办理地点、时间和时限，一页打印。", item.name),
        ),
        Page::Progress { .. } => (
            "办件进度查询 · 办事指南".to_string(),
            "凭受理编号和查询码查看办件进度、办结日期，并评价服务。".to_string(),
        ),
    }
}

/// Content-Security-Policy for rendered pages: our own scripts (hash-pinned inline
/// bootstrap, wasm) and nothing from elsewhere.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {APP_SCRIPT_HASHES} {BOOT_SCRIPT_HASH}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
    )
}

/// The complete HTML document for `data`.
pub fn render_document(data: &PageData) -> String {
    let (title, description) = head_text(&data.page);
    let body = Owner::new().with(|| page_view(data.clone()).to_html());
    let json = data.to_script_json();
    format!(
        concat!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>{title}</title><meta name=\"description\" content=\"{description}\">",
            "<meta name=\"theme-color\" content=\"#0b5cad\">",
            "<link rel=\"manifest\" href=\"/manifest.webmanifest\">",
            "<script>{boot}</script>",
            "<style>{css}</style>",
            "<noscript><style>.js-only{{display:none!important}}</style></noscript>{app_head}</head>",
            "<body><div id=\"app\">{body}</div>",
            "<script type=\"application/json\" id=\"{data_id}\">{json}</script></body></html>"
        ),
        // Escaped for any place in a page (`& < > " '`): the title is text, the
        // description a double-quoted attribute.
        title = encode_quoted_attribute(&title),
        description = encode_quoted_attribute(&description),
        css = CSS,
        boot = BOOT_JS,
        app_head = APP_HEAD,
        body = body,
        data_id = PAGE_DATA_ID,
        json = json,
    )
}

/// Part of every page ETag: a new app build must not be answered with a stale page.
pub fn build_id() -> &'static str {
    BUILD_ID
}
