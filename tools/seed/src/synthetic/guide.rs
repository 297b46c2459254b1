//! One item's full guide from its name family and its hall, and the realistic defects
//! (the ones the source reports found) injected into a seeded few.

use std::collections::HashMap;

use zhinan_domain::{
    Channel, Date, DayUnit, Faq, FeeItem, Fees, Item, ItemType, Kind, LegalBasis, Level, Material,
    MaterialForm, MaterialSource, OnlineDepth, OnlineUrl, Place, Postal, Proxy, ResultDoc, Serves,
    Step, TimeLimit,
};

use super::data::{name_key, Family, Template};
use super::layout::{slug, HallSpec, Tier};
use super::rng::{hash_str, Rng};

/// Who implements an item in one hall, resolved to names and codes.
#[derive(Debug, Clone)]
pub(super) struct BodyInfo {
    pub name: String,
    pub uscc: String,
    pub office: &'static str,
    pub authority: &'static str,
    pub law: &'static str,
    /// Department key, for department-specific habits (公安局 does not compress …).
    pub dept_key: Option<&'static str>,
}

/// Where in the hall an item is handled and whom to call.
#[derive(Debug)]
pub(super) struct Slot<'a> {
    pub tpl: &'a Template,
    pub fam: &'a Family,
    pub body: &'a BodyInfo,
    pub zone: &'static str,
    pub floor: usize,
    pub window: String,
    pub consult: String,
    pub instant: bool,
    pub code: String,
}

/// Pinyin file names of forms and samples, computed once per name.
#[derive(Debug, Default)]
pub(super) struct Slugs(HashMap<String, String>);

impl Slugs {
    fn get(&mut self, text: &str) -> String {
        if let Some(s) = self.0.get(text) {
            return s.clone();
        }
        let mut out = String::new();
        for c in text.chars() {
            let part = slug(&c.to_string());
            if !part.is_empty() {
                if !out.is_empty() {
                    out.push('-');
                }
                out.push_str(&part);
            }
        }
        if out.is_empty() {
            out.push_str("file");
        }
        self.0.insert(text.to_string(), out.clone());
        out
    }
}

fn wd(value: u32) -> TimeLimit {
    TimeLimit {
        value,
        unit: DayUnit::WorkingDays,
    }
}

/// 1–99 in Chinese numerals, for article numbers (第二十九条).
fn chinese_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (tens, ones) = (n / 10, n % 10);
    let mut s = String::new();
    if tens > 1 {
        s.push_str(DIGITS[tens as usize]);
    }
    if tens > 0 {
        s.push('十');
    }
    if ones > 0 || tens == 0 {
        s.push_str(DIGITS[ones as usize]);
    }
    s
}

/// A character that says what an item is about (not 证, 登记, 申请 …).
fn telling(c: char) -> bool {
    !"证登记申请领办理许可核发变更注销备案服务管理业资格查询开具表书人员事项".contains(c)
}

/// The promised limit of a non-instant item: compressed to at most half of the legal one
/// when possible (the assessment's rule), else the legal limit with an exemption note.
fn promise(legal: TimeLimit, rng: &mut Rng) -> (TimeLimit, Option<String>) {
    let ratio = *rng.pick(&[0.1, 0.2, 0.25, 0.3, 1.0 / 3.0, 0.4, 0.5, 0.5]);
    let working = match legal.unit {
        DayUnit::WorkingDays => f64::from(legal.value),
        DayUnit::CalendarDays => f64::from(legal.value) * 5.0 / 7.0,
    };
    let value = ((working * ratio).floor() as u32).max(1);
    let promised = wd(value);
    if promised.approx_calendar_days() * 2.0 > legal.approx_calendar_days() + 1e-9 {
        let note = format!("法定时限仅{}，已按最短时限承诺，无法再压减", legal.label());
        return (legal, Some(note));
    }
    let note = rng.chance(0.3).then(|| {
        format!(
            "材料齐全、符合法定形式的，{}内办结；需现场核查或公示的，核查、公示时间不计入办理时限",
            promised.label()
        )
    });
    (promised, note)
}

