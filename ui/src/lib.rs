//! Page components shared by the edge (server-rendered first view) and the app.
//!
//! Each component is a pure function of its data, so the HTML the edge sends is the tree
//! the app hydrates from the same data: one source of truth, and the app adopts the
//! server's nodes instead of building them again.

pub mod device;
mod guide;
mod hall;
mod home;
mod layout;
pub mod life_event;
mod not_found;
mod page_data;
pub mod print;
pub mod progress;
pub mod search;

pub use guide::{GuidePage, VILLAGES_SHOWN};
pub use hall::HallPage;
pub use home::HomePage;
pub use layout::Layout;
pub use life_event::{LifeEventLinks, LifeEventPage};
pub use not_found::NotFoundPage;
pub use page_data::{Page, PageData, PAGE_DATA_ID};
pub use print::{NoticePage, QrPath};
pub use progress::{Lookup, ProgressPage, ProgressView};
pub use search::{SearchChoices, SearchPage, SearchResult};

use leptos::prelude::*;
use zhinan_domain::catalog::search::Filters;
use zhinan_domain::{Directory, Hall, Item};

/// The guide of one item in the page frame. The edge renders it and the app hydrates the
/// same call, so both build the same tree.
pub fn guide_view(
    item: Item,
    hall: Option<Hall>,
    villages: Vec<Hall>,
    more_villages: u32,
    origin: String,
) -> impl IntoView + use<> {
    view! {
        <Layout>
            <GuidePage item hall villages more_villages origin />
        </Layout>
    }
}

/// The home page in the page frame (rendered by the edge, hydrated by the app).
pub fn home_view(catalog: Directory) -> impl IntoView + use<> {
    view! {
        <Layout>
            <HomePage catalog />
        </Layout>
    }
}

/// The page for an unknown item code (rendered by the edge, hydrated by the app).
pub fn not_found_view(code: String) -> impl IntoView + use<> {
    view! {
        <Layout>
            <NotFoundPage code />
        </Layout>
    }
}

/// The search page in the page frame. The edge passes the results it found; the app
/// passes results that follow the query as the citizen types, and `live` once it can.
pub fn search_view(
    query: RwSignal<String>,
    filters: RwSignal<Filters>,
    results: Signal<Vec<SearchResult>>,
    choices: SearchChoices,
    live: Signal<bool>,
) -> impl IntoView + use<> {
    view! {
        <Layout>
            <SearchPage query filters results choices live />
        </Layout>
    }
}

/// The body of one page (inside the app root) for the given data.
pub fn page_view(data: PageData) -> AnyView {
    let PageData { origin, page } = data;
    match page {
        Page::Home { catalog } => home_view(catalog).into_any(),
        Page::Guide {
            item,
            hall,
            villages,
            more_villages,
        } => guide_view(*item, hall, villages, more_villages, origin).into_any(),
        Page::Hall { hall, rows } => view! {
            <Layout>
                <HallPage hall rows />
            </Layout>
        }
        .into_any(),
        Page::NotFound { code } => not_found_view(code).into_any(),
        Page::Search {
            query,
            filters,
            results,
            choices,
        } => search_view(
            RwSignal::new(query),
            RwSignal::new(filters),
            Signal::stored(results),
            choices,
            Signal::stored(false),
        )
        .into_any(),
        Page::LifeEvent {
            event,
            items,
            halls,
        } => view! {
            <Layout>
                <LifeEventPage event items halls />
            </Layout>
        }
        .into_any(),
        Page::Print { item, hall, qr } => view! {
            <Layout>
                <NoticePage item=*item hall qr origin />
            </Layout>
        }
        .into_any(),
        Page::Progress { lookup } => view! {
            <Layout>
                <ProgressPage lookup=*lookup />
            </Layout>
        }
        .into_any(),
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use zhinan_domain::{parse_item, Item};

    fn fixture() -> Item {
        parse_item(include_str!("../../domain/src/catalog/fixtures/item.json")).unwrap()
    }

    fn render(data: PageData) -> String {
        Owner::new().with(|| page_view(data).to_html())
    }

    fn guide(item: Item) -> Page {
        Page::Guide {
            item: Box::new(item),
            hall: None,
            villages: Vec::new(),
            more_villages: 0,
        }
    }

    fn village(name: &str, phone: &str) -> zhinan_domain::Hall {
        serde_json::from_value(serde_json::json!({
            "id": "v", "name": name, "level": "village", "address": "光明路66号",
            "phone": phone, "zones": [], "county": "xinxian", "township": "shangji",
            "hours": [{ "weekdays": [1, 2, 3, 4, 5], "open": "08:30", "close": "11:30" }]
        }))
        .unwrap()
    }

    #[test]
    fn a_guide_villages_take_over_lists_their_points_and_an_in_person_one_says_why() {
        let item = fixture();
        assert!(item.village_can_handle());
        let html = render(PageData {
            origin: "https://zhinan.example".into(),
            page: Page::Guide {
                item: Box::new(item.clone()),
                hall: None,
                villages: vec![village("光明社区<b>党群服务中心</b>", "0376-2966012")],
                more_villages: 3,
            },
        });
        assert!(html.contains("可在村（社区）代办"), "{html}");
        assert!(html.contains("光明社区&lt;b&gt;党群服务中心&lt;/b&gt;"));
        assert!(html.contains(r#"href="tel:0376-2966012""#));
        assert!(html.contains("另有 3 个村（社区）代办点"));
        let mut in_person = item;
        in_person.in_person = Some("须本人到场采集指纹".into());
        let html = render(PageData {
            origin: "https://zhinan.example".into(),
            page: Page::Guide {
                item: Box::new(in_person),
                hall: None,
                villages: vec![village("光明社区党群服务中心", "0376-2966012")],
                more_villages: 0,
            },
        });
        assert!(html.contains("须本人到场："), "{html}");
        assert!(!html.contains("可在村（社区）代办"));
        assert!(!html.contains("可委托他人或村（社区）代办员代办"));
    }

    #[test]
    fn guide_shows_what_to_bring_where_and_how_long() {
        let item = fixture();
        let html = render(PageData {
            origin: "https://zhinan.example".into(),
            page: guide(item.clone()),
        });
        assert!(html.contains(&item.name));
        for m in &item.materials {
            assert!(html.contains(&m.name), "material {}", m.name);
        }
        assert!(html.contains("1个工作日"));
        assert!(html.contains("15个工作日"));
        assert!(html.contains(&item.place.address));
        assert!(html.contains("https://zhinan.example/g/11411523MB1D00001A-000201001"));
    }

    #[test]
    fn catalog_text_is_escaped() {
        let mut item = fixture();
        item.name = "<script>alert(1)</script>".into();
        item.materials[0].name = "\"><img src=x onerror=alert(1)>".into();
        let html = render(PageData {
            origin: "https://zhinan.example".into(),
            page: guide(item),
        });
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(!html.contains("<img src=x"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    #[test]
    fn each_office_number_is_its_own_tap_to_call_link() {
        let mut item = fixture();
        item.consult_phone = "市区办理点：020-87656275\n番禺办理点：020-84881099转801".into();
        item.complain_phone = "12345".into();
        let html = render(PageData {
            origin: "https://zhinan.example".into(),
            page: guide(item),
        });
        assert!(html.contains("市区办理点："), "{html}");
        assert!(html.contains(r#"href="tel:02087656275""#));
        assert!(html.contains(r#"href="tel:02084881099,801""#));
        assert!(html.contains(r#"href="tel:12345""#));
    }
}
