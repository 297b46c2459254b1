//! The figures a county centre is assessed and ranked on (`DOMAIN.md`, "The metrics"),
//! over the published catalog, per hall and per department: 即办件率, time-limit
//! compression, 不见面 (visits = 0 and visits ≤ 1 apart, as the seed asks), the online
//! depth mix, items with lint errors and stale guides.
//!
//! Each item contributes its [`ItemFacts`]; a group's [`Tally`] is their sums, so the
//! store can add them up in one query and this module turns sums into rates, rankings
//! (laggards first) and a table for CSV.

use serde::{Deserialize, Serialize};

use crate::cases::stats::CaseReport;
use crate::catalog::item::{Item, Kind, OnlineDepth};
use crate::catalog::sheet::Table;

/// What the assessment takes from one published item.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ItemFacts {
    pub instant: bool,
    /// 1 − promised / legal, both as calendar days (0 = not compressed); `None` when the
    /// legal limit is 0, which cannot be compressed.
    pub compression: Option<f64>,
    pub visits: u8,
    /// 0 without online handling, 1–4 for depth Ⅰ–Ⅳ.
    pub depth: u8,
}

// `compression` is never NaN (a quotient by a positive legal limit, clamped), so equality
// is an equivalence.
impl Eq for ItemFacts {}

impl ItemFacts {
    pub fn of(item: &Item) -> ItemFacts {
        let legal = item.legal_limit.approx_calendar_days();
        let promised = item.promised_limit.approx_calendar_days();
        ItemFacts {
            instant: item.kind == Kind::Instant,
            compression: (legal > 0.0).then(|| (1.0 - promised / legal).clamp(0.0, 1.0)),
            visits: item.visits,
            depth: match item.online_depth {
                None => 0,
                Some(OnlineDepth::I) => 1,
                Some(OnlineDepth::Ii) => 2,
                Some(OnlineDepth::Iii) => 3,
                Some(OnlineDepth::Iv) => 4,
            },
        }
    }
}

/// Sums over a group of published items.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Tally {
    pub items: u64,
    pub instant: u64,
    /// Items whose legal limit can be compressed (legal > 0) …
    pub compressible: u64,
    /// … the sum of their compression …
    pub compression_sum: f64,
    /// … and those compressed by half or more.
    pub halved: u64,
    pub visits_zero: u64,
    pub visits_at_most_one: u64,
    /// Items by online depth: none, Ⅰ, Ⅱ, Ⅲ, Ⅳ.
    pub depth: [u64; 5],
    /// Items with at least one lint error.
    pub with_errors: u64,
    /// Guides not reviewed for over a year (lint rule `review-stale`).
    pub stale: u64,
}

impl Tally {
    /// One item's contribution.
    pub fn of(facts: &ItemFacts, errors: bool, stale: bool) -> Tally {
        let mut depth = [0; 5];
        depth[usize::from(facts.depth.min(4))] = 1;
        Tally {
            items: 1,
            instant: u64::from(facts.instant),
            compressible: u64::from(facts.compression.is_some()),
            compression_sum: facts.compression.unwrap_or(0.0),
            halved: u64::from(facts.compression.is_some_and(|c| c >= 0.5 - 1e-9)),
            visits_zero: u64::from(facts.visits == 0),
            visits_at_most_one: u64::from(facts.visits <= 1),
            depth,
            with_errors: u64::from(errors),
            stale: u64::from(stale),
        }
    }

    pub fn add(&mut self, other: &Tally) {
        self.items += other.items;
        self.instant += other.instant;
        self.compressible += other.compressible;
        self.compression_sum += other.compression_sum;
        self.halved += other.halved;
        self.visits_zero += other.visits_zero;
        self.visits_at_most_one += other.visits_at_most_one;
        for (a, b) in self.depth.iter_mut().zip(other.depth) {
            *a += b;
        }
        self.with_errors += other.with_errors;
        self.stale += other.stale;
    }
}

/// Share `part / whole`, `None` for an empty whole.
fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// One assessed figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Instant,
    Compression,
    Halved,
    VisitsZero,
    VisitsAtMostOne,
    FullOnline,
    Errors,
    Stale,
}

