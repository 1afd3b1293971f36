import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@qtp/core';
import { platformNow } from '../resilience/platform.js';
import type { HealthRegistry, HealthReport } from './health.js';
import type { MetricsRegistry } from './metrics.js';

/** Options of {@link createObservabilityHandler} and {@link createObservabilityServer}. */
export interface ObservabilityServerOptions {
  /** Serves `/health` (liveness checks) and `/ready` (readiness checks); without it both answer UP. */
  health?: HealthRegistry;
  /** Serves `/metrics`; without it `/metrics` answers 404. */
  metrics?: MetricsRegistry;
  /** Receives a warning when serving a request fails. */
  logger?: Logger;
}

/** A request listener for `node:http`, also mountable in frameworks that accept one. */
export type ObservabilityHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** The address an {@link ObservabilityServer} listens on. */
export interface ObservabilityAddress {
  /** The host, for example `127.0.0.1`. */
  readonly host: string;
  /** The port; the one the system chose when asked for port 0. */
  readonly port: number;
  /** The base URL, for example `http://127.0.0.1:9464`. */
  readonly url: string;
}

/** A small HTTP server for `/health`, `/ready` and `/metrics`. */
export interface ObservabilityServer {
  /** The underlying `node:http` server. */
  readonly server: Server;
  /**
   * Starts listening and resolves with the address. Defaults to port 0 (any free port) on
   * `127.0.0.1`, so nothing is exposed beyond the machine unless asked for.
   */
  listen(port?: number, host?: string): Promise<ObservabilityAddress>;
  /** Stops accepting connections, closes idle ones, and resolves when the server has closed. */
  close(): Promise<void>;
}

const EMPTY_REPORT = (): HealthReport => ({ status: 'UP', timestampMs: platformNow(), checks: [] });

/**
 * Returns a request listener serving, for GET and HEAD:
 * - `/health`: the liveness checks, as a JSON {@link HealthReport}, 200 unless `DOWN` (503);
 * - `/ready`: the readiness and liveness checks, likewise;
 * - `/metrics`: the Prometheus text exposition.
 * Other paths answer 404 and other methods 405.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createObservabilityHandler, HealthRegistry, MetricsRegistry } from '@qtp/core';
 * const handler = createObservabilityHandler({ health: new HealthRegistry(), metrics: new MetricsRegistry() });
 * createServer(handler).listen(9464, '127.0.0.1');
 * ```
 */
export function createObservabilityHandler(
  options: ObservabilityServerOptions,
): ObservabilityHandler {
  return (request, response) => {
    serve(options, request, response).catch((error: unknown) => {
      options.logger?.warn('observability request failed', { err: error, path: request.url });
      if (!response.headersSent)
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('internal error\n');
    });
  };
}

async function serve(
  options: ObservabilityServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const known =
    path === '/health' ||
    path === '/ready' ||
    (path === '/metrics' && options.metrics !== undefined);
  if (!known) return send(request, response, 404, 'text/plain; charset=utf-8', 'not found\n');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    return send(request, response, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  }
  if (path === '/metrics' && options.metrics !== undefined) {
    return send(request, response, 200, options.metrics.contentType, await options.metrics.text());
  }
  const kind = path === '/health' ? 'liveness' : 'readiness';
  const report = options.health === undefined ? EMPTY_REPORT() : await options.health.run(kind);
  const body = `${JSON.stringify(report)}\n`;
  return send(
    request,
    response,
    report.status === 'DOWN' ? 503 : 200,
    'application/json; charset=utf-8',
    body,
  );
}

function send(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string,
): void {
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/**
 * Creates an HTTP server on `node:http` that serves {@link createObservabilityHandler}'s routes.
 *
 * @example
 * ```ts
 * import { createObservabilityServer, HealthRegistry, MetricsRegistry } from '@qtp/core';
 * const server = createObservabilityServer({ health: new HealthRegistry(), metrics: new MetricsRegistry() });
 * const { url } = await server.listen(9464);
 * console.log(`health at ${url}/health`);
 * await server.close();
 * ```
 */
export function createObservabilityServer(
  options: ObservabilityServerOptions,
): ObservabilityServer {
  const server = createServer(createObservabilityHandler(options));
  return {
    server,
    listen: (port = 0, host = '127.0.0.1') =>
      new Promise<ObservabilityAddress>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve({
            host: address.address,
            port: address.port,
            url: `http://${urlHost}:${address.port}`,
          });
        });
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeIdleConnections();
      }),
  };
}
