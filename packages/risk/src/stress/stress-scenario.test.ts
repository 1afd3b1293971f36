import { isQtpError, type ValidationError } from '@qtp/core';
import { parseStressScenario } from '@qtp/risk';
import { describe, expect, it } from 'vitest';

function issuesOf(input: unknown): { field: string; rule: string }[] {
  try {
    parseStressScenario(input);
  } catch (error) {
    if (!isQtpError(error, 'VALIDATION')) throw error;
    return (error as ValidationError).issues.map(({ field, rule }) => ({ field, rule }));
  }
  throw new Error('expected the scenario to be refused');
}

describe('parseStressScenario', () => {
  it('reads shocks per instrument, asset, group and all, and historical windows', () => {
    const scenario = parseStressScenario({
      kind: 'shocks',
      name: 'crash',
      groups: { majors: ['ETH', 'SOL'] },
      shocks: [
        { scope: 'instrument', instrumentId: 'BTCUSDT.BINANCE', priceChange: -0.3 },
        { scope: 'asset', asset: 'BTC', priceChange: -0.25 },
        { scope: 'group', group: 'majors', priceChange: -0.4, spreadMultiplier: 3 },
        { scope: 'all', exceptAssets: ['BTC'], spreadMultiplier: 5 },
      ],
    });
    expect(scenario.kind).toBe('shocks');
    expect(parseStressScenario({ kind: 'historical', name: 'w', window: 'week' })).toEqual({
      kind: 'historical',
      name: 'w',
      window: 'week',
    });
    expect(
      parseStressScenario({ kind: 'historical', name: 'h', window: { durationMs: 3_600_000 } }),
    ).toMatchObject({ window: { durationMs: 3_600_000 } });
  });

  it('refuses unknown keys, so a misspelt field never stresses nothing', () => {
    const issues = issuesOf({
      kind: 'shocks',
      name: 'typo',
      shocks: [{ scope: 'asset', asset: 'BTC', priceChnage: -0.3 }],
    });
    expect(issues.map((issue) => issue.field)).toContain('shocks[0]');
    expect(issues.some((issue) => issue.rule.includes('priceChnage'))).toBe(true);
  });

  it('refuses a move below -100 %, a negative multiplier, an empty shock and an unknown group', () => {
    const shocks = (shock: object) => issuesOf({ kind: 'shocks', name: 'x', shocks: [shock] });
    expect(shocks({ scope: 'asset', asset: 'BTC', priceChange: -1.5 })[0]!.field).toBe(
      'shocks[0].priceChange',
    );
    expect(shocks({ scope: 'all', spreadMultiplier: -1 })[0]!.field).toBe(
      'shocks[0].spreadMultiplier',
    );
    expect(shocks({ scope: 'asset', asset: 'BTC' })[0]!.rule).toBe(
      'set priceChange, spreadMultiplier or both',
    );
    expect(shocks({ scope: 'group', group: 'alts', priceChange: -0.5 })[0]).toEqual({
      field: 'shocks[0].group',
      rule: 'name a group defined in groups (none defined)',
    });
    expect(issuesOf({ kind: 'shocks', name: 'x', shocks: [] })[0]!.field).toBe('shocks');
    expect(issuesOf({ kind: 'historical', name: 'x', window: 'month' })[0]!.field).toBe('window');
    expect(issuesOf({ kind: 'what', name: 'x' })[0]!.field).toBe('kind');
  });
});
