//! Case metrics (办件指标) from the progress data: on-time rate, cases overdue now, working
//! days taken against the promise, the 好差评 distribution and the bad ratings still
//! waiting for a follow-up — per hall, department and window.
//!
//! Each case contributes its [`CaseFacts`], rewritten after every change to the case; a
//! store adds them up per (hall, department, window) into a [`CaseTally`], and this module
//! turns sums into the report and its CSV rows. Whether a case is overdue changes with
//! the date and the holiday calendar, so it is decided here, at report time, from the
//! case's clock ([`CaseFacts::overdue`]), not stored.

use serde::{Deserialize, Serialize};

use super::case::{Case, DueClock};
use super::rating::Rating;
use crate::calendar::{Date, HolidayCalendar};
use crate::metrics::percent;

/// What the case metrics take from one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFacts {
    /// Receipt number, compact form.
    pub number: String,
    pub hall: String,
    /// Empty for a case accepted before departments were recorded.
    pub department: String,
    pub window: String,
    pub item_name: String,
    pub accepted_on: Date,
    /// Still being handled with the clock running (受理, 审查中, 补正完成): it can fall
    /// overdue. A case waiting for 补正, decided or returned cannot.
    pub running: bool,
    /// The due date as of the last change; `clock` recomputes it.
    pub due: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<DueClock>,
    /// Day of 办结 (准予 or 不予).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<Date>,
    /// Days of the promise used by 办结, in the limit's unit, 补正 pauses excluded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_used: Option<u32>,
    pub promised_days: u32,
    /// 办结 on or before the due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_time: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating_comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rated_at: Option<String>,
    /// A 差评 waiting for the hall's follow-up.
    pub follow_up: bool,
}

impl CaseFacts {
    /// The facts of `case` as of `today` with the calendar in effect; `None` for a case
    /// whose acceptance time cannot be read (it has no clock to measure).
    pub fn of(case: &Case, today: Date, calendar: &HolidayCalendar) -> Option<CaseFacts> {
        let accepted_on = case.accepted_date()?;
        let decided_on = case.decision().and_then(|e| e.date());
        let days_used = decided_on.map(|_| case.days_used(today, calendar));
        let on_time = decided_on.map(|day| day <= case.effective_due(day, calendar));
        Some(CaseFacts {
            number: case.number.clone(),
            hall: case.hall.clone(),
            department: case.department.clone(),
            window: case.window.clone(),
            item_name: case.item_name.clone(),
            accepted_on,
            running: !case.is_decided() && !case.is_closed() && !case.is_paused(),
            due: case.effective_due(today, calendar),
            clock: case.clock(),
            decided_on,
            days_used,
            promised_days: case.promised_limit.value,
            on_time,
            rating: case.rating.as_ref().map(|r| r.level),
            rating_comment: case.rating.as_ref().and_then(|r| r.comment.clone()),
            rated_at: case.rating.as_ref().map(|r| r.at.clone()),
            follow_up: case.needs_follow_up(),
        })
    }

    /// Overdue as of `today`: still running and past its due date, recomputed with the
    /// calendar in effect now (a holiday notice entered since may have moved it).
    pub fn overdue(&self, today: Date, calendar: &HolidayCalendar) -> bool {
        self.running && today > self.due_as_of(today, calendar)
    }

    /// The due date as of `today` with the calendar in effect (as stored without a clock).
    pub fn due_as_of(&self, today: Date, calendar: &HolidayCalendar) -> Date {
        self.clock
            .as_ref()
            .map_or(self.due, |clock| clock.due_as_of(today, calendar))
    }
}

/// A running case whose stored due date is later than this many days from today cannot
/// be overdue today, whatever holiday notice was entered since: only the nearer ones
/// need their clock rechecked.
pub const OVERDUE_HORIZON_DAYS: i64 = 60;

