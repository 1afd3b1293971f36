/**
 * The pre-trade check of `RiskEngine` with 20 limits configured (nine on the account, six on the
 * strategy, five on the instrument), three open orders and a position, against a plain
 * hand-written loop doing the same twenty comparisons on numbers prepared in advance (the
 * practical limit). Every order passes, so every limit is evaluated. Target: at most 1 µs per
 * check.
 */
import {
  createFill,
  createMoney,
  createOrderRequest,
  Instrument,
  instrumentId,
  Order,
  type PreTradeContext,
  toClientOrderId,
} from '@qtp/core';
import { RiskEngine } from '@qtp/risk';
import { bench, do_not_optimize, group, summary } from 'mitata';

const btc = new Instrument({
  id: instrumentId('BTCUSDT', 'BINANCE'),
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
});

const risk = new RiskEngine({
  initialEquity: 1_000_000,
  config: {
    account: {
      maxOrderQuantity: 10,
      maxOrderNotional: 500_000,
      maxPosition: 50,
      maxGrossExposure: 2_000_000,
      maxNetExposure: 2_000_000,
      priceBand: 0.05,
      maxOrdersPerSecond: 100,
      maxOpenOrders: 100,
      maxLeverage: 3,
    },
    strategies: {
      sma: {
        maxOrderQuantity: 5,
        maxOrderNotional: 250_000,
        maxPosition: 20,
        maxGrossExposure: 1_000_000,
        maxOpenOrders: 50,
        maxOrdersPerSecond: 50,
      },
    },
    instruments: {
      [btc.id]: {
        maxOrderQuantity: 8,
        maxOrderNotional: 400_000,
        maxPosition: 30,
        priceBand: 0.1,
        maxOpenOrders: 80,
      },
    },
  },
});
risk.onMark(btc.id, 50_000, 0);
risk.onFill(
  createFill({
    tradeId: '1',
    clientOrderId: toClientOrderId('seed'),
    venueOrderId: '1',
    instrumentId: btc.id,
    side: 'BUY',
    price: '50000',
    quantity: '2',
    fee: createMoney('0', 'USDT'),
    liquiditySide: 'TAKER',
    timeMs: 0,
  }),
  ['strategy:sma'],
);

const openOrders = [1, 2, 3].map(
  (i) =>
    new Order({
      instrumentId: btc.id,
      side: i === 2 ? 'SELL' : 'BUY',
      type: 'LIMIT',
      quantity: '0.5',
      price: String(49_000 + i * 10),
      clientOrderId: toClientOrderId(`open-${i}`),
      tags: ['strategy:sma'],
      timeMs: 0,
    }),
);
const request = createOrderRequest({
  instrumentId: btc.id,
  side: 'BUY',
  type: 'LIMIT',
  quantity: '0.1',
  price: '50010',
  clientOrderId: toClientOrderId('bench'),
  tags: ['strategy:sma'],
});
// One second between checks, so the throttles are evaluated but never refuse.
const context: { -readonly [K in keyof PreTradeContext]: PreTradeContext[K] } = {
  instrument: btc,
  timeMs: 0,
  openOrders,
};

// The same twenty comparisons, on numbers a caller would have ready.
const limits = new Float64Array([
  10, 500_000, 50, 2_000_000, 2_000_000, 0.05, 100, 100, 3, 5, 250_000, 20, 1_000_000, 50, 50, 8,
  400_000, 30, 0.1, 80,
]);
const values = new Float64Array(20);
function plainCheck(quantity: number, price: number, mark: number, position: number): boolean {
  const notional = quantity * price;
  const band = Math.abs(price - mark) / mark;
  const worst = position + quantity + 1;
  const gross = worst * mark;
  values[0] = quantity;
  values[1] = notional;
  values[2] = worst;
  values[3] = gross;
  values[4] = gross;
  values[5] = band;
  values[6] = 1;
  values[7] = 4;
  values[8] = gross / 1_000_000;
  values[9] = quantity;
  values[10] = notional;
  values[11] = worst;
  values[12] = gross;
  values[13] = 4;
  values[14] = 1;
  values[15] = quantity;
  values[16] = notional;
  values[17] = worst;
  values[18] = band;
  values[19] = 4;
  for (let i = 0; i < 20; i++) if (values[i]! > limits[i]!) return false;
  return true;
}

const contestants: Record<string, () => unknown> = {
  'QTP RiskEngine.check (20 limits)': () => {
    context.timeMs += 1_000;
    return risk.check(request, context);
  },
  'plain loop of 20 comparisons': () => plainCheck(0.1, 50_010, 50_000, 2),
};
for (const run of Object.values(contestants)) for (let i = 0; i < 50_000; i++) run();
const first = risk.check(request, context);
if (!first.approved) throw new Error(`the benchmark order must pass: ${JSON.stringify(first)}`);

group('risk gate: pre-trade check with 20 limits, 3 open orders', () => {
  summary(() => {
    for (const [name, run] of Object.entries(contestants)) {
      bench(name, () => do_not_optimize(run())).baseline(name.startsWith('QTP'));
    }
  });
});
