//! Hand-calculated splits. Parties: 0 microsoft (investor), 1 nonprofit (residual),
//! 2 others.

use rust_decimal::Decimal;
use stakeshift_core::engine::waterfall::*;
use stakeshift_core::model::Tier;
use stakeshift_core::model::{PartyId, ProfitShare, Year};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn tier(shares: &[(PartyId, &str)], until: &[(PartyId, &str)]) -> Tier {
    Tier {
        name: "t".into(),
        shares: shares.iter().map(|(p, s)| (*p, d(s))).collect(),
        until: until.iter().map(|(p, s)| (*p, d(s))).collect(),
        cap_growth: Decimal::ZERO,
        cap_growth_from: 2020,
    }
}

/// The old Microsoft-OpenAI terms: 75% to 13, then 49/49/2 to 92 and 150.
fn msft_terms() -> ProfitShare {
    ProfitShare {
        residual: 1,
        loss_carryforward: false,
        investor_rights_end_at_agi: true,
        tiers: vec![
            tier(&[(0, "0.75")], &[(0, "13")]),
            tier(
                &[(0, "0.49"), (2, "0.49"), (1, "0.02")],
                &[(0, "92"), (2, "150")],
            ),
        ],
        revenue_share: None,
    }
}

fn split(w: &mut Waterfall, year: Year, d_t: &str, agi: bool) -> (Vec<Decimal>, Vec<Event>) {
    let mut out = vec![Decimal::ZERO; 3];
    let mut events = Vec::new();
    w.distribute(year, d(d_t), agi, &mut out, &mut events)
        .unwrap();
    (out, events)
}

#[test]
fn cap_reached_part_way_through_a_year_is_met_exactly() {
    let terms = msft_terms();
    let mut w = Waterfall::new(&terms, 0, 3, WATERFALL_DP);
    // 20: tier 1 takes 13 / 0.75 = 17.333..., microsoft exactly 13, nonprofit the
    // rest of that slice; the last 2.666... (= 8/3) goes 49/49/2.
    let (out, events) = split(&mut w, 2020, "20", false);
    // In the waterfall's 12-place unit: the slice is 17.333333333333 (rounded down), the
    // tail 2.666666666667, microsoft's 49% of it 1.306666666666 (rounded down).
    assert_eq!(out[0], d("14.306666666666"));
    assert_eq!(out[2], d("1.306666666666"));
    assert_eq!(out.iter().copied().sum::<Decimal>(), d("20"));
    // Against exact arithmetic (13 + 0.49 * 8/3): within a few units of 1e-12.
    assert!((out[0] - d("14.30666666666666666666666667")).abs() < d("1e-11"));
    assert!(events.contains(&Event::CapReached {
        year: 2020,
        tier: 0,
        party: 0
    }));
    assert!(events.contains(&Event::TierDone {
        year: 2020,
        tier: 0
    }));
}

#[test]
fn two_tiers_crossed_in_one_year_then_all_to_the_residual() {
    let terms = ProfitShare {
        tiers: vec![
            tier(&[(0, "0.5")], &[(0, "10")]),
            tier(&[(0, "0.25"), (2, "0.25")], &[(0, "15")]),
        ],
        ..msft_terms()
    };
    let mut w = Waterfall::new(&terms, 0, 3, WATERFALL_DP);
    // 100: tier 1 uses 20 (10 each to microsoft and nonprofit); tier 2 needs 5 more for
    // microsoft at 25%: a slice of 20 (5 microsoft, 5 others, 10 nonprofit); the last 60
    // goes to the nonprofit.
    let (out, _) = split(&mut w, 2020, "100", false);
    assert_eq!(out, vec![d("15"), d("80"), d("5")]);
}

#[test]
fn agi_ends_the_investors_rights_mid_tier() {
    let terms = msft_terms();
    let mut w = Waterfall::new(&terms, 0, 3, WATERFALL_DP);
    split(&mut w, 2020, "8", false); // microsoft 6, nonprofit 2
    // AGI: microsoft's 13 counts as reached, tier 2 runs without it: others 49%,
    // nonprofit 2% + microsoft's 49%.
    let (out, _) = split(&mut w, 2021, "100", true);
    assert_eq!(out, vec![d("0"), d("51"), d("49")]);
}

#[test]
fn a_growing_cap_reopens_a_done_tier() {
    let mut terms = msft_terms();
    terms.tiers[0].cap_growth = d("0.2");
    terms.tiers[0].cap_growth_from = 2020;
    terms.tiers.truncate(1);
    let mut w = Waterfall::new(&terms, 0, 3, WATERFALL_DP);
    let (out, _) = split(&mut w, 2020, "100", false);
    assert_eq!(out[0], d("13"));
    // 2022: the cap is 13 * 1.2^2 = 18.72; 5.72 more at 75%.
    let (out, _) = split(&mut w, 2022, "100", false);
    assert_eq!(out[0], d("5.72"));
    assert_eq!(w.received()[0], d("18.72"));
}

