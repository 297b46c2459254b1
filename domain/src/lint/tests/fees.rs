use super::*;

// --- rule 6 ---

#[test]
fn charged_items_need_complete_fee_lines() {
    let mut item = sample();
    item.fees.charged = true;
    only(
        &lint(&item),
        FEES_CONSISTENT,
        Severity::Error,
        &["fees.items"],
    );
    item.fees.items = vec![
        FeeItem {
            item: "工本费".into(),
            standard: "每证10元".into(),
            basis: "豫发改收费〔2020〕1号".into(),
            waivable: false,
        },
        FeeItem {
            item: "登记费".into(),
            standard: String::new(),
            basis: " ".into(),
            waivable: true,
        },
    ];
    let f = only(
        &lint(&item),
        FEES_CONSISTENT,
        Severity::Error,
        &["fees.items[1].standard", "fees.items[1].basis"],
    );
    assert_eq!(f.message, "第2项收费缺少收费标准、收费依据");
    item.fees.items.truncate(1);
    item.fees.online_payment = true;
    assert_eq!(lint(&item), []);
}

#[test]
fn free_items_have_no_payment_or_fee_lines() {
    let mut item = sample();
    item.fees.online_payment = true;
    only(
        &lint(&item),
        FEES_CONSISTENT,
        Severity::Error,
        &["fees.online_payment"],
    );
    item.fees.online_payment = false;
    item.fees.items = vec![FeeItem {
        item: "工本费".into(),
        standard: "10元".into(),
        basis: "某文件".into(),
        waivable: false,
    }];
    only(
        &lint(&item),
        FEES_CONSISTENT,
        Severity::Error,
        &["fees.items"],
    );
}
