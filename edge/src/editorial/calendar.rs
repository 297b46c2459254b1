//! Staff keep the holiday calendar current: when the State Council publishes next year's
//! notice, the hall admin types it in (`PUT /api/v1/staff/holidays/{year}`) and every due
//! date is counted with it from then on — no redeploy. The object keeps the entered years
//! (strongly consistent, read back by the console) and mirrors them to KV for readers.

use worker::Method;
use zhinan_domain::accounts::{Role, StaffUser};
use zhinan_domain::calendar::notice::{listing, NoticeEntry, YEARS};
use zhinan_domain::calendar::HolidayCalendar;

use super::common::{body_of, forbidden, json, Answer};
use super::office::Office;
use crate::holidays::STAFF_KEY;
use crate::respond::Failure;

/// Durable Object storage key of the entered years.
const STORED: &str = "holidays";

fn parse_year(raw: &str) -> std::result::Result<i32, Failure> {
    raw.parse::<i32>()
        .ok()
        .filter(|y| YEARS.contains(y))
        .ok_or_else(|| {
            Failure::bad_request(
                "bad_year",
                format!("年份应为 {} 至 {} 的数字", YEARS.start(), YEARS.end()),
                "year",
            )
        })
}

impl Office {
    async fn entered_years(&self) -> std::result::Result<HolidayCalendar, Failure> {
        Ok(self.get(STORED).await?.unwrap_or_default())
    }

    /// Object storage first (the record), then KV (what readers use).
    async fn store_years(&self, years: &HolidayCalendar) -> std::result::Result<(), Failure> {
        self.store_mirrored(STORED, STAFF_KEY, years).await
    }

    async fn calendar_listing(&self) -> Answer {
        let entered = self.entered_years().await?;
        json(&listing(&HolidayCalendar::builtin(), &entered), 200)
    }

    /// `/api/v1/staff/holidays[/{year}]`: everyone signed in reads; the admin enters,
    /// replaces and withdraws years.
    pub(super) async fn holidays(
        &self,
        user: &StaffUser,
        method: Method,
        year: Option<&str>,
        body: &str,
    ) -> Answer {
        match (method, year) {
            (Method::Get, None) => self.calendar_listing().await,
            (Method::Put, Some(raw)) => self.enter_year(user, raw, body).await,
            (Method::Delete, Some(raw)) => self.withdraw_year(user, raw).await,
            (method, _) => Err(Failure::not_found(
                "no_route",
                format!("没有这个接口：{method} /api/v1/staff/holidays"),
            )),
        }
    }

    async fn enter_year(&self, user: &StaffUser, raw_year: &str, body: &str) -> Answer {
        if user.role != Role::Admin {
            return Err(forbidden("只有中心管理员可以录入节假日安排"));
        }
        let year = parse_year(raw_year)?;
        let entry: NoticeEntry = body_of(body)?;
        let schedule = entry.to_schedule(year).map_err(Failure::bad_fields)?;
        let detail = format!(
            "{}：放假 {} 天，调休上班 {} 天",
            schedule.source,
            schedule.holidays.len(),
            schedule.workdays.len()
        );
        let mut entered = self.entered_years().await?;
        let replaced = entered
            .insert_year(year, schedule)
            .map_err(|e| Failure::bad_request("bad_body", e.to_string(), "periods"))?
            .is_some()
            || HolidayCalendar::builtin().years.contains_key(&year);
        self.store_years(&entered).await?;
        self.audit(
            &user.username,
            "enter_holidays",
            &year.to_string(),
            if replaced {
                format!("{detail}（替换原有安排）")
            } else {
                detail
            },
        )
        .await?;
        self.calendar_listing().await
    }

    async fn withdraw_year(&self, user: &StaffUser, raw_year: &str) -> Answer {
        if user.role != Role::Admin {
            return Err(forbidden("只有中心管理员可以录入节假日安排"));
        }
        let year = parse_year(raw_year)?;
        let mut entered = self.entered_years().await?;
        let Some(removed) = entered.years.remove(&year) else {
            return Err(Failure::not_found(
                "no_entry",
                format!("{year} 年没有工作人员录入的安排"),
            ));
        };
        self.store_years(&entered).await?;
        let fallback = if HolidayCalendar::builtin().years.contains_key(&year) {
            "恢复随系统发布的安排"
        } else {
            "该年改按双休日和法定节日估算"
        };
        self.audit(
            &user.username,
            "withdraw_holidays",
            &year.to_string(),
            format!("撤下《{}》，{fallback}", removed.source),
        )
        .await?;
        self.calendar_listing().await
    }
}
