use super::*;
use crate::catalog::validate::parse_item;

/// A few characters' pinyin, enough for the test catalog.
fn pinyin_of(c: char) -> Option<String> {
    let table = [
        ('营', "ying"),
        ('业', "ye"),
        ('执', "zhi"),
        ('照', "zhao"),
        ('变', "bian"),
        ('更', "geng"),
        ('登', "deng"),
        ('记', "ji"),
        ('企', "qi"),
        ('设', "she"),
        ('立', "li"),
        ('有', "you"),
        ('限', "xian"),
        ('责', "ze"),
        ('任', "ren"),
        ('公', "gong"),
        ('司', "si"),
        ('最', "zui"),
        ('低', "di"),
        ('生', "sheng"),
        ('活', "huo"),
        ('保', "bao"),
        ('障', "zhang"),
        ('申', "shen"),
        ('请', "qing"),
        ('不', "bu"),
        ('动', "dong"),
        ('产', "chan"),
        ('转', "zhuan"),
        ('移', "yi"),
        ('房', "fang"),
        ('证', "zheng"),
        ('居', "ju"),
        ('住', "zhu"),
        ('明', "ming"),
        ('开', "kai"),
        ('具', "ju"),
        ('绿', "lü"),
    ];
    table
        .iter()
        .find(|(h, _)| *h == c)
        .map(|(_, p)| p.to_string())
}

fn item(
    code: &str,
    name: &str,
    keywords: &[&str],
    department: &str,
    level: Level,
    zone: &str,
    serves: Serves,
) -> Item {
    let mut item = parse_item(include_str!("../fixtures/item.json")).expect("fixture");
    item.code = code.to_string();
    item.name = name.to_string();
    item.keywords = keywords.iter().map(|k| k.to_string()).collect();
    item.department = department.to_string();
    item.level = level;
    item.zone = zone.to_string();
    item.serves = serves;
    item
}

fn index() -> SearchIndex {
    let items = vec![
        item(
            "A",
            "企业设立登记（有限责任公司）",
            &["营业执照", "开公司"],
            "市场监督管理局",
            Level::County,
            "商事登记专区",
            Serves::Legal,
        ),
        item(
            "B",
            "营业执照变更登记",
            &[],
            "市场监督管理局",
            Level::County,
            "商事登记专区",
            Serves::Legal,
        ),
        item(
            "C",
            "最低生活保障申请（低保）",
            &["吃低保"],
            "上集镇人民政府",
            Level::Township,
            "民政社保窗口",
            Serves::Person,
        ),
        item(
            "D",
            "不动产转移登记",
            &["房产证", "过户"],
            "自然资源局",
            Level::County,
            "不动产集成服务专区",
            Serves::Both,
        ),
        item(
            "E",
            "居住证明开具",
            &["开证明"],
            "光明社区居民委员会",
            Level::Village,
            "代办帮办窗口",
            Serves::Person,
        ),
        item(
            "F",
            "营业执照",
            &[],
            "市场监督管理局",
            Level::County,
            "商事登记专区",
            Serves::Both,
        ),
    ];
    build_index(&items, 7, pinyin_of)
}

fn codes(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.code.as_str()).collect()
}

fn find(query: &str) -> Vec<Hit> {
    search(&index(), query, &Filters::default(), 50)
}

#[test]
fn index_keeps_pinyin_aligned_with_the_name() {
    let index = index();
    let a = &index.entries[0];
    assert_eq!(a.pinyin.0.len(), a.name.chars().count());
    assert_eq!(a.pinyin.get(0), "qi");
    assert_eq!(a.pinyin.get(6), "", "（ has no pinyin");
    assert_eq!(a.keyword_pinyin[0].0, ["ying", "ye", "zhi", "zhao"]);
    assert_eq!(index.version, 7);
}

