// The dashboard's HTTP API against a real engine replaying real bars: the controls' token and
// validation, the origin and host checks, the control events, /metrics and /health.
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toClientOrderId } from '@qtp/core';
import {
  type DashboardControlEvent,
  type DashboardOptions,
  type MountedDashboard,
  mountDashboard,
} from '@qtp/dashboard';
import type { TradingEngine } from '@qtp/engine';
import { InMemoryOrderJournal } from '@qtp/oms';
import { maxDrawdown } from '@qtp/portfolio';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../scripts/build-app.mjs';
import { recordingLogger } from './recording-logger.js';
import { accountState, replayEngine, XRPETH } from './replay-fixture.js';

const TOKEN = 'k3y-Of-the-Operator-9f8e7d6c';
let assetsDir: string;
const open: { engine: TradingEngine; dashboard: MountedDashboard }[] = [];

beforeAll(async () => {
  assetsDir = await mkdtemp(join(tmpdir(), 'qtp-dashboard-app-'));
  await buildApp(assetsDir);
});

afterAll(async () => {
  await rm(assetsDir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const { engine, dashboard } of open.splice(0)) {
    await dashboard.close();
    await engine.stop();
  }
});

async function setup(options: DashboardOptions & { withoutToken?: boolean } = {}) {
  const lines: string[] = [];
  const { engine, risk, control, bars } = await replayEngine();
  const { withoutToken, ...rest } = options;
  const dashboard = await mountDashboard(engine, {
    ...(withoutToken === true ? {} : { token: TOKEN }),
    control,
    assetsDir,
    logger: recordingLogger(lines),
    ...rest,
  });
  open.push({ engine, dashboard });
  const controls: DashboardControlEvent[] = [];
  (
    engine.bus as unknown as { subscribe(t: string, h: (e: DashboardControlEvent) => void): void }
  ).subscribe('dashboard.control', (event) => controls.push(event));
  return { engine, risk, bars, dashboard, lines, controls };
}

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const auth = { authorization: `Bearer ${TOKEN}` };

// fetch() will not send a forged Host header, so these requests go through node:http.
function raw(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; type: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers }, (response) => {
      resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'] ?? '' });
      response.destroy();
    });
    request.on('error', reject);
    request.end();
  });
}

