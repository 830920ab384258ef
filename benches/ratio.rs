//! The figures of the performance targets in one table, measured in one run: the letter on
//! the SALT II data base, parse + check throughput, and the interpreter against the
//! hand-written baseline on generated scenarios of 1 000 to 1 000 000 holdings, each pair
//! timed alternately so that both see the same machine. `cargo bench --bench ratio`; see
//! `docs/performance.md`.
//!
//! Times are the CPU time of the benchmark's thread (`CLOCK_THREAD_CPUTIME_ID`), not wall
//! time: on a machine shared with other work, the ratios and the figures stay comparable.
//!
//! Before timing a scenario, the baseline's verdicts, quantities and contributors are checked
//! against the interpreter's report: a ratio is only printed for the same answers.
//!
//! `TREATY_BENCH_SIZES=1000,10000` chooses the sizes (default 1 000, 10 000, 100 000 and
//! 1 000 000); `TREATY_BENCH_SECONDS` the time spent on each measurement (default 3).
//! Run by `cargo test --benches`, it runs each step once, on the smallest inputs.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::arithmetic_side_effects,
    reason = "a benchmark that cannot set itself up should stop at once; timings are small sums"
)]

#[allow(
    dead_code,
    reason = "tests/baseline.rs and examples/generate.rs use other parts"
)]
mod support;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cpu_time::ThreadTime;

use treaty::check;
use treaty::eval::{Evaluator, Options};
use treaty::model::Model;
use treaty::scenario::{self, Facts};
use treaty::span::SourceFile;

use support::baseline::{self, Band, Letter};
use support::generate::{self, Notation, Packages, Scenario};

/// How long to spend on one measurement, and whether this is a real run.
struct Plan {
    budget: Duration,
    sizes: Vec<usize>,
    smoke: bool,
}

fn plan() -> Plan {
    // Cargo passes `--bench` to a benchmark run by `cargo bench`, not by `cargo test`.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let seconds = std::env::var("TREATY_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(3.0);
    let sizes = std::env::var("TREATY_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 100_000, 1_000_000]);
    Plan {
        budget: Duration::from_secs_f64(if smoke { 0.0 } else { seconds }),
        sizes: if smoke { vec![1_000] } else { sizes },
        smoke,
    }
}

/// A stopwatch of this thread's CPU time, or of wall time where the system has no such clock.
enum Watch {
    Cpu(ThreadTime),
    Wall(Instant),
}

impl Watch {
    fn start() -> Watch {
        match ThreadTime::try_now() {
            Ok(now) => Watch::Cpu(now),
            Err(_) => Watch::Wall(Instant::now()),
        }
    }

    fn elapsed(&self) -> Duration {
        match self {
            Watch::Cpu(start) => start.try_elapsed().unwrap_or_default(),
            Watch::Wall(start) => start.elapsed(),
        }
    }
}

/// The median of some durations.
fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// Time `f`: batches of calls long enough to read a clock by, for about `budget`; the median
/// time of one call. `first` is the time of a call already made.
fn time<T>(budget: Duration, first: Duration, mut f: impl FnMut() -> T) -> Duration {
    let batch = batch_size(first);
    let mut samples = vec![first];
    let start = Instant::now();
    while start.elapsed() + first < budget && samples.len() < 101 {
        let t = Watch::start();
        for _ in 0..batch {
            black_box(f());
        }
        samples.push(t.elapsed() / batch);
    }
    median(samples)
}

/// Calls a batch takes to last about 20 ms.
fn batch_size(one: Duration) -> u32 {
    let nanos = one.as_nanos().max(1);
    u32::try_from(20_000_000 / nanos).unwrap_or(u32::MAX).max(1)
}

/// Time `a` and `b` alternately, batch by batch, so that both see the same load; the median
/// time of one call of each. `first_a` and `first_b` are calls already made.
fn paired<A, B>(
    budget: Duration,
    (first_a, first_b): (Duration, Duration),
    mut a: impl FnMut() -> A,
    mut b: impl FnMut() -> B,
) -> (Duration, Duration) {
    let (batch_a, batch_b) = (batch_size(first_a), batch_size(first_b));
    let (mut samples_a, mut samples_b) = (vec![first_a], vec![first_b]);
    let start = Instant::now();
    while start.elapsed() + first_a + first_b < budget && samples_a.len() < 51 {
        let t = Watch::start();
        for _ in 0..batch_a {
            black_box(a());
        }
        samples_a.push(t.elapsed() / batch_a);
        let t = Watch::start();
        for _ in 0..batch_b {
            black_box(b());
        }
        samples_b.push(t.elapsed() / batch_b);
    }
    (median(samples_a), median(samples_b))
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Watch::start();
    let value = f();
    (value, t.elapsed())
}

/// A duration the way a table reads best.
fn show(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs >= 1.0 {
        format!("{secs:.2} s")
    } else if secs >= 1e-3 {
        format!("{:.2} ms", secs * 1e3)
    } else {
        format!("{:.2} µs", secs * 1e6)
    }
}

fn ratio(a: Duration, b: Duration) -> String {
    format!("{:.1}×", a.as_secs_f64() / b.as_secs_f64().max(1e-12))
}

/// Evaluate by both, check they agree, and time both.
fn compare(
    plan: &Plan,
    model: &Model,
    letter: &Letter,
    facts: &Facts,
    what: &str,
) -> (Duration, Duration) {
    let options = Options::defaults(model);
    // The rule file compiled once (`eval::Evaluator`), as `treaty eval` of many scenarios does.
    let evaluator = Evaluator::new(model);
    let (report, first_interpreter) = timed(|| evaluator.evaluate(facts, &options).unwrap());
    let (ours, first_baseline) = timed(|| letter.evaluate(facts, Band::Inclusive).unwrap());
    if let Some(difference) = baseline::difference(model, facts, &ours, &report) {
        panic!("{what}: the baseline and the interpreter differ: {difference}");
    }
    drop((report, ours));
    paired(
        plan.budget,
        (first_interpreter, first_baseline),
        || evaluator.evaluate(facts, &options).unwrap(),
        || letter.evaluate(facts, Band::Inclusive).unwrap(),
    )
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned());
    let clock = match Watch::start() {
        Watch::Cpu(_) => "CPU time of this thread",
        Watch::Wall(_) => "wall time",
    };
    format!("{cores} cores, load average {load} at the start; times are {clock}")
}

