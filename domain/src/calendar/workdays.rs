//! Working days: counting promised time limits with the holiday schedule
//! ([`super::schedule`]): due dates, days used, 补正 pauses.
//!
//! Counting rules (行政许可法 第八十二条: 期限以工作日计算，不含法定节假日):
//! - the day of acceptance does not count; a limit of n working days ends on the n-th
//!   working day after it ([`HolidayCalendar::add_working_days`]); 0 (即办) is the same day;
//! - calendar-day limits count every day;
//! - a 补正 pause from the day more materials are requested (S) to the day they are
//!   complete (E) stops the clock on the days S+1 … E: the day of the request has been
//!   worked, and after completion counting resumes the next day, like after acceptance.

use super::date::Date;
use super::schedule::{is_weekend, HolidayCalendar};
use crate::catalog::item::{DayUnit, TimeLimit};

/// Pause intervals (S, E] sorted and merged; empty or reversed intervals dropped.
fn merge_pauses(paused: &[(Date, Date)]) -> Vec<(Date, Date)> {
    let mut sorted: Vec<(Date, Date)> = paused.iter().copied().filter(|(s, e)| s < e).collect();
    sorted.sort();
    let mut merged: Vec<(Date, Date)> = Vec::with_capacity(sorted.len());
    for (s, e) in sorted {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// The end of the pause that stops the clock on `day`, if any.
fn paused_until(pauses: &[(Date, Date)], day: Date) -> Option<Date> {
    pauses
        .iter()
        .find(|(s, e)| *s < day && day <= *e)
        .map(|(_, e)| *e)
}

impl HolidayCalendar {
    /// Monday–Friday and not a holiday, or a make-up working day. Outside the covered
    /// years: Monday–Friday except the statutory holidays known in advance.
    pub fn is_working_day(&self, date: Date) -> bool {
        if self.is_makeup_workday(date) {
            return true;
        }
        !is_weekend(date) && !self.is_holiday(date)
    }

    fn counts(&self, date: Date, unit: DayUnit) -> bool {
        match unit {
            DayUnit::CalendarDays => true,
            DayUnit::WorkingDays => self.is_working_day(date),
        }
    }

    /// The n-th working day after `start` (`start` itself never counts); `start` for 0.
    pub fn add_working_days(&self, start: Date, n: u32) -> Date {
        self.due_date(
            start,
            TimeLimit {
                value: n,
                unit: DayUnit::WorkingDays,
            },
            &[],
        )
    }

    /// Working days d with a < d ≤ b: how many of a limit counted from `a` are used up by
    /// the end of `b`. 0 when b ≤ a. `working_days_between(a, add_working_days(a, n)) == n`.
    pub fn working_days_between(&self, a: Date, b: Date) -> u32 {
        self.elapsed(a, b, DayUnit::WorkingDays, &[])
    }

    /// Days d with `from` < d ≤ `to` that count in `unit` and are not inside a pause
    /// (S, E]: the part of a limit used up by the end of `to`.
    pub fn elapsed(&self, from: Date, to: Date, unit: DayUnit, paused: &[(Date, Date)]) -> u32 {
        let pauses = merge_pauses(paused);
        let mut used = 0u32;
        let mut day = from;
        while day < to {
            day = day.add_days(1);
            if let Some(end) = paused_until(&pauses, day) {
                day = end.min(to);
                continue;
            }
            if self.counts(day, unit) {
                used += 1;
            }
        }
        used
    }

    /// The due date of `limit` for a case accepted on `accepted`, with the clock stopped
    /// during the 补正 pauses (S, E] in `paused` (overlaps are counted once; a pause that
    /// starts after the due date does not move it).
    pub fn due_date(&self, accepted: Date, limit: TimeLimit, paused: &[(Date, Date)]) -> Date {
        let pauses = merge_pauses(paused);
        let mut left = limit.value;
        let mut day = accepted;
        while left > 0 {
            day = day.add_days(1);
            if let Some(end) = paused_until(&pauses, day) {
                day = end;
                continue;
            }
            if self.counts(day, limit.unit) {
                left -= 1;
            }
        }
        // 民法典 第二百零三条: a period whose last day is a day off ends on the next
        // working day (a 调休 Saturday is one).
        if limit.unit == DayUnit::CalendarDays && limit.value > 0 {
            while !self.is_working_day(day) {
                day = day.add_days(1);
            }
        }
        day
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::schedule::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn cal() -> HolidayCalendar {
        HolidayCalendar::from_json(BUILTIN_HOLIDAYS_JSON).expect("data/holidays.json is valid")
    }

    #[test]
    fn a_calendar_day_limit_ending_on_a_day_off_ends_on_the_next_working_day() {
        let calendar = cal();
        let days = |n| TimeLimit {
            value: n,
            unit: DayUnit::CalendarDays,
        };
        // 10 days from 2026-09-21 end on 国庆 (10-01): the period runs to Thursday 10-08.
        assert_eq!(
            calendar.due_date(d("2026-09-21"), days(10), &[]),
            d("2026-10-08")
        );
        // Ending on Saturday 10-10, a 调休 working day: it stays.
        assert_eq!(
            calendar.due_date(d("2026-09-30"), days(10), &[]),
            d("2026-10-10")
        );
        // Ending on an ordinary Sunday: Monday.
        assert_eq!(
            calendar.due_date(d("2026-11-19"), days(10), &[]),
            d("2026-11-30")
        );
    }

    fn working(n: u32) -> TimeLimit {
        TimeLimit {
            value: n,
            unit: DayUnit::WorkingDays,
        }
    }

    fn calendar_days(n: u32) -> TimeLimit {
        TimeLimit {
            value: n,
            unit: DayUnit::CalendarDays,
        }
    }

    #[test]
    fn shipped_data_is_valid_and_matches_the_notices() {
        let c = cal();
        assert_eq!(HolidayCalendar::builtin(), c);
        assert!(c.validate().is_empty());
        assert_eq!(
            c.years.keys().copied().collect::<Vec<_>>(),
            vec![2025, 2026]
        );
        let y25 = &c.years[&2025];
        assert!(y25.source.contains("国办发明电〔2024〕12号"));
        // 2025: 28 days off, 5 make-up days; 2026: 33 days off, 6 make-up days.
        assert_eq!((y25.holidays.len(), y25.workdays.len()), (28, 5));
        let y26 = &c.years[&2026];
        assert_eq!((y26.holidays.len(), y26.workdays.len()), (33, 6));
        // Every make-up day is a weekend day (the validation would refuse it otherwise).
        for s in c.years.values() {
            assert!(s.workdays.iter().all(|w| w.weekday() >= 6));
        }
    }

    #[test]
    fn national_day_2025() {
        let c = cal();
        // 9-28 (Sunday) is worked, 10-1 … 10-8 are off, 10-11 (Saturday) is worked.
        assert!(c.is_working_day(d("2025-09-26")));
        assert!(!c.is_working_day(d("2025-09-27")));
        assert!(c.is_working_day(d("2025-09-28")));
        assert_eq!(d("2025-09-28").weekday(), 7);
        for day in 1..=8 {
            assert!(!c.is_working_day(Date::new(2025, 10, day).unwrap()));
        }
        assert!(c.is_working_day(d("2025-10-09")));
        assert!(c.is_working_day(d("2025-10-10")));
        assert!(c.is_working_day(d("2025-10-11")));
        assert_eq!(d("2025-10-11").weekday(), 6);
        assert!(!c.is_working_day(d("2025-10-12")));

        // Accepted Friday 9-26: 1st working day is Sunday 9-28 (调休), 2nd Monday 9-29,
        // 3rd 9-30, then the holiday, 4th 10-9, 5th 10-10, 6th Saturday 10-11, 7th 10-13.
        let fri = d("2025-09-26");
        assert_eq!(c.add_working_days(fri, 1), d("2025-09-28"));
        assert_eq!(c.add_working_days(fri, 3), d("2025-09-30"));
        assert_eq!(c.add_working_days(fri, 4), d("2025-10-09"));
        assert_eq!(c.add_working_days(fri, 6), d("2025-10-11"));
        assert_eq!(c.add_working_days(fri, 7), d("2025-10-13"));
        // Accepted on Tuesday 9-30 with 5 working days: 10-9, 10-10, 10-11, 10-13, 10-14.
        assert_eq!(c.add_working_days(d("2025-09-30"), 5), d("2025-10-14"));
        // Accepted during the holiday: counting starts after it.
        assert_eq!(c.add_working_days(d("2025-10-03"), 1), d("2025-10-09"));
        // Weekends only, the same limit would end much earlier.
        let bare = HolidayCalendar::default();
        assert_eq!(bare.add_working_days(d("2025-09-30"), 5), d("2025-10-07"));
    }

    #[test]
    fn spring_festival_2026() {
        let c = cal();
        // 2-14 (Saturday) worked, 2-15 … 2-23 off, 2-28 (Saturday) worked.
        assert!(c.is_working_day(d("2026-02-13")));
        assert!(c.is_working_day(d("2026-02-14")));
        for day in 15..=23 {
            assert!(
                !c.is_working_day(Date::new(2026, 2, day).unwrap()),
                "2-{day}"
            );
        }
        assert!(c.is_working_day(d("2026-02-24")));
        assert!(c.is_working_day(d("2026-02-28")));
        assert!(!c.is_working_day(d("2026-03-01")));

        // 20 working days from Thursday 2026-02-12: 2-13, 2-14, 2-24 … 2-27 (6),
        // 2-28 (7), 3-2 … 3-6 (12), 3-9 … 3-13 (17), 3-16, 3-17, 3-18 (20).
        let accepted = d("2026-02-12");
        assert_eq!(c.add_working_days(accepted, 2), d("2026-02-14"));
        assert_eq!(c.add_working_days(accepted, 3), d("2026-02-24"));
        assert_eq!(c.add_working_days(accepted, 7), d("2026-02-28"));
        assert_eq!(c.add_working_days(accepted, 20), d("2026-03-18"));
        assert_eq!(c.working_days_between(accepted, d("2026-03-18")), 20);
        assert_eq!(c.working_days_between(accepted, d("2026-02-23")), 2);
    }

    #[test]
    fn a_makeup_saturday_counts_as_a_working_day() {
        let c = cal();
        let sat = d("2026-05-09");
        assert_eq!(sat.weekday(), 6);
        assert!(c.is_makeup_workday(sat));
        assert!(c.is_working_day(sat));
        assert!(!c.is_working_day(d("2026-05-16")), "an ordinary Saturday");
        // Accepted Thursday 5-7: Friday 5-8 is the 1st, Saturday 5-9 the 2nd.
        assert_eq!(c.add_working_days(d("2026-05-07"), 2), d("2026-05-09"));
        // New Year 2026: Sunday 1-4 worked.
        assert!(c.is_working_day(d("2026-01-04")));
        assert_eq!(c.add_working_days(d("2025-12-31"), 1), d("2026-01-04"));
    }

    #[test]
    fn instant_and_round_trip_counting() {
        let c = cal();
        let day = d("2025-09-30");
        assert_eq!(c.add_working_days(day, 0), day);
        assert_eq!(c.due_date(day, working(0), &[]), day);
        let mut start = d("2025-01-01");
        while start < d("2027-01-31") {
            for n in [1, 5, 20] {
                let due = c.add_working_days(start, n);
                assert!(c.is_working_day(due));
                assert_eq!(c.working_days_between(start, due), n, "{start} + {n}");
            }
            start = start.add_days(3);
        }
        assert_eq!(c.working_days_between(d("2025-10-09"), d("2025-10-01")), 0);
        assert_eq!(c.working_days_between(day, day), 0);
    }

    #[test]
    fn calendar_day_limits_count_every_day() {
        let c = cal();
        // 60 日 from 2025-09-15: 2025-11-14, holidays or not.
        assert_eq!(
            c.due_date(d("2025-09-15"), calendar_days(60), &[]),
            d("2025-11-14")
        );
        // …but a period ending inside the 国庆 holiday runs to the first working day.
        assert_eq!(
            c.due_date(d("2025-09-30"), calendar_days(3), &[]),
            d("2025-10-09")
        );
        assert_eq!(
            c.elapsed(d("2025-09-30"), d("2025-10-08"), DayUnit::CalendarDays, &[]),
            8
        );
    }

    #[test]
    fn correction_pauses_extend_the_deadline() {
        let c = cal();
        // 10 working days from Monday 2025-11-03: due Monday 11-17.
        let accepted = d("2025-11-03");
        assert_eq!(c.due_date(accepted, working(10), &[]), d("2025-11-17"));
        // 补正 asked Wednesday 11-05, complete Monday 11-10: 11-06, 11-07, 11-10 are
        // paused (3 working days): due Thursday 11-20.
        let pause = [(d("2025-11-05"), d("2025-11-10"))];
        assert_eq!(c.due_date(accepted, working(10), &pause), d("2025-11-20"));
        assert_eq!(
            c.elapsed(accepted, d("2025-11-10"), DayUnit::WorkingDays, &pause),
            2
        );
        // Requested and completed the same day: nothing paused.
        let same = [(d("2025-11-05"), d("2025-11-05"))];
        assert_eq!(c.due_date(accepted, working(10), &same), d("2025-11-17"));
        // Overlapping or repeated intervals count once.
        let twice = [pause[0], pause[0], (d("2025-11-06"), d("2025-11-07"))];
        assert_eq!(c.due_date(accepted, working(10), &twice), d("2025-11-20"));
        // A pause after the due date does not move it.
        let late = [(d("2025-11-18"), d("2025-11-25"))];
        assert_eq!(c.due_date(accepted, working(10), &late), d("2025-11-17"));
        // Calendar-day limit: 30 日 from 2025-11-03 is 12-03; 5 calendar days paused.
        assert_eq!(
            c.due_date(accepted, calendar_days(30), &[]),
            d("2025-12-03")
        );
        assert_eq!(
            c.due_date(accepted, calendar_days(30), &pause),
            d("2025-12-08")
        );
        // A pause across 国庆 2025 stops the clock on working days only.
        let accepted = d("2025-09-25");
        let pause = [(d("2025-09-26"), d("2025-10-09"))];
        // 9-26 is the 1st working day (the day of the request is worked); 9-27 … 10-9 are
        // paused; 10-10 is the 2nd and Saturday 10-11 (调休) the 3rd.
        assert_eq!(c.due_date(accepted, working(1), &[]), d("2025-09-26"));
        assert_eq!(c.due_date(accepted, working(2), &pause), d("2025-10-10"));
        assert_eq!(c.due_date(accepted, working(3), &pause), d("2025-10-11"));
    }

    /// The statutory holidays of 《全国年节及纪念日放假办法》 (2024 revision) for a year,
    /// from its lunar and solar-term dates: 除夕 (the day before 正月初一), 清明, 端午 and
    /// 中秋 as Gregorian dates.
    fn statutory(
        year: i32,
        new_year: &str,
        qingming: &str,
        duanwu: &str,
        zhongqiu: &str,
    ) -> Vec<Date> {
        let chuyi = d(new_year);
        let mut days = vec![Date::new(year, 1, 1).unwrap()];
        days.extend((-1..=2).map(|i| chuyi.add_days(i)));
        days.extend([
            d(qingming),
            Date::new(year, 5, 1).unwrap(),
            Date::new(year, 5, 2).unwrap(),
        ]);
        days.extend([d(duanwu), d(zhongqiu)]);
        days.extend((1..=3).map(|day| Date::new(year, 10, day).unwrap()));
        days
    }

    #[test]
    fn the_law_s_holidays_lie_inside_every_notice_and_stand_in_for_a_missing_one() {
        let c = cal();
        // Checks the method on the years we have notices for: every statutory day is off.
        let y2025 = statutory(2025, "2025-01-29", "2025-04-04", "2025-05-31", "2025-10-06");
        let y2026 = statutory(2026, "2026-02-17", "2026-04-05", "2026-06-19", "2026-09-25");
        for day in y2025.iter().chain(&y2026) {
            assert!(
                c.years[&day.year].holidays.contains(day),
                "{day} in the notice"
            );
        }
        // 2027 (正月初一 2-6, 清明 4-5, 端午 6-9, 中秋 9-15) ships exactly those days.
        let y2027 = statutory(2027, "2027-02-06", "2027-04-05", "2027-06-09", "2027-09-15");
        let shipped: Vec<Date> = c.provisional[&2027].holidays.iter().copied().collect();
        let mut expected = y2027.clone();
        expected.sort();
        assert_eq!(shipped, expected);
        assert!(c.provisional[&2027].workdays.is_empty());
        assert!(!c.covers(d("2027-03-01")), "still no notice: estimates");
        // 除夕 2027 is a Friday, 初三 a Monday: both off; the Tuesday after is counted
        // until the notice says otherwise (it will likely add 补假).
        assert!(!c.is_working_day(d("2027-02-05")));
        assert!(!c.is_working_day(d("2027-02-08")));
        assert!(c.is_working_day(d("2027-02-09")));
        // A notice entered for 2027 replaces the provisional days entirely.
        let mut entered = c.clone();
        entered.years.insert(2027, test_schedule([d("2027-01-04")]));
        assert!(entered.is_working_day(d("2027-01-01")));
        assert!(!entered.is_working_day(d("2027-01-04")));
        // The law fixes days off only: a provisional make-up day is refused.
        let mut wrong = c.clone();
        wrong
            .provisional
            .get_mut(&2027)
            .unwrap()
            .workdays
            .insert(d("2027-02-20"));
        assert!(!wrong.validate().is_empty());
    }

    #[test]
    fn outside_the_covered_years_only_weekends_are_off_and_it_is_reported() {
        let mut c = cal();
        // Without the statutory days known in advance either:
        c.provisional.clear();
        let jan = d("2027-01-01");
        assert!(!c.covers(jan));
        assert!(c.covers(d("2026-12-31")));
        // 2027-01-01 is a Friday: a working day for lack of the 2027 notice.
        assert_eq!(jan.weekday(), 5);
        assert!(c.is_working_day(jan));
        assert!(
            !cal().is_working_day(jan),
            "the law makes it a day off anyway"
        );
        assert_eq!(
            c.uncovered_years(d("2026-12-20"), d("2027-01-10")),
            vec![2027]
        );
        assert!(c
            .uncovered_years(d("2025-03-01"), d("2026-03-01"))
            .is_empty());
        assert_eq!(
            c.uncovered_years(d("2024-12-31"), d("2025-01-02")),
            vec![2024]
        );
    }

    #[test]
    fn staff_can_add_and_correct_years_but_not_with_bad_data() {
        let mut c = cal();
        let schedule = |holidays: &[&str], workdays: &[&str]| YearSchedule {
            source: "测试通知".to_string(),
            url: None,
            issued: None,
            holidays: holidays.iter().map(|s| d(s)).collect(),
            workdays: workdays.iter().map(|s| d(s)).collect(),
            periods: Vec::new(),
        };
        // A made-up test year far away, so nobody mistakes it for real data.
        let extra: HolidayCalendar = HolidayCalendar {
            years: [(2099, schedule(&["2099-01-01"], &["2099-01-03"]))].into(),
            ..HolidayCalendar::default()
        };
        assert_eq!(c.merge(extra), Ok(vec![]));
        assert!(c.covers(d("2099-06-01")));
        assert!(!c.is_working_day(d("2099-01-01")));
        assert!(c.is_working_day(d("2099-01-03")));

        // Replacing a year reports it.
        let fix = HolidayCalendar {
            years: [(2099, schedule(&["2099-01-01", "2099-01-02"], &[]))].into(),
            ..HolidayCalendar::default()
        };
        assert_eq!(c.merge(fix), Ok(vec![2099]));
        assert!(!c.is_working_day(d("2099-01-02")));

        // Bad data is refused and changes nothing.
        let before = c.clone();
        let weekday_workday = HolidayCalendar {
            years: [(2098, schedule(&["2098-01-01"], &["2098-01-06"]))].into(),
            ..HolidayCalendar::default()
        };
        assert_eq!(
            c.merge(weekday_workday),
            Err(CalendarError::WorkdayNotWeekend {
                date: d("2098-01-06")
            })
        );
        assert_eq!(c, before);
        assert_eq!(
            c.insert_year(2098, schedule(&["2097-12-31"], &[])),
            Err(CalendarError::WrongYear {
                year: 2098,
                date: d("2097-12-31")
            })
        );
        assert_eq!(
            c.insert_year(2098, schedule(&[], &[])),
            Err(CalendarError::NoHolidays { year: 2098 })
        );
        assert_eq!(
            c.insert_year(2098, schedule(&["2098-01-04"], &["2098-01-04"])),
            Err(CalendarError::Both {
                date: d("2098-01-04")
            })
        );
        let mut unsourced = schedule(&["2098-01-01"], &[]);
        unsourced.source = " ".to_string();
        assert_eq!(
            c.insert_year(2098, unsourced),
            Err(CalendarError::NoSource { year: 2098 })
        );
        assert_eq!(c, before);
        assert!(matches!(
            HolidayCalendar::from_json(
                r#"{"years": {"2025": {"source": "x", "holidays": ["2025-13-01"]}}}"#
            ),
            Err(CalendarError::Format(_))
        ));
    }

    #[test]
    fn round_trips_through_json() {
        let c = cal();
        let json = serde_json::to_string(&c).unwrap();
        assert!(json.contains("\"2025\":{"));
        assert_eq!(HolidayCalendar::from_json(&json).unwrap(), c);
    }
}