/// Fault 1 of issue 6: one party with two `until` entries (what `a` and `" a"` became
/// once trimmed). The first caps it, the second kept the tier open, and each slice moved
/// 2e-12 to the residual: a year of 100 took 5e13 slices. Now the split stops at the
/// bound of cap_count + 1 slices with an error.
#[test]
fn party_twice_in_until_stops_with_an_error_instead_of_looping() {
    let terms = ProfitShare {
        tiers: vec![tier(&[(0, "0.5")], &[(0, "1"), (0, "1.000000000001")])],
        ..msft_terms()
    };
    let mut w: Waterfall = Waterfall::new(&terms, 0, 3, WATERFALL_DP);
    let mut out = vec![Decimal::ZERO; 3];
    let result = w.distribute(2020, d("100"), false, &mut out, &mut ());
    assert_eq!(result, Err(WaterfallError::NoProgress { tier: 0 }));
    // The same in f64, the simulation's number type.
    let mut w: Waterfall<f64> = Waterfall::new(&terms, 0, 3, WATERFALL_DP);
    let mut out = vec![0.0; 3];
    let result = w.distribute(2020, 100.0, false, &mut out, &mut ());
    assert_eq!(result, Err(WaterfallError::NoProgress { tier: 0 }));
}

/// The bound is not hit by valid terms with many caps: one slice per cap, then the rest.
#[test]
fn every_slice_closes_a_cap_so_many_caps_fit_the_bound() {
    // Ten parties at 10% each (the shares add up to exactly 1), capped at 1, 2, ..., 10
    // (parties 2..12; 0 and 1 are the investor and the residual). 1000 distributable:
    // every cap closes, one per slice, then the residual takes the rest.
    let shares: Vec<(PartyId, String)> = (2..12).map(|p| (p, "0.1".to_string())).collect();
    let until: Vec<(PartyId, String)> = (2..12).map(|p| (p, format!("{}", p - 1))).collect();
    let shares: Vec<(PartyId, &str)> = shares.iter().map(|(p, s)| (*p, s.as_str())).collect();
    let until: Vec<(PartyId, &str)> = until.iter().map(|(p, s)| (*p, s.as_str())).collect();
    let terms = ProfitShare {
        tiers: vec![tier(&shares, &until)],
        ..msft_terms()
    };
    let mut w: Waterfall = Waterfall::new(&terms, 0, 12, WATERFALL_DP);
    let mut out = vec![Decimal::ZERO; 12];
    let mut events = Vec::new();
    w.distribute(2020, d("1000"), false, &mut out, &mut events)
        .unwrap();
    // Party p gets its cap p - 1; the residual the rest: 1000 - 55.
    for (p, amount) in out.iter().enumerate().skip(2) {
        assert_eq!(*amount, Decimal::from(p - 1), "party {p}");
    }
    assert_eq!(out[1], d("945"));
    let caps = events
        .iter()
        .filter(|e| matches!(e, Event::CapReached { .. }))
        .count();
    assert_eq!(caps, 10);
    // In f64 too the bound holds (and the caps are met to within rounding).
    let mut w: Waterfall<f64> = Waterfall::new(&terms, 0, 12, WATERFALL_DP);
    let mut out = vec![0.0; 12];
    w.distribute(2020, 1000.0, false, &mut out, &mut ())
        .unwrap();
    for (p, amount) in out.iter().enumerate().skip(2) {
        assert!(
            (amount - (p - 1) as f64).abs() < 1e-9,
            "party {p}: {amount}"
        );
    }
}

#[test]
fn a_tier_without_until_is_never_done() {
    let terms = ProfitShare {
        tiers: vec![tier(&[(0, "0.1"), (2, "0.3")], &[])],
        ..msft_terms()
    };
    let mut w = Waterfall::new(&terms, 0, 3, WATERFALL_DP);
    for year in 2020..2030 {
        let (out, _) = split(&mut w, year, "10", false);
        assert_eq!(out, vec![d("1"), d("6"), d("3")]);
    }
}

