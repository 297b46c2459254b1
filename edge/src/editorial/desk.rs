//! The window desk (`/api/v1/staff/desk/{hall}/…`): a signed-in clerk accepts cases (受理),
//! records their steps and the call backs about 差评, lists the hall's cases (filtered by
//! clerk, as CSV too) and prints a receipt again — the same case rules as the hall API,
//! with every action signed by the account and written to the audit log. Clerks act at
//! their own hall only, admins at any; read-only accounts see the lists.
//!
//! 代办: a village agent registers requests at the village's desk and records the village
//! leg; the hall a request is handed to accepts it at its desk (the case then begins).

use worker::Request;
use zhinan_domain::accounts::{Role, StaffUser};
use zhinan_domain::cases::CaseRow;
use zhinan_domain::catalog::sheet::Table;

use super::common::{csv_bytes, download, forbidden, json, query_param, Answer};
use super::office::Office;
use crate::cases::{hall_api, proxy};

/// The hall list as a spreadsheet, one case per row.
fn cases_table(rows: &[CaseRow]) -> Table {
    let cell = |text: &str| zhinan_domain::metrics::cell(text);
    Table {
        headers: [
            "受理编号",
            "事项",
            "窗口",
            "受理时间",
            "应办结日期",
            "状态",
            "超期",
            "差评待回访",
            "受理人",
            "最近经办人",
        ]
        .map(str::to_string)
        .to_vec(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.number.clone(),
                    cell(&r.item_name),
                    cell(&r.window),
                    r.accepted_at.clone(),
                    r.due.to_string(),
                    r.status_label.clone(),
                    if r.overdue { "是" } else { "" }.to_string(),
                    if r.follow_up { "是" } else { "" }.to_string(),
                    r.clerk.clone().unwrap_or_else(|| "后台系统".into()),
                    r.last_clerk.clone().unwrap_or_else(|| "后台系统".into()),
                ]
            })
            .collect(),
    }
}

impl Office {
    fn may_record(user: &StaffUser, hall: &str) -> Result<(), crate::respond::Failure> {
        if user.can_record_cases_at(hall) {
            Ok(())
        } else {
            Err(forbidden("只能办理本人所在服务中心的办件"))
        }
    }

    /// `GET /desk/{hall}/cases[?all=1][&clerk=][&format=csv]`.
    pub(super) async fn desk_cases(&self, user: &StaffUser, hall: &str, req: &Request) -> Answer {
        if !user.can_read_cases_at(hall) {
            return Err(forbidden("只能查看本人所在服务中心的办件"));
        }
        let all = query_param(req, "all").as_deref() == Some("1");
        let mut list = hall_api::hall_list(&self.env, hall, all).await?;
        if let Some(clerk) = query_param(req, "clerk").filter(|c| !c.is_empty()) {
            list.cases.retain(|row| row.handled_by(&clerk));
        }
        if query_param(req, "format").as_deref() == Some("csv") {
            return download(
                csv_bytes(&cases_table(&list.cases))?,
                "text/csv; charset=utf-8",
                &format!("zhinan-cases-{hall}-{}.csv", list.today),
            );
        }
        json(&list, 200)
    }

    /// `POST /desk/{hall}/cases`: 受理.
    pub(super) async fn desk_accept(
        &self,
        user: &StaffUser,
        hall: &str,
        req: &Request,
        body: &str,
    ) -> Answer {
        Self::may_record(user, hall)?;
        let origin = crate::public_origin(&self.env);
        let (accepted, replayed) =
            hall_api::accept_at_desk(req, &self.env, hall, &origin, body, user).await?;
        if !replayed {
            self.audit(
                &user.username,
                "desk_accept",
                &accepted.number,
                format!("{}：{}", hall, accepted.case.item_name),
            )
            .await?;
        }
        hall_api::accepted_response(&accepted, replayed)
    }

    /// `POST /desk/{hall}/cases/{number}/events`: a step.
    pub(super) async fn desk_event(
        &self,
        user: &StaffUser,
        hall: &str,
        number: &str,
        req: &Request,
        body: &str,
    ) -> Answer {
        Self::may_record(user, hall)?;
        let case = hall_api::append_at_desk(req, &self.env, hall, number, body, user).await?;
        let step = case.events.last().map_or("", |e| e.kind.label());
        self.audit(&user.username, "desk_event", number, step.to_string())
            .await?;
        json(&case, 200)
    }