fn issuer(name: &str) -> Option<&'static str> {
    if name.contains("委托") || is_form(name) {
        return None;
    }
    const ISSUERS: &[(&str, &str)] = &[
        ("户口", "公安机关"),
        ("身份证", "公安机关"),
        ("营业执照", "市场监督管理部门"),
        ("结婚证", "民政部门"),
        ("离婚", "民政部门"),
        ("不动产权", "不动产登记机构"),
        ("出生医学证明", "卫生健康部门"),
        ("残疾人证", "残疾人联合会"),
        ("驾驶证", "公安机关交通管理部门"),
        ("行驶证", "公安机关交通管理部门"),
        ("社会保障卡", "人力资源社会保障部门"),
        ("退役证件", "退役军人事务部门"),
        ("许可证", "原发证机关"),
    ];
    ISSUERS
        .iter()
        .find(|(k, _)| name.contains(k))
        .map(|(_, issuer)| *issuer)
}

/// A form the hall provides blank (and often as a filled sample).
fn is_form(name: &str) -> bool {
    [
        "申请表",
        "申请书",
        "登记表",
        "审核表",
        "声明",
        "承诺书",
        "授权书",
        "申报表",
        "备案表",
        "登记书",
        "协助书",
        "委托书",
    ]
    .iter()
    .any(|k| name.contains(k) && !name.contains("及"))
}

/// A document the applicant writes (one original, no copies, no blank form).
fn is_document(name: &str) -> bool {
    [
        "报告", "方案", "章程", "制度", "说明", "协议", "合同", "记录", "意见", "图",
    ]
    .iter()
    .any(|k| name.contains(k))
}

fn material(name: &str, rng: &mut Rng, slugs: &mut Slugs) -> Material {
    let form = is_form(name);
    let issued = issuer(name);
    let (originals, copies) = if form || is_document(name) {
        (1, 0)
    } else if issued.is_some() {
        *rng.pick(&[(1, 1), (1, 0), (0, 1), (1, 1)])
    } else {
        *rng.pick(&[(1, 0), (0, 1), (1, 1), (1, 2)])
    };
    let source = match issued {
        Some(issuer) => MaterialSource::Government {
            issuer: issuer.to_string(),
        },
        None => MaterialSource::Applicant,
    };
    let optional_when = (issued.is_some() && rng.chance(0.4))
        .then(|| "可通过政务数据共享获取的，免于提交".to_string());
    let needed_when = name
        .contains("委托")
        .then(|| "委托他人代为办理的".to_string());
    let (blank_form, sample) = if form {
        let s = slugs.get(name);
        (
            Some(format!("/forms/{s}.pdf")),
            rng.chance(0.7).then(|| format!("/forms/{s}-yangbiao.pdf")),
        )
    } else {
        (None, None)
    };
    let note = rng
        .chance(0.2)
        .then(|| {
            *rng.pick(&[
                "须由申请人签字（盖章）",
                "复印件需注明“与原件一致”并签字",
                "外文材料须附中文译本",
                "已领取电子证照的，可出示电子证照代替",
            ])
        })
        .map(str::to_string);
    Material {
        name: name.to_string(),
        originals,
        copies,
        form: if form {
            MaterialForm::PaperOrElectronic
        } else if issued.is_some() && rng.chance(0.3) {
            MaterialForm::Electronic
        } else {
            MaterialForm::Paper
        },
        optional_when,
        needed_when,
        source,
        blank_form,
        sample,
        note,
    }
}

