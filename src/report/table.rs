//! The terminal table: the comparison at a glance, with the unit, the winner of each
//! trajectory and by how much, and a one-line conclusion a reader can quote.
//!
//! Amounts here are rounded to 2 places by the same rule as the CSV (half away from zero)
//! and grouped in thousands for reading; CSV and JSON carry the full 6 places.

use rust_decimal::prelude::*;

use crate::compare::Comparison;
use crate::engine::{Regime, TrajectoryResult, Winner};
use crate::model::Model;
use crate::report::{fixed, group_thousands};

/// The comparison table, and with `yearly` each trajectory's year-by-year flows.
pub fn render(model: &Model, comparison: &Comparison, yearly: bool) -> String {
    let mut out = String::new();
    out.push_str(&model.name);
    out.push('\n');
    out.push_str(&format!(
        "Investor: {}. Amounts in {}. NPV at {} a year as of the end of {}; years {}-{}.\n\n",
        model.party_name(model.investor.party),
        model.unit,
        percent(model.discount_rate, 2),
        model.valuation_year,
        model.start_year,
        model.end_year,
    ));

    let mut grid = Grid::new(&[
        "trajectory",
        "NPV profit share",
        "NPV equity",
        "equity advantage",
        "winner",
        "break-even scale",
        "IRR profit share",
        "IRR equity",
        "MOIC profit share",
        "MOIC equity",
    ]);
    for t in &comparison.trajectories {
        let (a, b) = (&t.profit_share.measures, &t.equity.measures);
        grid.row(vec![
            t.name.clone(),
            money(a.npv),
            money(b.npv),
            signed_money(t.npv_advantage),
            winner_label(t.winner).to_string(),
            t.breakeven_scale
                .map(times)
                .unwrap_or_else(|| "none".into()),
            a.irr.map(percent_f64).unwrap_or_else(|| "-".into()),
            b.irr.map(percent_f64).unwrap_or_else(|| "-".into()),
            a.moic.map(times).unwrap_or_else(|| "-".into()),
            b.moic.map(times).unwrap_or_else(|| "-".into()),
        ]);
    }
    out.push_str(&grid.render());
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
    out.push_str(
        "\nequity advantage = NPV(equity) - NPV(profit share). break-even scale: the factor on every \
         valuation of the trajectory at which the two NPVs are equal.\n",
    );

    if yearly {
        for t in &comparison.trajectories {
            for regime in [Regime::ProfitShare, Regime::Equity] {
                out.push('\n');
                out.push_str(&yearly_table(model, t, regime));
            }
        }
    }
    out.push('\n');
    out.push_str(&conclusion(model, comparison));
    out.push('\n');
    out
}

fn yearly_table(model: &Model, t: &TrajectoryResult, regime: Regime) -> String {
    let mut grid = Grid::new(&[
        "year",
        "revenue",
        "profit",
        "valuation",
        "distributable",
        "paid in",
        "distribution",
        "revenue share",
        "dividend",
        "stake",
        "holding value",
        "cash flow",
        "cumulative",
        "present value",
    ]);
    let result = t.regime(regime);
    for r in &result.rows {
        grid.row(vec![
            r.year.to_string(),
            money(r.revenue),
            money(r.profit),
            money(r.valuation),
            money(r.distributable),
            money(r.contribution),
            money(r.distribution),
            money(r.revenue_share),
            money(r.dividend),
            percent(r.stake, 2),
            money(r.holding_value),
            money(r.cash_flow),
            money(r.cumulative_cash_flow),
            money(r.present_value),
        ]);
    }
    let m = &result.measures;
    format!(
        "{} - {} ({}):\n{}  terminal value {}, NPV {}\n",
        t.name,
        regime.label(),
        model.unit,
        grid.render(),
        money(m.terminal_value),
        money(m.npv)
    )
}

/// The sentence to quote: how often each regime wins, and the headline trajectory (the one
/// named `base`, else the first) with its margin and where the answer flips.
pub fn conclusion(model: &Model, comparison: &Comparison) -> String {
    let all = &comparison.trajectories;
    let Some(head) = all
        .iter()
        .find(|t| t.name == "base")
        .or_else(|| all.first())
    else {
        return "Conclusion: no trajectory was run.".into();
    };
    let investor = model.investor_in_prose();
    let equity_wins = all.iter().filter(|t| t.winner == Winner::Equity).count();
    let share_wins = all
        .iter()
        .filter(|t| t.winner == Winner::ProfitShare)
        .count();
    let tally = format!(
        "the equity stake is worth more to {investor} in {equity_wins} of {} trajectories, the capped profit share in {share_wins}",
        all.len()
    );
    let (a, b) = (head.profit_share.measures.npv, head.equity.measures.npv);
    let at = format!(
        "NPV as of {} at {}",
        model.valuation_year,
        percent(model.discount_rate, 2)
    );
    let margin = match head.winner {
        Winner::Tie => format!(
            "in `{}` the two are worth the same ({} {}, {at})",
            head.name,
            money(b),
            model.unit
        ),
        Winner::Equity => format!(
            "in `{}` the stake is worth {} {} more ({} against {}, {at})",
            head.name,
            money(head.npv_advantage),
            model.unit,
            money(b),
            money(a)
        ),
        Winner::ProfitShare => format!(
            "in `{}` the profit share is worth {} {} more ({} against {}, {at})",
            head.name,
            money(-head.npv_advantage),
            model.unit,
            money(a),
            money(b)
        ),
    };
    let flip = match head.breakeven_scale {
        Some(k) if head.winner == Winner::Equity && k < Decimal::ONE => format!(
            "; the answer flips if every valuation were {} of this path or less",
            times(k)
        ),
        Some(k) if head.winner == Winner::ProfitShare && k > Decimal::ONE => format!(
            "; the answer flips if every valuation were {} of this path or more",
            times(k)
        ),
        Some(k) => format!("; the two are equal at {} this path's valuations", times(k)),
        None => "; no scaling of the valuations up to 1000x changes the answer".into(),
    };
    format!("Conclusion: {tally}; {margin}{flip}.")
}

fn winner_label(w: Winner) -> &'static str {
    match w {
        Winner::Equity => "equity",
        Winner::ProfitShare => "profit share",
        Winner::Tie => "tie",
    }
}

/// 2 places, thousands grouped: 1,234.57.
fn money(v: Decimal) -> String {
    group_thousands(&fixed(v, 2))
}

fn signed_money(v: Decimal) -> String {
    let s = money(v);
    if s.starts_with('-') || s == "0.00" {
        s
    } else {
        format!("+{s}")
    }
}

fn percent(v: Decimal, dp: u32) -> String {
    format!("{}%", fixed(v * Decimal::ONE_HUNDRED, dp))
}

fn percent_f64(v: f64) -> String {
    Decimal::from_f64(v).map_or_else(|| "-".into(), |d| percent(d, 2))
}

fn times(v: Decimal) -> String {
    format!("{}x", fixed(v, 2))
}

/// Columns aligned by width: text left, numbers right.
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
        let width = |i: usize| {
            self.rows
                .iter()
                .map(|r| r[i].chars().count())
                .chain([self.header[i].chars().count()])
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
                let pad = " ".repeat(widths[i] - cell.chars().count());
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
        line(&self.header, &mut out);
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

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands("1234567.89"), "1,234,567.89");
        assert_eq!(group_thousands("-123.40"), "-123.40");
        assert_eq!(group_thousands("-1234.00"), "-1,234.00");
        assert_eq!(money(Decimal::new(-5, 3)), "-0.01");
    }
}