/// When the investor can receive nothing more (so that a simulation need not split the
/// year): rights ended at AGI, or capped in every tier that pays it; never as the residual,
/// with a tier that pays it without a cap, with caps that grow, or with terms validation
/// refuses.
#[test]
fn when_the_investor_can_receive_nothing_more() {
    let nothing_more = |terms: &ProfitShare, paid: &[&str], agi: bool| {
        let mut w: Waterfall = Waterfall::new(terms, 0, 3, WATERFALL_DP);
        for d_t in paid {
            split(&mut w, 2030, d_t, false);
        }
        w.investor_receives_nothing_more(agi)
    };
    let msft = msft_terms();
    // Before any payment: only AGI (with rights that end there) ends it.
    assert!(!nothing_more(&msft, &[], false));
    assert!(nothing_more(&msft, &[], true));
    let mut no_end = msft_terms();
    no_end.investor_rights_end_at_agi = false;
    assert!(!nothing_more(&no_end, &[], true));
    // Capped in tier 1 (13) but not tier 2 (92): 13 / 0.75 = 17.33..., then 79 / 0.49.
    assert!(!nothing_more(&msft, &["20"], false));
    assert!(nothing_more(&msft, &["20", "200"], false));
    // A tier that pays it without a cap: never.
    let mut open = msft_terms();
    open.tiers.push(tier(&[(0, "0.1")], &[]));
    assert!(!nothing_more(&open, &["20", "200", "1000"], false));
    // A zero share without a cap does not pay it.
    let mut zero = msft_terms();
    zero.tiers.push(tier(&[(0, "0"), (2, "0.5")], &[]));
    assert!(nothing_more(&zero, &["20", "200"], false));
    // The investor as the residual: never, AGI or not.
    let mut residual = msft_terms();
    residual.residual = 0;
    assert!(!nothing_more(&residual, &["20", "200"], true));
    // Caps that grow: never (their growth is computed, and can fail, every year).
    let mut growing = msft_terms();
    growing.tiers[0].cap_growth = d("0.01");
    assert!(!nothing_more(&growing, &[], true));
    // Terms validation refuses (a party twice in a tier's until): never.
    let mut twice = msft_terms();
    twice.tiers[1].until.push((2, d("200")));
    assert!(!nothing_more(&twice, &[], true));
}

/// Whether the investor can receive nothing more is decided by its largest cap, whichever
/// tier holds it, in the unit the waterfall counts in ([`Waterfall::set_unit`]) and in
/// either number type: from receipts of exactly that cap on, not a unit before.
#[test]
fn nothing_more_from_the_largest_cap_in_the_unit_counted_in() {
    let mut terms = msft_terms();
    // The larger cap in the first tier: 92.4, then 13.
    terms.tiers[0].until = vec![(0, d("92.4"))];
    terms.tiers[1].until = vec![(0, d("13")), (2, d("150"))];
    let exact = |dp: u32, received: &str| {
        let mut w: Waterfall = Waterfall::new(&terms, 0, 3, WATERFALL_DP);
        w.set_unit(dp);
        w.restore(&[d(received), Decimal::ZERO, Decimal::ZERO]);
        w.investor_receives_nothing_more(false)
    };
    assert!(!exact(WATERFALL_DP, "92.399999999999"));
    assert!(exact(WATERFALL_DP, "92.4"));
    // Counted in whole units the cap is 92: reached at 92, not at 91.9.
    assert!(exact(0, "92"));
    assert!(!exact(0, "91.9"));
    // Back to the finer unit: 92 no longer reaches 92.4.
    let mut w: Waterfall = Waterfall::new(&terms, 0, 3, WATERFALL_DP);
    w.set_unit(0);
    w.set_unit(WATERFALL_DP);
    w.restore(&[d("92"), Decimal::ZERO, Decimal::ZERO]);
    assert!(!w.investor_receives_nothing_more(false));
    // In f64: 13 is not enough, 92.4 is; a receipt that is not a number never is.
    let fast = |received: f64| {
        let mut w: Waterfall<f64> = Waterfall::new(&terms, 0, 3, WATERFALL_DP);
        w.restore(&[received, 0.0, 0.0]);
        w.investor_receives_nothing_more(false)
    };
    assert!(!fast(13.0) && !fast(92.39) && fast(92.4) && fast(f64::INFINITY));
    assert!(!fast(f64::NAN));
}

/// Every payment of a year, and the caps reached, as the waterfall tells its observer.
#[derive(Default)]
struct Ledger {
    paid: Vec<(PartyId, Decimal)>,
    caps_reached: Vec<(usize, PartyId)>,
}

impl Observer<Decimal> for Ledger {
    fn paid(&mut self, party: PartyId, amount: Decimal, _room: Option<Decimal>) {
        self.paid.push((party, amount));
    }
    fn event(&mut self, event: Event) {
        if let Event::CapReached { tier, party, .. } = event {
            self.caps_reached.push((tier, party));
        }
    }
}

