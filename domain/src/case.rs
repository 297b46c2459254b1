//! Cases (办件): what was accepted, when it is due, and its progress as an append-only
//! list of events checked by a state machine; the citizen's rating (好差评) after 办结.
//!
//! The timeline: 受理 → 审查中 → 办结 (准予 / 不予) → 待领取 → 已领取, or → 已邮寄. Along
//! the way 补正 (more materials requested) stops the clock until 补正完成, and a case may
//! be 退回 (returned to the applicant) before it is decided.
//!
//! Timestamps are strings like `2025-09-26T10:15:00+08:00` (RFC 3339; seconds, fraction
//! and offset optional; no offset means Beijing time). Dates derived from them — the day
//! of acceptance, of a 补正 request — are Beijing dates ([`beijing_time`]).
//!
//! The applicant's name is kept only masked ([`mask_name`]); the query code that guards
//! lookups is not part of a case, so a case can be shown as it is.

use serde::{Deserialize, Serialize};

use crate::code::{CodeError, ItemCode};
use crate::date::Date;
use crate::item::{DayUnit, TimeLimit};
use crate::receipt::ReceiptNumber;
use crate::workdays::HolidayCalendar;

/// Longest free text in an event (reasons, places, notes).
pub const MAX_EVENT_TEXT: usize = 500;
/// Most materials one 补正 notice may list.
pub const MAX_MISSING: usize = 50;
/// Longest rating comment, in characters.
pub const MAX_COMMENT: usize = 300;
/// Longest tracking number.
pub const MAX_TRACKING: usize = 40;

const BEIJING_OFFSET: i64 = 8 * 3600;

fn two_digits(text: Option<&str>) -> Option<i64> {
    let text = text?;
    (text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Seconds since 1970-01-01 00:00 Beijing time, for ordering.
fn instant(at: &str) -> Option<i64> {
    let date = Date::parse(at.get(..10)?).ok()?;
    let rest = &at[10..];
    let mut seconds = 0i64;
    let mut offset = BEIJING_OFFSET;
    if !rest.is_empty() {
        let time = rest
            .strip_prefix('T')
            .or_else(|| rest.strip_prefix('t'))
            .or_else(|| rest.strip_prefix(' '))?;
        let hour = two_digits(time.get(0..2))?;
        if time.get(2..3)? != ":" {
            return None;
        }
        let minute = two_digits(time.get(3..5))?;
        let mut tail = &time[5..];
        let mut second = 0;
        if let Some(after) = tail.strip_prefix(':') {
            second = two_digits(after.get(0..2))?;
            tail = &after[2..];
            if let Some(fraction) = tail.strip_prefix('.') {
                let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
                if digits == 0 {
                    return None;
                }
                tail = &fraction[digits..];
            }
        }
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        seconds = hour * 3600 + minute * 60 + second;
        offset = match tail {
            "" => BEIJING_OFFSET,
            "Z" | "z" => 0,
            _ => {
                let sign = match tail.as_bytes()[0] {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return None,
                };
                let hours = two_digits(tail.get(1..3))?;
                let minutes = match tail.get(3..)? {
                    "" => 0,
                    m => two_digits(m.strip_prefix(':').or(Some(m)))?,
                };
                if hours > 14 || minutes > 59 {
                    return None;
                }
                sign * (hours * 3600 + minutes * 60)
            }
        };
    }
    Some(date.to_days() * 86_400 + seconds - offset + BEIJING_OFFSET)
}

/// The Beijing date and second of the day of a timestamp, or `None` if it is not one.
pub fn beijing_time(at: &str) -> Option<(Date, u32)> {
    let t = instant(at)?;
    Some((
        Date::from_days(t.div_euclid(86_400)),
        t.rem_euclid(86_400) as u32,
    ))
}

/// Masks a name for display: `张三明` → `张*明`, `李四` → `李*`, `欧阳娜娜` → `欧**娜`;
/// a single character is left as it is. Works by character, so ASCII names too
/// (`Tom` → `T*m`).
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.as_slice() {
        [] | [_] => chars.iter().collect(),
        [first, _] => format!("{first}*"),
        [first, middle @ .., last] => format!("{first}{}{last}", "*".repeat(middle.len())),
    }
}

/// How the result reaches the applicant (送达方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// 窗口领取
    Window,
    /// 邮寄送达
    Post,
}

impl Delivery {
    pub fn label(self) -> &'static str {
        match self {
            Delivery::Window => "窗口领取",
            Delivery::Post => "邮寄送达",
        }
    }
}

/// What happened to a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// 受理: the first event of every case.
    Accepted,
    /// 审查中 (审核、审批 …; the step goes in the note).
    Reviewing,
    /// 补正: more materials requested; the clock stops.
    CorrectionRequested { missing: Vec<String> },
    /// 补正完成: the clock resumes the next day.
    CorrectionDone,
    /// 办结（准予）.
    Approved,
    /// 办结（不予）.
    Rejected { reason: String },
    /// 待领取 at a window.
    ReadyForPickup { place: String },
    /// 已邮寄, with the carrier and tracking number.
    Mailed { carrier: String, tracking: String },
    /// 已领取.
    PickedUp,
    /// 退回: the application is returned before a decision.
    Returned { reason: String },
}

impl EventKind {
    /// Short label of the step, for the timeline.
    pub fn label(&self) -> &'static str {
        match self {
            EventKind::Accepted => "受理",
            EventKind::Reviewing => "审查中",
            EventKind::CorrectionRequested { .. } => "补正通知",
            EventKind::CorrectionDone => "补正完成",
            EventKind::Approved => "办结（准予）",
            EventKind::Rejected { .. } => "办结（不予）",
            EventKind::ReadyForPickup { .. } => "待领取",
            EventKind::Mailed { .. } => "已邮寄",
            EventKind::PickedUp => "已领取",
            EventKind::Returned { .. } => "退回",
        }
    }

    /// The status a case is in right after this event.
    pub fn status(&self) -> CaseStatus {
        match self {
            EventKind::Accepted => CaseStatus::Accepted,
            EventKind::Reviewing => CaseStatus::Reviewing,
            EventKind::CorrectionRequested { .. } => CaseStatus::Correcting,
            EventKind::CorrectionDone => CaseStatus::Corrected,
            EventKind::Approved => CaseStatus::Approved,
            EventKind::Rejected { .. } => CaseStatus::Rejected,
            EventKind::ReadyForPickup { .. } => CaseStatus::ReadyForPickup,
            EventKind::Mailed { .. } => CaseStatus::Mailed,
            EventKind::PickedUp => CaseStatus::PickedUp,
            EventKind::Returned { .. } => CaseStatus::Returned,
        }
    }

    fn is_decision(&self) -> bool {
        matches!(self, EventKind::Approved | EventKind::Rejected { .. })
    }
}

