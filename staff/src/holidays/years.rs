//! The table of the years the calendar covers: each year's notice, holidays, make-up
//! working days and where the schedule came from, with the admin's 修改 / 录入通知 / 撤下.

use leptos::prelude::*;
use zhinan_domain::calendar::notice::{periods_of, CalendarListing, ScheduleOrigin};
use zhinan_domain::calendar::schedule::{is_web_address, HolidayPeriod};
use zhinan_domain::Date;

use super::form::Form;

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

pub fn years_table(
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
                                aria-label=if statutory { format!("录入通知（{y} 年）") } else { format!("修改 {y} 年") }
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
