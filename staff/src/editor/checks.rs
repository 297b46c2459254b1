//! The live checks beside the form: shape problems and lint findings of the item as the
//! edge will judge them, and their summary with a button to each field named.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use zhinan_domain::{
    lint_item, validate_item, Date, FieldPath, Finding, Item, LintContext, Severity,
};

use super::fields::{field_id, Ed};
use crate::changes::path_label;

/// Today as the browser reads it: the lint judges review dates by it, and 今天已复核
/// writes it.
pub fn today() -> Date {
    let now = js_sys::Date::new_0();
    Date::new(
        now.get_full_year() as i32,
        (now.get_month() + 1) as u8,
        now.get_date() as u8,
    )
    .unwrap_or_else(|| Date::new(2025, 1, 1).expect("valid date"))
}

/// Shape problems and lint findings together, as the edge will judge them.
pub fn check(item: &Item, ctx: &LintContext) -> Vec<Finding> {
    let mut out: Vec<Finding> = validate_item(item)
        .into_iter()
        .map(|e| Finding {
            rule: "shape".into(),
            severity: Severity::Error,
            message: e.message,
            fields: vec![e.field],
        })
        .collect();
    out.extend(lint_item(item, ctx));
    out
}

/// Focuses the input for `path`, or the nearest enclosing group that exists.
fn go_to(path: &FieldPath) {
    let mut p = path.clone();
    loop {
        if let Some(el) = document().get_element_by_id(&field_id(&p)) {
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
            return;
        }
        match p.parent() {
            Some(parent) => p = parent,
            None => return,
        }
    }
}

/// Every finding, errors first, each with a button to the field.
pub fn summary(ed: Ed) -> AnyView {
    view! {
        <section class="lint-summary" aria-labelledby="lint-title" data-testid="lint-summary">
            <h2 id="lint-title">"检查结果"</h2>
            {move || {
                let all = ed.checks.get();
                let errors = all.iter().filter(|f| f.is_error()).count();
                let warnings = all.len() - errors;
                let line = if all.is_empty() {
                    "没有发现问题。".to_string()
                } else {
                    format!("{errors}个错误（发布前必须改正），{warnings}个提醒。")
                };
                let mut sorted = all;
                sorted.sort_by_key(|f| !f.is_error());
                view! {
                    <p role="status" class={if errors > 0 { "summary-line has-errors" } else { "summary-line" }}>{line}</p>
                    <ul class="findings">
                        {sorted
                            .into_iter()
                            .map(|f| {
                                let target = f.fields.first().cloned().unwrap_or_default();
                                let where_ = f.fields.iter().map(path_label).collect::<Vec<_>>().join("、");
                                let class = if f.is_error() { "finding finding-error" } else { "finding finding-warning" };
                                view! {
                                    <li class=class data-rule=f.rule.clone()>
                                        <strong>{f.severity.label()}</strong>
                                        "："
                                        {f.message.clone()}
                                        <button type="button" class="link-button" on:click=move |_| go_to(&target)>
                                            {format!("转到 {where_}")}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            }}
        </section>
    }
    .into_any()
}
