//! The holiday schedule: official holidays and make-up working days (调休) by year, as
//! shipped and as entered by staff. Counting working days with it is [`super::workdays`].
//!
//! The official schedule is published once a year by the State Council General Office
//! (国务院办公厅关于某年部分节假日安排的通知), usually in November for the next year. It
//! lists the days off (放假, including the weekend days inside a holiday) and the weekend
//! days that are worked instead (调休上班). `data/holidays.json` holds the schedules we
//! ship; the hall admin enters the next year when the notice appears
//! ([`super::notice`]), and the staff-entered years take precedence.
//!
//! Outside the years the calendar covers, only weekends are days off: due dates there are
//! estimates and [`HolidayCalendar::uncovered_years`] says so, so the UI can tell people.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::date::Date;

/// One holiday of the notice: its name and first and last day off, both inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayPeriod {
    pub name: String,
    pub first: Date,
    pub last: Date,
}

impl HolidayPeriod {
    /// Every day of the period.
    pub fn days(&self) -> impl Iterator<Item = Date> + '_ {
        let count = self.first.days_until(self.last).max(-1) + 1;
        (0..count).map(|i| self.first.add_days(i))
    }
}

/// An address a link may point at: http(s) only, so a stored value can never become a
/// `javascript:` link wherever it is shown.
pub fn is_web_address(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// The schedules shipped in `data/holidays.json`.
pub const BUILTIN_HOLIDAYS_JSON: &str = include_str!("../../../data/holidays.json");

/// One year's official schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearSchedule {
    /// The notice: title and document number (文号) or date.
    pub source: String,
    /// Where the notice is published (www.gov.cn).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Date of the notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<Date>,
    /// Days off (放假), weekend days inside a holiday included.
    #[serde(default)]
    pub holidays: BTreeSet<Date>,
    /// Weekend days worked instead (调休上班).
    #[serde(default)]
    pub workdays: BTreeSet<Date>,
    /// The holidays by name, when entered from the notice by staff
    /// ([`super::notice`]); `holidays` is always the full list of days.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub periods: Vec<HolidayPeriod>,
}

/// Why a holiday schedule is refused. Messages are shown to staff.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("节假日数据格式错误：{0}")]
    Format(String),
    #[error("{year} 年的安排缺少来源（通知名称和文号）")]
    NoSource { year: i32 },
    #[error("{year} 年的安排没有任何放假日，请按国务院办公厅通知填写")]
    NoHolidays { year: i32 },
    #[error("{year} 年的安排中出现了其他年份的日期 {date}")]
    WrongYear { year: i32, date: Date },
    #[error("{date} 不能既是放假日又是调休上班日")]
    Both { date: Date },
    #[error("{date} 是周一至周五，本来就上班，不应列为调休上班日")]
    WorkdayNotWeekend { date: Date },
    #[error("{year} 年通知的网址应以 https:// 或 http:// 开头")]
    BadUrl { year: i32 },
    #[error("法定节日（暂定）只列放假日，调休上班日 {date} 要等国务院办公厅通知")]
    ProvisionalWorkday { date: Date },
}

/// Official holidays and make-up working days, by year.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HolidayCalendar {
    #[serde(default)]
    pub years: BTreeMap<i32, YearSchedule>,
    /// For years whose notice is not out yet: the statutory holidays (法定节日) of
    /// 《全国年节及纪念日放假办法》, which are days off whatever the notice arranges
    /// around them. Counted as days off, but due dates in such a year stay estimates:
    /// the notice adds 补假 and 调休 that nobody can know before.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub provisional: BTreeMap<i32, YearSchedule>,
}

pub(super) fn is_weekend(date: Date) -> bool {
    date.weekday() >= 6
}

impl YearSchedule {
    fn problems(&self, year: i32) -> Vec<CalendarError> {
        let mut out = Vec::new();
        if self.source.trim().is_empty() {
            out.push(CalendarError::NoSource { year });
        }
        if self.holidays.is_empty() {
            out.push(CalendarError::NoHolidays { year });
        }
        if let Some(url) = self.url.as_deref() {
            if !is_web_address(url) {
                out.push(CalendarError::BadUrl { year });
            }
        }
        for &date in self.holidays.iter().chain(&self.workdays) {
            if date.year != year {
                out.push(CalendarError::WrongYear { year, date });
            }
        }
        for &date in &self.workdays {
            if self.holidays.contains(&date) {
                out.push(CalendarError::Both { date });
            } else if !is_weekend(date) {
                out.push(CalendarError::WorkdayNotWeekend { date });
            }
        }
        out
    }
}

