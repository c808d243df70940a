//! One year taken apart: the ledger behind `stakeshift explain` (SPEC section 12).
//!
//! Nothing here computes an amount. [`explain`] runs the same exact engine as `compare`
//! ([`run_path`] in `Decimal`) with a recorder, [`LedgerRecorder`], that keeps what the
//! engine tells it about one year: the carried loss, each waterfall slice as the engine cut
//! it (its tier, amount, each party's payment, the rooms of the capped parties before and
//! after it, the caps reached and tiers done), the revenue-share receipts, each round as it
//! was applied to the stake, and both regimes' yearly rows. So the ledger adds up exactly
//! wherever the engine does: the slices to the distributable profit, each slice's payments
//! to the slice, and its totals equal the rows `compare` prints.
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift_core::engine::ledger::{SliceEvent, explain};
//! use stakeshift_core::model::{ModelSource, parse_model};
//!
//! let text = r#"name = "Tiny"
//! unit = "USD m"
//! start_year = 2024
//! end_year = 2025
//! valuation_year = 2024
//! discount_rate = 0.25
//! investor = { party = "fund", contributions = [[2024, 10.0]] }
//! equity = { from_year = 2025, stake = 0.2 }
//! [profit_share]
//! residual = "founders"
//! tiers = [{ name = "Half", shares = { fund = 0.5 }, until = { fund = 10.0 } }]
//! [[trajectories]]
//! name = "only"
//! revenue = { points = [[2024, 100.0]] }
//! margin = { points = [[2024, 0.0], [2025, 0.25]] }
//! valuation = { points = [[2024, 100.0], [2025, 125.0]] }"#;
//! let source = ModelSource { text, load: &mut |_| Err("no files".into()) };
//! let model = parse_model(source).unwrap();
//! let ledgers = explain(&model, &model.trajectories[0], 2025).unwrap();
//! // Parties: 0 the fund, 1 the founders. 2025's profit is 100 x 0.25 = 25, and 2024 paid
//! // the fund nothing, so it has 10 to go: a first slice of 10 / 0.5 = 20 is split 10 and
//! // 10 and ends the tier; the other 5 go to the founders as the residual.
//! let a = &ledgers.profit_share;
//! assert_eq!(a.distributable, Decimal::from(25));
//! let [first, rest] = &a.slices[..] else { panic!("two slices") };
//! assert_eq!((first.tier, first.amount), (Some(0), Decimal::from(20)));
//! assert_eq!(first.parties, [(0, Decimal::TEN), (1, Decimal::TEN)]);
//! let room = first.rooms[0];
//! assert_eq!((room.party, room.before, room.after), (0, Decimal::TEN, Decimal::ZERO));
//! let done = [SliceEvent::CapReached { party: 0 }, SliceEvent::TierDone { tier: 0 }];
//! assert_eq!(first.events, done);
//! assert_eq!((rest.tier, rest.amount), (None, Decimal::from(5)));
//! assert_eq!(rest.parties, [(1, Decimal::from(5))]);
//! // The fund's 10 at 2025's discount factor 1 / 1.25 = 0.8 is worth 8.
//! assert_eq!((a.distribution, a.present_value), (Decimal::TEN, Decimal::from(8)));
//! // Regime B holds its 20% from 2025, no waterfall: the horizon's mark is 0.2 x 125 = 25.
//! let b = &ledgers.equity;
//! assert!(b.stake_held && !b.waterfall && b.slices.is_empty());
//! assert_eq!(b.terminal_value, Some(Decimal::from(25)));
//! // Only the model's years can be explained.
//! let outside = explain(&model, &model.trajectories[0], 2026).unwrap_err().to_string();
//! assert_eq!(outside, "the model has no year 2026: its years are 2024 to 2025");
//! ```

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use rust_decimal::Decimal;

use super::deal::{Deal, RoundApplied, RoundPolicy};
use super::error::EngineError;
use super::regimes::{Recorder, Regime, Scratch, YearRow, discount_factors, run_path};
use super::series::Path;
use super::waterfall::{Event, Observer};
use crate::model::{Model, PartyId, RevenueShare, Trajectory, Year};

