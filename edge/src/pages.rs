//! Server-rendered public pages: the whole readable guide in the first response, with
//! inline CSS and nothing render-blocking; the app bundle loads after and takes over.

use html_escape::encode_quoted_attribute;
use leptos::prelude::*;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use zhinan_ui::{page_view, Page, PageData, PAGE_DATA_ID};

include!(concat!(env!("OUT_DIR"), "/app_head.rs"));

/// Critical CSS, inlined so the first paint needs no second request.
pub(crate) const CSS: &str = concat!(
    include_str!("../../style/app.css"),
    include_str!("../../style/cases.css")
);
/// Inline boot script: elderly mode before first paint, the 大字模式 button working before
/// the app has taken the page over, and `zhinanAfterPaint`, which holds the read-aloud
/// script, the service worker and the app until the page's first contentful paint (the
/// load event where the browser reports no paints): nothing but the page is fetched
/// before a citizen sees it.
pub(crate) const BOOT_JS: &str = include_str!("boot.js");
/// The 朗读 controls, outside the app's root so its take-over keeps them; hidden until
/// `/readaloud.js` finds a guide on screen and a Chinese voice.
const READ_ALOUD: &str = concat!(
    "<div id=\"read-aloud\" class=\"read-aloud\" role=\"group\" aria-label=\"朗读本页指南\" hidden>",
    "<button type=\"button\" class=\"button\" id=\"read-aloud-start\">朗读</button>",
    "<button type=\"button\" class=\"button button-secondary\" id=\"read-aloud-pause\" aria-pressed=\"false\" hidden>暂停</button>",
    "<button type=\"button\" class=\"button button-secondary\" id=\"read-aloud-stop\" hidden>停止</button></div>"
);

/// The embed frames' inline script (`src/embed_frame.js`), pinned by [`EMBED_SCRIPT_HASH`]:
/// reports the page's height to a listed parent on every change it sees, and again a few
/// times after loading or being asked, since Chromium does not lay out (nor tell a
/// ResizeObserver about) a frame from another site while it is off screen.
const EMBED_JS: &str = include_str!("embed_frame.js");

/// What a page says about itself in its head: the tab title, the title and description a
/// shared link shows (WeChat, search results), and its canonical address.
struct Head {
    title: String,
    /// The page's own name, without the site's: the site is `og:site_name`.
    share_title: String,
    description: String,
    /// Path (and query) of the page's canonical URL; `None` for a not-found page, which
    /// has no address of its own to claim.
    path: Option<String>,
}

