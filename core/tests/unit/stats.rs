//! The simulation's statistics (SPEC 10): means, sds, percentiles by rank (n - 1) q and the
//! interval of a share, by hand and against sorting.

use stakeshift_core::simulate::stats::*;

#[test]
fn percentiles_interpolate_between_order_statistics() {
    // 0..=10: rank (n - 1) q = 10 q, so the q-quantile is 10 q exactly.
    let mut v: Vec<f64> = (0..=10).rev().map(f64::from).collect();
    let p = percentiles(&mut v, QUANTILES);
    assert_eq!(p, [0.5, 2.5, 5.0, 7.5, 9.5]);
    // 1, 2, 3, 4: p25 at rank 0.75 -> 1.75; p50 at 1.5 -> 2.5; p95 at 2.85 -> 3.85.
    let mut v = vec![4.0, 1.0, 3.0, 2.0];
    let p = percentiles(&mut v, QUANTILES);
    assert!((p[0] - 1.15).abs() < 1e-12, "{p:?}");
    assert!((p[1] - 1.75).abs() < 1e-12);
    assert!((p[2] - 2.5).abs() < 1e-12);
    assert!((p[4] - 3.85).abs() < 1e-12);
    let mut one = vec![7.0];
    assert_eq!(percentiles(&mut one, QUANTILES), [7.0; 5]);
}

#[test]
fn percentiles_agree_with_sorting_on_ties_and_random_orders() {
    let mut v: Vec<f64> = (0..1001).map(|i| ((i * 7919) % 1009 / 3) as f64).collect();
    let mut sorted = v.clone();
    sorted.sort_by(f64::total_cmp);
    let p = percentiles(&mut v, QUANTILES);
    for (k, q) in QUANTILES.iter().enumerate() {
        let h = 1000.0 * q;
        let lo = h.floor() as usize;
        let expected = sorted[lo] + (h - lo as f64) * (sorted[(lo + 1).min(1000)] - sorted[lo]);
        assert_eq!(p[k], expected);
    }
}

