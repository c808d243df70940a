//! The computation (SPEC sections 2 to 5), free of I/O:
//! - [`number`]: the number type the engine runs in (`Decimal` exact, `f64` fast);
//! - [`series`]: a trajectory's yearly revenue, profit and valuation;
//! - [`deal`]: the deal's terms in that number type, the revenue-share cap and the rounds;
//! - [`waterfall`]: one year's distributable profit split among the parties;
//! - [`regimes`]: both regimes, year by year, on one path;
//! - [`ledger`]: one year taken apart from the engine's own amounts (`explain`);
//! - [`measures`]: NPV, IRR, MOIC, payback and the root search behind the break-even scale.
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift_core::engine::{Deal, discount_factors, run_outcome};
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
//! tiers = [{ name = "Half", shares = { fund = 0.5 } }]
//! [[trajectories]]
//! name = "only"
//! revenue = { points = [[2024, 100.0]] }
//! margin = { points = [[2024, 0.0], [2025, 0.25]] }
//! valuation = { points = [[2024, 100.0], [2025, 125.0]] }"#;
//! let source = ModelSource { text, load: &mut |_| Err("no files".into()) };
//! let model = parse_model(source).unwrap();
//! // One rule, in exact decimals and in fast f64.
//! // 10 paid in 2024; 2025's profit of 100 x 0.25 = 25 is discounted by 1/1.25 = 0.8.
//! // Profit share, half the profit:    -10 + 12.5 x 0.8 = 0.
//! // Equity, 20% of the 125 valuation: -10 + 25 x 0.8 = 10.
//! let (discount, only) = (discount_factors(&model).unwrap(), &model.trajectories[0]);
//! let exact = run_outcome(&model, &Deal::<Decimal>::of(&model, &discount), only).unwrap();
//! let fast = run_outcome(&model, &Deal::<f64>::of(&model, &discount), only).unwrap();
//! assert_eq!((exact.profit_share.npv, exact.equity.npv), (Decimal::ZERO, Decimal::TEN));
//! assert!(fast.profit_share.npv.abs() < 1e-12 && (fast.equity.npv - 10.0).abs() < 1e-12);
//! ```

pub mod deal;
pub mod error;
pub mod ledger;
pub mod measures;
pub mod number;
pub mod regimes;
pub mod series;
pub mod waterfall;

pub use deal::{Deal, RoundPolicy};
pub use error::EngineError;
pub use number::Num;
pub use regimes::*;
