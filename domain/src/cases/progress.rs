//! What the applicant sees of a case (办件进度): the timeline, the current step, the due
//! date with days used against the promise, and what to do next. Built from a `Case` on
//! the server; nothing here reveals who handled it or any other case.

use serde::{Deserialize, Serialize};

use crate::calendar::date::Date;
use crate::calendar::HolidayCalendar;
use crate::cases::{Case, CaseStatus, Delivery, DueClock, EventKind, ProxyProgress, RatingRecord};

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: String,
    pub label: String,
    /// The specifics: missing materials, reason, pickup place, tracking number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub number: String,
    pub item_code: String,
    pub item_name: String,
    pub hall: String,
    pub window: String,
    pub accepted_at: String,
    pub delivery: Delivery,
    pub applicant_masked: String,
    pub status: CaseStatus,
    pub status_label: String,
    /// The promised completion date, pushed back by 补正 pauses.
    pub due: Date,
    /// The holiday calendar does not cover the whole period: weekends only were counted.
    pub due_is_estimate: bool,
    pub promised_label: String,
    pub promised_days: u32,
    pub days_used: u32,
    pub overdue: bool,
    /// 补正 is open: the clock is stopped until the materials arrive.
    pub paused: bool,
    /// Materials asked for by an open 补正.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking: Option<String>,
    pub timeline: Vec<TimelineEntry>,
    /// 办结 reached and not yet rated.
    pub can_rate: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<RatingRecord>,
    /// The village leg, when the case came through a village agent (代办). The citizen
    /// app never reads it (the edge renders the progress page), so its wasm skips it.
    #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<ProxyProgress>,
}

/// Shortens the long `texts` of a list row (60 characters, then half as many each time,
/// down to `min`, with an ellipsis) until its JSON fits `max_bytes` (KV metadata is
/// capped); returns the JSON.
pub(crate) fn shorten_to_fit<T: Serialize>(
    row: &mut T,
    max_bytes: usize,
    min: usize,
    texts: fn(&mut T) -> Vec<&mut String>,
) -> String {
    let mut json = serde_json::to_string(row).unwrap_or_default();
    let mut keep = 60;
    while json.len() > max_bytes && keep >= min {
        for text in texts(row) {
            if text.chars().count() > keep {
                *text = text.chars().take(keep - 1).chain(['…']).collect();
            }
        }
        keep /= 2;
        json = serde_json::to_string(row).unwrap_or_default();
    }
    json
}

/// The receipt number as printed, in groups (`5DW9-6MM4-M27R`).
fn display_number(case: &Case) -> String {
    case.receipt_number()
        .map(|n| n.to_string())
        .unwrap_or_else(|| case.number.clone())
}

fn detail_of(kind: &EventKind) -> Option<String> {
    match kind {
        EventKind::CorrectionRequested { missing } => {
            Some(format!("需补交：{}", missing.join("、")))
        }
        EventKind::Rejected { reason } | EventKind::Returned { reason } => {
            Some(format!("原因：{reason}"))
        }
        EventKind::ReadyForPickup { place } => Some(format!("领取地点：{place}")),
        EventKind::Mailed { carrier, tracking } => Some(format!("{carrier} 运单号 {tracking}")),
        _ => None,
    }
}

