//! The halls of a synthetic prefecture for N items: how many of each level, how many
//! items each gets, and their names, ids, addresses, phones and opening hours.
//!
//! Shaped like the seed's 信阳 counties: a county centre of ~1,000 items, township centres
//! of ~100–150, village points of ~20–40; from 8,000 items on, a city centre too. The model
//! has no city level, so the city centre's items are county-level (`Level::County`).

use std::collections::HashSet;

use zhinan_domain::{Hall, HoursSpan, Level};

use super::rng::Rng;
use crate::pinyin_of;

pub(super) const CITY: &str = "信阳市";
pub(super) const CITY_STEM: &str = "信阳";
pub(super) const AREA: &str = "0376";

/// Largest item count of one hall of each tier (bounded by its name pool).
#[derive(Debug, Clone, Copy)]
pub(super) struct Caps {
    pub city: usize,
    pub county: usize,
    pub town: usize,
    pub village: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Tier {
    City,
    County,
    Town,
    Village,
}

/// One hall to fill, with what its items need to know about where they are.
#[derive(Debug)]
pub(super) struct HallSpec {
    pub hall: Hall,
    pub tier: Tier,
    pub budget: usize,
    /// The county (or city) whose departments implement the items: `{p}` of names.
    pub place: String,
    /// 6-digit administrative division code of the county (or city).
    pub admin: String,
    /// Township name and its stem (上集镇, 上集), for township and village halls.
    pub town: Option<(String, String)>,
    pub village: Option<String>,
    /// Local telephone exchange (first three digits).
    pub exchange: String,
    /// Address of the building, to which items add the floor and zone.
    pub addr_base: String,
    pub hours: Vec<HoursSpan>,
    pub hours_note: String,
    /// Complaint line of the hall's items.
    pub complain: String,
}

/// Halls whose items make life events together: a county with its townships and villages.
#[derive(Debug)]
pub(super) struct Group {
    pub id: String,
    pub halls: Vec<usize>,
}

/// Splits `total` into `parts` near-equal sizes, each ≤ `cap`, jittered so that halls of
/// one level differ as real ones do.
fn split(total: usize, parts: usize, cap: usize, rng: &mut Rng) -> Vec<usize> {
    if parts == 0 {
        return Vec::new();
    }
    let mut sizes: Vec<usize> = (0..parts)
        .map(|i| total / parts + usize::from(i < total % parts))
        .collect();
    let spread = (total / parts / 8).max(1);
    for i in 0..parts.saturating_sub(1) {
        let d = rng.below(spread + 1);
        if sizes[i] > d && sizes[i + 1] + d <= cap {
            sizes[i] -= d;
            sizes[i + 1] += d;
        }
    }
    sizes
}

fn ceil_div(a: usize, b: usize) -> usize {
    a.div_ceil(b.max(1))
}

/// Sizes of one county's halls: (county centre, townships, villages).
fn county_sizes(b: usize, caps: Caps, rng: &mut Rng) -> (usize, Vec<usize>, Vec<usize>) {
    if b < 3 {
        return (b, Vec::new(), Vec::new());
    }
    let share = 0.74 + 0.1 * rng.unit();
    let county = ((b as f64 * share).round() as usize).clamp(1, caps.county);
    let sub = b - county;
    let mut towns_total = (sub as f64 * 0.6).round() as usize;
    if towns_total == 0 {
        towns_total = 1;
    }
    let villages_total = sub - towns_total;
    let t = ((towns_total as f64 / 125.0).round() as usize)
        .max(1)
        .max(ceil_div(towns_total, caps.town));
    let v = if villages_total == 0 {
        0
    } else {
        ((villages_total as f64 / 30.0).round() as usize)
            .max(1)
            .max(ceil_div(villages_total, caps.village))
    };
    (
        county,
        split(towns_total, t, caps.town, rng),
        split(villages_total, v, caps.village, rng),
    )
}

/// The 10 county-level divisions of 信阳市, then made-up ones for very large N.
const COUNTIES: &[(&str, &str, &str)] = &[
    ("新县", "411523", "298"),
    ("浉河区", "411502", "622"),
    ("平桥区", "411503", "370"),
    ("罗山县", "411521", "252"),
    ("光山县", "411522", "862"),
    ("商城县", "411524", "792"),
    ("固始县", "411525", "482"),
    ("潢川县", "411526", "392"),
    ("淮滨县", "411527", "782"),
    ("息县", "411528", "512"),
];

/// 新县's townships (after the demo's 上集), then generated names.
const XINXIAN_TOWNS: &[&str] = &[
    "上集镇",
    "新集镇",
    "沙窝镇",
    "吴陈河镇",
    "苏河镇",
    "八里畈镇",
    "周河乡",
    "陈店乡",
    "千斤乡",
    "卡房乡",
    "郭家河乡",
    "泗店乡",
    "浒湾乡",
    "箭厂河乡",
    "田铺乡",
];

const SURNAMES: &[char] = &[
    '陈', '王', '李', '张', '刘', '周', '吴', '郭', '胡', '黄', '杨', '孙', '马', '朱', '何', '高',
    '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '肖', '田', '董',
    '袁', '潘', '蒋', '蔡', '余', '杜', '叶', '程', '魏', '苏', '吕', '丁', '任', '姚', '卢', '姜',
    '钟', '谭', '汪', '范', '石', '廖', '夏', '方', '熊', '秦', '江', '雷', '龙', '易', '涂', '晏',
];
const TOWN_SUFFIX: &[char] = &[
    '店', '集', '畈', '河', '岗', '铺', '桥', '湾', '寨', '冲', '坪', '庙', '营', '楼',
];
const VILLAGE_SUFFIX: &[char] = &[
    '营', '湾', '庄', '岗', '洼', '楼', '寨', '冲', '畈', '店', '铺', '塆', '坳', '园', '堰', '山',
];
const COMMUNITIES: &[&str] = &[
    "光明", "幸福", "和平", "红星", "新华", "民主", "胜利", "团结", "建设", "振兴", "阳光", "朝阳",
    "花园", "东方", "滨河", "文化", "人民", "向阳", "龙湖", "南关", "北关", "西街", "东街", "新区",
];
const ROADS: &[&str] = &[
    "人民路",
    "解放路",
    "建设大道",
    "新华路",
    "和平路",
    "迎宾大道",
    "文化路",
    "中山路",
    "政通路",
    "行政路",
    "红军路",
    "友谊路",
];
const SIDES: &[&str] = &["东侧", "西侧", "南侧", "北侧"];

/// ASCII id from a Chinese name: its toneless pinyin, ü as v.
pub(super) fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(p) = pinyin_of(c) {
            out.extend(p.chars().map(|c| if c == 'ü' { 'v' } else { c }));
        }
    }
    out
}

