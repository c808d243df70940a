#!/usr/bin/env bash
# Builds the seed corpus of the fuzz targets from every model in the repository: models/,
# docs/ (the worked example) and tests/ (the bad-input corpus tests/bad/*.toml, the hand cases, the reference cases,
# the chart model). A model that names a `trajectories_csv` gets that CSV appended after a
# NUL byte, the input shape the targets read (fuzz_targets/input.rs).
set -euo pipefail
cd "$(dirname "$0")"
repo=..
for target in model pipeline; do
    out=corpus/$target
    mkdir -p "$out"
    find "$repo/models" "$repo/tests" "$repo/docs" -name '*.toml' -print0 | sort -z |
        while IFS= read -r -d '' file; do
            name=$(realpath --relative-to="$repo" "$file" | tr '/' '_')
            csv=$(sed -n 's/^trajectories_csv *= *"\(.*\)".*/\1/p' "$file" | head -n1)
            if [ -n "$csv" ] && [ -f "$(dirname "$file")/$csv" ]; then
                { cat "$file"; printf '\0'; cat "$(dirname "$file")/$csv"; } >"$out/$name"
            else
                cp "$file" "$out/$name"
            fi
        done
done
# The overrides target: runs of the `--set` values the docs and tests use (fuzz/sets.txt),
# four lines at a time, on the built-in model (no NUL) and on each of the models above.
out=corpus/overrides
mkdir -p "$out"
split -l 4 -d -a 3 sets.txt "$out/builtin-sets-"
for model in corpus/model/*; do
    { sed -n "$(( $(cksum <"$model" | cut -d' ' -f1) % 90 + 1 )),+3p" sets.txt; printf '\0'; cat "$model"; } \
        >"$out/$(basename "$model")"
done
echo "seeded: $(ls corpus/model | wc -l) inputs for model and pipeline, $(ls "$out" | wc -l) for overrides"
