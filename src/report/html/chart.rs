//! Horizontal bars of a quantity against its bound, drawn as SVG, with a caption that says
//! in words what the bars show.
//!
//! A quantity is an interval: the part counted for certain (from zero to its least value) is
//! solid, the part that may be counted (up to its greatest value, or to the edge with an arrow
//! when no greatest value is known) is hatched. The bound is a vertical line; what lies over
//! a ceiling for certain is cross-hatched and labelled with the excess; a floor not reached is
//! outlined. Several bars share one scale, so positions or parties compare at a glance.

use maud::{Markup, html};

use crate::interval::Amount;
use crate::lang::Verdict;
use crate::report::{BoundReport, ESTIMATE_MARK, ProvisionReport};

use super::page::badge;

/// One bar: a labelled quantity against its bound.
pub struct Bar<'a> {
    /// The row's name: a party, or a position.
    pub label: &'a str,
    /// The quantity measured; `None` when the provision was not evaluated.
    pub quantity: Option<Amount>,
    /// The bound in force, for a limit.
    pub bound: Option<&'a BoundReport>,
    /// The least change that would comply, when violated.
    pub excess: Option<u64>,
    /// The verdict.
    pub verdict: Verdict,
    /// The quantity rests on at least one estimated holding: marked `~` on the bar and said
    /// in the caption.
    pub estimated: bool,
}

impl<'a> Bar<'a> {
    /// The bar of a provision's quantity, labelled `label` (a party or a position).
    pub fn of(label: &'a str, provision: &'a ProvisionReport) -> Bar<'a> {
        Bar {
            label,
            quantity: provision.quantity,
            bound: provision.bound.as_ref(),
            excess: provision.excess,
            verdict: provision.verdict,
            estimated: provision.estimated,
        }
    }
}

const WIDTH: f64 = 640.0;
const LABEL: f64 = 160.0;
const RIGHT: f64 = 100.0;
const ROW: f64 = 56.0;
const AXIS: f64 = 22.0;
const GROUP: f64 = 24.0;

