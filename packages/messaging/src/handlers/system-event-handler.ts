import { type Clock, LiveClock, ValidationError } from '@qtp/core';
import type { Broker, Subscription } from '../broker.js';
import { DedupeWindow } from '../dedupe-window.js';
import type { Envelope } from '../envelope.js';
import { decodePayload } from '../payload.js';
import type { Alert, AlertSeverity, AlertSink } from './alert.js';
import {
  type SystemErrorEvent,
  type SystemHealthEvent,
  type SystemHealthStatus,
  systemEventCodec,
} from './system-event.js';

const HEALTH_SEVERITY: Record<SystemHealthStatus, AlertSeverity> = {
  UP: 'info',
  DEGRADED: 'warning',
  DOWN: 'critical',
};

/** Options of {@link SystemEventHandler}. */
export interface SystemEventHandlerOptions {
  /** The broker the events arrive on. */
  readonly broker: Broker;
  /**
   * The topic system events arrive on, or several (an engine's bus bridged as is gives
   * `bus.system.health` and `bus.system.error`).
   */
  readonly topic: string | readonly string[];
  /** Where the alerts go; a sink that fails does not stop the others. */
  readonly sinks: readonly AlertSink[];
  /**
   * Alerts on the first error of a code and then on every `errorAlertEvery`-th one of that code
   * (10 by default; 1 alerts on each).
   */
  readonly errorAlertEvery?: number;
  /** Stamps the alerts; `LiveClock` by default. */
  readonly clock?: Clock;
}

/**
 * Follows system events from a broker topic in a process of its own. Health: keeps each
 * component's latest status and alerts when it changes (`system.health.down` critical,
 * `system.health.degraded` warning, `system.health.up` info); a component first seen `UP` raises
 * nothing, and a report older than the last one of its component is ignored. Errors: counts them
 * per code and per component and code, once per message id, and sends a `warning` alert
 * `system.error` on the first of a code and on every `errorAlertEvery`-th one after.
 *
 * @throws `ValidationError` (from the constructor) naming `errorAlertEvery` when it is not a
 *   positive whole number
 * @example
 * ```ts
 * import { LogSink, SystemEventHandler } from '@qtp/messaging';
 * const system = new SystemEventHandler({ broker, topic: 'system', sinks: [new LogSink({ logger })] });
 * await system.start();
 * system.errorCounts().get('NETWORK'); // errors with code NETWORK so far
 * ```
 */
export class SystemEventHandler {
  private readonly options: SystemEventHandlerOptions;
  private readonly clock: Clock;
  private readonly every: number;
  private readonly seen = new DedupeWindow();
  private readonly statuses = new Map<string, SystemHealthEvent>();
  private readonly counts = new Map<string, number>();
  private readonly countsByComponent = new Map<string, Map<string, number>>();
  private readonly subscriptions: Subscription[] = [];

  /** Creates the handler; it listens once started. */
  constructor(options: SystemEventHandlerOptions) {
    const every = options.errorAlertEvery ?? 10;
    if (!Number.isInteger(every) || every < 1) {
      throw new ValidationError('errorAlertEvery', 'be a whole number of at least 1', every);
    }
    this.options = options;
    this.every = every;
    this.clock = options.clock ?? new LiveClock();
  }

  /** Subscribes to the topic or topics. */
  async start(): Promise<void> {
    const topics =
      typeof this.options.topic === 'string' ? [this.options.topic] : this.options.topic;
    for (const topic of topics) {
      this.subscriptions.push(
        await this.options.broker.subscribe(topic, (envelope) => this.apply(envelope)),
      );
    }
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) await subscription.close();
  }

  /** Returns the latest status of a component, or `undefined` before its first report. */
  health(component: string): SystemHealthStatus | undefined {
    return this.statuses.get(component)?.status;
  }

  /** Returns the number of errors so far per code. */
  errorCounts(): ReadonlyMap<string, number> {
    return new Map(this.counts);
  }

  /** Returns the number of errors so far per code of one component. */
  errorCountsOf(component: string): ReadonlyMap<string, number> {
    return new Map(this.countsByComponent.get(component));
  }

  private async apply(envelope: Envelope): Promise<void> {
    const event = decodePayload(systemEventCodec, envelope);
    if (!this.seen.add(envelope.id)) return;
    const alert = event.type === 'system.health' ? this.onHealth(event) : this.onError(event);
    if (alert === undefined) return;
    await Promise.all(this.options.sinks.map((sink) => sink.send(alert).catch(() => undefined)));
  }

  private onHealth(event: SystemHealthEvent): Alert | undefined {
    const last = this.statuses.get(event.component);
    if (last !== undefined && event.timeMs < last.timeMs) return undefined;
    this.statuses.set(event.component, event);
    const from = last?.status ?? 'UP';
    if (from === event.status) return undefined;
    const reason = event.reason === undefined ? '' : `: ${event.reason}`;
    return {
      kind: `system.health.${event.status.toLowerCase()}`,
      severity: HEALTH_SEVERITY[event.status],
      subject: event.component,
      message: `${event.component}: ${from} -> ${event.status}${reason}`,
      time: this.clock.now(),
      details: { from, to: event.status, reason: event.reason ?? null },
    };
  }

  private onError(event: SystemErrorEvent): Alert | undefined {
    const count = (this.counts.get(event.code) ?? 0) + 1;
    this.counts.set(event.code, count);
    let perComponent = this.countsByComponent.get(event.component);
    if (perComponent === undefined) {
      perComponent = new Map();
      this.countsByComponent.set(event.component, perComponent);
    }
    perComponent.set(event.code, (perComponent.get(event.code) ?? 0) + 1);
    if (count !== 1 && count % this.every !== 0) return undefined;
    return {
      kind: 'system.error',
      severity: 'warning',
      subject: event.component,
      message: `${event.component}: ${event.code} (${count} so far): ${event.message}`,
      time: this.clock.now(),
      details: { code: event.code, count, component: event.component },
    };
  }
}