/// Why a year cannot be explained.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExplainError {
    /// The year is not one of the model's (start_year..=end_year).
    #[error("the model has no year {year}: its years are {first} to {last}")]
    YearOutside { year: Year, first: Year, last: Year },
    /// The engine cannot compute the trajectory (the same error `compare` gives).
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The year's split has more slices, payments, cap rooms and events than
    /// [`MAX_ENTRIES`]: the recorder stopped keeping them there, so that a waterfall of
    /// thousands of capped parties cannot fill the memory before being refused.
    #[error("the {year} split has more than {limit} slices, payments, cap rooms and events")]
    TooManyEntries { year: Year, limit: usize },
}

/// The most slices, payments, cap rooms and events [`explain`] keeps of a year's waterfall
/// (about 50 MB). Counted as they are recorded: 3,000 capped parties made a ledger of about
/// 1 GB before it was refused. (What an explanation writes out is bounded more tightly by
/// the binary, over the regimes it shows.)
pub const MAX_ENTRIES: usize = 1_000_000;

/// Something that happened in a slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SliceEvent {
    /// AGI was declared this year and ends the investor's rights: its shares go to the
    /// residual and its `until` amounts count as reached (on the year's first slice).
    AgiDeclared,
    /// `party` reached its `until` amount in the slice's tier.
    CapReached { party: PartyId },
    /// Every party in the tier's `until` has reached its amount: the next slice goes on
    /// in the next tier.
    TierDone { tier: usize },
}

/// Where a party of the slice's tier `until` stood before and after the slice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Room {
    pub party: PartyId,
    /// The year's cap amount minus the party's receipts so far, as the slice began.
    pub before: Decimal,
    /// The same after the slice's payments.
    pub after: Decimal,
    /// Whether it counted as having reached its amount as the slice began (it had, or its
    /// rights had ended at AGI): then it gets nothing in the slice.
    pub reached_before: bool,
    pub reached_after: bool,
}

/// A slice of the year's distributable profit: the part that went through one tier (or, once
/// every tier is done, all to the residual), cut where a party reached its cap.
#[derive(Debug, Clone, PartialEq)]
pub struct Slice {
    /// Index in `profit_share.tiers`; None once every tier is done.
    pub tier: Option<usize>,
    pub amount: Decimal,
    /// Each party's amount, in the order the engine first paid it (the residual's own share
    /// and the rest of the slice it takes are one amount). They add up to `amount`.
    pub parties: Vec<(PartyId, Decimal)>,
    /// Every party of the tier's `until` (none for the residual's slice).
    pub rooms: Vec<Room>,
    pub events: Vec<SliceEvent>,
}

/// The revenue share of a regime in the year: its terms and the cap's room.
#[derive(Debug, Clone, PartialEq)]
pub struct RevenueShareLedger {
    pub rate: Decimal,
    pub from: Year,
    pub until: Year,
    pub ends_at_agi: bool,
    pub total_cap: Option<Decimal>,
    /// Cumulative receipts before the year and after it.
    pub paid_before: Decimal,
    pub paid_after: Decimal,
    pub amount: Decimal,
    pub status: RevenueShareStatus,
}

impl RevenueShareLedger {
    /// What the cap still allows before the year's receipt (None without a cap).
    pub fn room_before(&self) -> Option<Decimal> {
        self.total_cap.map(|c| c - self.paid_before)
    }
    /// What the cap still allows after it.
    pub fn room_after(&self) -> Option<Decimal> {
        self.total_cap.map(|c| c - self.paid_after)
    }
}

/// Why the revenue share is what it is this year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevenueShareStatus {
    /// The year is outside from..=until.
    OutsideYears,
    /// It ends at AGI, which has been declared (and its cap, if any, had not been reached
    /// before: then it is `CapReached`).
    EndedAtAgi,
    /// total_cap is reached (this year or before): the amount is what was left of it.
    CapReached,
    /// rate * revenue, in full.
    Paid,
}

