//! `treaty`: arms-limitation provisions as code.
//!
//! The pipeline, one module a stage:
//!
//! ```text
//! rule files ─ syntax::parse ─▶ ast ─ check::check_file ─▶ model (checked, compiled)
//! scenario   ─ scenario::load (against the model's vocabulary) ─▶ facts
//! model + facts ─ eval::evaluate ─▶ report ─ report::render (text, JSON, Markdown)
//! ```

pub mod ast;
pub mod check;
pub mod diagnostics;
pub mod eval;
pub mod fmt;
pub mod interval;
pub mod lang;
pub mod lsp;
pub mod model;
pub mod report;
pub mod scenario;
pub mod span;
pub mod syntax;
pub mod test_blocks;
