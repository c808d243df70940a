#!/usr/bin/env python3
"""Writes the simulation reference results tests/reference/sim/<name>.json.

    python3 tests/reference/gen_sim.py [--paths N]      (default 1,000,000 paths a model)

Runs sim.py (the vectorized numpy reference of SPEC section 10) with a fixed seed on the
built-in model and on the small models in tests/reference/sim/.  sim.py draws its random
numbers with numpy's generator, not stakeshift's, so these are distributions to compare
within sampling error (P(equity wins) within a few standard errors, quantiles within their
own sampling error), never path by path.  Takes well under a minute.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import sim  # noqa: E402

SEED = 20240611
MODELS = [
    # (output name, model path relative to the repository root)
    ("msft-openai", "models/msft-openai.toml"),  # [simulation] and [cloud]: the built-in model
    ("hazards", "tests/reference/sim/hazards.toml"),  # agi_hazard, failure_hazard, rights end at AGI
    ("margin_cap", "tests/reference/sim/margin_cap.toml"),  # persistences < 1, min(margin, 1)
    ("weights", "tests/reference/sim/weights.toml"),  # unequal weights, a trajectories_csv center
    ("skipped_round", "tests/reference/sim/skipped_round.toml"),  # rounds that do not happen
]


def main(argv) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--paths", type=int, default=1_000_000)
    a = ap.parse_args(argv)
    os.chdir(ROOT)  # so that each result names its model as `models/...`
    t0 = time.perf_counter()
    for name, model in MODELS:
        res = sim.run(model, paths=a.paths, seed=SEED)
        out = os.path.join(HERE, "sim", f"{name}.json")
        with open(out, "w", encoding="utf-8") as f:
            f.write(sim.dumps(res) + "\n")
        g = res["groups"]["all"]
        print(f"{name}: P(equity wins) {g['p_equity_wins']:.4f} +- {g['p_equity_wins_se']:.4f}, "
              f"median advantage {g['npv_advantage']['p50']:.4f}, failed {res['failed']}, "
              f"AGI {res['reached_agi']}, rounds skipped {res['rounds_skipped']} "
              f"({res['seconds']:.2f} s)")
    print(f"total {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
