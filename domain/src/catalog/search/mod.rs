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

use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::catalog::item::{Item, Level, Serves};

/// The search index of one catalog version.
#[derive(Debug, Serialize, Deserialize)]
pub struct SearchIndex {
    /// The catalog version the index was built from.
    #[serde(rename = "v")]
    pub version: u32,
    /// Changed after a search only by this module ([`words::add_to_index`]), which
    /// forgets the folded texts.
    #[serde(rename = "e")]
    pub entries: Vec<SearchEntry>,
    /// The entries' texts folded for matching, made by the first search: folding them
    /// again on every keystroke was a third of the matching. About 4 bytes a character
    /// of each name, keyword, department and zone (a county of 1,900 items: ~0.3 MB).
    #[serde(skip)]
    folded: OnceLock<Vec<FoldedEntry>>,
}

/// A copy folds its texts afresh: it is made to be changed (staff words added).
impl Clone for SearchIndex {
    fn clone(&self) -> Self {
        SearchIndex::new(self.version, self.entries.clone())
    }
}

/// Equal when the versions and entries are (the folded texts follow from the entries).
impl PartialEq for SearchIndex {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version && self.entries == other.entries
    }
}

impl Eq for SearchIndex {}

/// One entry's texts as [`fold_char`] folds them.
#[derive(Debug, Clone)]
struct FoldedEntry {
    name: Vec<char>,
    keywords: Vec<Vec<char>>,
    department: Vec<char>,
    zone: Vec<char>,
}

impl FoldedEntry {
    fn of(entry: &SearchEntry) -> FoldedEntry {
        let fold = |text: &str| text.chars().map(fold_char).collect();
        FoldedEntry {
            name: fold(&entry.name),
            keywords: entry.keywords.iter().map(|k| fold(k)).collect(),
            department: fold(&entry.department),
            zone: fold(&entry.zone),
        }
    }
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
    SearchIndex::new(version, entries)
}

impl SearchIndex {
    pub fn new(version: u32, entries: Vec<SearchEntry>) -> SearchIndex {
        SearchIndex {
            version,
            entries,
            folded: OnceLock::new(),
        }
    }

    /// The entries with their folded texts, in catalog order.
    fn folded_entries(&self) -> impl Iterator<Item = (&SearchEntry, &FoldedEntry)> {
        let folded = self
            .folded
            .get_or_init(|| self.entries.iter().map(FoldedEntry::of).collect());
        debug_assert_eq!(
            folded.len(),
            self.entries.len(),
            "entries changed after a search"
        );
        self.entries.iter().zip(folded).inspect(|(entry, folded)| {
            debug_assert_eq!(entry.keywords.len(), folded.keywords.len());
        })
    }

    /// Forgets the folded texts after the entries changed.
    fn entries_changed(&mut self) {
        self.folded.take();
    }

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
    // Han characters and kana have no case: most of what is folded, on every keystroke,
    // skips the Unicode lowercase table.
    if ('\u{3001}'..='\u{9FFF}').contains(&c) {
        return c;
    }
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

/// What staff search matches an item by, in one lowercase string a `LIKE '%…%'` finds a
/// [`normalize`]d query in: the name, its pinyin run together and its initials, then each
/// keyword the same way ("营业执照 yingyezhizhao yyzz 执照 zhizhao zz").
pub fn search_terms(
    name: &str,
    keywords: &[String],
    pinyin_of: impl Fn(char) -> Option<String>,
) -> String {
    let mut terms = Vec::new();
    for text in std::iter::once(name).chain(keywords.iter().map(String::as_str)) {
        let syllables = syllables_of(text, &pinyin_of);
        terms.push(normalize(text));
        terms.push(syllables.0.concat());
        terms.push(
            syllables
                .0
                .iter()
                .filter_map(|s| s.chars().next())
                .collect(),
        );
    }
    terms.retain(|t| !t.is_empty());
    terms.join(" ")
}

mod matching;
pub use matching::{search, search_entries};
pub mod words;

#[cfg(test)]
mod tests;
