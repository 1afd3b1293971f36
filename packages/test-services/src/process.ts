import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

/** A server process started in its own process group, its output written to a log file. */
export interface ServerProcess {
  /** The process id of the group leader. */
  readonly pid: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
}

/** Options of {@link spawnServer}. */
export interface SpawnServerOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** The file that receives stdout and stderr. */
  readonly logFile: string;
}

/**
 * Starts `command` detached in a new process group (so a kill reaches its children), with its
 * output appended to the log file. The process does not keep the caller's event loop alive.
 */
export function spawnServer(
  command: string,
  args: readonly string[],
  options: SpawnServerOptions,
): ServerProcess {
  const log = openSync(options.logFile, 'a');
  const child: ChildProcess = spawn(command, args, {
    detached: true,
    stdio: ['ignore', log, log],
    env: options.env ?? process.env,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  return { pid: child.pid, exited };
}

/**
 * Returns whether a process with this id is running. An exited child not yet reaped (a zombie)
 * counts as gone: a synchronous teardown in the process that spawned it blocks the event loop
 * that would reap it, and would otherwise wait for it forever.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // The state follows the parenthesised command name: `pid (comm) S ...`.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    // Gone between the two checks, or a system without /proc, where kill(0) is all there is.
    return process.platform !== 'linux';
  }
}

/** Sends `signal` to the process group led by `pid`, ignoring a group that is already gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // The process has exited already.
    }
  }
}

/** Waits until `pid` has exited, polling; sends SIGKILL to its group after `graceMs`. */
export async function waitForExit(pid: number, graceMs = 10_000): Promise<void> {
  const started = performance.now();
  while (isAlive(pid)) {
    if (performance.now() - started > graceMs) signalGroup(pid, 'SIGKILL');
    await sleep(25);
  }
  // A killed group may leave children a moment longer.
  await sleep(10);
}

/** Resolves after `ms` milliseconds of wall time. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `probe` until it resolves to `true`, or throws after `timeoutMs` with `what` and the
 * tail of the log file in the message.
 */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  alive: () => boolean = () => true,
): Promise<void> {
  const started = performance.now();
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (!alive()) throw new Error(`${what}: the server exited before it was ready`);
    if (performance.now() - started > timeoutMs) {
      throw new Error(`${what}: not ready after ${timeoutMs} ms`);
    }
    await sleep(50);
  }
}

/**
 * Opens a TCP connection to 127.0.0.1:`port`, writes `hello` and resolves whether the first bytes
 * back satisfy `accept`.
 */
export function probeTcp(
  port: number,
  hello: Uint8Array,
  accept: (reply: Buffer) => boolean,
  timeoutMs = 1000,
): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => socket.write(hello));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (accept(received)) done(true);
      else if (received.length > 4096) done(false);
    });
    socket.once('error', () => done(false));
    socket.once('close', () => done(accept(received)));
  });
}

/** Runs a command to completion and throws with its output when it fails. */
export function runOrThrow(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): string {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: options.env ?? process.env,
    timeout: options.timeoutMs ?? 60_000,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${output}`);
  }
  return result.stdout;
}
