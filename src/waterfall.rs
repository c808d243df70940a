//! The capped profit-sharing waterfall (SPEC section 3, steps 2 and 3): how one year's
//! distributable profit is split among the parties, tier by tier, with each party's cap met
//! exactly at the point it is reached.
//!
//! Conservation is by construction: in every slice the residual gets the slice minus what
//! the others got, so the year's receipts add up to the distributable profit to the last
//! unit of the 28-digit decimal.

use rust_decimal::prelude::*;

use crate::model::{PartyId, ProfitShare, Tier, Year};

/// Something that happened in the waterfall, for charts and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// `party` reached its `until` amount in `tier` during `year`.
    CapReached { year: Year, tier: usize, party: PartyId },
    /// Every party in `tier`'s `until` had reached its amount by the end of a slice in `year`.
    TierDone { year: Year, tier: usize },
}

/// What the waterfall carries from year to year: each party's receipts so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Waterfall<'m> {
    terms: &'m ProfitShare,
    investor: PartyId,
    /// Cumulative receipts, all years and tiers, by party.
    received: Vec<Decimal>,
    /// Per tier, aligned with its `until`: this year's cap amounts (grown by cap_growth).
    caps: Vec<Vec<Decimal>>,
}

/// A cap amount that cannot be held (growth compounding past 7.9e28).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapOverflow {
    pub tier: usize,
}

impl<'m> Waterfall<'m> {
    pub fn new(terms: &'m ProfitShare, investor: PartyId, parties: usize) -> Self {
        Waterfall {
            terms,
            investor,
            received: vec![Decimal::ZERO; parties],
            caps: terms
                .tiers
                .iter()
                .map(|t| t.until.iter().map(|(_, a)| *a).collect())
                .collect(),
        }
    }

    /// Cumulative receipts so far, by party.
    pub fn received(&self) -> &[Decimal] {
        &self.received
    }

    /// Splits `distributable` (>= 0) for `year`, adding each party's receipts to `out`
    /// (indexed by party) and any events to `events`. `agi` is whether AGI has been declared
    /// by this year.
    pub fn distribute(
        &mut self,
        year: Year,
        distributable: Decimal,
        agi: bool,
        out: &mut [Decimal],
        events: &mut Vec<Event>,
    ) -> Result<(), CapOverflow> {
        for (i, tier) in self.terms.tiers.iter().enumerate() {
            let factor = cap_factor(tier, year).ok_or(CapOverflow { tier: i })?;
            for (cap, (_, amount)) in self.caps[i].iter_mut().zip(&tier.until) {
                *cap = amount.checked_mul(factor).ok_or(CapOverflow { tier: i })?;
            }
        }
        let investor_out = agi && self.terms.investor_rights_end_at_agi;
        let residual = self.terms.residual;
        let mut remaining = distributable;
        // Within a year caps are fixed and receipts only grow, so the active tier never moves
        // back: each search starts where the last one ended.
        let mut first_open = 0;
        while remaining > Decimal::ZERO {
            let Some(t) = (first_open..self.terms.tiers.len()).find(|&t| !self.tier_done(t, investor_out))
            else {
                out[residual] += remaining;
                self.received[residual] += remaining;
                break;
            };
            first_open = t;
            let tier = &self.terms.tiers[t];

            // The slice: all that is left, or less where a party reaches its cap first.
            let mut slice = remaining;
            for (k, &(party, _)) in tier.until.iter().enumerate() {
                let share = tier.share_of(party);
                if share.is_zero() || self.capped(t, k, investor_out) {
                    continue;
                }
                let room = self.caps[t][k] - self.received[party];
                // A quotient too large to hold is a slice larger than any profit.
                if let Some(at) = room.checked_div(share) {
                    if at < slice {
                        slice = at;
                    }
                }
            }

            let mut given = Decimal::ZERO;
            let mut last_paid: Option<PartyId> = None;
            for &(party, share) in &tier.shares {
                if share.is_zero() || (investor_out && party == self.investor) {
                    continue;
                }
                let amount = match tier.until.iter().position(|(p, _)| *p == party) {
                    Some(k) => {
                        if self.capped(t, k, investor_out) {
                            continue;
                        }
                        let room = self.caps[t][k] - self.received[party];
                        let full = share * slice;
                        // The party that set the slice gets exactly its room, so the cap is
                        // met to the last unit, whatever the division above rounded to.
                        if full >= room || room.checked_div(share) == Some(slice) {
                            events.push(Event::CapReached { year, tier: t, party });
                            room
                        } else {
                            full
                        }
                    }
                    None => share * slice,
                };
                out[party] += amount;
                self.received[party] += amount;
                given += amount;
                last_paid = Some(party);
            }
            let mut rest = slice - given;
            if rest < Decimal::ZERO {
                // Rounding dust when the shares add up to exactly 1: take it back from the
                // last payee so that nobody receives a negative amount.
                if let Some(p) = last_paid {
                    out[p] += rest;
                    self.received[p] += rest;
                }
                rest = Decimal::ZERO;
            }
            out[residual] += rest;
            self.received[residual] += rest;
            remaining -= slice;
            if self.tier_done(t, investor_out) {
                events.push(Event::TierDone { year, tier: t });
            }
        }
        Ok(())
    }

    /// Whether the `k`th party of tier `t`'s `until` has reached its amount this year.
    fn capped(&self, t: usize, k: usize, investor_out: bool) -> bool {
        let party = self.terms.tiers[t].until[k].0;
        (investor_out && party == self.investor) || self.received[party] >= self.caps[t][k]
    }

    fn tier_done(&self, t: usize, investor_out: bool) -> bool {
        let tier = &self.terms.tiers[t];
        !tier.until.is_empty()
            && (0..tier.until.len()).all(|k| self.capped(t, k, investor_out))
    }
}

/// (1 + cap_growth)^max(0, year - cap_growth_from); None where it cannot be held.
fn cap_factor(tier: &Tier, year: Year) -> Option<Decimal> {
    let n = i64::from(year) - i64::from(tier.cap_growth_from);
    if tier.cap_growth.is_zero() || n <= 0 {
        return Some(Decimal::ONE);
    }
    (Decimal::ONE + tier.cap_growth).checked_powi(n)
}
