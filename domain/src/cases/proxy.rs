//! 代办: a villager asks the agent at the village service point to take an item to the
//! township or county hall. The request carries the receipt number (and query code) the
//! villager keeps; when the hall's desk accepts it, the case begins under that same
//! number, so the villager follows both legs at `/c` with one slip of paper.
//!
//! The village leg: 登记 (委托书 signed or not, the guide's materials ticked as received)
//! → 递交 to the hall → the hall 受理s (the case) → 结果带回村 once the case is 办结 or
//! 退回 → 交付申请人. A request may be 撤回 until the hall accepts it.

use serde::{Deserialize, Serialize};

use super::events::{check_contact, need, TransitionError, MAX_EVENT_TEXT};
use super::progress::TimelineEntry;
use super::receipt::ReceiptNumber;
use super::time::{beijing_time, instant, mask_name};
use crate::catalog::item::Item;

/// Most material names one step may tick.
pub const MAX_TICKED: usize = 60;
/// Most steps one request keeps (its whole life is about a dozen): the stored request
/// stays small whatever a client sends.
pub const MAX_STEPS: usize = 40;

/// One line of the 代办提交资料清单: a material of the guide and whether the agent has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialCheck {
    pub name: String,
    /// Every applicant needs it (not only in a particular case).
    pub required: bool,
    pub received: bool,
}

/// What the agent enters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProxyRequest {
    pub number: ReceiptNumber,
    /// The village service point (`Hall::id`) and its name.
    pub village: String,
    pub village_name: String,
    /// The hall that handles the item, and its name.
    pub to_hall: String,
    pub to_hall_name: String,
    /// Full name as on the 委托书; only its masked form is kept.
    pub applicant_name: String,
    pub contact: Option<String>,
    pub mandate_signed: bool,
    /// Names of the guide's materials the agent has received.
    pub received: Vec<String>,
    pub at: String,
    pub by: String,
    pub account: Option<String>,
    pub note: Option<String>,
}

/// A step of the village leg.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ProxyStepKind {
    /// 代办登记 at the village: the first step.
    Registered,
    /// 代办委托书 signed after registration.
    MandateSigned,
    /// More materials received after registration.
    MaterialsReceived { names: Vec<String> },
    /// 递交: the file is taken to the hall and waits at its desk.
    HandedOver,
    /// The hall's desk accepted it: the case under the same number began.
    Accepted,
    /// 结果带回村: the case is 办结 or 退回 and its result is back at the village.
    ResultBack,
    /// 交付: handed to the applicant; the request is finished.
    Delivered,
    /// 撤回 before the hall accepted it.
    Withdrawn { reason: String },
}

impl ProxyStepKind {
    pub fn label(&self) -> &'static str {
        match self {
            ProxyStepKind::Registered => "村（社区）代办登记",
            ProxyStepKind::MandateSigned => "代办委托书已签字",
            ProxyStepKind::MaterialsReceived { .. } => "代办员补收材料",
            ProxyStepKind::HandedOver => "代办员已递交受理中心",
            ProxyStepKind::Accepted => "受理中心已接收",
            ProxyStepKind::ResultBack => "办理结果已带回村（社区）",
            ProxyStepKind::Delivered => "已交付申请人",
            ProxyStepKind::Withdrawn { .. } => "已撤回",
        }
    }
}

/// Where a 代办 request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProxyStatus {
    /// At the village, not yet taken to the hall.
    Registered,
    /// Waiting at the hall's desk.
    HandedOver,
    /// Accepted: the case is being handled.
    Accepted,
    /// The result is at the village.
    ResultBack,
    Delivered,
    Withdrawn,
}

impl ProxyStatus {
    pub fn label(self) -> &'static str {
        match self {
            ProxyStatus::Registered => "已在村（社区）登记，待递交",
            ProxyStatus::HandedOver => "已递交，待受理中心受理",
            ProxyStatus::Accepted => "受理中心办理中",
            ProxyStatus::ResultBack => "结果已到村（社区），待领取",
            ProxyStatus::Delivered => "已交付申请人",
            ProxyStatus::Withdrawn => "已撤回",
        }
    }

    /// Nothing more happens to it.
    pub fn is_finished(self) -> bool {
        matches!(self, ProxyStatus::Delivered | ProxyStatus::Withdrawn)
    }
}

