import { crossoverBacktest, randomWalkCloses } from './tearsheet-fixture.js';
for (let seed = 1; seed <= 30; seed++) {
  const walk = randomWalkCloses({ seed, count: 24 * 365 * 2 + 24 * 120, start: Date.UTC(2022, 0, 1), intervalMs: 3_600_000, price: 30000 });
  const a = crossoverBacktest(walk, { instrument: 'BTCUSDT.BINANCE', currency: 'USDT', cash: '10000', fast: 48, slow: 240, feeRate: '0.001', lotDecimals: 5, moneyDecimals: 2, shorts: true });
  console.log(seed, a.performance.totalReturn?.toFixed(3), a.performance.maxDrawdown.toFixed(3), a.performance.sharpeRatio?.toFixed(2));
}
