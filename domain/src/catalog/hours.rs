//! Opening hours: the citizen-facing text ("周一至周五 8:30–12:00、13:30–17:30").

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

/// Whether the window is open at a moment, and what comes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenStatus {
    /// Open now, until "HH:MM" today.
    Open { closes: String },
    /// Closed now; opens next on `weekday` (1–7) at "HH:MM", `today` when that is later
    /// today. `None` when the hours list no opening at all.
    Closed {
        next: Option<(u8, String)>,
        today: bool,
    },
}

impl OpenStatus {
    /// What a citizen reads: "现在办公，17:30 下班", "现在不办公，周一 8:30 上班".
    pub fn label(&self) -> String {
        match self {
            OpenStatus::Open { closes } => format!("现在办公，{} 下班", short_time(closes)),
            OpenStatus::Closed { next: None, .. } => "现在不办公".to_string(),
            OpenStatus::Closed {
                next: Some((day, open)),
                today,
            } => {
                let when = if *today { "今天" } else { day_name(*day) };
                format!("现在不办公，{when} {} 上班", short_time(open))
            }
        }
    }

    pub fn is_open(&self) -> bool {
        matches!(self, OpenStatus::Open { .. })
    }
}

/// The status at `weekday` (1 = Monday … 7 = Sunday) and `minute` after midnight, local
/// hall time. Public holidays are not known here (the guide's hours note says them).
pub fn open_status(spans: &[HoursSpan], weekday: u8, minute: u16) -> OpenStatus {
    let parsed: Vec<(&HoursSpan, u16, u16)> = spans
        .iter()
        .filter_map(|s| Some((s, parse_hhmm(&s.open)?, parse_hhmm(&s.close)?)))
        .collect();
    if let Some((span, _, _)) = parsed.iter().find(|(s, open, close)| {
        s.weekdays.contains(&weekday) && *open <= minute && minute < *close
    }) {
        return OpenStatus::Open {
            closes: span.close.clone(),
        };
    }
    // The next opening: later today first, then the following days in order.
    for offset in 0..8u8 {
        let day = (weekday - 1 + offset) % 7 + 1;
        let next = parsed
            .iter()
            .filter(|(s, open, _)| s.weekdays.contains(&day) && (offset > 0 || *open > minute))
            .min_by_key(|(_, open, _)| *open);
        if let Some((span, _, _)) = next {
            return OpenStatus::Closed {
                next: Some((day, span.open.clone())),
                today: offset == 0,
            };
        }
    }
    OpenStatus::Closed {
        next: None,
        today: false,
    }
}

/// Weekday (1 = Monday … 7 = Sunday) and minute of the day in China Standard Time
/// (UTC+8, no daylight saving) of a Unix time in milliseconds.
pub fn china_time(unix_ms: f64) -> (u8, u16) {
    let minutes = (unix_ms / 60_000.0).floor() as i64 + 8 * 60;
    let days = minutes.div_euclid(24 * 60);
    let minute = minutes.rem_euclid(24 * 60) as u16;
    // 1970-01-01 was a Thursday (4).
    let weekday = ((days + 3).rem_euclid(7) + 1) as u8;
    (weekday, minute)
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

    #[test]
    fn open_during_a_span_and_says_when_it_closes() {
        let status = open_status(&week(), 2, 9 * 60);
        assert!(status.is_open());
        assert_eq!(status.label(), "现在办公，12:00 下班");
        // The closing minute itself is closed; the afternoon opening is later today.
        let lunch = open_status(&week(), 2, 12 * 60);
        assert_eq!(lunch.label(), "现在不办公，今天 13:30 上班");
    }

    #[test]
    fn closed_after_hours_points_at_the_next_day_with_hours() {
        assert_eq!(
            open_status(&week(), 5, 18 * 60).label(),
            "现在不办公，周六 9:00 上班"
        );
        assert_eq!(
            open_status(&week(), 6, 13 * 60).label(),
            "现在不办公，周一 8:30 上班"
        );
        assert_eq!(
            open_status(&week(), 7, 10 * 60).label(),
            "现在不办公，周一 8:30 上班"
        );
        assert_eq!(open_status(&[], 1, 600).label(), "现在不办公");
    }

    #[test]
    fn china_time_is_utc_plus_eight() {
        // 2024-01-01T00:30:00Z was a Monday, 08:30 in Beijing.
        assert_eq!(china_time(1_704_069_000_000.0), (1, 8 * 60 + 30));
        // 2024-01-07T16:30:00Z: Monday 00:30 in Beijing, still Sunday in UTC.
        assert_eq!(china_time(1_704_645_000_000.0), (1, 30));
    }
}
