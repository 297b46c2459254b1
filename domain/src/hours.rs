//! Opening hours: the citizen-facing text ("周一至周五 8:30–12:00、13:30–17:30").

use crate::item::HoursSpan;

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
}
