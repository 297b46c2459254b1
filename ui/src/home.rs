//! `/`: the way in — search, life events, and every hall by county, each linking to its
//! own page (`/h/{hall}`) so a prefecture's 20,000 items never travel at once.

use leptos::prelude::*;
use zhinan_domain::Directory;

use crate::life_event::LifeEventLinks;

/// The home page, from the catalog's directory (halls and their item counts).
#[component]
pub fn HomePage(catalog: Directory) -> impl IntoView {
    let areas = catalog
        .areas()
        .into_iter()
        .map(|(county, count)| {
            let halls = catalog
                .halls
                .iter()
                .filter(|h| h.area() == county.id)
                .map(|hall| {
                    let href = format!("/h/{}", hall.id);
                    let items = catalog.count_of(&hall.id);
                    view! {
                        <li>
                            <a class="entry" href=href rel="external">
                                <span class="entry-name">{hall.name.clone()}</span>
                                <span class="entry-meta">
                                    {hall.level.label()} " · " {items} " 个事项 · "
                                    {hall.address.clone()}
                                </span>
                            </a>
                        </li>
                    }
                })
                .collect_view();
            let heading_id = format!("area-{}", county.id);
            let labelled_by = heading_id.clone();
            view! {
                <section class="card area" aria-labelledby=labelled_by>
                    <h2 id=heading_id>
                        {county.name.clone()} " 及所属乡镇、村" <span class="count">{count} "项"</span>
                    </h2>
                    <ul class="entries">{halls}</ul>
                </section>
            }
        })
        .collect_view();
    let total = catalog.total();
    let events = catalog.life_events.clone();
    view! {
        <section class="intro">
            <h1>"办事指南"</h1>
            <p>
                "共 " {total}
                " 个事项。选择您要去的服务中心查看事项，或直接搜索；点开事项可查看要带的材料、办理地点、办理时限，以及能否网上办、邮寄办。"
            </p>
            // The hall page has the same form with its hall: one shared component
            // measured 1.7 KB more in the citizen bundle, which is at its budget.
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
            <p class="progress-link">
                <a class="button button-secondary" href="/c">"查办件进度"</a>
                <span class="muted">" 已递交申请的，凭受理通知单上的受理编号和查询码查询"</span>
            </p>
        </section>
        <section class="card" aria-labelledby="life-events">
            <h2 id="life-events">"一件事一次办"</h2>
            <LifeEventLinks events />
        </section>
        {areas}
    }
}
