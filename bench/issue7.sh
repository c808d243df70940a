#!/usr/bin/env bash
# Issue 7's three figures in one go, on this machine and in these minutes: a million paths
# of the built-in model (wall time by hyperfine, peak memory by GNU time), the vectorized
# numpy simulation of the same paths (tests/reference/sim.py), and the ratio of the two.
# Needs hyperfine (`cargo install hyperfine --version 1.20.0 --locked` on rustc 1.95) and
# numpy (`pip install numpy`). RUNS sets stakeshift's runs (default 15); numpy runs 3.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
bin=target/release/stakeshift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "stakeshift $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "md5 of simulate --paths 200000 --format csv: $("$bin" simulate --paths 200000 --format csv --quiet | md5sum | cut -d' ' -f1)"
hyperfine -N --warmup 2 --runs "${RUNS:-15}" --export-json "$tmp/rust.json" \
    "$bin simulate --paths 1000000 --quiet"
/usr/bin/time -f "peak resident %M kB" "$bin" simulate --paths 1000000 --quiet >/dev/null
hyperfine --warmup 1 --runs 3 --export-json "$tmp/numpy.json" \
    "python3 tests/reference/sim.py models/msft-openai.toml --paths 1000000 --seed 1 --json $tmp/o.json"
python3 - "$tmp/rust.json" "$tmp/numpy.json" <<'PY'
import json, sys
rust, numpy = (json.load(open(p))["results"][0]["mean"] for p in sys.argv[1:])
print(f"stakeshift {rust * 1000:.1f} ms, numpy {numpy:.3f} s: {numpy / rust:.1f}x (10x needs {numpy * 100:.0f} ms)")
PY
