//! Engine speed: one trajectory through both regimes (with its measures and break-even
//! search), the same path through the NPV-only run in exact decimals and in f64 (what a
//! simulation runs per path), the whole built-in comparison, reading the model file, and
//! the parts that cost most (IRR, series interpolation).
//!
//! Run: `cargo bench -p stakeshift-bench --bench engine`.

use criterion::{Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;
use std::hint::black_box;

use stakeshift::engine::series::Path;
use stakeshift::engine::{Deal, RoundPolicy, Scratch, discount_factors, run_path, run_trajectory};
use stakeshift::model::Model;

/// The built-in model and its discount factors.
fn builtin() -> (Model, Vec<Decimal>) {
    let model = stakeshift::io::load_model(None).unwrap().model;
    let df = discount_factors(&model).unwrap();
    (model, df)
}

fn engine(c: &mut Criterion) {
    let (model, df) = builtin();
    let base = model
        .trajectories
        .iter()
        .find(|t| t.name == "base")
        .unwrap();

    c.bench_function("run_trajectory(base)", |b| {
        b.iter(|| run_trajectory(black_box(&model), black_box(&df), black_box(base)).unwrap())
    });
    // The NPV-only run on a ready path, buffers reused: per path of a simulation.
    let exact_path = Path::of(&model, base).unwrap();
    let fast_path: Path<f64> = exact_path.convert();
    let exact_deal = Deal::<Decimal>::of(&model, &df);
    let fast_deal = Deal::<f64>::of(&model, &df);
    let mut exact_scratch = Scratch::new(&exact_deal);
    let mut fast_scratch = Scratch::new(&fast_deal);
    c.bench_function("run_path(base, Decimal, NPVs only)", |b| {
        b.iter(|| {
            run_path(
                black_box(&exact_deal),
                exact_path.as_ref(base.agi_year),
                RoundPolicy::Error,
                &mut exact_scratch,
                &mut (),
            )
            .unwrap()
        })
    });
    c.bench_function("run_path(base, f64, NPVs only)", |b| {
        b.iter(|| {
            run_path(
                black_box(&fast_deal),
                fast_path.as_ref(base.agi_year),
                RoundPolicy::Skip,
                &mut fast_scratch,
                &mut (),
            )
            .unwrap()
        })
    });
    c.bench_function("compare(builtin, all trajectories)", |b| {
        b.iter(|| stakeshift::compare::compare(black_box(&model), None).unwrap())
    });
    c.bench_function("load_model(builtin)", |b| {
        b.iter(|| stakeshift::io::load_model(black_box(None)).unwrap())
    });

    let r = run_trajectory(&model, &df, base).unwrap();
    let mut flows: Vec<Decimal> = r.equity.rows.iter().map(|row| row.cash_flow).collect();
    *flows.last_mut().unwrap() += r.equity.measures.terminal_value;
    c.bench_function("irr(base equity, 27 years)", |b| {
        b.iter(|| stakeshift::engine::measures::irr(black_box(&flows)))
    });
    c.bench_function("Path::of(base)", |b| {
        b.iter(|| stakeshift::engine::series::Path::of(black_box(&model), black_box(base)).unwrap())
    });
}

/// A whole simulation of the built-in model (NPVs and winner per path, statistics), reported
/// in path-years per second: paths x the model's years, both regimes on each.
fn simulation(c: &mut Criterion) {
    let model = stakeshift::io::load_model(None).unwrap().model;
    let paths = 20_000u64;
    let options = stakeshift::simulate::Options {
        paths,
        seed: 0,
        selected: None,
        fan: false,
    };
    let mut group = c.benchmark_group("simulate(builtin)");
    group.throughput(criterion::Throughput::Elements(
        paths * model.years() as u64,
    ));
    group.sample_size(10);
    group.bench_function("20,000 paths", |b| {
        b.iter(|| stakeshift::simulate::run(black_box(&model), &options, &|_| {}).unwrap())
    });
    group.finish();
}

/// One simulated path's draws without the deals (SPEC 10 steps 1 to 5: the center, the
/// normals, hazards and yearly values), and the random words alone, per path.
fn draws(c: &mut Criterion) {
    use rand::RngCore;
    use stakeshift::simulate::draw::{
        Center, PathValues, Process, Streams, cumulative_weights, draw_path,
    };
    let model = stakeshift::io::load_model(None).unwrap().model;
    let spec = &model.simulation;
    let centers: Vec<Center> = (0..model.trajectories.len())
        .map(|i| Center::of(&model, i).unwrap())
        .collect();
    let weights: Vec<f64> = spec
        .weights_of(&model)
        .into_iter()
        .map(|w| w.try_into().unwrap())
        .collect();
    let cumulative = cumulative_weights(&weights);
    let process = Process::of(spec);
    let from = (spec.first_random_year(&model) - model.start_year) as usize;
    let streams = Streams::new(0);
    let mut values = PathValues::new(model.years());
    let words = 1 + 4 * (model.years() - from);
    let mut p = 0u64;
    c.bench_function("draw_path(builtin), one path", |b| {
        b.iter(|| {
            p += 1;
            let mut rng = streams.path(p);
            draw_path(
                &mut rng,
                &centers,
                &cumulative,
                &process,
                model.start_year,
                from,
                false,
                &mut values,
            )
        })
    });
    c.bench_function(&format!("random words of one path ({words})"), |b| {
        b.iter(|| {
            p += 1;
            let mut rng = streams.path(p);
            (0..words).fold(0u64, |x, _| x ^ rng.next_u64())
        })
    });
    // Made 16 paths at a time, by each kernel this CPU has.
    use stakeshift::simulate::words::{ChunkWords, Kernel};
    for kernel in Kernel::available() {
        let Some(mut chunk) = ChunkWords::with_kernel(ChunkWords::blocks_for(words), kernel) else {
            continue;
        };
        c.bench_function(
            &format!("random words of one path ({words}), made 16 paths at a time, {kernel:?}"),
            |b| {
                b.iter(|| {
                    p += 1;
                    let words = chunk.path(&streams, p);
                    (0..words.len()).fold(0u64, |x, i| x ^ words.get(i).unwrap_or(0))
                })
            },
        );
    }
}

/// The statistics of one group's quantity over a million paths (SPEC 10): mean and sd, and
/// the five percentiles, on the built-in model's NPV advantages (both signs, as simulated).
fn statistics(c: &mut Criterion) {
    use stakeshift::simulate::stats::{BUCKET_BITS, QUANTILES, mean_sd, percentiles, summaries};
    let model = stakeshift::io::load_model(None).unwrap().model;
    let options = stakeshift::simulate::Options {
        paths: 1_000_000,
        seed: 0,
        selected: None,
        fan: false,
    };
    let results = stakeshift::simulate::run(&model, &options, &|_| {}).unwrap();
    let advantages: Vec<f64> = results.per_path.npv_advantage().to_vec();
    let centers = results.centers.len();
    let center = results.per_path.center();
    let mut group = c.benchmark_group("statistics of 1,000,000 advantages");
    group.sample_size(20);
    group.bench_function("mean_sd", |b| b.iter(|| mean_sd(black_box(&advantages))));
    let mut values = advantages.clone();
    group.bench_function("percentiles", |b| {
        b.iter(|| {
            values.copy_from_slice(&advantages);
            percentiles(black_box(&mut values), QUANTILES)
        })
    });
    // What a simulation computes of each quantity: all paths' and each center's mean, sd
    // and percentiles, in two passes over the column.
    group.bench_function("summaries (all and each center's)", |b| {
        b.iter(|| {
            summaries(
                black_box(&advantages),
                centers,
                |i| Some(center[i] as usize),
                BUCKET_BITS,
            )
        })
    });
    group.finish();
}

criterion_group!(benches, engine, simulation, draws, statistics);
criterion_main!(benches);
