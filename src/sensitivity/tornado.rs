//! `tornado`: each input alone at a low and a high value, the others at the model's, and the
//! NPV advantage at both; rows sorted by the swing |high - low|, largest first.
//!
//! The default inputs are SPEC 11's: discount_rate, equity.stake, the investor's `until` in
//! each tier, each revenue share's rate and total_cap, each round's pre_money and
//! participation, dividend_payout and terminal_discount, each +-25% of its value inside its
//! valid range (a fraction or rate at 0 varies by +-0.05), then scale.valuation and
//! scale.revenue 0.75..1.25 and shift.margin -0.05..0.05. A round's pre-money value left
//! to its default varies each trajectory's own (its valuation that year less the raise);
//! a revenue share with no total_cap has none to vary, and is not an input.
//!
//! The default inputs of the built-in model, and its `base` trajectory's tornado:
//!
//! ```
//! use rust_decimal::Decimal;
//! use stakeshift::sensitivity::Base;
//! use stakeshift::sensitivity::tornado::{default_inputs, tornado};
//!
//! let file = stakeshift::io::read_model_file(None)?; // None: the built-in model
//! let base = Base::new(&file, &[])?;
//! let inputs = default_inputs(base.model());
//! // 11 keys (the rate, the stake, 2 tiers' `until`, 2 rates and a total_cap, the round's
//! // pre_money and participation, the payout and the discount), then the 3 derived keys.
//! assert_eq!(inputs.len(), 14);
//! let input = |p: &str| inputs.iter().find(|i| i.path.text == p).unwrap();
//! let d = |s: &str| s.parse::<Decimal>().unwrap();
//! let range = |p: &str| (input(p).low, input(p).high);
//! assert_eq!(range("discount_rate"), (d("0.0675"), d("0.1125"))); // 0.09 +- 25%
//! assert_eq!(range("equity.dividend_payout"), (d("0"), d("0.05"))); // a fraction at 0
//! assert_eq!(range("equity.rounds[0].participation"), (d("0"), d("0"))); // an amount at 0
//! assert_eq!(inputs[13].path.text, "shift.margin");
//! let rows = tornado(&base, &inputs, &[2])?; // [2]: `base`
//! assert_eq!(rows.len(), 14);
//! // Sorted by swing, largest first: 0..0 changes nothing, so the participation is last.
//! assert!(rows.iter().all(|r| r.swing <= rows[0].swing));
//! assert_eq!(rows[13].input, "equity.rounds[0].participation");
//! assert_eq!(rows[13].swing, Some(Decimal::ZERO));
//! # Ok::<(), stakeshift::Error>(())
//! ```

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::{Base, Route, assignment};
use crate::chart::{self, ModelLabels, TornadoChart};
use crate::error::Error;
use crate::model::{MAX_NUMBER, Model};
use crate::overrides::typed::Domain;
use crate::overrides::{Knob, Override, OverridePath};

/// One input and its two values.
#[derive(Debug, Clone)]
pub struct Input {
    pub path: OverridePath,
    /// How the input is named in messages: `--vary PATH=LOW..HIGH`, or `tornado input PATH`.
    pub origin: String,
    pub low: Decimal,
    pub high: Decimal,
    /// One of SPEC 11's default inputs (not asked for with `--vary`): a value of it that
    /// leaves the model invalid (a +25% past the 1e18 a number may be, a valuation scaled
    /// past it) leaves its cells empty instead of stopping the tornado (helper-120).
    pub default: bool,
    /// For a round's pre-money value the model leaves to its default (the trajectory's
    /// valuation that year less the raise), each trajectory's own low and high (by the
    /// model's index; None where that value is not above 0): `low` and `high` are then
    /// unused.
    pub by_trajectory: Option<Vec<Option<(Decimal, Decimal)>>>,
}

impl Input {
    /// The input's low and high on trajectory `t`.
    pub fn range_on(&self, t: usize) -> Option<(Decimal, Decimal)> {
        match &self.by_trajectory {
            Some(each) => each.get(t).copied().flatten(),
            None => Some((self.low, self.high)),
        }
    }
}

