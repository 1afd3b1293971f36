import {
  createConsoleLogger,
  createFill,
  createMoney,
  createOrderRequest,
  Instrument,
  instrumentId,
  type Logger,
  Order,
  type OrderRequest,
  type OrderRequestInput,
  type PreTradeContext,
  toClientOrderId,
} from '@qtp/core';

export const BTC = new Instrument({
  id: instrumentId('BTCUSDT', 'BINANCE'),
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
});

export const ETH = new Instrument({
  id: instrumentId('ETHUSDT', 'BINANCE'),
  baseAsset: 'ETH',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
});

let counter = 0;

/** A checked request with a fresh client order id, tagged for `strategy` when given. */
export function request(
  input: Partial<OrderRequestInput> & Pick<OrderRequestInput, 'side' | 'quantity'>,
  strategy?: string,
): OrderRequest {
  return createOrderRequest({
    instrumentId: BTC.id,
    type: input.price === undefined ? 'MARKET' : 'LIMIT',
    clientOrderId: toClientOrderId(`t-${++counter}`),
    ...(strategy === undefined ? {} : { tags: [`strategy:${strategy}`] }),
    ...input,
  });
}

/** An open order, as the order manager would hand it to the gate. */
export function openOrder(input: Parameters<typeof request>[0], strategy?: string): Order {
  const made = request(input, strategy);
  return new Order({ ...made, clientOrderId: made.clientOrderId!, timeMs: 0 });
}

export function context(timeMs = 0, openOrders: Order[] = [], instrument = BTC): PreTradeContext {
  return { instrument, timeMs, openOrders };
}

/** A fill of `quantity` at `price`, for an order tagged with `strategy` when given. */
export function fill(
  side: 'BUY' | 'SELL',
  quantity: string,
  price: string,
  timeMs = 0,
  instrument = BTC,
) {
  return createFill({
    tradeId: `f-${++counter}`,
    clientOrderId: toClientOrderId(`o-${counter}`),
    venueOrderId: `v-${counter}`,
    instrumentId: instrument.id,
    side,
    price,
    quantity,
    fee: createMoney('0', 'USDT'),
    liquiditySide: 'TAKER',
    timeMs,
  });
}

/** A logger that keeps each entry it writes, parsed. */
export function collectingLogger(): Logger & { entries: Record<string, unknown>[] } {
  const entries: Record<string, unknown>[] = [];
  const logger = createConsoleLogger({
    level: 'debug',
    write: (line) => entries.push(JSON.parse(line) as Record<string, unknown>),
  });
  return Object.assign(logger, { entries });
}
