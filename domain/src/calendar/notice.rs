//! Staff entering a year's holiday notice (国务院办公厅关于某年部分节假日安排的通知).
//!
//! The notice is written as periods ("春节：2月5日至13日放假调休，共9天") and make-up
//! working days ("2月20日（周六）上班"), so that is what staff type in. [`NoticeEntry`]
//! checks it field by field — the API answers with the field at fault and the console
//! shows the message beside it — and turns it into the [`YearSchedule`] that due dates
//! are counted with.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::date::Date;
use super::schedule::{is_web_address, HolidayCalendar, HolidayPeriod, YearSchedule};
use crate::catalog::validate::FieldError;
use crate::field_path::FieldPath;

/// The longest holiday in any notice so far is 9 days (春节 2026); a longer period is
/// almost certainly a typo in a date.
pub const MAX_PERIOD_DAYS: i64 = 15;
const MAX_PERIODS: usize = 12;
const MAX_WORKDAYS: usize = 12;
const MAX_SOURCE: usize = 200;
const MAX_NAME: usize = 20;
const MAX_URL: usize = 300;
/// Years a notice may be entered for: the calendar is about deadlines of real cases.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// What staff submit for one year (`PUT /api/v1/staff/holidays/{year}`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeEntry {
    /// Title and document number (文号) of the notice.
    pub source: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub issued: Option<Date>,
    pub periods: Vec<HolidayPeriod>,
    /// Weekend days worked instead (调休上班).
    #[serde(default)]
    pub workdays: Vec<Date>,
}

fn check_text(
    errors: &mut Vec<FieldError>,
    field: FieldPath,
    value: &str,
    label: &str,
    max: usize,
) -> bool {
    let count = value.trim().chars().count();
    if count == 0 {
        errors.push(FieldError::new(field, format!("请填写{label}")));
        false
    } else if count > max {
        errors.push(FieldError::new(field, format!("{label}不能超过 {max} 字")));
        false
    } else {
        true
    }
}

impl NoticeEntry {
    /// Every problem, each naming its field (`periods[1].last`, `workdays[0]`); empty
    /// when the entry can be saved for `year`.
    pub fn problems(&self, year: i32) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !YEARS.contains(&year) {
            errors.push(FieldError::new(
                "year",
                format!("年份应在 {} 至 {} 之间", YEARS.start(), YEARS.end()),
            ));
            return errors;
        }
        check_text(
            &mut errors,
            FieldPath::new("source"),
            &self.source,
            "通知名称和文号",
            MAX_SOURCE,
        );
        if let Some(url) = self.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            if !is_web_address(url) || url.len() > MAX_URL {
                errors.push(FieldError::new(
                    "url",
                    "网址应以 https:// 或 http:// 开头，不含空格",
                ));
            }
        }
        if self.periods.is_empty() {
            errors.push(FieldError::new(
                "periods",
                "请按通知逐项填写放假安排（至少一项）",
            ));
        } else if self.periods.len() > MAX_PERIODS {
            errors.push(FieldError::new(
                "periods",
                format!("放假安排最多 {MAX_PERIODS} 项"),
            ));
        }
        let mut taken: BTreeSet<Date> = BTreeSet::new();
        for (i, period) in self.periods.iter().enumerate().take(MAX_PERIODS) {
            let at = |f: &str| FieldPath::new("periods").index(i).key(f);
            check_text(&mut errors, at("name"), &period.name, "节日名称", MAX_NAME);
            if period.first.year != year {
                errors.push(FieldError::new(
                    at("first"),
                    format!("应为 {year} 年的日期（跨年的日子录入到所属年份）"),
                ));
                continue;
            }
            if period.last.year != year {
                errors.push(FieldError::new(
                    at("last"),
                    format!("应为 {year} 年的日期（跨年的日子录入到所属年份）"),
                ));
                continue;
            }
            let length = period.first.days_until(period.last) + 1;
            if length < 1 {
                errors.push(FieldError::new(at("last"), "结束日期不能早于开始日期"));
                continue;
            }
            if length > MAX_PERIOD_DAYS {
                errors.push(FieldError::new(
                    at("last"),
                    format!("一次放假不超过 {MAX_PERIOD_DAYS} 天，请核对日期"),
                ));
                continue;
            }
            if period.days().any(|d| taken.contains(&d)) {
                errors.push(FieldError::new(at("first"), "与前面的放假安排重叠"));
                continue;
            }
            taken.extend(period.days());
        }
        if self.workdays.len() > MAX_WORKDAYS {
            errors.push(FieldError::new(
                "workdays",
                format!("调休上班日最多 {MAX_WORKDAYS} 天"),
            ));
        }
        let mut seen = BTreeSet::new();
        for (i, &day) in self.workdays.iter().enumerate().take(MAX_WORKDAYS) {
            let field = FieldPath::new("workdays").index(i);
            if day.year != year {
                errors.push(FieldError::new(field, format!("应为 {year} 年的日期")));
            } else if day.weekday() < 6 {
                errors.push(FieldError::new(
                    field,
                    format!("{day} 是周一至周五，本来就上班；调休上班日应是周六或周日"),
                ));
            } else if taken.contains(&day) {
                errors.push(FieldError::new(field, format!("{day} 已在放假安排中")));
            } else if !seen.insert(day) {
                errors.push(FieldError::new(field, format!("{day} 重复")));
            }
        }
        errors
    }

    /// The schedule due dates are counted with, or every problem.
    pub fn to_schedule(&self, year: i32) -> Result<YearSchedule, Vec<FieldError>> {
        let errors = self.problems(year);
        if !errors.is_empty() {
            return Err(errors);
        }
        let periods: Vec<HolidayPeriod> = self
            .periods
            .iter()
            .map(|p| HolidayPeriod {
                name: p.name.trim().to_string(),
                first: p.first,
                last: p.last,
            })
            .collect();
        let schedule = YearSchedule {
            source: self.source.trim().to_string(),
            url: self
                .url
                .as_deref()
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(str::to_string),
            issued: self.issued,
            holidays: periods.iter().flat_map(HolidayPeriod::days).collect(),
            workdays: self.workdays.iter().copied().collect(),
            periods,
        };
        // The calendar's own rules, so an entry can never make an unusable calendar.
        let mut check = HolidayCalendar::default();
        check
            .insert_year(year, schedule.clone())
            .map_err(|e| vec![FieldError::new("periods", e.to_string())])?;
        Ok(schedule)
    }
}

