//! The capped profit-sharing waterfall (SPEC section 3, steps 2 and 3): how one year's
//! distributable profit is split among the parties, tier by tier, with each party's cap met
//! exactly at the point it is reached.
//!
//! Conservation is exact, by construction. The waterfall counts in units of 1e-12 of the
//! model's unit ([`WATERFALL_DP`] places, far below the 6 that are printed; finer on a path
//! whose amounts are all below 1, so that the unit stays within 1e-12 of them, and by the
//! places of the smallest share, since a slice that ends at a cap ends at room / share:
//! [`super::deal::waterfall_dp`]): caps, slices that end at a cap and every payment but the
//! residual's are whole multiples of that unit, and the distributable profit and the
//! residual's rests are exact decimals beside them, so sums and differences never round
//! (within a decimal's 28 digits, which the unit is chosen to leave room for). A slice that
//! ends at a cap is rounded down to the unit, the
//! party that reaches the cap gets exactly its remaining room, the others their shares of the
//! tier's slices so far this year rounded down, less what those slices gave them before (a
//! share of several slices is rounded once, not once a slice), and the residual the rest of
//! the slice; so every year the receipts add up to the distributable profit exactly, and no
//! cap is passed.
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift_core::engine::deal::waterfall_dp;
//! use stakeshift_core::engine::series::Path;
//! use stakeshift_core::engine::waterfall::Waterfall;
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
//! let (terms, fund) = (&model.profit_share, model.investor.party);
//! // Its amounts reach 1 (revenue 100), and its smallest share is 0.5 (a unit of room is
//! // two of profit): the unit is 1e-13.
//! let path = Path::of(&model, &model.trajectories[0]).unwrap();
//! assert_eq!(waterfall_dp(&model, &path), 13);
//! let mut waterfall = Waterfall::<Decimal>::new(terms, fund, model.parties.len(), 12);
//! let mut paid = [vec![Decimal::ZERO; 2], vec![Decimal::ZERO; 2]];
//! // Parties: 0 the fund (the investor), 1 the founders (the residual).
//! // 16 in 2024: half each; the fund is 2 short of its 10.
//! waterfall.distribute(2024, Decimal::from(16), false, &mut paid[0], &mut ()).unwrap();
//! // 10 in 2025: a slice of 2 / 0.5 = 4 brings the fund to exactly 10 (2 each); the tier
//! // is done, and the other 6 go to the residual.
//! waterfall.distribute(2025, Decimal::TEN, false, &mut paid[1], &mut ()).unwrap();
//! let [two, eight] = [Decimal::TWO, Decimal::from(8)];
//! assert_eq!(paid, [[eight, eight], [two, eight]]);
//! ```

use std::collections::HashMap;

use rust_decimal::prelude::*;

use super::number::Num;
pub use super::number::WATERFALL_DP;
use crate::model::{PartyId, ProfitShare, Year};

/// How near, in units of profit, a party's own closing point (its room over its share) may
/// lie past the end of a slice that another party's cap ends, and still count as closing
/// with it: the units that rounding leaves in rooms (receipts are rounded down to the unit
/// each year and each slice, and a slice's end is a room over a share rounded down) part
/// caps that, counted exactly, close at one point (helper-112). In units of profit, not of
/// room: a party of a tiny share whose room is a few units short is many units of profit
/// short of closing (helper-113: a share of 1e-9 closed years early).
const CLOSE_TOGETHER_UNITS: u32 = 16;

/// Something that happened in the waterfall, for charts and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// `party` reached its `until` amount in `tier` during `year`.
    CapReached {
        year: Year,
        tier: usize,
        party: PartyId,
    },
    /// Every party in `tier`'s `until` had reached its amount by the end of a slice in `year`.
    TierDone { year: Year, tier: usize },
}

