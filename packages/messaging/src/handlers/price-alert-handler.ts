import { type Clock, LiveClock, type MarketDataEvent, type TimerId } from '@qtp/core';
import type { Broker, Subscription } from '../broker.js';
import { marketDataEventCodec } from '../codecs.js';
import { decodePayload } from '../payload.js';
import type { Alert, AlertSink } from './alert.js';

/** A price level to watch on one instrument. */
export interface PriceThreshold {
  readonly instrumentId: string;
  /** Alerts when the price crosses up through this level. */
  readonly above?: number;
  /** Alerts when the price crosses down through this level. */
  readonly below?: number;
}

/** Options of {@link PriceAlertHandler}. */
export interface PriceAlertHandlerOptions {
  readonly broker: Broker;
  /** The broker topic carrying market-data events. */
  readonly topic: string;
  readonly sinks: readonly AlertSink[];
  readonly thresholds?: readonly PriceThreshold[];
  /** Alerts when a price moved this many percent (either way) from the first within `windowMs`. */
  readonly percentMove?: { readonly percent: number; readonly windowMs: number };
  /** Alerts when an instrument has sent nothing for this long, checked every `staleAfterMs / 2`. */
  readonly staleAfterMs?: number;
  /** Reads the time and runs the stale check; a `LiveClock` by default. */
  readonly clock?: Clock;
}

function priceOf(event: MarketDataEvent): number | undefined {
  if (event.type === 'bar') return event.bar.close;
  if (event.type === 'trade') return event.trade.price;
  if (event.type === 'quote') return (event.quote.bidPrice + event.quote.askPrice) / 2;
  return undefined;
}

/**
 * Watches market data on a broker topic and raises alerts: a price crossing a threshold (once per
 * crossing, not on every event past it), a percent move within a time window (event times), a
 * feed gone stale, and events that break the normalisation rules (a non-finite or non-positive
 * price, an event time before the previous one of the same instrument).
 *
 * @example
 * ```ts
 * import { LogSink, PriceAlertHandler } from '@qtp/messaging';
 * const alerts = new PriceAlertHandler({
 *   broker, topic: 'bus.md.bar', sinks: [new LogSink({ logger })],
 *   thresholds: [{ instrumentId: 'BTCUSDT.BINANCE', above: 70_000 }],
 * });
 * await alerts.start();
 * ```
 */
export class PriceAlertHandler {
  private readonly options: PriceAlertHandlerOptions;
  private readonly clock: Clock;
  private readonly last = new Map<string, { price: number; eventTimeMs: number; seenAt: number }>();
  private readonly windows = new Map<string, { price: number; eventTimeMs: number }[]>();
  private readonly stale = new Set<string>();
  private subscription: Subscription | undefined;
  private timer: TimerId | undefined;
  private pending: Promise<void> = Promise.resolve();

  /** Creates the handler; it listens once started. */
  constructor(options: PriceAlertHandlerOptions) {
    this.options = options;
    this.clock = options.clock ?? new LiveClock();
  }

  /** Subscribes to the topic and starts the stale-feed check. */
  async start(): Promise<void> {
    this.subscription = await this.options.broker.subscribe(this.options.topic, (envelope) => {
      let event: MarketDataEvent;
      try {
        event = decodePayload(marketDataEventCodec, envelope);
      } catch (error) {
        return this.raise({
          kind: 'market-data.invalid',
          severity: 'warning',
          message: error instanceof Error ? error.message : String(error),
        });
      }
      return this.observe(event);
    });
    const staleAfterMs = this.options.staleAfterMs;
    if (staleAfterMs !== undefined) {
      this.timer = this.clock.setInterval(
        () => void this.checkStale(),
        Math.max(1, staleAfterMs / 2),
      );
    }
  }

  /** Stops listening, after the alerts in flight. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) this.clock.cancel(this.timer);
    await this.subscription?.close();
    await this.pending;
  }

  /** Raises a stale-feed alert for each instrument silent for `staleAfterMs`, once per silence. */
  async checkStale(): Promise<void> {
    const staleAfterMs = this.options.staleAfterMs;
    if (staleAfterMs === undefined) return;
    const now = this.clock.now();
    for (const [subject, seen] of this.last) {
      if (now - seen.seenAt >= staleAfterMs && !this.stale.has(subject)) {
        this.stale.add(subject);
        await this.raise({
          kind: 'feed.stale',
          severity: 'warning',
          subject,
          message: `${subject}: no market data for ${now - seen.seenAt} ms`,
          details: { silentMs: now - seen.seenAt },
        });
      }
    }
  }

  private async observe(event: MarketDataEvent): Promise<void> {
    const price = priceOf(event);
    if (price === undefined) return;
    const subject = event.instrumentId;
    const previous = this.last.get(subject);
    if (!Number.isFinite(price) || price <= 0) {
      await this.raise({
        kind: 'market-data.invalid',
        severity: 'warning',
        subject,
        message: `${subject}: price must be a positive number, was ${price}`,
      });
      return;
    }
    if (previous !== undefined && event.eventTimeMs < previous.eventTimeMs) {
      await this.raise({
        kind: 'market-data.out-of-order',
        severity: 'warning',
        subject,
        message: `${subject}: event time ${event.eventTimeMs} is before ${previous.eventTimeMs}`,
      });
      return;
    }
    this.stale.delete(subject);
    this.last.set(subject, { price, eventTimeMs: event.eventTimeMs, seenAt: this.clock.now() });
    for (const threshold of this.options.thresholds ?? []) {
      if (threshold.instrumentId !== subject || previous === undefined) continue;
      if (
        threshold.above !== undefined &&
        previous.price <= threshold.above &&
        price > threshold.above
      ) {
        await this.raise({
          kind: 'price.above',
          severity: 'info',
          subject,
          message: `${subject} rose above ${threshold.above}: ${price}`,
          details: { price, level: threshold.above },
        });
      }
      if (
        threshold.below !== undefined &&
        previous.price >= threshold.below &&
        price < threshold.below
      ) {
        await this.raise({
          kind: 'price.below',
          severity: 'info',
          subject,
          message: `${subject} fell below ${threshold.below}: ${price}`,
          details: { price, level: threshold.below },
        });
      }
    }
    const move = this.options.percentMove;
    if (move !== undefined) {
      const window = (this.windows.get(subject) ?? []).filter(
        (point) => event.eventTimeMs - point.eventTimeMs <= move.windowMs,
      );
      const first = window[0];
      if (first !== undefined) {
        const percent = ((price - first.price) / first.price) * 100;
        if (Math.abs(percent) >= move.percent) {
          await this.raise({
            kind: 'price.move',
            severity: 'warning',
            subject,
            message: `${subject} moved ${percent.toFixed(2)} % in ${event.eventTimeMs - first.eventTimeMs} ms`,
            details: { percent, from: first.price, to: price },
          });
          // A new window starts at this price, so one move raises one alert.
          window.length = 0;
        }
      }
      window.push({ price, eventTimeMs: event.eventTimeMs });
      this.windows.set(subject, window);
    }
  }

  private raise(alert: Omit<Alert, 'time'>): Promise<void> {
    const full: Alert = { ...alert, time: this.clock.now() };
    const sent = this.pending.then(() =>
      Promise.all(this.options.sinks.map((sink) => sink.send(full).catch(() => undefined))).then(
        () => undefined,
      ),
    );
    this.pending = sent;
    return sent;
  }
}
