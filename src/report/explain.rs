//! The year's ledger of `stakeshift explain` (SPEC section 12) as text and as JSON.
//!
//! Both print what [`crate::engine::ledger`] recorded of the engine's run, nothing
//! recomputed. The text rounds once, as it prints (amounts to 6 places, stakes and discount
//! factors to 8, by the one rule of [`crate::report`]), and aligns every amount in one
//! column. The JSON gives the engine's values exactly, as JSON numbers with all their
//! digits (a Decimal has at most 28), so that a reader can check the ledger adds up to the
//! last digit.
//!
//! The built-in model's `base` in 2033, regime A: the first year with profit to distribute
//! (the loss carried from earlier years is paid off in it), so all of Microsoft's 13 in
//! tier 0 is still to come:
//!
//! ```
//! use rust_decimal::Decimal;
//! use serde_json::Value;
//! use stakeshift::engine::ledger::explain;
//!
//! let model = stakeshift::io::read_model_file(None)?.load(&[])?.model; // built in
//! let ledgers = explain(&model, &model.trajectories[2], 2033).expect("a year of `base`");
//! let bytes = stakeshift::report::explain::json(&model, &[&ledgers.profit_share], &[]);
//! let l = &serde_json::from_slice::<Value>(&bytes).unwrap()[0];
//! let fields = "trajectory regime year profit carried_loss_before carried_loss_after \
//!     distributable slices distribution revenue_share dividend stake_before stake_after \
//!     holding_value contribution cash_flow discount_factor present_value"; // SPEC 12
//! assert!(fields.split(' ').all(|key| l.get(key).is_some()));
//! let exact = |v: &Value| v.to_string().parse::<Decimal>().unwrap(); // all the digits
//! // The tier gives Microsoft exactly its room, 13; the slice goes on in the next tier.
//! let slices = l["slices"].as_array().unwrap();
//! assert_eq!(slices[0]["tier"], "Microsoft recoups its investment");
//! assert_eq!(exact(&slices[0]["parties"]["microsoft"]), Decimal::from(13));
//! assert_eq!(slices[1]["tier"], "Capped split");
//! // SPEC 12: the slices add up to D_t, and each slice's parties to its amount.
//! let total: Decimal = slices.iter().map(|s| exact(&s["amount"])).sum();
//! assert_eq!(total, exact(&l["distributable"]));
//! for s in slices {
//!     let paid = s["parties"].as_object().unwrap().values().map(exact).sum::<Decimal>();
//!     assert_eq!(paid, exact(&s["amount"]));
//! }
//! # Ok::<(), stakeshift::Error>(())
//! ```

use rust_decimal::Decimal;
use serde_json::{Map, Number, Value, json};

use crate::engine::Regime;
use crate::engine::deal::RoundApplied;
use crate::engine::ledger::{
    RevenueShareLedger, RevenueShareStatus, Slice, SliceEvent, YearLedger,
};
use crate::model::{Model, Year};
use crate::report::{amount, group_thousands, ratio};

/// One line of the text: indented label, an amount (or nothing, for a heading) and a note.
struct Line {
    indent: usize,
    label: String,
    value: String,
    note: String,
}

/// Lines whose values are aligned in one right-justified column.
#[derive(Default)]
struct Lines(Vec<Line>);

impl Lines {
    fn heading(&mut self, indent: usize, label: impl Into<String>) {
        self.push(indent, label, String::new(), "");
    }
    fn push(
        &mut self,
        indent: usize,
        label: impl Into<String>,
        value: String,
        note: impl Into<String>,
    ) {
        self.0.push(Line {
            indent,
            label: label.into(),
            value,
            note: note.into(),
        });
    }
    fn money(&mut self, indent: usize, label: impl Into<String>, v: Decimal) {
        self.push(indent, label, money(v), "");
    }
    fn blank(&mut self) {
        self.heading(0, "");
    }

