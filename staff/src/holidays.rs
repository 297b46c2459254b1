//! `/staff/holidays`: the holiday schedules working-day deadlines are counted with. When
//! the State Council publishes next year's notice, the hall admin types it in here —
//! period by period, as the notice reads — and every due date follows from then on.
//! Everyone signed in sees which years are covered; years without a schedule are counted
//! with weekends only and citizens see those due dates marked as estimates.

use leptos::prelude::*;
use leptos::task::spawn_local;
use zhinan_domain::accounts::Role;
use zhinan_domain::api::ApiFieldError;
use zhinan_domain::calendar::notice::{
    next_year_to_enter, periods_of, CalendarListing, CalendarYear, NoticeEntry, ScheduleOrigin,
    YEARS,
};
use zhinan_domain::calendar::schedule::{is_web_address, HolidayPeriod};
use zhinan_domain::{Date, FieldPath};

use crate::api::{self, ApiError};
use crate::app::{confirm, error_line, use_session, Loading};
use crate::fields::focus;

/// The holidays every notice lists, in its order: the form starts with one row each.
const NOTICE_HOLIDAYS: [&str; 7] = [
    "元旦",
    "春节",
    "清明节",
    "劳动节",
    "端午节",
    "中秋节",
    "国庆节",
];

/// One period row as typed (date inputs give `YYYY-MM-DD` or nothing).
#[derive(Debug, Clone, Default, PartialEq)]
struct PeriodRow {
    name: String,
    first: String,
    last: String,
}

/// The whole form as typed.
#[derive(Debug, Clone, Default, PartialEq)]
struct Form {
    year: String,
    source: String,
    url: String,
    issued: String,
    periods: Vec<PeriodRow>,
    workdays: Vec<String>,
}

impl Form {
    fn blank(year: Option<i32>) -> Form {
        Form {
            year: year.map(|y| y.to_string()).unwrap_or_default(),
            periods: NOTICE_HOLIDAYS
                .iter()
                .map(|name| PeriodRow {
                    name: name.to_string(),
                    ..PeriodRow::default()
                })
                .collect(),
            ..Form::default()
        }
    }

    /// The form for correcting a year, or for entering the notice of a year counted with
    /// the statutory holidays meanwhile (its days are a start; the title is the notice's).
    fn of(year: &CalendarYear) -> Form {
        let entry = NoticeEntry::from_schedule(&year.schedule);
        let statutory = year.origin == ScheduleOrigin::Statutory;
        Form {
            year: year.year.to_string(),
            source: if statutory {
                String::new()
            } else {
                entry.source
            },
            url: entry.url.unwrap_or_default(),
            issued: entry.issued.map(|d| d.to_string()).unwrap_or_default(),
            periods: entry
                .periods
                .iter()
                .map(|p| PeriodRow {
                    name: p.name.clone(),
                    first: p.first.to_string(),
                    last: p.last.to_string(),
                })
                .collect(),
            workdays: entry.workdays.iter().map(Date::to_string).collect(),
        }
    }

    /// The year and entry to send, or every problem by field (the same field paths the
    /// server uses, so its answers land beside the same inputs).
    fn entry(&self) -> Result<(i32, NoticeEntry), Vec<ApiFieldError>> {
        let mut errors = Vec::new();
        let mut date = |field: FieldPath, text: &str, required: bool| -> Option<Date> {
            let text = text.trim();
            if text.is_empty() {
                if required {
                    errors.push(ApiFieldError {
                        field,
                        message: "请填写日期".into(),
                    });
                }
                return None;
            }
            match Date::parse(text) {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push(ApiFieldError {
                        field,
                        message: "日期格式应为 2027-01-01".into(),
                    });
                    None
                }
            }
        };
        let issued = date("issued".into(), &self.issued, false);
        // Rows whose dates could not be read are left out of the entry; `rows` maps the
        // entry's indexes back to the rows on screen for the messages.
        let mut period_rows = Vec::new();
        let mut periods = Vec::new();
        for (i, p) in self.periods.iter().enumerate() {
            let first = date(
                FieldPath::new("periods").index(i).key("first"),
                &p.first,
                true,
            );
            let last = date(
                FieldPath::new("periods").index(i).key("last"),
                &p.last,
                true,
            );
            if let (Some(first), Some(last)) = (first, last) {
                period_rows.push(i);
                periods.push(HolidayPeriod {
                    name: p.name.clone(),
                    first,
                    last,
                });
            }
        }
        let mut workday_rows = Vec::new();
        let mut workdays = Vec::new();
        for (i, w) in self.workdays.iter().enumerate() {
            if let Some(day) = date(FieldPath::new("workdays").index(i), w, true) {
                workday_rows.push(i);
                workdays.push(day);
            }
        }
        let Some(year) = self
            .year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| YEARS.contains(y))
        else {
            errors.insert(
                0,
                ApiFieldError {
                    field: "year".into(),
                    message: format!("年份应为 {} 至 {} 的数字", YEARS.start(), YEARS.end()),
                },
            );
            return Err(errors);
        };
        let entry = NoticeEntry {
            source: self.source.clone(),
            url: Some(self.url.clone()).filter(|u| !u.trim().is_empty()),
            issued,
            periods,
            workdays,
        };
        for problem in entry.problems(year) {
            let field = on_screen(
                &on_screen(&problem.field, "periods", &period_rows),
                "workdays",
                &workday_rows,
            );
            // A list left empty only because its dates are unreadable says so already.
            if field == "periods" && !self.periods.is_empty() && period_rows.is_empty() {
                continue;
            }
            errors.push(ApiFieldError {
                field,
                message: problem.message,
            });
        }
        if errors.is_empty() {
            Ok((year, entry))
        } else {
            errors.sort_by_key(|e| screen_order(&e.field));
            Err(errors)
        }
    }
}

