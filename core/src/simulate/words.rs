//! ChaCha8's words for many paths at once: the numbers `rand_chacha`'s `ChaCha8Rng` gives
//! each path's stream, bit for bit, made a vector of streams at a time.
//!
//! Path p reads stream p of the seed's key from its start (see [`super::draw`]): for the
//! built-in model 81 64-bit words, 11 of ChaCha's 64-byte blocks. `rand_chacha` makes a
//! stream's blocks four at a time through a 256-byte buffer set up for each path, which was
//! two fifths of drawing a path. Here the same block of [`CHUNK`] consecutive paths is
//! computed together, one vector lane a path, so that each step of ChaCha's rounds is one
//! operation on 8 or 16 blocks: the state is `[[u32; lanes]; 16]` and every step a loop over
//! the lanes, which the compiler turns into vector instructions (AVX-512 or AVX2 where the
//! CPU has it, chosen at run time; without AVX2 the simulation draws from each path's own
//! `ChaCha8Rng`, whose code for narrower vectors is faster). The arithmetic is on integers,
//! so the words are the same whatever the vector width; tests hold them to `rand_chacha`'s.
//!
//! ```
//! use rand::RngCore;
//! use stakeshift_core::simulate::draw::Streams;
//! use stakeshift_core::simulate::words::ChunkWords;
//!
//! let streams = Streams::new(42);
//! let mut chunk = ChunkWords::new(3);
//! // Path 5's first three words, as its own ChaCha8Rng gives them.
//! let mut rng = streams.path(5);
//! let words = chunk.path(&streams, 5);
//! assert_eq!(words.len(), 3 * 8);
//! assert_eq!(words.to_vec()[..3], [rng.next_u64(), rng.next_u64(), rng.next_u64()]);
//! ```

use rand::RngCore;
use rand_chacha::ChaCha8Rng;

use super::draw::Streams;

/// Paths whose words are made together (a multiple of every vector width used).
pub const CHUNK: u64 = 16;
const LANES: usize = CHUNK as usize;

/// Words made for a path beyond those its draws read without a rejected normal.
pub const SPARE_WORDS: usize = 7;

/// The most blocks made for a path in advance: 1 MiB for a chunk (a 500-year model's paths
/// read about 250).
pub const MAX_BLOCKS: usize = 1024;

/// "expand 32-byte k".
const CONSTANTS: [u32; 4] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574];

/// The words of [`CHUNK`] consecutive paths (the chunk holding the path last asked for), a
/// given number of ChaCha blocks each: what a thread reuses from path to path.
#[derive(Debug, Clone)]
pub struct ChunkWords {
    kernel: Kernel,
    blocks: usize,
    /// The first path of the chunk held and the key of its streams; None before the first.
    held: Option<(u64, [u32; 8])>,
    /// Word i of path `first + l` at `i * CHUNK + l`: as ChaCha's rounds leave them, one
    /// vector lane a path (no transposition to make).
    words: Vec<u64>,
}

/// One path's words in a [`ChunkWords`].
#[derive(Debug, Clone, Copy)]
pub struct PathWords<'a> {
    chunk: &'a [u64],
    lane: usize,
}

impl PathWords<'_> {
    /// How many words were made.
    pub fn len(&self) -> usize {
        self.chunk.len() / LANES
    }

    pub fn is_empty(&self) -> bool {
        self.chunk.is_empty()
    }

    /// Word `i` of the path's stream, if made.
    #[inline(always)]
    pub fn get(&self, i: usize) -> Option<u64> {
        self.chunk.get(i * LANES + self.lane).copied()
    }

    /// The words made, in order.
    pub fn to_vec(&self) -> Vec<u64> {
        (0..self.len()).filter_map(|i| self.get(i)).collect()
    }
}

impl ChunkWords {
    /// For paths that read `blocks` blocks (8 words each) from their streams' start (at most
    /// [`MAX_BLOCKS`] are made; a path reads on from its own generator).
    pub fn new(blocks: usize) -> Self {
        let blocks = blocks.min(MAX_BLOCKS);
        ChunkWords {
            kernel: Kernel::detected(),
            blocks,
            held: None,
            words: vec![0; LANES * 8 * blocks],
        }
    }

    /// As [`ChunkWords::new`], computed by `kernel`; None where this CPU cannot run it (see
    /// [`Kernel::available`]).
    pub fn with_kernel(blocks: usize, kernel: Kernel) -> Option<Self> {
        Kernel::available().contains(&kernel).then(|| ChunkWords {
            kernel,
            ..ChunkWords::new(blocks)
        })
    }

    /// The blocks to make for a path that draws `words` 64-bit words when none of its
    /// normals is rejected: with at least [`SPARE_WORDS`] more, so that a path reads past
    /// them rarely (a rejected normal reads two more words or so: 369 of 200,000 of the
    /// built-in model's paths read more than its 7 spare words).
    pub fn blocks_for(words: usize) -> usize {
        words.saturating_add(SPARE_WORDS).div_ceil(8)
    }

