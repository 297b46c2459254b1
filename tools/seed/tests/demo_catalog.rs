//! The demo catalog that `make run` serves must load cleanly and cover the seed's halls.

use std::path::Path;

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
    assert_eq!(entries.len(), demo.items.len() + 2);
}