/// Regression (a review, 2026-12-05): a party's payment from a slice is its share of the
/// tier's slices so far this year rounded down once, less what it had (so that half of
/// 4.000001 over two slices is 2.0000005, not 2.000000499999). Done naively, the payments
/// of a short slice came to more than the slice (units that earlier slices had left to the
/// residual), and the take-back from the last payee broke conservation where every payee
/// had just reached its cap, paid a party -1e-12, and reopened a closed cap, on terms with
/// caps in proportion to the shares (28 of 33,000 random models). The residual now takes
/// the rest even when negative. Over many such terms (fixed seed), every year: the receipts
/// add up to D exactly, no party but the residual is ever paid a negative amount, no year's
/// total for any party is negative, and, without cap growth, no cap is reached twice.
#[test]
fn shares_of_a_run_conserve_and_never_go_negative_or_reopen_a_cap() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let mut years_checked = 0;
    for case in 0..4000 {
        let parties = 3 + next(3) as usize; // 0 the investor, 1 the residual, others
        let growth = case % 2 == 0;
        let tiers: Vec<Tier> = (0..1 + next(2))
            .map(|_| {
                // Shares in hundredths adding up to at most 1 (exactly 1 a third of the time),
                // caps in proportion to them.
                let payees: Vec<PartyId> = (0..parties).filter(|p| *p != 1).collect();
                let mut left = 100u64;
                let mut shares = Vec::new();
                for (i, p) in payees.iter().enumerate() {
                    let s = if i + 1 == payees.len() && next(3) == 0 {
                        left
                    } else {
                        next(left.min(60) + 1)
                    };
                    left -= s;
                    if s > 0 {
                        shares.push((*p, Decimal::new(s as i64, 2)));
                    }
                }
                let scale = Decimal::from(50 + next(400));
                let until = shares.iter().map(|(p, s)| (*p, *s * scale)).collect();
                Tier {
                    name: "t".into(),
                    shares,
                    until,
                    cap_growth: if growth { d("0.05") } else { Decimal::ZERO },
                    cap_growth_from: 2020,
                }
            })
            .collect();
        let terms = ProfitShare {
            residual: 1,
            loss_carryforward: false,
            investor_rights_end_at_agi: false,
            tiers,
            revenue_share: None,
        };
        let mut w = Waterfall::new(&terms, 0, parties, WATERFALL_DP);
        let mut seen = std::collections::HashSet::new();
        for year in 2020..2030 {
            // D with 12 places, sometimes tiny.
            let units = if next(5) == 0 {
                next(30)
            } else {
                next(400_000_000_000_000)
            };
            let d_t = Decimal::new(units as i64, 12);
            let mut out = vec![Decimal::ZERO; parties];
            let mut ledger = Ledger::default();
            w.distribute(year, d_t, false, &mut out, &mut ledger)
                .unwrap();
            let what = format!("case {case}, {year}, D {d_t}, terms {:?}", terms.tiers);
            assert_eq!(out.iter().copied().sum::<Decimal>(), d_t, "{what}");
            assert!(out.iter().all(|v| *v >= Decimal::ZERO), "{what}: {out:?}");
            assert!(
                ledger
                    .paid
                    .iter()
                    .all(|(p, a)| *p == 1 || *a >= Decimal::ZERO),
                "{what}: {:?}",
                ledger.paid
            );
            if !growth {
                for reached in ledger.caps_reached {
                    assert!(seen.insert(reached), "{what}: {reached:?} reached again");
                }
            }
            years_checked += 1;
        }
    }
    assert_eq!(years_checked, 40_000);
}

/// Regression (a second review, 2026-12-05): at the finest unit, 1e-28 (amounts below
/// 1e-16), a share times the run's total needs more than 28 places and is rounded half-even,
/// not down, so four parties at 0.25 of D = 1.00000000003e-17 were each owed a unit more
/// than their exact share and the residual's year came to -1e-28. The excess beyond the
/// residual's rest is taken back from the last payee, as before the change: the residual
/// gets 0, every year adds up to D.
#[test]
fn a_product_rounded_up_at_the_28th_place_leaves_the_residual_at_0() {
    let quarter = |p: PartyId| (p, "0.25");
    let terms = ProfitShare {
        residual: 1,
        loss_carryforward: false,
        investor_rights_end_at_agi: false,
        tiers: vec![tier(&[quarter(0), quarter(2), quarter(3), quarter(4)], &[])],
        revenue_share: None,
    };
    let mut w = Waterfall::new(&terms, 0, 5, 28);
    let mut out = vec![Decimal::ZERO; 5];
    let d_t = d("0.0000000000000000100000000003");
    w.distribute(2020, d_t, false, &mut out, &mut ()).unwrap();
    assert_eq!(out.iter().copied().sum::<Decimal>(), d_t);
    assert!(out.iter().all(|v| *v >= Decimal::ZERO), "{out:?}");
    assert_eq!(out[1], Decimal::ZERO, "{out:?}");
}
