// A tour of @qtp/core: an instrument's trading rules, an order through its state machine, an L2
// book, and the event bus driven by a simulated clock.
import {
  createFill,
  createMoney,
  EventBus,
  Instrument,
  instrumentId,
  isQtpError,
  Order,
  OrderBook,
  SeededIdGenerator,
  SimulatedClock,
} from '@qtp/core';

const clock = new SimulatedClock({ startMs: Date.UTC(2024, 0, 1) });
const bus = new EventBus<{ 'order.status': { clientOrderId: string; status: string } }>({ clock });
bus.subscribe('order.*', (event, topic) =>
  console.log(`${topic}: ${event.clientOrderId} is ${event.status}`),
);

const btc = new Instrument({
  id: instrumentId('BTCUSDT', 'BINANCE'),
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.00001',
  minNotional: '5',
  takerFee: '0.001',
});

// Every broken rule is reported at once, by name.
const issues = btc.validateOrder({ side: 'BUY', price: '27123.455', quantity: '0.000015' });
console.log('rules broken:', issues.map((issue) => issue.check).join(', '));

// Round where the order is made: a buy price down to the tick, the quantity down to the step.
const terms = btc.roundOrder({ side: 'BUY', price: '27123.456', quantity: '0.0123456' });
console.log(`rounded: ${terms.quantity.toFixed()} @ ${terms.price?.toFixed()}`);

const ids = new SeededIdGenerator({ seed: 42 });
const order = new Order({
  clientOrderId: ids.next(),
  instrumentId: btc.id,
  side: 'BUY',
  type: 'LIMIT',
  quantity: terms.quantity,
  price: terms.price!,
  timeMs: clock.now(),
});
const report = () =>
  bus.publish('order.status', { clientOrderId: order.clientOrderId, status: order.status });
order.submit(clock.now());
report();
clock.advanceBy(40);
order.accept('8812', clock.now());
report();
clock.advanceBy(1_000);
const fill = createFill({
  tradeId: 't-1',
  clientOrderId: order.clientOrderId,
  venueOrderId: '8812',
  instrumentId: btc.id,
  side: 'BUY',
  price: terms.price!,
  quantity: terms.quantity,
  fee: createMoney(terms.price!.times(terms.quantity).times('0.001'), 'USDT'),
  liquiditySide: 'TAKER',
  timeMs: clock.now(),
});
order.applyFill(fill);
report();
console.log(`a replayed fill is ignored: ${order.applyFill(fill) === false}`);
try {
  order.requestCancel(clock.now());
} catch (error) {
  if (isQtpError(error, 'INVALID_ORDER_TRANSITION')) console.log(`refused: ${error.message}`);
}

const book = new OrderBook({ instrumentId: btc.id });
book.applySnapshot({
  instrumentId: btc.id,
  sequence: 100,
  timeMs: clock.now(),
  bids: [
    { price: 27123.4, size: 0.5 },
    { price: 27123.3, size: 1.2 },
  ],
  asks: [
    { price: 27123.5, size: 0.3 },
    { price: 27123.9, size: 2 },
  ],
});
const gap = book.applyDelta({
  instrumentId: btc.id,
  firstSequence: 105,
  lastSequence: 106,
  timeMs: clock.now(),
  bids: [],
  asks: [{ price: 27123.5, size: 0 }],
});
console.log(
  `book: mid ${book.mid()}, spread ${book.spread()?.toFixed(2)}; a delta after a gap is ${gap}`,
);
const estimate = book.averageFillPrice('BUY', 1);
if (estimate.status === 'filled')
  console.log(`buying 1 BTC costs ${estimate.averagePrice.toFixed(2)} on average`);
