#!/usr/bin/env python3
"""Independent, vectorized reference for SPEC section 10: `stakeshift simulate`.

Written from SPEC sections 1-5, 10 and 13 only (not from the Rust sources).  Model files are
read by ref.py (the exact, Decimal reference of sections 2-5 and 13 in this folder): its
parser, its series (each center's yearly revenue, margin, valuation and compute spend are
evaluated exactly in Decimal, then turned into float64) and its `--set` handling of the
derived keys.  Everything that happens on a path -- the random process, AGI, failure, the
waterfall, the stake, the revenue shares, the cloud side and the NPVs -- is implemented here,
in float64 numpy arrays of shape [paths], looping over years (and, within a year, over the
waterfall's slices and tiers), never over paths.

Usage:
    python3 sim.py MODEL.toml [--paths N] [--seed S] [--json OUT.json] [--set PATH=VALUE]...
    python3 sim.py --selfcheck [MODEL.toml ...]     (default: every reference case and the
                                                     built-in model; see selfcheck())

The random numbers come from numpy's own generator (np.random.default_rng(seed)); they are
not stakeshift's, so only distributions (not paths) can be compared with it.
"""

from __future__ import annotations

import argparse
import copy
import csv
import glob
import json
import math
import os
import sys
import time
from decimal import Decimal as D

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True  # no __pycache__ next to the committed files
sys.path.insert(0, HERE)
import ref  # noqa: E402

NEVER = 2**40  # "no such year" for AGI and failure years (int64 arrays)


class SimError(Exception):
    """A model or option this reference refuses (exit 2), with a message."""


# --------------------------------------------------------------------------------------
# Reading the model and its [simulation] table

# SPEC 10: "[simulation] optional; every key optional, defaults shown".
SIM_DEFAULTS = {
    "paths": 10000,
    "seed": 0,
    "revenue_vol": 0.20,
    "revenue_persistence": 1.0,
    "margin_vol": 0.05,
    "margin_persistence": 0.8,
    "valuation_beta": 1.0,
    "valuation_vol": 0.15,
    "valuation_persistence": 1.0,
    "agi_hazard": 0.0,
    "failure_hazard": 0.0,
}
SIM_KEYS = set(SIM_DEFAULTS) | {"from_year", "weights"}


def set_override(raw: dict, assignment: str) -> None:
    """SPEC 9 `--set PATH=VALUE` on the parsed TOML.  Derived keys (scale.valuation, ...) are
    handed to ref.py, which applies them to every year's value.  Missing tables on the way
    (e.g. `simulation.agi_hazard` in a model without [simulation]) are created."""
    path, value_text = assignment.split("=", 1)
    if ref.derived_of(path) is not None:
        ref.apply_override(raw, assignment)
        return
    value = ref.tomllib.loads("v = " + value_text, parse_float=D)["v"]
    segs = ref.parse_path(path)
    node = raw
    for i, (kind, x) in enumerate(segs):
        last = i == len(segs) - 1
        if kind == "name":
            matches = [j for j, e in enumerate(node) if isinstance(e, dict) and e.get("name") == x]
            if not matches:
                raise SimError(f"--set {path}: no element named `{x}`")
            x = matches[0]
        if last:
            node[x] = value
        else:
            if kind == "key" and x not in node:
                node[x] = {}
            node = node[x]


def load(path: str, overrides=()):
    """(raw TOML dict, ref.Model)."""
    try:
        raw = ref.read_raw(path)
    except Exception as e:  # noqa: BLE001
        raise SimError(f"{path}: cannot read the model: {e}") from e
    for o in overrides:
        set_override(raw, o)
    base_dir = os.path.dirname(path) or "."
    if "trajectories_csv" in raw:
        # ref.py ignores a `cloud_spend` column silently; this reference does not model it.
        with open(os.path.join(base_dir, raw["trajectories_csv"]), encoding="utf-8") as f:
            header = [h.strip().lower() for h in next(csv.reader(f))]
        if "cloud_spend" in header:
            raise SimError(f"{path}: the `cloud_spend` column of trajectories_csv (SPEC 13) "
                           "is not supported by this reference")
    model = ref.Model(raw, base_dir)
    # This reference does not validate models (SPEC 6); it refuses the few invalid shapes it
    # would otherwise mis-model silently.
    if not model.start_year <= model.from_year <= model.end_year:
        raise SimError(f"{path}: equity.from_year {model.from_year} is outside the model's years")
    for k, r in enumerate(model.rounds):
        if not model.from_year <= r.year <= model.end_year:
            raise SimError(f"{path}: equity.rounds[{k}].year {r.year} is outside "
                           f"{model.from_year}..={model.end_year} (SPEC 6)")
    return raw, model


