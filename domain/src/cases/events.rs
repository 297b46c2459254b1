//! The events of a case (受理, 补正, 办结 …), its status, and the checks on each event.

use serde::{Deserialize, Serialize};

use super::time::beijing_time;
use crate::calendar::Date;
use crate::catalog::code::CodeError;

/// Longest free text in an event (reasons, places, notes).
pub const MAX_EVENT_TEXT: usize = 500;
/// Most materials one 补正 notice may list.
pub const MAX_MISSING: usize = 50;
/// Longest tracking number.
pub const MAX_TRACKING: usize = 40;

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

    pub(super) fn is_decision(&self) -> bool {
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
    /// The staff account that recorded it at the desk; `None` for a back-office system
    /// (the hall API key), which `by` then names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl CaseEvent {
    pub fn new(at: impl Into<String>, kind: EventKind, by: impl Into<String>) -> CaseEvent {
        CaseEvent {
            at: at.into(),
            kind,
            by: by.into(),
            account: None,
            note: None,
        }
    }

    /// Recorded by this staff account.
    pub fn by_account(mut self, username: impl Into<String>) -> CaseEvent {
        self.account = Some(username.into());
        self
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
    pub(super) fn is_open(self) -> bool {
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
    #[error("联系电话只能包含数字、空格、+、-、()，最长 {MAX_CONTACT} 位，收到“{0}”")]
    BadContact(String),
}

/// Longest contact phone kept with a case.
pub const MAX_CONTACT: usize = 30;

pub(super) fn need(field: &'static str, value: &str, max: usize) -> Result<(), TransitionError> {
    if value.trim().is_empty() {
        Err(TransitionError::Missing(field))
    } else if value.chars().count() > max {
        Err(TransitionError::TooLong { field, max })
    } else {
        Ok(())
    }
}

/// The applicant's phone as kept: trimmed, `None` when blank; refused when it is not a
/// phone number.
pub(super) fn check_contact(contact: Option<&str>) -> Result<Option<String>, TransitionError> {
    let Some(phone) = contact.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let readable = phone.chars().count() <= MAX_CONTACT
        && phone.chars().any(|c| c.is_ascii_digit())
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if readable {
        Ok(Some(phone.to_string()))
    } else {
        Err(TransitionError::BadContact(phone.to_string()))
    }
}

pub(super) fn check_fields(event: &CaseEvent) -> Result<(), TransitionError> {
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
