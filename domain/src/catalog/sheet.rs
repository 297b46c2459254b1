//! The national 实施清单 layout: one item per row under the Chinese column headers
//! provincial platforms export (实施编码, 事项名称, 办件类型, 法定办结时限 …), materials on a
//! second table keyed by 实施编码 (材料名称, 材料形式, 原件份数 …) or, in a single CSV, one
//! material per line of the 申请材料 column.
//!
//! Reading matches headers by name — order, extra columns, spaces (full-width too),
//! full-width brackets, `*` marks and the usual variants are tolerated; columns it does not
//! know are reported, never silently dropped. Writing fills every column from the item, so
//! what is written reads back to the same item (nested parts such as 办理流程 are JSON in
//! their cell; a cell of plain text, as real exports have, is read as the plain text of
//! those parts: one step, question or basis per line).
//!
//! Pure: the edge turns CSV and XLSX files into [`Table`]s and back.

use serde_json::{json, Map, Value};

use crate::catalog::code::ItemCode;
use crate::catalog::item::Item;
use crate::catalog::validate::validate_item;
use crate::field_path::FieldPath;
use crate::FieldError;

/// A sheet: its header row and its rows of text cells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// How a cell's text maps to the item's JSON.
#[derive(Clone, Copy)]
enum Codec {
    Text,
    Number,
    /// 是 / 否.
    Bool,
    /// One of a set of labels: `(label, value in the item's JSON)`; the first label of a
    /// value is the one written.
    Choice(&'static [(&'static str, &'static str)]),
    /// Several of a set of labels, separated by 、，,；; or new lines.
    Choices(&'static [(&'static str, &'static str)]),
    /// 网上办理深度: Ⅰ–Ⅳ, 1–4 or 一–四级.
    Depth,
    /// A list of texts, one per line.
    Lines,
    /// A nested part as JSON; plain text is read by the fallback.
    Json(Plain),
}

/// How plain text in a JSON column is read.
#[derive(Clone, Copy)]
enum Plain {
    /// Not at all: the cell must be JSON.
    Refuse,
    /// One step per line (its name; who and time limit left for the lint to ask).
    Steps,
    /// One question per line.
    Faq,
    /// One law per line.
    Basis,
    /// One fee item per line.
    Fees,
    /// The result's name.
    Result,
    /// Opening hours as a note (real exports write them as prose).
    HoursNote,
    /// One material per line (its name), each line JSON or text.
    Materials,
}

struct Column {
    header: &'static str,
    aliases: &'static [&'static str],
    path: &'static [&'static str],
    codec: Codec,
}

const fn col(
    header: &'static str,
    aliases: &'static [&'static str],
    path: &'static [&'static str],
    codec: Codec,
) -> Column {
    Column {
        header,
        aliases,
        path,
        codec,
    }
}

const LEVELS: &[(&str, &str)] = &[
    ("县级", "county"),
    ("县", "county"),
    ("区县级", "county"),
    ("乡镇(街道)", "township"),
    ("乡镇", "township"),
    ("乡镇级", "township"),
    ("街道", "township"),
    ("村(社区)", "village"),
    ("村", "village"),
    ("社区", "village"),
    ("村级", "village"),
];
const ITEM_TYPES: &[(&str, &str)] = &[
    ("行政许可", "permit"),
    ("行政确认", "confirmation"),
    ("行政给付", "benefit"),
    ("行政奖励", "reward"),
    ("行政裁决", "ruling"),
    ("其他行政权力", "other"),
    ("其他", "other"),
    ("公共服务", "public_service"),
];
const SERVES: &[(&str, &str)] = &[
    ("自然人", "person"),
    ("个人", "person"),
    ("法人", "legal"),
    ("企业", "legal"),
    ("法人或其他组织", "legal"),
    ("自然人、法人", "both"),
    ("自然人,法人", "both"),
    ("法人、自然人", "both"),
    ("个人、企业", "both"),
];
const KINDS: &[(&str, &str)] = &[("即办件", "instant"), ("承诺件", "promised")];
const UNITS: &[(&str, &str)] = &[
    ("工作日", "working_days"),
    ("个工作日", "working_days"),
    ("自然日", "calendar_days"),
    ("日", "calendar_days"),
    ("天", "calendar_days"),
];
const CHANNELS: &[(&str, &str)] = &[
    ("窗口办理", "window"),
    ("窗口", "window"),
    ("现场办理", "window"),
    ("网上办理", "online"),
    ("网上", "online"),
    ("网办", "online"),
    ("邮寄办理", "post"),
    ("邮寄", "post"),
    ("快递", "post"),
];
const FORMS: &[(&str, &str)] = &[
    ("纸质", "paper"),
    ("电子", "electronic"),
    ("纸质或电子", "paper_or_electronic"),
    ("纸质、电子", "paper_or_electronic"),
    ("电子或纸质", "paper_or_electronic"),
];
const SOURCES: &[(&str, &str)] = &[
    ("申请人自备", "applicant"),
    ("申请人", "applicant"),
    ("政府部门核发", "government"),
    ("政府部门", "government"),
];

