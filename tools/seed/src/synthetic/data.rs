//! The raw material of synthetic catalogs, parsed from `families.txt`: departments and
//! item-name families, expanded into the name pools of each hall level.
//!
//! The table is text rather than Rust literals so that ~1,400 names stay reviewable one
//! family per line. Syntax (one record per line, `#` comments):
//! - `!dept key=… name=… [city=…] kind=… zone=… window=… office=… authority=… law=…`
//! - `== county|town|village`: the pool the following families belong to;
//! - `[body] type=… serves=… [topics=a;b] [legal=20,30] [cal] [instant=0.5] [present]
//!   [city] [zone=…] [office=…] result=名称/出证 [mats=a;b] [kw=a;b] [law=…]
//!   [fee=项目/标准/依据]`,
//!   followed by name patterns in which `{a|b}` expands to each alternative.

use std::collections::HashMap;

use zhinan_domain::{DayUnit, ItemType, ResultKind, Serves, TimeLimit};

use super::rng::hash_str;

const TABLE: &str = include_str!("families.txt");

/// A zone of a hall; each level names it its own way (see `mod.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Zone {
    Shangshi,
    Renshe,
    Budongchan,
    Gongcheng,
    Gongan,
    Shehui,
    Zonghe,
    Mashang,
    Zizhu,
    Tiaojie,
    Daiban,
}

impl Zone {
    fn parse(text: &str) -> Option<Zone> {
        Some(match text {
            "商事" => Zone::Shangshi,
            "人社" => Zone::Renshe,
            "不动产" => Zone::Budongchan,
            "工程" => Zone::Gongcheng,
            "公安" => Zone::Gongan,
            "社会" => Zone::Shehui,
            "综合" => Zone::Zonghe,
            "马上办" => Zone::Mashang,
            "自助" => Zone::Zizhu,
            "调解" => Zone::Tiaojie,
            "代办" => Zone::Daiban,
            _ => return None,
        })
    }
}

/// An implementing department of a county (or city) hall.
#[derive(Debug)]
pub(super) struct Dept {
    pub key: &'static str,
    /// Name pattern: `{p}` county or city, `{c}` city, `{cs}` city without 市.
    pub name: &'static str,
    /// Pattern at the city hall, when not `name` with the city for `{p}`.
    pub city: Option<&'static str>,
    /// First two characters of its unified social credit code (登记管理部门 + 机构类别).
    pub kind: &'static str,
    pub zone: Zone,
    pub window: &'static str,
    pub office: &'static str,
    pub authority: &'static str,
    pub law: &'static str,
}

/// Who implements an item (实施主体).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Body {
    Dept(usize),
    /// The township (or street) government.
    TownGov,
    /// A township station of a county department: 派出所, 司法所 …
    Station(&'static str, usize),
    /// The village (or community) committee.
    Committee,
}