/// One recorded step: appended, never edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyStep {
    pub at: String,
    pub kind: ProxyStepKind,
    /// Who recorded it (name and account).
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A 代办 request (代办件).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyRequest {
    /// Receipt number, compact form; the case takes the same number.
    pub number: String,
    pub village: String,
    pub village_name: String,
    pub to_hall: String,
    pub to_hall_name: String,
    pub item_code: String,
    pub item_version: u32,
    pub item_name: String,
    /// The power-of-attorney material the guide names (授权委托书 …), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandate_material: Option<String>,
    pub applicant_masked: String,
    /// For staff only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    pub mandate_signed: bool,
    pub materials: Vec<MaterialCheck>,
    pub steps: Vec<ProxyStep>,
}

/// Why a request or a step is refused. Messages are shown to staff.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProxyError {
    #[error("该事项不能代办：{0}")]
    NotProxiable(String),
    #[error("“{0}”不是该事项办事指南中的申请材料")]
    UnknownMaterial(String),
    #[error("代办委托书尚未签字，不能递交")]
    MandateUnsigned,
    #[error("代办委托书已签字")]
    AlreadySigned,
    #[error("受理中心尚未办结或退回该件，结果不能带回")]
    CaseNotFinished,
    #[error("当前状态为“{}”，不能登记“{step}”", .from.label())]
    Invalid {
        from: ProxyStatus,
        step: &'static str,
    },
    #[error("一次最多勾选 {MAX_TICKED} 项材料")]
    TooManyTicked,
    #[error("代办件的记录已达 {MAX_STEPS} 条上限")]
    TooManySteps,
    #[error("{0}")]
    Field(#[from] TransitionError),
}

impl ProxyError {
    /// The request field a refusal points at (`body` when none does).
    pub fn field(&self) -> &'static str {
        match self {
            ProxyError::NotProxiable(_) => "item_code",
            ProxyError::UnknownMaterial(_) | ProxyError::TooManyTicked => "received",
            ProxyError::Field(TransitionError::BadContact(_)) => "contact",
            ProxyError::Field(TransitionError::Missing("申请人姓名"))
            | ProxyError::Field(TransitionError::TooLong {
                field: "申请人姓名",
                ..
            }) => "applicant_name",
            ProxyError::Field(TransitionError::Missing("撤回原因"))
            | ProxyError::Field(TransitionError::TooLong {
                field: "撤回原因",
            ..
            }) => "reason",
            ProxyError::Field(TransitionError::Missing("补收的材料")) => "names",
            ProxyError::Field(
                TransitionError::Missing("备注")
                | TransitionError::TooLong {
                    field: "备注", ..
                },
            ) => "note",
            _ => "body",
        }
    }
}

impl ProxyRequest {
    /// Registers a request for `item` (the published guide): checks the item may be
    /// handled by a village agent and the ticked materials are the guide's.
    pub fn open(new: NewProxyRequest, item: &Item) -> Result<ProxyRequest, ProxyError> {
        if !item.village_can_handle() {
            let why = item
                .in_person
                .clone()
                .filter(|r| !r.trim().is_empty())
                .map(|r| format!("须本人到场（{r}）"))
                .unwrap_or_else(|| "办事指南未开放代办".to_string());
            return Err(ProxyError::NotProxiable(why));
        }
        need("申请人姓名", &new.applicant_name, 100)?;
        need("代办点", &new.village_name, 200)?;
        need("受理中心", &new.to_hall_name, 200)?;
        let contact = check_contact(new.contact.as_deref())?;
        let mut materials: Vec<MaterialCheck> = item
            .materials
            .iter()
            .map(|m| MaterialCheck {
                name: m.name.trim().to_string(),
                required: m.needed_when.is_none(),
                received: false,
            })
            .collect();
        tick(&mut materials, &new.received)?;
        let mut request = ProxyRequest {
            number: new.number.as_compact().to_string(),
            village: new.village,
            village_name: new.village_name.trim().to_string(),
            to_hall: new.to_hall,
            to_hall_name: new.to_hall_name.trim().to_string(),
            item_code: item.code.clone(),
            item_version: item.version,
            item_name: item.name.clone(),
            mandate_material: item.proxy.as_ref().and_then(|p| p.material.clone()),
            applicant_masked: mask_name(&new.applicant_name),
            contact,
            mandate_signed: new.mandate_signed,
            materials,
            steps: Vec::new(),
        };
        let mut first = ProxyStep {
            at: new.at,
            kind: ProxyStepKind::Registered,
            by: new.by,
            account: new.account,
            note: new.note,
        };
        first.note = first.note.filter(|n| !n.trim().is_empty());
        request.check_step(&first)?;
        request.steps.push(first);
        Ok(request)
    }

