//! Rule 5: visits to the hall, their reasons and the channels agree.

use super::*;

/// Rule 5: visits, reasons and channels agree.
pub(super) fn check_visits(item: &Item, out: &mut Vec<Finding>) {
    if item.visits > 0 && is_blank_opt(&item.visit_reason) {
        out.push(Finding::new(
            VISITS_CONSISTENT,
            format!("到现场次数为{}次，需说明到现场的理由", item.visits),
            &["visit_reason"],
        ));
    }
    let fully_online =
        item.has_channel(Channel::Online) && item.online_depth == Some(OnlineDepth::Iv);
    if item.visits == 0 && !fully_online {
        let mut missing = Vec::new();
        let mut fields = Vec::new();
        if !item.has_channel(Channel::Post) {
            missing.push("开通邮寄办理");
            fields.push("channels");
        }
        if !item.postal.materials {
            missing.push("申请材料可邮寄");
            fields.push("postal.materials");
        }
        if !item.postal.result {
            missing.push("办理结果可邮寄");
            fields.push("postal.result");
        }
        if !missing.is_empty() {
            let online = if item.has_channel(Channel::Online) {
                "网上办理未达到全程网办（深度Ⅳ）"
            } else {
                "未开通网上办理"
            };
            out.push(Finding::new(
                VISITS_CONSISTENT,
                format!(
                    "到现场次数为0（不见面），但{online}，需{}；否则请如实填写到现场次数",
                    missing.join("、")
                ),
                &fields,
            ));
        }
    }
    if let Some(reason) = item.in_person.as_deref().filter(|r| !r.trim().is_empty()) {
        if item.proxy.as_ref().is_some_and(|p| p.allowed) {
            out.push(Finding::new(
                VISITS_CONSISTENT,
                format!("须本人到场（{reason}）的事项不能同时允许代办"),
                &["in_person", "proxy.allowed"],
            ));
        }
        if item.visits == 0 {
            out.push(Finding::new(
                VISITS_CONSISTENT,
                format!("须本人到场（{reason}），到现场次数不能为0"),
                &["in_person", "visits"],
            ));
        }
    }
    if item.online_depth == Some(OnlineDepth::Iv) && item.visits > 0 {
        out.push(Finding::new(
            VISITS_CONSISTENT,
            format!(
                "网上办理深度为Ⅳ（全程网办），到现场次数应为0，当前为{}次",
                item.visits
            ),
            &["online_depth", "visits"],
        ));
    }
}