#[test]
fn index_round_trips_through_json_compactly() {
    let index = index();
    let json = serde_json::to_string(&index).unwrap();
    assert!(json.contains(r#""p":"qi ye she li deng ji  you xian ze ren gong si ""#));
    let back: SearchIndex = serde_json::from_str(&json).unwrap();
    assert_eq!(back, index);
}

#[test]
fn ranking_puts_exact_then_prefix_then_substring_then_keyword() {
    let hits = find("营业执照");
    assert_eq!(codes(&hits), ["F", "B", "A"]);
    assert_eq!(hits[0].matched, MatchKind::NameExact);
    assert_eq!(hits[1].matched, MatchKind::NamePrefix);
    assert_eq!(hits[1].highlights, [(0, 4)]);
    assert_eq!(hits[2].matched, MatchKind::Keyword);
    assert_eq!(hits[2].matched_text.as_deref(), Some("营业执照"));
    assert!(hits[2].highlights.is_empty());
    assert!(hits[0].score > hits[1].score && hits[1].score > hits[2].score);
}

#[test]
fn two_character_query_matches_a_substring() {
    let hits = find("低保");
    assert_eq!(codes(&hits), ["C"]);
    assert_eq!(hits[0].matched, MatchKind::NameSubstring);
    assert_eq!(hits[0].highlights, [(9, 11)]);
}

#[test]
fn query_bigrams_covering_the_query_match_with_their_ranges() {
    let hits = find("执照登记");
    assert_eq!(codes(&hits), ["B"]);
    assert_eq!(hits[0].matched, MatchKind::NameBigrams);
    assert_eq!(hits[0].highlights, [(2, 4), (6, 8)]);
    let hits = find("营业执照登记");
    assert_eq!(codes(&hits)[0], "B");
    assert_eq!(hits[0].highlights, [(0, 4), (6, 8)]);
    let hits = find("企业登记");
    assert_eq!(codes(&hits), ["A"]);
    // 吃 is in no bigram of the name: only the keyword matches.
    assert_eq!(find("吃低保")[0].matched, MatchKind::Keyword);
}

#[test]
fn full_pinyin_matches_and_highlights_the_characters() {
    // The whole name spelled beats part of a longer one.
    let hits = find("yingyezhizhao");
    assert_eq!(codes(&hits), ["F", "B", "A"]);
    assert_eq!(hits[0].matched, MatchKind::Pinyin);
    assert_eq!(hits[0].highlights, [(0, 4)]);
    assert_eq!(hits[2].matched, MatchKind::Keyword);

    let hits = find("yingye");
    assert_eq!(hits[0].highlights, [(0, 2)]);
    // As typed: the last syllable may be unfinished.
    let hits = find("yingyezh");
    assert_eq!(hits[0].highlights, [(0, 3)]);
}

#[test]
fn pinyin_inside_the_name_and_across_punctuation() {
    let hits = find("dengji");
    let a = hits.iter().find(|h| h.code == "A").unwrap();
    assert_eq!(a.highlights, [(4, 6)]);
    let hits = find("dengjiyouxian");
    assert_eq!(codes(&hits), ["A"]);
    assert_eq!(hits[0].highlights, [(4, 9)]);
    // Initials too, the second letter after the bracket.
    let hits = find("jy");
    let a = hits.iter().find(|h| h.code == "A").unwrap();
    assert_eq!(a.highlights, [(5, 8)]);
    let hits = find("zdshbzsqdb");
    assert_eq!(codes(&hits), ["C"]);
    assert_eq!(hits[0].highlights, [(0, 11)]);
}

#[test]
fn initials_match_after_full_pinyin() {
    let hits = find("yyzz");
    assert_eq!(codes(&hits), ["F", "B", "A"]);
    assert_eq!(hits[0].matched, MatchKind::PinyinInitials);
    assert_eq!(hits[0].highlights, [(0, 4)]);
    let hits = find("zdshbz");
    assert_eq!(codes(&hits), ["C"]);
    assert_eq!(hits[0].highlights, [(0, 6)]);
    // Mixed full syllables and initials.
    let hits = find("yingyezz");
    assert_eq!(hits[0].matched, MatchKind::Pinyin);
    assert_eq!(hits[0].highlights, [(0, 4)]);
    // Full pinyin at the start beats initials.
    let full = find("dibao");
    assert_eq!(codes(&full), ["C"]);
    assert_eq!(full[0].highlights, [(9, 11)]);
}

#[test]
fn pinyin_u_may_be_typed_for_v() {
    let items = vec![item("G", "绿", &[], "x", Level::County, "z", Serves::Both)];
    let index = build_index(&items, 1, pinyin_of);
    assert_eq!(index.entries[0].pinyin.get(0), "lv");
    for q in ["lv", "lu"] {
        assert_eq!(search(&index, q, &Filters::default(), 5).len(), 1, "{q}");
    }
}

#[test]
fn keywords_and_their_pinyin_find_items() {
    let hits = find("房产证");
    assert_eq!(codes(&hits), ["D"]);
    assert_eq!(hits[0].matched, MatchKind::Keyword);
    assert_eq!(hits[0].matched_text.as_deref(), Some("房产证"));
    assert_eq!(codes(&find("fangchanzheng")), ["D"]);
    assert_eq!(codes(&find("fcz")), ["D"]);
    // A keyword inside a longer query.
    assert_eq!(codes(&find("我要办房产证")), ["D"]);
}

#[test]
fn department_and_zone_match_last() {
    let hits = find("自然资源");
    assert_eq!(codes(&hits), ["D"]);
    assert_eq!(hits[0].matched, MatchKind::Department);
    let hits = find("集成服务");
    assert_eq!(hits[0].matched, MatchKind::Zone);
    // 不动产 in D's name ranks above 不动产 in nothing else; the zone never outranks a name.
    let hits = find("不动产");
    assert_eq!(hits[0].matched, MatchKind::NamePrefix);
}

#[test]
fn query_is_normalized() {
    assert_eq!(normalize("  ＹＹ ＺＺ　"), "yyzz");
    assert_eq!(codes(&find(" ＹＹＺＺ ")), ["F", "B", "A"]);
    assert_eq!(codes(&find("营业 执照")), ["F", "B", "A"]);
    // Full-width parentheses in names match half-width ones typed.
    assert_eq!(codes(&find("(低保)")), ["C"]);
}

/// The texts folded by the first search stay out of the stored index and its equality,
/// and an index read back searches alike (its texts folded again on first use).
#[test]
fn folded_texts_are_made_once_and_never_stored() {
    let fresh = index();
    let searched = index();
    let first = search(&searched, "(低保)", &Filters::default(), 50);
    assert_eq!(codes(&first), ["C"]);
    assert_eq!(
        codes(&search(&searched, "ｙｙｚｚ", &Filters::default(), 50)),
        ["F", "B", "A"]
    );
    assert_eq!(searched, fresh);
    let json = serde_json::to_string(&searched).unwrap();
    assert_eq!(json, serde_json::to_string(&fresh).unwrap());
    let read_back: SearchIndex = serde_json::from_str(&json).unwrap();
    assert_eq!(search(&read_back, "(低保)", &Filters::default(), 50), first);
}

/// Only the best hits are ranked, and they come out as a full sort would give them.
#[test]
fn the_best_hits_come_first_whatever_the_limit() {
    let all = search(&index(), "y", &Filters::default(), 50);
    assert!(all.len() > 2, "{} hits", all.len());
    for limit in 0..=all.len() {
        assert_eq!(
            search(&index(), "y", &Filters::default(), limit),
            all[..limit]
        );
    }
}

#[test]
fn every_word_of_a_multi_word_query_must_match() {
    let hits = find("登记 有限");
    assert_eq!(codes(&hits), ["A"]);
    assert_eq!(hits[0].highlights, [(4, 6), (7, 9)]);
    // 过户 (keyword of D) and 最低 (name of C) match different items: nothing has both.
    assert!(find("过户 最低").is_empty());
    let hits = find("biangeng 营业");
    assert_eq!(codes(&hits), ["B"]);
    assert_eq!(hits[0].highlights, [(0, 2), (4, 6)]);
}

#[test]
fn nonsense_finds_nothing() {
    assert!(find("火星移民").is_empty());
    assert!(find("xyzxyz").is_empty());
    assert!(find("qqqqqq").is_empty());
}

#[test]
fn filters_narrow_and_both_matches_either_serves() {
    let index = index();
    let village = Filters {
        level: Some(Level::Village),
        ..Filters::default()
    };
    assert_eq!(codes(&search(&index, "", &village, 50)), ["E"]);
    assert!(search(&index, "营业执照", &village, 50).is_empty());

    let person = Filters {
        serves: Some(Serves::Person),
        ..Filters::default()
    };
    assert_eq!(
        codes(&search(&index, "", &person, 50)),
        ["C", "D", "E", "F"]
    );
    let legal = Filters {
        serves: Some(Serves::Legal),
        ..Filters::default()
    };
    assert_eq!(
        codes(&search(&index, "营业执照", &legal, 50)),
        ["F", "B", "A"]
    );

    let zone = Filters {
        zone: Some("商事登记专区".into()),
        department: Some("市场监督管理局".into()),
        ..Filters::default()
    };
    assert_eq!(codes(&search(&index, "", &zone, 50)), ["A", "B", "F"]);
    let hall = Filters {
        hall: Some("nowhere".into()),
        ..Filters::default()
    };
    assert!(search(&index, "", &hall, 50).is_empty());
}

#[test]
fn empty_query_lists_all_in_catalog_order_up_to_the_limit() {
    let hits = search(&index(), "   ", &Filters::default(), 3);
    assert_eq!(codes(&hits), ["A", "B", "C"]);
    assert!(hits.iter().all(|h| h.matched == MatchKind::All));
    assert_eq!(find("yyzz").len(), 3);
    assert_eq!(search(&index(), "yyzz", &Filters::default(), 1).len(), 1);
}

#[test]
fn segments_cut_the_name_at_the_highlights() {
    let hits = find("登记 有限");
    assert_eq!(
        hits[0].segments(),
        [
            ("企业设立", false),
            ("登记", true),
            ("（", false),
            ("有限", true),
            ("责任公司）", false)
        ]
    );
    let hits = find("营业执照");
    assert_eq!(hits[0].segments(), [("营业执照", true)]);
}

#[test]
fn filter_choices_are_listed_once_in_catalog_order() {
    let index = index();
    assert_eq!(index.zones()[0], "商事登记专区");
    assert_eq!(index.zones().len(), 4);
    assert_eq!(index.departments().len(), 4);
}

#[test]
fn staff_terms_hold_name_pinyin_initials_and_keywords() {
    let terms = search_terms("营业执照变更登记", &["房产证".to_string()], pinyin_of);
    for query in [
        "营业执照",
        "yingyezhizhao",
        "yyzzbgdj",
        "房产证",
        "fangchanzheng",
        "fcz",
    ] {
        assert!(terms.contains(&normalize(query)), "{query} in {terms}");
    }
    assert!(!terms.contains("shebao"));
}

#[test]
fn words_staff_add_become_keywords_of_the_items_they_stand_for() {
    assert!(find("吃饭补助").is_empty(), "nobody told the search yet");
    let mut index = index();
    let staff = words::check(&[words::CitizenWord {
        word: "吃饭补助".into(),
        terms: vec!["最低生活保障".into()],
    }])
    .unwrap();
    words::add_to_index(&mut index, &staff);
    assert_eq!(
        codes(&search(&index, "吃饭补助", &Filters::default(), 5)),
        ["C"]
    );
    assert_eq!(
        codes(&search(&index, "我想申请吃饭补助", &Filters::default(), 5)),
        ["C"]
    );
    let c = index.entries.iter().find(|e| e.code == "C").unwrap();
    assert_eq!(
        c.keywords.len(),
        c.keyword_pinyin.len(),
        "pinyin stays aligned"
    );
    // Phones get it with the index, no code of their own.
    let back: SearchIndex = serde_json::from_str(&serde_json::to_string(&index).unwrap()).unwrap();
    assert_eq!(
        codes(&search(&back, "吃饭补助", &Filters::default(), 5)),
        ["C"]
    );
    // Added once, however often the list is applied.
    words::add_to_index(&mut index, &staff);
    let c = index.entries.iter().find(|e| e.code == "C").unwrap();
    assert_eq!(c.keywords.iter().filter(|k| *k == "吃饭补助").count(), 1);
}

/// The edge keeps a county's index, searches it, and adds the staff words to a copy: the
/// copy and the index changed in place both find the words (the texts folded by the first
/// search are not reused for entries that gained keywords).
#[test]
fn words_added_after_a_search_are_found() {
    let staff = words::check(&[words::CitizenWord {
        word: "吃饭补助".into(),
        terms: vec!["最低生活保障".into()],
    }])
    .unwrap();
    let kept = index();
    assert!(search(&kept, "吃饭补助", &Filters::default(), 5).is_empty());
    let mut copy = kept.clone();
    words::add_to_index(&mut copy, &staff);
    assert_eq!(
        codes(&search(&copy, "吃饭补助", &Filters::default(), 5)),
        ["C"]
    );
    let mut in_place = index();
    assert!(search(&in_place, "吃饭补助", &Filters::default(), 5).is_empty());
    words::add_to_index(&mut in_place, &staff);
    assert_eq!(
        codes(&search(&in_place, "吃饭补助", &Filters::default(), 5)),
        ["C"]
    );
}
