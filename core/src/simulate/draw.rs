//! One random future around the model's trajectories (SPEC 10, steps 1 to 5).
//!
//! Random numbers: ChaCha8 (the `rand_chacha` crate), a counter-based generator. Its
//! 256-bit key is expanded from the seed by `rand`'s `seed_from_u64`, and path p reads
//! stream p of that key from its start, so a path's draws depend on the seed and its own
//! index only: the output is the same whatever the number of threads and whichever paths
//! are run. Where the CPU has AVX2, the simulation makes those words 16 paths at a time
//! ([`super::words`]), the same numbers as `rand_chacha`'s, bit for bit. Each path draws,
//! in order: one uniform for its center (53 bits, in [0, 1)), then for each year from
//! `from_year` to `end_year` the normals e_r, e_m, e_v (ziggurat, `rand_distr`'s
//! `StandardNormal`, drawn by [`super::normal`], which gives the same numbers) and one
//! 64-bit number whose high and low halves are the uniforms u_a and u_f (k / 2^32, in [0,
//! 1): a hazard is resolved to 2.3e-10, and a path of 20 random years reads 81 numbers
//! instead of 101: a twentieth of a simulation's time). Every draw is taken whatever the
//! parameters, so changing a vol or a hazard does not move the other draws (common random
//! numbers).
//!
//! ```
//! use rand::RngCore;
//! use stakeshift_core::simulate::draw::{Streams, exp, two_uniforms};
//!
//! // fdlibm's e^x: exactly 1 at 0, and elsewhere within an ulp of the standard library's.
//! assert_eq!(exp(0.0), 1.0);
//! for x in [-20.0, -1.0, 0.1, 1.0, 2.5, 10.0] {
//!     let ulps = (exp(x).to_bits() as i64 - f64::exp(x).to_bits() as i64).abs();
//!     assert!(ulps <= 1, "e^{x}: {ulps} ulps apart");
//! }
//! // A 64-bit draw's two halves, each k / 2^32: 2^31 / 2^32 = 0.5, 2^30 / 2^32 = 0.25.
//! assert_eq!(two_uniforms(0x8000_0000_4000_0000), (0.5, 0.25));
//! // Path p's stream depends on the seed and p only: the same whenever the path is drawn.
//! let streams = Streams::new(42);
//! let first = streams.path(3).next_u64();
//! assert_ne!(streams.path(2).next_u64(), first);
//! assert_eq!(streams.path(3).next_u64(), first);
//! ```

use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::normal::standard_normal;
use crate::engine::series::{Kind, Path, value_at};
use crate::engine::{EngineError, Num};
use crate::model::{Model, TrajectorySource, Year};

/// The process's parameters in f64 (from `[simulation]`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Process {
    pub revenue_vol: f64,
    pub revenue_persistence: f64,
    pub margin_vol: f64,
    pub margin_persistence: f64,
    pub valuation_beta: f64,
    pub valuation_vol: f64,
    pub valuation_persistence: f64,
    pub agi_hazard: f64,
    pub failure_hazard: f64,
}

impl Process {
    /// `[simulation]`'s process parameters in f64.
    pub fn of(spec: &crate::model::Simulation) -> Process {
        let f = |d: rust_decimal::Decimal| d.to_f64();
        Process {
            revenue_vol: f(spec.revenue_vol),
            revenue_persistence: f(spec.revenue_persistence),
            margin_vol: f(spec.margin_vol),
            margin_persistence: f(spec.margin_persistence),
            valuation_beta: f(spec.valuation_beta),
            valuation_vol: f(spec.valuation_vol),
            valuation_persistence: f(spec.valuation_persistence),
            agi_hazard: f(spec.agi_hazard),
            failure_hazard: f(spec.failure_hazard),
        }
    }
}

