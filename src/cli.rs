//! The command line's definition: every command, argument and help text. `main.rs` runs
//! it; `xtask` builds the man page from it (it includes this file), so it depends on
//! nothing but clap.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "treaty",
    version,
    about = "Arms-limitation provisions as code: check rule files, evaluate scenarios, explain verdicts",
    after_help = "Exit codes: 0 success; 1 errors in the input (rule file, scenario, I/O), a failing test, \
                  or with --strict a provision violated or undetermined; 2 command-line usage."
)]
pub struct Cli {
    /// Folder that imports, source texts and test scenarios must stay inside
    /// [default: the nearest folder upwards from the rule file holding a `treaty.toml`,
    /// else the rule file's own folder]
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// When to colour output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// How diagnostics are printed on stderr: for people, or one JSON object a line
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    Human,
    Json,
}

#[derive(Subcommand)]
pub enum Command {
    /// Check rule files and folders (recursing into `*.treaty`)
    Check {
        /// Files or folders [default: the project's rules folder, else rules/]
        paths: Vec<PathBuf>,
        /// Fail (exit 1) on warnings too
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Evaluate scenarios against a position
    #[command(
        after_help = "With several scenarios (or a folder: every *.toml and *.json in it, sorted), the \
                      rule file is checked once and the scenarios evaluated in parallel; the reports \
                      come in the order given: text and Markdown each under a heading naming its \
                      file, JSON one compact report a line (JSON lines). A scenario that cannot be \
                      loaded gets its diagnostics and the others are still evaluated (exit 1)."
    )]
    Eval {
        /// The position's rule file
        rules: PathBuf,
        /// The scenarios (TOML or JSON), or folders of them
        #[arg(required = true, value_name = "SCENARIO")]
        scenarios: Vec<PathBuf>,
        #[command(flatten)]
        output: OutputArgs,
        /// Only this party
        #[arg(long, value_name = "PARTY")]
        party: Option<String>,
        /// Choose a variant of an ambiguous wording (repeatable, once per reading)
        #[arg(long = "reading", value_name = "NAME=VARIANT")]
        readings: Vec<String>,
        /// Evaluate under every combination of readings
        #[arg(long)]
        all_readings: bool,
        /// Exit 1 when any provision is violated, undetermined, or could not be evaluated
        #[arg(long)]
        strict: bool,
    },
    /// Compare positions on the same scenario
    Compare {
        /// The positions' rule files
        #[arg(required = true)]
        rules: Vec<PathBuf>,
        /// The scenario (TOML or JSON)
        #[arg(long)]
        scenario: PathBuf,
        #[command(flatten)]
        output: OutputArgs,
        /// Choose a variant in every position that declares the reading (repeatable)
        #[arg(long = "reading", value_name = "NAME=VARIANT")]
        readings: Vec<String>,
        /// Evaluate each position under every combination of its readings
        #[arg(long)]
        all_readings: bool,
    },
    /// Margins under every limit, room per holding, and the smallest reductions that comply
    Headroom {
        /// The position's rule file
        rules: PathBuf,
        /// The scenario (TOML or JSON)
        scenario: PathBuf,
        /// Output format
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Only this party
        #[arg(long, value_name = "PARTY")]
        party: Option<String>,
        /// Choose a variant of an ambiguous wording (repeatable)
        #[arg(long = "reading", value_name = "NAME=VARIANT")]
        readings: Vec<String>,
        /// Take bounds and periods at this date, the holdings as the scenario gives them
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<treaty::model::Date>,
    },
    /// Monte Carlo over a scenario's intervals and unknowns: the share of samples with each
    /// verdict, and the values at which verdicts flip
    #[command(
        after_help = "Drawn for each sample, uniformly: counts and numbers given as intervals (whole \
                      numbers, in the vocabulary's unit for a quantity written in whole units), \
                      \"unknown\" yes-or-no and enumeration values, packages the scenario does not \
                      state (agreed or open). Unknown counts and numbers without an interval are \
                      left unknown. Sample i draws from (seed, i): the output is the same whatever \
                      the number of threads."
    )]
    Sweep {
        /// The position's rule file
        rules: PathBuf,
        /// The scenario (TOML or JSON)
        scenario: PathBuf,
        /// How many samples to draw (with --grid: the most combinations to evaluate)
        // The upper end is `treaty::sweep::MAX_SAMPLES` (this file is built without `treaty`).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
        samples: u64,
        /// Seed of the draws: the same seed gives the same output
        #[arg(long, value_name = "S", default_value_t = 0)]
        seed: u64,
        /// Evaluate every combination of the inputs' values once instead of drawing
        #[arg(long)]
        grid: bool,
        /// Output format
        #[arg(long, value_enum, default_value_t = SweepFormat::Text)]
        format: SweepFormat,
        /// Only this party
        #[arg(long, value_name = "PARTY")]
        party: Option<String>,
        /// Choose a variant of an ambiguous wording (repeatable, once per reading)
        #[arg(long = "reading", value_name = "NAME=VARIANT")]
        readings: Vec<String>,
    },
    /// Run the `test` blocks of rule files
    Test {
        /// Rule files or folders to run, and words a test's title must contain to run (an
        /// argument naming no file or folder is a word) [default: the project's rules
        /// folder, else rules/]
        #[arg(value_name = "PATH|PATTERN")]
        args: Vec<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = TestFormat::Text)]
        format: TestFormat,
    },
    /// Show which sentences of a position's source text its rule file quotes, and which
    /// commitments it leaves out
    Coverage {
        /// The position's rule file
        rules: PathBuf,
        /// Output format
        #[arg(long, value_enum, default_value_t = CoverageFormat::Text)]
        format: CoverageFormat,
        /// Give each quoting provision its verdicts on this scenario (TOML or JSON)
        #[arg(long)]
        scenario: Option<PathBuf>,
    },
    /// Print the JSON Schema of the scenarios a position accepts, for editors
    Schema {
        /// The position's rule file
        rules: PathBuf,
    },
    /// Format rule files in the canonical layout, in place (`-`: standard input to standard output)
    Fmt {
        /// Files or folders (recursing into `*.treaty`), or `-` [default: rules/]
        paths: Vec<PathBuf>,
        /// Change nothing: list the files that would change, and exit 1 if there are any
        #[arg(long)]
        check: bool,
    },
    /// Serve editors over the Language Server Protocol on stdin and stdout (docs/editors.md)
    Lsp,
    /// Print a shell's completion script for `treaty` on stdout
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
}

#[derive(clap::Args)]
pub struct OutputArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Show the holdings behind every quantity, and the unknowns behind every undetermined verdict
    #[arg(long)]
    pub explain: bool,
}

/// The report formats, as clap lists them (`treaty::report::Format` is the library's).
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Markdown,
    /// One self-contained page with charts
    Html,
}

/// The formats of `treaty sweep`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SweepFormat {
    Text,
    /// `treaty-sweep/1` (docs/report-format.md)
    Json,
}

/// The formats of `treaty coverage`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CoverageFormat {
    Text,
    Json,
    /// The source text with the quoted passages highlighted
    Html,
}

/// The formats of `treaty test`'s results.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    /// A line a test, for people
    Text,
    /// `treaty-test/1` (docs/report-format.md)
    Json,
    /// JUnit XML, for CI dashboards
    Junit,
}

fn parse_date(text: &str) -> Result<treaty::model::Date, String> {
    treaty::model::Date::parse(text).ok_or_else(|| format!("`{text}` is not a date (YYYY-MM-DD)"))
}
