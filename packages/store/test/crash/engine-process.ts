// The engine under test, in a process of its own: it journals to PostgreSQL and trades on a
// venue that lives in the test process, either a SimulatedExchange reached over IPC (`sim`) or
// the local Binance server reached by BinanceExchange (`binance`, its REST base, streams and
// WebSocket API URLs in the arguments). Phase `trade` submits seeded orders and asks the test
// process to move the market after each, and kills itself (SIGKILL) at the kill point it is
// given; phase `recover` starts a new engine on the same journal, lets it reconcile, prints
// its recovery report and exits.
import {
  type Instrument,
  type OrderAck,
  type OrderRequest,
  SeededIdGenerator,
  SimulatedClock,
} from '@qtp/core';
import { type OrphanPolicy, TradingEngine } from '@qtp/engine';
import type { Exchange } from '@qtp/exchange';
import { PostgresOrderJournal } from '@qtp/store/postgres';
import pg from 'pg';
import { binanceBtc, btc } from './instruments.js';
import { IpcClient } from './ipc-client.js';
import { IpcExchange } from './ipc-exchange.js';
import {
  journalWithKills,
  type KillKind,
  type KillPoint,
  killSwitch,
  ordersOf,
} from './kill-points.js';

/** The engine's venue: the exchange, what it trades, how to move its market, how to close it. */
interface EngineVenue {
  readonly exchange: Exchange;
  readonly instrument: Instrument;
  readonly prices: { readonly buy: string; readonly sell: string };
  /** Moves the market once and resolves when this process has heard the fills it made. */
  advance(): Promise<void>;
  close(): Promise<void>;
}

function simVenue(hit: (kind: KillKind) => void): EngineVenue {
  const exchange = new IpcExchange('SIM', [btc]);
  exchange.onPlace = () => hit('afterSend');
  // Registered before the engine's listener, so the kill comes before the fill is handled.
  exchange.executions.on('fill', () => hit('betweenFills'));
  return {
    exchange,
    instrument: btc,
    // The venue's bars trade from 95 to 105: both sides cross.
    prices: { buy: '101', sell: '99' },
    advance: async () => {
      await exchange.call('advance', []);
    },
    close: async () => undefined,
  };
}

async function binanceVenue(
  hit: (kind: KillKind) => void,
  [restUrl, streamUrl, wsApiUrl, apiKey, secret]: string[],
): Promise<EngineVenue> {
  // Loaded only here, so the simulated campaign's processes start without the Binance client.
  const { BinanceExchange } = await import('@qtp/exchange/binance');
  /** A BinanceExchange that passes the `afterSend` point once the server has answered a placement. */
  class KillingBinanceExchange extends BinanceExchange {
    onPlaced: (() => void) | undefined;

    override async placeOrder(request: OrderRequest): Promise<OrderAck> {
      const ack = await super.placeOrder(request);
      this.onPlaced?.();
      return ack;
    }
  }
  const exchange = new KillingBinanceExchange({
    restUrl: restUrl!,
    streamUrl: streamUrl!,
    wsApiUrl: wsApiUrl!,
    credentials: { kind: 'hmac', apiKey: apiKey!, secret: secret! },
    initialBackoffMs: 20,
  });
  exchange.onPlaced = () => hit('afterSend');
  exchange.executions.on('fill', () => hit('betweenFills'));
  const heard = new Set<string>();
  exchange.executions.on('fill', ({ fill }) => {
    heard.add(fill.tradeId);
  });
  const control = new IpcClient();
  return {
    exchange,
    instrument: binanceBtc,
    // The server's book stands at 100 and its tape prints at 98 and 102: both sides rest, then fill in parts.
    prices: { buy: '99', sell: '101' },
    advance: async () => {
      // The test process answers with the trade ids of the account so far; they reach this process on the user data stream.
      const tradeIds = (await control.call('advance', [])) as string[];
      for (let waited = 0; waited < 1_000 && !tradeIds.every((id) => heard.has(id)); waited++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    close: () => exchange.disconnect(),
  };
}

async function main(): Promise<void> {
  const [venueKind, url, schema, phase, seedText, killText, startText, orphans, ...venueArgs] =
    process.argv.slice(2) as [
      'sim' | 'binance',
      string,
      string,
      'trade' | 'recover',
      string,
      string,
      string,
      OrphanPolicy,
      ...string[],
    ];
  const seed = Number(seedText);
  const kill: KillPoint | undefined =
    killText === 'none' ? undefined : (JSON.parse(killText) as KillPoint);
  const hit = killSwitch(kill);
  const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 2 });
  const journal = journalWithKills(new PostgresOrderJournal({ pool }), hit);
  const venue = venueKind === 'sim' ? simVenue(hit) : await binanceVenue(hit, venueArgs);
  const engine = new TradingEngine({
    clock: new SimulatedClock({ startMs: Number(startText) }),
    exchanges: [venue.exchange],
    instruments: [venue.instrument],
    orderJournal: journal,
    idGenerator: new SeededIdGenerator({ seed }),
    recovery: { orphans },
  });
  let report: unknown;
  engine.bus.subscribe('engine.recovered', (event) => {
    report = event.report;
  });
  await engine.start();
  await engine.orderManager.flush();
  if (phase === 'trade') {
    for (const request of ordersOf(seed, 6, venue.instrument, venue.prices)) {
      engine.orderManager.submit(request);
      await engine.orderManager.flush();
      await venue.advance();
      await engine.orderManager.flush();
    }
    for (let i = 0; i < 4; i++) {
      await venue.advance();
      await engine.orderManager.flush();
    }
  }
  await engine.orderManager.flush();
  engine.orderManager.close();
  await venue.close();
  await pool.end();
  process.stdout.write(`${JSON.stringify({ phase, report: report ?? null })}\n`);
  process.disconnect?.();
}

if (process.argv[1]?.endsWith('engine-process.ts')) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
