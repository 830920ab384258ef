//! Each stage on its own, timed by divan: checking generated rule files (with throughput),
//! loading generated scenarios, and evaluating the letter, by the interpreter and by the
//! hand-written baseline. `cargo bench --bench stages`; see `docs/performance.md`.
//!
//! Scenarios of 1 000 000 holdings are left to `benches/ratio.rs`, which times them once:
//! while the interpreter is quadratic there, one evaluation takes minutes.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a benchmark that cannot set itself up should stop at once"
)]

#[allow(
    dead_code,
    reason = "tests/baseline.rs and examples/generate.rs use other parts"
)]
mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};

use treaty::check;
use treaty::eval::{self, Options};
use treaty::model::Model;
use treaty::scenario::{self, Facts};
use treaty::span::SourceFile;

use support::baseline::{Band, Letter};
use support::generate::{self, Notation, Packages, Scenario};

fn main() {
    divan::main();
}

/// Whether this is `cargo bench`: `cargo test --benches` runs each benchmark once, as a smoke
/// test, on the smallest input only.
fn timing() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// Holdings of the generated scenarios: up to the most one scenario file may have.
fn sizes() -> &'static [usize] {
    if timing() {
        &[1_000, 10_000, 100_000]
    } else {
        &[1_000]
    }
}

/// Sizes of the generated TOML scenarios: a TOML scenario of more than about 20 000 holdings
/// is refused (`treaty::scenario::toml_too_large`), so 100 000 is measured in JSON only.
fn toml_sizes() -> &'static [usize] {
    if timing() { &[1_000, 10_000] } else { &[1_000] }
}

/// Sizes of the generated rule files, in bytes.
fn rule_sizes() -> &'static [usize] {
    if timing() {
        &[100_000, 1_000_000, 10_000_000]
    } else {
        &[100_000]
    }
}

/// The letter, checked once for every benchmark.
fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| support::letter().unwrap())
}

fn letter() -> &'static Letter {
    static LETTER: OnceLock<Letter> = OnceLock::new();
    LETTER.get_or_init(|| Letter::new(model()).unwrap())
}

/// Generated facts, loaded once for the interpreter and the baseline alike.
fn facts(holdings: usize, packages: Packages) -> Arc<Facts> {
    type Cache = Mutex<HashMap<(usize, Packages), Arc<Facts>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Cache::default);
    let mut cache = cache.lock().unwrap();
    cache
        .entry((holdings, packages))
        .or_insert_with(|| {
            let scenario = Scenario::new(holdings, packages);
            Arc::new(scenario.load(model(), Notation::Json).unwrap())
        })
        .clone()
}

mod check_rules {
    use super::*;

    /// Parse and check a generated rule file of about this many bytes (with its import and
    /// quotes, read from `rules/`).
    #[divan::bench(args = rule_sizes(), max_time = 10)]
    fn generated(bencher: Bencher, bytes: usize) {
        let text: Arc<str> = generate::rule_file(bytes).into();
        let rules = support::rules_dir();
        bencher.counter(BytesCount::new(text.len())).bench(|| {
            let file = SourceFile::new("generated.treaty", text.clone());
            check::check_source(file, &rules, &rules).unwrap()
        });
    }

    /// `treaty check rules/ussr-1977-03-15.treaty` without the process: read and check.
    #[divan::bench]
    fn letter(bencher: Bencher) {
        let path = support::rules_dir().join("ussr-1977-03-15.treaty");
        let root = support::project();
        bencher.bench(|| check::check_file(&path, root).unwrap());
    }
}

mod load {
    use super::*;

    fn load(bencher: Bencher, holdings: usize, notation: Notation) {
        let scenario = Scenario::new(holdings, Packages::Unstated);
        let file = SourceFile::new(
            scenario.file_name(notation),
            scenario.text(notation, 0..holdings),
        );
        bencher
            .counter(BytesCount::new(file.text.len()))
            .bench(|| scenario::load(&file, model()).unwrap());
    }

    /// Read and validate a generated TOML scenario.
    #[divan::bench(args = toml_sizes(), max_time = 10)]
    fn toml(bencher: Bencher, holdings: usize) {
        load(bencher, holdings, Notation::Toml);
    }

    /// Read and validate a generated JSON scenario.
    #[divan::bench(args = sizes(), max_time = 10)]
    fn json(bencher: Bencher, holdings: usize) {
        load(bencher, holdings, Notation::Json);
    }
}

mod data_base {
    use super::*;

    fn salt2() -> Facts {
        let path = support::project().join("scenarios/salt2-data-base-1978-11-01.toml");
        scenario::load_path(&path, model()).unwrap()
    }

    /// One evaluation of the letter on the SALT II data base, the rules compiled once.
    #[divan::bench]
    fn interpreter(bencher: Bencher) {
        let facts = salt2();
        let options = Options::defaults(model());
        let evaluator = eval::Evaluator::new(model());
        bencher.bench(|| evaluator.evaluate(&facts, &options).unwrap());
    }

    /// The same verdicts computed by hand.
    #[divan::bench]
    fn baseline(bencher: Bencher) {
        let facts = salt2();
        bencher.bench(|| letter().evaluate(&facts, Band::Inclusive).unwrap());
    }
}

mod generated {
    use super::*;

    fn interpreter(bencher: Bencher, holdings: usize, packages: Packages) {
        let facts = facts(holdings, packages);
        let options = Options::defaults(model());
        bencher
            .counter(ItemsCount::new(holdings))
            .bench(|| eval::evaluate(model(), &facts, &options).unwrap());
    }

    fn baseline(bencher: Bencher, holdings: usize, packages: Packages) {
        let facts = facts(holdings, packages);
        bencher
            .counter(ItemsCount::new(holdings))
            .bench(|| letter().evaluate(&facts, Band::Inclusive).unwrap());
    }

    /// The interpreter, packages unstated: provisions that depend on them are evaluated
    /// twice and joined.
    #[divan::bench(args = sizes(), max_time = 10)]
    fn interpreter_unstated(bencher: Bencher, holdings: usize) {
        interpreter(bencher, holdings, Packages::Unstated);
    }

    /// The baseline, packages unstated.
    #[divan::bench(args = sizes(), max_time = 10)]
    fn baseline_unstated(bencher: Bencher, holdings: usize) {
        baseline(bencher, holdings, Packages::Unstated);
    }

    /// The interpreter, packages stated (agreed).
    #[divan::bench(args = sizes(), max_time = 10)]
    fn interpreter_agreed(bencher: Bencher, holdings: usize) {
        interpreter(bencher, holdings, Packages::Agreed);
    }

    /// The baseline, packages stated (agreed).
    #[divan::bench(args = sizes(), max_time = 10)]
    fn baseline_agreed(bencher: Bencher, holdings: usize) {
        baseline(bencher, holdings, Packages::Agreed);
    }
}
