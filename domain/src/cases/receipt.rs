//! Receipt numbers (受理编号) and query codes (查询码) printed on the 受理通知单.
//!
//! A receipt number is what a citizen reads aloud on the phone or types from paper, so:
//! - it is **random**, never sequential: it is drawn from caller-supplied random bytes
//!   (the edge worker passes `crypto.getRandomValues`), so a neighbour's number cannot be
//!   guessed from one's own;
//! - it uses an **alphabet without look-alikes**: [`ALPHABET`] has the digits 2–7 and 9
//!   and the capital letters without B, I, L and O — no 0/O, 1/I/L or B/8 pairs. It has
//!   29 symbols, a prime, which the check character relies on;
//! - it is **grouped** for reading aloud: `XXXX-XXXX-XXXX` (12 symbols, the last one a
//!   check character);
//! - its **check character** catches every single wrong character and every swap of two
//!   characters (adjacent or not) — see [`check_value`];
//! - parsing forgives what people do when typing from paper: lower case, missing or extra
//!   dashes and spaces, full-width characters from a Chinese input method. It does *not*
//!   guess: a character outside the alphabet (`0`, `O`, `1`, `I`, `L`, `B`, `8`, …) is
//!   refused with a message saying those characters never occur.
//!
//! A query code (查询码) is the second factor of a progress lookup: printed only on the
//! paper receipt (and inside its QR code), never shown in the timeline. It is six decimal
//! digits, so it can be typed on a phone's numeric keypad (`inputmode="numeric"`) by
//! elderly citizens, like an SMS verification code; lookups are rate-limited per receipt
//! number by the edge, which makes 10⁶ possibilities plenty. It is compared in constant
//! time ([`QueryCode::matches`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The 29 symbols of a receipt number, in value order (the value of a symbol is its index).
///
/// Digits `2 3 4 5 6 7 9` and letters `A C D E F G H J K M N P Q R S T U V W X Y Z`:
/// no `0`/`O`, no `1`/`I`/`L`, no `B`/`8`.
pub const ALPHABET: &[u8; 29] = b"2345679ACDEFGHJKMNPQRSTUVWXYZ";

/// Size of [`ALPHABET`]; prime, so that every non-zero weight is invertible.
pub const RADIX: u32 = 29;

/// Symbols in a receipt number, check character included.
pub const RECEIPT_LEN: usize = 12;

/// Symbols per group when printed (`XXXX-XXXX-XXXX`).
pub const GROUP_LEN: usize = 4;

/// Random symbols in a receipt number (the rest is the check character): 29¹¹ ≈ 2⁵³.
pub const RANDOM_SYMBOLS: usize = RECEIPT_LEN - 1;

/// Digits in a query code.
pub const QUERY_CODE_LEN: usize = 6;

/// Value of an upper-case alphabet symbol, or `None`.
pub(crate) fn symbol_value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&s| s == c).map(|i| i as u32)
}

/// Weight of position `i` (0-based from the left) in the check sum: 12, 11, …, 1 — the
/// check character (last) has weight 1.
fn weight(i: usize) -> u32 {
    (RECEIPT_LEN - i) as u32
}

/// The check sum Σ wᵢ·vᵢ mod 29 over the given symbol values (position 0 first).
///
/// A valid number has check sum 0. Why every single error and every swap is caught:
/// - the weights 12, 11, …, 1 are all non-zero and pairwise distinct modulo 29;
/// - replacing the symbol at position i by another changes the sum by wᵢ·d with
///   d ≢ 0 (mod 29); since 29 is prime and wᵢ ≢ 0, wᵢ·d ≢ 0: the sum is no longer 0;
/// - swapping the different symbols a, b at positions i ≠ j changes the sum by
///   (wᵢ − wⱼ)(b − a), a product of two non-zero residues modulo a prime: again ≢ 0.
///
/// The unit tests check both facts exhaustively over all positions and symbol pairs.
pub fn check_value(values: &[u32]) -> u32 {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| weight(i) * v)
        .sum::<u32>()
        % RADIX
}

