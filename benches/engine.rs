//! Engine speed: one trajectory through both regimes (with its measures and break-even
//! search), the whole built-in comparison, and reading the model file.
//!
//! Run: `cargo bench --bench engine`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use stakeshift::engine::{discount_factors, run_trajectory};

fn engine(c: &mut Criterion) {
    let loaded = stakeshift::io::load_model(None).unwrap();
    let model = &loaded.model;
    let df = discount_factors(model).unwrap();
    let base = model
        .trajectories
        .iter()
        .find(|t| t.name == "base")
        .unwrap();

    c.bench_function("run_trajectory(base)", |b| {
        b.iter(|| run_trajectory(black_box(model), black_box(&df), black_box(base)).unwrap())
    });
    c.bench_function("compare(builtin, all trajectories)", |b| {
        b.iter(|| stakeshift::compare::compare(black_box(model), None).unwrap())
    });
    c.bench_function("load_model(builtin)", |b| {
        b.iter(|| stakeshift::io::load_model(black_box(None)).unwrap())
    });
}

criterion_group!(benches, engine);
criterion_main!(benches, parts);

fn measures(c: &mut Criterion) {
    use rust_decimal::Decimal;
    let loaded = stakeshift::io::load_model(None).unwrap();
    let model = &loaded.model;
    let df = discount_factors(model).unwrap();
    let base = model
        .trajectories
        .iter()
        .find(|t| t.name == "base")
        .unwrap();
    let r = run_trajectory(model, &df, base).unwrap();
    let mut flows: Vec<Decimal> = r.equity.rows.iter().map(|row| row.cash_flow).collect();
    *flows.last_mut().unwrap() += r.equity.measures.terminal_value;
    c.bench_function("irr(base equity, 27 years)", |b| {
        b.iter(|| stakeshift::measures::irr(black_box(&flows)))
    });
    c.bench_function("Path::of(base)", |b| {
        b.iter(|| stakeshift::series::Path::of(black_box(model), black_box(base)).unwrap())
    });
}

criterion_group!(parts, measures);
