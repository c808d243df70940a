//! Property tests over random models: conservation to the last unit, caps never passed,
//! nothing negative, monotonicity in profits and in valuations.

use proptest::prelude::*;
use rust_decimal::Decimal;
use stakeshift::engine::{TrajectoryResult, discount_factors, run_trajectory};
use stakeshift::model::{
    Contribution, Equity, Investor, Model, ProfitShare, RevenueShare, Round, Tier, Trajectory,
    TrajectorySource,
};

const START: i32 = 2020;

/// A decimal with up to `dp` places between 0 and `max`.
fn dec(max: i64, dp: u32) -> impl Strategy<Value = Decimal> {
    let scale = 10i64.pow(dp);
    (0..=max * scale).prop_map(move |m| Decimal::new(m, dp))
}

fn signed(max: i64, dp: u32) -> impl Strategy<Value = Decimal> {
    let scale = 10i64.pow(dp);
    (-max * scale..=max * scale).prop_map(move |m| Decimal::new(m, dp))
}

/// Party 0 is the investor, 1 the residual, 2 and 3 others.
fn tier_strategy() -> impl Strategy<Value = Tier> {
    (
        prop::collection::vec((0usize..4, 1u32..=60), 1..=3),
        prop::collection::vec(dec(200, 3), 3),
        any::<bool>(),
    )
        .prop_map(|(raw_shares, caps, uncapped)| {
            let mut shares: Vec<(usize, Decimal)> = Vec::new();
            let mut total = 0u32;
            for (p, pct) in raw_shares {
                if shares.iter().any(|(q, _)| *q == p) || total + pct > 100 {
                    continue;
                }
                total += pct;
                shares.push((p, Decimal::new(i64::from(pct), 2)));
            }
            let until = if uncapped {
                Vec::new()
            } else {
                shares
                    .iter()
                    .filter(|(p, _)| *p != 1)
                    .zip(&caps)
                    .map(|((p, _), c)| (*p, *c + Decimal::ONE))
                    .collect()
            };
            Tier {
                name: "tier".into(),
                shares,
                until,
                cap_growth: Decimal::ZERO,
                cap_growth_from: START,
            }
        })
}

prop_compose! {
    fn model_strategy()(
        years in 1usize..=25,
    )(
        revenue in prop::collection::vec(dec(500, 4), years),
        profit in prop::collection::vec(signed(200, 4), years),
        valuation in prop::collection::vec(dec(5000, 2), years),
        tiers in prop::collection::vec(tier_strategy(), 1..=3),
        loss_carryforward in any::<bool>(),
        rights_end in any::<bool>(),
        agi in prop::option::of(0..years as i32 + 2),
        rs_rate in dec(1, 2),
        rs_cap in prop::option::of(dec(100, 2)),
        stake in dec(1, 4),
        payout in dec(1, 2),
        rounds in prop::collection::vec((0..years as i32, dec(100, 2), prop::option::of(dec(1000, 2))), 0..=3),
        contributions in prop::collection::vec((0..years as i32, dec(20, 2)), 0..=3),
        years in Just(years),
    ) -> (Model, Vec<Decimal>) {
        let end = START + years as i32 - 1;
        let from_year = START + (years as i32) / 2;
        let rounds = rounds
            .into_iter()
            .map(|(y, raise, pre)| Round {
                year: (START + y).max(from_year),
                raise: raise + Decimal::ONE,
                // A default pre-money needs a valuation above the raise; keep these explicit.
                pre_money: Some(pre.unwrap_or(Decimal::ONE_HUNDRED) + Decimal::ONE),
                participation: Decimal::ZERO,
            })
            .collect();
        let revenue_share = Some(RevenueShare {
            rate: rs_rate,
            from: START,
            until: end,
            total_cap: rs_cap,
            ends_at_agi: true,
        });
        let model = Model {
            name: "random".into(),
            unit: "USD".into(),
            start_year: START,
            end_year: end,
            valuation_year: START,
            discount_rate: Decimal::new(8, 2),
            parties: vec!["investor".into(), "residual".into(), "a".into(), "b".into()],
            investor: Investor {
                party: 0,
                contributions: contributions
                    .into_iter()
                    .map(|(y, amount)| Contribution { year: START + y, amount })
                    .collect(),
            },
            profit_share: ProfitShare {
                residual: 1,
                loss_carryforward,
                investor_rights_end_at_agi: rights_end,
                tiers,
                revenue_share,
            },
            equity: Equity {
                from_year,
                stake,
                dividend_payout: payout,
                terminal_discount: Decimal::ZERO,
                rounds,
                revenue_share,
            },
            trajectories: vec![Trajectory {
                name: "t".into(),
                description: None,
                agi_year: agi.map(|a| START + a),
                source: TrajectorySource::Table { revenue, profit: profit.clone(), valuation },
                spend: None,
            }],
            trajectories_csv: None,
            simulation: Default::default(),
            cloud: None,
            warnings: Vec::new(),
        };
        (model, profit)
    }
}

