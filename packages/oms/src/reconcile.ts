import { isQtpError } from '@qtp/core';

/** What a failed placement means for the order. */
export type PlacementFailure = 'rejected' | 'unknown';

/**
 * Classifies a `placeOrder` failure. Definitive venue refusals (invalid order, insufficient
 * funds, unknown symbol, bad input) and the errors the gateway contract says never reached the
 * venue (rate limit, venue unavailable) reject the order. Anything else may have reached the
 * venue after all: a timeout, `OrderStateUnknownError`, a network error (the connection may have
 * dropped after sending) or an error that is not a QTP error at all.
 */
export function classifyPlacementFailure(error: unknown): PlacementFailure {
  if (!isQtpError(error)) return 'unknown';
  if (error.code === 'RATE_LIMIT' || error.code === 'EXCHANGE_UNAVAILABLE') return 'rejected';
  if (error.code === 'ORDER_STATE_UNKNOWN' || error.retryable) return 'unknown';
  return 'rejected';
}

/** Returns a message for any thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Returns the delay before lookup number `attempt` (from 0): doubling from `initialMs`, capped. */
export function lookupDelayMs(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(initialMs * 2 ** Math.min(attempt, 30), maxMs);
}
