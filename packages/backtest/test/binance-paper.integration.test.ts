import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type BacktestResult, runBacktest } from '@qtp/backtest';
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
import { describe, expect, it } from 'vitest';

// Paper trading on the live code path against a backtest of the same bars.
//
// Assumptions matched between the two runs:
// - fill price: after bar t closes, the local server's book moves to bar t+1's open before the
//   strategy's market order reaches it, so the order fills at that open as in the backtest's bar
//   fill model (signal on t's close, fill at t+1's open);
// - spread: the server's synthetic book is two ticks wide around the price, so a market buy
//   pays one tick above the open and a sell gets one tick below; the backtest gets one tick of
//   slippage against the taker;
// - depth: each level of the book holds more than any order, so every order fills whole at the
//   best level; the backtest lifts the bar volume cap;
// - fees: the server charges a buy's fee in the asset bought, as Binance does; the backtest uses
//   the instrument's rates charged the same way;
// - the last bar: the paper run replays it only as the open the one before fills at, so an order
//   on the last close, which the backtest cannot fill, is not made at all (fills compared, not
//   orders).
// The paper fill's bar is the bar whose open the book stood at when the fill came; the
// backtest's is the fill's time, the open time of the bar it filled in.

// Real Binance 5-minute klines of XRP/ETH (see examples/data).
const CSV = fileURLToPath(new URL('../../../examples/data/XRPETH-5m.csv', import.meta.url));
const id = instrumentId('XRPETH', 'BINANCE');
const API_KEY = 'paperTestKey';
const SECRET = 'paperTestSecret';

// The file's rows as text: the open prices exactly as the exchange published them.
const rows = readFileSync(CSV, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(','));
const openByTime = new Map(rows.map((row) => [Number(row[0]), row[1]!]));
const bars: Bar[] = rows.map(([openTime, open, high, low, close, volume]) => ({
  instrumentId: id,
  interval: '5m',
  openTimeMs: Number(openTime),
  closeTimeMs: Number(openTime) + 300_000 - 1,
  open: Number(open),
  high: Number(high),
  low: Number(low),
  close: Number(close),
  volume: Number(volume),
}));

const xrpEth = (fee: string) =>
  new Instrument({
    id,
    baseAsset: 'XRP',
    quoteAsset: 'ETH',
    priceIncrement: '0.00000001',
    sizeIncrement: '1',
    minNotional: '0.01',
    makerFee: fee,
    takerFee: fee,
  });
const params = { instrumentId: id, fastPeriod: 10, slowPeriod: 30, quantity: '100' };

interface ComparedFill {
  readonly side: string;
  readonly quantity: string;
  readonly price: string;
  readonly barOpenMs: number;
}

interface PaperRun {
  readonly fills: ComparedFill[];
  readonly rejected: number;
  readonly balances: Record<string, string>;
  readonly orderRequests: number;
}

async function until(what: string, condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries++) {
    if (tries === 5_000) throw new TimeoutError(`gave up waiting for ${what}`, tries);
    await sleep(1);
  }
}

async function paperRun(instrument: Instrument, data: readonly Bar[]): Promise<PaperRun> {
  const server = new BinanceServer({
    symbols: [
      {
        instrument,
        price: String(data[0]!.open),
        spreadTicks: 2,
        levelQuantity: '1000000',
        levels: 5,
      },
    ],
    accounts: [{ apiKey: API_KEY, secret: SECRET, balances: { ETH: '10' } }],
  });
  await server.start();
  const exchange = new BinanceExchange({
    restUrl: server.restUrl,
    streamUrl: server.streamUrl,
    wsApiUrl: server.wsApiUrl,
    credentials: { kind: 'hmac', apiKey: API_KEY, secret: SECRET },
  });
  const engine = new TradingEngine({
    exchanges: [exchange],
    instruments: [instrument],
    strategies: [
      createStrategy(createStrategyRegistry(), 'sma-crossover', { id: 'sma-crossover', params }),
    ],
    subscriptions: [{ kind: 'bars', instrumentId: id, interval: '5m' }],
    idGenerator: new SeededIdGenerator({ seed: 0, prefix: 'paper' }),
  });
  let barsHeard = 0;
  engine.bus.subscribe('market.bar', () => {
    barsHeard++;
  });
  const fills: ComparedFill[] = [];
  let barOpenMs = data[0]!.openTimeMs;
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
    for (let i = 0; i + 1 < data.length; i++) {
      await replayMarketData(server, [data[i]!]);
      const next = data[i + 1]!;
      barOpenMs = next.openTimeMs;
      server.setPrice('XRPETH', new Decimal(String(next.open)));
      await until(`bar ${i} to reach the engine`, () => barsHeard === i + 1);
      await engine.orderManager.flush();
      await until(`the orders after bar ${i} to settle`, settled);
    }
    const balances: Record<string, string> = {};
    for (const balance of await exchange.fetchBalances()) {
      balances[balance.asset] = formatDecimal(balance.free.plus(balance.locked));
    }
    return {
      fills,
      rejected: engine.orderManager.orders().filter((order) => order.status === 'REJECTED').length,
      balances,
      orderRequests: server.orderLog().length,
    };
  } finally {
    await engine.stop();
    await server.stop();
  }
}

