#!/usr/bin/python3
"""Writes the fixtures the @qtp/portfolio construction tests compare against.

Usage (Debian's python3 with python3-scipy, python3-numpy and python3-pandas):

    /usr/bin/python3 packages/portfolio/scripts/make-construction-reference.py

1. test/fixtures/btc-quoted-1h-returns.csv: hourly simple returns of four assets quoted in BTC
   (DASH, LTC, XLM, ZEC), cut from the project's real Binance 5-minute klines in examples/data:
   the last close of each UTC hour in which all four traded, then close[t] / close[t-1] - 1
   between consecutive such hours. Both sides read this file, so they start from the same numbers.
2. test/fixtures/construction-reference.json: covariance estimates (sample, EWMA through
   pandas' ewm, Ledoit-Wolf from the formula of Ledoit and Wolf 2004) and portfolio weights
   solved with scipy.optimize (SLSQP for the mean-variance problems, a root of the first-order
   conditions for equal risk contribution), with each problem's objective.

Expected returns are the sample means of the hourly returns, the risk-free rate 0 per hour
unless a case says otherwise. The optimisers work on the covariance scaled by 1e4 (returns in
percent), which leaves the weights unchanged and keeps SLSQP's tolerances meaningful.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import minimize, root

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent
FIXTURES = HERE.parent / "test" / "fixtures"
ASSETS = ["DASHBTC", "LTCBTC", "XLMBTC", "ZECBTC"]
HOUR_MS = 3_600_000


def hourly_returns():
    closes = {}
    for asset in ASSETS:
        frame = pd.read_csv(ROOT / "examples" / "data" / f"{asset}-5m.csv")
        frame["hour"] = frame["open_time"] // HOUR_MS * HOUR_MS
        closes[asset] = frame.groupby("hour")["close"].last()
    table = pd.DataFrame(closes).dropna()
    returns = table / table.shift(1) - 1
    return returns.iloc[1:]


def sample_cov(r):
    return np.cov(r, rowvar=False, ddof=1)


def ewma_cov(frame, lam):
    cov = frame.ewm(alpha=1 - lam, adjust=True).cov(bias=True)
    last = cov.index.get_level_values(0)[-1]
    return cov.loc[last].to_numpy()


def ledoit_wolf(r):
    """Ledoit and Wolf (2004), 'A well-conditioned estimator for large-dimensional covariance
    matrices': shrinks the biased sample covariance towards mu * I, mu = trace(S) / p."""
    t, p = r.shape
    x = r - r.mean(axis=0)
    s = x.T @ x / t
    mu = np.trace(s) / p
    f = mu * np.eye(p)
    d2 = np.sum((s - f) ** 2) / p
    b2_bar = sum(np.sum((np.outer(row, row) - s) ** 2) for row in x) / p / t**2
    b2 = min(b2_bar, d2)
    shrinkage = b2 / d2
    return shrinkage * f + (1 - shrinkage) * s, shrinkage


def solve(objective, n, constraints, bounds, x0=None):
    x0 = np.full(n, 1.0 / n) if x0 is None else x0
    result = minimize(
        objective,
        x0,
        method="SLSQP",
        bounds=bounds,
        constraints=constraints,
        options={"ftol": 1e-16, "maxiter": 10_000},
    )
    assert result.success, result.message
    return result.x


