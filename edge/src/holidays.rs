//! The holiday calendar due dates are counted with: the years shipped in
//! `data/holidays.json`, with the years hall staff entered on top. The editorial object
//! validates and writes the staff years to KV (`holidays:staff`); everything that counts
//! working days reads them here.

use worker::{Env, Response};
use zhinan_domain::calendar::notice::{effective_calendar, listing, CalendarListing};
use zhinan_domain::calendar::HolidayCalendar;

use crate::respond::{json_headers, secure, Failure};

/// KV key (namespace `CATALOG`) of the staff-entered years, a [`HolidayCalendar`].
pub const STAFF_KEY: &str = "holidays:staff";

/// The staff-entered years. A value that does not parse (only a hand edit could make
/// one: the editorial object validates what it writes) is reported in the log and left
/// out, so progress pages keep working with the shipped years.
pub async fn staff_years(env: &Env) -> Result<HolidayCalendar, Failure> {
    crate::ops::one();
    let Some(text) = env.kv("CATALOG")?.get(STAFF_KEY).text().await? else {
        return Ok(HolidayCalendar::default());
    };
    match HolidayCalendar::from_json(&text) {
        Ok(calendar) => Ok(calendar),
        Err(e) => {
            worker::console_error!("{STAFF_KEY} is unusable, using the shipped years: {e}");
            Ok(HolidayCalendar::default())
        }
    }
}

/// The calendar in effect.
pub async fn calendar(env: &Env) -> Result<HolidayCalendar, Failure> {
    Ok(effective_calendar(
        &HolidayCalendar::builtin(),
        &staff_years(env).await?,
    ))
}

/// The listing of the calendar in effect, each year with where it comes from.
pub async fn current_listing(env: &Env) -> Result<CalendarListing, Failure> {
    Ok(listing(
        &HolidayCalendar::builtin(),
        &staff_years(env).await?,
    ))
}

/// `GET /api/v1/holidays`: the schedules in effect, for integrators.
pub async fn list(env: &Env) -> Result<Response, Failure> {
    let mut response =
        Response::from_json(&current_listing(env).await?)?.with_headers(json_headers()?);
    // Short: an entered notice should reach every reader within a minute or two.
    response
        .headers_mut()
        .set("Cache-Control", "public, max-age=60, must-revalidate")?;
    Ok(secure(response)?)
}
