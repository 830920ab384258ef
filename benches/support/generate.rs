//! Deterministic data for the benchmarks and tests: scenarios of any number of holdings for
//! the vocabulary of `rules/vocabulary/strategic.treaty` (TOML or JSON, packages stated or
//! not), and rule files of any size that check clean.
//!
//! The same seed gives the same bytes on every machine: a small SplitMix64 generator, each
//! holding drawn from its own index, so that any slice of a scenario can be written alone.

use std::fmt::Write as _;
use std::ops::Range;

use treaty::model::Model;
use treaty::scenario::{self, Facts};
use treaty::span::SourceFile;

/// SplitMix64: small, fast and good enough to vary test data.
struct Rng(u64);

impl Rng {
    /// The generator for item `index` of stream `stream` under `seed`.
    fn new(seed: u64, stream: u64, index: u64) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        rng.0 ^= index.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        self.next().checked_rem(n).unwrap_or(0)
    }

    /// One of `items`, each as likely as its weight.
    fn pick<T: Copy>(&mut self, items: &[(u32, T)]) -> Option<T> {
        let total: u64 = items.iter().map(|&(w, _)| u64::from(w)).sum();
        let mut roll = self.below(total.max(1));
        for &(weight, item) in items {
            let weight = u64::from(weight);
            if roll < weight {
                return Some(item);
            }
            roll = roll.saturating_sub(weight);
        }
        None
    }
}

/// What a scenario says of the letter's two packages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Packages {
    /// Neither is stated: the interpreter evaluates the provisions that depend on them twice.
    Unstated,
    /// Both agreed: the type rule and the Backfire assurance apply.
    Agreed,
    /// Each unstated, agreed, open or rejected, and the date sometimes after the letter's
    /// period, as the seed falls (for tests).
    Mixed,
}

impl Packages {
    pub fn as_str(self) -> &'static str {
        match self {
            Packages::Unstated => "unstated",
            Packages::Agreed => "agreed",
            Packages::Mixed => "mixed",
        }
    }
}

/// The notation of a scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notation {
    Toml,
    Json,
}

impl Notation {
    pub fn extension(self) -> &'static str {
        match self {
            Notation::Toml => "toml",
            Notation::Json => "json",
        }
    }
}

/// A generated scenario: `holdings` holdings of the USA and the USSR, weapon types of every
/// kind the letter's categories tell apart, and unknowns and intervals throughout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scenario {
    pub holdings: usize,
    pub packages: Packages,
    pub seed: u64,
    /// The largest exact count of a holding.
    pub max_count: u64,
}

/// A value in a scenario file.
enum Val {
    Str(String),
    Int(u64),
    Bool(bool),
    List(Vec<String>),
}

