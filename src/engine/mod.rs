//! The computation (SPEC sections 2 to 5), free of I/O:
//! - [`series`]: a trajectory's yearly revenue, profit and valuation;
//! - [`waterfall`]: one year's distributable profit split among the parties;
//! - [`regimes`]: both regimes, year by year, on one trajectory;
//! - [`measures`]: NPV, IRR, MOIC, payback and the root search behind the break-even scale.

pub mod error;
pub mod measures;
pub mod regimes;
pub mod series;
pub mod waterfall;

pub use error::EngineError;
pub use regimes::*;
