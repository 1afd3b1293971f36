import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, signalGroup } from './process.js';
import type { TeardownRecord } from './service.js';

/**
 * Stops a server described by a teardown record, synchronously: runs its commands, ends its
 * process groups (SIGTERM, then SIGKILL after `graceMs`) and removes its directory.
 */
export function teardownSync(record: TeardownRecord, graceMs = 15_000): void {
  for (const [command, ...args] of record.commands) {
    if (command !== undefined) spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 });
  }
  for (const pid of record.processGroups) signalGroup(pid, 'SIGTERM');
  const deadline = performance.now() + graceMs;
  for (const pid of record.processGroups) {
    while (isAlive(pid)) {
      if (performance.now() > deadline) signalGroup(pid, 'SIGKILL');
      spawnSync('sleep', ['0.05']);
    }
  }
  // The epmd of a RabbitMQ node is only killable once the node is gone.
  for (const [command, ...args] of record.commands) {
    if (command === 'epmd') spawnSync(command, args, { stdio: 'ignore', timeout: 5_000 });
  }
  rmSync(record.dir, { recursive: true, force: true });
}

/** Stops every server recorded in the run directory `runDir`, then removes the directory. */
export function teardownRunDir(runDir: string): void {
  if (!existsSync(runDir)) return;
  for (const name of readdirSync(runDir)) {
    if (!name.endsWith('.teardown.json')) continue;
    const record = JSON.parse(readFileSync(join(runDir, name), 'utf8')) as TeardownRecord;
    teardownSync(record);
  }
  rmSync(runDir, { recursive: true, force: true });
}
