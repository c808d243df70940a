//! Validation: raw values to a [`Model`], or the first [`ModelIssue`], with the field,
//! its place and what would be valid; and the warnings of valid values that look like a
//! slip.
//!
//! A rule that ties values together: a tier's shares may add up to at most 1 (SPEC section
//! 6). Each share below is valid alone, but 0.6 + 0.5 = 1.1: the sum is reported against
//! the `shares` table, at its `{` (line 11, column 37):
//!
//! ```
//! use stakeshift_core::Error;
//! use stakeshift_core::model::{ModelSource, parse_model};
//!
//! let text = r#"name = "Tiny"
//! unit = "USD m"
//! start_year = 2024
//! end_year = 2026
//! valuation_year = 2024
//! discount_rate = 0.1
//! investor = { party = "fund" }
//! equity = { from_year = 2025, stake = 0.2 }
//! [profit_share]
//! residual = "founders"
//! tiers = [{ name = "Split", shares = { fund = 0.6, staff = 0.5 } }]
//! [[trajectories]]
//! name = "base"
//! revenue = { points = [[2024, 10.0]] }
//! margin = { points = [[2024, 0.2]] }
//! valuation = { points = [[2024, 50.0]] }"#;
//! let issue = parse_model(ModelSource { text, load: &mut |_| Err("none".into()) });
//! let issue = issue.unwrap_err();
//! let expected = "tiny.toml, line 11, column 37: profit_share.tiers[0].shares: the \
//!     shares add up to 1.1; they must add up to at most 1 (the residual gets 1 minus \
//!     their sum)";
//! assert_eq!(Error::model("tiny.toml", text, issue).to_string(), expected);
//! ```

use super::*;

pub(super) struct Builder<'t> {
    pub(super) text: &'t str,
    /// Values that are valid but look like a slip (a percent written for a fraction): they
    /// go back with the model, and the command line shows them.
    pub(super) warnings: std::cell::RefCell<Vec<ModelIssue>>,
}

pub(super) type Check<T> = Result<T, ModelIssue>;

pub(super) fn fail<T>(
    field: impl Into<String>,
    span: Range<usize>,
    message: impl Into<String>,
) -> Check<T> {
    Err(ModelIssue::new(field, message).at(span))
}

/// The waterfall's most steps over one run of `years` years: per tier, its slices (a fixed
/// cap closes once: `until` entries + years; with cap_growth a cap can close every year:
/// years x (`until` entries + 1)) times its parties.
fn waterfall_steps(raw: &RawProfitShare, years: usize) -> usize {
    raw.tiers
        .get_ref()
        .iter()
        .map(|t| {
            let t = t.get_ref();
            let caps = t.until.as_ref().map_or(0, |u| u.get_ref().len());
            let parties = t.shares.get_ref().len();
            let slices = if t.cap_growth.is_some() {
                years.saturating_mul(caps + 1)
            } else {
                caps.saturating_add(years)
            };
            slices.saturating_mul(parties)
        })
        .fold(0, usize::saturating_add)
}

