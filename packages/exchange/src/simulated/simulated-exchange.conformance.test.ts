import { Instrument, instrumentId, SimulatedClock } from '@qtp/core';
import { bookFillModel, fixedLatency, SimulatedExchange } from '@qtp/exchange';
import { exchangeConformance } from '@qtp/exchange/testing';

const id = instrumentId('BTCUSDT', 'SIM');
const btc = new Instrument({
  id,
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
  minNotional: '10',
  makerFee: '0.001',
  takerFee: '0.002',
});

// A book with asks from 100.5, so a buy limit at 101 fills on arrival.
function withBook(exchange: SimulatedExchange): SimulatedExchange {
  exchange.onBookSnapshot({
    instrumentId: id,
    sequence: 1,
    bids: [{ price: 99.5, size: 10 }],
    asks: [
      { price: 100.5, size: 0.4 },
      { price: 100.75, size: 10 },
    ],
    timeMs: 1_700_000_000_000,
  });
  return exchange;
}

exchangeConformance({
  name: 'SimulatedExchange filling from a book',
  createExchange: () => ({
    exchange: withBook(
      new SimulatedExchange({
        clock: new SimulatedClock({ startMs: 1_700_000_000_000 }),
        instruments: [btc],
        balances: { USDT: '1000' },
        fillModel: bookFillModel(),
      }),
    ),
    instrumentId: id,
    restingBuyPrice: '90',
    marketableBuyPrice: '101',
    quantity: '1',
    unaffordableQuantity: '20',
  }),
});

exchangeConformance({
  name: 'SimulatedExchange',
  createExchange: () => ({
    exchange: new SimulatedExchange({
      clock: new SimulatedClock({ startMs: 1_700_000_000_000 }),
      instruments: [btc],
      balances: { USDT: '1000' },
    }),
    instrumentId: id,
    restingBuyPrice: '100',
    quantity: '1',
    unaffordableQuantity: '20',
  }),
});

exchangeConformance({
  name: 'SimulatedExchange with latency',
  createExchange: () => {
    const clock = new SimulatedClock({ startMs: 1_700_000_000_000 });
    return {
      exchange: new SimulatedExchange({
        clock,
        instruments: [btc],
        balances: { USDT: '1000' },
        latency: fixedLatency({ submitMs: 40, cancelMs: 25 }),
      }),
      instrumentId: id,
      restingBuyPrice: '100',
      quantity: '1',
      unaffordableQuantity: '20',
      settle: () => clock.advanceBy(100),
    };
  },
});
