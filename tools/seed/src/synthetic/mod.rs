//! Realistic synthetic catalogs of N items, for benchmarks and tests at real size (a
//! county ≈ 1,062 items, a prefecture ≈ 20,000), in the layout of `data/`.
//!
//! Pure and deterministic: the same [`Config`] gives the same catalog (own splitmix64, no
//! clock). Names come from per-department patterns of real implementation lists
//! (`families.txt`), so they are distinct and plausible, never the demo items renamed;
//! the same item recurs in other halls with its own code, as each county publishes the
//! same list. A seeded few guides carry the defects the source reports describe, so the
//! lint has something to find; every item still passes shape validation.

mod data;
mod guide;
mod layout;
mod rng;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::fs;
use std::path::Path;

use zhinan_domain::lint::lint_catalog;
use zhinan_domain::{Date, Hall, Item, ItemType, LifeEvent, Serves};

use data::{Body, Universe, Zone};
use guide::{BodyInfo, Slot, Slugs};
use layout::{Caps, HallSpec, Tier, AREA, CITY, CITY_STEM};
use rng::{hash_str, Rng};

/// Reference date of generated guides (review dates, staleness) unless `--today` says
/// otherwise: fixed so that output does not depend on the clock.
pub const DEFAULT_TODAY: &str = "2026-11-01";

/// File that marks a directory as written by the generator, so that rewriting it may
/// delete its old items (and a hand-made catalog such as `data/` is never touched).
pub const MARKER: &str = ".gen-catalog";

#[derive(Debug, Clone)]
pub struct Config {
    pub items: usize,
    pub seed: u64,
    /// "Today" of the catalog: guides were updated and reviewed before it.
    pub today: Date,
    /// Inject the realistic defects (off: a catalog the lint finds nothing in).
    pub defects: bool,
}

impl Config {
    pub fn new(items: usize, seed: u64) -> Config {
        Config {
            items,
            seed,
            today: Date::parse(DEFAULT_TODAY).expect("valid default date"),
            defects: true,
        }
    }
}

/// Counts for the generator's report.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub city_halls: usize,
    pub county_halls: usize,
    pub township_halls: usize,
    pub village_halls: usize,
    pub departments: usize,
    /// Items given at least one defect.
    pub defective_items: usize,
}

/// A generated catalog, ready to be written in the layout of `data/`.
#[derive(Debug, Clone)]
pub struct Generated {
    pub config: Config,
    pub halls: Vec<Hall>,
    pub life_events: Vec<LifeEvent>,
    pub items: Vec<Item>,
    pub stats: Stats,
}

