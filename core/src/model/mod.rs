//! The model: a deal's two regimes and the trajectories they are run on, as validated,
//! typed values, and reading a model's text into them (`parse`: the raw serde types, the
//! rewriting of serde's messages, and the validation; `trajectories_csv`: the yearly values a
//! trajectory reads from a CSV file). Nothing here does I/O (a model's files come through
//! the caller's `load`), so a model can also be built in code (tests, benchmarks,
//! simulations).
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift_core::model::{ModelSource, TrajectorySource, parse_model};
//!
//! let text = r#"name = "From a CSV"
//! unit = "USD m"
//! start_year = 2024
//! end_year = 2025
//! valuation_year = 2024
//! discount_rate = 0.1
//! investor = { party = "fund", contributions = [[2024, 10.0]] }
//! equity = { from_year = 2025, stake = 0.2 }
//! trajectories_csv = "paths.csv"
//! [profit_share]
//! residual = "founders"
//! tiers = [{ name = "Half", shares = { fund = 0.5 } }]"#;
//! // The caller loads the files a model names: here from memory, not from the disk.
//! let csv = "trajectory,year,revenue,profit,valuation\n\
//!            flat,2024,100,-5,90\nflat,2025,100,25,120";
//! let mut load = |path: &str| match path {
//!     "paths.csv" => Ok(csv.to_string()),
//!     _ => Err(format!("no file {path}")),
//! };
//! let model = parse_model(ModelSource { text, load: &mut load }).unwrap();
//! // Numbers are read exactly as written: 0.1 is a tenth, not the nearest binary fraction.
//! assert_eq!(model.discount_rate, Decimal::new(1, 1));
//! // Parties in the order first named: the investor, the residual, then the tiers' others.
//! assert_eq!(model.parties, ["fund", "founders"]);
//! let TrajectorySource::Table { profit, .. } = &model.trajectories[0].source else {
//!     panic!("a trajectory of trajectories_csv is a table")
//! };
//! assert_eq!(profit, &[Decimal::from(-5), Decimal::from(25)]);
//! ```

mod parse;
mod trajectories_csv;

pub use parse::{
    CURLY_QUOTES, MAX_NUMBER, MAX_PATHS, MAX_TRAJECTORY_YEARS, MAX_VALUE_MARKS, MAX_YEAR,
    MAX_YEARS, ModelSource, NotExact, SEED_NOTE, bare_word_spelling, check_value_marks,
    exact_decimal, grouped_value_in_a_pair, nearest as nearest_name, not_finite_spelling,
    not_finite_value, parse_model, part_of_one, spreadsheet_habit, takes_text, text_in_quotes,
    too_long_to_be_a_slip, typed_as_a_document_shows_it, value_marks, whole_year,
};
/// The trajectory a report features when none is named: the one called this, else the first.
pub const HEADLINE_TRAJECTORY: &str = "base";

/// The item of `items` that a report features when none is named (`name` gives an item's
/// trajectory name): the one named [`HEADLINE_TRAJECTORY`], else the first.
pub fn headline<T>(items: &[T], name: impl Fn(&T) -> &str) -> Option<&T> {
    items
        .iter()
        .find(|t| name(t) == HEADLINE_TRAJECTORY)
        .or_else(|| items.first())
}

pub use trajectories_csv::{
    RowsOutside, parse_csv_number, parse_trajectories_csv, read_trajectories_csv, unread_columns,
};

use rust_decimal::Decimal;

/// A calendar year. Every flow happens at the end of its year.
pub type Year = i32;

/// Index of a party in [`Model::parties`].
pub type PartyId = usize;

