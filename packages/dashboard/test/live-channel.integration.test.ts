// The live channel's pacing, on a simulated clock: however many events the engine produces
// between two ticks, a client gets at most one update of each view per tick, and only of the
// views that changed.
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

/** Splits a server-sent events text into its complete frames' event names. */
function eventNames(text: string): string[] {
  return [...text.matchAll(/^event: (\w+)\ndata: [^\n]*\n\n/gm)].map((match) => match[1]!);
}

/** The `data` of each complete frame of the view `name`, parsed. */
function framesOf<T>(text: string, name: string): T[] {
  return [...text.matchAll(/^event: (\w+)\ndata: ([^\n]*)\n\n/gm)]
    .filter((match) => match[1] === name)
    .map((match) => JSON.parse(match[2]!) as T);
}

/** Reads a live stream into `text` until it holds `count` complete frames of the view `name`. */
function streamReader(response: Response): {
  readonly text: () => string;
  readUntil(name: string, count: number): Promise<void>;
} {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    text: () => text,
    async readUntil(name, count) {
      while (eventNames(text).filter((seen) => seen === name).length < count) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += decoder.decode(value, { stream: true });
      }
    },
  };
}

describe('live channel', () => {
  it('sends each view that changed at most once per interval, whatever the number of events in between', async () => {
    const { engine, bars } = await replayEngine();
    const clock = new SimulatedClock();
    // A log of 50 entries, fewer than the run's events, so the page trims what it holds; an
    // equity view of at most 51 points, fewer than the run's 712, so the curve is thinned.
    const dashboard = await mountDashboard(engine, {
      assetsDir,
      clock,
      updateIntervalMs: 250,
      recentItems: 10,
      maxEquityPoints: 50,
    });
    const abort = new AbortController();
    const response = await fetch(`${dashboard.url}/api/live`, { signal: abort.signal });
    const stream = streamReader(response);
    try {
      // The page gets every view on connecting, the log last.
      await stream.readUntil('log', 1);
      const initial = eventNames(stream.text());
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
        const start = stream.text().length;
        clock.advanceBy(250);
        // Each tick's update ends with the equity view, new bars having moved the curve.
        await stream.readUntil('equity', tick + 2);
        batches.push(eventNames(stream.text().slice(start)));
        fillsPerTick.push(fills);
      }
      stop();
      // The log as a page holds it, from the first full view and the updates after it, is the
      // server's log: the updates carried only the new entries.
      type Log = { rows: { seq: number }[]; append?: true; keep?: number };
      const logs = framesOf<Log>(stream.text(), 'log');
      expect(logs[0]!.append).toBeUndefined();
      // A tick with more new entries than the log holds sends it whole, as on connecting.
      for (const log of logs.slice(1)) {
        if (log.append === true) expect(log.keep).toBe(50);
        else expect(log.rows).toHaveLength(50);
      }
      expect(logs.some((log) => log.append === true)).toBe(true);
      let held: { seq: number }[] = [];
      for (const log of logs) {
        held = log.append === true ? [...log.rows, ...held].slice(0, log.keep) : log.rows;
      }
      const snapshot = (await (await fetch(`${dashboard.url}/api/snapshot`)).json()) as {
        log: Log;
        equity: Equity;
      };
      expect(logs.length).toBeGreaterThan(2);
      expect(held).toEqual(snapshot.log.rows);
      expect(held.length).toBe(50);
      // So is the equity curve: whole views when the thinning step doubled, else the new points.
      type Equity = {
        times: number[];
        equity: number[];
        drawdown: number[];
        recordedPoints: number;
        maxDrawdown: number;
        from?: number;
      };
      const equities = framesOf<Equity>(stream.text(), 'equity');
      expect(equities.slice(1).some((update) => update.from !== undefined)).toBe(true);
      expect(equities.slice(1).some((update) => update.from === undefined)).toBe(true);
      let curve: Equity | undefined;
      for (const update of equities) {
        if (update.from === undefined || curve === undefined) curve = update;
        else {
          const from = update.from;
          curve = {
            ...update,
            times: [...curve.times.slice(0, from), ...update.times],
            equity: [...curve.equity.slice(0, from), ...update.equity],
            drawdown: [...curve.drawdown.slice(0, from), ...update.drawdown],
          };
          delete curve.from;
        }
      }
      expect(curve).toEqual(snapshot.equity);
      expect(curve!.recordedPoints).toBe(engine.equityCurve().values.length);
      expect(curve!.times.length).toBeLessThanOrEqual(51);
      for (const batch of batches) {
        expect(new Set(batch).size).toBe(batch.length);
        expect(batch.at(-1)).toBe('equity');
        // No venue reports a change, so the venues view went with the first update only.
        expect(batch).not.toContain('venues');
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
      const stream = streamReader(response);
      await stream.readUntil('log', 1);
      // The page got every view on connecting; the events before it left nothing to resend, so
      // the first tick sends nothing at all.
      const start = stream.text().length;
      clock.advanceBy(250);
      // One more bar, at a new close and placing no order, moves only the mark and the curve.
      const bar = bars[400]!;
      expect(bar.bar.close).not.toBe(bars[399]!.bar.close);
      let orderEvents = 0;
      const count = engine.bus.subscribe('order.*', () => {
        orderEvents++;
      });
      engine.process(bar);
      count();
      expect(orderEvents).toBe(0);
      clock.advanceBy(250);
      await stream.readUntil('equity', 2);
      expect(eventNames(stream.text().slice(start))).toEqual(['positions', 'equity']);
    } finally {
      abort.abort();
      await dashboard.close();
      await engine.stop();
    }
  });
});