/// Life events of each county: id, name, summary, and their items in order (alternatives
/// separated by `|`: the county and township versions of one service).
const LIFE_EVENTS: &[(&str, &str, &str, &[&str])] = &[
    (
        "kaiban-qiye",
        "开办企业",
        "营业执照、公章刻制、发票申领、社保登记、公积金缴存登记一窗受理，全程1个工作日内办结",
        &[
            "有限责任公司设立登记",
            "公章刻制备案",
            "发票领用",
            "单位社会保险登记",
            "单位住房公积金缴存登记",
        ],
    ),
    (
        "ershoufang-guohu",
        "二手房过户",
        "网签、缴税、不动产转移登记和水电气过户在不动产集成服务专区一窗受理，到场一次",
        &[
            "存量房买卖合同网签备案",
            "存量房交易税费申报|契税申报",
            "不动产转移登记（国有建设用地使用权及房屋所有权）",
            "用水过户",
            "用电过户",
            "燃气过户",
        ],
    ),
    (
        "xinshenger-chusheng",
        "新生儿出生",
        "出生医学证明、落户、医保参保缴费、社保卡申领一次办，落户和医保可全程网办",
        &[
            "出生医学证明首次签发",
            "出生登记（婚生子女）",
            "城乡居民基本医疗保险参保登记",
            "城乡居民基本医疗保险参保缴费",
            "社会保障卡申领",
            "生育登记",
        ],
    ),
    (
        "canji",
        "残疾人服务",
        "县残联办理残疾人证，户籍所在乡镇申请困难残疾人生活补贴和重度残疾人护理补贴，村（社区）可代办",
        &[
            "残疾人证新办",
            "困难残疾人生活补贴申请|困难残疾人生活补贴给付",
            "重度残疾人护理补贴申请|重度残疾人护理补贴给付",
            "残疾人辅助器具适配申请",
        ],
    ),
    (
        "shiye-zaijiuye",
        "失业再就业",
        "失业登记、失业保险金网上申领，同步办理就业创业证，报名免费技能培训",
        &["失业登记", "失业保险金申领", "就业创业证申领", "职业技能培训报名"],
    ),
    (
        "nongcun-jianfang",
        "农村村民建房",
        "村里出具用地意见，镇里一窗审批宅基地和规划许可，竣工后村代办员协助确权办证",
        &[
            "村级用地意见出具（农村村民建房）",
            "农村宅基地审批",
            "乡村建设规划许可证核发",
            "农村宅基地使用权及房屋所有权确权登记发证协办|农村宅基地使用权及房屋所有权确权登记受理",
            "不动产首次登记（宅基地使用权及房屋所有权）",
        ],
    ),
    (
        "tuixiu",
        "退休",
        "养老保险待遇申领、公积金提取、老年人优待证和异地就医备案一次办",
        &[
            "企业职工基本养老保险待遇申领（退休）",
            "住房公积金提取（离休退休）",
            "老年人优待证办理",
            "异地就医备案（异地长期居住人员）",
        ],
    ),
    (
        "junren-tuiyi",
        "军人退役",
        "落户、信息采集、一次性经济补助、优待证申领和养老保险关系转移一次办",
        &[
            "退役士兵落户",
            "退役军人信息采集",
            "自主就业退役士兵一次性经济补助金给付",
            "退役军人优待证申领",
            "企业职工基本养老保险关系转移接续",
        ],
    ),
    (
        "shenhou",
        "身后一件事",
        "注销户口、领取丧葬补助和殡葬补贴、办理遗属待遇和公积金提取，一窗受理",
        &[
            "死亡注销户口",
            "惠民殡葬补贴申领",
            "城乡居民基本养老保险丧葬补助金申领",
            "企业职工基本养老保险遗属待遇申领",
            "住房公积金提取（死亡或宣告死亡）",
        ],
    ),
    (
        "kai-canguan",
        "开餐馆",
        "个体户登记、食品经营许可、排水许可和店招审批并联办理",
        &[
            "个体工商户设立登记",
            "食品经营许可（新办）",
            "城镇污水排入排水管网许可",
            "设置大型户外广告审批",
        ],
    ),
    (
        "jiehun",
        "结婚登记",
        "结婚登记后可同步办理户口登记项目变更和生育登记",
        &["内地居民结婚登记", "户口登记项目变更更正（婚姻状况）", "生育登记"],
    ),
    (
        "xinche-shangpai",
        "新车上牌",
        "车船税申报、机动车注册登记和检验合格标志核发一次办",
        &["车船税申报", "机动车注册登记（汽车）", "机动车检验合格标志核发"],
    ),
    (
        "gongcheng-kaigong",
        "工程建设项目开工",
        "立项备案、规划许可、人防、防雷和施工许可在工程建设项目审批专区并联审批",
        &[
            "企业投资项目备案",
            "建设用地规划许可证核发",
            "建设工程规划许可证核发",
            "结合民用建筑修建防空地下室审批",
            "雷电防护装置设计审核",
            "建筑工程施工许可证核发",
        ],
    ),
    (
        "xinshimin-luohu",
        "新市民落户",
        "购房落户、居住证、医保参保和子女入学一次告知",
        &[
            "合法稳定住所（购房）落户",
            "居住证申领",
            "城乡居民基本医疗保险参保登记",
            "义务教育阶段入学登记",
        ],
    ),
];

/// Every item name a life event uses: halls include them first.
pub(crate) fn life_event_names() -> HashSet<&'static str> {
    LIFE_EVENTS
        .iter()
        .flat_map(|e| e.3.iter().flat_map(|alts| alts.split('|')))
        .collect()
}

/// Unified social credit codes (GB 32100) and item codes, unique across the catalog.
#[derive(Debug, Default)]
struct Registry {
    by_name: HashMap<String, String>,
    taken: HashSet<String>,
    counters: HashMap<(String, u8), u32>,
}

