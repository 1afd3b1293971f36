/**
 * The vitest global setup: makes this run's directory for shared servers and, in this process,
 * which lives for the whole run, starts each server the first test asks for (see
 * `sharedRedis()`); stops every server recorded there when the run ends. With
 * `QTP_TEST_SERVICES_EAGER=1` (the full suite) it starts all three at once, so they boot while
 * the unit tests run.
 *
 * @module
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  RUN_DIR_ENV,
  requestedKinds,
  requestShared,
  SERVED_ENV,
  SHARED_KINDS,
  type SharedKind,
  startShared,
} from './shared.js';
import { teardownRunDir } from './teardown.js';

/** The environment variable that makes the global setup start every shared server up front. */
export const EAGER_ENV = 'QTP_TEST_SERVICES_EAGER';

/** Creates the run directory, exports it to the test processes and returns the teardown. */
export default function setup(): () => Promise<void> {
  const runDir = mkdtempSync(join(tmpdir(), 'qtp-services-'));
  process.env[RUN_DIR_ENV] = runDir;
  process.env[SERVED_ENV] = '1';
  if (process.env[EAGER_ENV] === '1') {
    for (const kind of SHARED_KINDS) requestShared(runDir, kind);
  }
  const starts = new Map<SharedKind, Promise<void>>();
  const serve = () => {
    for (const kind of requestedKinds(runDir)) {
      if (!starts.has(kind)) starts.set(kind, startShared(runDir, kind));
    }
  };
  serve();
  const poll = setInterval(serve, 50);
  return async () => {
    clearInterval(poll);
    await Promise.allSettled(starts.values());
    teardownRunDir(runDir);
  };
}
