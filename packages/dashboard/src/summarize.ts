// A one-line summary of a bus event for the event log: the topic's usual fields, never the whole
// payload, so a log row stays short and carries nothing the event did not mean to show.

const FIELDS = [
  'clientOrderId',
  'instrumentId',
  'strategyId',
  'status',
  'side',
  'from',
  'to',
  'setBy',
  'reason',
  'action',
  'target',
  'outcome',
  'stage',
  'hook',
] as const;

/**
 * Returns `key=value` pairs of the fields an event of `topic` usually carries, plus the fill's or
 * the denial's main figures.
 *
 * @example
 * ```ts
 * import { summarize } from '@qtp/dashboard';
 * summarize('order.canceled', { clientOrderId: 'a1', status: 'CANCELED' });
 * // 'clientOrderId=a1 status=CANCELED'
 * ```
 */
export function summarize(topic: string, event: unknown): string {
  if (typeof event !== 'object' || event === null) return topic;
  const record = event as Record<string, unknown>;
  const parts: string[] = [];
  for (const field of FIELDS) {
    const value = record[field];
    if (typeof value === 'string' || typeof value === 'number') parts.push(`${field}=${value}`);
  }
  const fill = record.fill as Record<string, unknown> | undefined;
  if (typeof fill === 'object' && fill !== null) {
    parts.push(`${String(fill.side)} ${String(fill.quantity)} @ ${String(fill.price)}`);
  }
  const denial = record.denial as Record<string, unknown> | undefined;
  if (typeof denial === 'object' && denial !== null) {
    parts.push(`code=${String(denial.code)} ${String(denial.message)}`);
  }
  const scope = record.scope as Record<string, unknown> | undefined;
  if (typeof scope === 'object' && scope !== null) {
    parts.push(`scope=${String(scope.kind)}:${String(scope.id)}`);
  }
  return parts.length === 0 ? topic : parts.join(' ');
}