/// The item columns, in the order written.
const ITEM_COLUMNS: &[Column] = &[
    col(
        "实施编码",
        &["事项编码", "实施清单编码", "事项实施编码", "业务办理项编码"],
        &["code"],
        Codec::Text,
    ),
    col(
        "事项名称",
        &["实施清单名称", "事项实施名称", "业务办理项名称"],
        &["name"],
        Codec::Text,
    ),
    col(
        "实施主体",
        &["实施机构", "实施主体名称"],
        &["department"],
        Codec::Text,
    ),
    col(
        "事项类型",
        &["事项类别", "权力类型"],
        &["item_type"],
        Codec::Choice(ITEM_TYPES),
    ),
    col(
        "行使层级",
        &["事项层级", "层级"],
        &["level"],
        Codec::Choice(LEVELS),
    ),
    col(
        "服务对象",
        &["面向对象"],
        &["serves"],
        Codec::Choice(SERVES),
    ),
    col("办件类型", &[], &["kind"], Codec::Choice(KINDS)),
    col(
        "法定办结时限",
        &["法定时限"],
        &["legal_limit", "value"],
        Codec::Number,
    ),
    col(
        "法定办结时限单位",
        &["法定时限单位"],
        &["legal_limit", "unit"],
        Codec::Choice(UNITS),
    ),
    col(
        "承诺办结时限",
        &["承诺时限"],
        &["promised_limit", "value"],
        Codec::Number,
    ),
    col(
        "承诺办结时限单位",
        &["承诺时限单位"],
        &["promised_limit", "unit"],
        Codec::Choice(UNITS),
    ),
    col("时限说明", &["办结时限说明"], &["limit_note"], Codec::Text),
    col(
        "到办事现场次数",
        &["到现场次数", "跑动次数"],
        &["visits"],
        Codec::Number,
    ),
    col(
        "必须现场办理原因",
        &["到现场原因说明", "必须现场办理原因说明"],
        &["visit_reason"],
        Codec::Text,
    ),
    col(
        "办理形式",
        &["办理方式"],
        &["channels"],
        Codec::Choices(CHANNELS),
    ),
    col(
        "网上办理深度",
        &["网办深度"],
        &["online_depth"],
        Codec::Depth,
    ),
    col(
        "网上办理地址",
        &["在线办理地址", "网办地址"],
        &["online_url", "pc"],
        Codec::Text,
    ),
    col(
        "移动端办理地址",
        &["移动端地址"],
        &["online_url", "mobile"],
        Codec::Text,
    ),
    col(
        "申请材料可邮寄",
        &["材料可邮寄"],
        &["postal", "materials"],
        Codec::Bool,
    ),
    col(
        "办理结果可邮寄",
        &["结果可邮寄", "结果送达可邮寄"],
        &["postal", "result"],
        Codec::Bool,
    ),
    col("预约办理", &["预约方式"], &["appointment"], Codec::Text),
    col(
        "代办",
        &["代办帮办"],
        &["proxy"],
        Codec::Json(Plain::Refuse),
    ),
    col(
        "须本人到场",
        &["本人到场原因", "不可代办原因"],
        &["in_person"],
        Codec::Text,
    ),
    col("服务中心", &["办理服务中心"], &["hall"], Codec::Text),
    col("办理专区", &["专区"], &["zone"], Codec::Text),
    col("办理窗口", &["窗口"], &["window"], Codec::Text),
    col("主题分类", &["主题"], &["topics"], Codec::Lines),
    col("一件事", &["一件事一次办"], &["life_events"], Codec::Lines),
    col("关键词", &["常用说法"], &["keywords"], Codec::Lines),
    col("受理条件", &["申请条件"], &["conditions"], Codec::Lines),
    col(
        "办理流程",
        &["办理环节"],
        &["steps"],
        Codec::Json(Plain::Steps),
    ),
    col(
        "办理结果",
        &["审批结果", "结果名称"],
        &["result"],
        Codec::Json(Plain::Result),
    ),
    col("是否收费", &["收费"], &["fees", "charged"], Codec::Bool),
    col(
        "收费项目",
        &["收费标准"],
        &["fees", "items"],
        Codec::Json(Plain::Fees),
    ),
    col(
        "支持网上支付",
        &["网上支付"],
        &["fees", "online_payment"],
        Codec::Bool,
    ),
    col(
        "办理地点",
        &["受理地点"],
        &["place", "address"],
        Codec::Text,
    ),
    col(
        "办理时间",
        &["受理时间"],
        &["place", "hours"],
        Codec::Json(Plain::HoursNote),
    ),
    col("办理时间说明", &[], &["place", "hours_note"], Codec::Text),
    col("交通指引", &[], &["place", "directions"], Codec::Text),
    col("咨询电话", &["咨询方式"], &["consult_phone"], Codec::Text),
    col(
        "监督投诉电话",
        &["投诉电话", "监督投诉方式"],
        &["complain_phone"],
        Codec::Text,
    ),
    col("常见问题", &[], &["faq"], Codec::Json(Plain::Faq)),
    col(
        "设定依据",
        &["法律依据", "实施依据"],
        &["legal_basis"],
        Codec::Json(Plain::Basis),
    ),
    col("停止办理", &[], &["withdrawn"], Codec::Json(Plain::Refuse)),
    col("版本", &[], &["version"], Codec::Number),
    col("更新日期", &[], &["updated_at"], Codec::Text),
    col("复核日期", &[], &["reviewed_at"], Codec::Text),
];