// One tick against the taker: half of the server's two-tick spread.
const oneTick: SlippageModel = {
  kind: 'one-tick',
  parameters: { ticks: 1 },
  description: 'slippage: one tick against the taker',
  slippage: ({ instrument }) => instrument.priceIncrement,
};

function backtestRun(instrument: Instrument, data: readonly Bar[]): Promise<BacktestResult> {
  return runBacktest({
    instruments: [instrument],
    data,
    strategy: { name: 'sma-crossover', params },
    balances: { ETH: '10' },
    fillModel: barFillModel({ volumeCap: Number.POSITIVE_INFINITY }),
    feeModel: instrumentFees({ chargeIn: 'received' }),
    slippage: oneTick,
  });
}

const comparable = (result: BacktestResult): ComparedFill[] =>
  result.fills.map((fill) => ({
    side: fill.side,
    quantity: fill.quantity,
    price: fill.price,
    barOpenMs: fill.timeMs,
  }));

describe('paper trading through BinanceExchange on the local Binance server', () => {
  it('makes the fills of a backtest of the same bars, each at the next open one tick against it', async () => {
    const instrument = xrpEth('0');
    const data = bars.slice(0, 400);
    const paper = await paperRun(instrument, data);
    const backtest = await backtestRun(instrument, data);

    expect(paper.fills).toEqual(comparable(backtest));
    // Several round trips, long only: BUY 100 then SELL 100, over and over.
    expect(paper.fills.length).toBeGreaterThanOrEqual(10);
    paper.fills.forEach((fill, index) => {
      expect(fill.side).toBe(index % 2 === 0 ? 'BUY' : 'SELL');
      expect(fill.quantity).toBe('100');
    });
    // Each price is the file's own open of the fill's bar, one tick up for a buy, down for a sell.
    const tick = new Decimal('0.00000001');
    for (const fill of paper.fills) {
      const open = new Decimal(openByTime.get(fill.barOpenMs)!);
      const expected = fill.side === 'BUY' ? open.plus(tick) : open.minus(tick);
      expect(new Decimal(fill.price).eq(expected)).toBe(true);
    }
    // The server's account ends where the backtest's does, to the last digit.
    const backtestBalances = Object.fromEntries(
      backtest.balances.map((balance) => [balance.asset, balance.total]),
    );
    expect(paper.balances).toEqual(backtestBalances);
    // One order request per fill: nothing lost, nothing sent twice.
    expect(paper.orderRequests).toBe(paper.fills.length);
  }, 60_000);

  it('with fees in the asset bought, sells what the buys left and agrees with the backtest', async () => {
    // A buy of 100 XRP at 0.1 % delivers 99.9 XRP, so the position is 99.9 and the exit sells
    // the 99 the 1 XRP step allows, never more than is held. Both venues fill every order.
    const instrument = xrpEth('0.001');
    const data = bars.slice(0, 200);
    const paper = await paperRun(instrument, data);
    const backtest = await backtestRun(instrument, data);

    expect(paper.fills).toEqual(comparable(backtest));
    expect(paper.fills.map((fill) => `${fill.side} ${fill.quantity}`).slice(0, 2)).toEqual([
      'BUY 100',
      'SELL 99',
    ]);
    expect(backtest.orders.filter((order) => order.status === 'REJECTED')).toHaveLength(0);
    expect(paper.rejected).toBe(0);
    // The server keeps Binance's 8 decimals of ETH, so a sell's proceeds lose the fee's 9th to
    // 11th digits there; the simulator books them exactly. Cut at 8 decimals, the two agree.
    const backtestTotal = (asset: string) =>
      backtest.balances.find((balance) => balance.asset === asset)!.total;
    expect(paper.balances.XRP).toBe(backtestTotal('XRP'));
    expect(paper.balances.ETH).toBe(
      formatDecimal(new Decimal(backtestTotal('ETH')).toDecimalPlaces(8, Decimal.ROUND_DOWN)),
    );
    // What the account holds is what the position says.
    const position = backtest.positions.find((row) => row.instrumentId === id);
    expect(paper.balances.XRP ?? '0').toBe(position?.quantity ?? '0');
  }, 60_000);
});
