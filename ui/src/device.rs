//! What the page remembers on the device and asks of the browser: elderly mode, ticked
//! materials, the clock, sharing and printing. Real only in the browser app (`csr`);
//! the server render (`ssr`) gets the defaults, so the first client render equals the
//! server's markup and stored preferences are applied right after mount.

/// `localStorage` key of elderly mode ("1" when on).
pub const ELDERLY_KEY: &str = "zhinan:elderly";
/// Class on `<html>` that switches the large-type, high-contrast style on.
pub const ELDERLY_CLASS: &str = "elderly";

/// Ticks of item `code`: the [`Material::key`](zhinan_domain::Material::key)s of the
/// ticked materials, comma-separated (keys hold letters and digits only).
fn ticks_key(code: &str) -> String {
    format!("zhinan:ticked:{code}")
}

pub fn parse_ticks(raw: &str) -> Vec<&str> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// The stored list with `key` set or cleared, sorted and without duplicates.
pub fn with_tick(raw: &str, key: &str, on: bool) -> String {
    let mut ticks = parse_ticks(raw);
    ticks.retain(|&t| t != key);
    if on && !key.is_empty() {
        ticks.push(key);
    }
    ticks.sort_unstable();
    ticks.join(",")
}

/// Where the holiday calendar the due dates use is served.
#[cfg(feature = "csr")]
const HOLIDAYS: &str = "/api/v1/holidays";

#[cfg(feature = "csr")]
mod browser {
    use wasm_bindgen::{JsCast, JsValue};
    use zhinan_domain::catalog::hours::DaysOff;

    use super::HOLIDAYS;

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub fn get(key: &str) -> Option<String> {
        storage()?.get_item(key).ok().flatten()
    }

    pub fn set(key: &str, value: &str) {
        if let Some(s) = storage() {
            let _ = s.set_item(key, value);
        }
    }

    pub fn html_class(class: &str, on: bool) {
        let Some(html) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        else {
            return;
        };
        let list = html.class_list();
        let _ = if on {
            list.add_1(class)
        } else {
            list.remove_1(class)
        };
    }

    pub fn now_ms() -> Option<f64> {
        Some(js_sys::Date::now())
    }

    /// Resolves in a later task of the page (a timer): what runs before and after it are
    /// two tasks, and the browser may draw and take input in between.
    pub async fn next_task() {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let later = web_sys::window().and_then(|w| w.set_timeout_with_callback(&resolve).ok());
            if later.is_none() {
                let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            }
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }

    /// The holidays and 调休 days of `GET /api/v1/holidays`; `None` when offline. Read
    /// with the browser's JSON parser: serde code for it cost the phone's app 1.6 KB.
    pub async fn days_off() -> Option<DaysOff> {
        let response: web_sys::Response =
            wasm_bindgen_futures::JsFuture::from(web_sys::window()?.fetch_with_str(HOLIDAYS))
                .await
                .ok()?
                .dyn_into()
                .ok()?;
        if !response.ok() {
            return None;
        }
        let answer = wasm_bindgen_futures::JsFuture::from(response.json().ok()?)
            .await
            .ok()?;
        let field = |value: &JsValue, key: &str| {
            js_sys::Reflect::get(value, &JsValue::from_str(key))
                .ok()
                .filter(|v| v.is_array())
                .map(|v| js_sys::Array::from(&v).iter().collect::<Vec<JsValue>>())
                .unwrap_or_default()
        };
        let (mut holidays, mut workdays) = (Vec::new(), Vec::new());
        for year in field(&answer, "years")
            .into_iter()
            .chain(field(&answer, "provisional"))
        {
            holidays.extend(
                field(&year, "holidays")
                    .iter()
                    .filter_map(JsValue::as_string),
            );
            workdays.extend(
                field(&year, "workdays")
                    .iter()
                    .filter_map(JsValue::as_string),
            );
        }
        Some(DaysOff::from_text(holidays, workdays))
    }

