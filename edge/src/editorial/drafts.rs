//! Drafts: the staff's working copy over the published catalog — the item list (paged,
//! filtered and searched in the office's index), one item as published and as drafted,
//! saving a draft (a newer draft or a newer publish comes back side by side as a
//! conflict) and discarding one. Every request reads a bounded number of keys whatever the
//! catalog's size.

use worker::Request;
use zhinan_domain::accounts::StaffUser;
use zhinan_domain::api::staff::{Draft, DraftConflict, SaveDraft, StaffItem, StaffItemPage};
use zhinan_domain::api::ApiError;
use zhinan_domain::catalog::diff::diff_items;
use zhinan_domain::catalog::manifest::ItemSummary;
use zhinan_domain::lint::{lint_item, Finding, LintContext};
use zhinan_domain::{validate_item, Item};

use super::common::{body_of, forbidden, json, no_content, parse_code, query_param, Answer};
use super::index::Filter;
use super::office::Office;
use crate::clock;
use crate::respond::Failure;
use crate::store::CatalogStore;

/// Rows per page of the item list, by default and at most.
const PAGE: usize = 50;
const MAX_PAGE: usize = 200;

impl Office {
    /// The published form of an item the index knows: one read, by its content hash.
    async fn published_of(
        &self,
        summary: Option<&ItemSummary>,
    ) -> std::result::Result<Option<Item>, Failure> {
        match summary.and_then(|s| s.hash.as_deref()) {
            Some(hash) => Ok(Some(
                CatalogStore::open(&self.env)?.item_by_hash(hash).await?,
            )),
            None => Ok(None),
        }
    }

    /// Lints `item` against its namesakes in other halls, from the index.
    pub(super) async fn lint(&self, item: &Item) -> std::result::Result<Vec<Finding>, Failure> {
        let peers = self.index().await?.peers(std::iter::once(item))?;
        Ok(lint_item(
            item,
            &LintContext {
                today: clock::today(),
                peers,
            },
        ))
    }

    /// `GET /api/v1/staff/items?department=&hall=&zone=&status=&q=&after=&limit=`.
    pub(super) async fn items(&self, user: &StaffUser, req: &Request) -> Answer {
        let param = |name: &str| query_param(req, name).filter(|v| !v.trim().is_empty());
        let mut filter = Filter {
            department: param("department"),
            hall: param("hall"),
            zone: param("zone"),
            status: param("status"),
            text: param("q").map(|q| q.trim().to_string()),
            rule: param("rule"),
        };
        if let Some(rule) = &filter.rule {
            if !zhinan_domain::RULES.iter().any(|r| r.id == rule) {
                return Err(Failure::bad_request(
                    "bad_rule",
                    format!("没有编号为 {rule} 的检查规则"),
                    "rule",
                ));
            }
        }
        if let Some(scope) = user.list_scope() {
            // Editors list their own department's items only.
            filter.department = Some(scope.to_string());
        }
        if let Some(status) = &filter.status {
            let known = ["errors", "warnings", "clean", "draft", "new", "withdrawn"];
            if !known.contains(&status.as_str()) {
                return Err(Failure::bad_request(
                    "bad_status",
                    format!("status 应为 {} 之一", known.join("、")),
                    "status",
                ));
            }
        }
        let limit = param("limit")
            .and_then(|l| l.parse().ok())
            .unwrap_or(PAGE)
            .clamp(1, MAX_PAGE);
        let after = param("after").unwrap_or_default();
        let (mut rows, total) = self.index().await?.page(&filter, &after, limit)?;
        for row in &mut rows {
            row.editable = user.can_edit_in(&row.department);
        }
        let next = (rows.len() == limit)
            .then(|| rows.last().map(|r| r.code.clone()))
            .flatten();
        json(&StaffItemPage { rows, total, next }, 200)
    }

    pub(super) async fn item(&self, user: &StaffUser, code: &str) -> Answer {
        let code = parse_code(code)?;
        let index = self.index().await?;
        let draft = index.draft(code.as_str())?;
        let published = self
            .published_of(index.summary(code.as_str())?.as_ref())
            .await?;
        let Some(basis) = draft.as_ref().map(|d| d.item.clone()).or(published.clone()) else {
            return Err(Failure::not_found(
                "no_item",
                format!("没有编码为 {code} 的事项"),
            ));
        };
        if !user.can_list(&basis) {
            return Err(forbidden("只能查看本部门的事项"));
        }
        let findings = self.lint(&basis).await?;
        json(
            &StaffItem {
                editable: user.can_edit(&basis),
                published,
                draft,
                findings,
            },
            200,
        )
    }