def sim_params(raw: dict, model, paths=None, seed=None) -> dict:
    """SPEC 10's [simulation] table with its defaults, checked."""
    table = raw.get("simulation", {})
    unknown = set(table) - SIM_KEYS
    if unknown:
        raise SimError(f"simulation: unknown key(s) {sorted(unknown)}")
    sp = {k: float(table.get(k, v)) for k, v in SIM_DEFAULTS.items() if k not in ("paths", "seed")}
    sp["paths"] = int(paths if paths is not None else table.get("paths", SIM_DEFAULTS["paths"]))
    sp["seed"] = int(seed if seed is not None else table.get("seed", SIM_DEFAULTS["seed"]))
    # default from_year: valuation_year + 1 (may be end_year + 1: then nothing is random)
    sp["from_year"] = int(table.get("from_year", model.valuation_year + 1))
    names = [tr.name for tr in model.trajectories]
    if "weights" in table:
        # Reading: a `weights` table gives 0 to the trajectories it leaves out.
        w = {}
        for k, v in table["weights"].items():
            if k not in names:
                raise SimError(f"simulation.weights.{k}: the model has no trajectory `{k}`")
            w[k] = float(v)
        sp["weights"] = [w.get(n, 0.0) for n in names]
    else:
        sp["weights"] = [1.0] * len(names)  # SPEC 10: default 1 on each trajectory
    if any(v < 0 for v in sp["weights"]) or not any(v > 0 for v in sp["weights"]):
        raise SimError("simulation.weights: weights must be >= 0 with at least one > 0")
    for k in ("revenue_persistence", "margin_persistence", "valuation_persistence",
              "agi_hazard", "failure_hazard"):
        if not 0.0 <= sp[k] <= 1.0:
            raise SimError(f"simulation.{k}: {sp[k]} is outside [0, 1]")
    for k in ("revenue_vol", "margin_vol", "valuation_vol"):
        if sp[k] < 0:
            raise SimError(f"simulation.{k}: {sp[k]} is negative")
    if not model.start_year <= sp["from_year"] <= model.end_year + 1:
        raise SimError(f"simulation.from_year: {sp['from_year']} is outside "
                       f"{model.start_year}..={model.end_year + 1}")
    if sp["paths"] < 1:
        raise SimError("--paths: at least 1")
    return sp


# --------------------------------------------------------------------------------------
# The model as float64 arrays (everything that does not depend on the path)

class Plan:
    pass


def build_plan(model) -> Plan:
    p = Plan()
    years = model.years
    p.years = years
    Y = len(years)
    trs = model.trajectories
    C = len(trs)
    p.names = [tr.name for tr in trs]
    # Centers, exact (Decimal, via ref.py's series and derived keys) then float64.
    p.rev_c = np.zeros((C, Y))
    p.prof_c = np.zeros((C, Y))
    p.mar_c = np.zeros((C, Y))
    p.val_c = np.zeros((C, Y))
    p.spend_c = np.zeros((C, Y))  # compute spend as a fraction of revenue (SPEC 13)
    p.agi_c = np.full(C, NEVER, dtype=np.int64)
    for c, tr in enumerate(trs):
        if tr.agi_year is not None:
            p.agi_c[c] = tr.agi_year
        spend_series = tr.spend if tr.spend is not None else model.cloud_spend
        for i, t in enumerate(years):
            rev, prof, val = tr.values(t)
            if isinstance(tr, ref.Trajectory):
                mar = tr.margin.value(t) + tr.margin_shift
            else:
                # SPEC 10.3: for a trajectories_csv center, margin = profit / revenue, 0 where
                # revenue is 0.
                mar = prof / rev if rev != 0 else ref.ZERO
            p.rev_c[c, i] = float(rev)
            p.prof_c[c, i] = float(prof)
            p.mar_c[c, i] = float(mar)
            p.val_c[c, i] = float(val)
            if model.cloud and spend_series is not None:
                p.spend_c[c, i] = float(spend_series.value(t))
    # SPEC 5: DF_t = (1 + discount_rate)^-(t - valuation_year), exact then float
    p.df = np.array([float(ref.df(model, t)) for t in years])
    p.contrib = np.array([float(model.contributions.get(t, ref.ZERO)) for t in years])
    # SPEC 3: the waterfall
    p.investor = model.party
    p.residual = model.residual
    p.loss_cf = model.loss_carryforward
    p.rights_end = model.rights_end_at_agi
    p.tiers = []
    parties = []
    n_until = 0
    for tier in model.tiers:
        shares = [(q, float(s)) for q, s in tier.shares.items() if q != model.residual and s > 0]
        until = None
        if tier.until is not None:
            # the cap of each party in each year: until * (1 + cap_growth)^max(0, t - from)
            until = {q: np.array([float(tier.cap(q, t)) for t in years]) for q in tier.until}
            n_until += len(until)
        p.tiers.append((shares, until))
        for q, _ in shares:
            if q not in parties:
                parties.append(q)
        for q in (until or {}):
            if q not in parties:
                parties.append(q)
    p.parties = parties
    # every slice either ends D_t or brings one (tier, party) to its cap: a bound on slices
    p.max_slices = 4 * (n_until + 2) + 10
    # SPEC 3.4 / 4: revenue shares
    p.rs = []
    for rs in (model.ps_revenue_share, model.eq_revenue_share):
        if not rs.present:
            p.rs.append(None)
        else:
            p.rs.append((float(rs.rate), rs.start, rs.until,
                         None if rs.total_cap is None else float(rs.total_cap), rs.ends_at_agi))
    # SPEC 4: the stake
    p.eq_from = model.from_year
    p.stake = float(model.stake)
    p.payout = float(model.dividend_payout)
    p.tdisc = float(model.terminal_discount)
    p.rounds = [(r.year, float(r.raise_), None if r.pre_money is None else float(r.pre_money),
                 float(r.participation)) for r in model.rounds]
    # SPEC 13: the cloud side, read as ref.py does: a regime without its own cloud table has
    # share 0; regime B buys at regime A's share before equity.from_year; a commitment binds
    # the purchases of the regime whose table holds it.
    p.cloud = model.cloud
    p.cloud_margin = float(model.cloud_margin)
    p.share_a = np.array([float(model.ps_cloud.share_at(t)) for t in years])
    p.share_b = np.array([float(model.ps_cloud.share_at(t) if t < model.from_year
                                else model.eq_cloud.share_at(t)) for t in years])
    p.commit = []
    for terms in (model.ps_cloud, model.eq_cloud):
        c = terms.commitment
        p.commit.append(None if c is None else (float(c[0]), c[1], c[2]))
    return p