    pub fn status(&self) -> ProxyStatus {
        let mut status = ProxyStatus::Registered;
        for step in &self.steps {
            status = match step.kind {
                ProxyStepKind::Registered
                | ProxyStepKind::MandateSigned
                | ProxyStepKind::MaterialsReceived { .. } => status,
                ProxyStepKind::HandedOver => ProxyStatus::HandedOver,
                ProxyStepKind::Accepted => ProxyStatus::Accepted,
                ProxyStepKind::ResultBack => ProxyStatus::ResultBack,
                ProxyStepKind::Delivered => ProxyStatus::Delivered,
                ProxyStepKind::Withdrawn { .. } => ProxyStatus::Withdrawn,
            };
        }
        status
    }

    /// Required materials not yet received.
    pub fn missing(&self) -> impl Iterator<Item = &MaterialCheck> {
        self.materials.iter().filter(|m| m.required && !m.received)
    }

    fn check_step(&self, step: &ProxyStep) -> Result<(), ProxyError> {
        if self.steps.len() >= MAX_STEPS {
            return Err(ProxyError::TooManySteps);
        }
        need("经办人", &step.by, 100)?;
        if let Some(note) = &step.note {
            need("备注", note, MAX_EVENT_TEXT)?;
        }
        if beijing_time(&step.at).is_none() {
            return Err(TransitionError::BadTimestamp(step.at.clone()).into());
        }
        if let Some(last) = self.steps.last() {
            if instant(&step.at) < instant(&last.at) {
                return Err(TransitionError::OutOfOrder {
                    at: step.at.clone(),
                    previous: last.at.clone(),
                }
                .into());
            }
        }
        Ok(())
    }

    /// Records a step if the request's status allows it. `case_finished`: the hall's case
    /// under this number is 办结 or 退回 (only 结果带回村 asks).
    pub fn record(&mut self, step: ProxyStep, case_finished: bool) -> Result<(), ProxyError> {
        use ProxyStatus as S;
        use ProxyStepKind as K;
        self.check_step(&step)?;
        let status = self.status();
        let invalid = || ProxyError::Invalid {
            from: status,
            step: step.kind.label(),
        };
        match (&step.kind, status) {
            (K::MandateSigned, S::Registered) if self.mandate_signed => {
                return Err(ProxyError::AlreadySigned)
            }
            (K::MandateSigned, S::Registered) => self.mandate_signed = true,
            (K::MaterialsReceived { names }, S::Registered) => {
                Self::check_kind(&step.kind)?;
                tick(&mut self.materials, names)?;
            }
            (K::HandedOver, S::Registered) if !self.mandate_signed => {
                return Err(ProxyError::MandateUnsigned)
            }
            (K::HandedOver, S::Registered) | (K::Accepted, S::HandedOver) => {}
            (K::ResultBack, S::Accepted) if !case_finished => {
                return Err(ProxyError::CaseNotFinished)
            }
            (K::ResultBack, S::Accepted) | (K::Delivered, S::ResultBack) => {}
            (K::Withdrawn { .. }, S::Registered | S::HandedOver) => Self::check_kind(&step.kind)?,
            _ => return Err(invalid()),
        }
        self.steps.push(step);
        Ok(())
    }

    /// What the villager sees of the village leg.
    /// The receipt number as printed, in groups.
    pub fn display_number(&self) -> String {
        ReceiptNumber::parse(&self.number)
            .map(|n| n.to_string())
            .unwrap_or_else(|_| self.number.clone())
    }

    pub fn progress(&self) -> ProxyProgress {
        let timeline = self
            .steps
            .iter()
            .map(|step| TimelineEntry {
                at: step.at.clone(),
                label: step.kind.label().to_string(),
                detail: match &step.kind {
                    ProxyStepKind::Registered => Some(format!("代办点：{}", self.village_name)),
                    ProxyStepKind::HandedOver | ProxyStepKind::Accepted => {
                        Some(format!("受理中心：{}", self.to_hall_name))
                    }
                    ProxyStepKind::MaterialsReceived { names } => {
                        Some(format!("补收：{}", names.join("、")))
                    }
                    ProxyStepKind::Withdrawn { reason } => Some(format!("原因：{reason}")),
                    _ => None,
                },
                note: step.note.clone(),
            })
            .collect();
        let status = self.status();
        ProxyProgress {
            number: self.display_number(),
            item_code: self.item_code.clone(),
            item_name: self.item_name.clone(),
            applicant_masked: self.applicant_masked.clone(),
            village_name: self.village_name.clone(),
            to_hall_name: self.to_hall_name.clone(),
            status,
            status_label: status.label().to_string(),
            mandate_signed: self.mandate_signed,
            materials: self.materials.clone(),
            timeline,
        }
    }

