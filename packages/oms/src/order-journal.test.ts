import { isQtpError } from '@qtp/core';
import { InMemoryOrderJournal, type OrderRecord } from '@qtp/oms';
import { describe, expect, it } from 'vitest';
import { limitBuy, setup } from '../test/support/fixtures.js';

describe('InMemoryOrderJournal', () => {
  it('journals an order as an intent, then one event per change, and loads the latest state', async () => {
    const { oms, gateway, journal } = setup();
    const order = oms.submit(limitBuy);
    await oms.flush();
    const { fill, report } = gateway.fill(order.clientOrderId, '0.01', '27000');
    gateway.emitFill(fill);
    gateway.emitUpdate(report);
    await oms.flush();
    const statuses = journal.history(order.clientOrderId).map((record) => record.status);
    expect(statuses[0]).toBe('INITIALIZED');
    expect(statuses.at(-1)).toBe('FILLED');
    const [latest] = await journal.loadAll();
    expect(latest?.order.fills.map((booked) => booked.tradeId)).toEqual(['t-1']);
    expect(latest?.sentTimeMs).not.toBeNull();
  });

  it('refuses a second intent for an id and an event without an intent', async () => {
    const journal = new InMemoryOrderJournal();
    const { oms, journal: source } = setup();
    oms.submit(limitBuy);
    await oms.flush();
    const [record] = (await source.loadAll()) as OrderRecord[];
    await journal.appendIntent(record!);
    const conflict = await journal.appendIntent(record!).catch((error: unknown) => error);
    expect(isQtpError(conflict, 'CONCURRENCY_CONFLICT')).toBe(true);
    const missing = await journal
      .appendEvent({ ...record!, id: 'never-journaled' })
      .catch((error: unknown) => error);
    expect(isQtpError(missing, 'VALIDATION')).toBe(true);
    expect(await journal.loadAll()).toHaveLength(1);
  });

  it('keeps a stored record unchanged when the caller changes its object', async () => {
    const journal = new InMemoryOrderJournal();
    const { oms, journal: source } = setup();
    oms.submit(limitBuy);
    await oms.flush();
    const [record] = await source.loadAll();
    const copy = JSON.parse(JSON.stringify(record)) as { status: string };
    await journal.appendIntent(copy as unknown as OrderRecord);
    copy.status = 'FILLED';
    expect((await journal.loadAll())[0]?.status).toBe(record?.status);
  });
});
