//! `/staff/items/{code}`: edit every guide field with the lint running as staff type,
//! preview the page exactly as citizens will see it, save drafts, and resolve conflicts.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use zhinan_domain::api::staff::{DraftConflict, StaffItem};
use zhinan_domain::catalog::diff::diff_items;
use zhinan_domain::{
    lint_item, validate_item, Channel, Date, DayUnit, Faq, FeeItem, FieldPath, Finding, Hall,
    HoursSpan, Item, ItemType, Kind, LegalBasis, Level, LintContext, Material, MaterialForm,
    MaterialSource, OnlineDepth, OnlineUrl, Proxy, ResultDoc, ResultKind, Serves, Severity, Step,
    TimeLimit, Withdrawal,
};
use zhinan_ui::GuidePage;

use crate::api::{self, ApiError};
use crate::app::{error_line, Loading};
use crate::changes::{path_label, ChangesTable};
use crate::copy_item::CopyAsNew;
use crate::fields::{
    area, checkbox, field_id, group, hints, number, opt, select, text, word_list, Ed,
};

const LEVELS: &[(Level, &str)] = &[
    (Level::County, "县级"),
    (Level::Township, "乡镇(街道)"),
    (Level::Village, "村(社区)"),
];
const ITEM_TYPES: &[(ItemType, &str)] = &[
    (ItemType::Permit, "行政许可"),
    (ItemType::Confirmation, "行政确认"),
    (ItemType::Benefit, "行政给付"),
    (ItemType::Reward, "行政奖励"),
    (ItemType::Ruling, "行政裁决"),
    (ItemType::Other, "其他行政权力"),
    (ItemType::PublicService, "公共服务"),
];
const SERVES: &[(Serves, &str)] = &[
    (Serves::Person, "自然人"),
    (Serves::Legal, "法人"),
    (Serves::Both, "自然人、法人"),
];
const KINDS: &[(Kind, &str)] = &[(Kind::Instant, "即办件"), (Kind::Promised, "承诺件")];
const UNITS: &[(DayUnit, &str)] = &[
    (DayUnit::WorkingDays, "工作日"),
    (DayUnit::CalendarDays, "自然日"),
];
const DEPTHS: &[(Option<OnlineDepth>, &str)] = &[
    (None, "不能网上办理"),
    (Some(OnlineDepth::I), "Ⅰ 网上咨询、下载表格"),
    (Some(OnlineDepth::Ii), "Ⅱ 网上预审"),
    (Some(OnlineDepth::Iii), "Ⅲ 网上受理，到现场核验一次"),
    (Some(OnlineDepth::Iv), "Ⅳ 全程网办"),
];
const FORMS: &[(MaterialForm, &str)] = &[
    (MaterialForm::Paper, "纸质"),
    (MaterialForm::Electronic, "电子"),
    (MaterialForm::PaperOrElectronic, "纸质或电子"),
];
const SOURCES: &[(bool, &str)] = &[(false, "申请人自备"), (true, "政府部门核发")];
const RESULT_KINDS: &[(Option<ResultKind>, &str)] = &[
    (None, "未填写"),
    (Some(ResultKind::Certificate), "出证"),
    (Some(ResultKind::Document), "出文"),
    (Some(ResultKind::Completion), "审批办结"),
];

/// A text field of row `$i` of the list at `item.$list`.
macro_rules! row_text {
    ($ed:expr, $label:expr, $path:expr, $i:expr, $($list:ident).+ => $field:ident) => {{
        let i = $i;
        text(
            $ed,
            $label,
            format!("{}[{}].{}", $path, i, stringify!($field)),
            move |it: &Item| it.$($list).+.get(i).map(|r| r.$field.clone()).unwrap_or_default(),
            move |it: &mut Item, v| {
                if let Some(r) = it.$($list).+.get_mut(i) {
                    r.$field = v;
                }
            },
        )
    }};
}

/// Like `row_text!` for an `Option<String>` field (empty = not given).
macro_rules! row_opt {
    ($ed:expr, $label:expr, $path:expr, $i:expr, $($list:ident).+ => $field:ident) => {{
        let i = $i;
        text(
            $ed,
            $label,
            format!("{}[{}].{}", $path, i, stringify!($field)),
            move |it: &Item| {
                it.$($list).+.get(i).and_then(|r| r.$field.clone()).unwrap_or_default()
            },
            move |it: &mut Item, v| {
                if let Some(r) = it.$($list).+.get_mut(i) {
                    r.$field = opt(v);
                }
            },
        )
    }};
}

fn today() -> Date {
    let now = js_sys::Date::new_0();
    Date::new(
        now.get_full_year() as i32,
        (now.get_month() + 1) as u8,
        now.get_date() as u8,
    )
    .unwrap_or_else(|| Date::new(2025, 1, 1).expect("valid date"))
}

