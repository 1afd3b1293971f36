import { EventBus, Instrument, instrumentId, SeededIdGenerator, SimulatedClock } from '@qtp/core';
import { createLogger, type LogDestination } from '@qtp/core/observability';
import {
  InMemoryOrderJournal,
  type OmsEvents,
  OrderManager,
  type OrderManagerOptions,
} from '@qtp/oms';
import { FaultGateway } from './fault-gateway.js';

export const BTC = instrumentId('BTCUSDT', 'BINANCE');

/** BTCUSDT with a 0.01 tick, a 0.0001 step, a 5 USDT minimum notional and a price band. */
export const btc = new Instrument({
  id: BTC,
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.0001',
  minQuantity: '0.001',
  maxQuantity: '100',
  minNotional: '5',
  minPrice: '1',
  maxPrice: '1000000',
});

/** Every event the manager published, in order. */
export type Published = OmsEvents[keyof OmsEvents];

/** A log destination that keeps the parsed lines. */
export function captureLog(): { lines: Record<string, unknown>[]; destination: LogDestination } {
  const lines: Record<string, unknown>[] = [];
  return { lines, destination: { write: (line) => lines.push(JSON.parse(line)) } };
}

/** Overrides of the manager's options; `journaled: false` leaves the journal out. */
export type SetupOptions = Partial<OrderManagerOptions> & { journaled?: boolean };

/** Builds a manager over a fault-injecting gateway, an in-memory journal and a bus. */
export function setup(setupOptions: SetupOptions = {}) {
  const { journaled = true, ...overrides } = setupOptions;
  const clock = new SimulatedClock({ startMs: 1_700_000_000_000 });
  const bus = new EventBus<OmsEvents>({ clock });
  const events: Published[] = [];
  bus.subscribe('order.*', (event) => {
    events.push(event as Published);
  });
  const gateway = new FaultGateway(clock);
  const journal = new InMemoryOrderJournal();
  const log = captureLog();
  const logger = createLogger({ level: 'warn', destination: log.destination, clock });
  const options: OrderManagerOptions = {
    gateway,
    instruments: [btc],
    clock,
    bus,
    idGenerator: new SeededIdGenerator({ seed: 1 }),
    logger,
    ...(journaled ? { journal } : {}),
    ...overrides,
  };
  const oms = new OrderManager(options);
  return { clock, bus, events, gateway, journal, oms, options, log };
}

/** Lets promise callbacks run: placements, journal writes, lookups. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A limit buy of 0.01 BTC at 27000. */
export const limitBuy = {
  instrumentId: BTC,
  side: 'BUY',
  type: 'LIMIT',
  price: '27000',
  quantity: '0.01',
} as const;