/// A row of `tornado.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoRow {
    pub trajectory: String,
    pub input: String,
    pub low: Decimal,
    pub high: Decimal,
    /// The kind of number the input is, for the places `low` and `high` print to.
    pub kind: super::InputKind,
    /// Empty where the run fails at that value (a round with no positive pre-money value).
    pub advantage_low: Option<Decimal>,
    pub advantage_high: Option<Decimal>,
    /// |advantage_high - advantage_low|.
    pub swing: Option<Decimal>,
}

/// SPEC 11's default inputs for `model`, in a fixed order.
pub fn default_inputs(model: &Model) -> Vec<Input> {
    let mut paths: Vec<String> = vec!["discount_rate".into(), "equity.stake".into()];
    // The party as a PATH writes it: quoted, with TOML's escapes, where it is not a bare
    // key (`"Big Corp"`, `"a,\"b"`; it was left out of the inputs, its path not parsing,
    // and a name holding `"` after the PATH had escapes: helper-115).
    let investor = crate::overrides::key_segment(model.party_name(model.investor.party));
    for (i, tier) in model.profit_share.tiers.iter().enumerate() {
        if tier.until.iter().any(|(p, _)| *p == model.investor.party) {
            paths.push(format!("profit_share.tiers[{i}].until.{investor}"));
        }
    }
    for (side, rs) in [
        ("profit_share", &model.profit_share.revenue_share),
        ("equity", &model.equity.revenue_share),
    ] {
        if let Some(rs) = rs {
            paths.push(format!("{side}.revenue_share.rate"));
            if rs.total_cap.is_some() {
                paths.push(format!("{side}.revenue_share.total_cap"));
            }
        }
    }
    for i in 0..model.equity.rounds.len() {
        paths.push(format!("equity.rounds[{i}].pre_money"));
        paths.push(format!("equity.rounds[{i}].participation"));
    }
    paths.push("equity.dividend_payout".into());
    paths.push("equity.terminal_discount".into());
    // SPEC 11's list and nothing more, with or without a cloud side (SPEC 13 adds nothing
    // to it): `--vary cloud.margin=LOW..HIGH` asks for the cloud side's inputs (the table
    // and the chart say so where none is varied: `cloud_side_left_out`).

    let nudge = Decimal::new(5, 2);
    let mut inputs: Vec<Input> = Vec::new();
    for text in paths {
        let Ok(path) = OverridePath::parse(&text) else {
            continue;
        };
        let Some(knob) = Knob::resolve(model, &path, &text) else {
            continue;
        };
        let domain = knob.domain(model);
        let Some(v) = knob.current(model) else {
            // A round's pre-money value left to its default: each trajectory's own, the
            // valuation that year less the raise, +-25% (SPEC 11 lists each round's
            // pre_money; helper-195: it was left out, its swing ranking above four shown).
            if let Knob::RoundPreMoney(r) = knob {
                let round = &model.equity.rounds[r];
                let by_trajectory = model
                    .trajectories
                    .iter()
                    .map(|t| {
                        let path = crate::engine::series::Path::of(model, t).ok()?;
                        let at = usize::try_from(round.year - model.start_year).ok()?;
                        let v = *path.valuation.get(at)? - round.raise;
                        // Above 0, and its low within the 1e18 no number may pass (a
                        // valuation grown past it: helper-197, low 1.0125e18 above high).
                        let most = Decimal::from(MAX_NUMBER);
                        (v > Decimal::ZERO && v * Decimal::new(75, 2) <= most).then(|| {
                            // To the 6 places an amount prints at, so that the value shown
                            // is the value run (a valuation between points has 28 digits:
                            // helper-196); not where that would reach 0.
                            let (low, high) = quarter_around(v, domain);
                            let six = |x: Decimal| {
                                x.round_dp_with_strategy(
                                    6,
                                    rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                                )
                                .normalize()
                            };
                            if six(low) > Decimal::ZERO {
                                (six(low), six(high))
                            } else {
                                (low, high)
                            }
                        })
                    })
                    .collect();
                inputs.push(Input {
                    origin: format!("tornado input {text}"),
                    path,
                    low: Decimal::ZERO,
                    high: Decimal::ZERO,
                    default: true,
                    by_trajectory: Some(by_trajectory),
                });
            }
            continue;
        };
        let (low, high) = quarter_around(v, domain);
        inputs.push(Input {
            origin: format!("tornado input {text}"),
            path,
            low,
            high,
            default: true,
            by_trajectory: None,
        });
    }
    for (text, low, high) in [
        ("scale.valuation", Decimal::new(75, 2), Decimal::new(125, 2)),
        ("scale.revenue", Decimal::new(75, 2), Decimal::new(125, 2)),
        ("shift.margin", -nudge, nudge),
    ] {
        inputs.push(Input {
            origin: format!("tornado input {text}"),
            path: OverridePath::parse(text).expect("a derived key"),
            low,
            high,
            default: true,
            by_trajectory: None,
        });
    }
    inputs
}

