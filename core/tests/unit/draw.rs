//! The simulation's draws: e^x (`exp`, and `exp_into` a vector at a time) within an ulp of
//! the standard library's and the two bit for bit alike; two uniforms from one 64-bit word.

use stakeshift_core::simulate::draw::{exp, exp_into};

/// Distance in units in the last place between two positive finite floats.
fn ulps(a: f64, b: f64) -> u64 {
    a.to_bits().abs_diff(b.to_bits())
}

#[test]
fn exp_of_zero_is_exactly_one_so_a_path_without_shocks_is_its_center() {
    assert_eq!(exp(0.0).to_bits(), 1.0f64.to_bits());
    assert_eq!(exp(-0.0).to_bits(), 1.0f64.to_bits());
}

#[test]
fn exp_is_within_one_ulp_of_the_standard_library_over_its_range() {
    // A fixed low-discrepancy sweep of (-708, 709), dense near 0 where paths live.
    let mut worst = 0;
    for i in 0..2_000_000u64 {
        let u = (i as f64 + 0.5) / 2_000_000.0;
        for x in [
            -708.0 + 1417.0 * u,
            40.0 * (u - 0.5),
            2.0 * (u - 0.5),
            1e-3 * (u - 0.5),
        ] {
            let (mine, std) = (exp(x), x.exp());
            worst = worst.max(ulps(mine, std));
            assert!(ulps(mine, std) <= 1, "exp({x:e}) = {mine:e}, std {std:e}");
        }
    }
    assert!(worst <= 1);
}

#[test]
fn exp_into_is_exp_bit_for_bit_inside_and_outside_its_range() {
    let mut xs: Vec<f64> = (0..4001).map(|i| -2000.0 + i as f64 * 0.7357).collect();
    xs.extend([
        0.0,
        -0.0,
        708.9,
        709.0,
        -708.0,
        -707.9,
        f64::NAN,
        f64::INFINITY,
    ]);
    xs.extend([f64::NEG_INFINITY, 1e-300, -1e-300, 3.7e-9]);
    // Odd lengths too: the vectorized loop's remainder.
    for len in [xs.len(), xs.len() - 1, 3, 1, 0] {
        let mut out = vec![f64::NAN; len];
        exp_into(&xs[..len], &mut out);
        for (x, e) in xs[..len].iter().zip(&out) {
            if x.is_nan() {
                assert!(e.is_nan());
            } else {
                assert_eq!(e.to_bits(), exp(*x).to_bits(), "exp_into at {x:e}");
            }
        }
    }
}

#[test]
fn exp_defers_to_the_standard_library_at_the_edges() {
    for x in [
        709.5,
        710.0,
        -708.5,
        -745.0,
        -800.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ] {
        assert_eq!(exp(x).to_bits(), x.exp().to_bits());
    }
    assert!(exp(f64::NAN).is_nan());
}

/// The hazard uniforms of a year: the high and low 32 bits of one draw, each k / 2^32.
#[test]
fn two_uniforms_are_the_halves_of_one_draw() {
    use stakeshift_core::simulate::draw::two_uniforms;
    assert_eq!(two_uniforms(0), (0.0, 0.0));
    assert_eq!(
        two_uniforms(0x8000_0000_0000_0001),
        (0.5, 1.0 / 4_294_967_296.0)
    );
    let top = 1.0 - 1.0 / 4_294_967_296.0;
    assert_eq!(two_uniforms(u64::MAX), (top, top));
    assert_eq!(
        two_uniforms(0x0000_0001_4000_0000),
        (1.0 / 4_294_967_296.0, 0.25)
    );
}