fn unique_id(ids: &mut HashSet<String>, wanted: String, fallback_prefix: &str) -> String {
    if ids.insert(wanted.clone()) {
        return wanted;
    }
    let prefixed = format!("{fallback_prefix}-{wanted}");
    if ids.insert(prefixed.clone()) {
        return prefixed;
    }
    (2..)
        .map(|n| format!("{prefixed}{n}"))
        .find(|id| ids.insert(id.clone()))
        .expect("some id is free")
}

fn two_char(rng: &mut Rng, suffixes: &[char]) -> String {
    format!("{}{}", rng.pick(SURNAMES), rng.pick(suffixes))
}

/// A place-name stem; when the two-character ones run out (very large catalogs), a
/// prefixed one (东陈营), then a numbered one.
fn stem(rng: &mut Rng, suffixes: &[char], tries: usize) -> String {
    const PREFIXES: &[char] = &[
        '东', '西', '南', '北', '新', '老', '大', '小', '上', '下', '前', '后',
    ];
    let base = two_char(rng, suffixes);
    match tries {
        0..=20 => base,
        21..=200 => format!("{}{base}", rng.pick(PREFIXES)),
        _ => format!("{base}{tries}"),
    }
}

fn hours(rng: &mut Rng, tier: Tier) -> (Vec<HoursSpan>, String) {
    let weekdays = vec![1, 2, 3, 4, 5];
    let span = |days: &Vec<u8>, open: &str, close: &str| HoursSpan {
        weekdays: days.clone(),
        open: open.to_string(),
        close: close.to_string(),
    };
    let (morning, afternoon) = match tier {
        Tier::City | Tier::County => ("08:30", *rng.pick(&["14:30", "14:00"])),
        Tier::Town | Tier::Village => ("08:00", "14:30"),
    };
    let mut spans = vec![
        span(&weekdays, morning, "12:00"),
        span(&weekdays, afternoon, "17:30"),
    ];
    let mut note = String::from("法定节假日除外");
    let saturday = match tier {
        Tier::City | Tier::County => rng.chance(0.4),
        Tier::Town => rng.chance(0.15),
        Tier::Village => rng.chance(0.6),
    };
    if saturday {
        spans.push(span(&vec![6], "08:30", "11:30"));
        note.push_str("；周六上午设延时服务窗口");
    }
    if tier != Tier::Village && rng.chance(0.5) {
        note.push_str("；夏季（5月1日至9月30日）下午15:00—18:00");
    }
    if tier == Tier::Village {
        note.push_str("；代办员A、B岗轮流值守，工作日每天有人在岗");
    }
    (spans, note)
}

