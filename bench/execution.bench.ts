/**
 * Child-order scheduling: 1,000 concurrent parent orders (TWAP and POV) each hear one trade
 * tick, against a plain loop doing the least the same schedule needs (a number target per
 * parent compared with what is done). The algorithms run against a context that only counts
 * the children they send, so the figure is the scheduling cost per tick, not the OMS's. Time per
 * iteration / 1,000 = the cost per parent per tick.
 */
import {
  type ClientOrderId,
  createTradeTickEvent,
  Instrument,
  instrumentId,
  type TradeTickEvent,
  toClientOrderId,
} from '@qtp/core';
import { Pov, Twap } from '@qtp/oms';
import { bench, do_not_optimize, group, summary } from 'mitata';

const PARENTS = 1_000;
const id = instrumentId('XRPETH', 'BINANCE');
const instrument = new Instrument({
  id,
  baseAsset: 'XRP',
  quoteAsset: 'ETH',
  priceIncrement: '0.00000001',
  sizeIncrement: '1',
});
const START = 1_700_000_000_000;
let sent = 0;
let now = START;
const context = {
  instrument,
  now: () => now,
  submitChild: (): ClientOrderId => toClientOrderId(`c${++sent}`),
  cancelChild: () => {},
  wakeAt: () => {},
};

const twaps = Array.from({ length: PARENTS }, (_, i) => {
  const twap = new Twap({
    instrumentId: id,
    side: 'BUY',
    quantity: '1000000',
    durationMs: 86_400_000,
    slices: 1_440,
  });
  twap.start(context, `twap-${i}`);
  return twap;
});
const povs = Array.from({ length: PARENTS }, (_, i) => {
  const pov = new Pov({
    instrumentId: id,
    side: 'BUY',
    quantity: '1000000000',
    participationRate: 0.05,
  });
  pov.start(context, `pov-${i}`);
  return pov;
});

let tick = 0;
function nextTick(): TradeTickEvent {
  tick++;
  now = START + tick * 1_000;
  return createTradeTickEvent({
    instrumentId: id,
    price: 0.0014,
    size: 25,
    aggressorSide: 'SELL',
    tradeId: String(tick),
    timeMs: now,
  });
}

// The plain loop's state: per parent, the quantity due by now and what is sent.
const plainSent = new Float64Array(PARENTS);
const plainVolume = new Float64Array(PARENTS);

summary(() => {
  group(`child scheduling per tick, ${PARENTS} concurrent parents`, () => {
    bench('QTP Twap.onMarketData × 1,000', () => {
      const event = nextTick();
      for (let i = 0; i < PARENTS; i++) twaps[i]!.onMarketData(event);
    });
    bench('QTP Pov.onMarketData × 1,000', () => {
      const event = nextTick();
      for (let i = 0; i < PARENTS; i++) povs[i]!.onMarketData(event);
    });
    bench('plain loop (numbers)', () => {
      const event = nextTick();
      for (let i = 0; i < PARENTS; i++) {
        plainVolume[i]! += event.trade.size;
        const due = 0.05 * plainVolume[i]!;
        if (due - plainSent[i]! >= 1) plainSent[i] = Math.floor(due);
      }
      do_not_optimize(plainSent);
    });
  });
});
