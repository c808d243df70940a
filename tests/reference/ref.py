#!/usr/bin/env python3
"""Independent reference implementation of the stakeshift model contract.

Reads a model TOML file (SPEC sections 1-5 as stated in docs/MODEL.md, read as
in docs/DECISIONS.md) and writes yearly.csv, summary.csv and comparison.csv as
SPEC section 8 describes.  Python 3.11 standard library only.

All arithmetic is done with `decimal` at 60 significant digits (fractional
powers via exp/ln in that context), so its values are more precise than the
tool's 28-digit decimals.  Rounding happens once, when a value is printed.

Usage: python3 ref.py MODEL.toml OUTDIR [--prec N] [--set PATH=VALUE]...
       python3 ref.py sweep|solve|tornado MODEL.toml OUTDIR ... (see sensitivity_main)
The model is assumed to be valid.  Overrides (SPEC 9) are applied to the parsed TOML;
the derived keys scale.valuation, scale.revenue and shift.margin act on every year's
value (not on the points, as stakeshift does), so the two routes are independent.
"""

from __future__ import annotations

import csv
import decimal
import math
import os
import re
import sys
import tomllib
from decimal import Decimal as D

PREC = 60


def set_precision(prec: int) -> None:
    ctx = decimal.Context(
        prec=prec,
        rounding=decimal.ROUND_HALF_EVEN,
        Emax=999_999,
        Emin=-999_999,
        traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
    )
    decimal.setcontext(ctx)


set_precision(PREC)

ZERO = D(0)
ONE = D(1)


def num(x) -> D:
    """A TOML number (int or Decimal) as a Decimal, exactly."""
    if isinstance(x, bool):
        raise TypeError("boolean where a number was expected")
    if isinstance(x, int):
        return D(x)
    if isinstance(x, D):
        return x
    raise TypeError(f"not a number: {x!r}")


def dpow(base: D, exponent: D) -> D:
    """base ** exponent for base > 0 and a fractional exponent, via exp/ln."""
    if exponent == 0:
        return ONE
    if base == ONE:
        return ONE
    return (base.ln() * exponent).exp()


# --------------------------------------------------------------------------
# Model

class Series:
    def __init__(self, spec: dict, kind: str):
        self.kind = kind  # "revenue", "margin", "valuation"
        self.points = [(int(p[0]), num(p[1])) for p in spec["points"]]
        self.growth = num(spec.get("growth", 0))

    def value(self, t: int) -> D:
        pts = self.points
        if not pts or t < pts[0][0]:
            return ZERO
        last_y, last_v = pts[-1]
        if t >= last_y:
            if t == last_y or self.kind == "margin":
                return last_v
            return last_v * (ONE + self.growth) ** (t - last_y)
        for i in range(len(pts) - 1):
            yi, vi = pts[i]
            yj, vj = pts[i + 1]
            if t == yi:
                v = vi
                break
            if yi < t < yj:
                frac = D(t - yi) / D(yj - yi)
                if self.kind != "margin" and vi > 0 and vj > 0:
                    v = vi * dpow(vj / vi, frac)
                else:
                    v = vi + (vj - vi) * frac
                break
        else:  # pragma: no cover - t >= last_y handled above
            v = last_v
        return v


class RevenueShare:
    def __init__(self, spec: dict | None):
        self.present = spec is not None
        if spec is None:
            return
        self.rate = num(spec["rate"])
        self.start = int(spec["from"])
        self.until = int(spec["until"])
        self.total_cap = num(spec["total_cap"]) if "total_cap" in spec else None
        self.ends_at_agi = bool(spec.get("ends_at_agi", False))

    def series(self, years, revenue, agi_year):
        """Yearly receipts, counting cumulative receipts against total_cap
        from the first year of the model (DECISIONS 10)."""
        out = {}
        cum = ZERO
        for t in years:
            r = ZERO
            if self.present and self.start <= t <= self.until:
                if not (self.ends_at_agi and agi_year is not None and t >= agi_year):
                    r = self.rate * revenue[t]
                    if self.total_cap is not None:
                        r = min(r, self.total_cap - cum)
                        if r < 0:
                            r = ZERO
            cum += r
            out[t] = r
        return out


class Tier:
    def __init__(self, spec: dict, start_year: int):
        self.name = spec.get("name", "")
        self.shares = {k: num(v) for k, v in spec["shares"].items()}
        self.until = {k: num(v) for k, v in spec["until"].items()} if "until" in spec else None
        self.cap_growth = num(spec.get("cap_growth", 0))
        self.cap_growth_from = int(spec.get("cap_growth_from", start_year))

    def cap(self, party: str, t: int) -> D:
        amount = self.until[party]
        n = max(0, t - self.cap_growth_from)
        if n == 0 or self.cap_growth == 0:
            return amount
        return amount * (ONE + self.cap_growth) ** n