/// Maps full-width ASCII forms (typed with a Chinese input method, "ＡＢ１２") to ASCII.
pub(crate) fn halfwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Separators people write or the printout shows: ignored when parsing.
pub(crate) fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '_' | '‐' | '‑' | '–' | '—' | '−' | '·' | '.')
}

/// Why a string is not a receipt number. Messages are shown to citizens.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    #[error("请输入受理编号")]
    Empty,
    #[error(
        "受理编号中不会出现“{0}”：编号只用数字 2–7、9 和大写字母（不含 B、I、L、O），\
         没有 0/O、1/I/L、B/8 这类易混字符，请对照回执核对"
    )]
    BadChar(char),
    #[error("受理编号应为 {RECEIPT_LEN} 位（不计短横线和空格），收到 {0} 位")]
    Length(usize),
    #[error("受理编号校验不通过：可能有一位抄错或两位顺序颠倒，请对照回执逐位核对")]
    Checksum,
}

/// A receipt number (受理编号): 12 symbols of [`ALPHABET`], the last a check character.
///
/// Stored and serialized in compact form (`"7KQ3XH9MWC2A"`); [`fmt::Display`] groups it
/// for printing and reading aloud (`"7KQ3-XH9M-WC2A"`). Deserializing goes through
/// [`ReceiptNumber::parse`], so grouped or lower-case input is accepted too.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReceiptNumber(String);

impl ReceiptNumber {
    /// Random bytes [`ReceiptNumber::generate`] needs.
    pub const RANDOM_BYTES: usize = 16;

    /// Draws a new receipt number from `random`, which must come from a cryptographic
    /// random source (the worker's `crypto.getRandomValues`).
    ///
    /// The first 16 bytes are read as one 128-bit number and written in base 29; the
    /// 11 random symbols are uniform up to a bias below 2⁻⁷⁴.
    ///
    /// # Panics
    /// If `random` holds fewer than [`Self::RANDOM_BYTES`] bytes: a programming error
    /// that must not silently yield weak numbers.
    pub fn generate(random: &[u8]) -> ReceiptNumber {
        assert!(
            random.len() >= Self::RANDOM_BYTES,
            "ReceiptNumber::generate needs {} random bytes, got {}",
            Self::RANDOM_BYTES,
            random.len()
        );
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&random[..16]);
        let mut n = u128::from_be_bytes(bytes);
        let mut values = [0u32; RECEIPT_LEN];
        for v in values.iter_mut().take(RANDOM_SYMBOLS) {
            *v = (n % u128::from(RADIX)) as u32;
            n /= u128::from(RADIX);
        }
        // Weight of the check character is 1: choose it so the total is 0 mod 29.
        let partial = check_value(&values[..RANDOM_SYMBOLS]);
        values[RANDOM_SYMBOLS] = (RADIX - partial) % RADIX;
        debug_assert_eq!(check_value(&values), 0);
        ReceiptNumber(
            values
                .iter()
                .map(|&v| ALPHABET[v as usize] as char)
                .collect(),
        )
    }

    /// Parses what a citizen typed or a URL carried: case, spaces, dashes and full-width
    /// forms do not matter; anything outside [`ALPHABET`] is refused, never guessed.
    pub fn parse(raw: &str) -> Result<ReceiptNumber, ReceiptError> {
        let mut compact = String::with_capacity(RECEIPT_LEN);
        let mut values = Vec::with_capacity(RECEIPT_LEN);
        let mut count = 0usize;
        for original in raw.chars() {
            let c = halfwidth(original);
            if is_separator(c) {
                continue;
            }
            let upper = c.to_ascii_uppercase();
            let value = u8::try_from(upper)
                .ok()
                .and_then(symbol_value)
                .ok_or(ReceiptError::BadChar(original))?;
            count += 1;
            if count <= RECEIPT_LEN {
                compact.push(upper);
                values.push(value);
            }
        }
        match count {
            0 => Err(ReceiptError::Empty),
            RECEIPT_LEN if check_value(&values) == 0 => Ok(ReceiptNumber(compact)),
            RECEIPT_LEN => Err(ReceiptError::Checksum),
            n => Err(ReceiptError::Length(n)),
        }
    }

    /// The 12 symbols without separators: the storage key and the URL form.
    pub fn as_compact(&self) -> &str {
        &self.0
    }

    /// The groups, for screen readers and for reading aloud one group at a time.
    pub fn groups(&self) -> impl Iterator<Item = &str> {
        (0..RECEIPT_LEN / GROUP_LEN).map(move |g| &self.0[g * GROUP_LEN..(g + 1) * GROUP_LEN])
    }
}

