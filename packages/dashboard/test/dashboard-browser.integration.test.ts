// Opens the dashboard in headless Chromium (Debian package `chromium`, at /usr/bin/chromium;
// `scripts/ensure-system-deps.sh` installs it) on an engine replaying real bars: the page loads
// without a console error, the equity chart draws, fills arrive live, the controls need the
// token, and a screenshot of each view is written for a person to look at.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderEquityCharts } from '@qtp/backtest/charts';
import {
  DASHBOARD_VIEWS,
  type DashboardSnapshot,
  type MountedDashboard,
  mountDashboard,
} from '@qtp/dashboard';
import type { TradingEngine } from '@qtp/engine';
import type { RiskEngine } from '@qtp/risk';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../scripts/build-app.mjs';
import { recordingLogger } from './recording-logger.js';
import { accountState, replayEngine } from './replay-fixture.js';

// The page's globals as the functions run inside Chromium use them; the tests compile without
// the DOM types, so the little they touch is declared here, for this file only.
interface PageElement {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
}
declare function getComputedStyle(element: PageElement): { readonly stroke: string };
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
};
declare class EventSource {
  constructor(url: string);
  addEventListener(type: string, listener: () => void): void;
  close(): void;
}

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `dashboard browser test skipped: ${CHROMIUM} is missing; install the Debian package "chromium" (apt-get install -y chromium)`,
  );
}

/** Where the screenshots go: QTP_ARTEFACTS_DIR when set, else a folder in the OS temp dir. */
const SCREENSHOTS = join(process.env.QTP_ARTEFACTS_DIR ?? tmpdir(), 'qtp-dashboard-screenshots');
const TOKEN = 'browser-Test-token-5a4b3c2d1e';

