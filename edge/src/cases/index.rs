//! The hall's case list in KV: one key per case (`case:{hall}:{number}`) with the list row
//! in its metadata, written after every change to the case and read back by the list;
//! the case ledger's row for the metrics is written with it. 代办 requests have a row at
//! both ends (`proxy:{village}:{number}` and `proxy:{hall}:{number}`).

use worker::Env;
use zhinan_domain::calendar::HolidayCalendar;
use zhinan_domain::cases::progress::CaseRow;
use zhinan_domain::cases::proxy::{sort_proxy_rows, ProxyRow};
use zhinan_domain::cases::receipt::ReceiptNumber;
use zhinan_domain::cases::stats::CaseFacts;
use zhinan_domain::cases::{Case, ProxyRequest};
use zhinan_domain::Date;

use super::common::command;
use crate::case_object::CaseCommand;
use crate::clock;
use crate::respond::Failure;

fn index_kv(env: &Env) -> Result<worker::kv::KvStore, Failure> {
    Ok(env.kv("CASES")?)
}

/// KV metadata is capped at 1024 bytes.
const ROW_BYTES: usize = 1000;
/// Rows stored before rows carried their clock, brought up to date per list call.
const UPGRADES_PER_LIST: usize = 20;

/// Keeps the hall's list row of a case current (`calendar`: the one in effect, which the
/// caller has read already).
pub(crate) async fn index(
    env: &Env,
    case: &Case,
    calendar: &HolidayCalendar,
) -> Result<(), Failure> {
    let today = clock::today();
    let mut row = CaseRow::of(case, today, calendar);
    row.fit_within(ROW_BYTES);
    crate::ops::one();
    index_kv(env)?
        .put(&format!("case:{}:{}", case.hall, case.number), "")?
        .metadata(&row)?
        .execute()
        .await?;
    if let Some(facts) = CaseFacts::of(case, today, calendar) {
        super::ledger::record(env, &facts).await?;
    }
    Ok(())
}

/// The rows of `hall`'s cases as of `today` (closed ones only if `include_closed`, or if
/// their rating needs a follow-up), in key order.
pub(super) async fn hall_rows(
    env: &Env,
    hall: &str,
    include_closed: bool,
    today: Date,
    calendar: &HolidayCalendar,
) -> Result<Vec<CaseRow>, Failure> {
    let mut rows: Vec<CaseRow> = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut listing = index_kv(env)?.list().prefix(format!("case:{hall}:"));
        if let Some(c) = cursor.take() {
            listing = listing.cursor(c);
        }
        crate::ops::one();
        let page = listing.execute().await?;
        for key in page.keys {
            let Some(meta) = key.metadata else { continue };
            if let Ok(mut row) = serde_json::from_value::<CaseRow>(meta) {
                row.refresh(today, calendar);
                if include_closed || !row.closed || row.follow_up {
                    rows.push(row);
                }
            }
        }
        match page.cursor {
            Some(c) if !page.list_complete => cursor = Some(c),
            _ => break,
        }
    }
    // A row stored without its clock keeps its old due date; rebuild open ones from the
    // case (a few per call, so one list never fans out into many calls).
    let stale: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, row)| row.clock.is_none() && !row.clock_omitted && !row.closed)
        .map(|(i, _)| i)
        .take(UPGRADES_PER_LIST)
        .collect();
    for i in stale {
        let Ok(number) = ReceiptNumber::parse(&rows[i].number) else {
            continue;
        };
        // Best effort: the list is still right with the old row, only not yet upgraded.
        if let Ok(case) = command(env, number.as_compact(), &CaseCommand::Get).await {
            if let Err(failure) = index(env, &case, calendar).await {
                worker::console_warn!("re-indexing {}: {failure:?}", case.number);
            }
            rows[i] = CaseRow::of(&case, today, calendar);
        }
    }
    Ok(rows)
}

/// Keeps both desks' rows of a 代办 request current (`case`: the hall's case under its
/// number, once accepted).
pub(crate) async fn index_proxy(
    env: &Env,
    request: &ProxyRequest,
    case: Option<&Case>,
) -> Result<(), Failure> {
    let mut row = request.row(case.is_some_and(result_ready));
    row.fit_within(ROW_BYTES);
    let kv = index_kv(env)?;
    for hall in [&request.village, &request.to_hall] {
        crate::ops::one();
        kv.put(&format!("proxy:{hall}:{}", request.number), "")?
            .metadata(&row)?
            .execute()
            .await?;
    }
    Ok(())
}

/// The hall is done with the case (办结 or 退回): a 代办 result can go back to the village.
pub(crate) fn result_ready(case: &Case) -> bool {
    case.is_decided() || case.status() == zhinan_domain::cases::CaseStatus::Returned
}

/// The 代办 requests `hall` sent (a village) or receives (a township or county hall),
/// unfinished ones unless `include_finished`, what waits for this desk first.
pub(super) async fn proxy_rows(
    env: &Env,
    hall: &str,
    at_village: bool,
    include_finished: bool,
) -> Result<Vec<ProxyRow>, Failure> {
    let mut rows: Vec<ProxyRow> = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut listing = index_kv(env)?.list().prefix(format!("proxy:{hall}:"));
        if let Some(c) = cursor.take() {
            listing = listing.cursor(c);
        }
        crate::ops::one();
        let page = listing.execute().await?;
        rows.extend(
            page.keys
                .into_iter()
                .filter_map(|key| serde_json::from_value::<ProxyRow>(key.metadata?).ok())
                .filter(|row| include_finished || !row.status.is_finished()),
        );
        match page.cursor {
            Some(c) if !page.list_complete => cursor = Some(c),
            _ => break,
        }
    }
    sort_proxy_rows(&mut rows, at_village);
    Ok(rows)
}