    /// Path `p`'s first `8 * blocks` words of `streams`.
    pub fn path(&mut self, streams: &Streams, p: u64) -> PathWords<'_> {
        let first = p - p % CHUNK;
        let held = Some((first, *streams.key()));
        if self.held != held {
            fill(self.kernel, streams, first, self.blocks, &mut self.words);
            self.held = held;
        }
        PathWords {
            chunk: &self.words,
            lane: (p - first) as usize,
        }
    }
}

/// How the blocks are computed: the same rounds on vectors of different widths, so the
/// same words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernel {
    /// Each path's own `ChaCha8Rng`, one after another.
    Portable,
    /// Eight lanes a vector.
    Avx2,
    /// Sixteen lanes a vector, with a rotate instruction.
    Avx512,
}

impl Kernel {
    /// The widest this CPU has.
    pub fn detected() -> Kernel {
        Kernel::available().pop().unwrap_or(Kernel::Portable)
    }

    /// Every kernel this CPU can run, narrowest first.
    pub fn available() -> Vec<Kernel> {
        let mut kernels = vec![Kernel::Portable];
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2") {
                kernels.push(Kernel::Avx2);
            }
            if std::arch::is_x86_feature_detected!("avx512f")
                && std::arch::is_x86_feature_detected!("avx512vl")
            {
                kernels.push(Kernel::Avx512);
            }
        }
        kernels
    }
}

/// Fills `words` with paths `first ..` `first + CHUNK`'s first `blocks` blocks.
fn fill(kernel: Kernel, streams: &Streams, first: u64, blocks: usize, words: &mut [u64]) {
    #[cfg(target_arch = "x86_64")]
    match kernel {
        // SAFETY: `Kernel::available` offers each only where the CPU has its features.
        Kernel::Avx512 => return unsafe { fill_avx512(streams.key(), first, blocks, words) },
        Kernel::Avx2 => return unsafe { fill_avx2(streams.key(), first, blocks, words) },
        Kernel::Portable => {}
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = kernel;
    fill_portable(streams, first, blocks, words)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512vl")]
fn fill_avx512(key: &[u32; 8], first: u64, blocks: usize, words: &mut [u64]) {
    fill_lanes::<LANES>(key, first, blocks, words)
}

/// Eight lanes at a time: with sixteen, the state (16 rows of two 256-bit vectors) would
/// not fit AVX2's sixteen registers.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn fill_avx2(key: &[u32; 8], first: u64, blocks: usize, words: &mut [u64]) {
    fill_lanes::<8>(key, first, blocks, words)
}

/// Each path's own `ChaCha8Rng` (whose SSE2 or NEON code is better than sixteen lanes in
/// 128-bit vectors, which spill out of the registers).
fn fill_portable(streams: &Streams, first: u64, blocks: usize, words: &mut [u64]) {
    for lane in 0..LANES {
        let mut rng = streams.path(first.wrapping_add(lane as u64));
        for w in words.iter_mut().skip(lane).step_by(LANES).take(8 * blocks) {
            *w = rng.next_u64();
        }
    }
}

/// The chunk's blocks, `L` lanes (paths) at a time.
#[inline(always)]
fn fill_lanes<const L: usize>(key: &[u32; 8], first: u64, blocks: usize, words: &mut [u64]) {
    for (block, out) in words.chunks_exact_mut(8 * LANES).take(blocks).enumerate() {
        for part in 0..LANES / L {
            chacha8::<L>(key, block as u64, first, part * L, out);
        }
    }
}

/// Block `block` of streams `first + first_lane ..` `first + first_lane + L` of `key`, word
/// k of the stream `first + l`'s block at `out[k * LANES + l]`. ChaCha with 8 rounds, its
/// 64-bit block counter in state words 12 and 13 and the 64-bit stream in words 14 and 15,
/// as `rand_chacha` lays them out; a 64-bit word is two consecutive 32-bit words, the first
/// the low half.
#[inline(always)]
fn chacha8<const L: usize>(
    key: &[u32; 8],
    block: u64,
    first: u64,
    first_lane: usize,
    out: &mut [u64],
) {
    let out = &mut out[..8 * LANES];
    // The input, row by row; rebuilt at the end rather than kept (it would hold as many
    // vector registers as the state).
    let input = |j: usize, l: usize| -> u32 {
        let stream = first.wrapping_add((first_lane + l) as u64);
        match j {
            0..4 => CONSTANTS[j],
            4..12 => key[j - 4],
            12 => block as u32,
            13 => (block >> 32) as u32,
            14 => stream as u32,
            _ => (stream >> 32) as u32,
        }
    };
    let mut x = [[0u32; L]; 16];
    for (j, row) in x.iter_mut().enumerate() {
        for (l, v) in row.iter_mut().enumerate() {
            *v = input(j, l);
        }
    }
    for _ in 0..4 {
        quarter(&mut x, 0, 4, 8, 12);
        quarter(&mut x, 1, 5, 9, 13);
        quarter(&mut x, 2, 6, 10, 14);
        quarter(&mut x, 3, 7, 11, 15);
        quarter(&mut x, 0, 5, 10, 15);
        quarter(&mut x, 1, 6, 11, 12);
        quarter(&mut x, 2, 7, 8, 13);
        quarter(&mut x, 3, 4, 9, 14);
    }
    for k in 0..8 {
        for l in 0..L {
            let low = x[2 * k][l].wrapping_add(input(2 * k, l));
            let high = x[2 * k + 1][l].wrapping_add(input(2 * k + 1, l));
            out[k * LANES + first_lane + l] = u64::from(low) | (u64::from(high) << 32);
        }
    }
}

/// ChaCha's quarter round on rows a, b, c, d, every lane: each step one loop over the lanes,
/// one vector operation.
#[inline(always)]
fn quarter<const L: usize>(x: &mut [[u32; L]; 16], a: usize, b: usize, c: usize, d: usize) {
    for (p, q, r, bits) in [(a, b, d, 16), (c, d, b, 12), (a, b, d, 8), (c, d, b, 7)] {
        let added = x[q];
        for (v, w) in x[p].iter_mut().zip(added) {
            *v = v.wrapping_add(w);
        }
        let mixed = x[p];
        for (v, w) in x[r].iter_mut().zip(mixed) {
            *v = (*v ^ w).rotate_left(bits);
        }
    }
}

/// One path's stream, read from its words made in advance: a random number generator that
/// gives what `ChaCha8Rng` gives on that stream, call for call (64-bit, 32-bit and byte
/// reads alike, as `rand_core`'s block buffer serves them: a 64-bit read takes the next two
/// 32-bit words, low first; bytes take whole 32-bit words, little-endian). Past the words
/// made (a path whose draws were rejected more often than usual), it goes on with the
/// path's own `ChaCha8Rng`, set to where the words end.
pub struct PathStream<'a> {
    words: PathWords<'a>,
    /// Where the next whole 64-bit word is in the chunk (`i * CHUNK + lane` for word `i`:
    /// a read is one step, not a product); [`PENDING`] after a 32-bit read that took a
    /// word's low half (so that a 64-bit read's one test, whether the word is there, also
    /// sends that case to the slow path).
    at: usize,
    /// With `at` at [`PENDING`]: the high half still to read, and where the word after it is.
    high_half: u32,
    resume: usize,
    streams: &'a Streams,
    path: u64,
    beyond: Option<ChaCha8Rng>,
}

