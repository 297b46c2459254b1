//! The console's shell: the login form, the header and the routes. It provides the
//! session and imports every page; pages take what they share from `session` and
//! `widgets`, never from here.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;
use zhinan_domain::accounts::Role;

use crate::api::{self, ApiError};
use crate::audit::AuditRoute;
use crate::desk::{DeskRoute, ProxySlipRoute};
use crate::editor::EditorRoute;
use crate::embed::EmbedRoute;
use crate::holidays::HolidaysRoute;
use crate::import::ImportRoute;
use crate::items::ItemsRoute;
use crate::metrics::MetricsRoute;
use crate::password::PasswordRoute;
use crate::posters::PostersRoute;
use crate::publish::PublishRoute;
use crate::quality::QualityRoute;
use crate::search_words::SearchWordsRoute;
use crate::session::{use_session, Session};
use crate::users::UsersRoute;
use crate::widgets::Loading;

#[component]
fn Login() -> impl IntoView {
    let session = use_session();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let (u, p) = (username.get_untracked(), password.get_untracked());
        spawn_local(async move {
            match api::login(u.trim().to_string(), p).await {
                Ok(info) => {
                    password.set(String::new());
                    session.0.set(Some(info));
                }
                Err(ApiError::Unauthorized) => error.set(Some("用户名或密码不正确".into())),
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="panel login">
            <h1>"工作人员登录"</h1>
            <form on:submit=submit>
                <div class="field">
                    <label for="login-username">"用户名"</label>
                    <input
                        id="login-username"
                        name="username"
                        autocomplete="username"
                        required
                        prop:value=move || username.get()
                        on:input=move |ev| username.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="login-password">"密码"</label>
                    <input
                        id="login-password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                </div>
                {move || error.get().map(|e| view! { <p class="alert alert-error" role="alert">{e}</p> })}
                <button class="btn btn-primary" type="submit" disabled=move || busy.get()>
                    "登录"
                </button>
            </form>
        </section>
    }
}

#[component]
fn Header() -> impl IntoView {
    let session = use_session();
    let logout = move |_| {
        spawn_local(async move {
            let _ = api::logout().await;
            session.0.set(None);
        });
    };
    view! {
        <header class="staff-header">
            <a class="staff-brand" href="/staff">
                "指南 · 工作台"
            </a>
            {move || {
                session
                    .0
                    .get()
                    .map(|s| {
                        let admin = s.user.role == Role::Admin;
                        let clerk = s.user.works_at_a_hall();
                        let desk = s.user.role != Role::Editor;
                        view! {
                            <nav class="staff-nav" aria-label="工作台">
                                {desk.then(|| view! { <A href="/staff/desk">"窗口工作台"</A> })}
                                <A href="/staff" exact=true>"事项"</A>
                                {(!clerk).then(|| view! {
                                    <A href="/staff/publish">
                                        {if admin { "发布与版本" } else { "版本" }}
                                    </A>
                                    <A href="/staff/import">"导入"</A>
                                    <A href="/staff/quality">"数据质量"</A>
                                    <A href="/staff/metrics">"考核指标"</A>
                                    <A href="/staff/posters">"二维码海报"</A>
                                    <A href="/staff/holidays">"节假日"</A>
                                    <A href="/staff/search-words">"检索同义词"</A>
                                    <A href="/staff/audit">"审计日志"</A>
                                    <A href="/staff/embed">"嵌入网站"</A>
                                })}
                                {admin.then(|| view! { <A href="/staff/users">"账号"</A> })}
                            </nav>
                            <div class="staff-user">
                                <span data-testid="whoami">
                                    {s.user.display_name.clone()} "（" {s.user.role.label()}
                                    {s.user.department.clone().or(s.user.hall.clone()).map(|d| format!("，{d}"))} "）"
                                </span>
                                <A href="/staff/password">"修改密码"</A>
                                <button class="btn btn-small" type="button" on:click=logout>
                                    "退出"
                                </button>
                            </div>
                        }
                    })
            }}
        </header>
    }
}

#[component]
pub fn App() -> impl IntoView {
    let session = Session(RwSignal::new(None));
    provide_context(session);
    let checked = RwSignal::new(false);
    let startup_error = RwSignal::new(None::<String>);
    spawn_local(async move {
        match api::me().await {
            Ok(info) => session.0.set(info),
            Err(e) => startup_error.set(Some(e.to_string())),
        }
        checked.set(true);
    });
    view! {
        <Router>
            <Header />
            <main id="main" class="staff-main">
                {move || startup_error.get().map(|e| view! { <p class="alert alert-error" role="alert">{e}</p> })}
                <Show when=move || checked.get() fallback=Loading>
                    <Show when=move || session.0.with(Option::is_some) fallback=Login>
                        <Routes fallback=|| view! { <p>"页面不存在。" <a href="/staff">"返回事项列表"</a></p> }>
                            <Route path=path!("/staff") view=ItemsRoute />
                            <Route path=path!("/staff/") view=ItemsRoute />
                            <Route path=path!("/staff/items/:code") view=EditorRoute />
                            <Route path=path!("/staff/publish") view=PublishRoute />
                            <Route path=path!("/staff/import") view=ImportRoute />
                            <Route path=path!("/staff/quality") view=QualityRoute />
                            <Route path=path!("/staff/metrics") view=MetricsRoute />
                            <Route path=path!("/staff/posters") view=PostersRoute />
                            <Route path=path!("/staff/holidays") view=HolidaysRoute />
                            <Route path=path!("/staff/search-words") view=SearchWordsRoute />
                            <Route path=path!("/staff/audit") view=AuditRoute />
                            <Route path=path!("/staff/embed") view=EmbedRoute />
                            <Route path=path!("/staff/users") view=UsersRoute />
                            <Route path=path!("/staff/desk") view=DeskRoute />
                            <Route path=path!("/staff/desk/slip/:number") view=ProxySlipRoute />
                            <Route path=path!("/staff/password") view=PasswordRoute />
                        </Routes>
                    </Show>
                </Show>
            </main>
        </Router>
    }
}