/// A default input's low and high about its value `v`: +-25%, or +-0.05 for a fraction or
/// a rate at 0, kept inside the input's valid range and the 1e18 no number may pass.
fn quarter_around(v: Decimal, domain: Domain) -> (Decimal, Decimal) {
    let quarter = Decimal::new(25, 2);
    let nudge = Decimal::new(5, 2);
    {
        let (mut low, mut high) = if v.is_zero()
            && matches!(
                domain,
                Domain::Fraction | Domain::Rate | Domain::RateFromMinusOne
            ) {
            (-nudge, nudge)
        } else {
            let d = (v * quarter).abs();
            (v - d, v + d)
        };
        match domain {
            Domain::Fraction => {
                low = low.max(Decimal::ZERO);
                high = high.min(Decimal::ONE);
            }
            Domain::UpTo(most) => {
                low = low.max(Decimal::ZERO);
                high = high.min(most);
            }
            Domain::NonNegative | Domain::Positive | Domain::Scale => low = low.max(Decimal::ZERO),
            Domain::AtLeast(least) => low = low.max(least),
            // Above -1: +-25% of a rate above -1 stays above -1 unless the rate is below
            // -0.8; keep 1% of the way to -1 then.
            Domain::Rate => {
                low = low.max(-Decimal::ONE + (v + Decimal::ONE) / Decimal::ONE_HUNDRED)
            }
            Domain::RateFromMinusOne => low = low.max(-Decimal::ONE),
            Domain::Margin => {
                low = low.max(-Decimal::ONE);
                high = high.min(Decimal::ONE);
            }
            // (A shift of margins is varied by +-0.05, not about its value: no bound near.)
            Domain::Any | Domain::Shift | Domain::Year => {}
        }
        // No number of a model may pass 1e18 in size (helper-120: an `until` of 1e18 was
        // varied to 1.25e18, and the tornado refused).
        let most = Decimal::from(MAX_NUMBER);
        (low.max(-most).normalize(), high.min(most).normalize())
    }
}

/// Runs each input at its low and high value on the trajectories `selected`; rows grouped
/// by trajectory (the model's order), each group sorted by swing, largest first (an empty
/// swing last; swings equal to 6 places keep the inputs' order).
pub fn tornado(
    base: &Base,
    inputs: &[Input],
    selected: &[usize],
) -> Result<Vec<TornadoRow>, Error> {
    tornado_with_progress(base, inputs, selected, &|_| {})
}

/// How many values [`tornado`] runs for `inputs` on `selected`: each input's low and high,
/// on each chosen trajectory for an input whose values are each trajectory's own.
pub fn value_runs(inputs: &[Input], selected: &[usize]) -> u64 {
    inputs
        .iter()
        .map(|input| match input.by_trajectory {
            None => 2,
            Some(_) => {
                2 * selected
                    .iter()
                    .filter(|&&t| input.range_on(t).is_some())
                    .count() as u64
            }
        })
        .sum()
}