/// Sums over a group of cases accepted in the period.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CaseTally {
    pub accepted: u64,
    /// 办结 (准予 or 不予) …
    pub decided: u64,
    /// … of which on or before the due date …
    pub on_time: u64,
    /// … with these days used and promised in all.
    pub days_used: u64,
    pub days_promised: u64,
    /// Still being handled (not decided, not returned), 补正 included.
    pub open: u64,
    /// Ratings by level, 非常满意 first ([`Rating::ALL`]).
    pub ratings: [u64; 5],
    /// Running and past due today (all cases, whenever accepted).
    pub overdue: u64,
    /// 差评 waiting for a follow-up (all cases, whenever accepted).
    pub follow_up: u64,
}

impl CaseTally {
    /// One case's contribution to the period's sums (not `overdue`, not `follow_up`:
    /// those count every case, see [`CaseReport`]).
    pub fn of(facts: &CaseFacts) -> CaseTally {
        let mut ratings = [0; 5];
        if let Some(level) = facts.rating {
            ratings[level.rank()] = 1;
        }
        let decided = facts.decided_on.is_some();
        CaseTally {
            accepted: 1,
            decided: u64::from(decided),
            on_time: u64::from(facts.on_time == Some(true)),
            days_used: facts.days_used.map_or(0, u64::from),
            days_promised: if decided {
                u64::from(facts.promised_days)
            } else {
                0
            },
            open: u64::from(!decided && (facts.running || facts.clock_paused())),
            ratings,
            overdue: 0,
            follow_up: 0,
        }
    }

    pub fn add(&mut self, other: &CaseTally) {
        self.accepted += other.accepted;
        self.decided += other.decided;
        self.on_time += other.on_time;
        self.days_used += other.days_used;
        self.days_promised += other.days_promised;
        self.open += other.open;
        for (a, b) in self.ratings.iter_mut().zip(other.ratings) {
            *a += b;
        }
        self.overdue += other.overdue;
        self.follow_up += other.follow_up;
    }

    /// 按时办结率: on time ÷ decided.
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.decided > 0).then(|| self.on_time as f64 / self.decided as f64)
    }

    /// Average days used by the decided cases.
    pub fn average_used(&self) -> Option<f64> {
        (self.decided > 0).then(|| self.days_used as f64 / self.decided as f64)
    }

    /// Average days promised to the decided cases.
    pub fn average_promised(&self) -> Option<f64> {
        (self.decided > 0).then(|| self.days_promised as f64 / self.decided as f64)
    }

    pub fn rated(&self) -> u64 {
        self.ratings.iter().sum()
    }

    /// 好评率: 非常满意, 满意 and 基本满意 ÷ rated.
    pub fn good_rate(&self) -> Option<f64> {
        let good: u64 = self.ratings[..3].iter().sum();
        (self.rated() > 0).then(|| good as f64 / self.rated() as f64)
    }
}

impl CaseFacts {
    fn clock_paused(&self) -> bool {
        self.clock
            .as_ref()
            .is_some_and(|c| c.paused_since.is_some())
    }
}

/// An average number of days as people read it: "3.5".
pub fn days(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{v:.1}"))
}

/// One row of the store's sums: a window of a department in a hall.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CaseGroupRow {
    pub hall: String,
    pub department: String,
    pub window: String,
    pub tally: CaseTally,
}

/// A hall, a department or a window with its sums.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CaseGroup {
    /// `hall` for a hall, `hall/department` or `hall/window` otherwise.
    pub id: String,
    /// What people read: the hall's name, or the department or window with its hall's.
    pub name: String,
    pub tally: CaseTally,
}

/// A case that needs someone's attention: overdue, or a 差评 to follow up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseNotice {
    /// The receipt number as printed.
    pub number: String,
    pub hall: String,
    pub department: String,
    pub window: String,
    pub item_name: String,
    pub accepted_on: Date,
    pub due: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating_comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rated_at: Option<String>,
}