#[test]
fn mean_and_sd_by_hand() {
    let (m, sd) = mean_sd(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
    assert_eq!(m, 5.0);
    // Sum of squared deviations 32, n - 1 = 7.
    assert!((sd - (32.0f64 / 7.0).sqrt()).abs() < 1e-15);
}

/// Wilson's score interval at z = 1.959963984540054, worked independently at 30 digits
/// (mpmath): (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n).
#[test]
fn interval_is_wilsons_score_interval() {
    for (p, n, lo, hi) in [
        (
            0.5,
            10_000,
            0.490_202_061_815_404_8,
            0.509_797_938_184_595_2,
        ),
        (1.0, 100, 0.963_006_501_793_014_3, 1.0),
        (
            0.01,
            100,
            0.001_767_432_064_140_648,
            0.054_486_196_178_705_31,
        ),
        (0.5, 2, 0.094_531_205_734_230_73, 0.905_468_794_265_769_3),
    ] {
        let (l, h) = interval_95(p, n);
        assert!(
            (l - lo).abs() < 1e-12 && (h - hi).abs() < 1e-12,
            "{p} of {n}: {l} {h}"
        );
    }
    assert!(interval_95(0.5, 0).0.is_nan());
}

/// A chart audit: one path of one gave "0.00% to 0.00%" (p +- 1.96 se collapses at 0 and
/// 1); Wilson's interval for 0 of 1 is 0 to 0.7935.
#[test]
fn regression_a_share_of_0_or_1_has_an_interval_of_some_width() {
    let (lo, hi) = interval_95(0.0, 1);
    assert_eq!(lo, 0.0);
    assert!((hi - 0.793_450_685_622_762_6).abs() < 1e-12, "{hi}");
    let (lo, hi) = interval_95(1.0, 1);
    assert!(
        (lo - 0.206_549_314_377_237_4).abs() < 1e-12 && hi == 1.0,
        "{lo}"
    );
}

/// helper-132: 0 of 100 paths printed "95% interval 0.0000000000000003% to 3.7%": Wilson's
/// center and half-width, equal at p = 0, rounded 3e-18 apart. The end at 0 (p = 0) or at 1
/// (p = 1) is exact for every count.
#[test]
fn regression_the_interval_of_a_share_of_0_or_1_ends_at_0_or_1_exactly() {
    for n in (1..=2000).chain([10_000, 1_000_000, 10_000_000, u64::MAX / 3]) {
        assert_eq!(interval_95(0.0, n).0, 0.0, "0 of {n}");
        assert_eq!(interval_95(1.0, n).1, 1.0, "{n} of {n}");
        // The other end is not pinned (where a double can tell it from the pinned one).
        assert!(interval_95(0.0, n).1 > 0.0, "{n}");
        if n <= 10_000_000 {
            assert!(interval_95(1.0, n).0 < 1.0, "{n}");
        }
    }
}

/// Against sorting, bit for bit, for every size up to 400: values with many ties, both
/// zeros and wide ranges, in random orders, at the reported percentiles and at random
/// quantiles (0 and 1 among them, some repeated, two on neighbouring ranks).
#[test]
fn percentiles_equal_sorting_for_every_size_and_quantile_set() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let by_sorting = quantiles_by_sorting;
    for n in 1..=400usize {
        for kind in 0..3 {
            let values: Vec<f64> = (0..n)
                .map(|_| match kind {
                    0 => f64::from(rng.random_range(0..5u8)),
                    1 => [0.0, -0.0, 1.5, -2.0][rng.random_range(0..4)],
                    _ => (rng.random::<f64>() - 0.5) * 10f64.powi(rng.random_range(-3..6)),
                })
                .collect();
            let mut v = values.clone();
            let got = percentiles(&mut v, QUANTILES);
            let want = by_sorting(&values, &QUANTILES);
            for (g, w) in got.iter().zip(&want) {
                assert_eq!(
                    g.to_bits(),
                    w.to_bits(),
                    "n {n} kind {kind}: {got:?} vs {want:?}"
                );
            }
            let mut quantiles = [0.0; 7];
            for q in quantiles.iter_mut() {
                *q = rng.random();
            }
            quantiles[0] = 0.0;
            quantiles[1] = 1.0;
            quantiles[2] = quantiles[3];
            if n > 2 {
                // Two ranks side by side, the lower one between two order statistics.
                let k = rng.random_range(0..n - 2) as f64;
                quantiles[4] = (k + 0.5) / (n - 1) as f64;
                quantiles[5] = (k + 1.25) / (n - 1) as f64;
            }
            let mut v = values.clone();
            let got = percentiles(&mut v, quantiles);
            let want = by_sorting(&values, &quantiles);
            for (g, w) in got.iter().zip(&want) {
                assert_eq!(
                    g.to_bits(),
                    w.to_bits(),
                    "n {n} kind {kind} at {quantiles:?}"
                );
            }
        }
    }
}

#[test]
fn a_summary_reads_its_percentiles_by_quantile() {
    let summary = Summary {
        mean: 0.0,
        sd: 0.0,
        percentiles: [5.0, 25.0, 50.0, 75.0, 95.0],
    };
    assert_eq!(QUANTILES, [0.05, 0.25, 0.5, 0.75, 0.95]);
    for q in QUANTILES {
        assert_eq!(summary.at(q), (q * 100.0).round());
    }
    assert!(summary.at(0.9).is_nan());
}