/// One year of one regime, taken apart.
#[derive(Debug, Clone, PartialEq)]
pub struct YearLedger {
    pub trajectory: String,
    pub regime: Regime,
    pub year: Year,
    /// Whether AGI has been declared by this year, and whether this is the year it was.
    pub agi_declared: bool,
    pub agi_this_year: bool,
    pub revenue: Decimal,
    pub profit: Decimal,
    pub valuation: Decimal,
    pub loss_carryforward: bool,
    /// The carried loss before and after this year's profit (0 without loss carryforward).
    pub carried_loss_before: Decimal,
    pub carried_loss_after: Decimal,
    /// D_t.
    pub distributable: Decimal,
    /// Whether the regime's distribution comes from the waterfall this year (regime A every
    /// year, regime B before equity.from_year): then `slices` holds the split of D_t.
    pub waterfall: bool,
    pub slices: Vec<Slice>,
    /// What the investor received from the waterfall.
    pub distribution: Decimal,
    pub revenue_share: Decimal,
    /// The revenue share's terms and cap room (None where the regime has none).
    pub revenue_share_terms: Option<RevenueShareLedger>,
    /// Whether the investor holds the stake this year (regime B from equity.from_year).
    pub stake_held: bool,
    /// The stake before and after this year's rounds (0 where none is held).
    pub stake_before: Decimal,
    pub stake_after: Decimal,
    pub rounds: Vec<RoundApplied>,
    pub holding_value: Decimal,
    pub dividend_payout: Decimal,
    pub dividend: Decimal,
    /// What was paid in: `contribution` = `paid_in` (investor.contributions) +
    /// `participation` (in rounds).
    pub contribution: Decimal,
    pub paid_in: Decimal,
    pub participation: Decimal,
    /// Compute bought from the investor this year (a take-or-pay shortfall included) and
    /// the investor's margin on it (SPEC 13); 0 without a cloud side.
    pub cloud_purchases: Decimal,
    /// The part of `cloud_purchases` that is a commitment's take-or-pay shortfall (0 but in
    /// a commitment's last year).
    pub cloud_shortfall: Decimal,
    pub cloud_income: Decimal,
    pub cash_flow: Decimal,
    pub discount_factor: Decimal,
    pub present_value: Decimal,
    /// The horizon's mark (regime B in end_year only): holding value * (1 - terminal
    /// discount), which the NPV adds at end_year's discount factor.
    pub terminal_value: Option<Decimal>,
}

/// Both regimes' ledgers of one year.
#[derive(Debug, Clone, PartialEq)]
pub struct YearLedgers {
    pub profit_share: YearLedger,
    pub equity: YearLedger,
}

impl YearLedgers {
    pub fn get(&self, regime: Regime) -> &YearLedger {
        match regime {
            Regime::ProfitShare => &self.profit_share,
            Regime::Equity => &self.equity,
        }
    }
}

/// The recorder that keeps one year of the engine's run.
#[derive(Debug, Clone, Default)]
pub struct LedgerRecorder {
    year: Year,
    /// Whether the engine is in `year`.
    current: bool,
    /// The trajectory's AGI year: AGI is declared "this year" only in it (a year before
    /// start_year makes every year of the run one after it).
    agi_year: Option<Year>,
    agi_declared: bool,
    agi_this_year: bool,
    carried: Option<(Decimal, Decimal)>,
    slices: Vec<Slice>,
    split: Vec<Decimal>,
    /// (amount, receipts after), by regime: [A, B].
    revenue_share: [Option<(Decimal, Decimal)>; 2],
    stake: Option<(Decimal, Decimal)>,
    rounds: Vec<RoundApplied>,
    rows: [Option<YearRow>; 2],
    /// The take-or-pay shortfall in this year's purchases, by regime: [A, B].
    cloud_shortfall: [Decimal; 2],
    /// Where each party is in the last slice's `parties` and `rooms`: a search of the lists
    /// made a slice of n parties take time in n squared (a tier of 400,000 parties took
    /// minutes to explain; helper-97).
    paid_at: HashMap<PartyId, usize>,
    room_at: HashMap<PartyId, usize>,
    /// Slices, payments, rooms and events kept so far, and whether one more was left out
    /// for passing [`MAX_ENTRIES`].
    entries: usize,
    overflowed: bool,
}

impl LedgerRecorder {
    /// A recorder that keeps `year` of a run whose AGI year is `agi_year`.
    pub fn new(year: Year, agi_year: Option<Year>) -> Self {
        LedgerRecorder {
            year,
            agi_year,
            ..LedgerRecorder::default()
        }
    }

    /// Counts one more entry; false (and nothing more is kept) past [`MAX_ENTRIES`].
    fn room_for_one(&mut self) -> bool {
        if self.entries >= MAX_ENTRIES {
            self.overflowed = true;
            return false;
        }
        self.entries += 1;
        true
    }
}

fn regime_index(regime: Regime) -> usize {
    match regime {
        Regime::ProfitShare => 0,
        Regime::Equity => 1,
    }
}