/// The 申请材料 column of a single-table (CSV) file: one material per line.
const MATERIALS_COLUMN: Column = col(
    "申请材料",
    &["材料清单"],
    &["materials"],
    Codec::Json(Plain::Materials),
);

/// The material columns of the materials table, after its 实施编码 key.
const MATERIAL_COLUMNS: &[Column] = &[
    col("材料名称", &[], &["name"], Codec::Text),
    col("材料形式", &["材料类型"], &["form"], Codec::Choice(FORMS)),
    col("原件份数", &["原件数量"], &["originals"], Codec::Number),
    col("复印件份数", &["复印件数量"], &["copies"], Codec::Number),
    col("免交情形", &["容缺情形"], &["optional_when"], Codec::Text),
    col(
        "来源渠道",
        &["材料来源"],
        &["source", "by"],
        Codec::Choice(SOURCES),
    ),
    col(
        "出具单位",
        &["来源部门"],
        &["source", "issuer"],
        Codec::Text,
    ),
    col("特定情形", &["需要情形"], &["needed_when"], Codec::Text),
    col("空白表格", &[], &["blank_form"], Codec::Text),
    col("示例样表", &["填写样例"], &["sample"], Codec::Text),
    col("备注", &["填报须知"], &["note"], Codec::Text),
];

/// 必要性: 非必要 when the material is only needed in a case (`needed_when`); read to
/// set that case when no 特定情形 is given.
const NECESSITY: &str = "必要性";

/// A header as matched: without spaces or `*` marks, brackets half-width.
fn header_key(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

/// The column of each header (by name or variant), `None` for an unknown one.
fn match_headers<'a>(headers: &[String], columns: &[&'a Column]) -> Vec<Option<&'a Column>> {
    headers
        .iter()
        .map(|h| {
            let key = header_key(h);
            columns.iter().copied().find(|c| {
                header_key(c.header) == key || c.aliases.iter().any(|a| header_key(a) == key)
            })
        })
        .collect()
}

fn get<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, key| v.get(key))
}

