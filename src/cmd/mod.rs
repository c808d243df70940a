//! The command line: clap's description of it, one module per subcommand, and how a run
//! begins and ends ([`parse`], [`finish`]: usage errors, warnings, the one-line error and
//! its exit code).

pub mod chart;
pub mod check;
pub mod compare;
pub mod completions;
pub mod explain;
pub mod init;
pub mod man;
pub mod schema;
pub mod simulate;
pub mod solve;
pub mod sweep;
pub mod tornado;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};

use stakeshift::error::Error;
use stakeshift::io::LoadedModel;
use stakeshift::overrides::Override;

// Each line within 72 columns, so that `--help` fits an 80-column terminal and the man
// page's EXAMPLES, indented 7 more, fit one too (helper-289: up to 97).
const EXAMPLES: &str = "\
Examples:
  stakeshift compare                    the Microsoft-OpenAI model
  stakeshift compare -t base --yearly   one trajectory, year by year
  stakeshift compare --out results      also CSVs, workbook and charts
  stakeshift compare deal.toml --format csv
  stakeshift init deal.toml             the built-in model, out to edit
  stakeshift check deal.toml            validate and summarise a model
  stakeshift explain -t base --year 2030   one year taken apart
  stakeshift simulate --paths 100000    the answer over random futures
  stakeshift compare --set equity.stake=0.3   a what-if, no file edited
  stakeshift sweep --vary equity.stake=0.1..0.4:4   on a grid of values
  stakeshift solve equity.stake         the stake at which deals tie
  stakeshift tornado                    the inputs that move it most

Amounts are in the model's unit (USD bn for the built-in model). The
model format is described in docs/MODEL.md in the source repository;
`stakeshift init` writes the built-in model, commented, as an example to
edit, and `stakeshift schema` the JSON Schema.
Exit codes: 0 success, 2 bad usage or a bad model file, 1 anything else.";

/// Which deal is worth more to the investor: a capped profit share or an equity stake?
#[derive(Debug, Parser)]
#[command(
    name = "stakeshift",
    version,
    about = "Compare a capped profit-sharing deal with an equity stake diluted by later rounds",
    long_about = "stakeshift compares what an investor gets from a capped profit-sharing \
waterfall with what it gets from an equity stake diluted by later funding rounds, year by \
year, across trajectories for the company's revenue, margins and valuation. All money is \
computed in exact decimals.",
    after_help = EXAMPLES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare the two deals on every trajectory (the built-in model when no MODEL is given)
    Compare(CompareArgs),
    /// Take one year of one trajectory apart, waterfall slice by slice, to its present value
    #[command(
        long_about = "Take one year of one trajectory apart: profit and the carried loss, every \
waterfall slice (tier, amount, each party's amount, each capped party's room before and after, \
the events), the revenue share and its cap room, the stake through each round, the holding \
value and dividend, and the cash flow's parts, discount factor and present value. Every amount \
is the exact engine's own, so the ledger adds up exactly."
    )]
    Explain(ExplainArgs),
    /// Draw the charts (value, npv, waterfall, stake, cloud) as PNG files into a directory
    Chart(ChartArgs),
    /// Simulate many random futures of the deal and report the distribution of the answer
    Simulate(SimulateArgs),
    /// Validate a model file and say what it holds
    Check(CheckArgs),
    /// Write the built-in model out as a file to edit
    Init(InitArgs),
    /// Run the comparison on a grid of one or two inputs' values
    Sweep(SweepArgs),
    /// Find the value of an input at which the two deals tie (or differ by X)
    Solve(SolveArgs),
    /// Vary each input alone to a low and a high value, largest swing first
    Tornado(TornadoArgs),
    /// Print the shell completion script for bash, zsh, fish, powershell or elvish
    Completions(CompletionsArgs),
    /// Print the manual page (roff), or write every page into a directory with --out
    Man(ManArgs),
    /// Print the JSON Schema of the model file, for editors (see docs/MODEL.md)
    Schema,
}

/// `--set PATH=VALUE`, for every command that reads a model.
#[derive(Debug, Clone, Default, Args)]
pub struct OverrideArgs {
    /// Change a value of the model before it is checked and run: PATH=VALUE, repeatable,
    /// applied in order (`equity.stake=0.3`, `trajectories[base].agi_year=2031`,
    /// `scale.valuation[bull]=1.5`); see docs/MODEL.md
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
}

impl OverrideArgs {
    /// The overrides, parsed.
    pub fn parsed(&self) -> Result<Vec<Override>, Error> {
        self.set
            .iter()
            .map(|s| Override::parse(s).map_err(Error::from))
            .collect()
    }

    /// Reads the model (the built-in one when `path` is None) with the overrides applied;
    /// its warnings go to `warnings`.
    pub fn load(&self, path: Option<&Path>, warnings: &mut Warnings) -> Result<LoadedModel, Error> {
        let overrides = self.parsed()?;
        let loaded = stakeshift::io::read_model_file(path)?.load(&overrides)?;
        warnings.of_model(&loaded);
        Ok(loaded)
    }
}

/// A command's warnings: the model's (valid values that look like a slip, such as
/// `discount_rate = 9`) and the command's own, kept until the command has run: a run that
/// succeeds prints them on stderr after its output; one that fails prints only its
/// one-line error (docs/MODEL.md section 13). Each is kept once, in the order first given
/// (a set: a model can hold tens of thousands).
#[derive(Debug, Default)]
pub struct Warnings {
    placed: indexmap::IndexSet<String>,
    /// Warnings counted but not placed (beyond a model's first hundred).
    more: usize,
}

impl Warnings {
    /// A warning of the command itself (not of the model), shown as the model's are.
    pub fn warn(&mut self, warning: String) {
        self.placed.insert(warning);
    }

    /// The model's warnings.
    pub fn of_model(&mut self, loaded: &LoadedModel) {
        for warning in loaded.warnings() {
            self.warn(warning.clone());
        }
        self.more = self.more.max(loaded.more_warnings());
    }

    /// The warnings, each once, in the order first given.
    pub fn into_vec(self) -> Vec<String> {
        self.placed.into_iter().collect()
    }

    /// How many more warnings there are than [`Warnings::into_vec`] holds.
    pub fn more(&self) -> usize {
        self.more
    }
}

/// The model a sweep or tornado varies, with its `--set`s. Where it is invalid in the part
/// of the model a varied path sets, and reads with every value checked of that path (a
/// sweep's first, which it runs first; a tornado's low and high), the error gives the
/// `--set` of the first (helper-264: every value of a sweep was valid, and it was refused
/// for the one they replace; helper-267: matched by the error's field, a path written by
/// name got no such word; helper-268: a value offered that the run would then refuse, and
/// seconds of retries of a large model for faults a varied value cannot mend). It reads:
/// whether its trajectories then run is the run's to say (helper-269).
/// `varied`: each path varied and the values the run gives it that are checked.
pub(crate) fn base_of_varied<'a>(
    command: &str,
    file: &'a stakeshift::io::ModelFile,
    overrides: &'a [stakeshift::overrides::Override],
    varied: &[(
        &stakeshift::overrides::OverridePath,
        Vec<rust_decimal::Decimal>,
    )],
) -> Result<stakeshift::sensitivity::Base<'a>, Error> {
    use stakeshift::overrides::{Override, OverridePath, Target};
    use stakeshift::sensitivity::Base;
    Base::new(file, overrides).map_err(|mut error| {
        let Error::Model { field, message, .. } = &mut error else {
            return error;
        };
        // A fault a varied value may mend is in the part of the model the path sets: the
        // same top-level key, or the trajectories for a derived key (no retry for a file
        // that is not TOML, or a fault elsewhere).
        let top = |text: &str| text.split(['.', '[']).next().unwrap_or("").to_string();
        // (The path's first key as parsed: `"equity".stake` is `equity`'s: helper-269.)
        let near = |path: &OverridePath| match &path.target {
            Target::Derived(..) => top(field) == "trajectories",
            Target::Key(segments) => matches!(segments.first(),
                Some(stakeshift::overrides::Segment::Key(key)) if *key == top(field)),
        };
        let loads = |path: &OverridePath, value: &rust_decimal::Decimal| {
            let extra = Override::number(format!("--set {}={value}", path.text), path, *value);
            let with: Vec<Override> = overrides.iter().cloned().chain([extra]).collect();
            Base::new(file, &with).is_ok()
        };
        let found = varied.iter().find(|(path, values)| {
            near(path) && !values.is_empty() && values.iter().all(|v| loads(path, v))
        });
        if let Some((path, values)) = found {
            let set = stakeshift::simulate::replay::one_line_set(&Override::number(
                "",
                path,
                values[0],
            ));
            message.push_str(&format!(
                " ({command} loads the model with its --sets before varying {}: with `--set {}`, the first value varied, given last, it loads)",
                path.text,
                stakeshift::error::shell_arg(&set)
            ));
        }
        error
    })
}

