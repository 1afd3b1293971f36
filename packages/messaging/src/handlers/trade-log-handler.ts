import { type Clock, Decimal, LiveClock, type OrderEvent, type OrderStatus } from '@qtp/core';
import type { Broker, Subscription } from '../broker.js';
import { orderEventCodec } from '../codecs.js';
import { decodePayload } from '../payload.js';
import type { AlertSink } from './alert.js';

/** One booked fill in the trade log. */
export interface TradeLogEntry {
  readonly tradeId: string;
  readonly clientOrderId: string;
  readonly instrumentId: string;
  readonly side: 'BUY' | 'SELL';
  readonly price: Decimal;
  readonly quantity: Decimal;
  readonly timeMs: number;
}

/**
 * Follows order events from a broker topic in a process of its own: keeps each order's latest
 * status, books each fill once by its trade id into a trade log and a net position per
 * instrument (exact, in `Decimal`), and sends a `warning` alert for a rejected order or one whose
 * state is unknown.
 *
 * @example
 * ```ts
 * import { TradeLogHandler } from '@qtp/messaging';
 * const trades = new TradeLogHandler({ broker, topic: 'bus.order.fill' });
 * await trades.start();
 * trades.position('BTCUSDT.BINANCE').toString();
 * ```
 */
export class TradeLogHandler {
  private readonly options: { broker: Broker; topic: string; sinks: readonly AlertSink[] };
  private readonly clock: Clock;
  private readonly log: TradeLogEntry[] = [];
  private readonly booked = new Set<string>();
  private readonly positions = new Map<string, Decimal>();
  private readonly statuses = new Map<string, OrderStatus>();
  private subscription: Subscription | undefined;

  /** Creates the handler; it listens once started. */
  constructor(options: {
    readonly broker: Broker;
    readonly topic: string;
    readonly sinks?: readonly AlertSink[];
    readonly clock?: Clock;
  }) {
    this.options = { broker: options.broker, topic: options.topic, sinks: options.sinks ?? [] };
    this.clock = options.clock ?? new LiveClock();
  }

  /** Subscribes to the topic. */
  async start(): Promise<void> {
    this.subscription = await this.options.broker.subscribe(this.options.topic, (envelope) =>
      this.apply(decodePayload(orderEventCodec, envelope)),
    );
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    await this.subscription?.close();
  }

  /** Returns the booked fills, in the order they arrived. */
  trades(): readonly TradeLogEntry[] {
    return this.log;
  }

  /** Returns the net position of an instrument in its base asset: bought minus sold. */
  position(instrumentId: string): Decimal {
    return this.positions.get(instrumentId) ?? new Decimal(0);
  }

  /** Returns an order's latest status, or `undefined` for an order not seen. */
  status(clientOrderId: string): OrderStatus | undefined {
    return this.statuses.get(clientOrderId);
  }

  private async apply(event: OrderEvent): Promise<void> {
    if ('status' in event) this.statuses.set(event.clientOrderId, event.status);
    if (event.type === 'order.fill') {
      const { fill } = event;
      if (this.booked.has(fill.tradeId)) return;
      this.booked.add(fill.tradeId);
      this.log.push({
        tradeId: fill.tradeId,
        clientOrderId: fill.clientOrderId,
        instrumentId: fill.instrumentId,
        side: fill.side,
        price: fill.price,
        quantity: fill.quantity,
        timeMs: fill.timeMs,
      });
      const signed = fill.side === 'BUY' ? fill.quantity : fill.quantity.neg();
      this.positions.set(fill.instrumentId, this.position(fill.instrumentId).add(signed));
      return;
    }
    if (event.type === 'order.rejected' || event.type === 'order.stateUnknown') {
      const alert = {
        kind: event.type,
        severity: 'warning' as const,
        subject: event.clientOrderId,
        message: `${event.clientOrderId} on ${event.instrumentId}: ${event.type}`,
        time: this.clock.now(),
      };
      await Promise.all(this.options.sinks.map((sink) => sink.send(alert).catch(() => undefined)));
    }
  }
}
