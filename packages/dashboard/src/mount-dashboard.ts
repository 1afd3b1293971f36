import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, LiveClock, type Logger, TRADING_STATES, ValidationError } from '@qtp/core';
import {
  createObservabilityHandler,
  HealthRegistry,
  MetricsRegistry,
  reportEventBusMetrics,
} from '@qtp/core/observability';
import type { PortfolioView, TradingEngine } from '@qtp/engine';
import { type AppAsset, loadAppAssets } from './app-assets.js';
import { BearerToken } from './bearer-token.js';
import { type ControlRoute, runControl, type StrategyControl } from './control-actions.js';
import type { TradingStateControl, VenueStatus } from './control-ports.js';
import { DashboardFeed } from './dashboard-feed.js';
import { LiveChannel } from './live-channel.js';

/** Options of {@link mountDashboard}. */
export interface DashboardOptions {
  /** The port to listen on (default 0: any free port, read it from the returned `url`). */
  port?: number;
  /** The address to bind (default `127.0.0.1`: nothing beyond this machine). */
  host?: string;
  /**
   * The bearer token the controls require, at least 16 printable characters (default none: every
   * control is refused). It is never logged, sent to the page or kept in plain form.
   */
  token?: string;
  /** Switches trading states; without it the risk view is read-only. */
  control?: TradingStateControl;
  /** Pauses and resumes strategies (default: stop and start them in the engine's strategy manager). */
  strategyControl?: StrategyControl;
  /** Reports each venue's connection, breaker and rate-limit usage (default: none known). */
  venueStatus?: () => readonly VenueStatus[];
  /** Where the dashboard logs (default the engine's logger, as component `dashboard`). */
  logger?: Logger;
  /** The registry `/metrics` serves (default a new one); the dashboard adds its series to it. */
  metrics?: MetricsRegistry;
  /** The registry `/health` and `/ready` run (default a new one); the dashboard adds its checks. */
  health?: HealthRegistry;
  /**
   * The clock that paces live updates (default a new `LiveClock`: pages update in wall time even
   * while the engine replays history on a simulated clock).
   */
  clock?: Clock;
  /** The least time between two updates of one view on the live channel, ms (default 250, at least 50). */
  updateIntervalMs?: number;
  /** The most points of the equity curve sent to the page (default 2000). */
  maxEquityPoints?: number;
  /** How many recent fills and refusals are kept (default 100; the event log keeps five times that). */
  recentItems?: number;
  /** The folder of the built web app (default the one shipped beside the package's code). */
  assetsDir?: string;
}