/// Shape problems and lint findings together, as the edge will judge them.
fn check(item: &Item, ctx: &LintContext) -> Vec<Finding> {
    let mut out: Vec<Finding> = validate_item(item)
        .into_iter()
        .map(|e| Finding {
            rule: "shape".into(),
            severity: Severity::Error,
            message: e.message,
            fields: vec![e.field],
        })
        .collect();
    out.extend(lint_item(item, ctx));
    out
}

/// Focuses the input for `path`, or the nearest enclosing group that exists.
fn go_to(path: &FieldPath) {
    let mut p = path.clone();
    loop {
        if let Some(el) = document().get_element_by_id(&field_id(&p.to_string())) {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
            return;
        }
        match p.parent() {
            Some(parent) => p = parent,
            None => return,
        }
    }
}

fn time_limit(
    ed: Ed,
    label: &'static str,
    path: &'static str,
    get: fn(&Item) -> TimeLimit,
    set: fn(&mut Item) -> &mut TimeLimit,
) -> AnyView {
    view! {
        <fieldset class="group group-inline" id=field_id(path) tabindex="-1">
            <legend>{label}</legend>
            {hints(ed, path.to_string(), false)}
            <div class="inline">
                {number(
                    ed,
                    "天数（0 = 即办）",
                    format!("{path}.value"),
                    move |i| get(i).value,
                    move |i, v| set(i).value = v,
                )}
                {select(ed, "计算方式", format!("{path}.unit"), UNITS, move |i| get(i).unit, move |i, v| set(i).unit = v)}
            </div>
        </fieldset>
    }
    .into_any()
}

