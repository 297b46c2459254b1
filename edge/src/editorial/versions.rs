//! Versions: the list of published catalog versions, the diff of one item between two
//! versions (or a version and its draft), and rollback, which points `meta:current` back
//! at an older version.

use worker::Request;
use zhinan_domain::accounts::{Role, StaffUser};
use zhinan_domain::api::staff::{RollbackRequest, VersionInfo, Versions};
use zhinan_domain::catalog::diff::diff_items;
use zhinan_domain::catalog::manifest::CURRENT_KEY;
use zhinan_domain::{Item, ItemCode};

use super::common::{body_of, forbidden, json, parse_code, query_param, Answer};
use super::office::Office;
use crate::respond::Failure;
use crate::store::CatalogStore;

/// Versions listed.
const RECENT: usize = 50;

impl Office {
    async fn item_at(&self, code: &ItemCode, which: &str) -> std::result::Result<Item, Failure> {
        if which == "draft" {
            return self
                .index()
                .await?
                .draft(code.as_str())?
                .map(|d| d.item)
                .ok_or_else(|| Failure::not_found("no_draft", "没有草稿"));
        }
        let version: u32 = which
            .parse()
            .map_err(|_| Failure::bad_request("bad_version", "版本应为数字或 draft", "from"))?;
        CatalogStore::open(&self.env)?
            .item(version, code)
            .await?
            .ok_or_else(|| Failure::not_found("no_item", format!("第 {version} 版中没有该事项")))
    }

    pub(super) async fn diff(&self, user: &StaffUser, code: &str, req: &Request) -> Answer {
        let code = parse_code(code)?;
        let current = self.current_version().await?.to_string();
        let from = query_param(req, "from").unwrap_or_else(|| current.clone());
        let to = query_param(req, "to").unwrap_or_else(|| "draft".into());
        let before = self.item_at(&code, &from).await?;
        let after = self.item_at(&code, &to).await?;
        // The item read's permission, on both sides: a diff shows a draft's content.
        if !user.can_list(&before) || !user.can_list(&after) {
            return Err(forbidden("只能查看本部门的事项"));
        }
        json(&diff_items(&before, &after), 200)
    }

    pub(super) async fn latest(&self, current: u32) -> std::result::Result<u32, Failure> {
        Ok(self
            .get::<u32>("latest_version")
            .await?
            .unwrap_or(current)
            .max(current))
    }

    pub(super) async fn versions(&self) -> Answer {
        let current = self.current_version().await?;
        // The latest versions, newest first; the list stays short however many there are.
        let mut versions: Vec<VersionInfo> = self.list_recent("version:", RECENT).await?;
        versions.reverse();
        if versions.len() < RECENT && !versions.iter().any(|v| v.version == 1) {
            versions.insert(
                0,
                VersionInfo {
                    version: 1,
                    published_at: String::new(),
                    published_by: "初始目录（导入）".into(),
                    note: None,
                    changed: Vec::new(),
                    items: 0,
                },
            );
        }
        versions.reverse();
        json(&Versions { current, versions }, 200)
    }

    pub(super) async fn rollback(&self, user: &StaffUser, text: &str) -> Answer {
        if user.role != Role::Admin {
            return Err(forbidden("只有中心管理员可以回退"));
        }
        let body: RollbackRequest = body_of(text)?;
        let store = CatalogStore::open(&self.env)?;
        let current = self.current_version().await?;
        if store.catalog(body.version).await.is_err() {
            return Err(Failure::bad_request(
                "bad_body",
                format!("没有第 {} 版", body.version),
                "version",
            ));
        }
        let latest = self.latest(current).await?;
        self.put("latest_version", &latest).await?;
        // The office's index follows: the items published in between get their summaries
        // as of that version.
        self.index().await?.restore(current, body.version)?;
        crate::ops::one();
        self.env
            .kv("CATALOG")?
            .put(CURRENT_KEY, body.version.to_string())?
            .execute()
            .await?;
        crate::store::remember_version(body.version);
        self.set_current_version(body.version).await?;
        self.audit(
            &user.username,
            "rollback",
            &body.version.to_string(),
            format!("从第 {current} 版回退"),
        )
        .await?;
        self.versions().await
    }
}
