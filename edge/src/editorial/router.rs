//! Routing: the method and path of a `/api/v1/staff/*` request to its handler, after the
//! checks every route but the login needs (a signed-in session; the CSRF token on writes).

use worker::{Method, Request};

use super::common::Answer;
use super::office::Office;
use super::session;
use crate::respond::Failure;

pub(super) async fn handle(office: &Office, mut req: Request) -> Answer {
    office.ensure_admin().await?;
    let path = req.path();
    let segments: Vec<String> = path
        .trim_start_matches("/api/v1/staff")
        .trim_matches('/')
        .split('/')
        .map(crate::decode)
        .collect();
    let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
    let method = req.method();
    // Read the whole body before any answer: the runtime faults an object that
    // answers while the request stream is still unread. Bytes: an import may be XLSX.
    let bytes = req.bytes().await.unwrap_or_default();
    let body = String::from_utf8_lossy(&bytes).into_owned();
    if method == Method::Post && segs == ["login"] {
        // JSON only: a cross-site HTML form can post text/plain or form data, never this.
        let json = req
            .headers()
            .get("Content-Type")
            .ok()
            .flatten()
            .is_some_and(|t| t.trim().starts_with("application/json"));
        if !json {
            return Err(Failure::bad_request(
                "bad_content_type",
                "登录请求须为 application/json",
                "content_type",
            ));
        }
        return office.login(&req, &body).await;
    }
    let (user, session) = office.session(&req).await?;
    if method != Method::Get && method != Method::Head {
        session::check_csrf(&req, &session)?;
    }
    match (method, segs.as_slice()) {
        (Method::Get, ["me"]) => session::me(user, session),
        (Method::Post, ["logout"]) => office.logout(&req).await,
        (Method::Get, ["items"]) => office.items(&user, &req).await,
        (Method::Get, ["items", code]) => office.item(&user, code).await,
        (Method::Put, ["items", code, "draft"]) => office.save_draft(&user, code, &body).await,
        (Method::Delete, ["items", code, "draft"]) => office.discard_draft(&user, code).await,
        (Method::Get, ["items", code, "diff"]) => office.diff(&user, code, &req).await,
        (Method::Post, ["import"]) => office.import(&user, &req, &bytes).await,
        (Method::Get, ["export"]) => office.export(&user, &req).await,
        (Method::Get, ["quality"]) => office.quality(&user, &req).await,
        (Method::Get, ["metrics"]) => office.metrics(&req).await,
        (Method::Post, ["posters"]) => office.print_posters(&user, &body).await,
        (Method::Get, ["posters"]) => office.list_posters(&req).await,
        (Method::Post, ["posters", serial, "retire"]) => office.retire_poster(&user, serial).await,
        (Method::Post, ["publish"]) => office.publish(&user, &req, &body).await,
        (Method::Get, ["publish"]) => office.publish_status().await,
        (Method::Get, ["versions"]) => office.versions().await,
        (Method::Post, ["rollback"]) => office.rollback(&user, &body).await,
        (Method::Get, ["audit"]) => office.audit_log(&user, &req).await,
        (Method::Get, ["users"]) => office.users(&user).await,
        (Method::Post, ["users"]) => office.create_user(&user, &body).await,
        (Method::Patch, ["users", name]) => office.change_account(&user, name, &body).await,
        (Method::Post, ["me", "password"]) => office.change_own_password(&req, &user, &body).await,
        (method, ["holidays"]) => office.holidays(&user, method, None, &body).await,
        (method, ["holidays", year]) => office.holidays(&user, method, Some(year), &body).await,
        (Method::Get, ["desk", hall, "cases"]) => office.desk_cases(&user, hall, &req).await,
        (Method::Post, ["desk", hall, "cases"]) => {
            office.desk_accept(&user, hall, &req, &body).await
        }
        (Method::Post, ["desk", hall, "cases", number, "events"]) => {
            office.desk_event(&user, hall, number, &req, &body).await
        }
        (Method::Post, ["desk", hall, "cases", number, "follow-ups"]) => {
            office
                .desk_follow_up(&user, hall, number, &req, &body)
                .await
        }
        (Method::Get, ["desk", "receipts", number]) => office.desk_receipt(&user, number).await,
        (Method::Get, ["desk", hall, "proxy"]) => office.desk_proxies(&user, hall, &req).await,
        (Method::Post, ["desk", village, "proxy"]) => {
            office
                .desk_proxy_register(&user, village, &req, &body)
                .await
        }
        (Method::Post, ["desk", village, "proxy", number, "steps"]) => {
            office.desk_proxy_step(&user, village, number, &body).await
        }
        (Method::Post, ["desk", hall, "proxy", number, "accept"]) => {
            office
                .desk_proxy_accept(&user, hall, number, &req, &body)
                .await
        }
        (Method::Get, ["desk", "proxy-slips", number]) => {
            office.desk_proxy_slip(&user, number).await
        }
        (Method::Get, ["search-words"]) => office.words_listing().await,
        (Method::Put, ["search-words"]) => office.replace_words(&user, &body).await,
        _ => Err(Failure::not_found(
            "no_route",
            format!("没有这个接口：{path}"),
        )),
    }
}