# --------------------------------------------------------------------------------------
# SPEC 3.2-3.3: one year of the waterfall, for all paths at once

def waterfall_year(p: Plan, i: int, d: np.ndarray, received: dict, agi_act: np.ndarray):
    """Splits D_t (d, per path) among the parties; updates `received` (cumulative receipts,
    per party, per path) in place and returns the investor's receipts this year.

    Per path: the active tier is the first that is not done (every party of its `until` has
    received at least its cap for year t; from AGI, with investor_rights_end_at_agi, the
    investor counts as reached).  In it each party gets share * slice, except a party that is
    at its cap in this tier (its share goes to the residual) and, from AGI, the investor.  The
    slice is cut where the first party reaches its cap: that party gets exactly its room
    (its receipts are set to the cap), the others their shares of the slice, the residual the
    rest; then the next slice starts (same tier or the next).  With every tier done the
    residual gets the rest.  The residual's receipts are not needed and not kept."""
    inv = p.investor
    got_inv = np.zeros(d.size)
    rem = d.copy()
    live = np.nonzero(rem > 0)[0]  # paths with something left to split
    rounds = 0
    while live.size:
        rounds += 1
        if rounds > p.max_slices:
            raise RuntimeError("waterfall: too many slices in one year")
        r = rem[live]
        ag = agi_act[live]
        m = live.size
        # the active tier of each live path (-1: every tier is done)
        tier_of = np.full(m, -1)
        undecided = np.ones(m, dtype=bool)
        for k, (shares, until) in enumerate(p.tiers):
            if until is None:
                not_done = undecided.copy()  # a tier without `until` is never done
            else:
                done = np.ones(m, dtype=bool)
                for q, caps in until.items():
                    reached = received[q][live] >= caps[i]
                    if q == inv:
                        reached |= ag  # SPEC 3.3: its `until` amounts count as reached
                    done &= reached
                not_done = undecided & ~done
            tier_of[not_done] = k
            undecided &= ~not_done
            if not undecided.any():
                break
        new_rem = np.zeros(m)  # paths whose tiers are all done: the residual takes the rest
        for k, (shares, until) in enumerate(p.tiers):
            sel = np.nonzero(tier_of == k)[0]
            if sel.size == 0:
                continue
            idx = live[sel]
            rr = r[sel]
            ags = ag[sel]
            slice_ = rr.copy()
            parts = []
            for q, sh in shares:
                act = np.ones(sel.size, dtype=bool)
                if q == inv:
                    act &= ~ags  # SPEC 3.3: from AGI the investor's share goes to the residual
                if until is not None and q in until:
                    cap = until[q][i]
                    room = cap - received[q][idx]
                    act &= room > 0  # at its cap in this tier: its share goes to the residual
                    with np.errstate(divide="ignore", invalid="ignore"):
                        need = np.where(act, room / sh, np.inf)  # slice at which q hits its cap
                    slice_ = np.minimum(slice_, need)
                    parts.append((q, sh, act, cap, room, need))
                else:
                    parts.append((q, sh, act, None, None, None))
            for q, sh, act, cap, room, need in parts:
                if cap is not None:
                    hit = act & (need <= slice_)
                    amount = np.where(act, np.where(hit, room, sh * slice_), 0.0)
                    # a party that reaches its cap gets exactly its room: receipts = cap
                    received[q][idx] = np.where(hit, cap, received[q][idx] + amount)
                else:
                    amount = np.where(act, sh * slice_, 0.0)
                    received[q][idx] = received[q][idx] + amount
                if q == inv:
                    got_inv[idx] += amount
            new_rem[sel] = np.where(slice_ < rr, rr - slice_, 0.0)
        rem[live] = new_rem
        live = live[new_rem > 0]
    return got_inv