/// The cumulative shares of `weights` (each over their sum), the last exactly 1: center i is
/// drawn where a uniform u in [0, 1) is below the i-th and not below the one before.
pub fn cumulative_weights(weights: &[f64]) -> Vec<f64> {
    let total: f64 = weights.iter().sum();
    let mut running = 0.0;
    let mut cumulative: Vec<f64> = weights
        .iter()
        .map(|w| {
            running += w;
            running / total
        })
        .collect();
    if let Some(last) = cumulative.last_mut() {
        *last = 1.0;
    }
    cumulative
}

/// A trajectory as a center of the simulation: its yearly values in f64.
#[derive(Debug, Clone)]
pub struct Center {
    /// Index in the model's trajectories.
    pub trajectory: usize,
    pub name: String,
    pub agi_year: Option<Year>,
    pub revenue: Vec<f64>,
    pub profit: Vec<f64>,
    /// profit^c_t where revenue^c_t is not 0, else 0: the profit a random year starts from
    /// (SPEC 10.3: margin^c is 0 where revenue is 0, so a path's profit is 0 there).
    pub profit_drawn: Vec<f64>,
    /// margin^c_t: the margin series' value, or profit / revenue for a trajectories_csv
    /// trajectory (0 where revenue is 0).
    pub margin: Vec<f64>,
    pub valuation: Vec<f64>,
    /// The compute spend (SPEC 13); empty without a cloud side.
    pub spend: Vec<f64>,
}

impl Center {
    pub fn of(model: &Model, trajectory: usize) -> Result<Center, EngineError> {
        let t = &model.trajectories[trajectory];
        let path: Path<f64> = Path::of(model, t)?.convert();
        let margin = match &t.source {
            TrajectorySource::Series { margin, .. } => (model.start_year..=model.end_year)
                .map(|year| value_at(margin, Kind::Linear, year).map_or(0.0, Num::to_f64))
                .collect(),
            TrajectorySource::Table {
                revenue, profit, ..
            } => revenue
                .iter()
                .zip(profit)
                .map(|(r, p)| {
                    if r.is_zero() {
                        0.0
                    } else {
                        // A quotient past Decimal's range (a profit of 1e17 on a revenue of
                        // 1e-12) is taken in f64: `/` panicked (helper-101).
                        p.checked_div(*r)
                            .map_or_else(|| p.to_f64() / r.to_f64(), |m| m.to_f64())
                    }
                })
                .collect(),
        };
        let profit_drawn = path
            .revenue
            .iter()
            .zip(&path.profit)
            .map(|(&r, &p)| if r == 0.0 { 0.0 } else { p })
            .collect();
        Ok(Center {
            trajectory,
            name: t.name.clone(),
            agi_year: t.agi_year,
            revenue: path.revenue,
            profit: path.profit,
            profit_drawn,
            margin,
            valuation: path.valuation,
            spend: path.spend,
        })
    }
}

/// The random streams of one simulation.
#[derive(Debug, Clone)]
pub struct Streams {
    /// Stream 0 of the seed's key, at its start: each path's stream is a copy of it with
    /// the stream number changed (the key is expanded once, not once per path).
    start: ChaCha8Rng,
    /// The key as ChaCha's eight 32-bit key words (little-endian), for [`super::words`].
    key: [u32; 8],
}

impl Streams {
    pub fn new(seed: u64) -> Self {
        let seed = ChaCha8Rng::seed_from_u64(seed).get_seed();
        let key = std::array::from_fn(|j| {
            u32::from_le_bytes([
                seed[4 * j],
                seed[4 * j + 1],
                seed[4 * j + 2],
                seed[4 * j + 3],
            ])
        });
        Streams {
            start: ChaCha8Rng::from_seed(seed),
            key,
        }
    }

    /// The seed's key as ChaCha's key words.
    pub fn key(&self) -> &[u32; 8] {
        &self.key
    }

    /// Path `p`'s own stream.
    pub fn path(&self, p: u64) -> ChaCha8Rng {
        let mut rng = self.start.clone();
        // Nothing has been drawn from `start`, so this only sets the stream number.
        rng.set_stream(p);
        rng
    }
}

