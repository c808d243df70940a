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

/// Paths around every edge a chunk or a stream number has: chunk boundaries, the chunks on
/// either side of the stream's low 32-bit word rolling over (2^32 is a chunk boundary) and
/// of 2^63, and the last streams.
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

/// Whatever mix of 64-bit, 32-bit and byte reads, a path's stream gives what its own
/// ChaCha8Rng gives, across the end of the words made (found by a review: 32-bit and byte
/// reads had taken whole 64-bit words, which the draws never do, but a new draw might).
#[test]
fn a_path_stream_is_its_chacha8rng_for_every_kind_of_read() {
    let streams = Streams::new(11);
    // A fixed pseudo-random sequence of calls (a linear congruential generator: no other
    // randomness in a test).
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % n
    };
    for blocks in [1, 2, 5] {
        let mut chunk = ChunkWords::new(blocks);
        for p in [3, 16, 77] {
            let mut rng = ChaCha8Rng::from_seed(ChaCha8Rng::seed_from_u64(11).get_seed());
            rng.set_stream(p);
            let mut stream = PathStream::new(&streams, p, chunk.path(&streams, p));
            for call in 0..300 {
                match next(3) {
                    0 => assert_eq!(stream.next_u64(), rng.next_u64(), "path {p}, call {call}"),
                    1 => assert_eq!(stream.next_u32(), rng.next_u32(), "path {p}, call {call}"),
                    _ => {
                        let len = next(13) as usize;
                        let (mut mine, mut theirs) = (vec![0u8; len], vec![0u8; len]);
                        stream.fill_bytes(&mut mine);
                        rng.fill_bytes(&mut theirs);
                        assert_eq!(mine, theirs, "path {p}, call {call}, {len} bytes");
                    }
                }
            }
        }
    }
}

#[test]
fn blocks_cover_the_words_a_path_draws_and_some_spare() {
    assert_eq!(ChunkWords::blocks_for(0), 1);
    assert_eq!(ChunkWords::blocks_for(1), 1);
    assert_eq!(ChunkWords::blocks_for(2), 2);
    // The built-in model: a center word and 20 random years of four words each, 88 made.
    assert_eq!(ChunkWords::blocks_for(81), 11);
    // 19 random years: 77 words, 88 made (with 80, an odd number of years left 3 spare).
    assert_eq!(ChunkWords::blocks_for(77), 11);
    assert_eq!(ChunkWords::blocks_for(usize::MAX), usize::MAX / 8 + 1);
}

/// A public constructor takes any size without panicking: at most MAX_BLOCKS are made, and
/// a path reads on from its own generator.
#[test]
fn a_huge_chunk_is_capped_and_read_on() {
    let streams = Streams::new(2);
    let mut chunk = ChunkWords::new(usize::MAX);
    let words = chunk.path(&streams, 1);
    assert_eq!(
        words.len(),
        8 * stakeshift_core::simulate::words::MAX_BLOCKS
    );
    let made = words.len();
    let mut stream = PathStream::new(&streams, 1, words);
    let drawn: Vec<u64> = (0..made + 20).map(|_| stream.next_u64()).collect();
    assert_eq!(drawn, reference(2, 1, made + 20));
}

/// The widest kernel is the one used: a detection that quietly fell back to the portable
/// code would give the same words, slower, and no other test would notice.
#[test]
fn the_widest_kernel_this_cpu_has_is_detected() {
    let available = Kernel::available();
    assert_eq!(Some(&Kernel::detected()), available.last());
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            assert!(available.contains(&Kernel::Avx2));
            assert_ne!(Kernel::detected(), Kernel::Portable);
        }
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512vl")
        {
            assert_eq!(Kernel::detected(), Kernel::Avx512);
        }
    }
}

/// A chunk asked for the same paths of another seed makes that seed's words (it keeps
/// the chunk of one key only).
#[test]
fn a_chunk_asked_for_another_seed_makes_its_words() {
    let mut chunk = ChunkWords::new(2);
    for seed in [1, 2, 1] {
        let streams = Streams::new(seed);
        assert_eq!(chunk.path(&streams, 4).to_vec(), reference(seed, 4, 16));
    }
}
