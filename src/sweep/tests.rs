use std::path::Path;

use super::*;

fn model() -> Model {
    crate::check::check_file(Path::new("rules/ussr-1977-03-15.treaty"), Path::new("."))
        .unwrap()
        .model
}

fn disputed(model: &Model) -> Facts {
    crate::scenario::load_path(
        Path::new("scenarios/hypothetical-1985-backfire-range-disputed.toml"),
        model,
    )
    .unwrap()
}

fn request(model: &Model, samples: u64) -> Request {
    Request {
        options: Options::defaults(model),
        samples,
        seed: DEFAULT_SEED,
        grid: false,
    }
}

#[test]
fn the_disputed_range_is_drawn_in_whole_kilometres() {
    let model = model();
    let plan = inputs::plan(&model, &disputed(&model));
    let names: Vec<&str> = plan.inputs.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "`Backfire` range",
            "`Backfire` intercontinental",
            "package `cruise_missiles`"
        ]
    );
    assert!(matches!(
        plan.inputs[0].values,
        Values::Integers {
            min: 2200,
            max: 5000,
            unit: Some("km"),
            ..
        }
    ));
}

/// The disputed scenario with `from` replaced by `to`, loaded.
fn edited(model: &Model, from: &str, to: &str) -> Facts {
    let path = "scenarios/hypothetical-1985-backfire-range-disputed.toml";
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from}");
    let file = crate::span::SourceFile::new("edited.toml".to_owned(), text.replace(from, to));
    crate::scenario::load(&file, model).unwrap()
}

fn provision<'a>(sweep: &'a Sweep, party: &str, id: &str) -> &'a ProvisionSweep {
    sweep
        .parties
        .iter()
        .find(|p| p.party == party)
        .unwrap()
        .provisions
        .iter()
        .find(|p| p.id == id)
        .unwrap()
}

fn share(provision: &ProvisionSweep, verdict: Verdict) -> &Share {
    provision
        .verdicts
        .iter()
        .find(|s| s.verdict == verdict)
        .unwrap()
}

fn in_pool<T: Send>(threads: usize, job: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(job)
}

#[test]
fn the_backfire_assurance_is_broken_in_nearly_every_sample_and_flips_at_2200_km() {
    let model = model();
    let facts = disputed(&model);
    let sweep = sweep(&model, &facts, &request(&model, 3000), &|_| {}).unwrap();
    assert_eq!(sweep.samples, 3000);
    let backfire = provision(&sweep, "USSR", "backfire_assurance");
    let violated = share(backfire, Verdict::Violated);
    assert!(violated.share > 0.99, "{violated:?}");
    assert!(violated.low < violated.share && violated.share <= violated.high);
    let flip = backfire
        .flips
        .iter()
        .find(|f| f.input == "`Backfire` range")
        .unwrap();
    match flip.flip {
        Flip::Threshold {
            below: Verdict::Complies,
            above: Verdict::Violated,
            at,
            exact: true,
            ..
        }
        | Flip::Above {
            verdict: Verdict::Violated,
            at,
        } => assert_eq!(at, 2200.0),
        ref other => panic!("{other:?}"),
    }
    // The package decides the MIRV ceiling for the USSR, one way each.
    let mirv = provision(&sweep, "USSR", "mirv_ceiling");
    let by_value: Vec<(&str, Verdict)> = mirv
        .flips
        .iter()
        .filter_map(|f| match &f.flip {
            Flip::Value { value, verdict, .. } => Some((value.as_str(), *verdict)),
            _ => None,
        })
        .collect();
    assert_eq!(
        by_value,
        [("agreed", Verdict::Violated), ("open", Verdict::Complies)]
    );
    // A provision no input touches has one verdict and no flip.
    let aggregate = provision(&sweep, "USA", "aggregate_ceiling");
    assert_eq!(aggregate.verdicts.len(), 1);
    assert!(aggregate.flips.is_empty());
}

#[test]
fn a_sweep_is_the_same_whatever_the_threads_and_changes_with_the_seed() {
    let model = model();
    let facts = disputed(&model);
    let run = |threads: usize, seed: u64| {
        let mut request = request(&model, 700);
        request.seed = seed;
        in_pool(threads, || {
            render_json(&sweep(&model, &facts, &request, &|_| {}).unwrap())
        })
    };
    let one = run(1, 7);
    assert_eq!(one, run(2, 7));
    assert_eq!(one, run(3, 7));
    assert_ne!(one, run(2, 8));
}

#[test]
fn progress_counts_every_sample() {
    let model = model();
    let facts = disputed(&model);
    let done = std::sync::atomic::AtomicU64::new(0);
    sweep(&model, &facts, &request(&model, 1500), &|n| {
        done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    })
    .unwrap();
    assert_eq!(done.into_inner(), 1500);
}

