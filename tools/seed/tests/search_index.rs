//! Search over the real demo catalog, with the index built as the seed builds it
//! (real pinyin from the `pinyin` crate).

use std::path::Path;

use zhinan_domain::catalog::search::{search, Filters, Hit, MatchKind, SearchIndex};
use zhinan_domain::{Level, Serves};

fn demo() -> zhinan_seed::Loaded {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    zhinan_seed::load(&dir).unwrap_or_else(|problems| panic!("{}", problems.join("\n")))
}

fn index() -> SearchIndex {
    demo().search_index(1)
}

fn find(index: &SearchIndex, query: &str) -> Vec<Hit> {
    search(index, query, &Filters::default(), 20)
}

fn names(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.name.as_str()).collect()
}

/// The marked parts of the first hit's name, joined.
fn marked(hit: &Hit) -> String {
    hit.segments()
        .into_iter()
        .filter(|(_, m)| *m)
        .map(|(t, _)| t)
        .collect()
}

const BUSINESS_LICENCE_ITEMS: [&str; 4] = [
    "企业设立登记（有限责任公司）",
    "企业变更登记（有限责任公司）",
    "企业注销登记（含简易注销）",
    "个体工商户设立登记",
];

#[test]
fn the_index_covers_every_item_with_pinyin() {
    let demo = demo();
    let index = demo.search_index(3);
    assert_eq!(index.version, 3);
    assert_eq!(index.entries.len(), demo.items.len());
    for entry in &index.entries {
        assert_eq!(
            entry.pinyin.0.len(),
            entry.name.chars().count(),
            "{}",
            entry.name
        );
        assert_eq!(
            entry.keyword_pinyin.len(),
            entry.keywords.len(),
            "{}",
            entry.name
        );
    }
    let dibao = index
        .entries
        .iter()
        .find(|e| e.name.starts_with("最低生活保障"))
        .unwrap();
    assert_eq!(
        dibao.pinyin.0[..6],
        ["zui", "di", "sheng", "huo", "bao", "zhang"]
    );
    // Heteronyms take the reading of service names: 参保 can bao, 重度 zhong du.
    assert_eq!(zhinan_seed::pinyin_of('参').as_deref(), Some("can"));
    assert_eq!(zhinan_seed::pinyin_of('重').as_deref(), Some("zhong"));
    assert_eq!(zhinan_seed::pinyin_of('（'), None);
}

#[test]
fn the_index_is_small_and_is_a_kv_entry_before_the_pointer() {
    let demo = demo();
    let json = serde_json::to_string(&demo.search_index(1)).unwrap();
    println!(
        "search index: {} bytes of JSON for {} items",
        json.len(),
        demo.items.len()
    );
    assert!(json.len() < 30_000, "search index is {} bytes", json.len());

    let entries = demo.kv_entries(1, "2026-11-01");
    let n = entries.len();
    assert_eq!(entries[n - 1].key, zhinan_seed::CURRENT_KEY);
    // The demo is one county: its one index holds every item, before the pointer.
    let catalog: zhinan_domain::Catalog = serde_json::from_str(
        &entries
            .iter()
            .find(|e| e.key == zhinan_seed::catalog_key(1))
            .expect("catalog:v1 is written")
            .value,
    )
    .unwrap();
    assert_eq!(catalog.search.len(), 1);
    let key = zhinan_domain::catalog::sections::find_key(&catalog.search["xinxian"]);
    let at = entries
        .iter()
        .position(|e| e.key == key)
        .expect("find: is written");
    assert!(at < n - 1);
    let back: SearchIndex = serde_json::from_str(&entries[at].value).unwrap();
    assert_eq!(back.entries, demo.search_index(1).entries);
    assert_eq!(catalog.total() as usize, demo.items.len());
}

#[test]
fn chinese_business_licence_finds_the_company_and_shop_items_via_keywords() {
    let index = index();
    let hits = find(&index, "营业执照");
    let mut found = names(&hits);
    found.sort();
    let mut expected = BUSINESS_LICENCE_ITEMS.to_vec();
    expected.sort();
    assert_eq!(found, expected);
    assert!(hits.iter().all(|h| h.matched == MatchKind::Keyword));
    // The exact keyword (设立, 个体) before 营业执照变更 / 营业执照注销.
    assert_eq!(hits[0].matched_text.as_deref(), Some("营业执照"));
    assert_eq!(hits[1].matched_text.as_deref(), Some("营业执照"));

    assert_eq!(
        names(&find(&index, "营业执照变更"))[0],
        "企业变更登记（有限责任公司）"
    );
}

#[test]
fn pinyin_and_initials_of_business_licence_find_the_same_items() {
    let index = index();
    for query in [
        "yyzz",
        "yingye",
        "yingyezhizhao",
        "yingyezz",
        "YYZZ",
        "ｙｙｚｚ",
    ] {
        let hits = find(&index, query);
        let mut found = names(&hits);
        found.sort();
        let mut expected = BUSINESS_LICENCE_ITEMS.to_vec();
        expected.sort();
        assert_eq!(found, expected, "{query}");
        assert_eq!(hits[0].name, "企业设立登记（有限责任公司）", "{query}");
    }
}

#[test]
fn property_certificate_finds_the_real_estate_transfer_via_keywords() {
    let index = index();
    let hits = find(&index, "房产证");
    assert!(
        names(&hits).contains(&"不动产转移登记（房屋买卖）"),
        "{:?}",
        names(&hits)
    );
    let transfer = hits
        .iter()
        .find(|h| h.name == "不动产转移登记（房屋买卖）")
        .unwrap();
    assert_eq!(transfer.matched, MatchKind::Keyword);
    assert_eq!(transfer.matched_text.as_deref(), Some("房产证"));
    assert!(names(&find(&index, "fangchanzheng")).contains(&"不动产转移登记（房屋买卖）"));
    assert!(names(&find(&index, "我要办房产证")).contains(&"不动产转移登记（房屋买卖）"));
}

