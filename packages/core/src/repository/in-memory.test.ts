import { type ConcurrencyConflictError, isQtpError } from '@qtp/core';
import { defineCollection, type Entity, InMemoryDataStore } from '@qtp/core/repository';
import { repositoryConformance } from '@qtp/core/testing';
import { describe, expect, it } from 'vitest';

repositoryConformance({ name: 'InMemoryDataStore', createStore: () => new InMemoryDataStore() });

interface Position extends Entity {
  readonly symbol: string;
  readonly quantity: number;
}
const positions = defineCollection<Position>('positions');
const fills = defineCollection<Entity & { readonly positionId: string }>('fills');

describe('InMemoryDataStore commit', () => {
  it('aborts every change when a conflict is found at commit', async () => {
    const store = new InMemoryDataStore();
    const base = await store
      .repository(positions)
      .add({ id: 'p-1', symbol: 'btcusdt', quantity: 1 });
    const uow = store.unitOfWork();
    await uow.begin();
    await uow.repository(fills).add({ id: 'f-1', positionId: 'p-1' });
    await uow.repository(positions).update({ ...base, quantity: 2 });
    // Another writer commits first; this unit of work learns of it only at commit.
    await store.repository(positions).update({ ...base, quantity: 5 });
    let caught: unknown;
    await uow.commit().catch((error: unknown) => {
      caught = error;
    });
    expect(isQtpError(caught, 'CONCURRENCY_CONFLICT')).toBe(true);
    expect((caught as ConcurrencyConflictError).message).toBe(
      'positions p-1 is at version 2, expected 1',
    );
    expect(uow.state).toBe('rolled-back');
    expect(await store.repository(fills).count()).toBe(0);
    expect((await store.repository(positions).get('p-1'))?.quantity).toBe(5);
  });

  it('refuses at commit an add whose id another writer took meanwhile', async () => {
    const store = new InMemoryDataStore();
    const uow = store.unitOfWork();
    await uow.begin();
    await uow.repository(positions).add({ id: 'p-1', symbol: 'btcusdt', quantity: 1 });
    await store.repository(positions).add({ id: 'p-1', symbol: 'ethusdt', quantity: 9 });
    await expect(uow.commit()).rejects.toThrow('positions p-1 already exists (version 1)');
    expect((await store.repository(positions).get('p-1'))?.symbol).toBe('ethusdt');
  });

  it('returns frozen entities', async () => {
    const store = new InMemoryDataStore();
    const added = await store
      .repository(positions)
      .add({ id: 'p-1', symbol: 'btcusdt', quantity: 1 });
    expect(Object.isFrozen(added)).toBe(true);
  });
});
