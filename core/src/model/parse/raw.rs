//! The raw shapes of a model file: exactly the SPEC's keys, each value with its byte
//! span, and numbers read back exactly from the text at their span.
//!
//! A value of the wrong type is named by its path in the file, array entries counted from
//! 0; and a number is taken only where its text can be held exactly:
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift_core::model::{ModelSource, NotExact, exact_decimal, parse_model};
//!
//! let issue = |text| parse_model(ModelSource { text, load: &mut |_| Err("none".into()) });
//! // The second contribution's amount, quoted: text where a number belongs.
//! let text = "[investor]\ncontributions = [[2019, 1.0], [2021, \"2.0\"]]\n";
//! let quoted = issue(text).unwrap_err();
//! assert_eq!(quoted.field, "investor.contributions[1][1]");
//! assert_eq!(quoted.message, "found the text \"2.0\", but this must be a number");
//! assert_eq!(&text[quoted.span.unwrap()], "\"2.0\"");
//! // One round written as a table where the SPEC has a list of them.
//! let table = issue("[equity]\nrounds = { year = 2026 }\n").unwrap_err();
//! assert_eq!(table.field, "equity.rounds");
//! assert!(table.message.starts_with("found a table, but this must be an array `[...]`"));
//! assert!(table.message.ends_with("`rounds = [{ ... }, { ... }]`"));
//! // The text of a number, read exactly; too large, or too many digits, it is refused.
//! assert_eq!(exact_decimal("0.49"), Ok(Decimal::new(49, 2)));
//! assert_eq!(exact_decimal("2.5e-3"), Ok(Decimal::new(25, 4)));
//! assert_eq!(exact_decimal("1e19"), Err(NotExact::TooLarge)); // the limit is 1e18
//! let digits = "0.1000000000000000000000000000001"; // 31 significant digits
//! assert_eq!(exact_decimal(digits), Err(NotExact::TooManyDigits)); // 28 at most
//! ```

use super::*;

pub(super) type S<T> = Spanned<T>;
pub(super) type Points = S<Vec<S<Vec<S<Num>>>>>;

/// A table of the model file read as `T`'s keys, and only as a table. serde's derived
/// reader of a struct also takes an array of its fields in order, so without this
/// `commitment = [250.0, 2026, 2032]` would run as `{ total = 250.0, from = 2026, until =
/// 2032 }`, and `revenue = [[[2020, 100.0]], 0.5]` as `{ points = ..., growth = 0.5 }`: a
/// model must say which key each number is for.
pub(super) struct Table<T>(pub(super) T);

