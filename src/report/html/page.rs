//! What every page shares: the document shell (inline style sheet and script, the chart
//! patterns), verdict badges, the legend, and ids made from names.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::lang::Verdict;
use crate::report::{ESTIMATE_LEGEND, ESTIMATE_MARK};

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// The page may load nothing: no fonts, images, scripts or frames from anywhere. Inline style
/// and script are allowed; `data:` is not needed.
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'";

/// A whole HTML document titled `title`, with `body` inside `<body>`.
pub fn page(title: &str, body: Markup) -> String {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="Content-Security-Policy" content=(POLICY);
                meta name="generator" content="treaty";
                meta name="color-scheme" content="light dark";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                (patterns())
                (body)
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    let mut out = line_per_block(&markup.into_string());
    out.push('\n');
    out
}

/// Elements that start a line of the page's source, so that it reads (and diffs) line by
/// line. None of them can stand where white space shows (inside a paragraph of the source
/// text, which keeps its own line breaks).
const BLOCKS: &[&str] = &[
    "html",
    "head",
    "body",
    "meta",
    "style",
    "script",
    "header",
    "footer",
    "nav",
    "main",
    "section",
    "article",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "p",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "figure",
    "figcaption",
    "details",
    "blockquote",
    "svg",
    "g",
    "defs",
    "pattern",
];

/// `html` with a line break before each opening tag of [`BLOCKS`]. Escaped text holds no `<`,
/// so only tags are matched; the style sheet and the script hold no such tag.
fn line_per_block(html: &str) -> String {
    let mut out = String::with_capacity(html.len().saturating_add(html.len() / 16));
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let (before, tag) = rest.split_at(at);
        out.push_str(before);
        let name: String = tag
            .chars()
            .skip(1)
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let opens = BLOCKS.contains(&name.as_str())
            && tag
                .get(name.len().saturating_add(1)..)
                .is_some_and(|after| after.starts_with([' ', '>']));
        if opens && !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push('<');
        rest = tag.get(1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// The fill patterns the charts refer to (`url(#pattern-…)`), defined once per page.
fn patterns() -> Markup {
    html! {
        svg width="0" height="0" aria-hidden="true" focusable="false" style="position:absolute" {
            defs {
                pattern #pattern-possible patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)" {
                    rect .pattern-bg-possible width="6" height="6" {}
                    line .pattern-line-possible x1="0" y1="0" x2="0" y2="6" {}
                }
                pattern #pattern-excess patternUnits="userSpaceOnUse" width="6" height="6" {
                    rect .pattern-bg-excess width="6" height="6" {}
                    path .pattern-line-excess d="M0,0 L6,6 M6,0 L0,6" {}
                }
            }
        }
    }
}

/// The verdict as a badge: an icon, the word, a border style of its own.
pub fn badge(verdict: Verdict) -> Markup {
    let icon = match verdict {
        Verdict::Complies => "✓",
        Verdict::Violated => "✗",
        Verdict::Undetermined => "?",
        Verdict::NotApplicable | Verdict::NotInForce | Verdict::NotEvaluable => "–",
    };
    html! {
        span class={ "badge " (verdict.as_str()) } {
            span .icon aria-hidden="true" { (icon) }
            (verdict.as_str().replace('_', " "))
        }
    }
}

/// A sentence of the evaluation's (a warning, a remark, a legend) with its `` `names` `` set
/// as code, as the Markdown report shows them; with unbalanced backticks, the text as it is.
pub fn prose(text: &str) -> Markup {
    let parts: Vec<&str> = text.split('`').collect();
    let balanced = parts.len() % 2 == 1;
    html! {
        @for (index, part) in parts.iter().enumerate() {
            @if !balanced {
                @if index > 0 { "`" }
                (part)
            } @else if index % 2 == 1 {
                code { (part) }
            } @else {
                (part)
            }
        }
    }
}

/// What the reader should know before trusting the verdicts, as a marked list near the top
/// of the page; nothing without warnings. `warnings` pairs each with the position it comes
/// from, when the page shows several.
pub fn warnings(warnings: &[(Option<&str>, &str)]) -> Markup {
    html! {
        @if !warnings.is_empty() {
            section .warnings #warnings aria-labelledby="warnings-title" {
                h2 #warnings-title { span .icon aria-hidden="true" { "⚠" } " Warnings" }
                ul {
                    @for (from, warning) in warnings {
                        li {
                            @if let Some(from) = from { code { (from) } ": " }
                            (prose(warning))
                        }
                    }
                }
            }
        }
    }
}

/// The line that explains the `~` before an estimated quantity, in the text report's words.
pub fn estimate_legend() -> Markup {
    html! { p .estimate-legend { (prose(ESTIMATE_LEGEND)) } }
}

/// `ESTIMATE_MARK` before a quantity that rests on an estimate, with a tooltip saying so;
/// nothing otherwise.
pub fn estimate_mark(estimated: bool) -> Markup {
    html! {
        @if estimated { abbr .estimated title="estimated" { (ESTIMATE_MARK) } }
    }
}

/// What the chart marks mean.
pub fn chart_legend() -> Markup {
    html! {
        ul .legend aria-label="How to read the charts" {
            li { (swatch("certain")) "counted for certain" }
            li { (swatch("possible")) "may be counted (an estimate or an unknown)" }
            li { (swatch("excess")) "over the bound (the excess)" }
            li {
                svg viewBox="0 0 36 16" aria-hidden="true" {
                    line .bound x1="18" y1="0" x2="18" y2="16" {}
                }
                "the bound in force"
            }
        }
    }
}

fn swatch(class: &str) -> Markup {
    html! {
        svg viewBox="0 0 36 16" aria-hidden="true" {
            rect class=(class) x="1" y="2" width="34" height="12" {}
        }
    }
}

/// A fragment of an id from any name: letters, digits, `_` and `-` kept, anything else
/// written as `.` and its code point, so different names give different ids.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for ch in name.chars() {
        if ch.is_ascii_alphanumeric() || ch == '_' || ch == '-' {
            out.push(ch);
        } else {
            out.push_str(&format!(".{:x}", u32::from(ch)));
        }
    }
    out
}

/// The id of a party's section.
pub fn party_id(party: &str) -> String {
    format!("party-{}", slug(party))
}

/// The id of a provision's entry in a party's section.
pub fn provision_id(party: &str, provision: &str) -> String {
    format!("{}--{}", slug(party), slug(provision))
}

/// Where the page says it is self-contained, and what made it.
pub fn footer(made_from: Markup) -> Markup {
    html! {
        footer {
            p { "Made by " code { "treaty" } " from " (made_from) "." }
            p { "This page is self-contained: it loads nothing from the network, and works without its script." }
        }
    }
}

/// The place the script puts its buttons (none without the script).
pub fn tools() -> Markup {
    html! { div #tools .tools {} }
}
