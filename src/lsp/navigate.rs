//! Hover, go to definition, find references, and the outlines: of a document, and of the
//! whole workspace.

use std::path::Path;

use lsp_types::{
    DocumentSymbol, Hover, HoverContents, Location, MarkupContent, MarkupKind, OneOf, Range,
    SymbolKind, WorkspaceSymbol,
};

use crate::ast::{Item, Scope};

use super::source::{SourceText, paragraph_with, source_texts};
use super::symbols::{Index, Key};
use super::text::{LineIndex, uri_of};
use super::workspace::{Parsed, Workspace};

/// What the hover at `offset` of `path` shows: for a quote, the paragraph of the source text
/// it comes from; for a name, what its declaration says.
pub(super) fn hover(workspace: &Workspace, path: &Path, offset: usize) -> Option<Hover> {
    let files = workspace.closure(path);
    let document = files.first()?;
    let index = Index::build(&files);
    let lines = LineIndex::new(&document.file.text);
    if let Some(quote) = index
        .quotes
        .iter()
        .find(|q| q.path == path && q.span.start <= offset && offset < q.span.end)
    {
        let origin = files.iter().find(|f| f.path == quote.path)?;
        // A named quote is looked up in its source only; an unnamed one in every source.
        let sources: Vec<SourceText> = source_texts(origin)
            .into_iter()
            .filter(|s| quote.source.is_none() || s.name == quote.source)
            .collect();
        let found = sources.iter().find_map(|source| {
            paragraph_with(&source.text, &quote.text).map(|paragraph| (source, paragraph))
        });
        let paths = sources
            .iter()
            .map(|s| format!("`{}`", s.path))
            .collect::<Vec<_>>()
            .join(", ");
        let value = match found {
            Some((source, paragraph)) => format!("From `{}`:\n\n> {paragraph}", source.path),
            None if sources.is_empty() => match &quote.source {
                Some(name) => format!("This file names no source `{name}` to find the quote in."),
                None => "This file names no source text to find the quote in.".to_string(),
            },
            None => format!("Not found in {paths} as one passage."),
        };
        return Some(markdown(value, lines.range(quote.span)));
    }
    let occurrence = index.at(path, offset)?;
    let value = match &occurrence.key {
        Key::File(target) => file_summary(workspace, target),
        key => {
            let docs: Vec<&str> = index
                .declarations(key)
                .filter_map(|d| d.declaration.as_ref().map(|d| d.doc.as_str()))
                .collect();
            if docs.is_empty() {
                return None;
            }
            docs.join("\n\n---\n\n")
        }
    };
    Some(markdown(value, lines.range(occurrence.span)))
}

fn markdown(value: String, range: Range) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(range),
    }
}

/// A file named by `use`, `source` or `scenario`: its path, and its title when it is a rule
/// file.
fn file_summary(workspace: &Workspace, target: &Path) -> String {
    let title = workspace
        .parse(target)
        .and_then(|parsed| parsed.tree)
        .and_then(|tree| tree.header)
        .map(|header| format!("\n\n{} “{}”", header.kind.node, header.title.node));
    let shown = target
        .strip_prefix(std::env::current_dir().unwrap_or_default())
        .unwrap_or(target);
    format!("`{}`{}", shown.display(), title.unwrap_or_default())
}

/// Where the name at `offset` of `path` is declared (a file named there: the file).
pub(super) fn definition(workspace: &Workspace, path: &Path, offset: usize) -> Vec<Location> {
    let files = workspace.closure(path);
    let index = Index::build(&files);
    let Some(occurrence) = index.at(path, offset) else {
        return Vec::new();
    };
    if let Key::File(target) = &occurrence.key {
        return uri_of(target)
            .map(|uri| Location::new(uri, Range::default()))
            .into_iter()
            .collect();
    }
    let found = locations(&files, index.declarations(&occurrence.key));
    if !found.is_empty() {
        return found;
    }
    // Declared in a file that does not import: look through the workspace.
    let all = workspace.all_files();
    let everywhere = Index::build(&all);
    locations(&all, everywhere.declarations(&occurrence.key))
}