/// The characters a path segment cannot carry as they are (codes and ids are ASCII
/// slugs, but an id from the catalog is data, not a promise).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// `text` made safe as one path segment.
pub fn segment(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

/// "到现场次数0次（不见面）", "到现场次数2次".
fn visits_text(visits: u8) -> String {
    if visits == 0 {
        "到现场次数0次（不见面）".to_string()
    } else {
        format!("到现场次数{visits}次")
    }
}

fn head(page: &Page) -> Head {
    match page {
        Page::Home { catalog } => Head {
            title: "办事指南 · 政务服务中心".to_string(),
            share_title: "办事指南 · 政务服务中心".to_string(),
            description: format!(
                "{} 个政务服务事项的办事指南：材料、地点、时限、网上办和邮寄办。",
                catalog.total()
            ),
            path: Some("/".to_string()),
        },
        Page::Hall { hall, rows } => Head {
            title: format!("{} · 办事指南", hall.name),
            share_title: hall.name.clone(),
            description: format!(
                "{}（{}）可办的 {} 个事项：要带的材料、办理窗口和时限。",
                hall.name,
                hall.address,
                rows.len()
            ),
            path: Some(format!("/h/{}", segment(&hall.id))),
        },
        // A shared guide link shows what people ask first: how long it takes and how
        // many trips to the hall.
        Page::Guide { item, .. } => Head {
            title: format!("{} · 办事指南", item.name),
            share_title: item.name.clone(),
            description: format!(
                "{}：法定办结时限{}，承诺办结时限{}，{}，需带{}项材料。{}",
                item.name,
                item.legal_limit.label(),
                item.promised_limit.label(),
                visits_text(item.visits),
                item.required_materials().count(),
                item.department
            ),
            path: Some(format!("/g/{}", segment(&item.code))),
        },
        Page::NotFound { .. } => Head {
            title: "没有找到这个事项 · 办事指南".to_string(),
            share_title: "没有找到这个事项".to_string(),
            description: "事项不存在".to_string(),
            path: None,
        },
        Page::Search { query, .. } => Head {
            title: if query.is_empty() {
                "搜索事项 · 办事指南".to_string()
            } else {
                format!("{query} · 搜索事项 · 办事指南")
            },
            share_title: if query.is_empty() {
                "搜索事项".to_string()
            } else {
                format!("{query} · 搜索事项")
            },
            description: "按事项名称、拼音、首字母或常用说法搜索政务服务事项。".to_string(),
            // The query is the page; filters only narrow it.
            path: Some(if query.is_empty() {
                "/s".to_string()
            } else {
                format!(
                    "/s?q={}",
                    form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
                )
            }),
        },
        Page::LifeEvent { event, .. } => Head {
            title: format!("{} · 一件事一次办 · 办事指南", event.name),
            share_title: format!("{} · 一件事一次办", event.name),
            description: event.summary.clone(),
            path: Some(format!("/e/{}", segment(&event.id))),
        },
        // The printable notice repeats the guide: search engines should index the
        // guide, the permanent address printed on posters.
        Page::Print { item, .. } => Head {
            title: format!("{} · 一次性告知单", item.name),
            share_title: format!("{} · 一次性告知单", item.name),
            description: format!("{}：需带材料、办理地点、时间和时限，一页打印。", item.name),
            path: Some(format!("/g/{}", segment(&item.code))),
        },
        Page::Progress { .. } => Head {
            title: "办件进度查询 · 办事指南".to_string(),
            share_title: "办件进度查询".to_string(),
            description: "凭受理编号和查询码查看办件进度、办结日期，并评价服务。".to_string(),
            path: Some("/c".to_string()),
        },
    }
}

/// The head's link and meta tags naming the page for search engines and shared links:
/// canonical URL, the icon and Open Graph. Every value is attribute-escaped. (The web app
/// manifest is linked by the boot script once the page has painted.)
fn head_tags(origin: &str, head: &Head) -> String {
    let origin = origin.trim_end_matches('/');
    let url = head
        .path
        .as_ref()
        .map(|path| encode_quoted_attribute(&format!("{origin}{path}")).into_owned());
    let mut tags = String::new();
    if let Some(url) = &url {
        tags.push_str(&format!("<link rel=\"canonical\" href=\"{url}\">"));
    }
    tags.push_str(ICON_LINK);
    tags.push_str(&format!(
        concat!(
            "<meta property=\"og:type\" content=\"website\">",
            "<meta property=\"og:site_name\" content=\"办事指南\">",
            "<meta property=\"og:title\" content=\"{title}\">",
            "<meta property=\"og:description\" content=\"{description}\">"
        ),
        title = encode_quoted_attribute(&head.share_title),
        description = encode_quoted_attribute(&head.description),
    ));
    if let Some(url) = &url {
        tags.push_str(&format!("<meta property=\"og:url\" content=\"{url}\">"));
    }
    tags
}

/// `page` with a note at the top saying whose poster it was opened from (outside the
/// app's root: the app's take-over keeps it). The text is escaped.
pub fn with_poster_note(page: &str, poster: &zhinan_domain::catalog::poster::Poster) -> String {
    let note = format!(
        "<p class=\"poster-note\" role=\"note\" id=\"poster-note\">{}</p>",
        encode_quoted_attribute(&poster.landing_note())
    );
    page.replacen("<body>", &format!("<body>{note}"), 1)
}

/// Content-Security-Policy for rendered pages: our own scripts (hash-pinned inline
/// bootstrap, wasm) and nothing from elsewhere.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {APP_SCRIPT_HASHES} {BOOT_SCRIPT_HASH}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The guide's schema.org `GovernmentService` as a JSON-LD block (none for other pages,
/// nor for a withdrawn item: search engines should not offer what is no longer done).
fn structured_data(data: &PageData) -> String {
    let Page::Guide { item, hall, .. } = &data.page else {
        return String::new();
    };
    if item.withdrawn.is_some() {
        return String::new();
    }
    let url = format!("{}/g/{}", data.origin.trim_end_matches('/'), item.code);
    let value = zhinan_domain::catalog::structured::government_service(item, hall.as_ref(), &url);
    format!(
        "<script type=\"application/ld+json\">{}</script>",
        zhinan_domain::catalog::structured::script_text(&value)
    )
}

/// The complete HTML document for `data`.
pub fn render_document(data: &PageData) -> String {
    let head = head(&data.page);
    let body = Owner::new().with(|| page_view(data.clone()).to_html());
    let json = data.to_script_json();
    format!(
        concat!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>{title}</title><meta name=\"description\" content=\"{description}\">{tags}{ld}",
            "<meta name=\"theme-color\" content=\"#0b5cad\">",
            "<script>{boot}</script>",
            "<style>{css}</style>",
            "<noscript><style>.js-only{{display:none!important}}</style></noscript>{app_head}</head>",
            "<body><div id=\"app\">{body}</div>{read_aloud}",
            "<script type=\"application/json\" id=\"{data_id}\">{json}</script></body></html>"
        ),
        // Escaped for any place in a page (`& < > " '`): the title is text, the
        // description a double-quoted attribute.
        title = encode_quoted_attribute(&head.title),
        description = encode_quoted_attribute(&head.description),
        tags = head_tags(&data.origin, &head),
        ld = structured_data(data),
        css = CSS,
        boot = BOOT_JS,
        app_head = APP_HEAD,
        body = body,
        read_aloud = READ_ALOUD,
        data_id = PAGE_DATA_ID,
        json = json,
    )
}

