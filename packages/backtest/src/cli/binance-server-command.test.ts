import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBinanceServerArgs, startBinanceServerCommand } from './binance-server-command.js';

const trades = fileURLToPath(
  new URL('../../../../examples/data/XRPETH-trades.csv', import.meta.url),
);
const klines = fileURLToPath(new URL('../../../../examples/data/XRPETH-5m.csv', import.meta.url));

describe('qtp binance-server', () => {
  it('replays a trade file read by the CSV loader onto the tape and the book', async () => {
    const command = parseBinanceServerArgs([
      '--symbol',
      'XRPETH',
      '--base',
      'XRP',
      '--quote',
      'ETH',
      '--data',
      trades,
      '--speed',
      '0',
      '--balance',
      'ETH=10',
    ])!;
    const started = await startBinanceServerCommand(command);
    try {
      const replayed = await started.replay;
      // the file has 12,477 trades (its README)
      expect(replayed).toEqual({ bars: 0, trades: 12_477 });
      const base = started.server.restUrl;
      const recent = (await (
        await fetch(`${base}/api/v3/trades?symbol=XRPETH&limit=1`)
      ).json()) as { price: string; qty: string }[];
      // the last row of the file: 1570965568844,13532283,sell,0.00152787,130,0.1986231
      expect(recent[0]).toMatchObject({
        price: '0.00152787',
        qty: '130.00000000',
        isBuyerMaker: true,
        time: 1570965568844,
      });
      const depth = (await (await fetch(`${base}/api/v3/depth?symbol=XRPETH&limit=1`)).json()) as {
        bids: string[][];
        asks: string[][];
      };
      // two ticks of 0.00000001 around the last price
      expect(depth.bids[0]![0]).toBe('0.00152786');
      expect(depth.asks[0]![0]).toBe('0.00152788');
    } finally {
      await started.stop();
    }
  });

  it('replays klines with the 5m interval read from the file', async () => {
    const command = parseBinanceServerArgs([
      '--symbol',
      'XRPETH',
      '--base',
      'XRP',
      '--quote',
      'ETH',
      '--data',
      klines,
      '--speed',
      '0',
    ])!;
    const started = await startBinanceServerCommand(command);
    try {
      expect((await started.replay).bars).toBe(712);
      const rows = (await (
        await fetch(`${started.server.restUrl}/api/v3/klines?symbol=XRPETH&interval=5m&limit=1000`)
      ).json()) as unknown[][];
      expect(rows).toHaveLength(712);
      // the first row of the file: 1570752000000,0.00141342,0.00141658,0.00141192,0.00141192,3478
      expect(rows[0]!.slice(0, 6)).toEqual([
        1570752000000,
        '0.00141342',
        '0.00141658',
        '0.00141192',
        '0.00141192',
        '3478.00000000',
      ]);
      expect(rows[0]![6]).toBe(1570752299999);
    } finally {
      await started.stop();
    }
  });

  it('requires the symbol and its assets', () => {
    expect(() => parseBinanceServerArgs(['--base', 'XRP'])).toThrow(/--symbol/);
    expect(parseBinanceServerArgs(['--help'])).toBeUndefined();
  });
});