/** A mounted dashboard. */
export interface MountedDashboard {
  /** The base URL, such as `http://127.0.0.1:49152`. */
  readonly url: string;
  /** The port listened on. */
  readonly port: number;
  /** Closes the live channel, stops listening to the bus and closes the server. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;
const CONTROL_ROUTES = new Set<string>(['trading-state', 'cancel-order', 'strategy']);
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
} as const;

/**
 * Serves a live dashboard of a running engine on `node:http`: a single-page app (equity and
 * drawdown, positions, open orders, fills, strategies, risk states and refusals, venues, the
 * event log), `GET /api/snapshot` with every view as JSON, `GET /api/live` with server-sent
 * updates (at most one per view per `updateIntervalMs`), the controls under `POST /api/control/`
 * (`trading-state`, `cancel-order`, `strategy`) behind the bearer token, `/metrics` in the
 * Prometheus text format, `/health` (liveness) and `/ready` (readiness: the engine runs and every
 * venue reported is connected; its details name the engine's state, `RECONCILING` while it
 * recovers its journal, `RUNNING` or `NOT_RUNNING`).
 *
 * Every request must name this server in its `Host` header and, when it has an `Origin`, come
 * from the dashboard's own origin; others are refused with 403, which keeps other web pages
 * (and DNS rebinding) off the live channel and the controls. Each control request, once past
 * the token, is published on the bus as `dashboard.control` and logged; the token never is.
 *
 * @throws `ValidationError` naming `token`, `port`, `updateIntervalMs`, `maxEquityPoints`,
 * `recentItems` or `assetsDir` when one is out of range
 * @example
 * ```ts
 * import { mountDashboard } from '@qtp/dashboard';
 * const dashboard = await mountDashboard(engine, { port: 8080, token: process.env.QTP_TOKEN });
 * console.log(`dashboard at ${dashboard.url}`);
 * await engine.run(bars);
 * await dashboard.close();
 * ```
 */
export async function mountDashboard(
  engine: TradingEngine<PortfolioView>,
  options: DashboardOptions = {},
): Promise<MountedDashboard> {
  const host = options.host ?? '127.0.0.1';
  const port = checkInteger('port', options.port ?? 0, 0, 65_535);
  const intervalMs = checkInteger('updateIntervalMs', options.updateIntervalMs ?? 250, 50, 60_000);
  const maxEquityPoints = checkInteger('maxEquityPoints', options.maxEquityPoints ?? 2000, 10, 1e6);
  const recentItems = checkInteger('recentItems', options.recentItems ?? 100, 1, 100_000);
  const token = options.token === undefined ? undefined : new BearerToken(options.token);
  const assets = loadAppAssets(options.assetsDir);
  const logger = (options.logger ?? engine.logger).child({ component: 'dashboard' });
  const clock = options.clock ?? new LiveClock();
  const strategies: StrategyControl = options.strategyControl ?? {
    pause: (id) => engine.strategies.stop(id),
    resume: (id) => engine.strategies.start(id),
  };

  const feed = new DashboardFeed(engine, {
    control: options.control,
    venueStatus: options.venueStatus,
    strategiesControllable: true,
    maxEquityPoints,
    recentItems,
  });
  const live = new LiveChannel(feed, clock, intervalMs);
  const metrics = options.metrics ?? new MetricsRegistry();
  const health = options.health ?? new HealthRegistry();
  const controls = metrics.counter('qtp_dashboard_controls_total', 'Dashboard control requests.', [
    'action',
    'outcome',
  ]);
  const cleanups = [
    reportEventBusMetrics(engine.bus, metrics),
    reportEngineMetrics(engine, feed, live, metrics),
    health.register({ name: 'dashboard-engine', kind: 'liveness', check: () => 'UP' }),
    health.register({
      name: 'dashboard-engine-running',
      check: () => {
        const state = engineState(engine);
        return { status: state === 'RUNNING' ? 'UP' : 'DOWN', details: { state } };
      },
    }),
    health.register({
      name: 'dashboard-venues',
      check: () => {
        const down = (options.venueStatus?.() ?? []).filter((venue) => !venue.connected);
        return down.length === 0
          ? 'UP'
          : { status: 'DOWN', details: { down: down.map((venue) => venue.venue) } };
      },
    }),
  ];
  const observability = createObservabilityHandler({ health, metrics, logger });
  const deps = {
    engine,
    control: options.control,
    strategies,
    logger,
    onOutcome: (action: string, outcome: string) => controls.inc({ action, outcome }),
  };

  let origin = '';
  let allowedHosts = new Set<string>();
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.warn('dashboard request failed', { err: error, path: pathOf(request) });
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('internal error\n');
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = pathOf(request);
    if (!allowedHosts.has(request.headers.host ?? '')) {
      return sendJson(response, 403, {
        error: 'FORBIDDEN',
        message: 'host: must name this server',
      });
    }
    const from = request.headers.origin;
    if (from !== undefined && from !== origin) {
      logger.warn('dashboard request from another origin refused', { path });
      return sendJson(response, 403, {
        error: 'FORBIDDEN',
        message: 'origin: must be the dashboard',
      });
    }
    if (path === '/metrics' || path === '/health' || path === '/ready') {
      return observability(request, response);
    }
    if (path.startsWith('/api/control/')) {
      const route = path.slice('/api/control/'.length);
      if (!CONTROL_ROUTES.has(route)) return sendJson(response, 404, { error: 'NOT_FOUND' });
      if (request.method !== 'POST')
        return sendJson(response, 405, { error: 'METHOD_NOT_ALLOWED' });
      if (token === undefined || !token.matches(request.headers.authorization)) {
        logger.warn('dashboard control refused', {
          path,
          why: token === undefined ? 'no token configured' : 'missing or wrong token',
        });
        controls.inc({ action: route, outcome: 'unauthorized' });
        response.setHeader('www-authenticate', 'Bearer');
        return sendJson(response, 401, {
          error: 'UNAUTHORIZED',
          message: 'authorization: must carry the control token',
        });
      }
      if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
        return sendJson(response, 415, {
          error: 'UNSUPPORTED_MEDIA_TYPE',
          message: 'content-type: must be application/json',
        });
      }
      const body = await readJson(request);
      if (!body.ok) return sendJson(response, 400, { error: 'VALIDATION', message: body.message });
      const result = await runControl(route as ControlRoute, body.value, deps);
      return sendJson(response, result.status, result.body);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendJson(response, 405, { error: 'METHOD_NOT_ALLOWED' });
    }
    if (path === '/api/snapshot') return sendJson(response, 200, feed.snapshot());
    if (path === '/api/meta') {
      return sendJson(response, 200, {
        reportingCurrency: engine.reportingCurrency,
        tradingStates: TRADING_STATES,
        controlsEnabled: token !== undefined,
        updateIntervalMs: intervalMs,
      });
    }
    if (path === '/api/live') {
      live.add(response);
      return;
    }
    const asset = assets.get(path);
    if (asset === undefined) return sendJson(response, 404, { error: 'NOT_FOUND' });
    return sendAsset(request, response, asset);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${urlHost}:${address.port}`;
  allowedHosts = new Set([`${urlHost}:${address.port}`, `localhost:${address.port}`]);
  logger.info('dashboard listening', { url: origin });

  let closed = false;
  return {
    url: origin,
    port: address.port,
    close: async () => {
      if (closed) return;
      closed = true;
      live.close();
      feed.close();
      for (const cleanup of cleanups) cleanup();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      });
    },
  };
}

function reportEngineMetrics(
  engine: TradingEngine<PortfolioView>,
  feed: DashboardFeed,
  live: LiveChannel,
  metrics: MetricsRegistry,
): () => void {
  const equity = metrics.gauge('qtp_equity', 'Equity in the reporting currency.', ['currency']);
  const openOrders = metrics.gauge('qtp_open_orders', 'Orders working at a venue.');
  const fills = metrics.gauge(
    'qtp_dashboard_fills_seen',
    'Fills seen since the dashboard was mounted.',
  );
  const refusals = metrics.gauge(
    'qtp_orders_denied',
    'Orders refused before they were sent, since mounting, by reason.',
    ['code'],
  );
  const state = metrics.gauge(
    'qtp_trading_state',
    'Trading state of each scope: 1 for the current state.',
    ['scope', 'state'],
  );
  const clients = metrics.gauge(
    'qtp_dashboard_live_clients',
    'Pages connected to the live channel.',
  );
  return metrics.onCollect(() => {
    try {
      equity.set({ currency: engine.reportingCurrency }, engine.equity());
    } catch {
      // No mark yet for an asset held: equity is unknown, so the series keeps its last value.
    }
    openOrders.set({}, engine.orderManager.openOrders().length);
    const counts = feed.counts();
    fills.set({}, counts.fills);
    for (const [code, count] of counts.refusals) refusals.set({ code }, count);
    for (const row of feed.tradingStates()) {
      const scope = `${row.scope.kind}:${row.scope.id}`;
      for (const name of TRADING_STATES)
        state.set({ scope, state: name }, name === row.state ? 1 : 0);
    }
    clients.set({}, live.size);
  });
}

// The engine's lifecycle state by name, for readiness: RECONCILING while it recovers its journal.
function engineState(
  engine: TradingEngine<PortfolioView>,
): 'RECONCILING' | 'RUNNING' | 'NOT_RUNNING' {
  if (engine.reconciling) return 'RECONCILING';
  return engine.running ? 'RUNNING' : 'NOT_RUNNING';
}

function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://localhost').pathname;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

function sendAsset(request: IncomingMessage, response: ServerResponse, asset: AppAsset): void {
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': asset.contentType,
    'content-length': asset.body.length,
    'cache-control': 'no-cache',
  });
  response.end(request.method === 'HEAD' ? undefined : asset.body);
}

async function readJson(
  request: IncomingMessage,
): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      return { ok: false, message: `body: must be at most ${MAX_BODY_BYTES} bytes` };
    chunks.push(chunk as Buffer);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { ok: false, message: 'body: must be JSON' };
  }
}

function checkInteger(field: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ValidationError(field, `be an integer from ${min} to ${max}`, value);
  }
  return value;
}
