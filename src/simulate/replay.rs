//! `--replay N`: one simulated path as a `[[trajectories]]` table, with a point for every
//! year (so no interpolation happens) and its AGI year, which `compare --yearly` reruns in
//! exact decimals. Values are written with the shortest digits that read back as the same
//! f64, so the exact rerun starts from the path's own numbers. Where `compare` cannot rerun
//! the path as it was simulated (a round that did not happen, a cloud commitment that
//! lapsed, a profit or compute spend without revenue in a fixed year, a trajectory of the
//! model that `compare` refuses), a comment above the table says so.
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift::compare::compare;
//! use stakeshift::model::{Model, ModelSource, parse_model};
//! use stakeshift::simulate::{Options, replay, replay::render};
//!
//! let text = r#"name = "Tiny"
//! unit = "USD m"
//! start_year = 2024
//! end_year = 2025
//! valuation_year = 2024
//! discount_rate = 0.25
//! investor = { party = "fund", contributions = [[2024, 10.0]] }
//! equity = { from_year = 2025, stake = 0.2 }
//! simulation = { revenue_vol = 0.0, margin_vol = 0.0, valuation_vol = 0.0 }
//! [profit_share]
//! residual = "founders"
//! tiers = [{ name = "Half", shares = { fund = 0.5 } }]
//! [[trajectories]]
//! name = "only"
//! revenue = { points = [[2024, 100.0]] }
//! margin = { points = [[2024, 0.0], [2025, 0.25]] }
//! valuation = { points = [[2024, 100.0], [2025, 125.0]] }"#;
//! let parse = |text: &str| -> Model {
//!     parse_model(ModelSource { text, load: &mut |_| Err("no files".into()) }).unwrap()
//! };
//! let model = parse(text);
//! let options = Options { paths: 10, seed: 0, selected: None, fan: false };
//! let table = render(&model, &replay(&model, &options, 3).unwrap(), &[]);
//! // With every vol 0 path 3 is its center, written with a point for every year.
//! assert!(table.contains("margin = { points = [[2024, 0.0], [2025, 0.25]] }\n"));
//! // Added to the model, compare reruns it in exact decimals, with the center's advantage.
//! // 10 paid in 2024; 2025's profit of 100 x 0.25 = 25 is discounted by 1/1.25 = 0.8.
//! // Profit share, half the profit:    -10 + 12.5 x 0.8 = 0.
//! // Equity, 20% of the 125 valuation: -10 + 25 x 0.8 = 10.
//! let model = parse(&format!("{text}\n{table}"));
//! let rerun = &compare(&model, Some(&[1])).unwrap().trajectories[0];
//! assert_eq!((rerun.name.as_str(), rerun.npv_advantage), ("path_3", Decimal::TEN));
//! ```

use super::Replay;
use crate::engine::Regime;
use crate::model::Model;
use crate::overrides::{Override, Segment, Target};

/// An f64 as a TOML float literal: shortest round-trip digits, never an exponent, never a
/// negative zero, always with a decimal point (a whole number past i64 is no TOML integer).
/// Past the 28th decimal place it is rounded there, as a model file holds it (a revenue of
/// 1.2e-15 has 31 places in full, which `compare` refused; the rounding moves it by 5e-29
/// at most).
fn literal(v: f64) -> String {
    let v = if v == 0.0 { 0.0 } else { v };
    let mut text = format!("{v}");
    if text
        .split_once('.')
        .is_some_and(|(_, places)| places.len() > 28)
    {
        text = format!("{v:.28}");
        let kept = text.trim_end_matches('0').len();
        text.truncate(kept);
        if text.ends_with('.') {
            text.push('0');
        }
        if text
            .trim_start_matches('-')
            .chars()
            .all(|c| c == '0' || c == '.')
        {
            text = "0.0".to_string();
        }
    }
    if text.contains('.') {
        text
    } else {
        format!("{text}.0")
    }
}

