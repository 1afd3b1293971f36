import { ValidationError } from '@qtp/core';
import { RateLimiterRegistry } from '@qtp/core/resilience';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

describe('RateLimiterRegistry', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives every client of a venue and key the same limiter, so they share one budget', async () => {
    const registry = new RateLimiterRegistry();
    const budget = { limit: 10, intervalMs: 60_000 };
    const restClient = registry.get('BINANCE', 'REQUEST_WEIGHT', budget);
    const streamClient = registry.get('BINANCE', 'REQUEST_WEIGHT', budget);
    expect(streamClient).toBe(restClient);
    const sent: number[] = [];
    const calls = [
      restClient.execute(() => sent.push(4), { weight: 4 }),
      streamClient.execute(() => sent.push(4), { weight: 4 }),
      restClient.execute(() => sent.push(4), { weight: 4 }),
      streamClient.execute(() => sent.push(4), { weight: 4 }),
    ];
    await vi.advanceTimersByTimeAsync(59_000);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sent).toHaveLength(4);
    await Promise.all(calls);
    const stopping = registry.stopAll();
    await vi.advanceTimersByTimeAsync(10);
    await stopping;
  });

  it('keeps separate budgets per key and per venue', () => {
    const registry = new RateLimiterRegistry();
    const weight = registry.get('BINANCE', 'REQUEST_WEIGHT', { limit: 6_000, intervalMs: 60_000 });
    const orders = registry.get('BINANCE', 'ORDERS', { limit: 100, intervalMs: 10_000 });
    const other = registry.get('KRAKEN', 'REQUEST_WEIGHT', { limit: 6_000, intervalMs: 60_000 });
    expect(new Set([weight, orders, other]).size).toBe(3);
    expect(registry.find('BINANCE', 'ORDERS')).toBe(orders);
    void registry.stopAll();
  });

  it('refuses to register the same limiter again with another budget', () => {
    const registry = new RateLimiterRegistry();
    registry.get('BINANCE', 'ORDERS', { limit: 100, intervalMs: 10_000 });
    expect(() => registry.get('BINANCE', 'ORDERS', { limit: 50, intervalMs: 10_000 })).toThrow(
      ValidationError,
    );
    void registry.stopAll();
  });

  it('pauses every limiter of one venue and none of another', () => {
    const registry = new RateLimiterRegistry();
    const weight = registry.get('BINANCE', 'REQUEST_WEIGHT', { limit: 6_000, intervalMs: 60_000 });
    const orders = registry.get('BINANCE', 'ORDERS', { limit: 100, intervalMs: 10_000 });
    const other = registry.get('KRAKEN', 'ORDERS', { limit: 100, intervalMs: 10_000 });
    registry.pauseVenue('BINANCE', 30_000);
    expect(weight.pausedUntil).toBe(30_000);
    expect(orders.pausedUntil).toBe(30_000);
    expect(other.pausedUntil).toBe(0);
    void registry.stopAll();
  });
});