class Trajectory:
    def __init__(self, spec: dict):
        self.name = spec["name"]
        self.agi_year = int(spec["agi_year"]) if "agi_year" in spec else None
        self.revenue = Series(spec["revenue"], "revenue")
        self.margin = Series(spec["margin"], "margin")
        self.valuation = Series(spec["valuation"], "valuation")
        # SPEC 13: a trajectory's own compute spend (a fraction of revenue) replaces [cloud].spend
        self.spend = Series(spec["spend"], "margin") if "spend" in spec else None
        # SPEC 9's derived keys, applied to every year's value (not to the points)
        self.valuation_scale = ONE
        self.revenue_scale = ONE
        self.margin_shift = ZERO

    def values(self, t: int):
        """(revenue, profit, valuation) of year t."""
        rev = self.revenue.value(t) * self.revenue_scale
        mar = self.margin.value(t) + self.margin_shift
        return rev, rev * mar, self.valuation.value(t) * self.valuation_scale


class TableTrajectory:
    """A trajectory from trajectories_csv: one row per year."""

    def __init__(self, name: str, rows: dict):
        self.name = name
        self.agi_year = None
        self.rows = rows  # year -> (revenue, profit, valuation)
        self.spend = None  # the cloud_spend column (SPEC 13) is not supported here
        self.valuation_scale = ONE
        self.revenue_scale = ONE
        self.margin_shift = ZERO

    def values(self, t: int):
        rev, prof, val = self.rows[t]
        # margin = profit / revenue: a shift of the margin adds shift * revenue to profit
        rev_s = rev * self.revenue_scale
        return rev_s, prof * self.revenue_scale + self.margin_shift * rev_s, val * self.valuation_scale


def read_trajectories_csv(path: str):
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = {}
    for r in rows:
        r = {k.strip().lower(): v.strip() for k, v in r.items()}
        out.setdefault(r["trajectory"], {})[int(r["year"])] = (D(r["revenue"]), D(r["profit"]), D(r["valuation"]))
    return [TableTrajectory(n, v) for n, v in out.items()]


class CloudTerms:
    """A regime's cloud table (SPEC 13): the investor's share of the company's compute spend,
    a margin-like series, and an optional take-or-pay commitment."""

    def __init__(self, spec: dict | None):
        self.share = Series(spec["share"], "margin") if spec is not None else None
        c = spec.get("commitment") if spec is not None else None
        self.commitment = (num(c["total"]), int(c["from"]), int(c["until"])) if c is not None else None

    def share_at(self, t: int) -> D:
        return self.share.value(t) if self.share is not None else ZERO


class Round:
    def __init__(self, spec: dict):
        self.year = int(spec["year"])
        self.raise_ = num(spec["raise"])
        self.pre_money = num(spec["pre_money"]) if "pre_money" in spec else None
        self.participation = num(spec.get("participation", 0))


class Model:
    def __init__(self, m: dict, base_dir: str = "."):
        self.name = m.get("name", "")
        self.start_year = int(m["start_year"])
        self.end_year = int(m["end_year"])
        self.valuation_year = int(m["valuation_year"])
        self.discount_rate = num(m["discount_rate"])
        inv = m["investor"]
        self.party = inv["party"]
        self.contributions = {}
        for y, a in inv.get("contributions", []):
            self.contributions[int(y)] = self.contributions.get(int(y), ZERO) + num(a)
        ps = m["profit_share"]
        self.residual = ps["residual"]
        self.loss_carryforward = bool(ps.get("loss_carryforward", False))
        self.rights_end_at_agi = bool(ps.get("investor_rights_end_at_agi", False))
        self.tiers = [Tier(t, self.start_year) for t in ps["tiers"]]
        self.ps_revenue_share = RevenueShare(ps.get("revenue_share"))
        eq = m["equity"]
        self.from_year = int(eq["from_year"])
        self.stake = num(eq["stake"])
        self.dividend_payout = num(eq.get("dividend_payout", 0))
        self.terminal_discount = num(eq.get("terminal_discount", 0))
        self.rounds = [Round(r) for r in eq.get("rounds", [])]
        self.eq_revenue_share = RevenueShare(eq.get("revenue_share"))
        # SPEC 13, the cloud side: absent [cloud] means no cloud income at all.  A regime
        # without its own cloud table has share 0 (as an absent revenue share is none).
        cl = m.get("cloud")
        self.cloud = cl is not None
        self.cloud_margin = num(cl["margin"]) if cl is not None else ZERO
        self.cloud_spend = Series(cl["spend"], "margin") if cl is not None and "spend" in cl else None
        self.ps_cloud = CloudTerms(ps.get("cloud"))
        self.eq_cloud = CloudTerms(eq.get("cloud"))
        self.trajectories = [Trajectory(t) for t in m.get("trajectories", [])]
        if "trajectories_csv" in m:
            self.trajectories += read_trajectories_csv(os.path.join(base_dir, m["trajectories_csv"]))
        self.years = list(range(self.start_year, self.end_year + 1))
        for kind, name, x in m.get("__derived__", []):
            for tr in self.trajectories:
                if name is not None and tr.name != name:
                    continue
                if kind == "scale.valuation":
                    tr.valuation_scale *= x
                elif kind == "scale.revenue":
                    tr.revenue_scale *= x
                else:
                    tr.margin_shift += x


# --------------------------------------------------------------------------
# Regime A: the waterfall

CAP_SPLITS = [0]  # caps reached part-way through a year's D_t, for the generator's diagnostics


