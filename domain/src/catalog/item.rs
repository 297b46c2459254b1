//! The service item (事项) and every field its guide (办事指南) shows.
//!
//! Field names follow `shared/DOMAIN.md`; JSON uses the same snake_case names so the
//! catalog files in `data/`, KV values and API bodies are one format.

use serde::{Deserialize, Serialize};

/// Administrative level of a hall; items are delegated down (下放).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 县(市、区)
    County,
    /// 乡镇(街道)
    Township,
    /// 村(社区)
    Village,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::County => "县级",
            Level::Township => "乡镇(街道)",
            Level::Village => "村(社区)",
        }
    }
}

/// 事项类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemType {
    /// 行政许可
    Permit,
    /// 行政确认
    Confirmation,
    /// 行政给付
    Benefit,
    /// 行政奖励
    Reward,
    /// 行政裁决
    Ruling,
    /// 其他行政权力
    Other,
    /// 公共服务
    PublicService,
}

impl ItemType {
    pub fn label(self) -> &'static str {
        match self {
            ItemType::Permit => "行政许可",
            ItemType::Confirmation => "行政确认",
            ItemType::Benefit => "行政给付",
            ItemType::Reward => "行政奖励",
            ItemType::Ruling => "行政裁决",
            ItemType::Other => "其他行政权力",
            ItemType::PublicService => "公共服务",
        }
    }

    /// What the type means to a citizen, in plain words (the official term stays for
    /// staff and beside these words).
    pub fn plain(self) -> &'static str {
        match self {
            ItemType::Permit => "需经审批同意",
            ItemType::Confirmation => "对身份、资格等进行确认登记",
            ItemType::Benefit => "发放补助、待遇",
            ItemType::Reward => "表彰奖励",
            ItemType::Ruling => "对纠纷作出裁决",
            ItemType::Other => "其他政务事项",
            ItemType::PublicService => "便民服务",
        }
    }
}

/// Who the item serves (服务对象).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Serves {
    /// 自然人
    Person,
    /// 法人
    Legal,
    /// 自然人、法人
    Both,
}

impl Serves {
    pub fn label(self) -> &'static str {
        match self {
            Serves::Person => "自然人",
            Serves::Legal => "法人",
            Serves::Both => "自然人、法人",
        }
    }
}

/// 即办件 / 承诺件.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Instant,
    Promised,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Instant => "即办件",
            Kind::Promised => "承诺件",
        }
    }
}

/// Whether a time limit counts working days (工作日) or calendar days (自然日).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayUnit {
    WorkingDays,
    CalendarDays,
}

/// A time limit: `value` days in `unit`; 0 means 即办 (handled on the spot).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimeLimit {
    pub value: u32,
    pub unit: DayUnit,
}

impl TimeLimit {
    pub fn is_instant(&self) -> bool {
        self.value == 0
    }

    /// Rough length in calendar days, to compare limits given in different units.
    pub fn approx_calendar_days(&self) -> f64 {
        match self.unit {
            DayUnit::CalendarDays => f64::from(self.value),
            DayUnit::WorkingDays => f64::from(self.value) * 7.0 / 5.0,
        }
    }

    /// What a citizen reads: "即办", "20个工作日", "60日".
    pub fn label(&self) -> String {
        if self.is_instant() {
            return "即办".to_string();
        }
        match self.unit {
            DayUnit::WorkingDays => format!("{}个工作日", self.value),
            DayUnit::CalendarDays => format!("{}日", self.value),
        }
    }
}

/// 办理形式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 窗口办理
    Window,
    /// 网上办理
    Online,
    /// 邮寄办理
    Post,
}

impl Channel {
    pub fn label(self) -> &'static str {
        match self {
            Channel::Window => "窗口办理",
            Channel::Online => "网上办理",
            Channel::Post => "邮寄办理",
        }
    }
}

/// 网上办理深度 Ⅰ–Ⅳ; Ⅳ is 全程网办.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum OnlineDepth {
    /// Ⅰ 网上咨询、下载表格
    I,
    /// Ⅱ 网上预审
    Ii,
    /// Ⅲ 网上受理，到现场一次
    Iii,
    /// Ⅳ 全程网办
    Iv,
}

impl OnlineDepth {
    pub fn numeral(self) -> &'static str {
        match self {
            OnlineDepth::I => "Ⅰ",
            OnlineDepth::Ii => "Ⅱ",
            OnlineDepth::Iii => "Ⅲ",
            OnlineDepth::Iv => "Ⅳ",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OnlineDepth::I => "网上咨询、下载表格",
            OnlineDepth::Ii => "网上预审",
            OnlineDepth::Iii => "网上受理，到现场核验一次",
            OnlineDepth::Iv => "全程网办",
        }
    }
}

