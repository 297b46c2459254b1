//! Drafts: the staff's working copy over the published catalog — the item list with lint
//! status, one item as published and as drafted, saving a draft (conflicts with a newer
//! one come back side by side) and discarding one.

use std::collections::HashMap;

use zhinan_domain::accounts::StaffUser;
use zhinan_domain::api::staff::{Draft, DraftConflict, SaveDraft, StaffItem, StaffItemRow};
use zhinan_domain::api::ApiError;
use zhinan_domain::catalog::diff::diff_items;
use zhinan_domain::lint::{lint_item, LintContext, PeerLimit, Severity};
use zhinan_domain::{validate_item, Catalog, Item, ItemCode};

use super::common::{body_of, forbidden, json, no_content, parse_code, Answer};
use super::office::Office;
use crate::clock;
use crate::respond::Failure;
use crate::store::CatalogStore;

/// Drafts of codes the published catalog does not have (new items), by code.
pub(super) fn new_item_drafts<'a>(
    drafts: &'a HashMap<String, Draft>,
    published: &[Item],
) -> Vec<&'a Draft> {
    let mut new: Vec<&Draft> = drafts
        .values()
        .filter(|d| !published.iter().any(|p| p.code == d.item.code))
        .collect();
    new.sort_by(|a, b| a.item.code.cmp(&b.item.code));
    new
}

impl Office {
    /// The published catalog and its items.
    pub(super) async fn published(
        &self,
    ) -> std::result::Result<(u32, std::rc::Rc<Catalog>, Vec<Item>), Failure> {
        let store = CatalogStore::open(&self.env)?;
        let version = store.current_version().await?;
        let catalog = store.catalog(version).await?;
        let mut items = Vec::with_capacity(catalog.items.len());
        for entry in &catalog.items {
            let code =
                ItemCode::parse(&entry.code).map_err(|e| Failure::Unavailable(e.to_string()))?;
            if let Some(item) = store.item(version, &code).await? {
                items.push(item);
            }
        }
        Ok((version, catalog, items))
    }

    pub(super) async fn drafts(&self) -> std::result::Result<HashMap<String, Draft>, Failure> {
        Ok(self
            .list::<Draft>("draft:")
            .await?
            .into_iter()
            .map(|d| (d.item.code.clone(), d))
            .collect())
    }

    fn lint_context(items: &[Item]) -> LintContext {
        LintContext {
            today: clock::today(),
            peers: items.iter().map(PeerLimit::from).collect(),
        }
    }

    pub(super) async fn items(&self, user: &StaffUser) -> Answer {
        let (_, _, items) = self.published().await?;
        let drafts = self.drafts().await?;
        let ctx = Self::lint_context(&items);
        // Published items, then new items that exist only as drafts.
        let new_items = new_item_drafts(&drafts, &items)
            .into_iter()
            .map(|d| (&d.item, true));
        let rows: Vec<StaffItemRow> = items
            .iter()
            .map(|i| (i, false))
            .chain(new_items)
            .filter(|(i, _)| user.can_list(i))
            .map(|(base, is_new)| {
                let draft = drafts.get(&base.code);
                let current = draft.map(|d| &d.item).unwrap_or(base);
                let findings = lint_item(current, &ctx);
                StaffItemRow {
                    code: base.code.clone(),
                    name: current.name.clone(),
                    department: current.department.clone(),
                    hall: current.hall.clone(),
                    editable: user.can_edit(base),
                    has_draft: draft.is_some(),
                    is_new,
                    errors: findings
                        .iter()
                        .filter(|f| f.severity == Severity::Error)
                        .count(),
                    warnings: findings
                        .iter()
                        .filter(|f| f.severity == Severity::Warning)
                        .count(),
                    withdrawn: current.withdrawn.is_some(),
                }
            })
            .collect();
        json(&rows, 200)
    }

    pub(super) async fn item(&self, user: &StaffUser, code: &str) -> Answer {
        let code = parse_code(code)?;
        let (_, _, items) = self.published().await?;
        let published = items.iter().find(|i| i.code == code.as_str()).cloned();
        let draft: Option<Draft> = self.get(&format!("draft:{code}")).await?;
        let Some(basis) = draft.as_ref().map(|d| d.item.clone()).or(published.clone()) else {
            return Err(Failure::not_found(
                "no_item",
                format!("没有编码为 {code} 的事项"),
            ));
        };
        if !user.can_list(&basis) {
            return Err(forbidden("只能查看本部门的事项"));
        }
        let findings = lint_item(&basis, &Self::lint_context(&items));
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
        let (_, catalog, items) = self.published().await?;
        if !catalog.halls.iter().any(|h| h.id == body.item.hall) {
            return Err(Failure::bad_request(
                "bad_body",
                "没有这个服务中心",
                "item.hall",
            ));
        }
        let published = items.iter().find(|i| i.code == code.as_str());
        let existing: Option<Draft> = self.get(&format!("draft:{code}")).await?;
        // Both the item as it is and the item as edited must be this editor's department.
        let before = existing.as_ref().map(|d| &d.item).or(published);
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
        }
        let findings = lint_item(&body.item, &Self::lint_context(&items));
        let draft = Draft {
            rev: existing.as_ref().map(|d| d.rev + 1).unwrap_or(1),
            item: body.item,
            saved_by: user.username.clone(),
            saved_at: clock::now_timestamp(),
            findings,
        };
        self.put(&format!("draft:{code}"), &draft).await?;
        let detail = match published {
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
        let Some(draft) = self.get::<Draft>(&format!("draft:{code}")).await? else {
            return Err(Failure::not_found("no_draft", "没有草稿"));
        };
        if !user.can_edit(&draft.item) {
            return Err(forbidden("只能编辑本部门的事项"));
        }
        self.state
            .storage()
            .delete(&format!("draft:{code}"))
            .await?;
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
