//! `/s`: search as you type. The server renders the results of `?q=` and the filters
//! (a GET form that works without JavaScript); the app reruns the same search on every
//! keystroke against the index it downloads once.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use zhinan_domain::catalog::search::{search_entries, Filters, Hit, SearchIndex};
use zhinan_domain::{Level, Serves};

/// At most this many results are shown.
pub const RESULT_LIMIT: usize = 50;
/// Rows the app draws at first as the citizen types: a 390 × 844 phone screen holds six
/// under the search form, fewer with the keyboard open; the rest on request. Drawing 50
/// new rows on each keystroke is what made typing lag on a slow phone, and 12, then 8,
/// still held the slowest keystrokes over 50 ms at a 4× CPU slowdown (rows off screen
/// cost their layout and text shaping all the same). The server, for pages without
/// JavaScript, draws them all.
pub const FIRST_ROWS: usize = 6;

/// One result row: the hit and what the row shows under the name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResult {
    pub hit: Hit,
    pub department: String,
    pub zone: String,
    pub level: Level,
}

/// The choices of the zone and department filters, and the life events offered when
/// the box is empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SearchChoices {
    pub zones: Vec<String>,
    pub departments: Vec<String>,
    /// `(id, name)` of each life event.
    pub life_events: Vec<(String, String)>,
    /// `(id, name)` of the hall whose county is searched (`?hall=`): its own items and
    /// those of the township and village halls of that county.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<(String, String)>,
    /// `(hall id, name)` of each county to choose from when no scope is set and the
    /// catalog has several: a phone downloads one county's index, never the prefecture's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub areas: Vec<(String, String)>,
}

impl SearchChoices {
    pub fn from_index(index: &SearchIndex, life_events: Vec<(String, String)>) -> Self {
        SearchChoices {
            zones: index.zones().into_iter().map(str::to_string).collect(),
            departments: index
                .departments()
                .into_iter()
                .map(str::to_string)
                .collect(),
            life_events,
            scope: None,
            areas: Vec::new(),
        }
    }
}

/// The results for a query and filters; nothing for an empty query without filters
/// (the page then shows what to try).
pub fn run(index: &SearchIndex, query: &str, filters: &Filters) -> Vec<SearchResult> {
    if query.trim().is_empty() && filters.is_empty() {
        return Vec::new();
    }
    search_entries(index, query, filters, RESULT_LIMIT)
        .into_iter()
        .map(|(entry, hit)| SearchResult {
            department: entry.department.clone(),
            zone: entry.zone.clone(),
            level: entry.level,
            hit,
        })
        .collect()
}

pub fn level_param(level: Level) -> &'static str {
    match level {
        Level::County => "county",
        Level::Township => "township",
        Level::Village => "village",
    }
}

fn level_choice(level: Level) -> &'static str {
    match level {
        Level::County => "县级",
        Level::Township => "乡镇",
        Level::Village => "村（社区）",
    }
}

pub fn serves_param(serves: Serves) -> &'static str {
    match serves {
        Serves::Person => "person",
        Serves::Legal => "legal",
        Serves::Both => "both",
    }
}

/// Filters from query parameters (`level`, `zone`, `dept`, `serves`); unknown values
/// are ignored rather than failing a citizen's search.
pub fn filters_from_params<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> Filters {
    let mut filters = Filters::default();
    for (key, value) in params {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match key {
            "level" => {
                filters.level = [Level::County, Level::Township, Level::Village]
                    .into_iter()
                    .find(|l| level_param(*l) == value)
            }
            "zone" => filters.zone = Some(value.to_string()),
            "dept" => filters.department = Some(value.to_string()),
            "serves" => {
                filters.serves = [Serves::Person, Serves::Legal]
                    .into_iter()
                    .find(|s| serves_param(*s) == value)
            }
            _ => {}
        }
    }
    filters
}

/// Percent-encodes a query value (UTF-8, space as `%20`).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `q=…&level=…` for the address bar and links (empty parts left out).
pub fn query_string(query: &str, filters: &Filters, scope: Option<&str>) -> String {
    let mut parts = Vec::new();
    if !query.trim().is_empty() {
        parts.push(format!("q={}", encode(query.trim())));
    }
    if let Some(hall) = scope {
        parts.push(format!("hall={}", encode(hall)));
    }
    if let Some(l) = filters.level {
        parts.push(format!("level={}", level_param(l)));
    }
    if let Some(z) = &filters.zone {
        parts.push(format!("zone={}", encode(z)));
    }
    if let Some(d) = &filters.department {
        parts.push(format!("dept={}", encode(d)));
    }
    if let Some(s) = filters.serves {
        parts.push(format!("serves={}", serves_param(s)));
    }
    parts.join("&")
}