fn materials(
    name: &str,
    fam: &Family,
    proxy: bool,
    rng: &mut Rng,
    slugs: &mut Slugs,
) -> Vec<Material> {
    let key = name_key(name);
    // The same item asks for the same materials in every hall (四级四同): choose them by
    // the name, not by the hall's stream.
    let mut by_name = Rng::new(hash_str(&key));
    let mut names: Vec<String> = Vec::new();
    if !fam.mats.iter().any(|m| is_form(m)) && by_name.chance(0.8) {
        names.push(if key.ends_with("申报") {
            format!("{key}表")
        } else {
            format!("{key}申请表")
        });
    }
    if !fam
        .mats
        .iter()
        .any(|m| m.contains("身份") || m.contains("营业执照"))
    {
        names.push(
            match fam.serves {
                Serves::Person => "申请人居民身份证",
                Serves::Legal => "营业执照",
                Serves::Both => "申请人身份证明（居民身份证或营业执照）",
            }
            .to_string(),
        );
    }
    let k = by_name.range(fam.mats.len().min(2), fam.mats.len().clamp(1, 5));
    names.extend(by_name.subset(&fam.mats, k).into_iter().map(str::to_string));
    if proxy && rng.chance(0.5) {
        names.push("授权委托书及受托人身份证件".to_string());
    }
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(n.clone()));
    names.truncate(8);
    if names.len() < 2 {
        names.push("其他需要说明的材料".to_string());
    }
    names.iter().map(|n| material(n, rng, slugs)).collect()
}

fn conditions(fam: &Family, law: &str, rng: &mut Rng) -> Vec<String> {
    let pool: &[&str] = match fam.ty {
        ItemType::Permit => &[
            "申请人为依法设立的法人、其他组织或者具有完全民事行为能力的自然人",
            "申请材料齐全、符合法定形式",
            "符合{law}规定的许可条件",
            "具有与申请事项相适应的场所、设施设备和管理制度",
        ],
        ItemType::Confirmation => &[
            "申请人为登记事项的权利人或者利害关系人",
            "申请材料真实、齐全、符合法定形式",
            "符合{law}规定的登记条件",
        ],
        ItemType::Benefit => &[
            "申请人户籍或者经常居住地在本辖区",
            "家庭收入、财产状况或者身份条件符合规定标准",
            "符合{law}规定的给付条件",
            "如实申报家庭经济状况，并授权核对",
        ],
        ItemType::Reward => &["符合表彰奖励条件，经所在单位或者组织推荐"],
        ItemType::Ruling => &[
            "申请人与争议事项有直接利害关系",
            "有明确的被申请人、具体的请求和事实根据",
            "属于本机关管辖范围",
        ],
        ItemType::Other | ItemType::PublicService => &[
            "申请人属于本事项的服务对象",
            "申请材料齐全、符合法定形式",
            "符合{law}的有关规定",
        ],
    };
    let k = rng.range(pool.len().min(2), pool.len());
    rng.subset(pool, k)
        .into_iter()
        .map(|c| c.replace("{law}", law))
        .collect()
}

fn step(name: &str, who: String, limit: String, standard: String) -> Step {
    Step {
        name: name.to_string(),
        who,
        limit,
        standard,
    }
}

fn days_label(days: f64) -> String {
    if days <= 0.0 {
        "即时".to_string()
    } else if days < 1.0 {
        "0.5个工作日".to_string()
    } else {
        format!("{}个工作日", days as u32)
    }
}

fn steps(item: &Item, slot: &Slot, tier: Tier, result: &str, law: &str) -> Vec<Step> {
    let p = f64::from(item.promised_limit.value);
    let (review, approve) = if p <= 0.0 {
        (0.0, 0.0)
    } else if p < 2.0 {
        (0.5, 0.5)
    } else {
        let r = (p * 0.6).ceil();
        (r, p - r)
    };
    let office = slot.fam.office.unwrap_or(slot.body.office);
    let receive_who = match tier {
        Tier::Village => "村代办员".to_string(),
        _ => format!("{}{}", slot.zone, slot.window),
    };
    let mut out = vec![step(
        "受理",
        receive_who,
        "即时".to_string(),
        "核对申请材料是否齐全、是否符合法定形式；不齐全的一次性告知需补正的全部内容".to_string(),
    )];
    // The village committee's own instant services need no trip to the township.
    let own = slot.body.dept_key.is_none() && slot.body.office == "村（居）民委员会";
    if tier == Tier::Village && !(own && p <= 0.0) {
        out.push(step(
            "代办报送",
            "村代办员".to_string(),
            "1个工作日".to_string(),
            "将材料报送乡镇综合服务中心或县政务服务中心".to_string(),
        ));
    }
    if item.item_type == ItemType::Permit {
        out.push(step(
            "审核",
            format!("{office}审核人员"),
            days_label(review),
            format!("依据{law}审查申请事项是否符合法定条件"),
        ));
        out.push(step(
            "审批",
            format!("{office}负责人"),
            days_label(approve),
            "作出准予或者不予许可的决定；不予许可的说明理由".to_string(),
        ));
    } else if p > 0.0 {
        out.push(step(
            "审核",
            format!("{office}经办人员"),
            days_label(p),
            format!("依据{law}审核，并提出办理意见"),
        ));
    }
    out.push(step(
        "办结",
        slot.body.name.clone(),
        "即时".to_string(),
        format!("制发{result}"),
    ));
    if item.item_type == ItemType::Permit || item.postal.result {
        out.push(step(
            "送达",
            match tier {
                Tier::Village => "村代办员".to_string(),
                _ => "出证窗口".to_string(),
            },
            "即时".to_string(),
            "窗口领取或者免费邮寄送达".to_string(),
        ));
    }
    out
}