const USCC_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Check character of an organization code (GB 11714) over its first 8 characters.
fn org_check(body: &str) -> char {
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(36).expect("alphanumeric") * w)
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        d => char::from_digit(d, 10).expect("digit"),
    }
}

/// Check character of a unified social credit code over its first 17 characters.
fn uscc_check(body: &str) -> char {
    let mut weight = 1u32;
    let mut sum = 0u32;
    for b in body.bytes() {
        let value = USCC_CHARS.iter().position(|&c| c == b).expect("USCC char") as u32;
        sum += value * weight;
        weight = weight * 3 % 31;
    }
    let check = (31 - sum % 31) % 31;
    char::from(USCC_CHARS[check as usize])
}

impl Registry {
    fn uscc(&mut self, name: &str, kind: &str, admin: &str) -> String {
        if let Some(code) = self.by_name.get(name) {
            return code.clone();
        }
        let code = (0u64..)
            .map(|salt| {
                let mut h = hash_str(name) ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15);
                let mut org = String::from(if kind.starts_with('1') { "00" } else { "MA" });
                for _ in 0..6 {
                    let base = if kind.starts_with('1') { 10 } else { 31 };
                    org.push(char::from(USCC_CHARS[(h % base) as usize]));
                    h /= base;
                }
                org.push(org_check(&org));
                let body = format!("{kind}{admin}{org}");
                format!("{body}{}", uscc_check(&body))
            })
            .find(|code| !self.taken.contains(code))
            .expect("a free code");
        self.taken.insert(code.clone());
        self.by_name.insert(name.to_string(), code.clone());
        code
    }

    /// `USCC-00TTSSNNN`: type segment as in the demo (02 许可, 07 确认 …), then a
    /// sequence per implementing body and type.
    fn item_code(&mut self, uscc: &str, ty: ItemType) -> String {
        let tt: u8 = match ty {
            ItemType::Permit => 2,
            ItemType::Benefit => 5,
            ItemType::Confirmation => 7,
            ItemType::Reward => 8,
            ItemType::Ruling => 9,
            ItemType::Other => 10,
            ItemType::PublicService => 12,
        };
        let n = self.counters.entry((uscc.to_string(), tt)).or_insert(0);
        *n += 1;
        let (ss, nnn) = (1 + (*n - 1) / 999, (*n - 1) % 999 + 1);
        assert!(ss < 100, "too many items of one body and type");
        format!("{uscc}-00{tt:02}{ss:02}{nnn:03}")
    }
}

fn dept_name(pattern: &str, place: &str) -> String {
    pattern
        .replace("{p}", place)
        .replace("{cs}", CITY_STEM)
        .replace("{c}", CITY)
}

fn body_info(body: Body, spec: &HallSpec, uni: &Universe, reg: &mut Registry) -> BodyInfo {
    let (name, kind, office, authority, law, dept_key) = match body {
        Body::Dept(i) => {
            let d = &uni.depts[i];
            let pattern = match spec.tier {
                Tier::City => d.city.unwrap_or(d.name),
                _ => d.name,
            };
            (
                dept_name(pattern, &spec.place),
                d.kind,
                d.office,
                d.authority,
                d.law,
                Some(d.key),
            )
        }
        Body::TownGov => {
            let (town, _) = spec.town.as_ref().expect("a township hall");
            let name = match town.strip_suffix("街道") {
                Some(_) => format!("{town}办事处"),
                None => format!("{town}人民政府"),
            };
            (
                name,
                "11",
                "便民服务中心",
                "乡镇人民政府（街道办事处）",
                "《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》",
                None,
            )
        }
        Body::Station(suffix, parent) => {
            let d = &uni.depts[parent];
            let (_, stem) = spec.town.as_ref().expect("a township hall");
            (
                format!("{}{stem}{suffix}", dept_name(d.name, &spec.place)),
                "11",
                suffix,
                d.authority,
                d.law,
                Some(d.key),
            )
        }
        Body::Committee => {
            let village = spec.village.as_ref().expect("a village hall");
            let (name, kind) = if village.ends_with("社区") {
                (format!("{village}居民委员会"), "55")
            } else {
                (format!("{village}村民委员会"), "54")
            };
            (
                name,
                kind,
                "村（居）民委员会",
                "村（居）民委员会",
                "《中华人民共和国村民委员会组织法》",
                None,
            )
        }
    };
    let uscc = reg.uscc(&name, kind, &spec.admin);
    BodyInfo {
        name,
        uscc,
        office,
        authority,
        law,
        dept_key,
    }
}