def revenue_share(spec, t: int, rev: np.ndarray, agi_on: np.ndarray, cum: np.ndarray):
    """SPEC 3.4: rate * revenue_t for from <= t <= until (and t < AGI year with ends_at_agi),
    never taking the cumulative receipts (counted from the first year of the model) past
    total_cap.  Updates cum in place; returns the year's receipts."""
    if spec is None:
        return 0.0
    rate, start, until, cap, ends_at_agi = spec
    if not start <= t <= until:
        return 0.0
    r = rate * rev
    if ends_at_agi:
        r = np.where(agi_on, 0.0, r)
    if cap is not None:
        r = np.maximum(np.minimum(r, cap - cum), 0.0)
    cum += r
    return r


# --------------------------------------------------------------------------------------
# SPEC 10: the simulation

def simulate(p: Plan, sp: dict, centers=None, trace=None):
    """All paths at once.  Returns a dict of per-path arrays (npv_profit_share, npv_equity,
    center, agi_year, failure_year, rounds_skipped per path) and, with `trace` (an array of
    path indices), those paths' yearly revenue/profit/valuation and which rounds happened."""
    n = sp["paths"]
    rng = np.random.default_rng(sp["seed"])
    years = p.years
    fy = sp["from_year"]
    C = len(p.names)
    # 10.1: each path's center, drawn by weight_c / sum(weights)
    if centers is None:
        w = np.asarray(sp["weights"], dtype=float)
        centers = rng.choice(C, size=n, p=w / w.sum())
    centers = np.asarray(centers)
    rho_r, vol_r = sp["revenue_persistence"], sp["revenue_vol"]
    rho_m, vol_m = sp["margin_persistence"], sp["margin_vol"]
    rho_v, vol_v = sp["valuation_persistence"], sp["valuation_vol"]
    beta = sp["valuation_beta"]
    h_agi, h_fail = sp["agi_hazard"], sp["failure_hazard"]

    x = np.zeros(n)
    y = np.zeros(n)
    w_ = np.zeros(n)
    agi_hz = np.full(n, NEVER, dtype=np.int64)  # first year with u_a < agi_hazard
    fail = np.full(n, NEVER, dtype=np.int64)  # first year with u_f < failure_hazard
    agi_center = p.agi_c[centers]
    carried = np.zeros(n)  # SPEC 3.1: carried loss L
    received = {q: np.zeros(n) for q in p.parties}  # cumulative waterfall receipts
    rs_cum = [np.zeros(n), np.zeros(n)]  # revenue-share receipts so far, per regime
    cl_cum = [np.zeros(n), np.zeros(n)]  # cloud purchases inside each commitment's years
    stake = np.zeros(n)
    npv = [np.zeros(n), np.zeros(n)]  # regime A (profit share), regime B (equity)
    skipped = np.zeros(n, dtype=np.int64)  # rounds that did not happen, per path
    tr = None
    if trace is not None:
        trace = np.asarray(trace)
        tr = {"revenue": [], "profit": [], "valuation": [], "draws": [], "round_ok": {}}
    val = None
    for i, t in enumerate(years):
        rc = p.rev_c[:, i][centers]
        vc = p.val_c[:, i][centers]
        pc = p.prof_c[:, i][centers]
        if t >= fy:
            # 10.3: e_r, e_m, e_v ~ N(0, 1) and u_a, u_f ~ U(0, 1), drawn every year (also
            # after a failure) so one path's draws do not depend on the parameters
            e = rng.standard_normal((3, n))
            u = rng.random((2, n))
            x = rho_r * x + vol_r * e[0]
            y = rho_m * y + vol_m * e[1]
            w_ = rho_v * w_ + vol_v * e[2]
            g = np.exp(x)
            rev = rc * g
            mc = p.mar_c[:, i][centers]
            margin = np.minimum(mc + y, 1.0)  # margin_t = min(margin^c_t + y_t, 1)
            # profit = revenue * margin, as SPEC 10.3 writes it: a trajectories_csv center's
            # year with revenue 0 has margin 0, so the path's profit there is 0, even with
            # every vol 0 (where the path then parts from its center, as with a margin > 1).
            prof = rev * margin
            val = vc * np.exp(beta * x + w_)
            # 10.4 / 10.5: hazards from from_year on
            agi_hz = np.where((u[0] < h_agi) & (agi_hz == NEVER), t, agi_hz)
            fail = np.where((u[1] < h_fail) & (fail == NEVER), t, fail)
            failed = fail <= t
            # 10.5: from the failure year on revenue, profit and valuation are 0
            rev = np.where(failed, 0.0, rev)
            prof = np.where(failed, 0.0, prof)
            val = np.where(failed, 0.0, val)
        else:
            # 10.2: years before from_year are the center's own values, exactly
            rev, prof, val = rc, pc, vc
            failed = np.zeros(n, dtype=bool)
        # 10.4: the path's AGI year is the earlier of the center's and the first hazard hit
        agi_on = (agi_center <= t) | (agi_hz <= t)
        if tr is not None:
            tr["draws"].append(np.vstack([e, u])[:, trace].copy() if t >= fy else None)
            tr["revenue"].append(rev[trace].copy())
            tr["profit"].append(prof[trace].copy())
            tr["valuation"].append(val[trace].copy())

        # ---- SPEC 3.1: distributable profit D_t
        if p.loss_cf:
            pos = np.maximum(prof, 0.0)
            pay = np.minimum(carried, pos)  # a profit first pays the carried loss down
            d = pos - pay
            carried = carried - pay + np.maximum(-prof, 0.0)  # a loss adds to it
        else:
            d = np.maximum(prof, 0.0)

        # ---- SPEC 3.2-3.3: the waterfall (the investor's distribution)
        dist = waterfall_year(p, i, d, received, p.rights_end & agi_on) if p.tiers else np.zeros(n)

        # ---- SPEC 3.4 and 4: revenue shares, one per regime, each against its own cap
        rs_a = revenue_share(p.rs[0], t, rev, agi_on, rs_cum[0])
        rs_b = revenue_share(p.rs[1], t, rev, agi_on, rs_cum[1])

        # ---- SPEC 4: the stake and the rounds (10.6: a round whose pre-money value would not
        # be > 0 on the path -- a default pre-money, or any round in a failed year -- does not
        # happen: no dilution, no participation)
        participation = np.zeros(n)
        if t == p.eq_from:
            stake[:] = p.stake
        for ri, (ry, raise_, pre_money, part) in enumerate(p.rounds):
            if ry != t:
                continue
            if pre_money is None:
                pre = val - raise_  # default: the path's valuation that year minus raise
                ok = (pre > 0) & ~failed
            else:
                pre = pre_money
                ok = ~failed
            with np.errstate(divide="ignore", invalid="ignore"):
                stake = np.where(ok, (stake * pre + part) / (pre + raise_), stake)
            participation += np.where(ok, part, 0.0)
            skipped += ~ok
            if tr is not None:
                tr["round_ok"][ri] = ok[trace].copy()
        dividend = p.payout * d * stake if t >= p.eq_from else 0.0

        # ---- SPEC 13: the cloud side; spend follows the path's revenue, a failed company buys
        # nothing (its revenue is 0) and an unmet commitment lapses
        cloud = [0.0, 0.0]
        if p.cloud:
            spend = p.spend_c[:, i][centers] * rev
            for k, share in enumerate((p.share_a, p.share_b)):
                purchases = share[i] * spend
                c = p.commit[k]
                if c is not None:
                    total, c_from, c_until = c
                    if c_from <= t <= c_until:
                        cl_cum[k] += purchases
                    if t == c_until:
                        shortfall = np.where(failed, 0.0, np.maximum(total - cl_cum[k], 0.0))
                        purchases = purchases + shortfall  # take-or-pay, once, in `until`
                cloud[k] = p.cloud_margin * purchases

        # ---- SPEC 3.5, 4 and 5: cash flows and their present values
        cf_a = -p.contrib[i] + dist + rs_a + cloud[0]
        dist_b = dist if t < p.eq_from else 0.0  # before from_year, regime A's waterfall
        cf_b = -p.contrib[i] - participation + dist_b + rs_b + dividend + cloud[1]
        npv[0] += cf_a * p.df[i]
        npv[1] += cf_b * p.df[i]

    # SPEC 4: terminal value = holding value at end_year * (1 - terminal_discount)
    terminal = stake * val * (1.0 - p.tdisc)
    npv[1] += terminal * p.df[-1]
    agi_year = np.minimum(agi_center, agi_hz)
    out = {
        "npv_profit_share": npv[0],
        "npv_equity": npv[1],
        "center": centers,
        "agi_year": agi_year,
        "failure_year": fail,
        "rounds_skipped": skipped,
        "trace": tr,
    }
    for k in ("npv_profit_share", "npv_equity"):
        bad = ~np.isfinite(out[k])
        if bad.any():
            j = int(np.nonzero(bad)[0][0])
            raise SimError(f"path {j} (center {p.names[centers[j]]}): {k} is not finite")
    return out


