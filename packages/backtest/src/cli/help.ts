import type { Command } from './args.js';

const COMMON = `Data and strategy:
  --data [SYMBOL=|BASE/QUOTE=]FILE  a CSV of bars (open_time,open,high,low,close,volume);
                           repeat for several instruments. The symbol comes from the file
                           name (XRPETH-5m.csv is XRP/ETH) unless given
  --strategy NAME|PATH     a registry strategy (sma-crossover, bollinger-reversion,
                           donchian-breakout, rsi-reversal) or a module exporting a Strategy
                           subclass (./my-strategy.js, ./my-strategy.ts#MyStrategy)
  --param NAME=VALUE       a strategy parameter; repeat. Numbers and booleans are typed unless
                           the strategy wants a string (quantity=100 stays "100"). Registry
                           strategies get instrumentId = the first data file's instrument
  --interval INTERVAL      the bar interval, such as 5m (default: inferred from the file)

Simulation:
  --balance ASSET=AMOUNT   a starting balance; repeat (default 10000 of the first quote asset)
  --fee RATE               maker and taker fee rate (default 0.001, that is 0.1 %)
  --tick DECIMAL           the price increment (default 0.00000001)
  --lot DECIMAL            the quantity increment (default 0.00000001)
  --venue NAME             the venue of the instruments (default BINANCE)
  --volume-cap SHARE       the largest share of a bar's volume to fill, or none (default 1)
  --seed N                 the seed of random draws and order ids (default 0)

Output:
  --json FILE              write the full result as JSON
  --report FILE            write the HTML tearsheet
  -h, --help               show this help`;

const PARALLEL = `  --grid NAME=V1,V2,...     values to try for a parameter; repeat for more parameters
  --objective NAME         rank by sharpe (default), sortino, calmar, totalReturn or cagr
  --workers N              worker threads (default: one per core)`;

const TEXTS: Record<Command | 'main', string> = {
  main: `qtp: backtests, parameter sweeps and walk-forward analysis with QTP

Usage:
  qtp backtest --data FILE --strategy NAME|PATH [--param NAME=VALUE ...] [options]
  qtp sweep --data FILE --strategy NAME|PATH --grid NAME=V1,V2 [--grid ...] [options]
  qtp walk-forward --data FILE --strategy NAME|PATH --grid ... --train BARS --test BARS [options]
  qtp binance-server --symbol SYMBOL --base ASSET --quote ASSET [--data FILE ...] [options]

Run qtp COMMAND --help for the options of a command.

Exit codes: 0 done, 1 the run failed (the error's code is printed), 2 bad arguments.`,
  backtest: `Usage: qtp backtest --data FILE --strategy NAME|PATH [--param NAME=VALUE ...] [options]

Runs one backtest and prints its metrics and assumptions.

${COMMON}

Example:
  qtp backtest --data examples/data/XRPETH-5m.csv --strategy sma-crossover \\
    --param fastPeriod=10 --param slowPeriod=30 --param quantity=100 --balance ETH=1 \\
    --report reports/sma.html`,
  sweep: `Usage: qtp sweep --data FILE --strategy NAME|PATH --grid NAME=V1,V2 [--grid ...] [options]

Runs one backtest per combination of the grid's values, in parallel worker threads, and prints
them ranked by the objective. --report writes the best run's tearsheet.

${PARALLEL}
  --top N                  how many ranked runs to print (default 10)

${COMMON}

Example:
  qtp sweep --data examples/data/XRPETH-5m.csv --strategy sma-crossover --param quantity=100 \\
    --balance ETH=1 --grid fastPeriod=5,10,20 --grid slowPeriod=50,100`,
  'walk-forward': `Usage: qtp walk-forward --data FILE --strategy NAME|PATH --grid ... --train BARS --test BARS

For each window, sweeps the grid on the training bars, picks the best set by the objective and
runs it on the test bars that follow. Prints each window and the out-of-sample totals; --report
writes the tearsheet of the chained out-of-sample equity curve.

  --train BARS             bars in each training window
  --test BARS              bars in each test window
  --step BARS              bars between windows (default: --test; at least --test)
  --anchored               start every training window at the first bar
${PARALLEL}

${COMMON}

Example:
  qtp walk-forward --data examples/data/XRPETH-5m.csv --strategy sma-crossover \\
    --param quantity=100 --balance ETH=1 --grid fastPeriod=5,10 --grid slowPeriod=20,40 \\
    --train 300 --test 100`,
};

/** Returns the help of a command, or the overview. */
export function helpText(command?: Command): string {
  return TEXTS[command ?? 'main'];
}