def waterfall(model: Model, traj: Trajectory, profit: dict):
    """Returns (distributable D_t, investor's distribution_t, per-party receipts_t)."""
    received: dict[str, D] = {}
    carried = ZERO
    dist_out, inv_out, parties_out = {}, {}, {}
    inv = model.party
    res = model.residual
    agi = traj.agi_year

    def rec(p):
        return received.get(p, ZERO)

    for t in model.years:
        p = profit[t]
        if model.loss_carryforward:
            if p < 0:
                carried += -p
                d = ZERO
            else:
                pay = min(carried, p)
                carried -= pay
                d = p - pay
        else:
            d = max(ZERO, p)
        dist_out[t] = d
        agi_active = model.rights_end_at_agi and agi is not None and t >= agi

        def tier_done(tier):
            if tier.until is None:
                return False
            for party in tier.until:
                if agi_active and party == inv:
                    continue  # counts as reached
                if rec(party) < tier.cap(party, t):
                    return False
            return True

        got: dict[str, D] = {}

        def give(party, amount):
            got[party] = got.get(party, ZERO) + amount
            received[party] = rec(party) + amount

        rem = d
        guard = 0
        while rem > 0:
            guard += 1
            if guard > 10_000:
                raise RuntimeError("waterfall does not terminate")
            tier = next((tr for tr in model.tiers if not tier_done(tr)), None)
            if tier is None:
                give(res, rem)
                rem = ZERO
                break
            eff: dict[str, D] = {}
            rooms: dict[str, D] = {}
            for party, sh in tier.shares.items():
                if party == res or sh == 0:
                    continue
                if agi_active and party == inv:
                    continue  # the investor's share goes to the residual
                if tier.until is not None and party in tier.until:
                    room = tier.cap(party, t) - rec(party)
                    if room <= 0:
                        continue  # capped in this tier: share to the residual
                    rooms[party] = room
                eff[party] = sh
            # the smallest slice at which some party reaches its cap
            slice_ = rem
            for party, room in rooms.items():
                need = room / eff[party]
                if need < slice_:
                    slice_ = need
            hitters = {party for party, room in rooms.items() if room / eff[party] <= slice_}
            if hitters and slice_ < rem:
                CAP_SPLITS[0] += 1
            given = ZERO
            for party, sh in eff.items():
                amount = rooms[party] if party in hitters else sh * slice_
                give(party, amount)
                given += amount
            give(res, slice_ - given)
            rem = rem - slice_ if slice_ < rem else ZERO
        total = sum(got.values(), ZERO)
        assert abs(total - d) <= D(10) ** -(decimal.getcontext().prec - 15) * max(ONE, d), (t, total, d)
        inv_out[t] = got.get(inv, ZERO)
        parties_out[t] = got
    return dist_out, inv_out, parties_out


# --------------------------------------------------------------------------
# Measures

def df(model: Model, t: int) -> D:
    return (ONE + model.discount_rate) ** (model.valuation_year - t)


def sign_change_brackets(xs, signs):
    """Pairs (i, j), i < j, of consecutive grid points with nonzero values of
    opposite sign (grid points where the value is exactly zero are stepped over,
    so a crossing exactly on a grid point is still found; a touch is not)."""
    out = []
    last = None
    for i, s in enumerate(signs):
        if s is None or s == 0:
            if s is None:
                last = None
            continue
        if last is not None and signs[last] != s:
            out.append((last, i))
        last = i
    return out


def irr_grid():
    """u = ln(1 + r) on (ln 1e-12, 700]: step 1e-4 for |u| <= 0.5, 1e-3 beyond, and past
    ln 10001 (r = 10000) each point 1.01 times the last, to 700 (r = 1e304)."""
    grid = []
    u_min, u_max = math.log(1e-12), math.log(10001.0)
    i = 0
    while True:
        u = u_min + i * 1e-3
        if u >= -0.5:
            break
        grid.append(u)
        i += 1
    for k in range(-5000, 5001):
        grid.append(k * 1e-4)
    i = 1
    while True:
        u = 0.5 + i * 1e-3
        if u >= u_max:
            break
        grid.append(u)
        i += 1
    grid.append(u_max)
    u = u_max * 1.01
    while u < 700.0:
        grid.append(u)
        u *= 1.01
    grid.append(700.0)
    return grid


IRR_GRID = irr_grid()


def npv_sign_float(flows_f, u):
    """Sign of NPV at 1 + r = e^u, computed in floats without overflow."""
    n = len(flows_f) - 1
    x = math.exp(u)
    acc = 0.0
    if x >= 1.0:
        y = 1.0 / x
        for f in reversed(flows_f):  # sum f_k y^k
            acc = acc * y + f
    else:
        for f in flows_f:  # sum f_k x^(n-k) = x^n * NPV: same sign
            acc = acc * x + f
    return (acc > 0) - (acc < 0)


def npv_at(flows, r: D) -> D:
    """sum f_k (1+r)^-k, Horner in 1/(1+r)."""
    inv = ONE / (ONE + r)
    acc = ZERO
    for f in reversed(flows):
        acc = acc * inv + f
    return acc


