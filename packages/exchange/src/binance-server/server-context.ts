import type { Clock } from '@qtp/core';
import type { ServerAccount } from './account.js';
import type { ListenKeys } from './listen-keys.js';
import type { SymbolMarket } from './market.js';
import type { OrderLog } from './order-log.js';
import type { OrderCounter, WeightLimiter } from './rate-limits.js';

/** What request handlers share: markets, accounts, limits, the order log and the time. */
export interface ServerContext {
  readonly markets: ReadonlyMap<string, SymbolMarket>;
  readonly accounts: ReadonlyMap<string, ServerAccount>;
  readonly clock: Clock;
  readonly orderLog: OrderLog;
  readonly weights: WeightLimiter;
  readonly orders: OrderCounter;
  /** The legacy listenKey flow, when the server serves it. */
  readonly listenKeys: ListenKeys | undefined;
  /** The server's time: the clock plus any skew a fault set. */
  now(): number;
}

/** One request as a handler sees it, whichever transport brought it. */
export interface CallInfo {
  readonly transport: 'rest' | 'ws-api';
  /** The account of a signed request (or of a logged-on WebSocket API session). */
  readonly account: ServerAccount | undefined;
  /** Set by order handlers: the order log entry of an accepted order, for response faults. */
  acceptedLogEntry?: number;
  /** Set by order handlers: the unfilled order counts after a placement, for headers. */
  orderCounts?: { tenSeconds: number; day: number };
}
