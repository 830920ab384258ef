//! What every HTML page must pass: it parses without a single error as a browser parses it
//! (html5ever, the HTML standard's algorithm), its ids are unique and its links land, and it
//! refers to nothing outside itself, so opening it fetches nothing.
#![allow(
    clippy::expect_used,
    clippy::arithmetic_side_effects,
    reason = "a test helper: a panic is a failing test"
)]

use std::collections::HashSet;

use html5ever::tendril::TendrilSink;
use html5ever::tokenizer::TokenizerOpts;
use html5ever::tree_builder::{QuirksMode, TreeBuilderOpts};
use html5ever::{ParseOpts, parse_document};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

/// An element: its name and attributes.
pub struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
}

impl Element {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Elements that load something from elsewhere.
const FETCHING: &[&str] = &[
    "link", "img", "iframe", "object", "embed", "source", "video", "audio", "base", "form",
    "frame", "image", "use", "track", "picture",
];

/// Attributes that name something to load or go to.
const REFERENCES: &[&str] = &[
    "src",
    "href",
    "xlink:href",
    "action",
    "formaction",
    "srcset",
    "poster",
    "data",
    "background",
    "ping",
    "manifest",
    "codebase",
    "cite",
    "longdesc",
];

/// Parse `html` and check it; panics with the reason when a check fails. Returns every
/// element, in document order.
pub fn check_page(html: &str) -> Vec<Element> {
    let opts = ParseOpts {
        tokenizer: TokenizerOpts {
            exact_errors: true,
            ..TokenizerOpts::default()
        },
        tree_builder: TreeBuilderOpts {
            exact_errors: true,
            ..TreeBuilderOpts::default()
        },
    };
    let dom = parse_document(RcDom::default(), opts)
        .from_utf8()
        .read_from(&mut html.as_bytes())
        .unwrap();
    let errors = dom.errors.borrow();
    assert!(
        errors.is_empty(),
        "the page does not parse cleanly: {errors:?}"
    );
    assert_eq!(dom.quirks_mode.get(), QuirksMode::NoQuirks);
    let mut elements = Vec::new();
    collect(&dom.document, &mut elements);

    let mut ids = HashSet::new();
    for element in &elements {
        if let Some(id) = element.attribute("id") {
            assert!(ids.insert(id.to_string()), "duplicate id `{id}`");
            assert!(
                !id.is_empty() && !id.contains(char::is_whitespace),
                "bad id `{id}`"
            );
        }
        if let Some(class) = element.attribute("class") {
            assert!(
                !class.trim().is_empty(),
                "empty class on <{}>",
                element.name
            );
        }
    }
    let mut scripts = 0;
    for element in &elements {
        assert!(
            !FETCHING.contains(&element.name.as_str()),
            "<{}> would load something",
            element.name
        );
        if element.name == "script" {
            scripts += 1;
            assert!(
                element.attribute("src").is_none(),
                "a script from elsewhere"
            );
        }
        for (name, value) in &element.attributes {
            if REFERENCES.contains(&name.as_str()) {
                let target = value.strip_prefix('#');
                assert!(
                    target.is_some_and(|t| ids.contains(t)),
                    "<{} {name}=\"{value}\"> leads outside the page or nowhere",
                    element.name
                );
            }
            if name == "style" {
                assert_inline_style(value);
            }
        }
    }
    assert!(scripts <= 1, "{scripts} scripts");
    for style in text_of(&dom.document, "style") {
        assert_inline_style(&style);
    }
    let policy = elements
        .iter()
        .find(|e| e.attribute("http-equiv") == Some("Content-Security-Policy"))
        .and_then(|e| e.attribute("content"))
        .expect("a Content-Security-Policy");
    assert!(policy.starts_with("default-src 'none'"));
    elements
}

fn assert_inline_style(css: &str) {
    assert!(!css.contains("@import"), "a style sheet from elsewhere");
    for (at, _) in css.match_indices("url(") {
        assert!(
            css[at..].starts_with("url(#"),
            "a style refers outside the page: {}",
            &css[at..(at + 40).min(css.len())]
        );
    }
}

fn collect(node: &Handle, out: &mut Vec<Element>) {
    if let NodeData::Element { name, attrs, .. } = &node.data {
        let attributes = attrs
            .borrow()
            .iter()
            .map(|a| {
                let prefix = a
                    .name
                    .prefix
                    .as_ref()
                    .map(|p| format!("{p}:"))
                    .unwrap_or_default();
                (format!("{prefix}{}", a.name.local), a.value.to_string())
            })
            .collect();
        out.push(Element {
            name: name.local.to_string(),
            attributes,
        });
    }
    for child in node.children.borrow().iter() {
        collect(child, out);
    }
}

/// The text inside every element named `name`.
fn text_of(node: &Handle, name: &str) -> Vec<String> {
    let mut found = Vec::new();
    if let NodeData::Element { name: n, .. } = &node.data {
        if &*n.local == name {
            let mut text = String::new();
            for child in node.children.borrow().iter() {
                if let NodeData::Text { contents } = &child.data {
                    text.push_str(&contents.borrow());
                }
            }
            found.push(text);
        }
    }
    for child in node.children.borrow().iter() {
        found.extend(text_of(child, name));
    }
    found
}
