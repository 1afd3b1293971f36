import { Instrument, instrumentId } from '@qtp/core';
import { type BinanceCredentials, BinanceExchange } from '@qtp/exchange/binance';
import { BinanceServer } from '@qtp/exchange/binance-server';
import { exchangeConformance } from '@qtp/exchange/testing';
import { ED_KEY, ED_PUBLIC, ED_SEED } from './support/test-market.js';

const HMAC_KEY = 'fakeApiKeyForTests000000000000000000000000000000000000000000';
const HMAC_SECRET = 'fakeSecret-ForUnitTestsOnly-9f3c2a71d0b84e5f';

const btcusdt = new Instrument({
  id: instrumentId('BTCUSDT', 'BINANCE'),
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.00001',
  minNotional: '5',
  makerFee: '0.001',
  takerFee: '0.001',
});

const servers = new WeakMap<object, BinanceServer>();

function suite(name: string, credentials: BinanceCredentials, orderTransport: 'ws-api' | 'rest') {
  exchangeConformance({
    name,
    createExchange: async () => {
      const server = new BinanceServer({
        symbols: [{ instrument: btcusdt, price: '37600', levelQuantity: '0.2', levels: 10 }],
        accounts: [
          { apiKey: HMAC_KEY, secret: HMAC_SECRET, balances: { USDT: '1000' } },
          { apiKey: ED_KEY, ed25519PublicKey: ED_PUBLIC, balances: { USDT: '1000' } },
        ],
      });
      await server.start();
      const exchange = new BinanceExchange({
        restUrl: server.restUrl,
        streamUrl: server.streamUrl,
        wsApiUrl: server.wsApiUrl,
        credentials,
        orderTransport,
      });
      const fixture = {
        exchange,
        instrumentId: btcusdt.id,
        restingBuyPrice: '30000',
        marketableBuyPrice: '38000',
        quantity: '0.001',
        unaffordableQuantity: '0.5',
      };
      servers.set(fixture, server);
      return fixture;
    },
    dispose: async (fixture) => {
      await servers.get(fixture)?.stop();
    },
  });
}

suite(
  'BinanceExchange (Ed25519, orders over the WebSocket API)',
  { kind: 'ed25519', apiKey: ED_KEY, privateKey: ED_SEED },
  'ws-api',
);
suite(
  'BinanceExchange (HMAC, orders over REST)',
  { kind: 'hmac', apiKey: HMAC_KEY, secret: HMAC_SECRET },
  'rest',
);