impl CaseNotice {
    pub fn of(facts: &CaseFacts, today: Date, calendar: &HolidayCalendar) -> CaseNotice {
        CaseNotice {
            number: super::receipt::ReceiptNumber::parse(&facts.number)
                .map_or_else(|_| facts.number.clone(), |n| n.to_string()),
            hall: facts.hall.clone(),
            department: facts.department.clone(),
            window: facts.window.clone(),
            item_name: facts.item_name.clone(),
            accepted_on: facts.accepted_on,
            due: facts.due_as_of(today, calendar),
            rating: facts.rating,
            rating_comment: facts.rating_comment.clone(),
            rated_at: facts.rated_at.clone(),
        }
    }
}

/// Cases listed by name in the report (the counts are always complete).
pub const NOTICES_SHOWN: usize = 100;

/// The case half of the dashboard.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CaseReport {
    /// Cases accepted from `from` to `to` (Beijing dates, both included) are summed.
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// The day "overdue now" is judged on.
    pub today: Option<Date>,
    pub total: CaseTally,
    pub halls: Vec<CaseGroup>,
    pub departments: Vec<CaseGroup>,
    pub windows: Vec<CaseGroup>,
    /// Overdue now, the longest overdue first (at most [`NOTICES_SHOWN`]).
    pub overdue: Vec<CaseNotice>,
    /// 差评 waiting for a follow-up, the oldest first (at most [`NOTICES_SHOWN`]).
    pub follow_up: Vec<CaseNotice>,
}

/// Label of a case whose department was not recorded.
pub const NO_DEPARTMENT: &str = "（未记录部门）";

impl CaseReport {
    /// Adds the store's rows up per hall, department and window (`hall_name` names a
    /// hall id); then counts `overdue` and `follow_up` — every such case, whenever it was
    /// accepted — into the groups they belong to.
    pub fn from_rows(
        rows: &[CaseGroupRow],
        overdue: &[CaseFacts],
        follow_up: &[CaseFacts],
        today: Date,
        calendar: &HolidayCalendar,
        hall_name: impl Fn(&str) -> String,
    ) -> CaseReport {
        let mut report = CaseReport {
            today: Some(today),
            ..CaseReport::default()
        };
        let mut add = |hall: &str, department: &str, window: &str, tally: &CaseTally| {
            let department = if department.is_empty() {
                NO_DEPARTMENT
            } else {
                department
            };
            let hall_label = hall_name(hall);
            report.total.add(tally);
            add_to(&mut report.halls, hall, || hall_label.clone(), tally);
            add_to(
                &mut report.departments,
                &format!("{hall}/{department}"),
                || format!("{department}（{hall_label}）"),
                tally,
            );
            add_to(
                &mut report.windows,
                &format!("{hall}/{window}"),
                || format!("{window}（{hall_label}）"),
                tally,
            );
        };
        for row in rows {
            add(&row.hall, &row.department, &row.window, &row.tally);
        }
        let mut late: Vec<&CaseFacts> = overdue
            .iter()
            .filter(|f| f.overdue(today, calendar))
            .collect();
        for facts in &late {
            let tally = CaseTally {
                overdue: 1,
                ..CaseTally::default()
            };
            add(&facts.hall, &facts.department, &facts.window, &tally);
        }
        for facts in follow_up.iter().filter(|f| f.follow_up) {
            let tally = CaseTally {
                follow_up: 1,
                ..CaseTally::default()
            };
            add(&facts.hall, &facts.department, &facts.window, &tally);
        }
        late.sort_by_key(|f| (f.due, f.number.clone()));
        report.overdue = late
            .into_iter()
            .take(NOTICES_SHOWN)
            .map(|f| CaseNotice::of(f, today, calendar))
            .collect();
        let mut waiting: Vec<&CaseFacts> = follow_up.iter().filter(|f| f.follow_up).collect();
        waiting.sort_by(|a, b| a.rated_at.cmp(&b.rated_at).then(a.number.cmp(&b.number)));
        report.follow_up = waiting
            .into_iter()
            .take(NOTICES_SHOWN)
            .map(|f| CaseNotice::of(f, today, calendar))
            .collect();
        for groups in [
            &mut report.halls,
            &mut report.departments,
            &mut report.windows,
        ] {
            groups.sort_by(|a, b| a.name.cmp(&b.name));
        }
        report
    }

