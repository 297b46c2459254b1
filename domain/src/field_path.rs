//! The path to one field of an item or a request body — `materials[2].name`,
//! `periods[0].last`, `promised_limit` — in one syntax everywhere: validation errors, lint
//! findings, API error bodies, diffs, and the staff console's forms, which place each
//! message beside the field it names. On the wire a path is its display string.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One step of a path: a named field or a position in a list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A field path. Build one with [`FieldPath::new`], [`FieldPath::key`] and
/// [`FieldPath::index`]; read one with [`FromStr`] (strict) or `From<&str>` (lenient).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath(Vec<Segment>);

/// Why a string is not a field path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("字段路径无法识别：{0}")]
pub struct FieldPathError(pub String);

impl FieldPath {
    /// The top-level field `key`.
    pub fn new(key: impl Into<String>) -> FieldPath {
        FieldPath(vec![Segment::Key(key.into())])
    }

    /// This path, then the field `key`.
    pub fn key(mut self, key: impl Into<String>) -> FieldPath {
        self.0.push(Segment::Key(key.into()));
        self
    }

    /// This path, then position `index` of the list it names.
    pub fn index(mut self, index: usize) -> FieldPath {
        self.0.push(Segment::Index(index));
        self
    }

    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    /// The top-level field (`materials` for `materials[2].name`); empty for an empty path.
    pub fn head(&self) -> &str {
        match self.0.first() {
            Some(Segment::Key(key)) => key,
            _ => "",
        }
    }

    /// Whether `prefix` is this path or one of its ancestors (`materials[2]` is a prefix of
    /// `materials[2].name`, not of `materials[20]`).
    pub fn starts_with(&self, prefix: &FieldPath) -> bool {
        self.0.starts_with(&prefix.0)
    }

    /// For a path into the top-level list `list` (`periods[3].last` with `periods`): the
    /// position and the rest of the path (`3`, `last`).
    pub fn in_list(&self, list: &str) -> Option<(usize, FieldPath)> {
        match self.0.as_slice() {
            [Segment::Key(key), Segment::Index(i), rest @ ..] if key == list => {
                Some((*i, FieldPath(rest.to_vec())))
            }
            _ => None,
        }
    }

    /// This path with the top-level list position `index` replaced by `to` (a form shows
    /// rows in another order than the body it sends).
    pub fn with_list_index(&self, to: usize) -> FieldPath {
        let mut path = self.clone();
        if let Some(Segment::Index(i)) = path.0.get_mut(1) {
            *i = to;
        }
        path
    }

    /// The enclosing field (`materials[2]` for `materials[2].name`); `None` at the top.
    pub fn parent(&self) -> Option<FieldPath> {
        match self.0.len() {
            0 | 1 => None,
            n => Some(FieldPath(self.0[..n - 1].to_vec())),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) if n == 0 => f.write_str(key)?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

fn is_key_char(c: char) -> bool {
    !matches!(c, '.' | '[' | ']') && !c.is_whitespace()
}

impl FromStr for FieldPath {
    type Err = FieldPathError;

    /// Strict: `a.b[3].c`; keys are non-empty and have no `.`, `[`, `]` or spaces.
    fn from_str(text: &str) -> Result<FieldPath, FieldPathError> {
        let bad = || FieldPathError(text.to_string());
        let mut segments = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('[') {
                let (digits, tail) = after.split_once(']').ok_or_else(bad)?;
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad());
                }
                segments.push(Segment::Index(digits.parse().map_err(|_| bad())?));
                rest = tail;
            } else {
                let after = if segments.is_empty() {
                    rest
                } else {
                    rest.strip_prefix('.').ok_or_else(bad)?
                };
                let end = after.find(|c| !is_key_char(c)).unwrap_or(after.len());
                if end == 0 {
                    return Err(bad());
                }
                segments.push(Segment::Key(after[..end].to_string()));
                rest = &after[end..];
            }
        }
        if segments.is_empty() {
            return Err(bad());
        }
        Ok(FieldPath(segments))
    }
}

