//! The charts' own per-pixel loop: averaging the 2x supersampled image down to its size,
//! kept in this crate, which is built fully optimised. The drawing itself (the `stakeshift`
//! crate's `chart` module over plotters, generic over the backend) is compiled in that crate,
//! at opt-level 0. Pure functions over byte slices, no I/O.
//!
//! ```
//! // One output pixel from a 2x2 block: white, black / white, black -> mid grey.
//! let big = [255, 255, 255, 0, 0, 0, 255, 255, 255, 0, 0, 0];
//! assert_eq!(stakeshift_core::raster::downsample(&big, 1, 1), vec![128, 128, 128]);
//! ```

/// Averages each 2x2 block of an RGB image twice the size of `width` x `height`. Runs of
/// white (most of a chart) are copied in bulk.
pub fn downsample(big: &[u8], width: usize, height: usize) -> Vec<u8> {
    // 64 output pixels: 384 bytes of each input row.
    const RUN: usize = 64 * 6;
    const WHITE: [u8; RUN] = [255; RUN];
    let stride = width * 2 * 3;
    let mut out = vec![0u8; width * height * 3];
    let avg = |a: u8, b: u8, c: u8, d: u8| {
        ((u16::from(a) + u16::from(b) + u16::from(c) + u16::from(d) + 2) >> 2) as u8
    };
    for (row, pair) in out.chunks_mut(width * 3).zip(big.chunks_exact(2 * stride)) {
        let (r0, r1) = pair.split_at(stride);
        for ((o, a), b) in row
            .chunks_mut(RUN / 2)
            .zip(r0.chunks(RUN))
            .zip(r1.chunks(RUN))
        {
            if a.len() == RUN && a == WHITE && b == WHITE {
                o.fill(255);
                continue;
            }
            for ((o, a), b) in o
                .chunks_exact_mut(3)
                .zip(a.chunks_exact(6))
                .zip(b.chunks_exact(6))
            {
                o[0] = avg(a[0], a[3], b[0], b[3]);
                o[1] = avg(a[1], a[4], b[1], b[4]);
                o[2] = avg(a[2], a[5], b[2], b[5]);
            }
        }
    }
    out
}
