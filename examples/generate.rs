//! Writes the generated data of the benchmarks to standard output, to time or profile the
//! `treaty` command on it (see `docs/performance.md`):
//!
//! ```text
//! cargo run --release --example generate -- scenario 100000 json unstated > /tmp/s.json
//! cargo run --release --example generate -- rules 1000000 > rules/generated.treaty
//! ```
//!
//! A generated rule file imports `vocabulary/strategic.treaty` and quotes
//! `sources/brezhnev-carter-1977-03-15.txt`, so it checks when it lies in `rules/`.

#[allow(
    dead_code,
    reason = "the benchmarks and tests use other parts of the support code"
)]
#[path = "../benches/support/mod.rs"]
mod support;

use std::io::Write;
use std::process::ExitCode;

use support::generate::{self, Notation, Packages, Scenario};

const USAGE: &str = "usage: generate scenario HOLDINGS toml|json unstated|agreed|mixed [SEED]\n       generate rules BYTES";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let text = match args.as_slice() {
        ["scenario", holdings, notation, packages, rest @ ..] => {
            let notation = match *notation {
                "toml" => Notation::Toml,
                "json" => Notation::Json,
                _ => return usage(),
            };
            let packages = match *packages {
                "unstated" => Packages::Unstated,
                "agreed" => Packages::Agreed,
                "mixed" => Packages::Mixed,
                _ => return usage(),
            };
            let (Ok(holdings), Ok(seed)) = (
                holdings.parse::<usize>(),
                rest.first().map_or(Ok(1977), |s| s.parse::<u64>()),
            ) else {
                return usage();
            };
            let scenario = Scenario {
                seed,
                ..Scenario::new(holdings, packages)
            };
            scenario.text(notation, 0..holdings)
        }
        ["rules", bytes] => match bytes.parse::<usize>() {
            Ok(bytes) => generate::rule_file(bytes),
            Err(_) => return usage(),
        },
        _ => return usage(),
    };
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("generate: {error}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}