describe('controls', () => {
  it('refuses a control without the token, with a wrong one and when no token is configured', async () => {
    const { dashboard, risk, controls } = await setup();
    const body = { state: 'HALT_ENTRIES', reason: 'test' };
    const url = `${dashboard.url}/api/control/trading-state`;
    expect((await post(url, body)).status).toBe(401);
    expect((await post(url, body, { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await post(url, body, { authorization: TOKEN })).status).toBe(401);
    expect((await post(url, body, { authorization: 'Bearer ' })).status).toBe(401);
    expect(accountState(risk)).toBe('ACTIVE');
    expect(controls).toEqual([]);

    const { dashboard: closed } = await setup({ withoutToken: true });
    const refused = await post(`${closed.url}/api/control/trading-state`, body, auth);
    expect(refused.status).toBe(401);
  });

  it('switches the trading state with the token, publishes the control and logs it', async () => {
    const { dashboard, risk, controls, lines, engine } = await setup();
    const response = await post(
      `${dashboard.url}/api/control/trading-state`,
      { state: 'REDUCE_ONLY', reason: 'volatility spike', operator: 'ana' },
      auth,
    );
    expect(response.status).toBe(200);
    expect(accountState(risk)).toBe('REDUCE_ONLY');
    expect(controls).toEqual([
      {
        type: 'dashboard.control',
        action: 'setTradingState',
        target: 'REDUCE_ONLY',
        setBy: 'dashboard:ana',
        reason: 'volatility spike',
        outcome: 'applied',
        timeMs: engine.clock.now(),
      },
    ]);
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({
        message: 'dashboard control',
        action: 'setTradingState',
        setBy: 'dashboard:ana',
      }),
    );
    const snapshot = (await (await fetch(`${dashboard.url}/api/snapshot`)).json()) as {
      risk: { states: { state: string; setBy: string | null }[] };
    };
    expect(snapshot.risk.states).toEqual([
      expect.objectContaining({ state: 'REDUCE_ONLY', setBy: 'dashboard:ana' }),
    ]);
  });

  it('validates control input with zod and names the field', async () => {
    const { dashboard, risk, controls } = await setup();
    const url = `${dashboard.url}/api/control/trading-state`;
    const cases: [unknown, number, string][] = [
      [{ state: 'PANIC', reason: 'x' }, 400, 'state'],
      [{ state: 'HALTED' }, 400, 'reason'],
      [{ state: 'HALTED', reason: '   ' }, 400, 'reason'],
      [{ state: 'HALTED', reason: 'x', extra: 1 }, 400, '(root)'],
      [{ state: 'HALTED', reason: 'x', scope: { kind: 'desk', id: 'a' } }, 400, 'scope.kind'],
      [{ state: 'HALTED', reason: 'x', operator: 'a b' }, 400, 'operator'],
      [{ state: 'HALTED', reason: 'x'.repeat(501) }, 400, 'reason'],
    ];
    for (const [body, status, field] of cases) {
      const response = await post(url, body, auth);
      expect(response.status, JSON.stringify(body)).toBe(status);
      const answer = (await response.json()) as { issues?: { field: string }[] };
      expect(answer.issues?.map((issue) => issue.field)).toContain(field);
    }
    expect((await post(url, '{"state":', auth)).status).toBe(400);
    expect((await post(url, JSON.stringify({ reason: 'x'.repeat(20_000) }), auth)).status).toBe(
      400,
    );
    const text = await fetch(url, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(text.status).toBe(415);
    expect((await fetch(url, { headers: auth })).status).toBe(405);
    expect(accountState(risk)).toBe('ACTIVE');
    expect(controls).toEqual([]);
  });

  it('cancels an open order and answers 404 for an unknown one', async () => {
    const { dashboard, engine, bars, controls } = await setup();
    for (const bar of bars.slice(0, 5)) engine.process(bar);
    const order = engine.orderManager.submit({
      instrumentId: XRPETH,
      side: 'BUY',
      type: 'LIMIT',
      quantity: '100',
      price: '0.0001',
      clientOrderId: toClientOrderId('far-below'),
    });
    await engine.orderManager.flush();
    expect(engine.orderManager.getOrder(order.clientOrderId)?.isOpen).toBe(true);
    const orders = (await (await fetch(`${dashboard.url}/api/snapshot`)).json()) as {
      orders: { rows: { clientOrderId: string; price: string }[] };
    };
    expect(orders.orders.rows).toEqual([
      expect.objectContaining({ clientOrderId: 'far-below', price: '0.0001' }),
    ]);

    const url = `${dashboard.url}/api/control/cancel-order`;
    const response = await post(url, { clientOrderId: 'far-below', reason: 'stale' }, auth);
    expect(response.status).toBe(200);
    await engine.orderManager.flush();
    expect(engine.orderManager.getOrder(order.clientOrderId)?.status).toBe('CANCELED');
    expect(controls.map((event) => [event.action, event.target, event.outcome])).toEqual([
      ['cancelOrder', 'far-below', 'applied'],
    ]);
    expect((await post(url, { clientOrderId: 'nope', reason: 'x' }, auth)).status).toBe(404);
  });

  it('pauses and resumes a strategy through the engine', async () => {
    const { dashboard, engine } = await setup();
    const url = `${dashboard.url}/api/control/strategy`;
    expect(
      (await post(url, { strategyId: 'sma', action: 'pause', reason: 'review' }, auth)).status,
    ).toBe(200);
    expect(engine.strategies.get('sma').state).toBe('stopped');
    expect(
      (await post(url, { strategyId: 'sma', action: 'resume', reason: 'ok' }, auth)).status,
    ).toBe(200);
    expect(engine.strategies.get('sma').state).toBe('running');
    expect(
      (await post(url, { strategyId: 'other', action: 'pause', reason: 'x' }, auth)).status,
    ).toBe(400);
  });
});

describe('security', () => {
  it('never writes the token into a log line or anything the server sends', async () => {
    const { dashboard, engine, bars, lines } = await setup();
    for (const bar of bars) engine.process(bar);
    await post(
      `${dashboard.url}/api/control/trading-state`,
      { state: 'HALTED', reason: 'x' },
      auth,
    );
    await post(
      `${dashboard.url}/api/control/trading-state`,
      { state: 'HALTED', reason: 'x' },
      {
        authorization: `Bearer ${TOKEN.slice(0, -1)}`,
      },
    );
    for (const path of [
      '/',
      '/app.js',
      '/app.css',
      '/api/snapshot',
      '/api/meta',
      '/metrics',
      '/health',
      '/ready',
    ]) {
      const text = await (await fetch(`${dashboard.url}${path}`)).text();
      expect(text.length, path).toBeGreaterThan(0);
      expect(text.includes(TOKEN), path).toBe(false);
    }
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.some((line) => line.includes('dashboard control refused'))).toBe(true);
    expect(lines.filter((line) => line.includes(TOKEN.slice(4)))).toEqual([]);
  });

  it('refuses other origins and foreign host names on the live channel and the controls', async () => {
    const { dashboard, risk } = await setup();
    const live = `${dashboard.url}/api/live`;
    const own = await raw(live, { origin: dashboard.url });
    expect(own).toEqual({ status: 200, type: 'text/event-stream; charset=utf-8' });
    expect((await raw(live, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await raw(live, { origin: 'null' })).status).toBe(403);
    expect((await raw(live, { host: 'evil.example' })).status).toBe(403);
    const forged = await post(
      `${dashboard.url}/api/control/trading-state`,
      { state: 'HALTED', reason: 'x' },
      { ...auth, origin: 'http://evil.example' },
    );
    expect(forged.status).toBe(403);
    expect(accountState(risk)).toBe('ACTIVE');
  });

  it('binds to loopback by default and refuses a token too short to be one', async () => {
    const { dashboard } = await setup();
    expect(new URL(dashboard.url).hostname).toBe('127.0.0.1');
    const { engine } = await replayEngine();
    await expect(mountDashboard(engine, { token: 'short', assetsDir })).rejects.toThrow(/token/);
    await engine.stop();
  });
});

describe('views', () => {
  it('reports the equity curve and its max drawdown as the portfolio analytics compute them', async () => {
    const { dashboard, engine, bars } = await setup();
    for (const bar of bars) engine.process(bar);
    const snapshot = (await (await fetch(`${dashboard.url}/api/snapshot`)).json()) as {
      equity: { equity: number[]; maxDrawdown: number; recordedPoints: number };
      fills: { total: number; rows: { tradeId: string }[] };
      positions: { rows: { instrumentId: string; quantity: string; realizedPnl: string }[] };
      strategies: {
        rows: { id: string; state: string; fills: number; realizedPnl: Record<string, string> }[];
      };
    };
    const curve = engine.equityCurve().values;
    expect(snapshot.equity.recordedPoints).toBe(curve.length);
    expect(snapshot.equity.equity).toEqual(curve);
    expect(snapshot.equity.maxDrawdown).toBeCloseTo(maxDrawdown(curve), 12);
    const fills = engine.orderManager.orders().flatMap((order) => order.fills);
    expect(snapshot.fills.total).toBe(fills.length);
    const position = (engine.portfolio as import('@qtp/portfolio').Portfolio).position(XRPETH)!;
    expect(snapshot.positions.rows).toEqual([
      expect.objectContaining({
        instrumentId: 'XRPETH.BINANCE',
        quantity: position.quantity.toFixed(),
        realizedPnl: position.realizedPnl.amount.toFixed(),
      }),
    ]);
    // One strategy made every order, so its realised P&L is the position's.
    expect(snapshot.strategies.rows).toEqual([
      {
        id: 'sma',
        state: 'running',
        fills: fills.length,
        realizedPnl: { ETH: position.realizedPnl.amount.toFixed() },
      },
    ]);
  });
});

// An in-memory journal whose reload waits until the test lets it go, so the engine stays
// RECONCILING for as long as the test looks.
class HeldJournal extends InMemoryOrderJournal {
  release: () => void = () => {};
  readonly #held = new Promise<void>((resolve) => {
    this.release = resolve;
  });
  override async loadAll() {
    await this.#held;
    return super.loadAll();
  }
}

