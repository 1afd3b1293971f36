import { Decimal } from '@qtp/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signed, startServer, type Wire } from './test-fixtures.js';

type Command =
  | { kind: 'limit'; side: 'BUY' | 'SELL'; offsetTicks: number; lots: number }
  | { kind: 'market'; side: 'BUY' | 'SELL'; lots: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'move'; ticks: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant('limit' as const),
    side: fc.constantFrom('BUY' as const, 'SELL' as const),
    offsetTicks: fc.integer({ min: -30, max: 30 }),
    lots: fc.integer({ min: 1, max: 50 }),
  }),
  fc.record({
    kind: fc.constant('market' as const),
    side: fc.constantFrom('BUY' as const, 'SELL' as const),
    lots: fc.integer({ min: 1, max: 50 }),
  }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('move' as const), ticks: fc.integer({ min: -40, max: 40 }) }),
);

const TICK = new Decimal('0.01');
const LOT = new Decimal('0.001');

describe('BinanceServer accounting', () => {
  it('keeps balances equal to the start plus the trades it reports, with nothing lost or doubled', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 12 }), async (commands) => {
        const { server } = await startServer();
        try {
          let mid = new Decimal(37600);
          let sent = 0;
          for (const step of commands) {
            if (step.kind === 'move') {
              mid = mid.plus(TICK.times(step.ticks));
              server.setPrice('BTCUSDT', mid);
              continue;
            }
            if (step.kind === 'cancel') {
              const open = (
                await signed(server, 'GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' })
              ).body as Wire[];
              if (open.length > 0) {
                const target = open[step.pick % open.length];
                const reply = await signed(server, 'DELETE', '/api/v3/order', {
                  symbol: 'BTCUSDT',
                  orderId: String(target.orderId),
                });
                expect(reply.body.status).toBe('CANCELED');
              }
              continue;
            }
            const quantity = LOT.times(step.lots).toFixed(3);
            const params: Record<string, string> =
              step.kind === 'limit'
                ? {
                    symbol: 'BTCUSDT',
                    side: step.side,
                    type: 'LIMIT',
                    timeInForce: 'GTC',
                    quantity,
                    price: mid.plus(TICK.times(step.offsetTicks)).toFixed(2),
                  }
                : { symbol: 'BTCUSDT', side: step.side, type: 'MARKET', quantity };
            sent += 1;
            await signed(server, 'POST', '/api/v3/order', {
              ...params,
              newClientOrderId: `p-${sent}`,
            });
          }
          const orders = (await signed(server, 'GET', '/api/v3/allOrders', { symbol: 'BTCUSDT' }))
            .body as Wire[];
          const trades = (await signed(server, 'GET', '/api/v3/myTrades', { symbol: 'BTCUSDT' }))
            .body as Wire[];
          const balances = (await signed(server, 'GET', '/api/v3/account', {})).body
            .balances as Wire[];
          const total = (asset: string) => {
            const b = balances.find((x) => x.asset === asset);
            return b === undefined ? new Decimal(0) : new Decimal(b.free).plus(b.locked);
          };
          let btc = new Decimal(1);
          let usdt = new Decimal(100000);
          for (const trade of trades) {
            const qty = new Decimal(trade.qty);
            const quote = new Decimal(trade.price).times(qty);
            expect(new Decimal(trade.quoteQty).eq(quote)).toBe(true);
            // fees are 0.1% of what the account receives
            if (trade.isBuyer) {
              expect(trade.commissionAsset).toBe('BTC');
              expect(new Decimal(trade.commission).eq(qty.times('0.001'))).toBe(true);
              btc = btc.plus(qty).minus(trade.commission);
              usdt = usdt.minus(quote);
            } else {
              expect(trade.commissionAsset).toBe('USDT');
              expect(new Decimal(trade.commission).eq(quote.times('0.001'))).toBe(true);
              btc = btc.minus(qty);
              usdt = usdt.plus(quote).minus(trade.commission);
            }
          }
          expect(total('BTC').toFixed(8)).toBe(btc.toFixed(8));
          expect(total('USDT').toFixed(8)).toBe(usdt.toFixed(8));
          // every accepted request is one order, each client id once; fills add up per order
          const accepted = server
            .orderLog()
            .filter((e) => e.action === 'place' && e.outcome === 'accepted');
          expect(orders.map((o) => o.orderId).sort()).toEqual(
            accepted.map((e) => e.orderId).sort(),
          );
          expect(new Set(orders.map((o) => o.orderId)).size).toBe(orders.length);
          for (const order of orders) {
            const filled = trades
              .filter((t) => t.orderId === order.orderId)
              .reduce((sum, t) => sum.plus(t.qty), new Decimal(0));
            expect(filled.toFixed(8)).toBe(order.executedQty);
            expect(new Decimal(order.executedQty).lte(order.origQty)).toBe(true);
          }
          // what stays locked is what the open orders still hold
          const open = orders.filter((o) => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED');
          const left = (o: Wire) => new Decimal(o.origQty).minus(o.executedQty);
          const lockedBtc = open
            .filter((o) => o.side === 'SELL')
            .reduce((sum, o) => sum.plus(left(o)), new Decimal(0));
          const lockedUsdt = open
            .filter((o) => o.side === 'BUY')
            .reduce((sum, o) => sum.plus(left(o).times(o.price)), new Decimal(0));
          const locked = (asset: string) =>
            new Decimal(balances.find((x) => x.asset === asset)?.locked ?? 0);
          expect(locked('BTC').toFixed(8)).toBe(lockedBtc.toFixed(8));
          expect(locked('USDT').toFixed(8)).toBe(lockedUsdt.toFixed(8));
        } finally {
          await server.stop();
        }
      }),
      { numRuns: 25, seed: 42 },
    );
  });
});
