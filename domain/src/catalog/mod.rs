//! The catalog (事项目录): items and their guides, codes, shape validation, opening
//! hours, search and diffs; here the halls, life events and a summary row per item.

pub mod code;
pub mod diff;
pub mod hours;
pub mod item;
pub mod manifest;
pub mod phones;
pub mod poster;
pub mod search;
pub mod sections;
pub mod sheet;
pub mod structured;
pub mod validate;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use item::{Item, Kind, Level, Serves, TimeLimit};

/// A service hall (政务服务中心 / 便民服务中心 / 党群服务中心).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hall {
    pub id: String,
    pub name: String,
    pub level: Level,
    pub address: String,
    pub phone: String,
    /// Zones in the order they appear on the hall's floor plan.
    pub zones: Vec<String>,
    /// The county-level hall a township or village hall belongs to; `None` for a county
    /// hall. A citizen's search covers the county: its hall and the halls under it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub county: Option<String>,
    /// The township hall a village service point takes its 代办 files to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub township: Option<String>,
    /// Opening hours, as an item's place gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hours: Vec<item::HoursSpan>,
}

impl Hall {
    /// The id of the county-level hall whose search area this hall is in.
    pub fn area(&self) -> &str {
        self.county.as_deref().unwrap_or(&self.id)
    }

    /// The halls a village agent here may take files to: its township's, then its
    /// county's. Empty for a hall that is not a village service point.
    pub fn proxy_targets(&self) -> Vec<&str> {
        if self.level != Level::Village {
            return Vec::new();
        }
        self.township
            .as_deref()
            .into_iter()
            .chain(self.county.as_deref())
            .collect()
    }

    /// What a guide of an item of this hall lists of its village points: at most
    /// `shown`, and how many more there are.
    pub fn village_points_shown(&self, halls: &[Hall], shown: usize) -> (Vec<Hall>, u32) {
        let all = self.village_points(halls);
        let more = all.len().saturating_sub(shown) as u32;
        (all.into_iter().take(shown).cloned().collect(), more)
    }

    /// The village service points whose agents take files to this hall: a township's
    /// own villages, every village of a county. The county's list can be long, so the
    /// villages of townships come in the order the hall list gives.
    pub fn village_points<'a>(&self, halls: &'a [Hall]) -> Vec<&'a Hall> {
        halls
            .iter()
            .filter(|h| h.level == Level::Village)
            .filter(|village| match self.level {
                Level::Township => village.township.as_deref() == Some(self.id.as_str()),
                Level::County => village.area() == self.id,
                Level::Village => false,
            })
            .collect()
    }
}

/// 一件事: a life event bundling several items, handled in this order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifeEvent {
    pub id: String,
    pub name: String,
    pub summary: String,
    pub items: Vec<String>,
}

/// One row of the catalog list: enough to browse and pick an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogEntry {
    pub code: String,
    pub name: String,
    pub department: String,
    pub level: Level,
    pub hall: String,
    pub zone: String,
    pub kind: Kind,
    pub serves: Serves,
    pub promised_limit: TimeLimit,
    pub visits: u8,
}

impl From<&Item> for CatalogEntry {
    fn from(item: &Item) -> Self {
        CatalogEntry {
            code: item.code.clone(),
            name: item.name.clone(),
            department: item.department.clone(),
            level: item.level,
            hall: item.hall.clone(),
            zone: item.zone.clone(),
            kind: item.kind,
            serves: item.serves,
            promised_limit: item.promised_limit,
            visits: item.visits,
        }
    }
}

/// The hall whose county a citizen's search covers: the hall `hall` names, or the only
/// county-level hall of `halls`. `Err` with the counties to choose from when neither.
pub fn search_scope<'a>(halls: &'a [Hall], hall: Option<&str>) -> Result<&'a Hall, Vec<&'a Hall>> {
    if let Some(named) = hall.and_then(|id| halls.iter().find(|h| h.id == id)) {
        return Ok(named);
    }
    let counties: Vec<&Hall> = halls.iter().filter(|h| h.county.is_none()).collect();
    match counties.as_slice() {
        [only] => Ok(only),
        _ => Err(counties),
    }
}

/// A hall's place in a catalog version: where its rows are and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HallSection {
    /// Content hash of the hall's rows (`rows:{hash}`, a [`Vec<CatalogEntry>`]).
    pub rows: String,
    pub count: u32,
}