/// A drawn path's yearly values, reused from path to path.
#[derive(Debug, Clone)]
pub struct PathValues {
    pub revenue: Vec<f64>,
    pub profit: Vec<f64>,
    pub margin: Vec<f64>,
    pub valuation: Vec<f64>,
    /// The compute spend, following the path's revenue; empty without a cloud side.
    pub spend: Vec<f64>,
    /// The random years' shocks (SPEC 10, step 3): x_t, then beta x_t + w_t, one after the
    /// other (so that one call takes all their exponentials); and y_t.
    exponents: Vec<f64>,
    margin_shock: Vec<f64>,
    /// e^x_t, then e^(beta x_t + w_t): the factors on revenue and valuation.
    factors: Vec<f64>,
}

impl PathValues {
    pub fn new(years: usize) -> Self {
        PathValues {
            revenue: vec![0.0; years],
            profit: vec![0.0; years],
            margin: vec![0.0; years],
            valuation: vec![0.0; years],
            spend: Vec::new(),
            exponents: vec![0.0; 2 * years],
            margin_shock: vec![0.0; years],
            factors: vec![0.0; 2 * years],
        }
    }
}

/// What was drawn besides the values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drawn {
    /// Index into the simulation's centers.
    pub center: usize,
    pub agi_year: Option<Year>,
    pub failure_year: Option<Year>,
}

// fdlibm's constants, by their bits (as musl writes them): ln 2 in two parts, the high one
// with trailing zeros so that k * LN2_HI is exact.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
const INV_LN2: f64 = std::f64::consts::LOG2_E;
// 1.5 * 2^52: adding it rounds to the nearest integer k (ties to even) for |v| < 2^51, and
// leaves k in the low bits of the sum (its bits are 0x4338_0000_0000_0000 + k).
const ROUND: f64 = 6_755_399_441_055_744.0;
const P1: f64 = f64::from_bits(0x3fc5_5555_5555_553e);
const P2: f64 = f64::from_bits(0xbf66_c16c_16be_bd93);
const P3: f64 = f64::from_bits(0x3f11_566a_af25_de2c);
const P4: f64 = f64::from_bits(0xbebb_bd41_c5d2_6bf1);
const P5: f64 = f64::from_bits(0x3e66_3769_72be_a4d0);

/// Whether [`exp_core`] holds for `x`: inside (-708, 709) (false for NaN).
#[inline(always)]
fn in_core_range(x: f64) -> bool {
    x > -708.0 && x < 709.0
}

/// fdlibm's e^x for x in (-708, 709), without a branch, so that a loop over many x is
/// vectorized: x = k ln2 + r with |r| <= ln2 / 2, e^r from a rational approximation, times
/// 2^k built from k's bits.
#[inline(always)]
fn exp_core(x: f64) -> f64 {
    let k_bits = x * INV_LN2 + ROUND;
    let k = k_bits - ROUND;
    let hi = x - k * LN2_HI;
    let lo = k * LN2_LO;
    let r = hi - lo;
    let t = r * r;
    let c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
    let y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
    // 2^k: k + 1023 is in [2, 2046] here, so the low 12 bits of k_bits + 1023, shifted to
    // the top, are exactly the exponent field of 2^k with a zero sign.
    let scale = f64::from_bits(k_bits.to_bits().wrapping_add(1023) << 52);
    y * scale
}

/// e^x, to within an ulp of the correctly rounded value, with exp(0) exactly 1.
///
/// fdlibm's algorithm (as in musl and Go), one value at a time: the definition that
/// [`exp_into`], which the simulation uses, matches bit for bit (glibc's `exp`, a call
/// through the PLT with its error handling, was a seventh of a simulation's time). Outside
/// (-708, 709) (near where e^x leaves the normal range or overflows, far beyond any path's
/// shocks) and for NaN, it defers to the standard library.
pub fn exp(x: f64) -> f64 {
    if in_core_range(x) {
        exp_core(x)
    } else {
        x.exp()
    }
}

