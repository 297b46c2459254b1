//! `/staff/users`: the hall admin manages staff accounts (editors per department, window
//! clerks per hall, viewers, other admins): creates them, stops and restores them, and sets a new password for
//! someone who forgot theirs. The edge keeps only PBKDF2 hashes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use zhinan_domain::accounts::{Role, StaffUser};
use zhinan_domain::api::staff::{AccountChange, NewUser};

use crate::api::{self, ApiError};
use crate::session::use_session;
use crate::widgets::{confirm, error_line, focus, Loading};

fn role_of(value: &str) -> Role {
    match value {
        "admin" => Role::Admin,
        "viewer" => Role::Viewer,
        "clerk" => Role::Clerk,
        "agent" => Role::Agent,
        _ => Role::Editor,
    }
}

#[component]
pub fn UsersRoute() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let accounts = LocalResource::new(move || {
        refresh.get();
        api::users()
    });
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new("editor".to_string());
    let department = RwSignal::new(String::new());
    let hall = RwSignal::new(String::new());
    let halls = LocalResource::new(api::catalog);
    let message = RwSignal::new(None::<Result<String, ApiError>>);
    let busy = RwSignal::new(false);
    let me = use_session()
        .0
        .with_untracked(|s| s.as_ref().map(|s| s.user.username.clone()))
        .unwrap_or_default();
    // The account whose new password is being typed, and the password.
    let resetting = RwSignal::new(None::<String>);
    let new_password = RwSignal::new(String::new());
    // The admin's own password: asked before setting someone's password or making an admin.
    let reset_confirm = RwSignal::new(String::new());
    let create_confirm = RwSignal::new(String::new());
    let account_message = RwSignal::new(None::<Result<String, ApiError>>);
    let change = move |username: String, change: AccountChange, done: String| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::change_account(&username, &change).await {
                Ok(_) => {
                    account_message.set(Some(Ok(done)));
                    resetting.set(None);
                    new_password.set(String::new());
                    reset_confirm.set(String::new());
                    refresh.update(|n| *n += 1);
                    // The table is rebuilt: keep the keyboard on the outcome.
                    request_animation_frame(|| focus("account-message"));
                }
                Err(e) => account_message.set(Some(Err(e))),
            }
            busy.set(false);
        });
    };
    let row = move |u: StaffUser| {
        let name = u.username.clone();
        let is_me = u.username == me;
        let toggle = {
            let name = name.clone();
            move |_| {
                let (disabled, verb) = if u.disabled {
                    (false, "启用")
                } else {
                    (true, "停用")
                };
                let sure = !disabled
                    || confirm(&format!(
                        "停用账号 {name}？停用后该账号立即退出登录，不能再登录。"
                    ));
                if !sure {
                    return;
                }
                change(
                    name.clone(),
                    AccountChange {
                        disabled: Some(disabled),
                        password: None,
                        admin_password: None,
                    },
                    format!("已{verb}账号 {name}"),
                )
            }
        };
        let reset = {
            let name = name.clone();
            move |_| {
                new_password.set(String::new());
                resetting.set(Some(name.clone()));
                request_animation_frame(|| focus("reset-password"));
            }
        };
        view! {
            <tr data-username=name.clone() class:disabled=u.disabled>
                <td><code>{name.clone()}</code></td>
                <td>{u.display_name}</td>
                <td>{u.role.label()}</td>
                <td>{u.department.or(u.hall).unwrap_or_default()}</td>
                <td class="account-state">{if u.disabled { "已停用" } else { "正常" }}</td>
                <td>
                    {(!is_me).then(|| view! {
                        <button type="button" class="btn btn-small" class:btn-danger=!u.disabled
                            aria-label=format!("{}账号 {name}", if u.disabled { "启用" } else { "停用" })
                            on:click=toggle>
                            {if u.disabled { "启用" } else { "停用" }}
                        </button>
                    })}
                    {(!is_me).then(|| view! {
                        <button type="button" class="btn btn-small"
                            aria-label=format!("为 {name} 重设密码") on:click=reset>
                            "重设密码"
                        </button>
                    })}
                    {is_me.then(|| view! { <a href="/staff/password">"修改我的密码"</a> })}
                </td>
            </tr>
        }
    };
    let submit_reset = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(name) = resetting.get_untracked() {
            change(
                name.clone(),
                AccountChange {
                    disabled: None,
                    password: Some(new_password.get_untracked()),
                    admin_password: Some(reset_confirm.get_untracked()),
                },
                format!("已为 {name} 设置新密码，其原有登录已全部退出"),
            );
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let chosen = role_of(&role.get_untracked());
        let user = NewUser {
            username: username.get_untracked().trim().to_string(),
            display_name: display_name.get_untracked().trim().to_string(),
            password: password.get_untracked(),
            role: chosen,
            department: (chosen == Role::Editor)
                .then(|| department.get_untracked().trim().to_string()),
            hall: matches!(chosen, Role::Clerk | Role::Agent).then(|| hall.get_untracked()),
            admin_password: (chosen == Role::Admin).then(|| create_confirm.get_untracked()),
        };
        spawn_local(async move {
            match api::create_user(user).await {
                Ok(created) => {
                    message.set(Some(Ok(format!("已创建账号 {}", created.username))));
                    username.set(String::new());
                    display_name.set(String::new());
                    password.set(String::new());
                    create_confirm.set(String::new());
                    refresh.update(|n| *n += 1);
                }
                Err(e) => message.set(Some(Err(e))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="panel">
            <h1>"账号管理"</h1>
            <Transition fallback=Loading>
                {move || {
                    accounts
                        .get()
                        .map(|result| match result {
                            Err(e) => error_line(&e),
                            Ok(list) => view! {
                                <table class="table users-table">
                                    <thead>
                                        <tr>
                                            <th scope="col">"用户名"</th>
                                            <th scope="col">"姓名/岗位"</th>
                                            <th scope="col">"角色"</th>
                                            <th scope="col">"部门/服务中心"</th>
                                            <th scope="col">"状态"</th>
                                            <th scope="col">"操作"</th>
                                        </tr>
                                    </thead>
                                    <tbody>{list.into_iter().map(row.clone()).collect_view()}</tbody>
                                </table>
                            }
                            .into_any(),
                        })
                }}
            </Transition>
            {move || account_message.get().map(|m| match m {
                Ok(text) => view! { <p class="alert alert-ok" role="status" id="account-message" tabindex="-1">{text}</p> }.into_any(),
                Err(e) => error_line(&e),
            })}
            {move || resetting.get().map(|name| view! {
                <form class="reset-form" on:submit=submit_reset>
                    <div class="field field-inline">
                        <label for="reset-password">{format!("{name} 的新密码（至少10位）")}</label>
                        <input id="reset-password" type="password" required minlength="10"
                            autocomplete="new-password"
                            prop:value=move || new_password.get()
                            on:input=move |ev| new_password.set(event_target_value(&ev)) />
                    </div>
                    <div class="field field-inline">
                        <label for="reset-confirm">"你自己的密码（确认是你本人操作）"</label>
                        <input id="reset-confirm" type="password" required autocomplete="current-password"
                            prop:value=move || reset_confirm.get()
                            on:input=move |ev| reset_confirm.set(event_target_value(&ev)) />
                    </div>
                    <div class="actions">
                        <button class="btn btn-primary" type="submit" disabled=move || busy.get()>"设置新密码"</button>
                        <button class="btn" type="button" on:click=move |_| resetting.set(None)>"取消"</button>
                    </div>
                </form>
            })}
        </section>
        <section class="panel">
            <h2>"新建账号"</h2>
            <form on:submit=submit>
                <div class="field">
                    <label for="new-username">"用户名（字母、数字、-、_）"</label>
                    <input id="new-username" required autocomplete="off"
                        prop:value=move || username.get()
                        on:input=move |ev| username.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="new-display">"姓名或岗位"</label>
                    <input id="new-display" required
                        prop:value=move || display_name.get()
                        on:input=move |ev| display_name.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="new-password">"初始密码（至少10位）"</label>
                    <input id="new-password" type="password" required minlength="10" autocomplete="new-password"
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev)) />
                </div>
                <div class="field">
                    <label for="new-role">"角色"</label>
                    <select id="new-role" on:change=move |ev| role.set(event_target_value(&ev))>
                        <option value="editor" selected=true>{Role::Editor.label()}</option>
                        <option value="clerk">{Role::Clerk.label()}</option>
                        <option value="agent">{Role::Agent.label()}</option>
                        <option value="viewer">{Role::Viewer.label()}</option>
                        <option value="admin">{Role::Admin.label()}</option>
                    </select>
                </div>
                <Show when=move || role.get() == "clerk" || role.get() == "agent">
                    <div class="field">
                        <label for="new-hall">
                            {move || if role.get() == "agent" {
                                "所在村（社区）服务点（代办员只能登记本服务点的代办件）"
                            } else {
                                "所在服务中心（只能办理该中心的办件）"
                            }}
                        </label>
                        <select id="new-hall" required on:change=move |ev| hall.set(event_target_value(&ev))>
                            <option value="">"请选择"</option>
                            {move || {
                                let villages_only = role.get() == "agent";
                                halls.get().and_then(Result::ok).map(|directory| {
                                    directory
                                        .halls
                                        .into_iter()
                                        .filter(|h| !villages_only || h.level == zhinan_domain::catalog::item::Level::Village)
                                        .map(|h| view! { <option value=h.id.clone()>{h.name}</option> })
                                        .collect_view()
                                })
                            }}
                        </select>
                    </div>
                </Show>
                <Show when=move || role.get() == "editor">
                    <div class="field">
                        <label for="new-department">"部门（与事项的实施主体一致）"</label>
                        <input id="new-department" required
                            prop:value=move || department.get()
                            on:input=move |ev| department.set(event_target_value(&ev)) />
                    </div>
                </Show>
                <Show when=move || role.get() == "admin">
                    <div class="field">
                        <label for="create-confirm">"你自己的密码（新建管理员须确认是你本人操作）"</label>
                        <input id="create-confirm" type="password" required autocomplete="current-password"
                            prop:value=move || create_confirm.get()
                            on:input=move |ev| create_confirm.set(event_target_value(&ev)) />
                    </div>
                </Show>
                {move || {
                    message
                        .get()
                        .map(|m| match m {
                            Ok(text) => view! { <p class="alert" role="status">{text}</p> }.into_any(),
                            Err(e) => error_line(&e),
                        })
                }}
                <button class="btn btn-primary" type="submit" disabled=move || busy.get()>
                    "创建账号"
                </button>
            </form>
        </section>
    }
}