/// Where the path's amounts pass the 1e18 a model file holds (extreme `[simulation]`
/// values, run in f64), `compare` cannot read the table: said so, with the first such
/// amount (helper-95: valuations of 2e24 were printed without a word).
fn too_large_note(replay: &Replay) -> Option<String> {
    const LIMIT: f64 = crate::model::MAX_NUMBER as f64;
    let series = [
        ("revenue", &replay.revenue),
        ("valuation", &replay.valuation),
        ("spend", &replay.spend_ratio),
    ];
    let (name, year, value) = series.iter().find_map(|(name, values)| {
        let i = values.iter().position(|v| v.abs() > LIMIT)?;
        Some((*name, replay.start_year + i as i32, values[i]))
    })?;
    Some(format!(
        "# `compare` cannot read this table as it is: its {name} in {year} is {}, beyond the 1e18 a model file holds (the simulation ran it in f64).\n",
        literal(value)
    ))
}

fn points(start: i32, values: &[f64]) -> String {
    let items: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("[{}, {}]", start + i as i32, literal(*v)))
        .collect();
    format!("{{ points = [{}] }}", items.join(", "))
}

/// The cloud commitments, as "the profit share's (2029)", whose last year a company
/// failing in `failed` does not live through (SPEC 13: in `simulate` their unmet part
/// lapses), in the regimes' order.
/// Each with the `--set` under which `compare` charges no shortfall, as the path did: its
/// commitment's total at 0 (helper-281: the comment said the NPVs may differ, not how to
/// rerun the path as drawn).
fn lapsed_commitments(model: &Model, failed: i32) -> Vec<(String, String)> {
    let Some(cloud) = model.cloud.as_ref() else {
        return Vec::new();
    };
    [
        (&cloud.profit_share, Regime::ProfitShare),
        (&cloud.equity, Regime::Equity),
    ]
    .into_iter()
    .filter_map(|(terms, regime)| {
        let until = terms.as_ref()?.commitment.as_ref()?.until;
        (until >= failed).then(|| {
            (
                format!("the {}'s ({until})", regime.label_in(model)),
                format!("--set {}.cloud.commitment.total=0", regime.as_str()),
            )
        })
    })
    .collect()
}

/// What to do about the rounds that did not happen on the path (SPEC 10.6): `compare`
/// runs every round, so on the replayed table it stops with an error at one whose pre-money
/// is the valuation minus the raise (not positive there), and applies one with a given
/// `pre_money`.
fn skipped_rounds_note(model: &Model, replay: &Replay) -> Option<String> {
    if replay.skipped_rounds.is_empty() {
        return None;
    }
    let rounds = &model.equity.rounds;
    let named: Vec<String> = replay
        .skipped_rounds
        .iter()
        .map(|&k| {
            let year = rounds[k].year;
            let why = if replay.failure_year.is_some_and(|f| f <= year) {
                "the company had failed"
            } else {
                "no positive pre-money value"
            };
            format!("equity.rounds[{k}] ({year}, {why})")
        })
        .collect();
    let defaults = replay
        .skipped_rounds
        .iter()
        .any(|&k| rounds[k].pre_money.is_none());
    let given = replay
        .skipped_rounds
        .iter()
        .any(|&k| rounds[k].pre_money.is_some());
    // `compare` stops at the first round it cannot run: where one is such, what it would do
    // with the others does not matter.
    let (them, their) = if named.len() == 1 {
        ("it", "its")
    } else {
        ("them", "their")
    };
    let consequence = match (defaults, given) {
        (true, false) => format!(
            "on this table it stops with an error at {them} ({their} pre-money, the valuation minus the raise, is not positive)"
        ),
        (false, _) => format!("on this table it applies {them}, so its NPVs differ"),
        (true, true) => "on this table it stops with an error at those whose pre-money is the valuation minus the raise".to_string(),
    };
    Some(format!(
        "# Funding rounds that did not happen on this path: {}. `compare` runs every round: {consequence}. To rerun the path as simulated, remove {them} from a copy of the model.\n",
        named.join(", ")
    ))
}

