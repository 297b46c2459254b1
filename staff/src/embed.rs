//! `/staff/embed`: the webmaster's page (any staff role). Choose what the government
//! website shows — one item's guide, the search of a hall (optionally one zone or one
//! department), or the progress lookup — see it at phone and desktop width, and copy the
//! iframe or custom-element snippet.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use zhinan_domain::api::staff::StaffItemRow;

use crate::api::{self, ItemQuery};
use crate::widgets::{error_line, Loading};

/// What the website embeds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    Guide,
    Search,
    Progress,
}

/// The snippet's way in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Way {
    Frame,
    Element,
}

fn encode(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}

/// The embed's path on our origin for the choices made, or why there is none yet.
fn embed_path(
    shown: Shown,
    code: &str,
    hall: &str,
    zone: &str,
    dept: &str,
) -> Result<String, &'static str> {
    match shown {
        Shown::Guide if code.trim().is_empty() => Err("请先选择一个事项。"),
        Shown::Guide => Ok(format!("/embed/g/{}", encode(code.trim()))),
        Shown::Search => {
            let mut params = vec![];
            for (name, value) in [("hall", hall), ("zone", zone), ("dept", dept)] {
                if !value.trim().is_empty() {
                    params.push(format!("{name}={}", encode(value.trim())));
                }
            }
            Ok(if params.is_empty() {
                "/embed/s".to_string()
            } else {
                format!("/embed/s?{}", params.join("&"))
            })
        }
        Shown::Progress => Ok("/embed/c".to_string()),
    }
}

/// Attribute-escapes `value` for the snippet the webmaster pastes.
fn attr(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn snippet(
    way: Way,
    shown: Shown,
    origin: &str,
    path: &str,
    code: &str,
    hall: &str,
) -> Result<String, &'static str> {
    let title = match shown {
        Shown::Guide => "办事指南",
        Shown::Search => "事项搜索",
        Shown::Progress => "办件进度查询",
    };
    match (way, shown) {
        (Way::Frame, _) => Ok(format!(
            "<iframe data-zhinan title=\"{title}\" src=\"{}\"\n        style=\"width:100%;border:0;height:480px\"></iframe>\n<script src=\"{origin}/embed.js\" async></script>",
            attr(&format!("{origin}{path}"))
        )),
        (Way::Element, Shown::Guide) => Ok(format!(
            "<zhinan-guide code=\"{}\"></zhinan-guide>\n<script src=\"{origin}/zhinan.js\" defer></script>",
            attr(code.trim())
        )),
        (Way::Element, Shown::Search) => Ok(format!(
            "<zhinan-search hall=\"{}\"></zhinan-search>\n<script src=\"{origin}/zhinan.js\" defer></script>",
            attr(hall.trim())
        )),
        (Way::Element, Shown::Progress) => {
            Err("进度查询只提供 iframe 方式（查询码不经过政府网站的页面脚本）。")
        }
    }
}