impl Progress {
    pub fn of(case: &Case, today: Date, calendar: &HolidayCalendar) -> Progress {
        let status = case.status();
        let missing = case
            .events
            .iter()
            .rev()
            .find_map(|e| match &e.kind {
                EventKind::CorrectionRequested { missing } if case.is_paused() => {
                    Some(missing.clone())
                }
                _ => None,
            })
            .unwrap_or_default();
        let pickup_place = case.events.iter().rev().find_map(|e| match &e.kind {
            EventKind::ReadyForPickup { place } => Some(place.clone()),
            _ => None,
        });
        let tracking = case.events.iter().rev().find_map(|e| match &e.kind {
            EventKind::Mailed { carrier, tracking } => Some(format!("{carrier} {tracking}")),
            _ => None,
        });
        Progress {
            number: display_number(case),
            item_code: case.item_code.clone(),
            item_name: case.item_name.clone(),
            hall: case.hall.clone(),
            window: case.window.clone(),
            accepted_at: case.accepted_at.clone(),
            delivery: case.delivery,
            applicant_masked: case.applicant_masked.clone(),
            status,
            status_label: status.label().to_string(),
            due: case.effective_due(today, calendar),
            due_is_estimate: case.due_is_estimate(today, calendar),
            promised_label: case.promised_limit.label(),
            promised_days: case.promised_limit.value,
            days_used: case.days_used(today, calendar),
            overdue: case.is_overdue(today, calendar),
            paused: case.is_paused(),
            missing,
            pickup_place,
            tracking,
            timeline: case
                .events
                .iter()
                .map(|e| TimelineEntry {
                    at: e.at.clone(),
                    label: e.kind.label().to_string(),
                    detail: detail_of(&e.kind),
                    note: e.note.clone(),
                })
                .collect(),
            can_rate: case.is_decided() && case.rating.is_none(),
            rating: case.rating.clone(),
            proxy: None,
        }
    }
}

/// One row of a hall's case list (staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRow {
    pub number: String,
    #[serde(default)]
    pub item_code: String,
    pub item_name: String,
    pub window: String,
    pub accepted_at: String,
    pub due: Date,
    /// Counted with weekends only into a year without an official schedule.
    #[serde(default)]
    pub due_is_estimate: bool,
    pub status: CaseStatus,
    pub status_label: String,
    pub overdue: bool,
    pub closed: bool,
    /// A 不满意 or worse rating waiting for follow-up.
    pub follow_up: bool,
    /// What `due` is computed from, so a stored row follows calendar updates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<DueClock>,
    /// The clock did not fit in the stored row (many 补正 pauses): `due` is as stored.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub clock_omitted: bool,
    /// The staff account that accepted it at the desk (`None`: a back-office system).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clerk: Option<String>,
    /// The staff account that recorded its latest step or call back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_clerk: Option<String>,
}

impl CaseRow {
    pub fn of(case: &Case, today: Date, calendar: &HolidayCalendar) -> CaseRow {
        let status = case.status();
        let mut row = CaseRow {
            number: display_number(case),
            item_code: case.item_code.clone(),
            item_name: case.item_name.clone(),
            window: case.window.clone(),
            accepted_at: case.accepted_at.clone(),
            due: case.due,
            due_is_estimate: false,
            status,
            status_label: status.label().to_string(),
            overdue: false,
            closed: case.is_closed(),
            follow_up: case.needs_follow_up(),
            clock: case.clock(),
            clock_omitted: false,
            clerk: case.events.first().and_then(|e| e.account.clone()),
            last_clerk: case.last_account().map(str::to_string),
        };
        row.refresh(today, calendar);
        row
    }

    /// Accepted or last handled by this staff account.
    pub fn handled_by(&self, username: &str) -> bool {
        self.clerk.as_deref() == Some(username) || self.last_clerk.as_deref() == Some(username)
    }

    /// Still being handled, clock running, and due within [`DUE_SOON_DAYS`] of `today`.
    pub fn due_soon(&self, today: Date) -> bool {
        self.running() && !self.overdue && today.days_until(self.due) <= DUE_SOON_DAYS
    }

    fn running(&self) -> bool {
        matches!(
            self.status,
            CaseStatus::Accepted | CaseStatus::Reviewing | CaseStatus::Corrected
        )
    }

    /// Makes the row fit in `max_bytes` of JSON (the store that keeps rows sets the
    /// budget): long names are shortened first; only if that is not enough does the clock
    /// go (the row then keeps the due date it was stored with, and says so). Returns the
    /// JSON.
    pub fn fit_within(&mut self, max_bytes: usize) -> String {
        let mut json = shorten_to_fit(self, max_bytes, 10, |row| {
            vec![&mut row.item_name, &mut row.window]
        });
        if json.len() > max_bytes && self.clock.is_some() {
            self.clock = None;
            self.clock_omitted = true;
            json = serde_json::to_string(self).unwrap_or_default();
        }
        json
    }