    pub(super) async fn save_draft(&self, user: &StaffUser, code: &str, text: &str) -> Answer {
        let code = parse_code(code)?;
        let body: SaveDraft = body_of(text)?;
        if body.item.code != code.as_str() {
            return Err(Failure::bad_request(
                "bad_body",
                "事项编码不能修改",
                "item.code",
            ));
        }
        let errors = validate_item(&body.item);
        if let Some(first) = errors.first() {
            let mut error = ApiError::new(
                "invalid_item",
                format!("{}：{}", first.field, first.message),
            );
            error.fields = errors.into_iter().map(|e| e.into()).collect();
            return Err(Failure::BadRequest(error));
        }
        let index = self.index().await?;
        // The catalog's halls, from the index: its summary is large at 20,000 items.
        if !index.has_hall(&body.item.hall)? {
            return Err(Failure::bad_request(
                "bad_body",
                "没有这个服务中心",
                "item.hall",
            ));
        }
        let summary = index.summary(code.as_str())?;
        let published = self.published_of(summary.as_ref()).await?;
        let existing = index.draft(code.as_str())?;
        // Both the item as it is and the item as edited must be this editor's department.
        let before = existing.as_ref().map(|d| &d.item).or(published.as_ref());
        if before.is_some_and(|b| !user.can_edit(b)) || !user.can_edit(&body.item) {
            return Err(forbidden("只能编辑本部门的事项"));
        }
        if let Some(theirs) = &existing {
            if body.base_rev != Some(theirs.rev) {
                let conflict = DraftConflict {
                    error: format!(
                        "{} 已于 {} 保存了新的草稿，请对照后再保存",
                        theirs.saved_by, theirs.saved_at
                    ),
                    code: "draft_conflict".into(),
                    changes: diff_items(&theirs.item, &body.item),
                    yours: body.item,
                    theirs: theirs.clone(),
                };
                return json(&conflict, 409);
            }
        } else if body.base_rev.is_some() {
            return Err(Failure::conflict(
                "draft_gone",
                "草稿已被发布或丢弃，请重新打开事项",
            ));
        } else if let Some(current) = published.as_ref().filter(|p| p.version > body.item.version) {
            // Edited from an older publish: saving it would silently undo the newer one.
            let conflict = DraftConflict {
                error: format!(
                    "该事项已发布第 {} 版（您编辑的是第 {} 版），请对照后再保存",
                    current.version, body.item.version
                ),
                code: "published_since".into(),
                changes: diff_items(current, &body.item),
                yours: body.item,
                theirs: Draft {
                    item: current.clone(),
                    rev: 0,
                    saved_by: "已发布版本".into(),
                    saved_at: String::new(),
                    findings: Vec::new(),
                },
            };
            return json(&conflict, 409);
        }
        let mut item = body.item;
        if let Some(current) = &published {
            // The draft carries the published version it was based on.
            item.version = current.version;
        }
        let findings = self.lint(&item).await?;
        let draft = Draft {
            rev: existing.as_ref().map(|d| d.rev + 1).unwrap_or(1),
            item,
            saved_by: user.username.clone(),
            saved_at: clock::now_timestamp(),
            findings,
        };
        let hash = summary.and_then(|s| s.hash);
        index.put_draft(&draft, &ItemSummary::of(&draft.item, hash, &draft.findings))?;
        let detail = match &published {
            Some(p) => format!("{} 处修改", diff_items(p, &draft.item).len()),
            None => "新事项".into(),
        };
        self.audit(
            &user.username,
            "save_draft",
            code.as_str(),
            format!("草稿第 {} 版，{detail}", draft.rev),
        )
        .await?;
        json(&draft, 200)
    }

    pub(super) async fn discard_draft(&self, user: &StaffUser, code: &str) -> Answer {
        let code = parse_code(code)?;
        let index = self.index().await?;
        let Some(draft) = index.draft(code.as_str())? else {
            return Err(Failure::not_found("no_draft", "没有草稿"));
        };
        if !user.can_edit(&draft.item) {
            return Err(forbidden("只能编辑本部门的事项"));
        }
        index.delete_draft(code.as_str())?;
        self.audit(
            &user.username,
            "discard_draft",
            code.as_str(),
            format!("丢弃草稿第 {} 版", draft.rev),
        )
        .await?;
        no_content()
    }
}
