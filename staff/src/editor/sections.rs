//! The editor's form, section by section as the guide reads: identity, time limits,
//! visits and channels, conditions with materials and steps, result, fees, place and
//! hours, FAQ with legal basis, withdrawal. The repeated groups are in `groups`.

use leptos::prelude::*;
use zhinan_domain::{
    Channel, DayUnit, FieldPath, Item, ItemType, Kind, Level, OnlineDepth, OnlineUrl, Proxy,
    ResultDoc, ResultKind, Serves, TimeLimit, Withdrawal,
};

use super::checks::today;
use super::fields::{area, checkbox, field_id, hints, number, opt, select, text, word_list, Ed};
use super::groups;

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
const RESULT_KINDS: &[(Option<ResultKind>, &str)] = &[
    (None, "未填写"),
    (Some(ResultKind::Certificate), "出证"),
    (Some(ResultKind::Document), "出文"),
    (Some(ResultKind::Completion), "审批办结"),
];

fn time_limit(
    ed: Ed,
    label: &'static str,
    path: FieldPath,
    get: fn(&Item) -> TimeLimit,
    set: fn(&mut Item) -> &mut TimeLimit,
) -> AnyView {
    let id = field_id(&path);
    let (value, unit) = (path.clone().key("value"), path.clone().key("unit"));
    view! {
        <fieldset class="group group-inline" id=id tabindex="-1">
            <legend>{label}</legend>
            {hints(ed, path, false)}
            <div class="inline">
                {number(
                    ed,
                    "天数（0 = 即办）",
                    value,
                    move |i| get(i).value,
                    move |i, v| set(i).value = v,
                )}
                {select(ed, "计算方式", unit, UNITS, move |i| get(i).unit, move |i, v| set(i).unit = v)}
            </div>
        </fieldset>
    }
    .into_any()
}