    /// The report's CSV rows: a header, then the whole, each hall, department and window.
    pub fn table_rows(&self) -> Vec<Vec<String>> {
        let mut rows = vec![[
            "类别",
            "名称",
            "受理件数",
            "办结件数",
            "按时办结件数",
            "按时办结率",
            "平均用时（天）",
            "平均承诺时限（天）",
            "在办件数",
            "当前超期件数",
            "非常满意",
            "满意",
            "基本满意",
            "不满意",
            "非常不满意",
            "差评待回访",
        ]
        .map(str::to_string)
        .to_vec()];
        let row = |kind: &str, name: &str, t: &CaseTally| {
            let mut row = vec![
                kind.to_string(),
                crate::metrics::cell(name),
                t.accepted.to_string(),
                t.decided.to_string(),
                t.on_time.to_string(),
                percent(t.on_time_rate()),
                days(t.average_used()),
                days(t.average_promised()),
                t.open.to_string(),
                t.overdue.to_string(),
            ];
            row.extend(t.ratings.iter().map(u64::to_string));
            row.push(t.follow_up.to_string());
            row
        };
        rows.push(row("全部", "全部办件", &self.total));
        for (kind, groups) in [
            ("服务中心", &self.halls),
            ("部门", &self.departments),
            ("窗口", &self.windows),
        ] {
            rows.extend(groups.iter().map(|g| row(kind, &g.name, &g.tally)));
        }
        rows
    }
}

