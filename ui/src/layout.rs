use leptos::prelude::*;

use crate::device;

/// The 大字模式 switch: a real button whose pressed state is the stored preference.
/// It renders unpressed (as the server does) and reads the device's choice after mount;
/// the page's boot script has already put the class on `<html>` before first paint.
#[component]
fn ElderlyToggle() -> impl IntoView {
    let on = RwSignal::new(false);
    Effect::new(move |_| on.set(device::elderly()));
    let toggle = move |_| {
        let next = !on.get_untracked();
        on.set(next);
        device::set_elderly(next);
    };
    view! {
        <button
            type="button"
            class="mode-toggle js-only"
            aria-pressed=move || if on.get() { "true" } else { "false" }
            on:click=toggle
        >
            "大字模式"
        </button>
    }
}

/// Header, main landmark and footer around every citizen page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"指"</span>
                <span>"办事指南"</span>
            </a>
            <nav class="header-nav" aria-label="主要">
                <a class="header-link" href="/s">"搜索"</a>
                <a class="header-link" href="/c">"查进度"</a>
                <ElderlyToggle />
            </nav>
        </header>
        <main id="main" class="page">{children()}</main>
        <footer class="site-footer">
            <p>
                <a href="/c">"办件进度查询"</a> " · " <a href="/s">"搜索事项"</a> " · 咨询投诉 "
                <a href="tel:12345">"12345"</a>
            </p>
            <p>"本页由政务服务中心发布。政府二维码不会要求付款、登录或填写身份证号。"</p>
        </footer>
    }
}
