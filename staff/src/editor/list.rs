//! The one editor of the item's repeated groups (conditions, materials, steps, fee items,
//! office hours, FAQ, legal basis): rows added, removed and moved up and down with the
//! same buttons, ids and labels everywhere. A group says only where its list lives, what
//! a new row holds and how one row's fields look.

use leptos::prelude::*;
use zhinan_domain::{FieldPath, Item};

use super::fields::{field_id, hints, Ed};
use crate::widgets::focus;

/// Where a repeated group lives in the item and what its rows are called.
pub struct Rows<T: 'static> {
    /// The legend of the group (申请材料).
    pub title: &'static str,
    /// One row in its title and buttons: 材料 → 材料1, 上移材料1, 添加材料.
    pub noun: &'static str,
    /// The list's path (`materials`, `fees.items`): row `i` is `path[i]`.
    pub path: FieldPath,
    pub read: fn(&Item) -> &Vec<T>,
    pub write: fn(&mut Item) -> &mut Vec<T>,
    /// Each row is a single field bound to the row's own path (`conditions[2]`): the
    /// field carries the row's id and findings, so the row itself must not repeat them.
    pub row_is_field: bool,
}

/// One row of a group, handed to the group's row view: its path, and readers and writers
/// of the item that reach into this row.
pub struct Row<T: 'static> {
    pub ed: Ed,
    index: usize,
    path: FieldPath,
    read: fn(&Item) -> &Vec<T>,
    write: fn(&mut Item) -> &mut Vec<T>,
}

impl<T: 'static> Row<T> {
    /// The row itself (`conditions[2]`, for a list of plain texts).
    pub fn path(&self) -> FieldPath {
        self.path.clone()
    }

    /// Field `key` of the row (`materials[2].name`).
    pub fn key(&self, key: &str) -> FieldPath {
        self.path.clone().key(key)
    }

    /// Reads from the row; `R::default()` once the row is gone (a removed row's inputs
    /// may read once more before they are dropped).
    pub fn get<R: Default + 'static>(
        &self,
        get: fn(&T) -> R,
    ) -> impl Fn(&Item) -> R + Copy + Send + Sync + 'static {
        let (read, index) = (self.read, self.index);
        move |item| read(item).get(index).map(get).unwrap_or_default()
    }

    /// Like [`Row::get`], with `fallback` for a row that is gone.
    pub fn get_or<R: Copy + Send + Sync + 'static>(
        &self,
        fallback: R,
        get: fn(&T) -> R,
    ) -> impl Fn(&Item) -> R + Copy + Send + Sync + 'static {
        let (read, index) = (self.read, self.index);
        move |item| read(item).get(index).map_or(fallback, get)
    }

    /// Writes into the row; nothing once the row is gone.
    pub fn set<V: 'static>(
        &self,
        set: fn(&mut T, V),
    ) -> impl Fn(&mut Item, V) + Copy + Send + Sync + 'static {
        let (write, index) = (self.write, self.index);
        move |item, value| {
            if let Some(row) = write(item).get_mut(index) {
                set(row, value);
            }
        }
    }
}

/// A repeated group: a fieldset of numbered rows, each with 上移 / 下移 / 删除, the findings
/// about the row beside it, and 添加… at the end. `new_row` is what 添加 appends;
/// `row_view` draws one row's fields.
pub fn list_editor<T, F, V>(ed: Ed, rows: Rows<T>, new_row: T, row_view: F) -> AnyView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(Row<T>) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let Rows {
        title,
        noun,
        path,
        read,
        write,
        row_is_field,
    } = rows;
    let group_id = field_id(&path);
    // Button ids: `f-materials-2-up`; the add button is `f-materials-add`.
    let base = group_id.clone();
    let add_id = format!("{base}-add");
    let count = Memo::new(move |_| ed.item.with(|i| read(i).len()));
    let move_row = {
        let base = base.clone();
        move |from: usize, to: usize, what: &'static str| {
            ed.item.update(|item| {
                let v = write(item);
                if from < v.len() && to < v.len() {
                    v.swap(from, to);
                }
            });
            // The moved row's button keeps the keyboard.
            focus(&format!("{base}-{to}-{what}"));
        }
    };
    let row_list = {
        let path = path.clone();
        let add_id = add_id.clone();
        move || {
            let n = count.get();
            (0..n)
                .map(|i| {
                    let row_path = path.clone().index(i);
                    let row_id = if row_is_field {
                        format!("{}-row", field_id(&row_path))
                    } else {
                        field_id(&row_path)
                    };
                    let fields = row_view(Row {
                        ed,
                        index: i,
                        path: row_path.clone(),
                        read,
                        write,
                    });
                    let (up, down) = (move_row.clone(), move_row.clone());
                    let add_id = add_id.clone();
                    view! {
                        <li class="row" id=row_id tabindex="-1">
                            <div class="row-head">
                                <span class="row-title">{format!("{noun}{}", i + 1)}</span>
                                <span class="row-actions">
                                    <button
                                        type="button"
                                        class="btn btn-small"
                                        id=format!("{base}-{i}-up")
                                        disabled=ed.readonly || i == 0
                                        aria-label=format!("上移{noun}{}", i + 1)
                                        on:click=move |_| up(i, i.saturating_sub(1), "up")
                                    >
                                        "上移"
                                    </button>
                                    <button
                                        type="button"
                                        class="btn btn-small"
                                        id=format!("{base}-{i}-down")
                                        disabled=ed.readonly || i + 1 == n
                                        aria-label=format!("下移{noun}{}", i + 1)
                                        on:click=move |_| down(i, i + 1, "down")
                                    >
                                        "下移"
                                    </button>
                                    <button
                                        type="button"
                                        class="btn btn-small btn-danger"
                                        disabled=ed.readonly
                                        aria-label=format!("删除{noun}{}", i + 1)
                                        on:click=move |_| {
                                            ed.item.update(|item| {
                                                let v = write(item);
                                                if i < v.len() {
                                                    v.remove(i);
                                                }
                                            });
                                            focus(&add_id);
                                        }
                                    >
                                        "删除"
                                    </button>
                                </span>
                            </div>
                            {(!row_is_field).then(|| hints(ed, row_path, false))}
                            {fields}
                        </li>
                    }
                })
                .collect_view()
        }
    };
    view! {
        <fieldset class="group" id=group_id tabindex="-1">
            <legend>{title}</legend>
            {hints(ed, path, false)}
            <ol class="rows">{row_list}</ol>
            <button
                type="button"
                class="btn"
                id=add_id
                disabled=ed.readonly
                on:click=move |_| ed.item.update(|item| write(item).push(new_row.clone()))
            >
                {format!("添加{noun}")}
            </button>
        </fieldset>
    }
    .into_any()
}