/// The years in which the path has a profit, or a compute spend, and no revenue (a
/// trajectories_csv center's own figures, in a year before the first random one): a table
/// of revenue, margin and spend ratio cannot carry them, so `compare` sees none there.
fn without_revenue_note(replay: &Replay) -> Option<String> {
    let mut years = Vec::new();
    for (i, r) in replay.revenue.iter().enumerate() {
        if *r != 0.0 {
            continue;
        }
        let mut what = Vec::new();
        if let Some(p) = replay.profit.get(i).filter(|p| **p != 0.0) {
            what.push(format!("profit {}", literal(*p)));
        }
        if let Some(s) = replay.spend.get(i).filter(|s| **s != 0.0) {
            what.push(format!("compute spend {}", literal(*s)));
        }
        if !what.is_empty() {
            years.push(format!(
                "{} ({})",
                replay.start_year + i as i32,
                what.join(", ")
            ));
        }
    }
    if years.is_empty() {
        return None;
    }
    Some(format!(
        "# The path has amounts without revenue in {}: its trajectory's own figures, which a table of revenue and ratios to it cannot carry; `compare` sees none there, so its NPVs will differ.\n",
        years.join(", ")
    ))
}

/// The name the replayed trajectory gets: `path_N`, or where the model has a trajectory of
/// that name already (the table is appended to the model, which would then hold two),
/// `path_N_replay`, `path_N_replay_2`, ...
pub fn trajectory_name(model: &Model, path: u64) -> String {
    let taken = |name: &str| model.trajectories.iter().any(|t| t.name == name);
    let plain = format!("path_{path}");
    if !taken(&plain) {
        return plain;
    }
    let replay = format!("{plain}_replay");
    (1..)
        .map(|k| {
            if k == 1 {
                replay.clone()
            } else {
                format!("{replay}_{k}")
            }
        })
        .find(|name| !taken(name))
        .unwrap_or(replay)
}

/// Whether `o` is a derived key on every trajectory (`scale.valuation=2`): its effect is in
/// the table, which given to `compare` again it would scale a second time.
fn acts_on_every_trajectory(o: &Override) -> bool {
    matches!(o.path.target, Target::Derived(_, None))
}

/// Whether `o` sets a key of `[simulation]` (or the whole table), which `compare` reads and
/// checks but runs nothing by.
fn sets_the_simulation(o: &Override) -> bool {
    matches!(&o.path.target, Target::Key(segments)
        if matches!(segments.first(), Some(Segment::Key(key)) if key == "simulation"))
}

/// Whether `o` replaces the whole `trajectories` array: given to `compare`, the table too.
fn replaces_the_trajectories(o: &Override) -> bool {
    matches!(&o.path.target, Target::Key(segments)
        if matches!(segments.as_slice(), [Segment::Key(key)] if key == "trajectories"))
}

/// An override's VALUE on one line, for a comment: as given where it is one, else the
/// same TOML value written on one line (helper-267: a `--set` of an array over two lines
/// left the second outside the comment; helper-268: spaces for its line breaks swallowed
/// the rest of an array after a comment, and changed a string's tab; helper-269: a string
/// holding a line break was written with one).
fn one_line(value: &str) -> String {
    match value.trim().parse::<toml_edit::Value>() {
        Ok(parsed) if value.contains(['\n', '\r', '\t']) => toml_on_one_line(&parsed),
        // (A value not TOML cannot have loaded: as given.)
        _ => value.to_string(),
    }
}

/// `PATH=VALUE` of `o` on one line: the value by [`one_line`], the path's line breaks and
/// tabs (which it may hold about a name in brackets, as whitespace) as spaces (helper-270).
pub fn one_line_set(o: &Override) -> String {
    format!(
        "{}={}",
        o.path.text.replace(['\n', '\r', '\t'], " "),
        one_line(&o.value)
    )
}

