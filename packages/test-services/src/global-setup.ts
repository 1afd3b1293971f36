/**
 * The vitest global setup: makes this run's directory for shared servers (started lazily by the
 * first test that asks, see `sharedRedis()`), and stops every server recorded there when the run
 * ends.
 *
 * @module
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_DIR_ENV } from './shared.js';
import { teardownRunDir } from './teardown.js';

/** Creates the run directory, exports it to the test processes and returns the teardown. */
export default function setup(): () => void {
  const runDir = mkdtempSync(join(tmpdir(), 'qtp-services-'));
  process.env[RUN_DIR_ENV] = runDir;
  return () => teardownRunDir(runDir);
}
