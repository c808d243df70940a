//! The terminal table: the comparison at a glance, with the unit, the winner of each
//! trajectory and by how much, and a one-line conclusion a reader can quote.
//!
//! Amounts here are rounded to 2 places by the same rule as the CSV (half away from zero)
//! and grouped in thousands for reading; CSV and JSON carry the full 6 places.
//!
//! The built-in model's table opens with its name and terms, as the model file gives them:
//!
//! ```
//! use stakeshift::engine::Winner;
//! use stakeshift::report::table;
//!
//! let loaded = stakeshift::io::load_model(None)?; // None: the built-in model
//! let model = &loaded.model;
//! let comparison = stakeshift::compare::compare(model, None).expect("it runs");
//! let text = table::render(model, &comparison, false);
//! let mut lines = text.lines();
//! let name = "Microsoft and OpenAI: capped profit share vs equity stake";
//! assert_eq!(lines.next(), Some(name));
//! assert_eq!(
//!     lines.next(),
//!     Some("Investor: microsoft. Amounts in USD bn. NPV at 9.00% a year as of the end of \
//!           2025; years 2019-2045.")
//! );
//! // The conclusion tallies the 6 trajectories' winners, then speaks of `base`.
//! let all = &comparison.trajectories;
//! let wins = all.iter().filter(|t| t.winner == Winner::Equity).count();
//! let conclusion = table::conclusion(model, &comparison);
//! let tally = format!("the equity stake is worth more to microsoft in {wins} of 6");
//! assert!(conclusion.starts_with(&tally) && conclusion.contains("; in `base` the "));
//! # Ok::<(), stakeshift::Error>(())
//! ```

use rust_decimal::prelude::*;

use crate::compare::Comparison;
use crate::engine::{Num, Regime, TrajectoryResult, Winner, YearRow};
use crate::model::Model;
use crate::report::{columns, fixed, fixed_apart, fixed_f64, group_thousands};

