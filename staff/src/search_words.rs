//! `/staff/search-words`: the words citizens type for items ("卖房" → 二手房过户). The
//! admin adds the hall's own, one per line, and the search — the page, the phone's
//! search-as-you-type and the website's — uses them within about a minute, without a
//! publish. Everyone signed in sees the list; the shipped words are shown below it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use zhinan_domain::accounts::Role;
use zhinan_domain::catalog::search::words::{
    line_numbers, parse_lines, to_lines, CitizenWord, MAX_WORDS,
};

use crate::api::{self, ApiError};
use crate::session::use_session;
use crate::widgets::{error_line, focus, Loading};

/// The problems of a refused save, one line each, naming the line of the text they are
/// on (`words[3].terms[0]` is the fourth word line).
fn problems_by_line(error: &ApiError, lines: &[usize]) -> Vec<String> {
    let ApiError::Invalid(body) = error else {
        return vec![error.to_string()];
    };
    if body.fields.is_empty() {
        return vec![body.error.clone()];
    }
    body.fields
        .iter()
        .map(|f| {
            let index = f.field.to_string();
            let line = index
                .strip_prefix("words[")
                .and_then(|rest| rest.split(']').next())
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| lines.get(n));
            match line {
                Some(line) => format!("第 {line} 行：{}", f.message),
                None => f.message.clone(),
            }
        })
        .collect()
}

fn words_table(words: Vec<CitizenWord>, caption: &'static str) -> impl IntoView {
    view! {
        <table class="table words-table">
            <caption>{caption}</caption>
            <thead>
                <tr><th scope="col">"群众常说"</th><th scope="col">"对应的事项用语（可能性大的在前）"</th></tr>
            </thead>
            <tbody>
                {words
                    .into_iter()
                    .map(|w| view! { <tr><td>{w.word}</td><td>{w.terms.join("、")}</td></tr> })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn SearchWordsRoute() -> impl IntoView {
    let admin = use_session().role() == Some(Role::Admin);
    let refresh = RwSignal::new(0u32);
    let listing = LocalResource::new(move || {
        refresh.get();
        api::search_words()
    });
    let text = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<String>::new());
    let saved = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // The text starts as the stored list each time it is (re)loaded.
    Effect::new(move |_| {
        if let Some(Ok(words)) = listing.get() {
            text.set(to_lines(&words.staff));
        }
    });

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        saved.set(None);
        let current = text.get_untracked();
        let words = match parse_lines(&current) {
            Ok(words) => words,
            Err(errors) => {
                problems.set(errors.into_iter().map(|(_, message)| message).collect());
                focus("words-problems");
                return;
            }
        };
        if words.len() > MAX_WORDS {
            problems.set(vec![format!(
                "最多 {MAX_WORDS} 条，现有 {} 条",
                words.len()
            )]);
            focus("words-problems");
            return;
        }
        problems.set(Vec::new());
        busy.set(true);
        let lines = line_numbers(&current);
        spawn_local(async move {
            match api::replace_search_words(words).await {
                Ok(listing) => {
                    text.set(to_lines(&listing.staff));
                    saved.set(Some(format!(
                        "已保存 {} 条。约一分钟内用于群众搜索。",
                        listing.staff.len()
                    )));
                    focus("words-saved");
                }
                Err(error) => {
                    problems.set(problems_by_line(&error, &lines));
                    focus("words-problems");
                }
            }
            busy.set(false);
        });
    };

    view! {
        <section class="panel">
            <h1>"检索同义词"</h1>
            <p>
                "群众搜索时常用自己的说法，例如“卖房”“房本”“养老金”。在这里把这些说法对应到事项名称或关键词里的用语，"
                "搜索页、手机边输边搜和政府网站的搜索都会用到。每行一条，写成："
                <code>"卖房 = 二手房过户、房屋买卖"</code>
                "。保存后约一分钟内生效，不需要发布；每个词最多对应 5 个用语，最多 300 条。"
            </p>
            <Transition fallback=Loading>
                {move || listing.get().map(|result| match result {
                    Err(e) => error_line(&e),
                    Ok(words) => {
                        let builtin = words.builtin.clone();
                        let staff = words.staff.clone();
                        view! {
                            {if admin {
                                view! {
                                    <form on:submit=save class="words-form">
                                        <label for="words-text">"本中心补充的同义词（每行一条）"</label>
                                        <textarea
                                            id="words-text"
                                            rows="12"
                                            spellcheck="false"
                                            aria-describedby="words-problems"
                                            prop:value=move || text.get()
                                            on:input=move |ev| text.set(event_target_value(&ev))
                                        ></textarea>
                                        <div id="words-problems" tabindex="-1" role="alert">
                                            {move || {
                                                let list = problems.get();
                                                (!list.is_empty()).then(|| view! {
                                                    <ul class="alert alert-error">
                                                        {list.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                                                    </ul>
                                                })
                                            }}
                                        </div>
                                        <p id="words-saved" tabindex="-1" role="status">
                                            {move || saved.get().map(|s| view! { <span class="alert alert-ok">{s}</span> })}
                                        </p>
                                        <button class="btn btn-primary" type="submit" disabled=move || busy.get()>
                                            "保存"
                                        </button>
                                    </form>
                                }.into_any()
                            } else if staff.is_empty() {
                                view! { <p>"本中心尚未补充同义词（由中心管理员维护）。"</p> }.into_any()
                            } else {
                                words_table(staff, "本中心补充的同义词（由中心管理员维护）").into_any()
                            }}
                            {words_table(builtin, "随系统发布的同义词")}
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    }
}
