//! The save conflict: someone saved the draft first. Both versions side by side, and the
//! choice between taking theirs and keeping mine; nothing typed is lost meanwhile.

use leptos::prelude::*;
use zhinan_domain::api::staff::DraftConflict;
use zhinan_domain::catalog::diff::diff_items;

use crate::changes::ChangesTable;

#[component]
pub fn ConflictView(
    conflict: DraftConflict,
    on_take_theirs: Callback<()>,
    on_overwrite: Callback<u64>,
) -> impl IntoView {
    let theirs = conflict.theirs.clone();
    let changes = diff_items(&theirs.item, &conflict.yours);
    let rev = theirs.rev;
    view! {
        <section class="conflict" role="alert" aria-labelledby="conflict-title" data-testid="conflict">
            <h2 id="conflict-title">"保存冲突：有人先保存了这份草稿"</h2>
            <p>
                {format!(
                    "{}于{}保存了第{}次修改。下表左侧是对方保存的内容，右侧是您的内容；您的修改尚未保存，不会丢失。",
                    theirs.saved_by, theirs.saved_at, theirs.rev,
                )}
            </p>
            <ChangesTable
                changes
                before_label=format!("对方的版本（{}）", theirs.saved_by)
                after_label="您的版本".to_string()
            />
            <div class="actions">
                <button type="button" class="btn" on:click=move |_| on_take_theirs.run(())>
                    "采用对方的版本（放弃我的修改）"
                </button>
                <button type="button" class="btn btn-primary" on:click=move |_| on_overwrite.run(rev)>
                    "保留我的版本（覆盖对方的修改）"
                </button>
            </div>
        </section>
    }
}
