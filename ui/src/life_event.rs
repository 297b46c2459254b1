//! `/e/{id}`: a life event (一件事): its items in the order they are handled, and the
//! union of their materials, each listed once ("bring these once").

use leptos::prelude::*;
use zhinan_domain::{Hall, Item, Kind, LifeEvent, Material};

/// One material of the union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedMaterial {
    pub name: String,
    /// Originals to show: the most any item asks for (shown at each window, kept by none).
    pub originals: u8,
    /// Copies to bring: every item keeps its own.
    pub copies: u16,
    /// Some item needs it from every applicant (else only in the cases in `needed_when`).
    pub required: bool,
    /// Names of the items that ask for it, in event order.
    pub used_by: Vec<String>,
    /// `(item, case)`: an item that needs it only in that case.
    pub needed_when: Vec<(String, String)>,
    /// `(item, case)`: an item that exempts applicants in that case.
    pub exempt_when: Vec<(String, String)>,
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

    /// Lines under the material: each case as its item states it, naming the item
    /// when several items share the material (an exemption of one item does not spare
    /// the material for another).
    pub fn condition_lines(&self) -> Vec<String> {
        let shared = self.used_by.len() > 1;
        let line = |label: &str, (item, case): &(String, String)| {
            if shared {
                format!("{label}（{item}）：{case}")
            } else {
                format!("{label}：{case}")
            }
        };
        let needed = self
            .needed_when
            .iter()
            .filter(|_| !self.required)
            .map(|c| line("需要的情形", c));
        let exempt = self.exempt_when.iter().map(|c| line("可免情形", c));
        needed.chain(exempt).collect()
    }
}

/// The materials of `items`, deduplicated by [`Material::key`], in first-seen order.
pub fn union_materials(items: &[Item]) -> Vec<SharedMaterial> {
    let mut out: Vec<(String, SharedMaterial)> = Vec::new();
    for item in items {
        for m in &item.materials {
            let key = m.key();
            let at = match out.iter().position(|(k, _)| *k == key) {
                Some(at) => at,
                None => {
                    out.push((
                        key,
                        SharedMaterial {
                            name: m.name.clone(),
                            originals: 0,
                            copies: 0,
                            required: false,
                            used_by: Vec::new(),
                            needed_when: Vec::new(),
                            exempt_when: Vec::new(),
                        },
                    ));
                    out.len() - 1
                }
            };
            merge(&mut out[at].1, m, &item.name);
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
    let case = |text: &String| (item.to_string(), text.clone());
    shared.needed_when.extend(m.needed_when.iter().map(case));
    shared.exempt_when.extend(m.optional_when.iter().map(case));
}

#[component]
fn SharedRow(material: SharedMaterial) -> impl IntoView {
    let used = material.used_by.join("、");
    let shared = material.used_by.len() > 1;
    let conditions = material.condition_lines();
    view! {
        <li class="material-once">
            <span class="material-name">{material.name.clone()}</span>
            <span class="material-meta">{material.count_label()}</span>
            {conditions
                .into_iter()
                .map(|line| view! { <span class="material-when">{line}</span> })
                .collect_view()}
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
                            <h3>"特定情形才需要的材料"</h3>
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

    /// `(name, originals, copies, needed only when, exempt when)`.
    type Row<'a> = (&'a str, u8, u8, Option<&'a str>, Option<&'a str>);

    fn item(name: &str, materials: &[Row]) -> Item {
        let mut item =
            parse_item(include_str!("../../domain/src/catalog/fixtures/item.json")).unwrap();
        item.name = name.to_string();
        let template = item.materials[0].clone();
        item.materials = materials
            .iter()
            .map(|(n, o, c, needed, exempt)| Material {
                name: n.to_string(),
                originals: *o,
                copies: *c,
                needed_when: needed.map(str::to_string),
                optional_when: exempt.map(str::to_string),
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
                &[
                    ("居民身份证", 1, 1, None, None),
                    ("购房合同", 1, 1, None, None),
                ],
            ),
            item(
                "不动产转移登记",
                &[
                    ("居民身份证 ", 1, 1, None, None),
                    ("购房合同（网签）", 0, 1, None, Some("已网签备案的免提交")),
                ],
            ),
            item(
                "水电过户",
                &[
                    ("居民身份证", 1, 0, None, None),
                    ("授权委托书", 1, 0, Some("委托他人办理的"), None),
                ],
            ),
        ];
        let union = union_materials(&items);
        let names: Vec<&str> = union.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(
            names,
            ["居民身份证", "购房合同", "购房合同（网签）", "授权委托书"]
        );
        let id = &union[0];
        assert_eq!(id.originals, 1);
        assert_eq!(id.copies, 2);
        assert!(id.required);
        assert_eq!(id.used_by, ["契税申报", "不动产转移登记", "水电过户"]);
        assert_eq!(id.count_label(), "原件1份、复印件共2份");
        assert!(id.condition_lines().is_empty());
        // An exemption keeps the material required and is shown with it.
        assert!(union[2].required);
        assert_eq!(union[2].condition_lines(), ["可免情形：已网签备案的免提交"]);
        // Needed only in a case: not required, the case said.
        assert!(!union[3].required);
        assert_eq!(union[3].condition_lines(), ["需要的情形：委托他人办理的"]);
    }

    #[test]
    fn one_items_exemption_is_named_when_others_share_the_material() {
        let items = vec![
            item("契税申报", &[("居民身份证", 1, 0, None, None)]),
            item(
                "不动产转移登记",
                &[("居民身份证", 1, 0, None, Some("已实名认证的免提交"))],
            ),
        ];
        let union = union_materials(&items);
        assert!(union[0].required);
        assert_eq!(
            union[0].condition_lines(),
            ["可免情形（不动产转移登记）：已实名认证的免提交"]
        );
    }

    #[test]
    fn material_keys_ignore_brackets_and_spaces() {
        let named = |n: &str| Material {
            name: n.to_string(),
            ..item("x", &[("x", 1, 0, None, None)]).materials[0].clone()
        };
        assert_eq!(named("身份证（原件）").key(), named("身份证(原件) ").key());
    }
}