/// What a caller may want to know of a year's split, slice by slice (the engine's own
/// amounts, so that a ledger built from them adds up exactly). Every method does nothing by
/// default: the simulation passes `()` and pays nothing for it.
pub trait Observer<N> {
    /// A slice of this year's distributable profit begins: `tier` is None once every tier is
    /// done (the slice then all goes to the residual).
    fn slice(&mut self, _year: Year, _tier: Option<usize>, _amount: N) {}
    /// `party` gets `amount` of the current slice; `room` is what it could still receive in
    /// the tier before this payment (None for a party without an `until` in it). The
    /// payments of a slice add up to the slice; only the residual's can be below 0 (by a
    /// unit or so, where a short slice pays out what the tier's earlier slices left it).
    fn paid(&mut self, _party: PartyId, _amount: N, _room: Option<N>) {}
    fn event(&mut self, _event: Event) {}

    /// Whether [`Observer::room`] is wanted: a const, so that the loops that report rooms
    /// are compiled out for observers that do not want them.
    const ROOMS: bool = false;
    /// Where a party of the active tier's `until` stands: its room (the year's cap amount
    /// minus its receipts so far) and whether it counts as having reached its amount (it
    /// has, or its rights ended at AGI), once as the slice begins (`after` false) and once
    /// after the slice's payments (`after` true). Only called when `ROOMS` is true.
    fn room(&mut self, _party: PartyId, _room: N, _reached: bool, _after: bool) {}
}

impl<N> Observer<N> for () {}

/// Collects the events only.
impl<N> Observer<N> for Vec<Event> {
    fn event(&mut self, event: Event) {
        self.push(event);
    }
}

/// A share of a tier: the party, its share, and where it is in the tier's `until`.
#[derive(Debug, Clone, PartialEq)]
struct Share<N> {
    party: PartyId,
    share: N,
    until: Option<usize>,
}

/// A party's `until` amount in a tier, with its share there.
#[derive(Debug, Clone, PartialEq)]
struct Cap<N> {
    party: PartyId,
    amount: N,
    share: N,
}

/// One tier in the engine's number type.
#[derive(Debug, Clone, PartialEq)]
struct TierTerms<N> {
    shares: Vec<Share<N>>,
    until: Vec<Cap<N>>,
    /// 1 + cap_growth and cap_growth_from, where the caps grow.
    growth: Option<(N, Year)>,
}

/// Why a year's split could not be made (the engine words it for the model's field:
/// `profit_share.tiers[i]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WaterfallError {
    /// A cap amount that cannot be held (growth compounding past 7.9e28).
    #[error(
        "profit_share.tiers[{tier}].cap_growth: the grown `until` amounts are too large to hold"
    )]
    CapOverflow { tier: usize },
    /// The split took more slices than there are caps, so some slice closed no cap: terms
    /// that validation refuses (a party twice in a tier, shares adding up to more than 1).
    /// An error rather than a loop that would run for ever.
    #[error("profit_share.tiers[{tier}]: the waterfall made a slice that closed no cap")]
    NoProgress { tier: usize },
}

