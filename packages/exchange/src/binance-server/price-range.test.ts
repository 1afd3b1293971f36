import { describe, expect, it } from 'vitest';
import {
  btcusdt,
  get,
  HMAC_KEY,
  HMAC_SECRET,
  START_MS,
  type StartedServer,
  serverPerTest,
  signed,
  type Wire,
} from './test-fixtures.js';

const servers = serverPerTest();

// Reference 37600: buys may trade up to 37600 x 1.0000015 = 37600.0564, sells down to
// 37600 x 0.9999985 = 37599.9436. The book has 0.2 BTC every tick from 37600.01 up and 37599.99
// down, so five levels of each side are inside the band.
const start = () =>
  servers.start({
    symbols: [
      {
        instrument: btcusdt,
        price: '37600',
        levelQuantity: '0.2',
        levels: 10,
        priceRange: {
          bidLimitMultUp: '1.0000015',
          bidLimitMultDown: '0.99',
          askLimitMultUp: '1.01',
          askLimitMultDown: '0.9999985',
        },
        referencePrice: '37600',
      },
    ],
    accounts: [{ apiKey: HMAC_KEY, secret: HMAC_SECRET, balances: { USDT: '100000', BTC: '5' } }],
  });
const place = (server: StartedServer['server'], params: Record<string, string>) =>
  signed(server, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', ...params });

describe('the price range execution rule', () => {
  it('serves the rule and the reference price', async () => {
    const { server } = await start();
    const rules = await get(server, '/api/v3/executionRules?symbol=BTCUSDT');
    expect(rules.body).toEqual({
      symbolRules: [
        {
          symbol: 'BTCUSDT',
          rules: [
            {
              ruleType: 'PRICE_RANGE',
              bidLimitMultUp: '1.00000150',
              bidLimitMultDown: '0.99000000',
              askLimitMultUp: '1.01000000',
              askLimitMultDown: '0.99999850',
            },
          ],
        },
      ],
    });
    const reference = await get(server, '/api/v3/referencePrice?symbol=BTCUSDT');
    expect(reference.body).toEqual({
      symbol: 'BTCUSDT',
      referencePrice: '37600.00000000',
      timestamp: START_MS,
    });
    server.setReferencePrice('BTCUSDT', null);
    const empty = await get(server, '/api/v3/referencePrice?symbol=BTCUSDT');
    expect(empty.body).toEqual({ symbol: 'BTCUSDT', referencePrice: null, timestamp: START_MS });
  });

  it('expires a market buy that would trade above the band, keeping the fills inside it', async () => {
    const { server } = await start();
    const inside = await place(server, { side: 'BUY', type: 'MARKET', quantity: '0.1' });
    expect(inside.body).toMatchObject({ status: 'FILLED', cummulativeQuoteQty: '3760.00100000' });
    const placed = await place(server, { side: 'BUY', type: 'MARKET', quantity: '1.2' });
    expect(placed.status).toBe(200);
    // what is left inside the band: 0.1 at 37600.01, then 0.2 at each of 37600.02 ... 37600.05
    // = 3760.001 + 0.2 x 150400.14
    expect(placed.body).toMatchObject({
      status: 'EXPIRED',
      expiryReason: 'EXECUTION_RULE_PRICE_RANGE_EXCEEDED',
      executedQty: '0.90000000',
      cummulativeQuoteQty: '33840.02900000',
    });
    expect(placed.body.fills.map((fill: Wire) => fill.price)).toEqual([
      '37600.01000000',
      '37600.02000000',
      '37600.03000000',
      '37600.04000000',
      '37600.05000000',
    ]);
  });

  it('expires the rest of a crossing limit sell at the band bottom instead of resting it', async () => {
    const { server } = await start();
    const placed = await place(server, {
      side: 'SELL',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '1.5',
      price: '37599.90',
      newOrderRespType: 'RESULT',
    });
    // 0.2 at each of 37599.99 ... 37599.95: 0.2 x 187999.85
    expect(placed.body).toMatchObject({
      status: 'EXPIRED',
      expiryReason: 'EXECUTION_RULE_PRICE_RANGE_EXCEEDED',
      executedQty: '1.00000000',
      cummulativeQuoteQty: '37599.97000000',
      timeInForce: 'GTC',
      price: '37599.90000000',
    });
    const open = await signed(server, 'GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' });
    expect(open.body).toEqual([]);
  });

  it('expires a taker with no fills when its first trade is already outside the band', async () => {
    const { server } = await start();
    // Buys may now trade only from 40000 x 0.99 = 39600; the best ask is 37600.01.
    server.setReferencePrice('BTCUSDT', '40000');
    const placed = await place(server, { side: 'BUY', type: 'MARKET', quantity: '0.1' });
    expect(placed.body).toMatchObject({
      status: 'EXPIRED',
      expiryReason: 'EXECUTION_RULE_PRICE_RANGE_EXCEEDED',
      executedQty: '0.00000000',
      fills: [],
    });
  });

  it('does not apply the rule without a reference price', async () => {
    const { server } = await start();
    server.setReferencePrice('BTCUSDT', null);
    const placed = await place(server, { side: 'BUY', type: 'MARKET', quantity: '1.2' });
    expect(placed.body).toMatchObject({ status: 'FILLED', executedQty: '1.20000000' });
  });

  it('checks PERCENT_PRICE_BY_SIDE against the reference price when there is one', async () => {
    const { server } = await start();
    const order = { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001' };
    // 0.2 x 37600 = 7520 allows 7900 ...
    expect((await place(server, { ...order, price: '7900' })).status).toBe(200);
    // ... but 0.2 x 40000 = 8000 does not.
    server.setReferencePrice('BTCUSDT', '40000');
    const refused = await place(server, { ...order, price: '7900' });
    expect(refused.body).toEqual({ code: -1013, msg: 'Filter failure: PERCENT_PRICE_BY_SIDE' });
  });
});