fn faqs(item: &Item, key: &str, rng: &mut Rng) -> Vec<Faq> {
    let mut all = Vec::new();
    let proxy_ok = item.proxy.as_ref().is_some_and(|p| p.allowed);
    all.push(Faq {
        q: format!("办理{key}需要本人到场吗？"),
        a: match (&item.visit_reason, proxy_ok) {
            (_, true) => format!(
                "不一定。可以委托他人代为办理，代办人需携带{}。",
                item.proxy
                    .as_ref()
                    .and_then(|p| p.material.clone())
                    .unwrap_or_else(|| "本人身份证件和授权委托书".to_string())
            ),
            (Some(reason), false) => format!("需要。{reason}。"),
            (None, false) => "需要申请人本人到窗口办理。".to_string(),
        },
    });
    all.push(Faq {
        q: format!("{key}可以网上办理吗？"),
        a: match item.online_depth {
            Some(OnlineDepth::Iv) => format!(
                "可以。登录河南政务服务网或“豫事办”APP搜索“{key}”，全程网上办理，无需到现场。"
            ),
            Some(OnlineDepth::Iii) => {
                "可以网上申请，预审通过后到窗口核验原件一次即可。".to_string()
            }
            Some(_) => "目前可在网上查询办事指南、下载表格和预审，仍需到窗口提交材料。".to_string(),
            None => "暂不支持网上办理，请到窗口办理，也可预约后前往。".to_string(),
        },
    });
    all.push(Faq {
        q: "办理结果可以邮寄吗？".to_string(),
        a: if item.postal.result {
            "可以。申请时选择邮寄送达，结果免费寄递到家。".to_string()
        } else {
            "暂不提供邮寄，请凭受理通知单到窗口领取。".to_string()
        },
    });
    all.push(Faq {
        q: "多长时间能办好？".to_string(),
        a: if item.kind == Kind::Instant {
            "材料齐全、符合法定形式的，当场办结。".to_string()
        } else {
            format!(
                "承诺{}内办结（法定时限{}），自受理之日起计算。",
                item.promised_limit.label(),
                item.legal_limit.label()
            )
        },
    });
    all.push(Faq {
        q: "材料不齐全怎么办？".to_string(),
        a: "窗口将一次性告知需要补正的全部材料；符合容缺受理条件的，可先行受理，在规定时间内补齐。"
            .to_string(),
    });
    if let Some(fee) = item.fees.items.first() {
        all.push(Faq {
            q: "需要缴费吗？".to_string(),
            a: format!("需要。{}：{}。", fee.item, fee.standard),
        });
    }
    let k = if item.item_type == ItemType::Permit {
        rng.range(1, 3)
    } else if rng.chance(0.35) {
        rng.range(1, 2)
    } else {
        0
    };
    rng.subset(&all, k)
}

