#!/usr/bin/python3
"""Writes test/fixtures/analytics-reference.json: the reference values the @qtp/portfolio
analytics tests compare against, computed independently with pandas and numpy.

Usage (Debian's python3, which has python3-pandas and python3-numpy; a pyenv python3 on the PATH
may lack them):

    /usr/bin/python3 packages/portfolio/scripts/make-analytics-reference.py

Each case builds an equity curve from the closes of a real kline file: a position worth 10 000
quote units at the first close, held throughout, so value[i] = close[i] * (10000 / close[0]).
The TypeScript tests build the same curve with the same two floating-point operations. A trade
list is derived deterministically from the same closes (see make_trades) and written into the
fixture, so both sides read identical trades.

The conventions are those stated in the package README: simple returns per bar; periods per year
from the median bar interval (365 days for crypto; 252 sessions of 6.5 hours for a stock market,
for bars of a day or shorter; 365 calendar days / interval for longer bars); Sharpe and Sortino
on excess returns over the per-period risk-free rate (1 + rf) ** (1 / periods per year) - 1,
sample standard deviation (n - 1), downside deviation sqrt(mean(min(r - target, 0) ** 2)) over all
periods with the target equal to the per-period risk-free rate, both times sqrt(periods per year);
CAGR over the year the periods use: on the calendar basis (the crypto default) elapsed time over
365-day years, or the yearLengthDays a case gives; on the periods basis (the stock default) the
number of returns over periods per year; drawdowns as positive fractions of the running peak, with
durations in milliseconds and in periods (observations after the peak up to the recovery, or to
the last observation); UTC calendar periods that hold at least one observation.
"""

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "test" / "fixtures"
DAY_MS = 86_400_000
INITIAL_EQUITY = 10_000.0
# 2000-01-03T00:00:00Z, a Monday: where the weekday-daily case starts.
WEEKDAY_START = "2000-01-03"


def load_closes(file_name):
    # round_trip parses each decimal string to the nearest double, as JavaScript's Number() does.
    frame = pd.read_csv(FIXTURES / file_name, float_precision="round_trip")
    return frame["open_time"].to_numpy(np.int64), frame["close"].to_numpy(np.float64)