/// Warns where the charts written hold names, or a footer (`ctx.footer`, as drawn), their
/// font cannot draw.
pub(crate) fn warn_of_glyphs(
    model: &stakeshift::model::Model,
    drawn: stakeshift::chart::Drawn<'_>,
    footer: &str,
    warnings: &mut Warnings,
) {
    if let Some(warning) = stakeshift::chart::glyph_warning(model, drawn, footer) {
        warnings.warn(warning);
    }
}

/// Where `paths` is the default number of paths, which a file need not name: a note saying
/// so, for a message that names `simulation.paths`; else nothing.
pub(crate) fn default_paths_note(paths: u64) -> String {
    let default = stakeshift::model::Simulation::default().paths;
    if paths == default {
        format!(" ({default} is the number of paths where the file gives no `simulation.paths`)")
    } else {
        String::new()
    }
}

/// Warns where `simulate` would draw nothing: the first random year is end_year + 1, by
/// default (valuation_year is end_year) or as written. `check` and `simulate` both say so.
pub fn warn_if_nothing_random(loaded: &LoadedModel, warnings: &mut Warnings) {
    let model = &loaded.model;
    let first_random_year = model.simulation.first_random_year(model);
    if first_random_year > model.end_year {
        let (which, field) = match model.simulation.from_year {
            Some(_) => (format!("is {first_random_year}"), "simulation.from_year"),
            None => (
                format!("defaults to valuation_year + 1 = {first_random_year}"),
                "valuation_year",
            ),
        };
        // `--set` adds a key only to a table the model has (helper-128: the suggested
        // `--set simulation.from_year=YEAR` was refused by a model without `[simulation]`).
        let has_table = loaded
            .text
            .parse::<toml_edit::DocumentMut>()
            .is_ok_and(|d| d.contains_key("simulation"));
        let how = if has_table {
            "simulation.from_year=YEAR"
        } else {
            "'simulation={from_year=YEAR}'"
        };
        // end_year decides it too (helper-129: `--set end_year=2025` was not named).
        warnings.warn(placed_warning(
            loaded,
            "simulation.from_year",
            &[field, "end_year"],
            format!(
                "the first random year {which}, after end_year {}: no year is random and every path is its center; set `simulation.from_year` (or `--set {how}`) to a year of the model",
                model.end_year
            ),
        ));
    }
}

/// A command's warning about `field`, in the form of the model's own (helper-123: two
/// simulation warnings named no file or line): the file, and the line of `at` (the key
/// written, or the one its default comes from) where the file has it.
pub(crate) fn placed_warning(
    loaded: &LoadedModel,
    field: &str,
    at: &[&str],
    message: String,
) -> String {
    loaded.place_warning(field, at, message)
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Model file (TOML); the built-in Microsoft-OpenAI model when omitted
    pub model: Option<PathBuf>,
    #[command(flatten)]
    pub overrides: OverrideArgs,
    /// Only this trajectory (repeat for several)
    #[arg(
        long = "trajectory",
        short = 't',
        value_name = "NAME",
        allow_hyphen_values = true
    )]
    pub trajectories: Vec<String>,
    /// Output format on stdout (csv: the rows of comparison.csv)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also show year-by-year flows (table and JSON); the yearly rows as CSV with --format csv
    #[arg(long)]
    pub yearly: bool,
    /// Write summary.csv, yearly.csv, comparison.csv, the workbook stakeshift.xlsx and the
    /// charts (value.png, npv.png, waterfall.png, stake.png, and cloud.png with a cloud side)
    /// into DIR (created if needed)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub charts: ChartOptions,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Model file (TOML); the built-in Microsoft-OpenAI model when omitted
    pub model: Option<PathBuf>,
    #[command(flatten)]
    pub overrides: OverrideArgs,
    /// The trajectory to explain
    #[arg(long, short = 't', value_name = "NAME", allow_hyphen_values = true)]
    pub trajectory: String,
    /// The year to explain (one of the model's years)
    #[arg(
        long,
        short = 'y',
        value_name = "YEAR",
        allow_negative_numbers = true,
        value_parser = parse_year
    )]
    pub year: stakeshift::model::Year,
    /// Only this regime (both when omitted)
    #[arg(long, value_enum)]
    pub regime: Option<RegimeArg>,
    /// Output format on stdout
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RegimeArg {
    #[value(name = "profit_share")]
    ProfitShare,
    Equity,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ChartArgs {
    /// Model file (TOML); the built-in Microsoft-OpenAI model when omitted
    pub model: Option<PathBuf>,
    #[command(flatten)]
    pub overrides: OverrideArgs,
    /// The trajectory that waterfall.png and cloud.png show (default: `base`, else the
    /// first); the other charts show every trajectory
    #[arg(long, short = 't', value_name = "NAME", allow_hyphen_values = true)]
    pub trajectory: Option<String>,
    /// Directory to write the charts into (created if needed): value.png, npv.png,
    /// waterfall.png, stake.png, and cloud.png for a model with a cloud side; files already
    /// there with the same names are replaced
    #[arg(long, value_name = "DIR", default_value = "charts")]
    pub out: PathBuf,
    #[command(flatten)]
    pub charts: ChartOptions,
}

/// How the charts are drawn, for `chart` and the `--out` of `compare`, `simulate`, `sweep`
/// and `tornado`.
#[derive(Debug, Clone, Copy, Args)]
pub struct ChartOptions {
    /// Size of each chart written, in pixels, WIDTHxHEIGHT, from 960x540 to 3840x2160
    /// (default 1600x900); type and lines scale with it
    // An option, not a default value: `--size 1600x900` without `--out` is the same
    // mistake as any other size (helper-208: it was let through as the default).
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    pub size: Option<stakeshift::chart::Size>,
    /// Also write each chart as SVG beside its PNG (the same name, ending .svg)
    #[arg(long)]
    pub svg: bool,
}

impl ChartOptions {
    /// The size asked for, else the default.
    pub fn size(&self) -> stakeshift::chart::Size {
        self.size.unwrap_or(stakeshift::chart::Size::DEFAULT)
    }

    /// `--svg` and `--size` shape the charts that `--out` writes: without it, bad usage
    /// (`elsewhere`: where else the user can draw them, if anywhere); then `--out` checked.
    pub fn need_out(&self, out: Option<&std::path::Path>, elsewhere: &str) -> anyhow::Result<()> {
        if out.is_none() && (self.svg || self.size.is_some()) {
            // The flags given, named (helper-236: `--svg` alone was told of `--size` too).
            let given = match (self.svg, self.size.is_some()) {
                (true, true) => "--svg and --size shape",
                (true, false) => "--svg shapes",
                _ => "--size shapes",
            };
            return Err(Error::Usage(format!(
                "{given} the charts that --out writes; add --out DIR{elsewhere}"
            ))
            .into());
        }
        check_out(out)
    }
}

/// A progress bar on stderr for a command whose length is not known in advance (`sweep`,
/// `tornado`): counted from the start, drawn only once the run has taken a second (a short
/// run shows nothing), and never where stderr is not a terminal or `--quiet` is given.
pub(crate) struct LateProgress {
    bar: Option<indicatif::ProgressBar>,
    shown: std::sync::atomic::AtomicBool,
}

impl LateProgress {
    /// Draws after this long.
    const AFTER: std::time::Duration = std::time::Duration::from_secs(1);

    pub(crate) fn new(total: u64, what: &str, quiet: bool) -> LateProgress {
        use std::io::IsTerminal;
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(total),
                indicatif::ProgressDrawTarget::hidden(),
            );
            bar.set_style(
                indicatif::ProgressStyle::with_template(&format!(
                    "{what} {{bar:40}} {{human_pos}}/{{human_len}}, {{eta}} left"
                ))
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
        LateProgress {
            bar,
            shown: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// `done` more steps done (from any thread).
    pub(crate) fn tell(&self, done: u64) {
        use std::sync::atomic::Ordering;
        let Some(bar) = &self.bar else { return };
        bar.inc(done);
        if !self.shown.load(Ordering::Relaxed)
            && bar.elapsed() >= Self::AFTER
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }

    /// Clears the bar, where one was drawn.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Refuses an `--out` that cannot be a folder before anything is computed (the same
/// refusal as when the files are written, said as then), and puts back the old outputs
/// of a run that was killed while it replaced them.
pub(crate) fn check_out(out: Option<&std::path::Path>) -> anyhow::Result<()> {
    let Some(dir) = out else {
        return Ok(());
    };
    stakeshift::io::check_out_folder(dir)
        .with_context(|| format!("writing the results into {}", shown(dir)))?;
    roll_back_stopped_sets_of(dir)
}

/// Puts back the old outputs of a run that stopped while replacing them in `dir`
/// ([`stakeshift::io::roll_back_stopped_sets`]), saying at once what the user should know:
/// it is about the folder, whatever this run then does (a run that fails prints only its
/// error).
pub(crate) fn roll_back_stopped_sets_of(dir: &std::path::Path) -> anyhow::Result<()> {
    let notes = stakeshift::io::roll_back_stopped_sets(dir)
        .with_context(|| format!("writing the results into {}", shown(dir)))?;
    for note in notes {
        say_rollback_note(&note);
    }
    Ok(())
}

fn parse_size(s: &str) -> Result<stakeshift::chart::Size, String> {
    s.parse()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Model file (TOML); the built-in Microsoft-OpenAI model when omitted
    pub model: Option<PathBuf>,
    #[command(flatten)]
    pub overrides: OverrideArgs,
    /// A path and its grid: PATH=FROM..TO[:STEPS] (STEPS default 11, from 2 to 10,001; value
    /// i is FROM + i (TO - FROM) / (STEPS - 1), exact); once or twice
    #[arg(
        long = "vary",
        value_name = "PATH=FROM..TO[:STEPS]",
        required = true,
        allow_hyphen_values = true
    )]
    pub vary: Vec<String>,
    /// Only this trajectory (repeat for several)
    #[arg(
        long = "trajectory",
        short = 't',
        value_name = "NAME",
        allow_hyphen_values = true
    )]
    pub trajectories: Vec<String>,
    /// Output format on stdout
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write sweep.csv and sweep.png into DIR (created if needed)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// No progress bar (one is drawn on a terminal once a sweep has taken a second)
    #[arg(long, short = 'q')]
    pub quiet: bool,
    #[command(flatten)]
    pub charts: ChartOptions,
}

