import { closeSync, openSync, readSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type Bar, Instrument, instrumentId, type TradeTick } from '@qtp/core';
import { readCsvBars } from '../data/csv-bars.js';
import { readCsvTrades } from '../data/csv-trades.js';
import { mergeByTime } from '../data/merge.js';
import { UsageError } from './usage-error.js';

/** The options of `qtp binance-server`, checked. */
export interface BinanceServerCommand {
  readonly files: readonly string[];
  readonly instrument: Instrument;
  readonly price: string | undefined;
  readonly speed: number;
  readonly port: number;
  readonly apiKey: string;
  readonly secret: string | undefined;
  readonly ed25519PublicKey: string | undefined;
  readonly balances: Readonly<Record<string, string>>;
}

/** The help text of `qtp binance-server`. */
export const BINANCE_SERVER_HELP = `qtp binance-server: a local Binance Spot server replaying history

Usage: qtp binance-server --symbol XRPETH --base XRP --quote ETH --data XRPETH-trades.csv [options]

  --data <file>            kline or trade CSV to replay (repeatable); none: driven by orders only
  --symbol <SYMBOL>        the symbol served (required)
  --base, --quote <ASSET>  its assets (required)
  --tick <decimal>         price tick (default 0.00000001)
  --lot <decimal>          quantity step (default 1)
  --min-notional <decimal> smallest price x quantity (default 0)
  --fee <rate>             maker and taker fee rate (default 0.001)
  --price <decimal>        starting price (default: the first price of the data)
  --speed <n>              history milliseconds per real millisecond (default 1; 0 for no waiting)
  --port <n>               port on 127.0.0.1 (default 0: a free port)
  --api-key <key>          the account's API key (default qtp-local-key)
  --secret <secret>        its HMAC secret (default qtp-local-secret unless --ed25519-public-key)
  --ed25519-public-key <hex|PEM>  an Ed25519 public key instead of the secret
  --balance ASSET=AMOUNT   starting balance (repeatable)`;

const OPTIONS = {
  data: { type: 'string', multiple: true },
  symbol: { type: 'string' },
  base: { type: 'string' },
  quote: { type: 'string' },
  tick: { type: 'string' },
  lot: { type: 'string' },
  'min-notional': { type: 'string' },
  fee: { type: 'string' },
  price: { type: 'string' },
  speed: { type: 'string' },
  port: { type: 'string' },
  'api-key': { type: 'string' },
  secret: { type: 'string' },
  'ed25519-public-key': { type: 'string' },
  balance: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Reads the arguments of `qtp binance-server`; undefined asks for help. */
export function parseBinanceServerArgs(args: readonly string[]): BinanceServerCommand | undefined {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
  try {
    values = parseArgs({ args: [...args], options: OPTIONS, strict: true }).values;
  } catch (error) {
    throw new UsageError('arguments', error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return undefined;
  const need = (name: 'symbol' | 'base' | 'quote') => {
    const value = values[name];
    if (value === undefined) throw new UsageError(`--${name}`, 'is required');
    return value;
  };
  const number = (name: 'speed' | 'port', fallback: number) => {
    const text = values[name];
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0)
      throw new UsageError(`--${name}`, `must be a number >= 0, was ${text}`);
    return value;
  };
  const symbol = need('symbol');
  const fee = values.fee ?? '0.001';
  const instrument = new Instrument({
    id: instrumentId(symbol, 'BINANCE'),
    baseAsset: need('base'),
    quoteAsset: need('quote'),
    priceIncrement: values.tick ?? '0.00000001',
    sizeIncrement: values.lot ?? '1',
    minNotional: values['min-notional'] ?? '0',
    makerFee: fee,
    takerFee: fee,
  });
  const balances: Record<string, string> = {};
  for (const item of values.balance ?? []) {
    const [asset, amount] = item.split('=');
    if (asset === undefined || amount === undefined || asset === '')
      throw new UsageError('--balance', `must be ASSET=AMOUNT, was ${item}`);
    balances[asset] = amount;
  }
  const ed25519PublicKey = values['ed25519-public-key'];
  return {
    files: values.data ?? [],
    instrument,
    price: values.price,
    speed: number('speed', 1),
    port: number('port', 0),
    apiKey: values['api-key'] ?? 'qtp-local-key',
    secret: values.secret ?? (ed25519PublicKey === undefined ? 'qtp-local-secret' : undefined),
    ed25519PublicKey,
    balances,
  };
}

// A trade file names a trade id column; anything else is read as klines.
function isTradeFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(512);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    const header = buffer.toString('utf8', 0, read).split('\n')[0] ?? '';
    return header.split(',').some((name) => name.trim() === 'trade_id');
  } finally {
    closeSync(fd);
  }
}

