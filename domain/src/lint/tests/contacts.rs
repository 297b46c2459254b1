use super::*;
use crate::catalog::phones::is_dialable_phone;

// --- rule 7 ---

#[test]
fn phones_need_an_area_code() {
    for good in [
        "0376-2981201",
        "0376-12345",
        "(0376)2981201",
        "（0376）2981201",
        "(0376)-2981201",
        "010-12345678",
        "0376 2981201",
        "03762981201",
        "400-123-4567",
        "4001234567",
        "800-820-8820",
        "13812345678",
        "0376-2981201转801",
        "0376－2981201",
    ] {
        assert!(is_dialable_phone(good), "{good}");
    }
    for bad in [
        "2981201",
        "0376-",
        "0376-0298120",
        "(0376)",
        "376-2981201",
        "0376-298120123",
        "400-123-456",
        "12812345678",
        "0376--2981201",
        "电话0376-2981201",
        "0376-2981201转",
    ] {
        assert!(!is_dialable_phone(bad), "{bad}");
    }
}

#[test]
fn bare_local_phone_is_an_error() {
    let mut item = sample();
    item.consult_phone = "2981201".into();
    let f = only(
        &lint(&item),
        CONTACT_PHONES,
        Severity::Error,
        &["consult_phone"],
    );
    assert!(f.message.contains("“2981201”缺少区号"), "{}", f.message);
    item.consult_phone = "0376-2981201、2981202".into();
    let f = only(
        &lint(&item),
        CONTACT_PHONES,
        Severity::Error,
        &["consult_phone"],
    );
    assert!(f.message.contains("“2981202”"), "{}", f.message);
    item.consult_phone = "0376-2981201、0376-2981202".into();
    assert_eq!(lint(&item), []);
}

#[test]
fn phones_present_and_different() {
    let mut item = sample();
    item.complain_phone = " ".into();
    let f = only(
        &lint(&item),
        CONTACT_PHONES,
        Severity::Error,
        &["complain_phone"],
    );
    assert_eq!(f.message, "请填写投诉电话");
    item.complain_phone = "(0376)2981201".into();
    only(
        &lint(&item),
        CONTACT_PHONES,
        Severity::Error,
        &["consult_phone", "complain_phone"],
    );
}

#[test]
fn real_world_contacts_are_not_errors() {
    let mut item = sample();
    // The national hotline is a valid complaint line, with or without the area code.
    item.complain_phone = "12345".into();
    assert_eq!(lint(&item), []);
    item.complain_phone = "0376-12345".into();
    assert_eq!(lint(&item), []);
    // One number per office, each with its label, one per line.
    item.consult_phone = "市区办理点：020-87656275\n番禺办理点：020-84881099".into();
    assert_eq!(lint(&item), []);
    item.consult_phone = "市区办理点：020-87656275；番禺办理点：84881099".into();
    let f = only(
        &lint(&item),
        CONTACT_PHONES,
        Severity::Error,
        &["consult_phone"],
    );
    assert!(f.message.contains("“84881099”"), "{}", f.message);
    // An extension dials.
    item.consult_phone = "0376-2981201转801".into();
    assert_eq!(lint(&item), []);
}
