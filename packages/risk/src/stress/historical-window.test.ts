import { alignReturns, runStressTest, type StressPosition, worstHistoricalWindow } from '@qtp/risk';
import { describe, expect, it } from 'vitest';
import { expectClose, loadAlignedHistories, loadReference } from '../../test/measures/reference.js';

const reference = loadReference();
const history = alignReturns(loadAlignedHistories());
// The reference's positions, valued at the last shared close.
const positions: StressPosition[] = reference.assets.map((asset, i) => ({
  instrumentId: `${asset}BTC.BINANCE`,
  asset,
  quantity: reference.portfolio.positions[asset]!,
  price: reference.portfolio.lastCloses[i]!,
}));

describe('worst historical windows on real data, against numpy', () => {
  it.each(reference.worstWindows)('finds the worst window of $durationMs ms', (expected) => {
    const window = worstHistoricalWindow(history, positions, expected.durationMs);
    expect(window.startTimeMs).toBe(expected.startTime);
    expect(window.endTimeMs).toBe(expected.endTime);
    reference.assets.forEach((asset, i) => {
      expectClose(window.priceChanges[asset]!, expected.priceChanges[i]!);
    });
  });

  it('replays the worst day and the worst week as stress scenarios', () => {
    const [day, week] = reference.worstWindows;
    const worstDay = runStressTest(
      positions,
      { kind: 'historical', name: 'worst day', window: 'day' },
      { history },
    );
    expectClose(worstDay.totalPnl, day!.pnl);
    const worstWeek = runStressTest(
      positions,
      { kind: 'historical', name: 'worst week', window: 'week' },
      { history },
    );
    expectClose(worstWeek.totalPnl, week!.pnl);
    expect(worstWeek.window?.startTimeMs).toBe(week!.startTime);
  });

  it('refuses a window longer than the history', () => {
    expect(() => worstHistoricalWindow(history, positions, 30 * 86_400_000)).toThrow(
      /durationMs: must span two shared times and fit in the history/,
    );
  });
});
