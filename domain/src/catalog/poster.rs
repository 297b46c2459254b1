//! QR posters: each printed poster gets a serial that is also its short official address
//! (`/q/{serial}`), written out under the QR code so people can type it or read it aloud.
//!
//! A serial is the poster's number in the order posters were issued (so two can never
//! collide: the editorial object hands out the numbers), written with the receipt
//! numbers' alphabet — no 0/O, 1/I/L or B/8 — as four symbols and a check character that
//! catches any one wrong symbol and any swap of two. Parsing forgives lower case, spaces,
//! dashes and full-width forms; it never guesses.

use serde::{Deserialize, Serialize};

use crate::cases::receipt::{halfwidth, is_separator, symbol_value, ALPHABET, RADIX};

/// Symbols of a serial before the check character: 29⁴ = 707,281 posters.
pub const SERIAL_SYMBOLS: usize = 4;
/// Most posters one serial number range holds.
pub const MAX_SERIALS: u64 = (RADIX as u64).pow(SERIAL_SYMBOLS as u32);
/// Serials per KV block (`q:{block}`): a sheet's posters share one or two blocks.
pub const BLOCK_SIZE: u64 = 64;
/// The line every poster carries.
pub const NO_PAYMENT: &str = "政府二维码不会要求付款、不会索要验证码";

/// Check-sum weights: 5, 4, 3, 2, 1 (distinct, non-zero modulo the prime 29).
fn weights() -> impl Iterator<Item = u32> {
    (1..=(SERIAL_SYMBOLS as u32 + 1)).rev()
}

fn check_sum(values: &[u32]) -> u32 {
    values
        .iter()
        .zip(weights())
        .map(|(v, w)| v * w)
        .sum::<u32>()
        % RADIX
}

/// The serial of poster number `n` (0-based), `None` past [`MAX_SERIALS`].
pub fn serial(n: u64) -> Option<String> {
    if n >= MAX_SERIALS {
        return None;
    }
    let mut values = [0u32; SERIAL_SYMBOLS + 1];
    let mut rest = n;
    for v in values[..SERIAL_SYMBOLS].iter_mut().rev() {
        *v = (rest % u64::from(RADIX)) as u32;
        rest /= u64::from(RADIX);
    }
    // The check character has weight 1: it makes the sum 0.
    values[SERIAL_SYMBOLS] = (RADIX - check_sum(&values[..SERIAL_SYMBOLS])) % RADIX;
    Some(
        values
            .iter()
            .map(|&v| ALPHABET[v as usize] as char)
            .collect(),
    )
}

/// Poster number of a serial as people type it; `None` when it is not one.
pub fn parse_serial(text: &str) -> Option<u64> {
    let symbols: Vec<u8> = text
        .chars()
        .map(halfwidth)
        .filter(|c| !is_separator(*c))
        .map(|c| c.to_ascii_uppercase())
        .map(|c| u8::try_from(c).ok())
        .collect::<Option<_>>()?;
    if symbols.len() != SERIAL_SYMBOLS + 1 {
        return None;
    }
    let values: Vec<u32> = symbols
        .iter()
        .map(|&c| symbol_value(c))
        .collect::<Option<_>>()?;
    if check_sum(&values) != 0 {
        return None;
    }
    Some(
        values[..SERIAL_SYMBOLS]
            .iter()
            .fold(0u64, |n, &v| n * u64::from(RADIX) + u64::from(v)),
    )
}

/// The KV block of poster number `n`.
pub fn block_of(n: u64) -> u64 {
    n / BLOCK_SIZE
}

/// KV key of a block of posters (what `/q/{serial}` reads).
pub fn block_key(block: u64) -> String {
    format!("q:{block}")
}

/// What a poster points at, as `/q/{serial}` and its landing note read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Poster {
    pub serial: String,
    /// The item's code, or `None` for a zone's door poster or a hall's bulletin poster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub name: String,
    pub hall: String,
    pub hall_name: String,
    pub zone: String,
    pub printed_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_at: Option<String>,
}

impl Poster {
    /// Where its address leads: the guide, or the hall's page at the zone.
    pub fn target(&self) -> String {
        match &self.code {
            Some(code) => format!("/g/{code}?q={}", self.serial),
            None => format!("/h/{}?q={}", self.hall, self.serial),
        }
    }

    /// The line a page opened from it shows: whose poster it is, and the warning.
    pub fn landing_note(&self) -> String {
        let what = match &self.code {
            Some(_) => format!("“{}”", self.name),
            None if self.zone.is_empty() => "事项清单".to_string(),
            None => format!("{}的事项清单", self.zone),
        };
        let retired = if self.retired_at.is_some() {
            "（该海报已撤下，如在别处看到请告知大厅）"
        } else {
            ""
        };
        format!(
            "您扫描的是{}{}张贴的{}二维码，海报编号 {}{}。{}。",
            self.hall_name, self.zone, what, self.serial, retired, NO_PAYMENT
        )
    }
}

