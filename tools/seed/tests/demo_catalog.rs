//! The demo catalog that `make run` serves must load cleanly and cover the seed's halls.

use std::path::Path;

use zhinan_domain::catalog::manifest::{item_key, Manifest, Shard};
use zhinan_domain::Level;

fn demo() -> zhinan_seed::Loaded {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    zhinan_seed::load(&dir).unwrap_or_else(|problems| panic!("{}", problems.join("\n")))
}

#[test]
fn demo_catalog_loads_without_problems() {
    let demo = demo();
    assert!(demo.items.len() >= 40, "only {} items", demo.items.len());
}

#[test]
fn demo_catalog_covers_all_three_levels() {
    let demo = demo();
    for level in [Level::County, Level::Township, Level::Village] {
        assert!(
            demo.items.iter().any(|i| i.level == level),
            "no item at level {level:?}"
        );
    }
}

#[test]
fn kv_entries_end_with_the_version_pointer() {
    let demo = demo();
    let entries = demo.kv_entries(1, "2026-11-01");
    assert_eq!(entries.last().unwrap().key, zhinan_seed::CURRENT_KEY);
    let count = |prefix: &str| entries.iter().filter(|e| e.key.starts_with(prefix)).count();
    assert_eq!(
        count("item:"),
        demo.items.len(),
        "one content-addressed key per item"
    );
    assert!(count("shard:") > 20 && count("shard:") <= 64);
    for key in ["manifest:v1", "catalog:v1", "editorial:index:v1"] {
        assert_eq!(count(key), 1, "{key}");
    }
    // One row list per hall with items (a village point may only take files over, 代办),
    // one search index for the county.
    let halls_with_items = demo
        .halls
        .iter()
        .filter(|h| demo.items.iter().any(|i| i.hall == h.id))
        .count();
    assert!(
        halls_with_items < demo.halls.len(),
        "田铺村 only takes files over"
    );
    assert_eq!(count("rows:"), halls_with_items);
    assert_eq!(count("find:"), 1);
    // Every item is reachable: manifest → shard → item.
    let value = |key: &str| &entries.iter().find(|e| e.key == key).unwrap().value;
    let manifest: Manifest = serde_json::from_str(value("manifest:v1")).unwrap();
    for item in &demo.items {
        let shard: Shard =
            serde_json::from_str(value(&manifest.shard_key_of(&item.code).unwrap())).unwrap();
        let json = value(&item_key(&shard[&item.code]));
        assert_eq!(
            serde_json::from_str::<zhinan_domain::Item>(json).unwrap(),
            *item
        );
    }
}

/// Today, from the system clock: the staleness rule is about the real date.
fn today() -> zhinan_domain::Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    zhinan_domain::Date::from_days((secs / 86_400) as i64)
}

#[test]
fn demo_catalog_passes_the_lint_without_errors() {
    let demo = demo();
    let report = zhinan_domain::lint::lint_catalog(&demo.items, today(), &[]);
    let errors: Vec<String> = report
        .iter()
        .flat_map(|(code, findings)| {
            findings
                .iter()
                .filter(|f| f.is_error())
                .map(move |f| format!("{code}: {} {}", f.rule, f.message))
        })
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
