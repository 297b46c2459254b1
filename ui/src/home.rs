use leptos::prelude::*;
use zhinan_domain::{Catalog, CatalogEntry, Kind};

use crate::life_event::LifeEventLinks;

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

/// The hall home: every hall's items by zone (as signposted in the hall), then by department.
#[component]
pub fn HomePage(catalog: Catalog) -> impl IntoView {
    let halls = catalog
        .halls
        .iter()
        .map(|hall| {
            let zones = catalog
                .by_zone(hall)
                .into_iter()
                .map(|(zone, entries)| {
                    let count = entries.len();
                    view! {
                        <section class="zone">
                            <h3>{zone} <span class="count">{count} "项"</span></h3>
                            <ul class="entries">
                                {entries
                                    .into_iter()
                                    .map(|e| view! { <EntryLink entry=e.clone() /> })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })
                .collect_view();
            let heading_id = format!("hall-{}", hall.id);
            let labelled_by = heading_id.clone();
            view! {
                <section class="card hall" aria-labelledby=labelled_by>
                    <h2 id=heading_id>{hall.name.clone()}</h2>
                    <p class="muted">
                        {hall.level.label()} " · " {hall.address.clone()} " · 电话 "
                        {hall.phone.clone()}
                    </p>
                    {zones}
                </section>
            }
        })
        .collect_view();
    let departments = catalog
        .by_department()
        .into_iter()
        .map(|(department, entries)| {
            let count = entries.len();
            view! {
                <details class="department">
                    <summary>{department} <span class="count">{count} "项"</span></summary>
                    <ul class="entries">
                        {entries
                            .into_iter()
                            .map(|e| view! { <EntryLink entry=e.clone() /> })
                            .collect_view()}
                    </ul>
                </details>
            }
        })
        .collect_view();
    let total = catalog.items.len();
    let events = catalog.life_events.clone();
    view! {
        <section class="intro">
            <h1>"办事指南"</h1>
            <p>
                "共 " {total}
                " 个事项。点开事项可查看要带的材料、办理地点、办理时限，以及能否网上办、邮寄办。"
            </p>
            <form class="search-form home-search" role="search" action="/s" method="get">
                <label for="home-q" class="search-label">
                    "搜索事项（名称、拼音或首字母）"
                </label>
                <div class="search-row">
                    <input id="home-q" type="search" name="q" placeholder="如 营业执照、yyzz、房产证" />
                    <button type="submit" class="button">
                        "搜索"
                    </button>
                </div>
            </form>
        </section>
        <section class="card" aria-labelledby="life-events">
            <h2 id="life-events">"一件事一次办"</h2>
            <LifeEventLinks events />
        </section>
        {halls}
        <section class="card" aria-labelledby="by-dept">
            <h2 id="by-dept">"按部门查找"</h2>
            {departments}
        </section>
    }
}