def bisect_decimal(fn, lo: D, hi: D, f_lo: D, tol: D, max_iter=400):
    """Bisection on a sign change of fn in [lo, hi], f_lo = fn(lo) != 0."""
    for _ in range(max_iter):
        if hi - lo <= tol:
            break
        mid = (lo + hi) / 2
        fm = fn(mid)
        if fm == 0:
            return mid
        if (fm > 0) == (f_lo > 0):
            lo, f_lo = mid, fm
        else:
            hi = mid
    return (lo + hi) / 2


IRR_TOL = D("1e-15")
IRR_ROOTS_LOG = []  # all roots found, for the generator's diagnostics


def touching_roots(flows, fn):
    """Rates where NPV touches zero without crossing it (DECISIONS item 6): the extrema of
    NPV in u = ln(1 + r), where its slope sum(-k f_k (1+r)^-k) is zero (sign changes of the
    slope on the grid, bisected in decimals, or a grid point where it is exactly zero), at
    which NPV is zero to within 1e-12 of the size of its terms; and where NPV is past zero at
    such a turn between two grid points, the two roots on either side of it."""
    slope = [-k * f for k, f in enumerate(flows)]
    slope_f = [float(x) for x in slope]
    slope_fn = lambda r: npv_at(slope, r)
    size = lambda r: npv_at([abs(f) for f in flows], r)
    signs = [npv_sign_float(slope_f, u) for u in IRR_GRID]
    turns = []
    roots = []
    for i, j in sign_change_brackets(IRR_GRID, signs):
        lo = D(math.exp(IRR_GRID[i])) - 1
        hi = D(math.exp(IRR_GRID[j])) - 1
        slo, shi = slope_fn(lo), slope_fn(hi)
        if slo == 0:
            turn = lo
        elif shi == 0:
            turn = hi
        elif (slo > 0) != (shi > 0):
            turn = bisect_decimal(slope_fn, lo, hi, slo, IRR_TOL)
        else:
            continue
        f_lo, f_turn = fn(lo), fn(turn)
        if f_turn != 0 and f_lo != 0 and (f_turn > 0) != (f_lo > 0):
            # past zero between two grid points: two roots, each side of the turn
            roots.append(bisect_decimal(fn, lo, turn, f_lo, IRR_TOL))
            roots.append(bisect_decimal(fn, turn, hi, f_turn, IRR_TOL))
        elif abs(f_turn) <= D("1e-12") * size(turn):
            roots.append(turn)
    for u, sign in zip(IRR_GRID, signs):
        if sign == 0:
            r = D(math.exp(u)) - 1
            if slope_fn(r) == 0 and abs(fn(r)) <= D("1e-12") * size(r):
                roots.append(r)
    return roots


def irr(flows):
    """flows[k] is the flow of year start_year + k (terminal included).
    Of the sign changes of NPV(r) for r in (-1, e^700 - 1], and the rates where it touches zero,
    the root nearest zero."""
    if all(f == 0 for f in flows):
        IRR_ROOTS_LOG.append([])
        return None
    # trailing zero flows do not change NPV(r); dropping them keeps x^n * NPV finite at x -> 0
    n = len(flows)
    while flows[n - 1] == 0:
        n -= 1
    flows = flows[:n]
    flows_f = [float(f) for f in flows]
    fn = lambda r: npv_at(flows, r)
    signs = [npv_sign_float(flows_f, u) for u in IRR_GRID]
    roots = []
    for i, j in sign_change_brackets(IRR_GRID, signs):
        lo = D(math.exp(IRR_GRID[i])) - 1
        hi = D(math.exp(IRR_GRID[j])) - 1
        flo, fhi = fn(lo), fn(hi)
        if flo == 0:
            roots.append(lo)
        elif fhi == 0:
            roots.append(hi)
        elif (flo > 0) != (fhi > 0):
            roots.append(bisect_decimal(fn, lo, hi, flo, IRR_TOL))
        # else: float noise, not a sign change in exact arithmetic
    roots.extend(touching_roots(flows, fn))
    IRR_ROOTS_LOG.append(sorted(roots))
    if not roots:
        return None
    return min(roots, key=lambda r: (abs(r), r))


def payback_year(years, cash):
    cum = ZERO
    seen_negative = False
    for t in years:
        cum += cash[t]
        if cum >= 0 and seen_negative:
            return t
        if cum < 0:
            seen_negative = True
    return None


# --------------------------------------------------------------------------
# Per trajectory

class TrajectoryResult:
    pass


def cloud_purchases(model: Model, traj, rev: dict):
    """SPEC 13: purchases_t = share_t * spend_t * revenue_t for each regime, plus a
    take-or-pay shortfall in the commitment's `until` year.  Regime B uses regime A's
    share (and, for the commitment, only equity.cloud's) before equity.from_year and
    equity.cloud's share from from_year on.  Without [cloud] every purchase is 0."""
    years = model.years
    if not model.cloud:
        z = {t: ZERO for t in years}
        return z, dict(z)
    spend_series = traj.spend if traj.spend is not None else model.cloud_spend

    def spend(t):
        return spend_series.value(t) if spend_series is not None else ZERO

    a = {t: model.ps_cloud.share_at(t) * spend(t) * rev[t] for t in years}
    b = {t: (model.ps_cloud.share_at(t) if t < model.from_year else model.eq_cloud.share_at(t))
         * spend(t) * rev[t] for t in years}
    for purchases, terms in ((a, model.ps_cloud), (b, model.eq_cloud)):
        if terms.commitment is None:
            continue
        total, c_from, c_until = terms.commitment
        bought = sum((purchases[t] for t in years if c_from <= t <= c_until), ZERO)
        if bought < total and c_until in purchases:
            purchases[c_until] += total - bought
    return a, b


