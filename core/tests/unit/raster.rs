//! The charts' pixel helpers, on images small enough to check by hand.

use stakeshift_core::raster::*;

#[test]
fn downsampling_averages_blocks() {
    // 2x2 image of one pixel: white, black, white, black -> mid grey.
    let big = [255, 255, 255, 0, 0, 0, 255, 255, 255, 0, 0, 0];
    assert_eq!(downsample(&big, 1, 1), vec![128, 128, 128]);
}

#[test]
fn downsampling_in_bulk_equals_pixel_by_pixel() {
    // 150 x 3 output pixels: runs of white, a run with one dark pixel, a partial run.
    let (w, h) = (150, 3);
    let mut big = vec![255u8; w * 2 * h * 2 * 3];
    for (i, v) in big.iter_mut().enumerate() {
        if i % 997 == 0 || (i / 3) % 300 > 260 {
            *v = (i % 251) as u8;
        }
    }
    let mut naive = Vec::new();
    for y in 0..h {
        for x in 0..w {
            for ch in 0..3 {
                let at = |dx: usize, dy: usize| {
                    u16::from(big[((2 * y + dy) * 2 * w + 2 * x + dx) * 3 + ch])
                };
                naive.push(((at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1) + 2) / 4) as u8);
            }
        }
    }
    assert_eq!(downsample(&big, w, h), naive);
}