    /// Web Share when the browser has it, else the clipboard. `Ok(true)`: shared through
    /// the system sheet; `Ok(false)`: copied.
    pub async fn share(title: &str, url: &str) -> Result<bool, ()> {
        let window = web_sys::window().ok_or(())?;
        let navigator = window.navigator();
        let share =
            js_sys::Reflect::get(&navigator, &JsValue::from_str("share")).map_err(|_| ())?;
        if let Some(share) = share.dyn_ref::<js_sys::Function>() {
            let data = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&data, &"title".into(), &title.into());
            let _ = js_sys::Reflect::set(&data, &"url".into(), &url.into());
            let promise: js_sys::Promise = share
                .call1(&navigator, &data)
                .map_err(|_| ())?
                .dyn_into()
                .map_err(|_| ())?;
            return match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => Ok(true),
                Err(_) => Err(()),
            };
        }
        let promise = navigator.clipboard().write_text(url);
        wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map(|_| false)
            .map_err(|_| ())
    }

    thread_local! {
        static ADOPTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// Runs `take_over` (the app hydrating the served page) with [`ticked_in_page`]
    /// reading the served boxes.
    pub fn adopting<T>(take_over: impl FnOnce() -> T) -> T {
        ADOPTING.with(|a| a.set(true));
        let taken = take_over();
        ADOPTING.with(|a| a.set(false));
        taken
    }

    /// Whether the served page's check box `id` was ticked before the app took it over;
    /// false outside [`adopting`] (a preview the console draws again must not take the
    /// tick of the box it replaces).
    pub fn ticked_in_page(id: &str) -> bool {
        if !ADOPTING.with(|a| a.get()) {
            return false;
        }
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|el| js_sys::Reflect::get(&el, &JsValue::from_str("checked")).ok())
            .and_then(|checked| checked.as_bool())
            .unwrap_or(false)
    }

    pub fn print() {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    }

    /// Replaces the address bar's query without a navigation (search as you type).
    pub fn replace_query(path: &str, query: &str) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let url = if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        };
        if let Ok(history) = window.history() {
            let current = window.location().href().unwrap_or_default();
            if !current.ends_with(&url) {
                let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
            }
        }
    }
}

#[cfg(not(feature = "csr"))]
mod browser {
    use zhinan_domain::catalog::hours::DaysOff;

    pub fn get(_key: &str) -> Option<String> {
        None
    }
    pub fn set(_key: &str, _value: &str) {}
    pub fn html_class(_class: &str, _on: bool) {}
    pub fn now_ms() -> Option<f64> {
        None
    }
    pub async fn next_task() {}
    pub async fn days_off() -> Option<DaysOff> {
        None
    }
    pub async fn share(_title: &str, _url: &str) -> Result<bool, ()> {
        Err(())
    }
    pub fn adopting<T>(take_over: impl FnOnce() -> T) -> T {
        take_over()
    }
    pub fn ticked_in_page(_id: &str) -> bool {
        false
    }
    pub fn print() {}
    pub fn replace_query(_path: &str, _query: &str) {}
}

pub use browser::{
    adopting, days_off, next_task, now_ms, print, replace_query, share, ticked_in_page,
};

/// Elderly mode as stored on this device.
pub fn elderly() -> bool {
    browser::get(ELDERLY_KEY).as_deref() == Some("1")
}

/// Switches elderly mode and remembers it.
pub fn set_elderly(on: bool) {
    browser::set(ELDERLY_KEY, if on { "1" } else { "0" });
    browser::html_class(ELDERLY_CLASS, on);
}

/// Whether the material keyed `material` of item `code` is ticked on this device.
pub fn ticked(code: &str, material: &str) -> bool {
    browser::get(&ticks_key(code)).is_some_and(|raw| parse_ticks(&raw).contains(&material))
}

pub fn set_ticked(code: &str, material: &str, on: bool) {
    let key = ticks_key(code);
    let raw = browser::get(&key).unwrap_or_default();
    browser::set(&key, &with_tick(&raw, material, on));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_round_trip() {
        assert_eq!(with_tick("", "身份证", true), "身份证");
        assert_eq!(with_tick("身份证", "户口簿", true), "户口簿,身份证");
        assert_eq!(with_tick("户口簿,身份证", "身份证", false), "户口簿");
        assert_eq!(with_tick(",户口簿,户口簿", "户口簿", true), "户口簿");
        assert_eq!(parse_ticks("a, b,,"), vec!["a", "b"]);
    }
}