impl Metric {
    pub const ALL: [Metric; 8] = [
        Metric::Instant,
        Metric::Compression,
        Metric::Halved,
        Metric::VisitsZero,
        Metric::VisitsAtMostOne,
        Metric::FullOnline,
        Metric::Errors,
        Metric::Stale,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Metric::Instant => "即办件率",
            Metric::Compression => "平均时限压缩率",
            Metric::Halved => "压缩50%以上事项占比",
            Metric::VisitsZero => "零跑动（不见面）占比",
            Metric::VisitsAtMostOne => "最多跑一次占比",
            Metric::FullOnline => "全程网办（深度Ⅳ）占比",
            Metric::Errors => "有错误的事项占比",
            Metric::Stale => "超过一年未复核的指南占比",
        }
    }

    /// How the figure is computed, shown beside it.
    pub fn definition(self) -> &'static str {
        match self {
            Metric::Instant => "即办件数 ÷ 已发布事项数",
            Metric::Compression => {
                "各事项 1 − 承诺时限 ÷ 法定时限（工作日按 7/5 折算为自然日）的平均；法定时限为 0 的事项不计"
            }
            Metric::Halved => "承诺时限不超过法定时限一半的事项 ÷ 法定时限大于 0 的事项",
            Metric::VisitsZero => "到现场 0 次的事项 ÷ 已发布事项数（官方“不见面率”按 ≤ 1 次计，掩盖了实情，故分开列出）",
            Metric::VisitsAtMostOne => "到现场不超过 1 次的事项 ÷ 已发布事项数",
            Metric::FullOnline => "网上办理深度为Ⅳ（全程网办）的事项 ÷ 已发布事项数",
            Metric::Errors => "发布时检查仍有错误的事项 ÷ 已发布事项数（越低越好）",
            Metric::Stale => "复核日期超过一年的事项 ÷ 已发布事项数（越低越好）",
        }
    }

    /// Whether a higher figure is better (the ranking puts the worst first).
    pub fn higher_is_better(self) -> bool {
        !matches!(self, Metric::Errors | Metric::Stale)
    }

    /// The figure for `tally` (0–1), `None` when nothing counts towards it.
    pub fn value(self, tally: &Tally) -> Option<f64> {
        match self {
            Metric::Instant => share(tally.instant, tally.items),
            Metric::Compression => {
                (tally.compressible > 0).then(|| tally.compression_sum / tally.compressible as f64)
            }
            Metric::Halved => share(tally.halved, tally.compressible),
            Metric::VisitsZero => share(tally.visits_zero, tally.items),
            Metric::VisitsAtMostOne => share(tally.visits_at_most_one, tally.items),
            Metric::FullOnline => share(tally.depth[4], tally.items),
            Metric::Errors => share(tally.with_errors, tally.items),
            Metric::Stale => share(tally.stale, tally.items),
        }
    }
}

/// A figure as people read it: "44.03%".
pub fn percent(value: Option<f64>) -> String {
    match value {
        Some(v) => format!("{:.2}%", v * 100.0),
        None => "—".to_string(),
    }
}

/// A hall or a department with its sums.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Group {
    /// Hall id, or the department's name.
    pub id: String,
    /// Hall name, or the department's name again.
    pub name: String,
    pub tally: Tally,
}

/// The dashboard's data: the whole catalog, each hall, each department.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MetricsReport {
    /// Catalog version the figures are of.
    pub version: u32,
    pub total: Tally,
    pub halls: Vec<Group>,
    pub departments: Vec<Group>,
    /// Published items not in the figures: published before the dashboard existed, they
    /// are counted once published again.
    #[serde(default)]
    pub uncounted: u64,
    /// The case metrics (办件指标) over the period asked for.
    #[serde(default)]
    pub cases: CaseReport,
}

/// One row of the query that adds items up: a hall, a department in it, and their sums.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HallDepartment {
    pub hall: String,
    pub department: String,
    pub tally: Tally,
}

impl MetricsReport {
    /// Adds the (hall, department) sums up per hall, per department and in total;
    /// `hall_name` names a hall id. Halls and departments come out by name.
    pub fn from_rows(
        version: u32,
        rows: &[HallDepartment],
        hall_name: impl Fn(&str) -> String,
    ) -> MetricsReport {
        let mut report = MetricsReport {
            version,
            ..MetricsReport::default()
        };
        for row in rows {
            report.total.add(&row.tally);
            add_to(
                &mut report.halls,
                &row.hall,
                || hall_name(&row.hall),
                &row.tally,
            );
            add_to(
                &mut report.departments,
                &row.department,
                || row.department.clone(),
                &row.tally,
            );
        }
        report.halls.sort_by(|a, b| a.name.cmp(&b.name));
        report.departments.sort_by(|a, b| a.name.cmp(&b.name));
        report
    }
}

