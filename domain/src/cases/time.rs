//! Timestamps of case events (RFC 3339, Beijing time when no offset) and masked names.

use crate::calendar::Date;

const BEIJING_OFFSET: i64 = 8 * 3600;

fn two_digits(text: Option<&str>) -> Option<i64> {
    let text = text?;
    (text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Seconds since 1970-01-01 00:00 Beijing time, for ordering.
pub(crate) fn instant(at: &str) -> Option<i64> {
    let date = Date::parse(at.get(..10)?).ok()?;
    let rest = &at[10..];
    let mut seconds = 0i64;
    let mut offset = BEIJING_OFFSET;
    if !rest.is_empty() {
        let time = rest
            .strip_prefix('T')
            .or_else(|| rest.strip_prefix('t'))
            .or_else(|| rest.strip_prefix(' '))?;
        let hour = two_digits(time.get(0..2))?;
        if time.get(2..3)? != ":" {
            return None;
        }
        let minute = two_digits(time.get(3..5))?;
        let mut tail = &time[5..];
        let mut second = 0;
        if let Some(after) = tail.strip_prefix(':') {
            second = two_digits(after.get(0..2))?;
            tail = &after[2..];
            if let Some(fraction) = tail.strip_prefix('.') {
                let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
                if digits == 0 {
                    return None;
                }
                tail = &fraction[digits..];
            }
        }
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        seconds = hour * 3600 + minute * 60 + second;
        offset = match tail {
            "" => BEIJING_OFFSET,
            "Z" | "z" => 0,
            _ => {
                let sign = match tail.as_bytes()[0] {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return None,
                };
                let hours = two_digits(tail.get(1..3))?;
                let minutes = match tail.get(3..)? {
                    "" => 0,
                    m => two_digits(m.strip_prefix(':').or(Some(m)))?,
                };
                if hours > 14 || minutes > 59 {
                    return None;
                }
                sign * (hours * 3600 + minutes * 60)
            }
        };
    }
    Some(date.to_days() * 86_400 + seconds - offset + BEIJING_OFFSET)
}

/// The Beijing date and second of the day of a timestamp, or `None` if it is not one.
pub fn beijing_time(at: &str) -> Option<(Date, u32)> {
    let t = instant(at)?;
    Some((
        Date::from_days(t.div_euclid(86_400)),
        t.rem_euclid(86_400) as u32,
    ))
}

/// Masks a name for display: `张三明` → `张*明`, `李四` → `李*`, `欧阳娜娜` → `欧**娜`;
/// a single character is left as it is. Works by character, so ASCII names too
/// (`Tom` → `T*m`).
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.as_slice() {
        [] | [_] => chars.iter().collect(),
        [first, _] => format!("{first}*"),
        [first, middle @ .., last] => format!("{first}{}{last}", "*".repeat(middle.len())),
    }
}