impl Observer<Decimal> for LedgerRecorder {
    fn slice(&mut self, _year: Year, tier: Option<usize>, amount: Decimal) {
        if !self.current || !self.room_for_one() {
            return;
        }
        // On the year's first slice, whichever it is: a year whose tiers were all done
        // before AGI has only the residual's slice, and the event was missing (helper-222).
        let events = if self.slices.is_empty() && self.agi_this_year {
            vec![SliceEvent::AgiDeclared]
        } else {
            Vec::new()
        };
        self.paid_at.clear();
        self.room_at.clear();
        self.slices.push(Slice {
            tier,
            amount,
            parties: Vec::new(),
            rooms: Vec::new(),
            events,
        });
    }

    fn paid(&mut self, party: PartyId, amount: Decimal, _room: Option<Decimal>) {
        let Some(slice) = self.slices.last_mut().filter(|_| self.current) else {
            return;
        };
        match self.paid_at.entry(party) {
            Entry::Occupied(at) => slice.parties[*at.get()].1 += amount,
            Entry::Vacant(at) => {
                if self.entries >= MAX_ENTRIES {
                    self.overflowed = true;
                    return;
                }
                self.entries += 1;
                at.insert(slice.parties.len());
                slice.parties.push((party, amount));
            }
        }
    }

    fn event(&mut self, event: Event) {
        if !self.current || self.slices.is_empty() || !self.room_for_one() {
            return;
        }
        let Some(slice) = self.slices.last_mut() else {
            return;
        };
        slice.events.push(match event {
            Event::CapReached { party, .. } => SliceEvent::CapReached { party },
            Event::TierDone { tier, .. } => SliceEvent::TierDone { tier },
        });
    }

    const ROOMS: bool = true;

    fn room(&mut self, party: PartyId, room: Decimal, reached: bool, after: bool) {
        let Some(slice) = self.slices.last_mut().filter(|_| self.current) else {
            return;
        };
        if after {
            if let Some(&at) = self.room_at.get(&party) {
                let r = &mut slice.rooms[at];
                r.after = room;
                r.reached_after = reached;
            }
        } else {
            if self.entries >= MAX_ENTRIES {
                self.overflowed = true;
                return;
            }
            self.entries += 1;
            // A party's first room is the one its `after` updates, as a search from the
            // start found it.
            self.room_at.entry(party).or_insert(slice.rooms.len());
            slice.rooms.push(Room {
                party,
                before: room,
                after: room,
                reached_before: reached,
                reached_after: reached,
            });
        }
    }
}

impl Recorder<Decimal> for LedgerRecorder {
    fn year(&mut self, year: Year, agi_declared: bool) {
        self.current = year == self.year;
        if self.current {
            self.agi_declared = agi_declared;
            self.agi_this_year = agi_declared && self.agi_year == Some(year);
        }
    }
    fn row(&mut self, regime: Regime, row: &YearRow) {
        if self.current {
            self.rows[regime_index(regime)] = Some(row.clone());
        }
    }
    fn split(&mut self, _year: Year, by_party: &[Decimal]) {
        if self.current {
            self.split = by_party.to_vec();
        }
    }
    fn carried_loss(&mut self, _year: Year, before: Decimal, after: Decimal) {
        if self.current {
            self.carried = Some((before, after));
        }
    }
    fn revenue_share(&mut self, regime: Regime, _year: Year, amount: Decimal, paid: Decimal) {
        if self.current {
            self.revenue_share[regime_index(regime)] = Some((amount, paid));
        }
    }
    fn rounds(&mut self, _year: Year, before: Decimal, after: Decimal, _skipped: u32) {
        if self.current {
            self.stake = Some((before, after));
        }
    }
    fn round(&mut self, round: &RoundApplied) {
        if self.current {
            self.rounds.push(*round);
        }
    }
    fn cloud_shortfall(&mut self, regime: Regime, _year: Year, shortfall: Decimal) {
        if self.current {
            self.cloud_shortfall[regime_index(regime)] += shortfall;
        }
    }
}

