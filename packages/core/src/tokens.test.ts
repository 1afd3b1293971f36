import {
  AccountViewToken,
  CacheToken,
  ClockToken,
  ConfigToken,
  EventBusToken,
  HealthRegistryToken,
  IdGeneratorToken,
  InstrumentProviderToken,
  LoggerToken,
  MarketDataFeedToken,
  MetricsRegistryToken,
  OrderGatewayToken,
  OrderRepositoryToken,
  PositionViewToken,
  TracerToken,
  UnitOfWorkToken,
} from '@qtp/core';
import { describe, expect, it } from 'vitest';

const tokens: Record<string, symbol> = {
  AccountView: AccountViewToken,
  Cache: CacheToken,
  Clock: ClockToken,
  Config: ConfigToken,
  EventBus: EventBusToken,
  HealthRegistry: HealthRegistryToken,
  IdGenerator: IdGeneratorToken,
  InstrumentProvider: InstrumentProviderToken,
  Logger: LoggerToken,
  MarketDataFeed: MarketDataFeedToken,
  MetricsRegistry: MetricsRegistryToken,
  OrderGateway: OrderGatewayToken,
  OrderRepository: OrderRepositoryToken,
  PositionView: PositionViewToken,
  Tracer: TracerToken,
  UnitOfWork: UnitOfWorkToken,
};

describe('injection tokens', () => {
  it('are the global symbols qtp.<Service>, so two copies of core agree on them', () => {
    for (const [service, token] of Object.entries(tokens)) {
      expect(token).toBe(Symbol.for(`qtp.${service}`));
    }
  });

  it('are distinct', () => {
    expect(new Set(Object.values(tokens)).size).toBe(Object.keys(tokens).length);
  });
});