/// The waterfall's terms and what it carries from year to year: each party's receipts so
/// far. [`Waterfall::restore`] puts it back where a run stood (a simulated path resumes
/// from its center's first years) without allocating.
#[derive(Debug, Clone, PartialEq)]
pub struct Waterfall<N = Decimal> {
    tiers: Vec<TierTerms<N>>,
    investor: PartyId,
    residual: PartyId,
    investor_rights_end_at_agi: bool,
    /// Cumulative receipts, all years and tiers, by party.
    received: Vec<N>,
    /// Per tier, aligned with its `until`: this year's cap amounts (grown by cap_growth).
    caps: Vec<Vec<N>>,
    /// Number of `until` entries over all tiers: the bound on slices per year (see
    /// [`Waterfall::distribute`]).
    cap_count: usize,
    /// Whether any tier's caps grow (cap_growth), so that a year's caps can fail to be held.
    caps_grow: bool,
    /// Whether a year's split can ever be left out for an investor that can receive
    /// nothing more: it is not the residual, no tier's caps grow, and the terms are ones
    /// validation accepts (no party twice in a tier's shares or `until`, shares adding up
    /// to at most 1; [`Waterfall::distribute`] may stop other terms' split with an error,
    /// which a year left out would not raise).
    can_leave_out: bool,
    /// The (tier, index in its `until`) of the investor's cap in every tier that gives it a
    /// share; None where a tier gives it a share without a cap.
    investor_caps: Option<Vec<(usize, usize)>>,
    /// Where the investor has reached its `until` amount in every tier that gives it a
    /// share, from `investor_caps` and the caps in the unit counted in: receipts of at least
    /// the largest of those caps (`Some(None)` where no tier gives it a share); None where
    /// never. Kept with the caps ([`Waterfall::set_unit`]), which do not grow where it is
    /// used (`can_leave_out`).
    investor_full_at: Option<Option<N>>,
    /// Per party of the active tier's `until`: room / share as the slice was computed from
    /// it (so that the payments need not divide again); None where it was not computed.
    quotients: Vec<Option<Quotient<N>>>,
    /// The decimal places of the unit it counts in ([`super::deal::waterfall_dp`]).
    dp: u32,
    /// Per share of the tier being paid this year (aligned with its `shares`): what it has
    /// received from the tier's slices so far this year, each payment being its share of
    /// all those slices rounded down to the unit, less this (see `distribute`).
    run_given: Vec<N>,
}

/// Whether a tier's terms are ones validation accepts: no party twice in its shares or in
/// its `until`, and shares adding up to at most 1.
fn well_formed(tier: &crate::model::Tier) -> bool {
    let mut seen = std::collections::HashSet::new();
    let shares_once = tier.shares.iter().all(|(p, _)| seen.insert(*p));
    seen.clear();
    let caps_once = tier.until.iter().all(|(p, _)| seen.insert(*p));
    let total: Decimal = tier.shares.iter().map(|(_, s)| *s).sum();
    shares_once && caps_once && total <= Decimal::ONE
}

/// room / share rounded down to the unit (None where it cannot be held), with its operands.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Quotient<N> {
    room: N,
    share: N,
    at: Option<N>,
}

impl<N: Num> Waterfall<N> {
    /// The waterfall of `terms`, counting in units of `dp` decimal places (for `Decimal`).
    pub fn new(terms: &ProfitShare, investor: PartyId, parties: usize, dp: u32) -> Self {
        let tiers: Vec<TierTerms<N>> = terms
            .tiers
            .iter()
            .map(|t| {
                // Index maps, not list scans: a tier of many parties is set up in linear time.
                // Where a party is listed twice (only a model built in code can), the first
                // entry counts, as a scan from the front would find it.
                let mut share_of: HashMap<PartyId, Decimal> = HashMap::new();
                for &(party, share) in &t.shares {
                    share_of.entry(party).or_insert(share);
                }
                let mut until_of: HashMap<PartyId, usize> = HashMap::new();
                for (k, &(party, _)) in t.until.iter().enumerate() {
                    until_of.entry(party).or_insert(k);
                }
                (t, share_of, until_of)
            })
            .map(|(t, share_of, until_of)| TierTerms {
                shares: t
                    .shares
                    .iter()
                    .map(|&(party, share)| Share {
                        party,
                        share: N::from_decimal(share),
                        until: until_of.get(&party).copied(),
                    })
                    .collect(),
                until: t
                    .until
                    .iter()
                    .map(|&(party, amount)| Cap {
                        party,
                        amount: N::from_decimal(amount),
                        share: N::from_decimal(
                            share_of.get(&party).copied().unwrap_or(Decimal::ZERO),
                        ),
                    })
                    .collect(),
                growth: (!t.cap_growth.is_zero()).then(|| {
                    (
                        N::from_decimal(Decimal::ONE + t.cap_growth),
                        t.cap_growth_from,
                    )
                }),
            })
            .collect();
        let caps = tiers
            .iter()
            .map(|t| t.until.iter().map(|c| c.amount.unit_down(dp)).collect())
            .collect();
        let caps_grow = tiers.iter().any(|t| t.growth.is_some());
        let mut waterfall = Waterfall {
            investor,
            residual: terms.residual,
            investor_rights_end_at_agi: terms.investor_rights_end_at_agi,
            received: vec![N::ZERO; parties],
            caps,
            cap_count: terms.tiers.iter().map(|t| t.until.len()).sum(),
            caps_grow,
            can_leave_out: terms.residual != investor
                && !caps_grow
                && terms.tiers.iter().all(well_formed),
            investor_caps: tiers
                .iter()
                .enumerate()
                .flat_map(|(t, tier)| {
                    tier.shares
                        .iter()
                        .filter(|s| s.party == investor && !s.share.is_zero())
                        .map(move |s| s.until.map(|k| (t, k)))
                })
                .collect(),
            investor_full_at: None,
            quotients: vec![None; tiers.iter().map(|t| t.until.len()).max().unwrap_or(0)],
            run_given: vec![N::ZERO; tiers.iter().map(|t| t.shares.len()).max().unwrap_or(0)],
            tiers,
            dp,
        };
        waterfall.set_investor_full_at();
        waterfall
    }

