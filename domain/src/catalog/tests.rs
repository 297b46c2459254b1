//! Model tests: JSON round-trip and shape validation, one test per rule.

use crate::*;

const FIXTURE: &str = include_str!("fixtures/item.json");

fn sample() -> Item {
    parse_item(FIXTURE).expect("fixture is valid")
}

fn errors_of(item: &Item) -> Vec<String> {
    validate_item(item)
        .into_iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect()
}

fn assert_field_error(item: &Item, field: &str) {
    let errors = validate_item(item);
    assert!(
        errors.iter().any(|e| e.field == field),
        "expected an error on {field}, got {errors:?}"
    );
}

#[test]
fn fixture_is_valid() {
    assert_eq!(errors_of(&sample()), Vec::<String>::new());
}

#[test]
fn json_round_trip_keeps_every_field() {
    let item = sample();
    let json = serde_json::to_string(&item).unwrap();
    let back: Item = serde_json::from_str(&json).unwrap();
    assert_eq!(item, back);
    assert_eq!(back.online_depth, Some(OnlineDepth::Iv));
    assert_eq!(back.materials.len(), 6);
    assert_eq!(back.legal_limit.label(), "15个工作日");
    assert!(json.contains("\"online_depth\":4"));
}

#[test]
fn parse_names_the_missing_field() {
    let mut value: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
    value.as_object_mut().unwrap().remove("name");
    let errors = parse_item(&value.to_string()).unwrap_err();
    assert!(errors[0].message.contains("name"), "{errors:?}");
}

#[test]
fn parse_names_the_path_of_a_bad_value() {
    let mut value: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
    value["materials"][2]["form"] = "scroll".into();
    let errors = parse_item(&value.to_string()).unwrap_err();
    assert_eq!(errors[0].field, "materials[2].form");
}

#[test]
fn online_depth_must_be_one_to_four() {
    let mut value: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
    value["online_depth"] = 5.into();
    let errors = parse_item(&value.to_string()).unwrap_err();
    assert_eq!(errors[0].field, "online_depth");
}

#[test]
fn code_must_be_canonical() {
    let mut item = sample();
    item.code = "abc-1".into();
    assert_field_error(&item, "code");
    item.code = "ABC/1".into();
    assert_field_error(&item, "code");
}

#[test]
fn a_name_is_required_and_other_gaps_are_the_lints() {
    let mut item = sample();
    item.name = "  ".into();
    item.materials[1].name = String::new();
    item.steps[0].who = String::new();
    item.window = String::new();
    item.online_depth = None;
    assert_field_error(&item, "name");
    // Incomplete guides are kept as drafts; rule 13 of the lint names the gaps.
    assert_eq!(errors_of(&item).len(), 1, "{:?}", errors_of(&item));
}

#[test]
fn a_guide_missing_text_fields_still_reads() {
    let mut value: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
    for field in [
        "window",
        "complain_phone",
        "zone",
        "reviewed_at",
        "version",
        "place",
    ] {
        value.as_object_mut().unwrap().remove(field);
    }
    let item = parse_item(&value.to_string()).expect("readable though incomplete");
    assert_eq!(item.window, "");
    assert_eq!(item.version, 1);
    assert!(item.place.hours.is_empty());
}

#[test]
fn overlong_text_is_refused() {
    let mut item = sample();
    item.faq[0].a = "长".repeat(super::validate::MAX_TEXT + 1);
    assert_field_error(&item, "faq[0].a");
}

#[test]
fn dates_must_be_real() {
    let mut item = sample();
    item.reviewed_at = "2026-02-30".into();
    assert_field_error(&item, "reviewed_at");
}

#[test]
fn limits_have_a_hard_bound() {
    let mut item = sample();
    item.legal_limit.value = 99_999;
    assert_field_error(&item, "legal_limit.value");
}

#[test]
fn links_cannot_run_script() {
    let mut item = sample();
    item.online_url = Some(OnlineUrl {
        pc: Some("javascript:alert(1)".into()),
        mobile: None,
    });
    item.materials[0].blank_form = Some("//evil.example/x".into());
    assert_field_error(&item, "online_url.pc");
    assert_field_error(&item, "materials[0].blank_form");
}

#[test]
fn labels_read_naturally() {
    let item = sample();
    assert_eq!(item.promised_limit.label(), "1个工作日");
    assert_eq!(
        TimeLimit {
            value: 0,
            unit: DayUnit::WorkingDays
        }
        .label(),
        "即办"
    );
    assert_eq!(item.materials[2].count_label(), "原件1份、复印件1份");
    // 住所使用证明 has an exemption (承诺书代替) and is still brought by everyone else;
    // 授权委托书 is needed only when someone else applies.
    assert_eq!(item.required_materials().count(), 5);
    assert!(item.materials[4].optional_when.is_some() && item.materials[4].is_required());
    assert!(!item.materials[5].is_required());
}
