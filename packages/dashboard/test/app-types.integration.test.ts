// The page's code is bundled by esbuild, which strips types without checking them, and the
// repository's typecheck covers no DOM code; so the page is typechecked here, with the DOM types.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

describe('web app', () => {
  it('typechecks against the DOM types and the views it renders', async () => {
    const project = join(import.meta.dirname, '..', 'app', 'tsconfig.json');
    const run = promisify(execFile)(process.execPath, [tsc, '-p', project, '--noEmit']);
    await expect(run).resolves.toMatchObject({ stdout: '' });
  }, 120_000);
});
