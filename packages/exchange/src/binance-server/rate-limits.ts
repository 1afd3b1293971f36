import type { Clock } from '@qtp/core';
import { BinanceRequestError } from './request-error.js';

/** The request and order limits the server enforces and reports. */
export interface BinanceServerLimits {
  /** Request weight per IP per minute (default 6000). */
  weightPerMinute?: number;
  /** New orders per account per 10 seconds (default 100). */
  ordersPer10Seconds?: number;
  /** New orders per account per day (default 200 000). */
  ordersPerDay?: number;
  /** Requests answered 429 within one window before the IP is banned with 418 (default 3). */
  refusalsBeforeBan?: number;
  /** How long a ban lasts, in milliseconds (default 120 000, Binance's shortest). */
  banMs?: number;
}

interface Window {
  startMs: number;
  used: number;
  refused: number;
  bannedUntilMs: number;
  /** The end of a refusal the fault injection imposed, kept across minute boundaries. */
  refusingUntilMs: number;
}

const MINUTE_MS = 60_000;

/** Request weight per IP in fixed one-minute windows, with 429 and then 418 (spec §6). */
export class WeightLimiter {
  readonly limit: number;
  private readonly refusalsBeforeBan: number;
  private readonly banMs: number;
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly clock: Clock,
    limits: BinanceServerLimits,
  ) {
    this.limit = limits.weightPerMinute ?? 6000;
    this.refusalsBeforeBan = limits.refusalsBeforeBan ?? 3;
    this.banMs = limits.banMs ?? 120_000;
  }

  private window(ip: string): Window {
    const now = this.clock.now();
    const startMs = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    let window = this.windows.get(ip);
    if (window === undefined) {
      window = { startMs, used: 0, refused: 0, bannedUntilMs: 0, refusingUntilMs: 0 };
      this.windows.set(ip, window);
    } else if (window.startMs !== startMs) {
      window.startMs = startMs;
      window.used = 0;
      window.refused = 0;
    }
    return window;
  }

  /** The weight an IP used in the current minute. */
  used(ip: string): number {
    return this.window(ip).used;
  }

  /**
   * Admits a request of `weight` or refuses it: 418 while banned, 429 when the minute's weight
   * is spent, and a ban once a client keeps sending after 429s.
   */
  admit(ip: string, weight: number): void {
    const now = this.clock.now();
    const window = this.window(ip);
    if (window.bannedUntilMs > now) throw this.banned(window.bannedUntilMs, now);
    if (window.refusingUntilMs > now) {
      // A request inside a Retry-After the server announced: the client kept going.
      window.refused += 1;
      if (window.refused > this.refusalsBeforeBan) {
        window.bannedUntilMs = now + this.banMs;
        throw this.banned(window.bannedUntilMs, now);
      }
      throw this.tooMuchWeight(window.refusingUntilMs, now);
    }
    if (window.used + weight > this.limit) {
      window.refused += 1;
      if (window.refused > this.refusalsBeforeBan) {
        window.bannedUntilMs = now + this.banMs;
        throw this.banned(window.bannedUntilMs, now);
      }
      throw this.tooMuchWeight(window.startMs + MINUTE_MS, now);
    }
    window.used += weight;
  }

  /**
   * Refuses the request at hand and every request of the IP for `seconds` from now with 429
   * and that `Retry-After`, as a test of a client's rate limiting that lasts less than the
   * minute. Requests that arrive before it ends count towards the ban like any refused one;
   * the request at hand does not.
   */
  refuseFor(ip: string, seconds: number): BinanceRequestError {
    const now = this.clock.now();
    const window = this.window(ip);
    window.refusingUntilMs = Math.max(window.refusingUntilMs, now + seconds * 1000);
    return this.tooMuchWeight(window.refusingUntilMs, now);
  }

  private tooMuchWeight(untilMs: number, now: number): BinanceRequestError {
    return new BinanceRequestError(
      -1003,
      `Too much request weight used; current limit is ${this.limit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.`,
      {
        httpStatus: 429,
        headers: { 'Retry-After': String(Math.max(1, Math.ceil((untilMs - now) / 1000))) },
        data: { serverTime: now, retryAfter: untilMs },
      },
    );
  }

  /** Adds weight charged after the outcome (a failed order request costs 1). */
  charge(ip: string, weight: number): void {
    this.window(ip).used += weight;
  }

  /** Refuses every request of the IP with 429 until the minute ends, as a test of rate limiting. */
  exhaust(ip: string): void {
    this.window(ip).used = this.limit;
  }

  private banned(untilMs: number, now: number): BinanceRequestError {
    return new BinanceRequestError(
      -1003,
      `Way too much request weight used; IP banned until ${untilMs}. Please use WebSocket Streams for live updates to avoid bans.`,
      {
        httpStatus: 418,
        headers: { 'Retry-After': String(Math.max(1, Math.ceil((untilMs - now) / 1000))) },
        data: { serverTime: now, retryAfter: untilMs },
      },
    );
  }
}

