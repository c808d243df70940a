//! The computation (SPEC sections 2 to 5), free of I/O:
//! - [`number`]: the number type the engine runs in (`Decimal` exact, `f64` fast);
//! - [`series`]: a trajectory's yearly revenue, profit and valuation;
//! - [`deal`]: the deal's terms in that number type, the revenue-share cap and the rounds;
//! - [`waterfall`]: one year's distributable profit split among the parties;
//! - [`regimes`]: both regimes, year by year, on one path;
//! - [`ledger`]: one year taken apart from the engine's own amounts (`explain`);
//! - [`measures`]: NPV, IRR, MOIC, payback and the root search behind the break-even scale.

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
