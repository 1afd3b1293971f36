// Opens written tearsheets in headless Chromium (Debian package `chromium`, at /usr/bin/chromium;
// `scripts/ensure-system-deps.sh` installs it) and checks they render offline without errors.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  readCsvBars,
  runBacktest,
  type TearsheetData,
  toTearsheetData,
  writeTearsheet,
} from '@qtp/backtest';
import { Instrument, instrumentId } from '@qtp/core';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossoverBacktest, randomWalkCloses, readKlineCloses } from './tearsheet-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `tearsheet browser test skipped: ${CHROMIUM} is missing; install the Debian package "chromium" (apt-get install -y chromium)`,
  );
}

/** Where the screenshots go, for a person to look at after the run. */
const SCREENSHOTS = join(tmpdir(), 'qtp-tearsheet-screenshots');

/** A tearsheet exactly as the engine produces it: runBacktest on real XRP/ETH 5-minute bars. */
async function engineBacktest(): Promise<TearsheetData> {
  const id = instrumentId('XRPETH', 'BINANCE');
  const xrp = new Instrument({
    id,
    baseAsset: 'XRP',
    quoteAsset: 'ETH',
    priceIncrement: '0.00000001',
    sizeIncrement: '1',
    takerFee: '0.001',
  });
  const data = join(import.meta.dirname, '..', '..', '..', 'examples', 'data', 'XRPETH-5m.csv');
  const result = await runBacktest({
    instruments: [xrp],
    data: readCsvBars(data, { instrumentId: id, interval: '5m' }),
    strategy: {
      name: 'sma-crossover',
      params: { instrumentId: id, fastPeriod: 10, slowPeriod: 30, quantity: '150' },
    },
    balances: { ETH: '1' },
  });
  return toTearsheetData(result);
}

const backtests: Record<string, () => TearsheetData | Promise<TearsheetData>> = {
  'xrpeth-5m-run-backtest': engineBacktest,
  'ltcbtc-5m': () =>
    crossoverBacktest(readKlineCloses(join(import.meta.dirname, 'fixtures', 'LTCBTC-5m.csv')), {
      instrument: 'LTCBTC.BINANCE',
      currency: 'BTC',
      cash: '1',
      fast: 12,
      slow: 72,
      feeRate: '0.001',
      lotDecimals: 2,
      moneyDecimals: 8,
      shorts: false,
    }),
  'random-walk-1h': () =>
    crossoverBacktest(
      randomWalkCloses({
        seed: 27,
        count: 24 * 365 * 2 + 24 * 120,
        start: Date.UTC(2022, 0, 1),
        intervalMs: 3_600_000,
        price: 30_000,
      }),
      {
        instrument: 'BTCUSDT.BINANCE',
        currency: 'USDT',
        cash: '10000',
        fast: 48,
        slow: 240,
        feeRate: '0.001',
        lotDecimals: 5,
        moneyDecimals: 2,
        shorts: true,
      },
    ),
};

describe.skipIf(!hasChromium)('tearsheet in headless Chromium (needs /usr/bin/chromium)', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qtp-tearsheet-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  // The trades table of every backtest, and one with an instrument column, fits its box without
  // a horizontal scroll bar at common window widths.
  const withInstrument = async (): Promise<TearsheetData> => {
    const data = await backtests['random-walk-1h']!();
    return {
      ...data,
      trades: data.trades.map((trade) => ({ ...trade, instrument: 'BTCUSDT.BINANCE' })),
    };
  };
  for (const width of [1280, 1024, 768]) {
    it(`fits the trades table in its box at ${width} px`, async () => {
      const cases = { ...backtests, 'with-instrument': withInstrument };
      for (const [name, build] of Object.entries(cases)) {
        const file = await writeTearsheet(join(dir, `${name}-${width}.html`), await build());
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        const box = await page
          .locator('.trades-scroll')
          .evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
        await page.close();
        expect(box.client, name).toBeGreaterThan(0);
        expect(box.scroll, `${name} at ${width} px`).toBeLessThanOrEqual(box.client);
      }
    }, 60_000);
  }

  for (const [name, build] of Object.entries(backtests)) {
    it(`renders the ${name} tearsheet offline with both charts and no console errors`, async () => {
      const data = await build();
      const file = await writeTearsheet(join(dir, `${name}.html`), data);
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') {
          problems.push(`console ${message.type()}: ${message.text()}`);
        }
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) problems.push(`request: ${request.url()}`);
      });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

      expect(await page.locator('svg polyline.line').count()).toBe(2);
      for (const chart of ['equity', 'drawdown']) {
        const line = page.locator(`figure[data-chart=${chart}] polyline.line`);
        const box = await line.boundingBox();
        expect(box?.width ?? 0).toBeGreaterThan(800);
        expect(box?.height ?? 0).toBeGreaterThan(20);
        const points = (await line.getAttribute('points'))?.trim().split(/\s+/).length ?? 0;
        expect(points).toBeGreaterThan(100);
        expect(points).toBeLessThanOrEqual(2000);
      }
      expect(await page.locator('table.monthly tbody td').count()).toBeGreaterThan(0);
      expect(await page.locator('table.trades tbody tr').count()).toBe(data.trades.length);

      // The page script runs: hovering the equity chart shows a readout with a time and a value.
      const svg = await page.locator('figure[data-chart=equity] svg').boundingBox();
      expect(svg).not.toBeNull();
      await page.mouse.move(svg!.x + svg!.width / 2, svg!.y + svg!.height / 2);
      const tip = page.locator('figure[data-chart=equity] .tip');
      await expect.poll(() => tip.isVisible()).toBe(true);
      expect(await tip.textContent()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC[\d,.]+$/);

      await page.mouse.move(0, 0);
      await expect.poll(() => tip.isVisible()).toBe(false);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
      await page.close();
      expect(problems).toEqual([]);
    }, 60_000);
  }
});