    /// [`Waterfall::investor_full_at`] for the present caps.
    fn set_investor_full_at(&mut self) {
        self.investor_full_at = self.investor_caps.as_ref().map(|caps| {
            caps.iter()
                .map(|&(t, k)| self.caps[t][k])
                .reduce(|a, b| a.max_of(b))
        });
    }

    /// The decimal places of the unit it counts in.
    pub fn dp(&self) -> u32 {
        self.dp
    }

    /// Counts in units of `dp` decimal places from now on (for a new path: the caps are
    /// rounded to the new unit again).
    pub fn set_unit(&mut self, dp: u32) {
        self.dp = dp;
        for (caps, tier) in self.caps.iter_mut().zip(&self.tiers) {
            for (cap, c) in caps.iter_mut().zip(&tier.until) {
                // Down, so that no cap is passed: an `until` of more places than the unit,
                // rounded up, held a tier open past where it closes (helper-113).
                *cap = c.amount.unit_down(dp);
            }
        }
        self.set_investor_full_at();
    }

    /// room / share rounded down to the unit, for the `k`th party of the active tier's
    /// `until`: as computed for the slice where it was computed with these very numbers (as
    /// it always is for valid terms), else again.
    #[inline(always)]
    fn room_over_share(&self, k: usize, room: N, share: N) -> Option<N> {
        match self.quotients[k] {
            Some(q) if q.room == room && q.share == share => q.at,
            _ => room.checked_div(share).map(|q| q.unit_down(self.dp)),
        }
    }

    /// Whether the investor can receive nothing more from the waterfall, in this year and
    /// every later one of the path: it is not the residual, no tier's caps grow (their
    /// growth is computed every year, and can fail), the terms are ones validation accepts,
    /// and its rights have ended at AGI (`agi`: declared by this year) or it has reached its
    /// `until` amount in every tier that gives it a share. Its receipts never fall (the dust
    /// taken back in f64 comes from a party paid and not capped in that slice), AGI once
    /// declared stays declared, and fixed caps never reopen, so once true it stays true; and
    /// a split of such a year would pay it nothing and raise no error.
    #[inline]
    pub fn investor_receives_nothing_more(&self, agi: bool) -> bool {
        if !self.can_leave_out {
            return false;
        }
        if agi && self.investor_rights_end_at_agi {
            return true;
        }
        // Reached in every such tier: at least the largest of their caps.
        match self.investor_full_at {
            Some(Some(cap)) => self.received[self.investor] >= cap,
            Some(None) => true,
            None => false,
        }
    }

    /// Whether [`Waterfall::distribute`] does anything in a year with nothing to
    /// distribute: only where caps grow (their growth is computed, and can fail to be held,
    /// every year); else such a year pays nobody and tells the observer nothing.
    pub fn works_on_nothing(&self) -> bool {
        self.caps_grow
    }

