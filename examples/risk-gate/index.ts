// An SMA crossover on real Binance XRP/ETH five-minute bars with a RiskEngine as its pre-trade
// gate: orders above 400 XRP are refused, and a 1 % drawdown from the equity peak flattens the
// account (cancel everything, close every position at market) and then halts it.
import { fileURLToPath } from 'node:url';
import { readCsvBars, runBacktest } from '@qtp/backtest';
import { Instrument, instrumentId } from '@qtp/core';
import { RiskEngine } from '@qtp/risk';

const id = instrumentId('XRPETH', 'BINANCE');
const xrpEth = new Instrument({
  id,
  baseAsset: 'XRP',
  quoteAsset: 'ETH',
  priceIncrement: '0.00000001',
  sizeIncrement: '1',
  takerFee: '0.001',
});

const risk = new RiskEngine({
  config: {
    account: { maxOrderNotional: 2, priceBand: 0.05, maxOrdersPerSecond: 10 },
    strategies: { sma: { maxOrderQuantity: 400 } },
    postTrade: { maxDrawdown: { limit: 0.01, action: 'FLATTEN' } },
  },
});

const result = await runBacktest({
  instruments: [xrpEth],
  data: readCsvBars(fileURLToPath(new URL('../data/XRPETH-5m.csv', import.meta.url)), {
    instrumentId: id,
    interval: '5m',
  }),
  strategy: {
    name: 'sma-crossover',
    id: 'sma',
    params: { instrumentId: id, fastPeriod: 5, slowPeriod: 20, quantity: '350' },
  },
  balances: { ETH: '1' },
  // The risk engine hears every mark and fill of the run and closes through its order manager.
  preTradeGate: risk,
});

console.log(`SMA crossover (5/20) on ${id}, 350 XRP a trade, behind a RiskEngine`);
console.log(`  final equity   ${Number(result.finalEquity).toFixed(6)} ETH`);
console.log(`  orders         ${result.orders.length}`);
for (const change of result.riskEvents.stateChanges) {
  const when = new Date(change.timeMs).toISOString();
  console.log(`  ${when}  ${change.from} -> ${change.to}  by ${change.setBy}: ${change.reason}`);
}
console.log('  refusals by code', result.riskEvents.refusals);
console.log(`  state now      ${risk.states.stateOf({ kind: 'account', id: risk.accountId })}`);