fn set(target: &mut Map<String, Value>, path: &[&str], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = target;
    for key in parents {
        let next = at
            .entry(key.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !next.is_object() {
            *next = Value::Object(Map::new());
        }
        let Value::Object(map) = next else { return };
        at = map;
    }
    at.insert(last.to_string(), value);
}

fn label_of(table: &[(&str, &str)], value: &str) -> String {
    table
        .iter()
        .find(|(_, v)| *v == value)
        .map_or_else(|| value.to_string(), |(label, _)| label.to_string())
}

fn value_of(table: &[(&str, &'static str)], text: &str) -> Option<&'static str> {
    let key = header_key(text);
    table
        .iter()
        .find(|(label, value)| header_key(label) == key || *value == text)
        .map(|(_, value)| *value)
}

const DEPTHS: [&str; 4] = ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ"];

/// The text of one cell for a value of the item's JSON.
fn write_cell(codec: Codec, value: Option<&Value>) -> String {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return String::new();
    };
    match codec {
        Codec::Text => value.as_str().unwrap_or_default().to_string(),
        Codec::Number => value.to_string(),
        Codec::Bool => if value.as_bool() == Some(true) {
            "是"
        } else {
            "否"
        }
        .to_string(),
        Codec::Choice(table) => label_of(table, value.as_str().unwrap_or_default()),
        Codec::Choices(table) => value
            .as_array()
            .map(|values| {
                values
                    .iter()
                    .map(|v| label_of(table, v.as_str().unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join("、")
            })
            .unwrap_or_default(),
        Codec::Depth => value
            .as_u64()
            .and_then(|d| DEPTHS.get((d as usize).wrapping_sub(1)))
            .map_or_else(String::new, |d| d.to_string()),
        Codec::Lines => value
            .as_array()
            .map(|values| {
                values
                    .iter()
                    .map(|v| v.as_str().unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default(),
        Codec::Json(Plain::Materials) => value
            .as_array()
            .map(|values| {
                values
                    .iter()
                    .map(Value::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default(),
        Codec::Json(_) => match value {
            Value::Array(a) if a.is_empty() => String::new(),
            v => v.to_string(),
        },
    }
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

/// The value of the item's JSON a cell holds; `Err` says why it cannot be read.
fn read_cell(codec: Codec, text: &str) -> Result<Value, String> {
    let text = text.trim();
    match codec {
        Codec::Text => Ok(json!(text)),
        Codec::Number => {
            let digits = text.trim_end_matches(['个', '次', '份', '天', '日']);
            digits
                .parse::<u32>()
                .map(|n| json!(n))
                .map_err(|_| format!("“{text}”不是数字"))
        }
        Codec::Bool => match text {
            "是" | "Y" | "y" | "1" | "true" | "有" => Ok(json!(true)),
            "否" | "N" | "n" | "0" | "false" | "无" => Ok(json!(false)),
            _ => Err(format!("“{text}”应为 是 或 否")),
        },
        Codec::Choice(table) => value_of(table, text).map(|v| json!(v)).ok_or_else(|| {
            let known: Vec<&str> = table.iter().map(|(l, _)| *l).collect();
            format!("“{text}”不是可识别的值（可填：{}）", known.join("、"))
        }),
        Codec::Choices(table) => text
            .split(['、', '，', ',', '；', ';', '\n', '/'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| {
                value_of(table, t)
                    .map(|v| json!(v))
                    .ok_or_else(|| format!("“{t}”不是可识别的办理形式"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Codec::Depth => {
            let key = text.trim_end_matches('级');
            let depth = match key {
                "Ⅰ" | "I" | "1" | "一" => 1,
                "Ⅱ" | "II" | "2" | "二" => 2,
                "Ⅲ" | "III" | "3" | "三" => 3,
                "Ⅳ" | "IV" | "4" | "四" => 4,
                _ => return Err(format!("“{text}”应为 Ⅰ–Ⅳ")),
            };
            Ok(json!(depth))
        }
        Codec::Lines => Ok(Value::Array(lines(text).map(|l| json!(l)).collect())),
        Codec::Json(plain) => {
            if text.starts_with(['{', '[']) && !matches!(plain, Plain::Materials) {
                return serde_json::from_str(text).map_err(|e| format!("无法读取：{e}"));
            }
            let each = |make: fn(&str) -> Value| Value::Array(lines(text).map(make).collect());
            match plain {
                Plain::Refuse => Err("应为 JSON".to_string()),
                Plain::Steps => Ok(each(|l| json!({"name": l, "who": "", "limit": ""}))),
                Plain::Faq => Ok(each(|l| json!({"q": l, "a": ""}))),
                Plain::Basis => Ok(each(|l| json!({"law": l}))),
                Plain::Fees => Ok(each(|l| json!({"item": l, "standard": "", "basis": ""}))),
                Plain::Result => Ok(json!({ "name": text })),
                // Read by the row (prose goes to the hours note).
                Plain::HoursNote => Ok(Value::Array(Vec::new())),
                Plain::Materials => lines(text)
                    .map(|l| {
                        if l.starts_with('{') {
                            serde_json::from_str(l).map_err(|e| format!("无法读取：{e}"))
                        } else {
                            Ok(json!({"name": l, "form": "paper", "source": {"by": "applicant"}}))
                        }
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array),
            }
        }
    }
}

/// Sets the value of each cell of a row on `object`; a cell that cannot be read is named
/// by its column's field under `under` (the item, or one of its materials).
fn read_cells(
    matched: &[Option<&Column>],
    cells: &[String],
    object: &mut Map<String, Value>,
    under: FieldPath,
) -> Vec<FieldError> {
    let mut problems = Vec::new();
    for (column, text) in matched.iter().zip(cells) {
        let Some(column) = column else { continue };
        if text.trim().is_empty() {
            continue;
        }
        // Real exports write opening hours as prose: kept as the hours note.
        if matches!(column.codec, Codec::Json(Plain::HoursNote))
            && !text.trim_start().starts_with('[')
        {
            let noted = object
                .get("place")
                .is_some_and(|place| place.get("hours_note").is_some());
            if !noted {
                set(object, &["place", "hours_note"], json!(text.trim()));
            }
            continue;
        }
        match read_cell(column.codec, text) {
            Ok(value) => set(object, column.path, value),
            Err(message) => problems.push(FieldError::new(
                column
                    .path
                    .iter()
                    .fold(under.clone(), |at, key| at.key(*key)),
                format!("{}：{message}", column.header),
            )),
        }
    }
    problems
}

/// What a file's rows read as.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRead {
    pub rows: Vec<RowRead>,
    /// Headers of either table no column matches: reported, their cells not imported.
    pub unknown_columns: Vec<String>,
}

/// One row: its item when it can be used, and what could not be read (by field). A row
/// with an item may still have problems: a required value that was blank and is imported
/// as a stated default for the lint and the editor to correct.
#[derive(Debug, Clone, PartialEq)]
pub struct RowRead {
    /// 1-based row number in the items table (the header is row 1), or position in a JSON
    /// array (from 1).
    pub row: usize,
    pub code: Option<String>,
    pub item: Option<Item>,
    pub problems: Vec<FieldError>,
}

/// Writes items as the items table (with the 申请材料 column when `materials_inline`, for a
/// one-table CSV) and the materials table.
pub fn write_items(items: &[Item], materials_inline: bool) -> (Table, Table) {
    let mut columns: Vec<&Column> = ITEM_COLUMNS.iter().collect();
    if materials_inline {
        columns.push(&MATERIALS_COLUMN);
    }
    let mut table = Table {
        headers: columns.iter().map(|c| c.header.to_string()).collect(),
        rows: Vec::new(),
    };
    let mut materials = Table {
        headers: std::iter::once("实施编码")
            .chain(MATERIAL_COLUMNS.iter().take(4).map(|c| c.header))
            .chain(std::iter::once(NECESSITY))
            .chain(MATERIAL_COLUMNS.iter().skip(4).map(|c| c.header))
            .map(str::to_string)
            .collect(),
        rows: Vec::new(),
    };
    for item in items {
        let value = serde_json::to_value(item).unwrap_or_default();
        table.rows.push(
            columns
                .iter()
                .map(|c| write_cell(c.codec, get(&value, c.path)))
                .collect(),
        );
        for material in value["materials"].as_array().into_iter().flatten() {
            let cells = |c: &Column| write_cell(c.codec, get(material, c.path));
            let necessity = if material.get("needed_when").is_some() {
                "非必要"
            } else {
                "必要"
            };
            materials.rows.push(
                std::iter::once(item.code.clone())
                    .chain(MATERIAL_COLUMNS.iter().take(4).map(cells))
                    .chain(std::iter::once(necessity.to_string()))
                    .chain(MATERIAL_COLUMNS.iter().skip(4).map(cells))
                    .collect(),
            );
        }
    }
    (table, materials)
}

/// Required values a real export may leave blank: imported as stated, the row keeps a
/// problem saying so.
const DEFAULTS: &[(&str, &str, &str)] = &[
    ("level", "行使层级", "county"),
    ("item_type", "事项类型", "other"),
    ("serves", "服务对象", "person"),
    ("kind", "办件类型", "promised"),
    ("visits", "到办事现场次数", "1"),
];

/// Reads the items table and, when given, the materials table.
pub fn read_items(table: &Table, materials: Option<&Table>) -> SheetRead {
    let mut columns: Vec<&Column> = ITEM_COLUMNS.iter().collect();
    columns.push(&MATERIALS_COLUMN);
    let matched = match_headers(&table.headers, &columns);
    let mut unknown: Vec<String> = table
        .headers
        .iter()
        .zip(&matched)
        .filter(|(h, m)| m.is_none() && !h.trim().is_empty())
        .map(|(h, _)| h.clone())
        .collect();
    let mut by_code: std::collections::HashMap<String, Vec<Value>> = Default::default();
    let mut material_problems: std::collections::HashMap<String, Vec<FieldError>> =
        Default::default();
    if let Some(materials) = materials {
        read_materials(
            materials,
            &mut by_code,
            &mut material_problems,
            &mut unknown,
        );
    }
    let rows = table
        .rows
        .iter()
        .enumerate()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .map(|(at, cells)| {
            let mut object = Map::new();
            let mut problems = read_cells(&matched, cells, &mut object, FieldPath::default());
            let code = object
                .get("code")
                .and_then(Value::as_str)
                .map(str::to_string);
            if let Some(list) = code.as_ref().and_then(|c| by_code.remove(c)) {
                object.insert("materials".into(), Value::Array(list));
            }
            if let Some(found) = code.as_ref().and_then(|c| material_problems.remove(c)) {
                problems.extend(found);
            }
            finish_row(at + 2, object, code, problems)
        })
        .collect();
    SheetRead {
        rows,
        unknown_columns: unknown,
    }
}

fn read_materials(
    table: &Table,
    by_code: &mut std::collections::HashMap<String, Vec<Value>>,
    problems: &mut std::collections::HashMap<String, Vec<FieldError>>,
    unknown: &mut Vec<String>,
) {
    let keys: Vec<String> = table.headers.iter().map(|h| header_key(h)).collect();
    let code_at = keys
        .iter()
        .position(|k| ["实施编码", "事项编码", "实施清单编码"].contains(&k.as_str()));
    let necessity_at = keys.iter().position(|k| k == NECESSITY);
    let columns: Vec<&Column> = MATERIAL_COLUMNS.iter().collect();
    let matched = match_headers(&table.headers, &columns);
    for (at, header) in table.headers.iter().enumerate() {
        if matched[at].is_none() && Some(at) != code_at && Some(at) != necessity_at {
            unknown.push(format!("材料：{header}"));
        }
    }
    let Some(code_at) = code_at else {
        return;
    };
    for cells in &table.rows {
        let Some(code) = cells.get(code_at).map(|c| c.trim().to_string()) else {
            continue;
        };
        if code.is_empty() {
            continue;
        }
        let list = by_code.entry(code.clone()).or_default();
        let index = list.len();
        let mut object = Map::new();
        let at = FieldPath::new("materials").index(index);
        let unread = read_cells(&matched, cells, &mut object, at);
        if !unread.is_empty() {
            problems.entry(code.clone()).or_default().extend(unread);
        }
        let necessity = necessity_at.and_then(|at| cells.get(at));
        // 非必要/选交: only some applicants need it. 容缺: everyone brings it, but the
        // application is accepted without it (to hand in later).
        let optional = necessity.is_some_and(|t| t.contains("非必要") || t.contains("选"));
        if optional && !object.contains_key("needed_when") {
            object.insert("needed_when".into(), json!("特定情形需要"));
        }
        let deferrable = necessity.is_some_and(|t| t.contains("容缺"));
        if deferrable && !object.contains_key("optional_when") {
            object.insert("optional_when".into(), json!("可容缺受理，事后补交"));
        }
        object.entry("form").or_insert(json!("paper"));
        if let Value::Object(source) = object.entry("source").or_insert_with(|| json!({})) {
            source.entry("by").or_insert(json!("applicant"));
        }
        list.push(Value::Object(object));
    }
}

/// A row's object becomes an item: defaults for blank required values (each said), then
/// the item's own reading and shape checks; code and name are what no row goes without.
fn finish_row(
    row: usize,
    mut object: Map<String, Value>,
    code: Option<String>,
    mut problems: Vec<FieldError>,
) -> RowRead {
    let unreadable = |problems: Vec<FieldError>| RowRead {
        row,
        code: code.clone(),
        item: None,
        problems,
    };
    match code.as_deref().map(ItemCode::parse) {
        None => problems.push(FieldError::new("code", "缺少实施编码")),
        Some(Err(e)) => problems.push(FieldError::new("code", e.to_string())),
        Some(Ok(_)) => {}
    }
    if object
        .get("name")
        .and_then(Value::as_str)
        .is_none_or(|n| n.trim().is_empty())
    {
        problems.push(FieldError::new("name", "缺少事项名称"));
    }
    if !problems.is_empty() {
        return unreadable(problems);
    }
    let mut notes = Vec::new();
    for (field, header, default) in DEFAULTS {
        if !object.contains_key(*field) {
            let value = default
                .parse::<u32>()
                .map_or_else(|_| json!(default), |n| json!(n));
            object.insert(field.to_string(), value);
            notes.push(FieldError::new(
                *field,
                format!("{header}未填写，暂按“{default}”导入，请核对"),
            ));
        }
    }
    for (field, header) in [
        ("legal_limit", "法定办结时限"),
        ("promised_limit", "承诺办结时限"),
    ] {
        let limit = object.entry(field).or_insert_with(|| json!({}));
        if let Value::Object(limit) = limit {
            if !limit.contains_key("value") {
                notes.push(FieldError::new(
                    FieldPath::new(field).key("value"),
                    format!("{header}未填写，暂按 0 导入，请核对"),
                ));
            }
            limit.entry("value").or_insert(json!(0));
            limit.entry("unit").or_insert(json!("working_days"));
        }
    }
    // Parts given in part: what a part cannot go without is blank (the lint asks for it).
    if let Some(Value::Object(place)) = object.get_mut("place") {
        place.entry("address").or_insert(json!(""));
        place.entry("hours").or_insert(json!([]));
    }
    if let Some(Value::Object(fees)) = object.get_mut("fees") {
        fees.entry("charged").or_insert(json!(false));
    }
    let value = Value::Object(object);
    let item: Item = match serde_path_to_error::deserialize(value) {
        Ok(item) => item,
        Err(e) => {
            let field = FieldPath::from(e.path().to_string());
            return unreadable(vec![FieldError::new(field, e.into_inner().to_string())]);
        }
    };
    let shape = validate_item(&item);
    if !shape.is_empty() {
        return unreadable(shape);
    }
    RowRead {
        row,
        code,
        item: Some(item),
        problems: notes,
    }
}

/// Items of a JSON array (the project's item JSON, fields possibly missing), each read
/// the way a table row is.
pub fn read_json_items(values: Vec<Value>) -> SheetRead {
    let rows = values
        .into_iter()
        .enumerate()
        .map(|(at, value)| match value {
            Value::Object(object) => {
                let code = object
                    .get("code")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                finish_row(at + 1, object, code, Vec::new())
            }
            _ => RowRead {
                row: at + 1,
                code: None,
                item: None,
                problems: vec![FieldError::new("", "应为一个事项（JSON 对象）")],
            },
        })
        .collect();
    SheetRead {
        rows,
        unknown_columns: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
