import { Decimal } from '@qtp/core';
import { afterEach, describe, expect, it } from 'vitest';
import { get, startServer, TestSocket, type Wire } from './test-fixtures.js';

type Started = Awaited<ReturnType<typeof startServer>>;
let started: Started | undefined;
const sockets: TestSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await started?.server.stop();
  started = undefined;
});
const open = async (url: string) => {
  const socket = await TestSocket.open(url);
  sockets.push(socket);
  return socket;
};

// The spec's local-book procedure (§7.6): snapshot, then diffs with U <= id + 1 <= u.
function applyDiff(
  book: { bids: Map<string, string>; asks: Map<string, string>; id: number },
  diff: Wire,
): void {
  if (diff.u <= book.id) return;
  if (diff.U > book.id + 1) throw new Error(`gap: book at ${book.id}, diff starts at ${diff.U}`);
  for (const [side, levels] of [
    ['bids', diff.b],
    ['asks', diff.a],
  ] as const) {
    for (const [price, quantity] of levels as [string, string][]) {
      if (new Decimal(quantity).isZero()) book[side].delete(price);
      else book[side].set(price, quantity);
    }
  }
  book.id = diff.u;
}

describe('BinanceServer market streams', () => {
  it('sends depth diffs that rebuild the REST book from its snapshot', async () => {
    const { server } = await start();
    const socket = await open(`${server.streamUrl}/ws/btcusdt@depth@100ms`);
    const snapshot = (await get(server, '/api/v3/depth?symbol=BTCUSDT&limit=1000')).body;
    const book = {
      bids: new Map<string, string>(snapshot.bids),
      asks: new Map<string, string>(snapshot.asks),
      id: snapshot.lastUpdateId,
    };
    server.setPrice('BTCUSDT', '37600.05');
    server.setPrice('BTCUSDT', '37599.50');
    const first = await socket.next();
    const second = await socket.next();
    expect(first.e).toBe('depthUpdate');
    expect(first.U).toBe(snapshot.lastUpdateId + 1);
    expect(second.U).toBe(first.u + 1);
    applyDiff(book, first);
    applyDiff(book, second);
    const after = (await get(server, '/api/v3/depth?symbol=BTCUSDT&limit=1000')).body;
    expect(book.id).toBe(after.lastUpdateId);
    expect([...book.bids.entries()].sort()).toEqual([...after.bids].sort());
    expect([...book.asks.entries()].sort()).toEqual([...after.asks].sort());
  });

  it('shows a gap in update ids when depth updates are skipped', async () => {
    const { server } = await start();
    const socket = await open(`${server.streamUrl}/ws/btcusdt@depth`);
    server.setPrice('BTCUSDT', '37601');
    const before = await socket.next();
    server.skipDepthUpdates('BTCUSDT', 3);
    server.setPrice('BTCUSDT', '37602');
    const after = await socket.next();
    expect(after.U).toBe(before.u + 4);
  });

  it('subscribes, lists and unsubscribes on a plain /ws/<n> connection', async () => {
    const { server } = await start({ connections: { maxMessagesPerSecond: 20 } });
    const socket = await open(`${server.streamUrl}/ws/0`);
    socket.send({ method: 'SUBSCRIBE', params: ['btcusdt@trade', 'btcusdt@bookTicker'], id: 1 });
    expect(await socket.next((m) => m.id === 1)).toEqual({ result: null, id: 1 });
    socket.send({ method: 'LIST_SUBSCRIPTIONS', id: 2 });
    expect(await socket.next((m) => m.id === 2)).toEqual({
      result: ['btcusdt@trade', 'btcusdt@bookTicker'],
      id: 2,
    });
    server.trade('BTCUSDT', '37600.01', '0.5', false, 1_700_000_000_500);
    expect(await socket.next((m) => m.e === 'trade')).toMatchObject({
      s: 'BTCUSDT',
      t: 1,
      p: '37600.01000000',
      q: '0.50000000',
      T: 1_700_000_000_500,
      m: false,
    });
    socket.send({ method: 'UNSUBSCRIBE', params: ['btcusdt@trade'], id: 3 });
    expect(await socket.next((m) => m.id === 3)).toEqual({ result: null, id: 3 });
    socket.send({ method: 'LIST_SUBSCRIPTIONS', id: 4 });
    expect((await socket.next((m) => m.id === 4)).result).toEqual(['btcusdt@bookTicker']);
    socket.send({ method: 'NOPE', id: 5 });
    expect((await socket.next((m) => m.id === 5)).code).toBe(2);
    socket.socket.send('{not json');
    expect((await socket.next((m) => m.code === 3)).msg).toMatch(/^Invalid JSON/);
  });

  it('closes a connection that sends more than five messages in a second', async () => {
    const { server } = await start();
    const socket = await open(`${server.streamUrl}/ws`);
    const closed = new Promise<void>((resolve) => socket.socket.once('close', () => resolve()));
    for (let id = 1; id <= 5; id++) socket.send({ method: 'LIST_SUBSCRIPTIONS', id });
    for (let id = 1; id <= 5; id++)
      expect(await socket.next((m) => m.id === id)).toEqual({ result: [], id });
    socket.send({ method: 'LIST_SUBSCRIPTIONS', id: 6 });
    await closed;
    expect(socket.messages).toEqual([]);
  });

  it('wraps payloads on a combined connection and sends bookTicker on the update-id sequence', async () => {
    const { server } = await start();
    const socket = await open(
      `${server.streamUrl}/stream?streams=btcusdt@bookTicker/btcusdt@aggTrade`,
    );
    server.setPrice('BTCUSDT', '37700');
    const ticker = await socket.next((m) => m.stream === 'btcusdt@bookTicker');
    const depth = (await get(server, '/api/v3/depth?symbol=BTCUSDT&limit=1')).body;
    expect(ticker.data).toEqual({
      u: depth.lastUpdateId,
      s: 'BTCUSDT',
      b: '37699.99000000',
      B: '0.20000000',
      a: '37700.01000000',
      A: '0.20000000',
    });
    server.trade('BTCUSDT', '37700', '0.1', true);
    expect((await socket.next((m) => m.stream === 'btcusdt@aggTrade')).data).toMatchObject({
      e: 'aggTrade',
      a: 1,
      f: 1,
      l: 1,
      m: true,
    });
  });

  it('publishes a 1m kline built from trades and closes it when the next minute starts', async () => {
    const { server } = await start();
    const socket = await open(`${server.streamUrl}/ws/btcusdt@kline_1m`);
    const minute = 1_700_000_040_000;
    server.trade('BTCUSDT', '100', '1', false, minute + 1000);
    server.trade('BTCUSDT', '102', '2', true, minute + 2000);
    server.trade('BTCUSDT', '101', '1', false, minute + 60_000);
    const updates = [
      await socket.next(),
      await socket.next(),
      await socket.next(),
      await socket.next(),
    ];
    const closed = updates.find((u) => u.k.x === true);
    // 1 x 100 + 2 x 102 = 304 quote; taker buys: the first trade only
    expect(closed.k).toMatchObject({
      t: minute,
      T: minute + 59_999,
      o: '100.00000000',
      h: '102.00000000',
      l: '100.00000000',
      c: '102.00000000',
      v: '3.00000000',
      q: '304.00000000',
      n: 2,
      V: '1.00000000',
      Q: '100.00000000',
      f: 1,
      L: 2,
    });
    const rows = (await get(server, '/api/v3/klines?symbol=BTCUSDT&interval=1m')).body;
    expect(rows[0]).toEqual([
      minute,
      '100.00000000',
      '102.00000000',
      '100.00000000',
      '102.00000000',
      '3.00000000',
      minute + 59_999,
      '304.00000000',
      2,
      '1.00000000',
      '100.00000000',
      '0',
    ]);
    expect(rows).toHaveLength(2);
    const fiveMinute = (await get(server, '/api/v3/klines?symbol=BTCUSDT&interval=5m')).body;
    // 1_700_000_040_000 is the last minute of the five-minute bar opening at 1_699_999_800_000
    expect(fiveMinute.map((row: Wire[]) => [row[0], row[5]])).toEqual([
      [1_699_999_800_000, '3.00000000'],
      [1_700_000_100_000, '1.00000000'],
    ]);
  });

  it('pings and closes a connection that stops answering, and ends it at its lifetime', async () => {
    const { server, clock } = await start({
      connections: { pingIntervalMs: 1000, pongTimeoutMs: 3000, maxConnectionMs: 10_000 },
    });
    const quiet = await TestSocket.open(`${server.streamUrl}/ws/btcusdt@trade`, {
      autoPong: false,
    });
    sockets.push(quiet);
    const alive = await open(`${server.streamUrl}/ws/btcusdt@trade`);
    const closed = new Promise<void>((resolve) => quiet.socket.once('close', () => resolve()));
    const ended = new Promise<number>((resolve) =>
      alive.socket.once('close', (code) => resolve(code)),
    );
    const pinged = () => new Promise<void>((resolve) => alive.socket.once('ping', () => resolve()));
    for (let t = 1000; t < 10_000; t += 1000) {
      const ping = pinged();
      clock.advanceTo(1_700_000_000_000 + t);
      // the alive client answers each ping before the next one is due
      await ping;
      await alive.roundTrip();
      if (t === 4000) {
        await closed;
        expect(alive.socket.readyState).toBe(alive.socket.OPEN);
      }
    }
    clock.advanceTo(1_700_000_010_000);
    expect(await ended).toBe(1000);
  });

  it('sends serverShutdown raw and combined', async () => {
    const { server } = await start();
    const raw = await open(`${server.streamUrl}/ws/btcusdt@trade`);
    const combined = await open(`${server.streamUrl}/stream?streams=btcusdt@trade`);
    server.announceShutdown();
    expect(await raw.next()).toEqual({ e: 'serverShutdown', E: 1_700_000_000_000 });
    expect(await combined.next()).toEqual({
      stream: '!serverShutdown',
      data: { e: 'serverShutdown', E: 1_700_000_000_000 },
    });
  });
});

async function start(...args: Parameters<typeof startServer>) {
  started = await startServer(...args);
  return started;
}