#[derive(Debug, Args)]
pub struct SolveArgs {
    /// [MODEL] PATH: the model file (the built-in model when omitted) and the path to solve
    /// for (`equity.stake`, `scale.valuation`, `profit_share.tiers[1].until.microsoft`)
    #[arg(value_name = "[MODEL] PATH", num_args = 1..=2, required = true)]
    pub operands: Vec<String>,
    #[command(flatten)]
    pub overrides: OverrideArgs,
    /// The NPV advantage (equity minus profit share) wanted, in the model's unit (default 0:
    /// the tie)
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    pub target: Option<String>,
    /// Look for the value in FROM..TO, kept inside the key's valid range (default: the valid
    /// range, amounts up to 1000 times the current value)
    #[arg(long, value_name = "FROM..TO", allow_hyphen_values = true)]
    pub within: Option<String>,
    /// Only this trajectory (repeat for several)
    #[arg(
        long = "trajectory",
        short = 't',
        value_name = "NAME",
        allow_hyphen_values = true
    )]
    pub trajectories: Vec<String>,
    /// Output format on stdout
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write solve.csv into DIR (created if needed)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TornadoArgs {
    /// Model file (TOML); the built-in Microsoft-OpenAI model when omitted
    pub model: Option<PathBuf>,
    #[command(flatten)]
    pub overrides: OverrideArgs,
    /// An input and its two values: PATH=LOW..HIGH (repeatable); without it, the default
    /// inputs (see docs/MODEL.md)
    #[arg(
        long = "vary",
        value_name = "PATH=LOW..HIGH",
        allow_hyphen_values = true
    )]
    pub vary: Vec<String>,
    /// Only this trajectory (repeat for several)
    #[arg(
        long = "trajectory",
        short = 't',
        value_name = "NAME",
        allow_hyphen_values = true
    )]
    pub trajectories: Vec<String>,
    /// The trajectory that tornado.png shows (default: `base`, else the first)
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    pub chart_trajectory: Option<String>,
    /// Output format on stdout
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write tornado.csv and tornado.png into DIR (created if needed)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// No progress bar (one is drawn on a terminal once a tornado has taken a second)
    #[arg(long, short = 'q')]
    pub quiet: bool,
    #[command(flatten)]
    pub charts: ChartOptions,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Model file (TOML); the built-in Microsoft-OpenAI model when omitted
    pub model: Option<PathBuf>,
    #[command(flatten)]
    pub overrides: OverrideArgs,
    /// Number of simulated futures (default: `simulation.paths` in the model, else 10000)
    // (A negative number is this flag's value, told of its range, not a flag of its own
    // with clap's tip to write `-- -5`, which does not work either: helper-192.)
    #[arg(long, value_name = "N", value_parser = parse_paths, allow_negative_numbers = true)]
    pub paths: Option<u64>,
    /// Seed of the random streams (default: `simulation.seed` in the model, else 0)
    #[arg(long, value_name = "S", value_parser = parse_seed, allow_negative_numbers = true)]
    pub seed: Option<u64>,
    /// Only this trajectory as a center (repeat for several)
    #[arg(
        long = "trajectory",
        short = 't',
        value_name = "NAME",
        allow_hyphen_values = true
    )]
    pub trajectories: Vec<String>,
    /// Output format on stdout (csv: the rows of simulation.csv)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write simulation.csv, fan.csv, fan.png and distribution.png (and paths.csv with
    /// --paths-csv) into DIR (created if needed)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// With --out, also write paths.csv: one row per path
    #[arg(long, requires = "out")]
    pub paths_csv: bool,
    /// Print path N (0-based) as a [[trajectories]] table that `compare --yearly` reruns in
    /// exact decimals (but where its comment says a skipped round or a lapsed commitment
    /// parts them), instead of the statistics (so not with --out or --format)
    #[arg(
        long,
        value_name = "N",
        value_parser = parse_replay,
        allow_negative_numbers = true,
        conflicts_with_all = ["out", "format", "paths_csv"]
    )]
    pub replay: Option<u64>,
    /// No progress bar
    #[arg(long, short = 'q')]
    pub quiet: bool,
    #[command(flatten)]
    pub charts: ChartOptions,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Model file (TOML) to validate; the built-in Microsoft-OpenAI model when omitted
    pub model: Option<PathBuf>,
    #[command(flatten)]
    pub overrides: OverrideArgs,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the model (`-` for standard output)
    #[arg(default_value = "msft-openai.toml")]
    pub path: PathBuf,
    /// Overwrite the file if it exists
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The subcommand whose page to print (`compare`, `check`, ...); stakeshift(1) when omitted
    #[arg(conflicts_with = "out")]
    pub command: Option<String>,
    /// Write every page (stakeshift.1, stakeshift-compare.1, ...) into DIR instead
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `--paths`: a whole number from 1 to [`stakeshift::model::MAX_PATHS`], said so for any
/// other text (a number past u64 was "number too large to fit in target type": helper-78).
fn parse_paths(text: &str) -> Result<u64, String> {
    let most = stakeshift::model::MAX_PATHS;
    let within = format!("a whole number of paths from 1 to {most}");
    match text.trim().parse::<u64>() {
        Ok(n) if (1..=most).contains(&n) => Ok(n),
        Ok(_) => Err(format!("{text} is outside 1..={most}; give {within}")),
        Err(_) if is_whole(text) && !text.trim().starts_with('-') => {
            Err(format!("{text} is too large; give {within}"))
        }
        Err(_) if is_whole(text) => Err(format!("{text} is outside 1..={most}; give {within}")),
        Err(_) => Err(match whole_as_digits(text) {
            Some(n) if (1..=most).contains(&n) => format!(
                "`{text}` is not a whole number written in digits; write it {n}, as {within}"
            ),
            Some(n) => format!("`{text}` is {n}, outside 1..={most}; give {within}"),
            None => format!("`{text}` is not a whole number written in digits; give {within}"),
        }),
    }
}

/// A whole number written with separators between groups of three digits (`1,000,000`,
/// `1 000 000`; `_` between any digits, as TOML allows) or in exponent form (`1e6`, `2.5e5`),
/// as the number it is (session 46: `--paths 1e6` was told only that it is not one); None
/// for anything else (`1,5`, a decimal comma), or a number past u64.
fn whole_as_digits(text: &str) -> Option<u64> {
    let text = text.trim();
    for separator in [',', ' ', '_'] {
        if !text.contains(separator) {
            continue;
        }
        let groups: Vec<&str> = text.split(separator).collect();
        let digits = |g: &&str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
        // (A first group of 0 is no thousands' grouping but a decimal comma, `0,500`:
        // helper-291.)
        let grouped = groups.iter().all(digits)
            && !groups[0].starts_with('0')
            && (separator == '_'
                || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3)));
        return grouped.then(|| groups.concat().parse().ok()).flatten();
    }
    let (mantissa, exponent) = text.split_once(['e', 'E'])?;
    let exponent: usize = exponent
        .strip_prefix('+')
        .unwrap_or(exponent)
        .parse()
        .ok()?;
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || fraction.trim_end_matches('0').len() > exponent
        || exponent > 19
    {
        return None;
    }
    // The mantissa's digits, the point moved `exponent` places.
    let digits = format!("{whole}{fraction:0<exponent$}");
    digits[..whole.len() + exponent].parse().ok()
}

