import {
  type Clock,
  createSystemErrorEvent,
  type EventPublisher,
  type SystemErrorEvent,
  type SystemHealthEvent,
  type SystemHealthStatus,
} from '@qtp/core';
import type { CircuitState, CircuitStateEvent } from '@qtp/core/resilience';
import {
  type Exchange,
  ExchangeManager,
  type VenueHealthEvent,
  type VenueHealthStatus,
} from '@qtp/exchange';

/**
 * The system topics of the engine's bus: what it publishes about its own health
 * (`system.health`, `system.error`) and the circuit-breaker changes it hears (`circuit.state`,
 * published by resilience policies given the engine's bus as their `events`).
 */
export interface SystemTopics {
  /** A venue's or a circuit's health changed (core's `SystemHealthEvent`). */
  'system.health': SystemHealthEvent;
  /** A step without a caller failed (core's `SystemErrorEvent`), with its error code. */
  'system.error': SystemErrorEvent;
  /** A circuit breaker changed state; the engine republishes it on `system.health`. */
  'circuit.state': CircuitStateEvent;
}

const VENUE_STATUS: Readonly<Record<VenueHealthStatus, SystemHealthStatus>> = {
  HEALTHY: 'UP',
  DEGRADED: 'DEGRADED',
  DOWN: 'DOWN',
};

const CIRCUIT_STATUS: Readonly<Record<CircuitState, SystemHealthStatus>> = {
  CLOSED: 'UP',
  HALF_OPEN: 'DEGRADED',
  OPEN: 'DOWN',
};

/**
 * Returns the `system.health` event of an exchange manager's venue health change: component
 * `venue:NAME`, `HEALTHY` as `UP`, with the manager's reason.
 *
 * @example
 * ```ts
 * import { venueHealthToSystemEvent } from '@qtp/engine';
 * manager.health.on('venueHealth', (event) => bus.publish('system.health', venueHealthToSystemEvent(event, clock.now())));
 * ```
 */
export function venueHealthToSystemEvent(
  event: VenueHealthEvent,
  timeMs: number,
): SystemHealthEvent {
  return {
    type: 'system.health',
    component: `venue:${event.report.venue}`,
    status: VENUE_STATUS[event.report.status],
    reason: event.report.reason,
    timeMs,
  };
}

/**
 * Returns the `system.health` event of a circuit breaker's change of state: component
 * `circuit:NAME`, `OPEN` as `DOWN`, `HALF_OPEN` as `DEGRADED`, `CLOSED` as `UP`, with the
 * breaker's reason and time.
 *
 * @example
 * ```ts
 * import { circuitStateToSystemEvent } from '@qtp/engine';
 * circuitStateToSystemEvent({ type: 'circuit.state', name: 'BINANCE/trade', state: 'OPEN', previous: 'CLOSED', reason: '5 consecutive failures', timestampMs: 1 }).status; // 'DOWN'
 * ```
 */
export function circuitStateToSystemEvent(event: CircuitStateEvent): SystemHealthEvent {
  return {
    type: 'system.health',
    component: `circuit:${event.name}`,
    status: CIRCUIT_STATUS[event.state],
    reason: event.reason,
    timeMs: event.timestampMs,
  };
}

interface SystemBus extends EventPublisher<SystemTopics> {
  subscribe(topic: 'circuit.state', handler: (event: CircuitStateEvent) => void): () => void;
}

/**
 * Publishes on `bus` the health changes of every `ExchangeManager` among `exchanges` and of every
 * circuit breaker that reports on the bus; returns what detaches it all.
 */
export function attachSystemEvents(
  bus: SystemBus,
  exchanges: readonly Exchange[],
  clock: Clock,
): () => void {
  const detach: (() => void)[] = [];
  for (const exchange of exchanges) {
    if (!(exchange instanceof ExchangeManager)) continue;
    const onHealth = (event: VenueHealthEvent) =>
      bus.publish('system.health', venueHealthToSystemEvent(event, clock.now()));
    exchange.health.on('venueHealth', onHealth);
    detach.push(() => exchange.health.off('venueHealth', onHealth));
  }
  detach.push(
    bus.subscribe('circuit.state', (event) =>
      bus.publish('system.health', circuitStateToSystemEvent(event)),
    ),
  );
  return () => {
    for (const undo of detach.splice(0)) undo();
  };
}

/**
 * Returns the `system.error` event of an engine step that failed: component `engine.STAGE`, the
 * error's code (`INTERNAL` when it is not a QTP error).
 *
 * @example
 * ```ts
 * import { NetworkError } from '@qtp/core';
 * import { engineErrorToSystemEvent } from '@qtp/engine';
 * engineErrorToSystemEvent('feed', new NetworkError('reset'), 1).component; // 'engine.feed'
 * ```
 */
export function engineErrorToSystemEvent(
  stage: string,
  error: unknown,
  timeMs: number,
): SystemErrorEvent {
  return createSystemErrorEvent(`engine.${stage}`, error, timeMs);
}