def weekday_times(count):
    index = pd.bdate_range(WEEKDAY_START, periods=count, tz="UTC")
    return (index.asi8 // 1_000_000).astype(np.int64)


def make_trades(times, values):
    """Trade k opens at bar 5 + 20k and is held 3 + (7k mod 31) bars (capped at the last bar), so
    some trades overlap; its P&L is the change in the curve's value over the holding."""
    trades = []
    k = 0
    while 5 + 20 * k < len(values) - 1:
        entry = 5 + 20 * k
        exit_ = min(entry + 3 + (7 * k) % 31, len(values) - 1)
        trades.append(
            {
                "entryTime": int(times[entry]),
                "exitTime": int(times[exit_]),
                "pnl": float(values[exit_] - values[entry]),
            }
        )
        k += 1
    return trades


def periods_per_year(times, market):
    interval = float(np.median(np.diff(times)))
    if market == "stock" and interval <= DAY_MS:
        return 252.0 * max(1.0, 23_400_000 / interval)
    return 365.0 * DAY_MS / interval


def period_table(series, rule):
    last = series.resample(rule).last().dropna()
    base = last.shift(1)
    base.iloc[0] = series.iloc[0]
    returns = last / base - 1
    return [
        {"start": int(stamp.value // 1_000_000), "return": float(value)}
        for stamp, value in returns.items()
    ]


def drawdown_periods(times, drawdowns):
    under = drawdowns > 0
    run_id = np.cumsum(~under)
    periods = []
    for run in np.unique(run_id[under]):
        positions = np.flatnonzero(under & (run_id == run))
        first, last = positions[0], positions[-1]
        trough = first + int(np.argmax(drawdowns[first : last + 1]))
        recovery = last + 1 if last + 1 < len(times) else None
        end_time = times[recovery] if recovery is not None else times[-1]
        end_index = recovery if recovery is not None else len(times) - 1
        periods.append(
            {
                "peakTime": int(times[first - 1]),
                "troughTime": int(times[trough]),
                "recoveryTime": None if recovery is None else int(times[recovery]),
                "depth": float(drawdowns[trough]),
                "durationMs": int(end_time - times[first - 1]),
                "durationPeriods": int(end_index - (first - 1)),
            }
        )
    return periods


def trade_statistics(trades):
    pnl = pd.Series([trade["pnl"] for trade in trades], dtype=np.float64)
    wins, losses = pnl[pnl > 0], pnl[pnl < 0]
    maybe = lambda condition, value: float(value) if condition else None  # noqa: E731
    return {
        "numberOfTrades": int(len(pnl)),
        "winningTrades": int(len(wins)),
        "losingTrades": int(len(losses)),
        "winRate": maybe(len(pnl) > 0, len(wins) / max(len(pnl), 1)),
        "grossProfit": float(wins.sum()),
        "grossLoss": float(-losses.sum()) + 0.0,  # + 0.0 turns -0.0 into 0.0
        "profitFactor": maybe(len(losses) > 0, wins.sum() / -losses.sum() if len(losses) else 0),
        "expectancy": maybe(len(pnl) > 0, pnl.mean()),
        "averageWin": maybe(len(wins) > 0, wins.mean()),
        "averageLoss": maybe(len(losses) > 0, losses.mean()),
        "largestWin": maybe(len(wins) > 0, wins.max()),
        "largestLoss": maybe(len(losses) > 0, losses.min()),
    }


def exposure(times, trades):
    # Trades open and close on bar times, so the exposed time is the sum of the bar intervals
    # that lie inside at least one trade: a different route from merging intervals.
    covered = np.zeros(len(times) - 1, dtype=bool)
    for trade in trades:
        covered |= (times[:-1] >= trade["entryTime"]) & (times[1:] <= trade["exitTime"])
    return float(np.diff(times)[covered].sum() / (times[-1] - times[0]))


def reference(times, values, market, risk_free_rate, year_length_days, trades, with_series):
    index = pd.to_datetime(times, unit="ms", utc=True)
    equity = pd.Series(values, index=index)
    returns = equity.pct_change().iloc[1:]
    ppy = periods_per_year(times, market)
    rf = (1 + risk_free_rate) ** (1 / ppy) - 1
    excess = returns - rf
    std = returns.std(ddof=1)
    downside = math.sqrt(np.mean(np.minimum(returns.to_numpy() - rf, 0.0) ** 2))
    if market == "stock":
        year_basis, year_length = "periods", None
        years = len(returns) / ppy
    else:
        year_basis, year_length = "calendar", year_length_days
        years = (times[-1] - times[0]) / (year_length_days * DAY_MS)
    cagr = (values[-1] / values[0]) ** (1 / years) - 1
    drawdowns = (1 - equity / equity.cummax()).to_numpy()
    max_drawdown = float(drawdowns.max())
    periods = drawdown_periods(times, drawdowns)
    bar_start = pd.Series(times[:-1], index=returns.index)
    best, worst = returns.idxmax(), returns.idxmin()
    expected = {
        "start": int(times[0]),
        "end": int(times[-1]),
        "numberOfReturns": int(len(returns)),
        "periodsPerYear": ppy,
        "yearBasis": year_basis,
        "yearLengthDays": year_length,
        "totalReturn": float(values[-1] / values[0] - 1),
        "cagr": float(cagr),
        "annualizedVolatility": float(std * math.sqrt(ppy)),
        "sharpeRatio": float(excess.mean() / std * math.sqrt(ppy)),
        "sortinoRatio": float(excess.mean() / downside * math.sqrt(ppy)),
        "calmarRatio": float(cagr / max_drawdown),
        "maxDrawdown": max_drawdown,
        "maxDrawdownPeriod": max(periods, key=lambda period: period["depth"]),
        "longestDrawdownMs": max(period["durationMs"] for period in periods),
        "longestDrawdownPeriods": max(period["durationPeriods"] for period in periods),
        "drawdownPeriodCount": len(periods),
        "bestPeriod": {"start": int(bar_start[best]), "return": float(returns[best])},
        "worstPeriod": {"start": int(bar_start[worst]), "return": float(returns[worst])},
        "monthly": period_table(equity, "MS"),
        "yearly": period_table(equity, "AS"),
        "trades": trade_statistics(trades),
        "exposureTime": exposure(times, trades),
    }
    if with_series:
        expected["daily"] = period_table(equity, "D")
        expected["drawdowns"] = [float(x) for x in drawdowns]
    return expected


CASES = [
    {
        "name": "XRPETH 5-minute bars on the crypto calendar",
        "file": "XRPETH-5m.csv",
        "timing": "kline",
        "options": {},
        "withTrades": True,
        "withSeries": True,
    },
    {
        "name": "LTCBTC 5-minute bars on the crypto calendar with a 3 % risk-free rate",
        "file": "LTCBTC-5m.csv",
        "timing": "kline",
        "options": {"riskFreeRate": 0.03},
        "withTrades": True,
        "withSeries": True,
    },
    {
        "name": "LTCBTC closes as weekday daily bars on the stock calendar, without trades",
        "file": "LTCBTC-5m.csv",
        "timing": "weekdays",
        "options": {"market": "stock", "riskFreeRate": 0.03},
        "withTrades": False,
        "withSeries": False,
    },
    {
        "name": "XRPETH 5-minute bars on the crypto calendar with 365.25-day years",
        "file": "XRPETH-5m.csv",
        "timing": "kline",
        "options": {"yearLengthDays": 365.25},
        "withTrades": False,
        "withSeries": False,
    },
]


def main():
    cases = []
    for case in CASES:
        times, closes = load_closes(case["file"])
        if case["timing"] == "weekdays":
            times = weekday_times(len(closes))
        values = closes * (INITIAL_EQUITY / closes[0])
        trades = make_trades(times, values) if case["withTrades"] else []
        options = case["options"]
        expected = reference(
            times,
            values,
            options.get("market", "crypto"),
            options.get("riskFreeRate", 0.0),
            options.get("yearLengthDays", 365.0),
            trades,
            case["withSeries"],
        )
        cases.append(
            {
                "name": case["name"],
                "file": case["file"],
                "timing": case["timing"],
                "options": options,
                "trades": trades,
                "expected": expected,
            }
        )
    document = {
        "generator": "packages/portfolio/scripts/make-analytics-reference.py",
        "initialEquity": INITIAL_EQUITY,
        "weekdayStart": WEEKDAY_START,
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "cases": cases,
    }
    out = FIXTURES / "analytics-reference.json"
    out.write_text(json.dumps(document, indent=1, allow_nan=False) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