/// Regression (helper-106): with deviations past 1.3e154 their squares passed the largest
/// double and the sd was NaN (the table and JSON left it empty); and a sum of large values
/// could pass it too. Both are scaled first, only then.
#[test]
fn regression_the_sd_of_huge_values_is_a_number() {
    // Two values 2e200 either side of 0: mean 0, sd sqrt((4e400 + 4e400) / 1) = 2.828e200.
    let (mean, sd) = mean_sd(&[2e200, -2e200]);
    assert_eq!(mean, 0.0);
    assert!((sd / (2e200 * 2f64.sqrt()) - 1.0).abs() < 1e-15, "{sd:e}");
    // Three values of 1e308: their sum passes the largest double; mean 1e308, sd 0.
    let (mean, sd) = mean_sd(&[1e308, 1e308, 1e308]);
    assert!((mean / 1e308 - 1.0).abs() < 1e-15, "{mean:e}");
    assert_eq!(sd, 0.0);
    // A deviation past the largest double itself (helper-107): 1.5e308 and twice -1.5e308
    // have mean -5e307 and sd sqrt((4e616 + 2 x 1e616) / 2) = sqrt(3) x 1e308.
    let (mean, sd) = mean_sd(&[1.5e308, -1.5e308, -1.5e308]);
    assert!((mean / -5e307 - 1.0).abs() < 1e-15, "{mean:e}");
    assert!((sd / (3f64.sqrt() * 1e308) - 1.0).abs() < 1e-15, "{sd:e}");
    // Ordinary values keep their digits: 1, 2, 3, 4 have mean 2.5 and sd sqrt(5/3).
    let (mean, sd) = mean_sd(&[1.0, 2.0, 3.0, 4.0]);
    assert_eq!(mean, 2.5);
    assert_eq!(sd, (5.0f64 / 3.0).sqrt());
}

/// The quantiles of `values` by sorting a copy (SPEC 10's rank rule, written out again):
/// the independent reference of the selections' tests. On a rank exactly, the order
/// statistic itself (not x + 0 (y - x), which an infinite or NaN neighbour y would make
/// NaN).
fn quantiles_by_sorting(values: &[f64], quantiles: &[f64]) -> Vec<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    quantiles
        .iter()
        .map(|q| {
            let h = (n - 1) as f64 * q;
            let lo = (h.floor() as usize).min(n - 1);
            let hi = (lo + 1).min(n - 1);
            let fraction = h - lo as f64;
            if fraction == 0.0 {
                sorted[lo]
            } else {
                sorted[lo] + fraction * (sorted[hi] - sorted[lo])
            }
        })
        .collect()
}

/// Values of one of several kinds: few distinct (ties), both zeros, wide magnitudes of both
/// signs, sums past the largest double, and infinities and NaN among ordinary values.
fn value_of_kind(rng: &mut impl rand::Rng, kind: usize) -> f64 {
    match kind {
        0 => f64::from(rng.random_range(0..5u8)),
        1 => [0.0, -0.0, 1.5, -2.0][rng.random_range(0..4)],
        2 => (rng.random::<f64>() - 0.5) * 10f64.powi(rng.random_range(-3..6)),
        3 => [1.5e308, -1.7e308, 1e308, 3.0][rng.random_range(0..4)],
        _ => [f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 1.0, -4.0][rng.random_range(0..5)],
    }
}

/// The histogram's selection against sorting, bit for bit: every size up to 300, few
/// buckets (so that most values share one) and many, at the reported percentiles and at
/// random quantiles.
#[test]
fn percentiles_by_buckets_equal_sorting_whatever_the_buckets() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    for n in 1..=300usize {
        for kind in 0..5 {
            let values: Vec<f64> = (0..n).map(|_| value_of_kind(&mut rng, kind)).collect();
            for bits in [1, 3, 16] {
                let got = percentiles_by_buckets(&values, QUANTILES, bits);
                let want = quantiles_by_sorting(&values, &QUANTILES);
                for (g, w) in got.iter().zip(&want) {
                    assert_eq!(g.to_bits(), w.to_bits(), "n {n} kind {kind} bits {bits}");
                }
                let quantiles: [f64; 6] = std::array::from_fn(|k| match k {
                    0 => 0.0,
                    1 => 1.0,
                    _ => rng.random(),
                });
                let got = percentiles_by_buckets(&values, quantiles, bits);
                let want = quantiles_by_sorting(&values, &quantiles);
                for (g, w) in got.iter().zip(&want) {
                    assert_eq!(g.to_bits(), w.to_bits(), "n {n} kind {kind} bits {bits}");
                }
            }
        }
    }
}

/// From 32,768 values `percentiles` goes through the histogram: still sorting's numbers.
#[test]
fn percentiles_of_many_values_equal_sorting() {
    use rand::SeedableRng;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(12);
    for (n, kind) in [
        (32_768, 2),
        (40_000, 0),
        (50_001, 1),
        (70_000, 3),
        (33_333, 4),
    ] {
        let values: Vec<f64> = (0..n).map(|_| value_of_kind(&mut rng, kind)).collect();
        let got = percentiles(&mut values.clone(), QUANTILES);
        let want = quantiles_by_sorting(&values, &QUANTILES);
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g.to_bits(), w.to_bits(), "n {n} kind {kind}");
        }
    }
}