impl Builder<'_> {
    /// Notes a valid value that looks like a slip.
    fn warn(&self, field: impl Into<String>, span: Range<usize>, message: impl Into<String>) {
        self.warnings
            .borrow_mut()
            .push(ModelIssue::new(field, message).at(span));
    }

    /// A yearly rate of 100% or more is valid but is most often a percent written where a
    /// fraction belongs (`discount_rate = 9` for 9%, which would discount at 900%).
    fn warn_if_percent_like(&self, field: &str, span: Range<usize>, rate: Decimal) {
        if rate >= Decimal::ONE {
            let rate = rate.normalize();
            let percent = (rate * Decimal::ONE_HUNDRED).normalize();
            self.warn(
                field,
                span,
                format!(
                    "{rate} is a yearly rate of {percent}%{}",
                    percent_hint(rate, "; ")
                ),
            );
        }
    }

    /// A number's text as the file writes it, without `_` separators and a leading `+`: what
    /// [`exact_decimal`] reads.
    fn literal(&self, num: &S<Num>) -> String {
        self.text
            .get(num.span())
            .unwrap_or_default()
            .chars()
            .filter(|c| *c != '_' && *c != '+')
            .collect()
    }

    /// The exact decimal value of a number as written.
    fn decimal(&self, field: &str, num: &S<Num>) -> Check<Decimal> {
        let span = num.span();
        match num.get_ref() {
            Num::Int(i) if i.unsigned_abs() > u128::from(MAX_NUMBER.unsigned_abs()) => fail(
                field,
                span,
                format!(
                    "{} is too large; numbers in a model must be at most 1e18 in size",
                    self.text.get(num.span()).unwrap_or("the number")
                ),
            ),
            Num::Int(i) => Ok(Decimal::from(*i as i64)),
            Num::Float(f) => {
                if !f.is_finite() {
                    return fail(field, span, "must be a finite number, not inf or nan");
                }
                let literal = self.literal(num);
                exact_decimal(&literal).map_err(|problem| {
                    // A number of a thousand digits is not echoed whole (helper-78): its
                    // first 30 characters and how many there are.
                    let count = literal.chars().count();
                    let shown = if count > 40 {
                        let head: String = literal.chars().take(30).collect();
                        format!("{head}... ({count} characters)")
                    } else {
                        literal.clone()
                    };
                    ModelIssue::new(field, format!("{shown} {}", problem.why())).at(span.clone())
                })
            }
        }
    }

    fn year(&self, field: &str, num: &S<Num>) -> Check<Year> {
        let implausible = |written: &str| {
            fail(
                field,
                num.span(),
                format!(
                    "{written} is not a plausible year; write a whole calendar year such as 2025 (a year is taken from -{MAX_YEAR} to {MAX_YEAR})"
                ),
            )
        };
        match num.get_ref() {
            Num::Int(i) if (-i128::from(MAX_YEAR)..=i128::from(MAX_YEAR)).contains(i) => {
                Ok(*i as Year)
            }
            Num::Int(i) => implausible(&i.to_string()),
            // A whole year written with a decimal point (`2025.0`, as spreadsheets and
            // pandas write a column of years) is that year, read exactly as a seed or a
            // count is (helper-182: "2025.0 is not a whole year").
            // (One past a year's range is told so before the amounts' 1e18 bound is:
            // helper-187, `1e19`.)
            Num::Float(f) if f.is_finite() && f.abs() > f64::from(MAX_YEAR) + 1.0 => {
                implausible(self.text.get(num.span()).unwrap_or("this"))
            }
            Num::Float(_) => {
                let v = self.decimal(field, num)?;
                let written = self.text.get(num.span()).unwrap_or("this");
                if !v.fract().is_zero() {
                    fail(
                        field,
                        num.span(),
                        format!(
                            "{written} is not a whole year; write a whole calendar year such as 2025"
                        ),
                    )
                } else if let Some(year) = whole_year(v) {
                    Ok(year)
                } else {
                    implausible(written)
                }
            }
        }
    }

    fn in_range(&self, field: &str, num: &S<Num>, lo: Decimal, hi: Decimal) -> Check<Decimal> {
        let v = self.decimal(field, num)?;
        if v < lo || v > hi {
            return fail(
                field,
                num.span(),
                format!(
                    "{v} is out of range; it must be between {lo} and {hi} (a fraction, 0.27 for 27%)"
                ),
            );
        }
        Ok(v)
    }

    fn positive(&self, field: &str, num: &S<Num>) -> Check<Decimal> {
        let v = self.decimal(field, num)?;
        if v <= Decimal::ZERO {
            return fail(field, num.span(), format!("{v} must be greater than 0"));
        }
        Ok(v)
    }

    fn non_negative(&self, field: &str, num: &S<Num>) -> Check<Decimal> {
        let v = self.decimal(field, num)?;
        if v < Decimal::ZERO {
            return fail(field, num.span(), format!("{v} must be 0 or more"));
        }
        Ok(v)
    }

    /// A margin-like series holds its last value after its last point (SPEC 2): a growth
    /// other than 0 on one is valid but changes nothing, which its writer may not expect.
    fn warn_growth_held(&self, field: &str, raw: &RawSeries, series: &Series, end_year: Year) {
        if let Some(num) = &raw.growth
            && !series.growth.is_zero()
        {
            let last = series.points.last().map_or(0, |(y, _)| *y);
            // Points for later years only where the model has any (helper-128: "add points
            // for the years after 2026" in a model that ends in 2026).
            let instead = if last < end_year {
                format!("remove it, or add points for the years after {last}")
            } else {
                format!("remove it (the model has no year after the last point, {last})")
            };
            self.warn(
                format!("{field}.growth"),
                num.span(),
                format!(
                    "has no effect: a margin-like series holds its last value after its last point (only revenue and valuation grow); {instead}"
                ),
            );
        }
    }

    /// A valuation series whose first point comes after the stake is held (equity.from_year,
    /// or start_year if later) is valid, but the valuation is 0 before its first point (SPEC
    /// 2), so the stake is worth nothing in those years (its value drawn as 0, then a
    /// cliff): most often the company's earlier value left out (session 46).
    fn warn_valuation_after_the_stake(
        &self,
        field: &str,
        raw: &RawTrajectory,
        trajectory: &Trajectory,
        equity: &Equity,
        years: &YearRange,
    ) {
        let TrajectorySource::Series { valuation, .. } = &trajectory.source else {
            return;
        };
        let Some(&(first, _)) = valuation.points.first() else {
            return;
        };
        let held = equity.from_year.max(years.start);
        if first <= held || held > years.end {
            return;
        }
        let span = (raw.valuation.get_ref().points.get_ref().first())
            .map_or(raw.valuation.span(), |pair| pair.span());
        // The years of the model before the first point (helper-291: a first point after
        // end_year named years the model does not have).
        let last = (first - 1).min(years.end);
        let before = if last > held {
            format!("{held}-{last}")
        } else {
            held.to_string()
        };
        let said = if first > years.end {
            format!(
                "the valuation begins in {first}, after the model's last year ({}): a valuation is 0 before its first point, so the stake, held from {held}, is worth 0 in every year it is held in the model, {before}",
                years.end
            )
        } else {
            format!(
                "the valuation begins in {first}, after the stake is held from {held}: a valuation is 0 before its first point, so the stake is worth 0 in {before}"
            )
        };
        self.warn(
            format!("{field}.valuation.points[0]"),
            span,
            format!("{said}; add a point for {held} if the company had a value then"),
        );
    }

    /// A series point more than [`FAR_YEARS`] years outside the model is valid (the series
    /// interpolates toward it, or is 0 until it where it is the first) but is most often a
    /// mistyped year (2300 for 2030).
    fn warn_far_points(&self, field: &str, raw: &RawSeries, series: &Series, years: &YearRange) {
        for (i, ((year, _), pair)) in series.points.iter().zip(raw.points.get_ref()).enumerate() {
            if let Some(far) = years.far_outside(*year) {
                self.warn(
                    format!("{field}.points[{i}]"),
                    pair.span(),
                    format!("the point for {year} lies {far}; check the year"),
                );
            }
        }
    }

    /// A margin above 1 (profit above revenue) or below -10 is valid but most often a
    /// percent written for a fraction (`25` for 25%).
    fn warn_margin_points(&self, field: &str, raw: &RawSeries, series: &Series) {
        for (i, ((year, margin), pair)) in
            series.points.iter().zip(raw.points.get_ref()).enumerate()
        {
            if *margin > Decimal::ONE || *margin < MARGIN_BELOW_WARNED {
                let margin = margin.normalize();
                let what = if margin > Decimal::ZERO {
                    "a profit"
                } else {
                    "a loss"
                };
                self.warn(
                    format!("{field}.points[{i}]"),
                    pair.span(),
                    format!(
                        "a margin of {margin} in {year} is {what} of {}% of revenue; margins are fractions{}",
                        (margin.abs() * Decimal::ONE_HUNDRED).normalize(),
                        percent_hint(margin, ": ")
                    ),
                );
            }
        }
    }

    /// A CSV trajectory's years whose profit is above its revenue or below -10 times it,
    /// or whose `cloud_spend` is above 10 times revenue: valid, but warned of as the same
    /// margins and spends written as series are (helper-123: a CSV, where a mistyped column
    /// is likeliest, was not checked). One warning a kind and trajectory, with its first
    /// year and how many.
    fn warn_csv_slips(&self, file: &str, span: Range<usize>, start_year: Year, t: &Trajectory) {
        let TrajectorySource::Table {
            revenue, profit, ..
        } = &t.source
        else {
            return;
        };
        let year = |i: usize| start_year + i as Year;
        let margins: Vec<(usize, Decimal)> = revenue
            .iter()
            .zip(profit)
            .enumerate()
            .filter(|(_, (r, _))| **r > Decimal::ZERO)
            .filter_map(|(i, (r, p))| {
                let m = p.checked_div(*r)?;
                (m > Decimal::ONE || m < MARGIN_BELOW_WARNED).then_some((i, m))
            })
            .collect();
        if let Some(&(i, m)) = margins.first() {
            let more = and_more_years(margins.len());
            self.warn(
                "trajectories_csv",
                span.clone(),
                format!(
                    "in `{file}`, trajectory `{}` has a profit of {} on a revenue of {} in {}{more}, a margin of {}; a margin above 1 or below -10 is most often a slip: check the profit column",
                    t.name,
                    profit[i].normalize(),
                    revenue[i].normalize(),
                    year(i),
                    m.round_dp(4).normalize()
                ),
            );
        }
        if let Some(Spend::Amounts(spend)) = &t.spend {
            let high: Vec<usize> = spend
                .iter()
                .zip(revenue)
                .enumerate()
                .filter(|(_, (s, r))| {
                    r.checked_mul(SPEND_ABOVE_WARNED)
                        .is_some_and(|limit| **s > limit)
                })
                .map(|(i, _)| i)
                .collect();
            if let Some(&i) = high.first() {
                let more = and_more_years(high.len());
                self.warn(
                    "trajectories_csv",
                    span,
                    format!(
                        "in `{file}`, trajectory `{}` spends {} on compute on a revenue of {} in {}{more}, more than {SPEND_ABOVE_WARNED} times revenue; check the cloud_spend column (it is the spend itself, in the model's unit)",
                        t.name,
                        spend[i].normalize(),
                        revenue[i].normalize(),
                        year(i)
                    ),
                );
            }
        }
    }

    /// A tier's `until` for a party at or below the party's `until` in an earlier tier is
    /// valid but pays the party nothing in it: `until` counts receipts from all tiers, and
    /// the earlier tier was done only once the party had reached its amount there. Where
    /// either tier's amounts grow, compared year by year over the model's years: a later cap
    /// never above the earlier one in any year is as dead (helper-123: growth that cannot
    /// lift the later cap over the earlier one skipped the warning).
    fn warn_dead_caps(
        &self,
        raw: &RawProfitShare,
        terms: &ProfitShare,
        parties: &Parties,
        years: (Year, Year),
    ) {
        // A cap `base` of tier `t` in `year`, grown by its cap_growth.
        let grown = |t: &Tier, base: Decimal, year: Year| -> Option<Decimal> {
            let n = i64::from(year) - i64::from(t.cap_growth_from);
            if n <= 0 {
                return Some(base);
            }
            crate::engine::Num::checked_powi(Decimal::ONE + t.cap_growth, n)
                .and_then(|f| base.checked_mul(f))
        };
        // The least and greatest a cap is over the model's years, grown; None where it does
        // not grow within them. Each to the fewest places (2 from 1 on, 6 significant
        // digits below) that keep it on the same side of every amount the message prints,
        // `others` and the ends themselves (helper-130, -131: "1 (grown: 1 to 1.01)" beside
        // 1.0004, where the least was 1.0005; "13 to 13"); the written cap as written.
        let span_of = |t: &Tier, base: Decimal, others: &[Decimal]| -> Option<String> {
            let values: Vec<Decimal> = (years.0..=years.1)
                .filter_map(|y| grown(t, base, y))
                .collect();
            let lo = values.iter().copied().min().unwrap_or(base);
            let hi = values.iter().copied().max().unwrap_or(base);
            if lo == base && hi == base {
                return None;
            }
            let marks: Vec<Decimal> = [base, lo, hi].iter().chain(others).copied().collect();
            let short = |v: Decimal| -> String {
                if v == base {
                    return base.normalize().to_string();
                }
                let faithful = |p: &Decimal| {
                    marks
                        .iter()
                        .filter(|m| **m != v)
                        .all(|m| p.cmp(m) == v.cmp(m))
                };
                let shown = if v.abs() >= Decimal::ONE {
                    (2..=28)
                        .map(|dp| crate::engine::number::printed(v, dp))
                        .find(faithful)
                } else {
                    (6..=28).filter_map(|sf| v.round_sf(sf)).find(faithful)
                };
                shown.unwrap_or(v).normalize().to_string()
            };
            Some(if lo == hi {
                short(lo)
            } else {
                format!("{} to {}", short(lo), short(hi))
            })
        };
        // Whether `amount` in `tier` is at or below `before` in `earlier` in every year.
        let never_above = |tier: &Tier, amount: Decimal, earlier: &Tier, before: Decimal| {
            if tier.cap_growth.is_zero() && earlier.cap_growth.is_zero() {
                return before >= amount;
            }
            (years.0..=years.1).all(|y| {
                match (grown(tier, amount, y), grown(earlier, before, y)) {
                    (Some(later), Some(first)) => first >= later,
                    // Past what a decimal holds: not a slip to warn of.
                    _ => false,
                }
            })
        };
        // Per party, the earlier tiers that cap it (helper-133: each cap searched every
        // earlier tier, so 200,000 tiers ran past ten minutes): of the tiers whose caps do
        // not grow, the caps that rose above all before them, in order (the first earlier
        // cap at or above an amount is the first of these at or above it); the tiers whose
        // caps grow, each compared year by year within a budget of comparisons (past it, a
        // warning is left out rather than the check run for minutes).
        struct Earlier {
            rising: Vec<(usize, Decimal)>,
            growing: Vec<(usize, Decimal)>,
        }
        let mut earlier_of: std::collections::HashMap<PartyId, Earlier> =
            std::collections::HashMap::new();
        let mut budget = DEAD_CAP_YEAR_BUDGET;
        let years_run = u64::try_from(i64::from(years.1) - i64::from(years.0) + 1).unwrap_or(0);
        for (k, tier) in terms.tiers.iter().enumerate() {
            let raw_until = raw.tiers.get_ref()[k].get_ref().until.as_ref();
            for (at, (party, amount)) in tier.until.iter().enumerate() {
                let found = earlier_of.get(party).and_then(|e| {
                    // The least amount an earlier fixed cap must reach: this one, or its
                    // largest grown, in the first year or the last (a cap grows, or falls,
                    // the same way every year); None past what a decimal holds, never a
                    // slip.
                    // (Not the written amount: grown from before start_year, a falling cap
                    // is below it in every year of the model; helper-140.)
                    let threshold = if tier.cap_growth.is_zero() {
                        Some(*amount)
                    } else {
                        grown(tier, *amount, years.0)
                            .zip(grown(tier, *amount, years.1))
                            .map(|(first, last)| first.max(last))
                    };
                    let fixed = threshold.and_then(|t| {
                        let i = e.rising.partition_point(|(_, c)| *c < t);
                        e.rising.get(i).copied()
                    });
                    let limit = fixed.map_or(k, |(j, _)| j);
                    for &(j, before) in e.growing.iter().take_while(|(j, _)| *j < limit) {
                        // Past the budget the first such tier is not known: no warning
                        // rather than one naming a later tier (helper-140).
                        if budget < years_run {
                            return None;
                        }
                        budget -= years_run;
                        if never_above(tier, *amount, &terms.tiers[j], before) {
                            return Some((j, before));
                        }
                    }
                    fixed
                });
                let entry = earlier_of.entry(*party).or_insert_with(|| Earlier {
                    rising: Vec::new(),
                    growing: Vec::new(),
                });
                if !tier.cap_growth.is_zero() {
                    entry.growing.push((k, *amount));
                } else if entry.rising.last().is_none_or(|(_, c)| amount > c) {
                    entry.rising.push((k, *amount));
                }
                let Some((written, raw_amount)) = raw_until.and_then(|u| u.get_ref().get_index(at))
                else {
                    continue;
                };
                let earlier = found;
                if let Some((j, before)) = earlier {
                    let name = quoted(&parties.names[*party]);
                    // Where caps grow, the amounts compared are the grown ones, said as such
                    // (helper-128: "15 is not above the 13", where 13 grown was 65.8 to 148).
                    let comparison = if tier.cap_growth.is_zero()
                        && terms.tiers[j].cap_growth.is_zero()
                    {
                        format!(
                            "{} is not above the {} that tiers[{j}] gives {name} as its `until`",
                            amount.normalize(),
                            before.normalize(),
                        )
                    } else {
                        let printed = [*amount, before];
                        let said = |t: &Tier, v: Decimal| match span_of(t, v, &printed) {
                            None => v.normalize().to_string(),
                            Some(span) => format!("{} (grown: {span})", v.normalize()),
                        };
                        // "caps grown" only where one grows within the model's years.
                        let grows = span_of(tier, *amount, &printed).is_some()
                            || span_of(&terms.tiers[j], before, &printed).is_some();
                        format!(
                            "{} is in no year of the model above the {} that tiers[{j}] gives {name} as its `until`{}",
                            said(tier, *amount),
                            said(&terms.tiers[j], before),
                            if grows {
                                ", caps grown by cap_growth"
                            } else {
                                ""
                            },
                        )
                    };
                    self.warn(
                        format!("profit_share.tiers[{k}].until.{}", key_text(written)),
                        raw_amount.span(),
                        format!(
                            "{comparison}; `until` counts what a party has received from all tiers, so {name} has reached it before this tier begins and gets nothing here: give the total it is to reach by the end of this tier",
                        ),
                    );
                }
            }
        }
    }

    /// A tier with no `until` is never done (SPEC 3: it takes every distributable profit),
    /// so the tiers after it are never reached: valid, but their terms do nothing, and an
    /// investor with a share only there is paid nothing by the waterfall (helper-128: no word
    /// of it, where an investor with no share at all is warned of).
    fn warn_tiers_never_reached(
        &self,
        raw: &RawProfitShare,
        terms: &ProfitShare,
        investor: PartyId,
        parties: &Parties,
    ) {
        let Some(open) = terms.tiers.iter().position(|t| t.until.is_empty()) else {
            return;
        };
        let first_dead = open + 1;
        let Some(raw_tier) = raw.tiers.get_ref().get(first_dead) else {
            return;
        };
        let paid = |t: &crate::model::Tier| {
            t.shares
                .iter()
                .any(|(p, s)| *p == investor && *s > Decimal::ZERO)
        };
        let investor_only_there = terms.residual != investor
            && !terms.tiers[..first_dead].iter().any(paid)
            && terms.tiers[first_dead..].iter().any(paid);
        let investor_note = if investor_only_there {
            format!(
                "; {} has a share only in tiers after it, so the waterfall pays it nothing",
                quoted(&parties.names[investor])
            )
        } else {
            String::new()
        };
        let rest = terms.tiers.len() - first_dead;
        self.warn(
            format!("profit_share.tiers[{first_dead}]"),
            raw_tier.span(),
            format!(
                "is never reached{}: tiers[{open}] before it has no `until`, so it is never done and takes every distributable profit{investor_note}",
                match rest - 1 {
                    0 => String::new(),
                    1 => ", nor is the tier after it".to_string(),
                    n => format!(", nor are the {n} tiers after it"),
                }
            ),
        );
    }

    /// An investor that is not the residual and has no share in any tier is valid (the
    /// profit share then pays it only its revenue share), but most often a name spelt
    /// differently in `investor.party` and the tiers.
    fn warn_investor_unpaid(
        &self,
        raw: &RawModel,
        investor: PartyId,
        terms: &ProfitShare,
        parties: &Parties,
    ) {
        let shared = terms.tiers.iter().any(|t| {
            t.shares
                .iter()
                .any(|(p, s)| *p == investor && *s > Decimal::ZERO)
        });
        if shared || terms.residual == investor {
            return;
        }
        let name = &parties.names[investor];
        // The parties the tiers pay, other than the investor: the one nearest its name, if
        // near enough to be a slip (a third of its letters, at least one, may differ).
        // Each once, in the order first named (a set: a list searched for each name was
        // quadratic, 400,000 parties ran past a minute; helper-95).
        let mut seen = HashSet::new();
        let paid: Vec<&str> = terms
            .tiers
            .iter()
            .flat_map(|t| t.shares.iter())
            .filter(|(p, s)| *p != investor && *s > Decimal::ZERO && seen.insert(*p))
            .map(|(p, _)| parties.names[*p].as_str())
            .collect();
        let hint = super::messages::nearest(name, &paid)
            .filter(|n| {
                let apart = strsim::damerau_levenshtein(&n.to_lowercase(), &name.to_lowercase());
                apart <= (name.chars().count() / 3).max(1)
            })
            .map(|n| {
                format!(
                    "; did you mean {}? (party names are compared exactly)",
                    quoted(n)
                )
            })
            .unwrap_or_default();
        // Tiers that pay nobody but the residual, and a revenue share: a deal of a revenue
        // share alone (a revenue-based note), written so on purpose; not warned of on every
        // command (helper-139).
        if paid.is_empty() && terms.revenue_share.is_some() {
            return;
        }
        let investor_raw = &raw.investor.get_ref().party;
        self.warn(
            "investor.party",
            investor_raw.span(),
            format!(
                "{} has no share in any tier of the profit share and is not its residual, so the waterfall pays it nothing (a revenue share still would){hint}",
                quoted(name)
            ),
        );
    }

    /// A yearly growth rate: > -1, or >= -1 where `minus_one` (a tier's `cap_growth`: -1
    /// leaves a cap of 0 after its first year of growth, which has a meaning; a series'
    /// growth of -1 would put a 0 where the series goes on geometrically from it).
    fn growth(&self, field: &str, num: Option<&S<Num>>, minus_one: bool) -> Check<Decimal> {
        let Some(num) = num else {
            return Ok(Decimal::ZERO);
        };
        let v = self.decimal(field, num)?;
        if v < -Decimal::ONE || (v == -Decimal::ONE && !minus_one) {
            let bound = if minus_one {
                "-1 or more"
            } else {
                "greater than -1"
            };
            return fail(
                field,
                num.span(),
                format!("{v} must be {bound} (a yearly rate: 0.07 for 7%)"),
            );
        }
        self.warn_if_percent_like(field, num.span(), v);
        Ok(v)
    }

    fn name(&self, field: &str, s: &S<String>) -> Check<String> {
        plain_text(field, s.span(), s.get_ref())?;
        let v = s.get_ref().trim();
        if v.is_empty() {
            return fail(field, s.span(), "must not be empty");
        }
        Ok(v.to_string())
    }

    /// `[[year, value], ...]`, each entry a pair with a whole year.
    fn pairs(&self, field: &str, points: &Points) -> Check<Vec<(Year, Decimal, Range<usize>)>> {
        let mut out = Vec::with_capacity(points.get_ref().len());
        for (i, pair) in points.get_ref().iter().enumerate() {
            let f = format!("{field}[{i}]");
            let [year, value] = pair.get_ref().as_slice() else {
                // (A value written with thousands separators reads as more entries.)
                let grouped = grouped_value_in_a_pair(self.text, pair.span().start + 1)
                    .map_or(String::new(), |said| format!(": {said}"));
                return fail(
                    f,
                    pair.span(),
                    format!(
                        "must be a pair [year, value], but it has {} entries{grouped}",
                        pair.get_ref().len()
                    ),
                );
            };
            out.push((self.year(&f, year)?, self.decimal(&f, value)?, pair.span()));
        }
        Ok(out)
    }

    pub(super) fn build(
        &self,
        raw: RawModel,
        load: &mut dyn FnMut(&str) -> Result<String, String>,
    ) -> Check<Model> {
        let name = self.name("name", &raw.name)?;
        let unit = self.name("unit", &raw.unit)?;
        let start_year = self.year("start_year", &raw.start_year)?;
        let end_year = self.year("end_year", &raw.end_year)?;
        let valuation_year = self.year("valuation_year", &raw.valuation_year)?;
        if start_year > end_year {
            return fail(
                "end_year",
                raw.end_year.span(),
                format!(
                    "end_year {end_year} is before start_year {start_year}; the horizon must end on or after its first year"
                ),
            );
        }
        if end_year - start_year + 1 > MAX_YEARS {
            return fail(
                "end_year",
                raw.end_year.span(),
                format!(
                    "{start_year}..={end_year} is {} years; a model may project at most {MAX_YEARS} years",
                    end_year - start_year + 1
                ),
            );
        }
        if valuation_year < start_year || valuation_year > end_year {
            return fail(
                "valuation_year",
                raw.valuation_year.span(),
                format!(
                    "{valuation_year} is outside the years; it must be between start_year {start_year} and end_year {end_year}"
                ),
            );
        }
        let discount_rate = self.decimal("discount_rate", &raw.discount_rate)?;
        if discount_rate <= -Decimal::ONE {
            return fail(
                "discount_rate",
                raw.discount_rate.span(),
                format!("{discount_rate} must be greater than -1 (a yearly rate: 0.09 for 9%)"),
            );
        }
        self.warn_if_percent_like("discount_rate", raw.discount_rate.span(), discount_rate);
        let years = YearRange {
            start: start_year,
            end: end_year,
        };

        let mut parties = Parties::default();
        let investor = self.investor(raw.investor.get_ref(), &years, &mut parties)?;
        let profit_share = self.profit_share(raw.profit_share.get_ref(), &mut parties, &years)?;
        let equity = self.equity(raw.equity.get_ref(), &years)?;
        self.warn_dead_caps(
            raw.profit_share.get_ref(),
            &profit_share,
            &parties,
            (start_year, end_year),
        );
        self.warn_investor_unpaid(&raw, investor.party, &profit_share, &parties);
        self.warn_tiers_never_reached(
            raw.profit_share.get_ref(),
            &profit_share,
            investor.party,
            &parties,
        );

        let mut trajectories = Vec::new();
        let mut names = HashSet::new();
        // Trajectories x years is bounded (MAX_TRAJECTORY_YEARS): so many trajectories fit.
        let max_trajectories = MAX_TRAJECTORY_YEARS / ((end_year - start_year + 1).max(1) as usize);
        if let Some(list) = &raw.trajectories {
            for (i, t) in list.get_ref().iter().enumerate() {
                let field = format!("trajectories[{i}]");
                if i == max_trajectories {
                    return fail(
                        field,
                        t.span(),
                        format!(
                            "one trajectory more than the {max_trajectories} this model can hold; a model may hold at most {MAX_TRAJECTORY_YEARS} trajectory-years (trajectories times the years start_year..=end_year)"
                        ),
                    );
                }
                let trajectory = self.trajectory(&field, t.get_ref(), &years)?;
                self.warn_valuation_after_the_stake(
                    &field,
                    t.get_ref(),
                    &trajectory,
                    &equity,
                    &years,
                );
                if !names.insert(trajectory.name.clone()) {
                    return fail(
                        format!("{field}.name"),
                        t.get_ref().name.span(),
                        format!(
                            "the name `{}` is used twice; trajectory names must be unique",
                            trajectory.name
                        ),
                    );
                }
                trajectories.push(trajectory);
            }
        }
        if let Some(path) = &raw.trajectories_csv {
            // An empty name names no file (helper-133: "cannot read ``: : no such file").
            if path.get_ref().trim().is_empty() {
                return Err(ModelIssue::new(
                    "trajectories_csv",
                    "the file name is empty; give the CSV's path relative to the model file, such as \"paths.csv\", or leave the key out",
                )
                .at(path.span()));
            }
            let text = load(path.get_ref()).map_err(|why| {
                ModelIssue::new(
                    "trajectories_csv",
                    // (`why` names the file and says what is wrong with it: helper-178, the
                    // file was named twice.)
                    why.to_string(),
                )
                .at(path.span())
            })?;
            let (table, outside) = crate::model::read_trajectories_csv(
                &text,
                start_year,
                end_year,
                max_trajectories - trajectories.len(),
                &names,
            )
            .map_err(|e| {
                ModelIssue::new("trajectories_csv", format!("in `{}`, {e}", path.get_ref()))
                    .at(path.span())
            })?;
            // Columns not read: most often a misspelt `cloud_spend`, whose spend was then 0.
            let unread = crate::model::unread_columns(&text);
            if !unread.is_empty() {
                // Only the names listed are worth a suggestion (each an edit distance): a
                // header of two million unread names spent 10 s on those never shown.
                let shown = unread.iter().enumerate().map(|(i, c)| {
                    if i >= crate::error::LISTED {
                        return String::new();
                    }
                    let near = super::messages::nearest(c, &["cloud_spend"])
                        .filter(|n| strsim::damerau_levenshtein(&c.to_lowercase(), n) <= 3)
                        .map(|n| format!(" (did you mean `{n}`?)"))
                        .unwrap_or_default();
                    format!("`{}`{near}", crate::error::quoted(c))
                });
                self.warn(
                    "trajectories_csv",
                    path.span(),
                    format!(
                        "in `{}`, the column{} {} {} not read; the columns read are trajectory, year, revenue, profit, valuation and, optionally, cloud_spend",
                        path.get_ref(),
                        if unread.len() == 1 { "" } else { "s" },
                        crate::error::listed(shown),
                        if unread.len() == 1 { "is" } else { "are" },
                    ),
                );
            }
            if let Some(o) = outside {
                let (year, line) = (o.first_year, o.first_line);
                let what = match o.rows {
                    1 => format!(
                        "the row for {year} (line {line}) lies outside the model's years {start_year}..={end_year} and is ignored"
                    ),
                    n => format!(
                        "{n} rows lie outside the model's years {start_year}..={end_year} and are ignored (the first for {year}, line {line})"
                    ),
                };
                self.warn(
                    "trajectories_csv",
                    path.span(),
                    format!(
                        "in `{}`, {what}; remove {}, or widen start_year..=end_year",
                        path.get_ref(),
                        if o.rows == 1 { "it" } else { "them" }
                    ),
                );
            }
            // (Names that are not plain text, and those of the model file's trajectories,
            // are refused as the CSV is read, on their line.)
            for t in table {
                self.warn_csv_slips(path.get_ref(), path.span(), start_year, &t);
                trajectories.push(t);
            }
        }
        // Every command runs every trajectory (SPEC 6), and a run keeps each year's split
        // by party: so the waterfall's steps and its party-years over all trajectories are
        // bounded too (helper-106: 10,000 trajectories beside a tier of 100,000 parties, a
        // 3 MB file, took 8 GB and minutes to check).
        let model_years = (end_year - start_year + 1) as usize;
        let tiers = raw.profit_share.get_ref().tiers.get_ref();
        let tier_parties = (tiers.iter())
            .map(|t| t.get_ref().shares.get_ref().len())
            .fold(0, usize::saturating_add);
        let party_years = tier_parties.saturating_mul(model_years);
        let n = trajectories.len();
        let all_steps = waterfall_steps(raw.profit_share.get_ref(), model_years).saturating_mul(n);
        let all_party_years = party_years.saturating_mul(n);
        let over = if all_steps > MAX_WATERFALL_STEPS_ALL {
            Some(format!(
                "the waterfall could take {all_steps} steps over the model's {n} trajectories ({} each, see the waterfall's bound); at most {MAX_WATERFALL_STEPS_ALL} are allowed over all trajectories: use fewer trajectories, or fewer parties (or fewer of them with their own `until`)",
                all_steps / n.max(1)
            ))
        } else if all_party_years > MAX_PARTY_YEARS_ALL {
            Some(format!(
                "the waterfall's split by party over the model's {n} trajectories holds {all_party_years} party-years (the tiers' {tier_parties} parties x {model_years} years, each trajectory); at most {MAX_PARTY_YEARS_ALL} are allowed over all trajectories: use fewer trajectories (at most {}), or fewer parties or years",
                MAX_PARTY_YEARS_ALL / party_years.max(1)
            ))
        } else {
            None
        };
        if let Some(over) = over {
            return fail(
                "profit_share.tiers",
                raw.profit_share.get_ref().tiers.span(),
                over,
            );
        }
        if let Some(rounds) = &raw.equity.get_ref().rounds {
            let count = rounds.get_ref().len();
            if count.saturating_mul(n) > MAX_ROUND_RUNS_ALL {
                return fail(
                    "equity.rounds",
                    rounds.span(),
                    format!(
                        "{count} rounds beside the model's {n} trajectories are {} round-runs (every command runs every trajectory through every round, and the break-even search does so at each scale it tries); at most {MAX_ROUND_RUNS_ALL} are allowed: use fewer rounds (at most {} with {n} trajectories), or fewer trajectories",
                        count.saturating_mul(n),
                        MAX_ROUND_RUNS_ALL / n.max(1)
                    ),
                );
            }
        }
        if trajectories.is_empty() {
            let span = raw.trajectories.as_ref().map_or(0..0, |t| t.span());
            return fail(
                "trajectories",
                span,
                "the model has no trajectory; add at least one [[trajectories]] table (or a trajectories_csv file)",
            );
        }

        let simulation = match &raw.simulation {
            Some(s) => self.simulation(s.get_ref(), &years, &trajectories)?,
            None => Simulation::default(),
        };
        let cloud = self.cloud(&raw, &years, &trajectories)?;

        Ok(Model {
            name,
            unit,
            start_year,
            end_year,
            valuation_year,
            discount_rate,
            parties: parties.names,
            investor,
            profit_share,
            equity,
            trajectories,
            trajectories_csv: raw.trajectories_csv.as_ref().map(|p| p.get_ref().clone()),
            simulation,
            cloud,
            warnings: self.warnings.take(),
        })
    }

    /// `[cloud]`, `[profit_share.cloud]` and `[equity.cloud]` (SPEC 13). A regime's cloud
    /// table, or a trajectory's own spend, without `[cloud]` is an error.
    fn cloud(
        &self,
        raw: &RawModel,
        years: &YearRange,
        trajectories: &[Trajectory],
    ) -> Check<Option<Cloud>> {
        let terms_a = raw.profit_share.get_ref().cloud.as_ref();
        let terms_b = raw.equity.get_ref().cloud.as_ref();
        let Some(cloud) = &raw.cloud else {
            // What needs the table, and what to remove instead (the margin is the cloud
            // side's one number that nothing else gives).
            let needs = |field: &str, span: Range<usize>, what: &str| -> Check<Option<Cloud>> {
                fail(
                    field,
                    span,
                    format!(
                        "there is no [cloud] table; add one with the investor's `margin` and the company's compute `spend` (docs/MODEL.md section 16), or remove {what}"
                    ),
                )
            };
            if let Some(t) = terms_a {
                return needs("profit_share.cloud", t.span(), "this table");
            }
            if let Some(t) = terms_b {
                return needs("equity.cloud", t.span(), "this table");
            }
            if let Some(list) = &raw.trajectories {
                for (i, t) in list.get_ref().iter().enumerate() {
                    if let Some(spend) = &t.get_ref().spend {
                        return needs(
                            &format!("trajectories[{i}].spend"),
                            spend.span(),
                            "this trajectory's `spend`",
                        );
                    }
                }
            }
            if trajectories
                .iter()
                .any(|t| matches!(t.spend, Some(Spend::Amounts(_))))
            {
                let span = raw.trajectories_csv.as_ref().map_or(0..0, |p| p.span());
                return needs("trajectories_csv", span, "the CSV's `cloud_spend` column");
            }
            return Ok(None);
        };
        let cloud = cloud.get_ref();
        let margin = self.in_range("cloud.margin", &cloud.margin, -Decimal::ONE, Decimal::ONE)?;
        let spend = self.share_series("cloud.spend", cloud.spend.get_ref(), None, years.end)?;
        let terms =
            |field: &str, raw: Option<&S<Table<RawCloudTerms>>>| -> Check<Option<CloudTerms>> {
                let Some(raw) = raw else { return Ok(None) };
                let raw = raw.get_ref();
                let share = self.share_series(
                    &format!("{field}.share"),
                    raw.share.get_ref(),
                    Some(Decimal::ONE),
                    years.end,
                )?;
                let commitment = match &raw.commitment {
                    Some(c) => {
                        let c = c.get_ref();
                        let f = |k: &str| format!("{field}.commitment.{k}");
                        let total = self.non_negative(&f("total"), &c.total)?;
                        let from = self.year(&f("from"), &c.from)?;
                        years.check(&f("from"), c.from.span(), from)?;
                        let until = self.year(&f("until"), &c.until)?;
                        years.check(&f("until"), c.until.span(), until)?;
                        years.check_window(
                            "commitment",
                            (&f("from"), c.from.span(), from),
                            (&f("until"), c.until.span(), until),
                        )?;
                        Some(Commitment { total, from, until })
                    }
                    None => None,
                };
                Ok(Some(CloudTerms { share, commitment }))
            };
        let equity = terms("equity.cloud", terms_b)?;
        // Regime B's own commitment over years on regime A's terms (before from_year) is
        // valid, and owed (DECISIONS C1), but most often a year written wrong.
        let from_year = self.year("equity.from_year", &raw.equity.get_ref().from_year)?;
        if let (Some(c), Some(raw_c)) = (
            equity.as_ref().and_then(|t| t.commitment),
            terms_b.and_then(|t| t.get_ref().commitment.as_ref()),
        ) && c.until < from_year
        {
            self.warn(
                "equity.cloud.commitment.until",
                raw_c.get_ref().until.span(),
                format!(
                    "regime B's commitment ends in {}, before equity.from_year ({from_year}), in years when regime B follows regime A's terms; it is still owed under regime B",
                    c.until
                ),
            );
        }
        let profit_share = terms("profit_share.cloud", terms_a)?;
        // Regime A's commitment over years on both sides of from_year: regime B follows A's
        // terms only before from_year, so it owes A's commitment only where that ends
        // before (DECISIONS C1); said, since nothing else shows it (helper-112).
        if let (Some(c), Some(raw_c)) = (
            profit_share.as_ref().and_then(|t| t.commitment),
            terms_a.and_then(|t| t.get_ref().commitment.as_ref()),
        ) && c.from < from_year
            && from_year <= c.until
        {
            self.warn(
                "profit_share.cloud.commitment.until",
                raw_c.get_ref().until.span(),
                format!(
                    "regime A's commitment runs from {} to {}, past equity.from_year ({from_year}): regime B follows regime A's terms only before {from_year}, so it does not owe this commitment (regime A does)",
                    c.from, c.until
                ),
            );
        }
        // Valid, but a side with no sale under either regime is most often a regime's table
        // left out (helper-153: the conclusion then told of a margin on compute never sold).
        if profit_share.is_none() && equity.is_none() {
            self.warn(
                "cloud",
                raw.cloud.as_ref().map_or(0..0, |c| c.span()),
                "there is a [cloud] table but neither [profit_share.cloud] nor [equity.cloud], so the company buys no compute from the investor under either regime and the cloud side adds nothing; add a regime's `cloud = { share = { points = [[year, share]] } }`, or remove [cloud]",
            );
        }
        Ok(Some(Cloud {
            margin,
            spend,
            profit_share,
            equity,
        }))
    }

    /// A margin-like series of fractions (SPEC 13's `spend` and `share`): values at least 0
    /// and at most `max` where given. Its `growth`, which SPEC 2 allows on every series, is
    /// checked and then ignored, as a margin's is: the series holds its last value.
    fn share_series(
        &self,
        field: &str,
        raw: &RawSeries,
        max: Option<Decimal>,
        end_year: Year,
    ) -> Check<Series> {
        let mut series = self.series(field, raw, false)?;
        self.warn_growth_held(field, raw, &series, end_year);
        series.growth = Decimal::ZERO;
        for (i, ((_, value), pair)) in series.points.iter().zip(raw.points.get_ref()).enumerate() {
            let out_of_range = *value < Decimal::ZERO || max.is_some_and(|m| *value > m);
            if out_of_range {
                let valid = match max {
                    Some(m) => format!("between 0 and {m} (a fraction, 0.3 for 30%)"),
                    None => "0 or more (a fraction of revenue, 0.5 for 50%)".to_string(),
                };
                return fail(
                    format!("{field}.points[{i}]"),
                    pair.span(),
                    format!("the value {value} is out of range; it must be {valid}"),
                );
            }
            // A spend (the one series without a most) of more than ten times revenue is
            // valid but most often a percent written for a fraction.
            if max.is_none() && *value > SPEND_ABOVE_WARNED {
                let value = value.normalize();
                self.warn(
                    format!("{field}.points[{i}]"),
                    pair.span(),
                    format!(
                        "a compute spend of {value} is {}% of revenue; spend is a fraction of revenue{}",
                        (value * Decimal::ONE_HUNDRED).normalize(),
                        percent_hint(value, ": ")
                    ),
                );
            }
        }
        Ok(series)
    }

    /// `[simulation]` (SPEC 10): every key optional, each checked against its range.
    fn simulation(
        &self,
        raw: &RawSimulation,
        years: &YearRange,
        trajectories: &[Trajectory],
    ) -> Check<Simulation> {
        let mut out = Simulation::default();
        if let Some(n) = &raw.paths {
            out.paths = self.whole("simulation.paths", n, 1, MAX_PATHS)?;
        }
        if let Some(n) = &raw.seed {
            // TOML's integers stop at 2^63 - 1; `--seed` takes any 64-bit seed (helper-160:
            // a seed used on the command line could not be written into the file, unsaid).
            // (Said only of a 64-bit seed past TOML's integers: not of -1 or 1.5, helper-161,
            // nor of 1e30, which --seed refuses too, helper-162.)
            let a_larger_seed = match n.get_ref() {
                Num::Int(i) => (i128::from(i64::MAX) + 1..=i128::from(u64::MAX)).contains(i),
                Num::Float(f) => (2f64.powi(63)..2f64.powi(64)).contains(f) && f.fract() == 0.0,
            };
            out.seed = self
                .whole("simulation.seed", n, 0, i64::MAX as u64)
                .map_err(|mut issue| {
                    if a_larger_seed {
                        issue.message.push_str(super::SEED_NOTE);
                    }
                    issue
                })?;
        }
        if let Some(n) = &raw.from_year {
            let year = self.year("simulation.from_year", n)?;
            // end_year + 1 is the default where valuation_year is end_year (nothing random),
            // so it is valid written out too (helper-110: the default, written, was refused).
            if year != years.end.saturating_add(1) {
                years
                    .check("simulation.from_year", n.span(), year)
                    .map_err(|mut e| {
                        e.message.push_str(&format!(
                            ", or end_year + 1 = {} for no random year",
                            years.end.saturating_add(1)
                        ));
                        e
                    })?;
            }
            out.from_year = Some(year);
        }

        if let Some(w) = &raw.weights {
            let names: Vec<&str> = trajectories.iter().map(|t| t.name.as_str()).collect();
            // By a map, not a search a weight (250,000 weights took 134 s: helper-102).
            let index: std::collections::HashMap<&str, usize> =
                names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
            let mut weights = vec![Decimal::ZERO; trajectories.len()];
            let mut weighed: Vec<Option<&str>> = vec![None; trajectories.len()];
            for (name, value) in w.get_ref() {
                let field = format!("simulation.weights.{}", key_text(name));
                // Trimmed, as a trajectory's name is when read (helper-120: a key spelt
                // " bear" as the trajectory's name was refused).
                let Some(&i) = index.get(name.trim()) else {
                    let hint = nearest(name, &names)
                        .map(|n| format!("did you mean `{n}`? "))
                        .unwrap_or_default();
                    return fail(
                        field,
                        value.span(),
                        format!(
                            "the model has no trajectory `{}`; {hint}weights name trajectories: {}",
                            crate::error::quoted(name),
                            crate::error::listed(&names)
                        ),
                    );
                };
                if let Some(first) = weighed[i] {
                    return fail(
                        field,
                        value.span(),
                        format!(
                            "`{}` and `{}` both weigh trajectory `{}`; give it one weight",
                            crate::error::quoted(first),
                            crate::error::quoted(name),
                            crate::error::quoted(names[i])
                        ),
                    );
                }
                weighed[i] = Some(name.as_str());
                weights[i] = self.non_negative(&field, value)?;
            }
            if weights.iter().all(|w| w.is_zero()) {
                return fail(
                    "simulation.weights",
                    w.span(),
                    "every weight is 0; at least one trajectory needs a weight greater than 0",
                );
            }
            out.weights = Some(weights);
        }
        let range = |field: &str,
                     n: &Option<S<Num>>,
                     lo: i64,
                     hi: i64,
                     what: &str,
                     into: &mut Decimal|
         -> Check<()> {
            if let Some(n) = n {
                let v = self.decimal(field, n)?;
                let (lo, hi) = (Decimal::from(lo), Decimal::from(hi));
                if v < lo || v > hi {
                    return fail(
                        field,
                        n.span(),
                        format!("{v} is out of range; it must be between {lo} and {hi} ({what})"),
                    );
                }
                *into = v;
            }
            Ok(())
        };
        let vol = "a yearly standard deviation: 0.2 for 20%";
        let rho = "a persistence: 0 forgets last year's shock, 1 keeps all of it";
        let hazard = "a yearly probability: 0.02 for 2%";
        range(
            "simulation.revenue_vol",
            &raw.revenue_vol,
            0,
            3,
            vol,
            &mut out.revenue_vol,
        )?;
        range(
            "simulation.revenue_persistence",
            &raw.revenue_persistence,
            0,
            1,
            rho,
            &mut out.revenue_persistence,
        )?;
        range(
            "simulation.margin_vol",
            &raw.margin_vol,
            0,
            3,
            vol,
            &mut out.margin_vol,
        )?;
        range(
            "simulation.margin_persistence",
            &raw.margin_persistence,
            0,
            1,
            rho,
            &mut out.margin_persistence,
        )?;
        range(
            "simulation.valuation_beta",
            &raw.valuation_beta,
            -10,
            10,
            "a multiple of the revenue shock, in log terms",
            &mut out.valuation_beta,
        )?;
        range(
            "simulation.valuation_vol",
            &raw.valuation_vol,
            0,
            3,
            vol,
            &mut out.valuation_vol,
        )?;
        range(
            "simulation.valuation_persistence",
            &raw.valuation_persistence,
            0,
            1,
            rho,
            &mut out.valuation_persistence,
        )?;
        range(
            "simulation.agi_hazard",
            &raw.agi_hazard,
            0,
            1,
            hazard,
            &mut out.agi_hazard,
        )?;
        range(
            "simulation.failure_hazard",
            &raw.failure_hazard,
            0,
            1,
            hazard,
            &mut out.failure_hazard,
        )?;
        // A hazard of 1 is valid (the event happens in from_year on every path) but is more
        // often "1%" written as a number.
        for (field, raw_value, value, what) in [
            (
                "simulation.agi_hazard",
                &raw.agi_hazard,
                out.agi_hazard,
                "AGI is declared by from_year on every path",
            ),
            (
                "simulation.failure_hazard",
                &raw.failure_hazard,
                out.failure_hazard,
                "the company fails in from_year on every path",
            ),
        ] {
            if let Some(n) = raw_value
                && value == Decimal::ONE
            {
                self.warn(
                    field,
                    n.span(),
                    format!(
                        "1 is a yearly probability of 100%: {what}; if you meant 1%, write 0.01"
                    ),
                );
            }
        }
        Ok(out)
    }

    /// A whole number in lo..=hi.
    fn whole(&self, field: &str, num: &S<Num>, lo: u64, hi: u64) -> Check<u64> {
        // An integer is taken whatever its size (a count or a seed, not an amount: the 1e18
        // bound on a model's amounts is not its range, which `lo` and `hi` give).
        let (value, written) = match num.get_ref() {
            Num::Int(i) => (u64::try_from(*i).ok(), i.to_string()),
            // A float past an amount's 1e18 (as the model's exact reading says) is read from
            // its text, exactly, and taken against this range, not that bound (helper-175:
            // `seed = 1e19` was told numbers stop at 1e18, where whole seeds go to 9.2e18;
            // helper-178: its f64 took 1234567890123456789.0 as ...768; helper-180: trailing
            // zeros are no digits of its value).
            Num::Float(f) => {
                let literal = self.literal(num);
                if f.is_finite() && matches!(exact_decimal(&literal), Err(NotExact::TooLarge)) {
                    let written = crate::error::quoted(&literal).into_owned();
                    (whole_number_written(&literal), written)
                } else {
                    let v = self.decimal(field, num)?;
                    (
                        v.fract().is_zero().then(|| v.to_u64()).flatten(),
                        v.to_string(),
                    )
                }
            }
        };
        match value {
            Some(n) if (lo..=hi).contains(&n) => Ok(n),
            _ => fail(
                field,
                num.span(),
                format!("{written} is out of range; it must be a whole number from {lo} to {hi}"),
            ),
        }
    }

    fn investor(
        &self,
        raw: &RawInvestor,
        years: &YearRange,
        parties: &mut Parties,
    ) -> Check<Investor> {
        let party = parties.id("investor.party", raw.party.get_ref(), raw.party.span())?;
        let mut contributions = Vec::new();
        if let Some(list) = &raw.contributions {
            for (i, (year, amount, span)) in self
                .pairs("investor.contributions", list)?
                .into_iter()
                .enumerate()
            {
                let field = format!("investor.contributions[{i}]");
                years.check(&field, span.clone(), year)?;
                if amount < Decimal::ZERO {
                    return fail(
                        field,
                        span,
                        format!(
                            "the amount {amount} is negative; contributions are amounts paid in, 0 or more"
                        ),
                    );
                }
                contributions.push(Contribution { year, amount });
            }
        }
        Ok(Investor {
            party,
            contributions,
        })
    }

    fn profit_share(
        &self,
        raw: &RawProfitShare,
        parties: &mut Parties,
        model_years: &YearRange,
    ) -> Check<ProfitShare> {
        let (start_year, years) = (
            model_years.start,
            (model_years.end - model_years.start + 1) as usize,
        );
        let residual = parties.id(
            "profit_share.residual",
            raw.residual.get_ref(),
            raw.residual.span(),
        )?;
        let residual_name = raw.residual.get_ref().trim().to_string();
        if raw.tiers.get_ref().is_empty() {
            return fail(
                "profit_share.tiers",
                raw.tiers.span(),
                format!(
                    "the profit share has no tier; add at least one [[profit_share.tiers]]{}",
                    super::messages::NO_PROFIT_SHARE
                ),
            );
        }
        // A year's split takes a slice for each cap that closes, and each slice pays every
        // party of its tier. A fixed cap closes once in a run, so a tier costs at most
        // (`until` entries + years) x parties; a cap that grows (cap_growth) can close again
        // every year: years x (`until` entries + 1) x parties. Bounded here, so that no
        // model, however built, makes a run take minutes (issue 6: 150,000 parties each
        // with its own cap).
        let steps = waterfall_steps(raw, years);
        if steps > MAX_WATERFALL_STEPS {
            return fail(
                "profit_share.tiers",
                raw.tiers.span(),
                format!(
                    "the waterfall could take {steps} steps over the {years} years (a slice for each cap that closes, paying every party of its tier: per tier, (`until` entries + years) x parties, or years x (`until` entries + 1) x parties with cap_growth); at most {MAX_WATERFALL_STEPS} are allowed: give fewer parties their own `until`, or use fewer parties or years"
                ),
            );
        }
        let mut tiers = Vec::new();
        for (i, tier) in raw.tiers.get_ref().iter().enumerate() {
            tiers.push(self.tier(
                &format!("profit_share.tiers[{i}]"),
                tier.get_ref(),
                parties,
                (residual, &residual_name),
                start_year,
            )?);
        }
        let revenue_share = raw
            .revenue_share
            .as_ref()
            .map(|r| self.revenue_share("profit_share.revenue_share", r, model_years))
            .transpose()?
            .flatten();
        Ok(ProfitShare {
            residual,
            loss_carryforward: raw.loss_carryforward.as_ref().is_some_and(|b| *b.get_ref()),
            investor_rights_end_at_agi: raw
                .investor_rights_end_at_agi
                .as_ref()
                .is_some_and(|b| *b.get_ref()),
            tiers,
            revenue_share,
        })
    }

    fn tier(
        &self,
        field: &str,
        raw: &RawTier,
        parties: &mut Parties,
        (residual, residual_name): (PartyId, &str),
        start_year: Year,
    ) -> Check<Tier> {
        let name = self.name(&format!("{field}.name"), &raw.name)?;
        let mut shares = Vec::new();
        let mut sum = Decimal::ZERO;
        for (party, share) in raw.shares.get_ref() {
            let f = format!("{field}.shares.{}", key_text(party));
            let id = parties.id(&f, party, share.span())?;
            let v = self.in_range(&f, share, Decimal::ZERO, Decimal::ONE)?;
            sum += v;
            shares.push((id, v));
        }
        if sum > Decimal::ONE {
            return fail(
                format!("{field}.shares"),
                raw.shares.span(),
                format!(
                    "the shares add up to {sum}; they must add up to at most 1 (the residual gets 1 minus their sum)"
                ),
            );
        }
        let mut until = Vec::new();
        if let Some(raw_until) = &raw.until {
            for (party, amount) in raw_until.get_ref() {
                let f = format!("{field}.until.{}", key_text(party));
                let id = parties.id(&f, party, amount.span())?;
                let v = self.positive(&f, amount)?;
                if id == residual {
                    return fail(
                        f,
                        amount.span(),
                        format!(
                            "`{residual_name}` is the residual, which takes what no tier assigns; it cannot have an `until` amount"
                        ),
                    );
                }
                if !shares.iter().any(|(p, s)| *p == id && *s > Decimal::ZERO) {
                    // A slip of the keyboard (`micrsoft`) is likelier than a party meant to
                    // have no share: name the sharing party it is nearest to.
                    let sharing: Vec<&str> = raw
                        .shares
                        .get_ref()
                        .keys()
                        .map(|k| k.as_str())
                        .filter(|k| *k != party.as_str())
                        .collect();
                    let hint = nearest(party, &sharing)
                        .filter(|n| strsim::damerau_levenshtein(party, n) <= 2)
                        .map(|n| format!("did you mean `{n}`? "))
                        .unwrap_or_default();
                    return fail(
                        f,
                        amount.span(),
                        format!(
                            "`{}` has no share above 0 in this tier, so it could never reach its `until` amount; {hint}give it a share in `shares` or remove it from `until`",
                            crate::error::quoted(party)
                        ),
                    );
                }
                until.push((id, v));
            }
        }
        let cap_growth = self.growth(
            &format!("{field}.cap_growth"),
            raw.cap_growth.as_ref(),
            true,
        )?;
        let cap_growth_from = match &raw.cap_growth_from {
            Some(y) => self.year(&format!("{field}.cap_growth_from"), y)?,
            None => start_year,
        };
        Ok(Tier {
            name,
            shares,
            until,
            cap_growth,
            cap_growth_from,
        })
    }

    /// A revenue share's table; an empty one is none, as if left out (SPEC 1's example
    /// writes `[equity.revenue_share]` without keys for "optional"), with a warning.
    fn revenue_share(
        &self,
        field: &str,
        table: &S<Table<RawRevenueShare>>,
        years: &YearRange,
    ) -> Check<Option<RevenueShare>> {
        let raw: &RawRevenueShare = table.get_ref();
        let (Some(raw_rate), Some(raw_from), Some(raw_until)) = (&raw.rate, &raw.from, &raw.until)
        else {
            let empty = raw.rate.is_none()
                && raw.from.is_none()
                && raw.until.is_none()
                && raw.total_cap.is_none()
                && raw.ends_at_agi.is_none();
            if empty {
                self.warn(
                    field,
                    table.span(),
                    format!(
                        "[{field}] is empty, so there is none (as if the table were left out); for one, give `rate`, `from` and `until`"
                    ),
                );
                return Ok(None);
            }
            let key = [
                ("rate", &raw.rate),
                ("from", &raw.from),
                ("until", &raw.until),
            ]
            .into_iter()
            .find_map(|(key, value)| value.is_none().then_some(key))
            .unwrap_or("rate");
            let (field, message) = super::messages::missing_key(field, key);
            return fail(field, table.span(), message);
        };
        let rate = self.in_range(
            &format!("{field}.rate"),
            raw_rate,
            Decimal::ZERO,
            Decimal::ONE,
        )?;
        let from = self.year(&format!("{field}.from"), raw_from)?;
        let until = self.year(&format!("{field}.until"), raw_until)?;
        years.check_window(
            "revenue share",
            (&format!("{field}.from"), raw_from.span(), from),
            (&format!("{field}.until"), raw_until.span(), until),
        )?;
        let total_cap = raw
            .total_cap
            .as_ref()
            .map(|c| self.non_negative(&format!("{field}.total_cap"), c))
            .transpose()?;
        // Valid (SPEC 6 asks only from <= until), but a share none of whose years is in the
        // model pays nothing: most often a slipped year (helper-128: 2030-2040 in a model of
        // 2024-2026 drew no word, where a far series point does).
        if until < years.start || from > years.end {
            self.warn(
                field,
                table.span(),
                format!(
                    "pays nothing: its years, {from}-{until}, are all outside the model's, {}-{}; check `from` and `until`",
                    years.start, years.end
                ),
            );
        }
        Ok(Some(RevenueShare {
            rate,
            from,
            until,
            total_cap,
            ends_at_agi: raw.ends_at_agi.as_ref().is_some_and(|b| *b.get_ref()),
        }))
    }

    fn equity(&self, raw: &RawEquity, years: &YearRange) -> Check<Equity> {
        let from_year = self.year("equity.from_year", &raw.from_year)?;
        years.check("equity.from_year", raw.from_year.span(), from_year)?;
        let unit = |f: &str, n: Option<&S<Num>>| -> Check<Decimal> {
            n.map_or(Ok(Decimal::ZERO), |n| {
                self.in_range(f, n, Decimal::ZERO, Decimal::ONE)
            })
        };
        let stake = unit("equity.stake", Some(&raw.stake))?;
        let dividend_payout = unit("equity.dividend_payout", raw.dividend_payout.as_ref())?;
        let terminal_discount = unit("equity.terminal_discount", raw.terminal_discount.as_ref())?;
        let mut rounds = Vec::new();
        if let Some(list) = &raw.rounds {
            for (i, r) in list.get_ref().iter().enumerate() {
                let field = format!("equity.rounds[{i}]");
                let r = r.get_ref();
                let year = self.year(&format!("{field}.year"), &r.year)?;
                if year < from_year || year > years.end {
                    return fail(
                        format!("{field}.year"),
                        r.year.span(),
                        format!(
                            "{year} is outside the stake's years; a round must fall in from_year {from_year} ..= end_year {}",
                            years.end
                        ),
                    );
                }
                let raise = self.positive(&format!("{field}.raise"), &r.raise)?;
                let pre_money = r
                    .pre_money
                    .as_ref()
                    .map(|p| self.positive(&format!("{field}.pre_money"), p))
                    .transpose()?;
                let participation = match &r.participation {
                    Some(p) => {
                        let v = self.decimal(&format!("{field}.participation"), p)?;
                        if v < Decimal::ZERO || v > raise {
                            return fail(
                                format!("{field}.participation"),
                                p.span(),
                                format!(
                                    "{v} is out of range; the investor's participation must be between 0 and the raise, {raise}"
                                ),
                            );
                        }
                        v
                    }
                    None => Decimal::ZERO,
                };
                rounds.push(Round {
                    year,
                    raise,
                    pre_money,
                    participation,
                });
            }
        }
        let revenue_share = raw
            .revenue_share
            .as_ref()
            .map(|r| self.revenue_share("equity.revenue_share", r, years))
            .transpose()?
            .flatten();
        Ok(Equity {
            from_year,
            stake,
            dividend_payout,
            terminal_discount,
            rounds,
            revenue_share,
        })
    }

    fn trajectory(&self, field: &str, raw: &RawTrajectory, years: &YearRange) -> Check<Trajectory> {
        let name = self.name(&format!("{field}.name"), &raw.name)?;
        let description = match &raw.description {
            Some(d) => {
                plain_text(&format!("{field}.description"), d.span(), d.get_ref())?;
                // A description of nothing but spaces is none (helper-120: `""` in the
                // JSON, where a missing one is null, and an empty line in the table).
                Some(d.get_ref().trim().to_string()).filter(|d| !d.is_empty())
            }
            None => None,
        };
        let agi_year = raw
            .agi_year
            .as_ref()
            .map(|y| self.year(&format!("{field}.agi_year"), y))
            .transpose()?;
        if let (Some(year), Some(raw_year)) = (agi_year, &raw.agi_year)
            && let Some(far) = years.far_outside(year)
        {
            let then = if year > years.end {
                "AGI is then never declared within the model, as without an agi_year"
            } else {
                "AGI is then declared from start_year on, as for any year before it"
            };
            self.warn(
                format!("{field}.agi_year"),
                raw_year.span(),
                format!("{year} lies {far}: {then}; check the year"),
            );
        }
        let revenue = self.series(&format!("{field}.revenue"), raw.revenue.get_ref(), true)?;
        let margin = self.series(&format!("{field}.margin"), raw.margin.get_ref(), false)?;
        self.warn_growth_held(
            &format!("{field}.margin"),
            raw.margin.get_ref(),
            &margin,
            years.end,
        );
        self.warn_margin_points(&format!("{field}.margin"), raw.margin.get_ref(), &margin);
        let valuation =
            self.series(&format!("{field}.valuation"), raw.valuation.get_ref(), true)?;
        for (name, raw_series, series) in [
            ("revenue", &raw.revenue, &revenue),
            ("margin", &raw.margin, &margin),
            ("valuation", &raw.valuation, &valuation),
        ] {
            self.warn_far_points(
                &format!("{field}.{name}"),
                raw_series.get_ref(),
                series,
                years,
            );
        }
        let spend = raw
            .spend
            .as_ref()
            .map(|s| self.share_series(&format!("{field}.spend"), s.get_ref(), None, years.end))
            .transpose()?
            .map(Spend::Ratio);
        Ok(Trajectory {
            name,
            description,
            agi_year,
            spend,
            source: TrajectorySource::Series {
                revenue,
                margin,
                valuation,
            },
        })
    }

    fn series(&self, field: &str, raw: &RawSeries, non_negative: bool) -> Check<Series> {
        let points_field = format!("{field}.points");
        let pairs = self.pairs(&points_field, &raw.points)?;
        if pairs.is_empty() {
            return fail(
                points_field,
                raw.points.span(),
                "has no points; give at least one [year, value] pair",
            );
        }
        let mut points = Vec::with_capacity(pairs.len());
        for (i, (year, value, span)) in pairs.into_iter().enumerate() {
            if let Some((prev, _)) = points.last()
                && year <= *prev
            {
                return fail(
                    format!("{points_field}[{i}]"),
                    span,
                    format!(
                        "year {year} follows year {prev}; the years of a series must be strictly increasing"
                    ),
                );
            }
            if non_negative && value < Decimal::ZERO {
                return fail(
                    format!("{points_field}[{i}]"),
                    span,
                    format!(
                        "the value {value} is negative; revenue and valuation must be 0 or more"
                    ),
                );
            }
            points.push((year, value));
        }
        let growth = self.growth(&format!("{field}.growth"), raw.growth.as_ref(), false)?;
        Ok(Series { points, growth })
    }
}