def compute(model: Model, traj: Trajectory, light: bool = False):
    """Both regimes on one trajectory; `light` leaves out IRR, payback and the break-even
    scale (the sensitivity commands need only the NPVs)."""
    years = model.years
    vals = {t: traj.values(t) for t in years}
    rev = {t: vals[t][0] for t in years}
    prof = {t: vals[t][1] for t in years}
    val = {t: vals[t][2] for t in years}
    dist, inv_dist, _ = waterfall(model, traj, prof)
    rs_a = model.ps_revenue_share.series(years, rev, traj.agi_year)
    rs_b = model.eq_revenue_share.series(years, rev, traj.agi_year)
    contrib = {t: model.contributions.get(t, ZERO) for t in years}
    dfs = {t: df(model, t) for t in years}
    rounds_by_year: dict[int, list[Round]] = {}
    for r in model.rounds:
        rounds_by_year.setdefault(r.year, []).append(r)
    participation = {t: sum((r.participation for r in rounds_by_year.get(t, [])), ZERO) for t in years}

    # SPEC 13: compute purchases and the investor's cloud income, per regime
    cloud_a, cloud_b = cloud_purchases(model, traj, rev)

    res = TrajectoryResult()
    res.traj = traj
    res.rev, res.val, res.prof, res.dist = rev, val, prof, dist
    res.dfs = dfs

    # Regime A
    a = {}
    a["contribution"] = contrib
    a["distribution"] = inv_dist
    a["revenue_share"] = rs_a
    a["dividend"] = {t: ZERO for t in years}
    a["stake"] = {t: ZERO for t in years}
    a["holding_value"] = {t: ZERO for t in years}
    a["terminal"] = ZERO
    a["cloud_purchases"] = cloud_a
    res.a = a

    # Regime B at scale k = 1
    def stake_path(k):
        stakes = {}
        s = None
        for t in years:
            if t < model.from_year:
                stakes[t] = ZERO
                continue
            if s is None:
                s = model.stake
            for r in rounds_by_year.get(t, []):
                pre = r.pre_money if r.pre_money is not None else k * val[t] - r.raise_
                s = (s * pre + r.participation) / (pre + r.raise_)
            stakes[t] = s
        return stakes

    def regime_b(k):
        stakes = stake_path(k)
        b = {}
        b["contribution"] = {t: contrib[t] + participation[t] for t in years}
        b["distribution"] = {t: (inv_dist[t] if t < model.from_year else ZERO) for t in years}
        b["revenue_share"] = rs_b
        b["dividend"] = {t: (model.dividend_payout * dist[t] * stakes[t] if t >= model.from_year else ZERO) for t in years}
        b["stake"] = stakes
        b["holding_value"] = {t: stakes[t] * val[t] * k for t in years}
        b["terminal"] = b["holding_value"][model.end_year] * (ONE - model.terminal_discount)
        b["cloud_purchases"] = cloud_b
        return b

    res.b = regime_b(ONE)

    for reg in (res.a, res.b):
        reg["cloud_income"] = {t: model.cloud_margin * reg["cloud_purchases"][t] for t in years}
        reg["cash_flow"] = {t: -reg["contribution"][t] + reg["distribution"][t] + reg["revenue_share"][t]
                            + reg["dividend"][t] + reg["cloud_income"][t] for t in years}
        cum = ZERO
        reg["cumulative"] = {}
        for t in years:
            cum += reg["cash_flow"][t]
            reg["cumulative"][t] = cum
        reg["present_value"] = {t: reg["cash_flow"][t] * dfs[t] for t in years}
        reg["npv"] = sum(reg["present_value"].values(), ZERO) + reg["terminal"] * dfs[model.end_year]
        reg["contributions"] = sum(reg["contribution"].values(), ZERO)
        reg["inflows"] = sum((reg["distribution"][t] + reg["revenue_share"][t] + reg["dividend"][t]
                              + reg["cloud_income"][t] for t in years), ZERO)
        reg["cloud_income_total"] = sum(reg["cloud_income"].values(), ZERO)
        reg["npv_cloud"] = sum((reg["cloud_income"][t] * dfs[t] for t in years), ZERO)
        reg["moic"] = ((reg["inflows"] + reg["terminal"]) / reg["contributions"]) if reg["contributions"] != 0 else None
        flows = [reg["cash_flow"][t] for t in years]
        flows[-1] += reg["terminal"]
        reg["irr"] = None if light else irr(flows)
        reg["payback"] = None if light else payback_year(years, reg["cash_flow"])

    res.advantage = res.b["npv"] - res.a["npv"]
    adv6 = round_half_away(res.advantage, 6)
    res.winner = "tie" if adv6 == 0 else ("equity" if res.advantage > 0 else "profit_share")
    if light:
        return res

    # Break-even scale
    npv_a = res.a["npv"]
    # the part of NPV(equity) that does not depend on the stake
    fixed = ZERO
    for t in years:
        fixed += (-res.b["contribution"][t] + res.b["distribution"][t] + rs_b[t]
                  + res.b["cloud_income"][t]) * dfs[t]
    div_w = {t: model.dividend_payout * dist[t] * dfs[t] for t in years if t >= model.from_year}
    term_w = (ONE - model.terminal_discount) * val[model.end_year] * dfs[model.end_year]

    def h(k):
        stakes = stake_path(k)
        v = fixed - npv_a
        for t, w in div_w.items():
            v += w * stakes[t]
        v += term_w * stakes[model.end_year] * k
        return v

    default_rounds = [r for r in model.rounds if r.pre_money is None]
    k_min = ZERO
    for r in default_rounds:
        if val[r.year] <= 0:
            k_min = None
            break
        k_min = max(k_min, r.raise_ / val[r.year])
    res.breakeven = breakeven(h, k_min, bool(default_rounds), stake_path, term_w, fixed - npv_a, div_w)
    return res


