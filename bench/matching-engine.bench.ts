/**
 * Matching orders against an L2 book: the QTP SimulatedExchange with the book fill model (exact
 * Decimal prices and balances, the core Order state machine, funds locking, fees, execution
 * events) against a plain hand-written loop doing the same matching with numbers and nothing
 * else (the practical limit). Both replay one seeded stream of random limit and market orders
 * against a book of 50 levels a side, refreshed by a snapshot every 100 orders, and are checked
 * to fill the same total quantity before anything is timed. No npm package does this job.
 *
 * A second group replays a seeded stream of trade ticks with an order placed every few trades
 * through the trade fill model, as it fills takers in full at the next trade and with
 * `takerVolume: 'traded'` (takers capped by each trade's size, consumed size shared), to show
 * what capping takers by traded volume costs per trade.
 */
import {
  type BookLevel,
  type BookSnapshot,
  createOrderRequest,
  Decimal,
  Instrument,
  instrumentId,
  type OrderRequest,
  SeededRandom,
  SimulatedClock,
  type TradeTick,
} from '@qtp/core';
import {
  bookFillModel,
  SimulatedExchange,
  type TradeFillModel,
  tradeFillModel,
} from '@qtp/exchange';
import { bench, do_not_optimize, group, summary } from 'mitata';

const ORDERS = 2_000;
const LEVELS = 50;
const SNAPSHOT_EVERY = 100;
const ID = instrumentId('BTCUSDT', 'BENCH');
const INSTRUMENT = new Instrument({
  id: ID,
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
  makerFee: '0.001',
  takerFee: '0.001',
});

interface StreamOrder {
  readonly side: 'BUY' | 'SELL';
  readonly market: boolean;
  readonly priceCents: number;
  readonly quantityMilli: number;
}

// A snapshot around 37 600.00 with sizes of 1 to 5 BTC; prices are the doubles "37600.01" parses to.
function snapshotAt(random: SeededRandom, sequence: number): BookSnapshot {
  const bids: BookLevel[] = [];
  const asks: BookLevel[] = [];
  for (let i = 0; i < LEVELS; i++) {
    bids.push({ price: (3_760_000 - i) / 100, size: (1_000 + random.nextInt(4_000)) / 1_000 });
    asks.push({ price: (3_760_001 + i) / 100, size: (1_000 + random.nextInt(4_000)) / 1_000 });
  }
  return { instrumentId: ID, sequence, bids, asks, timeMs: sequence };
}

function makeStream(seed: number) {
  const random = new SeededRandom(seed);
  const snapshots: BookSnapshot[] = [];
  const orders: StreamOrder[] = [];
  for (let i = 0; i < ORDERS; i++) {
    if (i % SNAPSHOT_EVERY === 0) snapshots.push(snapshotAt(random, i + 1));
    orders.push({
      side: random.next() < 0.5 ? 'BUY' : 'SELL',
      market: random.next() < 0.4,
      // Limits within 10 ticks either side of the touch: some take, most rest.
      priceCents: 3_760_000 + random.nextInt(21) - 10,
      quantityMilli: 100 + random.nextInt(1_900),
    });
  }
  const requests: OrderRequest[] = orders.map((order, i) =>
    createOrderRequest({
      instrumentId: ID,
      side: order.side,
      type: order.market ? 'MARKET' : 'LIMIT',
      quantity: new Decimal(order.quantityMilli).div(1_000),
      ...(order.market ? {} : { price: new Decimal(order.priceCents).div(100) }),
      clientOrderId: `b${i}`,
    }),
  );
  return { snapshots, orders, requests };
}

const stream = makeStream(42);

async function runQtp(): Promise<number> {
  const exchange = new SimulatedExchange({
    clock: new SimulatedClock(),
    instruments: [INSTRUMENT],
    balances: { USDT: '1000000000', BTC: '1000000' },
    fillModel: bookFillModel(),
  });
  let filled = 0;
  exchange.executions.on('fill', (event) => {
    filled += event.fill.quantity.toNumber();
  });
  for (let i = 0; i < ORDERS; i++) {
    if (i % SNAPSHOT_EVERY === 0) exchange.onBookSnapshot(stream.snapshots[i / SNAPSHOT_EVERY]!);
    await exchange.placeOrder(stream.requests[i]!);
  }
  return filled;
}

/*
 * The plain loop: integer cents and thousandths in number arrays, best level first; takers walk
 * the other side and mark what they took; resting limits keep the size shown ahead of them and
 * fill when a snapshot's other side crosses them. No validation, funds, fees, events or Decimal.
 */
interface PlainResting {
  seq: number;
  buy: boolean;
  price: number;
  left: number;
  ahead: number;
}