    /// Back to where a run stood: `received` is [`Waterfall::received`] at that point.
    pub fn restore(&mut self, received: &[N]) {
        self.received.copy_from_slice(received);
    }

    /// Cumulative receipts so far, by party.
    pub fn received(&self) -> &[N] {
        &self.received
    }

    /// Splits `distributable` (>= 0, exact: the residual takes the digits below the unit) for
    /// `year`, adding each party's receipts to `out` (indexed by party) and telling
    /// `observer` about each slice, payment and event. `agi` is whether AGI has been
    /// declared by this year.
    // Called every year with profit: offered for inlining into the engine's yearly loop.
    #[inline]
    pub fn distribute<O: Observer<N>>(
        &mut self,
        year: Year,
        distributable: N,
        agi: bool,
        out: &mut [N],
        observer: &mut O,
    ) -> Result<(), WaterfallError> {
        if self.caps_grow {
            self.grow_caps(year)?;
        }
        let investor_out = agi && self.investor_rights_end_at_agi;
        let residual = self.residual;
        let mut remaining = distributable;
        // Within a year caps are fixed and the receipts of every capped party only grow (only
        // the residual, which has no cap, can be paid below 0), so the active tier never
        // moves back: each search starts where the last one ended.
        let mut first_open = 0;
        // Why this loop ends. A slice is either all that remains (the last slice) or ends
        // where a capped party's room runs out: that party is given exactly its room, so its
        // cap closes. Within a year caps are fixed and capped parties' receipts only grow
        // (dust taken back below never comes from a party that has just reached its cap), so
        // a closed cap stays closed. Hence every slice but the last closes at least one of the
        // `cap_count` caps, and a year takes at most `cap_count + 1` slices. Terms that
        // break the premises (which validation refuses, but a model can be built in code:
        // a party twice in one tier) are stopped at that bound with an error, never looped on.
        let max_slices = self.cap_count + 1;
        let mut slices = 0;
        // The tier whose slices are being paid this year, and their total so far: a party's
        // payment from a slice is its share of the run's total rounded down to the unit,
        // less what it has had from the run's earlier slices, so that a party paid from
        // several slices of a tier in a year gets its share of their sum rounded down once,
        // not once a slice (which put 2.000000499999 where 0.5 x 4.000001 = 2.0000005 is
        // owed, and printed 2.000000 for 2.000001).
        let mut run_tier = usize::MAX;
        let mut run_total = N::ZERO;
        // What the residual has had as the rest of the run's slices.
        let mut residual_rest = N::ZERO;
        while remaining > N::ZERO {
            while first_open < self.tiers.len() && self.tier_done(first_open, investor_out) {
                first_open += 1;
            }
            let Some(t) = (first_open < self.tiers.len()).then_some(first_open) else {
                observer.slice(year, None, remaining);
                observer.paid(residual, remaining, None);
                out[residual] += remaining;
                self.received[residual] += remaining;
                break;
            };
            slices += 1;
            if slices > max_slices {
                return Err(WaterfallError::NoProgress { tier: t });
            }
            let tier = &self.tiers[t];
            if t != run_tier {
                run_tier = t;
                run_total = N::ZERO;
                residual_rest = N::ZERO;
                self.run_given.fill(N::ZERO);
            }

            // The slice: all that is left, or less where a party reaches its cap first.
            let mut slice = remaining;
            for ((cap, &amount), quotient) in tier
                .until
                .iter()
                .zip(&self.caps[t])
                .zip(self.quotients.iter_mut())
            {
                *quotient = None;
                if cap.share.is_zero() || (investor_out && cap.party == self.investor) {
                    continue;
                }
                // The room left; a party with none has reached its cap (`capped`: the
                // receipts are at least the cap exactly when the difference is not > 0).
                let room = amount - self.received[cap.party];
                if room <= N::ZERO {
                    continue;
                }
                // A quotient too large to hold is a slice larger than any profit.
                let at = room.checked_div(cap.share).map(|q| q.unit_down(self.dp));
                *quotient = Some(Quotient {
                    room,
                    share: cap.share,
                    at,
                });
                if let Some(at) = at
                    && at < slice
                {
                    slice = at;
                }
            }
            observer.slice(year, Some(t), slice);
            if O::ROOMS {
                self.report_rooms(t, investor_out, false, observer);
            }

            let mut given = N::ZERO;
            let mut last_paid: Option<(PartyId, usize)> = None;
            let run_after = run_total + slice;
            let slice_ends_at_a_cap = slice < remaining;
            let least = if N::EXACT { -residual_rest } else { N::ZERO };
            // In decimals, what the slice can give parties beyond their shares (see
            // CLOSE_TOGETHER_UNITS) without the residual's rest over the run going below 0:
            // the slice less every payee's share of it (a unit more for each capped party,
            // which may get its room where that is a unit more than its share).
            let mut spare = if N::EXACT {
                self.spare_in_slice(t, slice, run_after, investor_out) - least
            } else {
                N::ZERO
            };
            for (j, s) in tier.shares.iter().enumerate() {
                let (party, share) = (s.party, s.share);
                if share.is_zero() || (investor_out && party == self.investor) {
                    continue;
                }
                // The share of the run's slices up to this one, less what they gave before.
                let owed = (share * run_after).share_unit_down(self.dp) - self.run_given[j];
                let mut reached = false;
                let (amount, room) = match s.until {
                    Some(k) => {
                        if self.capped(t, k, investor_out) {
                            continue;
                        }
                        let room = self.caps[t][k] - self.received[party];
                        // The party that set the slice gets exactly its room, so the cap is
                        // met to the last unit, whatever the division above rounded to; so
                        // does a party that its share would leave within a few units of its
                        // cap: where caps close at one point, the units that rounding left
                        // in their rooms (each room / share rounded down to the unit) had
                        // made a second slice of almost nothing, or, with shares of 1e-7,
                        // of 3e-6 given to the residual (helper-112). (f64 counts in no
                        // unit: only a party its share fills.)
                        let sets_slice =
                            owed >= room || self.room_over_share(k, room, share) == Some(slice);
                        let closes_with_it = N::EXACT
                            && slice_ends_at_a_cap
                            && !sets_slice
                            && room - owed <= share * N::units(CLOSE_TOGETHER_UNITS, self.dp)
                            && room - owed <= spare;
                        if closes_with_it {
                            spare -= room - owed;
                        }
                        let amount = if sets_slice || closes_with_it {
                            observer.event(Event::CapReached {
                                year,
                                tier: t,
                                party,
                            });
                            reached = true;
                            room
                        } else {
                            owed
                        };
                        (amount, Some(room))
                    }
                    None => (owed, None),
                };
                self.run_given[j] += amount;
                out[party] += amount;
                self.received[party] += amount;
                if reached && let Some(k) = s.until {
                    // Exact in decimals; in f64 the sum may fall an ulp short of the cap,
                    // and a cap reached must count as reached (or the loop would go on).
                    self.received[party] = self.received[party].max_of(self.caps[t][k]);
                }
                given += amount;
                if !reached {
                    last_paid = Some((party, j));
                }
                observer.paid(party, amount, room);
            }
            let mut rest = slice - given;
            // In decimals the residual takes the rest of the slice even where the payments
            // came to more than it, down to 0 for its rest over the run: a party's payment is
            // its share of the run rounded down less what it had, so a short slice can pay
            // out units that the run's earlier slices left to the residual. With exact
            // products its rest over the run never goes below 0 (each party's receipts from
            // the run are at most its share of the run's total, and the party that set a
            // slice gets less than a unit more), so nothing is taken back from a party: no
            // other payment is negative and no closed cap reopens. (Taking the excess back
            // from the last payee every time, as f64 does with its dust, broke conservation
            // where every payee had just reached its cap, paid -1e-12 and reopened a cap: a
            // review, 2026-12-05.) Where a product was rounded up at the 28th place (a unit
            // of 1e-28, amounts below 1e-16: a second review), the excess beyond the
            // residual's rest is taken back as f64's dust is.
            if rest < least {
                // Rounding dust (in f64 when the shares add up to exactly 1): take it back
                // from the last payee that did not just reach its cap, so that nobody
                // receives a negative amount and no closed cap reopens.
                if let Some((p, j)) = last_paid {
                    let dust = rest - least;
                    out[p] += dust;
                    self.received[p] += dust;
                    self.run_given[j] += dust;
                    observer.paid(p, dust, None);
                }
                rest = least;
            }
            residual_rest += rest;
            out[residual] += rest;
            self.received[residual] += rest;
            observer.paid(residual, rest, None);
            remaining -= slice;
            run_total = run_after;
            if O::ROOMS {
                self.report_rooms(t, investor_out, true, observer);
            }
            if self.tier_done(t, investor_out) {
                observer.event(Event::TierDone { year, tier: t });
            }
        }
        Ok(())
    }