/// `out[i]` = [`exp`]`(xs[i])`: the same numbers, bit for bit, computed a vector of values
/// at a time (the first loop has no branch and no call).
#[inline(always)]
pub fn exp_into(xs: &[f64], out: &mut [f64]) {
    let out = &mut out[..xs.len()];
    for (x, e) in xs.iter().zip(out.iter_mut()) {
        // Clamped to where the formula holds (k + 1023 stays in [2, 2046]); values outside
        // (-708, 709) and NaN are redone below.
        // Not `clamp`: its NaN handling keeps this loop from being vectorized.
        #[allow(clippy::manual_clamp)]
        let x = x.max(-708.0).min(709.0);
        *e = exp_core(x);
    }
    // `&`, not `all`: a reduction without an early exit is vectorized.
    let inside = xs.iter().fold(true, |inside, x| inside & in_core_range(*x));
    if !inside {
        for (x, e) in xs.iter().zip(out.iter_mut()) {
            if !in_core_range(*x) {
                *e = x.exp();
            }
        }
    }
}

/// A center's value times a path's factor e^(...): a value of 0 stays 0 (the value itself,
/// so -0 stays -0, as the product with a finite factor leaves it) where the factor has
/// overflowed to infinity, whose product with 0 is NaN (helper-132: a valuation of 0
/// under valuation_beta 10 failed the run as "too large to hold"). A select, not a
/// branch: the loops stay vectorized.
#[inline(always)]
fn times_factor(value: f64, factor: f64) -> f64 {
    if value == 0.0 { value } else { value * factor }
}

/// The two uniforms in `bits`: its high and low 32 bits, each k / 2^32 (exact in f64).
#[inline(always)]
pub fn two_uniforms(bits: u64) -> (f64, f64) {
    const SCALE: f64 = 1.0 / 4_294_967_296.0;
    // Through i64, whose conversion is one instruction (an unsigned one takes several
    // without AVX-512); both halves are below 2^32, so the same numbers.
    (
        (bits >> 32) as i64 as f64 * SCALE,
        (bits & 0xffff_ffff) as i64 as f64 * SCALE,
    )
}

