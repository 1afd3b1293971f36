/**
 * Fill booking: the QTP Portfolio (exact Decimal balances and FIFO lots, trade-id
 * deduplication, validation) and a bare QTP Position (FIFO lots only) against a plain
 * hand-written loop doing the same FIFO booking with `number`s (the practical limit, with no
 * validation and binary rounding). Each iteration books one seeded stream of 10 000 fills on two
 * instruments into a fresh book; the results are checked to agree before anything is timed.
 * Fills per second = 10 000 / the time per iteration.
 */
import {
  createFill,
  createMoney,
  Decimal,
  type Fill,
  type InstrumentId,
  instrumentId,
  SeededRandom,
} from '@qtp/core';
import { Portfolio, Position } from '@qtp/portfolio';
import { bench, do_not_optimize, group, summary } from 'mitata';

const FILLS = 10_000;
const instruments = [
  { id: instrumentId('BTCUSDT', 'BINANCE'), baseAsset: 'BTC', quoteAsset: 'USDT', price: 27_000 },
  { id: instrumentId('ETHUSDT', 'BINANCE'), baseAsset: 'ETH', quoteAsset: 'USDT', price: 1_600 },
];

interface PlainFill {
  tradeId: string;
  instrument: number;
  buy: boolean;
  price: number;
  quantity: number;
  fee: number;
}

function makeStream(seed: number): { fills: Fill[]; plain: PlainFill[] } {
  const random = new SeededRandom(seed);
  const prices = instruments.map((instrument) => instrument.price * 100);
  const fills: Fill[] = [];
  const plain: PlainFill[] = [];
  for (let i = 0; i < FILLS; i++) {
    const which = random.nextInt(instruments.length);
    const instrument = instruments[which]!;
    prices[which] = Math.max(1, prices[which]! + random.nextInt(201) - 100);
    const cents = prices[which]!;
    const lots = 1 + random.nextInt(500);
    const buy = random.next() < 0.5;
    // A 0.1% fee in USDT, rounded to the cent.
    const feeCents = Math.round((cents * lots) / 1000 / 1000);
    const price = new Decimal(cents).div(100);
    const quantity = new Decimal(lots).div(1000);
    fills.push(
      createFill({
        tradeId: String(i),
        clientOrderId: `c${i}`,
        venueOrderId: `v${i}`,
        instrumentId: instrument.id,
        side: buy ? 'BUY' : 'SELL',
        price,
        quantity,
        fee: createMoney(new Decimal(feeCents).div(100), 'USDT'),
        liquiditySide: 'TAKER',
        timeMs: i * 1000,
      }),
    );
    plain.push({
      tradeId: String(i),
      instrument: which,
      buy,
      price: cents / 100,
      quantity: lots / 1000,
      fee: feeCents / 100,
    });
  }
  return { fills, plain };
}

const { fills, plain } = makeStream(42);

function bookPortfolio(): Portfolio {
  const portfolio = new Portfolio({ reportingCurrency: 'USDT', instruments });
  portfolio.deposit('BINANCE', 'USDT', '1000000000', 0);
  portfolio.deposit('BINANCE', 'BTC', '100000', 0);
  portfolio.deposit('BINANCE', 'ETH', '100000', 0);
  for (const fill of fills) portfolio.bookFill(fill);
  return portfolio;
}

function bookPositions(): Map<InstrumentId, Position> {
  const positions = new Map(
    instruments.map((instrument) => [instrument.id, new Position(instrument)]),
  );
  for (const fill of fills) positions.get(fill.instrumentId)!.apply(fill);
  return positions;
}

/** The same booking on numbers: FIFO lots as parallel arrays with a head index, balances, a trade-id set. */
class PlainBook {
  readonly seen = new Set<string>();
  readonly balances = new Map<string, number>([
    ['USDT', 1e9],
    ['BTC', 1e5],
    ['ETH', 1e5],
  ]);
  readonly lotQuantities: number[][] = instruments.map(() => []);
  readonly lotPrices: number[][] = instruments.map(() => []);
  readonly heads: number[] = instruments.map(() => 0);
  // Signed: positive long lots, negative short lots.
  readonly sides: number[] = instruments.map(() => 0);
  realized = 0;

  book(fill: PlainFill): void {
    if (this.seen.has(fill.tradeId)) return;
    this.seen.add(fill.tradeId);
    const k = fill.instrument;
    const base = instruments[k]!.baseAsset;
    const notional = fill.price * fill.quantity;
    const balances = this.balances;
    balances.set(base, balances.get(base)! + (fill.buy ? fill.quantity : -fill.quantity));
    balances.set('USDT', balances.get('USDT')! + (fill.buy ? -notional : notional) - fill.fee);
    const sign = fill.buy ? 1 : -1;
    const quantities = this.lotQuantities[k]!;
    const prices = this.lotPrices[k]!;
    let head = this.heads[k]!;
    let remaining = fill.quantity;
    if (this.sides[k] === -sign) {
      while (remaining > 0 && head < quantities.length) {
        const lot = quantities[head]!;
        const closed = Math.min(lot, remaining);
        this.realized += -sign * (fill.price - prices[head]!) * closed;
        remaining -= closed;
        if (closed === lot) head++;
        else quantities[head] = lot - closed;
      }
      if (head === quantities.length) {
        quantities.length = 0;
        prices.length = 0;
        head = 0;
        this.sides[k] = 0;
      }
    }
    if (remaining > 1e-12) {
      quantities.push(remaining);
      prices.push(fill.price);
      this.sides[k] = sign;
    }
    this.heads[k] = head;
  }
}

function bookPlain(): PlainBook {
  const book = new PlainBook();
  for (const fill of plain) book.book(fill);
  return book;
}

// Check the three agree before timing them.
const qtp = bookPortfolio();
const realized = qtp
  .positions()
  .reduce((sum, position) => sum.plus(position.realizedPnl.amount), new Decimal(0));
const positionsRealized = [...bookPositions().values()].reduce(
  (sum, p) => sum.plus(p.realizedPnl.amount),
  new Decimal(0),
);
const plainRealized = bookPlain().realized;
if (
  !realized.eq(positionsRealized) ||
  Math.abs(realized.toNumber() - plainRealized) > 1e-6 * Math.abs(plainRealized)
) {
  throw new Error(
    `realized P&L differs: ${realized.toFixed()} ${positionsRealized.toFixed()} ${plainRealized}`,
  );
}

group('portfolio: book 10 000 fills (FIFO lots, two instruments)', () => {
  summary(() => {
    bench('QTP Portfolio.bookFill (Decimal, balances, dedup, checks)', () =>
      do_not_optimize(bookPortfolio()),
    );
    bench('QTP Position.apply (Decimal, lots only)', () => do_not_optimize(bookPositions()));
    bench('plain loop (numbers)', () => do_not_optimize(bookPlain()));
  });
});