BE_LOG = []  # how each break-even scale was found, for the generator's diagnostics
K_MAX = D(1000)
BE_GRID_N = 6000


def breakeven(h, k_min, nonlinear, stake_path, term_w, c0, div_w):
    """The k in (0, 1000] nearest 1 (smallest |ln k|) with NPV(equity) = NPV(profit share),
    among the sign changes of h(k) = NPV_eq(k) - NPV_ps.  Scales at which a default
    pre-money value would not be > 0 (k <= k_min) are outside the search (DECISIONS 8);
    where h is zero at every scale the answer is 1."""
    if k_min is None:
        BE_LOG.append(("empty domain",))
        return None
    if not nonlinear:
        # no default pre-money: the stakes do not depend on k, h(k) = c + k * b exactly
        stakes = stake_path(ONE)
        c = c0 + sum((w * stakes[t] for t, w in div_w.items()), ZERO)
        b = term_w * stakes[max(stakes)]
        if b == 0:
            BE_LOG.append(("constant", c))
            return ONE if c == 0 else None
        k = -c / b
        BE_LOG.append(("linear", k))
        return k if 0 < k <= K_MAX else None
    # default pre-money rounds: h is k times a polynomial in 1/k.  Scan a grid in ln k on
    # (k_min, 1000] in decimals, then bisect each sign change.
    h1 = h(ONE) if ONE > k_min else None
    if h1 is not None and h1 == 0:
        BE_LOG.append(("exact at 1",))
        return ONE
    lo_k = max(float(k_min), 1e-12)
    ln_lo, ln_hi = math.log(lo_k), math.log(1000.0)
    ks = []
    for i in range(0, BE_GRID_N + 1):
        k = D(math.exp(ln_lo + (ln_hi - ln_lo) * i / BE_GRID_N))
        if i == BE_GRID_N:
            k = K_MAX
        if k <= k_min:
            continue
        ks.append(k)
    vals = [h(k) for k in ks]
    if all(v == 0 for v in vals):
        BE_LOG.append(("identically zero",))
        return ONE
    signs = [(v > 0) - (v < 0) for v in vals]
    roots = []
    for i, j in sign_change_brackets(ks, signs):
        roots.append(bisect_decimal(h, ks[i], ks[j], vals[i], D("1e-20") * ks[j]))
    BE_LOG.append(("grid", roots))
    if not roots:
        return None
    return min(roots, key=lambda k: abs(k.ln()))


# --------------------------------------------------------------------------
# Output

def round_half_away(x: D, places: int) -> D:
    q = D(1).scaleb(-places)
    with decimal.localcontext() as c:
        c.prec = max(c.prec, 120)
        r = x.quantize(q, rounding=decimal.ROUND_HALF_UP)  # HALF_UP is half away from zero
    if r == 0:
        r = abs(r)  # no negative zero
        r = r.quantize(q)
    return r


def fmt(x, places: int) -> str:
    if x is None:
        return ""
    r = round_half_away(x, places)
    s = format(r, "f")
    if s.startswith("-") and r == 0:
        s = s[1:]
    return s


def fmt_int(x) -> str:
    return "" if x is None else str(int(x))


YEARLY_HEADER = ["trajectory", "regime", "year", "revenue", "profit", "valuation", "distributable",
                 "contribution", "distribution", "revenue_share", "dividend", "stake", "holding_value",
                 "cash_flow", "cumulative_cash_flow", "discount_factor", "present_value",
                 "cloud_purchases", "cloud_income"]
SUMMARY_HEADER = ["trajectory", "regime", "contributions", "inflows", "terminal_value", "npv", "irr",
                  "moic", "payback_year", "cloud_income", "npv_cloud"]
COMPARISON_HEADER = ["trajectory", "npv_profit_share", "npv_equity", "npv_advantage", "winner",
                     "breakeven_scale"]