#[test]
fn dibao_finds_minimum_living_allowance_in_chinese_pinyin_and_initials() {
    let index = index();
    let name = "最低生活保障申请（低保）";
    let hits = find(&index, "低保");
    assert_eq!(names(&hits), [name]);
    assert_eq!(hits[0].matched, MatchKind::NameSubstring);
    assert_eq!(marked(&hits[0]), "低保");

    let hits = find(&index, "dibao");
    assert_eq!(hits[0].name, name);
    assert_eq!(hits[0].matched, MatchKind::Pinyin);
    assert_eq!(marked(&hits[0]), "低保");

    let hits = find(&index, "zdsh");
    assert_eq!(hits[0].name, name);
    assert_eq!(hits[0].matched, MatchKind::PinyinInitials);
    assert_eq!(hits[0].highlights, [(0, 4)]);

    // Initials may run across the punctuation in the name: 申请（低保）.
    let hits = find(&index, "sqdb");
    assert_eq!(names(&hits), [name]);
    assert_eq!(marked(&hits[0]), "申请（低保");

    let hits = find(&index, "chidibao");
    assert_eq!(names(&hits), [name]);
    assert_eq!(hits[0].matched, MatchKind::Keyword);
    assert_eq!(hits[0].matched_text.as_deref(), Some("吃低保"));

    assert_eq!(find(&index, "zuidishenghuo")[0].name, name);
    assert_eq!(find(&index, "低保申请")[0].name, name);
}

#[test]
fn identity_card_initials_mark_the_characters_in_the_name() {
    let index = index();
    let hits = find(&index, "sfz");
    let mut top: Vec<&str> = names(&hits[..2]);
    top.sort();
    assert_eq!(
        top,
        ["临时居民身份证申领", "居民身份证换领（有效期满换证）"]
    );
    for hit in &hits[..2] {
        assert_eq!(hit.matched, MatchKind::PinyinInitials);
        assert_eq!(marked(hit), "身份证");
    }
    let hits = find(&index, "身份证");
    assert_eq!(hits[0].matched, MatchKind::NameSubstring);
    assert_eq!(marked(&hits[0]), "身份证");
}

#[test]
fn level_filter_keeps_only_village_items() {
    let index = index();
    let village = Filters {
        level: Some(Level::Village),
        ..Filters::default()
    };
    let level_of = |code: &str| index.entries.iter().find(|e| e.code == code).unwrap().level;
    let all = search(&index, "", &village, 100);
    let expected = index
        .entries
        .iter()
        .filter(|e| e.level == Level::Village)
        .count();
    assert!(expected > 0);
    assert_eq!(all.len(), expected);
    assert!(all.iter().all(|h| level_of(&h.code) == Level::Village));

    let hits = search(&index, "房产证", &village, 100);
    assert_eq!(
        names(&hits),
        ["农村宅基地使用权及房屋所有权确权登记发证协办"]
    );
    let hits = search(&index, "zhengming", &village, 100);
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| level_of(&h.code) == Level::Village));
}

#[test]
fn serves_filter_keeps_items_serving_both() {
    let index = index();
    let legal = Filters {
        serves: Some(Serves::Legal),
        ..Filters::default()
    };
    let hits = search(&index, "过户", &legal, 100);
    assert!(names(&hits).contains(&"不动产转移登记（房屋买卖）"));
    let serves_of = |code: &str| {
        index
            .entries
            .iter()
            .find(|e| e.code == code)
            .unwrap()
            .serves
    };
    assert!(hits.iter().all(|h| serves_of(&h.code) != Serves::Person));
}

#[test]
fn nonsense_finds_nothing() {
    let index = index();
    for query in ["火星移民", "xyzxyzq", "qwrtp", "！！！"] {
        assert!(
            find(&index, query).is_empty(),
            "{query}: {:?}",
            names(&find(&index, query))
        );
    }
}

#[test]
fn one_wrong_character_still_finds_the_item_typed() {
    let index = index();
    // 一字之差 (homophones from pinyin input): the same first result as spelled right.
    for (typo, right) in [("营业执造", "营业执照"), ("身分证", "身份证")] {
        let hits = find(&index, typo);
        assert!(!hits.is_empty(), "{typo} finds nothing");
        assert_eq!(hits[0].name, find(&index, right)[0].name, "{typo}");
    }
    // Two characters are too short to guess at; nonsense stays nonsense.
    assert!(find(&index, "执造").is_empty());
    assert!(find(&index, "飞船驾照").is_empty());
}

#[test]
fn citizens_words_find_what_the_catalog_calls_otherwise() {
    let index = index();
    for (said, meant) in [
        ("卖房", "不动产转移登记（房屋买卖）"),
        ("房本", "不动产转移登记（房屋买卖）"),
        ("养老金", "城乡居民基本养老保险参保登记"),
        ("办证", "居民身份证换领（有效期满换证）"),
    ] {
        let hits = find(&index, said);
        assert_eq!(
            hits.first().map(|h| h.name.as_str()),
            Some(meant),
            "{said}: {:?}",
            names(&hits)
        );
    }
    // 房本 still finds the homestead item that names it, after the town one.
    assert!(names(&find(&index, "房本")).contains(&"农村宅基地使用权及房屋所有权确权登记发证协办"));
}