# --------------------------------------------------------------------------------------
# Results

Q = np.arange(1001)  # quantiles at q = Q / 1000


def quantiles(v: np.ndarray):
    """The empirical quantiles at q = 0, 0.001, ..., 1: linear between order statistics at
    rank (n - 1) q, 0-based (the rank is computed exactly in integers)."""
    s = np.sort(v)
    n = s.size
    num = (n - 1) * Q
    lo = num // 1000
    frac = (num % 1000) / 1000.0
    hi = np.minimum(lo + 1, n - 1)
    return s[lo] + frac * (s[hi] - s[lo])


def stats(v: np.ndarray):
    if v.size == 0:
        return {"mean": None, "sd": None, "p5": None, "p25": None, "p50": None, "p75": None,
                "p95": None, "quantiles": None}
    qs = quantiles(v)
    return {
        "mean": float(np.mean(v)),
        "sd": float(np.std(v, ddof=1)) if v.size > 1 else 0.0,  # sample sd (divisor n - 1)
        "p5": float(qs[50]), "p25": float(qs[250]), "p50": float(qs[500]),
        "p75": float(qs[750]), "p95": float(qs[950]),
        "quantiles": [float(q) for q in qs],
    }


def group(a: np.ndarray, b: np.ndarray):
    """SPEC 10's figures for one group of paths.  SPEC 5: a tie where the advantage rounds to
    zero at 6 decimal places (half away from zero: |adv| < 0.0000005); else the larger NPV
    wins."""
    adv = b - a
    n = adv.size
    tie = np.abs(adv) < 5e-7
    eq = (adv > 0) & ~tie
    pw = float(eq.mean()) if n else None
    return {
        "paths": int(n),
        "p_equity_wins": pw,
        "p_equity_wins_se": math.sqrt(pw * (1 - pw) / n) if n else None,
        "p_tie": float(tie.mean()) if n else None,
        "npv_profit_share": stats(a),
        "npv_equity": stats(b),
        "npv_advantage": stats(adv),
    }


