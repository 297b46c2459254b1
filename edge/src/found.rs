//! Being found, and every link answering: `/robots.txt`, the sitemaps search engines read,
//! `/favicon.ico`, and a real 404 page for any path that is neither a route nor a file.
//!
//! Sitemaps never read the whole catalog: the index and the pages sitemap come from the
//! version's summary (`catalog:vN`), a hall's sitemap from that hall's rows alone, so each
//! answer is at most three storage operations at any catalog size.
//!
//! They sit at the site's root (`/sitemap-hall-{hall}.xml`, not `/sitemap/{hall}.xml`):
//! the protocol lets a sitemap list only URLs under its own directory, so one in
//! `/sitemap/` could not name `/g/{code}`.

use worker::{Env, Request, Response, Result};
use zhinan_domain::{Catalog, CatalogEntry};

use crate::explore::{param, query_pairs};
use crate::ops;
use crate::pages::{self, segment};
use crate::respond::{cached, secure, Failure};
use crate::store::CatalogStore;

/// The protocol's limit of URLs in one sitemap (and of sitemaps in one index).
pub const MAX_URLS: usize = 50_000;
/// Sitemaps change only on publish; crawlers may keep them a few minutes, then revalidate.
const SITEMAP_CACHE: &str = "public, max-age=300, must-revalidate";
const XML: &str = "application/xml; charset=utf-8";
/// The site icon, also answered at `/favicon.ico` (browsers and crawlers ask for it there
/// whatever the page's head says); built in, so it costs no storage operation.
const ICON: &str = include_str!("../../public/icon.svg");

type Answer = std::result::Result<Response, Failure>;

/// `/robots.txt`: citizen pages may be crawled; the staff console and the API may not.
pub fn robots_txt(origin: &str) -> String {
    format!(
        "User-agent: *\nAllow: /\nDisallow: /staff\nDisallow: /api/\n\nSitemap: {}/sitemap.xml\n",
        origin.trim_end_matches('/')
    )
}

/// Text made safe inside an XML element or attribute.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// How many sitemaps a hall of `count` items takes (none for a hall without items).
pub fn pages_of(count: usize) -> usize {
    count.div_ceil(MAX_URLS)
}

/// Path of page `page` (1-based) of a hall's sitemap. The first page has no query, so
/// the common case — every hall far below 50,000 items — is one plain file name.
pub fn hall_sitemap_path(hall: &str, page: usize) -> String {
    let file = format!("/sitemap-hall-{}.xml", segment(hall));
    if page <= 1 {
        file
    } else {
        format!("{file}?page={page}")
    }
}

/// An XML document of `<{wrapper}>` with one `<{entry}><loc>…</loc></{entry}>` per URL.
fn locations(wrapper: &str, entry: &str, urls: impl Iterator<Item = String>) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{wrapper} xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    );
    for url in urls {
        xml.push_str(&format!(
            "<{entry}><loc>{}</loc></{entry}>\n",
            xml_escape(&url)
        ));
    }
    xml.push_str(&format!("</{wrapper}>\n"));
    xml
}

/// `/sitemap.xml`: the sitemap index — the pages sitemap, then each hall's (paged past
/// [`MAX_URLS`] items), from the summary's item counts alone. A catalog has hundreds of
/// halls, far below the index's own limit of 50,000 sitemaps.
pub fn sitemap_index(origin: &str, catalog: &Catalog) -> String {
    let origin = origin.trim_end_matches('/');
    let pages = std::iter::once(format!("{origin}/sitemap-pages.xml"));
    let halls = catalog.hall_order().into_iter().flat_map(|hall| {
        let count = catalog.count_of(hall) as usize;
        (1..=pages_of(count)).map(move |page| format!("{origin}{}", hall_sitemap_path(hall, page)))
    });
    locations("sitemapindex", "sitemap", pages.chain(halls))
}

/// `/sitemap-pages.xml`: the ways in — home, search, progress lookup, each hall's page and
/// each life event. Its length follows the halls and life events (hundreds), not the items.
pub fn pages_sitemap(origin: &str, catalog: &Catalog) -> String {
    let origin = origin.trim_end_matches('/');
    let fixed = ["/", "/s", "/c"].into_iter().map(str::to_string);
    let halls = catalog
        .halls
        .iter()
        .map(|hall| format!("/h/{}", segment(&hall.id)));
    let events = catalog
        .life_events
        .iter()
        .map(|event| format!("/e/{}", segment(&event.id)));
    locations(
        "urlset",
        "url",
        fixed
            .chain(halls)
            .chain(events)
            .map(|path| format!("{origin}{path}")),
    )
}