    /// This year's cap amounts, each `until` amount grown by its tier's cap_growth.
    fn grow_caps(&mut self, year: Year) -> Result<(), WaterfallError> {
        for (i, tier) in self.tiers.iter().enumerate() {
            let Some((base, from)) = tier.growth else {
                continue;
            };
            let n = i64::from(year) - i64::from(from);
            let factor = if n <= 0 {
                N::ONE
            } else {
                base.checked_powi(n)
                    .ok_or(WaterfallError::CapOverflow { tier: i })?
            };
            for (cap, c) in self.caps[i].iter_mut().zip(&tier.until) {
                *cap = c
                    .amount
                    .checked_mul(factor)
                    .ok_or(WaterfallError::CapOverflow { tier: i })?
                    .unit_down(self.dp);
            }
        }
        Ok(())
    }

    /// Tells `observer` the room of every party in tier `t`'s `until`.
    fn report_rooms<O: Observer<N>>(
        &self,
        t: usize,
        investor_out: bool,
        after: bool,
        observer: &mut O,
    ) {
        for (k, cap) in self.tiers[t].until.iter().enumerate() {
            let room = self.caps[t][k] - self.received[cap.party];
            observer.room(cap.party, room, self.capped(t, k, investor_out), after);
        }
    }

    /// Whether the `k`th party of tier `t`'s `until` has reached its amount this year.
    #[inline(always)]
    fn capped(&self, t: usize, k: usize, investor_out: bool) -> bool {
        let party = self.tiers[t].until[k].party;
        (investor_out && party == self.investor) || self.received[party] >= self.caps[t][k]
    }

