//! The words made 16 paths at a time are `rand_chacha`'s, bit for bit: the simulation's
//! numbers do not depend on how (or on which CPU) its random words were made.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use stakeshift_core::simulate::draw::Streams;
use stakeshift_core::simulate::words::{ChunkWords, Kernel, PathStream};

/// Path `p`'s first `n` words from its own ChaCha8Rng, as the simulation drew them before.
fn reference(seed: u64, p: u64, n: usize) -> Vec<u64> {
    let mut rng = ChaCha8Rng::from_seed(ChaCha8Rng::seed_from_u64(seed).get_seed());
    rng.set_stream(p);
    (0..n).map(|_| rng.next_u64()).collect()
}

/// Paths around every edge a chunk or a stream number has: chunk boundaries, the stream's
/// low 32-bit word rolling over inside a chunk, and the last streams.
fn paths() -> Vec<u64> {
    let mut paths = vec![0, 1, 15, 16, 17, 31, 1_000_003];
    for edge in [1u64 << 32, 1 << 63] {
        paths.extend((edge - 17)..(edge + 17));
    }
    paths.extend((u64::MAX - 20)..=u64::MAX);
    paths
}

#[test]
fn every_kernel_makes_chacha8rngs_words_bit_for_bit() {
    let kernels = Kernel::available();
    assert_eq!(kernels[0], Kernel::Portable);
    for kernel in kernels {
        for seed in [0, 1, 42, u64::MAX] {
            let streams = Streams::new(seed);
            for blocks in [1, 3, 11] {
                let mut chunk = ChunkWords::with_kernel(blocks, kernel).unwrap();
                for p in paths() {
                    let words = chunk.path(&streams, p);
                    assert_eq!(words.len(), 8 * blocks);
                    assert_eq!(
                        words.to_vec(),
                        reference(seed, p, 8 * blocks),
                        "{kernel:?}, seed {seed}, path {p}, {blocks} blocks"
                    );
                }
            }
        }
    }
}

/// A path that draws more words than were made (rejected normals read more) goes on with
/// its own stream where the words end.
#[test]
fn a_path_stream_goes_on_past_the_words_made() {
    let streams = Streams::new(7);
    let mut chunk = ChunkWords::new(1);
    for p in [0, 5, 16, 1 << 40] {
        let mut stream = PathStream::new(&streams, p, chunk.path(&streams, p));
        let drawn: Vec<u64> = (0..100).map(|_| stream.next_u64()).collect();
        assert_eq!(drawn, reference(7, p, 100), "path {p}");
    }
}

/// Only whole 64-bit words are read by the draws; a 32-bit read takes a word's low half
/// and bytes come from whole words, little-endian.
#[test]
fn a_path_stream_reads_whole_words() {
    let streams = Streams::new(3);
    let mut chunk = ChunkWords::new(2);
    let words = reference(3, 9, 4);
    let mut stream = PathStream::new(&streams, 9, chunk.path(&streams, 9));
    assert_eq!(stream.next_u32(), words[0] as u32);
    let mut bytes = [0u8; 12];
    stream.fill_bytes(&mut bytes);
    assert_eq!(bytes[..8], words[1].to_le_bytes());
    assert_eq!(bytes[8..], words[2].to_le_bytes()[..4]);
    assert_eq!(stream.next_u64(), words[3]);
}

#[test]
fn blocks_cover_the_words_a_path_draws() {
    assert_eq!(ChunkWords::blocks_for(0), 1);
    assert_eq!(ChunkWords::blocks_for(1), 1);
    assert_eq!(ChunkWords::blocks_for(8), 1);
    assert_eq!(ChunkWords::blocks_for(9), 2);
    // The built-in model: a center word and 20 random years of four words each.
    assert_eq!(ChunkWords::blocks_for(81), 11);
}