/** The market data of the command's files, merged in time order. */
export function replaySource(command: BinanceServerCommand): AsyncIterable<Bar | TradeTick> {
  const id = command.instrument.id;
  const sources = command.files.map(
    (path): AsyncIterable<Bar | TradeTick> =>
      isTradeFile(path)
        ? readCsvTrades(path, { instrumentId: id })
        : readCsvBars(path, { instrumentId: id }),
  );
  return mergeByTime(sources);
}

/** The first price in the command's data, for the book to start at. */
export async function firstPrice(
  source: AsyncIterable<Bar | TradeTick>,
): Promise<string | undefined> {
  for await (const item of source) return String('open' in item ? item.open : item.price);
  return undefined;
}

/** A started `qtp binance-server`: the server and the replay running into it. */
export interface StartedBinanceServer {
  readonly server: import('@qtp/exchange/binance-server').BinanceServer;
  readonly replay: Promise<{ readonly bars: number; readonly trades: number }>;
  readonly stop: () => Promise<void>;
}

/** Starts the server of a parsed command and its replay. */
export async function startBinanceServerCommand(
  command: BinanceServerCommand,
): Promise<StartedBinanceServer> {
  // Loaded only by this command, so a backtest never loads the server or its socket library.
  const { BinanceServer, replayMarketData } = await import('@qtp/exchange/binance-server');
  const price = command.price ?? (await firstPrice(replaySource(command)));
  if (price === undefined)
    throw new UsageError('--price', 'is required when no --data file gives a first price');
  const server = new BinanceServer({
    port: command.port,
    symbols: [{ instrument: command.instrument, price }],
    accounts: [
      {
        apiKey: command.apiKey,
        ...(command.secret === undefined ? {} : { secret: command.secret }),
        ...(command.ed25519PublicKey === undefined
          ? {}
          : { ed25519PublicKey: command.ed25519PublicKey }),
        balances: command.balances,
      },
    ],
  });
  await server.start();
  const abort = new AbortController();
  const speed = command.speed === 0 ? Number.POSITIVE_INFINITY : command.speed;
  const replay = replayMarketData(server, replaySource(command), { speed, signal: abort.signal });
  return {
    server,
    replay,
    stop: async () => {
      abort.abort();
      await server.stop();
    },
  };
}

/** Runs `qtp binance-server` until the process is interrupted; returns the exit code. */
export async function runBinanceServer(
  args: readonly string[],
  streams: { stdout: { write(text: string): unknown } },
): Promise<number> {
  const command = parseBinanceServerArgs(args);
  if (command === undefined) {
    streams.stdout.write(`${BINANCE_SERVER_HELP}\n`);
    return 0;
  }
  const started = await startBinanceServerCommand(command);
  const { server } = started;
  streams.stdout.write(
    `Binance server on ${server.restUrl}\n  REST       ${server.restUrl}/api/v3\n  streams    ${server.streamUrl}/ws, ${server.streamUrl}/stream\n  WebSocket API ${server.wsApiUrl}\n  API key    ${command.apiKey}\n`,
  );
  void started.replay.then(({ bars, trades }) =>
    streams.stdout.write(`Replay done: ${bars} bars, ${trades} trades\n`),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await started.stop();
  return 0;
}
