use leptos::prelude::*;

/// Header, main landmark and footer around every citizen page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"指"</span>
                <span>"指南 · 政务服务办事指南"</span>
            </a>
        </header>
        <main id="main" class="page">{children()}</main>
        <footer class="site-footer">
            <p>"本页由政务服务中心发布。政府二维码不会要求付款、登录或填写身份证号。"</p>
        </footer>
    }
}
