//! A generated county-size catalog (1,062 items, the seed's 仪征 figure) is written in the
//! layout of `data/`, loads through the same checks as the demo, and gives the lint a
//! little to find — as real catalogs do.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use zhinan_domain::lint::lint_catalog;
use zhinan_domain::{ItemCode, Level};
use zhinan_seed::synthetic::{generate, write_catalog, Config, MARKER};

/// A fresh directory under the system temp dir, removed when dropped (even on failure).
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir =
            std::env::temp_dir().join(format!("zhinan-{label}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_county_sized_catalog_loads_like_data_and_gives_the_lint_some_work() {
    let config = Config::new(1_062, 7);
    let catalog = generate(&config);
    let dir = TempDir::new("synthetic");
    write_catalog(&dir.0, &catalog).unwrap();
    let loaded =
        zhinan_seed::load(&dir.0).unwrap_or_else(|problems| panic!("{}", problems.join("\n")));
    let items = &loaded.items;
    assert_eq!(items.len(), 1_062);

    // Every township and village hall belongs to a county-level hall: its search area.
    for hall in &loaded.halls {
        let county = loaded.halls.iter().find(|h| h.id == hall.area()).unwrap();
        assert!(county.county.is_none() && county.level == zhinan_domain::Level::County);
        assert_eq!(
            hall.county.is_none(),
            hall.level == zhinan_domain::Level::County
        );
    }

    // Codes: valid, unique, a credit code of the implementing body and a 9-digit item part.
    let mut codes = HashSet::new();
    for item in items {
        assert_eq!(ItemCode::parse(&item.code).unwrap().as_str(), item.code);
        let (body, seq) = item.code.split_once('-').unwrap();
        assert_eq!(body.len(), 18, "{}", item.code);
        assert!(seq.len() == 9 && seq.bytes().all(|b| b.is_ascii_digit()));
        assert!(
            codes.insert(item.code.as_str()),
            "duplicate code {}",
            item.code
        );
    }

    // Names: unique within each hall; the same item recurs across halls with other codes.
    let mut per_hall: HashMap<&str, HashSet<&str>> = HashMap::new();
    for item in items {
        assert!(
            per_hall
                .entry(item.hall.as_str())
                .or_default()
                .insert(item.name.as_str()),
            "{} twice in {}",
            item.name,
            item.hall
        );
    }
    let mut halls_of: HashMap<&str, usize> = HashMap::new();
    for names in per_hall.values() {
        for name in names {
            *halls_of.entry(name).or_default() += 1;
        }
    }
    assert!(
        halls_of.values().any(|&n| n > 1),
        "no item recurs in two halls"
    );

    // Several halls on every level, a county-sized set of departments.
    assert!(loaded.halls.len() >= 4, "{} halls", loaded.halls.len());
    let levels: HashSet<Level> = loaded.halls.iter().map(|h| h.level).collect();
    assert_eq!(levels.len(), 3);
    let departments: HashSet<&str> = items.iter().map(|i| i.department.as_str()).collect();
    assert!(departments.len() >= 35, "{} departments", departments.len());
    let county = loaded
        .halls
        .iter()
        .find(|h| h.level == Level::County)
        .unwrap();
    let county_items = items.iter().filter(|i| i.hall == county.id).count();
    assert!(
        (700..=1_000).contains(&county_items),
        "county hall {county_items}"
    );

    // Life events point at existing items (load checks it too) of their county.
    assert!(loaded.life_events.len() >= 10);
    for event in &loaded.life_events {
        assert!(event.items.len() >= 2, "{}", event.id);
        for code in &event.items {
            assert!(codes.contains(code.as_str()), "{}: {code}", event.id);
        }
    }

    // The lint finds some errors, in few items, of several kinds.
    let report = lint_catalog(items, config.today, &[]);
    let with_errors = report
        .iter()
        .filter(|(_, f)| f.iter().any(|f| f.is_error()))
        .count();
    let rules: HashSet<&str> = report
        .iter()
        .flat_map(|(_, f)| f.iter().map(|f| f.rule.as_str()))
        .collect();
    assert!(with_errors > 0, "the lint found no error");
    assert!(
        with_errors * 10 < items.len(),
        "{with_errors} items with errors"
    );
    assert!(rules.len() >= 5, "{rules:?}");
    assert!(rules.contains("review-stale") && rules.contains("limit-compression"));

    // Rewriting the generator's own directory replaces it; a hand-made one is refused.
    assert!(dir.0.join(MARKER).exists());
    let smaller = generate(&Config::new(60, 7));
    write_catalog(&dir.0, &smaller).unwrap();
    assert_eq!(zhinan_seed::load(&dir.0).unwrap().items.len(), 60);
    std::fs::remove_file(dir.0.join(MARKER)).unwrap();
    assert!(write_catalog(&dir.0, &smaller).is_err());
}