impl fmt::Display for ReceiptNumber {
    /// Grouped: `7KQ3-XH9M-WC2A`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, group) in self.groups().enumerate() {
            if i > 0 {
                f.write_str("-")?;
            }
            f.write_str(group)?;
        }
        Ok(())
    }
}

impl FromStr for ReceiptNumber {
    type Err = ReceiptError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ReceiptNumber::parse(s)
    }
}

impl Serialize for ReceiptNumber {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ReceiptNumber {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        ReceiptNumber::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Why a string is not a query code. Messages are shown to citizens.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryCodeError {
    #[error("请输入回执上的查询码")]
    Empty,
    #[error("查询码只含数字，不能有“{0}”")]
    BadChar(char),
    #[error("查询码应为 {QUERY_CODE_LEN} 位数字，收到 {0} 位")]
    Length(usize),
}

/// A query code (查询码): six decimal digits printed only on the paper receipt.
///
/// Equality (`==` and [`QueryCode::matches`]) runs in constant time. `Debug` hides the
/// digits so the code does not end up in logs; `Display` shows them (for printing).
#[derive(Clone)]
pub struct QueryCode([u8; QUERY_CODE_LEN]);

impl QueryCode {
    /// Random bytes [`QueryCode::generate`] needs.
    pub const RANDOM_BYTES: usize = 8;

    /// Draws a query code from `random` (cryptographic bytes from the caller): the first
    /// 8 bytes as a 64-bit number, modulo 10⁶ (bias below 2⁻⁴⁴).
    ///
    /// # Panics
    /// If `random` holds fewer than [`Self::RANDOM_BYTES`] bytes.
    pub fn generate(random: &[u8]) -> QueryCode {
        assert!(
            random.len() >= Self::RANDOM_BYTES,
            "QueryCode::generate needs {} random bytes, got {}",
            Self::RANDOM_BYTES,
            random.len()
        );
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&random[..8]);
        let mut n = u64::from_be_bytes(bytes) % 1_000_000;
        let mut digits = [b'0'; QUERY_CODE_LEN];
        for d in digits.iter_mut().rev() {
            *d = b'0' + (n % 10) as u8;
            n /= 10;
        }
        QueryCode(digits)
    }

    /// Parses what a citizen typed: spaces, dashes and full-width digits are accepted.
    pub fn parse(raw: &str) -> Result<QueryCode, QueryCodeError> {
        let mut digits = [b'0'; QUERY_CODE_LEN];
        let mut count = 0usize;
        for original in raw.chars() {
            let c = halfwidth(original);
            if is_separator(c) {
                continue;
            }
            if !c.is_ascii_digit() {
                return Err(QueryCodeError::BadChar(original));
            }
            if count < QUERY_CODE_LEN {
                digits[count] = c as u8;
            }
            count += 1;
        }
        match count {
            0 => Err(QueryCodeError::Empty),
            QUERY_CODE_LEN => Ok(QueryCode(digits)),
            n => Err(QueryCodeError::Length(n)),
        }
    }

    /// Compares in constant time: every digit is looked at, whatever differs first.
    pub fn matches(&self, other: &QueryCode) -> bool {
        let mut diff = 0u8;
        for (a, b) in self.0.iter().zip(other.0.iter()) {
            diff |= a ^ b;
        }
        std::hint::black_box(diff) == 0
    }

