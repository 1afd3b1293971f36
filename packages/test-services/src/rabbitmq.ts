import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import {
  isAlive,
  probeTcp,
  runOrThrow,
  type ServerProcess,
  signalGroup,
  spawnServer,
  waitForExit,
  waitUntil,
} from './process.js';
import type { StartServiceOptions, TeardownRecord, TestService } from './service.js';

/** A running RabbitMQ node, with the means to add vhosts to it. */
export interface RabbitMqService extends TestService {
  /** The node name, `qtp-PORT@localhost`. */
  readonly nodeName: string;
  /** The vhosts created at boot for test files to take (see `takeVhost`). */
  readonly pooledVhosts: readonly string[];
  /**
   * Creates a vhost with full permissions for `guest` and returns its `amqp://` URL. Uses
   * `rabbitmqctl`, which takes a second or two; prefer a pooled vhost.
   */
  createVhost(name: string): Promise<string>;
  /** Returns the `amqp://` URL of `vhost` on this node. */
  vhostUrl(vhost: string): string;
  /** What a teardown in another process needs to stop this node. */
  teardownRecord(): TeardownRecord;
}

/** Options of {@link startRabbitMq}. */
export interface StartRabbitMqOptions extends StartServiceOptions {
  /** How many vhosts (`qtp-1` ... `qtp-N`) to create at boot for test files; 32 by default. */
  readonly vhostPool?: number;
}

const RABBIT_BIN = '/usr/lib/rabbitmq/bin';

function rabbitBin(tool: string): string {
  const direct = join(RABBIT_BIN, tool);
  return existsSync(direct) ? direct : tool;
}

// Connection.Start arrives as a method frame (type 1) on channel 0 after the protocol header.
const AMQP_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1]);
const isConnectionStart = (reply: Buffer) =>
  reply.length >= 11 && reply[0] === 1 && reply[1] === 0 && reply[2] === 0;

/**
 * Starts a RabbitMQ node of its own (node name, AMQP port, distribution port and epmd port, data
 * and logs in a temporary directory, no plugins) and resolves once it answers an AMQP handshake.
 * A pool of vhosts with full permissions for `guest` is created at boot from a definitions file.
 *
 * @example
 * ```ts
 * import { startRabbitMq } from '@qtp/test-services';
 * const rabbit = await startRabbitMq();
 * console.log(rabbit.vhostUrl('qtp-1')); // amqp://guest:guest@127.0.0.1:PORT/qtp-1
 * await rabbit.stop();
 * ```
 */
export async function startRabbitMq(options: StartRabbitMqOptions = {}): Promise<RabbitMqService> {
  const port = options.port ?? (await freePort());
  const distPort = await freePort();
  const epmdPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'qtp-rabbitmq-'));
  const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;
  const nodeName = `qtp-${port}@localhost`;
  const pooledVhosts = Array.from({ length: options.vhostPool ?? 32 }, (_, i) => `qtp-${i + 1}`);
  const vhosts = ['/', ...pooledVhosts];
  const definitions = {
    users: [{ name: 'guest', password: 'guest', tags: ['administrator'] }],
    vhosts: vhosts.map((name) => ({ name })),
    permissions: vhosts.map((vhost) => ({
      user: 'guest',
      vhost,
      configure: '.*',
      write: '.*',
      read: '.*',
    })),
  };
  for (const sub of ['mnesia', 'log', 'home']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'definitions.json'), JSON.stringify(definitions));
  writeFileSync(
    join(dir, 'rabbitmq.conf'),
    [
      `listeners.tcp.default = 127.0.0.1:${port}`,
      `definitions.local.path = ${join(dir, 'definitions.json')}`,
      'definitions.import_backend = local_filesystem',
      'loopback_users = none',
      'log.console = false',
      'log.file.level = warning',
      'vm_memory_high_watermark.relative = 0.2',
      'disk_free_limit.absolute = 50MB',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: join(dir, 'home'),
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    ERL_EPMD_PORT: String(epmdPort),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
  };
  writeFileSync(join(dir, 'rabbitmq-env.conf'), '');
  let server: ServerProcess | undefined;

  const boot = async () => {
    const started = spawnServer(rabbitBin('rabbitmq-server'), [], {
      env,
      cwd: dir,
      logFile: join(dir, 'server.log'),
    });
    server = started;
    await waitUntil(
      `rabbitmq-server on port ${port}`,
      () => probeTcp(port, AMQP_HEADER, isConnectionStart),
      readyTimeoutMs,
      () => isAlive(started.pid),
    );
  };
  const end = async (signal: NodeJS.Signals) => {
    if (server === undefined) return;
    const { pid } = server;
    server = undefined;
    signalGroup(pid, signal);
    await waitForExit(pid, 20_000);
  };
  const stopEpmd = () => {
    try {
      runOrThrow('epmd', ['-port', String(epmdPort), '-kill'], { env, timeoutMs: 5000 });
    } catch {
      // No epmd was started on that port.
    }
  };

  const createVhost = async (name: string) => {
    const ctl = rabbitBin('rabbitmqctl');
    const common = ['-n', nodeName];
    runOrThrow(ctl, [...common, 'add_vhost', name], { env });
    runOrThrow(ctl, [...common, 'set_permissions', '-p', name, 'guest', '.*', '.*', '.*'], {
      env,
    });
    return vhostUrl(name);
  };
  await boot();
  const vhostUrl = (vhost: string) =>
    `amqp://guest:guest@127.0.0.1:${port}/${encodeURIComponent(vhost)}`;
  return {
    url: vhostUrl('/'),
    port,
    dir,
    nodeName,
    pooledVhosts,
    vhostUrl,
    createVhost,
    teardownRecord: () => ({
      dir,
      processGroups: server === undefined ? [] : [server.pid],
      commands: [['epmd', '-port', String(epmdPort), '-kill']],
    }),
    async stop() {
      await end('SIGTERM');
      stopEpmd();
      rmSync(dir, { recursive: true, force: true });
    },
    kill: () => end('SIGKILL'),
    async restart() {
      await end('SIGKILL');
      await boot();
    },
  };
}
