//! Catalog search as the citizen types: Chinese substrings and bigrams, full pinyin,
//! pinyin initials, the keywords staff attach to items, and filters.
//!
//! The index is built where pinyin tables live — the seed/publish tool — and shipped to
//! the phone once per catalog version (KV key `search:v{N}`). This module holds no pinyin
//! table: [`build_index`] takes the pinyin provider as a function, and [`search`] only
//! compares the query with the syllables stored in the index. It is pure and runs in the
//! browser (wasm) as well as natively.
//!
//! Ranking, best first (see [`MatchKind`]): exact name > name prefix > name substring >
//! every query bigram in the name > pinyin on the name (full, then initials, then mixed;
//! a match at the start of the name first) > keyword (exact, prefix, substring, the
//! keyword inside the query, pinyin) > department > zone. Ties keep catalog order.
//!
//! When nothing matches, the UI should say so with the query quoted and offer ways on:
//! "没有找到与“…”相关的事项" — try fewer characters or another word citizens use
//! (e.g. "房产证", "低保"), clear the filters if any are set, browse by zone or department,
//! or call the hall's consultation phone.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::item::{Item, Level, Serves};

/// The search index of one catalog version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchIndex {
    /// The catalog version the index was built from.
    #[serde(rename = "v")]
    pub version: u32,
    #[serde(rename = "e")]
    pub entries: Vec<SearchEntry>,
}

/// What the index keeps of one item: enough to search, filter and show a result row.
///
/// Serialized with one-letter field names: the index is downloaded by phones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchEntry {
    #[serde(rename = "c")]
    pub code: String,
    #[serde(rename = "n")]
    pub name: String,
    #[serde(rename = "d")]
    pub department: String,
    #[serde(rename = "l")]
    pub level: Level,
    #[serde(rename = "h")]
    pub hall: String,
    #[serde(rename = "z")]
    pub zone: String,
    #[serde(rename = "s")]
    pub serves: Serves,
    #[serde(rename = "k", default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Pinyin of the name, one syllable per character of `name`.
    #[serde(rename = "p", default)]
    pub pinyin: Syllables,
    /// Pinyin of each keyword, aligned with `keywords`.
    #[serde(rename = "kp", default, skip_serializing_if = "Vec::is_empty")]
    pub keyword_pinyin: Vec<Syllables>,
}

/// Toneless pinyin of a text, one syllable per character (lowercase a–z, `ü` written
/// `v`), empty for a character that is not Han. Serialized as one string with the
/// syllables separated by single spaces ("qi ye  you xian"), to keep the index small.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Syllables(pub Vec<String>);

impl Syllables {
    /// The syllable of character `i`, "" past the end.
    pub fn get(&self, i: usize) -> &str {
        self.0.get(i).map(String::as_str).unwrap_or("")
    }
}

impl Serialize for Syllables {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.join(" "))
    }
}

impl<'de> Deserialize<'de> for Syllables {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let joined = String::deserialize(deserializer)?;
        if joined.is_empty() {
            return Ok(Syllables(Vec::new()));
        }
        Ok(Syllables(joined.split(' ').map(str::to_string).collect()))
    }
}