/// The zones of a hall of this tier, in floor-plan order.
fn zone_order(tier: Tier) -> &'static [Zone] {
    match tier {
        Tier::City | Tier::County => &[
            Zone::Shangshi,
            Zone::Renshe,
            Zone::Budongchan,
            Zone::Gongcheng,
            Zone::Gongan,
            Zone::Shehui,
            Zone::Zonghe,
            Zone::Mashang,
            Zone::Zizhu,
        ],
        Tier::Town => &[
            Zone::Zonghe,
            Zone::Shehui,
            Zone::Budongchan,
            Zone::Gongan,
            Zone::Shangshi,
            Zone::Tiaojie,
        ],
        Tier::Village => &[Zone::Daiban, Zone::Tiaojie],
    }
}

/// A family's zone as this tier of hall organises it.
fn canonical(zone: Zone, tier: Tier) -> Zone {
    match tier {
        Tier::City | Tier::County => match zone {
            Zone::Tiaojie | Zone::Daiban => Zone::Zonghe,
            z => z,
        },
        Tier::Town => match zone {
            Zone::Shehui | Zone::Renshe => Zone::Shehui,
            Zone::Budongchan | Zone::Gongcheng => Zone::Budongchan,
            Zone::Gongan | Zone::Shangshi | Zone::Tiaojie => zone,
            _ => Zone::Zonghe,
        },
        Tier::Village => match zone {
            Zone::Tiaojie => Zone::Tiaojie,
            _ => Zone::Daiban,
        },
    }
}

fn zone_label(zone: Zone, tier: Tier) -> &'static str {
    match tier {
        Tier::City | Tier::County => match zone {
            Zone::Shangshi => "商事登记专区",
            Zone::Renshe => "人力资源和社保专区",
            Zone::Budongchan => "不动产集成服务专区",
            Zone::Gongcheng => "工程建设项目审批专区",
            Zone::Gongan => "公安服务专区",
            Zone::Shehui => "社会事务专区",
            Zone::Mashang => "马上办专区",
            Zone::Zizhu => "24小时自助专区",
            _ => "综合受件专区",
        },
        Tier::Town => match zone {
            Zone::Shehui => "民政社保窗口",
            Zone::Budongchan => "村镇建设窗口",
            Zone::Gongan => "公安服务窗口",
            Zone::Shangshi => "市场监管窗口",
            Zone::Tiaojie => "司法调解窗口",
            _ => "综合收件窗口",
        },
        Tier::Village => match zone {
            Zone::Tiaojie => "咨询调解窗口",
            _ => "代办帮办窗口",
        },
    }
}

