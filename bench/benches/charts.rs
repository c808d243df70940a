//! Chart speed: all four charts of the built-in model at the default size, as the command
//! line draws them (on threads, PNG only), each chart alone, and the SVGs.
//!
//! Run: `cargo bench -p stakeshift-bench --bench charts` (`-- --quick` for a short run). The target is all four
//! charts in under half a second in release. Since 981fe3c the drawing code is built at
//! opt-level 0 (the `stakeshift` crate; Cargo.toml says why), the bench profile included:
//! figures from before are not comparable.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use stakeshift::chart::{Chart, ChartContext, Size, render_files};

fn charts(c: &mut Criterion) {
    let loaded = stakeshift::io::load_model(None).unwrap();
    let model = &loaded.model;
    let comparison = stakeshift::compare::compare(model, None).unwrap();
    let ctx = ChartContext::new(&loaded.label, &loaded.text, Size::DEFAULT, None);

    let mut group = c.benchmark_group("charts");
    group.sample_size(10);
    group.bench_function("all four PNGs (render_files, threads)", |b| {
        b.iter(|| render_files(black_box(model), black_box(&comparison), &ctx, false).unwrap())
    });
    group.bench_function("all four PNGs, one after another", |b| {
        b.iter(|| {
            for chart in Chart::ALL {
                black_box(
                    chart
                        .png(black_box(model), black_box(&comparison), &ctx)
                        .unwrap(),
                );
            }
        })
    });
    for chart in Chart::ALL {
        group.bench_function(format!("{}.png", chart.name()), |b| {
            b.iter(|| {
                chart
                    .png(black_box(model), black_box(&comparison), &ctx)
                    .unwrap()
            })
        });
    }
    group.bench_function("all four SVGs", |b| {
        b.iter(|| {
            for chart in Chart::ALL {
                black_box(
                    chart
                        .svg(black_box(model), black_box(&comparison), &ctx)
                        .unwrap(),
                );
            }
        })
    });
    group.finish();
}

criterion_group!(benches, charts);
criterion_main!(benches);
