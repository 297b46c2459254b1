//! Export → import is lossless: every item of the demo catalog and of a generated
//! county-sized one reads back the same from the national layout, as two tables (XLSX)
//! and as one table with the materials inline (CSV).

use std::path::Path;

use zhinan_domain::catalog::sheet::{read_items, write_items};
use zhinan_domain::Item;
use zhinan_seed::synthetic::{generate, Config};

fn assert_round_trip(items: &[Item]) {
    let (table, materials) = write_items(items, false);
    let read = read_items(&table, Some(&materials));
    assert!(
        read.unknown_columns.is_empty(),
        "{:?}",
        read.unknown_columns
    );
    assert_eq!(read.rows.len(), items.len());
    for (row, item) in read.rows.iter().zip(items) {
        assert_eq!(row.problems, vec![], "{}", item.code);
        assert_eq!(row.item.as_ref(), Some(item), "{}", item.code);
    }
    let (inline, _) = write_items(items, true);
    let read = read_items(&inline, None);
    for (row, item) in read.rows.iter().zip(items) {
        assert_eq!(row.item.as_ref(), Some(item), "{} (inline)", item.code);
    }
}

#[test]
fn the_demo_catalog_round_trips() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let demo = zhinan_seed::load(&dir).unwrap_or_else(|p| panic!("{}", p.join("\n")));
    assert_round_trip(&demo.items);
}

#[test]
fn a_generated_county_round_trips() {
    let catalog = generate(&Config::new(1_062, 7));
    assert_round_trip(&catalog.items);
}