/// `at` while a word's high half is pending: past any chunk's words (at most
/// [`MAX_BLOCKS`] blocks of 8 words for each of its [`CHUNK`] paths).
const PENDING: usize = usize::MAX;

impl<'a> PathStream<'a> {
    /// Path `path`'s stream of `streams`, whose first words are `words`.
    pub fn new(streams: &'a Streams, path: u64, words: PathWords<'a>) -> Self {
        PathStream {
            at: words.lane,
            words,
            high_half: 0,
            resume: 0,
            streams,
            path,
            beyond: None,
        }
    }

    /// The path's own generator at the first 32-bit word not made.
    fn beyond(&mut self) -> &mut ChaCha8Rng {
        let (streams, path, made) = (self.streams, self.path, self.words.len());
        self.beyond.get_or_insert_with(|| {
            let mut rng = streams.path(path);
            // Positions count 32-bit words.
            rng.set_word_pos(2 * made as u128);
            rng
        })
    }

    /// The next 32-bit word.
    fn read_u32(&mut self) -> u32 {
        if self.at == PENDING {
            self.at = self.resume;
            return self.high_half;
        }
        match self.words.chunk.get(self.at) {
            Some(&w) => {
                self.high_half = (w >> 32) as u32;
                self.resume = self.at + LANES;
                self.at = PENDING;
                w as u32
            }
            None => self.beyond().next_u32(),
        }
    }

    /// A 64-bit read that is not one whole word made: it starts on a word's high half, or
    /// it reaches past the words made.
    #[cold]
    #[inline(never)]
    fn next_u64_slow(&mut self) -> u64 {
        if self.at != PENDING {
            return self.beyond().next_u64();
        }
        let low = self.read_u32();
        let high = self.read_u32();
        u64::from(low) | (u64::from(high) << 32)
    }
}

impl RngCore for PathStream<'_> {
    #[inline(always)]
    fn next_u64(&mut self) -> u64 {
        match self.words.chunk.get(self.at) {
            Some(&w) => {
                self.at += LANES;
                w
            }
            None => self.next_u64_slow(),
        }
    }

    fn next_u32(&mut self) -> u32 {
        self.read_u32()
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        for chunk in dst.chunks_mut(4) {
            chunk.copy_from_slice(&self.read_u32().to_le_bytes()[..chunk.len()]);
        }
    }
}
