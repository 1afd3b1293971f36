import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import setup, { EAGER_ENV } from '../src/global-setup.js';
import {
  sharedPostgres,
  sharedRabbitMq,
  sharedRedis,
  startPostgres,
  startRabbitMq,
  startRedis,
  type TestService,
} from '../src/index.js';
import { probeTcp, sleep } from '../src/process.js';
import { RUN_DIR_ENV, requestShared, SERVED_ENV } from '../src/shared.js';

const redisCli = (port: number, ...args: string[]) =>
  spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
    encoding: 'utf8',
  }).stdout.trim();

const started: TestService[] = [];
afterAll(async () => {
  for (const service of started) await service.stop();
});

describe('startRedis', () => {
  it('keeps an acknowledged write across kill and restart with the append-only file', async () => {
    const redis = await startRedis({ persistence: 'aof' });
    started.push(redis);
    expect(redisCli(redis.port, 'SET', 'k', 'v')).toBe('OK');
    await redis.kill();
    expect(redisCli(redis.port, 'PING')).not.toBe('PONG');
    await redis.restart();
    expect(redisCli(redis.port, 'GET', 'k')).toBe('v');
  });

  it('starts empty after a restart without persistence', async () => {
    const redis = await startRedis();
    started.push(redis);
    redisCli(redis.port, 'SET', 'k', 'v');
    await redis.restart();
    expect(redisCli(redis.port, 'EXISTS', 'k')).toBe('0');
  });
});

describe('startPostgres', () => {
  it('keeps a committed row across an immediate shutdown and restart', async () => {
    const pg = await startPostgres();
    started.push(pg);
    const url = await pg.createDatabase('keeps_rows');
    expect(url).toBe(`postgres://postgres@127.0.0.1:${pg.port}/keeps_rows`);
    pg.psql('CREATE TABLE t (v int); INSERT INTO t VALUES (41), (1)', 'keeps_rows');
    await pg.kill();
    await pg.restart();
    expect(pg.psql('SELECT sum(v) FROM t', 'keeps_rows').trim()).toBe('42');
  });

  it('keeps the data directory owned by the postgres user when run as root', async () => {
    const pg = await startPostgres();
    started.push(pg);
    const owner = statSync(join(pg.dir, 'data')).uid;
    if (userInfo().uid === 0) expect(owner).not.toBe(0);
    else expect(owner).toBe(userInfo().uid);
  });
});

describe('startRabbitMq', () => {
  it('answers an AMQP handshake again after kill and restart', async () => {
    const rabbit = await startRabbitMq({ vhostPool: 2 });
    started.push(rabbit);
    const header = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1]);
    const isStart = (reply: Buffer) => reply[0] === 1 && reply.length > 11;
    await rabbit.kill();
    expect(await probeTcp(rabbit.port, header, isStart)).toBe(false);
    await rabbit.restart();
    expect(await probeTcp(rabbit.port, header, isStart)).toBe(true);
    expect(rabbit.pooledVhosts).toEqual(['qtp-1', 'qtp-2']);
    expect(await rabbit.createVhost('extra')).toBe(
      `amqp://guest:guest@127.0.0.1:${rabbit.port}/extra`,
    );
    // Two boots of an Erlang node: seconds each on a quiet machine, far more on a loaded one.
  }, 180_000);
});

describe('shared servers', () => {
  it('start once per run and hand out distinct prefixes, vhosts and databases', async () => {
    const [a, b] = await Promise.all([sharedRedis(), sharedRedis()]);
    expect(a.url).toBe(b.url);
    expect(redisCli(Number(new URL(a.url).port), 'PING')).toBe('PONG');
    expect(a.keyPrefix('x')).not.toBe(a.keyPrefix('x'));
    const rabbit = await sharedRabbitMq();
    const vhosts = await Promise.all([rabbit.takeVhost(), rabbit.takeVhost()]);
    expect(new Set(vhosts).size).toBe(2);
    const pg = await sharedPostgres();
    const first = await pg.takeDatabase('journal');
    const second = await pg.takeDatabase('journal');
    expect(first).not.toBe(second);
    const names = pg.psql("SELECT datname FROM pg_database WHERE datname LIKE 'journal_%'");
    expect(names.trim().split('\n').sort()).toEqual(
      [first, second].map((url) => new URL(url).pathname.slice(1)).sort(),
    );
    // The first boot of each, when no eager run started them, can take a minute on a loaded machine.
  }, 180_000);
});

describe('the global setup', () => {
  it('boots a server a test process asked for in its own process and stops it at the end', async () => {
    const saved = [RUN_DIR_ENV, SERVED_ENV, EAGER_ENV].map((name) => [name, process.env[name]]);
    delete process.env[EAGER_ENV];
    const teardown = setup();
    const runDir = process.env[RUN_DIR_ENV] ?? '';
    for (const [name = '', value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    try {
      // Only the request: a test process that ends right after it never starts anything itself.
      expect(requestShared(runDir, 'redis')).toBe(true);
      expect(requestShared(runDir, 'redis')).toBe(false);
      const record = join(runDir, 'redis.json');
      while (!existsSync(record)) await sleep(50);
      const { port } = JSON.parse(readFileSync(record, 'utf8')) as { port: number };
      expect(redisCli(port, 'PING')).toBe('PONG');
      await teardown();
      expect(redisCli(port, 'PING')).not.toBe('PONG');
      expect(existsSync(runDir)).toBe(false);
    } finally {
      await teardown();
    }
  });
});