/// Items of one hall.
fn hall_items(
    spec: &HallSpec,
    uni: &Universe,
    cfg: &Config,
    rng: &mut Rng,
    reg: &mut Registry,
    slugs: &mut Slugs,
    defective: &mut usize,
) -> (Vec<Item>, Vec<String>) {
    let tier = spec.tier;
    let pool = match tier {
        Tier::City | Tier::County => &uni.county,
        Tier::Town => &uni.town,
        Tier::Village => &uni.village,
    };
    let eligible: Vec<usize> = (0..pool.templates.len())
        .filter(|&i| tier == Tier::City || !uni.families[pool.templates[i].family].city_only)
        .collect();
    // Life-event items first (each county offers them), then a random part of the rest.
    let (mut core, mut other): (Vec<usize>, Vec<usize>) =
        eligible.iter().partition(|&&i| pool.templates[i].core);
    rng.shuffle(&mut core);
    rng.shuffle(&mut other);
    let mut chosen: Vec<usize> = core.into_iter().chain(other).take(spec.budget).collect();
    chosen.sort_unstable();

    // Who implements each, whether it is instant, and where in the hall.
    let mut bodies: Vec<(Body, BodyInfo)> = Vec::new();
    let mut drafts = Vec::with_capacity(chosen.len());
    for &t in &chosen {
        let tpl = &pool.templates[t];
        let fam = &uni.families[tpl.family];
        let b = match bodies.iter().position(|(body, _)| *body == fam.body) {
            Some(b) => b,
            None => {
                bodies.push((fam.body, body_info(fam.body, spec, uni, reg)));
                bodies.len() - 1
            }
        };
        // Township and village staff handle fewer items on the spot than county windows
        // (the seed's township: 58 of 198 instant).
        let on_the_spot = match tier {
            Tier::City | Tier::County => 1.0,
            Tier::Town => 0.7,
            Tier::Village => 0.85,
        };
        let instant =
            tpl.legal.value == 0 || fam.instant >= 1.0 || rng.chance(fam.instant * on_the_spot);
        let home = match fam.body {
            Body::Dept(d) | Body::Station(_, d) => uni.depts[d].zone,
            Body::TownGov => Zone::Zonghe,
            Body::Committee => Zone::Daiban,
        };
        let mut zone = fam.zone.unwrap_or(home);
        if zone == Zone::Mashang && !instant {
            zone = if home == Zone::Mashang {
                Zone::Zonghe
            } else {
                home
            };
        }
        if matches!(tier, Tier::City | Tier::County) && instant && zone != Zone::Mashang {
            if rng.chance(0.1) {
                zone = Zone::Mashang;
            } else if fam.serves != Serves::Legal && rng.chance(0.02) {
                zone = Zone::Zizhu;
            }
        }
        drafts.push((t, b, instant, canonical(zone, tier)));
    }

    // Windows, floors and consultation lines, zone by zone.
    let order = zone_order(tier);
    let mut windows: HashMap<(Zone, usize), String> = HashMap::new();
    let mut floors: HashMap<Zone, usize> = HashMap::new();
    let mut zones_used: Vec<&'static str> = Vec::new();
    let mut next = 1usize;
    for (zi, &zone) in order.iter().enumerate() {
        let mut in_zone: Vec<usize> = Vec::new();
        for d in drafts.iter().filter(|d| d.3 == zone) {
            if !in_zone.contains(&d.1) {
                in_zone.push(d.1);
            }
        }
        if in_zone.is_empty() {
            continue;
        }
        zones_used.push(zone_label(zone, tier));
        floors.insert(
            zone,
            if tier == Tier::City || tier == Tier::County {
                zi / 3
            } else {
                0
            },
        );
        let shared = |label: String, windows: &mut HashMap<(Zone, usize), String>| {
            for &b in &in_zone {
                windows.insert((zone, b), label.clone());
            }
        };
        match tier {
            Tier::City | Tier::County => match zone {
                Zone::Shangshi | Zone::Renshe | Zone::Budongchan | Zone::Zonghe => {
                    let w = in_zone.len().clamp(2, 6);
                    let suffix = match zone {
                        Zone::Shangshi => "综合窗口",
                        Zone::Renshe => "无差别受理窗口",
                        Zone::Budongchan => "综合受理窗口",
                        _ => "综合受件窗口",
                    };
                    shared(format!("{next}—{}号{suffix}", next + w - 1), &mut windows);
                    next += w;
                }
                Zone::Zizhu => shared("24小时自助服务终端".to_string(), &mut windows),
                _ => {
                    for &b in &in_zone {
                        let word = match bodies[b].0 {
                            Body::Dept(d) | Body::Station(_, d) => uni.depts[d].window,
                            _ => "综合",
                        };
                        windows.insert((zone, b), format!("{next}号{word}窗口"));
                        next += 1;
                    }
                }
            },
            Tier::Town => {
                let label = zone_label(zone, tier);
                if zone == Zone::Zonghe {
                    shared(format!("{next}—{}号{label}", next + 2), &mut windows);
                    next += 3;
                } else {
                    shared(format!("{next}号{label}"), &mut windows);
                    next += 1;
                }
            }
            Tier::Village => shared(zone_label(zone, tier).to_string(), &mut windows),
        }
    }
    let ex = &spec.exchange;
    let consult: Vec<String> = (0..bodies.len())
        .map(|b| match tier {
            Tier::Village => spec.hall.phone.clone(),
            Tier::Town => {
                // One line per zone of the township centre.
                let zone = drafts
                    .iter()
                    .find(|d| d.1 == b)
                    .map_or(Zone::Zonghe, |d| d.3);
                let zi = order.iter().position(|&z| z == zone).unwrap_or(0);
                format!("{AREA}-{ex}12{:02}", zi + 1)
            }
            Tier::City | Tier::County => {
                let line = if b < 89 {
                    format!("{AREA}-{ex}12{:02}", b + 1)
                } else {
                    format!("{AREA}-{ex}13{:02}", (b - 89) % 90 + 1)
                };
                // Real guides also list a second line or an extension.
                match rng.below(100) {
                    0..=4 => format!("{line}、{AREA}-{ex}11{:02}", b % 90 + 1),
                    5..=7 => format!("{line}转8{:02}", b % 90 + 1),
                    _ => line,
                }
            }
        })
        .collect();

    let mut items = Vec::with_capacity(drafts.len());
    for (t, b, instant, zone) in drafts {
        let tpl = &pool.templates[t];
        let fam = &uni.families[tpl.family];
        let body = &bodies[b].1;
        let slot = Slot {
            tpl,
            fam,
            body,
            zone: zone_label(zone, tier),
            floor: floors.get(&zone).copied().unwrap_or(0),
            window: windows[&(zone, b)].clone(),
            consult: consult[b].clone(),
            instant,
            code: reg.item_code(&body.uscc, fam.ty),
        };
        let mut item = guide::build(spec, &slot, cfg.today, rng, slugs);
        if cfg.defects && !guide::inject(&mut item, body, cfg.today, rng).is_empty() {
            *defective += 1;
        }
        items.push(item);
    }
    (items, zones_used.into_iter().map(str::to_string).collect())
}