/// A whole model, valid by construction when it comes from [`parse_model`].
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub name: String,
    pub unit: String,
    pub start_year: Year,
    pub end_year: Year,
    pub valuation_year: Year,
    pub discount_rate: Decimal,
    /// Every party the waterfall knows, in the order first named in the file: the investor,
    /// the residual and each party of each tier.
    pub parties: Vec<String>,
    pub investor: Investor,
    pub profit_share: ProfitShare,
    pub equity: Equity,
    pub trajectories: Vec<Trajectory>,
    /// The `trajectories_csv` file as the model names it (relative to the model file), where
    /// it names one: an input the workbook lists beside the values read from it.
    pub trajectories_csv: Option<String>,
    /// `[simulation]`: how `simulate` draws random futures (defaults when absent).
    pub simulation: Simulation,
    /// `[cloud]` with `[profit_share.cloud]` and `[equity.cloud]` (SPEC 13): the compute the
    /// investor sells the company. None: no cloud side, and nothing changes.
    pub cloud: Option<Cloud>,
    /// Valid values that look like a slip (a yearly rate of 100% or more, a hazard of 1),
    /// each with the field and where it is written: shown as warnings, never refused.
    pub warnings: Vec<crate::error::ModelIssue>,
}

impl Model {
    /// Number of projected years, start_year..=end_year.
    pub fn years(&self) -> usize {
        (self.end_year - self.start_year + 1) as usize
    }

    pub fn party_name(&self, id: PartyId) -> &str {
        &self.parties[id]
    }

    /// The investor as the tables' and conclusions' sentences name it: as written
    /// (`microsoft`), or "the investor" for a party called `investor`.
    pub fn investor_as_written(&self) -> String {
        let name = self.party_name(self.investor.party);
        if name.eq_ignore_ascii_case("investor") {
            "the investor".into()
        } else {
            name.to_string()
        }
    }

    /// Whether AGI can be declared anywhere in this model, or its terms name it: a
    /// trajectory's `agi_year`, a simulated hazard, investor rights that end at AGI. Where it cannot, the reports say nothing of AGI (helper-139: a film
    /// deal's ledger said "AGI never declared in this trajectory").
    pub fn has_agi(&self) -> bool {
        self.trajectories.iter().any(|t| t.agi_year.is_some())
            || !self.simulation.agi_hazard.is_zero()
            // A deal whose terms end at AGI: the line says why they never took effect
            // (helper-140).
            || self.profit_share.investor_rights_end_at_agi
    }

