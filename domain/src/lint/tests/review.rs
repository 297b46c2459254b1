use super::*;

// --- rule 12 ---

#[test]
fn guides_unreviewed_for_a_year_are_stale() {
    let mut item = sample();
    item.reviewed_at = "2025-11-27".into(); // exactly 365 days
    assert_eq!(lint(&item), []);
    item.reviewed_at = "2025-11-26".into();
    let f = only(
        &lint(&item),
        REVIEW_STALE,
        Severity::Warning,
        &["reviewed_at"],
    );
    assert!(f.message.contains("已366天未复核"), "{}", f.message);
    assert!(!has_errors(&lint(&item)));
    item.reviewed_at = "去年".into();
    assert_eq!(lint(&item), []);
}
