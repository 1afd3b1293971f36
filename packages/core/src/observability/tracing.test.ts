import {
  type Span,
  type SpanStatus,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { withSpan } from '@qtp/core/observability';
import { afterEach, describe, expect, it } from 'vitest';

interface RecordedSpan {
  name: string;
  attributes: Record<string, unknown>;
  exceptions: unknown[];
  status: SpanStatus | undefined;
  ended: boolean;
}

/** A tracer provider that records spans, standing in for an OpenTelemetry SDK. */
function recordingProvider(spans: RecordedSpan[]): TracerProvider {
  const tracer = {
    startSpan(name: string, options?: { attributes?: Record<string, unknown> }): Span {
      const recorded: RecordedSpan = {
        name,
        attributes: { ...options?.attributes },
        exceptions: [],
        status: undefined,
        ended: false,
      };
      spans.push(recorded);
      const span = {
        setAttribute: (key: string, value: unknown) => {
          recorded.attributes[key] = value;
          return span;
        },
        addEvent: () => span,
        recordException: (exception: unknown) => {
          recorded.exceptions.push(exception);
        },
        setStatus: (status: SpanStatus) => {
          recorded.status = status;
          return span;
        },
        end: () => {
          recorded.ended = true;
        },
        spanContext: () => ({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 }),
        isRecording: () => true,
      };
      return span as unknown as Span;
    },
  } as unknown as Tracer;
  return { getTracer: () => tracer };
}

describe('withSpan', () => {
  afterEach(() => {
    trace.disable();
  });

  it('runs the work and returns its result when no SDK is registered', async () => {
    await expect(
      withSpan('noop', async (span) => {
        span.setAttribute('venue', 'BINANCE');
        return 42;
      }),
    ).resolves.toBe(42);
  });

  it('records a span with attributes and an OK status around successful work', async () => {
    const spans: RecordedSpan[] = [];
    trace.setGlobalTracerProvider(recordingProvider(spans));
    await withSpan('oms.place_order', (span) => span.setAttribute('venue', 'BINANCE'), {
      symbol: 'BTCUSDT',
    });
    expect(spans).toEqual([
      expect.objectContaining({
        name: 'oms.place_order',
        attributes: { symbol: 'BTCUSDT', venue: 'BINANCE' },
        status: { code: 1 },
        ended: true,
      }),
    ]);
  });

  it('records the exception with its secrets redacted, sets an error status and rethrows', async () => {
    const spans: RecordedSpan[] = [];
    trace.setGlobalTracerProvider(recordingProvider(spans));
    const error = new Error('GET /api/v3/account?signature=CANARY-secret failed');
    await expect(withSpan('rest.get', () => Promise.reject(error))).rejects.toBe(error);
    const [span] = spans;
    expect(span?.ended).toBe(true);
    expect(span?.status).toEqual({
      code: 2,
      message: 'GET /api/v3/account?signature=[REDACTED] failed',
    });
    expect(JSON.stringify(span?.exceptions)).not.toContain('CANARY-secret');
  });
});