    /// Re-evaluates the due date and `overdue` for `today` with the calendar in effect
    /// (rows are stored; days pass and holiday notices get entered). Only a case still
    /// being handled, clock running, can be late.
    pub fn refresh(&mut self, today: Date, calendar: &HolidayCalendar) {
        if let Some(clock) = &self.clock {
            self.due = clock.due_as_of(today, calendar);
            self.due_is_estimate = clock.is_estimate(self.due, calendar);
        }
        self.overdue = self.running() && today > self.due;
    }
}

/// Calendar days ahead that count as "due soon" on the desk.
pub const DUE_SOON_DAYS: i64 = 2;

/// What staff must chase first: overdue, then due soon, then 差评 waiting for a call
/// back, then the rest by due date.
pub fn sort_for_staff(rows: &mut [CaseRow], today: Date) {
    rows.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then(b.due_soon(today).cmp(&a.due_soon(today)))
            .then(b.follow_up.cmp(&a.follow_up))
            .then(a.due.cmp(&b.due))
            .then(a.number.cmp(&b.number))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::receipt::ReceiptNumber;
    use crate::cases::{CaseEvent, NewCase};
    use crate::catalog::item::{DayUnit, TimeLimit};

    fn case(accepted_at: &str, days: u32) -> Case {
        Case::open(
            NewCase {
                number: ReceiptNumber::generate(&[7; 16]),
                item_code: "X-1".into(),
                item_version: 1,
                item_name: "不动产转移登记".into(),
                department: "自然资源局".into(),
                hall: "xinxian".into(),
                window: "12号窗口".into(),
                accepted_at: accepted_at.into(),
                promised_limit: TimeLimit {
                    value: days,
                    unit: DayUnit::WorkingDays,
                },
                delivery: Delivery::Post,
                applicant_name: "张三明".into(),
                contact: None,
                by: "窗口".into(),
                account: None,
            },
            &HolidayCalendar::builtin(),
        )
        .unwrap()
    }

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn open_correction_shows_what_is_missing_and_stops_the_clock() {
        let cal = HolidayCalendar::builtin();
        let mut c = case("2026-11-02T09:00:00+08:00", 5);
        c.append(CaseEvent::new(
            "2026-11-03T10:00:00+08:00",
            EventKind::CorrectionRequested {
                missing: vec!["契税完税证明".into()],
            },
            "审核岗",
        ))
        .unwrap();
        let p = Progress::of(&c, day("2026-11-20"), &cal);
        assert!(p.paused);
        assert!(!p.overdue, "a paused case is never overdue");
        assert_eq!(p.missing, vec!["契税完税证明".to_string()]);
        assert_eq!(p.applicant_masked, "张*明");
        assert_eq!(
            p.timeline[1].detail.as_deref(),
            Some("需补交：契税完税证明")
        );
    }

    #[test]
    fn late_undecided_case_is_overdue_and_sorted_first() {
        let cal = HolidayCalendar::builtin();
        let late = case("2026-11-02T09:00:00+08:00", 3);
        let fresh = case("2026-11-20T09:00:00+08:00", 10);
        let today = day("2026-11-27");
        let p = Progress::of(&late, today, &cal);
        assert!(p.overdue);
        assert_eq!(p.due, day("2026-11-05"));
        assert!(!p.can_rate);
        let mut rows = vec![
            CaseRow::of(&fresh, today, &cal),
            CaseRow::of(&late, today, &cal),
        ];
        rows[0].number = "B".into();
        rows[1].number = "A".into();
        sort_for_staff(&mut rows, today);
        assert!(rows[0].overdue);
    }

    #[test]
    fn the_desk_chases_overdue_then_due_soon_then_bad_ratings() {
        let cal = HolidayCalendar::builtin();
        let today = day("2026-11-27");
        let late = case("2026-11-02T09:00:00+08:00", 3);
        // Accepted Tuesday with 3 working days: due today, Friday 11-27.
        let soon = case("2026-11-24T09:00:00+08:00", 3);
        let later = case("2026-11-26T09:00:00+08:00", 10);
        let mut flagged = CaseRow::of(&later, today, &cal);
        flagged.follow_up = true;
        flagged.number = "C".into();
        let mut rows = vec![
            flagged,
            CaseRow::of(&later, today, &cal),
            CaseRow::of(&soon, today, &cal),
            CaseRow::of(&late, today, &cal),
        ];
        rows[1].number = "D".into();
        rows[2].number = "B".into();
        rows[3].number = "A".into();
        assert!(rows[2].due_soon(today), "due {}", rows[2].due);
        sort_for_staff(&mut rows, today);
        let order: Vec<&str> = rows.iter().map(|r| r.number.as_str()).collect();
        assert_eq!(order, ["A", "B", "C", "D"]);
    }

    #[test]
    fn a_stored_row_follows_a_holiday_notice_entered_later() {
        let shipped = HolidayCalendar::builtin();
        let c = case("2026-12-15T09:00:00+08:00", 20);
        let today = day("2026-12-16");
        let stored: CaseRow = serde_json::from_str(
            &serde_json::to_string(&CaseRow::of(&c, today, &shipped)).unwrap(),
        )
        .unwrap();
        assert_eq!(
            (stored.due, stored.due_is_estimate),
            (day("2027-01-13"), true)
        );

        // Test-only dates, not a real notice: five days off in January.
        let mut entered = shipped.clone();
        entered
            .insert_year(
                2027,
                crate::calendar::schedule::test_schedule(
                    (4..=8).map(|d| Date::new(2027, 1, d).unwrap()),
                ),
            )
            .unwrap();
        let mut row = stored.clone();
        row.refresh(today, &entered);
        assert_eq!((row.due, row.due_is_estimate), (day("2027-01-19"), false));
        row.refresh(day("2027-01-20"), &entered);
        assert!(row.overdue);

        // A row stored before rows carried their clock keeps its due date.
        let mut old = stored;
        old.clock = None;
        old.refresh(day("2027-01-14"), &entered);
        assert_eq!(old.due, day("2027-01-13"));
        assert!(old.overdue);
    }

    #[test]
    fn a_row_shrinks_to_its_byte_budget() {
        let cal = HolidayCalendar::builtin();
        let mut c = case("2026-11-02T09:00:00+08:00", 5);
        c.item_name = "很长的事项名称".repeat(30);
        c.window = "综合受理窗口".repeat(30);
        let mut row = CaseRow::of(&c, day("2026-11-03"), &cal);
        let json = row.fit_within(1000);
        assert!(json.len() <= 1000, "{}", json.len());
        assert!(row.clock.is_some(), "shorter names made room for the clock");
        assert!(row.item_name.ends_with('…'));
        // Many 补正 rounds: even short names leave no room, and the row says so.
        if let Some(clock) = row.clock.as_mut() {
            clock.pauses = (0..40)
                .map(|i| {
                    (
                        day("2026-11-03").add_days(i * 2),
                        day("2026-11-04").add_days(i * 2),
                    )
                })
                .collect();
        }
        let json = row.fit_within(1000);
        assert!(json.len() <= 1000, "{}", json.len());
        assert!(row.clock.is_none() && row.clock_omitted);
        let back: CaseRow = serde_json::from_str(&json).unwrap();
        assert_eq!(back.due, row.due);
        // An ordinary row keeps everything.
        let mut short = CaseRow::of(
            &case("2026-11-02T09:00:00+08:00", 5),
            day("2026-11-03"),
            &cal,
        );
        let before = short.clone();
        short.fit_within(1000);
        assert_eq!(short, before);
    }

    #[test]
    fn decided_case_can_be_rated_and_shows_tracking() {
        let cal = HolidayCalendar::builtin();
        let mut c = case("2026-11-02T09:00:00+08:00", 5);
        c.append(CaseEvent::new(
            "2026-11-04T09:00:00+08:00",
            EventKind::Approved,
            "审批岗",
        ))
        .unwrap();
        c.append(CaseEvent::new(
            "2026-11-04T15:00:00+08:00",
            EventKind::Mailed {
                carrier: "EMS".into(),
                tracking: "1188000011".into(),
            },
            "出证窗口",
        ))
        .unwrap();
        let p = Progress::of(&c, day("2026-11-27"), &cal);
        assert!(p.can_rate);
        assert!(!p.overdue);
        assert_eq!(p.tracking.as_deref(), Some("EMS 1188000011"));
    }
}