/// `--year`: a whole year written in digits, said so for any other text (`2030.0` was
/// "invalid digit found in string": helper-175). Whether the model has it is said later.
fn parse_year(text: &str) -> Result<stakeshift::model::Year, String> {
    let most = stakeshift::model::MAX_YEAR;
    let text = text.trim();
    text.parse().map_err(|_| {
        // (One sign at most: `--2030` is no number, helper-178.)
        let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            format!("`{text}` is no year a model can have (from -{most} to {most})")
        } else {
            format!("`{text}` is not a year; give a whole year written in digits, such as 2030")
        }
    })
}

/// `--replay`: a path's index, a whole number from 0; whether the run has that path is said
/// later, with `--paths` (helper-192: `abc`, `-1`, `' 3'` were "invalid digit found in
/// string", and a number past u64 "number too large to fit in target type").
fn parse_replay(text: &str) -> Result<u64, String> {
    let within = "a path's index, a whole number from 0 (the first path) to one less than --paths";
    match unsigned_zero(text).parse::<u64>() {
        Ok(n) => Ok(n),
        Err(_) if is_whole(text) && text.trim().starts_with('-') => {
            Err(format!("{text} is below 0; give {within}"))
        }
        Err(_) if is_whole(text) => Err(format!("{text} is too large; give {within}")),
        Err(_) => Err(match whole_as_digits(text) {
            Some(n) => format!(
                "`{text}` is not a whole number written in digits; write it {n}, as {within}"
            ),
            None => format!("`{text}` is not a whole number written in digits; give {within}"),
        }),
    }
}

/// `--seed`: any whole number from 0 to 2^64 - 1, said so for any other text.
fn parse_seed(text: &str) -> Result<u64, String> {
    let within = format!("a whole number from 0 to {}", u64::MAX);
    match unsigned_zero(text).parse::<u64>() {
        Ok(n) => Ok(n),
        Err(_) if is_whole(text) => {
            Err(format!("{text} is outside 0..={}; give {within}", u64::MAX))
        }
        Err(_) => Err(match whole_as_digits(text) {
            Some(n) => format!("`{text}` is not a whole number written in digits; write it {n}"),
            None => format!("`{text}` is not a whole number; give {within}"),
        }),
    }
}

/// `text` trimmed, and a zero written with a minus sign (`-0`, `-000`) as the zero it is
/// (helper-194: `--seed -0` was "outside 0..=", `--replay -0` "below 0").
fn unsigned_zero(text: &str) -> &str {
    let text = text.trim();
    match text.strip_prefix('-') {
        Some(zeros) if !zeros.is_empty() && zeros.bytes().all(|b| b == b'0') => zeros,
        _ => text,
    }
}