/** The unfilled-order counts of one account, per 10 seconds and per day. */
export class OrderCounter {
  private readonly perTen: number;
  private readonly perDay: number;
  private readonly counts = new Map<string, { ten: [number, number]; day: [number, number] }>();

  constructor(
    private readonly clock: Clock,
    limits: BinanceServerLimits,
  ) {
    this.perTen = limits.ordersPer10Seconds ?? 100;
    this.perDay = limits.ordersPerDay ?? 200_000;
  }

  private state(apiKey: string) {
    const now = this.clock.now();
    const ten = Math.floor(now / 10_000);
    const day = Math.floor(now / 86_400_000);
    let state = this.counts.get(apiKey);
    if (state === undefined) {
      state = { ten: [ten, 0], day: [day, 0] };
      this.counts.set(apiKey, state);
    }
    if (state.ten[0] !== ten) state.ten = [ten, 0];
    if (state.day[0] !== day) state.day = [day, 0];
    return state;
  }

  /** `-1015` (429) when `orders` new orders (2 for an OCO) would pass a limit. */
  check(apiKey: string, orders = 1): void {
    const state = this.state(apiKey);
    if (state.ten[1] + orders > this.perTen) {
      throw new BinanceRequestError(
        -1015,
        `Too many new orders; current limit is ${this.perTen} orders per 10 SECOND.`,
        { httpStatus: 429 },
      );
    }
    if (state.day[1] + orders > this.perDay) {
      throw new BinanceRequestError(
        -1015,
        `Too many new orders; current limit is ${this.perDay} orders per 1 DAY.`,
        { httpStatus: 429 },
      );
    }
  }

  /**
   * Counts `orders` placed orders (2 for an OCO); one that filled at once leaves the count (its
   * first fill).
   */
  count(apiKey: string, filled: boolean, orders = 1): { tenSeconds: number; day: number } {
    const state = this.state(apiKey);
    if (!filled) {
      state.ten[1] += orders;
      state.day[1] += orders;
    }
    return { tenSeconds: state.ten[1], day: state.day[1] };
  }

  /** Takes an order that filled for the first time out of the current windows' counts. */
  release(apiKey: string): void {
    const state = this.state(apiKey);
    state.ten[1] = Math.max(0, state.ten[1] - 1);
    state.day[1] = Math.max(0, state.day[1] - 1);
  }

  /** The current counts, for headers and `rateLimits`. */
  current(apiKey: string): { tenSeconds: number; day: number } {
    const state = this.state(apiKey);
    return { tenSeconds: state.ten[1], day: state.day[1] };
  }

  /** The limits, as `exchangeInfo` lists them. */
  get limits(): { perTenSeconds: number; perDay: number } {
    return { perTenSeconds: this.perTen, perDay: this.perDay };
  }
}
