//! `gen-catalog --items N --out DIR [--seed S] [--today YYYY-MM-DD] [--clean]`: writes a
//! realistic synthetic catalog of N items in the layout of `data/` (see
//! `zhinan_seed::synthetic`), checks it loads, and reports what the lint finds.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use zhinan_domain::Date;
use zhinan_seed::synthetic::{generate, lint_summary, write_catalog, Config, DEFAULT_TODAY};

const USAGE: &str =
    "usage: gen-catalog --items N --out DIR [--seed S] [--today YYYY-MM-DD] [--clean]
  --items N    number of items (a county ≈ 1062, a prefecture ≈ 20000)
  --out DIR    output directory: DIR/halls.json, DIR/life_events.json, DIR/items/{code}.json
  --seed S     seed of the generator (default 1): same seed, same catalog
  --today D    reference date of review dates (default 2026-11-01)
  --clean      no injected defects: the lint finds nothing";

fn parse_args() -> Result<(Config, PathBuf), String> {
    let mut items = None;
    let mut out = None;
    let mut seed = 1u64;
    let mut today = DEFAULT_TODAY.to_string();
    let mut clean = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--items" => {
                let v = value("--items")?;
                items = Some(
                    v.parse::<usize>()
                        .map_err(|_| format!("--items {v}: not a number"))?,
                );
            }
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--seed" => {
                let v = value("--seed")?;
                seed = v.parse().map_err(|_| format!("--seed {v}: not a number"))?;
            }
            "--today" => today = value("--today")?,
            "--clean" => clean = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let items = items
        .filter(|&n| n > 0)
        .ok_or("--items N (N ≥ 1) is required")?;
    let out = out.ok_or("--out DIR is required")?;
    let mut config = Config::new(items, seed);
    config.today = Date::parse(&today).map_err(|e| e.to_string())?;
    config.defects = !clean;
    Ok((config, out))
}

fn main() -> ExitCode {
    let (config, out) = match parse_args() {
        Ok(parsed) => parsed,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    let catalog = generate(&config);
    let generated = started.elapsed();
    if let Err(e) = write_catalog(&out, &catalog) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    let written = started.elapsed() - generated;
    let s = &catalog.stats;
    println!(
        "gen-catalog: {} items, {} halls ({} city, {} county, {} township, {} village), {} departments, {} life events, {} items with injected defects -> {} (generated in {:.2} s, written in {:.2} s)",
        catalog.items.len(),
        catalog.halls.len(),
        s.city_halls,
        s.county_halls,
        s.township_halls,
        s.village_halls,
        s.departments,
        catalog.life_events.len(),
        s.defective_items,
        out.display(),
        generated.as_secs_f64(),
        written.as_secs_f64()
    );
    println!("{}", lint_summary(&catalog.items, config.today));
    ExitCode::SUCCESS
}
