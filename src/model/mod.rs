//! The model: the typed, validated values of `stakeshift_core::model` and the parser that
//! reads a model file into them (re-exported here), and [`schema`]: the JSON Schema of a
//! model file (`stakeshift schema`).
//!
//! The built-in model, read and validated, as typed values:
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift::model::{Simulation, TrajectorySource};
//!
//! let model = stakeshift::io::read_model_file(None)?.load(&[])?.model; // built in
//! assert_eq!((model.unit.as_str(), model.years()), ("USD bn", 27)); // 2019..=2045
//! // Parties in the order first named: the investor, the residual, then the tiers' others.
//! assert_eq!(model.parties, ["microsoft", "nonprofit", "others"]);
//! assert_eq!(model.investor_title(), "Microsoft");
//! // Numbers exactly as written: the capped split's 0.49 for `others` (party 2).
//! assert_eq!(model.profit_share.tiers[1].share_of(2), Decimal::new(49, 2));
//! let names: Vec<&str> = model.trajectories.iter().map(|t| t.name.as_str()).collect();
//! assert_eq!(names, ["bust", "bear", "base", "bull", "early-agi", "commoditized"]);
//! let TrajectorySource::Series { revenue, .. } = &model.trajectories[2].source else {
//!     panic!("`base` is written as series")
//! };
//! // Series as written: `base` makes 200 bn in 2030 and grows 5% a year after 2040.
//! assert_eq!(revenue.points[4], (2030, Decimal::from(200)));
//! assert_eq!(revenue.growth, Decimal::new(5, 2));
//! // `[simulation]` weights, in the trajectories' order; they add up to 1.
//! let weights = model.simulation.weights_of(&model);
//! assert_eq!(weights[2], Decimal::new(30, 2));
//! assert_eq!(weights.iter().sum::<Decimal>(), Decimal::ONE);
//! // What the file leaves out takes SPEC 10's defaults: random from valuation_year + 1.
//! assert_eq!(Simulation::default().first_random_year(&model), 2026);
//! assert_eq!(Simulation::default().revenue_vol, Decimal::new(20, 2));
//! # Ok::<(), stakeshift::Error>(())
//! ```

pub mod schema;

pub use stakeshift_core::model::*;
