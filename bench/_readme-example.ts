import { createFill, createMoney, instrumentId } from '@qtp/core';
import { computePerformance, Portfolio } from '@qtp/portfolio';

const btc = instrumentId('BTCUSDT', 'BINANCE');
const portfolio = new Portfolio({
  reportingCurrency: 'USDT',
  instruments: [{ id: btc, baseAsset: 'BTC', quoteAsset: 'USDT' }],
});
portfolio.deposit('BINANCE', 'USDT', '10000', 0);

const hour = 3_600_000;
const t0 = Date.UTC(2024, 0, 1);
let n = 0;
const fill = (side: 'BUY' | 'SELL', price: string, quantity: string, fee: string, timeMs: number) =>
  createFill({
    tradeId: String(++n), clientOrderId: `order-${n}`, venueOrderId: String(n), instrumentId: btc,
    side, price, quantity, fee: createMoney(fee, 'USDT'), liquiditySide: 'TAKER', timeMs,
  });

// Fills are booked exactly: FIFO lots, Decimal balances and P&L, fees kept apart.
portfolio.bookFill(fill('BUY', '42000', '0.1', '4.2', t0));
portfolio.bookFill(fill('BUY', '43000', '0.1', '4.3', t0 + 2 * hour));
const sale = portfolio.bookFill(fill('SELL', '44000', '0.15', '6.6', t0 + 5 * hour));
console.log(sale.closedLots.map((lot) => [lot.quantity.toFixed(), lot.realizedPnl.amount.toFixed()]));
// [['0.1', '200'], ['0.05', '50']]: the oldest lot closes first
console.log(portfolio.bookFill(sale.fill).status); // 'duplicate': a replayed fill changes nothing
const position = portfolio.position(btc)!;
console.log(position.quantity.toFixed(), position.averageEntryPrice?.toFixed()); // '0.05' '43000'

// Marks are observed numbers; equity is recorded once per bar.
const closes = [42000, 42500, 43100, 42800, 43600, 44000, 43700, 44200];
closes.forEach((close, i) => {
  portfolio.mark(btc, close, t0 + i * hour);
  portfolio.recordEquity(t0 + i * hour);
});
console.log(position.unrealizedPnl(44200).amount.toFixed(), position.realizedPnl.amount.toFixed()); // '60' '250'
console.log(portfolio.equity()); // 10294.9: 10000 + 250 realized + 60 unrealized - 15.1 fees

// The equity curve and the closed lots feed the analytics directly.
const report = computePerformance(portfolio.equityCurve(), { trades: portfolio.closedTrades() });
console.log(report.totalReturn?.toFixed(4), report.maxDrawdown.toFixed(4), report.trades.winRate);