fn legal_text(ty: ItemType, key: &str, authority: &str, legal: TimeLimit) -> String {
    let limit = legal.label();
    match ty {
        ItemType::Permit => format!(
            "申请{key}的，应当向{authority}提出申请，并提交符合规定的材料；{authority}应当自受理之日起{limit}内作出决定。"
        ),
        ItemType::Confirmation => {
            format!("{authority}应当自受理{key}申请之日起{limit}内办结。")
        }
        ItemType::Benefit => format!("符合条件的，由{authority}按照规定给付。"),
        ItemType::Reward => format!("对符合条件的，由{authority}按照规定给予表彰奖励。"),
        ItemType::Ruling => format!("{authority}应当自受理之日起{limit}内作出裁决。"),
        ItemType::Other | ItemType::PublicService => format!(
            "{authority}应当依照规定办理{key}，材料齐全的，当场或者在承诺时限内办结。"
        ),
    }
}

/// A clean guide: every rule of the lint satisfied.
pub(super) fn build(
    spec: &HallSpec,
    slot: &Slot,
    today: Date,
    rng: &mut Rng,
    slugs: &mut Slugs,
) -> Item {
    let (tpl, fam, tier) = (slot.tpl, slot.fam, spec.tier);
    let key = name_key(&tpl.name);
    let law = fam.law.unwrap_or(slot.body.law);
    let legal = tpl.legal;

    let (kind, promised, mut limit_note) = if slot.instant {
        (Kind::Instant, wd(0), None)
    } else {
        let (p, note) = promise(legal, rng);
        (Kind::Promised, p, note)
    };
    if kind == Kind::Instant && legal.value > 0 && rng.chance(0.15) {
        limit_note = Some("材料齐全、符合法定形式的，当场办结".to_string());
    }

    // How far online it goes, and so how many visits.
    let roll = rng.unit();
    let mut depth = match tier {
        Tier::City | Tier::County => match roll {
            r if r < 0.46 => Some(OnlineDepth::Iv),
            r if r < 0.72 => Some(OnlineDepth::Iii),
            r if r < 0.80 => Some(OnlineDepth::Ii),
            r if r < 0.84 => Some(OnlineDepth::I),
            _ => None,
        },
        Tier::Town => match roll {
            r if r < 0.30 => Some(OnlineDepth::Iv),
            r if r < 0.50 => Some(OnlineDepth::Iii),
            r if r < 0.60 => Some(OnlineDepth::Ii),
            _ => None,
        },
        Tier::Village => match roll {
            r if r < 0.15 => Some(OnlineDepth::Iv),
            r if r < 0.30 => Some(OnlineDepth::Iii),
            _ => None,
        },
    };
    if fam.present && depth == Some(OnlineDepth::Iv) {
        depth = Some(OnlineDepth::Iii);
    }
    let mut post = match tier {
        Tier::City | Tier::County => rng.chance(0.45),
        Tier::Town => rng.chance(0.2),
        Tier::Village => rng.chance(0.05),
    };
    let (visits, visit_reason) = match depth {
        Some(OnlineDepth::Iv) => (0, None),
        _ if fam.present => (
            1,
            Some("需申请人本人到场采集人像、指纹或者当场签字确认".to_string()),
        ),
        _ if tier == Tier::Village => (
            1,
            Some("到村党群服务中心提交材料一次，由代办员代为报送并带回结果".to_string()),
        ),
        Some(OnlineDepth::Iii) => (
            1,
            Some("网上申请、预审通过后，到窗口核验原件并领取结果一次".to_string()),
        ),
        None if tier != Tier::Village && rng.chance(0.06) => {
            // 不见面 by post: materials in and results out by free express.
            post = true;
            (0, None)
        }
        _ if rng.chance(0.08) => (
            2,
            Some("需现场核查（勘验）后，再到窗口领取结果".to_string()),
        ),
        _ => (1, Some("需到窗口提交纸质材料并当场核验原件".to_string())),
    };
    let postal = if post {
        Postal {
            materials: visits == 0 || rng.chance(0.6),
            result: true,
        }
    } else {
        Postal::default()
    };
    let mut channels = vec![Channel::Window];
    if depth.is_some() {
        channels.push(Channel::Online);
    }
    if post {
        channels.push(Channel::Post);
    }
    let online_url = depth.map(|_| OnlineUrl {
        pc: Some("https://www.hnzwfw.gov.cn/".to_string()),
        mobile: Some("https://www.hnzwfw.gov.cn/m/".to_string()),
    });

    let proxy = if fam.present {
        Some(Proxy {
            allowed: false,
            material: None,
            note: Some("需申请人本人到场办理，不可代办".to_string()),
        })
    } else if tier == Tier::Village {
        Some(Proxy {
            allowed: true,
            material: Some("代办委托书和代办提交资料清单".to_string()),
            note: Some("可由村代办员代为到乡镇（县）大厅办理并带回结果".to_string()),
        })
    } else if rng.chance(0.85) {
        Some(Proxy {
            allowed: true,
            material: Some("经办人身份证件及授权委托书".to_string()),
            note: None,
        })
    } else {
        None
    };
    let proxy_ok = proxy.as_ref().is_some_and(|p| p.allowed);
    // The families that need the applicant in person say why, as the guide would.
    let in_person = fam
        .present
        .then(|| visit_reason.clone())
        .flatten()
        .or_else(|| fam.present.then(|| "须申请人本人到场办理".to_string()));

    let fees = match fam.fee {
        Some([item, standard, basis]) => Fees {
            charged: true,
            items: vec![FeeItem {
                item: item.to_string(),
                standard: standard.to_string(),
                basis: basis.to_string(),
                waivable: rng.chance(0.3),
            }],
            online_payment: depth.is_some() && rng.chance(0.6),
        },
        None => Fees::default(),
    };

    let (result_name, result_kind) = fam.result;
    let result = Some(ResultDoc {
        name: result_name.to_string(),
        kind: Some(result_kind),
        sample: Some(format!("/samples/{}.png", slugs.get(result_name))),
    });

    let floor = ["1楼", "2楼", "3楼"][slot.floor.min(2)];
    let (address, directions) = match tier {
        Tier::City | Tier::County => (
            format!("{}{floor}{}", spec.addr_base, slot.zone),
            format!(
                "进入大厅后{}，{}位于{floor}{}",
                rng.pick(&["左转", "右转", "直行"]),
                slot.zone,
                rng.pick(&["东侧", "西侧", "南侧", "北侧"])
            ),
        ),
        Tier::Town => (
            format!("{}{}{}", spec.addr_base, spec.hall.name, slot.zone),
            format!("{}一楼，进门即是", spec.hall.name),
        ),
        Tier::Village => (
            spec.addr_base.clone(),
            format!("{}一楼代办服务台", spec.hall.name),
        ),
    };

    // Words citizens would type for this item: the family's, when they share a telling
    // character with the name (not 证, 登记 …), and are not already in it.
    let related: Vec<&str> = fam
        .keywords
        .iter()
        .copied()
        .filter(|k| !tpl.name.contains(k) && k.chars().any(|c| telling(c) && tpl.name.contains(c)))
        .collect();
    let k = rng.range(related.len().min(1), related.len().min(3));
    let keywords: Vec<String> = rng
        .subset(&related, k)
        .into_iter()
        .map(str::to_string)
        .collect();

    let updated_days = rng.range(5, 330) as i64;
    let updated = today.add_days(-updated_days);
    let reviewed = today.add_days(-(rng.range(0, updated_days as usize) as i64));

    let mut item = Item {
        code: slot.code.clone(),
        name: tpl.name.clone(),
        department: slot.body.name.clone(),
        level: match tier {
            Tier::City | Tier::County => Level::County,
            Tier::Town => Level::Township,
            Tier::Village => Level::Village,
        },
        hall: spec.hall.id.clone(),
        zone: slot.zone.to_string(),
        window: slot.window.clone(),
        item_type: fam.ty,
        serves: fam.serves,
        topics: fam.topics.iter().map(|t| t.to_string()).collect(),
        life_events: Vec::new(),
        keywords,
        version: rng.range(1, 6) as u32,
        updated_at: updated.to_string(),
        reviewed_at: reviewed.to_string(),
        kind,
        legal_limit: legal,
        promised_limit: promised,
        limit_note,
        visits,
        visit_reason,
        channels,
        online_depth: depth,
        online_url,
        postal,
        appointment: rng.chance(0.35).then(|| {
            format!(
                "可通过“豫事办”APP或拨打{}预约，预约后优先办理",
                spec.hall.phone
            )
        }),
        proxy,
        in_person,
        conditions: conditions(fam, law, rng),
        steps: Vec::new(),
        result,
        materials: materials(&tpl.name, fam, proxy_ok, rng, slugs),
        fees,
        place: Place {
            address,
            hours: spec.hours.clone(),
            hours_note: Some(spec.hours_note.clone()),
            directions: Some(directions),
        },
        consult_phone: slot.consult.clone(),
        complain_phone: spec.complain.clone(),
        faq: Vec::new(),
        legal_basis: Vec::new(),
        withdrawn: None,
    };
    item.steps = steps(&item, slot, tier, result_name, law);
    item.faq = faqs(&item, &key, rng);
    item.legal_basis.push(LegalBasis {
        law: law.to_string(),
        article: format!("第{}条", chinese_number(rng.range(2, 60) as u32)),
        text: legal_text(fam.ty, &key, slot.body.authority, legal),
    });
    if rng.chance(0.2) {
        item.legal_basis.push(LegalBasis {
            law: "《优化营商环境条例》".to_string(),
            article: "第三十五条".to_string(),
            text: "政府及其有关部门应当推进政务服务标准化，按照减环节、减材料、减时限的要求，编制并向社会公开政务服务事项标准化工作流程和办事指南。".to_string(),
        });
    }
    item
}

