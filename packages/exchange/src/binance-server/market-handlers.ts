import { Decimal } from '@qtp/core';
import { toBinanceDecimal } from '../binance-protocol/decimal-text.js';
import type { Kline, PublicTrade, SymbolMarket } from './market.js';
import { marketOf } from './order-params.js';
import { SERVED_ORDER_TYPES } from './order-record.js';
import { priceRangeJson } from './price-range.js';
import { BinanceRequestError } from './request-error.js';
import type { RequestParams } from './request-params.js';
import type { ServerContext } from './server-context.js';
import { PRECISION, STP_MODES, symbolFilters } from './symbol-filters.js';

const INTERVALS_MS: Readonly<Record<string, number>> = {
  '1s': 1000,
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
  '3d': 259_200_000,
  '1w': 604_800_000,
};

/** The interval names Binance accepts, with their length in milliseconds (`1M` excluded). */
export const KLINE_INTERVALS: ReadonlyMap<string, number> = new Map(Object.entries(INTERVALS_MS));

/** The markets one request names: `symbol`, `symbols`, or all of them. */
export function marketsOf(context: ServerContext, params: RequestParams): SymbolMarket[] {
  const symbol = params.optional('symbol');
  const symbols = params.stringArray('symbols');
  if (symbol !== undefined && symbols !== undefined) {
    throw new BinanceRequestError(-1128, 'Combination of optional parameters invalid.');
  }
  if (symbol !== undefined) return [marketOf(context.markets, symbol)];
  if (symbols !== undefined) return symbols.map((name) => marketOf(context.markets, name));
  return [...context.markets.values()];
}

/** `GET /api/v3/exchangeInfo`. */
export function exchangeInfo(context: ServerContext, params: RequestParams): unknown {
  const markets = marketsOf(context, params);
  params.optional('permissions');
  const showPermissionSets = params.boolean('showPermissionSets') ?? true;
  const symbolStatus = params.optional('symbolStatus');
  if (symbolStatus !== undefined && !['TRADING', 'HALT', 'BREAK'].includes(symbolStatus)) {
    throw new BinanceRequestError(-1122, 'Invalid symbolStatus.');
  }
  const { perTenSeconds, perDay } = context.orders.limits;
  return {
    timezone: 'UTC',
    serverTime: context.now(),
    rateLimits: [
      {
        rateLimitType: 'REQUEST_WEIGHT',
        interval: 'MINUTE',
        intervalNum: 1,
        limit: context.weights.limit,
      },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: perTenSeconds },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: perDay },
      { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 300_000 },
    ],
    exchangeFilters: [],
    symbols: markets
      .filter((market) => symbolStatus === undefined || market.status === symbolStatus)
      .map((market) => ({
        symbol: market.symbol,
        status: market.status,
        baseAsset: market.instrument.baseAsset,
        baseAssetPrecision: PRECISION,
        quoteAsset: market.instrument.quoteAsset,
        quotePrecision: PRECISION,
        quoteAssetPrecision: PRECISION,
        baseCommissionPrecision: PRECISION,
        quoteCommissionPrecision: PRECISION,
        orderTypes: [...SERVED_ORDER_TYPES],
        icebergAllowed: true,
        ocoAllowed: true,
        otoAllowed: false,
        opoAllowed: false,
        quoteOrderQtyMarketAllowed: true,
        allowTrailingStop: true,
        cancelReplaceAllowed: true,
        amendAllowed: false,
        pegInstructionsAllowed: false,
        isSpotTradingAllowed: true,
        isMarginTradingAllowed: false,
        filters: symbolFilters(market.instrument),
        permissions: [],
        permissionSets: showPermissionSets ? [['SPOT']] : [],
        defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
        allowedSelfTradePreventionModes: [...STP_MODES],
      })),
  };
}

/** The weight of `GET /api/v3/depth` for its `limit`. */
export function depthWeight(params: RequestParams): number {
  const limit = Number(params.peek('limit') ?? 100);
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}

