//! Evaluates the letter on a generated scenario, over and over, and nothing else: a target
//! for a profiler that shows the interpreter alone (see `docs/performance.md`):
//!
//! ```text
//! cargo build --profile profiling --example evaluate
//! perf record -g target/profiling/examples/evaluate 100000 unstated 5
//! valgrind --tool=callgrind target/profiling/examples/evaluate data-base 1000
//! ```

#[allow(
    dead_code,
    reason = "the benchmarks and tests use other parts of the support code"
)]
#[path = "../benches/support/mod.rs"]
mod support;

use std::process::ExitCode;

use support::generate::{Notation, Packages, Scenario};

const USAGE: &str = "usage: evaluate HOLDINGS unstated|agreed|mixed [TIMES [verdicts|baseline]]\n       evaluate data-base [TIMES [verdicts|baseline]]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let model = support::letter()?;
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (facts, times) = match args.as_slice() {
        ["data-base", rest @ ..] => {
            let path = support::project().join("scenarios/salt2-data-base-1978-11-01.toml");
            let facts = treaty::load_scenario(&path, &model).map_err(|e| format!("{e:?}"))?;
            (facts, rest)
        }
        [holdings, packages, rest @ ..] => {
            let holdings: usize = holdings.parse().map_err(|_| USAGE.to_string())?;
            let packages = match *packages {
                "unstated" => Packages::Unstated,
                "agreed" => Packages::Agreed,
                "mixed" => Packages::Mixed,
                _ => return Err(USAGE.to_string()),
            };
            let facts = Scenario::new(holdings, packages).load(&model, Notation::Json)?;
            (facts, rest)
        }
        _ => return Err(USAGE.to_string()),
    };
    let (times, alone): (usize, bool) = match times {
        [] => (1, false),
        [times] => (times.parse().map_err(|_| USAGE.to_string())?, false),
        [times, "verdicts"] => (times.parse().map_err(|_| USAGE.to_string())?, true),
        [times, "baseline"] => {
            // The hand-written program on the same facts, for a profile beside the interpreter's.
            let times: usize = times.parse().map_err(|_| USAGE.to_string())?;
            let letter = support::baseline::Letter::new(&model)?;
            let mut provisions = 0usize;
            for _ in 0..times {
                let parties = letter
                    .evaluate(&facts, support::baseline::Band::Inclusive)
                    .map_err(|_| "overflow".to_string())?;
                provisions = parties
                    .iter()
                    .map(|p| p.provisions.len())
                    .fold(provisions, usize::saturating_add);
            }
            println!("{times} evaluations by the baseline, {provisions} provisions judged");
            return Ok(());
        }
        _ => return Err(USAGE.to_string()),
    };
    let options = treaty::Options::defaults(&model);
    let evaluator = treaty::eval::Evaluator::new(&model);
    let mut provisions = 0usize;
    for _ in 0..times {
        if alone {
            let verdicts = evaluator
                .verdicts(&facts, &options)
                .map_err(|e| e.to_string())?;
            provisions = provisions.saturating_add(verdicts.len());
            continue;
        }
        let report = evaluator
            .evaluate(&facts, &options)
            .map_err(|e| e.to_string())?;
        provisions = report
            .parties
            .iter()
            .map(|p| p.provisions.len())
            .fold(provisions, usize::saturating_add);
    }
    println!("{times} evaluations, {provisions} provisions judged");
    Ok(())
}
