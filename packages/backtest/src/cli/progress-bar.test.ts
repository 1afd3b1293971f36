import { createProgressBar } from '@qtp/backtest';
import { describe, expect, it } from 'vitest';

function terminal(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (text: string) => writes.push(text) } };
}

describe('createProgressBar', () => {
  it('draws done, total, rate and time left in place, and ends the line when done', () => {
    const { writes, stream } = terminal(true);
    let nowMs = 0;
    const onProgress = createProgressBar({ stream, label: 'sweep', now: () => nowMs });
    onProgress({ done: 0, total: 4 });
    nowMs = 2000;
    onProgress({ done: 1, total: 4 });
    nowMs = 2050; // within the redraw interval: skipped
    onProgress({ done: 2, total: 4 });
    nowMs = 8000;
    onProgress({ done: 4, total: 4 });
    expect(writes[0]).toMatch(/^\rsweep \[\.{24}\] 0\/4 +0% 0\.0\/s ETA -:--/);
    expect(writes[1]).toBe(
      `\rsweep [${'#'.repeat(6)}${'.'.repeat(18)}] 1/4  25% 0.5/s ETA 0:06\u001b[K`,
    );
    expect(writes[2]).toMatch(/^\rsweep \[#{24}\] 4\/4 100% 0\.5\/s in 0:08/);
    expect(writes.at(-1)).toBe('\n');
    expect(writes).toHaveLength(4);
  });

  it('draws nothing when the stream is not a terminal', () => {
    const { writes, stream } = terminal(false);
    const onProgress = createProgressBar({ stream });
    onProgress({ done: 0, total: 2 });
    onProgress({ done: 2, total: 2 });
    expect(writes).toEqual([]);
  });
});
