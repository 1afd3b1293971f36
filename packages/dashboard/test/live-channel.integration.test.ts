// The live channel's pacing, on a simulated clock: however many events the engine produces
// between two ticks, a client gets at most one update of each view per tick.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock } from '@qtp/core';
import { mountDashboard } from '@qtp/dashboard';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../scripts/build-app.mjs';
import { replayEngine } from './replay-fixture.js';

let assetsDir: string;

beforeAll(async () => {
  assetsDir = await mkdtemp(join(tmpdir(), 'qtp-dashboard-app-'));
  await buildApp(assetsDir);
});

afterAll(async () => {
  await rm(assetsDir, { recursive: true, force: true });
});

/** Splits a server-sent events text into its frames' event names. */
function eventNames(text: string): string[] {
  return [...text.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]!);
}

describe('live channel', () => {
  it('sends each view at most once per interval, whatever the number of events in between', async () => {
    const { engine, bars } = await replayEngine();
    const clock = new SimulatedClock();
    const dashboard = await mountDashboard(engine, { assetsDir, clock, updateIntervalMs: 250 });
    const abort = new AbortController();
    const response = await fetch(`${dashboard.url}/api/live`, { signal: abort.signal });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // Reads until the stream holds `count` venues frames: each flush ends its batch with one.
    const readUntil = async (count: number): Promise<void> => {
      while (eventNames(text).filter((name) => name === 'venues').length < count) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += decoder.decode(value, { stream: true });
      }
    };
    try {
      await readUntil(1);
      const initial = eventNames(text);
      expect(initial).toEqual([
        'equity',
        'positions',
        'orders',
        'fills',
        'strategies',
        'risk',
        'venues',
        'log',
      ]);

      const batches: string[][] = [];
      const fillsPerTick: number[] = [];
      let fills = 0;
      const stop = engine.bus.subscribe('order.fill', () => {
        fills++;
      });
      for (let tick = 0; tick < 4; tick++) {
        fills = 0;
        for (const bar of bars.slice(tick * 170, (tick + 1) * 170)) engine.process(bar);
        const start = text.length;
        clock.advanceBy(250);
        await readUntil(tick + 2);
        batches.push(eventNames(text.slice(start)));
        fillsPerTick.push(fills);
      }
      stop();
      for (const batch of batches) {
        expect(new Set(batch).size).toBe(batch.length);
        expect(batch).toContain('equity');
        expect(batch.at(-1)).toBe('venues');
      }
      // Ticks with several fills still sent one fills frame each; ticks without a fill, none.
      expect(Math.max(...fillsPerTick)).toBeGreaterThan(1);
      for (const [tick, batch] of batches.entries()) {
        expect(batch.filter((name) => name === 'fills').length).toBe(
          fillsPerTick[tick]! > 0 ? 1 : 0,
        );
      }
    } finally {
      abort.abort();
      await dashboard.close();
      await engine.stop();
    }
  });

  it('with no page connected marks no view stale, yet keeps the fills and the log for the next page', async () => {
    const { engine, bars } = await replayEngine();
    const clock = new SimulatedClock();
    const dashboard = await mountDashboard(engine, { assetsDir, clock, updateIntervalMs: 250 });
    let fills = 0;
    const stop = engine.bus.subscribe('order.fill', () => {
      fills++;
    });
    for (const bar of bars.slice(0, 400)) engine.process(bar);
    stop();
    const abort = new AbortController();
    try {
      expect(fills).toBeGreaterThan(0);
      const snapshot = (await (await fetch(`${dashboard.url}/api/snapshot`)).json()) as {
        fills: { total: number };
        log: { rows: { topic: string }[] };
      };
      expect(snapshot.fills.total).toBe(fills);
      expect(snapshot.log.rows.some((row) => row.topic === 'order.fill')).toBe(true);

      const response = await fetch(`${dashboard.url}/api/live`, { signal: abort.signal });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const readUntil = async (count: number): Promise<void> => {
        while (eventNames(text).filter((name) => name === 'venues').length < count) {
          const { value, done } = await reader.read();
          if (done) throw new Error('stream ended');
          text += decoder.decode(value, { stream: true });
        }
      };
      await readUntil(1);
      // The page got every view on connecting; the events before it left nothing to resend.
      const start = text.length;
      clock.advanceBy(250);
      await readUntil(2);
      const batch = eventNames(text.slice(start));
      for (const name of ['orders', 'fills', 'strategies', 'risk', 'log']) {
        expect(batch).not.toContain(name);
      }
      expect(batch.slice(-2)).toEqual(['positions', 'venues']);
    } finally {
      abort.abort();
      await dashboard.close();
      await engine.stop();
    }
  });
});