    /// `slice` less every payee's share of the run up to it (less what the run gave it
    /// before), and a unit for each party with a cap (which may get its room, up to a unit
    /// more than its share): what is left for the residual of the slice before any party
    /// closes together with another ([`CLOSE_TOGETHER_UNITS`]). Decimals only.
    fn spare_in_slice(&self, t: usize, slice: N, run_after: N, investor_out: bool) -> N {
        let tier = &self.tiers[t];
        let mut spare = slice;
        for (j, s) in tier.shares.iter().enumerate() {
            if s.share.is_zero() || (investor_out && s.party == self.investor) {
                continue;
            }
            if let Some(k) = s.until
                && self.capped(t, k, investor_out)
            {
                continue;
            }
            spare -= (s.share * run_after).share_unit_down(self.dp) - self.run_given[j];
            if s.until.is_some() {
                spare -= N::units(1, self.dp);
            }
        }
        spare
    }

    #[inline(always)]
    fn tier_done(&self, t: usize, investor_out: bool) -> bool {
        let tier = &self.tiers[t];
        if tier.until.is_empty() {
            return false;
        }
        // A plain loop: as an iterator's `all` it was not inlined.
        for (cap, &amount) in tier.until.iter().zip(&self.caps[t]) {
            let reached =
                (investor_out && cap.party == self.investor) || self.received[cap.party] >= amount;
            if !reached {
                return false;
            }
        }
        true
    }
}
