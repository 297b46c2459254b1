//! `/e/{id}`: a life event (一件事): its items in the order they are handled, and the
//! union of their materials, each listed once ("bring these once").

use leptos::prelude::*;
use zhinan_domain::catalog::search::fold_char;
use zhinan_domain::{Hall, Item, Kind, LifeEvent, Material};

/// A material's name as compared across items: folded like search queries (full-width
/// to half-width, lowercase), without spaces and punctuation, so "身份证（原件）" and
/// "身份证(原件)" are the same material.
pub fn material_key(name: &str) -> String {
    name.chars()
        .map(fold_char)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// One material of the union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedMaterial {
    pub name: String,
    /// Originals to show: the most any item asks for (shown at each window, kept by none).
    pub originals: u8,
    /// Copies to bring: every item keeps its own.
    pub copies: u16,
    /// Required by at least one item (else every item lists it as optional).
    pub required: bool,
    /// Names of the items that ask for it, in event order.
    pub used_by: Vec<String>,
}

impl SharedMaterial {
    pub fn count_label(&self) -> String {
        match (self.originals, self.copies) {
            (0, 0) => "—".to_string(),
            (o, 0) => format!("原件{o}份"),
            (0, c) => format!("复印件共{c}份"),
            (o, c) => format!("原件{o}份、复印件共{c}份"),
        }
    }
}

/// The materials of `items`, deduplicated by [`material_key`], in first-seen order.
pub fn union_materials(items: &[Item]) -> Vec<SharedMaterial> {
    let mut out: Vec<(String, SharedMaterial)> = Vec::new();
    for item in items {
        for m in &item.materials {
            let key = material_key(&m.name);
            match out.iter_mut().find(|(k, _)| *k == key) {
                Some((_, shared)) => merge(shared, m, &item.name),
                None => out.push((
                    key,
                    SharedMaterial {
                        name: m.name.clone(),
                        originals: m.originals,
                        copies: u16::from(m.copies),
                        required: m.is_required(),
                        used_by: vec![item.name.clone()],
                    },
                )),
            }
        }
    }
    out.into_iter().map(|(_, m)| m).collect()
}

fn merge(shared: &mut SharedMaterial, m: &Material, item: &str) {
    shared.originals = shared.originals.max(m.originals);
    shared.copies += u16::from(m.copies);
    shared.required |= m.is_required();
    if !shared.used_by.iter().any(|n| n == item) {
        shared.used_by.push(item.to_string());
    }
}

#[component]
fn SharedRow(material: SharedMaterial) -> impl IntoView {
    let used = material.used_by.join("、");
    let shared = material.used_by.len() > 1;
    view! {
        <li class="material-once">
            <span class="material-name">{material.name.clone()}</span>
            <span class="material-meta">
                {material.count_label()}
                {(!material.required).then_some(" · 特定情形才需要")}
            </span>
            <span class="material-meta">
                {if shared { "多个事项共用：" } else { "用于：" }} {used}
            </span>
        </li>
    }
}