/// Generates the catalog of `cfg.items` items.
pub fn generate(cfg: &Config) -> Generated {
    let uni = Universe::load();
    debug_assert!(uni.duplicates.is_empty(), "{:?}", uni.duplicates);
    let shrink = |n: usize, share: f64, cap: usize| ((n as f64 * share) as usize).clamp(1, cap);
    let county_pool = uni
        .county
        .templates
        .iter()
        .filter(|t| !uni.families[t.family].city_only)
        .count();
    // Halls take most of their pool, not all of it, so that counties differ a little.
    let caps = Caps {
        city: shrink(uni.county.templates.len(), 0.95, 1_600),
        county: shrink(county_pool, 0.92, 1_150),
        town: shrink(uni.town.templates.len(), 0.92, 150),
        village: shrink(uni.village.templates.len(), 0.92, 40),
    };
    let root = Rng::new(cfg.seed);
    let (specs, groups) = layout::layout(cfg.items, caps, &mut root.derive(1));

    let mut reg = Registry::default();
    let mut slugs = Slugs::default();
    let mut stats = Stats::default();
    let mut halls = Vec::with_capacity(specs.len());
    let mut items: Vec<Item> = Vec::with_capacity(cfg.items);
    let mut hall_ranges = Vec::with_capacity(specs.len());
    for (h, spec) in specs.iter().enumerate() {
        let mut rng = root.derive(1_000 + h as u64);
        let (hall_items, zones) = hall_items(
            spec,
            &uni,
            cfg,
            &mut rng,
            &mut reg,
            &mut slugs,
            &mut stats.defective_items,
        );
        let start = items.len();
        items.extend(hall_items);
        hall_ranges.push(start..items.len());
        let mut hall = spec.hall.clone();
        hall.zones = zones;
        halls.push(hall);
        match spec.tier {
            Tier::City => stats.city_halls += 1,
            Tier::County => stats.county_halls += 1,
            Tier::Town => stats.township_halls += 1,
            Tier::Village => stats.village_halls += 1,
        }
    }

    // Life events of each county, with items from its own halls.
    let mut life_events = Vec::new();
    for group in &groups {
        let mut by_name: HashMap<&str, usize> = HashMap::new();
        for &h in &group.halls {
            for i in hall_ranges[h].clone() {
                by_name.entry(items[i].name.as_str()).or_insert(i);
            }
        }
        let place = &specs[group.halls[0]].place;
        let mut events: Vec<(LifeEvent, Vec<usize>)> = Vec::new();
        for (id, name, summary, parts) in LIFE_EVENTS {
            let mut members: Vec<usize> = Vec::new();
            for alternatives in *parts {
                if let Some(&i) = alternatives.split('|').find_map(|a| by_name.get(a)) {
                    if !members.contains(&i) {
                        members.push(i);
                    }
                }
            }
            if members.len() < 2 {
                continue;
            }
            let event = LifeEvent {
                id: format!("{}-{id}", group.id),
                name: if groups.len() > 1 {
                    format!("{name}（{place}）")
                } else {
                    name.to_string()
                },
                summary: summary.to_string(),
                items: members.iter().map(|&i| items[i].code.clone()).collect(),
            };
            events.push((event, members));
        }
        for (event, members) in events {
            for i in members {
                items[i].life_events.push(event.id.clone());
            }
            life_events.push(event);
        }
    }

    stats.departments = items
        .iter()
        .map(|i| i.department.as_str())
        .collect::<HashSet<_>>()
        .len();
    Generated {
        config: cfg.clone(),
        halls,
        life_events,
        items,
        stats,
    }
}