    fn render(&self, out: &mut String) {
        let valued = || self.0.iter().filter(|l| !l.value.is_empty());
        let label_width = valued()
            .map(|l| l.indent + super::display_width(&l.label))
            .max()
            .unwrap_or(0);
        // Values align on their decimal points (amounts have 6 places, stakes and discount
        // factors 8).
        let split = |v: &str| -> (usize, usize) {
            v.split_once('.')
                .map_or((v.len(), 0), |(int, frac)| (int.len(), frac.len() + 1))
        };
        let int_width = valued().map(|l| split(&l.value).0).max().unwrap_or(0);
        let frac_width = valued().map(|l| split(&l.value).1).max().unwrap_or(0);
        for l in &self.0 {
            // Padded by hand: `{:w$}` panics past a width of 65,535 (a long party name).
            let mut line = format!("{}{}", " ".repeat(l.indent), l.label);
            if !l.value.is_empty() {
                let pad = label_width + 2 - (l.indent + super::display_width(&l.label));
                let (int, frac) = split(&l.value);
                line.push_str(&" ".repeat(pad + int_width - int));
                line.push_str(&l.value);
                line.push_str(&" ".repeat(frac_width - frac));
            }
            if !l.note.is_empty() {
                line.push_str("  ");
                line.push_str(&l.note);
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
}

/// An amount to 6 places, grouped in thousands for reading.
fn money(v: Decimal) -> String {
    group_thousands(&amount(v))
}

fn tier_label(model: &Model, tier: Option<usize>) -> String {
    match tier {
        Some(t) => format!(
            "{} [profit_share.tiers[{t}]]",
            model.profit_share.tiers[t].name
        ),
        None => format!(
            "every tier done: the rest to the residual, {}",
            model.party_name(model.profit_share.residual)
        ),
    }
}

fn event_text(model: &Model, event: &SliceEvent) -> String {
    match *event {
        // The rights end only where the model says so (helper-112: the text said they
        // ended beside a payment to the investor, with investor_rights_end_at_agi false).
        SliceEvent::AgiDeclared if model.profit_share.investor_rights_end_at_agi => {
            "AGI declared: the investor's rights end (its caps count as reached)".into()
        }
        SliceEvent::AgiDeclared => {
            "AGI declared (the investor keeps its shares: investor_rights_end_at_agi is false)"
                .into()
        }
        SliceEvent::CapReached { party } => {
            format!("{} reached its cap", model.party_name(party))
        }
        SliceEvent::TierDone { tier } => {
            format!("tier `{}` done", model.profit_share.tiers[tier].name)
        }
    }
}

fn slices_text(model: &Model, slices: &[Slice], lines: &mut Lines) {
    if slices.is_empty() {
        lines.heading(4, "no slices: nothing to distribute");
    }
    for (i, slice) in slices.iter().enumerate() {
        lines.heading(
            4,
            format!("slice {}: {}", i + 1, tier_label(model, slice.tier)),
        );
        lines.money(6, "slice amount", slice.amount);
        for &(party, paid) in &slice.parties {
            let note = slice
                .rooms
                .iter()
                .find(|r| r.party == party)
                .map(|r| format!("room {} -> {}", money(r.before), money(r.after)))
                .unwrap_or_default();
            lines.push(6, model.party_name(party), money(paid), note);
        }
        for room in slice
            .rooms
            .iter()
            .filter(|r| !slice.parties.iter().any(|(p, _)| *p == r.party))
        {
            // Why it gets nothing, as the numbers say it (helper-128: "counts as having
            // reached its cap; room -3.000000" past its cap, and "room 92" for an investor
            // whose rights had ended at AGI).
            let why = if room.before < Decimal::ZERO {
                format!(
                    "its receipts so far are already {} past this tier's cap",
                    money(-room.before)
                )
            } else if room.before.is_zero() {
                "its cap is reached".to_string()
            } else if room.party != model.investor.party
                || !model.profit_share.investor_rights_end_at_agi
            {
                "it counts as having reached its cap".to_string()
            } else {
                format!(
                    "its rights ended at AGI, which counts its cap as reached; {} of room left unpaid",
                    money(room.before)
                )
            };
            lines.heading(
                6,
                format!("{}: nothing ({why})", model.party_name(room.party)),
            );
        }
        for event in &slice.events {
            lines.heading(6, format!("event: {}", event_text(model, event)));
        }
    }
}

/// The revenue share's terms and why it pays nothing in `year` where it does not: a year
/// outside its years said as before or after them (helper-281: "2025-2032, ends at AGI: not
/// this year" of 2033 read as AGI's doing), and, where it ends at AGI (`agi_year`, the
/// trajectory's) before its first or last year, that too (session 46: a share that AGI ends
/// before it begins was "not this year, before 2024", as if 2024 would pay).
fn revenue_share_note(r: &RevenueShareLedger, year: Year, agi_year: Option<Year>) -> String {
    let mut note = format!(
        "{}% of revenue, {}-{}",
        group_thousands(&(r.rate * Decimal::ONE_HUNDRED).normalize().to_string()),
        r.from,
        r.until
    );
    if r.ends_at_agi {
        note.push_str(", ends at AGI");
    }
    // SPEC 3.4: it pays in t < agi_year, so AGI in or before `from` leaves it no year.
    let agi_ends_it = agi_year.filter(|_| r.ends_at_agi);
    match (r.status, agi_ends_it) {
        (RevenueShareStatus::OutsideYears, Some(agi)) if agi <= r.from => {
            note.push_str(&format!(
                ": not this year nor any: AGI in {agi} ends it before its first year, {}",
                r.from
            ));
        }
        // (Not where its cap was reached first, before AGI: helper-291.)
        (RevenueShareStatus::OutsideYears, Some(agi))
            if year > r.until
                && agi <= r.until
                && !r.room_before().is_some_and(|room| room.is_zero()) =>
        {
            note.push_str(&format!(
                ": not this year, after {}; AGI ended it in {agi}",
                r.until
            ));
        }
        (RevenueShareStatus::OutsideYears, _) if year > r.until => {
            note.push_str(&format!(": not this year, after {}", r.until));
        }
        (RevenueShareStatus::OutsideYears, _) if year < r.from => {
            note.push_str(&format!(": not this year, before {}", r.from));
        }
        (RevenueShareStatus::OutsideYears, _) => note.push_str(": not this year"),
        (RevenueShareStatus::EndedAtAgi, _) => note.push_str(": ended at AGI"),
        (RevenueShareStatus::CapReached, _) => note.push_str(": cap reached"),
        (RevenueShareStatus::Paid, _) => {}
    }
    note
}

/// The year AGI is declared in the trajectory named `trajectory`, if ever.
fn agi_year_of(model: &Model, trajectory: &str) -> Option<Year> {
    model
        .trajectories
        .iter()
        .find(|t| t.name == trajectory)
        .and_then(|t| t.agi_year)
}

fn round_text(r: &RoundApplied, lines: &mut Lines) {
    lines.heading(
        4,
        format!(
            "round equity.rounds[{}]: pre-money {} ({}), raise {}, participation {}",
            r.index,
            money(r.pre_money),
            if r.pre_money_given {
                "given"
            } else {
                "valuation minus raise"
            },
            money(r.raise),
            money(r.participation),
        ),
    );
    lines.push(
        6,
        "stake",
        ratio(r.stake_after),
        format!("from {}", ratio(r.stake_before)),
    );
}

fn ledger_text(model: &Model, l: &YearLedger, lines: &mut Lines) {
    let title = match l.regime {
        Regime::ProfitShare => format!(
            "{} (regime A)",
            crate::chart::capitalised(Regime::ProfitShare.label_in(model))
        ),
        Regime::Equity => "Equity stake (regime B)".into(),
    };
    lines.heading(0, &title);
    lines.money(2, "revenue", l.revenue);
    lines.money(2, "profit", l.profit);
    if l.loss_carryforward {
        lines.money(2, "carried loss before", l.carried_loss_before);
        lines.money(2, "carried loss after", l.carried_loss_after);
    } else {
        lines.heading(2, "no loss carryforward: D_t = max(0, profit)");
    }
    lines.money(2, "distributable profit D_t", l.distributable);
    let investor = model.party_name(model.investor.party);

    if l.waterfall {
        lines.heading(2, "waterfall");
        slices_text(model, &l.slices, lines);
        lines.money(2, format!("distribution to {investor}"), l.distribution);
    } else {
        lines.heading(
            2,
            "no waterfall distribution under the stake; D_t is the dividends' base",
        );
    }

    match &l.revenue_share_terms {
        Some(r) => {
            lines.push(
                2,
                "revenue share",
                money(l.revenue_share),
                revenue_share_note(r, l.year, agi_year_of(model, &l.trajectory)),
            );
            if let (Some(cap), Some(before), Some(after)) =
                (r.total_cap, r.room_before(), r.room_after())
            {
                // Said as each capped party's room is in the waterfall, `room before ->
                // after` (helper-214: "cap room AFTER from BEFORE" read the other way).
                lines.push(
                    4,
                    "total_cap",
                    money(cap),
                    format!("room {} -> {}", money(before), money(after)),
                );
            }
        }
        None => lines.heading(2, "revenue share: none in this regime"),
    }

    if l.stake_held {
        lines.heading(2, "stake");
        lines.push(4, "before the year's rounds", ratio(l.stake_before), "");
        for r in &l.rounds {
            round_text(r, lines);
        }
        lines.push(4, "after the year's rounds", ratio(l.stake_after), "");
        lines.money(4, "valuation", l.valuation);
        lines.push(
            4,
            "holding value",
            money(l.holding_value),
            "stake x valuation",
        );
        lines.push(
            4,
            "dividend",
            money(l.dividend),
            format!("payout {} x D_t x stake", ratio(l.dividend_payout)),
        );
    } else if l.regime == Regime::Equity {
        lines.heading(
            2,
            format!(
                "stake: none held yet (from {}); the waterfall as in regime A",
                model.equity.from_year
            ),
        );
    }

    lines.heading(2, "cash flow");
    let contribution_note = if l.participation.is_zero() {
        String::new()
    } else {
        format!(
            "paid in {} + participation {}",
            money(l.paid_in),
            money(l.participation)
        )
    };
    lines.push(
        4,
        "- contribution",
        money(l.contribution),
        contribution_note,
    );
    lines.money(4, "+ distribution", l.distribution);
    lines.money(4, "+ revenue share", l.revenue_share);
    lines.money(4, "+ dividend", l.dividend);
    if model.cloud.is_some() {
        lines.push(
            4,
            "+ cloud income",
            money(l.cloud_income),
            if l.cloud_shortfall.is_zero() {
                format!(
                    "margin on {} of compute bought from the investor",
                    money(l.cloud_purchases)
                )
            } else {
                format!(
                    "margin on {} of compute bought from the investor, {} of it take-or-pay shortfall (what a commitment's purchases fell short of its total)",
                    money(l.cloud_purchases),
                    money(l.cloud_shortfall)
                )
            },
        );
    }
    lines.money(4, "= cash flow", l.cash_flow);
    lines.push(
        2,
        "discount factor",
        ratio(l.discount_factor),
        format!(
            "{}^-({} - {})",
            crate::engine::regimes::one_plus(model.discount_rate),
            l.year,
            model.valuation_year
        ),
    );
    // Where the product would lose digits (a tiny factor, a large amount: Deal::present),
    // the engine divides instead: said so.
    let how = if divided_by_power(model, l) {
        format!(
            "cash flow / {}^({} - {}), the same as x discount factor, to more digits",
            crate::engine::regimes::one_plus(model.discount_rate),
            l.year,
            model.valuation_year
        )
    } else {
        "cash flow x discount factor".to_string()
    };
    lines.push(2, "present value", money(l.present_value), how);
    if let Some(tv) = l.terminal_value {
        lines.push(
            2,
            "terminal value",
            money(tv),
            format!(
                "holding value x (1 - terminal_discount {}); the NPV adds it at this year's discount factor",
                model.equity.terminal_discount.normalize()
            ),
        );
    }
}

/// The ledgers as text: a header, then each regime's ledger with its amounts aligned.
pub fn text(model: &Model, ledgers: &[&YearLedger]) -> String {
    let mut out = String::new();
    let Some(first) = ledgers.first() else {
        return out;
    };
    out.push_str(&format!(
        // (helper-255: printed to 6 places, the parts of 18 of 112 slices and cash flows of a
        // model summed one unit off their total; the JSON is the engine's own digits.)
        "{}\nTrajectory `{}`, year {}. Amounts in {} to 6 places, so a total may differ from \
         its printed parts in the last place (`--format json` holds every digit); stakes and \
         discount factors as fractions.\n",
        model.name, first.trajectory, first.year, model.unit
    ));
    let agi = match agi_year_of(model, &first.trajectory) {
        Some(y) if first.agi_this_year => format!("AGI declared this year ({y})."),
        Some(y) if first.agi_declared => format!("AGI declared in {y}."),
        Some(y) => format!("AGI not yet declared (declared in {y})."),
        None => "AGI never declared in this trajectory.".into(),
    };
    // Said only where AGI exists in the model (helper-139: a film deal's ledger).
    if model.has_agi() {
        out.push_str(&agi);
        out.push('\n');
    }
    out.push('\n');
    let mut lines = Lines::default();
    for (i, l) in ledgers.iter().enumerate() {
        if i > 0 {
            lines.blank();
        }
        ledger_text(model, l, &mut lines);
    }
    lines.render(&mut out);
    out
}

/// An exact amount as a JSON number, with all its digits and no exponent.
fn exact(v: Decimal) -> Value {
    let text = if v.is_zero() {
        "0".to_string()
    } else {
        v.normalize().to_string()
    };
    text.parse::<Number>().map_or(Value::Null, Value::Number)
}

fn slice_json(model: &Model, slice: &Slice) -> Value {
    let parties: Map<String, Value> = slice
        .parties
        .iter()
        .map(|&(p, a)| (model.party_name(p).to_string(), exact(a)))
        .collect();
    let rooms: Map<String, Value> = slice
        .rooms
        .iter()
        .map(|r| {
            (
                model.party_name(r.party).to_string(),
                json!({
                    "before": exact(r.before),
                    "after": exact(r.after),
                    "reached_before": r.reached_before,
                    "reached_after": r.reached_after,
                }),
            )
        })
        .collect();
    let events: Vec<Value> = slice
        .events
        .iter()
        .map(|e| match *e {
            SliceEvent::AgiDeclared => json!({ "event": "agi_declared" }),
            SliceEvent::CapReached { party } => {
                json!({ "event": "cap_reached", "party": model.party_name(party) })
            }
            SliceEvent::TierDone { tier } => json!({
                "event": "tier_done",
                "tier": model.profit_share.tiers[tier].name,
            }),
        })
        .collect();
    json!({
        "tier": slice.tier.map(|t| model.profit_share.tiers[t].name.clone()),
        "tier_path": slice.tier.map(|t| format!("profit_share.tiers[{t}]")),
        "amount": exact(slice.amount),
        "parties": parties,
        "rooms": rooms,
        "events": events,
    })
}

fn ledger_json(model: &Model, l: &YearLedger) -> Value {
    let revenue_share_terms = l.revenue_share_terms.as_ref().map(|r| {
        json!({
            "rate": exact(r.rate),
            "from": r.from,
            "until": r.until,
            "ends_at_agi": r.ends_at_agi,
            "total_cap": r.total_cap.map(exact),
            "paid_before": exact(r.paid_before),
            "paid_after": exact(r.paid_after),
            "cap_room_before": r.room_before().map(exact),
            "cap_room_after": r.room_after().map(exact),
            "status": match r.status {
                RevenueShareStatus::OutsideYears => "outside_years",
                RevenueShareStatus::EndedAtAgi => "ended_at_agi",
                RevenueShareStatus::CapReached => "cap_reached",
                RevenueShareStatus::Paid => "paid",
            },
        })
    });
    let rounds: Vec<Value> = l
        .rounds
        .iter()
        .map(|r| {
            json!({
                "round": format!("equity.rounds[{}]", r.index),
                "pre_money": exact(r.pre_money),
                "pre_money_given": r.pre_money_given,
                "raise": exact(r.raise),
                "participation": exact(r.participation),
                "stake_before": exact(r.stake_before),
                "stake_after": exact(r.stake_after),
            })
        })
        .collect();
    json!({
        "trajectory": l.trajectory,
        "regime": l.regime.as_str(),
        "year": l.year,
        "unit": model.unit,
        "agi_declared": l.agi_declared,
        "agi_this_year": l.agi_this_year,
        "revenue": exact(l.revenue),
        "profit": exact(l.profit),
        "valuation": exact(l.valuation),
        "loss_carryforward": l.loss_carryforward,
        "carried_loss_before": exact(l.carried_loss_before),
        "carried_loss_after": exact(l.carried_loss_after),
        "distributable": exact(l.distributable),
        "waterfall": l.waterfall,
        "slices": l.slices.iter().map(|s| slice_json(model, s)).collect::<Vec<_>>(),
        "distribution": exact(l.distribution),
        "revenue_share": exact(l.revenue_share),
        "revenue_share_terms": revenue_share_terms,
        "stake_held": l.stake_held,
        "stake_before": exact(l.stake_before),
        "stake_after": exact(l.stake_after),
        "rounds": rounds,
        "holding_value": exact(l.holding_value),
        "dividend_payout": exact(l.dividend_payout),
        "dividend": exact(l.dividend),
        "contribution": exact(l.contribution),
        "paid_in": exact(l.paid_in),
        "participation": exact(l.participation),
        "cloud_purchases": exact(l.cloud_purchases),
        "cloud_shortfall": exact(l.cloud_shortfall),
        "cloud_income": exact(l.cloud_income),
        "cash_flow": exact(l.cash_flow),
        "discount_factor": exact(l.discount_factor),
        "present_value": exact(l.present_value),
        // Whether present_value is cash_flow / (1 + r)^(t - valuation_year) rather than
        // cash_flow x discount_factor (the same number, to the digits a tiny factor's 28
        // places lose: helper-203).
        "present_value_by_division": divided_by_power(model, l),
        "terminal_value": l.terminal_value.map(exact),
    })
}

/// Whether the engine made the year's present value by dividing its cash flow by (1 +
/// r)^(t - valuation_year) ([`crate::engine::deal::Divisor::divides`]).
fn divided_by_power(model: &Model, l: &YearLedger) -> bool {
    crate::engine::deal::discount_divisor(model, l.year, l.discount_factor)
        .is_some_and(|d| d.divides(l.cash_flow))
}

/// The ledgers as a JSON array (one object per regime, in the order given), pretty-printed,
/// with a final newline.
pub fn json(model: &Model, ledgers: &[&YearLedger], overridden_by: &[String]) -> Vec<u8> {
    let overrides = super::overrides_json(overridden_by);
    let doc = Value::Array(
        ledgers
            .iter()
            .map(|l| {
                let mut ledger = ledger_json(model, l);
                ledger["overrides"] = json!(overrides);
                ledger
            })
            .collect(),
    );
    let mut bytes = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}
