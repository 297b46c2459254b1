//! `/staff/password`: everyone changes their own password. The current one is asked
//! again; the account's sessions elsewhere end.

use leptos::prelude::*;
use leptos::task::spawn_local;
use zhinan_domain::accounts::password_problem;
use zhinan_domain::api::staff::PasswordChange;

use crate::api::{self, ApiError};

#[component]
pub fn PasswordRoute() -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let change = PasswordChange {
            current: current.get_untracked(),
            new: new.get_untracked(),
        };
        if let Some(problem) = password_problem("new", &change.new) {
            outcome.set(Some(Err(format!("新密码：{}", problem.message))));
            return;
        }
        if change.new != repeat.get_untracked() {
            outcome.set(Some(Err("两次输入的新密码不一致".into())));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = api::change_password(&change).await;
            outcome.set(Some(match result {
                Ok(_) => {
                    current.set(String::new());
                    new.set(String::new());
                    repeat.set(String::new());
                    Ok("密码已修改。其他设备上的登录已退出。".into())
                }
                Err(ApiError::Invalid(body)) => Err(body.error),
                Err(e) => Err(e.to_string()),
            }));
            busy.set(false);
        });
    };
    let input =
        |id: &'static str, label: &'static str, value: RwSignal<String>, auto: &'static str| {
            view! {
                <div class="field field-inline">
                    <label for=id>{label}</label>
                    <input id=id type="password" required autocomplete=auto
                        prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev)) />
                </div>
            }
        };
    view! {
        <section class="panel">
            <h1>"修改密码"</h1>
            <form on:submit=submit>
                {input("current-password", "当前密码", current, "current-password")}
                {input("new-password", "新密码（至少10位）", new, "new-password")}
                {input("repeat-password", "再次输入新密码", repeat, "new-password")}
                {move || outcome.get().map(|o| match o {
                    Ok(text) => view! { <p class="alert alert-ok" role="status">{text}</p> }.into_any(),
                    Err(text) => view! { <p class="alert alert-error" role="alert">{text}</p> }.into_any(),
                })}
                <button class="btn btn-primary" type="submit" disabled=move || busy.get()>"修改密码"</button>
            </form>
        </section>
    }
}