#[component]
fn ResultRow(result: SearchResult) -> impl IntoView {
    let href = format!("/g/{}", result.hit.code);
    let pieces: Vec<(String, bool)> = result
        .hit
        .segments()
        .into_iter()
        .map(|(t, m)| (t.to_string(), m))
        .collect();
    // One text node, not five: each node is a call across to the browser, per row and
    // keystroke.
    let meta = format!(
        "{} · {} · {}",
        result.department,
        result.zone,
        level_choice(result.level)
    );
    let matched = result.hit.matched_text.clone();
    view! {
        <li>
            <a class="entry" href=href>
                <span class="entry-name">
                    {pieces
                        .into_iter()
                        .map(|(text, marked)| {
                            if marked {
                                view! { <mark>{text}</mark> }.into_any()
                            } else {
                                text.into_any()
                            }
                        })
                        .collect_view()}
                </span>
                <span class="entry-meta">
                    {matched.map(|m| view! { "匹配：" <mark>{m}</mark> " · " })}
                    {meta}
                </span>
            </a>
        </li>
    }
}

/// Result rows as the results list draws them.
fn result_rows(results: impl IntoIterator<Item = SearchResult>) -> impl IntoView {
    results
        .into_iter()
        .map(|result| view! { <ResultRow result /> })
        .collect_view()
}

/// Life events the empty search page offers: a prefecture has a hundred and more, and a
/// wall of links is no help (and slows the first keystroke, which replaces them).
const HINT_EVENTS: usize = 8;

/// What to type when the box is empty.
const EXAMPLES: [(&str, &str); 4] = [
    ("营业执照", "事项名称"),
    ("yyzz", "拼音首字母"),
    ("房产证", "常用说法"),
    ("dibao", "全拼"),
];