/// `POST /api/v1/staff/posters`: the posters of a sheet just issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedPosters {
    /// The official origin the short addresses are written with (`{origin}/q/{serial}`).
    pub origin: String,
    pub posters: Vec<Poster>,
}

/// `GET /api/v1/staff/posters`: posters issued, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PosterListing {
    pub posters: Vec<Poster>,
    /// Pass as `before` for the next page; `None` on the last.
    pub next_before: Option<i64>,
    /// With a hall: the scans of the listed posters (those never scanned are absent).
    #[serde(default)]
    pub scans: Vec<ScanSummary>,
    /// Well-formed serials scanned that were never issued: stickers that are not ours.
    #[serde(default)]
    pub unknown: Vec<ScanSummary>,
}

/// A serial's scans, counted per day without anything about the person.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ScanSummary {
    pub serial: String,
    pub total: u64,
    /// The last day (Beijing) it was scanned.
    pub last_day: Option<String>,
}

/// Days without a scan after which a poster that was scanned counts as stopped.
pub const STOPPED_AFTER_DAYS: i64 = 14;

/// `POST /api/v1/staff/posters`: what to print — chosen items (a life event's, say), or a
/// hall's published items narrowed to a zone and/or department; `door`: one poster for
/// the zone's list, or without a zone for the hall's (a village's bulletin board).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hall: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(default)]
    pub door: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_round_trip_in_order_without_look_alikes() {
        let mut previous = String::new();
        for n in (0..MAX_SERIALS).step_by(9_973).chain([MAX_SERIALS - 1]) {
            let s = serial(n).unwrap();
            assert_eq!(s.len(), 5);
            assert!(!s.contains(['0', 'O', '1', 'I', 'L', 'B', '8']), "{s}");
            assert_eq!(parse_serial(&s), Some(n), "{s}");
            assert_ne!(s, previous);
            previous = s;
        }
        assert_eq!(serial(MAX_SERIALS), None);
    }

    #[test]
    fn typing_is_forgiven_but_never_guessed() {
        let s = serial(12_345).unwrap();
        let typed = format!(" {}-{} ", s[..2].to_lowercase(), &s[2..]);
        assert_eq!(parse_serial(&typed), Some(12_345));
        let fullwidth: String = s
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
            .collect();
        assert_eq!(parse_serial(&fullwidth), Some(12_345));
        assert_eq!(parse_serial("0OIL8"), None);
        assert_eq!(parse_serial(&s[..4]), None);
    }

    #[test]
    fn every_single_error_and_swap_is_caught() {
        let s: Vec<u8> = serial(421_337).unwrap().into_bytes();
        for i in 0..s.len() {
            for &c in ALPHABET.iter() {
                if c != s[i] {
                    let mut wrong = s.clone();
                    wrong[i] = c;
                    assert_eq!(parse_serial(std::str::from_utf8(&wrong).unwrap()), None);
                }
            }
            for j in i + 1..s.len() {
                if s[i] != s[j] {
                    let mut swapped = s.clone();
                    swapped.swap(i, j);
                    assert_eq!(parse_serial(std::str::from_utf8(&swapped).unwrap()), None);
                }
            }
        }
    }

    #[test]
    fn a_poster_says_whose_it_is_and_warns() {
        let poster = Poster {
            serial: serial(7).unwrap(),
            code: Some("A-1".into()),
            name: "食品经营许可".into(),
            hall: "xinxian".into(),
            hall_name: "新县政务服务中心".into(),
            zone: "商事登记专区".into(),
            printed_at: "2026-11-30".into(),
            retired_at: None,
        };
        assert_eq!(poster.target(), format!("/g/A-1?q={}", poster.serial));
        let note = poster.landing_note();
        assert!(
            note.contains("新县政务服务中心商事登记专区张贴的“食品经营许可”二维码"),
            "{note}"
        );
        assert!(
            note.ends_with("政府二维码不会要求付款、不会索要验证码。"),
            "{note}"
        );
        let board = Poster {
            code: None,
            name: "光明社区党群服务中心事项清单".into(),
            hall: "guangming".into(),
            hall_name: "光明社区党群服务中心".into(),
            zone: String::new(),
            ..poster
        };
        assert_eq!(board.target(), format!("/h/guangming?q={}", board.serial));
        assert!(board
            .landing_note()
            .contains("光明社区党群服务中心张贴的事项清单二维码"));
    }
}