/// `value` as TOML on one line: strings as basic strings with every control character
/// escaped, arrays and inline tables without their comments and line breaks, other values
/// as written (`1.000000000000000000001` stays exact). Written here rather than by
/// toml_edit's display, which keeps a value's comments and writes a string holding a line
/// break over several lines.
fn toml_on_one_line(value: &toml_edit::Value) -> String {
    use toml_edit::Value;
    match value {
        Value::String(s) => {
            let mut out = String::from("\"");
            for c in s.value().chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter()
                .map(toml_on_one_line)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::InlineTable(t) => {
            let items: Vec<String> = t
                .iter()
                .map(|(k, v)| {
                    let key = toml_edit::Key::new(k).display_repr().into_owned();
                    format!("{key} = {}", toml_on_one_line(v))
                })
                .collect();
            format!("{{ {} }}", items.join(", "))
        }
        Value::Integer(f) => f.display_repr().trim().to_string(),
        Value::Float(f) => f.display_repr().trim().to_string(),
        Value::Boolean(f) => f.display_repr().trim().to_string(),
        Value::Datetime(f) => f.display_repr().trim().to_string(),
    }
}

/// The replay of `replay`, a path of `model` as loaded with `overrides` (in order): the
/// comments, then the `[[trajectories]]` table.
pub fn render(model: &Model, replay: &Replay, overrides: &[Override]) -> String {
    let name = trajectory_name(model, replay.path);
    let o = &replay.outcome;
    let mut out = String::new();
    out.push_str(&format!(
        "# Simulated path {} of `stakeshift simulate` (seed {}), drawn around trajectory `{}`.\n",
        replay.path, replay.seed, replay.center
    ));
    out.push_str(&format!(
        "# Its NPVs in f64 ({}, as of the end of {}): {} {}, equity {}, advantage {}; winner: {}.\n",
        model.unit,
        model.valuation_year,
        Regime::ProfitShare.label_in(model),
        o.profit_share.npv,
        o.equity.npv,
        o.npv_advantage,
        crate::report::table::winner_label(o.winner, Regime::ProfitShare.label_in(model))
    ));
    if let Some(f) = replay.failure_year {
        out.push_str(&format!(
            "# The company fails in {f}: revenue, margin and valuation are 0 from then on.\n"
        ));
    }
    let lapsed = replay
        .failure_year
        .map(|f| lapsed_commitments(model, f))
        .unwrap_or_default();
    if !lapsed.is_empty() {
        let names: Vec<&str> = lapsed.iter().map(|(name, _)| name.as_str()).collect();
        let sets: Vec<String> = lapsed.iter().map(|(_, set)| format!("`{set}`")).collect();
        let (which, them, when) = match lapsed.len() {
            1 => (format!("{} cloud commitment", names[0]), "it", "that year"),
            _ => (
                format!("{} cloud commitments", names.join(" and ")),
                "each",
                "each one's last year",
            ),
        };
        out.push_str(&format!(
            "# The company fails by the last year of {which}: on this path what is left of {them} lapses (a failed company buys nothing more); `compare` charges the shortfall in {when}, so its NPVs may differ (with {} it charges none, as the path did).\n",
            sets.join(" and ")
        ));
    }
    if let Some(note) = skipped_rounds_note(model, replay) {
        out.push_str(&note);
    }
    if let Some(note) = without_revenue_note(replay) {
        out.push_str(&note);
    }
    if let Some(note) = too_large_note(replay) {
        out.push_str(&note);
    }
    for (name, error) in &replay.refused_trajectories {
        // Quoted as the error inside quotes it (a long name was given whole, then shortened
        // in the parentheses).
        let name = stakeshift_core::error::quoted(name);
        out.push_str(&format!(
            "# `compare` refuses this model as it is, whichever trajectories it is asked for: trajectory `{name}` cannot run ({error}); add the table to a copy of the model without it.\n"
        ));
    }
    // The run's overrides as the table's rerun needs them: every one given again, so that
    // `compare` runs the model as simulated with the table added (helper-265: the comment
    // said nothing of them, so that following it gave another NPV), but those that would
    // act on the table too. Those of `[simulation]` are given too (`compare` checks its
    // weights' names: helper-268), and a key of one trajectory or a derived key of one by
    // name (helper-267: left out, a round only that trajectory could run refused the model).
    let again: Vec<&Override> = overrides
        .iter()
        .filter(|o| !acts_on_every_trajectory(o) && !replaces_the_trajectories(o))
        .collect();
    let held: Vec<&Override> = overrides
        .iter()
        .filter(|o| acts_on_every_trajectory(o))
        .collect();
    let replaced = overrides.iter().any(replaces_the_trajectories);
    let listed = |list: &[&Override]| {
        let named: Vec<String> = list
            .iter()
            .map(|o| format!("`--set {}`", one_line_set(o)))
            .collect();
        match named.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => named.concat(),
        }
    };
    // A derived key on every trajectory is left out: the table holds the path as the run
    // drew it. Given for each of the model's trajectories by name instead, it would have
    // to be placed by the names in effect where it came, which a later `--set` of the
    // trajectories (a rename, a whole array, `trajectories_csv`) changes (helper-272): a
    // trajectory that runs only with it is told to take it so.
    for o in &held {
        let by_name = crate::error::shell_arg(&format!(
            "{}[NAME]={}",
            o.path.text.replace(['\n', '\r', '\t'], " "),
            one_line(&o.value)
        ));
        out.push_str(&format!(
            "# Not given to `compare`, as it would act on the table too: `--set {}` (the table holds the path as the run drew it). A trajectory of the model that runs only with it takes it by name, `--set {by_name}`.\n",
            one_line_set(o)
        ));
    }
    if replaced {
        // (Later `--set`s may name its trajectories: helper-268.)
        out.push_str(
            "# The run replaced the model's trajectories (`--set trajectories=...`), which given to `compare` would replace the table too: write them into the model in place of its own, then add the table.\n",
        );
    }
    let sets: String = again
        .iter()
        .map(|o| format!(" --set {}", crate::error::shell_arg(&one_line_set(o))))
        .collect();
    if !again.is_empty() {
        // (Those of `[simulation]` change no NPV of `compare`'s: helper-281 read "needs it"
        // as if they did. They are given so that the model reads as it did.)
        let simulation_only = again.iter().all(|o| sets_the_simulation(o));
        let simulation_some = again.iter().any(|o| sets_the_simulation(o));
        let why = if simulation_only {
            format!(
                "`compare` takes {} too, so that the model reads as simulated; [simulation] changes none of its NPVs",
                if again.len() == 1 { "it" } else { "them" }
            )
        } else if simulation_some {
            "`compare` needs them too (those of [simulation] change none of its NPVs, and are given so that the model reads as simulated)".to_string()
        } else {
            format!(
                "`compare` needs {} too",
                if again.len() == 1 { "it" } else { "them" }
            )
        };
        out.push_str(&format!("# Simulated with {}: {why}.\n", listed(&again)));
    }
    out.push_str(&format!(
        "# Add this table to the model and run: stakeshift compare MODEL{sets} --trajectory {name} --yearly\n"
    ));
    out.push_str("[[trajectories]]\n");
    out.push_str(&format!("name = \"{name}\"\n"));
    // The center's name as it is, escaped as TOML needs (helper-266: its quotes and
    // backslashes were dropped, naming another trajectory).
    let description = format!(
        "simulated path {} (seed {}) around `{}`",
        replay.path, replay.seed, replay.center
    );
    out.push_str(&format!(
        "description = {}\n",
        toml_edit::Value::from(description.as_str())
    ));
    if let Some(a) = replay.agi_year {
        out.push_str(&format!("agi_year = {a}\n"));
    }
    out.push_str(&format!(
        "revenue = {}\n",
        points(replay.start_year, &replay.revenue)
    ));
    out.push_str(&format!(
        "margin = {}\n",
        points(replay.start_year, &replay.margin)
    ));
    out.push_str(&format!(
        "valuation = {}\n",
        points(replay.start_year, &replay.valuation)
    ));
    if !replay.spend_ratio.is_empty() {
        // The path's compute spend as this trajectory's own (SPEC 13); where the company
        // failed, a commitment that lapsed in the simulation is taken up by `compare`.
        out.push_str(&format!(
            "spend = {}\n",
            points(replay.start_year, &replay.spend_ratio)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::literal;

    /// Regression (helper-95): a replayed amount with more than 28 decimal places (a
    /// revenue of 1.2e-15 printed in full) was a number `compare` refused; it is rounded at
    /// the 28th place, as a model file holds it (by hand: 1.2345678901234567e-15 to 28
    /// places is 0.0000000000000012345678901235; 4e-29 is 0; -6e-29 is -1e-28).
    #[test]
    fn regression_a_replayed_amount_is_held_to_28_decimal_places() {
        assert_eq!(
            literal(1.2345678901234567e-15),
            "0.0000000000000012345678901235"
        );
        assert_eq!(literal(4e-29), "0.0");
        assert_eq!(literal(-6e-29), "-0.0000000000000000000000000001");
        assert_eq!(literal(0.25), "0.25");
        assert_eq!(literal(-0.0), "0.0");
        assert_eq!(literal(2e24), "2000000000000000000000000.0");
    }
}
