//! Unit tests of the generator: the name table, codes, determinism, and that only the
//! injected defects give the lint work.

use std::collections::HashSet;

use zhinan_domain::lint::{LEGAL_ONLY_TOPICS, PERSON_ONLY_TOPICS};
use zhinan_domain::{validate_item, ItemCode, Level, Serves};

use super::*;

#[test]
fn the_name_table_parses_without_duplicates_and_has_room_for_real_halls() {
    let uni = Universe::load();
    assert!(uni.duplicates.is_empty(), "{:?}", uni.duplicates);
    assert!(
        uni.county.templates.len() >= 1_100,
        "{}",
        uni.county.templates.len()
    );
    assert!(
        uni.town.templates.len() >= 160,
        "{}",
        uni.town.templates.len()
    );
    assert!(
        uni.village.templates.len() >= 50,
        "{}",
        uni.village.templates.len()
    );
    assert!(uni.depts.len() >= 40);
    let names: HashSet<&str> = [&uni.county, &uni.town, &uni.village]
        .iter()
        .flat_map(|p| p.templates.iter().map(|t| t.name.as_str()))
        .collect();
    for name in life_event_names() {
        assert!(names.contains(name), "life event item {name} is in no pool");
    }
}

#[test]
fn families_agree_with_the_lint_on_topics_and_limits() {
    let uni = Universe::load();
    for (i, f) in uni.families.iter().enumerate() {
        let wrong: &[&str] = match f.serves {
            Serves::Legal => PERSON_ONLY_TOPICS,
            Serves::Person => LEGAL_ONLY_TOPICS,
            Serves::Both => &[],
        };
        assert!(
            f.topics.iter().all(|t| !wrong.contains(t)),
            "family {i}: {:?} with {:?}",
            f.serves,
            f.topics
        );
        assert!(f.legal.iter().all(|&d| d >= 1), "family {i}: legal 0");
        assert!((0.0..=1.0).contains(&f.instant), "family {i}");
    }
}

#[test]
fn check_characters_follow_the_national_standards() {
    // GB 32100's own example, and real codes of the demo's county.
    assert_eq!(uscc_check("91350100M000100Y4"), '3');
    assert_eq!(uscc_check("91411523706774123"), 'X');
    assert_eq!(uscc_check("91411523727012886"), 'G');
    assert_eq!(org_check("M000100Y"), '4');
}

#[test]
fn without_defects_the_lint_finds_nothing() {
    let mut cfg = Config::new(1_500, 11);
    cfg.defects = false;
    let catalog = generate(&cfg);
    assert_eq!(catalog.items.len(), 1_500);
    let summary = lint_summary(&catalog.items, cfg.today);
    assert_eq!(summary.errors + summary.warnings, 0, "{summary}");
}

#[test]
fn with_defects_the_lint_finds_a_few_of_each_kind_and_shapes_stay_valid() {
    let catalog = generate(&Config::new(6_000, 2));
    let mut codes = HashSet::new();
    for item in &catalog.items {
        assert!(
            validate_item(item).is_empty(),
            "{}: {:?}",
            item.code,
            validate_item(item)
        );
        let code = ItemCode::parse(&item.code).unwrap();
        assert_eq!(code.as_str(), item.code);
        let (uscc, seq) = item.code.split_once('-').unwrap();
        assert_eq!(uscc.len(), 18);
        assert_eq!(uscc_check(&uscc[..17]), uscc.chars().last().unwrap());
        assert!(seq.len() == 9 && seq.bytes().all(|b| b.is_ascii_digit()));
        assert!(codes.insert(item.code.clone()), "duplicate {}", item.code);
    }
    let summary = lint_summary(&catalog.items, catalog.config.today);
    assert!(
        summary.items_with_errors * 100 < catalog.items.len() * 6,
        "{summary}"
    );
    for rule in [
        "instant-must-be-instant",
        "promised-within-legal",
        "limit-compression",
        "limit-outlier",
        "visits-consistent",
        "contact-phones",
        "review-stale",
    ] {
        assert!(summary.by_rule.contains_key(rule), "no {rule}: {summary}");
    }
}

#[test]
fn the_same_seed_gives_the_same_catalog() {
    let a = generate(&Config::new(400, 5));
    let b = generate(&Config::new(400, 5));
    let c = generate(&Config::new(400, 6));
    let json =
        |g: &Generated| serde_json::to_string(&(&g.halls, &g.life_events, &g.items)).unwrap();
    assert_eq!(json(&a), json(&b));
    assert_ne!(json(&a), json(&c));
}

#[test]
fn a_county_has_forty_departments_and_halls_keep_names_unique() {
    let catalog = generate(&Config::new(1_062, 1));
    let county: Vec<&Item> = catalog
        .items
        .iter()
        .filter(|i| i.hall == "xinxian")
        .collect();
    let departments: HashSet<&str> = county.iter().map(|i| i.department.as_str()).collect();
    assert!(departments.len() >= 38, "{}", departments.len());
    for hall in &catalog.halls {
        let mut names = HashSet::new();
        for item in catalog.items.iter().filter(|i| i.hall == hall.id) {
            assert!(
                names.insert(&item.name),
                "{} twice in {}",
                item.name,
                hall.id
            );
            assert!(
                hall.zones.contains(&item.zone),
                "{} not a zone of {}",
                item.zone,
                hall.id
            );
        }
    }
    let levels: HashSet<Level> = catalog.items.iter().map(|i| i.level).collect();
    assert_eq!(levels.len(), 3);
    assert!(catalog.life_events.len() >= 10);
}
