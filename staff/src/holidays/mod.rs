//! `/staff/holidays`: the holiday schedules working-day deadlines are counted with. When
//! the State Council publishes next year's notice, the hall admin types it in here —
//! period by period, as the notice reads — and every due date follows from then on.
//! Everyone signed in sees which years are covered; years without a schedule are counted
//! with weekends only and citizens see those due dates marked as estimates.
//!
//! This file is the page and its inputs, each bound to one field path with its problem
//! beneath it; the form model and its checks are in `form`, the table of covered years
//! in `years`.

mod form;
mod years;

use leptos::prelude::*;
use leptos::task::spawn_local;
use zhinan_domain::accounts::Role;
use zhinan_domain::api::ApiFieldError;
use zhinan_domain::calendar::notice::next_year_to_enter;
use zhinan_domain::FieldPath;

use self::form::{Form, PeriodRow};
use self::years::years_table;
use crate::api::{self, ApiError};
use crate::session::use_session;
use crate::widgets::{confirm, error_line, focus, Loading};

/// The element id of the input for `field`: `periods[0].first` → `holiday-periods-0--first`.
/// The summary links to it and the browser tests find inputs by it.
fn input_id(field: &FieldPath) -> String {
    let id: String = field
        .to_string()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("holiday-{}", id.trim_matches('-'))
}

/// The problems shown: those found while typing, or the server's when it refused.
type Problems = RwSignal<Vec<ApiFieldError>>;

/// The message for `field`, if it has a problem.
fn problem_of(problems: Problems, field: FieldPath) -> impl Fn() -> Option<String> + Send + Sync {
    move || {
        problems.with(|all| {
            all.iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone())
        })
    }
}

/// A labelled input whose problem (by field path) shows beneath it.
fn labelled_input(
    label: String,
    field: FieldPath,
    kind: &'static str,
    problems: Problems,
    get: impl Fn() -> String + Send + Sync + 'static,
    set: impl Fn(String) + 'static,
) -> impl IntoView {
    let id = input_id(&field);
    let note_id = format!("{id}-problem");
    let message = problem_of(problems, field.clone());
    let bad = problem_of(problems, field);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type=kind
                aria-invalid=move || bad().is_some().to_string()
                aria-describedby=note_id.clone()
                prop:value=get
                on:input=move |ev| set(event_target_value(&ev))
            />
            <p class="field-problem" id=note_id role="status">{message}</p>
        </div>
    }
}

/// One input of period row `i`; `slot` picks the part of the row it edits.
fn period_input(
    form: RwSignal<Form>,
    problems: Problems,
    i: usize,
    label: String,
    part: &'static str,
    kind: &'static str,
    slot: fn(&mut PeriodRow) -> &mut String,
) -> impl IntoView {
    labelled_input(
        label,
        FieldPath::new("periods").index(i).key(part),
        kind,
        problems,
        move || {
            form.with(|f| {
                f.periods
                    .get(i)
                    .cloned()
                    .map(|mut row| slot(&mut row).clone())
                    .unwrap_or_default()
            })
        },
        move |value| {
            form.update(|f| {
                if let Some(row) = f.periods.get_mut(i) {
                    *slot(row) = value;
                }
            })
        },
    )
}

