// Paper trading through the live code path: the registry's SMA crossover runs on TradingEngine
// with BinanceExchange, which speaks Binance's wire protocol (signed REST, the WebSocket API,
// market streams) to the local Binance server replaying real XRP/ETH five-minute bars. Then the
// same bars go through runBacktest, and the two lists of fills are printed side by side.
//
// Matched assumptions: after bar t closes the server's book moves to bar t+1's open before the
// strategy's market order arrives, so the order fills there, as the backtest fills at the next
// open; the book is 2 ticks wide around the price, so a buy pays one tick above it and a sell
// one tick below, which the backtest models as one tick of slippage; the book is deep enough to
// fill every order at its best level, as the backtest lifts the bar volume cap; no fees. With a
// fee the fills still agree (the server charges a buy's fee in the asset bought, as Binance does,
// and the position is what that leaves), but the server keeps Binance's 8 decimals of a balance
// where the backtest books the exact fee; a zero rate keeps the two balances equal to the digit.

import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { readCsvBars, runBacktest } from '@qtp/backtest';
import {
  type Bar,
  Decimal,
  formatDecimal,
  Instrument,
  instrumentId,
  SeededIdGenerator,
  TimeoutError,
} from '@qtp/core';
import { TradingEngine } from '@qtp/engine';
import { barFillModel, instrumentFees, type SlippageModel } from '@qtp/exchange';
import { BinanceExchange } from '@qtp/exchange/binance';
import { BinanceServer, replayMarketData } from '@qtp/exchange/binance-server';
import { createStrategy, createStrategyRegistry } from '@qtp/strategy';

const BARS = 400;
const API_KEY = 'paperTradingKey';
const SECRET = 'paperTradingSecret';
const START_ETH = '10';

const id = instrumentId('XRPETH', 'BINANCE');
const xrpEth = new Instrument({
  id,
  baseAsset: 'XRP',
  quoteAsset: 'ETH',
  priceIncrement: '0.00000001',
  sizeIncrement: '1',
  minNotional: '0.01',
  makerFee: '0',
  takerFee: '0',
});
const params = { instrumentId: id, fastPeriod: 10, slowPeriod: 30, quantity: '100' };

const file = fileURLToPath(new URL('../data/XRPETH-5m.csv', import.meta.url));
const bars: Bar[] = [];
for await (const bar of readCsvBars(file, { instrumentId: id, interval: '5m' })) {
  if (bars.length === BARS) break;
  bars.push(bar);
}

interface PrintedFill {
  readonly side: string;
  readonly quantity: string;
  readonly price: string;
  readonly barOpenMs: number;
}

// Waits for a condition the event loop makes true: at most 5,000 polls, each 1 ms or more apart.
async function until(what: string, condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries++) {
    if (tries === 5_000) throw new TimeoutError(`gave up waiting for ${what}`, tries);
    await sleep(1);
  }
}

async function paperRun(): Promise<PrintedFill[]> {
  const server = new BinanceServer({
    symbols: [
      {
        instrument: xrpEth,
        price: String(bars[0]!.open),
        spreadTicks: 2,
        levelQuantity: '1000000',
        levels: 5,
      },
    ],
    accounts: [{ apiKey: API_KEY, secret: SECRET, balances: { ETH: START_ETH } }],
  });
  await server.start();
  const exchange = new BinanceExchange({
    restUrl: server.restUrl,
    streamUrl: server.streamUrl,
    wsApiUrl: server.wsApiUrl,
    credentials: { kind: 'hmac', apiKey: API_KEY, secret: SECRET },
  });
  const strategy = createStrategy(createStrategyRegistry(), 'sma-crossover', {
    id: 'sma-crossover',
    params,
  });
  const engine = new TradingEngine({
    exchanges: [exchange],
    instruments: [xrpEth],
    strategies: [strategy],
    subscriptions: [{ kind: 'bars', instrumentId: id, interval: '5m' }],
    idGenerator: new SeededIdGenerator({ seed: 0, prefix: 'paper' }),
  });
  let barsHeard = 0;
  engine.bus.subscribe('market.bar', () => {
    barsHeard++;
  });
  const fills: PrintedFill[] = [];
  let barOpenMs = bars[0]!.openTimeMs;
  exchange.executions.on('fill', ({ fill }) => {
    fills.push({
      side: fill.side,
      quantity: formatDecimal(fill.quantity),
      price: formatDecimal(fill.price),
      barOpenMs,
    });
  });
  const settled = () =>
    engine.orderManager
      .orders()
      .every(
        (order) =>
          order.isTerminal &&
          (order.status !== 'FILLED' || order.filledQuantity.eq(order.quantity)),
      );
  try {
    await engine.start();
    // The last bar only opens the book for the one before it: an order on its close would have
    // no next open to fill at, in the backtest as here.
    for (let i = 0; i + 1 < bars.length; i++) {
      await replayMarketData(server, [bars[i]!]);
      const next = bars[i + 1]!;
      barOpenMs = next.openTimeMs;
      server.setPrice('XRPETH', new Decimal(String(next.open)));
      await until(`bar ${i} to reach the engine`, () => barsHeard === i + 1);
      await engine.orderManager.flush();
      await until(`the orders after bar ${i} to settle`, settled);
    }
  } finally {
    await engine.stop();
    await server.stop();
  }
  return fills;
}

// One tick against the taker: the half-spread of the server's two-tick synthetic book.
const oneTick: SlippageModel = {
  kind: 'one-tick',
  parameters: { ticks: 1 },
  description: 'slippage: one tick against the taker (half of a two-tick spread)',
  slippage: ({ instrument }) => instrument.priceIncrement,
};

async function backtestRun(): Promise<PrintedFill[]> {
  const result = await runBacktest({
    instruments: [xrpEth],
    data: bars,
    strategy: { name: 'sma-crossover', params },
    balances: { ETH: START_ETH },
    fillModel: barFillModel({ volumeCap: Number.POSITIVE_INFINITY }),
    feeModel: instrumentFees({ chargeIn: 'received' }),
    slippage: oneTick,
  });
  return result.fills.map((fill) => ({
    side: fill.side,
    quantity: fill.quantity,
    price: fill.price,
    barOpenMs: fill.timeMs,
  }));
}

const paper = await paperRun();
const backtest = await backtestRun();
const utc = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
console.log(
  `SMA crossover ${params.fastPeriod}/${params.slowPeriod} on ${id}, ${bars.length} five-minute bars, ` +
    'paper (BinanceExchange on the local Binance server) against backtest\n',
);
console.log('  bar (UTC)         side  quantity  paper price  backtest price');
const rows = Math.max(paper.length, backtest.length);
let same = 0;
for (let i = 0; i < rows; i++) {
  const p = paper[i];
  const b = backtest[i];
  const match =
    p !== undefined &&
    b !== undefined &&
    p.side === b.side &&
    p.quantity === b.quantity &&
    p.price === b.price &&
    p.barOpenMs === b.barOpenMs;
  if (match) same++;
  const row = p ?? b!;
  console.log(
    `  ${utc(row.barOpenMs)}  ${row.side.padEnd(4)}  ${row.quantity.padStart(8)}  ` +
      `${(p?.price ?? '-').padStart(11)}  ${(b?.price ?? '-').padStart(14)}${match ? '' : '  differs'}`,
  );
}
console.log(`\n${same} of ${rows} fills the same in side, quantity, price and bar`);
if (same !== rows) process.exitCode = 1;
