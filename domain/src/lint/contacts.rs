//! Rule 7: consultation and complaint phones, each number of a field checked on its own
//! ([`crate::catalog::phones`]).

use super::*;
use crate::catalog::phones::{is_dialable_phone, phone_entries, phone_key};

/// Rule 7: consultation and complaint phones present, different, with area code.
pub(super) fn check_contacts(item: &Item, out: &mut Vec<Finding>) {
    let phones = [
        ("consult_phone", "咨询电话", &item.consult_phone),
        ("complain_phone", "投诉电话", &item.complain_phone),
    ];
    for (field, label, value) in phones {
        if is_blank(value) {
            out.push(Finding::new(
                CONTACT_PHONES,
                format!("请填写{label}"),
                &[field],
            ));
            continue;
        }
        let bad: Vec<String> = phone_entries(value)
            .into_iter()
            .map(|e| e.number)
            .filter(|n| !is_dialable_phone(n))
            .collect();
        if !bad.is_empty() {
            out.push(Finding::new(
                CONTACT_PHONES,
                format!(
                    "{label}“{}”缺少区号或格式有误，外地群众无法拨通；应写作 0376-2981201 的形式",
                    bad.join("、")
                ),
                &[field],
            ));
        }
    }
    let (consult, complain) = (
        phone_key(&item.consult_phone),
        phone_key(&item.complain_phone),
    );
    if !consult.is_empty() && consult == complain {
        out.push(Finding::new(
            CONTACT_PHONES,
            format!(
                "咨询电话与投诉电话相同（{}），投诉电话应另设",
                item.complain_phone.trim()
            ),
            &["consult_phone", "complain_phone"],
        ));
    }
}