/// The page's content (its `<main>`) with the links that stay inside an embed pointing at
/// the embed routes: guides (not their print notice), search and the progress lookup, and
/// their forms. Everything else opens in a new tab (the document's `<base target>`).
fn embed_links(main: &str) -> String {
    let mut out = String::with_capacity(main.len() + 256);
    let mut rest = main;
    while let Some(at) = rest.find(['h', 'a']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let (attribute, value_start) = if rest.starts_with("href=\"") {
            ("href", 6)
        } else if rest.starts_with("action=\"") {
            ("action", 8)
        } else {
            out.push_str(&rest[..1]);
            rest = &rest[1..];
            continue;
        };
        let Some(len) = rest[value_start..].find('"') else {
            break;
        };
        let value = &rest[value_start..value_start + len];
        let path = value.split(['?', '#']).next().unwrap_or("");
        let inside =
            (path.starts_with("/g/") && !path.ends_with("/print")) || path == "/s" || path == "/c";
        if inside {
            out.push_str(&format!("target=\"_self\" {attribute}=\"/embed{value}\""));
        } else {
            out.push_str(&rest[..value_start + len + 1]);
        }
        rest = &rest[value_start + len + 1..];
    }
    out.push_str(rest);
    out
}

/// The content of `data`'s page for an iframe on a government website: the page's main
/// part without the hall header and footer, readable without the app (no app bundle is
/// loaded), links kept in the frame or opened in a new tab, a 大字模式 switch and a
/// link to the full page, and the small script that reports the height to the frame's
/// parent when that parent is one of `origins`.
pub fn render_embed(data: &PageData, full_path: &str, origins: &[String]) -> String {
    let head = head(&data.page);
    let whole = Owner::new().with(|| page_view(data.clone()).to_html());
    let main = whole
        .find("<main")
        .zip(whole.rfind("</main>"))
        .map(|(start, end)| &whole[start..end + "</main>".len()])
        .unwrap_or(&whole);
    // JSON inside a script element: `<` escaped so no origin text can close it.
    let origins_json = serde_json::to_string(origins)
        .unwrap_or_else(|_| "[]".into())
        .replace('<', "\\u003c");
    format!(
        concat!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>{title}</title><meta name=\"robots\" content=\"noindex\">",
            "<link rel=\"canonical\" href=\"{canonical}\"><base target=\"_blank\">",
            "<style>{css}</style>",
            "<script type=\"application/json\" id=\"zhinan-embed-origins\">{origins}</script>",
            "<script>{script}</script></head>",
            "<body class=\"embedded\"><div class=\"embed-bar\">",
            "<button type=\"button\" class=\"embed-toggle\" id=\"embed-elderly\" aria-pressed=\"false\" hidden>大字模式</button>",
            "<a class=\"embed-open\" href=\"{canonical}\" rel=\"noopener\">在新窗口打开</a></div>",
            "{main}</body></html>"
        ),
        title = encode_quoted_attribute(&head.title),
        canonical = encode_quoted_attribute(&format!(
            "{}{full_path}",
            data.origin.trim_end_matches('/')
        )),
        css = CSS,
        origins = origins_json,
        script = EMBED_JS,
        main = embed_links(main),
    )
}

/// The whole page, or with `embed` (the listed origins) its content for a frame;
/// `full_path` is the page's own address, which an embed links to.
pub fn render(data: &PageData, embed: Option<&[String]>, full_path: &str) -> String {
    match embed {
        Some(origins) => render_embed(data, full_path, origins),
        None => render_document(data),
    }
}

/// Content-Security-Policy of an embed: only the frame script by its hash, and only the
/// listed websites may frame it — and our own origin, for the console's preview.
pub fn embed_security_policy(origins: &[String]) -> String {
    let ancestors = std::iter::once("'self'")
        .chain(origins.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "default-src 'self'; script-src {EMBED_SCRIPT_HASH}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}"
    )
}

/// Part of every page ETag: a new app build must not be answered with a stale page.
pub fn build_id() -> &'static str {
    BUILD_ID
}

#[cfg(test)]
mod tests {
    use zhinan_domain::{DayUnit, Item, TimeLimit};
    use zhinan_ui::Page;

    use super::{embed_links, head, head_tags, render_document};