describe('readiness while the engine reconciles', () => {
  it('is not ready while RECONCILING, names the state, and is ready once running', async () => {
    const journal = new HeldJournal();
    const { engine } = await replayEngine({ orderJournal: journal, start: false });
    const dashboard = await mountDashboard(engine, { assetsDir, logger: recordingLogger([]) });
    open.push({ engine, dashboard });
    const started = engine.start();
    await new Promise((resolve) => setImmediate(resolve));
    expect(engine.reconciling).toBe(true);
    const reconciling = await fetch(`${dashboard.url}/ready`);
    expect(reconciling.status).toBe(503);
    expect(JSON.stringify(await reconciling.json())).toContain('"state":"RECONCILING"');
    journal.release();
    await started;
    const ready = await fetch(`${dashboard.url}/ready`);
    expect(ready.status).toBe(200);
    expect(JSON.stringify(await ready.json())).toContain('"state":"RUNNING"');
  });
});

describe('the risk view over the real risk engine', () => {
  it('shows the limits in use and the refusals by reason that the bus carried', async () => {
    const { dashboard, engine, bars } = await setup();
    const denied: string[] = [];
    (
      engine.bus as unknown as {
        subscribe(t: string, h: (e: { denial: { code: string } }) => void): void;
      }
    ).subscribe('order.denied', (event) => denied.push(event.denial.code));
    const half = Math.floor(bars.length / 2);
    for (const bar of bars.slice(0, half)) engine.process(bar);
    await post(
      `${dashboard.url}/api/control/trading-state`,
      { state: 'HALTED', reason: 'halt for the test' },
      auth,
    );
    for (const bar of bars.slice(half)) engine.process(bar);
    const snapshot = (await (await fetch(`${dashboard.url}/api/snapshot`)).json()) as {
      risk: {
        limits: { name: string; limit: number; used: number }[];
        refusalsByReason: { code: string; count: number }[];
        states: { scope: { kind: string; id: string }; state: string }[];
      };
    };
    const position = Math.abs(engine.portfolio.netQuantity(XRPETH).toNumber());
    expect(snapshot.risk.limits).toEqual([
      { name: 'account.maxPosition', limit: 1_000, used: position },
      {
        name: 'account.maxOpenOrders',
        limit: 10,
        used: engine.orderManager.openOrders().length,
        unit: 'orders',
      },
    ]);
    // The halted engine refused each order the strategy made in the second half, with the state.
    expect(denied.length).toBeGreaterThan(0);
    expect(new Set(denied)).toEqual(new Set(['HALTED']));
    expect(snapshot.risk.refusalsByReason).toEqual([{ code: 'HALTED', count: denied.length }]);
    expect(snapshot.risk.states).toEqual([
      expect.objectContaining({ scope: { kind: 'account', id: 'main' }, state: 'HALTED' }),
    ]);
  });

  it('resumes through the risk engine reset, which needs a reason', async () => {
    const { dashboard, risk } = await setup();
    const url = `${dashboard.url}/api/control/trading-state`;
    await post(url, { state: 'HALT_ENTRIES', reason: 'pause' }, auth);
    expect(accountState(risk)).toBe('HALT_ENTRIES');
    expect((await post(url, { state: 'ACTIVE', reason: 'all clear' }, auth)).status).toBe(200);
    expect(accountState(risk)).toBe('ACTIVE');
    expect(risk.states.entryOf({ kind: 'account', id: 'main' })).toMatchObject({
      setBy: 'dashboard',
      reason: 'all clear',
    });
  });
});