/// Draws the center and the values of one path (SPEC 10, steps 1 to 5) into `out`.
/// `cumulative` holds the centers' cumulative weights, the last one 1; `from` is the index
/// of the first random year. With `fixed_years` false the years before `from` (the
/// center's own) are not written: for a run that resumes at `from` and never reads them.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub fn draw_path<R: RngCore>(
    rng: &mut R,
    centers: &[Center],
    cumulative: &[f64],
    process: &Process,
    start_year: Year,
    from: usize,
    fixed_years: bool,
    out: &mut PathValues,
) -> Drawn {
    let u: f64 = rng.random();
    // The first center whose cumulative weight is above u, found by bisection (the weights
    // never fall): a search along them cost a path as much as its years with 250,000
    // centers (helper-102).
    let center_index = cumulative
        .partition_point(|c| *c <= u)
        .min(centers.len() - 1);
    let c = &centers[center_index];
    let n = c.revenue.len();
    let from = from.min(n);
    // The years before the first random one are the center's own.
    if fixed_years {
        out.revenue[..from].copy_from_slice(&c.revenue[..from]);
        out.profit[..from].copy_from_slice(&c.profit[..from]);
        out.margin[..from].copy_from_slice(&c.margin[..from]);
        out.valuation[..from].copy_from_slice(&c.valuation[..from]);
    }
    let cloud = !c.spend.is_empty();
    if cloud {
        out.spend.resize(n, 0.0);
        if fixed_years {
            out.spend[..from].copy_from_slice(&c.spend[..from]);
        }
    } else {
        out.spend.clear();
    }
    let p = process;
    let m = n - from;
    let PathValues {
        exponents,
        margin_shock,
        factors,
        ..
    } = out;
    let (x_t, v_t) = exponents[..2 * m].split_at_mut(m);
    let y_t = &mut margin_shock[..m];

    // The draws, in their order (the stream is read one year after another), with the
    // shocks' recursions and the hazards.
    let (mut x, mut y, mut w) = (0.0f64, 0.0f64, 0.0f64);
    // The first random year (as an index from `from`) in which AGI is declared, and the
    // company fails; m for none.
    let (mut agi_at, mut failed_at) = (m, m);
    for j in 0..m {
        let e_r = standard_normal(rng);
        let e_m = standard_normal(rng);
        let e_v = standard_normal(rng);
        let (u_a, u_f) = two_uniforms(rng.next_u64());
        x = p.revenue_persistence * x + p.revenue_vol * e_r;
        y = p.margin_persistence * y + p.margin_vol * e_m;
        w = p.valuation_persistence * w + p.valuation_vol * e_v;
        x_t[j] = x;
        y_t[j] = y;
        v_t[j] = p.valuation_beta * x + w;
        if agi_at == m && u_a < p.agi_hazard {
            agi_at = j;
        }
        if failed_at == m && u_f < p.failure_hazard {
            failed_at = j;
        }
    }
    let year_at = |j: usize| start_year + (from + j) as Year;
    // AGI comes with the first year drawn, or the center's own year if that is earlier.
    let agi_year = match (c.agi_year, agi_at < m) {
        (Some(a), true) => Some(a.min(year_at(agi_at))),
        (Some(a), false) => Some(a),
        (None, true) => Some(year_at(agi_at)),
        (None, false) => None,
    };
    let failure_year = (failed_at < m).then(|| year_at(failed_at));

    // The values, a year at a time but without a dependence between years, so that these
    // loops run on vectors. exp(0) is exactly 1 and y is 0 with every vol 0: the path is then
    // its center, exactly. profit = revenue * margin is computed as profit^c e^x + revenue * y,
    // the same number. Two corners follow SPEC 10.3 to the letter, though with every vol 0
    // they part from the center: where a trajectories_csv center's revenue is 0, its margin
    // is 0 and so is the path's profit (the center's own profit, a loss without revenue, is
    // not carried: a `--replay` table, revenue and margin, could not carry it either); and a
    // margin above 1 is held at 1.
    exp_into(&exponents[..2 * m], &mut factors[..2 * m]);
    let (g_t, f_t) = factors[..2 * m].split_at(m);
    let (o_revenue, o_profit, o_margin, o_valuation) = (
        &mut out.revenue[from..n],
        &mut out.profit[from..n],
        &mut out.margin[from..n],
        &mut out.valuation[from..n],
    );
    let (c_revenue, c_profit, c_margin, c_valuation) = (
        &c.revenue[from..n],
        &c.profit_drawn[from..n],
        &c.margin[from..n],
        &c.valuation[from..n],
    );
    for j in 0..m {
        let revenue = times_factor(c_revenue[j], g_t[j]);
        let margin = c_margin[j] + y_t[j];
        let capped = margin > 1.0;
        o_revenue[j] = revenue;
        o_margin[j] = if capped { 1.0 } else { margin };
        o_profit[j] = if capped {
            revenue
        } else {
            times_factor(c_profit[j], g_t[j]) + revenue * y_t[j]
        };
        o_valuation[j] = times_factor(c_valuation[j], f_t[j]);
    }
    // Spend follows the path's revenue (SPEC 13): the center's spend times the same factor.
    if cloud {
        for ((o, c), g) in out.spend[from..n]
            .iter_mut()
            .zip(&c.spend[from..n])
            .zip(g_t)
        {
            *o = times_factor(*c, *g);
        }
    }
    // From the year it fails, the company has nothing.
    if let Some(failed) = failure_year {
        let f = (failed - start_year) as usize;
        for v in [
            &mut out.revenue,
            &mut out.profit,
            &mut out.margin,
            &mut out.valuation,
        ] {
            v[f..n].fill(0.0);
        }
        if cloud {
            out.spend[f..n].fill(0.0);
        }
    }
    Drawn {
        center: center_index,
        agi_year,
        failure_year,
    }
}
