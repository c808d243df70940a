//! Nothing: this package holds the criterion benchmarks in `benches/`.