#[test]
fn a_grid_evaluates_every_combination_once() {
    let model = model();
    let facts = edited(&model, "\"2200..5000 km\"", "\"2198..2202 km\"");
    let mut request = request(&model, 100);
    request.grid = true;
    assert_eq!(sample_count(&model, &facts, &request).unwrap(), 20);
    let sweep = sweep(&model, &facts, &request, &|_| {}).unwrap();
    assert_eq!(
        (sweep.method, sweep.seed, sweep.samples),
        ("grid", None, 20)
    );
    let backfire = provision(&sweep, "USSR", "backfire_assurance");
    // 2198, 2199 and 2200 km without intercontinental capability, either package state.
    assert_eq!(share(backfire, Verdict::Complies).samples, 6);
    assert_eq!(share(backfire, Verdict::Violated).samples, 14);
    let flips: Vec<&Flip> = backfire.flips.iter().map(|f| &f.flip).collect();
    assert_eq!(
        flips,
        [
            &Flip::Above {
                verdict: Verdict::Violated,
                at: 2200.0
            },
            &Flip::Value {
                value: "true".to_owned(),
                verdict: Verdict::Violated,
                samples: 10
            }
        ]
    );
    // More combinations than samples: refused.
    request.samples = 19;
    let Err(SweepError::Usage(problem)) = super::sweep(&model, &facts, &request, &|_| {}) else {
        panic!("a grid of 20 under --samples 19");
    };
    assert_eq!(
        miette::Diagnostic::code(&problem).unwrap().to_string(),
        "treaty::usage::grid_too_large"
    );
}

#[test]
fn a_real_interval_is_drawn_but_not_enumerated() {
    let model = model();
    let facts = edited(&model, "\"2200..5000 km\"", "\"2200.5..5000 km\"");
    let plan = inputs::plan(&model, &facts);
    assert!(matches!(
        plan.inputs[0].values,
        Values::Reals {
            min: 2200.5,
            max: 5000.0,
            unit: Some("km"),
            ..
        }
    ));
    let mut request = request(&model, 1000);
    request.grid = true;
    let problem = sample_count(&model, &facts, &request).unwrap_err();
    assert!(
        problem.message.contains("real interval"),
        "{}",
        problem.message
    );
    // Every draw lies inside: never at 2200 km, so the assurance never complies.
    request.grid = false;
    request.samples = 300;
    let sweep = sweep(&model, &facts, &request, &|_| {}).unwrap();
    let backfire = provision(&sweep, "USSR", "backfire_assurance");
    assert_eq!(backfire.verdicts.len(), 1);
    assert_eq!(backfire.verdicts[0].verdict, Verdict::Violated);
}

#[test]
fn counts_as_intervals_are_drawn_and_unknown_counts_left_as_they_are() {
    let model = model();
    let facts = edited(
        &model,
        "count = 100                      # illustrative; mobile ICBM launchers: the letter asks restraint",
        "count = \"unknown\"               # mobile ICBM launchers",
    );
    let plan = inputs::plan(&model, &facts);
    assert_eq!(
        plan.left_unknown,
        ["count of `Mobile ICBM launchers` is unknown: no upper bound to draw within"]
    );
    let facts = edited(
        &model,
        "count = 100                      # illustrative; mobile ICBM launchers: the letter asks restraint",
        "count = \"0..3\"",
    );
    let plan = inputs::plan(&model, &facts);
    let count = plan
        .inputs
        .iter()
        .find(|i| i.name == "count of `Mobile ICBM launchers`")
        .unwrap();
    assert!(matches!(
        count.values,
        Values::Integers {
            min: 0,
            max: 3,
            unit: None,
            ..
        }
    ));
    // None mobile complies, any violates: the ban flips between 0 and 1.
    let sweep = sweep(&model, &facts, &request(&model, 400), &|_| {}).unwrap();
    let ban = provision(&sweep, "USSR", "mobile_icbm_ban");
    let flip = ban
        .flips
        .iter()
        .find(|f| f.input == "count of `Mobile ICBM launchers`")
        .unwrap();
    assert_eq!(
        flip.flip,
        Flip::Threshold {
            below: Verdict::Complies,
            above: Verdict::Violated,
            last_below: 0.0,
            first_above: 1.0,
            at: 0.0,
            exact: true
        }
    );
}

#[test]
fn wilson_intervals() {
    let (low, high) = stats::wilson(5, 10);
    assert!((low - 0.2366).abs() < 1e-4 && (high - 0.7634).abs() < 1e-4);
    assert_eq!(stats::wilson(0, 10).0, 0.0);
    assert_eq!(stats::wilson(10, 10).1, 1.0);
    assert_eq!(stats::wilson(0, 0), (0.0, 1.0));
}

#[test]
fn the_cli_cap_is_the_library_cap() {
    // src/cli.rs writes the cap of `--samples` as a number: it is built without `treaty`.
    let cli = include_str!("../cli.rs");
    assert!(cli.contains("range(1..=100_000_000)"));
    assert_eq!(MAX_SAMPLES, 100_000_000);
}

#[test]
fn codes_are_documented() {
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md"))
            .unwrap();
    for code in Code::ALL {
        let code = crate::diagnostics::Code::as_str(*code);
        assert!(
            docs.contains(&format!("`{code}`")),
            "{code} is not in docs/diagnostics.md"
        );
    }
}

#[test]
fn a_count_too_large_to_draw_exactly_is_left_as_it_is() {
    let model = model();
    let facts = edited(
        &model,
        "count = 100                      # illustrative; mobile ICBM launchers: the letter asks restraint",
        "count = \"0..18000000000000000\"",
    );
    let plan = inputs::plan(&model, &facts);
    assert_eq!(
        plan.left_unknown,
        ["count of `Mobile ICBM launchers` is too large to draw exactly"]
    );
}