/// The ways guides go wrong in the source reports, each tied to a lint rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Defect {
    /// 即办件 with days, like 公安局机动车登记's 22 days.
    InstantWithDays,
    PromisedOverLegal,
    /// Promised not compressed to half (公安局's 17 items, 住建局, 档案, 司法局).
    NotCompressed,
    /// Like 采矿权注销's 880 days where neighbours have 40.
    OutlierLegal,
    /// "不见面" that still needs a visit: no online handling, no post.
    NoVisitNoOnline,
    FullyOnlineWithVisit,
    PhoneWithoutAreaCode,
    SamePhones,
    PermitWithoutFaq,
    ResultWithoutSample,
    FeeWithoutBasis,
    MaterialWithoutCount,
    TopicMismatch,
    /// 网上办事指南维护不及时: not reviewed for over a year.
    Stale,
}

/// Departments the source report names for poor compression.
const SLOW_TO_COMPRESS: &[&str] = &["gongan", "jiaojing", "zhujian", "dangan", "sifa"];

/// Breaks a few items the way real catalogs are broken; `None` for most.
pub(super) fn inject(item: &mut Item, body: &BodyInfo, today: Date, rng: &mut Rng) -> Vec<Defect> {
    let mut done = Vec::new();
    let slow = body.dept_key.is_some_and(|k| SLOW_TO_COMPRESS.contains(&k));
    if item.kind == Kind::Promised
        && item.legal_limit.value >= 2
        && rng.chance(if slow { 0.10 } else { 0.02 })
    {
        let legal = item.legal_limit;
        let value = ((f64::from(legal.value) * (0.6 + 0.4 * rng.unit())).ceil() as u32)
            .clamp(1, legal.value);
        item.promised_limit = TimeLimit {
            value,
            unit: legal.unit,
        };
        item.limit_note = None;
        done.push(Defect::NotCompressed);
    }
    if rng.chance(0.035) {
        let age = rng.range(400, 1_100) as i64;
        item.reviewed_at = today.add_days(-age).to_string();
        item.updated_at = today.add_days(-age - rng.range(0, 200) as i64).to_string();
        done.push(Defect::Stale);
    }
    let roll = rng.unit();
    let table: &[(f64, Defect)] = &[
        (0.006, Defect::InstantWithDays),
        (0.003, Defect::PromisedOverLegal),
        (0.003, Defect::OutlierLegal),
        (0.006, Defect::NoVisitNoOnline),
        (0.004, Defect::FullyOnlineWithVisit),
        (0.004, Defect::PhoneWithoutAreaCode),
        (0.002, Defect::SamePhones),
        (0.004, Defect::PermitWithoutFaq),
        (0.003, Defect::ResultWithoutSample),
        (0.003, Defect::FeeWithoutBasis),
        (0.003, Defect::MaterialWithoutCount),
        (0.002, Defect::TopicMismatch),
    ];
    let mut acc = 0.0;
    let Some(defect) = table.iter().find_map(|(p, d)| {
        acc += p;
        (roll < acc).then_some(*d)
    }) else {
        return done;
    };
    let applied = match defect {
        Defect::InstantWithDays => {
            let days = if item.legal_limit.value >= 2 {
                item.legal_limit
            } else {
                wd(22)
            };
            item.kind = Kind::Instant;
            item.legal_limit = days;
            item.promised_limit = days;
            item.limit_note = None;
            true
        }
        Defect::PromisedOverLegal if item.legal_limit.value >= 1 => {
            item.kind = Kind::Promised;
            item.promised_limit = TimeLimit {
                value: item.legal_limit.value + rng.range(2, 10) as u32,
                unit: item.legal_limit.unit,
            };
            true
        }
        Defect::OutlierLegal if item.legal_limit.value >= 1 => {
            item.legal_limit.value = (item.legal_limit.value * 22).clamp(400, 3_000);
            true
        }
        Defect::NoVisitNoOnline => {
            item.visits = 0;
            item.visit_reason = None;
            item.channels = vec![Channel::Window];
            item.online_depth = None;
            item.online_url = None;
            item.postal = Postal::default();
            item.fees.online_payment = false;
            true
        }
        Defect::FullyOnlineWithVisit => {
            item.visits = 1;
            item.visit_reason = Some("需到窗口领取纸质证照".to_string());
            if !item.channels.contains(&Channel::Online) {
                item.channels.insert(1, Channel::Online);
            }
            item.online_depth = Some(OnlineDepth::Iv);
            item.online_url = Some(OnlineUrl {
                pc: Some("https://www.hnzwfw.gov.cn/".to_string()),
                mobile: None,
            });
            true
        }
        Defect::PhoneWithoutAreaCode => {
            let local = item.consult_phone.split_once('-').map(|(_, local)| {
                local
                    .split(['、', '转'])
                    .next()
                    .unwrap_or(local)
                    .to_string()
            });
            match local {
                Some(local) => {
                    item.consult_phone = local;
                    true
                }
                None => false,
            }
        }
        Defect::SamePhones => {
            item.complain_phone = item.consult_phone.clone();
            true
        }
        Defect::PermitWithoutFaq if item.item_type == ItemType::Permit => {
            item.faq.clear();
            true
        }
        Defect::ResultWithoutSample => match &mut item.result {
            Some(result) => {
                result.sample = None;
                true
            }
            None => false,
        },
        Defect::FeeWithoutBasis => {
            if let Some(fee) = item.fees.items.first_mut() {
                fee.basis = String::new();
            } else {
                item.fees.online_payment = true;
            }
            true
        }
        Defect::MaterialWithoutCount if !item.materials.is_empty() => {
            let i = rng.below(item.materials.len());
            item.materials[i].originals = 0;
            item.materials[i].copies = 0;
            true
        }
        Defect::TopicMismatch => match item.serves {
            Serves::Person => {
                item.topics.push("设立变更".to_string());
                true
            }
            Serves::Legal => {
                item.topics.push("社会救助".to_string());
                true
            }
            Serves::Both => false,
        },
        _ => false,
    };
    if applied {
        done.push(defect);
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_numbers_read_as_written() {
        assert_eq!(chinese_number(2), "二");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(13), "十三");
        assert_eq!(chinese_number(29), "二十九");
        assert_eq!(chinese_number(40), "四十");
    }

    #[test]
    fn promises_are_compressed_or_say_why_not() {
        let mut rng = Rng::new(5);
        for value in [1, 2, 3, 5, 7, 20, 30, 60] {
            for unit in [DayUnit::WorkingDays, DayUnit::CalendarDays] {
                let legal = TimeLimit { value, unit };
                let (p, note) = promise(legal, &mut rng);
                assert!(p.value >= 1);
                let halved = p.approx_calendar_days() * 2.0 <= legal.approx_calendar_days() + 1e-9;
                assert!(halved || note.is_some(), "{legal:?} → {p:?}");
                assert!(p.approx_calendar_days() <= legal.approx_calendar_days() + 1e-9);
            }
        }
    }
}
