//! The catalog (事项目录): items and their guides, codes, shape validation, opening
//! hours, search and diffs; here the halls, life events and a summary row per item.

pub mod code;
pub mod diff;
pub mod hours;
pub mod item;
pub mod manifest;
pub mod phones;
pub mod search;
pub mod validate;

#[cfg(test)]
mod tests;

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
}

/// 一件事: a life event bundling several items, handled in this order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// The catalog as served by `GET /api/v1/catalog`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// Catalog version; every publish makes a new one.
    pub version: u32,
    /// "YYYY-MM-DD" of the publish.
    pub published_at: String,
    pub halls: Vec<Hall>,
    pub life_events: Vec<LifeEvent>,
    pub items: Vec<CatalogEntry>,
}

impl Catalog {
    pub fn hall(&self, id: &str) -> Option<&Hall> {
        self.halls.iter().find(|h| h.id == id)
    }

    /// Items of one hall grouped by zone, zones in the hall's floor-plan order and any
    /// zone the hall does not list after them.
    pub fn by_zone<'a>(&'a self, hall: &'a Hall) -> Vec<(String, Vec<&'a CatalogEntry>)> {
        let mut zones: Vec<String> = hall.zones.clone();
        for entry in self.items.iter().filter(|e| e.hall == hall.id) {
            if !zones.contains(&entry.zone) {
                zones.push(entry.zone.clone());
            }
        }
        zones
            .into_iter()
            .map(|zone| {
                let items = self
                    .items
                    .iter()
                    .filter(|e| e.hall == hall.id && e.zone == zone)
                    .collect();
                (zone, items)
            })
            .filter(|(_, items): &(String, Vec<&CatalogEntry>)| !items.is_empty())
            .collect()
    }

    /// Items of every hall grouped by department, departments by item count (largest first).
    pub fn by_department(&self) -> Vec<(String, Vec<&CatalogEntry>)> {
        let mut groups: Vec<(String, Vec<&CatalogEntry>)> = Vec::new();
        for entry in &self.items {
            match groups.iter_mut().find(|(d, _)| *d == entry.department) {
                Some((_, items)) => items.push(entry),
                None => groups.push((entry.department.clone(), vec![entry])),
            }
        }
        groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
        groups
    }
}
