//! Form building blocks of the editor. Every input is bound to one path of the item
//! being edited (`materials[2].originals`, the same `FieldPath` the lint and shape checks
//! name), carries a visible label, and shows the findings about that path right beside it.

use leptos::prelude::*;
use zhinan_domain::field_path::Segment;
use zhinan_domain::{FieldPath, Finding, Item, Severity};

/// The item being edited and the live checks of it.
#[derive(Clone, Copy)]
pub struct Ed {
    pub item: RwSignal<Item>,
    pub checks: Memo<Vec<Finding>>,
    pub readonly: bool,
}

/// The element id of the input (or group) for a field path: `materials[2].name` →
/// `f-materials-2--name`. The browser tests and the lint summary's links rely on it.
pub fn field_id(path: &FieldPath) -> String {
    let mut id = String::from("f-");
    for c in path.to_string().chars() {
        id.push(match c {
            '[' | ']' | '.' => '-',
            c => c,
        });
    }
    id.trim_end_matches('-').to_string()
}

/// Whether `finding` names `path` (or, with `prefix`, one of its entries: `topics[1]`
/// for `topics`).
fn matches(finding: &Finding, path: &FieldPath, prefix: bool) -> bool {
    finding.fields.iter().any(|f| {
        f == path
            || (prefix
                && f.starts_with(path)
                && matches!(
                    f.segments().get(path.segments().len()),
                    Some(Segment::Index(_))
                ))
    })
}

