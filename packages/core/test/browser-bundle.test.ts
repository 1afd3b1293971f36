// Bundles the main entries a browser app would import, from their sources, and checks that no
// Node built-in and no heavy library (the ones behind `@qtp/core`'s subpaths, the socket and
// database clients) is pulled in.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeBundle } from '../../../scripts/bundle-analysis.mjs';

const packagesDir = resolve(import.meta.dirname, '../..');

function bundleForBrowser(packageDir: string, contents: string) {
  return analyzeBundle({
    contents,
    resolveDir: resolve(packagesDir, packageDir),
    platform: 'browser',
    conditions: ['@qtp/source'],
  });
}

describe('browser bundles of the main entries', () => {
  it.each([
    ['core', '@qtp/core'],
    ['strategy', '@qtp/strategy'],
    ['portfolio', '@qtp/portfolio'],
  ])('bundle %s without Node built-ins or heavy libraries', async (dir, name) => {
    const bundle = await bundleForBrowser(dir, `export * from '${name}';`);
    expect(bundle.builtins).toEqual([]);
    expect(bundle.heavy).toEqual([]);
    expect(bundle.bytes).toBeGreaterThan(0);
  });

  it("keeps core's main entry to its three libraries", async () => {
    const bundle = await bundleForBrowser('core', `export * from '@qtp/core';`);
    expect(bundle.packages).toEqual(['decimal.js', 'eventemitter3', 'zod']);
    // Nothing in the main entry even asks for a built-in, tree-shaken or not.
    expect(bundle.resolvedBuiltins).toEqual([]);
  });

  it("bundles backtest's data helpers without Node built-ins or heavy libraries", async () => {
    const names =
      'readBars, readTrades, mergeByTime, fillGaps, findGaps, expandGrid, barIntervalFromMs, eventTimeOf, toTearsheetData';
    const bundle = await bundleForBrowser('backtest', `export { ${names} } from '@qtp/backtest';`);
    expect(bundle.builtins).toEqual([]);
    expect(bundle.heavy).toEqual([]);
  });

  it('bundles renderTearsheet and toTearsheetData without Node built-ins', async () => {
    const bundle = await bundleForBrowser(
      'backtest',
      `export { renderTearsheet, toTearsheetData } from '@qtp/backtest';`,
    );
    expect(bundle.builtins).toEqual([]);
  });

  it('bundles runBacktest without Node built-ins', async () => {
    const bundle = await bundleForBrowser(
      'backtest',
      `export { runBacktest } from '@qtp/backtest';`,
    );
    expect(bundle.builtins).toEqual([]);
  });

  it('notices a Node built-in and a heavy library when an entry pulls them in', async () => {
    const bundle = await bundleForBrowser(
      'core',
      `import { createHash } from 'node:crypto';
       import { createRetryPolicy } from '@qtp/core/resilience';
       export const hash = () => createHash('sha256');
       export const retry = createRetryPolicy;`,
    );
    expect(bundle.builtins).toContain('node:crypto');
    expect(bundle.heavy).toContain('cockatiel');
  });
});