fn add_to(groups: &mut Vec<CaseGroup>, id: &str, name: impl Fn() -> String, tally: &CaseTally) {
    match groups.iter_mut().find(|g| g.id == id) {
        Some(group) => group.tally.add(tally),
        None => groups.push(CaseGroup {
            id: id.to_string(),
            name: name(),
            tally: tally.clone(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::receipt::ReceiptNumber;
    use crate::cases::{CaseEvent, Delivery, EventKind, NewCase};
    use crate::catalog::item::{DayUnit, TimeLimit};

    fn calendar() -> HolidayCalendar {
        HolidayCalendar::builtin()
    }

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    /// Accepted Monday 2025-11-03 with 5 working days: due Monday 2025-11-10.
    fn case(seed: u8, window: &str) -> Case {
        Case::open(
            NewCase {
                number: ReceiptNumber::generate(&[seed; 16]),
                item_code: "11411523005012345x-000201001".into(),
                item_version: 1,
                item_name: "个体工商户设立登记".into(),
                department: "市场监督管理局".into(),
                hall: "xinxian".into(),
                window: window.into(),
                accepted_at: "2025-11-03T09:00:00+08:00".into(),
                promised_limit: TimeLimit {
                    value: 5,
                    unit: DayUnit::WorkingDays,
                },
                delivery: Delivery::Window,
                applicant_name: "张三明".into(),
                contact: None,
                by: "王芳".into(),
                account: None,
            },
            &calendar(),
        )
        .unwrap()
    }

    fn record(case: &mut Case, at: &str, kind: EventKind) {
        case.record(CaseEvent::new(at, kind, "王芳"), &calendar())
            .unwrap();
    }

    fn decide(case: &mut Case, day: &str) {
        record(case, &format!("{day}T10:00:00+08:00"), EventKind::Reviewing);
        record(case, &format!("{day}T11:00:00+08:00"), EventKind::Approved);
    }

    fn facts(case: &Case, today: &str) -> CaseFacts {
        CaseFacts::of(case, date(today), &calendar()).unwrap()
    }

    #[test]
    fn on_time_and_days_used_follow_the_decision_and_the_pauses() {
        let mut early = case(1, "3号窗口");
        decide(&mut early, "2025-11-05");
        let f = facts(&early, "2025-12-01");
        assert_eq!(f.days_used, Some(2));
        assert_eq!(f.on_time, Some(true));
        assert!(!f.running);

        let mut late = case(2, "3号窗口");
        decide(&mut late, "2025-11-12");
        let f = facts(&late, "2025-12-01");
        assert_eq!((f.days_used, f.on_time), (Some(7), Some(false)));

        // 补正 from 11-05 to 11-10 stops the clock: decided 11-12 is on time.
        let mut paused = case(3, "3号窗口");
        record(
            &mut paused,
            "2025-11-05T10:00:00+08:00",
            EventKind::CorrectionRequested {
                missing: vec!["营业执照".into()],
            },
        );
        let waiting = facts(&paused, "2025-11-20");
        assert!(!waiting.running, "waiting for 补正 cannot fall overdue");
        assert!(!waiting.overdue(date("2025-11-20"), &calendar()));
        record(
            &mut paused,
            "2025-11-10T10:00:00+08:00",
            EventKind::CorrectionDone,
        );
        decide(&mut paused, "2025-11-12");
        assert_eq!(facts(&paused, "2025-12-01").on_time, Some(true));
    }

    #[test]
    fn overdue_is_judged_on_the_day_asked() {
        let open = case(4, "3号窗口");
        let f = facts(&open, "2025-11-04");
        assert!(f.running);
        assert!(!f.overdue(date("2025-11-10"), &calendar()), "due that day");
        assert!(f.overdue(date("2025-11-11"), &calendar()));
    }

    #[test]
    fn the_report_adds_up_per_group_and_lists_what_to_chase() {
        let mut on_time = case(5, "3号窗口");
        decide(&mut on_time, "2025-11-05");
        on_time
            .rate(Rating::VerySatisfied, None, "2025-11-06T09:00:00+08:00")
            .unwrap();
        let mut late = case(6, "5号窗口");
        decide(&mut late, "2025-11-12");
        late.rate(
            Rating::VeryDissatisfied,
            Some("等了很久"),
            "2025-11-13T09:00:00+08:00",
        )
        .unwrap();
        let open = case(7, "5号窗口");
        let today = date("2025-12-01");
        let all: Vec<CaseFacts> = [&on_time, &late, &open]
            .iter()
            .map(|c| facts(c, "2025-12-01"))
            .collect();
        // The store's sums per window.
        let mut rows: Vec<CaseGroupRow> = Vec::new();
        for f in &all {
            let tally = CaseTally::of(f);
            match rows.iter_mut().find(|r| r.window == f.window) {
                Some(row) => row.tally.add(&tally),
                None => rows.push(CaseGroupRow {
                    hall: f.hall.clone(),
                    department: f.department.clone(),
                    window: f.window.clone(),
                    tally,
                }),
            }
        }
        let report = CaseReport::from_rows(&rows, &all, &all, today, &calendar(), |_| {
            "新县政务服务中心".into()
        });
        let t = &report.total;
        assert_eq!((t.accepted, t.decided, t.on_time, t.open), (3, 2, 1, 1));
        assert_eq!(percent(t.on_time_rate()), "50.00%");
        assert_eq!(days(t.average_used()), "4.5");
        assert_eq!(days(t.average_promised()), "5.0");
        assert_eq!((t.overdue, t.follow_up), (1, 1));
        assert_eq!(t.ratings, [1, 0, 0, 0, 1]);
        assert_eq!(report.departments.len(), 1);
        assert_eq!(
            report.departments[0].name,
            "市场监督管理局（新县政务服务中心）"
        );
        let window5 = report
            .windows
            .iter()
            .find(|w| w.id == "xinxian/5号窗口")
            .unwrap();
        assert_eq!((window5.tally.overdue, window5.tally.follow_up), (1, 1));
        assert_eq!(report.overdue.len(), 1);
        assert_eq!(report.overdue[0].due, date("2025-11-10"));
        assert_eq!(
            report.follow_up[0].rating_comment.as_deref(),
            Some("等了很久")
        );
        let table = report.table_rows();
        assert!(table.iter().all(|r| r.len() == table[0].len()));
        assert_eq!(table[1][..6], ["全部", "全部办件", "3", "2", "1", "50.00%"]);
    }
}