fn channels(ed: Ed) -> AnyView {
    let all = [Channel::Window, Channel::Online, Channel::Post];
    view! {
        <fieldset class="group group-inline" id=field_id(&FieldPath::new("channels")) tabindex="-1">
            <legend>"办理形式"</legend>
            {hints(ed, FieldPath::new("channels"), true)}
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

pub fn identity(ed: Ed) -> AnyView {
    view! {
        <section class="section" aria-labelledby="sec-identity">
            <h2 id="sec-identity">"基本信息"</h2>
            <p class="muted">"事项编码：" <code>{move || ed.item.with(|i| i.code.clone())}</code></p>
            {text(ed, "事项名称", FieldPath::new("name"), |i| i.name.clone(), |i, v| i.name = v)}
            {text(ed, "实施主体（部门）", FieldPath::new("department"), |i| i.department.clone(), |i, v| i.department = v)}
            <div class="inline">
                {select(ed, "层级", FieldPath::new("level"), LEVELS, |i| i.level, |i, v| i.level = v)}
                {select(ed, "事项类型", FieldPath::new("item_type"), ITEM_TYPES, |i| i.item_type, |i, v| i.item_type = v)}
                {select(ed, "服务对象", FieldPath::new("serves"), SERVES, |i| i.serves, |i, v| i.serves = v)}
            </div>
            <div class="inline">
                {text(ed, "办理大厅（编号）", FieldPath::new("hall"), |i| i.hall.clone(), |i, v| i.hall = v)}
                {text(ed, "专区", FieldPath::new("zone"), |i| i.zone.clone(), |i, v| i.zone = v)}
                {text(ed, "窗口", FieldPath::new("window"), |i| i.window.clone(), |i, v| i.window = v)}
            </div>
            {word_list(ed, "主题分类", FieldPath::new("topics"), |i| i.topics.clone(), |i, v| i.topics = v)}
            {word_list(ed, "一件事（编号）", FieldPath::new("life_events"), |i| i.life_events.clone(), |i, v| i.life_events = v)}
            {word_list(ed, "搜索关键词", FieldPath::new("keywords"), |i| i.keywords.clone(), |i, v| i.keywords = v)}
            <div class="inline">
                {text(ed, "更新日期（YYYY-MM-DD）", FieldPath::new("updated_at"), |i| i.updated_at.clone(), |i, v| i.updated_at = v)}
                {text(ed, "复核日期（YYYY-MM-DD）", FieldPath::new("reviewed_at"), |i| i.reviewed_at.clone(), |i, v| i.reviewed_at = v)}
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

pub fn time(ed: Ed) -> AnyView {
    view! {
        <section class="section" aria-labelledby="sec-time">
            <h2 id="sec-time">"办理时限"</h2>
            {select(ed, "办件类型", FieldPath::new("kind"), KINDS, |i| i.kind, |i, v| i.kind = v)}
            {time_limit(ed, "法定办结时限", FieldPath::new("legal_limit"), |i| i.legal_limit, |i| &mut i.legal_limit)}
            {time_limit(ed, "承诺办结时限", FieldPath::new("promised_limit"), |i| i.promised_limit, |i| &mut i.promised_limit)}
            {area(ed, "时限说明（如压减例外的理由）", FieldPath::new("limit_note"), |i| i.limit_note.clone().unwrap_or_default(), |i, v| i.limit_note = opt(v))}
        </section>
    }
    .into_any()
}

pub fn visits(ed: Ed) -> AnyView {
    let has_url = Memo::new(move |_| ed.item.with(|i| i.online_url.is_some()));
    let has_proxy = Memo::new(move |_| ed.item.with(|i| i.proxy.is_some()));
    view! {
        <section class="section" aria-labelledby="sec-visits">
            <h2 id="sec-visits">"到现场次数与办理形式"</h2>
            {number(ed, "到办事现场次数（0 = 不见面）", FieldPath::new("visits"), |i| u32::from(i.visits), |i, v| i.visits = v.min(255) as u8)}
            {area(ed, "到现场的理由", FieldPath::new("visit_reason"), |i| i.visit_reason.clone().unwrap_or_default(), |i, v| i.visit_reason = opt(v))}
            {area(ed, "须本人到场的原因（采集指纹、当面签字等；填写后不能代办，不需要则留空）", FieldPath::new("in_person"), |i| i.in_person.clone().unwrap_or_default(), |i, v| i.in_person = opt(v))}
            {channels(ed)}
            {select(ed, "网上办理深度", FieldPath::new("online_depth"), DEPTHS, |i| i.online_depth, |i, v| i.online_depth = v)}
            {checkbox(ed, "有网上办理地址", FieldPath::new("online_url"), |i| i.online_url.is_some(), |i, on| {
                i.online_url = on.then(OnlineUrl::default);
            })}
            {move || has_url.get().then(|| view! {
                <div class="inline">
                    {text(ed, "电脑端地址", FieldPath::new("online_url").key("pc"), |i| i.online_url.as_ref().and_then(|u| u.pc.clone()).unwrap_or_default(), |i, v| {
                        if let Some(u) = i.online_url.as_mut() { u.pc = opt(v) }
                    })}
                    {text(ed, "手机端入口", FieldPath::new("online_url").key("mobile"), |i| i.online_url.as_ref().and_then(|u| u.mobile.clone()).unwrap_or_default(), |i, v| {
                        if let Some(u) = i.online_url.as_mut() { u.mobile = opt(v) }
                    })}
                </div>
            })}
            <div class="inline">
                {checkbox(ed, "材料可邮寄", FieldPath::new("postal").key("materials"), |i| i.postal.materials, |i, on| i.postal.materials = on)}
                {checkbox(ed, "结果可邮寄", FieldPath::new("postal").key("result"), |i| i.postal.result, |i, on| i.postal.result = on)}
            </div>
            {area(ed, "预约办理方式（不提供预约则留空）", FieldPath::new("appointment"), |i| i.appointment.clone().unwrap_or_default(), |i, v| i.appointment = opt(v))}
            {checkbox(ed, "填写代办信息", FieldPath::new("proxy"), |i| i.proxy.is_some(), |i, on| {
                i.proxy = on.then_some(Proxy { allowed: true, material: None, note: None });
            })}
            {move || has_proxy.get().then(|| view! {
                <div class="subgroup">
                    {checkbox(ed, "允许代办", FieldPath::new("proxy").key("allowed"), |i| i.proxy.as_ref().is_some_and(|p| p.allowed), |i, on| {
                        if let Some(p) = i.proxy.as_mut() { p.allowed = on }
                    })}
                    {text(ed, "代办需带的材料（授权委托书等）", FieldPath::new("proxy").key("material"), |i| i.proxy.as_ref().and_then(|p| p.material.clone()).unwrap_or_default(), |i, v| {
                        if let Some(p) = i.proxy.as_mut() { p.material = opt(v) }
                    })}
                    {text(ed, "代办说明", FieldPath::new("proxy").key("note"), |i| i.proxy.as_ref().and_then(|p| p.note.clone()).unwrap_or_default(), |i, v| {
                        if let Some(p) = i.proxy.as_mut() { p.note = opt(v) }
                    })}
                </div>
            })}
        </section>
    }
    .into_any()
}

pub fn how(ed: Ed) -> AnyView {
    view! {
        <section class="section" aria-labelledby="sec-how">
            <h2 id="sec-how">"受理条件、材料与环节"</h2>
            {groups::conditions(ed)}
            {groups::materials(ed)}
            {groups::steps(ed)}
        </section>
    }
    .into_any()
}

pub fn result(ed: Ed) -> AnyView {
    let has = Memo::new(move |_| ed.item.with(|i| i.result.is_some()));
    view! {
        <section class="section" aria-labelledby="sec-result">
            <h2 id="sec-result">"审批结果"</h2>
            {checkbox(ed, "有审批结果", FieldPath::new("result"), |i| i.result.is_some(), |i, on| {
                i.result = on.then(|| ResultDoc { name: String::new(), kind: None, sample: None });
            })}
            {move || has.get().then(|| view! {
                <div class="inline">
                    {text(ed, "结果名称", FieldPath::new("result").key("name"), |i| i.result.as_ref().map(|r| r.name.clone()).unwrap_or_default(), |i, v| {
                        if let Some(r) = i.result.as_mut() { r.name = v }
                    })}
                    {select(ed, "结果类型", FieldPath::new("result").key("kind"), RESULT_KINDS, |i| i.result.as_ref().and_then(|r| r.kind), |i, v| {
                        if let Some(r) = i.result.as_mut() { r.kind = v }
                    })}
                    {text(ed, "结果样本（链接或说明）", FieldPath::new("result").key("sample"), |i| i.result.as_ref().and_then(|r| r.sample.clone()).unwrap_or_default(), |i, v| {
                        if let Some(r) = i.result.as_mut() { r.sample = opt(v) }
                    })}
                </div>
            })}
        </section>
    }
    .into_any()
}

pub fn fees(ed: Ed) -> AnyView {
    view! {
        <section class="section" aria-labelledby="sec-fees">
            <h2 id="sec-fees">"收费"</h2>
            <div class="inline">
                {checkbox(ed, "收费", FieldPath::new("fees").key("charged"), |i| i.fees.charged, |i, on| i.fees.charged = on)}
                {checkbox(ed, "支持网上缴费", FieldPath::new("fees").key("online_payment"), |i| i.fees.online_payment, |i, on| i.fees.online_payment = on)}
            </div>
            {groups::fee_items(ed)}
        </section>
    }
    .into_any()
}

pub fn place(ed: Ed) -> AnyView {
    view! {
        <section class="section" aria-labelledby="sec-place">
            <h2 id="sec-place">"办理地点、时间与电话"</h2>
            {text(ed, "办理地点", FieldPath::new("place").key("address"), |i| i.place.address.clone(), |i, v| i.place.address = v)}
            {groups::hours(ed)}
            {text(ed, "时间说明（如法定节假日除外）", FieldPath::new("place").key("hours_note"), |i| i.place.hours_note.clone().unwrap_or_default(), |i, v| i.place.hours_note = opt(v))}
            {area(ed, "怎么走", FieldPath::new("place").key("directions"), |i| i.place.directions.clone().unwrap_or_default(), |i, v| i.place.directions = opt(v))}
            <div class="inline">
                {text(ed, "咨询电话（含区号）", FieldPath::new("consult_phone"), |i| i.consult_phone.clone(), |i, v| i.consult_phone = v)}
                {text(ed, "投诉电话（含区号）", FieldPath::new("complain_phone"), |i| i.complain_phone.clone(), |i, v| i.complain_phone = v)}
            </div>
        </section>
    }
    .into_any()
}

pub fn faq(ed: Ed) -> AnyView {
    view! {
        <section class="section" aria-labelledby="sec-faq">
            <h2 id="sec-faq">"常见问题与设定依据"</h2>
            {groups::faq(ed)}
            {groups::legal_basis(ed)}
        </section>
    }
    .into_any()
}

pub fn withdrawn(ed: Ed) -> AnyView {
    let on = Memo::new(move |_| ed.item.with(|i| i.withdrawn.is_some()));
    view! {
        <section class="section" aria-labelledby="sec-withdrawn">
            <h2 id="sec-withdrawn">"取消或调整"</h2>
            <p class="muted">"取消的事项仍保留办事指南地址，页面告诉群众该事项已取消、应到哪里办理。"</p>
            {checkbox(ed, "该事项已取消或调整", FieldPath::new("withdrawn"), |i| i.withdrawn.is_some(), |i, on| {
                i.withdrawn = on.then(|| Withdrawal { reason: String::new(), instead: String::new(), replaced_by: None });
            })}
            {move || on.get().then(|| view! {
                <div class="subgroup">
                    {area(ed, "取消原因", FieldPath::new("withdrawn").key("reason"), |i| i.withdrawn.as_ref().map(|w| w.reason.clone()).unwrap_or_default(), |i, v| {
                        if let Some(w) = i.withdrawn.as_mut() { w.reason = v }
                    })}
                    {area(ed, "现在到哪里办理", FieldPath::new("withdrawn").key("instead"), |i| i.withdrawn.as_ref().map(|w| w.instead.clone()).unwrap_or_default(), |i, v| {
                        if let Some(w) = i.withdrawn.as_mut() { w.instead = v }
                    })}
                    {text(ed, "替代事项编码（可留空）", FieldPath::new("withdrawn").key("replaced_by"), |i| i.withdrawn.as_ref().and_then(|w| w.replaced_by.clone()).unwrap_or_default(), |i, v| {
                        if let Some(w) = i.withdrawn.as_mut() { w.replaced_by = opt(v) }
                    })}
                </div>
            })}
        </section>
    }
    .into_any()
}