/// Where a field is on the form, top to bottom: the summary lists problems in that order.
fn screen_order(field: &FieldPath) -> (u8, usize, u8) {
    if let Some((i, tail)) = field.in_list("periods") {
        let column = ["name", "first", "last"]
            .iter()
            .position(|t| tail == *t)
            .unwrap_or(3);
        return (5, i, column as u8);
    }
    if let Some((i, _)) = field.in_list("workdays") {
        return (7, i, 0);
    }
    match field.to_string().as_str() {
        "year" => (0, 0, 0),
        "source" => (1, 0, 0),
        "url" => (2, 0, 0),
        "issued" => (3, 0, 0),
        "periods" => (4, 0, 0),
        "workdays" => (6, 0, 0),
        _ => (8, 0, 0),
    }
}

impl Form {
    /// What the summary calls a field: its label, with the holiday's name for a date.
    fn label_of(&self, field: &FieldPath) -> String {
        if let Some((i, tail)) = field.in_list("periods") {
            let name = self
                .periods
                .get(i)
                .map(|p| p.name.trim().to_string())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| format!("第{}项", i + 1));
            return if tail == "first" {
                format!("{name} 放假起")
            } else if tail == "last" {
                format!("{name} 放假止")
            } else {
                format!("第{}项 名称", i + 1)
            };
        }
        if let Some((i, _)) = field.in_list("workdays") {
            return format!("调休上班日 {}", i + 1);
        }
        let text = field.to_string();
        match text.as_str() {
            "year" => "年份".into(),
            "source" => "通知名称和文号".into(),
            "url" => "通知网址".into(),
            "issued" => "发布日期".into(),
            "periods" => "放假安排".into(),
            "workdays" => "调休上班日".into(),
            _ => text,
        }
    }
}

/// `periods[k].last` of the entry as the field of row `rows[k]` on screen.
fn on_screen(field: &FieldPath, list: &str, rows: &[usize]) -> FieldPath {
    match field.in_list(list).and_then(|(k, _)| rows.get(k)) {
        Some(&row) => field.with_list_index(row),
        None => field.clone(),
    }
}

fn input_id(field: &FieldPath) -> String {
    let id: String = field
        .to_string()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("holiday-{}", id.trim_matches('-'))
}

/// "2月5日" for a date of the year being shown.
fn month_day(date: Date) -> String {
    format!("{}月{}日", date.month, date.day)
}

fn period_text(p: &HolidayPeriod) -> String {
    let days = p.first.days_until(p.last) + 1;
    if days == 1 {
        format!("{} {}", p.name, month_day(p.first))
    } else {
        format!(
            "{} {}至{}（{days}天）",
            p.name,
            month_day(p.first),
            month_day(p.last)
        )
    }
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

fn years_table(
    listing: CalendarListing,
    admin: bool,
    form: RwSignal<Form>,
    withdraw: impl Fn(i32) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let mut all = listing.years;
    all.extend(listing.provisional);
    all.sort_by_key(|y| y.year);
    let rows = all
        .into_iter()
        .map(|year| {
            let y = year.year;
            let periods = periods_of(&year.schedule)
                .iter()
                .map(period_text)
                .collect::<Vec<_>>()
                .join("；");
            let workdays = year
                .schedule
                .workdays
                .iter()
                .map(|d| month_day(*d))
                .collect::<Vec<_>>()
                .join("、");
            let source = match year.schedule.url.clone() {
                // Links only to web addresses, whatever the stored value.
                Some(url) if is_web_address(&url) => view! { <a href=url rel="noopener noreferrer">{year.schedule.source.clone()}</a> }
                    .into_any(),
                _ => view! { <span>{year.schedule.source.clone()}</span> }.into_any(),
            };
            let staff_entered = year.origin == ScheduleOrigin::Staff;
            let statutory = year.origin == ScheduleOrigin::Statutory;
            let edit_from = year.clone();
            view! {
                <tr data-year=y.to_string()>
                    <th scope="row">{y}</th>
                    <td>{source}</td>
                    <td>
                        <strong>{format!("{} 天", year.schedule.holidays.len())}</strong>
                        <div class="small">{periods}</div>
                    </td>
                    <td>{if workdays.is_empty() { "无".to_string() } else { workdays }}</td>
                    <td>{year.origin.label()}</td>
                    <td>
                        {admin.then(|| view! {
                            <button
                                type="button"
                                class="btn btn-small"
                                aria-label=if statutory { format!("录入 {y} 年通知") } else { format!("修改 {y} 年") }
                                on:click=move |_| form.set(Form::of(&edit_from))
                            >
                                {if statutory { "录入通知" } else { "修改" }}
                            </button>
                        })}
                        {(admin && staff_entered).then(|| view! {
                            <button
                                type="button"
                                class="btn btn-small btn-danger"
                                aria-label=format!("撤下 {y} 年")
                                on:click=move |_| withdraw(y)
                            >
                                "撤下"
                            </button>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table holidays-table">
            <thead>
                <tr>
                    <th scope="col">"年份"</th>
                    <th scope="col">"依据"</th>
                    <th scope="col">"放假"</th>
                    <th scope="col">"调休上班"</th>
                    <th scope="col">"来源"</th>
                    <th scope="col"><span class="visually-hidden">"操作"</span></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
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