def summarize(model_path: str, p: Plan, sp: dict, out: dict, seconds: float) -> dict:
    a, b, c = out["npv_profit_share"], out["npv_equity"], out["center"]
    groups = {"all": group(a, b)}
    for k, name in enumerate(p.names):
        if sp["weights"][k] > 0:  # every possible center, even if no path drew it
            m = c == k
            groups[name] = group(a[m], b[m])
    end = p.years[-1]
    return {
        "model": model_path,
        "paths": sp["paths"],
        "seed": sp["seed"],
        "from_year": sp["from_year"],
        "params": {k: sp[k] for k in SIM_DEFAULTS if k not in ("paths", "seed")},
        "weights": dict(zip(p.names, sp["weights"])),
        "groups": groups,
        "failed": int((out["failure_year"] <= end).sum()),
        "reached_agi": int((out["agi_year"] <= end).sum()),
        "rounds_skipped": int(out["rounds_skipped"].sum()),
        "paths_with_rounds_skipped": int((out["rounds_skipped"] > 0).sum()),
        "seconds": seconds,
    }


def dumps(res: dict) -> str:
    """JSON with one key a line, but each 1001-value `quantiles` list on one line."""
    lists = []

    def strip(o):
        if not isinstance(o, dict):
            return o
        out = {}
        for k, v in o.items():
            if k == "quantiles" and v is not None:
                out[k] = f"@Q{len(lists)}@"  # a placeholder, replaced below
                lists.append(v)
            else:
                out[k] = strip(v)
        return out

    text = json.dumps(strip(res), indent=1)
    for i, q in enumerate(lists):
        text = text.replace(f'"@Q{i}@"', json.dumps(q))
    return text


def run(model_path: str, paths=None, seed=None, overrides=()):
    raw, model = load(model_path, overrides)
    sp = sim_params(raw, model, paths, seed)
    p = build_plan(model)
    t0 = time.perf_counter()
    out = simulate(p, sp)
    seconds = time.perf_counter() - t0
    return summarize(model_path, p, sp, out, seconds)


# --------------------------------------------------------------------------------------
# Self-check against ref.py (the exact engine of sections 3-5 and 13)

class ReplayTrajectory:
    """A path as a trajectory for ref.compute: its yearly values (floats, exactly as
    Decimals), its AGI year, and its center's compute-spend series."""

    def __init__(self, name, years, rev, prof, val, agi_year, spend):
        self.name = name
        self.agi_year = agi_year
        self.spend = spend
        self._v = {t: (D(float(rev[i])), D(float(prof[i])), D(float(val[i])))
                   for i, t in enumerate(years)}

    def values(self, t):
        return self._v[t]


def model_variant(model, keep_rounds=None, lapse_before=None):
    """A shallow copy of a ref.Model with some rounds left out (those that did not happen on a
    path) and the commitments whose `until` is >= lapse_before (a failure year) removed."""
    m = copy.copy(model)
    if keep_rounds is not None:
        m.rounds = [r for r, keep in zip(model.rounds, keep_rounds) if keep]
    if lapse_before is not None:
        for attr in ("ps_cloud", "eq_cloud"):
            terms = copy.copy(getattr(model, attr))
            if terms.commitment is not None and terms.commitment[2] >= lapse_before:
                terms.commitment = None
            setattr(m, attr, terms)
    return m


def close(got: float, want: D):
    w = float(want)
    err = abs(got - w)
    return err <= max(1e-9 * abs(w), 1e-6), err, err / abs(w) if w != 0 else (0.0 if err == 0 else math.inf)


class Tally:
    def __init__(self):
        self.n = 0
        self.bad = []
        self.max_rel = 0.0
        self.max_abs = 0.0

    def add(self, label, got, want):
        ok, err, rel = close(got, want)
        self.n += 1
        self.max_abs = max(self.max_abs, err)
        if abs(float(want)) >= 1e-3:
            self.max_rel = max(self.max_rel, rel)
        if not ok:
            self.bad.append((label, got, float(want)))


