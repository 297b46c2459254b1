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

use super::events::*;
use super::rating::*;
use super::receipt::ReceiptNumber;
use super::time::*;
use crate::calendar::{Date, HolidayCalendar};
use crate::catalog::code::ItemCode;
use crate::catalog::item::{DayUnit, TimeLimit};

/// What the window enters to accept an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub number: ReceiptNumber,
    pub item_code: String,
    pub item_version: u32,
    pub item_name: String,
    /// The department responsible for the item (实施主体), for the hall's case metrics.
    pub department: String,
    pub hall: String,
    pub window: String,
    /// Timestamp of acceptance.
    pub accepted_at: String,
    pub promised_limit: TimeLimit,
    pub delivery: Delivery,
    /// Full name as on the application; only its masked form is kept.
    pub applicant_name: String,
    /// A phone to reach the applicant (for 补正 and call backs), if given.
    pub contact: Option<String>,
    /// Who accepted it.
    pub by: String,
    /// The staff account that accepted it at the desk (`None`: a back-office system).
    pub account: Option<String>,
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
    /// The department responsible for the item; empty for cases accepted before it was
    /// recorded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub department: String,
    pub hall: String,
    pub window: String,
    /// Timestamp of acceptance.
    pub accepted_at: String,
    /// Promised due date, 补正 pauses included ([`Case::recompute_due`]).
    pub due: Date,
    pub promised_limit: TimeLimit,
    pub delivery: Delivery,
    pub applicant_masked: String,
    /// The applicant's phone, for staff only (never in what the applicant's lookup shows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(default)]
    pub events: Vec<CaseEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<RatingRecord>,
    /// Calls back about a 差评, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<FollowUp>,
    /// The village service point whose 代办 request this case came from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_from: Option<String>,
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
        let contact = check_contact(new.contact.as_deref())?;
        let mut case = Case {
            number: new.number.as_compact().to_string(),
            item_code: code.as_str().to_string(),
            item_version: new.item_version,
            item_name: new.item_name.trim().to_string(),
            department: new.department.trim().to_string(),
            hall: new.hall.trim().to_string(),
            window: new.window.trim().to_string(),
            accepted_at: new.accepted_at.clone(),
            due: calendar.due_date(accepted, new.promised_limit, &[]),
            promised_limit: new.promised_limit,
            delivery: new.delivery,
            applicant_masked: mask_name(&new.applicant_name),
            contact,
            events: Vec::new(),
            rating: None,
            follow_ups: Vec::new(),
            proxy_from: None,
        };
        let mut accepted_event = CaseEvent::new(new.accepted_at, EventKind::Accepted, new.by);
        accepted_event.account = new.account;
        case.append(accepted_event)?;
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

    /// Rated 不满意 or worse and no follow-up done yet: the hall must call back.
    pub fn needs_follow_up(&self) -> bool {
        self.rating
            .as_ref()
            .is_some_and(RatingRecord::needs_follow_up)
            && !self.follow_ups.iter().any(|f| f.done)
    }

    /// Records a call back about the case's 差评 (trimmed outcome, at most
    /// [`MAX_FOLLOW_UP`] characters, not before the rating); `done` closes it.
    pub fn follow_up(&mut self, call: FollowUp) -> Result<(), FollowUpError> {
        let FollowUp {
            at,
            by,
            account,
            outcome,
            done,
        } = call;
        let rating = self
            .rating
            .as_ref()
            .filter(|r| r.needs_follow_up())
            .ok_or(FollowUpError::NothingToFollowUp)?;
        if !self.needs_follow_up() {
            return Err(FollowUpError::AlreadyDone);
        }
        let when = instant(&at).ok_or_else(|| FollowUpError::BadTimestamp(at.clone()))?;
        if instant(&rating.at).is_some_and(|rated| when < rated) {
            return Err(FollowUpError::BeforeRating);
        }
        let outcome = outcome.trim();
        if outcome.is_empty() {
            return Err(FollowUpError::NoOutcome);
        }
        let count = outcome.chars().count();
        if count > MAX_FOLLOW_UP {
            return Err(FollowUpError::TooLong(count));
        }
        if outcome
            .chars()
            .any(|ch| ch.is_control() && ch != '\n' && ch != '\r')
        {
            return Err(FollowUpError::BadOutcome);
        }
        let outcome = outcome.to_string();
        self.follow_ups.push(FollowUp {
            at,
            by: by.trim().to_string(),
            account,
            outcome,
            done,
        });
        Ok(())
    }

    /// The staff account that last acted on the case: its latest step or call back,
    /// whichever came later (`None` when that was a back-office system).
    pub fn last_account(&self) -> Option<&str> {
        let event = self.events.last().map(|e| (&e.at, e.account.as_deref()));
        let call = self
            .follow_ups
            .last()
            .map(|f| (&f.at, f.account.as_deref()));
        match (event, call) {
            (Some((event_at, event)), Some((call_at, call))) => {
                if instant(call_at) >= instant(event_at) {
                    call
                } else {
                    event
                }
            }
            (Some((_, only)), None) | (None, Some((_, only))) => only,
            (None, None) => None,
        }
    }
}

#[cfg(test)]
#[path = "case_tests.rs"]
mod tests;