/** `GET /api/v3/depth`. */
export function depth(context: ServerContext, params: RequestParams): unknown {
  const market = marketOf(context.markets, params.required('symbol'));
  const limit = Math.min(params.integer('limit') ?? 100, 5000);
  if (limit < 1)
    throw new BinanceRequestError(-1130, "Data sent for parameter 'limit' is not valid.");
  params.optional('symbolStatus');
  return market.depth(limit);
}

function limitOf(params: RequestParams, fallback = 500, max = 1000): number {
  const limit = params.integer('limit') ?? fallback;
  if (limit < 1)
    throw new BinanceRequestError(-1130, "Data sent for parameter 'limit' is not valid.");
  return Math.min(limit, max);
}

const tradeJson = (trade: PublicTrade) => ({
  id: trade.id,
  price: toBinanceDecimal(trade.price),
  qty: toBinanceDecimal(trade.quantity),
  quoteQty: toBinanceDecimal(trade.quoteQuantity),
  time: trade.timeMs,
  isBuyerMaker: trade.buyerIsMaker,
  isBestMatch: true,
});

/** `GET /api/v3/trades` and `historicalTrades` (with `fromId`). */
export function trades(context: ServerContext, params: RequestParams): unknown {
  const market = marketOf(context.markets, params.required('symbol'));
  const limit = limitOf(params);
  const fromId = params.integer('fromId');
  const tape = market.trades();
  const selected =
    fromId === undefined
      ? tape.slice(-limit)
      : tape.filter((trade) => trade.id >= fromId).slice(0, limit);
  return selected.map(tradeJson);
}

// Selects items by the Binance time-range conventions: most recent without bounds, oldest from
// startTime, newest up to endTime.
function inRange<T>(
  items: readonly T[],
  timeOf: (item: T) => number,
  params: RequestParams,
  limit: number,
): T[] {
  const startTime = params.integer('startTime');
  const endTime = params.integer('endTime');
  const within = items.filter(
    (item) =>
      (startTime === undefined || timeOf(item) >= startTime) &&
      (endTime === undefined || timeOf(item) <= endTime),
  );
  return startTime === undefined && endTime !== undefined
    ? within.slice(-limit)
    : startTime === undefined
      ? within.slice(-limit)
      : within.slice(0, limit);
}

/** `GET /api/v3/aggTrades`: each trade is its own aggregate. */
export function aggTrades(context: ServerContext, params: RequestParams): unknown {
  const market = marketOf(context.markets, params.required('symbol'));
  const limit = limitOf(params);
  const fromId = params.integer('fromId');
  const tape = market.trades();
  const selected =
    fromId === undefined
      ? inRange(tape, (trade) => trade.timeMs, params, limit)
      : tape.filter((trade) => trade.id >= fromId).slice(0, limit);
  return selected.map((trade) => ({
    a: trade.id,
    p: toBinanceDecimal(trade.price),
    q: toBinanceDecimal(trade.quantity),
    f: trade.id,
    l: trade.id,
    T: trade.timeMs,
    m: trade.buyerIsMaker,
    M: true,
  }));
}

/** A kline as its 12-element REST row. */
export function klineRow(kline: Kline): unknown[] {
  return [
    kline.openTimeMs,
    toBinanceDecimal(kline.open),
    toBinanceDecimal(kline.high),
    toBinanceDecimal(kline.low),
    toBinanceDecimal(kline.close),
    toBinanceDecimal(kline.volume),
    kline.closeTimeMs,
    toBinanceDecimal(kline.quoteVolume),
    kline.trades,
    toBinanceDecimal(kline.takerBuyVolume),
    toBinanceDecimal(kline.takerBuyQuoteVolume),
    '0',
  ];
}

