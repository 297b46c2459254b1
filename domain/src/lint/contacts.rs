//! Rule 7: consultation and complaint phones.

use super::*;

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

/// One phone number someone outside the county can dial: with an area code
/// (0376-2981201, (0376)2981201, 03762981201), a 400/800 number, or a mobile number;
/// optionally with an extension (转801).
pub(super) fn is_dialable_phone(raw: &str) -> bool {
    let text: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '－' | '—' | '–' | '‐' => '-',
            c => c,
        })
        .collect();
    let number = match text.split_once('转') {
        Some((number, ext)) if all_digits(ext, 1, 6) => number,
        Some(_) => return false,
        None => text.as_str(),
    };
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

/// A phone field may hold several numbers: "0376-2981201、0376-2981202".
fn phone_numbers(field: &str) -> impl Iterator<Item = &str> {
    field
        .split(['、', '，', ',', ';', '；', '/'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
}

fn phone_key(field: &str) -> String {
    field.chars().filter(char::is_ascii_digit).collect()
}

/// Rule 7: consultation and complaint phones present, different, with area code.
pub(super) fn check_contacts(item: &Item, out: &mut Vec<Finding>) {
    let phones = [
        ("consult_phone", "咨询电话", &item.consult_phone),
        ("complain_phone", "投诉电话", &item.complain_phone),
    ];
    for (field, label, value) in phones {
        if is_blank(value) {
            out.push(Finding::new(
                CONTACT_PHONES,
                format!("请填写{label}"),
                &[field],
            ));
            continue;
        }
        let bad: Vec<&str> = phone_numbers(value)
            .filter(|n| !is_dialable_phone(n))
            .collect();
        if !bad.is_empty() {
            out.push(Finding::new(
                CONTACT_PHONES,
                format!(
                    "{label}“{}”缺少区号或格式有误，外地群众无法拨通；应写作 0376-2981201 的形式",
                    bad.join("、")
                ),
                &[field],
            ));
        }
    }
    let (consult, complain) = (
        phone_key(&item.consult_phone),
        phone_key(&item.complain_phone),
    );
    if !consult.is_empty() && consult == complain {
        out.push(Finding::new(
            CONTACT_PHONES,
            format!(
                "咨询电话与投诉电话相同（{}），投诉电话应另设",
                item.complain_phone.trim()
            ),
            &["consult_phone", "complain_phone"],
        ));
    }
}
