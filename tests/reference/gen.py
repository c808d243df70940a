#!/usr/bin/env python3
"""Generates random, SPEC-valid models and their expected CSVs from ref.py.

    python3 tests/reference/gen.py [N]        (default N = 40)

writes tests/reference/cases/case_NNN/{model.toml,yearly.csv,summary.csv,comparison.csv}.
The generator is deterministic (fixed seed, one random stream per case).  A drawn
model is kept only if it is robust: its expected values come out the same (within the
integration test's tolerances) when ref.py runs at 28 digits instead of 60, no IRR or
break-even root sits near the edge of the searched ranges, and no two roots are so
close that a coarser search could miss them.  Otherwise the case is drawn again.
Standard library only.
"""

from __future__ import annotations

import csv
import decimal
import math
import os
import random
import shutil
import sys
import tempfile
from decimal import Decimal as D

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ next to the committed files
sys.path.insert(0, HERE)
import ref  # noqa: E402

SEED = 20240611
CASES_DIR = os.path.join(HERE, "cases")


# --------------------------------------------------------------------------
# number formatting for the TOML file (at most 6 decimals, never an exponent)

class Fmt:
    def __init__(self, int_literals: bool):
        # int_literals: write whole amounts as TOML integers (`raise = 100`)
        self.int_literals = int_literals

    def __call__(self, x, places=6) -> str:
        d = D(str(x)) if not isinstance(x, D) else x
        d = d.quantize(D(1).scaleb(-places), rounding=decimal.ROUND_HALF_EVEN)
        if d == 0:
            d = abs(d)
        s = format(d, "f")
        if "." in s:
            s = s.rstrip("0")
            if s.endswith("."):
                s = s[:-1]
        if "." not in s and not self.int_literals:
            s += ".0"
        return s


def q(x, places=6) -> D:
    """x rounded down (toward zero) to `places` decimals, as a Decimal."""
    return D(str(x)).quantize(D(1).scaleb(-places), rounding=decimal.ROUND_DOWN)


def loguniform(rng, lo, hi):
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


# --------------------------------------------------------------------------
# model drawing

PARTY_NAMES = ["microsoft", "others", "employees", "fund_b", "angel", "founders"]
RESIDUAL_NAMES = ["nonprofit", "foundation", "residual_holder"]
TRAJ_NAMES = ["base", "bull", "bear", "stall", "boom"]


def draw_series_points(rng, start, end, kind, f):
    n = rng.randint(1, 5)
    lo = start - rng.choice([0, 0, 1, 3, 6])
    hi = end + rng.choice([0, 0, 2])
    years = sorted(rng.sample(range(lo, hi + 1), min(n, hi - lo + 1)))
    pts = []
    if kind == "revenue":
        v = loguniform(rng, 0.5, 200)
        for i, y in enumerate(years):
            if i > 0:
                v = v * loguniform(rng, 0.6, 3.0)
            val = 0 if rng.random() < 0.08 else v
            pts.append((y, q(val, rng.choice([1, 2, 3, 6]))))
    elif kind == "margin":
        for y in years:
            m = rng.uniform(-0.6, 0.5) if rng.random() < 0.35 else rng.uniform(0.0, 0.5)
            pts.append((y, q(m, rng.choice([2, 3, 4]))))
    else:  # valuation
        v = loguniform(rng, 20, 3000)
        for i, y in enumerate(years):
            if i > 0:
                v = v * loguniform(rng, 0.5, 3.0)
            val = 0 if rng.random() < 0.05 else v
            pts.append((y, q(val, rng.choice([0, 1, 2, 6]))))
    out = "{ points = [" + ", ".join(f"[{y}, {f(v)}]" for y, v in pts) + "]"
    if kind != "margin" and rng.random() < 0.5:
        g = q(rng.uniform(-0.08, 0.15), rng.choice([2, 3, 4]))
        out += f", growth = {f(g)}"
    out += " }"
    return out


