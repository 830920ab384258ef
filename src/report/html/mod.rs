//! HTML reports: one self-contained page per run, with inline CSS, inline SVG charts and a
//! small optional script; nothing is loaded from the network (a Content-Security-Policy in
//! the page forbids it).
//!
//! Templates are [`maud`]'s `html!`, checked when the crate compiles; every value taken from a
//! rule file or a scenario is escaped by it. A page is [`page::page`] around a body; a chart is
//! [`chart::chart`] of [`chart::Bar`]s; a verdict is [`page::badge`]. A new report (a sweep,
//! headroom) is a new module here that builds its body from these parts.
#![warn(missing_docs)]

pub mod chart;
mod compare;
mod eval;
mod literate;
pub mod page;

pub use compare::render_comparison_html;
pub use eval::{HtmlOptions, render_html};
pub use literate::render_coverage_html;

#[cfg(test)]
mod tests;