fn run(model: &Model) -> TrajectoryResult {
    let df = discount_factors(model).unwrap();
    run_trajectory(model, &df, &model.trajectories[0]).unwrap()
}

fn with_profit(model: &Model, profit: Vec<Decimal>) -> Model {
    let mut m = model.clone();
    if let TrajectorySource::Table { profit: p, .. } = &mut m.trajectories[0].source {
        *p = profit;
    }
    m
}

fn with_valuation_scale(model: &Model, k: Decimal) -> Model {
    let mut m = model.clone();
    if let TrajectorySource::Table { valuation, .. } = &mut m.trajectories[0].source {
        for v in valuation.iter_mut() {
            *v *= k;
        }
    }
    m
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Every year the parties' receipts add up to the distributable profit exactly.
    #[test]
    fn receipts_add_up_to_distributable_profit_exactly((model, _) in model_strategy()) {
        let r = run(&model);
        for (row, split) in r.profit_share.rows.iter().zip(&r.waterfall.by_party) {
            let total: Decimal = split.iter().copied().sum();
            prop_assert_eq!(total, row.distributable, "year {}", row.year);
        }
    }

    /// Nobody receives a negative amount, and no flow to the investor is negative.
    #[test]
    fn nothing_negative((model, _) in model_strategy()) {
        let r = run(&model);
        for split in &r.waterfall.by_party {
            for v in split {
                prop_assert!(*v >= Decimal::ZERO, "{:?}", split);
            }
        }
        for rows in [&r.profit_share.rows, &r.equity.rows] {
            for row in rows.iter() {
                prop_assert!(row.distributable >= Decimal::ZERO);
                prop_assert!(row.distribution >= Decimal::ZERO);
                prop_assert!(row.revenue_share >= Decimal::ZERO);
                prop_assert!(row.dividend >= Decimal::ZERO);
                prop_assert!(row.stake >= Decimal::ZERO && row.stake <= Decimal::ONE);
            }
        }
    }

    /// A party whose every share sits in capped tiers never receives more than its largest
    /// cap; the revenue share never passes its total cap.
    #[test]
    fn caps_are_never_passed((model, _) in model_strategy()) {
        let r = run(&model);
        let tiers = &model.profit_share.tiers;
        for party in [0usize, 2, 3] {
            let tiers_with_share: Vec<_> = tiers.iter().filter(|t| t.share_of(party) > Decimal::ZERO).collect();
            let capped = tiers_with_share.iter().all(|t| t.until.iter().any(|(p, _)| *p == party));
            if tiers_with_share.is_empty() || !capped {
                continue;
            }
            let cap = tiers_with_share
                .iter()
                .flat_map(|t| t.until.iter().filter(|(p, _)| *p == party).map(|(_, a)| *a))
                .max()
                .unwrap();
            let total: Decimal = r.waterfall.by_party.iter().map(|s| s[party]).sum();
            prop_assert!(total <= cap, "party {} got {} > cap {}", party, total, cap);
        }
        if let Some(cap) = model.profit_share.revenue_share.and_then(|s| s.total_cap) {
            let total: Decimal = r.profit_share.rows.iter().map(|row| row.revenue_share).sum();
            prop_assert!(total <= cap);
        }
    }

    /// Cash flows are the sum of their parts; present values are cash flow times DF.
    #[test]
    fn cash_flows_are_the_sum_of_their_parts((model, _) in model_strategy()) {
        let r = run(&model);
        for rows in [&r.profit_share.rows, &r.equity.rows] {
            let mut cumulative = Decimal::ZERO;
            for row in rows.iter() {
                prop_assert_eq!(row.cash_flow, -row.contribution + row.distribution + row.revenue_share + row.dividend);
                cumulative += row.cash_flow;
                prop_assert_eq!(row.cumulative_cash_flow, cumulative);
                prop_assert_eq!(row.present_value, row.cash_flow * row.discount_factor);
            }
        }
        // The advantage is the NPVs' difference summed year by year (so that NPVs too large
        // to hold its 6th decimal do not lose it: helper-87): exactly that sum, and the
        // difference of the two NPVs to within their 28-digit rounding.
        let last_df = r.equity.rows.last().map_or(Decimal::ONE, |row| row.discount_factor);
        let by_years = r
            .equity
            .rows
            .iter()
            .zip(r.profit_share.rows.iter())
            .fold(Decimal::ZERO, |sum, (b, a)| sum + (b.cash_flow - a.cash_flow) * b.discount_factor)
            + r.equity.measures.terminal_value * last_df;
        prop_assert_eq!(r.npv_advantage, by_years);
        let difference = r.equity.measures.npv - r.profit_share.measures.npv;
        let size = r.equity.measures.npv.abs() + r.profit_share.measures.npv.abs();
        prop_assert!(
            (r.npv_advantage - difference).abs() <= size * Decimal::new(1, 24) + Decimal::new(1, 24),
            "{} against {}", r.npv_advantage, difference
        );
    }

    /// Raising profits never leaves the investor with less from the waterfall, year by year
    /// in cumulative terms (caps without growth).
    #[test]
    fn the_investor_never_gets_less_when_profits_rise(
        (model, profit) in model_strategy(),
        bumps in prop::collection::vec(dec(50, 2), 25),
    ) {
        let higher: Vec<Decimal> = profit.iter().zip(&bumps).map(|(p, b)| *p + *b).collect();
        let low = run(&model);
        let high = run(&with_profit(&model, higher));
        let (mut a, mut b) = (Decimal::ZERO, Decimal::ZERO);
        for (x, y) in low.profit_share.rows.iter().zip(&high.profit_share.rows) {
            a += x.distribution;
            b += y.distribution;
            prop_assert!(b >= a, "year {}: {} < {}", x.year, b, a);
        }
    }

    /// Raising every valuation never lowers the stake's value or the equity NPV.
    #[test]
    fn equity_value_never_falls_when_valuations_rise(
        (model, _) in model_strategy(),
        k in 100i64..=400,
    ) {
        let k = Decimal::new(k, 2);
        let low = run(&model);
        let high = run(&with_valuation_scale(&model, k));
        for (x, y) in low.equity.rows.iter().zip(&high.equity.rows) {
            prop_assert!(y.holding_value >= x.holding_value);
        }
        prop_assert!(high.equity.measures.terminal_value >= low.equity.measures.terminal_value);
        prop_assert!(high.equity.measures.npv >= low.equity.measures.npv);
        // The profit share does not depend on valuations at all.
        prop_assert_eq!(high.profit_share.measures.npv, low.profit_share.measures.npv);
    }

    /// Where a break-even scale is found, the equity NPV at that scale equals the profit
    /// share's (to well within the printed 6 places).
    #[test]
    fn breakeven_scale_equalises_the_npvs((model, _) in model_strategy()) {
        let r = run(&model);
        if let Some(k) = r.breakeven_scale {
            prop_assert!(k > Decimal::ZERO && k <= Decimal::from(1000));
            let scaled = run(&with_valuation_scale(&model, k));
            let gap = (scaled.equity.measures.npv - scaled.profit_share.measures.npv).abs();
            let size = scaled.equity.measures.npv.abs().max(Decimal::ONE);
            prop_assert!(gap <= size * Decimal::new(1, 9), "gap {} at k {}", gap, k);
        }
    }

    /// The fast f64 run (NPVs and winner only) agrees with the exact run to 1e-9 of the
    /// larger NPV or 1e-6 absolute: one set of rules in two number types.
    #[test]
    fn f64_run_agrees_with_the_exact_run((model, _) in model_strategy()) {
        use rust_decimal::prelude::ToPrimitive;
        let exact = run(&model);
        let df = discount_factors(&model).unwrap();
        let deal = stakeshift::engine::Deal::<f64>::of(&model, &df);
        let fast = stakeshift::engine::run_outcome(&model, &deal, &model.trajectories[0]).unwrap();
        let a = exact.profit_share.measures.npv.to_f64().unwrap();
        let b = exact.equity.measures.npv.to_f64().unwrap();
        let tolerance = 1e-6_f64.max(1e-9 * a.abs().max(b.abs()));
        prop_assert!((fast.profit_share.npv - a).abs() <= tolerance, "{} vs {}", fast.profit_share.npv, a);
        prop_assert!((fast.equity.npv - b).abs() <= tolerance, "{} vs {}", fast.equity.npv, b);
        let adv = exact.npv_advantage.to_f64().unwrap();
        prop_assert!((fast.npv_advantage - adv).abs() <= tolerance);
        if (adv.abs() - 5e-7).abs() > tolerance {
            prop_assert_eq!(fast.winner, exact.winner);
        }
    }

    /// The simulation's recorder (NpvOnly) skips the running sums it does not report and the
    /// years in which the investor can receive nothing more from the waterfall (its rights
    /// ended at AGI, or capped in every tier that pays it): the NPVs, winner and rounds left
    /// out are the full run's, bit for bit, in both number types.
    #[test]
    fn npv_only_runs_give_the_full_runs_npvs_exactly((model, _) in model_strategy()) {
        use stakeshift::engine::{Deal, NpvOnly, RoundPolicy, Scratch, run_path, series::Path};
        let df = discount_factors(&model).unwrap();
        let t = &model.trajectories[0];
        let exact: Path = Path::of(&model, t).unwrap();
        let fast: Path<f64> = exact.convert();
        let deal = Deal::<Decimal>::of(&model, &df);
        let full = run_path(&deal, exact.as_ref(t.agi_year), RoundPolicy::Skip, &mut Scratch::new(&deal), &mut ());
        let lean = run_path(&deal, exact.as_ref(t.agi_year), RoundPolicy::Skip, &mut Scratch::new(&deal), &mut NpvOnly);
        match (full, lean) {
            (Ok(full), Ok(lean)) => {
                prop_assert_eq!(full.profit_share.npv, lean.profit_share.npv);
                prop_assert_eq!(full.equity.npv, lean.equity.npv);
                prop_assert_eq!(full.winner, lean.winner);
                prop_assert_eq!(full.skipped_rounds, lean.skipped_rounds);
            }
            (full, lean) => prop_assert_eq!(full.is_ok(), lean.is_ok()),
        }
        let deal = Deal::<f64>::of(&model, &df);
        let full = run_path(&deal, fast.as_ref(t.agi_year), RoundPolicy::Skip, &mut Scratch::new(&deal), &mut ()).unwrap();
        let lean = run_path(&deal, fast.as_ref(t.agi_year), RoundPolicy::Skip, &mut Scratch::new(&deal), &mut NpvOnly).unwrap();
        prop_assert_eq!(full.profit_share.npv.to_bits(), lean.profit_share.npv.to_bits());
        prop_assert_eq!(full.equity.npv.to_bits(), lean.equity.npv.to_bits());
        prop_assert_eq!(full.winner, lean.winner);
        prop_assert_eq!(full.skipped_rounds, lean.skipped_rounds);
    }
}
