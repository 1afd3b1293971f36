/**
 * Observability: a structured logger with secret redaction (pino), metrics (prom-client),
 * tracing hooks (OpenTelemetry API) and health checks with an HTTP endpoint.
 *
 * @module
 */

export type { EventBusStatsSource } from './event-bus-metrics.js';
// observability: logger with secret redaction (pino), metrics (prom-client), tracing, health
export { reportEventBusMetrics } from './event-bus-metrics.js';
export type {
  HealthCheck,
  HealthCheckKind,
  HealthCheckOutcome,
  HealthCheckReport,
  HealthCheckResult,
  HealthRegistryOptions,
  HealthReport,
  HealthStatus,
} from './health.js';
export { HealthRegistry } from './health.js';
export type {
  ObservabilityAddress,
  ObservabilityHandler,
  ObservabilityServer,
  ObservabilityServerOptions,
} from './http-server.js';
export {
  createObservabilityHandler,
  createObservabilityServer,
} from './http-server.js';
export type { LogDestination, LoggerOptions } from './logger.js';
export { createLogger } from './logger.js';
export type {
  CounterMetric,
  GaugeMetric,
  HistogramMetric,
  MetricLabels,
  MetricsRegistryOptions,
} from './metrics.js';
export { MetricsRegistry } from './metrics.js';
export type { RedactSecretsOptions } from './redact.js';
export { redactSecrets, redactSecretsInText } from './redact.js';
export { HealthRegistryToken, MetricsRegistryToken } from './tokens.js';
export type {
  SpanAttributes,
  SpanAttributeValue,
  SpanHandle,
  WithSpanOptions,
} from './tracing.js';
export { withSpan } from './tracing.js';