def replay_process(p: Plan, sp: dict, c: int, draws):
    """One path of SPEC 10.2-10.5, scalar, from its draws (per year: e_r, e_m, e_v, u_a, u_f,
    or None before from_year).  Returns (revenue, profit, valuation, agi_year, failure_year)."""
    x = y = w = 0.0
    agi = int(p.agi_c[c])
    fail = NEVER
    rev, prof, val = [], [], []
    for i, t in enumerate(p.years):
        rc, pc, vc, mc = p.rev_c[c, i], p.prof_c[c, i], p.val_c[c, i], p.mar_c[c, i]
        if draws[i] is None:
            rev.append(rc), prof.append(pc), val.append(vc)
            continue
        e_r, e_m, e_v, u_a, u_f = (float(z) for z in draws[i])
        x = sp["revenue_persistence"] * x + sp["revenue_vol"] * e_r
        y = sp["margin_persistence"] * y + sp["margin_vol"] * e_m
        w = sp["valuation_persistence"] * w + sp["valuation_vol"] * e_v
        if u_a < sp["agi_hazard"] and agi > t:
            agi = t
        if u_f < sp["failure_hazard"] and fail == NEVER:
            fail = t
        if fail <= t:
            rev.append(0.0), prof.append(0.0), val.append(0.0)
            continue
        r = rc * math.exp(x)
        rev.append(r)
        prof.append(r * min(mc + y, 1.0))  # 0 where the center's revenue is 0 (SPEC 10.3)
        val.append(vc * math.exp(sp["valuation_beta"] * x + w))
    return rev, prof, val, agi, fail


def check_model(path: str, tally: dict, replay_paths=40):
    raw, model = load(path)
    p = build_plan(model)
    C = len(p.names)
    trs = model.trajectories
    exact = {tr.name: ref.compute(model, tr, light=True) for tr in trs}
    base = sim_params(raw, model)
    zero = dict(base, revenue_vol=0.0, margin_vol=0.0, valuation_vol=0.0, agi_hazard=0.0,
                failure_hazard=0.0, paths=2 * C, seed=7)
    centers = np.arange(2 * C) % C
    start, end = model.start_year, model.end_year
    from_years = sorted({start, min(model.valuation_year + 1, end + 1), end, base["from_year"]})
    for fy in from_years:
        # (1) every vol and hazard 0: each path is its center (SPEC 10's rule)
        sp = dict(zero, from_year=fy)
        out = simulate(p, sp, centers=centers)
        for j in range(2 * C):
            r = exact[p.names[centers[j]]]
            tally["deterministic"].add((path, fy, j, "A"), out["npv_profit_share"][j], r.a["npv"])
            tally["deterministic"].add((path, fy, j, "B"), out["npv_equity"][j], r.b["npv"])
            adv = out["npv_equity"][j] - out["npv_profit_share"][j]
            if abs(float(r.advantage)) > 1e-5:
                want = "equity" if r.advantage > 0 else "profit_share"
                got = "equity" if adv > 0 else "profit_share"
                if want != got:
                    tally["deterministic"].bad.append(((path, fy, j, "winner"), got, want))
        if fy > end:
            continue
        # (2) agi_hazard = 1: AGI in min(agi_year, from_year), else each path is its center
        sp = dict(zero, from_year=fy, agi_hazard=1.0)
        out = simulate(p, sp, centers=centers)
        for j in range(2 * C):
            tr = trs[centers[j]]
            t2 = copy.copy(tr)
            t2.agi_year = fy if tr.agi_year is None else min(tr.agi_year, fy)
            r = ref.compute(model, t2, light=True)
            tally["agi_hazard_1"].add((path, fy, j, "A"), out["npv_profit_share"][j], r.a["npv"])
            tally["agi_hazard_1"].add((path, fy, j, "B"), out["npv_equity"][j], r.b["npv"])
        # (3) failure_hazard = 1: every path fails in from_year; the center with zeros from
        # then on, without the rounds of from_year on and without commitments ending then
        sp = dict(zero, from_year=fy, failure_hazard=1.0)
        out = simulate(p, sp, centers=centers)
        m2 = model_variant(model, keep_rounds=[r.year < fy for r in model.rounds], lapse_before=fy)
        for j in range(2 * C):
            tr = trs[centers[j]]
            rev = np.array([float(tr.values(t)[0]) if t < fy else 0.0 for t in p.years])
            prof = np.array([float(tr.values(t)[1]) if t < fy else 0.0 for t in p.years])
            val = np.array([float(tr.values(t)[2]) if t < fy else 0.0 for t in p.years])
            rt = ReplayTrajectory(tr.name, p.years, rev, prof, val, tr.agi_year, tr.spend)
            r = ref.compute(m2, rt, light=True)
            tally["failure_hazard_1"].add((path, fy, j, "A"), out["npv_profit_share"][j], r.a["npv"])
            tally["failure_hazard_1"].add((path, fy, j, "B"), out["npv_equity"][j], r.b["npv"])
    # (4) random paths, replayed.  "process": each traced path is recomputed in scalar Python
    # from its own draws (values, AGI year, failure year, which rounds happen) and compared
    # with the vectorized path; "replay": those recomputed values, AGI year, failure (lapsed
    # commitments) and rounds are fed to ref.compute and its NPVs compared with the
    # vectorized ones.  Once with the model's [simulation], once with large vols, both
    # hazards and a margin shock that makes min(margin, 1) bite.
    for k, over in enumerate((
        dict(),
        dict(revenue_vol=0.5, margin_vol=0.4, margin_persistence=0.5, valuation_vol=0.6,
             valuation_beta=1.5, revenue_persistence=0.7, valuation_persistence=0.9,
             agi_hazard=0.1, failure_hazard=0.06, from_year=start),
    )):
        sp = dict(base, paths=replay_paths, seed=11 + k, **over)
        if sp["from_year"] > end:
            sp["from_year"] = start
        trace = np.arange(replay_paths)
        out = simulate(p, sp, trace=trace)
        trc = out["trace"]
        for j in range(replay_paths):
            c = int(out["center"][j])
            tr = trs[c]
            # SPEC 10.2-10.5 again, one path in scalar Python from the traced draws: the
            # path's values, its AGI and failure years and which rounds happen
            rev, prof, val, agi, fail = replay_process(p, sp, c, [d if d is None else d[:, j]
                                                                   for d in trc["draws"]])
            keep = []
            for (ry, raise_, pre_money, part) in p.rounds:
                v = val[p.years.index(ry)]
                keep.append(ry < fail and (pre_money is not None or v - raise_ > 0))
            proc = tally["process"]
            for i in range(len(p.years)):
                for name, mine in (("revenue", rev), ("profit", prof), ("valuation", val)):
                    proc.add((path, k, j, p.years[i], name), float(trc[name][i][j]), D(mine[i]))
            for name, mine, got in (("agi_year", agi, int(out["agi_year"][j])),
                                    ("failure_year", fail, int(out["failure_year"][j]))):
                proc.n += 1
                if mine != got:
                    proc.bad.append(((path, k, j, name), got, mine))
            for ri, want in enumerate(keep):
                proc.n += 1
                if bool(trc["round_ok"][ri][j]) != want:
                    proc.bad.append(((path, k, j, f"round {ri} happens"), not want, want))
            m2 = model_variant(model, keep_rounds=keep,
                               lapse_before=fail if fail != NEVER else None)
            rt = ReplayTrajectory(tr.name, p.years, rev, prof, val, None if agi >= NEVER else agi,
                                  tr.spend)
            r = ref.compute(m2, rt, light=True)
            tally["replay"].add((path, k, j, "A"), out["npv_profit_share"][j], r.a["npv"])
            tally["replay"].add((path, k, j, "B"), out["npv_equity"][j], r.b["npv"])
            tally["replay_rounds_skipped"] += int(out["rounds_skipped"][j])
            tally["replay_failed"] += int(fail <= end)
            tally["replay_agi"] += int(agi <= end)