#[component]
pub fn HolidaysRoute() -> impl IntoView {
    let session = use_session();
    let admin = session.role() == Some(Role::Admin);
    let refresh = RwSignal::new(0u32);
    let listing = LocalResource::new(move || {
        refresh.get();
        api::holidays()
    });
    let form = RwSignal::new(Form::blank(None));
    let problems: Problems = RwSignal::new(Vec::new());
    // The summary is set on submit only: rebuilt on every keystroke, an alert would be
    // read out again and again. The messages beside the fields follow the typing.
    let summary_problems: Problems = RwSignal::new(Vec::new());
    let attempted = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, ApiError>>);
    let busy = RwSignal::new(false);

    let next_year = Memo::new(move |_| {
        listing
            .get()
            .and_then(Result::ok)
            .and_then(|l| next_year_to_enter(&l))
    });
    // Start the form at the year to enter next once the covered years are known.
    Effect::new(move |_| {
        if let Some(year) = next_year.get() {
            if form.with_untracked(|f| f.year.is_empty()) {
                form.update(|f| f.year = year.to_string());
            }
        }
    });
    // Once a submit was tried, problems follow the typing.
    Effect::new(move |_| {
        let current = form.get();
        if attempted.get() {
            problems.set(current.entry().err().unwrap_or_default());
        }
    });

    let withdraw = move |year: i32| {
        if busy.get_untracked() {
            return;
        }
        let confirmed = confirm(&format!(
            "撤下 {year} 年工作人员录入的安排？该年将恢复随系统发布的安排，或改按双休日和法定节日估算。"
        ));
        if !confirmed {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::withdraw_holidays(year).await {
                Ok(_) => {
                    outcome.set(Some(Ok(format!("已撤下 {year} 年的录入。"))));
                    refresh.update(|n| *n += 1);
                }
                Err(e) => outcome.set(Some(Err(e))),
            }
            busy.set(false);
        });
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        attempted.set(true);
        outcome.set(None);
        let (year, entry) = match form.get_untracked().entry() {
            Ok(ok) => ok,
            Err(errors) => {
                problems.set(errors.clone());
                summary_problems.set(errors);
                return;
            }
        };
        busy.set(true);
        spawn_local(async move {
            match api::enter_holidays(year, &entry).await {
                Ok(listing) => {
                    outcome.set(Some(Ok(format!(
                        "已录入 {year} 年节假日安排。此后所有办件的工作日期限按此计算。"
                    ))));
                    attempted.set(false);
                    problems.set(Vec::new());
                    summary_problems.set(Vec::new());
                    form.set(Form::blank(next_year_to_enter(&listing)));
                    refresh.update(|n| *n += 1);
                }
                Err(ApiError::Invalid(body)) => {
                    problems.set(body.fields.clone());
                    summary_problems.set(body.fields.clone());
                    outcome.set(Some(Err(ApiError::Invalid(body))));
                }
                Err(e) => outcome.set(Some(Err(e))),
            }
            busy.set(false);
        });
    };

    let period_count = Memo::new(move |_| form.with(|f| f.periods.len()));
    let workday_count = Memo::new(move |_| form.with(|f| f.workdays.len()));
    let period_rows = move || {
        (0..period_count.get())
            .map(|i| {
                view! {
                    <li class="row inline">
                        {period_input(form, problems, i, format!("第{}项 名称", i + 1), "name", "text", |p| &mut p.name)}
                        {period_input(form, problems, i, format!("第{}项 放假起", i + 1), "first", "date", |p| &mut p.first)}
                        {period_input(form, problems, i, format!("第{}项 放假止（含）", i + 1), "last", "date", |p| &mut p.last)}
                        <div class="row-actions">
                            <button
                                type="button"
                                class="btn btn-small btn-danger"
                                aria-label=format!("删除第{}项放假安排", i + 1)
                                on:click=move |_| {
                                    form.update(|f| if i < f.periods.len() { f.periods.remove(i); });
                                    focus("holiday-periods-add");
                                }
                            >
                                "删除"
                            </button>
                        </div>
                    </li>
                }
            })
            .collect_view()
    };
    let workday_rows = move || {
        (0..workday_count.get())
            .map(|i| {
                view! {
                    <li class="row inline">
                        {labelled_input(
                            format!("调休上班日 {}", i + 1),
                            FieldPath::new("workdays").index(i),
                            "date",
                            problems,
                            move || form.with(|f| f.workdays.get(i).cloned().unwrap_or_default()),
                            move |v| form.update(|f| if let Some(w) = f.workdays.get_mut(i) { *w = v }),
                        )}
                        <div class="row-actions">
                            <button
                                type="button"
                                class="btn btn-small btn-danger"
                                aria-label=format!("删除调休上班日 {}", i + 1)
                                on:click=move |_| {
                                    form.update(|f| if i < f.workdays.len() { f.workdays.remove(i); });
                                    focus("holiday-workdays-add");
                                }
                            >
                                "删除"
                            </button>
                        </div>
                    </li>
                }
            })
            .collect_view()
    };

    let summary = move || {
        let all = summary_problems.get();
        (!all.is_empty()).then(|| {
            view! {
                <div class="alert alert-error" role="alert">
                    <p>{format!("有 {} 处需要修改：", all.len())}</p>
                    <ul>
                        {all
                            .into_iter()
                            .map(|e| {
                                let href = format!("#{}", input_id(&e.field));
                                let label = form.with_untracked(|f| f.label_of(&e.field));
                                view! { <li><a href=href>{format!("{label}：{}", e.message)}</a></li> }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    };

    view! {
        <section class="panel">
            <h1>"节假日安排"</h1>
            <p>
                "承诺时限按工作日计算时，依据国务院办公厅每年发布的《关于部分节假日安排的通知》扣除放假日、计入调休上班日。"
                "通知一般在每年 11 月发布，请中心管理员在此录入次年安排；未录入通知的年份暂按双休日和法定节日估算，群众查询页会标明“预计”。"
            </p>
            {move || outcome.get().map(|o| match o {
                Ok(text) => view! { <p class="alert alert-ok" role="status">{text}</p> }.into_any(),
                Err(e) => error_line(&e),
            })}
            <Transition fallback=Loading>
                {move || listing.get().map(|result| match result {
                    Err(e) => error_line(&e),
                    Ok(l) => {
                        let next = js_sys::Date::new_0().get_full_year() as i32 + 1;
                        let missing = !l.years.iter().any(|y| y.year == next);
                        view! {
                            {missing.then(|| view! {
                                <p class="alert alert-warning" data-testid="uncovered">
                                    {format!("尚未录入 {next} 年安排：期限跨入 {next} 年的办件暂按双休日和法定节日估算，通知发布后请及时录入。")}
                                </p>
                            })}
                            {years_table(l, admin, form, withdraw)}
                        }
                        .into_any()
                    }
                })}
            </Transition>
        </section>
        {admin.then(|| view! {
            <section class="panel">
                <h2>"录入或修改一年的安排"</h2>
                <p class="muted">
                    "按通知原文逐项填写放假起止日期（含假期中的周末）和调休上班的周六、周日。"
                    "录入后立即生效，已受理办件的期限随之重新计算；每次录入都记入审计日志。"
                </p>
                <form on:submit=submit novalidate=true>
                    {summary}
                    <div class="inline">
                        {labelled_input("年份".to_string(), FieldPath::new("year"), "number", problems,
                            move || form.with(|f| f.year.clone()),
                            move |v| form.update(|f| f.year = v))}
                        {labelled_input("通知名称和文号".to_string(), FieldPath::new("source"), "text", problems,
                            move || form.with(|f| f.source.clone()),
                            move |v| form.update(|f| f.source = v))}
                    </div>
                    <div class="inline">
                        {labelled_input("通知网址（可选）".to_string(), FieldPath::new("url"), "url", problems,
                            move || form.with(|f| f.url.clone()),
                            move |v| form.update(|f| f.url = v))}
                        {labelled_input("发布日期（可选）".to_string(), FieldPath::new("issued"), "date", problems,
                            move || form.with(|f| f.issued.clone()),
                            move |v| form.update(|f| f.issued = v))}
                    </div>
                    <fieldset class="group" id=input_id(&FieldPath::new("periods"))>
                        <legend>"放假安排"</legend>
                        <p class="field-problem" role="status">{problem_of(problems, FieldPath::new("periods"))}</p>
                        <ol class="rows">{period_rows}</ol>
                        <button type="button" class="btn" id="holiday-periods-add"
                            on:click=move |_| form.update(|f| f.periods.push(PeriodRow::default()))>
                            "添加一项放假安排"
                        </button>
                    </fieldset>
                    <fieldset class="group" id=input_id(&FieldPath::new("workdays"))>
                        <legend>"调休上班日（周六、周日）"</legend>
                        <p class="field-problem" role="status">{problem_of(problems, FieldPath::new("workdays"))}</p>
                        <ol class="rows">{workday_rows}</ol>
                        <button type="button" class="btn" id="holiday-workdays-add"
                            on:click=move |_| form.update(|f| f.workdays.push(String::new()))>
                            "添加调休上班日"
                        </button>
                    </fieldset>
                    <div class="actions">
                        <button class="btn btn-primary" type="submit" disabled=move || busy.get()>
                            "保存并生效"
                        </button>
                        <button type="button" class="btn"
                            on:click=move |_| {
                                attempted.set(false);
                                problems.set(Vec::new());
                                summary_problems.set(Vec::new());
                                form.set(Form::blank(next_year.get_untracked()));
                            }>
                            "清空重填"
                        </button>
                    </div>
                </form>
            </section>
        })}
    }
}