/// The ledgers of `year` on `trajectory`, both regimes, from one exact run of the engine.
pub fn explain(
    model: &Model,
    trajectory: &Trajectory,
    year: Year,
) -> Result<YearLedgers, ExplainError> {
    if year < model.start_year || year > model.end_year {
        return Err(ExplainError::YearOutside {
            year,
            first: model.start_year,
            last: model.end_year,
        });
    }
    let named = |mut e: EngineError| {
        e.trajectory = trajectory.name.clone();
        ExplainError::Engine(e)
    };
    let discount = discount_factors(model)?;
    let path = Path::of(model, trajectory)?;
    let deal = Deal::<Decimal>::of(model, &discount);
    let mut scratch = Scratch::new(&deal);
    scratch.set_waterfall_unit(super::deal::waterfall_dp(model, &path));
    let mut record = LedgerRecorder::new(year, trajectory.agi_year);
    let outcome = run_path(
        &deal,
        path.as_ref(trajectory.agi_year),
        RoundPolicy::Error,
        &mut scratch,
        &mut record,
    )
    .map_err(named)?;
    if record.overflowed {
        return Err(ExplainError::TooManyEntries {
            year,
            limit: MAX_ENTRIES,
        });
    }
    let missing = || {
        named(EngineError {
            trajectory: String::new(),
            year: Some(year),
            field: String::new(),
            message: "the engine did not report this year (a bug in stakeshift)".into(),
        })
    };
    let [Some(row_a), Some(row_b)] = record.rows.clone() else {
        return Err(missing());
    };
    let index = (year - model.start_year) as usize;
    let held = index >= deal.equity_from;
    let (carried_before, carried_after) = record.carried.unwrap_or((Decimal::ZERO, Decimal::ZERO));
    let paid_in = deal.contributions[index];
    let revenue_share_terms = |regime: Regime, terms: Option<&RevenueShare>| {
        let terms = terms?;
        let (amount, paid_after) = record.revenue_share[regime_index(regime)]?;
        let paid_before = paid_after - amount;
        let status = if year < terms.from || year > terms.until {
            RevenueShareStatus::OutsideYears
        } else if terms.total_cap.is_some_and(|cap| paid_after >= cap) {
            // Before AGI's end: a cap reached in an earlier year (nothing paid since, so
            // paid_after is paid_before) had ended the share first (helper-291).
            RevenueShareStatus::CapReached
        } else if terms.ends_at_agi && record.agi_declared {
            RevenueShareStatus::EndedAtAgi
        } else {
            RevenueShareStatus::Paid
        };
        Some(RevenueShareLedger {
            rate: terms.rate,
            from: terms.from,
            until: terms.until,
            ends_at_agi: terms.ends_at_agi,
            total_cap: terms.total_cap,
            paid_before,
            paid_after,
            amount,
            status,
        })
    };
    let ledger = |regime: Regime,
                  row: &YearRow,
                  waterfall: bool,
                  stake_held: bool,
                  terms: Option<&RevenueShare>| {
        let (stake_before, stake_after) = match record.stake.filter(|_| stake_held) {
            Some(s) => s,
            None => (Decimal::ZERO, Decimal::ZERO),
        };
        YearLedger {
            trajectory: trajectory.name.clone(),
            regime,
            year,
            agi_declared: record.agi_declared,
            agi_this_year: record.agi_this_year,
            revenue: row.revenue,
            profit: row.profit,
            valuation: row.valuation,
            loss_carryforward: deal.loss_carryforward,
            carried_loss_before: carried_before,
            carried_loss_after: carried_after,
            distributable: row.distributable,
            waterfall,
            slices: if waterfall {
                record.slices.clone()
            } else {
                Vec::new()
            },
            distribution: row.distribution,
            revenue_share: row.revenue_share,
            revenue_share_terms: revenue_share_terms(regime, terms),
            stake_held,
            stake_before,
            stake_after,
            rounds: if stake_held {
                record.rounds.clone()
            } else {
                Vec::new()
            },
            holding_value: row.holding_value,
            dividend_payout: if stake_held {
                deal.dividend_payout
            } else {
                Decimal::ZERO
            },
            dividend: row.dividend,
            contribution: row.contribution,
            paid_in,
            participation: row.contribution - paid_in,
            cloud_purchases: row.cloud_purchases,
            cloud_shortfall: record.cloud_shortfall[regime_index(regime)],
            cloud_income: row.cloud_income,
            cash_flow: row.cash_flow,
            discount_factor: row.discount_factor,
            present_value: row.present_value,
            terminal_value: (regime == Regime::Equity && year == model.end_year)
                .then_some(outcome.equity.terminal_value),
        }
    };
    Ok(YearLedgers {
        profit_share: ledger(
            Regime::ProfitShare,
            &row_a,
            true,
            false,
            model.profit_share.revenue_share.as_ref(),
        ),
        equity: ledger(
            Regime::Equity,
            &row_b,
            !held,
            held,
            model.equity.revenue_share.as_ref(),
        ),
    })
}