/// Pinyin of every character of `text` by `pinyin_of`, normalized to a–z.
fn syllables_of(text: &str, pinyin_of: &impl Fn(char) -> Option<String>) -> Syllables {
    Syllables(
        text.chars()
            .map(|c| {
                if c.is_ascii() {
                    return String::new();
                }
                pinyin_of(c)
                    .map(|p| {
                        p.chars()
                            .map(|c| if c == 'ü' || c == 'Ü' { 'v' } else { c })
                            .filter(char::is_ascii_alphabetic)
                            .map(|c| c.to_ascii_lowercase())
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect(),
    )
}

/// Builds the index of `items` for catalog `version`. `pinyin_of` gives the toneless
/// pinyin of a Han character ("zhong"), `None` for other characters; for heteronyms the
/// caller picks the common reading.
pub fn build_index(
    items: &[Item],
    version: u32,
    pinyin_of: impl Fn(char) -> Option<String>,
) -> SearchIndex {
    let entries = items
        .iter()
        .map(|item| SearchEntry {
            code: item.code.clone(),
            name: item.name.clone(),
            department: item.department.clone(),
            level: item.level,
            hall: item.hall.clone(),
            zone: item.zone.clone(),
            serves: item.serves,
            keywords: item.keywords.clone(),
            pinyin: syllables_of(&item.name, &pinyin_of),
            keyword_pinyin: item
                .keywords
                .iter()
                .map(|k| syllables_of(k, &pinyin_of))
                .collect(),
        })
        .collect();
    SearchIndex { version, entries }
}

impl SearchIndex {
    /// Departments in catalog order, each once: the department filter's choices.
    pub fn departments(&self) -> Vec<&str> {
        distinct(self.entries.iter().map(|e| e.department.as_str()))
    }

    /// Zones in catalog order, each once: the zone filter's choices.
    pub fn zones(&self) -> Vec<&str> {
        distinct(self.entries.iter().map(|e| e.zone.as_str()))
    }
}

fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// Narrows results; `None` fields do not filter.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Filters {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// Hall id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hall: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// `Person` keeps items serving persons or both, `Legal` items serving legal
    /// persons or both, `Both` only items serving both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serves: Option<Serves>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    pub fn accepts(&self, entry: &SearchEntry) -> bool {
        self.level.is_none_or(|l| entry.level == l)
            && self.hall.as_ref().is_none_or(|h| entry.hall == *h)
            && self.zone.as_ref().is_none_or(|z| entry.zone == *z)
            && self
                .department
                .as_ref()
                .is_none_or(|d| entry.department == *d)
            && self
                .serves
                .is_none_or(|s| entry.serves == s || entry.serves == Serves::Both)
    }
}

/// What a hit matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The query equals the name.
    NameExact,
    /// The name starts with the query.
    NamePrefix,
    /// The name contains the query.
    NameSubstring,
    /// The name contains two-character pieces of the query that cover all of it
    /// ("企业登记" in "企业设立登记").
    NameBigrams,
    /// Full pinyin of part of the name ("yingyezhizhao", "yingye"), possibly mixed
    /// with initials ("yingyezz").
    Pinyin,
    /// Pinyin initials of part of the name ("yyzz").
    PinyinInitials,
    /// A keyword staff attached to the item (also its pinyin); see `Hit::matched_text`.
    Keyword,
    /// The department; see `Hit::matched_text`.
    Department,
    /// The zone; see `Hit::matched_text`.
    Zone,
    /// Empty query: every item the filters keep.
    All,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hit {
    pub code: String,
    pub name: String,
    /// Higher is better; only the order means something.
    pub score: u32,
    /// Parts of `name` to mark, as `(start, end)` character offsets (end exclusive),
    /// sorted and not overlapping. Empty when the match is not in the name.
    pub highlights: Vec<(usize, usize)>,
    pub matched: MatchKind,
    /// The keyword, department or zone that matched when the match is not in the name
    /// (for "匹配：房产证" under the result).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched_text: Option<String>,
}

impl Hit {
    /// The name cut at the highlights: `(text, marked)` pieces in order, for the UI to
    /// wrap marked pieces in `<mark>`.
    pub fn segments(&self) -> Vec<(&str, bool)> {
        let offsets: Vec<usize> = self
            .name
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(self.name.len()))
            .collect();
        let byte = |c: usize| offsets[c.min(offsets.len() - 1)];
        let mut out = Vec::new();
        let mut at = 0;
        for &(start, end) in &self.highlights {
            if start > at {
                out.push((&self.name[byte(at)..byte(start)], false));
            }
            if end > start {
                out.push((&self.name[byte(start)..byte(end)], true));
            }
            at = end.max(at);
        }
        if byte(at) < self.name.len() {
            out.push((&self.name[byte(at)..], false));
        }
        out
    }
}

/// Folds one character for matching, one character in, one out (offsets stay valid):
/// full-width ASCII and the ideographic space to half-width, then lowercase.
pub fn fold_char(c: char) -> char {
    let c = match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// The query as matched: trimmed, full-width folded to half-width, lowercase, without
/// spaces.
pub fn normalize(query: &str) -> String {
    query
        .chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Searches the index: hits that match `query` and pass `filters`, best first, at most
/// `limit`. A query of several space-separated words matches an item when the whole
/// query (spaces removed) does or when every word does. An empty query returns every
/// item the filters keep, in catalog order.
pub fn search(index: &SearchIndex, query: &str, filters: &Filters, limit: usize) -> Vec<Hit> {
    let folded: String = query.chars().map(fold_char).collect();
    let words: Vec<Vec<char>> = folded
        .split_whitespace()
        .map(|w| w.chars().collect())
        .collect();
    let joined: Vec<char> = words.concat();
    let entries = index.entries.iter().filter(|e| filters.accepts(e));

    if joined.is_empty() {
        return entries
            .take(limit)
            .map(|e| Hit {
                code: e.code.clone(),
                name: e.name.clone(),
                score: 0,
                highlights: Vec::new(),
                matched: MatchKind::All,
                matched_text: None,
            })
            .collect();
    }

    let mut hits: Vec<(usize, Hit)> = entries
        .enumerate()
        .filter_map(|(order, entry)| {
            let whole = match_word(entry, &joined, words.len() == 1);
            let each = if words.len() > 1 {
                match_all(entry, &words)
            } else {
                None
            };
            let best = match (whole, each) {
                (Some(a), Some(b)) => Some(if b.score > a.score { b } else { a }),
                (a, b) => a.or(b),
            }?;
            Some((
                order,
                Hit {
                    code: entry.code.clone(),
                    name: entry.name.clone(),
                    score: best.score,
                    highlights: merge(best.ranges),
                    matched: best.kind,
                    matched_text: best.text,
                },
            ))
        })
        .collect();
    hits.sort_by(|(ao, a), (bo, b)| b.score.cmp(&a.score).then(ao.cmp(bo)));
    hits.into_iter().take(limit).map(|(_, h)| h).collect()
}

/// How one word (or the whole query) matched one entry.
#[derive(Debug, Clone)]
struct Found {
    score: u32,
    kind: MatchKind,
    ranges: Vec<(usize, usize)>,
    text: Option<String>,
}

impl Found {
    fn name(tier: u32, bonus: u32, kind: MatchKind, ranges: Vec<(usize, usize)>) -> Found {
        Found {
            score: tier * 1000 + bonus.min(999),
            kind,
            ranges,
            text: None,
        }
    }

    fn other(tier: u32, bonus: u32, kind: MatchKind, text: &str) -> Found {
        Found {
            score: tier * 1000 + bonus.min(999),
            kind,
            ranges: Vec::new(),
            text: Some(text.to_string()),
        }
    }
}

fn better(a: Option<Found>, b: Option<Found>) -> Option<Found> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.score > a.score { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// Every word must match; the weakest word sets the score, name ranges add up.
fn match_all(entry: &SearchEntry, words: &[Vec<char>]) -> Option<Found> {
    let mut found: Vec<Found> = Vec::with_capacity(words.len());
    for word in words {
        found.push(match_word(entry, word, true)?);
    }
    let weakest = found.iter().min_by_key(|f| f.score)?.clone();
    Some(Found {
        ranges: found
            .iter()
            .flat_map(|f| f.ranges.iter().copied())
            .collect(),
        text: found.iter().find_map(|f| f.text.clone()),
        ..weakest
    })
}

/// Tier scores (× 1000, plus a bonus under 1000 within the tier).
mod tier {
    pub const NAME_EXACT: u32 = 1000;
    pub const NAME_PREFIX: u32 = 900;
    pub const NAME_SUBSTRING: u32 = 800;
    pub const NAME_BIGRAMS: u32 = 700;
    pub const PINYIN_AT_START: u32 = 650;
    pub const PINYIN: u32 = 600;
    pub const INITIALS_AT_START: u32 = 560;
    pub const INITIALS: u32 = 530;
    pub const MIXED_AT_START: u32 = 510;
    pub const MIXED: u32 = 480;
    pub const KEYWORD_EXACT: u32 = 400;
    pub const KEYWORD_PREFIX: u32 = 380;
    pub const KEYWORD_SUBSTRING: u32 = 350;
    pub const KEYWORD_IN_QUERY: u32 = 340;
    pub const KEYWORD_BIGRAMS: u32 = 330;
    pub const KEYWORD_PINYIN: u32 = 320;
    pub const KEYWORD_INITIALS: u32 = 300;
    pub const KEYWORD_MIXED: u32 = 290;
    pub const DEPARTMENT: u32 = 200;
    pub const ZONE: u32 = 180;
}

/// How `q` matches `entry`, if it does. `typed_as_one` is false for the words of a
/// multi-word query joined: a keyword inside them must not stand for all of them.
fn match_word(entry: &SearchEntry, q: &[char], typed_as_one: bool) -> Option<Found> {
    let name: Vec<char> = entry.name.chars().map(fold_char).collect();
    let pinyin_query =
        q.iter().all(char::is_ascii_alphanumeric) && q.iter().any(char::is_ascii_alphabetic);

    if let Some(found) = match_name(&name, q) {
        return Some(found);
    }
    let mut best = None;
    if pinyin_query {
        best = match_name_pinyin(&name, &entry.pinyin, q);
    }
    for (i, keyword) in entry.keywords.iter().enumerate() {
        if best
            .as_ref()
            .is_some_and(|b| b.score >= tier::KEYWORD_EXACT * 1000)
        {
            break;
        }
        let kw: Vec<char> = keyword.chars().map(fold_char).collect();
        let mut found = match_keyword(&kw, q, keyword, typed_as_one);
        if found.is_none() && pinyin_query {
            let no_pinyin = Syllables::default();
            let syllables = entry.keyword_pinyin.get(i).unwrap_or(&no_pinyin);
            found = pinyin(&kw, syllables, q).map(|m| {
                let t = match (m.kind, m.at_start) {
                    (Spelling::Full, true) => tier::KEYWORD_PINYIN,
                    (Spelling::Initials, true) => tier::KEYWORD_INITIALS,
                    _ => tier::KEYWORD_MIXED,
                };
                Found::other(t, coverage(m.chars, kw.len()), MatchKind::Keyword, keyword)
            });
        }
        best = better(best, found);
    }
    if best.is_some() {
        return best;
    }
    let department: Vec<char> = entry.department.chars().map(fold_char).collect();
    if let Some(at) = find(&department, q) {
        return Some(Found::other(
            tier::DEPARTMENT,
            coverage(q.len(), department.len()) + position(at),
            MatchKind::Department,
            &entry.department,
        ));
    }
    let zone: Vec<char> = entry.zone.chars().map(fold_char).collect();
    find(&zone, q).map(|at| {
        Found::other(
            tier::ZONE,
            coverage(q.len(), zone.len()) + position(at),
            MatchKind::Zone,
            &entry.zone,
        )
    })
}

/// Up to 600 for how much of the field the match covers.
fn coverage(matched: usize, len: usize) -> u32 {
    if len == 0 {
        return 0;
    }
    (600 * matched.min(len) / len) as u32
}

/// Up to 300 for a match early in the field.
fn position(at: usize) -> u32 {
    300 - 20 * at.min(15) as u32
}

fn find(hay: &[char], needle: &[char]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

fn match_name(name: &[char], q: &[char]) -> Option<Found> {
    if name == q {
        return Some(Found::name(
            tier::NAME_EXACT,
            0,
            MatchKind::NameExact,
            vec![(0, q.len())],
        ));
    }
    if let Some(at) = find(name, q) {
        let bonus = coverage(q.len(), name.len()) + position(at);
        let range = vec![(at, at + q.len())];
        return Some(if at == 0 {
            Found::name(tier::NAME_PREFIX, bonus, MatchKind::NamePrefix, range)
        } else {
            Found::name(tier::NAME_SUBSTRING, bonus, MatchKind::NameSubstring, range)
        });
    }
    let ranges = bigrams(name, q)?;
    let covered = merge(ranges.clone()).iter().map(|(s, e)| e - s).sum();
    let first = ranges.iter().map(|r| r.0).min().unwrap_or(0);
    Some(Found::name(
        tier::NAME_BIGRAMS,
        coverage(covered, name.len()) + position(first),
        MatchKind::NameBigrams,
        ranges,
    ))
}

/// Where the two-character pieces of `q` (3 characters or more) that `hay` contains
/// first occur in it; `None` unless every character of `q` lies in such a piece
/// ("企业登记": 企业 and 登记 are in "企业设立登记", 业登 need not be).
fn bigrams(hay: &[char], q: &[char]) -> Option<Vec<(usize, usize)>> {
    if q.len() < 3 {
        return None;
    }
    let mut covered = vec![false; q.len()];
    let mut ranges = Vec::new();
    for (k, pair) in q.windows(2).enumerate() {
        if let Some(at) = find(hay, pair) {
            covered[k] = true;
            covered[k + 1] = true;
            ranges.push((at, at + 2));
        }
    }
    covered.iter().all(|&c| c).then_some(ranges)
}

fn match_keyword(kw: &[char], q: &[char], keyword: &str, typed_as_one: bool) -> Option<Found> {
    if kw.is_empty() {
        return None;
    }
    if kw == q {
        return Some(Found::other(
            tier::KEYWORD_EXACT,
            0,
            MatchKind::Keyword,
            keyword,
        ));
    }
    if let Some(at) = find(kw, q) {
        let bonus = coverage(q.len(), kw.len());
        let t = if at == 0 {
            tier::KEYWORD_PREFIX
        } else {
            tier::KEYWORD_SUBSTRING
        };
        return Some(Found::other(t, bonus, MatchKind::Keyword, keyword));
    }
    if typed_as_one && kw.len() >= 2 && find(q, kw).is_some() {
        let bonus = coverage(kw.len(), q.len());
        return Some(Found::other(
            tier::KEYWORD_IN_QUERY,
            bonus,
            MatchKind::Keyword,
            keyword,
        ));
    }
    bigrams(kw, q).map(|_| Found::other(tier::KEYWORD_BIGRAMS, 0, MatchKind::Keyword, keyword))
}

fn match_name_pinyin(name: &[char], syllables: &Syllables, q: &[char]) -> Option<Found> {
    let m = pinyin(name, syllables, q)?;
    let t = match (m.kind, m.at_start) {
        (Spelling::Full, true) => tier::PINYIN_AT_START,
        (Spelling::Full, false) => tier::PINYIN,
        (Spelling::Initials, true) => tier::INITIALS_AT_START,
        (Spelling::Initials, false) => tier::INITIALS,
        (Spelling::Mixed, true) => tier::MIXED_AT_START,
        (Spelling::Mixed, false) => tier::MIXED,
    };
    let kind = if m.kind == Spelling::Initials {
        MatchKind::PinyinInitials
    } else {
        MatchKind::Pinyin
    };
    let bonus = coverage(m.chars, name.len()) + position(m.start);
    Some(Found::name(t, bonus, kind, vec![(m.start, m.end)]))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spelling {
    /// Every character spelled in full, the last one possibly begun.
    Full,
    /// One letter per character.
    Initials,
    /// Some characters spelled by a beginning of their syllable.
    Mixed,
}

#[derive(Debug, Clone, Copy)]
struct PinyinMatch {
    kind: Spelling,
    /// Character range of the text spelled, end exclusive.
    start: usize,
    end: usize,
    /// Characters spelled (skipped punctuation not counted).
    chars: usize,
    /// No spelled character before `start`.
    at_start: bool,
}

impl PinyinMatch {
    fn rank(&self) -> (u8, bool, usize) {
        let kind = match self.kind {
            Spelling::Full => 2,
            Spelling::Initials => 1,
            Spelling::Mixed => 0,
        };
        (kind, self.at_start, usize::MAX - self.start)
    }
}

/// The best way to spell the ASCII query `q` with the syllables of consecutive
/// characters of `text`: each character by a non-empty beginning of its syllable
/// (ASCII letters and digits by themselves), punctuation in between skipped.
fn pinyin(text: &[char], syllables: &Syllables, q: &[char]) -> Option<PinyinMatch> {
    let n = text.len();
    let q: Vec<u8> = q.iter().map(|&c| c as u8).collect();
    // ASCII letters and digits of the text spell themselves.
    let ascii: Vec<u8> = text
        .iter()
        .map(|&c| {
            if c.is_ascii_alphanumeric() {
                c as u8
            } else {
                0
            }
        })
        .collect();
    let syl: Vec<&[u8]> = (0..n)
        .map(|i| {
            let s = syllables.get(i);
            if !s.is_empty() {
                s.as_bytes()
            } else if ascii[i] != 0 {
                &ascii[i..i + 1]
            } else {
                &[]
            }
        })
        .collect();
    let same = |typed: u8, letter: u8| typed == letter || (typed == b'u' && letter == b'v');
    // Most texts cannot start the query at all: skip the table then.
    if !syl
        .iter()
        .any(|s| s.first().is_some_and(|&f| same(q[0], f)))
    {
        return None;
    }
    let skippable: Vec<bool> = (0..n)
        .map(|i| syl[i].is_empty() && !text[i].is_alphanumeric())
        .collect();

    // best[p][c]: fewest characters spelled by a strict beginning (the last one free)
    // to spell q[p..] from character c on, with the end character; None if impossible.
    let width = n + 1;
    let mut best: Vec<Option<(u32, usize, usize)>> = vec![None; (q.len() + 1) * width];
    for c in 0..=n {
        best[q.len() * width + c] = Some((0, c, 0));
    }
    for p in (0..q.len()).rev() {
        for c in (0..n).rev() {
            let here = if skippable[c] {
                best[p * width + c + 1]
            } else {
                let s = syl[c];
                let mut pick: Option<(u32, usize, usize)> = None;
                for k in 1..=s.len().min(q.len() - p) {
                    if !same(q[p + k - 1], s[k - 1]) {
                        break;
                    }
                    if let Some((cost, end, chars)) = best[(p + k) * width + c + 1] {
                        let partial = u32::from(k < s.len() && p + k < q.len());
                        let end = if p + k == q.len() { c + 1 } else { end };
                        let cand = (cost + partial, end, chars + 1);
                        if pick.is_none_or(|b| cand.0 < b.0) {
                            pick = Some(cand);
                        }
                    }
                }
                pick
            };
            best[p * width + c] = here;
        }
    }

    let initials = |start: usize| -> Option<(usize, usize)> {
        let mut c = start;
        for (i, &letter) in q.iter().enumerate() {
            while i > 0 && c < n && skippable[c] {
                c += 1;
            }
            if c >= n || syl[c].first().is_none_or(|&f| !same(letter, f)) {
                return None;
            }
            c += 1;
        }
        Some((c, q.len()))
    };

    let mut found: Option<PinyinMatch> = None;
    let mut at_start = true;
    for start in 0..n {
        if skippable[start] {
            continue;
        }
        if !syl[start].is_empty() {
            let mut candidates = Vec::new();
            if let Some((cost, end, chars)) = best[start] {
                let kind = if cost == 0 {
                    Spelling::Full
                } else {
                    Spelling::Mixed
                };
                candidates.push((kind, end, chars));
            }
            if q.len() >= 2 {
                if let Some((end, chars)) = initials(start) {
                    candidates.push((Spelling::Initials, end, chars));
                }
            }
            for (kind, end, chars) in candidates {
                let m = PinyinMatch {
                    kind,
                    start,
                    end,
                    chars,
                    at_start,
                };
                if found.is_none_or(|f| m.rank() > f.rank()) {
                    found = Some(m);
                }
            }
        }
        at_start = false;
    }
    found
}

/// Sorted, non-overlapping ranges.
fn merge(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.retain(|(s, e)| e > s);
    ranges.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::parse_item;

    /// A few characters' pinyin, enough for the test catalog.
    fn pinyin_of(c: char) -> Option<String> {
        let table = [
            ('营', "ying"),
            ('业', "ye"),
            ('执', "zhi"),
            ('照', "zhao"),
            ('变', "bian"),
            ('更', "geng"),
            ('登', "deng"),
            ('记', "ji"),
            ('企', "qi"),
            ('设', "she"),
            ('立', "li"),
            ('有', "you"),
            ('限', "xian"),
            ('责', "ze"),
            ('任', "ren"),
            ('公', "gong"),
            ('司', "si"),
            ('最', "zui"),
            ('低', "di"),
            ('生', "sheng"),
            ('活', "huo"),
            ('保', "bao"),
            ('障', "zhang"),
            ('申', "shen"),
            ('请', "qing"),
            ('不', "bu"),
            ('动', "dong"),
            ('产', "chan"),
            ('转', "zhuan"),
            ('移', "yi"),
            ('房', "fang"),
            ('证', "zheng"),
            ('居', "ju"),
            ('住', "zhu"),
            ('明', "ming"),
            ('开', "kai"),
            ('具', "ju"),
            ('绿', "lü"),
        ];
        table
            .iter()
            .find(|(h, _)| *h == c)
            .map(|(_, p)| p.to_string())
    }

    #[allow(clippy::too_many_arguments)]
    fn item(
        code: &str,
        name: &str,
        keywords: &[&str],
        department: &str,
        level: Level,
        zone: &str,
        serves: Serves,
    ) -> Item {
        let mut item = parse_item(include_str!("fixtures/item.json")).expect("fixture");
        item.code = code.to_string();
        item.name = name.to_string();
        item.keywords = keywords.iter().map(|k| k.to_string()).collect();
        item.department = department.to_string();
        item.level = level;
        item.zone = zone.to_string();
        item.serves = serves;
        item
    }

    fn index() -> SearchIndex {
        let items = vec![
            item(
                "A",
                "企业设立登记（有限责任公司）",
                &["营业执照", "开公司"],
                "市场监督管理局",
                Level::County,
                "商事登记专区",
                Serves::Legal,
            ),
            item(
                "B",
                "营业执照变更登记",
                &[],
                "市场监督管理局",
                Level::County,
                "商事登记专区",
                Serves::Legal,
            ),
            item(
                "C",
                "最低生活保障申请（低保）",
                &["吃低保"],
                "上集镇人民政府",
                Level::Township,
                "民政社保窗口",
                Serves::Person,
            ),
            item(
                "D",
                "不动产转移登记",
                &["房产证", "过户"],
                "自然资源局",
                Level::County,
                "不动产集成服务专区",
                Serves::Both,
            ),
            item(
                "E",
                "居住证明开具",
                &["开证明"],
                "光明社区居民委员会",
                Level::Village,
                "代办帮办窗口",
                Serves::Person,
            ),
            item(
                "F",
                "营业执照",
                &[],
                "市场监督管理局",
                Level::County,
                "商事登记专区",
                Serves::Both,
            ),
        ];
        build_index(&items, 7, pinyin_of)
    }

    fn codes(hits: &[Hit]) -> Vec<&str> {
        hits.iter().map(|h| h.code.as_str()).collect()
    }

    fn find(query: &str) -> Vec<Hit> {
        search(&index(), query, &Filters::default(), 50)
    }

    #[test]
    fn index_keeps_pinyin_aligned_with_the_name() {
        let index = index();
        let a = &index.entries[0];
        assert_eq!(a.pinyin.0.len(), a.name.chars().count());
        assert_eq!(a.pinyin.get(0), "qi");
        assert_eq!(a.pinyin.get(6), "", "（ has no pinyin");
        assert_eq!(a.keyword_pinyin[0].0, ["ying", "ye", "zhi", "zhao"]);
        assert_eq!(index.version, 7);
    }

    #[test]
    fn index_round_trips_through_json_compactly() {
        let index = index();
        let json = serde_json::to_string(&index).unwrap();
        assert!(json.contains(r#""p":"qi ye she li deng ji  you xian ze ren gong si ""#));
        let back: SearchIndex = serde_json::from_str(&json).unwrap();
        assert_eq!(back, index);
    }

    #[test]
    fn ranking_puts_exact_then_prefix_then_substring_then_keyword() {
        let hits = find("营业执照");
        assert_eq!(codes(&hits), ["F", "B", "A"]);
        assert_eq!(hits[0].matched, MatchKind::NameExact);
        assert_eq!(hits[1].matched, MatchKind::NamePrefix);
        assert_eq!(hits[1].highlights, [(0, 4)]);
        assert_eq!(hits[2].matched, MatchKind::Keyword);
        assert_eq!(hits[2].matched_text.as_deref(), Some("营业执照"));
        assert!(hits[2].highlights.is_empty());
        assert!(hits[0].score > hits[1].score && hits[1].score > hits[2].score);
    }

    #[test]
    fn two_character_query_matches_a_substring() {
        let hits = find("低保");
        assert_eq!(codes(&hits), ["C"]);
        assert_eq!(hits[0].matched, MatchKind::NameSubstring);
        assert_eq!(hits[0].highlights, [(9, 11)]);
    }

    #[test]
    fn query_bigrams_covering_the_query_match_with_their_ranges() {
        let hits = find("执照登记");
        assert_eq!(codes(&hits), ["B"]);
        assert_eq!(hits[0].matched, MatchKind::NameBigrams);
        assert_eq!(hits[0].highlights, [(2, 4), (6, 8)]);
        let hits = find("营业执照登记");
        assert_eq!(codes(&hits)[0], "B");
        assert_eq!(hits[0].highlights, [(0, 4), (6, 8)]);
        let hits = find("企业登记");
        assert_eq!(codes(&hits), ["A"]);
        // 吃 is in no bigram of the name: only the keyword matches.
        assert_eq!(find("吃低保")[0].matched, MatchKind::Keyword);
    }

    #[test]
    fn full_pinyin_matches_and_highlights_the_characters() {
        // The whole name spelled beats part of a longer one.
        let hits = find("yingyezhizhao");
        assert_eq!(codes(&hits), ["F", "B", "A"]);
        assert_eq!(hits[0].matched, MatchKind::Pinyin);
        assert_eq!(hits[0].highlights, [(0, 4)]);
        assert_eq!(hits[2].matched, MatchKind::Keyword);

        let hits = find("yingye");
        assert_eq!(hits[0].highlights, [(0, 2)]);
        // As typed: the last syllable may be unfinished.
        let hits = find("yingyezh");
        assert_eq!(hits[0].highlights, [(0, 3)]);
    }

    #[test]
    fn pinyin_inside_the_name_and_across_punctuation() {
        let hits = find("dengji");
        let a = hits.iter().find(|h| h.code == "A").unwrap();
        assert_eq!(a.highlights, [(4, 6)]);
        let hits = find("dengjiyouxian");
        assert_eq!(codes(&hits), ["A"]);
        assert_eq!(hits[0].highlights, [(4, 9)]);
    }

    #[test]
    fn initials_match_after_full_pinyin() {
        let hits = find("yyzz");
        assert_eq!(codes(&hits), ["F", "B", "A"]);
        assert_eq!(hits[0].matched, MatchKind::PinyinInitials);
        assert_eq!(hits[0].highlights, [(0, 4)]);
        let hits = find("zdshbz");
        assert_eq!(codes(&hits), ["C"]);
        assert_eq!(hits[0].highlights, [(0, 6)]);
        // Mixed full syllables and initials.
        let hits = find("yingyezz");
        assert_eq!(hits[0].matched, MatchKind::Pinyin);
        assert_eq!(hits[0].highlights, [(0, 4)]);
        // Full pinyin at the start beats initials.
        let full = find("dibao");
        assert_eq!(codes(&full), ["C"]);
        assert_eq!(full[0].highlights, [(9, 11)]);
    }

    #[test]
    fn pinyin_u_may_be_typed_for_v() {
        let items = vec![item("G", "绿", &[], "x", Level::County, "z", Serves::Both)];
        let index = build_index(&items, 1, pinyin_of);
        assert_eq!(index.entries[0].pinyin.get(0), "lv");
        for q in ["lv", "lu"] {
            assert_eq!(search(&index, q, &Filters::default(), 5).len(), 1, "{q}");
        }
    }

    #[test]
    fn keywords_and_their_pinyin_find_items() {
        let hits = find("房产证");
        assert_eq!(codes(&hits), ["D"]);
        assert_eq!(hits[0].matched, MatchKind::Keyword);
        assert_eq!(hits[0].matched_text.as_deref(), Some("房产证"));
        assert_eq!(codes(&find("fangchanzheng")), ["D"]);
        assert_eq!(codes(&find("fcz")), ["D"]);
        // A keyword inside a longer query.
        assert_eq!(codes(&find("我要办房产证")), ["D"]);
    }

    #[test]
    fn department_and_zone_match_last() {
        let hits = find("自然资源");
        assert_eq!(codes(&hits), ["D"]);
        assert_eq!(hits[0].matched, MatchKind::Department);
        let hits = find("集成服务");
        assert_eq!(hits[0].matched, MatchKind::Zone);
        // 不动产 in D's name ranks above 不动产 in nothing else; the zone never outranks a name.
        let hits = find("不动产");
        assert_eq!(hits[0].matched, MatchKind::NamePrefix);
    }

    #[test]
    fn query_is_normalized() {
        assert_eq!(normalize("  ＹＹ ＺＺ　"), "yyzz");
        assert_eq!(codes(&find(" ＹＹＺＺ ")), ["F", "B", "A"]);
        assert_eq!(codes(&find("营业 执照")), ["F", "B", "A"]);
        // Full-width parentheses in names match half-width ones typed.
        assert_eq!(codes(&find("(低保)")), ["C"]);
    }

    #[test]
    fn every_word_of_a_multi_word_query_must_match() {
        let hits = find("登记 有限");
        assert_eq!(codes(&hits), ["A"]);
        assert_eq!(hits[0].highlights, [(4, 6), (7, 9)]);
        // 过户 (keyword of D) and 最低 (name of C) match different items: nothing has both.
        assert!(find("过户 最低").is_empty());
        let hits = find("biangeng 营业");
        assert_eq!(codes(&hits), ["B"]);
        assert_eq!(hits[0].highlights, [(0, 2), (4, 6)]);
    }

    #[test]
    fn nonsense_finds_nothing() {
        assert!(find("火星移民").is_empty());
        assert!(find("xyzxyz").is_empty());
        assert!(find("qqqqqq").is_empty());
    }

    #[test]
    fn filters_narrow_and_both_matches_either_serves() {
        let index = index();
        let village = Filters {
            level: Some(Level::Village),
            ..Filters::default()
        };
        assert_eq!(codes(&search(&index, "", &village, 50)), ["E"]);
        assert!(search(&index, "营业执照", &village, 50).is_empty());

        let person = Filters {
            serves: Some(Serves::Person),
            ..Filters::default()
        };
        assert_eq!(
            codes(&search(&index, "", &person, 50)),
            ["C", "D", "E", "F"]
        );
        let legal = Filters {
            serves: Some(Serves::Legal),
            ..Filters::default()
        };
        assert_eq!(
            codes(&search(&index, "营业执照", &legal, 50)),
            ["F", "B", "A"]
        );

        let zone = Filters {
            zone: Some("商事登记专区".into()),
            department: Some("市场监督管理局".into()),
            ..Filters::default()
        };
        assert_eq!(codes(&search(&index, "", &zone, 50)), ["A", "B", "F"]);
        let hall = Filters {
            hall: Some("nowhere".into()),
            ..Filters::default()
        };
        assert!(search(&index, "", &hall, 50).is_empty());
    }

    #[test]
    fn empty_query_lists_all_in_catalog_order_up_to_the_limit() {
        let hits = search(&index(), "   ", &Filters::default(), 3);
        assert_eq!(codes(&hits), ["A", "B", "C"]);
        assert!(hits.iter().all(|h| h.matched == MatchKind::All));
        assert_eq!(find("yyzz").len(), 3);
        assert_eq!(search(&index(), "yyzz", &Filters::default(), 1).len(), 1);
    }

    #[test]
    fn segments_cut_the_name_at_the_highlights() {
        let hits = find("登记 有限");
        assert_eq!(
            hits[0].segments(),
            [
                ("企业设立", false),
                ("登记", true),
                ("（", false),
                ("有限", true),
                ("责任公司）", false)
            ]
        );
        let hits = find("营业执照");
        assert_eq!(hits[0].segments(), [("营业执照", true)]);
    }

    #[test]
    fn filter_choices_are_listed_once_in_catalog_order() {
        let index = index();
        assert_eq!(index.zones()[0], "商事登记专区");
        assert_eq!(index.zones().len(), 4);
        assert_eq!(index.departments().len(), 4);
    }
}