fn add_to(groups: &mut Vec<Group>, id: &str, name: impl Fn() -> String, tally: &Tally) {
    match groups.iter_mut().find(|g| g.id == id) {
        Some(group) => group.tally.add(tally),
        None => groups.push(Group {
            id: id.to_string(),
            name: name(),
            tally: tally.clone(),
        }),
    }
}

/// `groups` by `metric`, the laggards first (lowest where higher is better); groups the
/// metric does not apply to go last. Ties keep the groups' order.
pub fn ranking(groups: &[Group], metric: Metric) -> Vec<(&Group, Option<f64>)> {
    let mut ranked: Vec<(&Group, Option<f64>)> =
        groups.iter().map(|g| (g, metric.value(&g.tally))).collect();
    ranked.sort_by(|a, b| match (a.1, b.1) {
        (Some(x), Some(y)) if metric.higher_is_better() => x.total_cmp(&y),
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    ranked
}

/// The plain mean of the groups' figures (each county counts once, as a prefecture's
/// "average" across its counties is computed), `None` when none applies.
pub fn mean_of(groups: &[Group], metric: Metric) -> Option<f64> {
    let values: Vec<f64> = groups
        .iter()
        .filter_map(|g| metric.value(&g.tally))
        .collect();
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// A name as a spreadsheet cell: a leading `'` where a spreadsheet would read a formula.
pub fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The report as a table for CSV export: one row for the whole catalog, then a row per
/// hall and per department; every metric a column, then the online depth mix. The case
/// metrics follow as a second table.
pub fn to_table(report: &MetricsReport) -> Table {
    let mut headers: Vec<String> = ["类别", "名称", "已发布事项数"]
        .map(str::to_string)
        .to_vec();
    headers.extend(Metric::ALL.iter().map(|m| m.label().to_string()));
    headers
        .extend(["网办深度Ⅰ", "网办深度Ⅱ", "网办深度Ⅲ", "网办深度Ⅳ", "无网办"].map(str::to_string));
    let row = |kind: &str, name: &str, tally: &Tally| {
        let mut row = vec![kind.to_string(), cell(name), tally.items.to_string()];
        row.extend(Metric::ALL.iter().map(|m| percent(m.value(tally))));
        row.extend([1, 2, 3, 4, 0].map(|d| tally.depth[d].to_string()));
        row
    };
    let mut rows = vec![row("全部", "全部已发布事项", &report.total)];
    rows.extend(
        report
            .halls
            .iter()
            .map(|h| row("服务中心", &h.name, &h.tally)),
    );
    rows.extend(
        report
            .departments
            .iter()
            .map(|d| row("部门", &d.name, &d.tally)),
    );
    // The case metrics below, after an empty line, with their own header row.
    if let (Some(from), Some(to)) = (report.cases.from, report.cases.to) {
        let width = headers.len();
        let pad = |mut row: Vec<String>| {
            row.resize(width.max(row.len()), String::new());
            row
        };
        rows.push(pad(Vec::new()));
        rows.push(pad(vec![format!("办件指标（{from} 至 {to} 受理的办件）")]));
        rows.extend(report.cases.table_rows().into_iter().map(pad));
    }
    Table { headers, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` items with the same facts, as one tally.
    fn items(n: u64, facts: ItemFacts) -> Tally {
        let mut tally = Tally::default();
        for _ in 0..n {
            tally.add(&Tally::of(&facts, false, false));
        }
        tally
    }

    const INSTANT: ItemFacts = ItemFacts {
        instant: true,
        compression: Some(1.0),
        visits: 0,
        depth: 4,
    };
    const PROMISED: ItemFacts = ItemFacts {
        instant: false,
        compression: Some(0.5),
        visits: 1,
        depth: 3,
    };

    fn row(hall: &str, department: &str, tally: Tally) -> HallDepartment {
        HallDepartment {
            hall: hall.into(),
            department: department.into(),
            tally,
        }
    }

    #[test]
    fn yizheng_after_rectification_is_44_03_percent_and_natural_resources_none() {
        // The seed's 仪征: 44.03% instant, 自然资源局's 59 items none of them instant.
        // 44.03% of 1,062 is no whole number of items: the export the figure came from
        // counted 1,056 (items being withdrawn are not counted).
        let mut rows = vec![row("yizheng", "自然资源局", items(59, PROMISED))];
        let mut others = items(465, INSTANT);
        others.add(&items(1_056 - 59 - 465, PROMISED));
        rows.push(row("yizheng", "其他部门", others));
        let report = MetricsReport::from_rows(3, &rows, |_| "仪征市政务服务中心".into());
        assert_eq!(report.total.items, 1_056);
        assert_eq!(percent(Metric::Instant.value(&report.total)), "44.03%");
        let ranked = ranking(&report.departments, Metric::Instant);
        assert_eq!(ranked[0].0.name, "自然资源局", "the laggard first");
        assert_eq!(percent(ranked[0].1), "0.00%");
        assert_eq!(report.halls.len(), 1);
        assert_eq!(report.halls[0].tally, report.total);
    }

    #[test]
    fn a_prefecture_average_is_the_mean_of_its_counties() {
        // 扬州 average 28.17%: the mean of the counties' rates, each county once.
        let county = |id: &str, instant: u64, total: u64| {
            let mut tally = items(instant, INSTANT);
            tally.add(&items(total - instant, PROMISED));
            Group {
                id: id.into(),
                name: id.into(),
                tally,
            }
        };
        let counties = [
            county("仪征", 4_403, 10_000),
            county("高邮", 2_000, 10_000),
            county("宝应", 2_048, 10_000),
        ];
        assert_eq!(percent(mean_of(&counties, Metric::Instant)), "28.17%");
    }

    #[test]
    fn compression_visits_and_depth_follow_the_items() {
        let mut item = crate::parse_item(include_str!("catalog/fixtures/item.json")).unwrap();
        item.kind = Kind::Promised;
        item.legal_limit = crate::TimeLimit {
            value: 20,
            unit: crate::DayUnit::WorkingDays,
        };
        item.promised_limit = crate::TimeLimit {
            value: 5,
            unit: crate::DayUnit::WorkingDays,
        };
        item.visits = 1;
        item.online_depth = Some(OnlineDepth::Iii);
        let facts = ItemFacts::of(&item);
        assert_eq!(facts.compression, Some(0.75));
        assert_eq!(facts.depth, 3);
        let tally = Tally::of(&facts, true, false);
        assert_eq!(Metric::Halved.value(&tally), Some(1.0));
        assert_eq!(Metric::VisitsZero.value(&tally), Some(0.0));
        assert_eq!(Metric::VisitsAtMostOne.value(&tally), Some(1.0));
        assert_eq!(Metric::Errors.value(&tally), Some(1.0));
        // A legal limit of 0 cannot be compressed: not counted either way.
        item.legal_limit.value = 0;
        assert_eq!(ItemFacts::of(&item).compression, None);
        assert_eq!(
            Metric::Compression.value(&Tally::of(&ItemFacts::of(&item), false, false)),
            None
        );
    }

    #[test]
    fn lower_is_better_for_errors_and_the_table_is_safe() {
        let clean = Group {
            id: "a".into(),
            name: "=HYPERLINK(\"x\")".into(),
            tally: Tally::of(&INSTANT, false, false),
        };
        let broken = Group {
            id: "b".into(),
            name: "交通局, 运管所".into(),
            tally: Tally::of(&INSTANT, true, true),
        };
        let groups = [clean.clone(), broken.clone()];
        assert_eq!(ranking(&groups, Metric::Errors)[0].0.id, "b");
        let report = MetricsReport {
            version: 1,
            total: Tally::default(),
            halls: vec![],
            departments: vec![clean, broken],
            uncounted: 0,
            cases: CaseReport::default(),
        };
        let table = to_table(&report);
        assert_eq!(table.headers[3], "即办件率");
        assert_eq!(table.rows[0][..4], ["全部", "全部已发布事项", "0", "—"]);
        assert_eq!(table.rows[1][1], "'=HYPERLINK(\"x\")", "no formula");
        assert_eq!(
            table.rows[2][..4],
            ["部门", "交通局, 运管所", "1", "100.00%"]
        );
        assert!(table.rows.iter().all(|r| r.len() == table.headers.len()));
    }
}
