//! Phone fields as real guides write them: one number, or one per office, each with an
//! optional label ("市区办理点：020-87656275", one per line or separated by 、；;), an
//! extension ("0376-2981201转801"), or the national government service hotline 12345.
//! The lint checks each number on its own; the guide shows one tap-to-call link each.

/// One number of a phone field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneEntry {
    /// The office or purpose before the colon ("番禺办理点"), if any.
    pub label: Option<String>,
    /// The number as written, without the label.
    pub number: String,
}

/// The national government service hotline (12345政务服务便民热线): dialled as is from
/// anywhere in China, so it needs no area code.
pub const NATIONAL_HOTLINE: &str = "12345";

/// Separators between the numbers of one field.
fn is_separator(c: char) -> bool {
    matches!(c, '\n' | '、' | '；' | ';' | '，' | ',' | '/')
}

/// The entries of a phone field, in order; blank parts are skipped.
pub fn phone_entries(field: &str) -> Vec<PhoneEntry> {
    let mut out = Vec::new();
    for part in field.split(is_separator) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        // "番禺办理点：020-84881099": the label before the (full-width or ASCII) colon.
        let colon = part.find(['：', ':']);
        let (label, number) = match colon {
            Some(at) => {
                let colon_len = part[at..].chars().next().map_or(1, char::len_utf8);
                (part[..at].trim(), part[at + colon_len..].trim())
            }
            None => ("", part),
        };
        out.push(if label.is_empty() || number.is_empty() {
            PhoneEntry {
                label: None,
                number: if number.is_empty() { label } else { number }.to_string(),
            }
        } else {
            PhoneEntry {
                label: Some(label.to_string()),
                number: number.to_string(),
            }
        });
    }
    out
}

/// The number with full-width brackets and dashes folded and spaces removed.
fn folded(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '－' | '—' | '–' | '‐' => '-',
            c => c,
        })
        .collect()
}

fn all_digits(text: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
}

/// 0 + 2–3 digits: 010, 0376.
fn is_area_code(text: &str) -> bool {
    text.starts_with('0') && all_digits(text, 3, 4)
}

/// Local number after an area code: 5–8 digits, not starting with 0 (12345, 2981201).
fn is_local_number(text: &str) -> bool {
    let digits: String = text.chars().filter(|&c| c != '-').collect();
    !text.starts_with('-') && !digits.starts_with('0') && all_digits(&digits, 5, 8)
}

/// The number and its extension ("转801", "-转801"), when the extension is well-formed.
fn split_extension(text: &str) -> Option<(&str, Option<&str>)> {
    match text.split_once('转') {
        Some((number, ext)) if all_digits(ext, 1, 6) => {
            Some((number.trim_end_matches('-'), Some(ext)))
        }
        Some(_) => None,
        None => Some((text, None)),
    }
}

/// One phone number someone outside the county can dial: with an area code
/// (0376-2981201, (0376)2981201, 03762981201), a 400/800 number, a mobile number, or
/// the national hotline 12345; optionally with an extension (转801).
pub fn is_dialable_phone(raw: &str) -> bool {
    let text = folded(raw);
    let Some((number, _)) = split_extension(&text) else {
        return false;
    };
    if number == NATIONAL_HOTLINE {
        return true;
    }
    if let Some(rest) = number.strip_prefix('(') {
        return match rest.split_once(')') {
            Some((area, local)) => {
                is_area_code(area) && is_local_number(local.strip_prefix('-').unwrap_or(local))
            }
            None => false,
        };
    }
    let digits: String = number.chars().filter(|&c| c != '-').collect();
    if !all_digits(&digits, 1, 20) || number.ends_with('-') || number.contains("--") {
        return false;
    }
    if digits.starts_with("400") || digits.starts_with("800") {
        return digits.len() == 10;
    }
    if digits.starts_with('1') {
        // Mobile: 1[3-9] + 9 digits.
        return digits.len() == 11 && matches!(digits.as_bytes()[1], b'3'..=b'9');
    }
    if !digits.starts_with('0') {
        return false;
    }
    match number.split_once('-') {
        Some((area, local)) => is_area_code(area) && is_local_number(local),
        None => (10..=12).contains(&digits.len()) && digits.as_bytes()[1] != b'0',
    }
}

/// The `tel:` link of one number: digits only, and an extension after a pause (`,`),
/// which phones dial once the call connects ("0376-2981201转801" → `tel:03762981201,801`).
pub fn tel_href(number: &str) -> String {
    let text = folded(number);
    let (main, ext) = split_extension(&text).unwrap_or((text.as_str(), None));
    let digits: String = main.chars().filter(char::is_ascii_digit).collect();
    match ext {
        Some(ext) => format!("tel:{digits},{ext}"),
        None => format!("tel:{digits}"),
    }
}

/// The digits of a whole field, to tell two fields holding the same numbers apart.
pub fn phone_key(field: &str) -> String {
    field.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(label: Option<&str>, number: &str) -> PhoneEntry {
        PhoneEntry {
            label: label.map(str::to_string),
            number: number.to_string(),
        }
    }

    #[test]
    fn one_number_per_office_with_labels() {
        // 广州 guides list one line per office.
        let field = "市区办理点：020-87656275\n番禺办理点：020-84881099\n花都办理点:020-86883257";
        assert_eq!(
            phone_entries(field),
            vec![
                entry(Some("市区办理点"), "020-87656275"),
                entry(Some("番禺办理点"), "020-84881099"),
                entry(Some("花都办理点"), "020-86883257"),
            ]
        );
        assert!(phone_entries(field)
            .iter()
            .all(|e| is_dialable_phone(&e.number)));
    }

    #[test]
    fn numbers_separated_by_chinese_punctuation() {
        assert_eq!(
            phone_entries("0376-2981201、0376-2981202；0376-2981203; 12345"),
            vec![
                entry(None, "0376-2981201"),
                entry(None, "0376-2981202"),
                entry(None, "0376-2981203"),
                entry(None, "12345"),
            ]
        );
        assert_eq!(phone_entries(" \n、"), vec![]);
    }

    #[test]
    fn the_national_hotline_is_dialable_with_or_without_area_code() {
        for good in ["12345", "0376-12345", "(0771)12345", "12345转1"] {
            assert!(is_dialable_phone(good), "{good}");
        }
        assert_eq!(
            phone_entries("政务服务便民热线：12345"),
            vec![entry(Some("政务服务便民热线"), "12345")]
        );
        assert!(!is_dialable_phone("123456"));
    }

    #[test]
    fn extensions_dial_after_a_pause() {
        assert_eq!(tel_href("0376-2981201转801"), "tel:03762981201,801");
        assert_eq!(tel_href("0376－2981201-转801"), "tel:03762981201,801");
        assert_eq!(tel_href("（0376）2981201"), "tel:03762981201");
        assert_eq!(tel_href("12345"), "tel:12345");
        assert!(is_dialable_phone("0376-2981201-转801"));
    }
}
