//! Matching a query against the index and ranking the hits (see [`super::MatchKind`]).

use super::*;

/// Searches the index: hits that match `query` and pass `filters`, best first, at most
/// `limit`. A query of several space-separated words matches an item when the whole
/// query (spaces removed) does or when every word does. An empty query returns every
/// item the filters keep, in catalog order.
pub fn search(index: &SearchIndex, query: &str, filters: &Filters, limit: usize) -> Vec<Hit> {
    search_entries(index, query, filters, limit)
        .into_iter()
        .map(|(_, hit)| hit)
        .collect()
}

/// [`search`], each hit with the entry it came from (for a result row's department and
/// zone without looking the code up again).
///
/// Runs on every keystroke on a slow phone over a county's index: the index's texts are
/// folded once, by its first search; after that the work per entry allocates nothing
/// unless the entry matches, and only the hits kept are built.
pub fn search_entries<'a>(
    index: &'a SearchIndex,
    query: &str,
    filters: &Filters,
    limit: usize,
) -> Vec<(&'a SearchEntry, Hit)> {
    let folded: String = query.chars().map(fold_char).collect();
    let words: Vec<Vec<char>> = folded
        .split_whitespace()
        .map(|w| w.chars().collect())
        .collect();
    let joined: Vec<char> = words.concat();
    if joined.is_empty() {
        return index
            .entries
            .iter()
            .filter(|e| filters.accepts(e))
            .take(limit)
            .map(|e| (e, hit(e, None)))
            .collect();
    }
    let entries = index.folded_entries().filter(|(e, _)| filters.accepts(e));

    let folded_query: String = joined.iter().collect();
    // Citizens' words for what the catalog calls otherwise ("卖房" → "二手房过户"): the
    // query with the word replaced. Any match of a replacement ranks just below an exact
    // keyword, by the replacement's rank, then in catalog order: a name that happens to
    // hold the replacement ("供水过户") must not come before the item it stands for.
    let synonyms: Vec<(u32, Query)> = citizen_words(&folded_query)
        .map(|(rank, text)| (rank, Query::new(text.chars().collect(), words.len() == 1)))
        .collect();
    let whole = Query::new(joined, words.len() == 1);
    let each: Vec<Query> = if words.len() > 1 {
        words.into_iter().map(|w| Query::new(w, true)).collect()
    } else {
        Vec::new()
    };
    let mut found: Vec<(usize, &SearchEntry, Found)> = entries
        .enumerate()
        .filter_map(|(order, (entry, folded))| {
            let a = match_word(entry, folded, &whole);
            let b = if each.is_empty() {
                None
            } else {
                match_all(entry, folded, &each)
            };
            let mut best = better(a, b);
            for (rank, synonym) in &synonyms {
                let found = match_word(entry, folded, synonym).map(|f| Found {
                    score: tier::SYNONYM * 1000 + 900u32.saturating_sub(100 * rank),
                    ..f
                });
                best = better(best, found);
            }
            best.map(|f| (order, entry, f))
        })
        .collect();
    let rank = |a: &(usize, &SearchEntry, Found), b: &(usize, &SearchEntry, Found)| {
        b.2.score.cmp(&a.2.score).then(a.0.cmp(&b.0))
    };
    // Only the best `limit` are ranked: a first letter matches most of a county's items.
    if found.len() > limit {
        found.select_nth_unstable_by(limit, rank);
        found.truncate(limit);
    }
    found.sort_unstable_by(rank);
    found
        .into_iter()
        .map(|(_, entry, f)| (entry, hit(entry, Some(f))))
        .collect()
}

fn hit(entry: &SearchEntry, found: Option<Found>) -> Hit {
    match found {
        None => Hit {
            code: entry.code.clone(),
            name: entry.name.clone(),
            score: 0,
            highlights: Vec::new(),
            matched: MatchKind::All,
            matched_text: None,
        },
        Some(f) => Hit {
            code: entry.code.clone(),
            name: entry.name.clone(),
            score: f.score,
            highlights: merge(f.ranges),
            matched: f.kind,
            matched_text: f.text.map(str::to_string),
        },
    }
}