function runPlain(): number {
  const bidPrice: number[] = [];
  const bidLeft: number[] = [];
  const askPrice: number[] = [];
  const askLeft: number[] = [];
  let resting: PlainResting[] = [];
  let filled = 0;
  const load = (snapshot: BookSnapshot) => {
    bidPrice.length = bidLeft.length = askPrice.length = askLeft.length = 0;
    for (const level of snapshot.bids) {
      bidPrice.push(Math.round(level.price * 100));
      bidLeft.push(Math.round(level.size * 1_000));
    }
    for (const level of snapshot.asks) {
      askPrice.push(Math.round(level.price * 100));
      askLeft.push(Math.round(level.size * 1_000));
    }
    // Price-time priority, buys first, as the QTP engine fills crossed resting orders.
    resting.sort(
      (a, b) =>
        (a.buy === b.buy ? 0 : a.buy ? -1 : 1) ||
        (a.buy ? b.price - a.price : a.price - b.price) ||
        a.seq - b.seq,
    );
    const still: PlainResting[] = [];
    for (const order of resting) {
      const prices = order.buy ? askPrice : bidPrice;
      const left = order.buy ? askLeft : bidLeft;
      const own = order.buy ? bidPrice : askPrice;
      const ownIndex = own.indexOf(order.price);
      order.ahead = Math.min(
        order.ahead,
        ownIndex < 0 ? 0 : (order.buy ? bidLeft : askLeft)[ownIndex]!,
      );
      for (let j = 0; j < prices.length && order.left > 0; j++) {
        if (order.buy ? prices[j]! > order.price : prices[j]! < order.price) break;
        let size = left[j]!;
        const eaten = Math.min(order.ahead, size);
        order.ahead -= eaten;
        size -= eaten;
        const take = Math.min(order.left, size);
        order.left -= take;
        left[j] = size - take;
        filled += take;
      }
      if (order.left > 0) still.push(order);
    }
    resting = still;
  };
  for (let i = 0; i < ORDERS; i++) {
    if (i % SNAPSHOT_EVERY === 0) load(stream.snapshots[i / SNAPSHOT_EVERY]!);
    const order = stream.orders[i]!;
    const buy = order.side === 'BUY';
    const prices = buy ? askPrice : bidPrice;
    const left = buy ? askLeft : bidLeft;
    let remaining = order.quantityMilli;
    for (let j = 0; j < prices.length && remaining > 0; j++) {
      if (!order.market && (buy ? prices[j]! > order.priceCents : prices[j]! < order.priceCents))
        break;
      const take = Math.min(remaining, left[j]!);
      left[j] = left[j]! - take;
      remaining -= take;
      filled += take;
    }
    if (remaining > 0 && !order.market) {
      const own = buy ? bidPrice : askPrice;
      const index = own.indexOf(order.priceCents);
      const ahead = index < 0 ? 0 : (buy ? bidLeft : askLeft)[index]!;
      resting.push({ seq: i, buy, price: order.priceCents, left: remaining, ahead });
    }
  }
  return filled / 1_000;
}

const qtpFilled = await runQtp();
const plainFilled = runPlain();
if (Math.abs(qtpFilled - plainFilled) > 1e-6) {
  throw new Error(`the matchers disagree: QTP filled ${qtpFilled}, the plain loop ${plainFilled}`);
}

group(`matching engine: ${ORDERS} random limit and market orders against an L2 book`, () => {
  summary(() => {
    bench('QTP SimulatedExchange (book fill model)', async () => {
      do_not_optimize(await runQtp());
    });
    bench('plain loop on numbers', () => {
      do_not_optimize(runPlain());
    }).baseline(true);
  });
});

const TRADES = 10_000;
const ORDER_EVERY = 5;

// Trades around 37 600.00 in a random walk of whole cents, sizes of 0.001 to 2 BTC; an order
// (40% market, else a limit within 10 cents of the last trade) after every fifth trade.
function makeTradeStream(seed: number) {
  const random = new SeededRandom(seed);
  const trades: TradeTick[] = [];
  const orders: OrderRequest[] = [];
  let cents = 3_760_000;
  for (let i = 0; i < TRADES; i++) {
    cents += random.nextInt(5) - 2;
    trades.push({
      instrumentId: ID,
      price: cents / 100,
      size: (1 + random.nextInt(2_000)) / 1_000,
      aggressorSide: random.next() < 0.5 ? 'BUY' : 'SELL',
      tradeId: String(i + 1),
      timeMs: i + 1,
    });
    if (i % ORDER_EVERY === 0) {
      const market = random.next() < 0.4;
      orders.push(
        createOrderRequest({
          instrumentId: ID,
          side: random.next() < 0.5 ? 'BUY' : 'SELL',
          type: market ? 'MARKET' : 'LIMIT',
          quantity: new Decimal(100 + random.nextInt(1_900)).div(1_000),
          ...(market ? {} : { price: new Decimal(cents + random.nextInt(21) - 10).div(100) }),
          clientOrderId: `t${i}`,
        }),
      );
    }
  }
  return { trades, orders };
}

const tradeStream = makeTradeStream(7);

async function runTrades(model: TradeFillModel): Promise<number> {
  const exchange = new SimulatedExchange({
    clock: new SimulatedClock(),
    instruments: [INSTRUMENT],
    balances: { USDT: '1000000000', BTC: '1000000' },
    fillModel: model,
  });
  let filled = 0;
  exchange.executions.on('fill', (event) => {
    filled += event.fill.quantity.toNumber();
  });
  for (let i = 0; i < TRADES; i++) {
    exchange.onTradeTick(tradeStream.trades[i]!);
    if (i % ORDER_EVERY === 0) await exchange.placeOrder(tradeStream.orders[i / ORDER_EVERY]!);
  }
  return filled;
}

const fullModel = tradeFillModel();
const tradedModel = tradeFillModel({ takerVolume: 'traded' });
const fullFilled = await runTrades(fullModel);
const tradedFilled = await runTrades(tradedModel);
if (tradedFilled > fullFilled + 1e-6) {
  throw new Error(`capped takers filled more (${tradedFilled}) than uncapped ones (${fullFilled})`);
}
console.log(
  `trade fill model: ${fullFilled.toFixed(3)} BTC filled with full takers, ${tradedFilled.toFixed(3)} BTC with takerVolume 'traded'`,
);

group(`trade fill model: ${TRADES} trades, an order every ${ORDER_EVERY}`, () => {
  summary(() => {
    bench('tradeFillModel() (takers fill in full)', async () => {
      do_not_optimize(await runTrades(fullModel));
    }).baseline(true);
    bench("tradeFillModel({ takerVolume: 'traded' })", async () => {
      do_not_optimize(await runTrades(tradedModel));
    });
  });
});