def main():
    frame = hourly_returns()
    out = FIXTURES / "btc-quoted-1h-returns.csv"
    with out.open("w") as handle:
        handle.write("time," + ",".join(ASSETS) + "\n")
        for time, row in frame.iterrows():
            handle.write(str(int(time)) + "," + ",".join(repr(float(v)) for v in row) + "\n")
    # Read back what was written, so the references use exactly the numbers the tests read.
    frame = pd.read_csv(out, index_col=0)
    r = frame.to_numpy()
    n = r.shape[1]
    mu = r.mean(axis=0)
    cov = sample_cov(r)
    scaled = cov * 1e4
    mu_scaled = mu * 1e2
    budget = {"type": "eq", "fun": lambda w: np.sum(w) - 1, "jac": lambda w: np.ones(n)}

    def variance(w):
        return w @ scaled @ w

    def variance_jac(w):
        return 2 * scaled @ w

    cases = []

    def add(name, kind, weights, options):
        w = np.asarray(weights)
        cases.append(
            {
                "name": name,
                "kind": kind,
                "options": options,
                "weights": w.tolist(),
                "variance": float(w @ cov @ w),
                "expectedReturn": float(mu @ w),
            }
        )

    long_only = [(0.0, None)] * n
    w = solve(lambda w: variance(w), n, [budget], long_only)
    add("minimum variance, long-only", "minimumVariance", w, {})
    w = solve(lambda w: variance(w), n, [budget], [(None, None)] * n)
    add("minimum variance, long-short", "minimumVariance", w, {"longOnly": False})
    capped = [(0.05, 0.3)] * n
    w = solve(lambda w: variance(w), n, [budget], capped)
    add("minimum variance, bounds 0.05..0.3", "minimumVariance", w, {"lower": 0.05, "upper": 0.3})

    def neg_sharpe(w, rf=0.0):
        return -(mu_scaled @ w - rf) / np.sqrt(variance(w))

    w = solve(neg_sharpe, n, [budget], long_only)
    add("maximum Sharpe, long-only", "maximumSharpe", w, {})
    w = solve(neg_sharpe, n, [budget], [(0.0, 0.5)] * n)
    add("maximum Sharpe, upper 0.5", "maximumSharpe", w, {"upper": 0.5})
    rf = -0.0004
    w = solve(lambda w: neg_sharpe(w, rf * 1e2), n, [budget], long_only)
    add("maximum Sharpe, risk-free rate -0.0004", "maximumSharpe", w, {"riskFreeRate": rf})
    w = solve(lambda w: neg_sharpe(w, rf * 1e2), n, [budget], [(0.1, 0.6)] * n)
    add("maximum Sharpe, rf -0.0004, bounds 0.1..0.6", "maximumSharpe", w,
        {"riskFreeRate": rf, "lower": 0.1, "upper": 0.6})

    target = float(np.quantile(mu, 0.6))
    hit = {"type": "eq", "fun": lambda w: mu_scaled @ w - target * 1e2}
    w = solve(lambda w: variance(w), n, [budget, hit], long_only)
    add("target return, long-only", "targetReturn", w, {"target": target})

    # Equal risk contribution: w_i (S w)_i equal for all i, long-only, sum 1. The positive root
    # y of S y = b / y (Spinu 2013) scaled to sum 1 is the unique such portfolio.
    # Solved over z = log(y), so the root found is the positive one.
    def erc(budgets):
        sol = root(lambda z: scaled @ np.exp(z) - budgets / np.exp(z), np.zeros(n), tol=1e-14)
        y = np.exp(sol.x)
        assert np.max(np.abs(scaled @ y - budgets / y)) < 1e-12, sol.message
        return y / y.sum()

    add("equal risk contribution", "riskParity", erc(np.full(n, 1.0 / n)), {})
    skew = np.array([0.4, 0.3, 0.2, 0.1])
    add("risk budgets 0.4/0.3/0.2/0.1", "riskParity", erc(skew), {"budgets": skew.tolist()})

    vol = np.sqrt(np.diag(cov))
    add("inverse volatility", "inverseVolatility", (1 / vol) / np.sum(1 / vol), {})

    lw, shrinkage = ledoit_wolf(r)
    reference = {
        "source": "btc-quoted-1h-returns.csv",
        "assets": ASSETS,
        "observations": int(r.shape[0]),
        "expectedReturns": mu.tolist(),
        "covariance": {
            "sample": cov.tolist(),
            "ewma": {"lambda": 0.94, "matrix": ewma_cov(frame, 0.94).tolist()},
            "ledoitWolf": {"shrinkage": float(shrinkage), "matrix": lw.tolist()},
        },
        "cases": cases,
    }
    (FIXTURES / "construction-reference.json").write_text(json.dumps(reference, indent=2) + "\n")


if __name__ == "__main__":
    main()