/// One word of the query (or all of it), folded, with what matching it needs.
struct Query {
    chars: Vec<char>,
    /// The letters of a pinyin query (ASCII letters and digits, at least one letter).
    pinyin: Option<Vec<u8>>,
    /// False for the words of a multi-word query joined: a keyword inside them must not
    /// stand for all of them.
    typed_as_one: bool,
}

impl Query {
    fn new(chars: Vec<char>, typed_as_one: bool) -> Query {
        let pinyin = (chars.iter().all(char::is_ascii_alphanumeric)
            && chars.iter().any(char::is_ascii_alphabetic))
        .then(|| chars.iter().map(|&c| c as u8).collect());
        Query {
            chars,
            pinyin,
            typed_as_one,
        }
    }
}

/// How one word (or the whole query) matched one entry.
#[derive(Debug, Clone)]
struct Found<'a> {
    score: u32,
    kind: MatchKind,
    ranges: Vec<(usize, usize)>,
    text: Option<&'a str>,
}

impl<'a> Found<'a> {
    fn name(tier: u32, bonus: u32, kind: MatchKind, ranges: Vec<(usize, usize)>) -> Found<'a> {
        Found {
            score: tier * 1000 + bonus.min(999),
            kind,
            ranges,
            text: None,
        }
    }

    fn other(tier: u32, bonus: u32, kind: MatchKind, text: &'a str) -> Found<'a> {
        Found {
            score: tier * 1000 + bonus.min(999),
            kind,
            ranges: Vec::new(),
            text: Some(text),
        }
    }
}

fn better<'a>(a: Option<Found<'a>>, b: Option<Found<'a>>) -> Option<Found<'a>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.score > a.score { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// Every word must match; the weakest word sets the score, name ranges add up.
fn match_all<'a>(
    entry: &'a SearchEntry,
    folded: &FoldedEntry,
    words: &[Query],
) -> Option<Found<'a>> {
    let mut found: Vec<Found> = Vec::with_capacity(words.len());
    for word in words {
        found.push(match_word(entry, folded, word)?);
    }
    let weakest = found.iter().min_by_key(|f| f.score)?.clone();
    Some(Found {
        ranges: found
            .iter()
            .flat_map(|f| f.ranges.iter().copied())
            .collect(),
        text: found.iter().find_map(|f| f.text),
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
    pub const SYNONYM: u32 = 390;
    pub const KEYWORD_PREFIX: u32 = 380;
    pub const KEYWORD_SUBSTRING: u32 = 350;
    pub const KEYWORD_IN_QUERY: u32 = 340;
    pub const KEYWORD_BIGRAMS: u32 = 330;
    pub const KEYWORD_PINYIN: u32 = 320;
    pub const KEYWORD_INITIALS: u32 = 300;
    pub const KEYWORD_MIXED: u32 = 290;
    pub const NAME_TYPO: u32 = 270;
    pub const KEYWORD_TYPO: u32 = 260;
    pub const DEPARTMENT: u32 = 200;
    pub const ZONE: u32 = 180;
}

/// How `query` matches `entry`, if it does.
fn match_word<'a>(
    entry: &'a SearchEntry,
    folded: &FoldedEntry,
    query: &Query,
) -> Option<Found<'a>> {
    let q = &query.chars[..];
    if let Some(found) = match_name(&folded.name, q) {
        return Some(found);
    }
    let mut best = None;
    if let Some(letters) = &query.pinyin {
        best = match_name_pinyin(&folded.name, &entry.pinyin, letters);
    }
    for (i, (keyword, kw)) in entry.keywords.iter().zip(&folded.keywords).enumerate() {
        if best
            .as_ref()
            .is_some_and(|b| b.score >= tier::KEYWORD_EXACT * 1000)
        {
            break;
        }
        let mut found = match_keyword(kw, q, keyword, query.typed_as_one);
        if found.is_none() {
            if let Some(letters) = &query.pinyin {
                let no_pinyin = Syllables::default();
                let syllables = entry.keyword_pinyin.get(i).unwrap_or(&no_pinyin);
                found = pinyin(kw, syllables, letters).map(|m| {
                    let t = match (m.kind, m.at_start) {
                        (Spelling::Full, true) => tier::KEYWORD_PINYIN,
                        (Spelling::Initials, true) => tier::KEYWORD_INITIALS,
                        _ => tier::KEYWORD_MIXED,
                    };
                    Found::other(t, coverage(m.chars, kw.len()), MatchKind::Keyword, keyword)
                });
            }
        }
        best = better(best, found);
    }
    if best.is_some() {
        return best;
    }
    if let Some(found) = match_typo(entry, folded, query) {
        return Some(found);
    }
    if let Some(at) = find(&folded.department, q) {
        return Some(Found::other(
            tier::DEPARTMENT,
            coverage(q.len(), folded.department.len()) + position(at),
            MatchKind::Department,
            &entry.department,
        ));
    }
    find(&folded.zone, q).map(|at| {
        Found::other(
            tier::ZONE,
            coverage(q.len(), folded.zone.len()) + position(at),
            MatchKind::Zone,
            &entry.zone,
        )
    })
}

