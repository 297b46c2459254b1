use leptos::prelude::*;

/// Shown for an unknown item code: say so plainly and offer a way on.
#[component]
pub fn NotFoundPage(code: String) -> impl IntoView {
    view! {
        <section class="card notice-card" aria-labelledby="nf-title">
            <h1 id="nf-title">"没有找到这个事项"</h1>
            <p>
                "编码为 " <code class="item-code">{code}</code>
                " 的事项不在本中心的目录中。可能是编码输入有误，或该事项已调整。"
            </p>
            <p>
                <a class="button" href="/">"查看全部办事事项"</a>
            </p>
            <p class="muted">"也可以到大厅咨询台或拨打 12345 政务服务便民热线询问。"</p>
        </section>
    }
}