fn main() {
    let plan = plan();
    let model = support::letter().unwrap();
    let letter = Letter::new(&model).unwrap();
    println!(
        "treaty performance: interpreter vs hand-written baseline ({})",
        machine()
    );
    if plan.smoke {
        println!("(a smoke run, as under `cargo test --benches`: `cargo bench` times for real)");
    }

    // The letter on the SALT II data base, the rule file compiled once.
    let path = support::project().join("scenarios/salt2-data-base-1978-11-01.toml");
    let facts = scenario::load_path(&path, &model).unwrap();
    let (interpreter, hand) = compare(&plan, &model, &letter, &facts, "SALT II data base");
    println!(
        "\nletter on the SALT II data base: interpreter {}, baseline {}, ratio {} (target: interpreter under 10 µs)",
        show(interpreter),
        show(hand),
        ratio(interpreter, hand)
    );
    // The verdicts alone (`eval::verdicts`, what `treaty sweep` asks for): the baseline
    // computes verdicts, quantities and contributors, so this ratio flatters the interpreter.
    let options = Options::defaults(&model);
    let evaluator = Evaluator::new(&model);
    let (_, first) = timed(|| evaluator.verdicts(&facts, &options).unwrap());
    let alone = time(plan.budget, first, || {
        evaluator.verdicts(&facts, &options).unwrap()
    });
    println!(
        "  the verdicts alone (Evaluator::verdicts): {}, {} the baseline",
        show(alone),
        ratio(alone, hand)
    );

    // Parse + check of generated rule files.
    println!("\nparse + check of generated rule files (target: at least 20 MB/s)");
    let rules = support::rules_dir();
    let sizes: &[usize] = if plan.smoke {
        &[100_000]
    } else {
        &[100_000, 1_000_000, 10_000_000]
    };
    for &bytes in sizes {
        let text: Arc<str> = generate::rule_file(bytes).into();
        let check = || {
            let file = SourceFile::new("generated.treaty", text.clone());
            check::check_source(file, &rules, &rules).unwrap()
        };
        let (checked, first) = timed(check);
        let declarations = checked.model.categories.len() + checked.model.provisions.len();
        drop(checked);
        let t = time(plan.budget, first, check);
        let rate = text.len() as f64 / t.as_secs_f64() / 1e6;
        println!(
            "  {:>6} KB, {declarations:>6} categories and provisions: {:>9}, {rate:.1} MB/s",
            text.len() / 1000,
            show(t)
        );
    }

    // Generated scenarios.
    println!(
        "\nevaluation of generated scenarios (target: interpreter within 3× the baseline at 1 000 000 holdings, packages unstated)"
    );
    println!(
        "  {:>9}  {:<8}  {:>10}  {:>10}  {:>11}  {:>10}  {:>7}",
        "holdings", "packages", "load TOML", "load JSON", "interpreter", "baseline", "ratio"
    );
    for &holdings in &plan.sizes {
        for packages in [Packages::Unstated, Packages::Agreed] {
            let scenario = Scenario::new(holdings, packages);
            let (load_toml, load_json, facts) = if holdings <= scenario::MAX_HOLDINGS {
                let load = |file: &SourceFile| scenario::load(file, &model).unwrap();
                let json = SourceFile::new(
                    scenario.file_name(Notation::Json),
                    scenario.text(Notation::Json, 0..holdings),
                );
                // A TOML file is parsed whole and may be at most 16 MiB and
                // `scenario::MAX_TOML_TOKENS` tokens (about 20 000 holdings): past that, JSON only.
                let toml = scenario.text(Notation::Toml, 0..holdings);
                let toml = SourceFile::new(scenario.file_name(Notation::Toml), toml);
                let load_toml = if scenario::load(&toml, &model).is_ok() {
                    let (_, first) = timed(|| load(&toml));
                    show(time(plan.budget, first, || load(&toml)))
                } else {
                    "over limit".to_owned()
                };
                let (facts, first) = timed(|| load(&json));
                let load_json = time(plan.budget, first, || load(&json));
                (load_toml, show(load_json), facts)
            } else {
                // One file may not hold this many: the facts are joined from several loads.
                let facts = scenario.load(&model, Notation::Json).unwrap();
                ("over limit".to_owned(), "over limit".to_owned(), facts)
            };
            let what = scenario.file_name(Notation::Json);
            let (interpreter, hand) = compare(&plan, &model, &letter, &facts, &what);
            println!(
                "  {holdings:>9}  {:<8}  {load_toml:>10}  {load_json:>10}  {:>11}  {:>10}  {:>7}",
                packages.as_str(),
                show(interpreter),
                show(hand),
                ratio(interpreter, hand)
            );
        }
    }
    println!(
        "\n(over limit: a TOML scenario may be at most 16 MiB (`scenario::MAX_TOML_FILE_SIZE`), a scenario at most {} holdings (`scenario::MAX_HOLDINGS`); larger ones are loaded in slices whose holdings are joined)",
        scenario::MAX_HOLDINGS
    );
}