/// 一字之差: a Chinese query of three characters or more that the name or a keyword holds
/// with one character different ("营业执造", "身分证" — homophones typed by pinyin input).
/// Only for an entry nothing else matched; ranked below every exact kind of match.
fn match_typo<'a>(
    entry: &'a SearchEntry,
    folded: &FoldedEntry,
    query: &Query,
) -> Option<Found<'a>> {
    let q = &query.chars[..];
    if q.len() < 3 || q.iter().any(char::is_ascii) {
        return None;
    }
    if let Some(at) = find_one_off(&folded.name, q) {
        let bonus = coverage(q.len(), folded.name.len()) + position(at);
        return Some(Found::name(
            tier::NAME_TYPO,
            bonus,
            MatchKind::NameSubstring,
            vec![(at, at + q.len())],
        ));
    }
    entry
        .keywords
        .iter()
        .zip(&folded.keywords)
        .find_map(|(keyword, kw)| {
            find_one_off(kw, q).map(|_| {
                let bonus = coverage(q.len(), kw.len());
                Found::other(tier::KEYWORD_TYPO, bonus, MatchKind::Keyword, keyword)
            })
        })
}

/// Where `needle` occurs in `hay` with exactly one character different.
fn find_one_off(hay: &[char], needle: &[char]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len())
        .position(|w| w.iter().zip(needle).filter(|(a, b)| a != b).count() == 1)
}

