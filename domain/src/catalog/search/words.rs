//! Citizens' words for items: what people type ("卖房", "养老金") mapped to the terms the
//! catalog uses ("二手房过户", "养老保险"). A list ships with the product; hall staff
//! extend it in the console (one line per word, `开小吃店 = 食品经营许可、餐饮许可证`).
//! The matcher reads the shipped words as the catalog's terms ([`super::search_entries`]);
//! the staff's are added to a county's index as keywords of the items they stand for
//! ([`add_to_index`]) where the index is served, so phones need no code for them.

use serde::{Deserialize, Serialize};

use super::{fold_char, SearchIndex, Syllables};
use crate::catalog::validate::FieldError;
use crate::FieldPath;

/// One citizens' word and the catalog's terms for it, the likelier meaning first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitizenWord {
    pub word: String,
    pub terms: Vec<String>,
}

/// `GET /api/v1/staff/search-words`: what the console shows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SearchWords {
    /// Shipped with the product; the staff's words are added to them.
    pub builtin: Vec<CitizenWord>,
    /// The hall's additions, folded as the search compares them.
    pub staff: Vec<CitizenWord>,
}

/// `PUT /api/v1/staff/search-words`: the hall's additions, whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplaceWords {
    pub words: Vec<CitizenWord>,
}

/// Most words staff may add (each is looked for in a county's index where it is served).
pub const MAX_WORDS: usize = 300;
/// Longest citizens' word, in characters.
pub const MAX_WORD_CHARS: usize = 12;
/// Most terms per word.
pub const MAX_TERMS: usize = 5;
/// Longest term, in characters.
pub const MAX_TERM_CHARS: usize = 30;

/// The shipped list; an item's own keywords (staff edit them) take precedence.
const BUILTIN: &[(&str, &[&str])] = &[
    ("房本", &["不动产权证", "房产证"]),
    ("房产本", &["不动产权证", "房产证"]),
    ("卖房", &["二手房过户", "房屋买卖"]),
    ("买房", &["二手房过户", "房屋买卖"]),
    ("养老金", &["养老保险"]),
    ("退休金", &["养老保险"]),
    ("办证", &["身份证", "营业执照", "残疾证", "居住证明"]),
    ("户口本", &["户口"]),
    ("准生", &["生育登记"]),
    ("医保卡", &["医保"]),
    ("开公司", &["企业设立"]),
];

/// The shipped list, as the console shows it.
pub fn builtin() -> Vec<CitizenWord> {
    BUILTIN
        .iter()
        .map(|(word, terms)| CitizenWord {
            word: (*word).to_string(),
            terms: terms.iter().map(|t| (*t).to_string()).collect(),
        })
        .collect()
}