    /// Regime A as the conclusions name it: "the capped profit share" where a tier caps
    /// what the investor receives, "the profit share" where none does, and "the revenue
    /// share" where the tiers pay the investor nothing and a revenue share is all it gets
    /// (helper-139: a royalty without a cap was called capped).
    pub fn profit_share_phrase(&self) -> &'static str {
        let investor = self.investor.party;
        let tiers = &self.profit_share.tiers;
        let shared = tiers
            .iter()
            .any(|t| t.shares.iter().any(|(p, s)| *p == investor && !s.is_zero()));
        if tiers
            .iter()
            .any(|t| t.until.iter().any(|(p, _)| *p == investor))
        {
            "the capped profit share"
        } else if !shared
            && self.profit_share.residual != investor
            && self.profit_share.revenue_share.is_some()
        {
            "the revenue share"
        } else {
            "the profit share"
        }
    }

    /// Whether the company buys compute from the investor under either regime: a `[cloud]`
    /// table and a regime's terms (without either regime's, the cloud side adds nothing,
    /// and the table and conclusion do not tell of it; helper-153).
    pub fn sells_compute(&self) -> bool {
        self.cloud
            .as_ref()
            .is_some_and(|c| c.profit_share.is_some() || c.equity.is_some())
    }

    /// Regime A as a clause names it again after [`Model::profit_share_phrase`]: "the
    /// revenue share" where that is all the investor gets under it, else "the profit share"
    /// (helper-153: a deal of a revenue share alone was "the revenue share" in the tally
    /// and "the profit share is worth ... more" in the same sentence).
    pub fn profit_share_short(&self) -> &'static str {
        match self.profit_share_phrase() {
            "the revenue share" => "the revenue share",
            _ => "the profit share",
        }
    }

    /// The investor as the charts' titles and labels name it, as a proper noun:
    /// `microsoft` -> "Microsoft"; "the investor" for a party called `investor`.
    pub fn investor_title(&self) -> String {
        let name = self.investor_as_written();
        if name == "the investor" {
            return name;
        }
        // A name written with a capital of its own (`xAI`, `eBay`) is kept as written
        // (helper-119: "NPV to XAI"), as is one with a digit, more likely a brand than a
        // word (helper-153: "NPV to A16z"); an all-lowercase word gets a capital
        // (`microsoft`).
        // So is one with an underscore, an identifier rather than a word (helper-303:
        // "Angel_investor_with_a_long_party_name").
        if name
            .chars()
            .any(|c| c.is_uppercase() || c.is_ascii_digit() || c == '_')
        {
            return name;
        }
        let mut chars = name.chars();
        chars
            .next()
            .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Investor {
    /// The waterfall party whose receipts are the investor's.
    pub party: PartyId,
    /// Cash paid in, in file order.
    pub contributions: Vec<Contribution>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contribution {
    pub year: Year,
    pub amount: Decimal,
}

/// Regime A: the capped profit-sharing terms.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfitShare {
    /// Receives whatever no tier assigns.
    pub residual: PartyId,
    pub loss_carryforward: bool,
    pub investor_rights_end_at_agi: bool,
    pub tiers: Vec<Tier>,
    pub revenue_share: Option<RevenueShare>,
}

/// One step of the waterfall.
#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    pub name: String,
    /// Each named party's share of what flows through this tier; the residual gets the rest.
    pub shares: Vec<(PartyId, Decimal)>,
    /// The cumulative receipts (all years, all tiers) at which each party is done here.
    /// Empty: the tier is never done.
    pub until: Vec<(PartyId, Decimal)>,
    /// The `until` amounts grow by this rate a year from `cap_growth_from` on.
    pub cap_growth: Decimal,
    pub cap_growth_from: Year,
}

impl Tier {
    pub fn share_of(&self, party: PartyId) -> Decimal {
        self.shares
            .iter()
            .find(|(p, _)| *p == party)
            .map_or(Decimal::ZERO, |(_, s)| *s)
    }
}

/// A share of revenue paid to the investor, optionally capped in total.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RevenueShare {
    pub rate: Decimal,
    pub from: Year,
    pub until: Year,
    pub total_cap: Option<Decimal>,
    pub ends_at_agi: bool,
}

/// Regime B: an equity stake that replaces the profit share from `from_year`.
#[derive(Debug, Clone, PartialEq)]
pub struct Equity {
    pub from_year: Year,
    pub stake: Decimal,
    pub dividend_payout: Decimal,
    pub terminal_discount: Decimal,
    /// Funding rounds in file order; within a year they apply in this order.
    pub rounds: Vec<Round>,
    pub revenue_share: Option<RevenueShare>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Round {
    pub year: Year,
    pub raise: Decimal,
    /// None: the trajectory's valuation that year minus the raise.
    pub pre_money: Option<Decimal>,
    /// What the investor itself puts into the round (a contribution that year).
    pub participation: Decimal,
}

/// One possible future for the company.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    pub name: String,
    pub description: Option<String>,
    pub agi_year: Option<Year>,
    pub source: TrajectorySource,
    /// The trajectory's own compute spend (SPEC 13), replacing `[cloud].spend` for it.
    pub spend: Option<Spend>,
}

/// A trajectory's compute spend.
#[derive(Debug, Clone, PartialEq)]
pub enum Spend {
    /// Spend as a fraction of revenue, a margin-like series.
    Ratio(Series),
    /// The spend itself, in the model's unit, one per year start_year..=end_year (the
    /// `cloud_spend` column of `trajectories_csv`).
    Amounts(Vec<Decimal>),
}

