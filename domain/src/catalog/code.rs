//! Item codes (事项编码 / 实施编码): the key of every guide URL and printed QR code.

use std::fmt;

/// Longest national implementation code: 18-char credit code of the body + item segment.
pub const MAX_CODE_LEN: usize = 36;

/// Why a string is not an item code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("事项编码不能为空")]
    Empty,
    #[error("事项编码最长 {MAX_CODE_LEN} 位，收到 {0} 位")]
    TooLong(usize),
    #[error("事项编码只能包含数字、大写字母和连字符，不能有“{0}”")]
    BadChar(char),
}

/// A syntactically valid item code, upper-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemCode(String);

impl ItemCode {
    /// Parses what a citizen or a URL supplied. Lower case is accepted and upper-cased,
    /// because people retype codes from posters.
    pub fn parse(raw: &str) -> Result<ItemCode, CodeError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(CodeError::Empty);
        }
        let count = trimmed.chars().count();
        if count > MAX_CODE_LEN {
            return Err(CodeError::TooLong(count));
        }
        if let Some(bad) = trimmed
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Err(CodeError::BadChar(bad));
        }
        Ok(ItemCode(trimmed.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ItemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_national_codes_and_uppercases() {
        let code = ItemCode::parse("11321081014131234x-000201001").unwrap();
        assert_eq!(code.as_str(), "11321081014131234X-000201001");
    }

    #[test]
    fn rejects_empty_long_and_odd_characters() {
        assert_eq!(ItemCode::parse("  "), Err(CodeError::Empty));
        assert_eq!(
            ItemCode::parse(&"1".repeat(37)),
            Err(CodeError::TooLong(37))
        );
        assert_eq!(ItemCode::parse("12<script>"), Err(CodeError::BadChar('<')));
        assert_eq!(ItemCode::parse("12/34"), Err(CodeError::BadChar('/')));
        assert_eq!(ItemCode::parse("营业执照"), Err(CodeError::BadChar('营')));
    }
}