    /// `POST /desk/{hall}/cases/{number}/follow-ups`: a call back about a 差评.
    pub(super) async fn desk_follow_up(
        &self,
        user: &StaffUser,
        hall: &str,
        number: &str,
        req: &Request,
        body: &str,
    ) -> Answer {
        Self::may_record(user, hall)?;
        let case = hall_api::follow_up_at_desk(req, &self.env, hall, number, body, user).await?;
        let done = case.follow_ups.last().is_some_and(|f| f.done);
        self.audit(
            &user.username,
            "desk_follow_up",
            number,
            if done {
                "回访完成"
            } else {
                "回访未完成"
            }
            .to_string(),
        )
        .await?;
        json(&case, 200)
    }

    /// `GET /desk/receipts/{number}`: the receipt to print (again), for an account that
    /// records cases at the case's hall; its query code is shown, so the audit log keeps
    /// who printed it.
    pub(super) async fn desk_receipt(&self, user: &StaffUser, number: &str) -> Answer {
        let origin = crate::public_origin(&self.env);
        let receipt = hall_api::receipt_at_desk(&self.env, number, &origin, |hall| {
            user.can_record_cases_at(hall)
        })
        .await?;
        self.audit(
            &user.username,
            "desk_receipt",
            &receipt.progress.number,
            "打印受理通知单".into(),
        )
        .await?;
        json(&receipt, 200)
    }

    /// `GET /desk/{hall}/proxy[?all=1]`: a village's 代办 requests, or those handed to a
    /// hall.
    pub(super) async fn desk_proxies(&self, user: &StaffUser, hall: &str, req: &Request) -> Answer {
        if !user.can_proxy_at(hall) && !user.can_read_cases_at(hall) {
            return Err(forbidden("只能查看本人所在服务点或服务中心的代办件"));
        }
        let all = query_param(req, "all").as_deref() == Some("1");
        json(&proxy::list(&self.env, hall, all).await?, 200)
    }

    /// `POST /desk/{village}/proxy`: an agent registers a 代办 request.
    pub(super) async fn desk_proxy_register(
        &self,
        user: &StaffUser,
        village: &str,
        req: &Request,
        body: &str,
    ) -> Answer {
        if !user.can_proxy_at(village) {
            return Err(forbidden("只能在本人所在的村（社区）服务点登记代办"));
        }
        let origin = crate::public_origin(&self.env);
        let (issued, replayed) =
            proxy::register(req, &self.env, village, &origin, body, user).await?;
        if !replayed {
            self.audit(
                &user.username,
                "proxy_register",
                &issued.request.number,
                format!("{village}：{}", issued.request.item_name),
            )
            .await?;
        }
        json(&issued, if replayed { 200 } else { 201 })
    }

    /// `POST /desk/{village}/proxy/{number}/steps`: a step of the village leg.
    pub(super) async fn desk_proxy_step(
        &self,
        user: &StaffUser,
        village: &str,
        number: &str,
        body: &str,
    ) -> Answer {
        if !user.can_proxy_at(village) {
            return Err(forbidden("只能办理本人所在服务点的代办件"));
        }
        let request = proxy::record(&self.env, village, number, body, user).await?;
        let step = request.steps.last().map_or("", |s| s.kind.label());
        self.audit(
            &user.username,
            "proxy_step",
            &request.number,
            step.to_string(),
        )
        .await?;
        json(&request, 200)
    }

    /// `POST /desk/{hall}/proxy/{number}/accept`: the hall accepts a handed-over request.
    pub(super) async fn desk_proxy_accept(
        &self,
        user: &StaffUser,
        hall: &str,
        number: &str,
        req: &Request,
        body: &str,
    ) -> Answer {
        Self::may_record(user, hall)?;
        let case = proxy::accept(req, &self.env, hall, number, body, user).await?;
        self.audit(
            &user.username,
            "proxy_accept",
            &case.number,
            format!("{hall}：{}", case.item_name),
        )
        .await?;
        json(&case, 201)
    }

    /// `GET /desk/proxy-slips/{number}`: the 委托书 and checklist to print (again).
    pub(super) async fn desk_proxy_slip(&self, user: &StaffUser, number: &str) -> Answer {
        // The slip shows the query code: only the desks that handle requests print it.
        if !matches!(user.role, Role::Admin | Role::Agent | Role::Clerk) {
            return Err(forbidden("只有代办员、窗口人员和管理员可以打印代办委托书"));
        }
        let origin = crate::public_origin(&self.env);
        let slip = proxy::slip(&self.env, number, &origin, |request| {
            user.can_proxy_at(&request.village) || user.can_record_cases_at(&request.to_hall)
        })
        .await?;
        self.audit(
            &user.username,
            "proxy_slip",
            &slip.request.number,
            "打印代办委托书".into(),
        )
        .await?;
        json(&slip, 200)
    }
}