def draw_revenue_share(rng, start, end, f):
    lines = []
    rate = q(rng.uniform(0.01, 0.3), rng.choice([2, 3, 4]))
    a = rng.randint(start - 3, end)
    b = rng.randint(a, end + 3)
    lines.append(f"rate = {f(rate)}")
    lines.append(f"from = {a}")
    lines.append(f"until = {b}")
    if rng.random() < 0.5:
        lines.append(f"total_cap = {f(q(loguniform(rng, 0.5, 80), rng.choice([0, 1, 3])))}")
    if rng.random() < 0.5:
        lines.append(f"ends_at_agi = {'true' if rng.random() < 0.7 else 'false'}")
    return lines


def draw_model(rng, case_no):
    f = Fmt(int_literals=rng.random() < 0.15)
    start = rng.randint(2000, 2030)
    horizon = rng.choice([3, 4, 5, 8, 10, 12, 15, 20, 25, 30, 35, 40]) if rng.random() < 0.6 else rng.randint(3, 40)
    end = start + horizon - 1
    years = list(range(start, end + 1))
    vy = rng.randint(start, end)
    dr = D(0) if rng.random() < 0.1 else q(rng.uniform(0.0, 0.2), rng.choice([2, 3, 4]))

    n_parties = rng.randint(2, 4)
    names = rng.sample(PARTY_NAMES, n_parties - 1)
    investor = names[0]
    residual = rng.choice(RESIDUAL_NAMES)
    others = names[1:]
    investor_in_tiers = rng.random() < 0.92

    L = []
    L.append(f'name = "reference case {case_no:03d}"')
    L.append('unit = "USD bn"')
    L.append(f"start_year = {start}")
    L.append(f"end_year = {end}")
    L.append(f"valuation_year = {vy}")
    L.append(f"discount_rate = {f(dr)}")
    L.append("")
    L.append("[investor]")
    L.append(f'party = "{investor}"')
    if rng.random() < 0.92:
        n_c = rng.randint(1, 4)
        cs = []
        for ci in range(n_c):
            if ci == 0 and rng.random() < 0.5:
                y = start
            elif rng.random() < 0.8:
                y = rng.choice(years[: max(1, len(years) * 2 // 3)])
            else:
                y = rng.choice(years)
            a = q(loguniform(rng, 0.3, 40), rng.choice([0, 1, 2, 3, 6]))
            if rng.random() < 0.05:
                a = D(0)
            cs.append((y, a))
        if rng.random() < 0.7:
            cs.sort()
        L.append("contributions = [" + ", ".join(f"[{y}, {f(a)}]" for y, a in cs) + "]")
    L.append("")

    # ---- regime A
    L.append("[profit_share]")
    L.append(f'residual = "{residual}"')
    if rng.random() < 0.6:
        L.append(f"loss_carryforward = {'true' if rng.random() < 0.7 else 'false'}")
    if rng.random() < 0.6:
        L.append(f"investor_rights_end_at_agi = {'true' if rng.random() < 0.7 else 'false'}")
    n_tiers = rng.randint(1, 4)
    for ti in range(n_tiers):
        pool = ([investor] if investor_in_tiers else []) + others
        k = rng.randint(1, len(pool)) if pool else 0
        members = rng.sample(pool, k) if pool else []
        if investor_in_tiers and investor not in members and rng.random() < 0.7:
            members.insert(0, investor)
        with_res = rng.random() < 0.3
        target = rng.uniform(0.3, 1.0) if rng.random() < 0.8 else 1.0
        weights = [rng.uniform(0.05, 1.0) for _ in members] + ([rng.uniform(0.01, 0.2)] if with_res else [])
        tot = sum(weights)
        shares = {}
        for p, w in zip(members + ([residual] if with_res else []), weights):
            sh = q(w / tot * target, rng.choice([2, 3, 4]))
            if sh == 0:
                sh = D("0.0001")
            shares[p] = sh
        while sum(shares.values()) > 1:
            p = max(shares, key=shares.get)
            shares[p] -= D("0.0001")
        L.append("")
        L.append("[[profit_share.tiers]]")
        L.append(f'name = "tier {ti + 1}"')
        if not shares:
            shares = {residual: D("0.5")}
        L.append("shares = { " + ", ".join(f"{p} = {f(s)}" for p, s in shares.items()) + " }")
        cappable = [p for p, s in shares.items() if p != residual and s > 0]
        has_until = cappable and (rng.random() < 0.75 or (ti < n_tiers - 1 and rng.random() < 0.8))
        if has_until:
            ku = rng.randint(1, len(cappable))
            capped = rng.sample(cappable, ku)
            if investor in cappable and investor not in capped and rng.random() < 0.6:
                capped.append(investor)
            amounts = {p: q(loguniform(rng, 0.3, 300), rng.choice([0, 1, 2, 3])) for p in capped}
            for p in amounts:
                if amounts[p] <= 0:
                    amounts[p] = D("0.5")
            L.append("until = { " + ", ".join(f"{p} = {f(a)}" for p, a in amounts.items()) + " }")
            if rng.random() < 0.3:
                L.append(f"cap_growth = {f(q(rng.uniform(0.0, 0.12), rng.choice([2, 3, 4])))}")
                if rng.random() < 0.6:
                    L.append(f"cap_growth_from = {rng.randint(start - 2, end)}")
    if rng.random() < 0.45:
        L.append("")
        L.append("[profit_share.revenue_share]")
        L.extend(draw_revenue_share(rng, start, end, f))
    L.append("")

    # ---- regime B
    from_year = rng.randint(start, end)
    L.append("[equity]")
    L.append(f"from_year = {from_year}")
    stake = q(rng.uniform(0.02, 0.6), rng.choice([2, 3, 4]))
    if rng.random() < 0.03:
        stake = D(0)
    L.append(f"stake = {f(stake)}")
    if rng.random() < 0.4:
        L.append(f"dividend_payout = {f(q(rng.uniform(0, 1), rng.choice([1, 2, 3])))}")
    if rng.random() < 0.35:
        L.append(f"terminal_discount = {f(q(rng.uniform(0, 0.5), rng.choice([1, 2, 3])))}")
    if rng.random() < 0.45:
        L.append("")
        L.append("[equity.revenue_share]")
        L.extend(draw_revenue_share(rng, start, end, f))

    # ---- trajectories (drawn before the rounds, whose default pre-money needs them)
    n_traj = rng.randint(1, 3)
    tnames = rng.sample(TRAJ_NAMES, n_traj)
    TL = []
    traj_specs = []
    for name in tnames:
        TL.append("")
        TL.append("[[trajectories]]")
        TL.append(f'name = "{name}"')
        if rng.random() < 0.45:
            TL.append(f"agi_year = {rng.randint(start - 2, end + 2)}")
        rev = draw_series_points(rng, start, end, "revenue", f)
        mar = draw_series_points(rng, start, end, "margin", f)
        val = draw_series_points(rng, start, end, "valuation", f)
        TL.append(f"revenue = {rev}")
        TL.append(f"margin = {mar}")
        TL.append(f"valuation = {val}")
        traj_specs.append(val)

    # valuations per trajectory, to size default pre-money rounds
    import tomllib
    vals = []
    for vs in traj_specs:
        spec = tomllib.loads("v = " + vs, parse_float=D)["v"]
        s = ref.Series(spec, "valuation")
        vals.append({t: s.value(t) for t in years})

    n_rounds = rng.choice([0, 0, 1, 1, 2, 3])
    RL = []
    for _ in range(n_rounds):
        y = rng.randint(from_year, end)
        min_v = min(v[y] for v in vals)
        RL.append("")
        RL.append("[[equity.rounds]]")
        RL.append(f"year = {y}")
        default_ok = min_v > 1
        if default_ok and rng.random() < 0.55:
            # default pre-money: valuation - raise.  Mostly raise/valuation <= 1e-3 (so the
            # pre-money value stays > 0 for every scale k >= 1e-3), sometimes up to 5%.
            ratio = loguniform(rng, 1e-6, 1e-3) if rng.random() < 0.7 else loguniform(rng, 1e-3, 0.05)
            raise_ = q(min_v * D(str(ratio)), 6)
            if raise_ <= 0:
                raise_ = D("0.000001")
            pre = None
        else:
            pre = q(loguniform(rng, 5, 3000), rng.choice([0, 1, 2, 6]))
            if pre <= 0:
                pre = D(1)
            raise_ = q(pre * D(str(loguniform(rng, 0.02, 1.5))), rng.choice([0, 1, 3, 6]))
            if raise_ <= 0:
                raise_ = D("0.1")
        RL.append(f"raise = {f(raise_)}")
        if pre is not None:
            RL.append(f"pre_money = {f(pre)}")
        if rng.random() < 0.4:
            part = q(raise_ * D(str(rng.uniform(0, 1))), 6)
            RL.append(f"participation = {f(part)}")
    L.extend(RL)
    L.extend(TL)
    return "\n".join(L) + "\n"


# --------------------------------------------------------------------------
# robustness checks

EIGHT = {"stake", "discount_factor", "irr", "moic", "breakeven_scale"}
TEXT = {"trajectory", "regime", "winner", "year", "payback_year"}


def within(col, e: str, g: str) -> bool:
    """The integration test's tolerance rule (tests/reference_cases.rs)."""
    if col in TEXT or e == "" or g == "":
        return e == g
    de, dg = D(e), D(g)
    diff = abs(de - dg)
    if col == "irr":
        return diff <= D("1e-7")
    if col in EIGHT:
        return diff <= max(D("2e-8"), D("1e-9") * abs(de))
    return diff <= max(D("2e-6"), D("1e-9") * abs(de))


def read_csv(path):
    with open(path, newline="") as fh:
        return list(csv.reader(fh))


def same_within(dir_a, dir_b):
    bad = []
    for name in ("yearly.csv", "summary.csv", "comparison.csv"):
        a, b = read_csv(os.path.join(dir_a, name)), read_csv(os.path.join(dir_b, name))
        if a[0] != b[0] or len(a) != len(b):
            bad.append((name, "shape"))
            continue
        for ra, rb in zip(a[1:], b[1:]):
            for col, x, y in zip(a[0], ra, rb):
                if not within(col, x, y):
                    bad.append((name, col, x, y))
    return bad


def case_is_robust(model_path, out60, stats):
    # roots found at 60 digits
    irr_roots = list(ref.IRR_ROOTS_LOG)
    be = list(ref.BE_LOG)
    for roots in irr_roots:
        if not roots:
            continue
        for r in roots:
            if r < D("-0.999") or r > D("1000"):
                return False, f"irr root at the edge of the range: {r:.6g}"
        us = sorted(float((1 + r).ln()) for r in roots)
        for a, b in zip(us, us[1:]):
            if b - a < 0.02:
                return False, "two IRR roots close together"
        rs = sorted(roots, key=abs)
        if len(rs) > 1 and abs(abs(rs[1]) - abs(rs[0])) < D("1e-4"):
            return False, "two IRR roots equally near zero"
    for entry in be:
        kind = entry[0]
        ks = []
        if kind == "linear":
            ks = [entry[1]]
        elif kind == "grid":
            ks = list(entry[1])
        elif kind in ("identically zero", "exact at 1", "constant"):
            pass
        for k in ks:
            if D("0") < k < D("1e-3") or D("900") < k < D("1100"):
                return False, f"break-even root near the edge of the search: {k}"
        pos = sorted(abs(k.ln()) for k in ks if k > 0)
        if len(pos) > 1 and pos[1] - pos[0] < D("1e-3"):
            return False, "two break-even roots equally near 1"
        if kind == "grid":
            lks = sorted(float(k.ln()) for k in ks)
            for a, b in zip(lks, lks[1:]):
                if b - a < 0.02:
                    return False, "two break-even roots close together"
    # winner near the tie threshold
    for row in read_csv(os.path.join(out60, "comparison.csv"))[1:]:
        adv = abs(D(row[3]))
        if D("0") < adv <= D("0.000002"):
            return False, "advantage near the tie threshold"
    # the same at 28 digits
    with tempfile.TemporaryDirectory() as tmp:
        ref.set_precision(28)
        try:
            ref.run(model_path, tmp)
        except Exception as e:  # noqa: BLE001
            return False, f"28-digit run failed: {e}"
        finally:
            ref.set_precision(ref.PREC)
        bad = same_within(out60, tmp)
        if bad:
            return False, f"28-digit run differs: {bad[:3]}"
    return True, ""



# --------------------------------------------------------------------------
# hand-written cases, kept alongside the random ones

# The model of SPEC section 1, less its empty `[equity.revenue_share]` table.
SPEC_EXAMPLE = """\
name = "Microsoft and OpenAI: capped profit share vs equity stake"
unit = "USD bn"
start_year = 2019          # first year projected
end_year = 2045            # last year projected (the horizon), inclusive
valuation_year = 2025      # NPV is stated as of the end of this year
discount_rate = 0.09

[investor]
party = "microsoft"        # the waterfall party whose receipts are the investor's
contributions = [[2019, 1.0], [2021, 2.0], [2023, 10.0]]   # cash paid in: [year, amount]

[profit_share]             # regime A: the capped profit-sharing terms
residual = "nonprofit"     # receives whatever no tier assigns
loss_carryforward = true   # losses must be earned back before anything is distributed
investor_rights_end_at_agi = true

[[profit_share.tiers]]
name = "Microsoft recoups its investment"
shares = { microsoft = 0.75 }          # 1 - sum(shares) goes to the residual
until = { microsoft = 13.0 }           # tier is done once microsoft has received 13 in all

[[profit_share.tiers]]
name = "Capped split"
shares = { microsoft = 0.49, others = 0.49, nonprofit = 0.02 }
until = { microsoft = 92.0, others = 150.0 }
cap_growth = 0.0           # optional: the `until` amounts grow by this rate a year ...
cap_growth_from = 2025     # ... from this year on (default: start_year)

[profit_share.revenue_share]   # optional
rate = 0.20
from = 2023
until = 2030
total_cap = 38.0           # optional: cumulative cap on revenue-share receipts
ends_at_agi = true         # optional, default false

[equity]                   # regime B: an equity stake replaces the profit share
from_year = 2025           # first year of the stake; before it, regime B follows regime A's waterfall
stake = 0.27
dividend_payout = 0.0      # optional: share of distributable profit paid out as dividends
terminal_discount = 0.0    # optional: haircut on the horizon mark (illiquidity)

[[equity.rounds]]          # optional: later funding rounds dilute the stake
year = 2026
raise = 122.0
pre_money = 730.0          # optional: default is the trajectory's valuation that year minus raise
participation = 0.0        # optional: what the investor itself puts into the round


[[trajectories]]
name = "base"
agi_year = 2034            # optional: the year AGI is declared
revenue   = { points = [[2024, 3.7], [2025, 13.1], [2030, 200.0]], growth = 0.10 }
margin    = { points = [[2024, -1.35], [2029, 0.0], [2034, 0.30]] }
valuation = { points = [[2025, 500.0], [2026, 852.0], [2030, 2000.0]], growth = 0.07 }
"""


FIXED = {
    # every flow is zero: no IRR, no MOIC, no payback, a tie, break-even 1 (equal at every scale)
    "fixed_all_zero": """\
name = "all flows zero"
unit = "USD bn"
start_year = 2020
end_year = 2024
valuation_year = 2022
discount_rate = 0.05

[investor]
party = "investor"

[profit_share]
residual = "nonprofit"

[[profit_share.tiers]]
name = "others only"
shares = { others = 0.5 }
until = { others = 10.0 }

[equity]
from_year = 2021
stake = 0.0

[[trajectories]]
name = "flat"
revenue = { points = [[2020, 50.0]], growth = 0.1 }
margin = { points = [[2020, 0.2]] }
valuation = { points = [[2020, 300.0]], growth = 0.05 }
""",
    # regime A's flows are -100, +230, -132: IRRs 10% and 20%, the one nearest zero is 10%;
    # regime B's flows are -100, 0, -132 + terminal: one IRR
    "fixed_two_irrs": """\
name = "two IRRs"
unit = "USD bn"
start_year = 2020
end_year = 2022
valuation_year = 2020
discount_rate = 0.15

[investor]
party = "investor"
contributions = [[2020, 100.0], [2022, 132.0]]

[profit_share]
residual = "nonprofit"

[[profit_share.tiers]]
name = "all to the investor"
shares = { investor = 1.0 }

[equity]
from_year = 2021
stake = 0.25

[[trajectories]]
name = "one_year"
revenue = { points = [[2020, 0.0], [2021, 230.0], [2022, 0.0]] }
margin = { points = [[2020, 1.0]] }
valuation = { points = [[2020, 400.0], [2022, 1000.0]] }
""",
    # regime A's flows are -100, +200, -100: NPV(r) = -100 (1 - 1/(1+r))^2 only touches zero
    # at r = 0, a rate that solves it: the IRR is 0 (DECISIONS 6); payback in 2021
    # (cumulative exactly 0)
    "fixed_touching_irr": """\
name = "a touching root"
unit = "USD bn"
start_year = 2020
end_year = 2022
valuation_year = 2021
discount_rate = 0.1

[investor]
party = "investor"
contributions = [[2020, 100.0], [2022, 100.0]]

[profit_share]
residual = "nonprofit"

[[profit_share.tiers]]
name = "all to the investor"
shares = { investor = 1.0 }

[equity]
from_year = 2022
stake = 0.1

[[trajectories]]
name = "one_year"
revenue = { points = [[2020, 0.0], [2021, 200.0], [2022, 0.0]] }
margin = { points = [[2020, 1.0]] }
valuation = { points = [[2020, 400.0], [2022, 1000.0]] }
""",
}


# SPEC section 13: the model of section 1 with the cloud side of section 13 (its
# take-or-pay commitment on equity.cloud, 2026..=2032)
SPEC_CLOUD_EXAMPLE = (
    SPEC_EXAMPLE
    .replace("[profit_share]             #", """\
[cloud]
margin = 0.35            # the investor's operating margin on compute the company buys from it
spend = { points = [[2023, 1.5], [2027, 0.9], [2035, 0.35]] }   # compute spend / revenue

[profit_share]             #""", 1)
    .replace("[equity]                   #", """\
[profit_share.cloud]     # regime A: the investor's share of that spend
share = { points = [[2019, 1.0]] }

[equity]                   #""", 1)
    .replace("[[trajectories]]", """\
[equity.cloud]           # regime B, from equity.from_year (before it, regime A's terms)
share = { points = [[2025, 1.0], [2027, 0.5], [2030, 0.3]] }
commitment = { total = 250.0, from = 2026, until = 2032 }   # optional take-or-pay

[[trajectories]]""", 1)
)

# SPEC section 13, cases small enough to check by hand
CLOUD_FIXED = {
    # flat revenue 100 and spend 0.2: regime A buys 20 a year; its commitment (60 over
    # 2020..=2022) is met exactly, so nothing is added.  Regime B buys 20 a year before
    # from_year (regime A's share), then 10 a year (share 0.5); its commitment (25 over
    # 2023..=2024) is 5 short, added to 2024 (15).  Cloud margin 0.3.
    "fixed_cloud_commitment_met": """\
name = "cloud: one commitment met exactly, one short"
unit = "USD bn"
start_year = 2020
end_year = 2025
valuation_year = 2022
discount_rate = 0.08

[investor]
party = "investor"
contributions = [[2020, 30.0]]

[cloud]
margin = 0.3
spend = { points = [[2020, 0.2]] }

[profit_share]
residual = "nonprofit"

[[profit_share.tiers]]
name = "investor first"
shares = { investor = 0.5 }
until = { investor = 12.0 }

[profit_share.cloud]
share = { points = [[2020, 1.0]] }
commitment = { total = 60.0, from = 2020, until = 2022 }

[equity]
from_year = 2023
stake = 0.2

[equity.cloud]
share = { points = [[2023, 0.5]] }
commitment = { total = 25.0, from = 2023, until = 2024 }

[[trajectories]]
name = "flat"
revenue = { points = [[2020, 100.0]] }
margin = { points = [[2020, 0.1]] }
valuation = { points = [[2020, 400.0]], growth = 0.05 }
""",
    # two trajectories, one with its own spend series; funding rounds at the default
    # pre-money value (a non-linear break-even) with participation, dividends and a
    # terminal discount; equity.cloud's share starts two years after from_year (0 before
    # its first point) and falls linearly; regime A's share rises linearly and is held
    "fixed_cloud_own_spend_rounds": """\
name = "cloud: a trajectory's own spend, rounds and dividends"
unit = "USD bn"
start_year = 2020
end_year = 2032
valuation_year = 2024
discount_rate = 0.1

[investor]
party = "investor"
contributions = [[2020, 5.0], [2022, 8.0]]

[cloud]
margin = 0.25
spend = { points = [[2021, 0.8], [2026, 0.4], [2030, 0.25]] }

[profit_share]
residual = "nonprofit"
loss_carryforward = true

[[profit_share.tiers]]
name = "recoup"
shares = { investor = 0.6 }
until = { investor = 15.0 }

[[profit_share.tiers]]
name = "split"
shares = { investor = 0.3, others = 0.3 }
until = { investor = 60.0, others = 80.0 }

[profit_share.cloud]
share = { points = [[2020, 0.6], [2024, 1.0]] }

[equity]
from_year = 2024
stake = 0.3
dividend_payout = 0.4
terminal_discount = 0.15

[[equity.rounds]]
year = 2026
raise = 40.0
participation = 10.0

[[equity.rounds]]
year = 2029
raise = 90.0

[equity.cloud]
share = { points = [[2026, 0.9], [2031, 0.4]] }

[[trajectories]]
name = "base"
revenue = { points = [[2020, 2.0], [2024, 20.0], [2028, 90.0]], growth = 0.06 }
margin = { points = [[2020, -0.6], [2025, 0.0], [2029, 0.25]] }
valuation = { points = [[2020, 30.0], [2025, 250.0], [2030, 700.0]], growth = 0.04 }

[[trajectories]]
name = "compute_heavy"
revenue = { points = [[2021, 1.5], [2026, 40.0]], growth = 0.12 }
margin = { points = [[2021, -1.0], [2027, 0.05], [2031, 0.3]] }
valuation = { points = [[2021, 20.0], [2026, 300.0]], growth = 0.08 }
spend = { points = [[2022, 1.4], [2025, 1.1], [2032, 0.5]] }
""",
    # [cloud] and profit_share.cloud but no equity.cloud: regime B buys at regime A's share
    # before from_year and at share 0 from from_year on (a regime's missing cloud table is
    # no share, as a missing revenue share is none; ref.py's reading of SPEC 13)
    "fixed_cloud_no_equity_cloud": """\
name = "cloud: no equity.cloud table"
unit = "USD bn"
start_year = 2021
end_year = 2027
valuation_year = 2023
discount_rate = 0.07

[investor]
party = "investor"
contributions = [[2021, 20.0]]

[cloud]
margin = 0.4
spend = { points = [[2021, 0.5], [2025, 0.3]] }

[profit_share]
residual = "nonprofit"

[[profit_share.tiers]]
name = "investor first"
shares = { investor = 0.4, others = 0.2 }
until = { investor = 30.0 }

[profit_share.cloud]
share = { points = [[2021, 1.0], [2026, 0.6]] }

[equity]
from_year = 2024
stake = 0.25

[[trajectories]]
name = "steady"
revenue = { points = [[2021, 10.0], [2025, 60.0]], growth = 0.05 }
margin = { points = [[2021, -0.2], [2023, 0.15]] }
valuation = { points = [[2021, 120.0], [2027, 500.0]] }
""",
}


def write_fixed():
    cases = dict(FIXED)
    cases["fixed_spec_example"] = SPEC_EXAMPLE
    cases["fixed_spec_cloud_example"] = SPEC_CLOUD_EXAMPLE
    cases.update(CLOUD_FIXED)
    for name, text in cases.items():
        d = os.path.join(CASES_DIR, name)
        os.makedirs(d, exist_ok=True)
        mp = os.path.join(d, "model.toml")
        with open(mp, "w", encoding="utf-8") as fh:
            fh.write(text)
        ref.IRR_ROOTS_LOG.clear()
        ref.BE_LOG.clear()
        ref.set_precision(ref.PREC)
        ref.run(mp, d)
        print(f"{name}: IRR roots {[[str(round(r, 10)) for r in rs] for rs in ref.IRR_ROOTS_LOG]}")


def main(argv):
    n = int(argv[0]) if argv else 40
    if os.path.isdir(CASES_DIR):
        shutil.rmtree(CASES_DIR)
    os.makedirs(CASES_DIR)
    totals = {"cap_splits": 0, "breakeven_inside": 0, "rejected": 0}
    for i in range(1, n + 1):
        rng = random.Random(f"{SEED}-{i}")
        d = os.path.join(CASES_DIR, f"case_{i:03d}")
        attempt = 0
        while True:
            attempt += 1
            text = draw_model(rng, i)
            os.makedirs(d, exist_ok=True)
            mp = os.path.join(d, "model.toml")
            with open(mp, "w", encoding="utf-8") as fh:
                fh.write(text)
            ref.IRR_ROOTS_LOG.clear()
            ref.BE_LOG.clear()
            ref.CAP_SPLITS[0] = 0
            ref.set_precision(ref.PREC)
            try:
                ref.run(mp, d)
                ok, why = case_is_robust(mp, d, totals)
            except Exception as e:  # noqa: BLE001
                ok, why = False, f"reference failed: {e!r}"
            if ok:
                break
            totals["rejected"] += 1
            print(f"case_{i:03d}: draw {attempt} rejected ({why})", file=sys.stderr)
        # summarise
        ref.IRR_ROOTS_LOG.clear()
        ref.BE_LOG.clear()
        ref.CAP_SPLITS[0] = 0
        ref.run(mp, d)
        splits = ref.CAP_SPLITS[0]
        comp = read_csv(os.path.join(d, "comparison.csv"))[1:]
        inside = sum(1 for r in comp if r[5] != "")
        totals["cap_splits"] += 1 if splits else 0
        totals["breakeven_inside"] += 1 if inside else 0
        multi = sum(1 for roots in ref.IRR_ROOTS_LOG if len(roots) > 1)
        print(f"case_{i:03d}: {len(comp)} trajectories, {splits} part-way cap splits, "
              f"{inside} break-even scales, {multi} multi-root IRRs")
    write_fixed()
    print(f"{n} random cases; {totals['cap_splits']} with part-way cap splits, "
          f"{totals['breakeven_inside']} with a break-even scale in (0, 1000], "
          f"{totals['rejected']} draws rejected")


if __name__ == "__main__":
    main(sys.argv[1:])
