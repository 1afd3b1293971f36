#!/usr/bin/env python3
"""Writes test/measures/var-reference.json: VaR and expected shortfall computed with numpy,
scipy and pandas, for the @qtp/risk tests to compare against.

Input: the 5-minute closes of DASH, LTC, XLM and ZEC quoted in BTC, in examples/data
(copies of the project's shared Binance data). Returns are simple returns of the close,
close[t] / close[t-1] - 1, taken per asset over that asset's own bars, and, for the portfolio,
over the bars all four assets share (an inner join of the closes on open_time, then returns).

Conventions (the same as the TypeScript code, stated independently here):
- historical VaR: -quantile(returns, 1 - confidence), numpy's "linear" method (R type 7);
- parametric VaR: -(mean + sd * norm.ppf(1 - confidence)), sd with ddof=1;
- Cornish-Fisher VaR: the normal quantile adjusted with the moment skewness (scipy.stats.skew,
  bias=True) and moment excess kurtosis (scipy.stats.kurtosis, fisher=True, bias=True);
- historical ES: -mean(returns at or below the historical quantile);
- parametric ES: -mean + sd * norm.pdf(z) / (1 - confidence);
- horizon h scales every one-period figure by sqrt(h); a portfolio value multiplies it.

Run in the package folder, with numpy, scipy and pandas installed (Debian: python3-scipy,
python3-pandas): python3 scripts/var-reference.py
"""

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[2] / "examples" / "data"
OUTPUT = HERE.parent / "test" / "measures" / "var-reference.json"

ASSETS = ["DASH", "LTC", "XLM", "ZEC"]
CONFIDENCES = [0.9, 0.95, 0.975, 0.99]
WEIGHTS = {"DASH": 0.4, "LTC": 0.3, "XLM": 0.2, "ZEC": 0.1}
# Quantities held (short ZEC): exposures are quantity times the last shared close.
POSITIONS = {"DASH": 12.5, "LTC": -40.0, "XLM": 25000.0, "ZEC": -8.0}
NORMAL_QUANTILE_PROBABILITIES = [
    1e-300, 1e-100, 1e-20, 1e-10, 1e-6, 0.0001, 0.001, 0.01, 0.025, 0.05, 0.075, 0.1, 0.2,
    0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 0.95, 0.975, 0.99, 0.999, 0.999999,
    1 - 1e-12,
]


def closes(asset: str) -> pd.Series:
    frame = pd.read_csv(DATA / f"{asset}BTC-5m.csv")
    return frame.set_index("open_time")["close"].astype(float).rename(asset)


def cornish_fisher_quantile(z: float, skew: float, kurt: float) -> float:
    return (
        z
        + (z * z - 1) * skew / 6
        + (z**3 - 3 * z) * kurt / 24
        - (2 * z**3 - 5 * z) * skew * skew / 36
    )


def single_measures(returns: np.ndarray) -> dict:
    mean = float(np.mean(returns))
    sd = float(np.std(returns, ddof=1))
    skew = float(stats.skew(returns, bias=True))
    kurt = float(stats.kurtosis(returns, fisher=True, bias=True))
    rows = []
    for confidence in CONFIDENCES:
        alpha = 1 - confidence
        quantile = float(np.quantile(returns, alpha, method="linear"))
        z = float(stats.norm.ppf(alpha))
        rows.append(
            {
                "confidence": confidence,
                "historicalVaR": -quantile,
                "parametricVaR": -(mean + sd * z),
                "cornishFisherVaR": -(mean + sd * cornish_fisher_quantile(z, skew, kurt)),
                "historicalExpectedShortfall": -float(np.mean(returns[returns <= quantile])),
                "parametricExpectedShortfall": -mean + sd * float(stats.norm.pdf(z)) / alpha,
            }
        )
    return {"mean": mean, "standardDeviation": sd, "skewness": skew, "excessKurtosis": kurt,
            "measures": rows}


def portfolio_measures(returns: pd.DataFrame, exposures: np.ndarray) -> list:
    matrix = returns.to_numpy()
    means = matrix.mean(axis=0)
    covariance = np.cov(matrix, rowvar=False, ddof=1)
    pnl = matrix @ exposures
    mu = float(exposures @ means)
    sigma = math.sqrt(float(exposures @ covariance @ exposures))
    rows = []
    for confidence in CONFIDENCES:
        alpha = 1 - confidence
        z = float(stats.norm.ppf(alpha))
        # Marginal VaR: the derivative of -(w.mu + z sqrt(w' S w)) with respect to each exposure.
        marginal = -(means + z * (covariance @ exposures) / sigma)
        rows.append(
            {
                "confidence": confidence,
                "historicalVaR": -float(np.quantile(pnl, alpha, method="linear")),
                "parametricVaR": -(mu + z * sigma),
                "marginalVaR": marginal.tolist(),
                "componentVaR": (marginal * exposures).tolist(),
            }
        )
    return rows


def worst_window(joined: pd.DataFrame, values: np.ndarray, duration_ms: int) -> dict:
    """The rolling window of at most duration_ms whose P&L, for money values held in each asset
    and moved by the closes' ratio over the window, is the lowest. Only windows the data covers
    in full count: a start within duration_ms of the last time is not a whole window."""
    times = joined.index.to_numpy()
    prices = joined.to_numpy()
    ends = np.searchsorted(times, times + duration_ms, side="right") - 1
    starts = np.arange(len(times))
    keep = (ends > starts) & (times + duration_ms <= times[-1])
    starts, ends = starts[keep], ends[keep]
    moves = prices[ends] / prices[starts] - 1
    pnl = moves @ values
    worst = int(np.argmin(pnl))
    return {
        "durationMs": duration_ms,
        "startTime": int(times[starts[worst]]),
        "endTime": int(times[ends[worst]]),
        "pnl": float(pnl[worst]),
        "priceChanges": moves[worst].tolist(),
    }


def main() -> None:
    series = {asset: closes(asset) for asset in ASSETS}
    single = {}
    for asset, close in series.items():
        returns = (close / close.shift(1) - 1).dropna().to_numpy()
        single[asset] = single_measures(returns)

    joined = pd.concat(list(series.values()), axis=1, join="inner").sort_index()
    joined_returns = (joined / joined.shift(1) - 1).dropna()
    last = joined.iloc[-1]
    weights = np.array([WEIGHTS[a] for a in ASSETS])
    exposures = np.array([POSITIONS[a] * float(last[a]) for a in ASSETS])

    document = {
        "source": "DASHBTC, LTCBTC, XLMBTC, ZECBTC 5-minute closes (examples/data)",
        "returns": "simple",
        "assets": ASSETS,
        "single": single,
        "portfolio": {
            "sharedBars": int(len(joined)),
            "firstTime": int(joined.index[0]),
            "lastTime": int(joined.index[-1]),
            "lastCloses": [float(last[a]) for a in ASSETS],
            "weights": WEIGHTS,
            "positions": POSITIONS,
            "exposures": exposures.tolist(),
            "byWeights": portfolio_measures(joined_returns, weights),
            "byPositions": portfolio_measures(joined_returns, exposures),
        },
        # Stress replays: the positions above, valued at the last shared closes.
        "worstWindows": [
            worst_window(joined, exposures, 86_400_000),
            worst_window(joined, exposures, 7 * 86_400_000),
        ],
        "normalQuantile": [
            {"p": p, "z": float(stats.norm.ppf(p))} for p in NORMAL_QUANTILE_PROBABILITIES
        ],
    }
    OUTPUT.write_text(json.dumps(document, indent=2) + "\n")


if __name__ == "__main__":
    main()
