//! Opening hours: the citizen-facing text ("周一至周五 8:30–12:00、13:30–17:30").

use crate::calendar::Date;
use crate::catalog::item::HoursSpan;

const DAY_NAMES: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

fn day_name(day: u8) -> &'static str {
    DAY_NAMES
        .get(usize::from(day.saturating_sub(1)))
        .copied()
        .unwrap_or("?")
}

/// "周一至周五", "周六", "周一、周三".
pub fn weekdays_label(days: &[u8]) -> String {
    let mut sorted = days.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    match sorted.as_slice() {
        [] => String::new(),
        [one] => day_name(*one).to_string(),
        [first, .., last] if usize::from(last - first) + 1 == sorted.len() => {
            format!("{}至{}", day_name(*first), day_name(*last))
        }
        _ => sorted
            .iter()
            .map(|d| day_name(*d))
            .collect::<Vec<_>>()
            .join("、"),
    }
}

/// "8:30" from "08:30", so the line reads naturally.
fn short_time(hhmm: &str) -> &str {
    hhmm.strip_prefix('0').unwrap_or(hhmm)
}

/// Groups spans with the same weekdays: one line per weekday set.
pub fn hours_lines(spans: &[HoursSpan]) -> Vec<String> {
    let mut groups: Vec<(Vec<u8>, Vec<String>)> = Vec::new();
    for span in spans {
        let range = format!("{}–{}", short_time(&span.open), short_time(&span.close));
        match groups.iter_mut().find(|(days, _)| *days == span.weekdays) {
            Some((_, ranges)) => ranges.push(range),
            None => groups.push((span.weekdays.clone(), vec![range])),
        }
    }
    groups
        .into_iter()
        .map(|(days, ranges)| format!("{} {}", weekdays_label(&days), ranges.join("、")))
        .collect()
}

/// Minutes after midnight of "HH:MM", or `None` when malformed.
pub fn parse_hhmm(hhmm: &str) -> Option<u16> {
    let (h, m) = hhmm.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// How the holiday calendar says a date is worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// The weekly hours apply.
    Usual,
    /// A public holiday (放假): closed all day.
    Off,
    /// A weekend day worked instead (调休上班): a usual working day's hours (Monday's).
    Worked,
}

/// The days that break the weekly pattern, from the holiday calendar due dates are
/// counted with (`GET /api/v1/holidays`): days off and 调休 working days, as the answer
/// writes them ("2026-10-01").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DaysOff {
    holidays: Vec<String>,
    workdays: Vec<String>,
}

impl DaysOff {
    /// From the dates as written in the holidays answer.
    pub fn from_text(holidays: Vec<String>, workdays: Vec<String>) -> DaysOff {
        DaysOff { holidays, workdays }
    }

    pub fn kind(&self, date: Date) -> DayKind {
        let date = date.to_string();
        if self.workdays.contains(&date) {
            DayKind::Worked
        } else if self.holidays.contains(&date) {
            DayKind::Off
        } else {
            DayKind::Usual
        }
    }
}

/// The next opening of a closed window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    pub date: Date,
    /// 0 today, 1 tomorrow …
    pub days_ahead: i64,
    /// "HH:MM".
    pub open: String,
}

/// Whether the window is open at a moment, and what comes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenStatus {
    /// Open now, until "HH:MM" today.
    Open { closes: String },
    /// Closed now (`holiday`: today is a public holiday); `next` is `None` when the
    /// hours list no opening in the next two weeks.
    Closed {
        next: Option<Opening>,
        holiday: bool,
    },
}

impl OpenStatus {
    /// What a citizen reads: "现在办公，17:30 下班", "现在不办公，周一 8:30 上班",
    /// "今天放假，10月8日（周四）8:30 上班".
    pub fn label(&self) -> String {
        match self {
            OpenStatus::Open { closes } => format!("现在办公，{} 下班", short_time(closes)),
            OpenStatus::Closed { next, holiday } => {
                let now = if *holiday {
                    "今天放假，不办公"
                } else {
                    "现在不办公"
                };
                match next {
                    None => now.to_string(),
                    Some(next) => {
                        let when = match next.days_ahead {
                            0 => "今天".to_string(),
                            1 => "明天".to_string(),
                            2..=6 => day_name(next.date.weekday()).to_string(),
                            _ => format!(
                                "{}月{}日（{}）",
                                next.date.month,
                                next.date.day,
                                day_name(next.date.weekday())
                            ),
                        };
                        let gap = if when.ends_with('）') { "" } else { " " };
                        format!("{now}，{when}{gap}{} 上班", short_time(&next.open))
                    }
                }
            }
        }
    }

    pub fn is_open(&self) -> bool {
        matches!(self, OpenStatus::Open { .. })
    }
}

/// The status on `today` at `minute` after midnight, local hall time, with the public
/// holidays and 调休 working days of `days`.
pub fn open_status(spans: &[HoursSpan], today: Date, minute: u16, days: &DaysOff) -> OpenStatus {
    let parsed: Vec<(&HoursSpan, u16, u16)> = spans
        .iter()
        .filter_map(|s| Some((s, parse_hhmm(&s.open)?, parse_hhmm(&s.close)?)))
        .collect();
    // Whose hours a date keeps: its weekday's, Monday's on a 调休 day, none on a holiday.
    let hours_of = |date: Date| match days.kind(date) {
        DayKind::Usual => Some(date.weekday()),
        DayKind::Worked => Some(1),
        DayKind::Off => None,
    };
    let on = |weekday: Option<u8>, s: &HoursSpan| weekday.is_some_and(|d| s.weekdays.contains(&d));
    let weekday = hours_of(today);
    if let Some((span, _, _)) = parsed
        .iter()
        .find(|(s, open, close)| on(weekday, s) && *open <= minute && minute < *close)
    {
        return OpenStatus::Open {
            closes: span.close.clone(),
        };
    }
    // The next opening: later today first, then the following days (a holiday week and
    // the weekend around it span up to ten days).
    let next = (0..15).find_map(|ahead| {
        let date = today.add_days(ahead);
        let weekday = hours_of(date);
        parsed
            .iter()
            .filter(|(s, open, _)| on(weekday, s) && (ahead > 0 || *open > minute))
            .min_by_key(|(_, open, _)| *open)
            .map(|(span, _, _)| Opening {
                date,
                days_ahead: ahead,
                open: span.open.clone(),
            })
    });
    OpenStatus::Closed {
        next,
        holiday: days.kind(today) == DayKind::Off,
    }
}

