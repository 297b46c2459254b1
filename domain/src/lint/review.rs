//! Rule 12: guides reviewed within the last year.

use super::*;

/// Rule 12: reviewed within the last year. An unparsable date is shape validation's.
pub(super) fn check_staleness(item: &Item, today: Date, out: &mut Vec<Finding>) {
    let Ok(reviewed) = Date::parse(&item.reviewed_at) else {
        return;
    };
    let age = reviewed.days_until(today);
    if age > STALE_AFTER_DAYS {
        out.push(Finding::new(
            REVIEW_STALE,
            format!("办事指南已{age}天未复核（上次复核于{reviewed}），请核实内容是否仍然准确"),
            &["reviewed_at"],
        ));
    }
}
