//! A sweep as text for people, and as JSON (`treaty-sweep/1`, docs/report-format.md).

use std::fmt::Write as _;

use super::inputs::Values;
use super::stats::Flip;
use super::{FORMAT, FlipReport, Input, ProvisionSweep, Sweep};
use crate::terminal::printable;

/// The sweep as JSON: pretty-printed, ending with a newline.
pub fn render_json(sweep: &Sweep) -> String {
    crate::report::pretty_json(sweep, FORMAT)
}

/// The sweep as text: what was drawn, then each party's provisions, the share of each
/// verdict with its 95% confidence interval, and what decides it.
pub fn render_text(sweep: &Sweep) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Sweep of {}", printable(&sweep.position.title));
    let _ = writeln!(out, "  position  {}", printable(&sweep.position.file));
    let _ = writeln!(
        out,
        "  scenario  {} ({})  {}",
        printable(&sweep.scenario.title),
        sweep.scenario.date,
        printable(&sweep.scenario.file)
    );
    if !sweep.readings.0.is_empty() {
        let readings: Vec<String> = sweep
            .readings
            .0
            .iter()
            .map(|(r, v)| format!("{r}={v}"))
            .collect();
        let _ = writeln!(out, "  readings  {}", readings.join(", "));
    }
    match sweep.seed {
        Some(seed) => {
            let _ = writeln!(out, "  samples   {}, drawn with seed {seed}", sweep.samples);
        }
        None => {
            let _ = writeln!(
                out,
                "  samples   {}, every combination of the values drawn (grid)",
                sweep.samples
            );
        }
    }
    out.push('\n');
    if sweep.inputs.is_empty() {
        out.push_str("Nothing to draw: every sample is the scenario as written.\n");
    } else {
        let grid = sweep.seed.is_none();
        let heading = if grid {
            "Every combination of"
        } else {
            "Drawn for each sample"
        };
        let _ = writeln!(out, "{heading} ({}):", sweep.inputs.len());
        let width = sweep
            .inputs
            .iter()
            .map(|i| printable(&i.name).chars().count())
            .max()
            .unwrap_or(0);
        for input in &sweep.inputs {
            let name = printable(&input.name);
            let _ = writeln!(out, "  {name:<width$}  {}", distribution(input, grid));
        }
    }
    if !sweep.left_unknown.is_empty() || sweep.not_stated > 0 {
        out.push_str("Left as the scenario has them:\n");
        for sentence in &sweep.left_unknown {
            let _ = writeln!(out, "  {}", printable(sentence));
        }
        if sweep.not_stated > 0 {
            let _ = writeln!(
                out,
                "  {} attribute{} the scenario does not state (evaluated as not stated)",
                sweep.not_stated,
                if sweep.not_stated == 1 { "" } else { "s" }
            );
        }
    }
    for party in &sweep.parties {
        let _ = writeln!(out, "\n{}", printable(&party.party));
        let width = party
            .provisions
            .iter()
            .map(|p| printable(&p.id).chars().count())
            .max()
            .unwrap_or(0);
        for provision in &party.provisions {
            provision_text(&mut out, provision, width, sweep);
        }
    }
    out
}

/// One provision: one line when every sample has one verdict, else a line a verdict and the
/// flips.
fn provision_text(out: &mut String, provision: &ProvisionSweep, width: usize, sweep: &Sweep) {
    let id = printable(&provision.id);
    let kind = provision.kind.as_str();
    if let [only] = provision.verdicts.as_slice() {
        let _ = writeln!(
            out,
            "  {id:<width$}  {kind:<9}  {} in every sample",
            only.verdict
        );
        return;
    }
    let _ = writeln!(out, "  {id:<width$}  {kind}");
    let digits = sweep.samples.to_string().len();
    for share in &provision.verdicts {
        let _ = write!(
            out,
            "    {:<14} {:>digits$}  {:>7}",
            share.verdict.as_str(),
            share.samples,
            percent(share.share),
        );
        // A grid's shares are exact: no interval.
        if sweep.seed.is_some() {
            let _ = write!(
                out,
                "  (95% CI {}–{})",
                percent(share.low),
                percent(share.high)
            );
        }
        out.push('\n');
    }
    for flip in &provision.flips {
        let unit = sweep
            .inputs
            .iter()
            .find(|i| i.name == flip.input)
            .and_then(|i| i.values.unit());
        let _ = writeln!(out, "    {}", flip_text(flip, unit));
    }
}

/// A flip in words.
fn flip_text(flip: &FlipReport, unit: Option<&str>) -> String {
    let input = printable(&flip.input);
    let value = |v: f64| match unit {
        Some(unit) => format!("{} {unit}", number(v)),
        None => number(v),
    };
    match &flip.flip {
        Flip::Threshold {
            below,
            above,
            last_below,
            first_above,
            at,
            exact,
        } => {
            if *exact {
                format!(
                    "flips at {input} {}: {below} up to {}, {above} from {}",
                    value(*at),
                    value(*last_below),
                    value(*first_above)
                )
            } else {
                format!(
                    "flips at {input} {} (midpoint): {below} up to {}, {above} from {}",
                    value(*at),
                    value(*last_below),
                    value(*first_above)
                )
            }
        }
        Flip::Above { verdict, at } => {
            format!(
                "flips at {input} {}: {verdict} in every sample above it",
                value(*at)
            )
        }
        Flip::Below { verdict, at } => {
            format!(
                "flips at {input} {}: {verdict} in every sample below it",
                value(*at)
            )
        }
        Flip::Value {
            value,
            verdict,
            samples,
        } => format!(
            "{input} {}: {verdict} in every sample ({samples})",
            printable(value)
        ),
    }
}

/// How an input is drawn (or enumerated, in a `grid`), in words.
fn distribution(input: &Input, grid: bool) -> String {
    let how = if grid { "each" } else { "uniformly" };
    match &input.values {
        Values::Integers { min, max, unit, .. } => match unit {
            Some(unit) => format!("{min}..{max} {unit}, whole {unit} {how}"),
            None => format!("{min}..{max}, whole numbers {how}"),
        },
        Values::Reals { min, max, unit, .. } => {
            let unit = unit.map(|u| format!(" {u}")).unwrap_or_default();
            format!("{}..{}{unit}, uniformly", number(*min), number(*max))
        }
        Values::Choice { choices, .. } => {
            let names: Vec<String> = choices.iter().map(|c| printable(c).into_owned()).collect();
            if grid {
                format!("{}, each", names.join(" and "))
            } else {
                format!("{}, 1 in {} each", names.join(" or "), choices.len())
            }
        }
    }
}

/// A share as a percentage with two decimals.
fn percent(share: f64) -> String {
    format!("{:.2}%", share * 100.0)
}

/// A number without a needless fraction: `2200`, `2195.5`.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        let text = format!("{value:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}