/// The holidays of a schedule by period: as entered, or — for shipped years, which list
/// days only — each run of consecutive days off as one period named 放假.
pub fn periods_of(schedule: &YearSchedule) -> Vec<HolidayPeriod> {
    if !schedule.periods.is_empty() {
        return schedule.periods.clone();
    }
    let mut out: Vec<HolidayPeriod> = Vec::new();
    for &day in &schedule.holidays {
        match out.last_mut() {
            Some(run) if run.last.add_days(1) == day => run.last = day,
            _ => out.push(HolidayPeriod {
                name: "放假".into(),
                first: day,
                last: day,
            }),
        }
    }
    out
}

impl NoticeEntry {
    /// The entry that gives `schedule` back: to correct a year, staff start from it.
    pub fn from_schedule(schedule: &YearSchedule) -> NoticeEntry {
        NoticeEntry {
            source: schedule.source.clone(),
            url: schedule.url.clone(),
            issued: schedule.issued,
            periods: periods_of(schedule),
            workdays: schedule.workdays.iter().copied().collect(),
        }
    }
}

/// The first year after the last one with a schedule (the one staff enter next).
pub fn next_year_to_enter(listing: &CalendarListing) -> Option<i32> {
    listing.years.iter().map(|y| y.year + 1).max()
}

/// Where a year's schedule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleOrigin {
    /// Shipped in `data/holidays.json`.
    Builtin,
    /// Entered by the hall's staff (replaces a shipped year of the same number).
    Staff,
    /// No notice yet: only the statutory holidays of the law, known in advance.
    Statutory,
}

impl ScheduleOrigin {
    pub fn label(self) -> &'static str {
        match self {
            ScheduleOrigin::Builtin => "随系统发布",
            ScheduleOrigin::Staff => "工作人员录入",
            ScheduleOrigin::Statutory => "暂按法定节日（待通知）",
        }
    }
}

/// One year of `GET /api/v1/holidays`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarYear {
    pub year: i32,
    pub origin: ScheduleOrigin,
    #[serde(flatten)]
    pub schedule: YearSchedule,
}