/// Whether `text` is written as a whole number (a sign, then digits).
fn is_whole(text: &str) -> bool {
    let digits = text.trim().trim_start_matches(['-', '+']);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

/// The command line, parsed; or, where it is not a run (bad usage, `--help`,
/// `--version`), what was said of it and the exit code.
pub fn parse() -> Result<Cli, ExitCode> {
    match Cli::try_parse() {
        Ok(cli) => Ok(cli),
        Err(e)
            if e.use_stderr()
                && e.kind() != clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand =>
        {
            // Bad usage: one line, as every error of ours (clap's own spreads it over a
            // tip, the usage and a pointer to --help; helper-88).
            let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
            let mut line = one_line_usage_error(&e.render().to_string());
            // clap says the same of `init ''` and `--out=` as of a flag given no value: say
            // that the value given was empty.
            let invalid = match e.get(clap::error::ContextKind::InvalidArg) {
                Some(clap::error::ContextValue::String(arg)) => arg.as_str(),
                _ => "",
            };
            if !invalid.is_empty() && empty_value_given(&args, invalid) {
                line = line.replacen(" but none was supplied", ", and the one given is empty", 1);
            }
            if let Some(note) = flag_taken_as_a_name(&args) {
                line.push_str(&note);
            }
            // A change to the model given after the model (`compare m.toml
            // equity.stake=0.3`): how it is given (helper-291; clap said "unexpected
            // argument" alone). Only for a command that takes `--set`, a word quotable
            // whole, and not beside the note of a `--set` whose value it is (helper-294).
            // (A command's own `--set`, by the parser's description.)
            let takes_set = args
                .iter()
                .skip(1)
                .find_map(|a| a.to_str())
                .and_then(|c| {
                    <Cli as clap::CommandFactory>::command()
                        .find_subcommand(c)
                        .cloned()
                })
                .is_some_and(|c| c.get_arguments().any(|a| a.get_long() == Some("set")));
            if takes_set
                && e.kind() == clap::error::ErrorKind::UnknownArgument
                && let Some(clap::error::ContextValue::String(arg)) =
                    e.get(clap::error::ContextKind::InvalidArg)
                && !arg.starts_with('-')
                && set_value_apart(&args).is_none()
                && let Some(note) =
                    stakeshift::io::path_operand_hint(std::path::Path::new(arg), false)
            {
                line.push_str(&format!(" ({note})"));
            }
            // (Whatever clap calls it: with `--set` first, `solve` was told of an
            // "unexpected value": helper-279.)
            if let Some(note) = set_value_apart(&args) {
                // clap's tip for a value taken for a flag (`use '-- -0'`) is no fix here
                // (helper-282: `--set equity.stake= -0.3` was told both).
                // (That tip alone: one naming a similar flag is about another argument,
                // helper-283.)
                // (The tip's argument a part of the value joined: `-0` of `-0.3`; not `-x`
                // given elsewhere, helper-285.)
                let quoted = "; tip: to pass '";
                if let Some(tip) = line.find(quoted)
                    && let Some(argument) = line[tip + quoted.len()..].split('\'').next()
                    && note.contains(&format!("={argument}"))
                    && let Some(end) = line[tip..].find(" (see --help)")
                {
                    line.replace_range(tip..tip + end, "");
                }
                line.push_str(&note);
            }
            // (Plain text: a line separator or a right-to-left override the user typed is
            // escaped too, not only control characters: helper-288.)
            say(format_args!("{}", stakeshift::error::plain_text(&line)));
            Err(ExitCode::from(2))
        }
        Err(e) => {
            let printed = e.print();
            // clap: 0 for --help and --version, 2 for bad usage. Help that could not be
            // written (`>/dev/full`) is a failure, as data that could not be is; a reader
            // that stops early (`| head`) is not.
            let code = e.exit_code().clamp(0, 255) as u8;
            Err(match printed {
                Err(err) if code == 0 && err.kind() != std::io::ErrorKind::BrokenPipe => {
                    say(format_args!("error: <stdout>: {err}"));
                    ExitCode::from(1)
                }
                _ => ExitCode::from(code),
            })
        }
    }
}

/// clap's report of bad usage as one line: its message, with what it lists below it (the
/// arguments missing) and its tip, then where to read more; the usage line is left out.
fn one_line_usage_error(rendered: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for line in rendered.lines().map(str::trim) {
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        if !line.is_empty() {
            parts.push(line);
        }
    }
    let mut text = String::new();
    for part in parts {
        if !text.is_empty() {
            text.push_str(if part.starts_with("tip:") { "; " } else { " " });
        }
        text.push_str(part);
    }
    format!("{text} (see --help)")
}

/// The most warnings printed one by one.
const MAX_WARNINGS_SHOWN: usize = 10;

/// Ends a run that did not panic: its warnings after its output where it succeeded (the
/// first few, then how many more, so that stderr stays readable: a model can hold many
/// slips, a growth on every series), else its one-line error; and the exit code.
pub fn finish(result: anyhow::Result<()>, warnings: Warnings) -> ExitCode {
    match result {
        Ok(()) => {
            let unplaced = warnings.more();
            let warnings = warnings.into_vec();
            // (As errors are: a name's U+FFFE or U+FFFF escaped, helper-293.)
            for warning in warnings.iter().take(MAX_WARNINGS_SHOWN) {
                say(format_args!(
                    "warning: {}",
                    stakeshift::error::plain_text(&warning.to_string())
                ));
            }
            let more = warnings.len().saturating_sub(MAX_WARNINGS_SHOWN) + unplaced;
            if more > 0 {
                say(format_args!("warning: {more} more warnings like these"));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            // What a rollback changed as this run began writing is said even though the
            // run then failed (helper-166): those files are not as they were.
            say_rollback_notes();
            let typed = e.downcast_ref::<Error>();
            // A reader that stops early (`| head`) is not an error.
            if let Some(Error::Io { cause, .. }) = typed
                && cause.kind() == std::io::ErrorKind::BrokenPipe
            {
                return ExitCode::SUCCESS;
            }
            // Whatever the error quotes (a name, a key, a path), no control character
            // reaches the terminal raw.
            let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
            let mut note = flag_taken_as_a_name(&args).unwrap_or_default();
            // Whatever error a value apart from its `--set` or `--vary` led to
            // (`--set equity.stake= 0.3`: an empty value, and 0.3 taken for the model;
            // `sweep --vary equity.stake= 0..1`: no model file `0..1`).
            // (Once: `solve` says it in its own usage error.)
            // (The note escaped as the error is, and compared so: helper-288, a control
            // character in the `--set` printed the note raw, and `solve`'s twice.)
            let said = format!("{e:#}");
            if let Some(apart) = set_value_apart(&args)
                && !stakeshift::error::plain_text(&said)
                    .contains(&*stakeshift::error::plain_text(apart.trim()))
            {
                note.push_str(&apart);
            }
            say(format_args!(
                "error: {}",
                stakeshift::error::plain_text(&format!("{said}{note}"))
            ));
            ExitCode::from(typed.map_or(1, |t| t.exit_code()) as u8)
        }
    }
}

/// Runs a parsed command line, writing its output to `stdout` and its warnings to
/// `warnings`.
pub fn run(
    cli: Cli,
    stdout: &mut dyn std::io::Write,
    warnings: &mut Warnings,
) -> anyhow::Result<()> {
    match cli.command {
        Command::Compare(args) => compare::run(&args, stdout, warnings),
        Command::Explain(args) => explain::run(&args, stdout, warnings),
        Command::Chart(args) => chart::run(&args, warnings),
        Command::Check(args) => check::run(&args, stdout, warnings),
        Command::Simulate(args) => {
            crate::process::start_threads();
            simulate::run(&args, stdout, warnings)
        }
        Command::Init(args) => init::run(&args, stdout),
        Command::Sweep(args) => {
            crate::process::start_threads();
            sweep::run(&args, stdout, warnings)
        }
        Command::Solve(args) => {
            crate::process::start_threads();
            solve::run(&args, stdout, warnings)
        }
        Command::Tornado(args) => {
            crate::process::start_threads();
            tornado::run(&args, stdout, warnings)
        }
        Command::Completions(args) => completions::run(&args, stdout),
        Command::Man(args) => man::run(&args, stdout),
        Command::Schema => schema::run(stdout),
    }
}

/// The most text one output may be built to. Every output is rendered in memory before
/// anything is written (a set is written all or none), and a run's peak is two to three
/// times its text (helper-248: a paths.csv of 1.9 GB peaked at 3.75 GB). A trajectory's name is
/// written on every row of its results, so long names on many rows are what reach it
/// (helper-248: a sweep of a 100,000-character name took 4 GB for 40,000 points).
pub(crate) const MAX_OUTPUT_BYTES: u64 = 1_000_000_000;

/// The longest name of `selected` (all where None) as a CSV writes it at most: its bytes,
/// its quotes doubled, two around it.
pub(crate) fn longest_name(model: &stakeshift::model::Model, selected: Option<&[usize]>) -> u64 {
    let all: Vec<usize>;
    let chosen = match selected {
        Some(chosen) => chosen,
        None => {
            all = (0..model.trajectories.len()).collect();
            &all
        }
    };
    chosen
        .iter()
        .map(|&t| {
            let name = &model.trajectories[t].name;
            (name.len() + name.matches('"').count() + 2) as u64
        })
        .max()
        .unwrap_or(0)
}

/// Refuses, before anything runs, an output of `rows` rows of about `row_bytes` each that
/// would pass [`MAX_OUTPUT_BYTES`] (`what`: "paths.csv of 1000000 paths"; `advice`: how
/// to make it smaller).
pub(crate) fn refuse_large_output(
    what: &str,
    rows: u64,
    row_bytes: u64,
    advice: &str,
) -> Result<(), Error> {
    refuse_output_past(MAX_OUTPUT_BYTES, what, rows, row_bytes, advice)
}

/// [`refuse_large_output`] with a limit of its own (`paths.csv`'s, whose rows the estimate
/// takes at 100 bytes where they are about 65: helper-251 found 9 million paths, a 575 MB
/// file, refused under 1e9).
pub(crate) fn refuse_output_past(
    limit: u64,
    what: &str,
    rows: u64,
    row_bytes: u64,
    advice: &str,
) -> Result<(), Error> {
    let bytes = rows.saturating_mul(row_bytes);
    if bytes > limit {
        return Err(Error::Usage(format!(
            "{what} would take about {bytes} bytes ({rows} rows of about {row_bytes} bytes, a trajectory's name on each); at most {limit} are allowed, as every output is built in memory before it is written: {advice}"
        )));
    }
    Ok(())
}

/// Runs the model's chosen trajectories, turning engine errors into model errors that
/// name the file; with a choice, the others are run too, for their errors only
/// ([`check_unchosen_trajectories`]).
pub(crate) fn run_model(
    loaded: &LoadedModel,
    selected: Option<&[usize]>,
) -> Result<stakeshift::compare::Comparison, Error> {
    let comparison = stakeshift::compare::compare(&loaded.model, selected)
        .map_err(|e| loaded.engine_error(&e))?;
    check_unchosen_trajectories(loaded, selected)?;
    Ok(comparison)
}

/// SPEC 6: a model in which some trajectory has a round without a positive pre-money
/// value, or an amount too large to hold, is a bad model (exit 2), whichever trajectories a
/// command reports: `--trajectory` chooses what is shown, not what is checked (`check`
/// and `compare` without a choice would refuse the same file). So the trajectories not
/// chosen are run as well, and only their errors kept.
pub(crate) fn check_unchosen_trajectories(
    loaded: &LoadedModel,
    selected: Option<&[usize]>,
) -> Result<(), Error> {
    let Some(selected) = selected else {
        return Ok(());
    };
    let mut chosen = vec![false; loaded.model.trajectories.len()];
    for &i in selected {
        chosen[i] = true;
    }
    let unchosen: Vec<usize> = (0..loaded.model.trajectories.len())
        .filter(|i| !chosen[*i])
        .collect();
    if unchosen.is_empty() {
        return Ok(());
    }
    // The engine's run without rows, IRRs or break-even searches: the same errors.
    stakeshift::compare::outcomes(&loaded.model, &unchosen)
        .map(|_| ())
        .map_err(|e| {
            let mut error = loaded.engine_error(&e);
            if let Error::Model { message, .. } = &mut error {
                message.push_str(
                    " (a trajectory not chosen with --trajectory: every trajectory of a model must run)",
                );
            }
            error
        })
}

/// Writes to stdout, mapping the error into the crate's.
///
/// A reader that stops early (`| head`) is no error: the rest is not printed and the run
/// goes on, so that its `--out` files, written after what is printed, are still written
/// (helper-229: they were not, and the run said nothing).
pub(crate) fn emit(stdout: &mut dyn std::io::Write, bytes: &[u8]) -> Result<(), Error> {
    reader_gone_is_no_error(stdout.write_all(bytes).and_then(|_| stdout.flush()))
}

/// A write to stdout's result, a reader that has gone (a broken pipe) taken as done.
pub(crate) fn reader_gone_is_no_error(written: std::io::Result<()>) -> Result<(), Error> {
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| Error::io("<stdout>", e)),
    }
}

/// A command's `--out` files: the folder and the set, rendered before anything is written.
pub(crate) type OutFiles<'a> = Option<(&'a std::path::Path, Vec<(String, Vec<u8>)>)>;

