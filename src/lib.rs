//! `treaty`: arms-limitation provisions as code.
//!
//! A rule file writes down a position, proposal or treaty — ceilings, counting rules, bans,
//! assurances, linked packages — each provision anchored to a verified quote of its source.
//! A scenario gives the forces of each party at a date. The interpreter evaluates one against
//! the other and explains every verdict.
//!
//! The pipeline, one module a stage:
//!
//! ```text
//! rule files ─ syntax::parse ─▶ ast ─ check::check_file ─▶ model (checked, compiled)
//! scenario   ─ scenario::load (against the model's vocabulary) ─▶ facts
//! model + facts ─ eval::evaluate ─▶ report ─ report::render (text, JSON, Markdown, HTML)
//! model + facts ─ headroom::headroom ─▶ margins, room per holding, smallest reductions
//! model + source text ─ coverage::cover ─▶ coverage (which sentences the quotes cover)
//! model ─ schema::render ─▶ the JSON Schema of the scenarios the model accepts
//! ```
//!
//! Every stage reports problems as [`Problem`]s (miette diagnostics with a stable code), all
//! of them at once. The functions re-exported here are what a program embedding `treaty`
//! needs; the modules hold the rest.
//!
//! ```
//! use std::path::Path;
//!
//! let checked = treaty::check_file(Path::new("rules/ussr-1977-03-15.treaty"), Path::new("."))
//!     .map_err(|problems| format!("{} problems in the rule file", problems.len()))?;
//! let facts = treaty::load_scenario(
//!     Path::new("scenarios/salt2-data-base-1978-11-01.toml"),
//!     &checked.model,
//! )
//! .map_err(|problems| format!("{} problems in the scenario", problems.len()))?;
//! let options = treaty::Options::defaults(&checked.model);
//! let report = treaty::evaluate(&checked.model, &facts, &options)?;
//!
//! let ussr = report.parties.iter().find(|p| p.party == "USSR").ok_or("no USSR")?;
//! assert_eq!(ussr.verdict, treaty::Verdict::Violated);
//! let text = treaty::render(&report, treaty::Format::Text, &treaty::TextOptions::default());
//! assert!(text.contains("aggregate_ceiling"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

pub mod ast;
pub mod batch;
pub mod check;
pub mod compare;
pub mod coverage;
pub mod diagnostics;
pub mod eval;
pub mod files;
pub mod fmt;
pub mod headroom;
pub mod interval;
pub mod lang;
pub mod lsp;
pub mod model;
pub mod project;
pub mod report;
pub mod scenario;
pub mod schema;
pub mod span;
pub mod sweep;
pub mod syntax;
pub mod terminal;
pub mod test_blocks;

/// Check a rule file and the files it imports; every problem at once.
///
/// `root` confines imports and test-block scenarios: nothing outside it is read.
///
/// ```
/// use std::path::Path;
///
/// let checked = treaty::check_file(Path::new("rules/ussr-1977-03-15.treaty"), Path::new("."));
/// let checked = checked.map_err(|problems| problems.len())?;
/// assert!(checked.model.provisions.iter().any(|p| p.id == "aggregate_ceiling"));
/// # Ok::<(), usize>(())
/// ```
#[doc(inline)]
pub use check::{Checked, check_file};

/// Load a scenario file (TOML or JSON, by its extension) against a checked position's
/// vocabulary; every problem at once.
///
/// ```
/// use std::path::Path;
///
/// # let model = treaty::check_file(Path::new("rules/ussr-1977-03-15.treaty"), Path::new("."))
/// #     .map_err(|problems| problems.len())?
/// #     .model;
/// let facts = treaty::load_scenario(
///     Path::new("scenarios/salt2-data-base-1978-11-01.toml"),
///     &model,
/// )
/// .map_err(|problems| problems.len())?;
/// assert!(!facts.holdings.is_empty());
/// # Ok::<(), usize>(())
/// ```
#[doc(inline)]
pub use scenario::{Facts, load_path as load_scenario};

/// Evaluate a checked position against loaded facts: a verdict per party and provision,
/// with the reasons.
///
/// ```
/// use std::path::Path;
///
/// # let model = treaty::check_file(Path::new("rules/ussr-1977-03-15.treaty"), Path::new("."))
/// #     .map_err(|_| "rule file")?
/// #     .model;
/// # let facts = treaty::load_scenario(Path::new("scenarios/salt2-data-base-1978-11-01.toml"), &model)
/// #     .map_err(|_| "scenario")?;
/// let mut options = treaty::Options::defaults(&model);
/// options.party = model.parties.iter().position(|p| p == "USA");
/// let report = treaty::evaluate(&model, &facts, &options)?;
/// assert_eq!(report.parties.len(), 1);
///
/// // Many scenarios with one rule file: make it ready once.
/// let evaluator = treaty::Evaluator::new(&model);
/// assert_eq!(evaluator.evaluate(&facts, &options)?, report);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[doc(inline)]
pub use eval::{Evaluator, Options, evaluate};

/// Render a report as text, JSON (`treaty-report/1`) or Markdown.
///
/// ```
/// use std::path::Path;
///
/// # let model = treaty::check_file(Path::new("rules/ussr-1977-03-15.treaty"), Path::new("."))
/// #     .map_err(|_| "rule file")?
/// #     .model;
/// # let facts = treaty::load_scenario(Path::new("scenarios/salt2-data-base-1978-11-01.toml"), &model)
/// #     .map_err(|_| "scenario")?;
/// # let report = treaty::evaluate(&model, &facts, &treaty::Options::defaults(&model))?;
/// let json = treaty::render(&report, treaty::Format::Json, &treaty::TextOptions::default());
/// assert!(json.contains("\"format\": \"treaty-report/1\""));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[doc(inline)]
pub use report::{Format, Report, TextOptions, render};

pub use diagnostics::Problem;
pub use lang::Verdict;
pub use model::Model;
