//! `/h/{hall}`: a hall's own page — what the QR code on its door opens: its items by
//! zone as signposted in the hall, then by department, and a search of its county.

use leptos::prelude::*;
use zhinan_domain::{CatalogEntry, Hall, HallRows, Kind};

#[component]
fn EntryLink(entry: CatalogEntry) -> impl IntoView {
    let href = format!("/g/{}", entry.code);
    let limit = match entry.kind {
        Kind::Instant => "即办".to_string(),
        Kind::Promised => format!("承诺{}", entry.promised_limit.label()),
    };
    let visits = if entry.visits == 0 {
        Some("不见面")
    } else {
        None
    };
    view! {
        <li>
            <a class="entry" href=href>
                <span class="entry-name">{entry.name}</span>
                <span class="entry-meta">
                    {limit}
                    {visits.map(|v| view! { " · " {v} })}
                    " · " {entry.department}
                </span>
            </a>
        </li>
    }
}

/// A group's items, each a link to its guide.
fn entry_list(entries: Vec<&CatalogEntry>) -> impl IntoView {
    let links = entries
        .into_iter()
        .map(|e| view! { <EntryLink entry=e.clone() /> })
        .collect_view();
    view! { <ul class="entries">{links}</ul> }
}

/// The hall's page. Served by the edge and left as served by the app (static), so only
/// the edge carries it.
#[component]
pub fn HallPage(hall: Hall, rows: Vec<CatalogEntry>) -> impl IntoView {
    let grouped = HallRows {
        hall: &hall,
        rows: &rows,
    };
    let zones = grouped
        .by_zone()
        .into_iter()
        .map(|(zone, entries)| {
            let count = entries.len();
            view! {
                <section class="zone">
                    <h3>{zone} <span class="count">{count} "项"</span></h3>
                    {entry_list(entries)}
                </section>
            }
        })
        .collect_view();
    let departments = grouped
        .by_department()
        .into_iter()
        .map(|(department, entries)| {
            let count = entries.len();
            view! {
                <details class="department">
                    <summary>{department} <span class="count">{count} "项"</span></summary>
                    {entry_list(entries)}
                </details>
            }
        })
        .collect_view();
    let total = rows.len();
    view! {
        <section class="intro">
            <h1>{hall.name.clone()}</h1>
            <p class="muted">
                {hall.level.label()} " · " {hall.address.clone()} " · 电话 " {hall.phone.clone()}
            </p>
            <p>"本中心可办 " {total} " 个事项，按大厅专区排列。点开事项可查看要带的材料、办理地点和时限。"</p>
            <form class="search-form home-search" role="search" action="/s" method="get">
                <input type="hidden" name="hall" value=hall.id.clone() />
                <label for="hall-q" class="search-label">
                    "在本县（市、区）搜索事项"
                </label>
                <div class="search-row">
                    <input id="hall-q" type="search" name="q" placeholder="如 营业执照、yyzz、房产证" />
                    <button type="submit" class="button">
                        "搜索"
                    </button>
                </div>
            </form>
        </section>
        <section class="card hall" aria-labelledby="by-zone">
            <h2 id="by-zone">"按专区查找"</h2>
            {zones}
        </section>
        <section class="card" aria-labelledby="by-dept">
            <h2 id="by-dept">"按部门查找"</h2>
            {departments}
        </section>
    }
}