/// The summary of one catalog version (`catalog:v{N}`): halls, life events, and where each
/// hall's rows and each county's search index are stored. It never holds the items, so
/// its size follows the number of halls, not of items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// Catalog version; every publish makes a new one.
    pub version: u32,
    /// "YYYY-MM-DD" of the publish.
    pub published_at: String,
    pub halls: Vec<Hall>,
    pub life_events: Vec<LifeEvent>,
    /// By hall id (including a hall an item names that `halls` lacks).
    pub sections: BTreeMap<String, HallSection>,
    /// By area (county hall id): content hash of its search index (`find:{hash}`).
    pub search: BTreeMap<String, String>,
}

impl Catalog {
    pub fn hall(&self, id: &str) -> Option<&Hall> {
        self.halls.iter().find(|h| h.id == id)
    }

    /// The search area of a hall id (an id the catalog does not know is its own area).
    pub fn area_of<'a>(&'a self, hall: &'a str) -> &'a str {
        self.hall(hall).map_or(hall, Hall::area)
    }

    /// Items in the catalog.
    pub fn total(&self) -> u32 {
        self.sections.values().map(|s| s.count).sum()
    }

    /// Hall ids in paging order: the halls as listed, then any other hall items name.
    pub fn hall_order(&self) -> Vec<&str> {
        let mut order: Vec<&str> = self.halls.iter().map(|h| h.id.as_str()).collect();
        for id in self.sections.keys() {
            if !order.contains(&id.as_str()) {
                order.push(id);
            }
        }
        order
    }

    /// Items in one hall.
    pub fn count_of(&self, hall: &str) -> u32 {
        self.sections.get(hall).map_or(0, |s| s.count)
    }
}

/// What citizen pages need of a version's summary: the halls with their item counts
/// (`counts[i]` is `halls[i]`'s) and the life events, without the storage hashes — the app
/// deserializes this, and maps of hashes would only add code to its bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    pub version: u32,
    pub published_at: String,
    pub halls: Vec<Hall>,
    pub counts: Vec<u32>,
    pub life_events: Vec<LifeEvent>,
}

impl Directory {
    pub fn of(catalog: &Catalog) -> Directory {
        Directory {
            version: catalog.version,
            published_at: catalog.published_at.clone(),
            halls: catalog.halls.clone(),
            counts: catalog
                .halls
                .iter()
                .map(|h| catalog.count_of(&h.id))
                .collect(),
            life_events: catalog.life_events.clone(),
        }
    }

    pub fn hall(&self, id: &str) -> Option<&Hall> {
        self.halls.iter().find(|h| h.id == id)
    }

    /// Items in one hall.
    pub fn count_of(&self, id: &str) -> u32 {
        self.halls
            .iter()
            .position(|h| h.id == id)
            .and_then(|at| self.counts.get(at).copied())
            .unwrap_or(0)
    }

    /// Items in the listed halls.
    pub fn total(&self) -> u32 {
        self.counts.iter().sum()
    }

    /// The search areas, each as its county hall (listing order), with their item counts.
    pub fn areas(&self) -> Vec<(&Hall, u32)> {
        self.halls
            .iter()
            .filter(|h| h.county.is_none())
            .map(|county| {
                let count = self
                    .halls
                    .iter()
                    .zip(&self.counts)
                    .filter(|(h, _)| h.area() == county.id)
                    .map(|(_, n)| n)
                    .sum();
                (county, count)
            })
            .collect()
    }
}

/// One hall's rows, grouped for its home page.
pub struct HallRows<'a> {
    pub hall: &'a Hall,
    pub rows: &'a [CatalogEntry],
}

impl<'a> HallRows<'a> {
    /// The hall's items grouped by zone, zones in the hall's floor-plan order and any
    /// zone the hall does not list after them.
    pub fn by_zone(&self) -> Vec<(String, Vec<&'a CatalogEntry>)> {
        let mut zones: Vec<String> = self.hall.zones.clone();
        for entry in self.rows {
            if !zones.contains(&entry.zone) {
                zones.push(entry.zone.clone());
            }
        }
        zones
            .into_iter()
            .map(|zone| {
                let items = self.rows.iter().filter(|e| e.zone == zone).collect();
                (zone, items)
            })
            .filter(|(_, items): &(String, Vec<&CatalogEntry>)| !items.is_empty())
            .collect()
    }

    /// The hall's items grouped by department, departments by item count (largest first).
    pub fn by_department(&self) -> Vec<(String, Vec<&'a CatalogEntry>)> {
        let mut groups: Vec<(String, Vec<&CatalogEntry>)> = Vec::new();
        for entry in self.rows {
            match groups.iter_mut().find(|(d, _)| *d == entry.department) {
                Some((_, items)) => items.push(entry),
                None => groups.push((entry.department.clone(), vec![entry])),
            }
        }
        groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
        groups
    }
}
