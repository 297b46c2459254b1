//! `zhinan-seed [DATA_DIR] [OUT_FILE]`: checks the demo catalog and writes the KV bulk file.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "data".into()));
    let out = PathBuf::from(args.next().unwrap_or_else(|| "target/seed/kv.json".into()));
    let loaded = match zhinan_seed::load(&dir) {
        Ok(l) => l,
        Err(problems) => {
            for p in &problems {
                eprintln!("error: {p}");
            }
            eprintln!("{} problem(s) in {}", problems.len(), dir.display());
            return ExitCode::FAILURE;
        }
    };
    let entries = loaded.kv_entries(1, "2026-11-01");
    if let Some(parent) = out.parent() {
        if let Err(e) = std::fs::create_dir_all(parent) {
            eprintln!("error: {}: {e}", parent.display());
            return ExitCode::FAILURE;
        }
    }
    let json = serde_json::to_string(&entries).expect("entries serialize");
    if let Err(e) = std::fs::write(&out, json) {
        eprintln!("error: {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    println!(
        "seed: {} items, {} halls, {} life events -> {}",
        loaded.items.len(),
        loaded.halls.len(),
        loaded.life_events.len(),
        out.display()
    );
    ExitCode::SUCCESS
}
