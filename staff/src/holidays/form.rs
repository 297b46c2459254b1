//! The holiday form as typed — a year, the notice's title, its periods and its make-up
//! working days — and its checks before sending: every problem by field path, the same
//! paths the server answers with, in the order the fields stand on screen.

use zhinan_domain::api::ApiFieldError;
use zhinan_domain::calendar::notice::{CalendarYear, NoticeEntry, ScheduleOrigin, YEARS};
use zhinan_domain::calendar::schedule::HolidayPeriod;
use zhinan_domain::{Date, FieldPath};

/// The holidays every notice lists, in its order: the form starts with one row each.
const NOTICE_HOLIDAYS: [&str; 7] = [
    "元旦",
    "春节",
    "清明节",
    "劳动节",
    "端午节",
    "中秋节",
    "国庆节",
];

/// One period row as typed (date inputs give `YYYY-MM-DD` or nothing).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PeriodRow {
    pub name: String,
    pub first: String,
    pub last: String,
}

/// The whole form as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Form {
    pub year: String,
    pub source: String,
    pub url: String,
    pub issued: String,
    pub periods: Vec<PeriodRow>,
    pub workdays: Vec<String>,
}

impl Form {
    pub fn blank(year: Option<i32>) -> Form {
        Form {
            year: year.map(|y| y.to_string()).unwrap_or_default(),
            periods: NOTICE_HOLIDAYS
                .iter()
                .map(|name| PeriodRow {
                    name: name.to_string(),
                    ..PeriodRow::default()
                })
                .collect(),
            ..Form::default()
        }
    }

    /// The form for correcting a year, or for entering the notice of a year counted with
    /// the statutory holidays meanwhile (its days are a start; the title is the notice's).
    pub fn of(year: &CalendarYear) -> Form {
        let entry = NoticeEntry::from_schedule(&year.schedule);
        let statutory = year.origin == ScheduleOrigin::Statutory;
        Form {
            year: year.year.to_string(),
            source: if statutory {
                String::new()
            } else {
                entry.source
            },
            url: entry.url.unwrap_or_default(),
            issued: entry.issued.map(|d| d.to_string()).unwrap_or_default(),
            periods: entry
                .periods
                .iter()
                .map(|p| PeriodRow {
                    name: p.name.clone(),
                    first: p.first.to_string(),
                    last: p.last.to_string(),
                })
                .collect(),
            workdays: entry.workdays.iter().map(Date::to_string).collect(),
        }
    }

    /// The year and entry to send, or every problem by field (the same field paths the
    /// server uses, so its answers land beside the same inputs).
    pub fn entry(&self) -> Result<(i32, NoticeEntry), Vec<ApiFieldError>> {
        let mut errors = Vec::new();
        let mut date = |field: FieldPath, text: &str, required: bool| -> Option<Date> {
            let text = text.trim();
            if text.is_empty() {
                if required {
                    errors.push(ApiFieldError {
                        field,
                        message: "请填写日期".into(),
                    });
                }
                return None;
            }
            match Date::parse(text) {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push(ApiFieldError {
                        field,
                        message: "日期格式应为 2027-01-01".into(),
                    });
                    None
                }
            }
        };
        let issued = date(FieldPath::new("issued"), &self.issued, false);
        // Rows whose dates could not be read are left out of the entry; `rows` maps the
        // entry's indexes back to the rows on screen for the messages.
        let mut period_rows = Vec::new();
        let mut periods = Vec::new();
        for (i, p) in self.periods.iter().enumerate() {
            let first = date(
                FieldPath::new("periods").index(i).key("first"),
                &p.first,
                true,
            );
            let last = date(
                FieldPath::new("periods").index(i).key("last"),
                &p.last,
                true,
            );
            if let (Some(first), Some(last)) = (first, last) {
                period_rows.push(i);
                periods.push(HolidayPeriod {
                    name: p.name.clone(),
                    first,
                    last,
                });
            }
        }
        let mut workday_rows = Vec::new();
        let mut workdays = Vec::new();
        for (i, w) in self.workdays.iter().enumerate() {
            if let Some(day) = date(FieldPath::new("workdays").index(i), w, true) {
                workday_rows.push(i);
                workdays.push(day);
            }
        }
        let Some(year) = self
            .year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| YEARS.contains(y))
        else {
            errors.insert(
                0,
                ApiFieldError {
                    field: FieldPath::new("year"),
                    message: format!("年份应为 {} 至 {} 的数字", YEARS.start(), YEARS.end()),
                },
            );
            return Err(errors);
        };
        let entry = NoticeEntry {
            source: self.source.clone(),
            url: Some(self.url.clone()).filter(|u| !u.trim().is_empty()),
            issued,
            periods,
            workdays,
        };
        for problem in entry.problems(year) {
            let field = on_screen(
                &on_screen(&problem.field, "periods", &period_rows),
                "workdays",
                &workday_rows,
            );
            // A list left empty only because its dates are unreadable says so already.
            if field == "periods" && !self.periods.is_empty() && period_rows.is_empty() {
                continue;
            }
            errors.push(ApiFieldError {
                field,
                message: problem.message,
            });
        }
        if errors.is_empty() {
            Ok((year, entry))
        } else {
            errors.sort_by_key(|e| screen_order(&e.field));
            Err(errors)
        }
    }
}

/// Where a field is on the form, top to bottom: the summary lists problems in that order.
fn screen_order(field: &FieldPath) -> (u8, usize, u8) {
    if let Some((i, tail)) = field.in_list("periods") {
        let column = ["name", "first", "last"]
            .iter()
            .position(|t| tail == *t)
            .unwrap_or(3);
        return (5, i, column as u8);
    }
    if let Some((i, _)) = field.in_list("workdays") {
        return (7, i, 0);
    }
    match field.to_string().as_str() {
        "year" => (0, 0, 0),
        "source" => (1, 0, 0),
        "url" => (2, 0, 0),
        "issued" => (3, 0, 0),
        "periods" => (4, 0, 0),
        "workdays" => (6, 0, 0),
        _ => (8, 0, 0),
    }
}

impl Form {
    /// What the summary calls a field: its label, with the holiday's name for a date.
    pub fn label_of(&self, field: &FieldPath) -> String {
        if let Some((i, tail)) = field.in_list("periods") {
            let name = self
                .periods
                .get(i)
                .map(|p| p.name.trim().to_string())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| format!("第{}项", i + 1));
            return if tail == "first" {
                format!("{name} 放假起")
            } else if tail == "last" {
                format!("{name} 放假止")
            } else {
                format!("第{}项 名称", i + 1)
            };
        }
        if let Some((i, _)) = field.in_list("workdays") {
            return format!("调休上班日 {}", i + 1);
        }
        let text = field.to_string();
        match text.as_str() {
            "year" => "年份".into(),
            "source" => "通知名称和文号".into(),
            "url" => "通知网址".into(),
            "issued" => "发布日期".into(),
            "periods" => "放假安排".into(),
            "workdays" => "调休上班日".into(),
            _ => text,
        }
    }
}

/// `periods[k].last` of the entry as the field of row `rows[k]` on screen.
fn on_screen(field: &FieldPath, list: &str, rows: &[usize]) -> FieldPath {
    match field.in_list(list).and_then(|(k, _)| rows.get(k)) {
        Some(&row) => field.with_list_index(row),
        None => field.clone(),
    }
}
