import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const CSV = join(ROOT, 'examples/data/XRPETH-5m.csv');
const TRADES = join(ROOT, 'examples/data/XRPETH-trades.csv');
const NOT_NAMED = join(ROOT, 'examples/data/README.md');
const MODULE = fileURLToPath(new URL('../sweep/test-strategy.ts', import.meta.url));
// Starting tsx and the worker threads from the sources takes seconds on a busy machine.
const SPAWNED = { timeout: 120_000 };

const run = promisify(execFile);

/** Runs the CLI from the sources, as a developer would, and returns its exit code and output. */
async function spawnCli(args: readonly string[]) {
  try {
    const { stdout, stderr } = await run(TSX, ['--conditions=@qtp/source', MAIN, ...args], {
      cwd: ROOT,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Runs the CLI in this process and returns its exit code and output. */
async function cli(args: readonly string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

const SMA = ['--data', CSV, '--strategy', 'sma-crossover', '--balance', 'ETH=1'];

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'qtp-cli-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('qtp from the sources', () => {
  it('runs a backtest on XRPETH-5m and writes the report and the JSON', SPAWNED, async () => {
    const report = join(folder, 'sma.html');
    const json = join(folder, 'sma.json');
    const args = ['backtest', ...SMA, '--param', 'fastPeriod=10', '--param', 'slowPeriod=30'];
    const result = await spawnCli([
      ...args,
      '--param',
      'quantity=100',
      '--report',
      report,
      '--json',
      json,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Backtest: sma-crossover on XRPETH\.BINANCE/);
    expect(result.stdout).toMatch(/Sharpe ratio\s+-?\d+\.\d\d/);
    expect(result.stdout).toMatch(/fill model: bars/);
    expect(result.stdout).toMatch(/taker fee 0\.001/);
    expect(await readFile(report, 'utf8')).toContain('sma-crossover');
    const parsed = JSON.parse(await readFile(json, 'utf8'));
    expect(parsed.strategy.parameters).toMatchObject({ fastPeriod: 10, quantity: '100' });
    expect(parsed.events).toBe(712);
    expect(parsed.fills.length).toBeGreaterThan(0);
  });

  it(
    'runs through the root script pnpm qtp, reading paths from where it was started',
    SPAWNED,
    async () => {
      // scripts/qtp.mjs is what `pnpm qtp` runs; pnpm passes the starting folder as INIT_CWD.
      let result: { code: number; stdout: string; stderr: string };
      try {
        const args = ['backtest', '--data', 'data/XRPETH-5m.csv', '--strategy', 'sma-crossover'];
        const { stdout, stderr } = await run(
          process.execPath,
          [join(ROOT, 'scripts/qtp.mjs'), ...args, '--balance', 'ETH=1', '--param', 'quantity=100'],
          { cwd: ROOT, env: { ...process.env, INIT_CWD: join(ROOT, 'examples') } },
        );
        result = { code: 0, stdout, stderr };
      } catch (error) {
        result = error as { code: number; stdout: string; stderr: string };
      }
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/Backtest: sma-crossover on XRPETH\.BINANCE/);
    },
  );

  it('exits with code 2 and names the flag for a bad --fee', SPAWNED, async () => {
    const result = await spawnCli(['backtest', ...SMA, '--fee', 'abc']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^qtp: --fee: expected a decimal rate/);
    expect(result.stdout).toBe('');
  });

  it('runs a sweep on two worker threads and ranks the runs', SPAWNED, async () => {
    const json = join(folder, 'sweep.json');
    const result = await spawnCli([
      'sweep',
      ...SMA,
      '--param',
      'quantity=100',
      '--grid',
      'fastPeriod=5,10',
      '--grid',
      'slowPeriod=30',
      '--workers',
      '2',
      '--json',
      json,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Sweep: 2 runs, 2 finished, ranked by sharpe/);
    const parsed = JSON.parse(await readFile(json, 'utf8'));
    expect(parsed.runs.map((entry: { params: unknown }) => entry.params)).toEqual([
      { fastPeriod: 5, slowPeriod: 30 },
      { fastPeriod: 10, slowPeriod: 30 },
    ]);
  });
});

describe('qtp arguments', () => {
  it.each([
    ['--nope: is not an option of qtp backtest', ['backtest', ...SMA, '--nope']],
    ['--data: is required', ['backtest', '--strategy', 'sma-crossover']],
    ['--strategy: is required', ['backtest', '--data', CSV]],
    ['--data: needs a value', ['backtest', ...SMA, '--data']],
    [
      '--data: cannot tell the base and quote assets of "README"',
      ['backtest', '--data', NOT_NAMED, '--strategy', 'sma-crossover'],
    ],
    [
      '--data: no such file "MISSING.csv"',
      ['backtest', '--data', 'MISSING.csv', '--strategy', 'sma-crossover'],
    ],
    [
      '--data: no such file "prices.csv"',
      ['backtest', '--data', 'XRP/ETH=prices.csv', '--strategy', 'sma-crossover'],
    ],
    [
      `--data: "${TRADES}" holds trades (columns time, trade_id, side, price, qty, quote_qty); qtp reads bars`,
      ['backtest', '--data', TRADES, '--strategy', 'sma-crossover'],
    ],
    ['--fee: must not be negative, got "-0.1"', ['backtest', ...SMA, '--fee', '-0.1']],
    ['--tick: must not be negative, got "-.5"', ['backtest', ...SMA, '--tick', '-.5']],
    [
      '--balance: the amount must not be negative, got "ETH=-1"',
      ['backtest', '--data', CSV, '--strategy', 'sma-crossover', '--balance', 'ETH=-1'],
    ],
    [
      '--param: "fastPeriode" is not a parameter of sma-crossover; its parameters are allowShort, fastPeriod, instrumentId, quantity, slowPeriod',
      ['backtest', ...SMA, '--param', 'fastPeriode=5'],
    ],
    [
      '--grid: "window" is not a parameter of rsi-reversal; its parameters are',
      ['sweep', '--data', CSV, '--strategy', 'rsi-reversal', '--grid', 'window=5,10'],
    ],
    ['--balance: expected NAME=VALUE', ['backtest', ...SMA, '--balance', 'ETH']],
    ['--balance: expected ASSET=AMOUNT', ['backtest', ...SMA, '--balance', 'XRP=lots']],
    ['--interval: expected an interval', ['backtest', ...SMA, '--interval', '7x']],
    ['--seed: expected an integer', ['backtest', ...SMA, '--seed', '1.5']],
    ['--grid: is not an option of qtp backtest', ['backtest', ...SMA, '--grid', 'fastPeriod=5']],
    [
      '--strategy: "no-such" is neither a strategy',
      ['backtest', '--data', CSV, '--strategy', 'no-such'],
    ],
    ['--strategy: no such module file', ['backtest', '--data', CSV, '--strategy', './no/such.js']],
    ['--grid: is required', ['sweep', ...SMA]],
    [
      '--grid: expected NAME=V1,V2,... without empty values',
      ['sweep', ...SMA, '--grid', 'fastPeriod=5,,10'],
    ],
    [
      '--workers: expected an integer of 1 or more',
      ['sweep', ...SMA, '--grid', 'fastPeriod=5', '--workers', '0'],
    ],
    [
      '--objective: expected one of sharpe',
      ['sweep', ...SMA, '--grid', 'fastPeriod=5', '--objective', 'luck'],
    ],
    ['--train: is required', ['walk-forward', ...SMA, '--grid', 'fastPeriod=5', '--test', '10']],
    [
      '--step: expected at least --test 10',
      [
        'walk-forward',
        ...SMA,
        '--grid',
        'fastPeriod=5',
        '--train',
        '10',
        '--test',
        '10',
        '--step',
        '5',
      ],
    ],
    ['command: expected one of backtest, sweep, walk-forward', ['frobnicate']],
  ])('exits with code 2 and says "%s"', async (message, args) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`qtp: ${message}`);
    expect(result.stderr).toMatch(/Run 'qtp( [a-z-]+)? --help' for usage\./);
  });

  it('prints the help of a command and exits with 0', async () => {
    const result = await cli(['walk-forward', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: qtp walk-forward/);
    expect((await cli([])).stdout).toMatch(/qtp backtest/);
  });

  it('prints an error of the SDK with its code and exits with 1', async () => {
    const result = await cli([
      'backtest',
      ...SMA,
      '--param',
      'fastPeriod=abc',
      '--param',
      'quantity=1',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'qtp: error VALIDATION: params.fastPeriod: must be a number, was "abc"\n',
    );
  });

  it('keeps a number as a string where the strategy wants one', async () => {
    const json = join(folder, 'typed.json');
    const args = ['backtest', ...SMA, '--param', 'quantity=100', '--param', 'fastPeriod=5'];
    expect((await cli([...args, '--json', json])).code).toBe(0);
    const parsed = JSON.parse(await readFile(json, 'utf8'));
    expect(parsed.strategy.parameters).toMatchObject({ quantity: '100', fastPeriod: 5 });
  });

  it('loads a strategy module and names the assets of a file as told', async () => {
    const json = join(folder, 'module.json');
    const result = await cli([
      'backtest',
      '--data',
      `xrp/eth=${CSV}`,
      '--strategy',
      `${MODULE}#ModuleCrossover`,
      '--param',
      'instrumentId=XRPETH.BINANCE',
      '--param',
      'quantity=100',
      '--balance',
      'eth=1',
      '--fee',
      '0',
      '--json',
      json,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const parsed = JSON.parse(await readFile(json, 'utf8'));
    expect(parsed.strategy.name).toBe('ModuleCrossover');
    expect(parsed.fills.every((fill: { fee: { amount: string } }) => fill.fee.amount === '0')).toBe(
      true,
    );
  });

  it('runs a walk-forward and writes the out-of-sample tearsheet', async () => {
    const report = join(folder, 'walk-forward.html');
    const result = await cli([
      'walk-forward',
      ...SMA,
      '--param',
      'quantity=100',
      '--grid',
      'fastPeriod=5,10',
      '--grid',
      'slowPeriod=20,40',
      '--train',
      '300',
      '--test',
      '100',
      '--workers',
      '1',
      '--report',
      report,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Walk-forward: 4 windows, 4 parameter sets each/);
    expect(result.stdout).toMatch(/Out of sample, test windows chained/);
    expect(await readFile(report, 'utf8')).toContain('Walk-forward: sma-crossover');
  });
});
