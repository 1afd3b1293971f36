import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { redactSecretsInText } from './redact.js';

/** Attribute values a span accepts. */
export type SpanAttributeValue =
  | string
  | number
  | boolean
  | readonly string[]
  | readonly number[]
  | readonly boolean[];

/** Attributes of a span, keyed by name (`venue`, `symbol`, `client_order_id`). */
export type SpanAttributes = Readonly<Record<string, SpanAttributeValue | undefined>>;

/** The part of a span the wrapped work may use while it runs. */
export interface SpanHandle {
  /** Sets one attribute on the span. */
  setAttribute(key: string, value: SpanAttributeValue): unknown;
  /** Adds a timestamped event to the span, for example `retry` with the attempt number. */
  addEvent(name: string, attributes?: SpanAttributes): unknown;
}

/** Options of {@link withSpan}. */
export interface WithSpanOptions {
  /** The instrumentation scope the span is reported under (default `@qtp/core`). */
  tracerName?: string;
}

/**
 * Runs `fn` inside a new active span called `name`, ends the span when `fn` settles, and returns
 * what `fn` returns. A rejection is recorded on the span as an exception, with its message
 * redacted, and the span's status set to error before the rejection is passed on.
 *
 * Spans go through `@opentelemetry/api`, so this costs next to nothing until the host application
 * registers an OpenTelemetry SDK.
 *
 * @example
 * ```ts
 * import { withSpan } from '@qtp/core';
 * const ack = await withSpan('oms.place_order', async (span) => {
 *   span.setAttribute('venue', 'BINANCE');
 *   return gateway.placeOrder(request);
 * }, { symbol: 'BTCUSDT' });
 * ```
 */
export async function withSpan<T>(
  name: string,
  fn: (span: SpanHandle) => Promise<T> | T,
  attributes: SpanAttributes = {},
  options: WithSpanOptions = {},
): Promise<T> {
  const tracer = trace.getTracer(options.tracerName ?? '@qtp/core');
  const span = tracer.startSpan(name, { attributes: { ...attributes } });
  try {
    const result = await context.with(trace.setSpan(context.active(), span), () => fn(span));
    span.setStatus({ code: SpanStatusCode.OK });
    return result;
  } catch (error) {
    // Exporters ship exceptions off the machine, so they get the same redaction as logs.
    const exception =
      error instanceof Error
        ? {
            name: error.name,
            message: redactSecretsInText(error.message),
            ...(error.stack === undefined ? {} : { stack: redactSecretsInText(error.stack) }),
          }
        : { name: 'NonError', message: redactSecretsInText(String(error)) };
    span.recordException(exception);
    span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
    throw error;
  } finally {
    span.end();
  }
}