/// The bars in a `<figure>`; `id` names the figure, `what` the quantity in the caption.
pub fn chart(id: &str, what: &str, bars: &[Bar<'_>]) -> Markup {
    grouped_chart(id, what, &[(None, bars)])
}

/// Groups of bars on one scale in a `<figure>`, each group under its title (a position, when
/// the bars are its parties).
pub fn grouped_chart(id: &str, what: &str, groups: &[(Option<&str>, &[Bar<'_>])]) -> Markup {
    let scale = Scale::of(groups.iter().flat_map(|(_, bars)| bars.iter()));
    // Each group: its title's band (when it has a title), then a row per bar.
    let mut tops = Vec::new();
    let mut y = 0.0;
    for (title, bars) in groups {
        if title.is_some() {
            y += GROUP;
        }
        tops.push(y);
        y += ROW * bars.len() as f64;
    }
    let height = y + AXIS;
    let caption_id = format!("{id}-caption");
    html! {
        figure .chart #(id) {
            svg viewBox={ "0 0 " (WIDTH) " " (px(height)) } role="img" aria-labelledby=(caption_id) {
                (axis(&scale, height))
                @for ((title, bars), top) in groups.iter().zip(&tops) {
                    @if let Some(title) = title {
                        text .group-title x="0" y=(px(top - 6.0)) { (title) }
                    }
                    @for (index, bar) in bars.iter().enumerate() {
                        (row(&scale, bar, top + ROW * index as f64))
                    }
                }
            }
            figcaption #(caption_id) {
                @for (index, (title, bar)) in groups.iter().flat_map(|(title, bars)| bars.iter().map(move |bar| (title, bar))).enumerate() {
                    @if index > 0 { br; }
                    @if let Some(title) = title { (title) ", " }
                    (describe(what, bar)) " " (badge(bar.verdict))
                }
            }
        }
    }
}

/// The bar in words: the text equivalent of the drawing.
pub fn describe(what: &str, bar: &Bar<'_>) -> String {
    let mut text = format!("{}: ", bar.label);
    if !what.is_empty() {
        text.push_str(what);
        text.push(' ');
    }
    match bar.quantity {
        None => text.push_str("not measured"),
        Some(q) => {
            text.push_str(&amount_words(q));
            if bar.estimated {
                text.push_str(" (estimated)");
            }
        }
    }
    if let Some(bound) = bar.bound {
        text.push_str(&format!(
            ", against the bound {} {}",
            symbol(&bound.op),
            bound.value
        ));
        if let Some(from) = bound.from {
            text.push_str(&format!(" (in force from {from})"));
        }
    }
    if let Some(excess) = bar.excess {
        let word = match bar.bound.map(|b| b.op.as_str()) {
            Some(">=" | ">") => "short by",
            Some("=" | "!=") => "off by",
            _ => "over by",
        };
        text.push_str(&format!(": {word} {excess}"));
    } else if let (Some(q), Some(bound)) = (bar.quantity, bar.bound) {
        if matches!(bound.op.as_str(), "<=" | "<") {
            let over = q.max.map(|max| max.saturating_sub(i128::from(bound.value)));
            match over {
                Some(over) if over > 0 => text.push_str(&format!(": may be over by up to {over}")),
                None => text.push_str(": may be over, with no upper value known"),
                _ => {}
            }
        }
    }
    text.push('.');
    text
}

fn amount_words(q: Amount) -> String {
    match (q.min, q.max) {
        (Some(min), Some(max)) if min == max => format!("{min}"),
        (Some(min), Some(max)) => format!("between {min} and {max}"),
        (Some(min), None) => format!("at least {min}, no upper value known"),
        (None, Some(max)) => format!("at most {max}, no lower value known"),
        (None, None) => "unknown".to_string(),
    }
}

/// How a comparison is printed.
pub fn symbol(op: &str) -> &str {
    match op {
        "<=" => "≤",
        ">=" => "≥",
        "!=" => "≠",
        other => other,
    }
}

/// Values to x coordinates, and the ticks of the axis.
struct Scale {
    low: f64,
    high: f64,
    step: f64,
}

impl Scale {
    fn of<'b>(bars: impl Iterator<Item = &'b Bar<'b>>) -> Scale {
        let mut low = 0.0f64;
        let mut high = 1.0f64;
        for bar in bars {
            let values = bar
                .quantity
                .iter()
                .flat_map(|q| [q.min, q.max])
                .flatten()
                .map(|v| v as f64)
                .chain(bar.bound.map(|b| b.value as f64));
            for value in values {
                low = low.min(value);
                high = high.max(value);
            }
        }
        // Room past the largest value, so an open-ended bar and its arrow still show.
        let step = nice((high - low) * 1.08 / 5.0);
        Scale {
            low: (low / step).floor() * step,
            high: ((high * 1.08) / step).ceil() * step,
            step,
        }
    }

    fn x(&self, value: f64) -> f64 {
        let span = (self.high - self.low).max(f64::MIN_POSITIVE);
        let share = ((value - self.low) / span).clamp(0.0, 1.0);
        LABEL + share * (WIDTH - LABEL - RIGHT)
    }

    fn ticks(&self) -> Vec<f64> {
        let mut ticks = Vec::new();
        let mut value = self.low;
        while value <= self.high + self.step / 2.0 && ticks.len() < 20 {
            ticks.push(value);
            value += self.step;
        }
        ticks
    }
}

/// The least of 1, 2, 2.5 or 5 times a power of ten that is at least `raw`.
fn nice(raw: f64) -> f64 {
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    step.max(1.0)
}

fn axis(scale: &Scale, height: f64) -> Markup {
    let bottom = height - AXIS;
    html! {
        g .axis aria-hidden="true" {
            @for tick in scale.ticks() {
                line .grid x1=(px(scale.x(tick))) y1="0" x2=(px(scale.x(tick))) y2=(px(bottom)) {}
                text x=(px(scale.x(tick))) y=(px(bottom + 15.0)) text-anchor="middle" { (tick.round()) }
            }
        }
    }
}

/// A number for an SVG attribute: one decimal, no trailing `.0`.
fn px(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

fn row(scale: &Scale, bar: &Bar<'_>, top: f64) -> Markup {
    let bar_top = top + 18.0;
    let bar_height = 16.0;
    let zero = scale.x(0.0);
    let short_label: String = if bar.label.chars().count() > 18 {
        bar.label.chars().take(17).chain(['…']).collect()
    } else {
        bar.label.to_string()
    };
    let (min, max) = bar
        .quantity
        .map(|q| (q.min.map(|v| v as f64), q.max.map(|v| v as f64)))
        .unwrap_or((Some(0.0), Some(0.0)));
    // The certain part runs from zero to the end of the interval nearest zero, when the
    // interval does not contain zero.
    let certain = match (min, max) {
        (Some(min), _) if min > 0.0 => Some((0.0, min)),
        (_, Some(max)) if max < 0.0 => Some((max, 0.0)),
        _ => None,
    };
    let possible_from = min.map_or(scale.x(scale.low), |v| scale.x(v));
    let possible_to = max.map_or(scale.x(scale.high), |v| scale.x(v));
    let end = possible_to.max(zero);
    let value_text = match bar.quantity {
        Some(q) if bar.estimated => format!("{ESTIMATE_MARK}{q}"),
        Some(q) => q.to_string(),
        None => "not measured".to_string(),
    };
    html! {
        g .row {
            text x=(px(LABEL - 10.0)) y=(px(bar_top + 12.5)) text-anchor="end" {
                title { (bar.label) }
                (short_label)
            }
            rect .track x=(px(LABEL)) y=(px(bar_top)) width=(px(WIDTH - LABEL - RIGHT)) height=(px(bar_height)) {}
            @if let Some((from, to)) = certain {
                rect .certain x=(px(scale.x(from))) y=(px(bar_top)) width=(px(scale.x(to) - scale.x(from))) height=(px(bar_height)) {}
            }
            @if bar.quantity.is_some() && possible_to > possible_from {
                rect .possible x=(px(possible_from)) y=(px(bar_top + 2.0)) width=(px(possible_to - possible_from)) height=(px(bar_height - 4.0)) {}
            }
            @if bar.quantity.is_some() && max.is_none() {
                path .arrow d={ "M" (px(possible_to)) "," (px(bar_top - 3.0)) " l9," (px(bar_height / 2.0 + 3.0)) " l-9," (px(bar_height / 2.0 + 3.0)) " z" } {}
            }
            (excess_mark(scale, bar, min, max, bar_top, bar_height))
            @if let Some(bound) = bar.bound {
                @let x = scale.x(bound.value as f64);
                line .bound x1=(px(x)) y1=(px(bar_top - 6.0)) x2=(px(x)) y2=(px(bar_top + bar_height + 6.0)) {}
                text .bound-label x=(px(x)) y=(px(bar_top - 8.5)) text-anchor="middle" {
                    (symbol(&bound.op)) " " (bound.value)
                }
            }
            // Right of the bar and of the bound line, so neither crosses the number.
            @let beyond = bar.bound.map_or(end, |b| end.max(scale.x(b.value as f64) + 2.0));
            text .value x=(px(beyond + if max.is_none() { 14.0 } else { 6.0 })) y=(px(bar_top + 12.5)) { (value_text) }
        }
    }
}

/// The excess over a ceiling (cross-hatched) or the shortfall under a floor (outlined).
fn excess_mark(
    scale: &Scale,
    bar: &Bar<'_>,
    min: Option<f64>,
    max: Option<f64>,
    bar_top: f64,
    bar_height: f64,
) -> Markup {
    let (Some(bound), Some(excess)) = (bar.bound, bar.excess) else {
        return html! {};
    };
    let value = bound.value as f64;
    let region = match bound.op.as_str() {
        "<=" | "<" => min.filter(|m| *m > value).map(|m| (value, m, "excess")),
        ">=" | ">" => max.filter(|m| *m < value).map(|m| (m, value, "shortfall")),
        _ => None,
    };
    let Some((from, to, class)) = region else {
        return html! {};
    };
    let (x1, x2) = (scale.x(from), scale.x(to));
    let sign = if class == "excess" { "+" } else { "−" };
    html! {
        rect class=(class) x=(px(x1)) y=(px(bar_top - 2.0)) width=(px(x2 - x1)) height=(px(bar_height + 4.0)) {}
        text .excess-label x=(px((x1 + x2) / 2.0)) y=(px(bar_top + bar_height + 15.0)) text-anchor="middle" {
            (sign) (excess)
        }
    }
}
