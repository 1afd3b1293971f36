// The page's code is bundled by esbuild, which strips types without checking them, and the
// repository's typecheck covers no DOM code; so the page is typechecked here, with the DOM types.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { appSources } from '../scripts/build-app.mjs';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

describe('web app', () => {
  it('typechecks against the DOM types and the views it renders', async () => {
    const project = join(import.meta.dirname, '..', 'app', 'tsconfig.json');
    const run = promisify(execFile)(process.execPath, [tsc, '-p', project, '--noEmit']);
    await expect(run).resolves.toMatchObject({ stdout: '' });
  }, 120_000);
});

describe('web app charts', () => {
  it('bundles the tearsheet chart renderer from @qtp/backtest itself, with no chart code of its own', async () => {
    const sources = await appSources();
    expect(sources).toContain('packages/backtest/src/charts/equity-charts.ts');
    expect(sources).toContain('packages/backtest/src/report/svg-chart.ts');
    // The dashboard contributes only its page script and styles: no charting library, no copy.
    expect(sources.filter((file) => !file.startsWith('packages/backtest/')).sort()).toEqual([
      'packages/dashboard/app/main.ts',
      'packages/dashboard/app/style.css',
    ]);
  }, 60_000);
});
