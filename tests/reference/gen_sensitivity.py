#!/usr/bin/env python3
"""Writes the reference cases of `sweep`, `solve` and `tornado` (SPEC 11) with ref.py.

Each case is a folder under tests/reference/sensitivity/ holding `args.txt` (the stakeshift
arguments, one per line; the model path relative to the repository) and the CSV that
ref.py wrote for the same command. tests/sensitivity_reference.rs runs stakeshift with the
arguments and compares. Regenerate with `python3 tests/reference/gen_sensitivity.py`
(it deletes and rewrites the folder); commit the result.
"""

import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import ref  # noqa: E402

BUILTIN = "models/msft-openai.toml"
SAFE = "models/revenue-note-vs-safe.toml"
CSV_MODEL = "tests/bad/_valid_csv.toml"
PRE_MONEY = "tests/reference/cases/case_004/model.toml"

CASES = {
    "sweep_builtin_stake_by_rate": ["sweep", BUILTIN, "--vary", "equity.stake=0.2..0.34:8",
                                    "--vary", "discount_rate=0.07..0.11:3", "-t", "base", "-t", "bear"],
    "sweep_builtin_scale_valuation": ["sweep", BUILTIN, "--vary", "scale.valuation=0.5..1.5:5"],
    "sweep_builtin_margin_with_dividends": ["sweep", BUILTIN, "--vary", "shift.margin=-0.1..0.1:5",
                                            "--set", "equity.dividend_payout=0.3", "-t", "base", "-t", "bust"],
    "sweep_builtin_cap_by_revenue": ["sweep", BUILTIN, "--vary", "profit_share.tiers[1].until.microsoft=60..120:4",
                                     "--vary", "scale.revenue[bull]=0.8..1.2:3", "-t", "bull"],
    "sweep_safe_revenue_share": ["sweep", SAFE, "--vary", "profit_share.revenue_share.rate=0.02..0.1:5",
                                 "--vary", "equity.rounds[0].pre_money=16..32:3"],
    "sweep_csv_scales": ["sweep", CSV_MODEL, "--vary", "scale.revenue=0.5..2:4", "--vary", "scale.valuation=0.5..1.5:3"],
    "sweep_csv_margin": ["sweep", CSV_MODEL, "--vary", "shift.margin[fromcsv]=-0.05..0.05:3"],
    "sweep_pre_money_rounds": ["sweep", PRE_MONEY, "--vary", "equity.stake=0.1..0.5:5"],
    "solve_builtin_stake": ["solve", BUILTIN, "equity.stake", "--within", "0.01..0.5", "-t", "base", "-t", "bear"],
    "solve_builtin_discount_rate": ["solve", BUILTIN, "discount_rate", "--within", "0.0..0.6", "-t", "base"],
    "solve_builtin_stake_target": ["solve", BUILTIN, "equity.stake", "--within", "0.01..0.5",
                                   "--target", "50", "-t", "base", "--set", "discount_rate=0.1"],
    "solve_csv_scale_revenue": ["solve", CSV_MODEL, "scale.revenue", "--within", "0.1..10"],
    "solve_safe_stake": ["solve", SAFE, "equity.stake", "--within", "0.01..0.6"],
    "tornado_builtin": ["tornado", BUILTIN, "-t", "base", "-t", "commoditized",
                        "--vary", "equity.stake=0.2025..0.3375", "--vary", "discount_rate=0.0675..0.1125",
                        "--vary", "scale.valuation=0.75..1.25", "--vary", "shift.margin=-0.05..0.05",
                        "--vary", "profit_share.tiers[1].until.microsoft=69..115"],
    "tornado_csv": ["tornado", CSV_MODEL, "--vary", "scale.revenue=0.75..1.25",
                    "--vary", "equity.stake=0.2..0.4", "--vary", "equity.rounds[0].participation=0..2"],
}


def main():
    out_root = os.path.join(HERE, "sensitivity")
    shutil.rmtree(out_root, ignore_errors=True)
    for name, args in CASES.items():
        command, model = args[0], args[1]
        rest = args[2:]
        folder = os.path.join(out_root, name)
        os.makedirs(folder)
        with open(os.path.join(folder, "args.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(args) + "\n")
        ref_args = [command, os.path.join(ROOT, model), folder] + rest
        ref.sensitivity_main(ref_args)
        print(name, file=sys.stderr)


if __name__ == "__main__":
    main()