    /// Checks what a step carries, before its turn comes: for a client's request, the
    /// fault named by field whatever the request's status.
    pub fn check_kind(kind: &ProxyStepKind) -> Result<(), ProxyError> {
        match kind {
            ProxyStepKind::MaterialsReceived { names } if names.is_empty() => {
                Err(TransitionError::Missing("补收的材料").into())
            }
            ProxyStepKind::MaterialsReceived { names } if names.len() > MAX_TICKED => {
                Err(ProxyError::TooManyTicked)
            }
            ProxyStepKind::Withdrawn { reason } => Ok(need("撤回原因", reason, MAX_EVENT_TEXT)?),
            _ => Ok(()),
        }
    }

    /// The row both desks list it by; `case_finished`: the hall's case under this number
    /// is 办结 or 退回, so the result can be brought back.
    pub fn row(&self, case_finished: bool) -> ProxyRow {
        let status = self.status();
        ProxyRow {
            number: self.display_number(),
            item_code: self.item_code.clone(),
            item_name: self.item_name.clone(),
            applicant_masked: self.applicant_masked.clone(),
            village: self.village.clone(),
            village_name: self.village_name.clone(),
            to_hall: self.to_hall.clone(),
            to_hall_name: self.to_hall_name.clone(),
            status,
            registered_at: self.steps.first().map(|s| s.at.clone()).unwrap_or_default(),
            updated_at: self.steps.last().map(|s| s.at.clone()).unwrap_or_default(),
            mandate_signed: self.mandate_signed,
            missing: self.missing().count() as u32,
            case_finished,
        }
    }
}

/// Ticks `names` as received; every name must be on the checklist.
fn tick(materials: &mut [MaterialCheck], names: &[String]) -> Result<(), ProxyError> {
    if names.len() > MAX_TICKED {
        return Err(ProxyError::TooManyTicked);
    }
    for name in names {
        let name = name.trim();
        let mut found = false;
        // A guide may list one name twice (for two cases): both lines are the same paper.
        for line in materials.iter_mut().filter(|m| m.name == name) {
            line.received = true;
            found = true;
        }
        if !found {
            return Err(ProxyError::UnknownMaterial(name.to_string()));
        }
    }
    Ok(())
}

/// The village leg as the villager sees it (with the receipt number and query code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyProgress {
    /// Receipt number as printed, in groups.
    pub number: String,
    pub item_code: String,
    pub item_name: String,
    pub applicant_masked: String,
    pub village_name: String,
    pub to_hall_name: String,
    pub status: ProxyStatus,
    pub status_label: String,
    pub mandate_signed: bool,
    pub materials: Vec<MaterialCheck>,
    pub timeline: Vec<TimelineEntry>,
}

/// A request in a desk's list (the village's, or the hall's 代办 inbox).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProxyRow {
    /// The receipt number as printed, in groups.
    pub number: String,
    pub item_code: String,
    pub item_name: String,
    pub applicant_masked: String,
    pub village: String,
    pub village_name: String,
    pub to_hall: String,
    pub to_hall_name: String,
    pub status: ProxyStatus,
    pub registered_at: String,
    pub updated_at: String,
    pub mandate_signed: bool,
    /// Required materials not yet received.
    pub missing: u32,
    /// The hall's case is 办结 or 退回: the result waits to be brought back.
    #[serde(default)]
    pub case_finished: bool,
}

impl ProxyRow {
    /// Shortens the long texts until the row's JSON fits `max_bytes` (KV metadata is
    /// capped); returns the JSON.
    pub fn fit_within(&mut self, max_bytes: usize) -> String {
        super::progress::shorten_to_fit(self, max_bytes, 8, |row| {
            vec![
                &mut row.item_name,
                &mut row.village_name,
                &mut row.to_hall_name,
            ]
        })
    }

    /// Where it sorts in a desk's list: what waits for someone first (at the hall, handed
    /// over; at the village, results back to hand out, then requests to take over), then
    /// newest.
    pub fn urgency(&self, at_village: bool) -> u8 {
        match (self.status, at_village) {
            (ProxyStatus::HandedOver, false) => 0,
            (ProxyStatus::ResultBack, true) => 0,
            (ProxyStatus::Registered, true) => 1,
            (ProxyStatus::Accepted, _) => 2,
            (s, _) if s.is_finished() => 4,
            _ => 3,
        }
    }
}

/// Sorts a desk's requests: [`ProxyRow::urgency`], then newest activity first.
pub fn sort_proxy_rows(rows: &mut [ProxyRow], at_village: bool) {
    rows.sort_by(|a, b| {
        a.urgency(at_village)
            .cmp(&b.urgency(at_village))
            .then_with(|| instant(&b.updated_at).cmp(&instant(&a.updated_at)))
    });
}

#[cfg(test)]
#[path = "proxy_tests.rs"]
mod tests;