/// `summaries` (two passes, no copies) gives each group what its values gathered in
/// order give: `mean_sd`'s mean and sd bit for bit, and sorting's percentiles; for all
/// values and for each subset, empty, single and large ones, values in no subset, few
/// buckets and many, and sums past the largest double (`mean_sd`'s remedies).
#[test]
fn summaries_equal_each_gathered_groups_statistics() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(13);
    for case in 0..240 {
        let n = [0, 1, 2, 7, 50, 400, 3000][case % 7];
        let subsets = [1, 2, 5, 40][(case / 7) % 4];
        let kind = case % 5;
        let values: Vec<f64> = (0..n).map(|_| value_of_kind(&mut rng, kind)).collect();
        // Skewed membership (subset 0 the most common), some values in none.
        let subset: Vec<Option<usize>> = (0..n)
            .map(|_| {
                let s = rng.random_range(0..subsets * subsets) % (subsets + 1);
                (s < subsets).then_some(s)
            })
            .collect();
        let bits = [1, 4, 16][case % 3];
        let got = summaries(&values, subsets, |i| subset[i], bits);
        assert_eq!(got.len(), subsets + 1);
        for (g, summary) in got.iter().enumerate() {
            let group: Vec<f64> = (0..n)
                .filter(|&i| g == 0 || subset[i] == Some(g - 1))
                .map(|i| values[i])
                .collect();
            let Some(summary) = summary else {
                assert!(group.is_empty(), "case {case} group {g}");
                continue;
            };
            let (mean, sd) = mean_sd(&group);
            assert_eq!(
                summary.mean.to_bits(),
                mean.to_bits(),
                "case {case} group {g}"
            );
            assert_eq!(summary.sd.to_bits(), sd.to_bits(), "case {case} group {g}");
            let want = quantiles_by_sorting(&group, &QUANTILES);
            for (got, want) in summary.percentiles.iter().zip(&want) {
                assert_eq!(got.to_bits(), want.to_bits(), "case {case} group {g}");
            }
        }
    }
}

/// Many subsets (a model of 300,000 centers) get histograms of fewer buckets (the counts
/// kept to a few MB), and still each group's numbers: two values in each subset.
#[test]
fn summaries_of_very_many_subsets_give_each_its_numbers() {
    let subsets = 300_000;
    let values: Vec<f64> = (0..2 * subsets)
        .map(|i| f64::from((i * 7919 % 977) as u32) - 400.0)
        .collect();
    let subset_of = |i: usize| Some(i % subsets);
    let got = summaries(&values, subsets, subset_of, 16);
    assert_eq!(got.len(), subsets + 1);
    let check = |g: usize, group: &[f64]| {
        let summary = got[g].unwrap();
        let (mean, sd) = mean_sd(group);
        assert_eq!((summary.mean, summary.sd), (mean, sd), "group {g}");
        let want = quantiles_by_sorting(group, &QUANTILES);
        assert_eq!(summary.percentiles.to_vec(), want, "group {g}");
    };
    check(0, &values);
    for s in [0, 1, 4_567, subsets - 1] {
        check(s + 1, &[values[s], values[s + subsets]]);
    }
}

/// Regression (session 27): on a rank exactly, a percentile was x + 0 (y - x), NaN where
/// the order statistic x was infinite (the percentiles of [inf, inf, inf]) and +0 for -0.
#[test]
fn regression_a_percentile_on_an_infinite_order_statistic_is_that_order_statistic() {
    let mut values = [f64::INFINITY; 3];
    assert_eq!(
        percentiles(&mut values, [0.0, 0.5, 1.0]),
        [f64::INFINITY; 3]
    );
    let mut values = [-0.0, 1.0, f64::NEG_INFINITY];
    let p = percentiles(&mut values, [0.0, 0.5]);
    assert_eq!(p[0], f64::NEG_INFINITY);
    assert_eq!(p[1].to_bits(), (-0.0f64).to_bits());
}
