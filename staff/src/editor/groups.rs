//! The item's repeated groups, each drawn by the one list editor: where the list lives,
//! what a new row holds, and one row's fields.

use leptos::prelude::*;
use zhinan_domain::{
    Faq, FeeItem, FieldPath, HoursSpan, LegalBasis, Material, MaterialForm, MaterialSource, Step,
};

use super::fields::{area, checkbox, number, opt, select, text, word_list, Ed};
use super::list::{list_editor, Row, Rows};

const FORMS: &[(MaterialForm, &str)] = &[
    (MaterialForm::Paper, "纸质"),
    (MaterialForm::Electronic, "电子"),
    (MaterialForm::PaperOrElectronic, "纸质或电子"),
];
const SOURCES: &[(bool, &str)] = &[(false, "申请人自备"), (true, "政府部门核发")];

pub fn conditions(ed: Ed) -> AnyView {
    list_editor(
        ed,
        Rows {
            title: "受理条件",
            noun: "条件",
            path: FieldPath::new("conditions"),
            read: |i| &i.conditions,
            write: |i| &mut i.conditions,
            row_is_field: true,
        },
        String::new(),
        move |row| {
            area(
                ed,
                "条件内容",
                row.path(),
                row.get(String::clone),
                row.set(|c, v| *c = v),
            )
        },
    )
}

fn is_government(m: &Material) -> bool {
    matches!(m.source, MaterialSource::Government { .. })
}

fn material_row(row: Row<Material>) -> AnyView {
    let ed = row.ed;
    let is_gov = Memo::new({
        let gov = row.get(is_government);
        move |_| ed.item.with(gov)
    });
    // Asked only of documents a government body issues.
    let issuer = {
        let path = row.key("source").key("issuer");
        let get = row.get(|m| match &m.source {
            MaterialSource::Government { issuer } => issuer.clone(),
            _ => String::new(),
        });
        let set = row.set(|m, v| m.source = MaterialSource::Government { issuer: v });
        move || {
            is_gov
                .get()
                .then(|| text(ed, "核发部门", path.clone(), get, set))
        }
    };
    view! {
        <div class="row-fields">
            {text(ed, "材料名称", row.key("name"), row.get(|m| m.name.clone()), row.set(|m, v| m.name = v))}
            <div class="inline">
                {number(ed, "原件份数", row.key("originals"),
                    row.get(|m| u32::from(m.originals)),
                    row.set(|m, v: u32| m.originals = v.min(255) as u8))}
                {number(ed, "复印件份数", row.key("copies"),
                    row.get(|m| u32::from(m.copies)),
                    row.set(|m, v: u32| m.copies = v.min(255) as u8))}
                {select(ed, "材料形式", row.key("form"), FORMS,
                    row.get_or(MaterialForm::Paper, |m| m.form),
                    row.set(|m, v| m.form = v))}
            </div>
            {text(ed, "仅在此情形需要（人人都要交则留空）", row.key("needed_when"),
                row.get(|m| m.needed_when.clone().unwrap_or_default()),
                row.set(|m, v| m.needed_when = opt(v)))}
            {text(ed, "可免交的情形（如“已网签备案的免提交”，没有则留空）", row.key("optional_when"),
                row.get(|m| m.optional_when.clone().unwrap_or_default()),
                row.set(|m, v| m.optional_when = opt(v)))}
            <div class="inline">
                {select(ed, "来源渠道", row.key("source"), SOURCES,
                    row.get(is_government),
                    row.set(|m, gov| {
                        m.source = if gov {
                            MaterialSource::Government { issuer: String::new() }
                        } else {
                            MaterialSource::Applicant
                        };
                    }))}
                {issuer}
            </div>
            <div class="inline">
                {text(ed, "空白表格（链接）", row.key("blank_form"),
                    row.get(|m| m.blank_form.clone().unwrap_or_default()),
                    row.set(|m, v| m.blank_form = opt(v)))}
                {text(ed, "示例样表（链接）", row.key("sample"),
                    row.get(|m| m.sample.clone().unwrap_or_default()),
                    row.set(|m, v| m.sample = opt(v)))}
            </div>
            {text(ed, "填报须知 / 备注", row.key("note"),
                row.get(|m| m.note.clone().unwrap_or_default()),
                row.set(|m, v| m.note = opt(v)))}
        </div>
    }
    .into_any()
}

pub fn materials(ed: Ed) -> AnyView {
    list_editor(
        ed,
        Rows {
            title: "申请材料",
            noun: "材料",
            path: FieldPath::new("materials"),
            read: |i| &i.materials,
            write: |i| &mut i.materials,
            row_is_field: false,
        },
        Material {
            name: String::new(),
            originals: 1,
            copies: 0,
            form: MaterialForm::Paper,
            optional_when: None,
            needed_when: None,
            source: MaterialSource::Applicant,
            blank_form: None,
            sample: None,
            note: None,
        },
        material_row,
    )
}