/// Lenient, for paths written in code (`"fees.items"`) and read back from the API: a
/// string that is not a path becomes a single key holding it, so nothing is lost.
impl From<&str> for FieldPath {
    fn from(text: &str) -> FieldPath {
        text.parse().unwrap_or_else(|_| FieldPath::new(text))
    }
}

impl From<String> for FieldPath {
    fn from(text: String) -> FieldPath {
        FieldPath::from(text.as_str())
    }
}

impl FieldPath {
    /// Whether this path displays as `text`, without building the string.
    fn displays_as(&self, text: &str) -> bool {
        let mut rest = text;
        for (n, segment) in self.0.iter().enumerate() {
            let next = match segment {
                Segment::Key(key) if n == 0 => rest.strip_prefix(key.as_str()),
                Segment::Key(key) => rest
                    .strip_prefix('.')
                    .and_then(|r| r.strip_prefix(key.as_str())),
                Segment::Index(i) => rest.strip_prefix('[').and_then(|r| {
                    let (digits, tail) = r.split_once(']')?;
                    let canonical = digits.bytes().all(|b| b.is_ascii_digit())
                        && (digits == "0" || !digits.starts_with('0'));
                    (canonical && digits.parse::<usize>().ok()? == *i).then_some(tail)
                }),
            };
            match next {
                Some(r) => rest = r,
                None => return false,
            }
        }
        rest.is_empty()
    }
}

impl PartialEq<str> for FieldPath {
    fn eq(&self, other: &str) -> bool {
        self.displays_as(other)
    }
}

impl PartialEq<&str> for FieldPath {
    fn eq(&self, other: &&str) -> bool {
        self.displays_as(other)
    }
}

impl Serialize for FieldPath {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FieldPath {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<FieldPath, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(FieldPath::from(text.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_displays_like_the_api() {
        let path = FieldPath::new("materials").index(2).key("name");
        assert_eq!(path.to_string(), "materials[2].name");
        assert_eq!(path.head(), "materials");
        assert_eq!(FieldPath::new("kind").to_string(), "kind");
        assert!(path == "materials[2].name");
        assert!(path != "materials[02].name" && path != "materials[2]" && path != "materials");
        assert_eq!(
            FieldPath::new("fees").key("items").index(0).to_string(),
            "fees.items[0]"
        );
    }

    #[test]
    fn parses_what_it_displays() {
        for text in [
            "kind",
            "materials[2].name",
            "fees.items[0].amount",
            "a[1][2].b",
        ] {
            let path: FieldPath = text.parse().unwrap();
            assert_eq!(path.to_string(), text);
        }
        for bad in [
            "", ".a", "a.", "a[", "a[x]", "a[]", "a..b", "a b", "[0", "a]",
        ] {
            assert!(bad.parse::<FieldPath>().is_err(), "{bad:?} is not a path");
        }
    }

    #[test]
    fn lenient_reading_keeps_any_text() {
        assert_eq!(FieldPath::from("身份证 号").to_string(), "身份证 号");
        assert_eq!(FieldPath::from("periods[1].first").head(), "periods");
    }

    #[test]
    fn prefixes_and_list_positions() {
        let path: FieldPath = "periods[3].last".parse().unwrap();
        assert_eq!(path.in_list("periods"), Some((3, FieldPath::new("last"))));
        assert_eq!(path.in_list("workdays"), None);
        assert_eq!(path.with_list_index(0).to_string(), "periods[0].last");
        let materials2 = FieldPath::new("materials").index(2);
        assert!(FieldPath::from("materials[2].name").starts_with(&materials2));
        assert!(!FieldPath::from("materials[20].name").starts_with(&materials2));
        assert_eq!(
            FieldPath::from("materials[2].name").parent(),
            Some(materials2.clone())
        );
        assert_eq!(materials2.parent(), Some(FieldPath::new("materials")));
        assert_eq!(FieldPath::new("materials").parent(), None);
    }

    #[test]
    fn travels_as_a_string() {
        let path = FieldPath::new("steps").index(1).key("limit");
        assert_eq!(serde_json::to_string(&path).unwrap(), r#""steps[1].limit""#);
        let back: FieldPath = serde_json::from_str(r#""steps[1].limit""#).unwrap();
        assert_eq!(back, path);
    }
}