/// One recorded event: never edited, only appended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEvent {
    /// When it happened (timestamp, see the module docs).
    pub at: String,
    pub kind: EventKind,
    /// Who recorded it: the staff member or the back-office system.
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl CaseEvent {
    pub fn new(at: impl Into<String>, kind: EventKind, by: impl Into<String>) -> CaseEvent {
        CaseEvent {
            at: at.into(),
            kind,
            by: by.into(),
            note: None,
        }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> CaseEvent {
        self.note = Some(note.into());
        self
    }

    /// The Beijing date of the event.
    pub fn date(&self) -> Option<Date> {
        beijing_time(&self.at).map(|(d, _)| d)
    }
}

/// Where a case stands: the status after its last event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Accepted,
    Reviewing,
    /// Waiting for the applicant's materials; the clock is stopped.
    Correcting,
    /// Materials complete, review continues.
    Corrected,
    Approved,
    Rejected,
    ReadyForPickup,
    Mailed,
    PickedUp,
    Returned,
}

impl CaseStatus {
    /// What the citizen reads.
    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::Accepted => "已受理",
            CaseStatus::Reviewing => "审查中",
            CaseStatus::Correcting => "待补正（办理时限暂停）",
            CaseStatus::Corrected => "已补正，审查中",
            CaseStatus::Approved => "已办结（准予）",
            CaseStatus::Rejected => "已办结（不予）",
            CaseStatus::ReadyForPickup => "待领取",
            CaseStatus::Mailed => "已邮寄",
            CaseStatus::PickedUp => "已领取",
            CaseStatus::Returned => "已退回",
        }
    }

    /// No further event can be recorded.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            CaseStatus::Mailed | CaseStatus::PickedUp | CaseStatus::Returned
        )
    }

    /// Still being handled: review steps, 补正 and a decision are possible.
    fn is_open(self) -> bool {
        matches!(
            self,
            CaseStatus::Accepted | CaseStatus::Reviewing | CaseStatus::Corrected
        )
    }
}

