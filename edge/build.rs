//! Takes the app's bootstrap tags (module preload, wasm preload, the inline module that
//! starts the app) from Trunk's `dist/index.html`, so pages the worker renders load the
//! very bundle Trunk built, hashed names included. Also hashes the inline script for the
//! Content-Security-Policy, so no `'unsafe-inline'` is needed for scripts.

use std::path::Path;

use base64::Engine;
use sha2::{Digest, Sha256};

/// Every `<tag ...>` (or `<script ...>...</script>`) in `html` whose opening tag contains `marker`.
fn tags_with<'a>(html: &'a str, open: &str, marker: &str, close: &str) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(open) {
        let after = &rest[start..];
        let Some(end) = after.find(close) else { break };
        let tag = &after[..end + close.len()];
        let head_end = tag.find('>').unwrap_or(tag.len());
        if tag[..head_end].contains(marker) {
            found.push(tag);
        }
        rest = &after[end + close.len()..];
    }
    found
}

fn main() {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist/index.html");
    println!("cargo:rerun-if-changed={}", dist.display());
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("app_head.rs");
    let (head, script_hash) = match std::fs::read_to_string(&dist) {
        Ok(html) => {
            let mut parts: Vec<&str> = Vec::new();
            parts.extend(tags_with(&html, "<link", "modulepreload", ">"));
            parts.extend(tags_with(&html, "<link", "application/wasm", ">"));
            let scripts = tags_with(&html, "<script", "type=\"module\"", "</script>");
            parts.extend(scripts.iter().copied());
            let hashes: Vec<String> = scripts
                .iter()
                .map(|s| {
                    let body_start = s.find('>').map(|i| i + 1).unwrap_or(0);
                    let body = &s[body_start..s.len() - "</script>".len()];
                    let digest = Sha256::digest(body.as_bytes());
                    format!(
                        "'sha256-{}'",
                        base64::engine::general_purpose::STANDARD.encode(digest)
                    )
                })
                .collect();
            (parts.join(""), hashes.join(" "))
        }
        Err(_) => {
            println!(
                "cargo:warning=dist/index.html not found: pages will render without the app (run `trunk build` first)"
            );
            (String::new(), String::new())
        }
    };
    let build_id = format!("{:x}", Sha256::digest(head.as_bytes()))[..12].to_string();
    std::fs::write(
        out,
        format!(
            "/// Tags that load the app, from Trunk's output.\npub const APP_HEAD: &str = {head:?};\n/// CSP hashes of the inline scripts in `APP_HEAD`.\npub const APP_SCRIPT_HASHES: &str = {script_hash:?};\n/// Changes whenever the app bundle changes; part of every page ETag.\npub const BUILD_ID: &str = {build_id:?};\n"
        ),
    )
    .unwrap();
}