/// A local exchange starting with `first` (a county's digit), unused if possible: there
/// are only 100 per digit, and very large catalogs share them as real networks do.
fn exchange(rng: &mut Rng, used: &mut HashSet<String>, first: Option<char>) -> String {
    let mut ex = String::new();
    for _ in 0..200 {
        let lead = first.unwrap_or_else(|| char::from(b'2' + rng.below(7) as u8));
        ex = format!("{lead}{:02}", rng.below(100));
        if used.insert(ex.clone()) {
            break;
        }
    }
    ex
}

/// Lays out the halls for `n` items.
pub(super) fn layout(n: usize, caps: Caps, rng: &mut Rng) -> (Vec<HallSpec>, Vec<Group>) {
    let mut specs = Vec::new();
    let mut groups = Vec::new();
    let mut ids = HashSet::new();
    let mut exchanges: HashSet<String> = COUNTIES.iter().map(|c| c.2.to_string()).collect();

    let city_items = if n >= 8_000 {
        ((n as f64 * 0.07).round() as usize).clamp(800, caps.city.max(800))
    } else {
        0
    }
    .min(caps.city);
    if city_items > 0 {
        let (hours, hours_note) = hours(rng, Tier::City);
        let ex = exchange(rng, &mut exchanges, Some('6'));
        let id = unique_id(&mut ids, slug(CITY), "city");
        specs.push(HallSpec {
            hall: Hall {
                id: id.clone(),
                name: format!("{CITY}政务服务中心"),
                level: Level::County,
                address: format!("{CITY}羊山新区新七大道市民之家（新七大道与新二十四街交叉口）"),
                phone: format!("{AREA}-{ex}1234"),
                zones: Vec::new(),
                county: None,
                township: None,
                hours: hours.clone(),
            },
            tier: Tier::City,
            budget: city_items,
            place: CITY.to_string(),
            admin: "411500".to_string(),
            town: None,
            village: None,
            complain: format!("{AREA}-12345"),
            exchange: ex,
            addr_base: format!("{CITY}羊山新区新七大道市民之家"),
            hours,
            hours_note,
        });
        groups.push(Group { id, halls: vec![0] });
    }

    // Names unique in the whole prefecture, so that hall lists never show two alike.
    let mut town_names: HashSet<String> = HashSet::new();
    let mut village_names: HashSet<String> = HashSet::new();
    let mut county_names: HashSet<String> = COUNTIES.iter().map(|c| c.0.to_string()).collect();
    let rest = n - city_items;
    let k = ((rest as f64 / 1_900.0).round() as usize).max(1);
    for c in 0..k {
        let budget = rest / k + usize::from(c < rest % k);
        let (county_items, towns, villages) = county_sizes(budget, caps, rng);
        let (county, admin, ex) = match COUNTIES.get(c) {
            Some(&(name, admin, ex)) => (name.to_string(), admin.to_string(), ex.to_string()),
            None => (
                (1..)
                    .map(|tries| format!("{}县", stem(rng, TOWN_SUFFIX, tries)))
                    .find(|name| county_names.insert(name.clone()))
                    .expect("a free county name"),
                format!("{}", 411_530 + c - COUNTIES.len()),
                exchange(rng, &mut exchanges, None),
            ),
        };
        let county_id = unique_id(&mut ids, slug(&county), "county");
        let first = c == 0;
        let lead = ex.chars().next();
        let mut group = Group {
            id: county_id.clone(),
            halls: vec![specs.len()],
        };
        let (addr_base, address) = if first {
            (
                "新县新区金融大厦".to_string(),
                "新县新区金融大厦1—3楼（新县大道与将军路交叉口）".to_string(),
            )
        } else {
            let road = rng.pick(ROADS);
            let base = format!("{county}{road}{}号政务服务中心", rng.range(8, 298));
            let cross = rng.pick(ROADS);
            (base.clone(), format!("{base}（{road}与{cross}交叉口）"))
        };
        let (hours_c, note_c) = hours(rng, Tier::County);
        specs.push(HallSpec {
            hall: Hall {
                id: county_id.clone(),
                name: format!("{county}政务服务中心"),
                level: Level::County,
                address,
                phone: format!("{AREA}-{ex}1234"),
                zones: Vec::new(),
                county: None,
                township: None,
                hours: hours_c.clone(),
            },
            tier: Tier::County,
            budget: county_items,
            place: county.clone(),
            admin: admin.clone(),
            town: None,
            village: None,
            complain: if rng.chance(0.8) {
                format!("{AREA}-12345")
            } else {
                format!("{AREA}-{ex}1299")
            },
            exchange: ex.clone(),
            addr_base,
            hours: hours_c,
            hours_note: note_c,
        });

        // Townships, then villages assigned to them in turn.
        let is_district = county.ends_with('区');
        let mut town_list: Vec<(String, String, String, String)> = Vec::new();
        for t in 0..towns.len() {
            let mut tries = 0;
            let name = loop {
                tries += 1;
                let real = XINXIAN_TOWNS.get(t).filter(|_| first && tries == 1);
                let candidate = if let Some(real) = real {
                    real.to_string()
                } else {
                    let stem = stem(rng, TOWN_SUFFIX, tries);
                    let suffix = if is_district && rng.chance(0.4) {
                        "街道"
                    } else if rng.chance(0.6) {
                        "镇"
                    } else {
                        "乡"
                    };
                    format!("{stem}{suffix}")
                };
                if town_names.insert(candidate.clone()) {
                    break candidate;
                }
            };
            let stem = name
                .trim_end_matches("街道")
                .trim_end_matches(['镇', '乡'])
                .to_string();
            let id = unique_id(&mut ids, slug(&stem), &county_id);
            let tex = if first && t == 0 {
                "285".to_string()
            } else {
                exchange(rng, &mut exchanges, lead)
            };
            town_list.push((name, stem, id, tex));
        }
        for (t, (name, stem, id, tex)) in town_list.iter().enumerate() {
            let (hours_t, note_t) = hours(rng, Tier::Town);
            let gov = if name.ends_with("街道") {
                "街道办事处"
            } else if name.ends_with('乡') {
                "乡政府"
            } else {
                "镇政府"
            };
            let address = if first && t == 0 {
                "新县上集镇人民路18号镇政府东侧".to_string()
            } else {
                format!(
                    "{county}{name}{}{}号{gov}{}",
                    rng.pick(ROADS),
                    rng.range(1, 99),
                    rng.pick(SIDES)
                )
            };
            group.halls.push(specs.len());
            specs.push(HallSpec {
                hall: Hall {
                    id: id.clone(),
                    name: if name.ends_with("街道") {
                        format!("{name}便民服务中心")
                    } else {
                        format!("{name}综合服务中心")
                    },
                    level: Level::Township,
                    address: address.clone(),
                    phone: format!("{AREA}-{tex}1201"),
                    zones: Vec::new(),
                    county: Some(county_id.clone()),
                    township: None,
                    hours: hours_t.clone(),
                },
                tier: Tier::Town,
                budget: towns[t],
                place: county.clone(),
                admin: admin.clone(),
                town: Some((name.clone(), stem.clone())),
                village: None,
                complain: if rng.chance(0.6) {
                    format!("{AREA}-{tex}1299")
                } else {
                    format!("{AREA}-12345")
                },
                exchange: tex.clone(),
                addr_base: address,
                hours: hours_t,
                hours_note: note_t,
            });
        }
        for (v, &size) in villages.iter().enumerate() {
            let (town_name, town_stem, town_id, tex) = &town_list[v % town_list.len()];
            let mut tries = 0;
            let name = loop {
                tries += 1;
                let candidate = if first && v == 0 && tries == 1 {
                    "光明社区".to_string()
                } else if tries < 20 && rng.chance(0.25) {
                    format!("{}社区", rng.pick(COMMUNITIES))
                } else {
                    format!("{}村", stem(rng, VILLAGE_SUFFIX, tries))
                };
                if village_names.insert(candidate.clone()) {
                    break candidate;
                }
            };
            let stem = name.trim_end_matches("社区").trim_end_matches('村');
            let id = unique_id(&mut ids, slug(stem), town_id);
            let address = if first && v == 0 {
                "新县光明社区光明路66号".to_string()
            } else if name.ends_with("社区") {
                format!("{county}{town_name}{name}{stem}路{}号", rng.range(1, 120))
            } else {
                format!("{county}{town_name}{name}村部（村党群服务中心）")
            };
            let phone = if first && v == 0 {
                format!("{AREA}-2966012")
            } else {
                format!("{AREA}-{tex}{:04}", rng.range(3000, 9899))
            };
            let (hours_v, note_v) = hours(rng, Tier::Village);
            group.halls.push(specs.len());
            specs.push(HallSpec {
                hall: Hall {
                    id,
                    name: format!("{name}党群服务中心"),
                    level: Level::Village,
                    address: address.clone(),
                    phone,
                    zones: Vec::new(),
                    county: Some(county_id.clone()),
                    township: Some(town_id.clone()),
                    hours: hours_v.clone(),
                },
                tier: Tier::Village,
                budget: size,
                place: county.clone(),
                admin: admin.clone(),
                town: Some((town_name.clone(), town_stem.clone())),
                village: Some(name),
                complain: format!("{AREA}-12345"),
                exchange: tex.clone(),
                addr_base: address,
                hours: hours_v,
                hours_note: note_v,
            });
        }
        groups.push(group);
    }
    (specs, groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAPS: Caps = Caps {
        city: 1_100,
        county: 1_050,
        town: 150,
        village: 40,
    };

    fn tiers(n: usize) -> Vec<(Tier, usize)> {
        let (specs, _) = layout(n, CAPS, &mut Rng::new(3));
        specs.iter().map(|s| (s.tier, s.budget)).collect()
    }

    #[test]
    fn budgets_add_up_and_respect_the_caps() {
        for n in [1, 2, 3, 46, 100, 1_062, 5_000, 20_000, 60_000] {
            let halls = tiers(n);
            assert_eq!(halls.iter().map(|h| h.1).sum::<usize>(), n, "n = {n}");
            for (tier, size) in &halls {
                let cap = match tier {
                    Tier::City => CAPS.city,
                    Tier::County => CAPS.county,
                    Tier::Town => CAPS.town,
                    Tier::Village => CAPS.village,
                };
                assert!(*size <= cap, "{tier:?} {size} > {cap} at n = {n}");
            }
        }
    }

    #[test]
    fn small_catalogs_have_one_hall_per_level() {
        for n in [46, 70, 100] {
            let halls = tiers(n);
            let kinds: Vec<Tier> = halls.iter().map(|h| h.0).collect();
            assert_eq!(kinds, [Tier::County, Tier::Town, Tier::Village], "n = {n}");
            assert!(halls.iter().all(|h| h.1 > 0));
        }
    }

    #[test]
    fn a_prefecture_has_a_city_ten_counties_and_realistic_hall_sizes() {
        let halls = tiers(20_000);
        let count = |t: Tier| halls.iter().filter(|h| h.0 == t).count();
        assert_eq!(count(Tier::City), 1);
        assert_eq!(count(Tier::County), 10);
        for (tier, size) in &halls {
            match tier {
                Tier::County => assert!((800..=1_050).contains(size), "county {size}"),
                Tier::Town => assert!((90..=150).contains(size), "town {size}"),
                Tier::Village => assert!((18..=40).contains(size), "village {size}"),
                Tier::City => assert!(*size >= 800),
            }
        }
    }

    #[test]
    fn hall_names_stay_unique_in_a_very_large_catalog() {
        let (specs, _) = layout(400_000, CAPS, &mut Rng::new(4));
        let mut names = HashSet::new();
        for s in &specs {
            assert!(names.insert(s.hall.name.clone()), "{}", s.hall.name);
        }
        assert!(specs.len() > 3_000);
    }

    #[test]
    fn hall_ids_are_unique_ascii_and_the_first_county_is_the_demo_one() {
        let (specs, groups) = layout(20_000, CAPS, &mut Rng::new(9));
        let mut seen = HashSet::new();
        for s in &specs {
            assert!(s
                .hall
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            assert!(seen.insert(s.hall.id.clone()), "{}", s.hall.id);
        }
        assert_eq!(groups.len(), 11);
        let ids: Vec<&str> = specs.iter().map(|s| s.hall.id.as_str()).collect();
        assert!(ids.contains(&"xinxian") && ids.contains(&"shangji") && ids.contains(&"guangming"));
    }
}