pub(super) struct YearRange {
    pub(super) start: Year,
    pub(super) end: Year,
}

/// How far outside the model's years a year given for a point in time (a series point,
/// an agi_year) is warned about as a likely slip.
const FAR_YEARS: Year = 50;

/// The years of grown caps the dead-`until` warning compares, over all its pairs of tiers
/// whose caps grow (each a few microseconds): past it, pairs go unchecked and unwarned.
const DEAD_CAP_YEAR_BUDGET: u64 = 1_000_000;

/// " (and in N more years)" after the first of `count` years; nothing for one.
fn and_more_years(count: usize) -> String {
    match count {
        0 | 1 => String::new(),
        2 => " (and in 1 more year)".to_string(),
        n => format!(" (and in {} more years)", n - 1),
    }
}

/// Margins below this are warned about: a loss of ten times revenue.
const MARGIN_BELOW_WARNED: Decimal = Decimal::from_parts(10, 0, 0, true, 0);

/// Compute spend above this multiple of revenue is warned about.
const SPEND_ABOVE_WARNED: Decimal = Decimal::from_parts(10, 0, 0, false, 0);

impl YearRange {
    /// How many years `year` lies outside start..=end (0 inside).
    fn years_outside(&self, year: Year) -> i64 {
        let (year, start, end) = (i64::from(year), i64::from(self.start), i64::from(self.end));
        (start - year).max(year - end).max(0)
    }