/// The order every command that prints and writes keeps: what can be checked of the set
/// without writing (`stakeshift::io::check_set`: helper-229, a set refused as bad usage was
/// refused after its table had gone out), then what is printed (`print`, given the files,
/// whose bytes it may print: a sweep's CSV), then the files as one set of the command's
/// `family` (without one, written with no record of earlier runs' files), said on stderr.
/// Printing first, a stdout that cannot take it (`>/dev/full`) fails the run with every
/// file as it was (helper-228: the files had been replaced).
pub(crate) fn print_then_write(
    stdout: &mut dyn std::io::Write,
    out: OutFiles<'_>,
    family: Option<&[String]>,
    print: impl FnOnce(&mut dyn std::io::Write, Option<&[(String, Vec<u8>)]>) -> Result<(), Error>,
) -> anyhow::Result<()> {
    use anyhow::Context;
    let context = |dir: &std::path::Path| format!("writing the results into {}", shown(dir));
    if let Some((dir, files)) = &out {
        stakeshift::io::check_set(dir, files, family).with_context(|| context(dir))?;
    }
    print(stdout, out.as_ref().map(|(_, files)| files.as_slice()))?;
    if let Some((dir, files)) = out {
        let removed = match family {
            Some(family) => stakeshift::io::write_set(dir, &files, family),
            None => stakeshift::io::write_all(dir, &files).map(|()| Vec::new()),
        }
        .with_context(|| context(dir))?;
        report_written(dir, &files, &removed);
    }
    Ok(())
}

/// Every file name the charts can have (each chart as PNG and SVG): the part of an output
/// folder's set that `chart` owns.
pub(crate) fn chart_family() -> Vec<String> {
    stakeshift::chart::Chart::ALL
        .iter()
        .flat_map(|c| [format!("{}.png", c.name()), format!("{}.svg", c.name())])
        .collect()
}

/// The one line that says what a run wrote, on stderr (stdout is for data).
pub(crate) fn report_written(
    dir: &std::path::Path,
    files: &[(String, Vec<u8>)],
    removed: &[String],
) {
    say_rollback_notes();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let removed = if removed.is_empty() {
        String::new()
    } else {
        format!(
            "; removed {}, left by an earlier run and not written by this one",
            removed.join(", ")
        )
    };
    say(format_args!(
        "wrote {} to {}{removed}",
        names.join(", "),
        shown(dir)
    ));
}

/// The warnings of rollbacks done while the files were written (a run stopped in the
/// folder while this one computed), before saying what was written.
pub(crate) fn say_rollback_notes() {
    for note in stakeshift::io::take_rollback_notes() {
        say_rollback_note(&note);
    }
}

/// A rollback's warning, once a process (the folder is looked at before the run and again
/// as it writes: a journal left alone was said twice; helper-166).
fn say_rollback_note(note: &str) {
    static SAID: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let Ok(mut said) = SAID.lock() else { return };
    if !said.iter().any(|s| s == note) {
        // (Its folder's name escaped, as every warning's: helper-294.)
        say(format_args!(
            "warning: {}",
            stakeshift::error::plain_text(note)
        ));
        said.push(note.to_string());
    }
}

/// A path as a message shows it: control and bidi characters escaped, and one of more than
/// 400 characters shortened to its end ([`stakeshift::error::path_shortened`]; helper-175:
/// an output folder of 5,000 characters was quoted whole, twice, in one line).
pub(crate) fn shown(path: &std::path::Path) -> String {
    stakeshift::error::plain_text(&stakeshift::io::shown(path)).into_owned()
}

/// Writes one line of a message (an error, a warning, what was written) on stderr. A stderr
/// that cannot be written (`2>/dev/full`, a pipe whose reader has gone) loses the message,
/// not the run: `eprintln!` panicked there, exit 101 after files were written correctly.
pub(crate) fn say(line: std::fmt::Arguments) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// A `--vary PATH=RANGE` of `sweep` or `tornado`, split at its last `=` and its path
/// parsed; every error of it begins with the `--vary`, shortened to its start (a
/// 5,000-digit FROM hid the reason: helper-173).
pub(crate) struct Vary<'a> {
    /// `--vary ARG`, whole: what the results name the axis or input by.
    pub origin: String,
    pub path: stakeshift::overrides::OverridePath,
    pub range: &'a str,
}

impl<'a> Vary<'a> {
    /// `arg` split; `form` is what is expected of it where it has no `=`, such as
    /// "PATH=LOW..HIGH, such as equity.stake=0.2..0.35".
    pub(crate) fn parse(arg: &'a str, form: &str) -> Result<Self, Error> {
        let origin = format!("--vary {arg}");
        let Some((path, range)) = arg.rsplit_once('=') else {
            return Err(vary_error(&origin, format!("expected {form}")));
        };
        let path =
            stakeshift::overrides::OverridePath::parse(path).map_err(|m| vary_error(&origin, m))?;
        Ok(Vary {
            origin,
            path,
            range,
        })
    }

    /// An error of this `--vary`.
    pub(crate) fn error(&self, message: impl std::fmt::Display) -> Error {
        vary_error(&self.origin, message)
    }

    /// Its range, read; a percent's fraction (`10% is 0.1`) is not offered for a year, where
    /// it means nothing (helper-291: `--vary end_year=10%..30%`).
    pub(crate) fn parsed_range(&self) -> Result<stakeshift::sensitivity::Range, Error> {
        let year = stakeshift::overrides::schema_type(&self.path) == Some("integer");
        stakeshift::sensitivity::Range::parse_with(self.range, !year).map_err(|m| self.error(m))
    }
}

/// An error of the `--vary` `origin`: it, shortened to its start, then `message`.
fn vary_error(origin: &str, message: impl std::fmt::Display) -> Error {
    Error::Usage(format!(
        "{}: {message}",
        stakeshift::error::origin_shortened(origin)
    ))
}

/// The flags whose value is a trajectory's name, taken whatever it starts with (a name may
/// start with `-`: `-t -high`).
const NAME_FLAGS: [&str; 3] = ["-t", "--trajectory", "--chart-trajectory"];

/// A flag of this program, as [`flags`] holds it.
struct Flag {
    /// Whether it takes a value (`--out DIR`), not a switch (`--yearly`).
    takes_a_value: bool,
    /// Whether its value may start with `-` (`-t -high`, `--vary -x`), so that it takes the
    /// next word whatever that is.
    any_word: bool,
    /// Whether its value may be a negative number (`--paths -5`, told of its range).
    negative_numbers: bool,
    /// Its long spelling (`--trajectory` for `-t`), as clap's errors name it.
    long: String,
}

/// A command's flags by each spelling (`--yearly`, `-y`).
type FlagsOf = std::collections::HashMap<String, Flag>;

/// Each command's flags, by the command's name (the program's own under ""): a word is read
/// with its command's flags only (helper-191: `compare -qt` read `-q`, a flag of `simulate`
/// that clap refuses in `compare`, and noted what `-t` took).
fn flags() -> &'static std::collections::HashMap<String, FlagsOf> {
    use clap::CommandFactory;
    static FLAGS: std::sync::OnceLock<std::collections::HashMap<String, FlagsOf>> =
        std::sync::OnceLock::new();
    FLAGS.get_or_init(|| {
        let of = |command: &clap::Command| {
            let mut flags = FlagsOf::new();
            for arg in command.get_arguments() {
                let longs: Vec<String> = arg
                    .get_long_and_visible_aliases()
                    .into_iter()
                    .flatten()
                    .map(|l| format!("--{l}"))
                    .collect();
                let shorts = arg
                    .get_short_and_visible_aliases()
                    .into_iter()
                    .flatten()
                    .map(|s| format!("-{s}"));
                let long = longs.first().cloned().unwrap_or_default();
                let takes_a_value = arg.get_action().takes_values();
                let any_word = arg.is_allow_hyphen_values_set();
                let negative_numbers = arg.is_allow_negative_numbers_set();
                for spelling in longs.iter().cloned().chain(shorts) {
                    flags.insert(
                        spelling,
                        Flag {
                            takes_a_value,
                            any_word,
                            negative_numbers,
                            long: long.clone(),
                        },
                    );
                }
            }
            for spelling in ["--help", "-h", "--version", "-V"] {
                flags.insert(
                    spelling.to_string(),
                    Flag {
                        takes_a_value: false,
                        any_word: false,
                        negative_numbers: false,
                        long: String::new(),
                    },
                );
            }
            flags
        };
        let program = Cli::command();
        let mut all: std::collections::HashMap<String, FlagsOf> = program
            .get_subcommands()
            .map(|command| (command.get_name().to_string(), of(command)))
            .collect();
        all.insert(String::new(), of(&program));
        all
    })
}

/// Whether `word` is one of this program's flags (`--yearly`, `-y`, `--out=d`), any
/// subcommand's, or a cluster of short ones (`-qt`, `-tbase`: each letter a flag, up to one
/// that takes a value, which takes the rest; helper-189: `sweep -qt -qt` had no note).
fn is_a_flag(word: &str) -> bool {
    let flag_of = |spelling: &str| flags().values().find_map(|of| of.get(spelling));
    let flag = word.split_once('=').map_or(word, |(flag, _)| flag);
    if flag_of(flag).is_some() {
        return true;
    }
    let Some(letters) = word
        .strip_prefix('-')
        .filter(|l| !l.starts_with('-') && l.chars().count() > 1)
    else {
        return false;
    };
    for letter in letters.chars() {
        match flag_of(&format!("-{letter}")) {
            None => return false,
            Some(flag) if flag.takes_a_value => return true,
            Some(_) => {}
        }
    }
    true
}

