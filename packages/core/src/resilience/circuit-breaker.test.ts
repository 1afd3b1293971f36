import { type EventPublisher, InvalidOrderError, isQtpError, NetworkError } from '@qtp/core';
import { MetricsRegistry } from '@qtp/core/observability';
import { type CircuitStateEvent, createCircuitBreakerPolicy } from '@qtp/core/resilience';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** An event publisher with more topics than the breaker's, recording `circuit.state`. */
interface AppEvents {
  'circuit.state': CircuitStateEvent;
  'order.filled': { readonly clientOrderId: string };
}

function recorder(): { events: EventPublisher<AppEvents>; states: CircuitStateEvent[] } {
  const states: CircuitStateEvent[] = [];
  return {
    states,
    events: {
      publish(topic, payload) {
        if (topic === 'circuit.state') states.push(payload as CircuitStateEvent);
      },
    },
  };
}

const fail = (): Promise<never> => Promise.reject(new NetworkError('connection reset by peer'));

describe('createCircuitBreakerPolicy', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens after N consecutive failures and refuses calls without running them', async () => {
    const { events, states } = recorder();
    const breaker = createCircuitBreakerPolicy({
      name: 'binance-rest',
      breaker: { type: 'consecutive', failures: 3 },
      halfOpenAfterMs: 10_000,
      events,
    });
    for (let i = 0; i < 3; i++)
      await expect(breaker.execute(fail)).rejects.toBeInstanceOf(NetworkError);
    expect(breaker.state).toBe('OPEN');
    expect(states).toHaveLength(1);
    expect(states[0]).toMatchObject({
      type: 'circuit.state',
      name: 'binance-rest',
      state: 'OPEN',
      previous: 'CLOSED',
      errorCode: 'NETWORK',
      timestampMs: 1_000_000,
    });
    expect(states[0]!.reason).toContain('3 consecutive failures');
    expect(states[0]!.reason).toContain('connection reset by peer');

    const work = vi.fn(() => 'ok');
    const refusal = await breaker.execute(work).catch((caught: unknown) => caught);
    expect(isQtpError(refusal, 'CIRCUIT_OPEN')).toBe(true);
    expect((refusal as { details: { retryAfterMs: number } }).details.retryAfterMs).toBe(10_000);
    expect(work).not.toHaveBeenCalled();
  });

  it('half-opens after the delay and closes when the trial call succeeds, publishing each state', async () => {
    const { events, states } = recorder();
    const breaker = createCircuitBreakerPolicy({
      name: 'binance-rest',
      breaker: { type: 'consecutive', failures: 2 },
      halfOpenAfterMs: 10_000,
      events,
    });
    await breaker.execute(fail).catch(() => undefined);
    await breaker.execute(fail).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(9_999);
    await expect(breaker.execute(() => 'early')).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    await vi.advanceTimersByTimeAsync(1);
    await expect(breaker.execute(() => 'trial')).resolves.toBe('trial');
    expect(breaker.state).toBe('CLOSED');
    expect(states.map((event) => [event.previous, event.state])).toEqual([
      ['CLOSED', 'OPEN'],
      ['OPEN', 'HALF_OPEN'],
      ['HALF_OPEN', 'CLOSED'],
    ]);
    expect(states[1]!.reason).toContain('10000 ms');
    expect(states[2]!.reason).toBe('trial call succeeded');
  });

  it('opens again when the trial call fails', async () => {
    const { events, states } = recorder();
    const breaker = createCircuitBreakerPolicy({
      name: 'venue',
      breaker: { type: 'consecutive', failures: 1 },
      halfOpenAfterMs: 1_000,
      events,
    });
    await breaker.execute(fail).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(breaker.execute(fail)).rejects.toBeInstanceOf(NetworkError);
    expect(breaker.state).toBe('OPEN');
    expect(states.at(-1)).toMatchObject({ previous: 'HALF_OPEN', state: 'OPEN' });
    expect(states.at(-1)!.reason).toContain('trial call failed');
  });

  it('does not count definitive answers such as an invalid order against the circuit', async () => {
    const breaker = createCircuitBreakerPolicy({
      name: 'venue',
      breaker: { type: 'consecutive', failures: 2 },
    });
    for (let i = 0; i < 5; i++) {
      await expect(
        breaker.execute(() => Promise.reject(new InvalidOrderError('bad price'))),
      ).rejects.toBeInstanceOf(InvalidOrderError);
    }
    expect(breaker.state).toBe('CLOSED');
  });

  it('opens a sampling breaker when the failure rate within the window exceeds the threshold', async () => {
    const breaker = createCircuitBreakerPolicy({
      name: 'venue',
      breaker: { type: 'sampling', failureRate: 0.5, windowMs: 10_000, minimumRps: 1 },
    });
    for (let i = 0; i < 5; i++) {
      await breaker.execute(() => 'ok');
      await vi.advanceTimersByTimeAsync(100);
    }
    for (let i = 0; i < 5; i++) {
      await breaker.execute(fail).catch(() => undefined);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(breaker.state).toBe('CLOSED');
    await breaker.execute(fail).catch(() => undefined);
    expect(breaker.state).toBe('OPEN');
  });

  it('reports the circuit state as a gauge', async () => {
    const metrics = new MetricsRegistry();
    const breaker = createCircuitBreakerPolicy({
      name: 'venue',
      breaker: { type: 'consecutive', failures: 1 },
      metrics,
    });
    expect(await metrics.text()).toContain('qtp_circuit_state{circuit="venue"} 0');
    await breaker.execute(fail).catch(() => undefined);
    const text = await metrics.text();
    expect(text).toContain('qtp_circuit_state{circuit="venue"} 1');
    expect(text).toContain('qtp_circuit_transitions_total{circuit="venue",state="OPEN"} 1');
  });

  it('rejects a failure rate outside (0, 1)', () => {
    expect(() =>
      createCircuitBreakerPolicy({
        name: 'venue',
        breaker: { type: 'sampling', failureRate: 1, windowMs: 1_000 },
      }),
    ).toThrow(/failureRate/);
  });
});