    /// A window's `from` must not be after its `until`. Where it is, the error names the
    /// year that is more likely the slip: the one further outside the model's years (a
    /// typo such as 2205 for 2025 in `from`), `until` where neither is further.
    fn check_window(
        &self,
        what: &str,
        (from_field, from_span, from): (&str, Range<usize>, Year),
        (until_field, until_span, until): (&str, Range<usize>, Year),
    ) -> Check<()> {
        if from <= until {
            return Ok(());
        }
        let rule = format!("the {what} runs from `from` to `until`, both included");
        // Here until < from, so `from` can only be the further outside by lying after
        // end_year.
        if self.years_outside(from) > self.years_outside(until) {
            return fail(
                from_field.to_string(),
                from_span,
                format!(
                    "from {from} is after until {until} and after end_year {}; {rule}",
                    self.end
                ),
            );
        }
        fail(
            until_field.to_string(),
            until_span,
            format!("until {until} is before from {from}; {rule}"),
        )
    }

    /// Where `year` lies more than [`FAR_YEARS`] outside the years, how far, in words.
    fn far_outside(&self, year: Year) -> Option<String> {
        if year > self.end.saturating_add(FAR_YEARS) {
            Some(format!(
                "{} years after end_year {}",
                i64::from(year) - i64::from(self.end),
                self.end
            ))
        } else if year < self.start.saturating_sub(FAR_YEARS) {
            Some(format!(
                "{} years before start_year {}",
                i64::from(self.start) - i64::from(year),
                self.start
            ))
        } else {
            None
        }
    }

