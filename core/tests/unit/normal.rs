//! The simulation's normal draws are `rand_distr`'s `StandardNormal`, bit for bit.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use stakeshift_core::simulate::normal::standard_normal;

/// Both samplers on twin streams: the same numbers, and the streams left at the same point
/// (so every later draw of a path is the same too). Four million draws take every branch:
/// about 1.2% go past the fast test, the base strip's tail about once in 3,600.
#[test]
fn standard_normal_is_rand_distrs_bit_for_bit() {
    let mut tails = 0;
    for seed in 0..4u64 {
        let mut ours = ChaCha8Rng::seed_from_u64(seed);
        let mut theirs = ours.clone();
        for k in 0..1_000_000 {
            let a = standard_normal(&mut ours);
            let b: f64 = theirs.sample(StandardNormal);
            assert_eq!(
                a.to_bits(),
                b.to_bits(),
                "seed {seed}, draw {k}: {a} vs {b}"
            );
            if a.abs() > 3.654_152_885_361_009 {
                tails += 1;
            }
        }
        assert_eq!(ours.random::<u64>(), theirs.random::<u64>(), "seed {seed}");
    }
    // P(|z| > R) ~ 2.6e-4: about 1,000 in four million.
    assert!(tails > 500, "only {tails} draws from the tail");
}
