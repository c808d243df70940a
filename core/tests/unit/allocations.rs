//! Issue 7 asks that a simulation's path allocate nothing ("no allocation per year"): its
//! buffers are made once per thread and reused. Counted here by a global allocator that
//! counts the allocations of the threads of a pool of the test's own.
//!
//! Regression: a fix to the break-even search (b2b641d) converted four `Decimal` constants
//! to `f64` at the end of every path, each through its text (a `String`): 40% of a
//! simulation's instructions, and nothing failed. It allocated four times a path.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

use stakeshift_core::model::{ModelSource, parse_model};
use stakeshift_core::simulate::{Options, run};

/// The system's allocator, counting the allocations of threads that ask to be counted.
struct Counting;

thread_local! {
    static COUNTED: Cell<bool> = const { Cell::new(false) };
}
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

fn count() {
    // `try_with`: a thread being torn down may still allocate.
    if COUNTED.try_with(Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: every call is passed on to `System` unchanged; counting touches only an atomic
// and a thread-local `Cell<bool>` (const-initialized, without a destructor: no allocation).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The allocations of a simulation of the built-in model, run on a one-thread pool whose
/// thread is counted (the test's own thread, and other tests', are not).
fn allocations_of_a_simulation(paths: u64) -> u64 {
    let model = parse_model(ModelSource {
        text: include_str!("../../../models/msft-openai.toml"),
        load: &mut |_| Err("no files".into()),
    })
    .unwrap();
    let options = Options {
        paths,
        seed: 1,
        selected: None,
        fan: false,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .start_handler(|_| COUNTED.with(|c| c.set(true)))
        .build()
        .unwrap();
    // The pool's thread is started (and counted from) before the count is read.
    pool.install(|| ());
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    pool.install(|| run(&model, &options, &|_| {}).unwrap());
    ALLOCATIONS.load(Ordering::Relaxed) - before
}

#[test]
fn regression_a_simulations_paths_allocate_nothing() {
    let (few, many) = (
        allocations_of_a_simulation(2_000),
        allocations_of_a_simulation(42_000),
    );
    // 40,000 more paths: the same buffers (a few more for rayon's splits and the results'
    // growth, none a path). One allocation a path would be 40,000 more.
    assert!(
        many.saturating_sub(few) < 400,
        "{few} allocations for 2,000 paths, {many} for 42,000"
    );
}