describe.skipIf(!hasChromium)('dashboard in headless Chromium (needs /usr/bin/chromium)', () => {
  let browser: Browser;
  let assetsDir: string;
  let engine: TradingEngine;
  let risk: RiskEngine;
  let control: Awaited<ReturnType<typeof replayEngine>>['control'];
  let bars: Awaited<ReturnType<typeof replayEngine>>['bars'];
  let dashboard: MountedDashboard;
  let page: Page;
  const problems: string[] = [];
  const lines: string[] = [];

  beforeAll(async () => {
    assetsDir = await mkdtemp(join(tmpdir(), 'qtp-dashboard-app-'));
    await buildApp(assetsDir);
    await mkdir(SCREENSHOTS, { recursive: true });
    ({ engine, risk, control, bars } = await replayEngine());
    dashboard = await mountDashboard(engine, {
      token: TOKEN,
      control,
      assetsDir,
      logger: recordingLogger(lines),
      updateIntervalMs: 100,
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('requestfailed', (request) => problems.push(`failed ${request.url()}`));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    await engine?.stop();
    if (assetsDir !== undefined) await rm(assetsDir, { recursive: true, force: true });
  });

  it('loads without a console error and requests nothing from another host', async () => {
    const hosts = new Set<string>();
    page.on('request', (request) => hosts.add(new URL(request.url()).host));
    await page.goto(dashboard.url);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('#live-status.live');
    expect(problems).toEqual([]);
    expect([...hosts]).toEqual([new URL(dashboard.url).host]);
  });

  it('shows a fill in the fills table within a second of the engine booking it', async () => {
    await page.goto(`${dashboard.url}/#fills`);
    let index = 0;
    let tradeId: string | undefined;
    const stop = engine.bus.subscribe('order.fill', (event) => {
      tradeId ??= event.fill.tradeId;
    });
    while (tradeId === undefined && index < bars.length) engine.process(bars[index++]!);
    stop();
    expect(tradeId).toBeDefined();
    await page.waitForFunction(
      (id) =>
        [...document.querySelectorAll('#fills-rows tr td:last-child')].some(
          (td) => td.textContent === id,
        ),
      tradeId,
      { timeout: 1_000 },
    );
    for (; index < bars.length; index++) engine.process(bars[index]!);
  });

  it('draws the equity curve with the tearsheet renderer, point for point', async () => {
    await page.goto(`${dashboard.url}/#equity`);
    const recorded = engine.equityCurve().values.length;
    await page.waitForFunction(
      (count) => document.querySelector('#equity-points')?.textContent === String(count),
      recorded,
    );
    const points = Number(await page.getAttribute('#equity-chart', 'data-points'));
    expect(points).toBe(Math.min(recorded, 2001));
    // What the page drew, against what the tearsheet's function renders from the same view.
    const drawn = await page.evaluate(() => {
      const read = (id: string) => {
        const line = document.querySelector(`#${id} polyline.line`)!;
        return {
          points: line.getAttribute('points')!,
          data: document.querySelector(`#${id} script.chart-data`)!.textContent!,
          stroke: getComputedStyle(line).stroke,
        };
      };
      return { equity: read('equity-chart'), drawdown: read('drawdown-chart') };
    });
    const view = (
      (await (await fetch(`${dashboard.url}/api/snapshot`)).json()) as DashboardSnapshot
    ).equity;
    const charts = renderEquityCharts({
      times: view.times,
      equity: view.equity,
      drawdown: view.drawdown,
      currency: view.currency,
    });
    for (const name of ['equity', 'drawdown'] as const) {
      const markup = charts[name];
      expect(drawn[name].points).toBe(/<polyline class="line" points="([^"]*)"/.exec(markup)![1]);
      expect(drawn[name].data).toBe(/class="chart-data">(.*?)<\/script>/.exec(markup)![1]);
      expect(drawn[name].points.split(' ').length).toBeGreaterThan(100);
    }
    // The tearsheet's colours: equity blue, drawdown red.
    expect(drawn.equity.stroke).toBe('rgb(37, 99, 235)');
    expect(drawn.drawdown.stroke).toBe('rgb(192, 38, 45)');
    expect(problems).toEqual([]);
  });

  it('refuses the state switch without the token and applies it with the token', async () => {
    await page.goto(`${dashboard.url}/#risk`);
    await page.selectOption('#state-select', 'HALT_ENTRIES');
    await page.fill('#state-reason', 'manual check');
    await page.click('#state-apply');
    await page.waitForFunction(() =>
      document.querySelector('#control-result')?.textContent?.startsWith('refused (401)'),
    );
    expect(accountState(risk)).toBe('ACTIVE');
    // The browser reports the refused request on its console; that one is expected.
    expect(problems.splice(0)).toEqual([
      'Failed to load resource: the server responded with a status of 401 (Unauthorized)',
    ]);

    await page.fill('#token', TOKEN);
    await page.click('#state-apply');
    await page.waitForFunction(() =>
      document.querySelector('#control-result')?.textContent?.startsWith('applied'),
    );
    expect(accountState(risk)).toBe('HALT_ENTRIES');
    await page.waitForFunction(
      () => document.querySelector('#states-rows td:nth-child(2)')?.textContent === 'HALT_ENTRIES',
    );
    // The risk engine's own limits are listed beside the states.
    const limitNames = await page.$$eval('#limits-rows tr td:first-child', (cells) =>
      cells.map((cell) => cell.textContent),
    );
    expect(limitNames).toEqual(['account.maxPosition', 'account.maxOpenOrders']);
    expect(await page.content()).not.toContain(TOKEN);
    expect(lines.filter((line) => line.includes(TOKEN))).toEqual([]);
  });

  it('puts new events at the top of the log as they come, holding what the server holds', async () => {
    await page.goto(`${dashboard.url}/#log`);
    await page.waitForSelector('#live-status.live');
    const response = await fetch(`${dashboard.url}/api/control/trading-state`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'ACTIVE', reason: 'resume after check' }),
    });
    expect(response.status).toBe(200);
    const { log } = (await (
      await fetch(`${dashboard.url}/api/snapshot`)
    ).json()) as DashboardSnapshot;
    expect(
      log.rows
        .slice(0, 2)
        .map((row) => row.topic)
        .sort(),
    ).toEqual(['dashboard.control', 'risk.state']);
    // The live update carried the new entries only; the page put them before the ones it held.
    await page.waitForFunction(
      (seq) => document.querySelector('#log-rows td')?.textContent === String(seq),
      log.rows[0]!.seq,
    );
    const shown = await page.$$eval('#log-rows tr td:first-child', (cells) =>
      cells.map((cell) => Number(cell.textContent)),
    );
    expect(shown).toEqual(log.rows.map((row) => row.seq));
    expect(problems).toEqual([]);
  });

  it('writes a screenshot of each view', async () => {
    for (const view of DASHBOARD_VIEWS) {
      await page.goto(`${dashboard.url}/#${view}`);
      await page.waitForSelector(`section[data-view="${view}"]:not([hidden])`);
      await page.screenshot({ path: join(SCREENSHOTS, `${view}.png`), fullPage: true });
      expect(existsSync(join(SCREENSHOTS, `${view}.png`))).toBe(true);
    }
    expect(problems).toEqual([]);
  });

  it('keeps a page of another origin off the live channel', async () => {
    const other = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html><title>other</title>');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
    const foreign = await browser.newPage();
    try {
      await foreign.goto(otherUrl);
      const outcome = await foreign.evaluate(
        (url) =>
          new Promise<string>((resolve) => {
            const source = new EventSource(`${url}/api/live`);
            source.addEventListener('equity', () => resolve('received'));
            source.addEventListener('error', () => {
              source.close();
              resolve('refused');
            });
          }),
        dashboard.url,
      );
      expect(outcome).toBe('refused');
    } finally {
      await foreign.close();
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });
});