/// One weapon type or holding: keys and values in file order.
type Entry = Vec<(&'static str, Val)>;

const UNKNOWN: &str = "unknown";

/// How a fact is stated: a value, `"unknown"`, or not at all.
#[derive(Clone, Copy)]
enum Said {
    Value,
    Unknown,
    Not,
}

/// Mostly a value; sometimes unknown, sometimes not stated.
const USUALLY: &[(u32, Said)] = &[(86, Said::Value), (7, Said::Unknown), (7, Said::Not)];

fn flag(rng: &mut Rng, entry: &mut Entry, key: &'static str, true_in_100: u64) {
    match rng.pick(USUALLY) {
        Some(Said::Value) => entry.push((key, Val::Bool(rng.below(100) < true_in_100))),
        Some(Said::Unknown) => entry.push((key, Val::Str(UNKNOWN.to_owned()))),
        _ => {}
    }
}

/// Ranges that fall on every side of the letter's 600, 2200 and 2500 km.
const RANGES: &[&str] = &[
    "300 km",
    "600 km",
    "601 km",
    "1500 km",
    "2200 km",
    "2400 km",
    "2500 km",
    "2501 km",
    "3000 km",
    "1500 mi",
    "500..700 km",
    "2200..2800 km",
    "2400..2600 km",
    "13000 km",
];

fn range(rng: &mut Rng, entry: &mut Entry) {
    match rng.pick(USUALLY) {
        Some(Said::Value) => {
            let index = usize::try_from(rng.below(RANGES.len() as u64)).unwrap_or(0);
            let text = RANGES.get(index).copied().unwrap_or("600 km");
            entry.push(("range", Val::Str(text.to_owned())));
        }
        Some(Said::Unknown) => entry.push(("range", Val::Str(UNKNOWN.to_owned()))),
        _ => {}
    }
}

/// The weapon types of a scenario: `T0`… and `Backfire`.
const TYPES: u64 = 40;

/// The weapon types' classes, as likely as their weights.
const TYPE_CLASSES: &[(u32, &str)] = &[
    (8, "icbm"),
    (6, "slbm"),
    (2, "asbm"),
    (14, "cruise_missile"),
    (6, "aircraft"),
];

impl Scenario {
    /// `holdings` holdings with the packages as said, from seed 1977.
    pub fn new(holdings: usize, packages: Packages) -> Scenario {
        Scenario {
            holdings,
            packages,
            seed: 1977,
            max_count: 200,
        }
    }

    /// A name the loader reads in the right notation: `generated-1000-unstated.json`.
    pub fn file_name(&self, notation: Notation) -> String {
        format!(
            "generated-{}-{}-{}.{}",
            self.holdings,
            self.packages.as_str(),
            self.seed,
            notation.extension()
        )
    }

    fn date(&self) -> &'static str {
        let mut rng = Rng::new(self.seed, 3, 0);
        match self.packages {
            Packages::Mixed if rng.below(8) == 0 => "1986-01-01",
            _ => "1979-06-18",
        }
    }

    fn package_states(&self) -> Vec<(&'static str, &'static str)> {
        let mut rng = Rng::new(self.seed, 4, 0);
        let mut states = Vec::new();
        for name in ["cruise_missiles", "backfire_withdrawn"] {
            let state = match self.packages {
                Packages::Unstated => None,
                Packages::Agreed => Some("agreed"),
                Packages::Mixed => rng
                    .pick(&[
                        (2, None),
                        (2, Some("agreed")),
                        (1, Some("open")),
                        (1, Some("rejected")),
                    ])
                    .flatten(),
            };
            if let Some(state) = state {
                states.push((name, state));
            }
        }
        states
    }

    /// Weapon type `index` (`TYPES` is the Backfire), and its class.
    fn weapon_type(&self, index: u64) -> (String, &'static str, Entry) {
        let mut rng = Rng::new(self.seed, 1, index);
        let mut entry = Entry::new();
        if index == TYPES {
            entry.push(("class", Val::Str("aircraft".to_owned())));
            range(&mut rng, &mut entry);
            flag(&mut rng, &mut entry, "intercontinental", 30);
            return ("Backfire".to_owned(), "aircraft", entry);
        }
        let class = rng.pick(TYPE_CLASSES).unwrap_or("icbm");
        entry.push(("class", Val::Str(class.to_owned())));
        match class {
            "cruise_missile" => {
                let basing = rng.pick(&[(5, "air"), (3, "sea"), (3, "land"), (1, UNKNOWN)]);
                if let Some(basing) = basing {
                    entry.push(("basing", Val::Str(basing.to_owned())));
                }
                range(&mut rng, &mut entry);
            }
            "aircraft" => {
                flag(&mut rng, &mut entry, "intercontinental", 60);
                if rng.below(3) == 0 {
                    range(&mut rng, &mut entry);
                }
            }
            _ => {
                flag(&mut rng, &mut entry, "mirv_tested", 50);
                if rng.below(2) == 0 {
                    entry.push(("warheads", Val::Int(rng.below(10).saturating_add(1))));
                }
            }
        }
        (format!("T{index}"), class, entry)
    }

    /// The weapon types, with their classes, in file order.
    fn weapon_types(&self) -> Vec<(String, &'static str, Entry)> {
        (0..=TYPES).map(|index| self.weapon_type(index)).collect()
    }

    /// Holding `index`.
    fn holding(&self, index: usize, types: &[(String, &'static str, Entry)]) -> Entry {
        let mut rng = Rng::new(self.seed, 2, index as u64);
        let mut entry = Entry::new();
        let party = if rng.below(2) == 0 { "USA" } else { "USSR" };
        entry.push(("party", Val::Str(party.to_owned())));
        entry.push(("name", Val::Str(format!("H{index}"))));
        let class = rng.pick(&[
            (25, Some("icbm_launcher")),
            (20, Some("slbm_launcher")),
            (15, Some("heavy_bomber")),
            (10, Some("medium_bomber")),
            (8, Some("other_aircraft")),
            (4, Some("asbm")),
            (15, Some("cruise_missile")),
            (2, Some(UNKNOWN)),
            (1, None),
        ]);
        let class = class.flatten();
        if let Some(class) = class {
            entry.push(("class", Val::Str(class.to_owned())));
        }
        // Usually a weapon type of the matching kind.
        let wanted = match class {
            Some("icbm_launcher") => "icbm",
            Some("slbm_launcher") => "slbm",
            Some("asbm") => "asbm",
            Some("cruise_missile") => "cruise_missile",
            _ => "aircraft",
        };
        let of_kind: Vec<&str> = types
            .iter()
            .filter(|(_, c, _)| *c == wanted)
            .map(|(name, _, _)| name.as_str())
            .collect();
        let any = |rng: &mut Rng| {
            let index = usize::try_from(rng.below(types.len() as u64)).unwrap_or(0);
            types.get(index).map_or("T0", |(name, _, _)| name.as_str())
        };
        let pick_of_kind = |rng: &mut Rng| {
            let index = usize::try_from(rng.below(of_kind.len().max(1) as u64)).unwrap_or(0);
            of_kind.get(index).copied()
        };
        let ty = if matches!(class, Some("medium_bomber" | UNKNOWN) | None) && rng.below(5) < 2 {
            Some("Backfire")
        } else {
            match rng.below(100) {
                0..=89 => pick_of_kind(&mut rng).or_else(|| Some(any(&mut rng))),
                90..=94 => Some(any(&mut rng)),
                95..=96 => Some(UNKNOWN),
                _ => None,
            }
        };
        if let Some(ty) = ty {
            entry.push(("type", Val::Str(ty.to_owned())));
        }
        let count = match rng.below(1000) {
            0..=1 => Val::Str(UNKNOWN.to_owned()),
            2..=21 => Val::Int(0),
            22..=121 => {
                let low = rng.below(self.max_count);
                let high = low.saturating_add(rng.below((self.max_count / 4).saturating_add(1)));
                Val::Str(format!("{low}..{high}"))
            }
            _ => Val::Int(rng.below(self.max_count).saturating_add(1)),
        };
        entry.push(("count", count));
        if matches!(class, Some("icbm_launcher" | "slbm_launcher" | "asbm")) {
            flag(&mut rng, &mut entry, "mirv_equipped", 45);
        }
        if class == Some("icbm_launcher") {
            flag(&mut rng, &mut entry, "mobile", 12);
        }
        if matches!(
            class,
            Some("heavy_bomber" | "medium_bomber" | "other_aircraft") | None
        ) || class == Some(UNKNOWN)
        {
            match rng.pick(USUALLY) {
                Some(Said::Value) => {
                    let missiles: Vec<&str> = types
                        .iter()
                        .filter(|(_, c, _)| *c == "cruise_missile")
                        .map(|(name, _, _)| name.as_str())
                        .collect();
                    let mut list: Vec<String> = Vec::new();
                    for _ in 0..rng.below(4) {
                        let index =
                            usize::try_from(rng.below(missiles.len().max(1) as u64)).unwrap_or(0);
                        let name = if rng.below(10) == 0 {
                            any(&mut rng)
                        } else {
                            missiles.get(index).copied().unwrap_or("T0")
                        };
                        if !list.iter().any(|n| n == name) {
                            list.push(name.to_owned());
                        }
                    }
                    entry.push(("armament", Val::List(list)));
                }
                Some(Said::Unknown) => entry.push(("armament", Val::Str(UNKNOWN.to_owned()))),
                _ => {}
            }
        }
        entry
    }

    /// The scenario file, with holdings `holdings` only (all of them: `0..self.holdings`).
    pub fn text(&self, notation: Notation, holdings: Range<usize>) -> String {
        let types = self.weapon_types();
        let title = format!(
            "Generated: {} holdings, packages {} (seed {})",
            self.holdings,
            self.packages.as_str(),
            self.seed
        );
        let packages = self.package_states();
        let holdings = holdings.start..holdings.end.min(self.holdings);
        let mut out = String::with_capacity(holdings.len().saturating_mul(150));
        match notation {
            Notation::Toml => {
                let _ = write!(
                    out,
                    "[scenario]\ntitle = \"{title}\"\ndate = {}\nparties = [\"USA\", \"USSR\"]\n\n[packages]\n",
                    self.date()
                );
                for (name, state) in &packages {
                    let _ = writeln!(out, "{name} = \"{state}\"");
                }
                for (name, _, entry) in &types {
                    let _ = writeln!(out, "\n[types.\"{name}\"]");
                    toml_entry(&mut out, entry);
                }
                for index in holdings {
                    out.push_str("\n[[holdings]]\n");
                    toml_entry(&mut out, &self.holding(index, &types));
                }
            }
            Notation::Json => {
                let _ = write!(
                    out,
                    "{{\n  \"scenario\": {{ \"title\": \"{title}\", \"date\": \"{}\", \"parties\": [\"USA\", \"USSR\"] }},\n  \"packages\": {{",
                    self.date()
                );
                for (i, (name, state)) in packages.iter().enumerate() {
                    let comma = if i == 0 { "" } else { "," };
                    let _ = write!(out, "{comma} \"{name}\": \"{state}\"");
                }
                out.push_str(" },\n  \"types\": {\n");
                for (i, (name, _, entry)) in types.iter().enumerate() {
                    let comma = if i == 0 { "" } else { ",\n" };
                    let _ = write!(out, "{comma}    \"{name}\": ");
                    json_entry(&mut out, entry);
                }
                out.push_str("\n  },\n  \"holdings\": [\n");
                for index in holdings.clone() {
                    let comma = if index == holdings.start { "" } else { ",\n" };
                    let _ = write!(out, "{comma}    ");
                    json_entry(&mut out, &self.holding(index, &types));
                }
                out.push_str("\n  ]\n}\n");
            }
        }
        out
    }

    /// The scenario loaded for `model`, as `treaty eval` would load it. A scenario with more
    /// holdings than one file may have (`scenario::MAX_HOLDINGS`) is loaded in slices of that
    /// many, whose holdings are joined: the weapon types are the same in every slice.
    pub fn load(&self, model: &Model, notation: Notation) -> Result<Facts, String> {
        self.load_in_slices(model, notation, scenario::MAX_HOLDINGS.min(100_000))
    }

    /// The scenario loaded `slice` holdings at a time, the holdings joined.
    pub fn load_in_slices(
        &self,
        model: &Model,
        notation: Notation,
        slice: usize,
    ) -> Result<Facts, String> {
        let slice = slice.max(1);
        let mut facts: Option<Facts> = None;
        let mut start = 0usize;
        loop {
            let end = start.saturating_add(slice).min(self.holdings);
            let file = SourceFile::new(self.file_name(notation), self.text(notation, start..end));
            let part = scenario::load(&file, model).map_err(|errors| {
                let first = errors.first().map(ToString::to_string);
                format!("{}: {first:?}", file.name)
            })?;
            match facts.as_mut() {
                None => facts = Some(part),
                Some(facts) => facts.holdings.extend(part.holdings),
            }
            if end >= self.holdings {
                break;
            }
            start = end;
        }
        facts.ok_or_else(|| "nothing loaded".to_owned())
    }
}

fn quoted(text: &str) -> String {
    // Names and values here are plain ASCII without quotes or backslashes.
    format!("\"{text}\"")
}

fn toml_entry(out: &mut String, entry: &Entry) {
    for (key, value) in entry {
        let _ = match value {
            Val::Str(text) => writeln!(out, "{key} = {}", quoted(text)),
            Val::Int(n) => writeln!(out, "{key} = {n}"),
            Val::Bool(b) => writeln!(out, "{key} = {b}"),
            Val::List(items) => {
                let items: Vec<String> = items.iter().map(|i| quoted(i)).collect();
                writeln!(out, "{key} = [{}]", items.join(", "))
            }
        };
    }
}

fn json_entry(out: &mut String, entry: &Entry) {
    out.push('{');
    for (i, (key, value)) in entry.iter().enumerate() {
        let comma = if i == 0 { " " } else { ", " };
        let _ = match value {
            Val::Str(text) => write!(out, "{comma}\"{key}\": {}", quoted(text)),
            Val::Int(n) => write!(out, "{comma}\"{key}\": {n}"),
            Val::Bool(b) => write!(out, "{comma}\"{key}\": {b}"),
            Val::List(items) => {
                let items: Vec<String> = items.iter().map(|i| quoted(i)).collect();
                write!(out, "{comma}\"{key}\": [{}]", items.join(", "))
            }
        };
    }
    out.push_str(" }");
}

/// The header of a generated rule file: the letter's parties, source and vocabulary, so that
/// it checks with `rules/` as its folder and rules root.
const RULES_HEADER: &str = r#"// Generated for benchmarks: the provisions of the letter of 15 March 1977, repeated.

position "Generated position (benchmark)" {
    date 1977-03-15
    parties USA, USSR
    source "sources/brezhnev-carter-1977-03-15.txt"
    in force until 1985-12-31
}

use "vocabulary/strategic.treaty"
"#;

/// One section of a generated rule file: every kind of declaration of the letter, its names
/// ending in `_N`.
const RULES_SECTION: &str = r#"
// ── Section N ──

package cruise_missiles_N "final agreement on the issues related to cruise missiles" {
    quote "was and remains conditional on achieving final agreement on the issues related to cruise missiles"
    note "The MIRV type rule is offered only on this condition."
}

package backfire_withdrawn_N "the Backfire question withdrawn from further negotiations" {
    quote "all this under the condition that the question of “Backfire” once and for ever will be completely withdrawn from further negotiations"
}

reading alcm_band_N "does “600 km. to 2500 km.” include 600 km itself?" {
    quote "heavy bombers equipped with cruise missiles with a range of 600 km. to 2500 km."
    variant inclusive "600 km itself is inside the band" (default)
    variant exclusive "the band starts above 600 km"
}

category delivery_vehicles_N "strategic nuclear means delivery vehicles" {
    quote "to limit the level of strategic nuclear means delivery vehicles (2400 and 1320)"
    holdings where class in {icbm_launcher, slbm_launcher, asbm, heavy_bomber}
}

category mirved_launchers_N "ballistic missile launchers counted as MIRVed" {
    quote "our agreement to count under the ceiling for MIRVed missiles (1320 items) all missiles of those types, of which at least one missile was tested with MIRV"
    holdings where class in {icbm_launcher, slbm_launcher, asbm} and mirv_equipped
    when package cruise_missiles_N is agreed:
        holdings where class in {icbm_launcher, slbm_launcher, asbm} and (mirv_equipped or type.mirv_tested)
}

category band_cruise_missile_bombers_N "heavy bombers equipped with cruise missiles of 600 to 2500 km" {
    holdings where class = heavy_bomber
        and any armament has (class = cruise_missile and range in [600 km, 2500 km])
    when reading alcm_band_N is exclusive:
        holdings where class = heavy_bomber
            and any armament has (class = cruise_missile and range in (600 km, 2500 km])
}

category long_range_alcms_N "air-launched cruise missiles over 2500 km, and aircraft equipped with them" {
    holdings where (class = cruise_missile and type.basing = air and type.range > 2500 km)
        or (class in {heavy_bomber, medium_bomber, other_aircraft}
            and any armament has (class = cruise_missile and range > 2500 km))
}

category sea_and_land_cruise_missiles_over_600_N "cruise missiles based at sea or on land with a range of more than 600 km" {
    holdings where class = cruise_missile and type.basing in {sea, land} and type.range > 600 km
}

category backfire_N "the Soviet intermediate bomber the United States calls “Backfire”" {
    holdings where class = medium_bomber and type.name = "Backfire"
}

category counted_N "delivery vehicles or MIRVed launchers" {
    holdings where in category delivery_vehicles_N or in category mirved_launchers_N
}

limit aggregate_ceiling_N "aggregate ceiling on strategic delivery vehicles" for each party {
    quote "it could be possible for the sides not only to limit the level of strategic nuclear means delivery vehicles (2400 and 1320)"
    count of delivery_vehicles_N at most 2400, then 2250 from 1981-01-01
}

limit mirv_ceiling_N "ceiling on MIRVed missiles and cruise-missile heavy bombers" for each party {
    quote "to view heavy bombers equipped with cruise missiles with a range of 600 km. to 2500 km. as delivery vehicles equipped with MIRV with individual placements"
    note "Each such bomber counts as one vehicle."
    count of mirved_launchers_N + count of band_cruise_missile_bombers_N at most 1320
}

limit warheads_N "warheads on MIRVed launchers" for each party {
    quote "to limit the level of strategic nuclear means delivery vehicles (2400 and 1320)"
    sum of type.warheads over mirved_launchers_N + 2 * count of counted_N at most 20000
}

ban alcm_over_2500_ban_N "no air-launched cruise missiles over 2500 km" for each party {
    quote "cruise missiles ALCM (trans. i.e. “Air to Ground”) with a range of more than 2500 km. will be banned completely"
    no long_range_alcms_N
}

ban sea_land_cruise_missile_ban_N "no sea- or land-based cruise missiles over 600 km" for each party {
    quote "all cruise missiles based at sea or on land with a range of more than 600 km. also should be entirely banned"
    no sea_and_land_cruise_missiles_over_600_N
}

assurance backfire_assurance_N "Backfire: range 2200 km, no intercontinental capability" by USSR {
    quote "we provided official data about the range of this plane (2200 km.)"
    when package backfire_withdrawn_N is agreed
    every backfire_N has type.range at most 2200 km and not type.intercontinental
}

statement reductions_after_signing_N "reductions to be discussed after signing" {
    quote "I repeat, we will be ready to start discussing this question immediately following the signing of the agreement."
}
"#;

/// A rule file of at least `bytes` bytes (sections of about 5 KB each) that checks clean
/// with `rules/` as its folder and rules root.
pub fn rule_file(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes.saturating_add(RULES_SECTION.len()));
    out.push_str(RULES_HEADER);
    let mut section = 0usize;
    while out.len() < bytes {
        out.push_str(&RULES_SECTION.replace("_N", &format!("_{section}")));
        section = section.saturating_add(1);
    }
    out
}