impl HolidayCalendar {
    /// The schedules shipped with Zhinan (`data/holidays.json`).
    pub fn builtin() -> HolidayCalendar {
        // Parsed once per process: every due date and progress lookup asks for it.
        static BUILTIN: std::sync::OnceLock<HolidayCalendar> = std::sync::OnceLock::new();
        BUILTIN
            // Checked by the unit tests: the shipped file always parses and validates.
            .get_or_init(|| HolidayCalendar::from_json(BUILTIN_HOLIDAYS_JSON).unwrap_or_default())
            .clone()
    }

    /// Parses `{"years": {"2025": {"source": …, "holidays": […], "workdays": […]}}}` and
    /// validates it.
    pub fn from_json(json: &str) -> Result<HolidayCalendar, CalendarError> {
        let calendar: HolidayCalendar =
            serde_json::from_str(json).map_err(|e| CalendarError::Format(e.to_string()))?;
        match calendar.validate().into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(calendar),
        }
    }

    /// Every problem with the schedules; empty when they are usable.
    pub fn validate(&self) -> Vec<CalendarError> {
        let provisional = self.provisional.iter().flat_map(|(&year, schedule)| {
            let mut problems = schedule.problems(year);
            // The law fixes days off only; make-up days come with the notice.
            if let Some(&date) = schedule.workdays.iter().next() {
                problems.push(CalendarError::ProvisionalWorkday { date });
            }
            problems
        });
        self.years
            .iter()
            .flat_map(|(&year, schedule)| schedule.problems(year))
            .chain(provisional)
            .collect()
    }

    /// Adds or replaces one year (staff entering the new notice). Returns the schedule it
    /// replaced.
    pub fn insert_year(
        &mut self,
        year: i32,
        schedule: YearSchedule,
    ) -> Result<Option<YearSchedule>, CalendarError> {
        if let Some(problem) = schedule.problems(year).into_iter().next() {
            return Err(problem);
        }
        Ok(self.years.insert(year, schedule))
    }

    /// Takes every year of `other`, replacing the same years here (a correction wins over
    /// the shipped data). Nothing changes if `other` has a problem. Returns the years that
    /// were replaced.
    pub fn merge(&mut self, other: HolidayCalendar) -> Result<Vec<i32>, CalendarError> {
        if let Some(problem) = other.validate().into_iter().next() {
            return Err(problem);
        }
        let mut replaced = Vec::new();
        for (year, schedule) in other.years {
            if self.years.insert(year, schedule).is_some() {
                replaced.push(year);
            }
        }
        Ok(replaced)
    }

    /// Whether the official schedule of `date`'s year is known.
    pub fn covers(&self, date: Date) -> bool {
        self.years.contains_key(&date.year)
    }

    /// Years from `from` to `to` (inclusive) without an official schedule: due dates that
    /// reach into them are estimates (weekends only).
    pub fn uncovered_years(&self, from: Date, to: Date) -> Vec<i32> {
        let (a, b) = if from <= to { (from, to) } else { (to, from) };
        (a.year..=b.year)
            .filter(|y| !self.years.contains_key(y))
            .collect()
    }

    /// An official day off (放假) per the schedule; weekends are not listed unless inside
    /// a holiday.
    pub fn is_holiday(&self, date: Date) -> bool {
        self.years
            .get(&date.year)
            .or_else(|| self.provisional.get(&date.year))
            .is_some_and(|s| s.holidays.contains(&date))
    }

    /// A weekend day worked instead (调休上班).
    pub fn is_makeup_workday(&self, date: Date) -> bool {
        self.years
            .get(&date.year)
            .is_some_and(|s| s.workdays.contains(&date))
    }
}

/// A schedule of the given days off, for tests (never a real notice).
#[cfg(test)]
pub(crate) fn test_schedule(days: impl IntoIterator<Item = Date>) -> YearSchedule {
    YearSchedule {
        source: "测试用安排（非真实通知）".into(),
        url: None,
        issued: None,
        holidays: days.into_iter().collect(),
        workdays: BTreeSet::new(),
        periods: Vec::new(),
    }
}