/// Where the name at `offset` of `path` is used, in the workspace and the files it imports.
pub(super) fn references(
    workspace: &Workspace,
    path: &Path,
    offset: usize,
    declarations: bool,
) -> Vec<Location> {
    let files = workspace.closure(path);
    let Some(key) = Index::build(&files).at(path, offset).map(|o| o.key.clone()) else {
        return Vec::new();
    };
    let mut all = workspace.all_files();
    for parsed in files {
        if !all.iter().any(|p| p.path == parsed.path) {
            all.push(parsed);
        }
    }
    let index = Index::build(&all);
    let found = index
        .occurrences
        .iter()
        .filter(|o| o.key == key && (declarations || o.declaration.is_none()));
    locations(&all, found)
}

fn locations<'o>(
    files: &[Parsed],
    occurrences: impl Iterator<Item = &'o super::symbols::Occurrence>,
) -> Vec<Location> {
    occurrences
        .filter_map(|occurrence| {
            let parsed = files.iter().find(|f| f.path == occurrence.path)?;
            let range = LineIndex::new(&parsed.file.text).range(occurrence.span);
            Some(Location::new(uri_of(&occurrence.path)?, range))
        })
        .collect()
}

/// The outline of the document at `path`.
pub(super) fn document_symbols(workspace: &Workspace, path: &Path) -> Vec<DocumentSymbol> {
    let Some(parsed) = workspace.parse(path) else {
        return Vec::new();
    };
    let Some(tree) = &parsed.tree else {
        return Vec::new();
    };
    let text: &str = &parsed.file.text;
    let lines = LineIndex::new(text);
    let mut symbols = Vec::new();
    if let Some(header) = &tree.header {
        symbols.push((
            header.kind.span,
            symbol(
                &lines,
                header.title.node.clone(),
                header.kind.node.as_str(),
                SymbolKind::NAMESPACE,
                header.title.span,
                Vec::new(),
            ),
        ));
    }
    for item in &tree.items {
        let entry = match item {
            Item::Import(path) => {
                let name = format!("use {}", path.node);
                (
                    path.span,
                    symbol(&lines, name, "", SymbolKind::FILE, path.span, Vec::new()),
                )
            }
            Item::WeaponTypes(attributes) | Item::HoldingAttributes(attributes) => {
                let Some(first) = attributes.first() else {
                    continue;
                };
                let children = attributes
                    .iter()
                    .map(|a| {
                        let span = a.description.as_ref().map_or(a.ty.span, |d| d.span);
                        let detail = super::symbols::type_words(&a.ty.node);
                        let mut child = symbol(
                            &lines,
                            a.name.node.clone(),
                            &detail,
                            SymbolKind::FIELD,
                            a.name.span,
                            Vec::new(),
                        );
                        child.range = lines.range(a.name.span.to(span));
                        child
                    })
                    .collect();
                let name = if matches!(item, Item::WeaponTypes(_)) {
                    "weapon types"
                } else {
                    "holdings"
                };
                (
                    first.name.span,
                    symbol(
                        &lines,
                        name.to_string(),
                        "",
                        SymbolKind::STRUCT,
                        first.name.span,
                        children,
                    ),
                )
            }
            Item::Package(package) => (
                package.name.span,
                symbol(
                    &lines,
                    package.name.node.clone(),
                    "package",
                    SymbolKind::PACKAGE,
                    package.name.span,
                    Vec::new(),
                ),
            ),
            Item::Reading(reading) => {
                let children = reading
                    .variants
                    .iter()
                    .map(|v| {
                        symbol(
                            &lines,
                            v.name.node.clone(),
                            "variant",
                            SymbolKind::ENUM_MEMBER,
                            v.name.span,
                            Vec::new(),
                        )
                    })
                    .collect();
                (
                    reading.name.span,
                    symbol(
                        &lines,
                        reading.name.node.clone(),
                        "reading",
                        SymbolKind::ENUM,
                        reading.name.span,
                        children,
                    ),
                )
            }
            Item::Category(category) => (
                category.name.span,
                symbol(
                    &lines,
                    category.name.node.clone(),
                    "category",
                    SymbolKind::CLASS,
                    category.name.span,
                    Vec::new(),
                ),
            ),
            Item::Provision(provision) => {
                let scope = match provision.scope.as_ref().map(|s| &s.node) {
                    Some(Scope::For(party)) => format!(" for {}", party.node),
                    Some(Scope::By(party)) => format!(" by {}", party.node),
                    Some(Scope::EachParty) | None => String::new(),
                };
                let detail = format!("{}{scope}", provision.kind.node.as_str());
                (
                    provision.id.span,
                    symbol(
                        &lines,
                        provision.id.node.clone(),
                        &detail,
                        SymbolKind::FUNCTION,
                        provision.id.span,
                        Vec::new(),
                    ),
                )
            }
            Item::Test(test) => (
                test.title.span,
                symbol(
                    &lines,
                    test.title.node.clone(),
                    "test",
                    SymbolKind::EVENT,
                    test.title.span,
                    Vec::new(),
                ),
            ),
        };
        symbols.push(entry);
    }
    // Each declaration reaches from its line to the next declaration.
    let starts: Vec<usize> = symbols
        .iter()
        .map(|(anchor, _)| {
            text.get(..anchor.start)
                .map_or(0, |b| b.rfind('\n').map_or(0, |n| n.saturating_add(1)))
        })
        .collect();
    symbols
        .into_iter()
        .enumerate()
        .map(|(number, (anchor, mut symbol))| {
            let start = starts
                .get(number)
                .copied()
                .unwrap_or(anchor.start)
                .min(anchor.start);
            let next = starts
                .get(number.saturating_add(1))
                .copied()
                .unwrap_or(text.len());
            let end = start.saturating_add(text.get(start..next).unwrap_or("").trim_end().len());
            symbol.range = lines.range(crate::span::Span::new(start, end.max(anchor.end)));
            symbol
        })
        .collect()
}