pub fn steps(ed: Ed) -> AnyView {
    list_editor(
        ed,
        Rows {
            title: "办理环节",
            noun: "环节",
            path: FieldPath::new("steps"),
            read: |i| &i.steps,
            write: |i| &mut i.steps,
            row_is_field: false,
        },
        Step {
            name: String::new(),
            who: String::new(),
            limit: String::new(),
            standard: String::new(),
        },
        move |row: Row<Step>| {
            view! {
                <div class="row-fields">
                    <div class="inline">
                        {text(ed, "环节名称", row.key("name"), row.get(|s| s.name.clone()), row.set(|s, v| s.name = v))}
                        {text(ed, "办理人员（岗位）", row.key("who"), row.get(|s| s.who.clone()), row.set(|s, v| s.who = v))}
                        {text(ed, "环节时限", row.key("limit"), row.get(|s| s.limit.clone()), row.set(|s, v| s.limit = v))}
                    </div>
                    {text(ed, "审查标准", row.key("standard"), row.get(|s| s.standard.clone()), row.set(|s, v| s.standard = v))}
                </div>
            }
        },
    )
}

pub fn fee_items(ed: Ed) -> AnyView {
    list_editor(
        ed,
        Rows {
            title: "收费项目",
            noun: "收费项目",
            path: FieldPath::new("fees").key("items"),
            read: |i| &i.fees.items,
            write: |i| &mut i.fees.items,
            row_is_field: false,
        },
        FeeItem {
            item: String::new(),
            standard: String::new(),
            basis: String::new(),
            waivable: false,
        },
        move |row: Row<FeeItem>| {
            view! {
                <div class="row-fields">
                    <div class="inline">
                        {text(ed, "项目", row.key("item"), row.get(|f| f.item.clone()), row.set(|f, v| f.item = v))}
                        {text(ed, "标准", row.key("standard"), row.get(|f| f.standard.clone()), row.set(|f, v| f.standard = v))}
                    </div>
                    {text(ed, "收费依据", row.key("basis"), row.get(|f| f.basis.clone()), row.set(|f, v| f.basis = v))}
                    {checkbox(ed, "可减免", row.key("waivable"), row.get(|f| f.waivable), row.set(|f, on| f.waivable = on))}
                </div>
            }
        },
    )
}

pub fn hours(ed: Ed) -> AnyView {
    list_editor(
        ed,
        Rows {
            title: "办公时间",
            noun: "时段",
            path: FieldPath::new("place").key("hours"),
            read: |i| &i.place.hours,
            write: |i| &mut i.place.hours,
            row_is_field: false,
        },
        HoursSpan {
            weekdays: vec![1, 2, 3, 4, 5],
            open: "09:00".into(),
            close: "17:00".into(),
        },
        move |row: Row<HoursSpan>| {
            view! {
                <div class="row-fields inline">
                    {word_list(ed, "星期（1 = 周一 … 7 = 周日）", row.key("weekdays"),
                        row.get(|h| h.weekdays.iter().map(u8::to_string).collect()),
                        row.set(|h, words: Vec<String>| {
                            h.weekdays = words.iter().filter_map(|w| w.parse().ok()).collect();
                        }))}
                    {text(ed, "开始（HH:MM）", row.key("open"), row.get(|h| h.open.clone()), row.set(|h, v| h.open = v))}
                    {text(ed, "结束（HH:MM）", row.key("close"), row.get(|h| h.close.clone()), row.set(|h, v| h.close = v))}
                </div>
            }
        },
    )
}

pub fn faq(ed: Ed) -> AnyView {
    list_editor(
        ed,
        Rows {
            title: "常见问题",
            noun: "问题",
            path: FieldPath::new("faq"),
            read: |i| &i.faq,
            write: |i| &mut i.faq,
            row_is_field: false,
        },
        Faq {
            q: String::new(),
            a: String::new(),
        },
        move |row: Row<Faq>| {
            view! {
                <div class="row-fields">
                    {text(ed, "问", row.key("q"), row.get(|f| f.q.clone()), row.set(|f, v| f.q = v))}
                    {area(ed, "答", row.key("a"), row.get(|f| f.a.clone()), row.set(|f, v| f.a = v))}
                </div>
            }
        },
    )
}

pub fn legal_basis(ed: Ed) -> AnyView {
    list_editor(
        ed,
        Rows {
            title: "设定依据",
            noun: "依据",
            path: FieldPath::new("legal_basis"),
            read: |i| &i.legal_basis,
            write: |i| &mut i.legal_basis,
            row_is_field: false,
        },
        LegalBasis {
            law: String::new(),
            article: String::new(),
            text: String::new(),
        },
        move |row: Row<LegalBasis>| {
            view! {
                <div class="row-fields">
                    <div class="inline">
                        {text(ed, "法律法规名称", row.key("law"), row.get(|l| l.law.clone()), row.set(|l, v| l.law = v))}
                        {text(ed, "条款", row.key("article"), row.get(|l| l.article.clone()), row.set(|l, v| l.article = v))}
                    </div>
                    {area(ed, "条文内容", row.key("text"), row.get(|l| l.text.clone()), row.set(|l, v| l.text = v))}
                </div>
            }
        },
    )
}
