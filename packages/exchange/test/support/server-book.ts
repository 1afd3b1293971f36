import type { BookLevel } from '@qtp/core';
import type { BinanceServer } from '@qtp/exchange/binance-server';

/** The server's whole book, read from the server itself: no request, so no fault touches it. */
export interface ServerBook {
  readonly sequence: number;
  readonly bids: BookLevel[];
  readonly asks: BookLevel[];
}

/** Returns the server's book of `symbol`, levels best first, empty levels left out. */
export async function serverBook(server: BinanceServer, symbol = 'BTCUSDT'): Promise<ServerBook> {
  const book = server.book(symbol);
  const present = (level: BookLevel) => level.size > 0;
  return {
    sequence: book.sequence,
    bids: book.bids.filter(present).map(({ price, size }) => ({ price, size })),
    asks: book.asks.filter(present).map(({ price, size }) => ({ price, size })),
  };
}
