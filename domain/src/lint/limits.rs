//! Rules 1–4: time limits — 即办 is instant, promised within legal, compressed to half, no outliers.

use super::*;

const EPS: f64 = 1e-9;

/// Rule 1: `Kind::Instant` ⇔ promised limit 0.
pub(super) fn check_instant(item: &Item, out: &mut Vec<Finding>) {
    let promised = item.promised_limit;
    match item.kind {
        Kind::Instant if !promised.is_instant() => out.push(Finding::new(
            INSTANT_MUST_BE_INSTANT,
            format!(
                "即办件的承诺时限应为即办（0），当前为{}；确需{}办结的，应改为承诺件",
                promised.label(),
                promised.label()
            ),
            &["kind", "promised_limit"],
        )),
        Kind::Promised if promised.is_instant() => out.push(Finding::new(
            INSTANT_MUST_BE_INSTANT,
            "承诺时限为即办（0）的事项应为即办件，当前为承诺件",
            &["kind", "promised_limit"],
        )),
        _ => {}
    }
}

fn promised_exceeds_legal(item: &Item) -> bool {
    item.promised_limit.approx_calendar_days() > item.legal_limit.approx_calendar_days() + EPS
}

/// Rule 2: promised ≤ legal.
pub(super) fn check_promised_within_legal(item: &Item, out: &mut Vec<Finding>) {
    if promised_exceeds_legal(item) {
        out.push(Finding::new(
            PROMISED_WITHIN_LEGAL,
            format!(
                "承诺时限{}超过法定时限{}",
                item.promised_limit.label(),
                item.legal_limit.label()
            ),
            &["promised_limit", "legal_limit"],
        ));
    }
}

/// Rule 3: promised at most half of legal, unless `limit_note` explains why not.
pub(super) fn check_compression(item: &Item, out: &mut Vec<Finding>) {
    let legal = item.legal_limit.approx_calendar_days();
    let promised = item.promised_limit.approx_calendar_days();
    // Legal 0 cannot be halved; promised > legal is rule 2's error already.
    if legal <= 0.0 || promised_exceeds_legal(item) || !is_blank_opt(&item.limit_note) {
        return;
    }
    if promised * 2.0 > legal + EPS {
        out.push(Finding::new(
            LIMIT_COMPRESSION,
            format!(
                "承诺时限{}未压减到法定时限{}的一半以内；属特殊事项的，请在时限说明中注明原因",
                item.promised_limit.label(),
                item.legal_limit.label()
            ),
            &["promised_limit", "limit_note"],
        ));
    }
}

/// Key under which peers match: the name without text in (full-width or ASCII)
/// parentheses and without whitespace.
pub fn name_key(name: &str) -> String {
    let mut depth = 0usize;
    let mut key = String::new();
    for c in name.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            c if depth == 0 && !c.is_whitespace() => key.push(c),
            _ => {}
        }
    }
    if key.is_empty() {
        name.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        key
    }
}

/// The middle of the peers' limits, sorted by length: the median for an odd count, the
/// two middle values for an even one (so one wild peer out of two cannot make a right
/// value look wrong).
pub(super) fn middle(sorted: &[&PeerLimit]) -> (TimeLimit, TimeLimit) {
    let n = sorted.len();
    let high = sorted[n / 2].legal_limit;
    let low = if n.is_multiple_of(2) {
        sorted[n / 2 - 1].legal_limit
    } else {
        high
    };
    (low, high)
}

/// Rule 4: legal limit far from the same item elsewhere; any limit beyond a sane bound.
pub(super) fn check_outliers(item: &Item, peers: &[PeerLimit], out: &mut Vec<Finding>) {
    let key = name_key(&item.name);
    let mut matched: Vec<&PeerLimit> = peers
        .iter()
        .filter(|p| p.hall != item.hall && name_key(&p.name) == key)
        .collect();
    let mut legal_flagged = false;
    if !matched.is_empty() {
        matched.sort_by(|a, b| {
            let (a, b) = (a.legal_limit, b.legal_limit);
            a.approx_calendar_days()
                .total_cmp(&b.approx_calendar_days())
        });
        let (low, high) = middle(&matched);
        let days = item.legal_limit.approx_calendar_days();
        let direction = if high.value > 0 && days > high.approx_calendar_days() * OUTLIER_FACTOR {
            Some(("远高于", high))
        } else if low.value > 0 && days < low.approx_calendar_days() / OUTLIER_FACTOR {
            Some(("远低于", low))
        } else {
            None
        };
        if let Some((direction, typical)) = direction {
            let among = if matched.len() > 1 {
                format!("（比较了{}个地区）", matched.len())
            } else {
                String::new()
            };
            out.push(Finding::new(
                LIMIT_OUTLIER,
                format!(
                    "法定时限{}，{direction}其他地区同一事项的{}{among}，请核对设定依据",
                    item.legal_limit.label(),
                    typical.label()
                ),
                &["legal_limit"],
            ));
            legal_flagged = true;
        }
    }
    for (field, what, limit, skip) in [
        ("legal_limit", "法定时限", item.legal_limit, legal_flagged),
        ("promised_limit", "承诺时限", item.promised_limit, false),
    ] {
        if !skip && limit.approx_calendar_days() > SANE_LIMIT_DAYS + EPS {
            out.push(Finding::new(
                LIMIT_OUTLIER,
                format!(
                    "{what}{}超过一年（{SANE_LIMIT_DAYS}日），请核对是否填写有误",
                    limit.label()
                ),
                &[field],
            ));
        }
    }
}
