import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedClock, ValidationError } from '@qtp/core';
import {
  type ConfigChangedEvent,
  type ConfigEvents,
  type ConfigInvalidEvent,
  ConfigWatcher,
  REDACTED,
} from '@qtp/core/config';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

const schema = z.object({
  risk: z.object({ maxNotional: z.number().positive(), killSwitch: z.boolean().default(false) }),
  symbols: z.array(z.string()).default([]),
  binance: z.object({ apiKey: z.string().min(4) }).optional(),
});
type Config = z.output<typeof schema>;

let dir: string;
let file: string;
const watchers: ConfigWatcher<typeof schema>[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qtp-watch-'));
  file = join(dir, 'config.json');
  write({ risk: { maxNotional: 100 } });
});
afterEach(() => {
  for (const watcher of watchers.splice(0)) watcher.stop();
  rmSync(dir, { recursive: true, force: true });
});

function write(value: unknown): void {
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
}

function createWatcher(
  options: Partial<ConstructorParameters<typeof ConfigWatcher<typeof schema>>[0]> = {},
) {
  const watcher = new ConfigWatcher({ schema, file, ...options });
  watchers.push(watcher);
  return watcher;
}

function nextEvent<K extends keyof ConfigEvents<Config>>(
  watcher: ConfigWatcher<typeof schema>,
  type: K,
): Promise<ConfigEvents<Config>[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} event within 10 s`)), 10_000);
    const off = watcher.on(type, (event) => {
      clearTimeout(timer);
      off();
      resolve(event);
    });
  });
}

describe('ConfigWatcher.reload', () => {
  it('swaps a valid change in and reports the changed paths', () => {
    const watcher = createWatcher();
    const before = watcher.current;
    const seen: ConfigChangedEvent<Config>[] = [];
    watcher.on('config.changed', (event) => seen.push(event));
    write({ risk: { maxNotional: 250, killSwitch: true }, symbols: ['BTCUSDT'] });
    const result = watcher.reload();
    expect(result.status).toBe('changed');
    expect(watcher.current.risk.maxNotional).toBe(250);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.changedPaths).toEqual(['risk.killSwitch', 'risk.maxNotional', 'symbols']);
    expect(seen[0]?.previous).toBe(before);
    expect(seen[0]?.config).toBe(watcher.current);
  });

  it('publishes nothing when the file still gives the same config', () => {
    const watcher = createWatcher();
    const published: string[] = [];
    watcher.on('config.changed', () => published.push('changed'));
    write({ risk: { maxNotional: 100, killSwitch: false } });
    expect(watcher.reload()).toEqual({ status: 'unchanged' });
    expect(published).toEqual([]);
  });

  it('keeps the last good config and publishes every issue of an invalid change', () => {
    const watcher = createWatcher();
    const good = watcher.current;
    const invalid: ConfigInvalidEvent[] = [];
    watcher.on('config.invalid', (event) => invalid.push(event));
    write({ risk: { maxNotional: -1, killSwitch: 'yes' } });
    const result = watcher.reload();
    expect(result.status).toBe('invalid');
    expect(watcher.current).toBe(good);
    expect(invalid[0]?.issues.map((issue) => issue.field)).toEqual([
      'risk.maxNotional',
      'risk.killSwitch',
    ]);
    expect(invalid[0]?.error).toBeInstanceOf(ValidationError);
  });

  it('keeps the last good config when the file is half written', () => {
    const watcher = createWatcher();
    write('{"risk": {"maxNo');
    expect(watcher.reload().status).toBe('invalid');
    expect(watcher.current.risk.maxNotional).toBe(100);
  });

  it('names a changed secret by its path without its value', () => {
    write({ risk: { maxNotional: 100 }, binance: { apiKey: 'old-key' } });
    const watcher = createWatcher();
    write({ risk: { maxNotional: 100 }, binance: { apiKey: 'new-key' } });
    const result = watcher.reload();
    if (result.status !== 'changed') throw new Error('expected a change');
    expect(result.event.changedPaths).toEqual(['binance.apiKey']);
    const printed = JSON.stringify(result.event);
    expect(printed).not.toContain('old-key');
    expect(printed).not.toContain('new-key');
    expect(printed).toContain(REDACTED);
  });

  it('publishes config.changed and config.invalid through an event publisher', () => {
    const published: [string, unknown][] = [];
    const watcher = createWatcher({
      publisher: { publish: (topic, payload) => published.push([topic, payload]) },
    });
    write({ risk: { maxNotional: 5 } });
    watcher.reload();
    write({ risk: { maxNotional: 0 } });
    watcher.reload();
    expect(published.map(([topic]) => topic)).toEqual(['config.changed', 'config.invalid']);
  });

  it('delivers to every listener and rethrows the first listener error after the swap', () => {
    const watcher = createWatcher();
    const calls: string[] = [];
    watcher.on('config.changed', () => {
      throw new Error('listener failed');
    });
    watcher.on('config.changed', () => calls.push('second'));
    write({ risk: { maxNotional: 7 } });
    expect(() => watcher.reload()).toThrow('listener failed');
    expect(calls).toEqual(['second']);
    expect(watcher.current.risk.maxNotional).toBe(7);
  });

  it('stops calling a listener once it is removed', () => {
    const watcher = createWatcher();
    let calls = 0;
    const off = watcher.on('config.changed', () => {
      calls += 1;
    });
    off();
    write({ risk: { maxNotional: 8 } });
    watcher.reload();
    expect(calls).toBe(0);
  });

  it('throws the full validation error when the initial config is invalid', () => {
    write({ risk: { maxNotional: 'a lot' } });
    expect(() => createWatcher()).toThrow(ValidationError);
  });
});

describe('ConfigWatcher watching', () => {
  it('reloads after the file is written', async () => {
    const watcher = createWatcher({ debounceMs: 20 });
    watcher.start();
    const changed = nextEvent(watcher, 'config.changed');
    write({ risk: { maxNotional: 300 } });
    const event = await changed;
    expect(event.changedPaths).toEqual(['risk.maxNotional']);
    expect(watcher.current.risk.maxNotional).toBe(300);
  });

  it('follows a file replaced by rename, as editors save', async () => {
    const watcher = createWatcher({ debounceMs: 20 });
    watcher.start();
    const changed = nextEvent(watcher, 'config.changed');
    const temp = join(dir, 'config.json.tmp');
    writeFileSync(temp, JSON.stringify({ risk: { maxNotional: 400 } }));
    renameSync(temp, file);
    await changed;
    expect(watcher.current.risk.maxNotional).toBe(400);
  });

  it('debounces a burst of file events into one reload on the clock', () => {
    const clock = new SimulatedClock();
    const watcher = createWatcher({ clock, debounceMs: 50 });
    const reloads: number[] = [];
    watcher.on('config.changed', (event) => reloads.push(event.config.risk.maxNotional));
    write({ risk: { maxNotional: 1 } });
    watcher.scheduleReload();
    clock.advanceBy(30);
    write({ risk: { maxNotional: 2 } });
    watcher.scheduleReload();
    clock.advanceBy(30);
    expect(reloads).toEqual([]);
    clock.advanceBy(30);
    expect(reloads).toEqual([2]);
  });
});
