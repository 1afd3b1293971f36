import { ValidationError } from '@qtp/core';
import {
  createObservabilityServer,
  HealthRegistry,
  MetricsRegistry,
} from '@qtp/core/observability';
import { afterEach, describe, expect, it, vi } from 'vitest';

describe('HealthRegistry', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports UP when every check is up', async () => {
    const health = new HealthRegistry();
    health.register({ name: 'loop', kind: 'liveness', check: () => 'UP' });
    health.register({
      name: 'venue',
      check: async () => ({ status: 'UP', details: { latencyMs: 12 } }),
    });
    const report = await health.run();
    expect(report.status).toBe('UP');
    expect(report.checks.map((check) => [check.name, check.status])).toEqual([
      ['loop', 'UP'],
      ['venue', 'UP'],
    ]);
    expect(report.checks[1]?.details).toEqual({ latencyMs: 12 });
  });

  it('reports DOWN when a critical check fails and DEGRADED when only a non-critical one does', async () => {
    const health = new HealthRegistry();
    health.register({
      name: 'cache',
      critical: false,
      check: () => Promise.reject(new Error('redis gone')),
    });
    expect((await health.run()).status).toBe('DEGRADED');
    health.register({ name: 'venue', check: () => 'DOWN' });
    const report = await health.run();
    expect(report.status).toBe('DOWN');
    expect(report.checks[0]).toMatchObject({ name: 'cache', status: 'DOWN', error: 'redis gone' });
  });

  it('counts a check that returns nothing as UP', async () => {
    const health = new HealthRegistry();
    health.register({
      name: 'ping',
      check: async () => {
        await Promise.resolve();
      },
    });
    expect((await health.run()).status).toBe('UP');
  });

  it('reports DEGRADED when a check says so', async () => {
    const health = new HealthRegistry();
    health.register({ name: 'venue', check: () => 'DEGRADED' });
    expect((await health.run()).status).toBe('DEGRADED');
  });

  it('counts a check that outlives its timeout as DOWN and aborts its signal', async () => {
    vi.useFakeTimers();
    const health = new HealthRegistry();
    let signal: AbortSignal | undefined;
    health.register({
      name: 'slow',
      timeoutMs: 1_000,
      check: (given) => {
        signal = given;
        return new Promise(() => {});
      },
    });
    const running = health.run();
    await vi.advanceTimersByTimeAsync(1_000);
    const report = await running;
    expect(report.status).toBe('DOWN');
    expect(report.checks[0]).toMatchObject({ status: 'DOWN', error: 'timed out after 1000 ms' });
    expect(signal?.aborted).toBe(true);
  });

  it('runs only liveness checks for liveness, and both kinds for readiness', async () => {
    const health = new HealthRegistry();
    health.register({ name: 'loop', kind: 'liveness', check: () => 'UP' });
    health.register({ name: 'venue', kind: 'readiness', check: () => 'DOWN' });
    expect((await health.run('liveness')).checks.map((check) => check.name)).toEqual(['loop']);
    expect((await health.run('readiness')).checks.map((check) => check.name)).toEqual([
      'loop',
      'venue',
    ]);
  });

  it('redacts secrets in details and error messages', async () => {
    const health = new HealthRegistry();
    health.register({
      name: 'a',
      check: () => ({ status: 'UP', details: { apiKey: 'CANARY-x' } }),
    });
    health.register({
      name: 'b',
      check: () => Promise.reject(new Error('GET /x?signature=CANARY-y')),
    });
    expect(JSON.stringify(await health.run())).not.toContain('CANARY');
  });

  it('refuses a duplicate name and removes a check when asked', () => {
    const health = new HealthRegistry();
    const remove = health.register({ name: 'venue', check: () => 'UP' });
    expect(() => health.register({ name: 'venue', check: () => 'UP' })).toThrow(ValidationError);
    remove();
    expect(health.names()).toEqual([]);
  });
});

describe('createObservabilityServer', () => {
  it('serves /health, /ready and /metrics on a loopback port', async () => {
    const health = new HealthRegistry();
    health.register({ name: 'loop', kind: 'liveness', check: () => 'UP' });
    health.register({ name: 'venue', kind: 'readiness', check: () => 'DOWN' });
    const metrics = new MetricsRegistry();
    metrics.counter('qtp_fills_total', 'Fills booked.').inc();
    const server = createObservabilityServer({ health, metrics });
    const { url, port } = await server.listen(0, '127.0.0.1');
    try {
      expect(port).toBeGreaterThan(0);
      const live = await fetch(`${url}/health`);
      expect(live.status).toBe(200);
      expect(await live.json()).toMatchObject({ status: 'UP', checks: [{ name: 'loop' }] });

      const ready = await fetch(`${url}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'DOWN' });

      const scrape = await fetch(`${url}/metrics`);
      expect(scrape.status).toBe(200);
      expect(scrape.headers.get('content-type')).toContain('text/plain');
      expect(await scrape.text()).toContain('qtp_fills_total 1');

      expect((await fetch(`${url}/nowhere`)).status).toBe(404);
      expect((await fetch(`${url}/health`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
  });
});