    fn check(&self, field: &str, span: Range<usize>, year: Year) -> Check<()> {
        if year < self.start || year > self.end {
            return fail(
                field,
                span,
                format!(
                    "{year} is outside the model's years; it must be between start_year {} and end_year {}",
                    self.start, self.end
                ),
            );
        }
        Ok(())
    }
}

/// Names to ids, in the order first seen. A party is known by its name with the spaces
/// around it trimmed, and is spelled one way throughout the file: `a` and `" a"` in one
/// `until` once made one party with two caps (issue 6, fault 1), so a second spelling of a
/// name already seen is an error naming both.
#[derive(Default)]
pub(super) struct Parties {
    pub(super) names: Vec<String>,
    pub(super) ids: HashMap<String, PartyId>,
    /// Per party: the name as first written, and the field it was written in.
    pub(super) first_written: Vec<(String, String)>,
}

impl Parties {
    fn id(&mut self, field: &str, written: &str, span: Range<usize>) -> Check<PartyId> {
        plain_text(field, span.clone(), written)?;
        let name = written.trim();
        if name.is_empty() {
            return fail(field, span, "a party name must not be empty");
        }
        if let Some(&id) = self.ids.get(name) {
            let (first, first_field) = &self.first_written[id];
            if first != written {
                return fail(
                    field,
                    span,
                    format!(
                        "the party {} is written {} at {first_field}; names are compared with the spaces around them trimmed, so these are one party spelled two ways; spell it one way",
                        quoted(written),
                        quoted(first)
                    ),
                );
            }
            return Ok(id);
        }
        let id = self.names.len();
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        self.first_written
            .push((written.to_string(), field.to_string()));
        Ok(id)
    }
}

