import { createHash } from 'node:crypto';
import type { Clock, TimerId } from '@qtp/core';
import type { WebSocket } from 'ws';
import type { ServerAccount } from './account.js';
import { BinanceRequestError } from './request-error.js';

const LIFETIME_MS = 60 * 60_000;

interface ListenKey {
  readonly key: string;
  readonly account: ServerAccount;
  timer: TimerId | undefined;
  /** Each attached socket with the function that stops its events. */
  readonly sockets: Map<WebSocket, () => void>;
}

/**
 * The legacy listenKey flow (spec §8.2), removed by Binance in February 2026 and served only when
 * the server is built with `legacyUserDataStream: true`: `POST/PUT/DELETE /api/v3/userDataStream`
 * with the API key alone, and `/ws/<listenKey>` carrying bare user data events until the key
 * expires 60 minutes after its last keepalive (`listenKeyExpired`).
 */
export class ListenKeys {
  private readonly keys = new Map<string, ListenKey>();
  private created = 0;

  constructor(
    private readonly clock: Clock,
    private readonly now: () => number,
  ) {}

  /** Creates a key for the account, or extends and returns its active one. */
  create(account: ServerAccount): string {
    for (const entry of this.keys.values()) {
      if (entry.account === account) {
        this.extend(entry);
        return entry.key;
      }
    }
    const key = createHash('sha256')
      .update(`${account.apiKey}:${++this.created}`)
      .digest('hex');
    const entry: ListenKey = { key, account, timer: undefined, sockets: new Map() };
    this.keys.set(key, entry);
    this.extend(entry);
    return key;
  }

  /** Extends a key by 60 minutes; `-1125` when it does not exist. */
  keepAlive(account: ServerAccount, key: string): void {
    const entry = this.keys.get(key);
    if (entry === undefined || entry.account !== account)
      throw new BinanceRequestError(-1125, 'This listenKey does not exist.');
    this.extend(entry);
  }

  /** Closes a key and its streams. */
  close(account: ServerAccount, key: string): void {
    const entry = this.keys.get(key);
    if (entry === undefined || entry.account !== account)
      throw new BinanceRequestError(-1125, 'This listenKey does not exist.');
    if (entry.timer !== undefined) this.clock.cancel(entry.timer);
    this.keys.delete(key);
    for (const [socket, detach] of entry.sockets) {
      detach();
      socket.close(1000);
    }
  }

  /** Attaches a stream socket to a key; false when the key is unknown. */
  attach(key: string, socket: WebSocket): boolean {
    const entry = this.keys.get(key);
    if (entry === undefined) return false;
    const listener = (event: Record<string, unknown>) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(event));
    };
    entry.account.events.on('userData', listener);
    const detach = () => {
      entry.sockets.delete(socket);
      entry.account.events.off('userData', listener);
    };
    entry.sockets.set(socket, detach);
    socket.on('close', detach);
    return true;
  }

  private extend(entry: ListenKey): void {
    if (entry.timer !== undefined) this.clock.cancel(entry.timer);
    entry.timer = this.clock.setTimeout(() => this.expire(entry), LIFETIME_MS);
  }

  private expire(entry: ListenKey): void {
    this.keys.delete(entry.key);
    const event = JSON.stringify({ e: 'listenKeyExpired', E: this.now(), listenKey: entry.key });
    // The stream stays open but carries nothing more, as on Binance.
    for (const [socket, detach] of entry.sockets) {
      detach();
      if (socket.readyState === socket.OPEN) socket.send(event);
    }
  }
}
