//! Takes the app's bundle names from Trunk's `dist/index.html` (the inline module that
//! starts the app), so pages the worker renders load the very bundle Trunk built, hashed
//! names included, once they have painted. Also hashes the inline script for the
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

/// The CSP source expression (`'sha256-…'`) that allows an inline script of `text`.
fn csp_hash(text: &str) -> String {
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}

/// CSP source expressions of the inline module scripts in `scripts` (whole elements).
fn script_hashes(scripts: &[&str]) -> String {
    scripts
        .iter()
        .map(|s| {
            let body_start = s.find('>').map(|i| i + 1).unwrap_or(0);
            csp_hash(&s[body_start..s.len() - "</script>".len()])
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The quoted text after `marker` in `script` (`from '/pkg/app-….js'`).
fn quoted_after<'a>(script: &'a str, marker: &str) -> Option<&'a str> {
    let rest = &script[script.find(marker)? + marker.len()..];
    let quote = rest.find(['\'', '"'])?;
    let rest = &rest[quote + 1..];
    Some(&rest[..rest.find(['\'', '"'])?])
}

/// The script that starts the app, from Trunk's (whose static import and preload links
/// fetch the bundle while the page is still painting): it imports the bundle only once
/// the page has painted (`zhinanAfterPaint`, from `src/boot.js`), so the app never
/// competes with the first paint — the page is readable and its links work as served;
/// the app then adopts it.
fn deferred_start(trunk_script: &str) -> String {
    let js = quoted_after(trunk_script, " from ").expect("Trunk's module script imports the app");
    let wasm =
        quoted_after(trunk_script, "module_or_path:").expect("Trunk's script names the wasm");
    format!(
        concat!(
            "<script type=\"module\">",
            "const start=async()=>{{const app=await import({js:?});",
            "await app.default({{module_or_path:{wasm:?}}})}};",
            "(self.zhinanAfterPaint||(f=>addEventListener(\"load\",f)))(start);",
            "</script>"
        ),
        js = js,
        wasm = wasm,
    )
}

/// `<link rel="icon">` with `svg` inside it as a data URL: a linked icon (or the
/// `/favicon.ico` a browser asks for without one) is a request made before the first
/// paint. Percent-encodes what a data URL in a double-quoted attribute cannot carry.
fn icon_link(svg: &str) -> String {
    let mut url = String::from("data:image/svg+xml,");
    for byte in svg.trim().bytes() {
        match byte {
            b'%' | b'#' | b'<' | b'>' | b'"' | b'&' | 0..=0x20 | 0x7f..=0xff => {
                url.push_str(&format!("%{byte:02X}"))
            }
            _ => url.push(byte as char),
        }
    }
    format!("<link rel=\"icon\" type=\"image/svg+xml\" href=\"{url}\">")
}

fn main() {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist/index.html");
    println!("cargo:rerun-if-changed={}", dist.display());
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("app_head.rs");
    let (head, script_hash) = match std::fs::read_to_string(&dist) {
        Ok(html) => {
            let scripts = tags_with(&html, "<script", "type=\"module\"", "</script>");
            let start = scripts
                .first()
                .map(|script| deferred_start(script))
                .unwrap_or_default();
            let hashes = script_hashes(&[start.as_str()]);
            (start, hashes)
        }
        Err(_) => {
            println!(
                "cargo:warning=dist/index.html not found: pages will render without the app (run `trunk build` first)"
            );
            (String::new(), String::new())
        }
    };
    // The staff console's page is Trunk's own (dist/staff/index.html), served as it is:
    // its inline boot script is pinned in the console's CSP the same way.
    let staff = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist/staff/index.html");
    println!("cargo:rerun-if-changed={}", staff.display());
    let staff_hashes = std::fs::read_to_string(&staff)
        .map(|html| script_hashes(&tags_with(&html, "<script", "type=\"module\"", "</script>")))
        .unwrap_or_default();
    // The citizen pages' own inline boot script (elderly mode before first paint, service
    // worker registration): inlined by edge/src/pages.rs, pinned in the CSP by its hash.
    let boot_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/boot.js");
    println!("cargo:rerun-if-changed={}", boot_path.display());
    let boot = std::fs::read_to_string(&boot_path).expect("edge/src/boot.js");
    let boot_hash = csp_hash(&boot);
    // The embed frames' inline script (height reports, 大字模式), pinned the same way.
    let embed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/embed_frame.js");
    println!("cargo:rerun-if-changed={}", embed_path.display());
    let embed = std::fs::read_to_string(&embed_path).expect("edge/src/embed_frame.js");
    let embed_hash = csp_hash(&embed);
    // The icon, inside every page (`public/icon.svg`).
    let icon_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/icon.svg");
    println!("cargo:rerun-if-changed={}", icon_path.display());
    let icon = icon_link(&std::fs::read_to_string(&icon_path).expect("public/icon.svg"));
    // Pages inline the CSS and the boot script: a change to either is a new build too.
    let css_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../style/app.css");
    println!("cargo:rerun-if-changed={}", css_path.display());
    let css = std::fs::read_to_string(&css_path).unwrap_or_default();
    // So does the page template: the head (canonical, OpenGraph) is written by the edge
    // alone, and a cached page must not keep an old head after a deploy.
    let template_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/pages.rs");
    println!("cargo:rerun-if-changed={}", template_path.display());
    let template = std::fs::read_to_string(&template_path).unwrap_or_default();
    let build_id = format!(
        "{:x}",
        Sha256::digest(format!("{head}{boot}{embed}{css}{template}{icon}").as_bytes())
    )[..12]
        .to_string();
    std::fs::write(
        out,
        format!(
            "/// The script that loads the app after the first paint, from Trunk's output.\npub const APP_HEAD: &str = {head:?};\n/// CSP hashes of the inline scripts in `APP_HEAD`.\npub const APP_SCRIPT_HASHES: &str = {script_hash:?};\n/// Changes whenever the app bundle changes; part of every page ETag.\npub const BUILD_ID: &str = {build_id:?};\n/// CSP hash of `src/boot.js`.\npub const BOOT_SCRIPT_HASH: &str = {boot_hash:?};\n/// CSP hashes of the staff console page's inline scripts.\npub const STAFF_SCRIPT_HASHES: &str = {staff_hashes:?};\n/// CSP hash of `src/embed_frame.js`.\npub const EMBED_SCRIPT_HASH: &str = {embed_hash:?};\n/// The site icon as a data URL, from `public/icon.svg`.\npub const ICON_LINK: &str = {icon:?};\n"
        ),
    )
    .unwrap();
}