/// The comparison table, and with `yearly` each trajectory's year-by-year flows.
pub fn render(model: &Model, comparison: &Comparison, yearly: bool) -> String {
    let mut out = String::new();
    out.push_str(&model.name);
    out.push('\n');
    out.push_str(&format!(
        "Investor: {}. Amounts in {}. NPV at {} a year as of the end of {}; years {}-{}.\n\n",
        model.party_name(model.investor.party),
        model.unit,
        rate_percent(model.discount_rate),
        model.valuation_year,
        model.start_year,
        model.end_year,
    ));

    // Two tables of at most 100 columns rather than one of 177: the NPVs and the answer,
    // then the returns. Headers take two lines to keep number columns narrow.
    // (The advantage without the cloud side only where it can differ.)
    let cloud = model.sells_compute();
    // Regime A by the deal's own name ("revenue share" where that is all it is).
    let regime_a = Regime::ProfitShare.label_in(model);
    let mut header = vec![columns::TRAJECTORY.name.to_string()];
    for column in &columns::COMPARISON {
        header.push(comparison_heading(column.name, regime_a));
        if cloud && column.name == "npv_advantage" {
            header.push("advantage\nwithout cloud".into());
        }
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut grid = Grid::new(&header);
    // The returns of summary.csv, each once per regime, as comparison.csv has them.
    let mut returns_header = vec![columns::TRAJECTORY.name.to_string()];
    for column in &columns::SUMMARY_RETURNS {
        for regime in columns::REGIMES {
            let regime = match regime {
                Regime::ProfitShare => regime_a,
                Regime::Equity => "equity",
            };
            returns_header.push(format!("{}\n{regime}", return_heading(column.name)));
        }
    }
    let returns_header: Vec<&str> = returns_header.iter().map(String::as_str).collect();
    let mut returns = Grid::new(&returns_header);
    let places = summary_places(comparison);
    for t in &comparison.trajectories {
        let (a, b) = (&t.profit_share.measures, &t.equity.measures);
        let mut cells = vec![t.name.clone()];
        for column in &columns::COMPARISON {
            cells.push(comparison_cell(column, t, places, regime_a));
            if cloud && column.name == "npv_advantage" {
                cells.push(signed_money(advantage_without_cloud(t), places));
            }
        }
        grid.row(cells);
        let mut cells = vec![t.name.clone()];
        for column in &columns::SUMMARY_RETURNS {
            for measures in [a, b] {
                cells.push(return_cell((column.value)(measures)));
            }
        }
        returns.row(cells);
    }
    out.push_str(&grid.render());
    out.push('\n');
    out.push_str(&returns.render());
    let mut described = false;
    for t in &comparison.trajectories {
        if let Some(d) = &t.description {
            if !described {
                out.push('\n');
                described = true;
            }
            out.push_str(&format!("  {}: {}\n", t.name, d));
        }
    }
    out.push_str(&format!(
        "\nequity advantage = NPV(equity) - NPV({regime_a}). break-even scale: the factor on every \
         valuation of the trajectory at which the two NPVs are equal. payback: the first year whose \
         cumulative cash flow, the stake's horizon value left out, is back to 0 or above.\n",
    ));
    if cloud {
        out.push_str(
            "advantage without cloud: the same with each regime's cloud income (the investor's \
             margin on the compute the company buys from it) left out. IRR, MOIC and payback \
             count the cloud income as received.\n",
        );
    }

    if yearly {
        for t in &comparison.trajectories {
            out.push('\n');
            out.push_str(&trajectory_table(model, t));
            for regime in [Regime::ProfitShare, Regime::Equity] {
                out.push('\n');
                out.push_str(&yearly_table(model, t, regime));
            }
        }
    }
    out.push('\n');
    out.push_str("Conclusion: ");
    out.push_str(&conclusion(model, comparison));
    out.push('\n');
    out
}

/// The comparison table's heading of a column of [`columns::COMPARISON`]: two lines keep
/// the number columns narrow. `regime_a`: regime A's name in the model's labels.
fn comparison_heading(name: &'static str, regime_a: &str) -> String {
    match name {
        "npv_profit_share" => format!("NPV\n{regime_a}"),
        "npv_equity" => "NPV\nequity".into(),
        "npv_advantage" => "equity\nadvantage".into(),
        "breakeven_scale" => "break-even\nscale".into(),
        other => other.into(),
    }
}

/// A return's heading in the returns table, above its regime's label.
fn return_heading(name: &'static str) -> &'static str {
    match name {
        "irr" => "IRR",
        "moic" => "MOIC",
        "payback_year" => "payback",
        other => other,
    }
}

/// A cell of the returns table: an IRR as a percentage, a multiple with its `x`, a year;
/// `-` where there is none.
fn return_cell(value: columns::Value) -> String {
    match value {
        columns::Value::Float(Some(irr)) => percent_f64(irr),
        columns::Value::Decimal(Some(multiple)) => times(multiple),
        columns::Value::Integer(Some(year)) => year.to_string(),
        _ => "-".into(),
    }
}

/// A cell of the comparison table: amounts at the table's `places` (not 0.00 where they
/// are not, beside a larger row: helper-156), the advantage signed, the winner in words, a
/// break-even scale as a factor or "none".
fn comparison_cell(
    column: &columns::Column<TrajectoryResult>,
    t: &TrajectoryResult,
    places: u32,
    regime_a: &'static str,
) -> String {
    match ((column.value)(t), column.format) {
        (columns::Value::Winner(w), _) => winner_label(w, regime_a).to_string(),
        (columns::Value::Decimal(Some(v)), columns::Format::Advantage) => signed_money(v, places),
        (columns::Value::Decimal(Some(v)), columns::Format::Factor) => times(v),
        (columns::Value::Decimal(Some(v)), _) => money_apart(v, places),
        (_, _) => "none".into(),
    }
}

/// A trajectory's yearly inputs, the same under both regimes: shown once, before them.
fn trajectory_table(model: &Model, t: &TrajectoryResult) -> String {
    let inputs: Vec<&columns::YearlyColumn> = TRAJECTORY_SHOWN
        .iter()
        .filter_map(|name| columns::YEARLY.iter().find(|c| c.name == *name))
        .collect();
    let value = |column: &columns::YearlyColumn, r: &YearRow| -> Decimal {
        (column.value)(r).decimal().unwrap_or_default()
    };
    let rows = &t.profit_share.rows;
    let places = places_of(
        rows.iter()
            .flat_map(|r| inputs.iter().map(move |column| value(column, r))),
    );
    let mut header = vec![columns::YEAR.name];
    header.extend(inputs.iter().map(|c| c.name));
    let mut grid = Grid::new(&header);
    for r in rows {
        let mut cells = vec![r.year.to_string()];
        cells.extend(inputs.iter().map(|column| money(value(column, r), places)));
        grid.row(cells);
    }
    format!(
        "{} - the trajectory ({}):\n{}",
        t.name,
        model.unit,
        grid.render()
    )
}

/// The trajectory table's columns, by their name in the description of the yearly columns
/// (`report::columns`): the path's values, the same under both regimes.
const TRAJECTORY_SHOWN: [&str; 4] = ["revenue", "profit", "valuation", "distributable"];

/// The yearly table's columns, by their name in the one description of the yearly columns
/// (`report::columns`), with the table's shorter header; the cloud income only for a model
/// with a cloud side.
const YEARLY_SHOWN: [(&str, &str); 10] = [
    ("contribution", "paid\nin"),
    ("distribution", "distribution"),
    ("revenue_share", "revenue\nshare"),
    ("dividend", "dividend"),
    ("cloud_income", "cloud\nincome"),
    ("stake", "stake"),
    ("holding_value", "holding\nvalue"),
    ("cash_flow", "cash\nflow"),
    ("cumulative_cash_flow", "cumulative"),
    ("present_value", "present\nvalue"),
];

/// One regime's yearly flows. A column that is 0 in every year (a dividend without payout,
/// the stake under the profit share) is left out and named below the table, so that the
/// table fits 100 columns for ordinary amounts.
fn yearly_table(model: &Model, t: &TrajectoryResult, regime: Regime) -> String {
    let columns: Vec<(&str, &columns::YearlyColumn)> = YEARLY_SHOWN
        .iter()
        .filter(|(name, _)| *name != "cloud_income" || model.cloud.is_some())
        .filter_map(|(name, header)| {
            // (Each is one: see the test `every_yearly_column_shown_is_described`.)
            let column = columns::YEARLY.iter().find(|c| c.name == *name)?;
            Some((*header, column))
        })
        .collect();
    let value = |column: &columns::YearlyColumn, r: &YearRow| -> Decimal {
        (column.value)(r).decimal().unwrap_or_default()
    };
    let result = t.regime(regime);
    let m = &result.measures;
    let is_amount = |column: &columns::YearlyColumn| column.format != columns::Format::Ratio;
    let places = places_of(
        result
            .rows
            .iter()
            .flat_map(|r| {
                columns
                    .iter()
                    .filter(|(_, column)| is_amount(column))
                    .map(move |(_, column)| value(column, r))
            })
            .chain([m.terminal_value, m.npv]),
    );
    let cell = |column: &columns::YearlyColumn, r: &YearRow| -> String {
        let v = value(column, r);
        if is_amount(column) {
            money(v, places)
        } else {
            percent(v, 2)
        }
    };
    let (shown, zero): (Vec<_>, Vec<_>) = columns
        .iter()
        .partition(|(_, column)| result.rows.iter().any(|r| !value(column, r).is_zero()));
    let mut header = vec!["year"];
    header.extend(shown.iter().map(|(name, _)| *name));
    let mut grid = Grid::new(&header);
    for r in &result.rows {
        let mut cells = vec![r.year.to_string()];
        cells.extend(shown.iter().map(|(_, column)| cell(column, r)));
        grid.row(cells);
    }
    let mut text = format!(
        "{} - {} ({}):\n{}  terminal value {}, NPV {}\n",
        t.name,
        regime.label_in(model),
        model.unit,
        grid.render(),
        money_apart(m.terminal_value, places),
        money_apart(m.npv, places)
    );
    if !zero.is_empty() {
        let names: Vec<String> = zero.iter().map(|(n, _)| n.replace('\n', " ")).collect();
        text.push_str(&format!("  0 in every year: {}\n", names.join(", ")));
    }
    text
}

/// The conclusion as a sentence of its own, capitalised (for JSON).
pub fn conclusion_sentence(model: &Model, comparison: &Comparison) -> String {
    let text = conclusion(model, comparison);
    // The text starts with stakeshift's own words ("the", "in"), never a name.
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// The sentence to quote, after "Conclusion: ": how often each regime wins, and the
/// headline trajectory (the one named `base`, else the first) with its margin and where the
/// answer flips. With one trajectory there is no tally, only that trajectory's answer.
pub fn conclusion(model: &Model, comparison: &Comparison) -> String {
    let all = &comparison.trajectories;
    let Some(head) = crate::model::headline(all, |t| &t.name) else {
        return "no trajectory was run.".into();
    };
    let investor = model.investor_as_written();
    let equity_wins = all.iter().filter(|t| t.winner == Winner::Equity).count();
    let share_wins = all
        .iter()
        .filter(|t| t.winner == Winner::ProfitShare)
        .count();
    let ties = all.len() - equity_wins - share_wins;
    let tally = if all.len() == 1 {
        None
    } else {
        // Ties counted too: "in 0 of 3 trajectories, the capped profit share in 0" left the
        // reader to guess the other three (helper-127).
        let tied = match ties {
            0 => String::new(),
            n => format!(", and the two are worth the same in {n}"),
        };
        Some(format!(
            "the equity stake is worth more to {investor} in {equity_wins} of {} trajectories, {} in {share_wins}{tied}",
            all.len(),
            model.profit_share_phrase()
        ))
    };
    // Without a tally the investor is named in the margin instead.
    let to = if tally.is_some() {
        String::new()
    } else {
        format!(" to {investor}")
    };
    let (a, b) = (head.profit_share.measures.npv, head.equity.measures.npv);
    // The places of the table above it, so that the sentence reads as the table does.
    let places = summary_places(comparison);
    let money = |v: Decimal| money(v, places);
    let money_apart = |v: Decimal| money_apart(v, places);
    let at = format!(
        "NPV as of {} at {}",
        model.valuation_year,
        rate_percent(model.discount_rate)
    );
    let margin = match head.winner {
        Winner::Tie => format!(
            "in `{}` the two are worth the same{to} ({} {}, {at})",
            head.name,
            money(b),
            model.unit
        ),
        Winner::Equity => format!(
            "in `{}` the stake is worth {} {} more{to} ({} against {}, {at})",
            head.name,
            money_apart(head.npv_advantage),
            model.unit,
            money(b),
            money(a)
        ),
        Winner::ProfitShare => format!(
            "in `{}` {} is worth {} {} more{to} ({} against {}, {at})",
            head.name,
            model.profit_share_short(),
            money_apart(-head.npv_advantage),
            model.unit,
            money(a),
            money(b)
        ),
    };
    // The scale rounded toward the flip, so that "or less" and "or more" hold at the value
    // printed (helper-242: 0.00745551 printed 0.0075x "or less", where equity still wins).
    let flip = match head.breakeven_scale {
        Some(k) if head.winner == Winner::Equity && k < Decimal::ONE => format!(
            "; the answer flips if every valuation were {} of this path or less",
            times_toward(k, RoundingStrategy::ToZero)
        ),
        Some(k) if head.winner == Winner::ProfitShare && k > Decimal::ONE => format!(
            "; the answer flips if every valuation were {} of this path or more",
            times_toward(k, RoundingStrategy::AwayFromZero)
        ),
        Some(k) => format!("; the two are equal at {} this path's valuations", times(k)),
        None => "; no scaling of the valuations, down or up to 1000x, changes the answer".into(),
    };
    // Decided on what the sentence would write (helper-258, -261, -262: cloud NPVs apart
    // below the places printed gave one figure twice, and a test on them alone hid a
    // winner the cloud side changed): where the answer without the cloud side reads as
    // the answer with it, no sentence of two answers.
    let cloud = if model.sells_compute() {
        let alone = advantage_without_cloud(head);
        // A tie said as one (helper-127: "the profit share is worth 0.00 more" where the
        // two were equal without the cloud side).
        let side = |v: Decimal| match Winner::of(v) {
            Winner::Tie => "the two are worth the same".to_string(),
            Winner::Equity => format!("the stake is worth {} {} more", money_apart(v), model.unit),
            Winner::ProfitShare => format!(
                "{} is worth {} {} more",
                model.profit_share_short(),
                money_apart(-v),
                model.unit
            ),
        };
        let (without, with) = (side(alone), side(head.npv_advantage));
        let npvs = [
            head.profit_share.measures.npv_cloud,
            head.equity.measures.npv_cloud,
        ];
        // "The same" only where the CSVs' places print them alike (helper-263: 0.013016
        // and 0.007841 both read 0.01 at the table's places); else each to those places.
        let same =
            npvs.map(|v| stakeshift_core::engine::number::printed(v, crate::report::AMOUNT_DP));
        let [of_share, of_stake] = if same[0] == same[1] {
            npvs.map(money)
        } else {
            npvs.map(|v| self::money(v, crate::report::AMOUNT_DP.max(places)))
        };
        let printed_zero = |v: &str| v.trim_start_matches('-').chars().all(|c| "0.,".contains(c));
        if without != with {
            format!(
                " In `{}`, without the cloud side {without}; counting {}'s margin on the compute it sells, {with}.",
                head.name, investor
            )
        } else if printed_zero(&of_share) && printed_zero(&of_stake) {
            // No sentence on a cloud side that brings neither deal anything (helper-256:
            // with `--set cloud.margin=0` it said the same figure twice).
            String::new()
        } else if same[0] == same[1] {
            format!(
                " In `{}`, the cloud side is worth the same under both deals ({of_share} {} NPV), so it does not change the answer.",
                head.name, model.unit
            )
        } else {
            format!(
                " In `{}`, the cloud side is worth {of_share} {} NPV under {} and {of_stake} under the stake, too little to change the answer as written here.",
                head.name,
                model.unit,
                model.profit_share_short()
            )
        }
    } else {
        String::new()
    };
    match tally {
        Some(tally) => format!("{tally}; {margin}{flip}.{cloud}"),
        None => format!("{margin}{flip}.{cloud}"),
    }
}

/// The sentence a header adds where the model sells compute (SPEC 13): the NPVs it
/// prints count the cloud income, which can decide the answer (helper-276: the built-in
/// `base`'s profit-share NPV of 554.1 holds 455.6 of it). Empty without a cloud side.
pub fn npvs_count_the_cloud(model: &Model) -> &'static str {
    if model.sells_compute() {
        " The NPVs count the cloud income (the investor's margin on the compute the company buys from it)."
    } else {
        ""
    }
}

/// The NPV advantage with each regime's cloud income left out.
pub fn advantage_without_cloud(t: &TrajectoryResult) -> Decimal {
    t.npv_advantage - (t.equity.measures.npv_cloud - t.profit_share.measures.npv_cloud)
}

/// The winner in words, regime A by `regime_a`, its name in the model's labels.
pub(crate) fn winner_label(w: Winner, regime_a: &'static str) -> &'static str {
    match w {
        Winner::Equity => "equity",
        Winner::ProfitShare => regime_a,
        Winner::Tie => "tie",
    }
}

/// The places of the tables' amounts, where they are not small ([`places_of`]).
pub(crate) const TABLE_PLACES: u32 = 2;

/// The places a table of `amounts` shows them to: 2, or more for a table of small amounts
/// ([`crate::report::places_for`]).
pub(crate) fn places_of(amounts: impl IntoIterator<Item = Decimal>) -> u32 {
    crate::report::places_for(TABLE_PLACES, amounts.into_iter().map(Num::to_f64))
}

/// The places of the comparison's table of NPVs and advantages, and of its conclusion.
pub(crate) fn summary_places(comparison: &Comparison) -> u32 {
    places_of(comparison.trajectories.iter().flat_map(|t| {
        [
            t.profit_share.measures.npv,
            t.equity.measures.npv,
            t.npv_advantage,
            advantage_without_cloud(t),
        ]
    }))
}

/// An amount to `places`, thousands grouped: the tables' figures (1,234.57 at 2).
pub(crate) fn money(v: Decimal, places: u32) -> String {
    group_thousands(&fixed(v, places))
}

/// [`money`] with a + on what is above zero (0.005 is +0.01 at 2 places). A tie (SPEC 5: it
/// prints as 0 at 6 places) is 0; any other value shows its sign and, where `places` would
/// print 0 beside a winner, the places that show it (0.004945 is +0.0049; helper-127: "0.00
/// equity").
pub(crate) fn signed_money(v: Decimal, places: u32) -> String {
    if v.is_tie() {
        return money(Decimal::ZERO, places);
    }
    let s = money_apart(v, places);
    if s.starts_with('-') {
        s
    } else {
        format!("+{s}")
    }
}

/// [`money`], with more places where `places` would print a value that is not 0 as 0 (up to
/// the 6 of an amount): what a sentence says one deal is worth more by.
pub(crate) fn money_apart(v: Decimal, places: u32) -> String {
    // A value that is 0 at an amount's 6 places is the table's 0, as the CSV's 0.000000
    // (helper-155: a swing of 4e-28 printed all its digits).
    if stakeshift_core::engine::number::printed(v, crate::report::AMOUNT_DP).is_zero() {
        return money(v, places);
    }
    group_thousands(&fixed_apart(
        v,
        places,
        crate::report::AMOUNT_DP,
        &[Decimal::ZERO],
    ))
}

/// `v` as a percentage to `dp` places; from the f64 where a hundred times `v` is beyond
/// `Decimal` (an IRR can reach e^700).
fn percent(v: Decimal, dp: u32) -> String {
    match v.checked_mul(Decimal::ONE_HUNDRED) {
        Some(p) => format!("{}%", fixed(p, dp)),
        None => format!("{}%", fixed_f64(Num::to_f64(v) * 100.0, dp)),
    }
}

/// The discount rate as a percentage to 2 places, with more where 2 would show a rate that
/// is not 0 as 0.00% (helper-127: 0.00001 printed "NPV at 0.00% a year").
fn rate_percent(v: Decimal) -> String {
    match v.checked_mul(Decimal::ONE_HUNDRED) {
        Some(p) => format!("{}%", fixed_apart(p, 2, 26, &[Decimal::ZERO])),
        None => percent(v, 2),
    }
}

fn percent_f64(v: f64) -> String {
    match Decimal::from_f64(v) {
        Some(d) => percent(d, 2),
        None if v.is_finite() => format!("{}%", fixed_f64(v * 100.0, 2)),
        None => "-".into(),
    }
}

/// A scale or multiple to 2 places, with more where 2 would show 0.00x or 1.00x for a value
/// that is neither (helper-127: a break-even scale of 0.00056 printed "0.00x", a valuation
/// of nothing; 0.9997 "1.00x", the model's own).
pub(crate) fn times(v: Decimal) -> String {
    let landmarks = [Decimal::ZERO, Decimal::ONE];
    // Below 1, at least two significant digits (helper-241: a break-even scale of 0.00589
    // read "the answer flips if every valuation were 0.01x of this path or less", false
    // between the two; 0.0737 read 0.07x).
    let mut places = 2;
    let mut shifted = v.abs();
    if !shifted.is_zero() {
        let mut leading = 0;
        while shifted < Decimal::ONE && leading < 12 {
            shifted *= Decimal::TEN;
            leading += 1;
        }
        places = places.max(leading + 1);
    }
    // (Up to 12 places, past the CSV's 8: a break-even scale 4e-9 from 1 printed
    // 1.00000000x beside "the answer flips", helper-129; the root is found to about 1e-15.)
    format!("{}x", fixed_apart(v, places.min(12), 12, &landmarks))
}

/// [`times`] to a place more, rounded by `strategy` rather than to the nearest: a bound a
/// statement holds up to, beside the table's figure (1.12396 is the table's `1.12x` and
/// the conclusion's `1.124x or more`, where `1.13x` would have read as another number).
pub(crate) fn times_toward(v: Decimal, strategy: RoundingStrategy) -> String {
    let nearest = times(v);
    let places = nearest
        .trim_end_matches('x')
        .split_once('.')
        .map_or(0, |(_, decimals)| decimals.len() as u32)
        + 1;
    // (An exact value to its own places: 1.54 as `1.54x`, not `1.540x`.)
    let places = places.min(v.normalize().scale().max(2));
    let rounded = v.round_dp_with_strategy(places, strategy);
    format!("{}x", fixed(rounded, places))
}

/// Columns aligned by width: text left, numbers right. A header may take several lines
/// (`"cash\nflow"`), bottom-aligned, which keeps number columns narrow.
struct Grid {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Grid {
    fn new(header: &[&str]) -> Self {
        Grid {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    fn render(&self) -> String {
        let header_lines = self
            .header
            .iter()
            .map(|h| h.lines().count())
            .max()
            .unwrap_or(1);
        // Each header cell's lines, bottom-aligned: empty lines on top.
        let header: Vec<Vec<String>> = (0..header_lines)
            .map(|line| {
                self.header
                    .iter()
                    .map(|h| {
                        let parts: Vec<&str> = h.lines().collect();
                        let skip = header_lines - parts.len();
                        if line < skip {
                            String::new()
                        } else {
                            parts[line - skip].to_string()
                        }
                    })
                    .collect()
            })
            .collect();
        let width = |i: usize| {
            self.rows
                .iter()
                .chain(&header)
                .map(|r| super::display_width(&r[i]))
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..self.header.len()).map(width).collect();
        let numeric_cell = |s: &str| {
            s == "-"
                || s == "none"
                || s.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+')
        };
        // A column is right-aligned, header included, when all its cells are numbers.
        let right: Vec<bool> = (0..self.header.len())
            .map(|i| !self.rows.is_empty() && self.rows.iter().all(|r| numeric_cell(&r[i])))
            .collect();
        let mut out = String::new();
        let line = |cells: &[String], out: &mut String| {
            let mut text = String::new();
            for (i, cell) in cells.iter().enumerate() {
                if i > 0 {
                    text.push_str("  ");
                }
                let pad = " ".repeat(widths[i] - super::display_width(cell));
                if right[i] {
                    text.push_str(&pad);
                    text.push_str(cell);
                } else {
                    text.push_str(cell);
                    text.push_str(&pad);
                }
            }
            out.push_str(text.trim_end());
            out.push('\n');
        };
        for cells in &header {
            line(cells, &mut out);
        }
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        line(&rule, &mut out);
        for r in &self.rows {
            line(r, &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The yearly table finds its columns by name in `report::columns`: a column renamed
    /// there must not drop out of the table without a word.
    #[test]
    fn every_yearly_column_shown_is_described() {
        let shown = YEARLY_SHOWN.iter().map(|(name, _)| *name);
        for name in shown.chain(TRAJECTORY_SHOWN) {
            assert!(
                columns::YEARLY.iter().any(|c| c.name == name),
                "`{name}` is not a yearly column"
            );
        }
    }

    /// helper-241: a break-even scale of 0.00588558 printed "0.01x" in "the answer flips if
    /// every valuation were 0.01x of this path or less", false between the two. Below 1 a
    /// multiple keeps two significant digits (worked by hand: 0.00588558 -> 0.0059, 0.0737
    /// -> 0.074, 0.05 -> 0.050).
    #[test]
    fn regression_a_small_multiple_keeps_two_significant_digits() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(times(d("0.00588558")), "0.0059x");
        assert_eq!(times(d("0.0737")), "0.074x");
        assert_eq!(times(d("0.05")), "0.050x");
        assert_eq!(times(d("0.5")), "0.50x");
        assert_eq!(times(d("0.15")), "0.15x");
        assert_eq!(times(d("0.00056271")), "0.00056x");
        assert_eq!(times(d("1.546")), "1.55x");
        assert_eq!(times(d("0.9997")), "0.9997x");
        assert_eq!(times(d("0")), "0.00x");
        assert_eq!(times(d("0.000000000001")), "0.000000000001x");
        // helper-242: toward the flip in the conclusion, at a place more (an exact value at
        // its own places).
        for (v, toward, shown) in [
            ("0.00745551", RoundingStrategy::ToZero, "0.00745x"),
            ("0.99973", RoundingStrategy::ToZero, "0.99973x"),
            ("1.12396353", RoundingStrategy::AwayFromZero, "1.124x"),
            ("1.54", RoundingStrategy::AwayFromZero, "1.54x"),
        ] {
            assert_eq!(times_toward(d(v), toward), shown, "{v}");
        }
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands("1234567.89"), "1,234,567.89");
        assert_eq!(group_thousands("-123.40"), "-123.40");
        assert_eq!(group_thousands("-1234.00"), "-1,234.00");
        assert_eq!(money(Decimal::new(-5, 3), 2), "-0.01");
    }

    /// Regression (helper-50's review): the sensitivity tables decided the + by banker's
    /// rounding to 2 places but printed half away from zero, so 0.005 printed "0.01"
    /// without its + (and 0.015 "+0.02"). They now share this one.
    #[test]
    fn regression_the_sign_follows_the_printed_value() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(signed_money(d("0.005"), 2), "+0.01");
        assert_eq!(signed_money(d("0.015"), 2), "+0.02");
        // helper-127: not "0.00" beside the winner `equity`; a tie is 0.00.
        assert_eq!(signed_money(d("0.0049"), 2), "+0.0049");
        assert_eq!(signed_money(d("-0.004945"), 2), "-0.0049");
        assert_eq!(signed_money(d("0.0000004"), 2), "0.00");
        assert_eq!(signed_money(d("0.0000005"), 2), "+0.000001");
        assert_eq!(signed_money(d("-0.005"), 2), "-0.01");
        assert_eq!(signed_money(d("1234.5"), 2), "+1,234.50");
    }
}
