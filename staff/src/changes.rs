//! Field-by-field changes (`Change`) as a two-column table, used by the conflict view
//! and the version diff.

use leptos::prelude::*;
use serde_json::Value;
use zhinan_domain::catalog::diff::Change;
use zhinan_domain::FieldPath;

/// The Chinese name of a top-level field of `Item`.
fn field_label(field: &str) -> &'static str {
    match field {
        "code" => "事项编码",
        "name" => "事项名称",
        "department" => "实施主体",
        "level" => "层级",
        "hall" => "办理大厅",
        "zone" => "专区",
        "window" => "窗口",
        "item_type" => "事项类型",
        "serves" => "服务对象",
        "topics" => "主题分类",
        "life_events" => "一件事",
        "keywords" => "搜索关键词",
        "version" => "版本",
        "updated_at" => "更新日期",
        "reviewed_at" => "复核日期",
        "kind" => "办件类型",
        "legal_limit" => "法定办结时限",
        "promised_limit" => "承诺办结时限",
        "limit_note" => "时限说明",
        "visits" => "到现场次数",
        "visit_reason" => "到现场理由",
        "channels" => "办理形式",
        "online_depth" => "网上办理深度",
        "online_url" => "网上办理地址",
        "postal" => "邮寄",
        "appointment" => "预约办理",
        "proxy" => "代办",
        "in_person" => "须本人到场",
        "conditions" => "受理条件",
        "steps" => "办理环节",
        "result" => "审批结果",
        "materials" => "申请材料",
        "fees" => "收费",
        "place" => "办理地点与时间",
        "consult_phone" => "咨询电话",
        "complain_phone" => "投诉电话",
        "faq" => "常见问题",
        "legal_basis" => "设定依据",
        "withdrawn" => "取消说明",
        _ => "",
    }
}

/// `materials[2].name` → `申请材料（materials[2].name）`: the field's name for people, with
/// the exact path kept for whoever has to find it.
pub fn path_label(path: &FieldPath) -> String {
    let label = field_label(path.head());
    if label.is_empty() {
        path.to_string()
    } else {
        format!("{label}（{path}）")
    }
}

pub fn value_text(value: &Value) -> String {
    match value {
        Value::Null => "（空）".to_string(),
        Value::String(s) if s.is_empty() => "（空）".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The changes from `before_label` to `after_label`.
#[component]
pub fn ChangesTable(
    changes: Vec<Change>,
    before_label: String,
    after_label: String,
    #[prop(optional)] caption: Option<String>,
) -> impl IntoView {
    if changes.is_empty() {
        return view! { <p class="muted" role="status">"两个版本内容相同。"</p> }.into_any();
    }
    view! {
        <table class="table changes-table">
            {caption.map(|c| view! { <caption>{c}</caption> })}
            <thead>
                <tr>
                    <th scope="col">"字段"</th>
                    <th scope="col">{before_label}</th>
                    <th scope="col">{after_label}</th>
                </tr>
            </thead>
            <tbody>
                {changes
                    .into_iter()
                    .map(|c| {
                        view! {
                            <tr data-path=c.path.to_string()>
                                <th scope="row">{path_label(&c.path)}</th>
                                <td class="before">{value_text(&c.before)}</td>
                                <td class="after">{value_text(&c.after)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
