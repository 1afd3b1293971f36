import { runBacktest } from '@qtp/backtest';
import { Instrument, instrumentId, SeededRandom } from '@qtp/core';
import { barFillModel } from '@qtp/exchange';
const id = instrumentId('BTCUSDT', 'BINANCE');
const instrument = new Instrument({ id, baseAsset: 'BTC', quoteAsset: 'USDT', priceIncrement: '0.01', sizeIncrement: '0.00001', takerFee: '0.001' });
const r = new SeededRandom(1);
let p = 3000000;
const bars = [];
for (let i = 0; i < 200000; i++) { const o = p; const c = Math.max(100, o + Math.round((r.next() - 0.5) * 6000)); bars.push({ instrumentId: id, interval: '1m' as const, openTimeMs: i * 60000, closeTimeMs: i * 60000 + 59999, open: o / 100, high: Math.max(o, c) / 100, low: Math.min(o, c) / 100, close: c / 100, volume: 10 }); p = c; }
for (const n of [200000, 200000]) {
const t = performance.now();
const res = await runBacktest({ instruments: [instrument], data: bars.slice(0, n), strategy: { name: 'sma-crossover', params: { instrumentId: id, fastPeriod: 20, slowPeriod: 50, quantity: '1' } }, balances: { USDT: '100000000' }, fillModel: barFillModel({ volumeCap: Infinity }) });
console.log(n, Math.round(performance.now() - t), res.fills.length);}
