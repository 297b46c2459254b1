use super::*;
use crate::catalog::validate::parse_item;
use crate::lint::{lint_item, LintContext};
use crate::Date;

fn fixture() -> Item {
    parse_item(include_str!("../fixtures/item.json")).unwrap()
}

fn row(table: &Table, at: usize) -> std::collections::HashMap<&str, &str> {
    table
        .headers
        .iter()
        .map(String::as_str)
        .zip(table.rows[at].iter().map(String::as_str))
        .collect()
}

#[test]
fn written_items_read_back_the_same_with_a_materials_table_or_inline() {
    let item = fixture();
    let (table, materials) = write_items(std::slice::from_ref(&item), false);
    assert_eq!(materials.rows.len(), item.materials.len());
    let read = read_items(&table, Some(&materials));
    assert_eq!(read.unknown_columns, Vec::<String>::new());
    assert_eq!(read.rows[0].problems, vec![]);
    assert_eq!(read.rows[0].item.as_ref(), Some(&item));

    let (inline, _) = write_items(std::slice::from_ref(&item), true);
    let read = read_items(&inline, None);
    assert_eq!(read.rows[0].item.as_ref(), Some(&item));
}

#[test]
fn the_national_layout_is_written_in_its_words() {
    let item = fixture();
    let (table, materials) = write_items(std::slice::from_ref(&item), false);
    let cells = row(&table, 0);
    assert_eq!(cells["实施编码"], item.code);
    assert_eq!(cells["办件类型"], item.kind.label());
    assert_eq!(cells["法定办结时限单位"], "工作日");
    assert!(cells["办理形式"].contains("窗口办理"));
    let first = row(&materials, 0);
    assert_eq!(first["实施编码"], item.code);
    assert_eq!(first["材料名称"], item.materials[0].name);
    assert_eq!(
        first["必要性"],
        if item.materials[0].optional_when.is_some() {
            "非必要"
        } else {
            "必要"
        }
    );
}

/// A row as a provincial platform exports it: other column order, variants, a full-width
/// space, a column we do not know, gaps, a multi-office phone and 12345.
fn real_style() -> (Table, Table) {
    let headers = [
        "事项名称",
        "实施编码",
        "实施机构",
        "事项类型",
        "办件类型",
        "法定办结时限",
        "法定时限单位",
        "承诺办结时限",
        "承诺办结时限单位",
        "到办事现场次数",
        "办理形式",
        "办 理 地 点",
        "办理时间",
        "咨询电话",
        "监督投诉电话",
        "是否收费",
        "备用字段",
    ];
    let cells = [
        "城乡居民养老保险参保登记",
        "11450100MB0000001X-000201001",
        "南宁市社会保险事业管理中心",
        "行政确认",
        "即办件",
        "20",
        "工作日",
        "0",
        "工作日",
        "1",
        "窗口办理、网上办理",
        "南宁市民中心2楼",
        "工作日上午9:00-12:00，下午13:30-17:00",
        "市区办理点：0771-1234567\n武鸣办理点：0771-6221234转801",
        "12345",
        "否",
        "x",
    ];
    let table = Table {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: vec![cells.iter().map(|c| c.to_string()).collect()],
    };
    let materials = Table {
        headers: [
            "实施编码",
            "材料名称",
            "材料形式",
            "原件份数",
            "复印件份数",
            "必要性",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect(),
        rows: vec![
            vec![
                "11450100MB0000001X-000201001".into(),
                "居民身份证".into(),
                "纸质".into(),
                "1".into(),
                "".into(),
                "必要".into(),
            ],
            vec![
                "11450100MB0000001X-000201001".into(),
                "户口簿".into(),
                "".into(),
                "".into(),
                "".into(),
                "非必要".into(),
            ],
        ],
    };
    (table, materials)
}

#[test]
fn a_real_style_row_becomes_a_draft_and_says_what_it_assumed() {
    let (table, materials) = real_style();
    let read = read_items(&table, Some(&materials));
    assert_eq!(read.unknown_columns, ["备用字段"]);
    let row = &read.rows[0];
    assert_eq!(row.row, 2);
    let item = row.item.as_ref().expect("imported as a draft");
    assert_eq!(item.place.address, "南宁市民中心2楼");
    assert_eq!(
        item.place.hours_note.as_deref(),
        Some("工作日上午9:00-12:00，下午13:30-17:00")
    );
    assert_eq!(item.complain_phone, "12345");
    assert_eq!(item.materials.len(), 2);
    // 非必要 without a stated case: only some applicants need it, and it says so.
    assert_eq!(
        item.materials[1].needed_when.as_deref(),
        Some("特定情形需要")
    );
    assert!(!item.materials[1].is_required());
    assert!(item.materials[0].is_required());
    let noted: Vec<String> = row.problems.iter().map(|p| p.field.to_string()).collect();
    assert!(
        noted.contains(&"level".to_string()) && noted.contains(&"serves".to_string()),
        "{noted:?}"
    );
    // The lint names the gaps: no online depth although handled online, and more.
    let findings = lint_item(
        item,
        &LintContext {
            today: Date::parse("2026-11-29").unwrap(),
            peers: Vec::new(),
        },
    );
    assert!(
        findings
            .iter()
            .any(|f| f.fields.iter().any(|p| *p == "online_depth")),
        "{findings:?}"
    );
    assert!(
        !findings
            .iter()
            .any(|f| f.fields.iter().any(|p| *p == "complain_phone")),
        "12345 is a valid complaint line"
    );
}

#[test]
fn rows_that_cannot_be_read_say_which_field() {
    let (mut table, _) = real_style();
    table.rows.push(table.rows[0].clone());
    table.rows.push(table.rows[0].clone());
    table.rows[1][1] = String::new();
    table.rows[2][9] = "两次".into();
    let read = read_items(&table, None);
    assert!(read.rows[1].item.is_none());
    assert_eq!(read.rows[1].problems[0].field.to_string(), "code");
    assert!(read.rows[2].item.is_none());
    assert_eq!(read.rows[2].problems[0].field.to_string(), "visits");
    assert!(read.rows[2].problems[0].message.contains("到办事现场次数"));
}

#[test]
fn json_items_with_gaps_are_read_like_rows() {
    let read = read_json_items(vec![
        serde_json::json!({"code": "11450100MB0000001X-000201001", "name": "参保登记"}),
        serde_json::json!({"name": "没有编码"}),
        serde_json::json!("not an item"),
    ]);
    assert!(read.rows[0].item.is_some());
    assert!(read.rows[1].item.is_none());
    assert!(read.rows[2].item.is_none());
}