/// The cloud side (SPEC 13): the investor's margin on the compute the company buys from it,
/// and how much of its compute the company buys from the investor under each regime.
#[derive(Debug, Clone, PartialEq)]
pub struct Cloud {
    /// The investor's operating margin on the compute it sells, in [-1, 1].
    pub margin: Decimal,
    /// Compute spend as a fraction of revenue, a margin-like series (linear between points,
    /// held after the last, 0 before the first), for trajectories without their own.
    pub spend: Series,
    /// `[profit_share.cloud]`; None: the company buys nothing from the investor under
    /// regime A (share 0).
    pub profit_share: Option<CloudTerms>,
    /// `[equity.cloud]`, from equity.from_year (before it regime B has regime A's terms);
    /// None: from from_year the company buys nothing from the investor under regime B.
    pub equity: Option<CloudTerms>,
}

/// One regime's cloud terms.
#[derive(Debug, Clone, PartialEq)]
pub struct CloudTerms {
    /// The investor's share of the company's compute spend, a margin-like series in [0, 1].
    pub share: Series,
    pub commitment: Option<Commitment>,
}

/// A take-or-pay commitment: in its `until` year, purchases of from..=until that add up to
/// less than `total` are topped up to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Commitment {
    pub total: Decimal,
    pub from: Year,
    pub until: Year,
}

/// Where a trajectory's yearly revenue, profit and valuation come from.
#[derive(Debug, Clone, PartialEq)]
pub enum TrajectorySource {
    /// Series written in the model file, interpolated per SPEC section 2.
    Series {
        revenue: Series,
        margin: Series,
        valuation: Series,
    },
    /// Yearly values read from `trajectories_csv`, one per year start_year..=end_year.
    Table {
        revenue: Vec<Decimal>,
        profit: Vec<Decimal>,
        valuation: Vec<Decimal>,
    },
}

/// Points (strictly increasing years) and the growth rate after the last one.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub points: Vec<(Year, Decimal)>,
    pub growth: Decimal,
}

/// `[simulation]` (SPEC section 10): the random process `simulate` draws futures from.
/// Every key is optional; [`Simulation::default`] holds the SPEC's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    pub paths: u64,
    pub seed: u64,
    /// The first random year; None: valuation_year + 1.
    pub from_year: Option<Year>,
    /// Weight of each trajectory as a center, by trajectory index; None: 1 on each.
    /// Trajectories left out of a `weights` table have weight 0.
    pub weights: Option<Vec<Decimal>>,
    pub revenue_vol: Decimal,
    pub revenue_persistence: Decimal,
    pub margin_vol: Decimal,
    pub margin_persistence: Decimal,
    pub valuation_beta: Decimal,
    pub valuation_vol: Decimal,
    pub valuation_persistence: Decimal,
    pub agi_hazard: Decimal,
    pub failure_hazard: Decimal,
}

impl Default for Simulation {
    fn default() -> Self {
        Simulation {
            paths: 10_000,
            seed: 0,
            from_year: None,
            weights: None,
            revenue_vol: Decimal::new(20, 2),
            revenue_persistence: Decimal::ONE,
            margin_vol: Decimal::new(5, 2),
            margin_persistence: Decimal::new(8, 1),
            valuation_beta: Decimal::ONE,
            valuation_vol: Decimal::new(15, 2),
            valuation_persistence: Decimal::ONE,
            agi_hazard: Decimal::ZERO,
            failure_hazard: Decimal::ZERO,
        }
    }
}

impl Simulation {
    /// The first random year: `from_year`, or valuation_year + 1.
    pub fn first_random_year(&self, model: &Model) -> Year {
        self.from_year.unwrap_or(model.valuation_year + 1)
    }

    /// Each trajectory's weight as a center, in the model's order.
    pub fn weights_of(&self, model: &Model) -> Vec<Decimal> {
        match &self.weights {
            Some(w) => w.clone(),
            None => vec![Decimal::ONE; model.trajectories.len()],
        }
    }
}
