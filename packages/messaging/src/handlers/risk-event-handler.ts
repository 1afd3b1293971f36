import { type Clock, LiveClock, type TradingStateChangedEvent } from '@qtp/core';
import type { Broker, Subscription } from '../broker.js';
import { tradingStateCodec } from '../codecs.js';
import { decodePayload } from '../payload.js';
import type { AlertSeverity, AlertSink } from './alert.js';

const SEVERITY: Record<TradingStateChangedEvent['to'], AlertSeverity> = {
  ACTIVE: 'info',
  HALT_ENTRIES: 'warning',
  REDUCE_ONLY: 'warning',
  FLATTEN: 'critical',
  HALTED: 'critical',
};

/**
 * Turns trading-state changes from a broker topic into alerts: `risk.state` with the new state,
 * the scope, who set it and why; `critical` for `FLATTEN` and `HALTED`, `warning` for
 * `HALT_ENTRIES` and `REDUCE_ONLY`, `info` back to `ACTIVE`.
 *
 * @example
 * ```ts
 * import { LogSink, RiskEventHandler } from '@qtp/messaging';
 * const risk = new RiskEventHandler({ broker, topic: 'bus.risk.state', sinks: [new LogSink({ logger })] });
 * await risk.start();
 * ```
 */
export class RiskEventHandler {
  private readonly options: { broker: Broker; topic: string; sinks: readonly AlertSink[] };
  private readonly clock: Clock;
  private subscription: Subscription | undefined;

  /** Creates the handler; it listens once started. */
  constructor(options: {
    readonly broker: Broker;
    readonly topic: string;
    readonly sinks: readonly AlertSink[];
    readonly clock?: Clock;
  }) {
    this.options = options;
    this.clock = options.clock ?? new LiveClock();
  }

  /** Subscribes to the topic. */
  async start(): Promise<void> {
    this.subscription = await this.options.broker.subscribe(
      this.options.topic,
      async (envelope) => {
        const change = decodePayload(tradingStateCodec, envelope);
        const scope = `${change.scope.kind} ${change.scope.id}`;
        const alert = {
          kind: `risk.${change.to.toLowerCase()}`,
          severity: SEVERITY[change.to],
          subject: scope,
          message: `${scope}: ${change.from} -> ${change.to} by ${change.setBy}: ${change.reason}`,
          time: this.clock.now(),
          details: { from: change.from, to: change.to, setBy: change.setBy, reason: change.reason },
        };
        await Promise.all(
          this.options.sinks.map((sink) => sink.send(alert).catch(() => undefined)),
        );
      },
    );
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    await this.subscription?.close();
  }
}
