import {
  type Clock,
  ClockToken,
  createInjectionToken,
  eventBusToken,
  IdGeneratorToken,
  type InjectionToken,
  InstrumentProviderToken,
  LoggerToken,
  OrderGatewayToken,
  PositionViewToken,
  type TokenType,
} from '@qtp/core';
import { HealthRegistryToken, MetricsRegistryToken } from '@qtp/core/observability';
import { UnitOfWorkToken } from '@qtp/core/repository';
import { describe, expect, expectTypeOf, it } from 'vitest';

const tokens: Record<string, symbol> = {
  Clock: ClockToken,
  EventBus: eventBusToken(),
  HealthRegistry: HealthRegistryToken,
  IdGenerator: IdGeneratorToken,
  InstrumentProvider: InstrumentProviderToken,
  Logger: LoggerToken,
  MetricsRegistry: MetricsRegistryToken,
  OrderGateway: OrderGatewayToken,
  PositionView: PositionViewToken,
  UnitOfWork: UnitOfWorkToken,
};

describe('injection tokens', () => {
  it('are the global symbols qtp.<Service>, so two copies of core agree on them', () => {
    for (const [service, token] of Object.entries(tokens)) {
      expect(typeof token).toBe('symbol');
      expect(token).toBe(Symbol.for(`qtp.${service}`));
    }
  });

  it('are distinct', () => {
    expect(new Set(Object.values(tokens)).size).toBe(Object.keys(tokens).length);
  });

  it('carry the type of their service', () => {
    expectTypeOf<TokenType<typeof ClockToken>>().toEqualTypeOf<Clock>();
    interface AppConfig {
      readonly venue: string;
    }
    const AppConfigToken = createInjectionToken<AppConfig>('app.Config');
    expect(AppConfigToken).toBe(Symbol.for('app.Config'));
    expectTypeOf<TokenType<typeof AppConfigToken>>().toEqualTypeOf<AppConfig>();
    // A token of one service is not a token of another.
    // @ts-expect-error a Clock token is not an AppConfig token
    const wrong: InjectionToken<AppConfig> = ClockToken;
    expect(wrong).toBe(ClockToken);
  });
});