impl<T> std::ops::Deref for Table<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Table<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OnlyMaps<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for OnlyMaps<T> {
            type Value = T;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                // Said to the user as "a table `{ ... }`" (messages::describe_type_error).
                f.write_str("a map")
            }
            // Every other kind of value, an array included, is refused by the defaults.
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        deserializer
            .deserialize_map(OnlyMaps(std::marker::PhantomData))
            .map(Table)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawModel {
    pub(super) name: S<String>,
    pub(super) unit: S<String>,
    pub(super) start_year: S<Num>,
    pub(super) end_year: S<Num>,
    pub(super) valuation_year: S<Num>,
    pub(super) discount_rate: S<Num>,
    pub(super) investor: S<Table<RawInvestor>>,
    pub(super) profit_share: S<Table<RawProfitShare>>,
    pub(super) equity: S<Table<RawEquity>>,
    pub(super) trajectories: Option<S<Vec<S<Table<RawTrajectory>>>>>,
    pub(super) trajectories_csv: Option<S<String>>,
    pub(super) simulation: Option<S<Table<RawSimulation>>>,
    pub(super) cloud: Option<S<Table<RawCloud>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCloud {
    pub(super) margin: S<Num>,
    pub(super) spend: S<Table<RawSeries>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCloudTerms {
    pub(super) share: S<Table<RawSeries>>,
    pub(super) commitment: Option<S<Table<RawCommitment>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCommitment {
    pub(super) total: S<Num>,
    pub(super) from: S<Num>,
    pub(super) until: S<Num>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSimulation {
    pub(super) paths: Option<S<Num>>,
    pub(super) seed: Option<S<Num>>,
    pub(super) from_year: Option<S<Num>>,
    pub(super) weights: Option<S<IndexMap<String, S<Num>>>>,
    pub(super) revenue_vol: Option<S<Num>>,
    pub(super) revenue_persistence: Option<S<Num>>,
    pub(super) margin_vol: Option<S<Num>>,
    pub(super) margin_persistence: Option<S<Num>>,
    pub(super) valuation_beta: Option<S<Num>>,
    pub(super) valuation_vol: Option<S<Num>>,
    pub(super) valuation_persistence: Option<S<Num>>,
    pub(super) agi_hazard: Option<S<Num>>,
    pub(super) failure_hazard: Option<S<Num>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawInvestor {
    pub(super) party: S<String>,
    pub(super) contributions: Option<Points>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawProfitShare {
    pub(super) residual: S<String>,
    pub(super) loss_carryforward: Option<S<bool>>,
    pub(super) investor_rights_end_at_agi: Option<S<bool>>,
    pub(super) tiers: S<Vec<S<Table<RawTier>>>>,
    pub(super) revenue_share: Option<S<Table<RawRevenueShare>>>,
    pub(super) cloud: Option<S<Table<RawCloudTerms>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTier {
    pub(super) name: S<String>,
    pub(super) shares: S<IndexMap<String, S<Num>>>,
    pub(super) until: Option<S<IndexMap<String, S<Num>>>>,
    pub(super) cap_growth: Option<S<Num>>,
    pub(super) cap_growth_from: Option<S<Num>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRevenueShare {
    // Required, but checked in validation: an empty table is read as none (SPEC 1's own
    // example writes `[equity.revenue_share]` with no keys for "optional").
    pub(super) rate: Option<S<Num>>,
    pub(super) from: Option<S<Num>>,
    pub(super) until: Option<S<Num>>,
    pub(super) total_cap: Option<S<Num>>,
    pub(super) ends_at_agi: Option<S<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEquity {
    pub(super) from_year: S<Num>,
    pub(super) stake: S<Num>,
    pub(super) dividend_payout: Option<S<Num>>,
    pub(super) terminal_discount: Option<S<Num>>,
    pub(super) rounds: Option<S<Vec<S<Table<RawRound>>>>>,
    pub(super) revenue_share: Option<S<Table<RawRevenueShare>>>,
    pub(super) cloud: Option<S<Table<RawCloudTerms>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRound {
    pub(super) year: S<Num>,
    pub(super) raise: S<Num>,
    pub(super) pre_money: Option<S<Num>>,
    pub(super) participation: Option<S<Num>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTrajectory {
    pub(super) name: S<String>,
    pub(super) description: Option<S<String>>,
    pub(super) agi_year: Option<S<Num>>,
    pub(super) revenue: S<Table<RawSeries>>,
    pub(super) margin: S<Table<RawSeries>>,
    pub(super) valuation: S<Table<RawSeries>>,
    pub(super) spend: Option<S<Table<RawSeries>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSeries {
    pub(super) points: Points,
    pub(super) growth: Option<S<Num>>,
}

/// Why a number as written is not taken: stakeshift never rounds a number it reads. (The
/// model's error messages for each are written where the model is validated.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotExact {
    /// More than 1e18 in size.
    TooLarge,
    /// More than 28 significant digits.
    TooManyDigits,
    /// Digits past the 28th decimal place.
    TooManyPlaces,
    /// Not of the form below.
    Unreadable,
}

impl NotExact {
    /// Why, in words that follow the number in a message ("`1e30` is too large; ...").
    pub fn why(self) -> &'static str {
        match self {
            NotExact::TooLarge => "is too large; numbers in a model must be at most 1e18 in size",
            NotExact::TooManyDigits => {
                "has more than 28 significant digits, which a model's exact decimals cannot hold; write it with at most 28 (rounding it yourself)"
            }
            NotExact::TooManyPlaces => {
                "has digits beyond the 28th decimal place, which a model's exact decimals cannot hold; write it with at most 28 decimal places"
            }
            NotExact::Unreadable => "cannot be read as a decimal number",
        }
    }
}

/// The exact value of a number as TOML writes it, once the TOML parser has read it as a
/// float: its text with any `_` and leading `+` removed by the caller (`-1.25e-3`, `1e18`,
/// `0.49`), that is an optional `-`, digits with at most one `.`, and an optional exponent
/// (`e` or `E`, an optional sign, digits). This function does not check the rest of TOML's
/// grammar (it takes `.5` and `007`), nor `inf` and `nan` (Unreadable). Or why it cannot be
/// held exactly: more than 1e18 in size, more than 28 significant digits, or digits past the
/// 28th decimal place. Leading and trailing zeros do not count, so
/// `0.100000000000000000000000000000` is 0.1.
pub fn exact_decimal(literal: &str) -> Result<Decimal, NotExact> {
    let (negative, unsigned) = match literal.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, literal),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().map_err(|_| NotExact::Unreadable)?),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if !whole
        .bytes()
        .chain(fraction.bytes())
        .all(|b| b.is_ascii_digit())
        || whole.len() + fraction.len() == 0
    {
        return Err(NotExact::Unreadable);
    }
    // value = digits * 10^exponent, digits without leading or trailing zeros.
    let all: String = format!("{whole}{fraction}");
    let mut exponent = exponent.saturating_sub(fraction.len() as i64);
    let trimmed_end = all.trim_end_matches('0');
    exponent = exponent.saturating_add((all.len() - trimmed_end.len()) as i64);
    let digits = trimmed_end.trim_start_matches('0');
    if digits.is_empty() {
        return Ok(Decimal::ZERO);
    }
    // Size: digits has len digits, so the value is below 10^(len + exponent).
    let magnitude = digits.len() as i64 + exponent;
    if magnitude > 19 {
        return Err(NotExact::TooLarge);
    }
    if digits.len() > 28 {
        return Err(NotExact::TooManyDigits);
    }
    if exponent < -28 {
        return Err(NotExact::TooManyPlaces);
    }
    let int: i128 = digits.parse().map_err(|_| NotExact::Unreadable)?;
    let mut value = if exponent < 0 {
        Decimal::try_from_i128_with_scale(int, (-exponent) as u32)
            .map_err(|_| NotExact::TooManyDigits)?
    } else {
        Decimal::try_from_i128_with_scale(int, 0).map_err(|_| NotExact::TooManyDigits)?
            * Decimal::from(10i64.pow(exponent as u32))
    };
    if negative {
        value = -value;
    }
    if value.abs() > max_number() {
        return Err(NotExact::TooLarge);
    }
    // Keep the places as written (`5.0` prints as 5.0), where the decimal type holds them.
    let as_written = if literal.contains(['e', 'E']) {
        Decimal::from_scientific(literal).ok()
    } else {
        Decimal::from_str_exact(literal).ok()
    };
    Ok(as_written.filter(|w| *w == value).unwrap_or(value))
}

/// A TOML number; its exact value is read back from the file's text at its span.
pub(super) enum Num {
    /// Any integer TOML gives (beyond i64 too, so that a huge one is reported as too large,
    /// not as a type error).
    Int(i128),
    Float(f64),
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Num;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Num, E> {
                Ok(Num::Int(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Num, E> {
                Ok(Num::Int(v.into()))
            }
            fn visit_i128<E>(self, v: i128) -> Result<Num, E> {
                Ok(Num::Int(v))
            }
            fn visit_u128<E>(self, v: u128) -> Result<Num, E> {
                // Beyond i128 is far beyond the limit anyway.
                Ok(Num::Int(i128::try_from(v).unwrap_or(i128::MAX)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Num, E> {
                Ok(Num::Float(v))
            }
        }
        d.deserialize_any(Visitor)
    }
}