/// [`tornado`], telling `progress` of each input value run, from any thread, as they are
/// done: [`value_runs`] in all.
pub fn tornado_with_progress(
    base: &Base,
    inputs: &[Input],
    selected: &[usize],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<TornadoRow>, Error> {
    let model = base.model();
    super::check_work(
        base,
        (
            (2 * inputs.len() as u64 + 1).saturating_mul(selected.len() as u64),
            2 * inputs.len() as u64,
            2 * inputs.len() as u64,
        ),
        &format!(
            "a tornado of {} inputs on {} trajectories",
            inputs.len(),
            selected.len()
        ),
        "name fewer inputs with --vary, or fewer trajectories with --trajectory",
    )?;
    // Paths into `[simulation]` first: the base run's error is not the answer to them.
    for input in inputs {
        base.refuse_simulation(&input.origin, &input.path, "tornado varies")?;
    }
    // The model's own values must run, as for `compare`: a trajectory that cannot is an
    // error, not a row of empty cells (a value of an input it cannot run at leaves that
    // cell empty, below).
    super::run(model, selected).map_err(|e| super::solve::engine_error(base, &e))?;
    // An input given twice (also as `[0]` and `[name]`, or quoted and bare) would be two
    // rows of the same value: refused, as `sweep` refuses it. (`scale.valuation` and
    // `scale.valuation[base]` are different inputs, though equal on `base`.)
    let mut seen: Vec<(String, &str)> = Vec::with_capacity(inputs.len());
    for input in inputs {
        let path = base.canonical(&input.origin, &input.path)?;
        if let Some((_, first)) = seen.iter().find(|(p, _)| *p == path) {
            return Err(Error::Usage(format!(
                "{} and {} vary the same value ({path}); give each path once",
                crate::error::origin_shortened(first),
                crate::error::origin_shortened(&input.origin)
            )));
        }
        seen.push((path, &input.origin));
    }
    let routes: Vec<Route> = inputs
        .iter()
        .map(|i| base.route(&i.origin, &i.path))
        .collect::<Result<_, _>>()?;
    let kinds: Vec<super::InputKind> = inputs
        .iter()
        .map(|i| base.input_kind(&i.origin, &i.path))
        .collect::<Result<_, _>>()?;
    // Each input's two values: checked through the document, then run; on every chosen
    // trajectory, or, for an input whose values are each trajectory's own, on that one.
    // (Each job: the input, the value, whether it is the high one, and the one trajectory.)
    type Job = (usize, Decimal, bool, Option<usize>);
    let jobs: Vec<Job> = inputs
        .iter()
        .enumerate()
        .flat_map(|(i, input)| match &input.by_trajectory {
            None => vec![(i, input.low, false, None), (i, input.high, true, None)],
            Some(_) => selected
                .iter()
                .enumerate()
                .filter_map(|(k, &t)| input.range_on(t).map(|range| (k, range)))
                .flat_map(|(k, (low, high))| [(i, low, false, Some(k)), (i, high, true, Some(k))])
                .collect(),
        })
        .collect();
    // The model without its trajectories, for the runs of one trajectory (below); made
    // only where an input has them.
    let bare = inputs
        .iter()
        .any(|i| i.by_trajectory.is_some())
        .then(|| Model {
            trajectories: Vec::new(),
            ..model.clone()
        });
    let runs: Vec<Result<Vec<Option<Decimal>>, Error>> = jobs
        .par_iter()
        .map(|(i, v, _, only)| {
            // A trajectory's own default pre-money, +-25%: above 0 and within 1e18 as made,
            // so valid without reading the document again; set on a model of that
            // trajectory alone (the document read again and the whole model copied for
            // each value took time in trajectories squared: 400 trajectories, 0.4 s to 13
            // s; helper-196).
            if let (Some(k), Route::Knob(knob), Some(bare)) = (only, routes[*i], &bare) {
                let mut one = bare.clone();
                one.trajectories
                    .push(model.trajectories[selected[*k]].clone());
                let advantage = knob
                    .set(&mut one, *v)
                    .and_then(|()| super::run(&one, &[0]).ok())
                    .map(|out| out[0].npv_advantage);
                progress(1);
                return Ok(vec![advantage]);
            }
            let selected: &[usize] = match only {
                Some(k) => std::slice::from_ref(&selected[*k]),
                None => selected,
            };
            let input = &inputs[*i];
            let o = Override::number(
                format!("{} at {}", input.origin, assignment(&input.path, *v)),
                &input.path,
                *v,
            );
            let checked = match base.load_with(&[o]) {
                Ok(checked) => checked,
                Err(_) if input.default => {
                    progress(1);
                    return Ok(vec![None; selected.len()]);
                }
                Err(e) => return Err(e),
            };
            let cell = match routes[*i] {
                Route::Knob(k) => {
                    let mut m = model.clone();
                    match k.set(&mut m, *v) {
                        Some(()) => m,
                        None => checked,
                    }
                }
                Route::Document => checked,
            };
            // One trajectory at a time, so that one that cannot run leaves only its cell empty.
            let advantages = selected
                .iter()
                .map(|t| {
                    super::run(&cell, &[*t])
                        .ok()
                        .map(|out| out[0].npv_advantage)
                })
                .collect();
            progress(1);
            Ok(advantages)
        })
        .collect();
    // Each input's advantages at its low and high, by the chosen trajectory.
    let mut advantages: Vec<Vec<(Option<Decimal>, Option<Decimal>)>> =
        vec![vec![(None, None); selected.len()]; inputs.len()];
    for ((i, _, high, only), run) in jobs.iter().zip(runs) {
        let run = run?;
        let ks: Vec<usize> = match only {
            Some(k) => vec![*k],
            None => (0..selected.len()).collect(),
        };
        for (k, advantage) in ks.into_iter().zip(run) {
            let cell = &mut advantages[*i][k];
            if *high {
                cell.1 = advantage;
            } else {
                cell.0 = advantage;
            }
        }
    }
    let mut rows = Vec::new();
    for (k, &t) in selected.iter().enumerate() {
        let mut group: Vec<TornadoRow> = inputs
            .iter()
            .enumerate()
            // An input with no value on this trajectory (a default pre-money not above 0,
            // where the round cannot happen, or whose -25% passes 1e18) has no row.
            .filter_map(|(i, input)| Some((i, input, input.range_on(t)?)))
            .map(|(i, input, (low_value, high_value))| {
                let (low, high) = advantages[i][k];
                TornadoRow {
                    trajectory: model.trajectories[t].name.clone(),
                    input: input.path.text.clone(),
                    low: low_value,
                    high: high_value,
                    kind: kinds[i],
                    advantage_low: low,
                    advantage_high: high,
                    swing: low.zip(high).map(|(l, h)| (h - l).abs()),
                }
            })
            .collect();
        // By the exact swing, as the chart sorts its bars (by the swing rounded to the 6
        // places printed, a model in small units listed a swing of 0 above larger ones
        // that printed alike, in another order than tornado.png's: helper-220); swings
        // exactly equal keep the inputs' order.
        group.sort_by(|a, b| match (a.swing, b.swing) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        rows.extend(group);
    }
    Ok(rows)
}

/// `tornado.png` (and, with `svg`, `tornado.svg`) at `size`: the bars of trajectory
/// `chosen` (one of `rows`' trajectories).
pub fn chart_files(
    base: &Base,
    rows: &[TornadoRow],
    chosen: &str,
    size: chart::Size,
    svg: bool,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let model = base.model();
    let index = model
        .trajectories
        .iter()
        .position(|t| t.name == chosen)
        .unwrap_or_default();
    let own =
        super::run(model, &[index]).map_err(|e| base.loaded.engine_error(&e))?[0].npv_advantage;
    let f = crate::engine::Num::to_f64;
    let bars: Vec<chart::TornadoRow> = rows
        .iter()
        .filter(|r| r.trajectory == chosen)
        // An end the model cannot run is NaN: the chart draws the other end and says so.
        .map(|r| chart::TornadoRow {
            input: r.input.clone(),
            low: f(r.low),
            high: f(r.high),
            advantage_low: r.advantage_low.map_or(f64::NAN, f),
            advantage_high: r.advantage_high.map_or(f64::NAN, f),
            swing: r.swing.map_or(f64::NAN, f),
        })
        .collect();
    let labels = ModelLabels::of(model);
    let ctx = base.loaded.chart_context(size, Some(chosen.to_string()));
    TornadoChart {
        labels: &labels,
        trajectory: chosen,
        base_advantage: f(own),
        rows: &bars,
    }
    .files(&ctx, svg)
}

/// Whether an input path sets part of the cloud side (SPEC 13): `[cloud]`, a regime's
/// `cloud` table, or a trajectory's `spend`.
///
/// ```
/// use stakeshift::sensitivity::tornado::is_cloud_side;
/// assert!(is_cloud_side("cloud.margin"));
/// assert!(is_cloud_side("equity.cloud.commitment.total"));
/// assert!(is_cloud_side("trajectories[base].spend.points[0][1]"));
/// // A party named `cloud`, a trajectory named `spend`: not the cloud side.
/// assert!(!is_cloud_side("profit_share.tiers[0].until.cloud"));
/// assert!(!is_cloud_side("trajectories[spend].revenue.growth"));
/// assert!(!is_cloud_side("equity.stake"));
/// ```
pub fn is_cloud_side(path: &str) -> bool {
    use crate::overrides::{Segment, Target};
    let Ok(OverridePath {
        target: Target::Key(segments),
        ..
    }) = OverridePath::parse(path)
    else {
        return false;
    };
    let key = |i: usize| match segments.get(i) {
        Some(Segment::Key(k)) => Some(k.as_str()),
        _ => None,
    };
    // (By the keys as parsed: a party named `cloud` or `spend` in a tier's `until` is none.)
    match key(0) {
        Some("cloud") => true,
        Some("profit_share" | "equity") => key(1) == Some("cloud"),
        Some("trajectories") => key(2) == Some("spend"),
        _ => false,
    }
}

/// The sentence a tornado's table and chart add where the model sells compute and no input
/// varied is of the cloud side, which the default inputs leave out (helper-276: the
/// built-in `base`'s cloud.margin at +-25% swings the advantage by 90.6, which would rank
/// 5th of 14).
/// The tables' note where a round's pre-money value left to its default is varied: its low
/// and high are each trajectory's own, derived, not the file's (helper-281: rows of
/// `477.002314  795.003857` beside the file's round numbers, unexplained).
pub fn defaulted_pre_money(inputs: &[Input]) -> Option<String> {
    let paths: Vec<String> = inputs
        .iter()
        .filter(|i| i.by_trajectory.is_some())
        .map(|i| format!("`{}`", i.path.text))
        .collect();
    let (last, rest) = paths.split_last()?;
    let (named, has) = if rest.is_empty() {
        (last.clone(), "has")
    } else {
        (format!("{} and {last}", rest.join(", ")), "have")
    };
    Some(format!(
        "{named} {has} no value in the file: each trajectory's low and high are 75% and 125% of its own default, its valuation that year less the raise."
    ))
}

pub fn cloud_side_left_out<'a>(
    sells_compute: bool,
    inputs: impl IntoIterator<Item = &'a str>,
) -> Option<&'static str> {
    (sells_compute && !inputs.into_iter().any(is_cloud_side)).then_some(
        "The cloud side is not varied here (it is not among the default inputs): add it with --vary, as --vary cloud.margin=LOW..HIGH.",
    )
}