def selfcheck(paths) -> int:
    if not paths:
        paths = sorted(glob.glob(os.path.join(HERE, "cases", "*", "model.toml")))
        paths.append(os.path.join(ROOT, "models", "msft-openai.toml"))
        paths += sorted(glob.glob(os.path.join(HERE, "sim", "*.toml")))
    tally = {"deterministic": Tally(), "agi_hazard_1": Tally(), "failure_hazard_1": Tally(),
             "process": Tally(), "replay": Tally(), "replay_rounds_skipped": 0, "replay_failed": 0, "replay_agi": 0}
    for path in paths:
        check_model(path, tally)
        print(f"checked {os.path.relpath(path, ROOT)}", file=sys.stderr)
    ok = True
    for name in ("deterministic", "agi_hazard_1", "failure_hazard_1", "process", "replay"):
        t = tally[name]
        print(f"{name}: {t.n} values, max abs err {t.max_abs:.3g}, max rel err (|value| >= 1e-3) "
              f"{t.max_rel:.3g}, failures {len(t.bad)}")
        for b in t.bad[:10]:
            print("   ", b)
        ok &= not t.bad
    print(f"replayed paths had {tally['replay_rounds_skipped']} skipped rounds, "
          f"{tally['replay_failed']} failures, {tally['replay_agi']} AGI years in the horizon")
    print(f"{len(paths)} models: {'OK' if ok else 'FAILED'}")
    return 0 if ok else 1


# --------------------------------------------------------------------------------------

def main(argv) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model", nargs="*")
    ap.add_argument("--paths", type=int)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--json", dest="json_out")
    ap.add_argument("--set", dest="sets", action="append", default=[])
    ap.add_argument("--selfcheck", action="store_true")
    a = ap.parse_args(argv)
    try:
        if a.selfcheck:
            return selfcheck(a.model)
        if len(a.model) != 1:
            ap.error("one MODEL")
        res = run(a.model[0], a.paths, a.seed, a.sets)
    except SimError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    text = dumps(res)
    if a.json_out:
        with open(a.json_out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
