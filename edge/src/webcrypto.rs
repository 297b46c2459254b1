//! WebCrypto from the Workers runtime: PBKDF2 for passwords and HMAC-SHA-256 for
//! session cookies. Native code in the runtime, so 100 000 PBKDF2 rounds cost little
//! of the request's CPU budget.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use worker::{Error, Result};

fn subtle() -> Result<JsValue> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into())?;
    Ok(Reflect::get(&crypto, &"subtle".into())?)
}

async fn call(method: &str, args: &[JsValue]) -> Result<JsValue> {
    let subtle = subtle()?;
    let function = Reflect::get(&subtle, &method.into())?
        .dyn_into::<js_sys::Function>()
        .map_err(|_| Error::RustError(format!("crypto.subtle.{method} missing")))?;
    let promise = function
        .apply(&subtle, &args.iter().collect::<Array>())?
        .dyn_into::<js_sys::Promise>()
        .map_err(|_| Error::RustError(format!("crypto.subtle.{method} returned no promise")))?;
    Ok(JsFuture::from(promise).await?)
}

fn object(pairs: &[(&str, JsValue)]) -> Result<JsValue> {
    let obj = Object::new();
    for (key, value) in pairs {
        Reflect::set(&obj, &(*key).into(), value)?;
    }
    Ok(obj.into())
}

fn usages(list: &[&str]) -> JsValue {
    list.iter()
        .map(|u| JsValue::from_str(u))
        .collect::<Array>()
        .into()
}

/// PBKDF2-HMAC-SHA-256, 32 bytes.
pub async fn pbkdf2(password: &str, salt: &[u8], iterations: u32) -> Result<Vec<u8>> {
    let key = call(
        "importKey",
        &[
            "raw".into(),
            Uint8Array::from(password.as_bytes()).into(),
            "PBKDF2".into(),
            false.into(),
            usages(&["deriveBits"]),
        ],
    )
    .await?;
    let params = object(&[
        ("name", "PBKDF2".into()),
        ("hash", "SHA-256".into()),
        ("salt", Uint8Array::from(salt).into()),
        ("iterations", iterations.into()),
    ])?;
    let bits = call("deriveBits", &[params, key, 256.into()]).await?;
    Ok(Uint8Array::new(&bits).to_vec())
}

/// HMAC-SHA-256 of `data` under `key`.
pub async fn hmac_sha256(key: &[u8], data: &[u8]) -> Result<Vec<u8>> {
    let algorithm = object(&[("name", "HMAC".into()), ("hash", "SHA-256".into())])?;
    let key = call(
        "importKey",
        &[
            "raw".into(),
            Uint8Array::from(key).into(),
            algorithm.clone(),
            false.into(),
            usages(&["sign"]),
        ],
    )
    .await?;
    let signature = call("sign", &["HMAC".into(), key, Uint8Array::from(data).into()]).await?;
    Ok(Uint8Array::new(&signature).to_vec())
}

/// Equal without an early exit.
pub fn same(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for (i, x) in a.iter().enumerate() {
        diff |= usize::from(x ^ b.get(i).copied().unwrap_or(0));
    }
    diff == 0
}
