use super::*;
use crate::catalog::item::{Channel, HoursSpan};
use crate::validate_item;

// --- rule 13 ---

/// The fields of every rule-13 finding.
fn gaps(item: &Item) -> Vec<String> {
    lint(item)
        .into_iter()
        .filter(|f| f.rule == GUIDE_COMPLETE)
        .inspect(|f| assert_eq!(f.severity, Severity::Error))
        .flat_map(|f| f.fields)
        .map(|p| p.to_string())
        .collect()
}

#[test]
fn real_guides_gaps_are_findings_not_refusals() {
    // What ten real county and city guides lacked: online depth, window, complaint phone,
    // a step's time limit.
    let mut item = sample();
    item.online_depth = None;
    item.window = " ".into();
    item.complain_phone = String::new();
    item.steps[1].limit = String::new();
    assert_eq!(validate_item(&item), [], "kept as a draft");
    assert_eq!(gaps(&item), ["window", "online_depth", "steps[1].limit"]);
    // The blank complaint phone is rule 7's.
    has(
        &lint(&item),
        CONTACT_PHONES,
        Severity::Error,
        &["complain_phone"],
    );
}

#[test]
fn online_channel_and_depth_go_together() {
    let mut item = sample();
    item.channels.retain(|c| *c != Channel::Online);
    assert_eq!(gaps(&item), ["online_depth"]);
}

#[test]
fn channels_are_not_empty_or_repeated() {
    let mut item = sample();
    item.channels.push(Channel::Window);
    assert_eq!(gaps(&item), ["channels[3]"]);
    item.channels.clear();
    item.online_depth = None;
    assert_eq!(gaps(&item), ["channels"]);
}

#[test]
fn hours_must_be_well_formed() {
    let mut item = sample();
    item.place.hours[0].weekdays = vec![0, 8];
    item.place.hours[1].open = "18:00".into();
    assert_eq!(
        gaps(&item),
        ["place.hours[0].weekdays", "place.hours[1].close"]
    );
    item.place.hours.clear();
    item.place.address = String::new();
    assert_eq!(gaps(&item), ["place.address", "place.hours"]);
    item.place.hours.push(HoursSpan {
        weekdays: vec![1],
        open: "8点".into(),
        close: "17:00".into(),
    });
    assert_eq!(gaps(&item), ["place.address", "place.hours[0].open"]);
}

#[test]
fn blank_entries_of_lists_are_named() {
    let mut item = sample();
    item.topics.push(" ".into());
    item.faq[0].a = String::new();
    item.legal_basis[0].law = String::new();
    let topic = format!("topics[{}]", item.topics.len() - 1);
    assert_eq!(
        gaps(&item),
        [topic.as_str(), "faq[0].a", "legal_basis[0].law"]
    );
}