    /// Why this code is easier to guess than a drawn one, if it is: few distinct digits
    /// (`000000`, `121212`), a straight run (`123456`, `987654`) or a repeated triple
    /// (`123123`). Codes carried over from an older system must pass this; drawn codes
    /// are not checked (refusing some would only shrink the space).
    pub fn weakness(&self) -> Option<&'static str> {
        let d = &self.0;
        let mut distinct = d.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() < 3 {
            return Some("查询码的数字种类太少");
        }
        let steps: Vec<i16> = d
            .windows(2)
            .map(|w| i16::from(w[1]) - i16::from(w[0]))
            .collect();
        if steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1) {
            return Some("查询码不能是连续数字");
        }
        if d[..3] == d[3..] {
            return Some("查询码不能是重复的三位数");
        }
        None
    }

    /// The six digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl PartialEq for QueryCode {
    fn eq(&self, other: &Self) -> bool {
        self.matches(other)
    }
}

impl Eq for QueryCode {}

impl fmt::Debug for QueryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("QueryCode(******)")
    }
}

impl fmt::Display for QueryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for QueryCode {
    type Err = QueryCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        QueryCode::parse(s)
    }
}

impl Serialize for QueryCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for QueryCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        QueryCode::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic test bytes (splitmix64); production bytes come from the caller.
    struct TestRng(u64);

    impl TestRng {
        fn bytes(&mut self, n: usize) -> Vec<u8> {
            let mut out = Vec::with_capacity(n);
            while out.len() < n {
                self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let mut z = self.0;
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                z ^= z >> 31;
                out.extend_from_slice(&z.to_be_bytes());
            }
            out.truncate(n);
            out
        }
    }

    fn samples(count: usize) -> Vec<ReceiptNumber> {
        let mut rng = TestRng(20251001);
        (0..count)
            .map(|_| ReceiptNumber::generate(&rng.bytes(ReceiptNumber::RANDOM_BYTES)))
            .collect()
    }

    #[test]
    fn guessable_query_codes_are_named_and_drawn_looking_ones_pass() {
        for weak in [
            "000000", "111111", "121212", "112211", "123456", "987654", "012345", "123123",
            "908908",
        ] {
            let code = QueryCode::parse(weak).unwrap();
            assert!(code.weakness().is_some(), "{weak} should be weak");
        }
        for strong in [
            "920499", "729243", "240159", "611479", "545023", "384515", "102938",
        ] {
            let code = QueryCode::parse(strong).unwrap();
            assert_eq!(code.weakness(), None, "{strong} should pass");
        }
    }

    #[test]
    fn most_drawn_query_codes_would_pass_the_import_check() {
        let mut rng = TestRng(7);
        let weak = (0..10_000)
            .filter(|_| {
                QueryCode::generate(&rng.bytes(QueryCode::RANDOM_BYTES))
                    .weakness()
                    .is_some()
            })
            .count();
        // 10 one-digit + 1,350 two-digit + 7 + 7 runs + ~990 triples in 10^6: about 0.24 %.
        assert!(weak < 60, "{weak} of 10,000 drawn codes called weak");
    }

    #[test]
    fn alphabet_is_prime_sized_unique_and_free_of_look_alikes() {
        assert_eq!(ALPHABET.len() as u32, RADIX);
        assert!((2..RADIX).all(|d| !RADIX.is_multiple_of(d)), "29 is prime");
        for (i, c) in ALPHABET.iter().enumerate() {
            assert!(!ALPHABET[..i].contains(c), "duplicate {}", *c as char);
            assert!(c.is_ascii_digit() || c.is_ascii_uppercase());
        }
        for bad in b"01OILB8" {
            assert!(!ALPHABET.contains(bad), "look-alike {}", *bad as char);
        }
    }

    #[test]
    fn weights_make_every_substitution_and_swap_detectable_algebraically() {
        // Linear code: the change in the sum depends only on position and symbol values,
        // so these loops cover every possible number.
        for i in 0..RECEIPT_LEN {
            for d in 1..RADIX {
                assert_ne!(weight(i) * d % RADIX, 0, "substitution at {i}");
            }
        }
        for i in 0..RECEIPT_LEN {
            for j in i + 1..RECEIPT_LEN {
                for a in 0..RADIX {
                    for b in 0..RADIX {
                        if a == b {
                            continue;
                        }
                        let before = weight(i) * a + weight(j) * b;
                        let after = weight(i) * b + weight(j) * a;
                        assert_ne!(before % RADIX, after % RADIX, "swap {i}<->{j} of {a},{b}");
                    }
                }
            }
        }
    }

    #[test]
    fn generates_valid_grouped_numbers_that_round_trip() {
        for n in samples(500) {
            let compact = n.as_compact();
            assert_eq!(compact.len(), RECEIPT_LEN);
            assert!(compact.bytes().all(|c| ALPHABET.contains(&c)));
            let shown = n.to_string();
            assert_eq!(shown.len(), 14);
            assert_eq!(&shown[4..5], "-");
            assert_eq!(&shown[9..10], "-");
            assert_eq!(ReceiptNumber::parse(&shown).unwrap(), n);
            assert_eq!(ReceiptNumber::parse(compact).unwrap(), n);
            assert_eq!(n.groups().collect::<Vec<_>>().concat(), compact);
        }
    }

    #[test]
    fn generation_depends_on_the_bytes_and_uses_every_symbol() {
        let all = samples(2000);
        let mut distinct: Vec<&str> = all.iter().map(|n| n.as_compact()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), all.len(), "no repeats in 2000 draws");

        // Each symbol at each random position shows up about 2000/29 ≈ 69 times.
        for pos in 0..RANDOM_SYMBOLS {
            let mut counts = [0u32; 29];
            for n in &all {
                counts[symbol_value(n.as_compact().as_bytes()[pos]).unwrap() as usize] += 1;
            }
            assert!(
                counts.iter().all(|&c| (25..=130).contains(&c)),
                "position {pos}: {counts:?}"
            );
        }
        // Consecutive calls with consecutive counters are not consecutive numbers.
        let mut a = [0u8; 16];
        let mut b = [0u8; 16];
        a[15] = 1;
        b[15] = 2;
        assert_ne!(ReceiptNumber::generate(&a), ReceiptNumber::generate(&b));
    }

    #[test]
    #[should_panic(expected = "16 random bytes")]
    fn refuses_to_generate_from_too_few_bytes() {
        ReceiptNumber::generate(&[7u8; 8]);
    }

    #[test]
    fn every_single_substitution_is_caught_on_sample_numbers() {
        for n in samples(200) {
            let original: Vec<u8> = n.as_compact().bytes().collect();
            for pos in 0..RECEIPT_LEN {
                for &sym in ALPHABET.iter() {
                    if sym == original[pos] {
                        continue;
                    }
                    let mut typed = original.clone();
                    typed[pos] = sym;
                    let typed = String::from_utf8(typed).unwrap();
                    assert_eq!(
                        ReceiptNumber::parse(&typed),
                        Err(ReceiptError::Checksum),
                        "{n} with {} at {pos}",
                        sym as char
                    );
                }
            }
        }
    }

    #[test]
    fn every_swap_is_caught_on_sample_numbers() {
        for n in samples(200) {
            let original: Vec<u8> = n.as_compact().bytes().collect();
            for i in 0..RECEIPT_LEN {
                for j in i + 1..RECEIPT_LEN {
                    if original[i] == original[j] {
                        continue;
                    }
                    let mut typed = original.clone();
                    typed.swap(i, j);
                    let typed = String::from_utf8(typed).unwrap();
                    assert_eq!(
                        ReceiptNumber::parse(&typed),
                        Err(ReceiptError::Checksum),
                        "{n} swapped {i}<->{j}"
                    );
                }
            }
        }
    }

    #[test]
    fn parsing_forgives_case_spacing_and_full_width() {
        let n = samples(1).remove(0);
        let c = n.as_compact().to_string();
        let lower = c.to_lowercase();
        let inputs = [
            lower.clone(),
            format!(" {}-{} {} ", &lower[..4], &lower[4..8], &lower[8..]),
            format!("{}--{}—{}", &c[..4], &c[4..8], &c[8..]),
            format!("{} {} {}", &c[..3], &c[3..9], &c[9..]),
            c.chars()
                .map(|ch| char::from_u32(ch as u32 + 0xFEE0).unwrap())
                .collect::<String>(),
            format!("{}\u{3000}{}", &c[..6], &c[6..]),
        ];
        for input in inputs {
            assert_eq!(ReceiptNumber::parse(&input).as_ref(), Ok(&n), "{input:?}");
        }
        assert_eq!(n.to_string().parse::<ReceiptNumber>().unwrap(), n);
    }

    #[test]
    fn parsing_refuses_look_alikes_wrong_length_and_empty_input() {
        let n = samples(1).remove(0);
        let c = n.as_compact();
        for bad in [
            '0', 'O', 'o', '1', 'I', 'i', 'L', 'l', 'B', 'b', '8', '#', '号',
        ] {
            let typed = format!("{}{}{}", &c[..5], bad, &c[6..]);
            assert_eq!(
                ReceiptNumber::parse(&typed),
                Err(ReceiptError::BadChar(bad)),
                "{typed}"
            );
        }
        let msg = ReceiptError::BadChar('O').to_string();
        assert!(msg.contains("“O”") && msg.contains("0/O"), "{msg}");
        assert_eq!(ReceiptNumber::parse(""), Err(ReceiptError::Empty));
        assert_eq!(ReceiptNumber::parse(" - -"), Err(ReceiptError::Empty));
        assert_eq!(
            ReceiptNumber::parse(&c[..11]),
            Err(ReceiptError::Length(11))
        );
        assert_eq!(
            ReceiptNumber::parse(&format!("{c}A")),
            Err(ReceiptError::Length(13))
        );
        assert_eq!(
            ReceiptNumber::parse(&"A".repeat(500)),
            Err(ReceiptError::Length(500))
        );
    }

    #[test]
    fn serializes_compact_and_deserializes_any_accepted_form() {
        let n = samples(1).remove(0);
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(json, format!("\"{}\"", n.as_compact()));
        let back: ReceiptNumber =
            serde_json::from_str(&format!("\"{}\"", n.to_string().to_lowercase())).unwrap();
        assert_eq!(back, n);
        assert!(serde_json::from_str::<ReceiptNumber>("\"OOOO-OOOO-OOOO\"").is_err());
    }

    #[test]
    fn query_codes_generate_parse_and_compare() {
        let mut rng = TestRng(7);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..300 {
            let q = QueryCode::generate(&rng.bytes(QueryCode::RANDOM_BYTES));
            assert_eq!(q.as_str().len(), QUERY_CODE_LEN);
            assert!(q.as_str().bytes().all(|b| b.is_ascii_digit()));
            let back =
                QueryCode::parse(&format!(" {} {} ", &q.as_str()[..3], &q.as_str()[3..])).unwrap();
            assert!(back.matches(&q));
            assert_eq!(back, q);
            seen.insert(q.to_string());
        }
        assert!(seen.len() > 290, "query codes vary: {}", seen.len());

        // Leading zeros are kept.
        assert_eq!(QueryCode::generate(&[0u8; 8]).as_str(), "000000");

        let a = QueryCode::parse("123456").unwrap();
        for other in ["123457", "023456", "654321", "１２３４５６"] {
            let b = QueryCode::parse(other).unwrap();
            assert_eq!(a.matches(&b), other == "１２３４５６", "{other}");
        }
        assert_eq!(QueryCode::parse(""), Err(QueryCodeError::Empty));
        assert_eq!(QueryCode::parse("12345"), Err(QueryCodeError::Length(5)));
        assert_eq!(QueryCode::parse("1234567"), Err(QueryCodeError::Length(7)));
        assert_eq!(
            QueryCode::parse("12345O"),
            Err(QueryCodeError::BadChar('O'))
        );
        assert_eq!(format!("{a:?}"), "QueryCode(******)");
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"123456\"");
        let back: QueryCode = serde_json::from_str("\"123-456\"").unwrap();
        assert!(back.matches(&a));
    }

    #[test]
    #[should_panic(expected = "8 random bytes")]
    fn refuses_to_generate_a_query_code_from_too_few_bytes() {
        QueryCode::generate(&[1, 2, 3]);
    }
}