fn channels(ed: Ed) -> AnyView {
    let all = [Channel::Window, Channel::Online, Channel::Post];
    view! {
        <fieldset class="group group-inline" id=field_id("channels") tabindex="-1">
            <legend>"办理形式"</legend>
            {hints(ed, "channels".into(), true)}
            <div class="inline">
                {all
                    .into_iter()
                    .map(|c| {
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    disabled=ed.readonly
                                    prop:checked=move || ed.item.with(|i| i.has_channel(c))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        ed.item.update(|i| {
                                            i.channels.retain(|x| *x != c);
                                            if on {
                                                i.channels.push(c);
                                                i.channels.sort_by_key(|x| all.iter().position(|y| y == x));
                                            }
                                        });
                                    }
                                />
                                {c.label()}
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
    .into_any()
}

fn identity_section(ed: Ed) -> AnyView {
    view! {
        <section class="section" aria-labelledby="sec-identity">
            <h2 id="sec-identity">"基本信息"</h2>
            <p class="muted">"事项编码：" <code>{move || ed.item.with(|i| i.code.clone())}</code></p>
            {text(ed, "事项名称", "name".into(), |i| i.name.clone(), |i, v| i.name = v)}
            {text(ed, "实施主体（部门）", "department".into(), |i| i.department.clone(), |i, v| i.department = v)}
            <div class="inline">
                {select(ed, "层级", "level".into(), LEVELS, |i| i.level, |i, v| i.level = v)}
                {select(ed, "事项类型", "item_type".into(), ITEM_TYPES, |i| i.item_type, |i, v| i.item_type = v)}
                {select(ed, "服务对象", "serves".into(), SERVES, |i| i.serves, |i, v| i.serves = v)}
            </div>
            <div class="inline">
                {text(ed, "办理大厅（编号）", "hall".into(), |i| i.hall.clone(), |i, v| i.hall = v)}
                {text(ed, "专区", "zone".into(), |i| i.zone.clone(), |i, v| i.zone = v)}
                {text(ed, "窗口", "window".into(), |i| i.window.clone(), |i, v| i.window = v)}
            </div>
            {word_list(ed, "主题分类", "topics".into(), |i| i.topics.clone(), |i, v| i.topics = v)}
            {word_list(ed, "一件事（编号）", "life_events".into(), |i| i.life_events.clone(), |i, v| i.life_events = v)}
            {word_list(ed, "搜索关键词", "keywords".into(), |i| i.keywords.clone(), |i, v| i.keywords = v)}
            <div class="inline">
                {text(ed, "更新日期（YYYY-MM-DD）", "updated_at".into(), |i| i.updated_at.clone(), |i, v| i.updated_at = v)}
                {text(ed, "复核日期（YYYY-MM-DD）", "reviewed_at".into(), |i| i.reviewed_at.clone(), |i, v| i.reviewed_at = v)}
            </div>
            <button
                type="button"
                class="btn"
                disabled=ed.readonly
                on:click=move |_| ed.item.update(|i| i.reviewed_at = today().to_string())
            >
                "今天已复核"
            </button>
        </section>
    }
    .into_any()
}

fn time_section(ed: Ed) -> AnyView {
    view! {
        <section class="section" aria-labelledby="sec-time">
            <h2 id="sec-time">"办理时限"</h2>
            {select(ed, "办件类型", "kind".into(), KINDS, |i| i.kind, |i, v| i.kind = v)}
            {time_limit(ed, "法定办结时限", "legal_limit", |i| i.legal_limit, |i| &mut i.legal_limit)}
            {time_limit(ed, "承诺办结时限", "promised_limit", |i| i.promised_limit, |i| &mut i.promised_limit)}
            {area(ed, "时限说明（如压减例外的理由）", "limit_note".into(), |i| i.limit_note.clone().unwrap_or_default(), |i, v| i.limit_note = opt(v))}
        </section>
    }
    .into_any()
}

fn visits_section(ed: Ed) -> AnyView {
    let has_url = Memo::new(move |_| ed.item.with(|i| i.online_url.is_some()));
    let has_proxy = Memo::new(move |_| ed.item.with(|i| i.proxy.is_some()));
    view! {
        <section class="section" aria-labelledby="sec-visits">
            <h2 id="sec-visits">"到现场次数与办理形式"</h2>
            {number(ed, "到办事现场次数（0 = 不见面）", "visits".into(), |i| u32::from(i.visits), |i, v| i.visits = v.min(255) as u8)}
            {area(ed, "到现场的理由", "visit_reason".into(), |i| i.visit_reason.clone().unwrap_or_default(), |i, v| i.visit_reason = opt(v))}
            {channels(ed)}
            {select(ed, "网上办理深度", "online_depth".into(), DEPTHS, |i| i.online_depth, |i, v| i.online_depth = v)}
            {checkbox(ed, "有网上办理地址", "online_url".into(), |i| i.online_url.is_some(), |i, on| {
                i.online_url = on.then(OnlineUrl::default);
            })}
            {move || has_url.get().then(|| view! {
                <div class="inline">
                    {text(ed, "电脑端地址", "online_url.pc".into(), |i| i.online_url.as_ref().and_then(|u| u.pc.clone()).unwrap_or_default(), |i, v| {
                        if let Some(u) = i.online_url.as_mut() { u.pc = opt(v) }
                    })}
                    {text(ed, "手机端入口", "online_url.mobile".into(), |i| i.online_url.as_ref().and_then(|u| u.mobile.clone()).unwrap_or_default(), |i, v| {
                        if let Some(u) = i.online_url.as_mut() { u.mobile = opt(v) }
                    })}
                </div>
            })}
            <div class="inline">
                {checkbox(ed, "材料可邮寄", "postal.materials".into(), |i| i.postal.materials, |i, on| i.postal.materials = on)}
                {checkbox(ed, "结果可邮寄", "postal.result".into(), |i| i.postal.result, |i, on| i.postal.result = on)}
            </div>
            {area(ed, "预约办理方式（不提供预约则留空）", "appointment".into(), |i| i.appointment.clone().unwrap_or_default(), |i, v| i.appointment = opt(v))}
            {checkbox(ed, "填写代办信息", "proxy".into(), |i| i.proxy.is_some(), |i, on| {
                i.proxy = on.then_some(Proxy { allowed: true, material: None, note: None });
            })}
            {move || has_proxy.get().then(|| view! {
                <div class="subgroup">
                    {checkbox(ed, "允许代办", "proxy.allowed".into(), |i| i.proxy.as_ref().is_some_and(|p| p.allowed), |i, on| {
                        if let Some(p) = i.proxy.as_mut() { p.allowed = on }
                    })}
                    {text(ed, "代办需带的材料（授权委托书等）", "proxy.material".into(), |i| i.proxy.as_ref().and_then(|p| p.material.clone()).unwrap_or_default(), |i, v| {
                        if let Some(p) = i.proxy.as_mut() { p.material = opt(v) }
                    })}
                    {text(ed, "代办说明", "proxy.note".into(), |i| i.proxy.as_ref().and_then(|p| p.note.clone()).unwrap_or_default(), |i, v| {
                        if let Some(p) = i.proxy.as_mut() { p.note = opt(v) }
                    })}
                </div>
            })}
        </section>
    }
    .into_any()
}

fn conditions_group(ed: Ed) -> AnyView {
    group(
        ed,
        "受理条件",
        "条件",
        "conditions",
        |i| &mut i.conditions,
        |i| i.conditions.len(),
        String::new,
        move |n| {
            area(
                ed,
                "条件内容",
                format!("conditions[{n}]"),
                move |i| i.conditions.get(n).cloned().unwrap_or_default(),
                move |i, v| {
                    if let Some(c) = i.conditions.get_mut(n) {
                        *c = v;
                    }
                },
            )
        },
    )
}

fn material_row(ed: Ed, n: usize) -> AnyView {
    let is_gov = Memo::new(move |_| {
        ed.item.with(|i| {
            i.materials
                .get(n)
                .is_some_and(|m| matches!(m.source, MaterialSource::Government { .. }))
        })
    });
    view! {
        <div class="row-fields">
            {row_text!(ed, "材料名称", "materials", n, materials => name)}
            <div class="inline">
                {number(ed, "原件份数", format!("materials[{n}].originals"),
                    move |i| i.materials.get(n).map_or(0, |m| u32::from(m.originals)),
                    move |i, v| if let Some(m) = i.materials.get_mut(n) { m.originals = v.min(255) as u8 })}
                {number(ed, "复印件份数", format!("materials[{n}].copies"),
                    move |i| i.materials.get(n).map_or(0, |m| u32::from(m.copies)),
                    move |i, v| if let Some(m) = i.materials.get_mut(n) { m.copies = v.min(255) as u8 })}
                {select(ed, "材料形式", format!("materials[{n}].form"), FORMS,
                    move |i| i.materials.get(n).map_or(MaterialForm::Paper, |m| m.form),
                    move |i, v| if let Some(m) = i.materials.get_mut(n) { m.form = v })}
            </div>
            {row_opt!(ed, "可免交的情形（必交则留空）", "materials", n, materials => optional_when)}
            <div class="inline">
                {select(ed, "来源渠道", format!("materials[{n}].source"), SOURCES,
                    move |i| i.materials.get(n).is_some_and(|m| matches!(m.source, MaterialSource::Government { .. })),
                    move |i, gov| if let Some(m) = i.materials.get_mut(n) {
                        m.source = if gov {
                            MaterialSource::Government { issuer: String::new() }
                        } else {
                            MaterialSource::Applicant
                        };
                    })}
                {move || is_gov.get().then(|| text(ed, "核发部门", format!("materials[{n}].source.issuer"),
                    move |i| match i.materials.get(n).map(|m| &m.source) {
                        Some(MaterialSource::Government { issuer }) => issuer.clone(),
                        _ => String::new(),
                    },
                    move |i, v| if let Some(m) = i.materials.get_mut(n) {
                        m.source = MaterialSource::Government { issuer: v };
                    }))}
            </div>
            <div class="inline">
                {row_opt!(ed, "空白表格（链接）", "materials", n, materials => blank_form)}
                {row_opt!(ed, "示例样表（链接）", "materials", n, materials => sample)}
            </div>
            {row_opt!(ed, "填报须知 / 备注", "materials", n, materials => note)}
        </div>
    }
    .into_any()
}

fn materials_group(ed: Ed) -> AnyView {
    group(
        ed,
        "申请材料",
        "材料",
        "materials",
        |i| &mut i.materials,
        |i| i.materials.len(),
        || Material {
            name: String::new(),
            originals: 1,
            copies: 0,
            form: MaterialForm::Paper,
            optional_when: None,
            source: MaterialSource::Applicant,
            blank_form: None,
            sample: None,
            note: None,
        },
        move |n| material_row(ed, n),
    )
}

fn steps_group(ed: Ed) -> AnyView {
    group(
        ed,
        "办理环节",
        "环节",
        "steps",
        |i| &mut i.steps,
        |i| i.steps.len(),
        || Step {
            name: String::new(),
            who: String::new(),
            limit: String::new(),
            standard: String::new(),
        },
        move |n| {
            view! {
                <div class="row-fields">
                    <div class="inline">
                        {row_text!(ed, "环节名称", "steps", n, steps => name)}
                        {row_text!(ed, "办理人员（岗位）", "steps", n, steps => who)}
                        {row_text!(ed, "环节时限", "steps", n, steps => limit)}
                    </div>
                    {row_text!(ed, "审查标准", "steps", n, steps => standard)}
                </div>
            }
        },
    )
}

fn result_section(ed: Ed) -> AnyView {
    let has = Memo::new(move |_| ed.item.with(|i| i.result.is_some()));
    view! {
        <section class="section" aria-labelledby="sec-result">
            <h2 id="sec-result">"审批结果"</h2>
            {checkbox(ed, "有审批结果", "result".into(), |i| i.result.is_some(), |i, on| {
                i.result = on.then(|| ResultDoc { name: String::new(), kind: None, sample: None });
            })}
            {move || has.get().then(|| view! {
                <div class="inline">
                    {text(ed, "结果名称", "result.name".into(), |i| i.result.as_ref().map(|r| r.name.clone()).unwrap_or_default(), |i, v| {
                        if let Some(r) = i.result.as_mut() { r.name = v }
                    })}
                    {select(ed, "结果类型", "result.kind".into(), RESULT_KINDS, |i| i.result.as_ref().and_then(|r| r.kind), |i, v| {
                        if let Some(r) = i.result.as_mut() { r.kind = v }
                    })}
                    {text(ed, "结果样本（链接或说明）", "result.sample".into(), |i| i.result.as_ref().and_then(|r| r.sample.clone()).unwrap_or_default(), |i, v| {
                        if let Some(r) = i.result.as_mut() { r.sample = opt(v) }
                    })}
                </div>
            })}
        </section>
    }
    .into_any()
}

fn fees_section(ed: Ed) -> AnyView {
    view! {
        <section class="section" aria-labelledby="sec-fees">
            <h2 id="sec-fees">"收费"</h2>
            <div class="inline">
                {checkbox(ed, "收费", "fees.charged".into(), |i| i.fees.charged, |i, on| i.fees.charged = on)}
                {checkbox(ed, "支持网上缴费", "fees.online_payment".into(), |i| i.fees.online_payment, |i, on| i.fees.online_payment = on)}
            </div>
            {group(
                ed,
                "收费项目",
                "收费项目",
                "fees.items",
                |i| &mut i.fees.items,
                |i| i.fees.items.len(),
                || FeeItem { item: String::new(), standard: String::new(), basis: String::new(), waivable: false },
                move |n| view! {
                    <div class="row-fields">
                        <div class="inline">
                            {row_text!(ed, "项目", "fees.items", n, fees.items => item)}
                            {row_text!(ed, "标准", "fees.items", n, fees.items => standard)}
                        </div>
                        {row_text!(ed, "收费依据", "fees.items", n, fees.items => basis)}
                        {checkbox(ed, "可减免", format!("fees.items[{n}].waivable"),
                            move |i| i.fees.items.get(n).is_some_and(|f| f.waivable),
                            move |i, on| if let Some(f) = i.fees.items.get_mut(n) { f.waivable = on })}
                    </div>
                },
            )}
        </section>
    }
    .into_any()
}

fn place_section(ed: Ed) -> AnyView {
    view! {
        <section class="section" aria-labelledby="sec-place">
            <h2 id="sec-place">"办理地点、时间与电话"</h2>
            {text(ed, "办理地点", "place.address".into(), |i| i.place.address.clone(), |i, v| i.place.address = v)}
            {group(
                ed,
                "办公时间",
                "时段",
                "place.hours",
                |i| &mut i.place.hours,
                |i| i.place.hours.len(),
                || HoursSpan { weekdays: vec![1, 2, 3, 4, 5], open: "09:00".into(), close: "17:00".into() },
                move |n| view! {
                    <div class="row-fields inline">
                        {word_list(ed, "星期（1 = 周一 … 7 = 周日）", format!("place.hours[{n}].weekdays"),
                            move |i| i.place.hours.get(n).map(|h| h.weekdays.iter().map(u8::to_string).collect()).unwrap_or_default(),
                            move |i, words| if let Some(h) = i.place.hours.get_mut(n) {
                                h.weekdays = words.iter().filter_map(|w| w.parse().ok()).collect();
                            })}
                        {row_text!(ed, "开始（HH:MM）", "place.hours", n, place.hours => open)}
                        {row_text!(ed, "结束（HH:MM）", "place.hours", n, place.hours => close)}
                    </div>
                },
            )}
            {text(ed, "时间说明（如法定节假日除外）", "place.hours_note".into(), |i| i.place.hours_note.clone().unwrap_or_default(), |i, v| i.place.hours_note = opt(v))}
            {area(ed, "怎么走", "place.directions".into(), |i| i.place.directions.clone().unwrap_or_default(), |i, v| i.place.directions = opt(v))}
            <div class="inline">
                {text(ed, "咨询电话（含区号）", "consult_phone".into(), |i| i.consult_phone.clone(), |i, v| i.consult_phone = v)}
                {text(ed, "投诉电话（含区号）", "complain_phone".into(), |i| i.complain_phone.clone(), |i, v| i.complain_phone = v)}
            </div>
        </section>
    }
    .into_any()
}

fn faq_group(ed: Ed) -> AnyView {
    group(
        ed,
        "常见问题",
        "问题",
        "faq",
        |i| &mut i.faq,
        |i| i.faq.len(),
        || Faq {
            q: String::new(),
            a: String::new(),
        },
        move |n| {
            view! {
                <div class="row-fields">
                    {row_text!(ed, "问", "faq", n, faq => q)}
                    {area(ed, "答", format!("faq[{n}].a"),
                        move |i| i.faq.get(n).map(|f| f.a.clone()).unwrap_or_default(),
                        move |i, v| if let Some(f) = i.faq.get_mut(n) { f.a = v })}
                </div>
            }
        },
    )
}

fn legal_group(ed: Ed) -> AnyView {
    group(
        ed,
        "设定依据",
        "依据",
        "legal_basis",
        |i| &mut i.legal_basis,
        |i| i.legal_basis.len(),
        || LegalBasis {
            law: String::new(),
            article: String::new(),
            text: String::new(),
        },
        move |n| {
            view! {
                <div class="row-fields">
                    <div class="inline">
                        {row_text!(ed, "法律法规名称", "legal_basis", n, legal_basis => law)}
                        {row_text!(ed, "条款", "legal_basis", n, legal_basis => article)}
                    </div>
                    {area(ed, "条文内容", format!("legal_basis[{n}].text"),
                        move |i| i.legal_basis.get(n).map(|l| l.text.clone()).unwrap_or_default(),
                        move |i, v| if let Some(l) = i.legal_basis.get_mut(n) { l.text = v })}
                </div>
            }
        },
    )
}

fn withdrawn_section(ed: Ed) -> AnyView {
    let on = Memo::new(move |_| ed.item.with(|i| i.withdrawn.is_some()));
    view! {
        <section class="section" aria-labelledby="sec-withdrawn">
            <h2 id="sec-withdrawn">"取消或调整"</h2>
            <p class="muted">"取消的事项仍保留办事指南地址，页面告诉群众该事项已取消、应到哪里办理。"</p>
            {checkbox(ed, "该事项已取消或调整", "withdrawn".into(), |i| i.withdrawn.is_some(), |i, on| {
                i.withdrawn = on.then(|| Withdrawal { reason: String::new(), instead: String::new(), replaced_by: None });
            })}
            {move || on.get().then(|| view! {
                <div class="subgroup">
                    {area(ed, "取消原因", "withdrawn.reason".into(), |i| i.withdrawn.as_ref().map(|w| w.reason.clone()).unwrap_or_default(), |i, v| {
                        if let Some(w) = i.withdrawn.as_mut() { w.reason = v }
                    })}
                    {area(ed, "现在到哪里办理", "withdrawn.instead".into(), |i| i.withdrawn.as_ref().map(|w| w.instead.clone()).unwrap_or_default(), |i, v| {
                        if let Some(w) = i.withdrawn.as_mut() { w.instead = v }
                    })}
                    {text(ed, "替代事项编码（可留空）", "withdrawn.replaced_by".into(), |i| i.withdrawn.as_ref().and_then(|w| w.replaced_by.clone()).unwrap_or_default(), |i, v| {
                        if let Some(w) = i.withdrawn.as_mut() { w.replaced_by = opt(v) }
                    })}
                </div>
            })}
        </section>
    }
    .into_any()
}

/// Every finding, errors first, each with a button to the field.
fn summary(ed: Ed) -> AnyView {
    view! {
        <section class="lint-summary" aria-labelledby="lint-title" data-testid="lint-summary">
            <h2 id="lint-title">"检查结果"</h2>
            {move || {
                let all = ed.checks.get();
                let errors = all.iter().filter(|f| f.is_error()).count();
                let warnings = all.len() - errors;
                let line = if all.is_empty() {
                    "没有发现问题。".to_string()
                } else {
                    format!("{errors}个错误（发布前必须改正），{warnings}个提醒。")
                };
                let mut sorted = all;
                sorted.sort_by_key(|f| !f.is_error());
                view! {
                    <p role="status" class={if errors > 0 { "summary-line has-errors" } else { "summary-line" }}>{line}</p>
                    <ul class="findings">
                        {sorted
                            .into_iter()
                            .map(|f| {
                                let target = f.fields.first().cloned().unwrap_or_default();
                                let where_ = f.fields.iter().map(path_label).collect::<Vec<_>>().join("、");
                                let class = if f.is_error() { "finding finding-error" } else { "finding finding-warning" };
                                view! {
                                    <li class=class data-rule=f.rule.clone()>
                                        <strong>{f.severity.label()}</strong>
                                        "："
                                        {f.message.clone()}
                                        <button type="button" class="link-button" on:click=move |_| go_to(&target)>
                                            {format!("转到 {where_}")}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            }}
        </section>
    }
    .into_any()
}

#[component]
fn ConflictView(
    conflict: DraftConflict,
    on_take_theirs: Callback<()>,
    on_overwrite: Callback<u64>,
) -> impl IntoView {
    let theirs = conflict.theirs.clone();
    let changes = diff_items(&theirs.item, &conflict.yours);
    let rev = theirs.rev;
    view! {
        <section class="conflict" role="alert" aria-labelledby="conflict-title" data-testid="conflict">
            <h2 id="conflict-title">"保存冲突：有人先保存了这份草稿"</h2>
            <p>
                {format!(
                    "{}于{}保存了第{}次修改。下表左侧是对方保存的内容，右侧是您的内容；您的修改尚未保存，不会丢失。",
                    theirs.saved_by, theirs.saved_at, theirs.rev,
                )}
            </p>
            <ChangesTable
                changes
                before_label=format!("对方的版本（{}）", theirs.saved_by)
                after_label="您的版本".to_string()
            />
            <div class="actions">
                <button type="button" class="btn" on:click=move |_| on_take_theirs.run(())>
                    "采用对方的版本（放弃我的修改）"
                </button>
                <button type="button" class="btn btn-primary" on:click=move |_| on_overwrite.run(rev)>
                    "保留我的版本（覆盖对方的修改）"
                </button>
            </div>
        </section>
    }
}

#[component]
fn Editor(data: StaffItem, hall: Option<Hall>) -> impl IntoView {
    let start = data
        .draft
        .as_ref()
        .map(|d| d.item.clone())
        .or_else(|| data.published.clone())
        .expect("an item has a draft or a published version");
    let has_published = data.published.is_some();
    let item = RwSignal::new(start.clone());
    let saved = RwSignal::new(start);
    let base_rev = RwSignal::new(data.draft.as_ref().map(|d| d.rev));
    let draft_by = RwSignal::new(
        data.draft
            .as_ref()
            .map(|d| (d.saved_by.clone(), d.saved_at.clone())),
    );
    let ctx = LintContext::new(today());
    let checks = Memo::new(move |_| item.with(|i| check(i, &ctx)));
    let ed = Ed {
        item,
        checks,
        readonly: !data.editable,
    };
    let dirty = Memo::new(move |_| item.with(|i| saved.with(|s| i != s)));
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<(bool, String)>);
    let server_findings = RwSignal::new(None::<Vec<Finding>>);
    let conflict = RwSignal::new(None::<DraftConflict>);
    let preview = RwSignal::new(false);
    let confirm_discard = RwSignal::new(false);
    let origin = window().location().origin().unwrap_or_default();

    let save_from = move |base: Option<u64>| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        message.set(None);
        let sent = item.get_untracked();
        spawn_local(async move {
            match api::save_draft(sent.clone(), base).await {
                Ok(draft) => {
                    // Keep what was typed during the save; otherwise take the server's copy.
                    if item.with_untracked(|i| *i == sent) {
                        item.set(draft.item.clone());
                    }
                    saved.set(draft.item.clone());
                    base_rev.set(Some(draft.rev));
                    draft_by.set(Some((draft.saved_by.clone(), draft.saved_at.clone())));
                    let errors = draft.findings.iter().filter(|f| f.is_error()).count();
                    server_findings.set(Some(draft.findings));
                    conflict.set(None);
                    message.set(Some((
                        true,
                        format!(
                            "草稿已保存（第{}次保存）。服务器检查：{errors}个错误。",
                            draft.rev
                        ),
                    )));
                }
                Err(ApiError::Conflict(c)) => {
                    message.set(Some((
                        false,
                        "保存冲突：请在下方比较两个版本后选择。".into(),
                    )));
                    conflict.set(Some(*c));
                }
                Err(ApiError::Invalid(body)) => {
                    let fields = body
                        .fields
                        .iter()
                        .map(|f| format!("{}：{}", path_label(&f.field), f.message))
                        .collect::<Vec<_>>()
                        .join("；");
                    message.set(Some((false, format!("{} {fields}", body.error))));
                }
                Err(e) => {
                    if matches!(e, ApiError::Unauthorized) {
                        message.set(Some((
                            false,
                            "登录已失效：请在新标签页重新登录后再保存，本页修改仍保留。".into(),
                        )));
                    } else {
                        message.set(Some((false, e.to_string())));
                    }
                }
            }
            busy.set(false);
        });
    };
    let save = move |_| save_from(base_rev.get_untracked());
    let take_theirs = Callback::new(move |_: ()| {
        if let Some(c) = conflict.get_untracked() {
            item.set(c.theirs.item.clone());
            saved.set(c.theirs.item.clone());
            base_rev.set(Some(c.theirs.rev));
            draft_by.set(Some((c.theirs.saved_by.clone(), c.theirs.saved_at.clone())));
            server_findings.set(Some(c.theirs.findings.clone()));
        }
        conflict.set(None);
        message.set(Some((true, "已改用对方保存的版本。".into())));
    });
    let overwrite = Callback::new(move |rev: u64| save_from(Some(rev)));
    let code = item.with_untracked(|i| i.code.clone());
    let discard = {
        let code = code.clone();
        move |_| {
            let code = code.clone();
            confirm_discard.set(false);
            busy.set(true);
            spawn_local(async move {
                match api::discard_draft(&code).await {
                    Ok(()) => {
                        // A new item's only version was the draft: back to the list.
                        let _ = if has_published {
                            window().location().reload()
                        } else {
                            window().location().set_href("/staff")
                        };
                    }
                    Err(e) => message.set(Some((false, e.to_string()))),
                }
                busy.set(false);
            });
        }
    };
    let history_href = format!("/staff/publish?code={code}#diff");

    view! {
        <div class="editor" data-testid="editor">
            <header class="editor-head">
                <h1>{move || item.with(|i| i.name.clone())}</h1>
                <p class="muted">
                    <code>{code.clone()}</code>
                    " · "
                    {move || item.with(|i| i.department.clone())}
                </p>
                <p class="badges">
                    {move || match (base_rev.get(), draft_by.get()) {
                        (Some(rev), Some((by, at))) => view! {
                            <span class="badge badge-draft">{format!("草稿 第{rev}次保存（{by}，{at}）")}</span>
                        }.into_any(),
                        _ => view! { <span class="badge">{if has_published { "与已发布版本相同" } else { "新事项" }}</span> }.into_any(),
                    }}
                    {move || dirty.get().then(|| view! { <span class="badge badge-dirty">"有未保存的修改"</span> })}
                    {ed.readonly.then(|| view! { <span class="badge">"只读：您不能修改这个事项"</span> })}
                </p>
                <p><a href=history_href>"历史版本与差异"</a></p>
            </header>
            <div class="editor-body">
                <form class="editor-form" on:submit=move |ev| ev.prevent_default() aria-label="编辑办事指南">
                    {identity_section(ed)}
                    {time_section(ed)}
                    {visits_section(ed)}
                    <section class="section" aria-labelledby="sec-how">
                        <h2 id="sec-how">"受理条件、材料与环节"</h2>
                        {conditions_group(ed)}
                        {materials_group(ed)}
                        {steps_group(ed)}
                    </section>
                    {result_section(ed)}
                    {fees_section(ed)}
                    {place_section(ed)}
                    <section class="section" aria-labelledby="sec-faq">
                        <h2 id="sec-faq">"常见问题与设定依据"</h2>
                        {faq_group(ed)}
                        {legal_group(ed)}
                    </section>
                    {withdrawn_section(ed)}
                </form>
                <aside class="editor-side" aria-label="检查与保存">
                    {summary(ed)}
                    {move || server_findings.get().map(|f| {
                        let errors = f.iter().filter(|x| x.is_error()).count();
                        view! { <p class="muted small">{format!("上次保存时服务器检查：{errors}个错误，{}个提醒。", f.len() - errors)}</p> }
                    })}
                    <div class="actions">
                        <button
                            type="button"
                            class="btn btn-primary"
                            disabled=move || ed.readonly || busy.get()
                            on:click=save
                        >
                            {move || if busy.get() { "正在保存……" } else { "保存草稿" }}
                        </button>
                        <button
                            type="button"
                            class="btn"
                            aria-pressed=move || if preview.get() { "true" } else { "false" }
                            on:click=move |_| preview.update(|p| *p = !*p)
                        >
                            "群众看到的页面（预览）"
                        </button>
                        {move || (base_rev.get().is_some() && !ed.readonly).then(|| {
                            let discard = discard.clone();
                            if confirm_discard.get() {
                                view! {
                                    <span class="confirm">
                                        {if has_published { "放弃草稿后恢复为已发布版本。" } else { "这是尚未发布的新事项，放弃后将被删除。" }}
                                        <button type="button" class="btn btn-danger" on:click=discard>"确认放弃草稿"</button>
                                        <button type="button" class="btn" on:click=move |_| confirm_discard.set(false)>"取消"</button>
                                    </span>
                                }.into_any()
                            } else {
                                view! {
                                    <button type="button" class="btn" on:click=move |_| confirm_discard.set(true)>"放弃草稿"</button>
                                }.into_any()
                            }
                        })}
                    </div>
                    {move || message.get().map(|(ok, text)| view! {
                        <p class={if ok { "alert alert-ok" } else { "alert alert-error" }} role={if ok { "status" } else { "alert" }} data-testid="save-message">
                            {text}
                        </p>
                    })}
                    {(!ed.readonly).then(|| view! { <CopyAsNew item /> })}
                </aside>
            </div>
            {move || conflict.get().map(|c| view! {
                <ConflictView conflict=c on_take_theirs=take_theirs on_overwrite=overwrite />
            })}
            {move || preview.get().then(|| {
                let hall = hall.clone();
                let origin = origin.clone();
                view! {
                    <section class="preview" aria-label="预览：群众看到的办事指南" data-testid="preview">
                        <h2>"预览（与群众扫码看到的页面相同）"</h2>
                        <div class="preview-frame">
                            <main class="page">
                                {move || view! { <GuidePage item=item.get() hall=hall.clone() origin=origin.clone() /> }}
                            </main>
                        </div>
                    </section>
                }
            })}
        </div>
    }
}

async fn load(code: String) -> Result<(StaffItem, Option<Hall>), ApiError> {
    let data = api::item(&code).await?;
    let hall_id = data
        .draft
        .as_ref()
        .map(|d| d.item.hall.clone())
        .or_else(|| data.published.as_ref().map(|p| p.hall.clone()))
        .unwrap_or_default();
    let hall = api::catalog()
        .await
        .ok()
        .and_then(|c| c.hall(&hall_id).cloned());
    Ok((data, hall))
}

#[component]
pub fn EditorRoute() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.read().get("code").unwrap_or_default());
    view! {
        <p class="crumbs"><a href="/staff">"← 事项列表"</a></p>
        {move || {
            let code = code.get();
            let data = LocalResource::new(move || load(code.clone()));
            view! {
                <Transition fallback=Loading>
                    {move || data.get().map(|result| match result {
                        Ok((data, _)) if data.draft.is_none() && data.published.is_none() => {
                            view! { <p class="alert alert-error">"没有找到这个事项。"</p> }.into_any()
                        }
                        Ok((data, hall)) => view! { <Editor data hall /> }.into_any(),
                        Err(ApiError::Forbidden(_)) => view! {
                            <p class="alert alert-error" role="alert">"您没有权限查看或修改这个事项（只能修改本部门的事项）。"</p>
                        }.into_any(),
                        Err(ApiError::NotFound) => view! {
                            <p class="alert alert-error" role="alert">"没有找到这个事项。"</p>
                        }.into_any(),
                        Err(e) => error_line(&e),
                    })}
                </Transition>
            }
        }}
    }
}