/** Merges klines of a finer interval into one of `intervalMs`. */
export function aggregateKlines(source: readonly Kline[], intervalMs: number): Kline[] {
  const out: Kline[] = [];
  for (const kline of source) {
    const openTimeMs = Math.floor(kline.openTimeMs / intervalMs) * intervalMs;
    const last = out.at(-1);
    if (last === undefined || last.openTimeMs !== openTimeMs) {
      out.push({ ...kline, openTimeMs, closeTimeMs: openTimeMs + intervalMs - 1 });
      continue;
    }
    last.high = Decimal.max(last.high, kline.high);
    last.low = Decimal.min(last.low, kline.low);
    last.close = kline.close;
    last.volume = last.volume.plus(kline.volume);
    last.quoteVolume = last.quoteVolume.plus(kline.quoteVolume);
    last.trades += kline.trades;
    last.takerBuyVolume = last.takerBuyVolume.plus(kline.takerBuyVolume);
    last.takerBuyQuoteVolume = last.takerBuyQuoteVolume.plus(kline.takerBuyQuoteVolume);
    last.lastTradeId = kline.lastTradeId;
  }
  return out;
}

/** The klines of a market in any interval its stored klines divide. */
export function klinesOf(market: SymbolMarket, interval: string): readonly Kline[] {
  const intervalMs = KLINE_INTERVALS.get(interval);
  if (intervalMs === undefined) throw new BinanceRequestError(-1120, 'Invalid interval.');
  const direct = market.klines(interval);
  if (direct.length > 0) return direct;
  const finer = market
    .klineIntervals()
    .map((name) => [name, KLINE_INTERVALS.get(name) ?? 0] as const)
    .filter(([, ms]) => ms > 0 && ms < intervalMs && intervalMs % ms === 0)
    .sort((a, b) => b[1] - a[1])[0];
  return finer === undefined ? [] : aggregateKlines(market.klines(finer[0]), intervalMs);
}

/** `GET /api/v3/klines` and `uiKlines`. */
export function klines(context: ServerContext, params: RequestParams): unknown {
  const market = marketOf(context.markets, params.required('symbol'));
  const interval = params.required('interval');
  params.optional('timeZone');
  const limit = limitOf(params);
  return inRange(klinesOf(market, interval), (kline) => kline.openTimeMs, params, limit).map(
    klineRow,
  );
}

// The volume-weighted price of the tape's last five minutes, else the last price.
function averagePrice(
  context: ServerContext,
  market: SymbolMarket,
): { price: Decimal; closeTime: number } {
  const since = context.now() - 5 * 60_000;
  const recent = market.trades().filter((trade) => trade.timeMs >= since);
  const volume = recent.reduce((sum, trade) => sum.plus(trade.quantity), new Decimal(0));
  if (volume.isZero())
    return { price: market.lastPrice, closeTime: market.trades().at(-1)?.timeMs ?? context.now() };
  const quote = recent.reduce((sum, trade) => sum.plus(trade.quoteQuantity), new Decimal(0));
  return { price: quote.div(volume), closeTime: recent.at(-1)!.timeMs };
}

/** `GET /api/v3/avgPrice`. */
export function avgPrice(context: ServerContext, params: RequestParams): unknown {
  const market = marketOf(context.markets, params.required('symbol'));
  const { price, closeTime } = averagePrice(context, market);
  return { mins: 5, price: toBinanceDecimal(price), closeTime };
}

/** An object for one `symbol`, an array otherwise. */
function oneOrMany(
  context: ServerContext,
  params: RequestParams,
  build: (market: SymbolMarket) => unknown,
): unknown {
  const single = params.peek('symbol') !== undefined;
  const list = marketsOf(context, params).map(build);
  params.optional('symbolStatus');
  return single ? list[0] : list;
}

/** `GET /api/v3/ticker/price`. */
export function tickerPrice(context: ServerContext, params: RequestParams): unknown {
  return oneOrMany(context, params, (market) => ({
    symbol: market.symbol,
    price: toBinanceDecimal(market.lastPrice),
  }));
}

/** `GET /api/v3/ticker/bookTicker`. */
export function bookTicker(context: ServerContext, params: RequestParams): unknown {
  return oneOrMany(context, params, (market) => {
    const { bid, ask } = market.top();
    return {
      symbol: market.symbol,
      bidPrice: bid?.[0] ?? '0.00000000',
      bidQty: bid?.[1] ?? '0.00000000',
      askPrice: ask?.[0] ?? '0.00000000',
      askQty: ask?.[1] ?? '0.00000000',
    };
  });
}

