//! `/staff/audit`: the append-only audit log, newest first.

use leptos::prelude::*;

use crate::api;
use crate::widgets::{error_line, Loading};

fn action_label(action: &str) -> &str {
    match action {
        "login" => "登录",
        "login_failed" => "登录失败",
        "logout" => "退出",
        "save_draft" => "保存草稿",
        "discard_draft" => "放弃草稿",
        "publish" => "发布",
        "import" => "导入",
        "rollback" => "回滚",
        "create_user" => "新建账号",
        "disable_user" => "停用账号",
        "enable_user" => "启用账号",
        "reset_password" => "重设密码",
        "change_password" => "修改密码",
        "enter_holidays" => "录入节假日安排",
        "withdraw_holidays" => "撤下节假日安排",
        other => other,
    }
}

#[component]
pub fn AuditRoute() -> impl IntoView {
    let entries = LocalResource::new(api::audit);
    view! {
        <section class="panel">
            <h1>"审计日志"</h1>
            <p class="muted">"每一次登录、保存、发布和回滚都记录在此，只增不改。"</p>
            <Transition fallback=Loading>
                {move || {
                    entries.get()
                        .map(|result| match result {
                            Err(e) => error_line(&e),
                            Ok(entries) => view! {
                                <table class="table audit-table">
                                    <thead>
                                        <tr>
                                            <th scope="col">"时间"</th>
                                            <th scope="col">"操作人"</th>
                                            <th scope="col">"操作"</th>
                                            <th scope="col">"对象"</th>
                                            <th scope="col">"说明"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {entries
                                            .into_iter()
                                            .map(|e| {
                                                view! {
                                                    <tr data-action=e.action.clone()>
                                                        <td>{e.at}</td>
                                                        <td>{e.who}</td>
                                                        <td>{action_label(&e.action).to_string()}</td>
                                                        <td><code>{e.target}</code></td>
                                                        <td>{e.detail}</td>
                                                    </tr>
                                                }
                                            })
                                            .collect_view()}
                                    </tbody>
                                </table>
                            }
                                .into_any(),
                        })
                }}
            </Transition>
        </section>
    }
}
