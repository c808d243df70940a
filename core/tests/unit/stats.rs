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

#[test]
fn interval_is_p_plus_minus_1_96_se_inside_0_1() {
    let (lo, hi) = interval_95(0.5, 10_000);
    // 1.96 x sqrt(0.25 / 10000) = 1.959964 x 0.005 = 0.00979982.
    assert!((lo - 0.490_200_180_077).abs() < 1e-11, "{lo}");
    assert!((hi - 0.509_799_819_923).abs() < 1e-11, "{hi}");
    assert_eq!(interval_95(1.0, 100), (1.0, 1.0));
    let (lo, _) = interval_95(0.01, 100);
    assert_eq!(lo, 0.0);
}

/// Against sorting, bit for bit, for every size up to 400: values with many ties, both
/// zeros and wide ranges, in random orders, at the reported percentiles and at random
/// quantiles (0 and 1 among them, some repeated, two on neighbouring ranks).
#[test]
fn percentiles_equal_sorting_for_every_size_and_quantile_set() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    let by_sorting = |values: &[f64], quantiles: &[f64]| -> Vec<f64> {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        quantiles
            .iter()
            .map(|q| {
                let h = (n - 1) as f64 * q;
                let lo = (h.floor() as usize).min(n - 1);
                let hi = (lo + 1).min(n - 1);
                sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
            })
            .collect()
    };
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