fn pretty<T: serde::Serialize>(value: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(value).expect("catalog values serialize");
    out.push(b'\n');
    out
}

/// Writes the catalog as `dir/halls.json`, `dir/life_events.json` and
/// `dir/items/{code}.json`. A directory that already holds items is only rewritten if
/// the generator wrote it (its old items are removed first).
pub fn write_catalog(dir: &Path, catalog: &Generated) -> Result<(), String> {
    let err = |path: &Path, e: std::io::Error| format!("{}: {e}", path.display());
    let items_dir = dir.join("items");
    let marker = dir.join(MARKER);
    if items_dir.is_dir() {
        let entries: Vec<_> = fs::read_dir(&items_dir)
            .map_err(|e| err(&items_dir, e))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        if !entries.is_empty() && !marker.exists() {
            return Err(format!(
                "{} already holds a catalog that gen-catalog did not write (no {MARKER}); choose another directory",
                dir.display()
            ));
        }
        for path in entries
            .iter()
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
        {
            fs::remove_file(path).map_err(|e| err(path, e))?;
        }
    }
    fs::create_dir_all(&items_dir).map_err(|e| err(&items_dir, e))?;
    let c = &catalog.config;
    fs::write(
        &marker,
        format!(
            "written by gen-catalog --items {} --seed {} --today {}{}\n",
            c.items,
            c.seed,
            c.today,
            if c.defects { "" } else { " --clean" }
        ),
    )
    .map_err(|e| err(&marker, e))?;
    for (name, bytes) in [
        ("halls.json", pretty(&catalog.halls)),
        ("life_events.json", pretty(&catalog.life_events)),
    ] {
        let path = dir.join(name);
        fs::write(&path, bytes).map_err(|e| err(&path, e))?;
    }
    for item in &catalog.items {
        let path = items_dir.join(format!("{}.json", item.code));
        fs::write(&path, pretty(item)).map_err(|e| err(&path, e))?;
    }
    Ok(())
}

/// What the lint finds in a catalog, for the generator's report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintSummary {
    pub items: usize,
    pub errors: usize,
    pub warnings: usize,
    pub items_with_errors: usize,
    pub items_with_warnings: usize,
    /// Findings per rule id.
    pub by_rule: BTreeMap<String, usize>,
}

pub fn lint_summary(items: &[Item], today: Date) -> LintSummary {
    let mut s = LintSummary {
        items: items.len(),
        ..LintSummary::default()
    };
    for (_, findings) in lint_catalog(items, today, &[]) {
        let errors = findings.iter().filter(|f| f.is_error()).count();
        s.errors += errors;
        s.warnings += findings.len() - errors;
        s.items_with_errors += usize::from(errors > 0);
        s.items_with_warnings += usize::from(findings.len() > errors);
        for f in &findings {
            *s.by_rule.entry(f.rule.clone()).or_default() += 1;
        }
    }
    s
}

impl fmt::Display for LintSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rules: Vec<String> = self
            .by_rule
            .iter()
            .map(|(rule, n)| format!("{rule} {n}"))
            .collect();
        write!(
            f,
            "lint: {} errors in {} items, {} warnings in {} items, of {} items ({})",
            self.errors,
            self.items_with_errors,
            self.warnings,
            self.items_with_warnings,
            self.items,
            rules.join(", ")
        )
    }
}

#[cfg(test)]
mod tests;