/// Page `page` (1-based) of a hall's sitemap: the guides of its rows, [`MAX_URLS`] at
/// most; `None` past the last page.
pub fn hall_sitemap(origin: &str, rows: &[CatalogEntry], page: usize) -> Option<String> {
    if page == 0 || page > pages_of(rows.len()) {
        return None;
    }
    let origin = origin.trim_end_matches('/');
    let urls = rows
        .iter()
        .skip((page - 1) * MAX_URLS)
        .take(MAX_URLS)
        .map(|row| format!("{origin}/g/{}", segment(&row.code)));
    Some(locations("urlset", "url", urls))
}

/// The 404 page of a path nothing serves: in the site's look, without the app (there is
/// no page data to take over), pointing to the home page, search and the hotline.
pub fn not_found_document() -> String {
    format!(
        concat!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>页面不存在 · 办事指南</title>",
            "<meta name=\"robots\" content=\"noindex\">",
            "{icon}<script>{boot}</script><style>{css}</style></head><body>",
            "<header class=\"site-header\"><a class=\"brand\" href=\"/\">",
            "<span class=\"brand-mark\" aria-hidden=\"true\">指</span><span>办事指南</span></a>",
            "<nav class=\"header-nav\" aria-label=\"主要\"><a class=\"header-link\" href=\"/s\">搜索</a></nav></header>",
            "<main id=\"main\" class=\"page\"><section class=\"card notice-card\" aria-labelledby=\"nf-title\">",
            "<h1 id=\"nf-title\">页面不存在</h1>",
            "<p>您要打开的页面不存在。可能是链接或地址输入有误，或该页面已调整。</p>",
            "<p><a class=\"button\" href=\"/\">返回首页</a> <a class=\"button button-secondary\" href=\"/s\">搜索办事事项</a></p>",
            "<p class=\"muted\">也可以到大厅咨询台或拨打 <a href=\"tel:12345\">12345</a> 政务服务便民热线询问。</p>",
            "</section></main><footer class=\"site-footer\">",
            "<p>本页由政务服务中心发布。政府二维码不会要求付款、登录或填写身份证号。</p>",
            "</footer></body></html>"
        ),
        icon = pages::ICON_LINK,
        boot = pages::BOOT_JS,
        css = pages::CSS,
    )
}

/// The 404 answer: the page above, with the citizen pages' security headers, never cached
/// (the path may become a page with the next deploy or publish).
pub fn not_found() -> Result<Response> {
    let mut response = Response::from_html(not_found_document())?.with_status(404);
    let headers = response.headers_mut();
    headers.set("Content-Security-Policy", &pages::content_security_policy())?;
    headers.set("Cache-Control", "no-store")?;
    secure(response)
}

/// Any path no route takes: the file of that name from `dist/`, or the 404 page.
pub async fn asset(req: Request, env: &Env) -> Result<Response> {
    ops::one();
    let response = env.assets("ASSETS")?.fetch_request(req).await?;
    if response.status_code() == 404 {
        return not_found();
    }
    Ok(response)
}

/// A text answer of `content_type`, cached with an ETag.
fn text(req: &Request, etag: &str, cache: &str, content_type: &str, body: String) -> Answer {
    Ok(cached(req, etag, cache, || {
        let mut response = Response::ok(body.clone())?;
        response.headers_mut().set("Content-Type", content_type)?;
        Ok(response)
    })?)
}

/// A small constant answer: it changes only with a deploy, so an expiry is enough.
fn constant(body: String, content_type: &str, max_age: u32) -> Answer {
    let mut response = Response::ok(body)?;
    let headers = response.headers_mut();
    headers.set("Content-Type", content_type)?;
    headers.set("Cache-Control", &format!("public, max-age={max_age}"))?;
    Ok(secure(response)?)
}

pub fn robots(origin: &str) -> Answer {
    constant(robots_txt(origin), "text/plain; charset=utf-8", 3600)
}

pub fn favicon() -> Answer {
    constant(ICON.to_string(), "image/svg+xml", 86400)
}