/// The date and minute of the day in China Standard Time (UTC+8, no daylight saving)
/// of a Unix time in milliseconds.
pub fn china_time(unix_ms: f64) -> (Date, u16) {
    let minutes = (unix_ms / 60_000.0).floor() as i64 + 8 * 60;
    let days = minutes.div_euclid(24 * 60);
    let minute = minutes.rem_euclid(24 * 60) as u16;
    (Date::from_days(days), minute)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(days: &[u8], open: &str, close: &str) -> HoursSpan {
        HoursSpan {
            weekdays: days.to_vec(),
            open: open.into(),
            close: close.into(),
        }
    }

    #[test]
    fn groups_morning_and_afternoon_of_the_same_days() {
        let lines = hours_lines(&[
            span(&[1, 2, 3, 4, 5], "08:30", "12:00"),
            span(&[1, 2, 3, 4, 5], "13:30", "17:30"),
            span(&[6], "09:00", "12:00"),
        ]);
        assert_eq!(
            lines,
            vec!["周一至周五 8:30–12:00、13:30–17:30", "周六 9:00–12:00"]
        );
    }

    #[test]
    fn non_contiguous_days_are_listed() {
        assert_eq!(weekdays_label(&[3, 1]), "周一、周三");
    }

    #[test]
    fn parses_times() {
        assert_eq!(parse_hhmm("08:30"), Some(510));
        assert_eq!(parse_hhmm("24:00"), None);
        assert_eq!(parse_hhmm("8:30"), None);
    }
    fn week() -> Vec<HoursSpan> {
        vec![
            span(&[1, 2, 3, 4, 5], "08:30", "12:00"),
            span(&[1, 2, 3, 4, 5], "13:30", "17:30"),
            span(&[6], "09:00", "12:00"),
        ]
    }

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    /// 2026-11-24 is a Tuesday.
    fn weekday(n: u8) -> Date {
        d("2026-11-23").add_days(i64::from(n) - 1)
    }

    fn none() -> DaysOff {
        DaysOff::default()
    }

    #[test]
    fn open_during_a_span_and_says_when_it_closes() {
        let status = open_status(&week(), weekday(2), 9 * 60, &none());
        assert!(status.is_open());
        assert_eq!(status.label(), "现在办公，12:00 下班");
        // The closing minute itself is closed; the afternoon opening is later today.
        let lunch = open_status(&week(), weekday(2), 12 * 60, &none());
        assert_eq!(lunch.label(), "现在不办公，今天 13:30 上班");
    }

    #[test]
    fn closed_after_hours_points_at_the_next_day_with_hours() {
        assert_eq!(
            open_status(&week(), weekday(5), 18 * 60, &none()).label(),
            "现在不办公，明天 9:00 上班"
        );
        assert_eq!(
            open_status(&week(), weekday(6), 13 * 60, &none()).label(),
            "现在不办公，周一 8:30 上班"
        );
        assert_eq!(
            open_status(&week(), weekday(7), 10 * 60, &none()).label(),
            "现在不办公，明天 8:30 上班"
        );
        assert_eq!(
            open_status(&[], weekday(1), 600, &none()).label(),
            "现在不办公"
        );
    }

    /// The 2026 national notice: 国庆 10-01…10-07 off, Saturday 10-10 worked.
    fn national_day_2026() -> DaysOff {
        DaysOff::from_text(
            (1..=7).map(|n| format!("2026-10-0{n}")).collect(),
            vec!["2026-09-20".into(), "2026-10-10".into()],
        )
    }

    #[test]
    fn a_public_holiday_is_closed_and_says_when_work_resumes() {
        // Thursday 2026-10-01, 10:00: a weekday, but 国庆.
        let status = open_status(&week(), d("2026-10-01"), 10 * 60, &national_day_2026());
        assert!(!status.is_open());
        assert_eq!(status.label(), "今天放假，不办公，10月8日（周四）8:30 上班");
    }

    #[test]
    fn a_worked_weekend_day_keeps_weekday_hours() {
        // Saturday 2026-10-10 at 15:00: 调休上班, so open all afternoon like a Monday.
        let status = open_status(&week(), d("2026-10-10"), 15 * 60, &national_day_2026());
        assert_eq!(status.label(), "现在办公，17:30 下班");
        // Without the calendar it would read as a Saturday (closed after 12:00).
        assert!(!open_status(&week(), d("2026-10-10"), 15 * 60, &none()).is_open());
    }

    #[test]
    fn china_time_is_utc_plus_eight() {
        // 2024-01-01T00:30:00Z was a Monday, 08:30 in Beijing.
        assert_eq!(
            china_time(1_704_069_000_000.0),
            (d("2024-01-01"), 8 * 60 + 30)
        );
        // 2024-01-07T16:30:00Z: Monday 00:30 in Beijing, still Sunday in UTC.
        assert_eq!(china_time(1_704_645_000_000.0), (d("2024-01-08"), 30));
    }
}