/// The findings about `path` (and its indexed entries when `prefix`), next to the field.
pub fn hints(ed: Ed, path: FieldPath, prefix: bool) -> impl IntoView {
    let id = format!("{}-lint", field_id(&path));
    let data_path = path.to_string();
    view! {
        <ul class="field-lint" id=id data-path=data_path>
            {move || {
                ed.checks
                    .with(|all| {
                        all.iter().filter(|f| matches(f, &path, prefix)).cloned().collect::<Vec<_>>()
                    })
                    .into_iter()
                    .map(|f| {
                        let class = match f.severity {
                            Severity::Error => "finding finding-error",
                            Severity::Warning => "finding finding-warning",
                        };
                        view! {
                            <li class=class data-rule=f.rule.clone()>
                                <strong>{f.severity.label()}</strong>
                                "："
                                {f.message.clone()}
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}

fn invalid(ed: Ed, path: FieldPath) -> impl Fn() -> &'static str + Send + Sync + 'static {
    move || {
        let bad = ed.checks.with(|all| {
            all.iter()
                .any(|f| f.severity == Severity::Error && matches(f, &path, false))
        });
        if bad {
            "true"
        } else {
            "false"
        }
    }
}

/// A one-line text field (`multiline`: a text area).
fn text_field<G, S>(
    ed: Ed,
    label: &'static str,
    path: FieldPath,
    multiline: bool,
    get: G,
    set: S,
) -> AnyView
where
    G: Fn(&Item) -> String + Send + Sync + 'static,
    S: Fn(&mut Item, String) + Send + Sync + 'static,
{
    let id = field_id(&path);
    let hint_id = format!("{id}-lint");
    let bad = invalid(ed, path.clone());
    let get = std::sync::Arc::new(get);
    let set = std::sync::Arc::new(set);
    let value = {
        let get = get.clone();
        move || ed.item.with(|i| get(i))
    };
    let on_input = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        ed.item.update(|i| set(i, v));
    };
    let input = if multiline {
        view! {
            <textarea
                id=id.clone()
                rows="3"
                prop:value=value
                aria-describedby=hint_id
                aria-invalid=bad
                disabled=ed.readonly
                on:input=on_input
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                type="text"
                prop:value=value
                aria-describedby=hint_id
                aria-invalid=bad
                disabled=ed.readonly
                on:input=on_input
            />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {input}
            {hints(ed, path, false)}
        </div>
    }
    .into_any()
}

pub fn text<G, S>(ed: Ed, label: &'static str, path: FieldPath, get: G, set: S) -> AnyView
where
    G: Fn(&Item) -> String + Send + Sync + 'static,
    S: Fn(&mut Item, String) + Send + Sync + 'static,
{
    text_field(ed, label, path, false, get, set)
}

pub fn area<G, S>(ed: Ed, label: &'static str, path: FieldPath, get: G, set: S) -> AnyView
where
    G: Fn(&Item) -> String + Send + Sync + 'static,
    S: Fn(&mut Item, String) + Send + Sync + 'static,
{
    text_field(ed, label, path, true, get, set)
}

/// Empty text means "not given".
pub fn opt(v: String) -> Option<String> {
    if v.trim().is_empty() {
        None
    } else {
        Some(v)
    }
}

/// A whole number ≥ 0. Text that is not a number yet (an emptied field) changes nothing.
pub fn number<G, S>(ed: Ed, label: &'static str, path: FieldPath, get: G, set: S) -> AnyView
where
    G: Fn(&Item) -> u32 + Send + Sync + 'static,
    S: Fn(&mut Item, u32) + Send + Sync + 'static,
{
    let id = field_id(&path);
    let hint_id = format!("{id}-lint");
    let bad = invalid(ed, path.clone());
    view! {
        <div class="field field-number">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type="number"
                min="0"
                inputmode="numeric"
                prop:value=move || ed.item.with(|i| get(i).to_string())
                aria-describedby=hint_id
                aria-invalid=bad
                disabled=ed.readonly
                on:input=move |ev| {
                    if let Ok(v) = event_target_value(&ev).trim().parse::<u32>() {
                        ed.item.update(|i| set(i, v));
                    }
                }
            />
            {hints(ed, path, false)}
        </div>
    }
    .into_any()
}

/// A choice among fixed options.
pub fn select<T, G, S>(
    ed: Ed,
    label: &'static str,
    path: FieldPath,
    options: &'static [(T, &'static str)],
    get: G,
    set: S,
) -> AnyView
where
    T: Copy + PartialEq + Send + Sync + 'static,
    G: Fn(&Item) -> T + Send + Sync + Copy + 'static,
    S: Fn(&mut Item, T) + Send + Sync + 'static,
{
    let id = field_id(&path);
    let hint_id = format!("{id}-lint");
    let bad = invalid(ed, path.clone());
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                aria-describedby=hint_id
                aria-invalid=bad
                disabled=ed.readonly
                on:change=move |ev| {
                    if let Some((value, _)) = event_target_value(&ev)
                        .parse::<usize>()
                        .ok()
                        .and_then(|n| options.get(n))
                    {
                        ed.item.update(|i| set(i, *value));
                    }
                }
            >
                {options
                    .iter()
                    .enumerate()
                    .map(|(n, (value, text))| {
                        let value = *value;
                        view! {
                            <option value=n.to_string() prop:selected=move || ed.item.with(|i| get(i) == value)>
                                {*text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            {hints(ed, path, false)}
        </div>
    }
    .into_any()
}

pub fn checkbox<G, S>(ed: Ed, label: &'static str, path: FieldPath, get: G, set: S) -> AnyView
where
    G: Fn(&Item) -> bool + Send + Sync + 'static,
    S: Fn(&mut Item, bool) + Send + Sync + 'static,
{
    let id = field_id(&path);
    let hint_id = format!("{id}-lint");
    view! {
        <div class="field field-check">
            <label class="check">
                <input
                    id=id
                    type="checkbox"
                    prop:checked=move || ed.item.with(|i| get(i))
                    aria-describedby=hint_id
                    disabled=ed.readonly
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        ed.item.update(|i| set(i, on));
                    }
                />
                {label}
            </label>
            {hints(ed, path, false)}
        </div>
    }
    .into_any()
}

/// A list of short texts typed as one line, separated by 、 or commas (topics, keywords).
/// Applied when the field is left, so typing a separator does not jump.
pub fn word_list<G, S>(ed: Ed, label: &'static str, path: FieldPath, get: G, set: S) -> AnyView
where
    G: Fn(&Item) -> Vec<String> + Send + Sync + 'static,
    S: Fn(&mut Item, Vec<String>) + Send + Sync + 'static,
{
    let id = field_id(&path);
    let hint_id = format!("{id}-lint");
    view! {
        <div class="field">
            <label for=id.clone()>{label} <span class="muted small">"（用顿号或逗号分隔）"</span></label>
            <input
                id=id
                type="text"
                prop:value=move || ed.item.with(|i| get(i).join("、"))
                aria-describedby=hint_id
                disabled=ed.readonly
                on:change=move |ev| {
                    let words = event_target_value(&ev)
                        .split(['、', ',', '，', ';', '；', '\n'])
                        .map(str::trim)
                        .filter(|w| !w.is_empty())
                        .map(str::to_string)
                        .collect();
                    ed.item.update(|i| set(i, words));
                }
            />
            {hints(ed, path, true)}
        </div>
    }
    .into_any()
}