/// Why an event (or a new case) is refused. Messages are shown to staff.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("办件尚未受理：第一条记录必须是“受理”")]
    NotAccepted,
    #[error("办件已受理，不能重复受理")]
    AlreadyAccepted,
    #[error("办件已结束（{}），不能再登记新的进度", .status.label())]
    Closed { status: CaseStatus },
    #[error("补正尚未完成（办理时限暂停中），不能登记“{event}”；请先登记补正完成，或退回")]
    CorrectionOpen { event: &'static str },
    #[error("没有未完成的补正通知，不能登记“补正完成”")]
    NoOpenCorrection,
    #[error("尚未办结（准予或不予），不能登记“{event}”")]
    NotDecided { event: &'static str },
    #[error("办件已办结，不能再登记“{event}”")]
    AlreadyDecided { event: &'static str },
    #[error("本件约定{}，不能登记“{event}”", .delivery.label())]
    WrongDelivery {
        event: &'static str,
        delivery: Delivery,
    },
    #[error("当前状态为“{}”，不能登记“{event}”", .from.label())]
    Invalid {
        from: CaseStatus,
        event: &'static str,
    },
    #[error("请填写{0}")]
    Missing(&'static str),
    #[error("{field}不能超过 {max} 字")]
    TooLong { field: &'static str, max: usize },
    #[error("补正通知最多列 {MAX_MISSING} 项材料")]
    TooManyMissing,
    #[error("快递单号只能包含字母、数字和短横线，最长 {MAX_TRACKING} 位，收到“{0}”")]
    BadTracking(String),
    #[error("时间格式应为 YYYY-MM-DDTHH:MM:SS+08:00，收到“{0}”")]
    BadTimestamp(String),
    #[error("记录时间 {at} 早于上一条记录的时间 {previous}")]
    OutOfOrder { at: String, previous: String },
    #[error("事项编码有误：{0}")]
    ItemCode(#[from] CodeError),
}

fn need(field: &'static str, value: &str, max: usize) -> Result<(), TransitionError> {
    if value.trim().is_empty() {
        Err(TransitionError::Missing(field))
    } else if value.chars().count() > max {
        Err(TransitionError::TooLong { field, max })
    } else {
        Ok(())
    }
}

fn check_fields(event: &CaseEvent) -> Result<(), TransitionError> {
    need("经办人", &event.by, 100)?;
    if let Some(note) = &event.note {
        need("备注", note, MAX_EVENT_TEXT)?;
    }
    match &event.kind {
        EventKind::CorrectionRequested { missing } => {
            if missing.is_empty() {
                return Err(TransitionError::Missing("需补正的材料"));
            }
            if missing.len() > MAX_MISSING {
                return Err(TransitionError::TooManyMissing);
            }
            for m in missing {
                need("需补正的材料", m, 200)?;
            }
        }
        EventKind::Rejected { reason } => need("不予办理的理由", reason, MAX_EVENT_TEXT)?,
        EventKind::Returned { reason } => need("退回理由", reason, MAX_EVENT_TEXT)?,
        EventKind::ReadyForPickup { place } => need("领取地点", place, MAX_EVENT_TEXT)?,
        EventKind::Mailed { carrier, tracking } => {
            need("快递公司", carrier, 50)?;
            need("快递单号", tracking, MAX_TRACKING)?;
            if !tracking
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            {
                return Err(TransitionError::BadTracking(tracking.clone()));
            }
        }
        EventKind::Accepted
        | EventKind::Reviewing
        | EventKind::CorrectionDone
        | EventKind::Approved
        | EventKind::PickedUp => {}
    }
    Ok(())
}

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

/// What the window enters to accept an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub number: ReceiptNumber,
    pub item_code: String,
    pub item_version: u32,
    pub item_name: String,
    pub hall: String,
    pub window: String,
    /// Timestamp of acceptance.
    pub accepted_at: String,
    pub promised_limit: TimeLimit,
    pub delivery: Delivery,
    /// Full name as on the application; only its masked form is kept.
    pub applicant_name: String,
    /// Who accepted it.
    pub by: String,
}

/// What a due date is computed from. Kept with a hall's list row too, so the row follows
/// a holiday calendar update without asking the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueClock {
    /// Day of acceptance (Beijing).
    pub accepted: Date,
    pub limit: TimeLimit,
    /// Completed 补正 pauses (request day, completion day].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pauses: Vec<(Date, Date)>,
    /// Day of the 补正 request still open, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused_since: Option<Date>,
}

impl DueClock {
    /// Pauses including the open one, counted up to `today`.
    fn pauses_until(&self, today: Date) -> Vec<(Date, Date)> {
        let mut pauses = self.pauses.clone();
        if let Some(start) = self.paused_since {
            pauses.push((start, today.max(start)));
        }
        pauses
    }

    /// The due date as of `today`: an open 补正 pushes it back by the days so far.
    pub fn due_as_of(&self, today: Date, calendar: &HolidayCalendar) -> Date {
        calendar.due_date(self.accepted, self.limit, &self.pauses_until(today))
    }

    /// A working-day `due` that reaches into a year the calendar does not cover.
    pub fn is_estimate(&self, due: Date, calendar: &HolidayCalendar) -> bool {
        self.limit.unit == DayUnit::WorkingDays
            && !calendar.uncovered_years(self.accepted, due).is_empty()
    }
}

/// A case (办件).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// Receipt number, compact form ([`ReceiptNumber::as_compact`]).
    pub number: String,
    pub item_code: String,
    /// Version of the item's guide the case was accepted under.
    pub item_version: u32,
    pub item_name: String,
    pub hall: String,
    pub window: String,
    /// Timestamp of acceptance.
    pub accepted_at: String,
    /// Promised due date, 补正 pauses included ([`Case::recompute_due`]).
    pub due: Date,
    pub promised_limit: TimeLimit,
    pub delivery: Delivery,
    pub applicant_masked: String,
    #[serde(default)]
    pub events: Vec<CaseEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<RatingRecord>,
}

impl Case {
    /// Accepts an application: validates it, masks the name, computes the due date and
    /// records the 受理 event.
    pub fn open(new: NewCase, calendar: &HolidayCalendar) -> Result<Case, TransitionError> {
        let code = ItemCode::parse(&new.item_code)?;
        need("事项名称", &new.item_name, 200)?;
        need("受理大厅", &new.hall, 200)?;
        need("受理窗口", &new.window, 200)?;
        need("申请人姓名", &new.applicant_name, 100)?;
        if new.item_version == 0 {
            return Err(TransitionError::Missing("事项版本号"));
        }
        let (accepted, _) = beijing_time(&new.accepted_at)
            .ok_or_else(|| TransitionError::BadTimestamp(new.accepted_at.clone()))?;
        let mut case = Case {
            number: new.number.as_compact().to_string(),
            item_code: code.as_str().to_string(),
            item_version: new.item_version,
            item_name: new.item_name.trim().to_string(),
            hall: new.hall.trim().to_string(),
            window: new.window.trim().to_string(),
            accepted_at: new.accepted_at.clone(),
            due: calendar.due_date(accepted, new.promised_limit, &[]),
            promised_limit: new.promised_limit,
            delivery: new.delivery,
            applicant_masked: mask_name(&new.applicant_name),
            events: Vec::new(),
            rating: None,
        };
        case.append(CaseEvent::new(new.accepted_at, EventKind::Accepted, new.by))?;
        Ok(case)
    }

    /// The receipt number, if `number` holds a valid one.
    pub fn receipt_number(&self) -> Option<ReceiptNumber> {
        ReceiptNumber::parse(&self.number).ok()
    }

    /// The Beijing date of acceptance.
    pub fn accepted_date(&self) -> Option<Date> {
        beijing_time(&self.accepted_at).map(|(d, _)| d)
    }

    fn check_transition(&self, event: &CaseEvent) -> Result<(), TransitionError> {
        use CaseStatus as S;
        use EventKind as K;
        let label = event.kind.label();
        let Some(current) = self.events.last().map(|e| e.kind.status()) else {
            return match event.kind {
                K::Accepted => Ok(()),
                _ => Err(TransitionError::NotAccepted),
            };
        };
        if current.is_closed() {
            return Err(TransitionError::Closed { status: current });
        }
        let wrong_delivery = match self.delivery {
            Delivery::Window => matches!(event.kind, K::Mailed { .. }),
            Delivery::Post => matches!(event.kind, K::ReadyForPickup { .. } | K::PickedUp),
        };
        if wrong_delivery {
            return Err(TransitionError::WrongDelivery {
                event: label,
                delivery: self.delivery,
            });
        }
        let decided = matches!(current, S::Approved | S::Rejected);
        match &event.kind {
            K::Accepted => Err(TransitionError::AlreadyAccepted),
            K::Reviewing
            | K::CorrectionRequested { .. }
            | K::Approved
            | K::Rejected { .. }
            | K::Returned { .. }
                if current.is_open() =>
            {
                Ok(())
            }
            K::CorrectionDone | K::Returned { .. } if current == S::Correcting => Ok(()),
            K::CorrectionDone => Err(TransitionError::NoOpenCorrection),
            _ if current == S::Correcting => Err(TransitionError::CorrectionOpen { event: label }),
            K::ReadyForPickup { .. } | K::Mailed { .. } | K::PickedUp if decided => Ok(()),
            K::PickedUp if current == S::ReadyForPickup => Ok(()),
            K::ReadyForPickup { .. } | K::Mailed { .. } | K::PickedUp if current.is_open() => {
                Err(TransitionError::NotDecided { event: label })
            }
            K::Reviewing
            | K::CorrectionRequested { .. }
            | K::Approved
            | K::Rejected { .. }
            | K::Returned { .. } => Err(TransitionError::AlreadyDecided { event: label }),
            _ => Err(TransitionError::Invalid {
                from: current,
                event: label,
            }),
        }
    }

    /// Records an event if the state machine allows it from the current status and its
    /// fields and time are valid; otherwise nothing changes.
    ///
    /// After a 补正完成 the due date moves: call [`Case::recompute_due`], or use
    /// [`Case::record`], which does both.
    pub fn append(&mut self, event: CaseEvent) -> Result<(), TransitionError> {
        self.check_transition(&event)?;
        check_fields(&event)?;
        let at =
            instant(&event.at).ok_or_else(|| TransitionError::BadTimestamp(event.at.clone()))?;
        let previous = self.events.last().map_or(&self.accepted_at, |e| &e.at);
        if instant(previous).is_some_and(|p| at < p) {
            return Err(TransitionError::OutOfOrder {
                at: event.at.clone(),
                previous: previous.clone(),
            });
        }
        self.events.push(event);
        Ok(())
    }

    /// [`Case::append`] then [`Case::recompute_due`].
    pub fn record(
        &mut self,
        event: CaseEvent,
        calendar: &HolidayCalendar,
    ) -> Result<(), TransitionError> {
        self.append(event)?;
        self.recompute_due(calendar);
        Ok(())
    }

    /// Replays the events through the state machine: for cases read from storage.
    pub fn check(&self) -> Result<(), TransitionError> {
        if self.accepted_date().is_none() {
            return Err(TransitionError::BadTimestamp(self.accepted_at.clone()));
        }
        if self.events.is_empty() {
            return Err(TransitionError::NotAccepted);
        }
        let mut replay = Case {
            events: Vec::with_capacity(self.events.len()),
            rating: None,
            ..self.clone()
        };
        for event in &self.events {
            replay.append(event.clone())?;
        }
        Ok(())
    }

    /// The current step.
    pub fn status(&self) -> CaseStatus {
        self.events
            .last()
            .map_or(CaseStatus::Accepted, |e| e.kind.status())
    }

    /// No further event can be recorded (已邮寄, 已领取, 已退回).
    pub fn is_closed(&self) -> bool {
        self.status().is_closed()
    }

    /// 办结 reached (准予 or 不予): the clock has stopped for good and rating is open.
    pub fn is_decided(&self) -> bool {
        self.decision().is_some()
    }

    /// The 办结 event, if any.
    pub fn decision(&self) -> Option<&CaseEvent> {
        self.events.iter().find(|e| e.kind.is_decision())
    }

    /// Waiting for 补正: the clock is stopped.
    pub fn is_paused(&self) -> bool {
        self.status() == CaseStatus::Correcting
    }

    /// Date of the 补正 request still waiting for its 补正完成.
    pub fn open_correction(&self) -> Option<Date> {
        match self.events.last() {
            Some(
                e @ CaseEvent {
                    kind: EventKind::CorrectionRequested { .. },
                    ..
                },
            ) => e.date(),
            _ => None,
        }
    }

    /// Completed 补正 pauses as (request date, completion date): the clock stood still on
    /// the days after the request up to and including the completion.
    pub fn paused_intervals(&self) -> Vec<(Date, Date)> {
        let mut out = Vec::new();
        let mut start = None;
        for e in &self.events {
            match e.kind {
                EventKind::CorrectionRequested { .. } => start = e.date(),
                EventKind::CorrectionDone => {
                    if let (Some(s), Some(end)) = (start.take(), e.date()) {
                        out.push((s, end));
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// What the due date is computed from: acceptance, the promise and the 补正 pauses.
    pub fn clock(&self) -> Option<DueClock> {
        Some(DueClock {
            accepted: self.accepted_date()?,
            limit: self.promised_limit,
            pauses: self.paused_intervals(),
            paused_since: self.open_correction(),
        })
    }

    /// Sets `due` from the acceptance date, the promised limit and the completed pauses,
    /// with this calendar (call it after a 补正完成 or a calendar update). Returns it.
    pub fn recompute_due(&mut self, calendar: &HolidayCalendar) -> Date {
        if let Some(accepted) = self.accepted_date() {
            self.due = calendar.due_date(accepted, self.promised_limit, &self.paused_intervals());
        }
        self.due
    }

    /// The due date as of `today` with this calendar: while 补正 is open, the
    /// clock-stopped days so far push it back.
    pub fn effective_due(&self, today: Date, calendar: &HolidayCalendar) -> Date {
        self.clock()
            .map(|clock| clock.due_as_of(today, calendar))
            .unwrap_or(self.due)
    }

    /// Days of the promised limit used up by the end of `today` (or by 办结), in the
    /// limit's unit, 补正 pauses excluded. Compare with `promised_limit.value`.
    pub fn days_used(&self, today: Date, calendar: &HolidayCalendar) -> u32 {
        let Some(clock) = self.clock() else {
            return 0;
        };
        let end = match self.decision().and_then(CaseEvent::date) {
            Some(decided) => decided.min(today),
            None => today,
        };
        calendar.elapsed(
            clock.accepted,
            end,
            clock.limit.unit,
            &clock.pauses_until(end),
        )
    }

    /// Still being handled (not 办结, not 退回) and `today` is past the due date
    /// ([`Case::effective_due`], so open 补正 days do not count).
    pub fn is_overdue(&self, today: Date, calendar: &HolidayCalendar) -> bool {
        !self.is_decided() && !self.is_closed() && today > self.effective_due(today, calendar)
    }

    /// The due date as of `today` reaches into a year without an official holiday
    /// schedule: it was counted with weekends only and moves when the notice is entered.
    pub fn due_is_estimate(&self, today: Date, calendar: &HolidayCalendar) -> bool {
        self.clock()
            .is_some_and(|clock| clock.is_estimate(clock.due_as_of(today, calendar), calendar))
    }

    /// The citizen's rating: only after 办结, only once.
    pub fn rate(
        &mut self,
        level: Rating,
        comment: Option<&str>,
        at: &str,
    ) -> Result<(), RatingError> {
        let decision = self.decision().ok_or(RatingError::NotDecided)?;
        if self.rating.is_some() {
            return Err(RatingError::AlreadyRated);
        }
        let record = RatingRecord::new(level, comment, at)?;
        if let (Some(rated), Some(decided)) = (instant(at), instant(&decision.at)) {
            if rated < decided {
                return Err(RatingError::BeforeDecision);
            }
        }
        self.rating = Some(record);
        Ok(())
    }

    /// Rated 不满意 or worse: the hall must follow up.
    pub fn needs_follow_up(&self) -> bool {
        self.rating
            .as_ref()
            .is_some_and(RatingRecord::needs_follow_up)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::receipt::ReceiptNumber;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn cal() -> HolidayCalendar {
        HolidayCalendar::builtin()
    }

    fn number() -> ReceiptNumber {
        ReceiptNumber::generate(&[0x5A; 16])
    }

    /// Accepted Friday 2025-09-26 10:15, 5 working days: 9-28 (调休 Sunday), 9-29, 9-30,
    /// 10-9, 10-10 → due 2025-10-10.
    fn new_case(delivery: Delivery) -> NewCase {
        NewCase {
            number: number(),
            item_code: "11411523005012345x-000201001".to_string(),
            item_version: 3,
            item_name: "个体工商户设立登记".to_string(),
            hall: "新县政务服务中心".to_string(),
            window: "商事登记专区 3号窗口".to_string(),
            accepted_at: "2025-09-26T10:15:00+08:00".to_string(),
            promised_limit: TimeLimit {
                value: 5,
                unit: DayUnit::WorkingDays,
            },
            delivery,
            applicant_name: " 张三明 ".to_string(),
            by: "王芳".to_string(),
        }
    }

    fn open(delivery: Delivery) -> Case {
        Case::open(new_case(delivery), &cal()).unwrap()
    }

    fn ev(at: &str, kind: EventKind) -> CaseEvent {
        CaseEvent::new(at, kind, "王芳")
    }

    fn correction(at: &str) -> CaseEvent {
        ev(
            at,
            EventKind::CorrectionRequested {
                missing: vec!["经营场所使用证明".to_string()],
            },
        )
    }

    fn mailed(at: &str) -> CaseEvent {
        ev(
            at,
            EventKind::Mailed {
                carrier: "中国邮政EMS".to_string(),
                tracking: "1187654321098".to_string(),
            },
        )
    }

    fn pickup_ready(at: &str) -> CaseEvent {
        ev(
            at,
            EventKind::ReadyForPickup {
                place: "一楼综合出件窗口".to_string(),
            },
        )
    }

    #[test]
    fn masks_names() {
        assert_eq!(mask_name("张三明"), "张*明");
        assert_eq!(mask_name("李四"), "李*");
        assert_eq!(mask_name("王"), "王");
        assert_eq!(mask_name("欧阳娜娜"), "欧**娜");
        assert_eq!(mask_name("买买提·艾力"), "买****力");
        assert_eq!(mask_name("Tom"), "T*m");
        assert_eq!(mask_name("Li"), "L*");
        assert_eq!(mask_name("John Smith"), "J********h");
        assert_eq!(mask_name("  张三明 "), "张*明");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn parses_timestamps_as_beijing_time() {
        assert_eq!(
            beijing_time("2025-09-26T10:15:00+08:00"),
            Some((d("2025-09-26"), 36_900))
        );
        assert_eq!(beijing_time("2025-09-26"), Some((d("2025-09-26"), 0)));
        assert_eq!(
            beijing_time("2025-09-26 10:15"),
            Some((d("2025-09-26"), 36_900))
        );
        // 20:00 UTC on 9-30 is 04:00 on 10-1 in Beijing.
        assert_eq!(
            beijing_time("2025-09-30T20:00:00.123Z"),
            Some((d("2025-10-01"), 4 * 3600))
        );
        assert_eq!(
            beijing_time("2025-09-30T20:00:00-0100"),
            Some((d("2025-10-01"), 5 * 3600))
        );
        for bad in [
            "",
            "2025-09-31",
            "2025-09-26T",
            "2025-09-26T25:00",
            "2025-09-26T10:15:00+8",
            "2025-09-26T10:15:00.",
            "2025-09-26x10:15",
            "昨天下午",
        ] {
            assert_eq!(beijing_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn opening_a_case_accepts_masks_and_sets_the_due_date() {
        let case = open(Delivery::Window);
        assert_eq!(case.number, number().as_compact());
        assert_eq!(case.receipt_number(), Some(number()));
        assert_eq!(case.item_code, "11411523005012345X-000201001");
        assert_eq!(case.applicant_masked, "张*明");
        assert_eq!(case.accepted_date(), Some(d("2025-09-26")));
        assert_eq!(case.due, d("2025-10-10"));
        assert_eq!(case.events.len(), 1);
        assert_eq!(case.events[0].kind, EventKind::Accepted);
        assert_eq!(case.events[0].by, "王芳");
        assert_eq!(case.status(), CaseStatus::Accepted);
        assert_eq!(case.status().label(), "已受理");
        assert!(!case.is_decided() && !case.is_closed() && !case.is_paused());
        assert!(case.check().is_ok());
        assert!(!case.due_is_estimate(d("2025-09-26"), &cal()));

        let mut bad = new_case(Delivery::Window);
        bad.accepted_at = "2025/09/26".to_string();
        assert!(matches!(
            Case::open(bad, &cal()),
            Err(TransitionError::BadTimestamp(_))
        ));
        let mut bad = new_case(Delivery::Window);
        bad.applicant_name = "  ".to_string();
        assert_eq!(
            Case::open(bad, &cal()),
            Err(TransitionError::Missing("申请人姓名"))
        );
        let mut bad = new_case(Delivery::Window);
        bad.item_code = "12<3".to_string();
        assert!(matches!(
            Case::open(bad, &cal()),
            Err(TransitionError::ItemCode(_))
        ));
        let mut instant_item = new_case(Delivery::Window);
        instant_item.promised_limit.value = 0;
        assert_eq!(
            Case::open(instant_item, &cal()).unwrap().due,
            d("2025-09-26")
        );
    }

    #[test]
    fn window_path_to_pickup_then_closed() {
        let mut case = open(Delivery::Window);
        case.append(ev("2025-09-28T09:00:00+08:00", EventKind::Reviewing).with_note("审核"))
            .unwrap();
        case.append(ev("2025-09-29T09:00:00+08:00", EventKind::Reviewing).with_note("审批"))
            .unwrap();
        assert_eq!(case.status(), CaseStatus::Reviewing);
        case.append(ev("2025-09-30T16:00:00+08:00", EventKind::Approved))
            .unwrap();
        assert!(case.is_decided());
        assert!(!case.is_closed());
        assert_eq!(case.status().label(), "已办结（准予）");
        case.append(pickup_ready("2025-09-30T16:30:00+08:00"))
            .unwrap();
        assert_eq!(
            case.append(pickup_ready("2025-09-30T16:40:00+08:00")),
            Err(TransitionError::Invalid {
                from: CaseStatus::ReadyForPickup,
                event: "待领取"
            })
        );
        assert_eq!(
            case.append(ev("2025-10-09T09:00:00+08:00", EventKind::Reviewing)),
            Err(TransitionError::AlreadyDecided { event: "审查中" })
        );
        case.append(ev("2025-10-09T09:00:00+08:00", EventKind::PickedUp))
            .unwrap();
        assert!(case.is_closed());
        assert_eq!(case.status().label(), "已领取");
        for late in [
            ev("2025-10-10T09:00:00+08:00", EventKind::Reviewing),
            ev("2025-10-10T09:00:00+08:00", EventKind::PickedUp),
            ev(
                "2025-10-10T09:00:00+08:00",
                EventKind::Returned {
                    reason: "x".to_string(),
                },
            ),
        ] {
            let err = case.append(late).unwrap_err();
            assert_eq!(
                err,
                TransitionError::Closed {
                    status: CaseStatus::PickedUp
                }
            );
            assert_eq!(err.to_string(), "办件已结束（已领取），不能再登记新的进度");
        }
        assert_eq!(case.events.len(), 6);
        assert!(case.check().is_ok());
    }

    #[test]
    fn window_results_can_be_handed_over_directly_and_rejections_delivered_too() {
        let mut case = open(Delivery::Window);
        case.append(ev(
            "2025-09-26T11:00:00+08:00",
            EventKind::Rejected {
                reason: "经营范围属于禁止类".to_string(),
            },
        ))
        .unwrap();
        assert!(case.is_decided());
        assert_eq!(case.status().label(), "已办结（不予）");
        case.append(ev("2025-09-26T11:05:00+08:00", EventKind::PickedUp))
            .unwrap();
        assert!(case.is_closed());
    }

    #[test]
    fn post_path_and_delivery_mismatches() {
        let mut case = open(Delivery::Post);
        let err = case
            .append(mailed("2025-09-29T09:00:00+08:00"))
            .unwrap_err();
        assert_eq!(err, TransitionError::NotDecided { event: "已邮寄" });
        assert_eq!(err.to_string(), "尚未办结（准予或不予），不能登记“已邮寄”");
        assert_eq!(
            case.append(pickup_ready("2025-09-29T09:00:00+08:00")),
            Err(TransitionError::WrongDelivery {
                event: "待领取",
                delivery: Delivery::Post
            })
        );
        case.append(ev("2025-09-29T10:00:00+08:00", EventKind::Approved))
            .unwrap();
        assert_eq!(
            case.append(ev("2025-09-29T10:00:00+08:00", EventKind::PickedUp)),
            Err(TransitionError::WrongDelivery {
                event: "已领取",
                delivery: Delivery::Post
            })
        );
        case.append(mailed("2025-09-29T15:00:00+08:00")).unwrap();
        assert_eq!(case.status(), CaseStatus::Mailed);
        assert!(case.is_closed());
        assert_eq!(
            case.append(mailed("2025-09-30T15:00:00+08:00")),
            Err(TransitionError::Closed {
                status: CaseStatus::Mailed
            })
        );

        let mut window = open(Delivery::Window);
        window
            .append(ev("2025-09-29T10:00:00+08:00", EventKind::Approved))
            .unwrap();
        let err = window
            .append(mailed("2025-09-29T15:00:00+08:00"))
            .unwrap_err();
        assert_eq!(
            err,
            TransitionError::WrongDelivery {
                event: "已邮寄",
                delivery: Delivery::Window
            }
        );
        assert_eq!(err.to_string(), "本件约定窗口领取，不能登记“已邮寄”");
        // Pickup before the decision.
        let mut early = open(Delivery::Window);
        assert_eq!(
            early.append(pickup_ready("2025-09-27T09:00:00+08:00")),
            Err(TransitionError::NotDecided { event: "待领取" })
        );
        assert_eq!(
            early.append(ev("2025-09-27T09:00:00+08:00", EventKind::PickedUp)),
            Err(TransitionError::NotDecided { event: "已领取" })
        );
    }

    #[test]
    fn correction_stops_the_clock_until_done() {
        let calendar = cal();
        let mut case = open(Delivery::Window);
        assert_eq!(
            case.append(ev("2025-09-28T09:00:00+08:00", EventKind::CorrectionDone)),
            Err(TransitionError::NoOpenCorrection)
        );
        // Requested Monday 9-29 (after 9-28 and 9-29 were used: 2 of 5 days).
        case.record(correction("2025-09-29T11:00:00+08:00"), &calendar)
            .unwrap();
        assert!(case.is_paused());
        assert_eq!(case.status().label(), "待补正（办理时限暂停）");
        assert_eq!(case.open_correction(), Some(d("2025-09-29")));
        for blocked in [
            ev("2025-09-30T09:00:00+08:00", EventKind::Approved),
            ev("2025-09-30T09:00:00+08:00", EventKind::Reviewing),
            correction("2025-09-30T09:00:00+08:00"),
        ] {
            let label = blocked.kind.label();
            assert_eq!(
                case.append(blocked),
                Err(TransitionError::CorrectionOpen { event: label })
            );
        }
        // While paused: days used stay at 2 and the case is never overdue.
        assert_eq!(case.days_used(d("2025-10-20"), &calendar), 2);
        assert!(!case.is_overdue(d("2025-10-20"), &calendar));
        assert_eq!(case.paused_intervals(), vec![]);

        // Done Thursday 10-9: paused working days 9-30 and 10-9 → due moves from 10-10 by
        // two working days: 10-10 (3), Saturday 10-11 调休 (4), Monday 10-13 (5).
        case.record(
            ev("2025-10-09T15:00:00+08:00", EventKind::CorrectionDone),
            &calendar,
        )
        .unwrap();
        assert_eq!(case.status(), CaseStatus::Corrected);
        assert_eq!(
            case.paused_intervals(),
            vec![(d("2025-09-29"), d("2025-10-09"))]
        );
        assert_eq!(case.due, d("2025-10-13"));
        assert_eq!(
            case.append(ev("2025-10-09T16:00:00+08:00", EventKind::CorrectionDone)),
            Err(TransitionError::NoOpenCorrection)
        );
        assert_eq!(case.days_used(d("2025-10-10"), &calendar), 3);
        assert!(!case.is_overdue(d("2025-10-13"), &calendar));
        assert!(case.is_overdue(d("2025-10-14"), &calendar));

        // A second round of 补正 is allowed after the first is done.
        case.record(correction("2025-10-10T09:00:00+08:00"), &calendar)
            .unwrap();
        case.record(
            ev(
                "2025-10-10T17:00:00+08:00",
                EventKind::Returned {
                    reason: "申请人撤回申请".to_string(),
                },
            ),
            &calendar,
        )
        .unwrap();
        assert!(case.is_closed());
        assert!(!case.is_decided());
        assert!(!case.is_overdue(d("2025-12-01"), &calendar));
        assert!(case.check().is_ok());
    }

    #[test]
    fn overdue_and_days_used_against_the_promise() {
        let calendar = cal();
        let mut case = open(Delivery::Window);
        // Due 10-10; during the holiday nothing is used.
        assert_eq!(case.days_used(d("2025-09-30"), &calendar), 3);
        assert_eq!(case.days_used(d("2025-10-08"), &calendar), 3);
        assert_eq!(case.days_used(d("2025-10-10"), &calendar), 5);
        assert!(!case.is_overdue(d("2025-10-10"), &calendar));
        assert!(case.is_overdue(d("2025-10-11"), &calendar));
        assert_eq!(case.days_used(d("2025-10-13"), &calendar), 7);
        // Decided late: no longer "overdue" (the timeline shows when it was decided), and
        // days used stop at the decision.
        case.append(ev("2025-10-13T10:00:00+08:00", EventKind::Approved))
            .unwrap();
        assert!(!case.is_overdue(d("2025-10-20"), &calendar));
        assert_eq!(case.days_used(d("2025-10-20"), &calendar), 7);

        // A calendar-day limit counts every day.
        let mut new = new_case(Delivery::Window);
        new.promised_limit = TimeLimit {
            value: 10,
            unit: DayUnit::CalendarDays,
        };
        let case = Case::open(new, &calendar).unwrap();
        assert_eq!(case.due, d("2025-10-06"));
        assert_eq!(case.days_used(d("2025-10-03"), &calendar), 7);
        assert!(case.is_overdue(d("2025-10-07"), &calendar));
    }

    #[test]
    fn due_dates_past_the_known_years_are_flagged_as_estimates() {
        let calendar = cal();
        let mut new = new_case(Delivery::Window);
        new.accepted_at = "2026-12-15T09:00:00+08:00".to_string();
        new.promised_limit.value = 20;
        let case = Case::open(new, &calendar).unwrap();
        // 2026: the notice; 2027: weekends and the law's 元旦 (1-1) only, for now.
        assert_eq!(case.due, d("2027-01-13"));
        let today = d("2026-12-15");
        assert!(case.due_is_estimate(today, &calendar));

        // Staff enter that year (test-only dates, not a real notice): the due date is
        // counted with it from then on and is no longer an estimate.
        let mut entered = calendar.clone();
        entered
            .insert_year(
                2027,
                crate::workdays::test_schedule((4..=8).map(|day| Date::new(2027, 1, day).unwrap())),
            )
            .unwrap();
        assert_eq!(case.effective_due(today, &entered), d("2027-01-19"));
        assert!(!case.due_is_estimate(today, &entered));
        let mut stored = case.clone();
        assert_eq!(stored.recompute_due(&entered), d("2027-01-19"));
    }

    #[test]
    fn refuses_malformed_events_and_out_of_order_times() {
        let mut case = open(Delivery::Post);
        assert_eq!(
            case.append(ev("2025-09-26T09:00:00+08:00", EventKind::Accepted)),
            Err(TransitionError::AlreadyAccepted)
        );
        assert_eq!(
            case.append(ev(
                "2025-09-29T09:00:00+08:00",
                EventKind::CorrectionRequested { missing: vec![] }
            )),
            Err(TransitionError::Missing("需补正的材料"))
        );
        assert_eq!(
            case.append(ev(
                "2025-09-29T09:00:00+08:00",
                EventKind::Rejected {
                    reason: " ".to_string()
                }
            )),
            Err(TransitionError::Missing("不予办理的理由"))
        );
        assert_eq!(
            case.append(CaseEvent::new(
                "2025-09-29T09:00:00+08:00",
                EventKind::Reviewing,
                ""
            )),
            Err(TransitionError::Missing("经办人"))
        );
        assert_eq!(
            case.append(
                ev("2025-09-29T09:00:00+08:00", EventKind::Reviewing).with_note("长".repeat(501))
            ),
            Err(TransitionError::TooLong {
                field: "备注",
                max: MAX_EVENT_TEXT
            })
        );
        assert!(matches!(
            case.append(ev("下周一", EventKind::Reviewing)),
            Err(TransitionError::BadTimestamp(_))
        ));
        let err = case
            .append(ev("2025-09-26T10:14:59+08:00", EventKind::Reviewing))
            .unwrap_err();
        assert!(matches!(err, TransitionError::OutOfOrder { .. }));
        // The same instant written in UTC is fine; one second earlier is not.
        case.append(ev("2025-09-26T02:15:00Z", EventKind::Reviewing))
            .unwrap();
        case.append(ev("2025-09-29T10:00:00+08:00", EventKind::Approved))
            .unwrap();
        assert_eq!(
            case.append(ev(
                "2025-09-29T15:00:00+08:00",
                EventKind::Mailed {
                    carrier: "EMS".to_string(),
                    tracking: "11 87".to_string()
                }
            )),
            Err(TransitionError::BadTracking("11 87".to_string()))
        );
        assert_eq!(
            case.append(ev(
                "2025-09-29T15:00:00+08:00",
                EventKind::Returned {
                    reason: "材料不全".to_string()
                }
            )),
            Err(TransitionError::AlreadyDecided { event: "退回" })
        );
        assert_eq!(
            case.append(ev("2025-09-29T15:00:00+08:00", EventKind::Approved)),
            Err(TransitionError::AlreadyDecided {
                event: "办结（准予）"
            })
        );
        // Nothing refused was recorded.
        assert_eq!(case.events.len(), 3);
    }

    #[test]
    fn a_case_without_events_only_takes_acceptance_and_check_replays_stored_cases() {
        let mut case = open(Delivery::Window);
        case.events.clear();
        assert_eq!(case.check(), Err(TransitionError::NotAccepted));
        assert_eq!(
            case.append(ev("2025-09-26T10:15:00+08:00", EventKind::Reviewing)),
            Err(TransitionError::NotAccepted)
        );
        case.append(ev("2025-09-26T10:15:00+08:00", EventKind::Accepted))
            .unwrap();
        assert!(case.check().is_ok());

        // A stored case edited by hand into an impossible order is caught.
        let mut tampered = open(Delivery::Window);
        tampered
            .events
            .push(ev("2025-09-29T10:00:00+08:00", EventKind::PickedUp));
        assert_eq!(
            tampered.check(),
            Err(TransitionError::NotDecided { event: "已领取" })
        );
    }

    #[test]
    fn rating_only_after_decision_and_only_once() {
        let mut case = open(Delivery::Window);
        assert_eq!(
            case.rate(Rating::Satisfied, None, "2025-09-27T09:00:00+08:00"),
            Err(RatingError::NotDecided)
        );
        case.append(correction("2025-09-29T09:00:00+08:00"))
            .unwrap();
        assert_eq!(
            case.rate(Rating::Satisfied, None, "2025-09-29T10:00:00+08:00"),
            Err(RatingError::NotDecided)
        );
        case.append(ev("2025-09-30T09:00:00+08:00", EventKind::CorrectionDone))
            .unwrap();
        case.append(ev("2025-09-30T16:00:00+08:00", EventKind::Approved))
            .unwrap();
        assert_eq!(
            case.rate(Rating::Satisfied, None, "2025-09-30T15:00:00+08:00"),
            Err(RatingError::BeforeDecision)
        );
        assert_eq!(
            case.rate(
                Rating::Satisfied,
                Some(&"好".repeat(301)),
                "2025-09-30T17:00:00+08:00"
            ),
            Err(RatingError::CommentTooLong(301))
        );
        assert_eq!(
            case.rate(
                Rating::Satisfied,
                Some("好\u{0007}"),
                "2025-09-30T17:00:00+08:00"
            ),
            Err(RatingError::BadComment)
        );
        assert!(case.rating.is_none());
        case.rate(
            Rating::VeryDissatisfied,
            Some(&format!("  {}  ", "等".repeat(300))),
            "2025-09-30T17:00:00+08:00",
        )
        .unwrap();
        let rating = case.rating.clone().unwrap();
        assert_eq!(
            rating.comment.as_deref().map(|c| c.chars().count()),
            Some(300)
        );
        assert!(case.needs_follow_up());
        assert_eq!(
            case.rate(Rating::VerySatisfied, None, "2025-10-01T09:00:00+08:00"),
            Err(RatingError::AlreadyRated)
        );
        assert_eq!(case.rating, Some(rating));
        // Delivery continues after rating.
        case.append(ev("2025-10-09T09:00:00+08:00", EventKind::PickedUp))
            .unwrap();

        // 不予 is 办结 too; a blank comment is no comment.
        let mut rejected = open(Delivery::Post);
        rejected
            .append(ev(
                "2025-09-29T09:00:00+08:00",
                EventKind::Rejected {
                    reason: "不符合条件".to_string(),
                },
            ))
            .unwrap();
        rejected
            .rate(
                Rating::BasicallySatisfied,
                Some("   "),
                "2025-09-29T10:00:00+08:00",
            )
            .unwrap();
        assert_eq!(rejected.rating.as_ref().unwrap().comment, None);
        assert!(!rejected.needs_follow_up());

        // A returned case was never decided.
        let mut returned = open(Delivery::Window);
        returned
            .append(ev(
                "2025-09-29T09:00:00+08:00",
                EventKind::Returned {
                    reason: "申请人撤回".to_string(),
                },
            ))
            .unwrap();
        assert_eq!(
            returned.rate(Rating::Satisfied, None, "2025-09-29T10:00:00+08:00"),
            Err(RatingError::NotDecided)
        );
    }

    #[test]
    fn rating_levels() {
        let labels: Vec<_> = Rating::ALL.iter().map(|r| r.label()).collect();
        assert_eq!(
            labels,
            ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
        );
        let follow: Vec<_> = Rating::ALL.iter().map(|r| r.needs_follow_up()).collect();
        assert_eq!(follow, [false, false, false, true, true]);
        for r in Rating::ALL {
            assert_eq!(Rating::from_score(r.score()), Some(r));
        }
        assert_eq!(Rating::from_score(0), None);
        assert_eq!(Rating::from_score(6), None);
    }

    #[test]
    fn serializes_with_snake_case_tags_and_round_trips() {
        let calendar = cal();
        let mut case = open(Delivery::Post);
        case.record(correction("2025-09-29T09:00:00+08:00"), &calendar)
            .unwrap();
        case.record(
            ev("2025-09-30T09:00:00+08:00", EventKind::CorrectionDone),
            &calendar,
        )
        .unwrap();
        case.append(ev("2025-10-09T09:00:00+08:00", EventKind::Approved))
            .unwrap();
        case.append(mailed("2025-10-09T15:00:00+08:00")).unwrap();
        case.rate(
            Rating::VerySatisfied,
            Some("很快"),
            "2025-10-10T09:00:00+08:00",
        )
        .unwrap();
        let json = serde_json::to_value(&case).unwrap();
        assert_eq!(json["delivery"], "post");
        // One working day (9-30) paused: due moves from 10-10 to Saturday 10-11 (调休).
        assert_eq!(json["due"], "2025-10-11");
        assert_eq!(json["promised_limit"]["unit"], "working_days");
        assert_eq!(json["events"][0]["kind"]["type"], "accepted");
        assert_eq!(json["events"][1]["kind"]["type"], "correction_requested");
        assert_eq!(json["events"][1]["kind"]["missing"][0], "经营场所使用证明");
        assert_eq!(json["events"][2]["kind"]["type"], "correction_done");
        assert_eq!(json["events"][4]["kind"]["type"], "mailed");
        assert_eq!(json["events"][4]["kind"]["tracking"], "1187654321098");
        assert_eq!(json["rating"]["level"], "very_satisfied");
        assert!(json.get("applicant_name").is_none());
        assert_eq!(json["applicant_masked"], "张*明");
        let back: Case = serde_json::from_value(json).unwrap();
        assert_eq!(back, case);
        assert!(back.check().is_ok());
        assert_eq!(
            serde_json::to_string(&CaseStatus::ReadyForPickup).unwrap(),
            "\"ready_for_pickup\""
        );
        assert_eq!(
            serde_json::to_string(&Rating::BasicallySatisfied).unwrap(),
            "\"basically_satisfied\""
        );
    }
}