/** `GET /api/v3/ticker/24hr`: rolling 24 hours of the stored klines. */
export function ticker24hr(context: ServerContext, params: RequestParams): unknown {
  const type = params.optional('type') ?? 'FULL';
  if (type !== 'FULL' && type !== 'MINI')
    throw new BinanceRequestError(-1130, "Data sent for parameter 'type' is not valid.");
  return oneOrMany(context, params, (market) => {
    const closeTime = context.now();
    const openTime = closeTime - 86_400_000;
    const interval = market.klineIntervals()[0] ?? '1m';
    const window = market.klines(interval).filter((kline) => kline.closeTimeMs >= openTime);
    const last = market.lastPrice;
    const open = window[0]?.open ?? last;
    const high = window.reduce((max, kline) => Decimal.max(max, kline.high), last);
    const low = window.reduce((min, kline) => Decimal.min(min, kline.low), last);
    const volume = window.reduce((sum, kline) => sum.plus(kline.volume), new Decimal(0));
    const quoteVolume = window.reduce((sum, kline) => sum.plus(kline.quoteVolume), new Decimal(0));
    const tape = market.trades().filter((trade) => trade.timeMs >= openTime);
    const count = window.reduce((sum, kline) => sum + kline.trades, 0);
    const mini = {
      symbol: market.symbol,
      openPrice: toBinanceDecimal(open),
      highPrice: toBinanceDecimal(high),
      lowPrice: toBinanceDecimal(low),
      lastPrice: toBinanceDecimal(last),
      volume: toBinanceDecimal(volume),
      quoteVolume: toBinanceDecimal(quoteVolume),
      openTime,
      closeTime,
      firstId: tape[0]?.id ?? -1,
      lastId: tape.at(-1)?.id ?? -1,
      count,
    };
    if (type === 'MINI') return mini;
    const { bid, ask } = market.top();
    const change = last.minus(open);
    return {
      symbol: market.symbol,
      priceChange: toBinanceDecimal(change),
      priceChangePercent: open.isZero() ? '0.000' : change.div(open).times(100).toFixed(3),
      weightedAvgPrice: toBinanceDecimal(volume.isZero() ? last : quoteVolume.div(volume)),
      prevClosePrice: toBinanceDecimal(open),
      lastPrice: toBinanceDecimal(last),
      lastQty: toBinanceDecimal(market.trades().at(-1)?.quantity ?? new Decimal(0)),
      bidPrice: bid?.[0] ?? '0.00000000',
      bidQty: bid?.[1] ?? '0.00000000',
      askPrice: ask?.[0] ?? '0.00000000',
      askQty: ask?.[1] ?? '0.00000000',
      openPrice: mini.openPrice,
      highPrice: mini.highPrice,
      lowPrice: mini.lowPrice,
      volume: mini.volume,
      quoteVolume: mini.quoteVolume,
      openTime,
      closeTime,
      firstId: mini.firstId,
      lastId: mini.lastId,
      count,
    };
  });
}

/** `GET /api/v3/executionRules`: each symbol's PRICE_RANGE rule, when it has one. */
export function executionRules(context: ServerContext, params: RequestParams): unknown {
  const status = params.optional('symbolStatus');
  if (status !== undefined && !['TRADING', 'HALT', 'BREAK'].includes(status)) {
    throw new BinanceRequestError(-1122, 'Invalid symbolStatus.');
  }
  return {
    symbolRules: marketsOf(context, params)
      .filter((market) => status === undefined || market.status === status)
      .map((market) => ({
        symbol: market.symbol,
        rules: market.priceRange === undefined ? [] : [priceRangeJson(market.priceRange)],
      })),
  };
}

/** `GET /api/v3/referencePrice`: `-2043` when the symbol never had one, else the price or null. */
export function referencePrice(context: ServerContext, params: RequestParams): unknown {
  const market = marketOf(context.markets, params.required('symbol'));
  const price = market.referencePrice;
  if (price === undefined)
    throw new BinanceRequestError(-2043, "This symbol doesn't have a reference price.");
  return {
    symbol: market.symbol,
    referencePrice: price === null ? null : toBinanceDecimal(price),
    timestamp: market.referencePriceTimeMs,
  };
}
