//! Time and randomness from the runtime.

use wasm_bindgen::JsCast;
use zhinan_domain::Date;

/// Beijing time (UTC+8, no daylight saving): halls and deadlines live in it.
const BEIJING_OFFSET_SECS: i64 = 8 * 3600;

fn now_beijing_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64 + BEIJING_OFFSET_SECS
}

/// Today's date in Beijing.
pub fn today() -> Date {
    Date::from_days(now_beijing_secs().div_euclid(86_400))
}

/// Now as an RFC 3339 timestamp with the +08:00 offset, e.g. `2026-11-27T09:30:05+08:00`.
pub fn now_timestamp() -> String {
    let secs = now_beijing_secs();
    let date = Date::from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{date}T{:02}:{:02}:{:02}+08:00",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// `n` bytes from the runtime's CSPRNG (`crypto.getRandomValues`).
pub fn random_bytes(n: u32) -> worker::Result<Vec<u8>> {
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into())?;
    let get_random = js_sys::Reflect::get(&crypto, &"getRandomValues".into())?
        .dyn_into::<js_sys::Function>()
        .map_err(|_| worker::Error::RustError("crypto.getRandomValues missing".into()))?;
    let bytes = js_sys::Uint8Array::new_with_length(n);
    get_random.call1(&crypto, &bytes)?;
    Ok(bytes.to_vec())
}
