/**
 * The engine's throughput with the dashboard attached against without it: an SMA(20/50)
 * crossover over 600 000 seeded random-walk one-minute bars through `TradingEngine` and a
 * `SimulatedExchange`, run three ways on the same data:
 * - without a dashboard (the reference);
 * - with the dashboard mounted and no page connected (target: within 5 %);
 * - with one client on the live channel, reading every update (target: within 15 %).
 *
 * The bars come from an async source that yields to the event loop every 1 000 bars, the same
 * in all three runs, so the dashboard's timer and the client's socket get their turns as they
 * would in a live or paced replay (a purely synchronous run would starve them). The client is
 * `fetch` in this process reading the server-sent events, so its work is counted too. Each run
 * is timed by this file (one warm-up, then the best of five rounds, the three runs interleaved in each and their order turned every round, each from a collected and settled heap) and registers nothing with mitata.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  type BarEvent,
  createBarEvent,
  Instrument,
  instrumentId,
  type MarketDataEvent,
  SeededIdGenerator,
  SeededRandom,
  SimulatedClock,
} from '@qtp/core';
import { mountDashboard } from '@qtp/dashboard';
import { TradingEngine } from '@qtp/engine';
import { barFillModel, SimulatedExchange } from '@qtp/exchange';
import { SmaCrossover } from '@qtp/strategy';

const BARS = 600_000;
const YIELD_EVERY = 1_000;
const ROUNDS = 5;
const SETTLE_MS = 100;
const MINUTE_MS = 60_000;
const START_MS = Date.UTC(2024, 0, 1);
const id = instrumentId('BTCUSDT', 'BINANCE');
const instrument = new Instrument({
  id,
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.00001',
  takerFee: '0.001',
  makerFee: '0.001',
});

function bars(): BarEvent[] {
  const random = new SeededRandom(17);
  const out: BarEvent[] = [];
  let close = 3_000_000;
  for (let i = 0; i < BARS; i++) {
    const open = close;
    close = Math.max(100, open + Math.round(open * 0.001 * (random.next() * 2 - 1)));
    const openTimeMs = START_MS + i * MINUTE_MS;
    out.push(
      createBarEvent({
        instrumentId: id,
        interval: '1m',
        openTimeMs,
        closeTimeMs: openTimeMs + MINUTE_MS - 1,
        open: open / 100,
        high: Math.max(open, close) / 100,
        low: Math.min(open, close) / 100,
        close: close / 100,
        volume: 10,
      }),
    );
  }
  return out;
}

async function* paced(events: readonly BarEvent[]): AsyncGenerator<MarketDataEvent> {
  for (let i = 0; i < events.length; i++) {
    if (i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    yield events[i]!;
  }
}

function newEngine(): TradingEngine {
  const clock = new SimulatedClock();
  return new TradingEngine({
    clock,
    exchanges: [
      new SimulatedExchange({
        clock,
        instruments: [instrument],
        balances: { USDT: '100000000' },
        fillModel: barFillModel({ volumeCap: Number.POSITIVE_INFINITY }),
      }),
    ],
    instruments: [instrument],
    idGenerator: new SeededIdGenerator({ seed: 3 }),
    strategies: [
      new SmaCrossover({
        id: 'sma',
        params: { instrumentId: id, fastPeriod: 20, slowPeriod: 50, quantity: '1' },
      }),
    ],
  });
}

type Mode = 'without' | 'attached' | 'client';

// The page itself is not measured, so a one-line page stands in for the built app.
const assetsDir = mkdtempSync(join(tmpdir(), 'qtp-dashboard-bench-'));
writeFileSync(join(assetsDir, 'index.html'), '<!doctype html><title>bench</title>');

async function runOnce(
  events: readonly BarEvent[],
  mode: Mode,
): Promise<{ ms: number; updates: number }> {
  const engine = newEngine();
  const dashboard = mode === 'without' ? undefined : await mountDashboard(engine, { assetsDir });
  let updates = 0;
  const abort = new AbortController();
  let reading: Promise<void> | undefined;
  if (dashboard !== undefined && mode === 'client') {
    const response = await fetch(`${dashboard.url}/api/live`, { signal: abort.signal });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    reading = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          updates += decoder.decode(value, { stream: true }).split('\nevent: ').length - 1;
        }
      } catch {
        // Aborted at the end of the run.
      }
    })();
  }
  const started = performance.now();
  await engine.run(paced(events));
  const ms = performance.now() - started;
  abort.abort();
  await reading;
  await dashboard?.close();
  await engine.stop();
  return { ms, updates };
}

// Each run starts from a collected heap, settled for a moment (the collector finishes sweeping
// on its own threads after the collection returns, and a run started at once pays for it: a run
// after one without the dashboard, which ends without the pause of closing a server, measured
// slower than one after a run with it), and the order of the three runs turns every round, so
// no run pays for the garbage of the one before it more often than the others.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

const events = bars();
const modes: Mode[] = ['without', 'attached', 'client'];
const best = new Map<Mode, { ms: number; updates: number }>();
for (const mode of modes) await runOnce(events, mode);
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < modes.length; i++) {
    const mode = modes[(round + i) % modes.length]!;
    collect();
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const result = await runOnce(events, mode);
    const previous = best.get(mode);
    if (previous === undefined || result.ms < previous.ms) best.set(mode, result);
  }
}
rmSync(assetsDir, { recursive: true, force: true });

const reference = best.get('without')!.ms;
const targets: Record<Mode, number | undefined> = {
  without: undefined,
  attached: 0.05,
  client: 0.15,
};
const labels: Record<Mode, string> = {
  without: 'engine, no dashboard',
  attached: 'dashboard mounted, no page',
  client: 'dashboard, one live client',
};
console.log(
  `\nengine throughput with the dashboard, ${BARS.toLocaleString('en-US')} bars, best of ${ROUNDS}, rounds interleaved`,
);
for (const mode of modes) {
  const { ms, updates } = best.get(mode)!;
  const overhead = ms / reference - 1;
  const target = targets[mode];
  const verdict =
    target === undefined
      ? ''
      : `${(overhead * 100).toFixed(1)} % slower (target ${target * 100} %: ${overhead <= target ? 'met' : 'missed'})`;
  console.log(
    `${labels[mode].padEnd(30)} ${ms.toFixed(0).padStart(6)} ms  ${Math.round(BARS / (ms / 1000))
      .toLocaleString('en-US')
      .padStart(
        10,
      )} bars/s  ${verdict}${mode === 'client' ? `, ${updates} view updates read` : ''}`,
  );
}