/// The command line's words (after the program's name) as clap reads them: for each, the
/// flag that took it as its value (and as which spelling), and whether it stands after a
/// `--` that ends the flags. A flag that takes a value takes the next word: any word for
/// one whose values may start with `-` (`-t`, `--vary`), else one not starting with `-`; a
/// cluster of short flags (`-qt`) is read flag by flag, the first that takes a value taking
/// the rest of the cluster, or else the next word (helper-188, -189, -190).
struct Words<'a> {
    words: Vec<&'a str>,
    taken_by: Vec<Option<(&'static Flag, String)>>,
    after_the_end: Vec<bool>,
}

impl<'a> Words<'a> {
    fn read(args: &'a [std::ffi::OsString]) -> Words<'a> {
        let words: Vec<&str> = args
            .iter()
            .skip(1)
            .map(|a| a.to_str().unwrap_or("?"))
            .collect();
        let mut taken_by = vec![None; words.len()];
        let mut after_the_end = vec![false; words.len()];
        // The command's own flags, read from the word after its name (`help` and a word
        // that names no command have none).
        static NONE: std::sync::OnceLock<FlagsOf> = std::sync::OnceLock::new();
        let of = words
            .first()
            .and_then(|command| flags().get(*command))
            .unwrap_or_else(|| NONE.get_or_init(FlagsOf::new));
        let mut flags_ended = false;
        let mut i = 1;
        while i < words.len() {
            let word = words[i];
            after_the_end[i] = flags_ended;
            if !flags_ended && word == "--" {
                flags_ended = true;
            } else if !flags_ended
                && let Some((flag, spelling)) = Self::taking_the_next_word(of, word)
                && let Some(next) = words.get(i + 1)
                && (flag.any_word
                    || !next.starts_with('-')
                    || (flag.negative_numbers && next[1..].parse::<f64>().is_ok()))
            {
                taken_by[i + 1] = Some((flag, spelling));
                i += 1;
            }
            i += 1;
        }
        Words {
            words,
            taken_by,
            after_the_end,
        }
    }

    /// The flag of `of` that `word` ends with and that takes the next word as its value, and
    /// its spelling: `--out`, `-t`, or the last of a cluster (`-qt`) where the flags before
    /// it take none.
    fn taking_the_next_word(of: &'static FlagsOf, word: &str) -> Option<(&'static Flag, String)> {
        if let Some(flag) = of.get(word) {
            return flag.takes_a_value.then(|| (flag, word.to_string()));
        }
        let cluster = word.strip_prefix('-').filter(|c| !c.starts_with('-'))?;
        let mut letters = cluster.chars().peekable();
        while let Some(letter) = letters.next() {
            let spelling = format!("-{letter}");
            let flag = of.get(&spelling)?;
            if flag.takes_a_value {
                // The rest of the cluster, if any, is its value.
                return letters.peek().is_none().then_some((flag, spelling));
            }
        }
        None
    }

    /// Whether word `i` is no flag's value.
    fn free(&self, i: usize) -> bool {
        self.taken_by[i].is_none()
    }
}

/// Whether the value clap says is missing for `arg` (`--out <DIR>`, `[PATH]`, as its error
/// names it) was given, empty: `--out ''`, `--out=`, `-t ''`, or an empty word that no flag
/// took as its value for an argument (helper-187: any empty word, or any `--set=`, made
/// clap's "none was supplied" of another flag "the one given is empty"), the words read as
/// clap reads them ([`Words`]).
fn empty_value_given(args: &[std::ffi::OsString], arg: &str) -> bool {
    let w = Words::read(args);
    match arg.split(' ').next().filter(|long| long.starts_with("--")) {
        Some(long) => (0..w.words.len()).any(|i| {
            (w.free(i) && !w.after_the_end[i] && w.words[i].strip_suffix('=') == Some(long))
                || (w.words[i].is_empty()
                    && w.taken_by[i].as_ref().is_some_and(|(f, _)| f.long == long))
        }),
        None => (0..w.words.len()).any(|i| w.words[i].is_empty() && w.free(i)),
    }
}

/// Where a name flag took one of this program's flags as its value (`-t --yearly`, where the
/// name was left out): a note that says so, for the error that follows from it, whichever
/// it is (helper-176, -177: `explain -t -y 2030` took `-y` as the name and 2030 as the
/// model, and clap then said `--year` was missing; `compare -t --format csv`, "csv: no
/// such model file"). A name that is no flag (`-t -high`) gets none, nor a `-t` that was
/// itself another flag's value (`--vary -t --out=`, helper-190); the words are read as clap
/// reads them ([`Words`]: nothing after a real `--` is a flag, but a `--` taken as a name is
/// no such end, `-t -- -t --yearly`, helper-179).
fn flag_taken_as_a_name(args: &[std::ffi::OsString]) -> Option<String> {
    let w = Words::read(args);
    (0..w.words.len()).find_map(|i| {
        let (_, spelling) = w.taken_by[i].as_ref()?;
        let value = w.words[i];
        (NAME_FLAGS.contains(&spelling.as_str()) && is_a_flag(value)).then(|| {
            format!(
                " (`{}` was taken as the trajectory's name after {spelling}, which takes the next word whatever it starts with: was the name left out?)",
                stakeshift::error::quoted(value)
            )
        })
    })
}

/// A `--set PATH VALUE` (or `--vary`), the value apart from its path: clap's "unexpected
/// argument" (of the value, or of the model the value displaced) said with the fix
/// (helper-275: with a MODEL named, `--set equity.stake 0.3` was only "unexpected argument
/// '0.3' found"). Also `--set=PATH VALUE`, and a space by the `=` (`--set PATH =VALUE`,
/// `PATH= VALUE`, `PATH = VALUE`), whatever error it led to; a text key's value that is no
/// TOML string is offered quoted (helper-277: `--set investor.party "Big Co"`), and where
/// the next word is the run's model or PATH, the missing `=VALUE` is said.
pub(crate) fn set_value_apart(args: &[std::ffi::OsString]) -> Option<String> {
    let w = Words::read(args);
    (1..w.words.len()).find_map(|i| {
        if w.taken_by[i].is_some() || w.after_the_end[i] || w.after_the_end[i - 1] {
            return None;
        }
        // The flag and its path: two words (`--set PATH`), or one (`--set=PATH`).
        let (spelling, path) = match &w.taken_by[i - 1] {
            Some((_, spelling)) => (spelling.as_str(), w.words[i - 1]),
            None => w.words[i - 1].split_once('=')?,
        };
        // The `=` apart too: after the path (`--set equity.stake= 0.3`), before the value
        // (`--set equity.stake =0.3`), or a word of its own (`--set equity.stake = 0.3`).
        let (path, equals_after_path) = match path.strip_suffix('=') {
            Some(bare) => (bare, true),
            None => (path, false),
        };
        // (`--set 'name =' x`: the space by the `=` inside the word.)
        let path = path.trim();
        let equals_alone = !equals_after_path
            && w.words[i] == "="
            && w.words.get(i + 1).is_some()
            && w.taken_by[i + 1].is_none()
            && !w.after_the_end[i + 1];
        if !matches!(spelling, "--set" | "--vary") || path.is_empty() || path.contains('=') {
            return None;
        }
        let word = if equals_alone {
            w.words[i + 1]
        } else {
            w.words[i]
        };
        let equals_before_value = !equals_alone && !equals_after_path && word.starts_with('=');
        let value = if equals_before_value {
            &word[1..]
        } else {
            word
        };
        // (`--set name= docs/mini.toml`: an empty value and the model, not a value apart.)
        if equals_after_path && (std::path::Path::new(value).exists() || value.ends_with(".toml")) {
            return None;
        }
        // Not a flag (a negative number is a value: `--set shift.margin -0.05`, and so is a
        // range from one: `--vary shift.margin -0.1..0.1`, helper-279).
        // (As a document writes one too: `-10%`, `-1_0`, `-1,000`: helper-283.)
        let number_like = |v: &str| {
            let from = v.split_once("..").map_or(v, |(from, _)| from);
            let body = from.strip_suffix('%').unwrap_or(from);
            // (A digit after the minus and at the end: `-_1`, `-1,` are no value, helper-285.)
            body.strip_prefix('-')
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit() || c == '.'))
                && body.ends_with(|c: char| c.is_ascii_digit())
                && body.replace(['_', ','], "").parse::<f64>().is_ok()
        };
        // (Nor a second `=`: `--set equity.stake == 0.3` was told to write
        // `equity.stake==`, helper-282.)
        if value.is_empty()
            || value.starts_with('=')
            || (value.starts_with('-') && !number_like(value))
        {
            return None;
        }
        let takes_text = spelling == "--set" && stakeshift::model::takes_text(path);
        let toml = value.parse::<toml_edit::Value>().ok();
        // A word that is no value but the run's model or PATH (helper-278: `solve
        // docs/mini.toml --set discount_rate equity.stake` was told to set the rate to the
        // text "equity.stake"): the `=VALUE` is missing. (Not for a key that takes text,
        // whose value may name a file: `--set trajectories_csv paths.csv`, helper-279.)
        // A model file is no value even of a key that takes text (helper-282: `--set name =
        // model.toml` was offered the name "model.toml", and the run then drew the
        // built-in model); only `trajectories_csv` names another file.
        let names_a_file = value.ends_with(".toml")
            || (std::path::Path::new(value).exists()
                && path.trim_matches(['"', '\'']) != "trajectories_csv");
        let not_a_value = names_a_file
            || (!takes_text
                && toml.is_none()
                && value.starts_with(|c: char| c.is_ascii_alphabetic()));
        if not_a_value {
            let wanted = if spelling == "--vary" {
                "=FROM..TO"
            } else {
                "=VALUE"
            };
            // (As a shell reads it: `--set 'a b=VALUE'`, helper-288.)
            return Some(format!(
                " (`{spelling} {}` has no `{wanted}`: {})",
                stakeshift::error::quoted(path),
                one_word(spelling, &format!("{path}{wanted}"), wanted)
            ));
        }
        // Quoted where the key takes text and the word is no TOML string (`Big Co`, `123`,
        // curly quotes taken off: helper-279); a number as typed, whose own error then
        // says what is wrong with it (helper-278: `30%` was offered as the text "30%").
        let fixed = if takes_text && !toml.as_ref().is_some_and(toml_edit::Value::is_str) {
            let bare = value.trim_matches(stakeshift::model::CURLY_QUOTES);
            stakeshift::overrides::basic_string(bare)
        } else {
            value.to_string()
        };
        let joined = format!("{path}={fixed}");
        let said = if equals_alone || equals_after_path || equals_before_value {
            // As typed (the value unquoted where it was).
            let typed = match (equals_alone, equals_after_path) {
                (true, _) => format!("{path} = {value}"),
                (_, true) => format!("{path}= {value}"),
                _ => format!("{path} ={value}"),
            };
            format!(
                "`{spelling} {}` has a space by its `=`",
                stakeshift::error::quoted(&typed)
            )
        } else {
            format!(
                "`{spelling} {}` has no `=`",
                stakeshift::error::quoted(path)
            )
        };
        let wanted = if spelling == "--vary" {
            "=FROM..TO"
        } else {
            "=VALUE"
        };
        Some(format!(
            " ({said}: {})",
            one_word(spelling, &joined, wanted)
        ))
    })
}