/// The life event page.
#[component]
pub fn LifeEventPage(event: LifeEvent, items: Vec<Item>, halls: Vec<Hall>) -> impl IntoView {
    let union = union_materials(&items);
    let total: usize = items.iter().map(|i| i.materials.len()).sum();
    let (required, optional): (Vec<SharedMaterial>, Vec<SharedMaterial>) =
        union.into_iter().partition(|m| m.required);
    let unique = required.len() + optional.len();
    let missing = event.items.len().saturating_sub(items.len());
    let steps = items
        .iter()
        .map(|item| {
            let href = format!("/g/{}", item.code);
            let hall = halls
                .iter()
                .find(|h| h.id == item.hall)
                .map(|h| h.name.clone())
                .unwrap_or_default();
            let limit = match item.kind {
                Kind::Instant => "即办".to_string(),
                Kind::Promised => format!("承诺{}", item.promised_limit.label()),
            };
            let visits = match item.visits {
                0 => "不见面".to_string(),
                1 => "最多跑一次".to_string(),
                n => format!("到现场{n}次"),
            };
            view! {
                <li class="event-step">
                    <a class="event-item" href=href>
                        {item.name.clone()}
                    </a>
                    <span class="material-meta">
                        {item.department.clone()} " · " {limit} " · " {visits}
                    </span>
                    <span class="material-meta">
                        "办理地点：" {hall} " " {item.zone.clone()} " " {item.window.clone()}
                    </span>
                </li>
            }
        })
        .collect_view();
    view! {
        <article class="life-event" aria-labelledby="event-title">
            <p class="crumbs">"一件事 · 一次办"</p>
            <h1 id="event-title">{event.name.clone()}</h1>
            <p>{event.summary.clone()}</p>
            <section class="card" aria-labelledby="event-steps">
                <h2 id="event-steps">"按顺序办理这 " {items.len()} " 个事项"</h2>
                <ol class="steps event-steps">{steps}</ol>
                {(missing > 0)
                    .then(|| {
                        view! { <p class="muted">"另有 " {missing} " 个事项正在调整，请咨询大厅。"</p> }
                    })}
            </section>
            <section class="card" aria-labelledby="event-materials">
                <h2 id="event-materials">"材料带一次就够"</h2>
                <p class="muted">
                    "各事项共列 " {total} " 份材料，合并相同材料后只需准备 " {unique}
                    " 种。原件各窗口核对后退还，复印件按份数准备。"
                </p>
                <ul class="plain once-list">
                    {required
                        .into_iter()
                        .map(|material| view! { <SharedRow material /> })
                        .collect_view()}
                </ul>
                {(!optional.is_empty())
                    .then(|| {
                        view! {
                            <h3>"特定情形需要的材料"</h3>
                            <ul class="plain once-list">
                                {optional
                                    .into_iter()
                                    .map(|material| view! { <SharedRow material /> })
                                    .collect_view()}
                            </ul>
                        }
                    })}
            </section>
        </article>
    }
}

/// The list of life events, for the home page.
#[component]
pub fn LifeEventLinks(events: Vec<LifeEvent>) -> impl IntoView {
    view! {
        <ul class="event-links">
            {events
                .into_iter()
                .map(|e| {
                    let href = format!("/e/{}", e.id);
                    view! {
                        <li>
                            <a class="entry" href=href rel="external">
                                <span class="entry-name">{e.name}</span>
                                <span class="entry-meta">{e.summary}</span>
                            </a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zhinan_domain::parse_item;

    fn item(name: &str, materials: &[(&str, u8, u8, bool)]) -> Item {
        let mut item =
            parse_item(include_str!("../../domain/src/catalog/fixtures/item.json")).unwrap();
        item.name = name.to_string();
        let template = item.materials[0].clone();
        item.materials = materials
            .iter()
            .map(|(n, o, c, required)| Material {
                name: n.to_string(),
                originals: *o,
                copies: *c,
                optional_when: (!required).then(|| "已在系统中".to_string()),
                ..template.clone()
            })
            .collect();
        item
    }

    #[test]
    fn same_material_in_two_items_is_listed_once() {
        let items = vec![
            item(
                "契税申报",
                &[("居民身份证", 1, 1, true), ("购房合同", 1, 1, true)],
            ),
            item(
                "不动产转移登记",
                &[
                    ("居民身份证 ", 1, 1, true),
                    ("购房合同（网签）", 0, 1, true),
                ],
            ),
            item(
                "水电过户",
                &[("居民身份证", 1, 0, false), ("不动产权证书", 1, 0, false)],
            ),
        ];
        let union = union_materials(&items);
        let names: Vec<&str> = union.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(
            names,
            ["居民身份证", "购房合同", "购房合同（网签）", "不动产权证书"]
        );
        let id = &union[0];
        assert_eq!(id.originals, 1);
        assert_eq!(id.copies, 2);
        assert!(id.required);
        assert_eq!(id.used_by, ["契税申报", "不动产转移登记", "水电过户"]);
        assert_eq!(id.count_label(), "原件1份、复印件共2份");
        assert!(!union[3].required);
        assert_eq!(material_key("身份证（原件）"), material_key("身份证(原件)"));
    }
}
