//! Publishing: the drafts become a new catalog version in KV, refused while the changed
//! items have lint errors or unacknowledged warnings. Every key of the new version is
//! written before `meta:current` moves to it.

use std::collections::HashMap;

use worker::Request;
use zhinan_domain::accounts::{Role, StaffUser};
use zhinan_domain::api::staff::{ItemFindings, PublishRefused, PublishRequest, VersionInfo};
use zhinan_domain::catalog::search::{build_index, SearchIndex};
use zhinan_domain::lint::{lint_catalog, Finding, Severity};
use zhinan_domain::{Catalog, CatalogEntry, Item};

use super::common::{body_of, forbidden, json, Answer};
use super::drafts::new_item_drafts;
use super::office::Office;
use crate::clock;
use crate::respond::Failure;

impl Office {
    /// Publishes the drafts as a new catalog version.
    pub(super) async fn publish(&self, user: &StaffUser, req: &Request, text: &str) -> Answer {
        if user.role != Role::Admin {
            return Err(forbidden("只有中心管理员可以发布"));
        }
        let request: PublishRequest = body_of(text)?;
        let fault_after: Option<usize> = self
            .env
            .var("FAULT_INJECTION")
            .ok()
            .filter(|v| v.to_string() == "1")
            .and_then(|_| req.headers().get("X-Fault-After-Writes").ok().flatten())
            .and_then(|v| v.parse().ok());
        let (current, catalog, published) = self.published().await?;
        let drafts = self.drafts().await?;
        if drafts.is_empty() {
            return Err(Failure::conflict("nothing_to_publish", "没有待发布的草稿"));
        }
        let today = clock::today().to_string();
        let mut changed = Vec::new();
        let mut items: Vec<Item> = published
            .iter()
            .map(|p| match drafts.get(&p.code) {
                Some(d) => {
                    changed.push(p.code.clone());
                    let mut item = d.item.clone();
                    item.version = p.version + 1;
                    item.updated_at = today.clone();
                    item
                }
                None => p.clone(),
            })
            .collect();
        // New items join at version 1.
        for draft in new_item_drafts(&drafts, &published) {
            changed.push(draft.item.code.clone());
            let mut item = draft.item.clone();
            item.version = 1;
            item.updated_at = today.clone();
            items.push(item);
        }
        let report = lint_catalog(&items, clock::today(), &[]);
        let findings_of = |severity: Severity| -> Vec<ItemFindings> {
            report
                .iter()
                .filter(|(code, _)| changed.contains(code))
                .filter_map(|(code, findings)| {
                    let picked: Vec<Finding> = findings
                        .iter()
                        .filter(|f| f.severity == severity)
                        .cloned()
                        .collect();
                    (!picked.is_empty()).then(|| ItemFindings {
                        code: code.clone(),
                        name: items
                            .iter()
                            .find(|i| &i.code == code)
                            .map(|i| i.name.clone())
                            .unwrap_or_default(),
                        findings: picked,
                    })
                })
                .collect()
        };
        let errors = findings_of(Severity::Error);
        let warnings = findings_of(Severity::Warning);
        if !errors.is_empty() || (!warnings.is_empty() && !request.acknowledge_warnings) {
            let error = if errors.is_empty() {
                "有提醒尚未确认：请阅读后勾选“已知晓”再发布".to_string()
            } else {
                format!("{} 个事项仍有错误，不能发布", errors.len())
            };
            let code = if errors.is_empty() {
                "warnings_unacknowledged"
            } else {
                "lint_errors"
            };
            return json(
                &PublishRefused {
                    error,
                    code: code.into(),
                    errors,
                    warnings,
                },
                409,
            );
        }

        let version = self.latest(current).await? + 1;
        let kv = self.env.kv("CATALOG")?;
        let mut writes = 0usize;
        let mut write = |key: String, value: String| {
            writes += 1;
            let stop = fault_after.is_some_and(|n| writes > n);
            (key, value, stop)
        };
        // 1. Every key of the new version; readers cannot see any of it yet.
        let mut pending: Vec<(String, String, bool)> = items
            .iter()
            .map(|item| {
                write(
                    format!("item:v{version}:{}", item.code),
                    serde_json::to_string(item).unwrap_or_default(),
                )
            })
            .collect();
        let new_catalog = Catalog {
            version,
            published_at: today.clone(),
            halls: catalog.halls.clone(),
            life_events: catalog.life_events.clone(),
            items: items.iter().map(CatalogEntry::from).collect(),
        };
        pending.push(write(
            format!("catalog:v{version}"),
            serde_json::to_string(&new_catalog).unwrap_or_default(),
        ));
        let index = self.search_index(&items, version, current).await?;
        pending.push(write(
            format!("search:v{version}"),
            serde_json::to_string(&index).unwrap_or_default(),
        ));
        for (key, value, stop) in pending {
            if stop {
                self.audit(
                    &user.username,
                    "publish_interrupted",
                    &version.to_string(),
                    format!("写入 {key} 前中断"),
                )
                .await?;
                return Err(Failure::Unavailable(format!(
                    "publish interrupted before {key} (fault injection)"
                )));
            }
            kv.put(&key, value)?.execute().await?;
        }
        // 2. The one write that makes it visible.
        kv.put("meta:current", version.to_string())?
            .execute()
            .await?;
        self.put("latest_version", &version).await?;
        for code in &changed {
            self.state
                .storage()
                .delete(&format!("draft:{code}"))
                .await?;
        }
        let info = VersionInfo {
            version,
            published_at: clock::now_timestamp(),
            published_by: user.username.clone(),
            note: request.note.filter(|n| !n.trim().is_empty()),
            changed: changed.clone(),
            items: items.len(),
        };
        self.put(&format!("version:{version:08}"), &info).await?;
        self.audit(
            &user.username,
            "publish",
            &version.to_string(),
            format!("基于第 {current} 版，修改 {}", changed.join("、")),
        )
        .await?;
        json(&info, 200)
    }

    /// The search index of the new version. Pinyin comes from the seed's table
    /// (`pinyin:table`, written at seed time) so no pinyin data ships in the worker.
    async fn search_index(
        &self,
        items: &[Item],
        version: u32,
        current: u32,
    ) -> std::result::Result<SearchIndex, Failure> {
        let kv = self.env.kv("CATALOG")?;
        let table: HashMap<char, String> = match kv.get("pinyin:table").text().await? {
            Some(text) => serde_json::from_str::<HashMap<String, String>>(&text)
                .map_err(|e| Failure::Unavailable(format!("pinyin:table: {e}")))?
                .into_iter()
                .filter_map(|(k, v)| Some((k.chars().next()?, v)))
                .collect(),
            None => {
                worker::console_warn!(
                    "pinyin:table missing; search v{version} built from v{current}'s pinyin only"
                );
                HashMap::new()
            }
        };
        Ok(build_index(items, version, |c| table.get(&c).cloned()))
    }
}