impl TryFrom<u8> for OnlineDepth {
    type Error = String;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        match value {
            1 => Ok(OnlineDepth::I),
            2 => Ok(OnlineDepth::Ii),
            3 => Ok(OnlineDepth::Iii),
            4 => Ok(OnlineDepth::Iv),
            other => Err(format!("网上办理深度应为 1–4，收到 {other}")),
        }
    }
}

impl From<OnlineDepth> for u8 {
    fn from(depth: OnlineDepth) -> u8 {
        match depth {
            OnlineDepth::I => 1,
            OnlineDepth::Ii => 2,
            OnlineDepth::Iii => 3,
            OnlineDepth::Iv => 4,
        }
    }
}

/// Where to apply online: the PC portal and the mobile (app / mini-program) entry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OnlineUrl {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
}

/// What can travel by post: the materials in, the result out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Postal {
    #[serde(default)]
    pub materials: bool,
    #[serde(default)]
    pub result: bool,
}

/// 代办: a village agent or relative may apply on the citizen's behalf.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proxy {
    pub allowed: bool,
    /// The power-of-attorney material the proxy must bring (授权委托书 …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub material: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One step (环节) of handling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// 受理 / 审核 / 审批 / 办结 / 送达 …
    pub name: String,
    /// Who does it (岗位).
    pub who: String,
    /// Time limit of this step, as written ("即时", "3个工作日").
    pub limit: String,
    /// Review standard (审查标准).
    #[serde(default)]
    pub standard: String,
}

/// Kind of result (审批结果类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultKind {
    /// 出证
    Certificate,
    /// 出文
    Document,
    /// 审批办结
    Completion,
}

impl ResultKind {
    pub fn label(self) -> &'static str {
        match self {
            ResultKind::Certificate => "出证",
            ResultKind::Document => "出文",
            ResultKind::Completion => "审批办结",
        }
    }
}

/// 审批结果.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultDoc {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ResultKind>,
    /// Where a sample of the result can be seen (样本).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample: Option<String>,
}

/// Paper, electronic, or either (材料形式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaterialForm {
    Paper,
    Electronic,
    PaperOrElectronic,
}

impl MaterialForm {
    pub fn label(self) -> &'static str {
        match self {
            MaterialForm::Paper => "纸质",
            MaterialForm::Electronic => "电子",
            MaterialForm::PaperOrElectronic => "纸质或电子",
        }
    }
}

/// Who supplies the material (来源渠道).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum MaterialSource {
    /// 申请人自备
    Applicant,
    /// 政府部门核发 — often fetched by the hall itself (免提交).
    Government { issuer: String },
}

/// 申请材料.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Material {
    pub name: String,
    /// Number of originals (原件) to show or hand in.
    #[serde(default)]
    pub originals: u8,
    /// Number of copies (复印件).
    #[serde(default)]
    pub copies: u8,
    pub form: MaterialForm,
    /// An exemption from a material everyone else brings: `Some(case)` means it may be
    /// omitted in that case ("已网签备案的由系统调取，免提交"; 免提交/容缺). The material
    /// stays required: a citizen who is not sure they are exempt brings it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optional_when: Option<String>,
    /// `Some(case)`: only needed in that case (特定情形, "委托他人办理的"); `None`: every
    /// applicant needs it (unless `optional_when` exempts them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needed_when: Option<String>,
    pub source: MaterialSource,
    /// Blank form to download (空白表格).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blank_form: Option<String>,
    /// Filled sample (示例样表).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample: Option<String>,
    /// 填报须知 / 备注.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Material {
    /// Every applicant brings it (an exemption may spare some of them).
    pub fn is_required(&self) -> bool {
        self.needed_when.is_none()
    }

    /// The material's identity across items and catalog versions: its name folded like
    /// search queries (full-width to half-width, lowercase), without spaces and
    /// punctuation, so "身份证（原件）" and "身份证(原件)" are one material.
    pub fn key(&self) -> String {
        material_key(&self.name)
    }

    /// "原件1份、复印件2份".
    pub fn count_label(&self) -> String {
        match (self.originals, self.copies) {
            (0, 0) => "—".to_string(),
            (o, 0) => format!("原件{o}份"),
            (0, c) => format!("复印件{c}份"),
            (o, c) => format!("原件{o}份、复印件{c}份"),
        }
    }
}

/// [`Material::key`] of a material name.
pub fn material_key(name: &str) -> String {
    name.chars()
        .map(crate::catalog::search::fold_char)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// One fee line (收费项目).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeItem {
    pub item: String,
    pub standard: String,
    pub basis: String,
    #[serde(default)]
    pub waivable: bool,
}