/// A `<select>` over string choices; "" is 全部.
#[component]
fn ChoiceSelect(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    choices: Vec<(String, String)>,
    selected: Signal<String>,
    on_pick: Callback<String>,
) -> impl IntoView {
    view! {
        <div class="filter">
            <label for=id>{label}</label>
            <select
                id=id
                name=name
                on:change=move |ev| on_pick.run(event_target_value(&ev))
            >
                <option value="" selected=move || selected.with(String::is_empty)>
                    "全部"
                </option>
                {choices
                    .into_iter()
                    .map(|(value, text)| {
                        let v = value.clone();
                        view! {
                            <option value=value selected=move || selected.with(|s| *s == v)>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// The search page. `query` and `filters` are the form's state, written by its own box
/// and selects as the citizen types or picks (nothing else changes them, so the page
/// never writes them back into the controls, and hydration leaves what was typed before
/// the app arrived); `results` follow from them. While `live` is false (on the server, and
/// in the app until the search index has arrived) 搜索 submits the form to the server.
#[component]
pub fn SearchPage(
    query: RwSignal<String>,
    filters: RwSignal<Filters>,
    results: Signal<Vec<SearchResult>>,
    choices: SearchChoices,
    live: Signal<bool>,
) -> impl IntoView {
    let levels: Vec<(String, String)> = [Level::County, Level::Township, Level::Village]
        .into_iter()
        .map(|l| (level_param(l).to_string(), level_choice(l).to_string()))
        .collect();
    let serves: Vec<(String, String)> = vec![
        ("person".to_string(), "个人办事".to_string()),
        ("legal".to_string(), "企业（法人）办事".to_string()),
    ];
    let pairs = |v: &[String]| -> Vec<(String, String)> {
        v.iter().map(|s| (s.clone(), s.clone())).collect()
    };
    let zones = pairs(&choices.zones);
    let departments = pairs(&choices.departments);
    let life_events = choices.life_events.clone();
    let scope_id = choices.scope.as_ref().map(|(id, _)| id.clone());
    let areas = choices.areas.clone();

    let level_sel = Signal::derive(move || {
        filters.with(|f| f.level.map(level_param).unwrap_or_default().to_string())
    });
    let zone_sel = Signal::derive(move || filters.with(|f| f.zone.clone().unwrap_or_default()));
    let dept_sel =
        Signal::derive(move || filters.with(|f| f.department.clone().unwrap_or_default()));
    let serves_sel = Signal::derive(move || {
        filters.with(|f| f.serves.map(serves_param).unwrap_or_default().to_string())
    });
    let pick = move |key: &'static str| {
        Callback::new(move |value: String| {
            filters.update(|f| {
                let mut params = [
                    (
                        "level",
                        f.level.map(level_param).unwrap_or_default().to_string(),
                    ),
                    ("zone", f.zone.clone().unwrap_or_default()),
                    ("dept", f.department.clone().unwrap_or_default()),
                    (
                        "serves",
                        f.serves.map(serves_param).unwrap_or_default().to_string(),
                    ),
                ];
                for p in params.iter_mut() {
                    if p.0 == key {
                        p.1 = value.clone();
                    }
                }
                *f = filters_from_params(params.iter().map(|(k, v)| (*k, v.as_str())));
            })
        })
    };

    // Every row the page came with (it may run no script, and the app adopts those rows
    // as they are); after each change of the query, a screenful until asked. Kept
    // as the query and filters all rows were asked for, not as a flag an effect resets: a
    // keystroke then draws its screenful once, in the same pass as its results.
    let all_rows_for = RwSignal::new(Some((query.get_untracked(), filters.get_untracked())));
    let expanded = move || {
        let same = all_rows_for.with(|asked| {
            asked
                .as_ref()
                .is_some_and(|(q, f)| query.with(|now| now == q) && filters.with(|now| now == f))
        });
        if !same {
            // Forgotten once the query moves on (coming back to it is a new search); the
            // pass that notices is already drawing the screenful, so nothing need redraw.
            all_rows_for.update_untracked(|asked| *asked = None);
        }
        same
    };
    // What the section shows depends on the query text only when it is blank or found
    // nothing: a keystroke that changes the results redraws the rows once, not once for
    // the query and again for its results.
    let blank =
        Memo::new(move |_| query.with(|q| q.trim().is_empty()) && filters.with(Filters::is_empty));
    let scoped = scope_id.clone();
    let status = move || {
        // Asked first, whatever is shown: a query that moved on is forgotten even when it
        // found nothing.
        let all_rows = expanded();
        let scope = scoped.as_deref();
        if !areas.is_empty() {
            let q = query.get();
            return view! {
                <div class="card search-hint">
                    <h2>"请先选择县（市、区）"</h2>
                    <p>"在所选县（市、区）的政务服务中心及所属乡镇、村服务中心中搜索。"</p>
                    <ul class="plain examples">
                        {areas
                            .iter()
                            .map(|(id, name)| {
                                let href = format!(
                                    "/s?{}",
                                    query_string(&q, &filters.get_untracked(), Some(id)),
                                );
                                view! {
                                    <li>
                                        <a href=href rel="external">
                                            {name.clone()}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
            .into_any();
        }
        if blank.get() {
            return view! {
                <div class="card search-hint">
                    <h2>"可以这样搜"</h2>
                    <ul class="plain examples">
                        {EXAMPLES
                            .iter()
                            .map(|(example, how)| {
                                let href = format!(
                                    "/s?{}",
                                    query_string(example, &Filters::default(), scope),
                                );
                                view! {
                                    <li>
                                        <a href=href>{*example}</a>
                                        <span class="muted">" （" {*how} "）"</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    <h3>"按人生大事一次办"</h3>
                    <ul class="plain examples">
                        {life_events
                            .iter()
                            .take(HINT_EVENTS)
                            .cloned()
                            .map(|(id, name)| {
                                let href = format!("/e/{id}");
                                view! {
                                    <li>
                                        <a href=href rel="external">
                                            {name}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    {(life_events.len() > HINT_EVENTS)
                        .then(|| {
                            view! {
                                <p>
                                    <a href="/#life-events" rel="external">
                                        {format!("查看全部 {} 件“一件事”", life_events.len())}
                                    </a>
                                </p>
                            }
                        })}
                </div>
            }
            .into_any();
        }
        let count = results.with(Vec::len);
        if count == 0 {
            let has_filters = filters.with(|f| !f.is_empty());
            let shown = query.with(|q| q.trim().to_string());
            let clear_href = format!("/s?{}", query_string(&shown, &Filters::default(), scope));
            return view! {
                <div class="card search-empty" role="status">
                    <h2>
                        {if shown.is_empty() {
                            "没有符合筛选条件的事项".to_string()
                        } else {
                            format!("没有找到与“{shown}”相关的事项")
                        }}
                    </h2>
                    <p>"可以试试："</p>
                    <ul>
                        <li>"少输几个字，或换个常用说法，如“房产证”“低保”“营业执照”"</li>
                        <li>"用拼音或拼音首字母，如“yyzz”“dibao”"</li>
                        {has_filters
                            .then(|| {
                                view! {
                                    <li>
                                        <a href=clear_href.clone()>"清除筛选条件再搜"</a>
                                    </li>
                                }
                            })}
                        <li>
                            <a href="/">"按专区或部门浏览全部事项"</a>
                        </li>
                        <li>"拨打 12345 政务服务便民热线，或到大厅咨询台询问"</li>
                    </ul>
                </div>
            }
            .into_any();
        }
        let drawn = if all_rows {
            count
        } else {
            count.min(FIRST_ROWS)
        };
        view! {
            <p class="result-count" role="status">
                "找到 " {count} " 个事项" {(count >= RESULT_LIMIT).then_some("（只显示前 50 个）")}
            </p>
            <ul class="entries card results">
                {result_rows(results.get().into_iter().take(drawn))}
            </ul>
            {(drawn < count)
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="button more-results"
                            on:click=move |_| {
                                all_rows_for
                                    .set(Some((query.get_untracked(), filters.get_untracked())))
                            }
                        >
                            {format!("显示其余 {} 个", count - drawn)}
                        </button>
                    }
                })}
        }
        .into_any()
    };

    let filter_grid = view! {
        <div class="filter-grid">
            <ChoiceSelect
                id="f-level"
                name="level"
                label="层级"
                choices=levels
                selected=level_sel
                on_pick=pick("level")
            />
            <ChoiceSelect
                id="f-serves"
                name="serves"
                label="服务对象"
                choices=serves
                selected=serves_sel
                on_pick=pick("serves")
            />
            <ChoiceSelect
                id="f-zone"
                name="zone"
                label="专区"
                choices=zones
                selected=zone_sel
                on_pick=pick("zone")
            />
            <ChoiceSelect
                id="f-dept"
                name="dept"
                label="部门"
                choices=departments
                selected=dept_sel
                on_pick=pick("dept")
            />
        </div>
    }
    .into_any();

    let scope_line = choices.scope.clone().map(|(id, name)| {
        view! {
            <input type="hidden" name="hall" value=id />
            <p class="muted search-scope">"搜索范围：" {name} "所在县（市、区）"</p>
        }
    });
    view! {
        <h1>"搜索事项"</h1>
        <form
            class="card search-form"
            role="search"
            action="/s"
            method="get"
            on:submit=move |ev| {
                if live.get_untracked() {
                    ev.prevent_default();
                }
            }
        >
            {scope_line}
            <label for="q" class="search-label">
                "事项名称、拼音或首字母"
            </label>
            <div class="search-row">
                <input
                    id="q"
                    type="search"
                    name="q"
                    autocomplete="off"
                    placeholder="如 营业执照、yyzz、房产证"
                    value=query.get_untracked()
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
                <button type="submit" class="button">
                    "搜索"
                </button>
            </div>
            <details class="filters" open=filters.with_untracked(|f| !f.is_empty())>
                <summary>"筛选"</summary>
                {filter_grid}
            </details>
        </form>
        <section class="search-results" aria-label="搜索结果">
            {status}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_become_filters_and_back() {
        let f = filters_from_params([
            ("level", "township"),
            ("zone", "民政社保窗口"),
            ("dept", ""),
            ("serves", "person"),
            ("other", "x"),
        ]);
        assert_eq!(f.level, Some(Level::Township));
        assert_eq!(f.zone.as_deref(), Some("民政社保窗口"));
        assert_eq!(f.department, None);
        assert_eq!(f.serves, Some(Serves::Person));
        let qs = query_string("低保 ", &f, Some("shangji"));
        assert_eq!(
            qs,
            "q=%E4%BD%8E%E4%BF%9D&hall=shangji&level=township&zone=%E6%B0%91%E6%94%BF%E7%A4%BE%E4%BF%9D%E7%AA%97%E5%8F%A3&serves=person"
        );
        assert!(filters_from_params([("level", "moon")]).is_empty());
    }
}