#[expect(
    deprecated,
    reason = "`DocumentSymbol::deprecated` must be given, as `None`"
)]
fn symbol(
    lines: &LineIndex<'_>,
    name: String,
    detail: &str,
    kind: SymbolKind,
    selection: crate::span::Span,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    let range = lines.range(selection);
    DocumentSymbol {
        name: if name.is_empty() {
            "(untitled)".to_string()
        } else {
            name
        },
        detail: Some(detail.to_string()).filter(|d| !d.is_empty()),
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range: range,
        children: Some(children).filter(|c| !c.is_empty()),
    }
}

/// The declarations of the workspace whose names hold the letters of `query` in order.
pub(super) fn workspace_symbols(workspace: &Workspace, query: &str) -> Vec<WorkspaceSymbol> {
    let files = workspace.all_files();
    let index = Index::build(&files);
    let query: Vec<char> = query.to_lowercase().chars().collect();
    let mut found = Vec::new();
    for occurrence in &index.occurrences {
        let Some(declaration) = &occurrence.declaration else {
            continue;
        };
        let (name, container) = match &occurrence.key {
            Key::Variant(reading, name) => (name, Some(reading.clone())),
            Key::Category(name)
            | Key::Package(name)
            | Key::Reading(name)
            | Key::Attribute(_, name)
            | Key::Value(name)
            | Key::Provision(name)
            | Key::Party(name) => (name, None),
            Key::File(_) => continue,
        };
        let mut letters = name.to_lowercase().chars().collect::<Vec<_>>().into_iter();
        if !query.iter().all(|q| letters.any(|c| c == *q)) {
            continue;
        }
        let Some(parsed) = files.iter().find(|f| f.path == occurrence.path) else {
            continue;
        };
        let Some(uri) = uri_of(&occurrence.path) else {
            continue;
        };
        let range = LineIndex::new(&parsed.file.text).range(occurrence.span);
        let file = occurrence
            .path
            .file_name()
            .map(|n| n.to_string_lossy().to_string());
        found.push(WorkspaceSymbol {
            name: name.clone(),
            kind: declaration.kind,
            tags: None,
            container_name: container.or(file),
            location: OneOf::Left(Location::new(uri, range)),
            data: None,
        });
    }
    found
}