/// `text` in double quotes, with quotes, backslashes and control characters escaped, so
/// that spaces around it can be seen; a text of more than 100 characters by its first 60
/// and how many there are, as [`crate::error::quoted`] gives a name (helper-133: an
/// investor of 5 MB was quoted whole in a warning).
pub(in crate::model) fn quoted(text: &str) -> String {
    let count = text.chars().count();
    let (shown, rest) = if count > 100 {
        (
            text.chars().take(60).collect::<String>(),
            format!("... ({count} characters)"),
        )
    } else {
        (text.to_string(), String::new())
    };
    let mut out = String::from("\"");
    for c in shown.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if not_plain(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out.push_str(&rest);
    out
}

/// A character that plain text refuses: a control character (Unicode category Cc: ESC, BEL,
/// NUL, CR, tab, newline...) or a bidirectional formatting character (U+061C, U+200E,
/// U+200F, U+202A-U+202E, U+2066-U+2069), which makes text display in another order than it
/// is written: a name could show the numbers after it reversed.
pub(in crate::model) fn not_plain(c: char) -> bool {
    // (And the line and paragraph separators, U+2028 and U+2029, which break a table's
    // header line as a newline would: helper-173.)
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// What a character [`not_plain`] is, for messages: "the control character U+0007", "the
/// bidirectional formatting character U+202E", "the line separator U+2028" (helper-240: a
/// right-to-left override was called a control character).
pub(in crate::model) fn unplain_character(c: char) -> String {
    let kind = match c {
        '\u{2028}' => "the line separator",
        '\u{2029}' => "the paragraph separator",
        c if c.is_control() => "the control character",
        _ => "the bidirectional formatting character",
    };
    format!("{kind} U+{:04X}", u32::from(c))
}

/// Refuses text holding a character [`not_plain`]. Names and the unit are printed in
/// tables, error messages and SVG charts, where an ESC sequence can rewrite the terminal, a
/// NUL makes the XML ill-formed, and a right-to-left override reverses what follows.
pub(super) fn plain_text(field: &str, span: Range<usize>, text: &str) -> Check<()> {
    let Some(c) = text.chars().find(|&c| not_plain(c)) else {
        return Ok(());
    };
    // Quote at most the first 60 characters: the message stays one short line.
    let shown: String = text.chars().take(60).collect();
    let more = if text.chars().count() > 60 { "..." } else { "" };
    fail(
        field,
        span,
        format!(
            "{}{more} holds {}; names, descriptions and the unit must be plain text, without control characters (ESC, BEL, NUL, CR, tab, newline...) or bidirectional formatting or line-separator characters (U+202E, U+2028...)",
            quoted(&shown),
            unplain_character(c)
        ),
    )
}

/// A key as it is written in a field path: bare where TOML allows it (`microsoft`), else
/// quoted (`" a"`).
pub(super) fn key_text(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare { key.to_string() } else { quoted(key) }
}

/// The whole number a number's text writes, exactly, where it is one that fits 64 bits
/// (`2e18`, `5000000000000000000.0000000000`, `20000000000000000000000000000e-10`); None
/// where it is not whole, negative, past 64 bits, or not a number's text.
fn whole_number_written(literal: &str) -> Option<u64> {
    let (mantissa, exponent) = match literal.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().ok()?),
        None => (literal, 0),
    };
    let (int, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let negative = int.starts_with('-');
    let int = int.trim_start_matches('-');
    if !all_digits(int) || !all_digits(fraction) {
        return None;
    }
    let written = format!("{int}{fraction}");
    let significant = written.trim_start_matches('0');
    // Trailing zeros are powers of ten: `5000.000` is 5 x 10^3.
    let digits = significant.trim_end_matches('0');
    if digits.is_empty() {
        return Some(0);
    }
    let trailing = (significant.len() - digits.len()) as i64;
    let power = exponent
        .checked_sub(fraction.len() as i64)?
        .checked_add(trailing)?;
    if negative || power < 0 || digits.len() > 20 {
        return None;
    }
    let value = digits
        .parse::<u128>()
        .ok()?
        .checked_mul(10u128.checked_pow(u32::try_from(power).ok()?)?)?;
    u64::try_from(value).ok()
}

/// "if you meant 9%, write 0.09" for a fraction that may be a percent written for it, after
/// `lead`; nothing where no percent is that large (helper-236: a margin of 1e18 was told
/// "if you meant 1000000000000000000%, write 10000000000000000").
fn percent_hint(value: Decimal, lead: &str) -> String {
    if value.abs() > Decimal::ONE_THOUSAND {
        return String::new();
    }
    let value = value.normalize();
    format!(
        "{lead}if you meant {value}%, write {}",
        (value / Decimal::ONE_HUNDRED).normalize()
    )
}