describe('metrics and health', () => {
  it('serves the equity, trading states and controls in the Prometheus format', async () => {
    const { dashboard, engine, bars } = await setup();
    for (const bar of bars) engine.process(bar);
    await post(
      `${dashboard.url}/api/control/trading-state`,
      { state: 'HALT_ENTRIES', reason: 'x' },
      auth,
    );
    const text = await (await fetch(`${dashboard.url}/metrics`)).text();
    expect(text).toContain(`qtp_equity{currency="ETH"} ${engine.equity()}`);
    expect(text).toContain('qtp_trading_state{scope="account:main",state="HALT_ENTRIES"} 1');
    expect(text).toContain('qtp_trading_state{scope="account:main",state="ACTIVE"} 0');
    expect(text).toContain(
      'qtp_dashboard_controls_total{action="setTradingState",outcome="applied"} 1',
    );
    expect(text).toMatch(/qtp_bus_events_published_total\{topic="order\.fill"\} [1-9]/);
  });

  it('reports ready while the engine runs and every venue is up, not ready otherwise', async () => {
    let connected = true;
    const { dashboard, engine } = await setup({
      venueStatus: () => [{ venue: 'BINANCE', connected }],
    });
    expect((await fetch(`${dashboard.url}/health`)).status).toBe(200);
    expect((await fetch(`${dashboard.url}/ready`)).status).toBe(200);
    connected = false;
    const down = await fetch(`${dashboard.url}/ready`);
    expect(down.status).toBe(503);
    expect(JSON.stringify(await down.json())).toContain('BINANCE');
    connected = true;
    await engine.stop();
    expect((await fetch(`${dashboard.url}/ready`)).status).toBe(503);
    expect((await fetch(`${dashboard.url}/health`)).status).toBe(200);
  });
});