/// Items sharing type, limits, materials and law; their names come from patterns.
#[derive(Debug)]
pub(super) struct Family {
    pub body: Body,
    pub ty: ItemType,
    pub serves: Serves,
    pub topics: Vec<&'static str>,
    /// Legal limit choices; one is picked per name (the same everywhere).
    pub legal: Vec<u32>,
    pub calendar: bool,
    /// Share of halls handling it on the spot (即办).
    pub instant: f64,
    /// Needs the applicant in person (fingerprints, photo, signature).
    pub present: bool,
    pub city_only: bool,
    pub zone: Option<Zone>,
    pub result: (&'static str, ResultKind),
    pub mats: Vec<&'static str>,
    pub keywords: Vec<&'static str>,
    pub law: Option<&'static str>,
    /// The office (股室) that reviews it, when not the department's usual one.
    pub office: Option<&'static str>,
    /// 收费项目, 收费标准, 收费依据.
    pub fee: Option<[&'static str; 3]>,
}

/// One item name of a pool, with everything fixed across halls.
#[derive(Debug)]
pub(super) struct Template {
    pub name: String,
    pub family: usize,
    pub legal: TimeLimit,
    /// Part of a life event: every hall of its level that can offers it.
    pub core: bool,
}

#[derive(Debug, Default)]
pub(super) struct Pool {
    pub templates: Vec<Template>,
}

#[derive(Debug)]
pub(super) struct Universe {
    pub depts: Vec<Dept>,
    pub families: Vec<Family>,
    pub county: Pool,
    pub town: Pool,
    pub village: Pool,
    /// Names listed twice in one pool (dropped after the first); the table should have none.
    pub duplicates: Vec<String>,
}

/// Expands `{a|b}` groups into every combination, in order.
pub(super) fn expand(pattern: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let close = open
            + rest[open..]
                .find('}')
                .expect("unclosed { in a name pattern");
        for name in &mut out {
            name.push_str(&rest[..open]);
        }
        let options: Vec<&str> = rest[open + 1..close].split('|').collect();
        out = out
            .iter()
            .flat_map(|prefix| options.iter().map(move |o| format!("{prefix}{o}")))
            .collect();
        rest = &rest[close + 1..];
    }
    for name in &mut out {
        name.push_str(rest);
    }
    out
}

/// The name as the lint matches the same item elsewhere (text in parentheses dropped).
pub(super) use zhinan_domain::lint::name_key;

fn fields(line: &'static str) -> HashMap<&'static str, &'static str> {
    line.split_whitespace()
        .map(|token| token.split_once('=').unwrap_or((token, "")))
        .collect()
}

fn list(value: Option<&&'static str>) -> Vec<&'static str> {
    value.map_or_else(Vec::new, |v| {
        v.split(';').filter(|s| !s.is_empty()).collect()
    })
}

fn item_type(text: &str) -> ItemType {
    match text {
        "许可" => ItemType::Permit,
        "确认" => ItemType::Confirmation,
        "给付" => ItemType::Benefit,
        "奖励" => ItemType::Reward,
        "裁决" => ItemType::Ruling,
        "其他" => ItemType::Other,
        "公共服务" => ItemType::PublicService,
        other => panic!("families.txt: unknown type {other}"),
    }
}

fn serves(text: &str) -> Serves {
    match text {
        "自然人" => Serves::Person,
        "法人" => Serves::Legal,
        "自然人法人" => Serves::Both,
        other => panic!("families.txt: unknown serves {other}"),
    }
}

fn result_kind(text: &str) -> ResultKind {
    match text {
        "出证" => ResultKind::Certificate,
        "出文" => ResultKind::Document,
        "办结" => ResultKind::Completion,
        other => panic!("families.txt: unknown result kind {other}"),
    }
}

impl Universe {
    /// Parses the table. Panics on a malformed line: the table is compiled in and a unit
    /// test parses it, so a typo fails the build's tests, not a user's run.
    pub(super) fn load() -> Universe {
        let mut depts: Vec<Dept> = Vec::new();
        let mut families: Vec<Family> = Vec::new();
        let mut pools: [Vec<(String, usize)>; 3] = Default::default();
        let mut pool = 0usize;
        for (number, raw) in TABLE.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let at = || format!("families.txt:{}", number + 1);
            if let Some(rest) = line.strip_prefix("!dept ") {
                let f = fields(rest);
                let get = |k: &str| *f.get(k).unwrap_or_else(|| panic!("{}: no {k}", at()));
                depts.push(Dept {
                    key: get("key"),
                    name: get("name"),
                    city: f.get("city").copied(),
                    kind: get("kind"),
                    zone: Zone::parse(get("zone")).unwrap_or_else(|| panic!("{}: zone", at())),
                    window: get("window"),
                    office: get("office"),
                    authority: get("authority"),
                    law: get("law"),
                });
            } else if let Some(level) = line.strip_prefix("== ") {
                pool = match level {
                    "county" => 0,
                    "town" => 1,
                    "village" => 2,
                    other => panic!("{}: unknown pool {other}", at()),
                };
            } else if let Some(rest) = line.strip_prefix('[') {
                let (body, attrs) = rest.split_once(']').expect("] after the body");
                let dept = |key: &str| {
                    depts
                        .iter()
                        .position(|d| d.key == key)
                        .unwrap_or_else(|| panic!("{}: unknown department {key}", at()))
                };
                let body = match body {
                    "镇" => Body::TownGov,
                    "村" => Body::Committee,
                    b => match b.split_once('@') {
                        Some((suffix, parent)) => Body::Station(suffix, dept(parent)),
                        None => Body::Dept(dept(b)),
                    },
                };
                let f = fields(attrs);
                let (result_name, kind) = f
                    .get("result")
                    .and_then(|r| r.split_once('/'))
                    .unwrap_or_else(|| panic!("{}: result=名称/类型", at()));
                let fee = f.get("fee").map(|fee| {
                    let parts: Vec<&'static str> = fee.split('/').collect();
                    assert_eq!(parts.len(), 3, "{}: fee=项目/标准/依据", at());
                    [parts[0], parts[1], parts[2]]
                });
                families.push(Family {
                    body,
                    ty: item_type(f.get("type").copied().unwrap_or("")),
                    serves: serves(f.get("serves").copied().unwrap_or("")),
                    topics: list(f.get("topics")),
                    legal: f.get("legal").map_or_else(
                        || vec![20],
                        |v| {
                            v.split(',')
                                .map(|n| n.parse().expect("legal days"))
                                .collect()
                        },
                    ),
                    calendar: f.contains_key("cal"),
                    instant: f
                        .get("instant")
                        .map_or(0.3, |v| v.parse().expect("instant")),
                    present: f.contains_key("present"),
                    city_only: f.contains_key("city"),
                    zone: f
                        .get("zone")
                        .map(|z| Zone::parse(z).unwrap_or_else(|| panic!("{}: zone", at()))),
                    result: (result_name, result_kind(kind)),
                    mats: list(f.get("mats")),
                    keywords: list(f.get("kw")),
                    law: f.get("law").copied(),
                    office: f.get("office").copied(),
                    fee,
                });
            } else {
                let family = families
                    .len()
                    .checked_sub(1)
                    .expect("a name before any family");
                for name in expand(line) {
                    pools[pool].push((name, family));
                }
            }
        }

        // One legal limit per name key, wherever it appears, so that the same item agrees
        // across halls and levels and only injected outliers stand out.
        let mut legal_by_key: HashMap<String, TimeLimit> = HashMap::new();
        let core = super::life_event_names();
        let mut duplicates = Vec::new();
        let [county, town, village] = pools.map(|names| {
            let mut seen = std::collections::HashSet::new();
            let templates = names
                .into_iter()
                .filter(|(name, _)| {
                    let new = seen.insert(name.clone());
                    if !new {
                        duplicates.push(name.clone());
                    }
                    new
                })
                .map(|(name, family)| {
                    let fam: &Family = &families[family];
                    let key = name_key(&name);
                    let legal = *legal_by_key.entry(key.clone()).or_insert_with(|| {
                        let value = fam.legal[(hash_str(&key) % fam.legal.len() as u64) as usize];
                        let unit = if fam.calendar {
                            DayUnit::CalendarDays
                        } else {
                            DayUnit::WorkingDays
                        };
                        TimeLimit { value, unit }
                    });
                    Template {
                        core: core.contains(name.as_str()),
                        name,
                        family,
                        legal,
                    }
                })
                .collect();
            Pool { templates }
        });
        Universe {
            depts,
            families,
            county,
            town,
            village,
            duplicates,
        }
    }
}
