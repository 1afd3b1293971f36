import { toBinanceDecimal } from '../binance-protocol/decimal-text.js';
import type { DepthChange, Kline, PublicTrade, SymbolMarket } from './market.js';

/** A `<symbol>@trade` payload. */
export function tradePayload(
  symbol: string,
  trade: PublicTrade,
  eventTimeMs: number,
): Record<string, unknown> {
  return {
    e: 'trade',
    E: eventTimeMs,
    s: symbol,
    t: trade.id,
    p: toBinanceDecimal(trade.price),
    q: toBinanceDecimal(trade.quantity),
    T: trade.timeMs,
    m: trade.buyerIsMaker,
    M: true,
  };
}

/** A `<symbol>@aggTrade` payload: one trade per aggregate. */
export function aggTradePayload(
  symbol: string,
  trade: PublicTrade,
  eventTimeMs: number,
): Record<string, unknown> {
  return {
    e: 'aggTrade',
    E: eventTimeMs,
    s: symbol,
    a: trade.id,
    p: toBinanceDecimal(trade.price),
    q: toBinanceDecimal(trade.quantity),
    f: trade.id,
    l: trade.id,
    T: trade.timeMs,
    m: trade.buyerIsMaker,
    M: true,
  };
}

/** A `<symbol>@kline_<interval>` payload. */
export function klinePayload(
  symbol: string,
  interval: string,
  kline: Kline,
  closed: boolean,
  eventTimeMs: number,
): Record<string, unknown> {
  return {
    e: 'kline',
    E: eventTimeMs,
    s: symbol,
    k: {
      t: kline.openTimeMs,
      T: kline.closeTimeMs,
      s: symbol,
      i: interval,
      f: kline.firstTradeId,
      L: kline.lastTradeId,
      o: toBinanceDecimal(kline.open),
      c: toBinanceDecimal(kline.close),
      h: toBinanceDecimal(kline.high),
      l: toBinanceDecimal(kline.low),
      v: toBinanceDecimal(kline.volume),
      n: kline.trades,
      x: closed,
      q: toBinanceDecimal(kline.quoteVolume),
      V: toBinanceDecimal(kline.takerBuyVolume),
      Q: toBinanceDecimal(kline.takerBuyQuoteVolume),
      B: '0',
    },
  };
}

/** A `<symbol>@depth` diff payload. */
export function depthUpdatePayload(symbol: string, change: DepthChange): Record<string, unknown> {
  return {
    e: 'depthUpdate',
    E: change.timeMs,
    s: symbol,
    U: change.first,
    u: change.last,
    b: change.bids,
    a: change.asks,
  };
}

/** A `<symbol>@bookTicker` payload. */
export function bookTickerPayload(market: SymbolMarket): Record<string, unknown> {
  const { bid, ask } = market.top();
  return {
    u: market.updateId,
    s: market.symbol,
    b: bid?.[0] ?? '0.00000000',
    B: bid?.[1] ?? '0.00000000',
    a: ask?.[0] ?? '0.00000000',
    A: ask?.[1] ?? '0.00000000',
  };
}

/** A `<symbol>@depth<levels>` payload. */
export function partialDepthPayload(market: SymbolMarket, levels: number): Record<string, unknown> {
  return market.depth(levels);
}
