import type { BookLevel } from '@qtp/core';
import type { BinanceServer } from '@qtp/exchange/binance-server';

/** The server's whole book as its REST depth endpoint reports it, read without the adapter. */
export interface ServerBook {
  readonly sequence: number;
  readonly bids: BookLevel[];
  readonly asks: BookLevel[];
}

const levels = (rows: [string, string][]) =>
  rows
    .map(([price, size]) => ({ price: Number(price), size: Number(size) }))
    .filter((level) => level.size > 0);

/** Reads `GET /api/v3/depth?limit=100`, retrying replies a fault run turns into errors. */
export async function serverBook(server: BinanceServer, symbol = 'BTCUSDT'): Promise<ServerBook> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(`${server.restUrl}/api/v3/depth?symbol=${symbol}&limit=100`);
      if (!response.ok) throw new Error(`depth answered ${response.status}`);
      const body = (await response.json()) as {
        lastUpdateId: number;
        bids: [string, string][];
        asks: [string, string][];
      };
      return { sequence: body.lastUpdateId, bids: levels(body.bids), asks: levels(body.asks) };
    } catch (error) {
      if (attempt >= 20) throw error;
    }
  }
}