/// "write `--set PATH=VALUE`, one word", as a shell reads it; for one too long to quote
/// whole, without the word (helper-291: shortened, its closing quote was lost, and the
/// words offered could not be typed back).
fn one_word(spelling: &str, joined: &str, wanted: &str) -> String {
    let shell = stakeshift::error::shell_arg(joined);
    if shell.chars().count() > 100 {
        // (`--vary` takes `PATH=FROM..TO`: helper-294.)
        format!("write `{spelling} PATH{wanted}` as one word")
    } else {
        format!("write `{spelling} {shell}`, one word")
    }
}

/// How many trajectories a command's `-t` names: what a list written in one flag is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TrajectoryFlag<'a> {
    /// Repeatable: `-t base -t bear`.
    Repeated,
    /// One, by the flag named (`-t` of `explain` and `chart`; tornado's
    /// `--chart-trajectory`, whose `-t` is another flag: helper-261), suggested from
    /// among the trajectories given (tornado's `-t`; empty for any of the model's).
    One(&'static str, &'a [usize]),
}

/// Indexes of the named trajectories, in the order asked for (a name asked for twice
/// counts once); None for all.
pub(crate) fn select_trajectories(
    model: &stakeshift::model::Model,
    names: &[String],
    flag: TrajectoryFlag<'_>,
) -> Result<Option<Vec<usize>>, Error> {
    if names.is_empty() {
        return Ok(None);
    }
    let all: Vec<&str> = model.trajectories.iter().map(|t| t.name.as_str()).collect();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, n) in all.iter().enumerate() {
        index.entry(*n).or_insert(i);
    }
    for name in names {
        // (helper-192: `--trajectory=` was "no trajectory ``; did you mean `bust`?".)
        if name.trim().is_empty() && !index.contains_key(name.as_str()) {
            return Err(Error::Usage(format!(
                "the trajectory's name given is empty; the model has: {}",
                stakeshift::error::listed(&all),
            )));
        }
        if !index.contains_key(name.as_str()) {
            // (A flag taken as the name is said so where the error is printed, rather than
            // matched to a name.)
            // Several names in one flag, as a list (helper-256: `-t base,bear` was sent to
            // `bear`): each takes its own flag, written as a shell reads it (helper-258),
            // where the command takes several; else one.
            let parts: Vec<&str> = name
                .split([',', ';'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            let listed = parts.len() > 1
                && parts
                    .iter()
                    .all(|p| p.chars().count() <= 100 && index.contains_key(p));
            let hint = if listed && flag == TrajectoryFlag::Repeated {
                format!(
                    "give each trajectory its own flag, `{}`; ",
                    parts
                        .iter()
                        .map(|p| format!("-t {}", stakeshift::error::shell_arg(p)))
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            } else if let (true, TrajectoryFlag::One(spelling, among)) = (listed, flag) {
                // One the command can draw (helper-262: tornado's `-t bear
                // --chart-trajectory base,bear` was offered `base`, not among those chosen).
                // (helper-267: where none of the list is, the first of those given.)
                let suggested = parts
                    .iter()
                    .copied()
                    .find(|p| among.is_empty() || among.contains(&index[*p]))
                    .or_else(|| among.first().map(|&i| all[i]))
                    .unwrap_or(parts[0]);
                format!(
                    "this takes one trajectory, such as `{spelling} {}`; ",
                    stakeshift::error::shell_arg(suggested)
                )
            } else {
                stakeshift::model::nearest_name(name, &all)
                    .filter(|n| !is_a_flag(name) || n.starts_with('-'))
                    .map(|n| format!("did you mean `{}`? ", stakeshift::error::quoted(n)))
                    .unwrap_or_default()
            };
            return Err(Error::Usage(format!(
                "the model has no trajectory `{}`; {hint}it has: {}",
                stakeshift::error::quoted(name),
                stakeshift::error::listed(&all),
            )));
        }
    }
    let mut chosen: Vec<usize> = Vec::with_capacity(names.len());
    let mut seen = vec![false; all.len()];
    for name in names {
        if let Some(&i) = index.get(name.as_str())
            && !seen[i]
        {
            seen[i] = true;
            chosen.push(i);
        }
    }
    Ok(Some(chosen))
}

/// Indexes of the named trajectories, in the order named (all, in the model's order, when
/// none is named).
pub(crate) fn selected_or_all(
    model: &stakeshift::model::Model,
    names: &[String],
) -> Result<Vec<usize>, Error> {
    Ok(select_trajectories(model, names, TrajectoryFlag::Repeated)?
        .unwrap_or_else(|| (0..model.trajectories.len()).collect()))
}

#[cfg(test)]
mod tests {
    use super::Warnings;

    /// What `shell_word` makes, read back by a shell, is the word (helper-161: a name with
    /// a quote gave a quote never closed).
    #[test]
    fn a_shell_word_reads_back_as_itself() {
        for word in [
            "plain",
            "it's bust",
            "a b",
            "'",
            "''x''",
            "$HOME `x` \\ \"q\"",
            "Yıldız",
        ] {
            let quoted = stakeshift::error::shell_word(word);
            let out = std::process::Command::new("sh")
                .args(["-c", &format!("printf %s {quoted}")])
                .output()
                .unwrap();
            assert_eq!(String::from_utf8(out.stdout).unwrap(), word, "{quoted}");
        }
    }

    #[test]
    fn warnings_are_kept_once_in_the_order_first_given() {
        let mut warnings = Warnings::default();
        for w in ["b", "a", "b", "c", "a"] {
            warnings.warn(w.to_string());
        }
        assert_eq!(warnings.into_vec(), ["b", "a", "c"]);
    }
}