def write_outputs(model: Model, results, out_dir: str) -> None:
    os.makedirs(out_dir, exist_ok=True)
    A, R = 6, 8
    with open(os.path.join(out_dir, "yearly.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(YEARLY_HEADER)
        for res in results:
            for regime, reg in (("profit_share", res.a), ("equity", res.b)):
                for t in model.years:
                    w.writerow([
                        res.traj.name, regime, t,
                        fmt(res.rev[t], A), fmt(res.prof[t], A), fmt(res.val[t], A), fmt(res.dist[t], A),
                        fmt(reg["contribution"][t], A), fmt(reg["distribution"][t], A),
                        fmt(reg["revenue_share"][t], A), fmt(reg["dividend"][t], A),
                        fmt(reg["stake"][t], R), fmt(reg["holding_value"][t], A),
                        fmt(reg["cash_flow"][t], A), fmt(reg["cumulative"][t], A),
                        fmt(res.dfs[t], R), fmt(reg["present_value"][t], A),
                        fmt(reg["cloud_purchases"][t], A), fmt(reg["cloud_income"][t], A),
                    ])
    with open(os.path.join(out_dir, "summary.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(SUMMARY_HEADER)
        for res in results:
            for regime, reg in (("profit_share", res.a), ("equity", res.b)):
                w.writerow([
                    res.traj.name, regime, fmt(reg["contributions"], A), fmt(reg["inflows"], A),
                    fmt(reg["terminal"], A), fmt(reg["npv"], A), fmt(reg["irr"], R),
                    fmt(reg["moic"], R), fmt_int(reg["payback"]),
                    fmt(reg["cloud_income_total"], A), fmt(reg["npv_cloud"], A),
                ])
    with open(os.path.join(out_dir, "comparison.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COMPARISON_HEADER)
        for res in results:
            w.writerow([
                res.traj.name, fmt(res.a["npv"], A), fmt(res.b["npv"], A), fmt(res.advantage, A),
                res.winner, fmt(res.breakeven, R),
            ])


def read_raw(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return tomllib.loads(f.read(), parse_float=D)


def load_model(path: str, overrides=()) -> Model:
    raw = read_raw(path)
    for o in overrides:
        apply_override(raw, o)
    return Model(raw, os.path.dirname(path) or ".")


# --------------------------------------------------------------------------
# Overrides (SPEC 9) and the sensitivity commands (SPEC 11)

DERIVED = ("scale.valuation", "scale.revenue", "shift.margin")


def parse_path(path: str):
    """[("key", k) | ("index", i) | ("name", n), ...]."""
    segs = []
    for part in re.findall(r"[^.\[\]]+|\[[^\]]*\]", path):
        if part.startswith("["):
            inner = part[1:-1]
            segs.append(("index", int(inner)) if inner.isdigit() else ("name", inner))
        else:
            segs.append(("key", part))
    return segs


def derived_of(path: str):
    for d in DERIVED:
        if path == d:
            return d, None
        if path.startswith(d + "["):
            return d, path[len(d) + 1 : -1]
    return None


def apply_override(raw: dict, assignment: str) -> None:
    """PATH=VALUE on the parsed TOML (a dict), or a derived key noted for the Model."""
    path, value_text = assignment.split("=", 1)
    value = tomllib.loads("v = " + value_text, parse_float=D)["v"]
    d = derived_of(path)
    if d is not None:
        raw.setdefault("__derived__", []).append((d[0], d[1], num(value)))
        return
    segs = parse_path(path)
    node = raw
    for i, (kind, x) in enumerate(segs):
        last = i == len(segs) - 1
        if kind == "name":
            x = next(j for j, e in enumerate(node) if isinstance(e, dict) and e.get("name") == x)
        if last:
            node[x] = value
        else:
            node = node[x]


def get_value(raw: dict, path: str):
    d = derived_of(path)
    if d is not None:
        return ZERO if d[0] == "shift.margin" else ONE
    node = raw
    for kind, x in parse_path(path):
        if kind == "name":
            x = next(j for j, e in enumerate(node) if isinstance(e, dict) and e.get("name") == x)
        node = node[x]
    return num(node)


def advantages(path: str, overrides, selected=None):
    """Per trajectory, in the model's order, or in the order asked for with -t (as the
    binary prints them)."""
    model = load_model(path, overrides)
    if selected is None:
        chosen = model.trajectories
    else:
        by_name = {tr.name: tr for tr in model.trajectories}
        chosen = [by_name[n] for n in dict.fromkeys(selected)]
    return [(tr.name, compute(model, tr, light=True)) for tr in chosen]


def grid(spec: str):
    """FROM..TO[:STEPS] -> exact values (STEPS default 11)."""
    span, _, steps = spec.partition(":")
    lo, hi = (D(x) for x in span.split(".."))
    n = int(steps) if steps else 11
    return [lo + (hi - lo) * i / (n - 1) for i in range(n)]


def plain(x: D) -> str:
    s = format(x.normalize(), "f")
    return "0" if s in ("-0", "0") else s


def cmd_sweep(model_path, out_dir, varies, sets, selected):
    axes = [(v.split("=", 1)[0], grid(v.split("=", 1)[1])) for v in varies]
    points = [[x] for x in axes[0][1]]
    if len(axes) == 2:
        points = [[x, y] for x in axes[0][1] for y in axes[1][1]]
    by_point = []
    for values in points:
        extra = [f"{p}={plain(v)}" for (p, _), v in zip(axes, values)]
        by_point.append((values, advantages(model_path, list(sets) + extra, selected)))
    names = [n for n, _ in by_point[0][1]]
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "sweep.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["trajectory"] + [p for p, _ in axes] + ["npv_profit_share", "npv_equity", "npv_advantage", "winner"])
        for k, name in enumerate(names):
            for values, res in by_point:
                r = res[k][1]
                w.writerow([name] + [plain(v) for v in values]
                           + [fmt(r.a["npv"], 6), fmt(r.b["npv"], 6), fmt(r.advantage, 6), r.winner])


def cmd_solve(model_path, out_dir, path, within, target, sets, selected):
    """The root nearest the current value among the sign changes of advantage - target on a
    grid of 200 steps over `within`, each bisected to 1e-20 relative."""
    lo, hi = (D(x) for x in within.split(".."))
    current = get_value(read_raw(model_path), path)
    base = advantages(model_path, sets, selected)
    n = 200
    xs = [lo + (hi - lo) * i / n for i in range(n + 1)]
    curves = [advantages(model_path, list(sets) + [f"{path}={plain(x)}"], selected) for x in xs]
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "solve.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["trajectory", "path", "target", "current_value", "current_advantage", "solution"])
        for k, (name, now) in enumerate(base):
            fn = lambda x, k=k: advantages(model_path, list(sets) + [f"{path}={plain(x)}"], [name])[0][1].advantage - target
            vals = [c[k][1].advantage - target for c in curves]
            signs = [(v > 0) - (v < 0) for v in vals]
            roots = [x for x, v in zip(xs, vals) if v == 0]
            for i, j in sign_change_brackets(xs, signs):
                roots.append(bisect_decimal(fn, xs[i], xs[j], vals[i], D("1e-20") * max(abs(xs[j]), ONE), max_iter=120))
            sol = min(roots, key=lambda x: abs(x - current)) if roots else None
            w.writerow([name, path, fmt(target, 6), fmt(current, 8), fmt(now.advantage, 6), fmt(sol, 8)])


def cmd_tornado(model_path, out_dir, varies, sets, selected):
    inputs = []
    for v in varies:
        p, span = v.split("=", 1)
        lo, hi = (D(x) for x in span.split(".."))
        inputs.append((p, lo, hi))
    base_names = [n for n, _ in advantages(model_path, sets, selected)]
    rows = {n: [] for n in base_names}
    for p, lo, hi in inputs:
        low = advantages(model_path, list(sets) + [f"{p}={plain(lo)}"], selected)
        high = advantages(model_path, list(sets) + [f"{p}={plain(hi)}"], selected)
        for (n, rl), (_, rh) in zip(low, high):
            rows[n].append((p, lo, hi, rl.advantage, rh.advantage, abs(rh.advantage - rl.advantage)))
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "tornado.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["trajectory", "input", "low", "high", "advantage_low", "advantage_high", "swing"])
        for n in base_names:
            for p, lo, hi, al, ah, sw in sorted(rows[n], key=lambda r: -round_half_away(r[5], 6)):
                w.writerow([n, p, plain(lo), plain(hi), fmt(al, 6), fmt(ah, 6), fmt(sw, 6)])


def sensitivity_main(args):
    """ref.py sweep|solve|tornado MODEL OUTDIR [PATH] [--vary P=..]... [--set P=V]...
    [--within A..B] [--target X] [-t NAME]..."""
    command, model_path, out_dir = args[0], args[1], args[2]
    rest = args[3:]
    opts = {"--vary": [], "--set": [], "-t": [], "--within": [None], "--target": ["0"]}
    positional = []
    i = 0
    while i < len(rest):
        if rest[i] in opts:
            opts[rest[i]].append(rest[i + 1])
            i += 2
        else:
            positional.append(rest[i])
            i += 1
    selected = opts["-t"] or None
    if command == "sweep":
        cmd_sweep(model_path, out_dir, opts["--vary"], opts["--set"], selected)
    elif command == "solve":
        cmd_solve(model_path, out_dir, positional[0], opts["--within"][-1], D(opts["--target"][-1]),
                  opts["--set"], selected)
    else:
        cmd_tornado(model_path, out_dir, opts["--vary"], opts["--set"], selected)
    return 0


def run(model_path: str, out_dir: str):
    model = load_model(model_path)
    results = [compute(model, tr) for tr in model.trajectories]
    write_outputs(model, results, out_dir)
    return model, results


def main(argv):
    args = list(argv)
    if args and args[0] in ("sweep", "solve", "tornado"):
        return sensitivity_main(args)
    if "--prec" in args:
        i = args.index("--prec")
        set_precision(int(args[i + 1]))
        del args[i : i + 2]
    if len(args) != 2:
        print("usage: ref.py MODEL.toml OUTDIR [--prec N]", file=sys.stderr)
        return 2
    run(args[0], args[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