/// Writes `text` to the clipboard (`navigator.clipboard`, reached through `js_sys` so the
/// console needs no extra `web-sys` features); false where the browser refuses.
fn copy(text: &str) -> bool {
    let navigator = js_sys::Reflect::get(&js_sys::global(), &"navigator".into()).ok();
    let clipboard = navigator.and_then(|n| js_sys::Reflect::get(&n, &"clipboard".into()).ok());
    let Some(clipboard) = clipboard.filter(|c| !c.is_undefined()) else {
        return false;
    };
    let write = js_sys::Reflect::get(&clipboard, &"writeText".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    write.is_some_and(|f| f.call1(&clipboard, &text.into()).is_ok())
}

#[component]
pub fn EmbedRoute() -> impl IntoView {
    let shown = RwSignal::new(Shown::Guide);
    let way = RwSignal::new(Way::Frame);
    let code = RwSignal::new(String::new());
    let hall = RwSignal::new(String::new());
    let zone = RwSignal::new(String::new());
    let dept = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let found = RwSignal::new(Vec::<StaffItemRow>::new());
    let copied = RwSignal::new(None::<bool>);
    let directory = LocalResource::new(api::catalog);
    let origin = window().location().origin().unwrap_or_default();

    let find = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = ItemQuery {
            q: query.get_untracked(),
            limit: 8,
            ..ItemQuery::default()
        };
        spawn_local(async move {
            if let Ok(page) = api::items(&q).await {
                found.set(page.rows);
            }
        });
    };
    let path = Memo::new(move |_| {
        embed_path(
            shown.get(),
            &code.get(),
            &hall.get(),
            &zone.get(),
            &dept.get(),
        )
        .map_err(str::to_string)
    });
    let text = {
        let origin = origin.clone();
        Memo::new(move |_| {
            let path = path.get()?;
            snippet(
                way.get(),
                shown.get(),
                &origin,
                &path,
                &code.get(),
                &hall.get(),
            )
            .map_err(str::to_string)
        })
    };
    let choose = move |s: Shown| {
        move |_| {
            shown.set(s);
            copied.set(None);
        }
    };
    let zones_of = move || {
        let chosen = hall.get();
        directory
            .get()
            .and_then(Result::ok)
            .and_then(|d| d.halls.into_iter().find(|h| h.id == chosen))
            .map(|h| h.zones)
            .unwrap_or_default()
    };

    view! {
        <section class="panel embed-page">
            <h1>"嵌入政府网站"</h1>
            <p class="muted">
                "在县政府网站上显示办事指南、事项搜索或进度查询：内容随发布更新，网站不必复制。网站的域名须列在部署配置 EMBED_ORIGINS 中。"
            </p>
            <fieldset class="choice">
                <legend>"嵌入什么"</legend>
                <label><input type="radio" name="shown" checked=true on:change=choose(Shown::Guide) />" 一个事项的办事指南"</label>
                <label><input type="radio" name="shown" on:change=choose(Shown::Search) />" 事项搜索（可限定区域或部门）"</label>
                <label><input type="radio" name="shown" on:change=choose(Shown::Progress) />" 办件进度查询"</label>
            </fieldset>
            <Show when=move || shown.get() == Shown::Guide>
                <form class="filters" role="search" aria-label="选择事项" on:submit=find>
                    <div class="field field-inline">
                        <label for="embed-find">"查找事项（名称或编码）"</label>
                        <input id="embed-find" autocomplete="off"
                            prop:value=move || query.get()
                            on:input=move |ev| query.set(event_target_value(&ev)) />
                    </div>
                    <button class="btn" type="submit">"查找"</button>
                </form>
                <ul class="embed-found">
                    {move || found.get().into_iter().map(|row| {
                        let pick = row.code.clone();
                        let label = format!("选择 {}", row.name);
                        view! {
                            <li>
                                <button type="button" class="btn btn-small" aria-label=label
                                    on:click=move |_| { code.set(pick.clone()); copied.set(None); }>
                                    "选择"
                                </button>
                                " " {row.name} " " <code>{row.code}</code>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <p>"已选择：" <code data-testid="embed-code">{move || code.get()}</code></p>
            </Show>
            <Show when=move || shown.get() == Shown::Search>
                <Transition fallback=Loading>
                    {move || directory.get().map(|d| match d {
                        Err(e) => error_line(&e),
                        Ok(d) => view! {
                            <div class="field field-inline">
                                <label for="embed-hall">"服务中心"</label>
                                <select id="embed-hall" on:change=move |ev| { hall.set(event_target_value(&ev)); zone.set(String::new()); }>
                                    <option value="">"（全部）"</option>
                                    {d.halls.into_iter().map(|h| view! { <option value=h.id.clone()>{h.name}</option> }).collect_view()}
                                </select>
                            </div>
                        }.into_any(),
                    })}
                </Transition>
                <div class="field field-inline">
                    <label for="embed-zone">"区域（可选）"</label>
                    <select id="embed-zone" on:change=move |ev| zone.set(event_target_value(&ev))>
                        <option value="">"（全部）"</option>
                        {move || zones_of().into_iter().map(|z| view! { <option value=z.clone()>{z.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field field-inline">
                    <label for="embed-dept">"部门（可选，与事项的实施主体一致）"</label>
                    <input id="embed-dept" autocomplete="off"
                        prop:value=move || dept.get()
                        on:input=move |ev| dept.set(event_target_value(&ev)) />
                </div>
            </Show>
            <fieldset class="choice">
                <legend>"嵌入方式"</legend>
                <label><input type="radio" name="way" checked=true on:change=move |_| way.set(Way::Frame) />" iframe（不需要 JavaScript 也能阅读）"</label>
                <label><input type="radio" name="way" on:change=move |_| way.set(Way::Element) />" 自定义元素（无 iframe，网站需允许本站的脚本和连接）"</label>
            </fieldset>
            {move || match text.get() {
                Err(why) => view! { <p class="alert" role="status">{why}</p> }.into_any(),
                Ok(snippet) => {
                    let copy_text = snippet.clone();
                    view! {
                        <label for="embed-snippet">"代码（复制到网站页面中）"</label>
                        <textarea id="embed-snippet" class="snippet" readonly rows="4">{snippet}</textarea>
                        <p>
                            <button type="button" class="btn btn-primary" on:click=move |_| copied.set(Some(copy(&copy_text)))>
                                "复制代码"
                            </button>
                            {move || copied.get().map(|ok| view! {
                                <span role="status">{if ok { " 已复制。" } else { " 浏览器不允许复制，请选中上面的代码手动复制。" }}</span>
                            })}
                        </p>
                    }.into_any()
                }
            }}
        </section>
        {move || path.get().ok().map(|p| view! {
            <section class="panel">
                <h2>"预览"</h2>
                <div class="embed-previews">
                    <figure>
                        <figcaption>"手机宽度"</figcaption>
                        <iframe class="embed-phone" title="预览：手机宽度" src=p.clone()></iframe>
                    </figure>
                    <figure>
                        <figcaption>"电脑宽度"</figcaption>
                        <iframe class="embed-desktop" title="预览：电脑宽度" src=p></iframe>
                    </figure>
                </div>
            </section>
        })}
    }
}
