import { Instrument, instrumentId } from '@qtp/core';
import { type ConsolidatedQuote, MarketDataAggregator } from '@qtp/exchange';
import { BinanceExchange } from '@qtp/exchange/binance';
import { BinanceServer } from '@qtp/exchange/binance-server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';

const servers: BinanceServer[] = [];
const exchanges: BinanceExchange[] = [];

afterEach(async () => {
  for (const exchange of exchanges.splice(0)) await exchange.disconnect();
  for (const server of servers.splice(0)) await server.stop();
});

async function venue(
  name: string,
  price: string,
): Promise<{ server: BinanceServer; exchange: BinanceExchange }> {
  // Each server lists BTCUSDT under its own venue name, on its own free port.
  const instrument = new Instrument({
    id: instrumentId('BTCUSDT', name),
    baseAsset: 'BTC',
    quoteAsset: 'USDT',
    priceIncrement: '0.01',
    sizeIncrement: '0.00001',
    minNotional: '5',
  });
  const server = new BinanceServer({
    symbols: [{ instrument, price, spreadTicks: 4 }],
    accounts: [],
  });
  await server.start();
  const exchange = new BinanceExchange({
    venue: name,
    restUrl: server.restUrl,
    streamUrl: server.streamUrl,
  });
  servers.push(server);
  exchanges.push(exchange);
  await exchange.connect();
  return { server, exchange };
}

const ticker = z.looseObject({ bidPrice: z.string(), askPrice: z.string() });

async function bookTicker(server: BinanceServer) {
  const response = await fetch(`${server.restUrl}/api/v3/ticker/bookTicker?symbol=BTCUSDT`);
  return ticker.parse(await response.json());
}

describe('MarketDataAggregator over two local servers', () => {
  it('consolidates the best bid and offer across venues', async () => {
    const a = await venue('BINANCE_A', '37600');
    const b = await venue('BINANCE_B', '37600.50');
    expect(a.server.port).not.toBe(b.server.port);
    const aggregator = new MarketDataAggregator({ exchanges: [a.exchange, b.exchange] });
    expect(await aggregator.loadInstruments()).toEqual(['BTC/USDT']);
    expect(aggregator.pairOf(instrumentId('BTCUSDT', 'BINANCE_B'))).toBe('BTC/USDT');
    const seen: ConsolidatedQuote[] = [];
    aggregator.events.on('consolidatedQuote', (quote) => seen.push(quote));
    await aggregator.subscribeQuotes('BTC/USDT');
    // Move both books so each venue publishes a fresh best bid and ask.
    a.server.setPrice('BTCUSDT', '37601');
    b.server.setPrice('BTCUSDT', '37600.98');
    const [quoteA, quoteB] = [await bookTicker(a.server), await bookTicker(b.server)];
    const bestBid = Math.max(Number(quoteA.bidPrice), Number(quoteB.bidPrice));
    const bestAsk = Math.min(Number(quoteA.askPrice), Number(quoteB.askPrice));
    await vi.waitFor(
      () => {
        const best = aggregator.consolidated('BTC/USDT');
        expect(best?.bidPrice).toBe(bestBid);
        expect(best?.askPrice).toBe(bestAsk);
      },
      { timeout: 8000, interval: 20 },
    );
    const best = aggregator.consolidated('BTC/USDT')!;
    expect(best.bidVenue).toBe(
      Number(quoteA.bidPrice) >= Number(quoteB.bidPrice) ? 'BINANCE_A' : 'BINANCE_B',
    );
    expect(best.askVenue).toBe(
      Number(quoteA.askPrice) <= Number(quoteB.askPrice) ? 'BINANCE_A' : 'BINANCE_B',
    );
    expect(best.bidVenue).not.toBe(best.askVenue);
    expect(seen.at(-1)).toEqual(best);
  });
});