/// `GET /sitemap.xml` or `/sitemap-pages.xml` (`pages`): from the version's summary.
pub async fn summary_sitemap(req: &Request, env: &Env, origin: &str, pages: bool) -> Answer {
    let store = CatalogStore::open(env)?;
    let version = store.current_version().await?;
    let etag = format!("\"{}{version}\"", if pages { "sp" } else { "si" });
    if crate::respond::not_modified(req, &etag) {
        return Ok(cached(req, &etag, SITEMAP_CACHE, Response::empty)?);
    }
    let catalog = store.catalog(version).await?;
    let body = if pages {
        pages_sitemap(origin, &catalog)
    } else {
        sitemap_index(origin, &catalog)
    };
    text(req, &etag, SITEMAP_CACHE, XML, body)
}

/// `GET /sitemap-hall-{hall}.xml[?page=N]`: that hall's guides, from its rows alone; an
/// unknown hall or a page past the last answers 404. Its ETag is the rows' content hash,
/// so a publish in another hall leaves crawlers' copies valid.
pub async fn hall_sitemap_answer(req: &Request, env: &Env, origin: &str, hall: &str) -> Answer {
    let pairs = query_pairs(req);
    let page = match param(&pairs, "page") {
        None => 1,
        Some(raw) => match raw.parse::<usize>() {
            Ok(page) => page,
            Err(_) => return Ok(not_found()?),
        },
    };
    let store = CatalogStore::open(env)?;
    let version = store.current_version().await?;
    let catalog = store.catalog(version).await?;
    let Some(section) = catalog.sections.get(hall) else {
        return Ok(not_found()?);
    };
    if page == 0 || page > pages_of(section.count as usize) {
        return Ok(not_found()?);
    }
    let etag = format!("\"sh{}-{page}\"", section.rows);
    if crate::respond::not_modified(req, &etag) {
        return Ok(cached(req, &etag, SITEMAP_CACHE, Response::empty)?);
    }
    let rows = store.rows(&catalog, hall).await?;
    match hall_sitemap(origin, &rows, page) {
        Some(body) => text(req, &etag, SITEMAP_CACHE, XML, body),
        None => Ok(not_found()?),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use zhinan_domain::{Catalog, CatalogEntry, Hall, HallSection, Item, Level, LifeEvent};

    use super::*;

    const ORIGIN: &str = "https://zhinan.example.gov.cn";

    fn hall(id: &str) -> Hall {
        Hall {
            id: id.into(),
            name: format!("{id}服务中心"),
            level: Level::County,
            address: String::new(),
            phone: String::new(),
            zones: Vec::new(),
            county: None,
            township: None,
            hours: Vec::new(),
        }
    }

    fn catalog(counts: &[(&str, u32)]) -> Catalog {
        Catalog {
            version: 7,
            published_at: "2026-11-29".into(),
            halls: counts.iter().map(|(id, _)| hall(id)).collect(),
            life_events: vec![LifeEvent {
                id: "kaiban".into(),
                name: "开办企业".into(),
                summary: String::new(),
                items: Vec::new(),
            }],
            sections: counts
                .iter()
                .map(|(id, count)| {
                    (
                        id.to_string(),
                        HallSection {
                            rows: format!("hash-{id}"),
                            count: *count,
                        },
                    )
                })
                .collect::<BTreeMap<_, _>>(),
            search: BTreeMap::new(),
        }
    }

    fn rows(count: usize) -> Vec<CatalogEntry> {
        let sample: Item =
            serde_json::from_str(include_str!("../../domain/src/catalog/fixtures/item.json"))
                .unwrap();
        let row = CatalogEntry::from(&sample);
        (0..count)
            .map(|n| CatalogEntry {
                code: format!("CODE-{n}"),
                ..row.clone()
            })
            .collect()
    }

    fn locs(xml: &str) -> Vec<&str> {
        xml.split("<loc>")
            .skip(1)
            .map(|part| part.split("</loc>").next().unwrap())
            .collect()
    }

    #[test]
    fn robots_keeps_crawlers_out_of_the_console_and_the_api_and_names_the_sitemap() {
        let text = robots_txt("https://zhinan.example.gov.cn/");
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.contains(&"User-agent: *"));
        assert!(lines.contains(&"Disallow: /staff"));
        assert!(lines.contains(&"Disallow: /api/"));
        assert!(lines.contains(&"Sitemap: https://zhinan.example.gov.cn/sitemap.xml"));
    }

    #[test]
    fn xml_text_is_escaped() {
        assert_eq!(
            xml_escape("/s?q=a&b<c>\"d'"),
            "/s?q=a&amp;b&lt;c&gt;&quot;d&apos;"
        );
        assert_eq!(xml_escape("办事指南"), "办事指南");
    }

    #[test]
    fn a_hall_takes_one_sitemap_per_fifty_thousand_items() {
        assert_eq!(pages_of(0), 0);
        assert_eq!(pages_of(1), 1);
        assert_eq!(pages_of(MAX_URLS), 1);
        assert_eq!(pages_of(MAX_URLS + 1), 2);
        assert_eq!(pages_of(3 * MAX_URLS), 3);
        assert_eq!(hall_sitemap_path("xinxian", 1), "/sitemap-hall-xinxian.xml");
        assert_eq!(
            hall_sitemap_path("xinxian", 2),
            "/sitemap-hall-xinxian.xml?page=2"
        );
        // An id is data: it cannot break out of its path segment.
        assert_eq!(hall_sitemap_path("a/b?c", 1), "/sitemap-hall-a%2Fb%3Fc.xml");
    }

    #[test]
    fn the_index_lists_the_pages_sitemap_and_each_hall_with_items_at_the_root() {
        let catalog = catalog(&[("xinxian", 40), ("shangji", 0), ("big", 120_000)]);
        let xml = sitemap_index(ORIGIN, &catalog);
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert!(
            xml.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
        );
        assert_eq!(
            locs(&xml),
            [
                "https://zhinan.example.gov.cn/sitemap-pages.xml",
                "https://zhinan.example.gov.cn/sitemap-hall-xinxian.xml",
                "https://zhinan.example.gov.cn/sitemap-hall-big.xml",
                "https://zhinan.example.gov.cn/sitemap-hall-big.xml?page=2",
                "https://zhinan.example.gov.cn/sitemap-hall-big.xml?page=3",
            ]
        );
    }

    #[test]
    fn the_pages_sitemap_lists_the_ways_in() {
        let catalog = catalog(&[("xinxian", 40), ("shangji", 0)]);
        let xml = pages_sitemap(&format!("{ORIGIN}/"), &catalog);
        assert!(xml.contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
        assert_eq!(
            locs(&xml),
            [
                "https://zhinan.example.gov.cn/",
                "https://zhinan.example.gov.cn/s",
                "https://zhinan.example.gov.cn/c",
                "https://zhinan.example.gov.cn/h/xinxian",
                "https://zhinan.example.gov.cn/h/shangji",
                "https://zhinan.example.gov.cn/e/kaiban",
            ]
        );
    }

    #[test]
    fn a_hall_sitemap_pages_its_guides() {
        let rows = rows(MAX_URLS + 2);
        let first = hall_sitemap(ORIGIN, &rows, 1).unwrap();
        let first = locs(&first);
        assert_eq!(first.len(), MAX_URLS);
        assert_eq!(first[0], "https://zhinan.example.gov.cn/g/CODE-0");
        let second = hall_sitemap(ORIGIN, &rows, 2).unwrap();
        assert_eq!(
            locs(&second),
            [
                format!("{ORIGIN}/g/CODE-{MAX_URLS}"),
                format!("{ORIGIN}/g/CODE-{}", MAX_URLS + 1),
            ]
        );
        assert_eq!(hall_sitemap(ORIGIN, &rows, 0), None);
        assert_eq!(hall_sitemap(ORIGIN, &rows, 3), None);
        assert_eq!(hall_sitemap(ORIGIN, &[], 1), None);
    }

    #[test]
    fn urls_in_a_sitemap_are_escaped() {
        let mut rows = rows(1);
        rows[0].code = "A&B<1>".into();
        let xml = hall_sitemap("https://x.example/?a=1&b=2", &rows, 1).unwrap();
        assert!(
            xml.contains("<loc>https://x.example/?a=1&amp;b=2/g/A&amp;B%3C1%3E</loc>"),
            "{xml}"
        );
        assert!(!xml.contains("&b=2"));
    }

    #[test]
    fn the_404_page_says_so_in_chinese_and_offers_the_ways_on() {
        let html = not_found_document();
        assert!(html.contains("<title>页面不存在 · 办事指南</title>"));
        assert!(html.contains("页面不存在"));
        assert!(html.contains("href=\"/\""));
        assert!(html.contains("href=\"/s\""));
        assert!(html.contains("12345"));
        assert!(html.contains("<html lang=\"zh-CN\">"));
    }
}
