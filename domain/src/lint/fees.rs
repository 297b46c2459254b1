//! Rule 6: fees described when charged, absent when not.

use super::*;

/// Rule 6: fees are described when charged, and absent when not.
pub(super) fn check_fees(item: &Item, out: &mut Vec<Finding>) {
    let fees = &item.fees;
    if fees.charged {
        if fees.items.is_empty() {
            out.push(Finding::new(
                FEES_CONSISTENT,
                "收费事项需列出收费项目、收费标准和收费依据",
                &["fees.items"],
            ));
        }
        for (i, fee) in fees.items.iter().enumerate() {
            let mut missing = Vec::new();
            let mut fields = Vec::new();
            for (name, label, value) in [
                ("item", "收费项目", &fee.item),
                ("standard", "收费标准", &fee.standard),
                ("basis", "收费依据", &fee.basis),
            ] {
                if is_blank(value) {
                    missing.push(label);
                    fields.push(FieldPath::new("fees").key("items").index(i).key(name));
                }
            }
            if !missing.is_empty() {
                out.push(Finding::with_fields(
                    FEES_CONSISTENT,
                    format!("第{}项收费缺少{}", i + 1, missing.join("、")),
                    fields,
                ));
            }
        }
    } else {
        if fees.online_payment {
            out.push(Finding::new(
                FEES_CONSISTENT,
                "不收费事项不应开通网上缴费",
                &["fees.online_payment"],
            ));
        }
        if !fees.items.is_empty() {
            out.push(Finding::new(
                FEES_CONSISTENT,
                format!("不收费事项不应列出收费项目，当前列出{}项", fees.items.len()),
                &["fees.items"],
            ));
        }
    }
}