/// 收费.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Fees {
    pub charged: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<FeeItem>,
    #[serde(default)]
    pub online_payment: bool,
}

/// Opening hours on some weekdays (1 = Monday … 7 = Sunday), "HH:MM" 24h.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursSpan {
    pub weekdays: Vec<u8>,
    pub open: String,
    pub close: String,
}

/// Where and when (办理地点与时间).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub address: String,
    pub hours: Vec<HoursSpan>,
    /// 法定节假日除外, 夏令时 …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directions: Option<String>,
}

/// One question and answer (常见问题).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Faq {
    pub q: String,
    pub a: String,
}

/// 设定依据.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalBasis {
    pub law: String,
    #[serde(default)]
    pub article: String,
    #[serde(default)]
    pub text: String,
}

/// A withdrawn item (已取消/已调整): its guide URL stays, saying so and where to go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    pub reason: String,
    /// Where to go instead, as citizens should read it.
    pub instead: String,
    /// The item that replaces it, if any: its guide is linked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
}

/// A guide that arrives without a version (an import) starts at 1.
fn first_version() -> u32 {
    1
}

/// A service item with its full guide. Only the code, the name and the values the rest
/// depends on (level, type, kind, limits, visits) must be present to read one: a missing
/// text field reads as blank and the lint's rule 13 names it, so an incomplete real guide
/// can be kept as a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    // --- identity ---
    pub code: String,
    pub name: String,
    /// 实施主体.
    #[serde(default)]
    pub department: String,
    pub level: Level,
    /// Id of the hall (see `Hall`) where the item is handled.
    #[serde(default)]
    pub hall: String,
    /// 专区, e.g. 商事登记专区.
    #[serde(default)]
    pub zone: String,
    /// 窗口, e.g. "8号窗口".
    #[serde(default)]
    pub window: String,
    pub item_type: ItemType,
    pub serves: Serves,
    /// Topics (主题分类) such as 户籍办理, 社会保障; checked against `serves` by the lint.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Ids of life events (一件事) this item belongs to.
    #[serde(default)]
    pub life_events: Vec<String>,
    /// Words citizens use ("房产证"), searched besides the name.
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default = "first_version")]
    pub version: u32,
    /// "YYYY-MM-DD".
    #[serde(default)]
    pub updated_at: String,
    /// "YYYY-MM-DD": last time staff confirmed the guide is right.
    #[serde(default)]
    pub reviewed_at: String,

    // --- time ---
    pub kind: Kind,
    pub legal_limit: TimeLimit,
    pub promised_limit: TimeLimit,
    /// Why the limit is what it is (e.g. the exemption from the 50% compression rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_note: Option<String>,

    // --- visits and channels ---
    /// 到办事现场次数; 0 = 不见面.
    pub visits: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visit_reason: Option<String>,
    #[serde(default)]
    pub channels: Vec<Channel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_depth: Option<OnlineDepth>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_url: Option<OnlineUrl>,
    #[serde(default)]
    pub postal: Postal,
    /// 预约办理: how to book, if booking is offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<Proxy>,
    /// 须本人到场: why the applicant must come in person (fingerprints, signing before
    /// staff). Such an item cannot be handed to a village agent (代办).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_person: Option<String>,

    // --- how ---
    /// 受理条件.
    #[serde(default)]
    pub conditions: Vec<String>,
    #[serde(default)]
    pub steps: Vec<Step>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<ResultDoc>,
    #[serde(default)]
    pub materials: Vec<Material>,
    #[serde(default)]
    pub fees: Fees,

    // --- where, when, who to call ---
    #[serde(default)]
    pub place: Place,
    #[serde(default)]
    pub consult_phone: String,
    #[serde(default)]
    pub complain_phone: String,
    #[serde(default)]
    pub faq: Vec<Faq>,
    #[serde(default)]
    pub legal_basis: Vec<LegalBasis>,

    /// Set when the item is withdrawn; the guide then says so instead of vanishing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<Withdrawal>,
}

impl Item {
    pub fn required_materials(&self) -> impl Iterator<Item = &Material> {
        self.materials.iter().filter(|m| m.is_required())
    }

    /// 不见面: no visit to the hall at all.
    pub fn is_no_visit(&self) -> bool {
        self.visits == 0
    }

    pub fn has_channel(&self, channel: Channel) -> bool {
        self.channels.contains(&channel)
    }

    /// A village agent may take this item to its hall (代办): proxies are allowed, the
    /// applicant need not come in person, and the item is not withdrawn.
    pub fn village_can_handle(&self) -> bool {
        self.proxy.as_ref().is_some_and(|p| p.allowed)
            && self
                .in_person
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
            && self.withdrawn.is_none()
    }
}
