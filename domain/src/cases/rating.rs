//! The citizen's rating (好差评), once, after the case is decided.

use serde::{Deserialize, Serialize};

use super::time::instant;

/// Longest rating comment, in characters.
pub const MAX_COMMENT: usize = 300;

/// The 5 levels of 好差评.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    VerySatisfied,
    Satisfied,
    BasicallySatisfied,
    Dissatisfied,
    VeryDissatisfied,
}

impl Rating {
    /// Best first, the order they are offered in.
    pub const ALL: [Rating; 5] = [
        Rating::VerySatisfied,
        Rating::Satisfied,
        Rating::BasicallySatisfied,
        Rating::Dissatisfied,
        Rating::VeryDissatisfied,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Rating::VerySatisfied => "非常满意",
            Rating::Satisfied => "满意",
            Rating::BasicallySatisfied => "基本满意",
            Rating::Dissatisfied => "不满意",
            Rating::VeryDissatisfied => "非常不满意",
        }
    }

    /// 5 (非常满意) … 1 (非常不满意).
    pub fn score(self) -> u8 {
        match self {
            Rating::VerySatisfied => 5,
            Rating::Satisfied => 4,
            Rating::BasicallySatisfied => 3,
            Rating::Dissatisfied => 2,
            Rating::VeryDissatisfied => 1,
        }
    }

    /// Its place in [`Rating::ALL`]: 0 for 非常满意 … 4 for 非常不满意.
    pub fn rank(self) -> usize {
        usize::from(5 - self.score())
    }

    pub fn from_score(score: u8) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.score() == score)
    }

    /// 差评 (不满意 and worse): the hall must follow up (整改、回访).
    pub fn needs_follow_up(self) -> bool {
        matches!(self, Rating::Dissatisfied | Rating::VeryDissatisfied)
    }
}

/// Why a rating is refused. Messages are shown to citizens.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RatingError {
    #[error("办结后才能评价")]
    NotDecided,
    #[error("本件已经评价过，每件只能评价一次")]
    AlreadyRated,
    #[error("评价内容不能超过 {MAX_COMMENT} 字，现有 {0} 字")]
    CommentTooLong(usize),
    #[error("评价内容含有不可见的控制字符")]
    BadComment,
    #[error("时间格式应为 YYYY-MM-DDTHH:MM:SS+08:00，收到“{0}”")]
    BadTimestamp(String),
    #[error("评价时间早于办结时间")]
    BeforeDecision,
}

/// One citizen's rating of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingRecord {
    pub level: Rating,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    pub at: String,
}

impl RatingRecord {
    /// Validates the comment (trimmed; empty means none; at most [`MAX_COMMENT`]
    /// characters; line breaks allowed, other control characters not) and the time.
    pub fn new(
        level: Rating,
        comment: Option<&str>,
        at: &str,
    ) -> Result<RatingRecord, RatingError> {
        if instant(at).is_none() {
            return Err(RatingError::BadTimestamp(at.to_string()));
        }
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        if let Some(c) = comment {
            let count = c.chars().count();
            if count > MAX_COMMENT {
                return Err(RatingError::CommentTooLong(count));
            }
            if c.chars()
                .any(|ch| ch.is_control() && ch != '\n' && ch != '\r')
            {
                return Err(RatingError::BadComment);
            }
        }
        Ok(RatingRecord {
            level,
            comment: comment.map(str::to_string),
            at: at.to_string(),
        })
    }

    pub fn needs_follow_up(&self) -> bool {
        self.level.needs_follow_up()
    }
}

/// Longest note of a follow-up call, in characters.
pub const MAX_FOLLOW_UP: usize = 500;

/// The hall calling a citizen back about a 差评 (回访): what came of it, and whether the
/// follow-up is done (a call nobody answered is recorded, and the rating still waits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub at: String,
    /// Who called (the staff member or system recording it).
    pub by: String,
    /// The staff account that recorded it at the desk (`None`: a back-office system).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    pub outcome: String,
    /// 回访完成: the citizen was reached and the matter handled or explained.
    pub done: bool,
}

/// Why a follow-up is refused. Messages are shown to staff.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FollowUpError {
    #[error("该办件没有需要回访的差评")]
    NothingToFollowUp,
    #[error("本件已回访完成")]
    AlreadyDone,
    #[error("请填写回访结果")]
    NoOutcome,
    #[error("回访结果不能超过 {MAX_FOLLOW_UP} 字，现有 {0} 字")]
    TooLong(usize),
    #[error("回访结果含有不可见的控制字符")]
    BadOutcome,
    #[error("时间格式应为 YYYY-MM-DDTHH:MM:SS+08:00，收到“{0}”")]
    BadTimestamp(String),
    #[error("回访时间早于评价时间")]
    BeforeRating,
}

#[cfg(test)]
mod rank_tests {
    use super::Rating;

    #[test]
    fn rank_is_the_place_in_all() {
        for (i, level) in Rating::ALL.into_iter().enumerate() {
            assert_eq!(level.rank(), i);
        }
    }
}