    #[test]
    fn embeds_keep_guide_search_and_lookup_links_inside_and_nothing_else() {
        let main = concat!(
            r#"<a class="entry" href="/g/A-1">x</a><a href="/g/A-1/print">p</a>"#,
            r#"<a href="/s?q=%E5%8A%9E">s</a><form action="/c" method="post"></form>"#,
            r#"<a href="/e/fangchan">e</a><a href="https://www.hnzwfw.gov.cn/">w</a>"#,
            r#"<p>hash and action words stay: &quot;href=&quot;</p>"#
        );
        let out = embed_links(main);
        assert!(
            out.contains(r#"target="_self" href="/embed/g/A-1""#),
            "{out}"
        );
        assert!(out.contains(r#"<a href="/g/A-1/print">"#), "{out}");
        assert!(
            out.contains(r#"target="_self" href="/embed/s?q=%E5%8A%9E""#),
            "{out}"
        );
        assert!(out.contains(r#"target="_self" action="/embed/c""#), "{out}");
        assert!(out.contains(r#"<a href="/e/fangchan">"#), "{out}");
        assert!(
            out.contains(r#"<a href="https://www.hnzwfw.gov.cn/">"#),
            "{out}"
        );
        assert!(out.ends_with("<p>hash and action words stay: &quot;href=&quot;</p>"));
    }

    const ORIGIN: &str = "https://zhinan.example.gov.cn";

    fn item() -> Item {
        serde_json::from_str(include_str!("../../domain/src/catalog/fixtures/item.json")).unwrap()
    }

    fn guide(item: Item) -> Page {
        Page::Guide {
            item: Box::new(item),
            hall: None,
            villages: Vec::new(),
            more_villages: 0,
        }
    }

    #[test]
    fn a_shared_guide_names_its_time_limits_and_visits() {
        let mut item = item();
        item.legal_limit = TimeLimit {
            value: 20,
            unit: DayUnit::WorkingDays,
        };
        item.promised_limit = TimeLimit {
            value: 5,
            unit: DayUnit::WorkingDays,
        };
        item.visits = 1;
        let head = head(&guide(item.clone()));
        assert_eq!(head.share_title, item.name);
        assert!(
            head.description
                .contains("法定办结时限20个工作日，承诺办结时限5个工作日，到现场次数1次"),
            "{}",
            head.description
        );
        item.visits = 0;
        assert!(head_tags(ORIGIN, &super::head(&guide(item))).contains("到现场次数0次（不见面）"));
    }

    #[test]
    fn every_page_with_an_address_names_it_canonically_and_for_sharing() {
        let item = item();
        let url = format!("{ORIGIN}/g/{}", item.code);
        let tags = head_tags(&format!("{ORIGIN}/"), &head(&guide(item.clone())));
        assert!(
            tags.contains(&format!("<link rel=\"canonical\" href=\"{url}\">")),
            "{tags}"
        );
        assert!(tags.contains(&format!("<meta property=\"og:url\" content=\"{url}\">")));
        assert!(tags.contains("<meta property=\"og:type\" content=\"website\">"));
        assert!(tags.contains("<meta property=\"og:site_name\" content=\"办事指南\">"));
        assert!(
            tags.contains("<link rel=\"icon\" type=\"image/svg+xml\" href=\"data:image/svg+xml,")
        );
        // The printable notice points search engines at its guide.
        let print = Page::Print {
            item: Box::new(item),
            hall: None,
            qr: None,
        };
        assert_eq!(head(&print).path.as_deref(), url.strip_prefix(ORIGIN));
        let not_found = Page::NotFound { code: "X".into() };
        let tags = head_tags(ORIGIN, &head(&not_found));
        assert!(
            !tags.contains("canonical") && !tags.contains("og:url"),
            "{tags}"
        );
    }

    #[test]
    fn head_values_are_escaped() {
        let mut item = item();
        item.name = "\"><script>alert(1)</script>".into();
        item.code = "A\"B".into();
        let tags = head_tags(ORIGIN, &head(&guide(item)));
        assert!(!tags.contains("<script"), "{tags}");
        assert!(!tags.contains("A\"B"), "{tags}");
        assert!(tags.contains("/g/A%22B"), "{tags}");
    }

    #[test]
    fn the_rendered_head_carries_the_tags() {
        let item = item();
        let html = render_document(&zhinan_ui::PageData {
            origin: ORIGIN.into(),
            page: guide(item.clone()),
        });
        let head_part = &html[..html.find("</head>").unwrap()];
        assert!(head_part.contains(&format!(
            "<link rel=\"canonical\" href=\"{ORIGIN}/g/{}\">",
            item.code
        )));
        assert!(head_part.contains(&format!(
            "<meta property=\"og:title\" content=\"{}\">",
            item.name
        )));
    }
}