/// `GET /api/v1/holidays`: the schedules due dates are counted with. Outside these years
/// only weekends — and the statutory holidays in `provisional` — are days off, and due
/// dates are marked as estimates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarListing {
    pub years: Vec<CalendarYear>,
    /// Years without a notice whose statutory holidays are counted meanwhile.
    #[serde(default)]
    pub provisional: Vec<CalendarYear>,
}

/// The calendar in effect: the shipped years with the staff-entered ones on top (a
/// correction entered by staff wins over the shipped data).
pub fn effective_calendar(builtin: &HolidayCalendar, staff: &HolidayCalendar) -> HolidayCalendar {
    let mut calendar = builtin.clone();
    for (year, schedule) in &staff.years {
        calendar.years.insert(*year, schedule.clone());
    }
    calendar
}

/// The listing of [`effective_calendar`], each year with its origin.
pub fn listing(builtin: &HolidayCalendar, staff: &HolidayCalendar) -> CalendarListing {
    let calendar = effective_calendar(builtin, staff);
    let provisional = calendar
        .provisional
        .iter()
        .filter(|(year, _)| !calendar.years.contains_key(year))
        .map(|(&year, schedule)| CalendarYear {
            year,
            origin: ScheduleOrigin::Statutory,
            schedule: schedule.clone(),
        })
        .collect();
    let years = calendar
        .years
        .into_iter()
        .map(|(year, schedule)| CalendarYear {
            year,
            origin: if staff.years.contains_key(&year) {
                ScheduleOrigin::Staff
            } else {
                ScheduleOrigin::Builtin
            },
            schedule,
        })
        .collect();
    CalendarListing { years, provisional }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn period(name: &str, first: &str, last: &str) -> HolidayPeriod {
        HolidayPeriod {
            name: name.into(),
            first: d(first),
            last: d(last),
        }
    }

    /// The 2026 notice (2025-11-04) as staff would type it in.
    fn notice_2026() -> NoticeEntry {
        NoticeEntry {
            source: "国务院办公厅关于2026年部分节假日安排的通知".into(),
            url: Some("https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm".into()),
            issued: Some(d("2025-11-04")),
            periods: vec![
                period("元旦", "2026-01-01", "2026-01-03"),
                period("春节", "2026-02-15", "2026-02-23"),
                period("清明节", "2026-04-04", "2026-04-06"),
                period("劳动节", "2026-05-01", "2026-05-05"),
                period("端午节", "2026-06-19", "2026-06-21"),
                period("中秋节", "2026-09-25", "2026-09-27"),
                period("国庆节", "2026-10-01", "2026-10-07"),
            ],
            workdays: [
                "2026-01-04",
                "2026-02-14",
                "2026-02-28",
                "2026-05-09",
                "2026-09-20",
                "2026-10-10",
            ]
            .iter()
            .map(|t| d(t))
            .collect(),
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<String> {
        errors.iter().map(|e| e.field.to_string()).collect()
    }

    #[test]
    fn the_2026_notice_typed_in_gives_the_shipped_schedule() {
        let schedule = notice_2026().to_schedule(2026).unwrap();
        let shipped = &HolidayCalendar::builtin().years[&2026];
        assert_eq!(schedule.holidays, shipped.holidays);
        assert_eq!(schedule.workdays, shipped.workdays);
        assert_eq!(schedule.periods.len(), 7);
        assert_eq!(schedule.periods[1].days().count(), 9, "春节 2026 is 9 days");
    }

    #[test]
    fn each_mistake_names_its_field() {
        let mut entry = notice_2026();
        entry.source = "  ".into();
        entry.url = Some("javascript:alert(1)".into());
        entry.periods[0].name = String::new();
        entry.periods[1].last = d("2026-02-10"); // before its first day
        entry.periods[2].first = d("2025-04-04"); // wrong year
        entry.periods[3].last = d("2026-07-05"); // a typo: 66 days
        entry.periods[5].first = d("2026-09-20"); // 中秋 typed from 9-20: 8 days, allowed
        entry.workdays[1] = d("2026-02-13"); // a Friday
        entry.workdays[2] = d("2026-01-03"); // inside 元旦
        entry.workdays[4] = d("2026-01-04"); // repeated
        entry.workdays[5] = d("2026-09-20"); // now inside the longer 中秋 period
        let errors = entry.problems(2026);
        assert_eq!(
            fields(&errors),
            vec![
                "source",
                "url",
                "periods[0].name",
                "periods[1].last",
                "periods[2].first",
                "periods[3].last",
                "workdays[1]",
                "workdays[2]",
                "workdays[4]",
                "workdays[5]",
            ],
            "{errors:?}"
        );
        // 9-20 is inside the (now longer) 中秋 period: refused as a workday.
        assert!(errors[9].message.contains("已在放假安排中"), "{errors:?}");
        assert!(errors[6].message.contains("周六或周日"));
        assert!(entry.to_schedule(2026).is_err());
    }

    #[test]
    fn overlapping_periods_and_empty_entries_are_refused() {
        let mut entry = notice_2026();
        entry.periods[6] = period("国庆节", "2026-09-27", "2026-10-07");
        assert_eq!(fields(&entry.problems(2026)), vec!["periods[6].first"]);

        let empty = NoticeEntry {
            source: "通知".into(),
            ..NoticeEntry::default()
        };
        assert_eq!(fields(&empty.problems(2026)), vec!["periods"]);
        assert_eq!(fields(&notice_2026().problems(1999)), vec!["year"]);
        assert_eq!(fields(&notice_2026().problems(2027))[0], "periods[0].first");
    }

    #[test]
    fn a_staff_year_replaces_the_shipped_one_and_is_labelled() {
        let builtin = HolidayCalendar::builtin();
        let mut staff = HolidayCalendar::default();
        let mut corrected = notice_2026();
        corrected.periods.truncate(1);
        corrected.workdays.truncate(1);
        staff
            .insert_year(2026, corrected.to_schedule(2026).unwrap())
            .unwrap();
        let calendar = effective_calendar(&builtin, &staff);
        assert!(
            calendar.is_working_day(d("2026-02-16")),
            "春节 no longer entered"
        );
        assert!(
            !calendar.is_working_day(d("2025-10-01")),
            "2025 still shipped"
        );
        let listing = listing(&builtin, &staff);
        let origins: Vec<(i32, ScheduleOrigin)> =
            listing.years.iter().map(|y| (y.year, y.origin)).collect();
        assert_eq!(
            origins,
            vec![
                (2025, ScheduleOrigin::Builtin),
                (2026, ScheduleOrigin::Staff)
            ]
        );
        // 2027 has no notice yet: listed apart, and gone once staff enter one.
        assert_eq!(listing.provisional.len(), 1);
        assert_eq!(listing.provisional[0].year, 2027);
        assert_eq!(listing.provisional[0].origin, ScheduleOrigin::Statutory);
        staff
            .insert_year(
                2027,
                crate::calendar::schedule::test_schedule([d("2027-01-04")]),
            )
            .unwrap();
        assert!(super::listing(&builtin, &staff).provisional.is_empty());
    }

    #[test]
    fn a_shipped_year_reads_back_as_periods_and_round_trips() {
        let shipped = &HolidayCalendar::builtin().years[&2025];
        let periods = periods_of(shipped);
        // 元旦, 春节, 清明, 劳动节, 端午, 国庆+中秋: six runs of days off in 2025.
        assert_eq!(periods.len(), 6);
        assert_eq!(
            (periods[1].first, periods[1].last),
            (d("2025-01-28"), d("2025-02-04"))
        );
        let entry = NoticeEntry::from_schedule(shipped);
        let again = entry.to_schedule(2025).unwrap();
        assert_eq!(
            (again.holidays, again.workdays),
            (shipped.holidays.clone(), shipped.workdays.clone())
        );
        let listing = listing(&HolidayCalendar::builtin(), &HolidayCalendar::default());
        assert_eq!(next_year_to_enter(&listing), Some(2027));
    }

    #[test]
    fn the_body_parses_with_field_paths() {
        let err = crate::api::parse_body::<NoticeEntry>(
            r#"{"source":"x","periods":[{"name":"元旦","first":"2027-01-01","last":"2027-13-01"}]}"#,
        )
        .unwrap_err();
        assert_eq!(err.field, "periods[0].last");
    }
}