/// The shipped words with their terms, as the matcher reads them.
pub(super) fn shipped() -> impl Iterator<Item = (&'static str, &'static [&'static str])> {
    BUILTIN.iter().copied()
}

/// Most entries one staff word is added to: a term that many items hold (“许可”) is not
/// what a citizen's word means, and each addition travels to every phone of the county.
pub const MAX_ENTRIES_PER_WORD: usize = 40;

/// Adds the staff's words to `index` as keywords of the entries they stand for — each
/// entry whose name or keywords hold one of the word's terms — so every searcher (the
/// search page, the phone's search as you type, the websites' API) finds them with no
/// code of its own: the query holding the keyword matches, as any keyword does. Terms
/// are tried in order; a word goes to at most [`MAX_ENTRIES_PER_WORD`] entries.
pub fn add_to_index(index: &mut SearchIndex, staff: &[CitizenWord]) {
    if staff.is_empty() {
        return;
    }
    index.entries_changed();
    // Each entry's name and keywords, folded once (a county has a thousand or two).
    let texts: Vec<String> = index
        .entries
        .iter()
        .map(|e| {
            let mut text = folded(&e.name);
            for keyword in &e.keywords {
                text.push('\n');
                text.push_str(&folded(keyword));
            }
            text
        })
        .collect();
    for word in staff {
        let mut added = 0;
        for term in &word.terms {
            for (entry, text) in index.entries.iter_mut().zip(&texts) {
                if added >= MAX_ENTRIES_PER_WORD {
                    break;
                }
                if text.contains(term.as_str()) && !entry.keywords.contains(&word.word) {
                    // Keep the keywords' pinyin aligned: the added word has none.
                    if entry.keyword_pinyin.len() == entry.keywords.len() {
                        entry.keyword_pinyin.push(Syllables::default());
                    }
                    entry.keywords.push(word.word.clone());
                    added += 1;
                }
            }
        }
    }
}

/// What separates a word from its terms, and terms from each other, in a line.
const WORD_SEPARATORS: [char; 5] = ['=', '＝', ':', '：', '→'];
const TERM_SEPARATORS: [char; 6] = ['、', ',', '，', ';', '；', ' '];

fn has_separator(text: &str) -> bool {
    text.contains(WORD_SEPARATORS) || text.contains(TERM_SEPARATORS)
}

/// Text folded as queries are (full-width to half-width, lowercase), without spaces.
fn folded(text: &str) -> String {
    text.chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The list as staff sent it, checked and folded: each word once, 1–[`MAX_WORD_CHARS`]
/// characters, 1–[`MAX_TERMS`] distinct terms that differ from the word. Every problem is
/// named by its field (`words[3].terms[1]`).
pub fn check(words: &[CitizenWord]) -> Result<Vec<CitizenWord>, Vec<FieldError>> {
    let mut errors = Vec::new();
    if words.len() > MAX_WORDS {
        errors.push(FieldError::new(
            "words",
            format!("最多 {MAX_WORDS} 条，现有 {} 条", words.len()),
        ));
        return Err(errors);
    }
    let mut out: Vec<CitizenWord> = Vec::with_capacity(words.len());
    for (i, entry) in words.iter().enumerate() {
        let at = FieldPath::new("words").index(i);
        let word = folded(&entry.word);
        let length = word.chars().count();
        if length == 0 {
            errors.push(FieldError::new(
                at.clone().key("word"),
                "请填写群众常说的词",
            ));
        } else if length > MAX_WORD_CHARS {
            errors.push(FieldError::new(
                at.clone().key("word"),
                format!("“{word}”太长：最多 {MAX_WORD_CHARS} 个字"),
            ));
        } else if has_separator(&word) {
            errors.push(FieldError::new(
                at.clone().key("word"),
                format!("“{word}”不能含有 = : → 、 , ; 等分隔符"),
            ));
        } else if let Some(first) = out.iter().position(|w| w.word == word) {
            errors.push(FieldError::new(
                at.clone().key("word"),
                format!("“{word}”与第 {} 条重复", first + 1),
            ));
        }
        let mut terms: Vec<String> = Vec::new();
        for (k, raw) in entry.terms.iter().enumerate() {
            let term = folded(raw);
            let field = at.clone().key("terms").index(k);
            if term.is_empty() || terms.contains(&term) {
                continue;
            }
            if term.chars().count() > MAX_TERM_CHARS {
                errors.push(FieldError::new(
                    field,
                    format!("“{term}”太长：最多 {MAX_TERM_CHARS} 个字"),
                ));
            } else if has_separator(&term) {
                errors.push(FieldError::new(
                    field,
                    format!("“{term}”不能含有 = : → 、 , ; 等分隔符"),
                ));
            } else if term == word {
                errors.push(FieldError::new(field, format!("“{term}”与原词相同")));
            } else {
                terms.push(term);
            }
        }
        if terms.is_empty() {
            errors.push(FieldError::new(
                at.clone().key("terms"),
                format!("“{}”缺少对应的事项用语", entry.word.trim()),
            ));
        } else if terms.len() > MAX_TERMS {
            errors.push(FieldError::new(
                at.key("terms"),
                format!("每个词最多对应 {MAX_TERMS} 个用语"),
            ));
        }
        out.push(CitizenWord { word, terms });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The console's text, one word per line: `房本 = 不动产权证、房产证` (also `＝`, `:`,
/// `：` or `→` after the word; terms separated by `、`, `,`, `，`, `;` or spaces).
/// Blank lines and lines starting with `#` are skipped. `Err`: the 1-based numbers of the
/// lines that have no separator, with a message.
pub fn parse_lines(text: &str) -> Result<Vec<CitizenWord>, Vec<(usize, String)>> {
    let mut words = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match read_line(trimmed) {
            Some(word) => words.push(word),
            None => errors.push((
                n + 1,
                format!("第 {} 行缺少“=”：应写成“房本 = 不动产权证、房产证”", n + 1),
            )),
        }
    }
    if errors.is_empty() {
        Ok(words)
    } else {
        Err(errors)
    }
}

/// One line `word = term、term`; `None` without a separator after the word.
fn read_line(line: &str) -> Option<CitizenWord> {
    let (word, rest) = line.split_once(WORD_SEPARATORS)?;
    let terms = rest
        .split(|c: char| TERM_SEPARATORS.contains(&c) || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    Some(CitizenWord {
        word: word.trim().to_string(),
        terms,
    })
}

/// The 1-based line of the text on which each word of [`parse_lines`] stands (to name
/// the line of a problem the server finds in `words[i]`).
pub fn line_numbers(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim();
            !l.is_empty() && !l.starts_with('#')
        })
        .map(|(n, _)| n + 1)
        .collect()
}

/// The list as the console's text ([`parse_lines`] reads it back).
pub fn to_lines(words: &[CitizenWord]) -> String {
    words
        .iter()
        .map(|w| format!("{} = {}\n", w.word, w.terms.join("、")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(word: &str, terms: &[&str]) -> CitizenWord {
        CitizenWord {
            word: word.into(),
            terms: terms.iter().map(|t| (*t).to_string()).collect(),
        }
    }

    #[test]
    fn lines_read_with_any_usual_separator_and_round_trip() {
        let text = "# 群众用语\n房本 = 不动产权证、房产证\n\n开饭店：食品经营许可, 营业执照\n低保→最低生活保障\n";
        let words = parse_lines(text).unwrap();
        assert_eq!(
            words,
            vec![
                word("房本", &["不动产权证", "房产证"]),
                word("开饭店", &["食品经营许可", "营业执照"]),
                word("低保", &["最低生活保障"]),
            ]
        );
        assert_eq!(parse_lines(&to_lines(&words)).unwrap(), words);
        assert_eq!(line_numbers(text), [2, 4, 5]);
    }

    #[test]
    fn a_line_without_separator_is_named_by_number() {
        let errors = parse_lines("房本 = 不动产权证\n办结婚证\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, 2);
        assert!(errors[0].1.contains("第 2 行"), "{}", errors[0].1);
    }

    #[test]
    fn check_folds_and_names_each_problem_by_field() {
        let ok = check(&[word(" ＡＢ证 ", &["营业执照", "营业执照", ""])]).unwrap();
        assert_eq!(ok, vec![word("ab证", &["营业执照"])]);

        let errors = check(&[
            word("低保", &["最低生活保障"]),
            word("低保", &["低保"]),
            word("", &["x"]),
            word("超过十二个字的一个很长很长的说法", &["y"]),
        ])
        .unwrap_err();
        let fields: Vec<String> = errors.iter().map(|e| e.field.to_string()).collect();
        assert!(fields.contains(&"words[1].word".to_string()), "{fields:?}");
        assert!(
            fields.contains(&"words[1].terms[0]".to_string()),
            "{fields:?}"
        );
        assert!(fields.contains(&"words[1].terms".to_string()), "{fields:?}");
        assert!(fields.contains(&"words[2].word".to_string()), "{fields:?}");
        assert!(fields.contains(&"words[3].word".to_string()), "{fields:?}");
        assert!(
            errors[0].message.contains("第 1 条"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn separators_cannot_hide_in_a_word() {
        let errors = check(&[word("a=b", &["c、d"])]).unwrap_err();
        let fields: Vec<String> = errors.iter().map(|e| e.field.to_string()).collect();
        assert_eq!(
            fields,
            ["words[0].word", "words[0].terms[0]", "words[0].terms"]
        );
    }

    #[test]
    fn too_many_words_are_refused_whole() {
        let many: Vec<CitizenWord> = (0..=MAX_WORDS)
            .map(|i| word(&format!("词{i}"), &["事项"]))
            .collect();
        let errors = check(&many).unwrap_err();
        assert_eq!(errors[0].field.to_string(), "words");
    }
}