/// The query with each shipped citizens' word it holds replaced by the catalog's terms
/// for it, with the rank of that term (0 best). (Staff words are keywords of the index.)
fn citizen_words(query: &str) -> impl Iterator<Item = (u32, String)> + '_ {
    words::shipped()
        .filter(|(word, _)| query.contains(word))
        .flat_map(move |(word, terms)| {
            terms
                .iter()
                .zip(0u32..)
                .map(move |(term, rank)| (rank, query.replace(word, term)))
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
    let (&first, rest) = needle.split_first()?;
    if needle.len() > hay.len() {
        return None;
    }
    // The first character rules out almost every place: comparing whole windows there
    // was a quarter of a keystroke's matching.
    (0..=hay.len() - needle.len())
        .find(|&at| hay[at] == first && hay[at + 1..at + needle.len()] == *rest)
}

fn match_name<'a>(name: &[char], q: &[char]) -> Option<Found<'a>> {
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

fn match_keyword<'a>(
    kw: &[char],
    q: &[char],
    keyword: &'a str,
    typed_as_one: bool,
) -> Option<Found<'a>> {
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

fn match_name_pinyin<'a>(name: &[char], syllables: &Syllables, q: &[u8]) -> Option<Found<'a>> {
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
fn pinyin(text: &[char], syllables: &Syllables, q: &[u8]) -> Option<PinyinMatch> {
    let letters = Letters { text, syllables };
    if q.len() == 1 {
        return letters.first_letter(q[0]);
    }
    spelled_by_tables(&letters, q)
}

/// Typed `typed` for `letter`: `u` stands for `ü` (written `v`).
fn same(typed: u8, letter: u8) -> bool {
    typed == letter || (typed == b'u' && letter == b'v')
}

/// ASCII letters and digits of a text spell themselves.
fn spelled_alone(c: char) -> Option<u8> {
    c.is_ascii_alphanumeric().then_some(c as u8)
}

/// The letters a text can be spelled with.
struct Letters<'t> {
    text: &'t [char],
    syllables: &'t Syllables,
}

impl Letters<'_> {
    /// Letter `k` of how character `i` is spelled.
    fn letter(&self, i: usize, k: usize) -> Option<u8> {
        match self.syllables.get(i).as_bytes() {
            [] if k == 0 => spelled_alone(self.text[i]),
            s => s.get(k).copied(),
        }
    }

    /// Punctuation and the like, which a spelling passes over.
    fn skipped(&self, i: usize) -> bool {
        self.letter(i, 0).is_none() && !self.text[i].is_alphanumeric()
    }

    /// [`pinyin`] for a query of one letter, where spelling in full and by initials are
    /// the same: the first character whose syllable (or itself, if ASCII) begins with
    /// it, at the start of the text if one there does. A citizen's first letter matches
    /// most of a county's items, and the tables of the general case made it the slowest
    /// keystroke on a slow phone.
    fn first_letter(&self, typed: u8) -> Option<PinyinMatch> {
        let mut spelled = (0..self.text.len()).filter(|&i| !self.skipped(i));
        let first = spelled.next()?;
        std::iter::once(first).chain(spelled).find_map(|start| {
            let begins = self.letter(start, 0).is_some_and(|l| same(typed, l));
            begins.then_some(PinyinMatch {
                kind: Spelling::Full,
                start,
                end: start + 1,
                chars: 1,
                at_start: start == first,
            })
        })
    }
}

/// [`pinyin`] by dynamic programming over the query's letters and the text's characters.
fn spelled_by_tables(letters: &Letters, q: &[u8]) -> Option<PinyinMatch> {
    let Letters { text, syllables } = *letters;
    let n = text.len();
    // Most texts cannot begin to spell the query (its first two letters) anywhere: skip
    // the tables then, allocating nothing.
    let begins = |i: usize| {
        letters.letter(i, 0).is_some_and(|f| same(q[0], f))
            && (q.len() == 1
                || letters.letter(i, 1).is_some_and(|l| same(q[1], l))
                || (i + 1..n)
                    .find(|&j| !letters.skipped(j))
                    .and_then(|j| letters.letter(j, 0))
                    .is_some_and(|l| same(q[1], l)))
    };
    if !(0..n).any(begins) {
        return None;
    }
    let ascii: Vec<u8> = text
        .iter()
        .map(|&c| spelled_alone(c).unwrap_or(0))
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

    /// The one-letter shortcut finds what the tables find, for every letter, over texts
    /// with punctuation, ASCII, digits, `ü` and a letter-like numeral.
    #[test]
    fn first_letter_agrees_with_the_tables() {
        let texts: [(&str, &[&str]); 6] = [
            ("营业执照", &["ying", "ye", "zhi", "zhao"]),
            ("（新）B超检查", &["", "xin", "", "", "chao", "jian", "cha"]),
            ("旅游", &["lv", "you"]),
            ("0-3岁儿童", &["", "", "", "sui", "er", "tong"]),
            ("Ⅱ级残疾证", &["", "ji", "can", "ji", "zheng"]),
            ("、", &[""]),
        ];
        for (text, syllables) in texts {
            let chars: Vec<char> = text.chars().collect();
            let syllables = Syllables(syllables.iter().map(|s| s.to_string()).collect());
            let letters = Letters {
                text: &chars,
                syllables: &syllables,
            };
            for typed in b'a'..=b'z' {
                let shortcut = letters.first_letter(typed).map(|m| (m.start, m.at_start));
                let tables = spelled_by_tables(&letters, &[typed]).map(|m| {
                    assert_eq!((m.kind, m.end, m.chars), (Spelling::Full, m.start + 1, 1));
                    (m.start, m.at_start)
                });
                assert_eq!(shortcut, tables, "{text} typed {}", typed as char);
            }
        }
    }
}
