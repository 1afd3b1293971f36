import { createInjectionToken, type InjectionToken } from '@qtp/core';
import type { HealthRegistry } from './health.js';
import type { MetricsRegistry } from './metrics.js';

/**
 * The metrics registry (counters, gauges, histograms) components record into.
 * @example
 * ```ts
 * import { MetricsRegistry, MetricsRegistryToken } from '@qtp/core/observability';
 * container.register(MetricsRegistryToken, { useValue: new MetricsRegistry() });
 * ```
 */
export const MetricsRegistryToken: InjectionToken<MetricsRegistry> =
  createInjectionToken('qtp.MetricsRegistry');

/**
 * The registry of health checks a host exposes for liveness and readiness.
 * @example
 * ```ts
 * import { HealthRegistry, HealthRegistryToken } from '@qtp/core/observability';
 * container.register(HealthRegistryToken, { useValue: new HealthRegistry() });
 * ```
 */
export const HealthRegistryToken: InjectionToken<HealthRegistry> =
  createInjectionToken('qtp.HealthRegistry');
