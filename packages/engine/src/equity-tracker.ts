import { Decimal, ValidationError } from '@qtp/core';

/** The rate of one asset in the reporting currency; NaN until a mark sets it. */
export interface RateCell {
  rate: number;
}

// Points per chunk of the curve: 64 Ki points, 512 KiB per array.
const CHUNK_BITS = 16;
const CHUNK_SIZE = 1 << CHUNK_BITS;

/**
 * The engine's equity in numbers: holdings per asset are copied from the portfolio when a fill
 * or a deposit changes them, and rates come from marks, so valuing the account on every bar
 * costs a few multiplications and no `Decimal`.
 *
 * A rate lives in a cell the engine resolves once per instrument, so a mark sets it without a
 * map lookup. The curve is kept in fixed-size typed chunks: a point costs 16 bytes written once,
 * never copied by growth, and nothing is allocated between chunks.
 */
export class EquityTracker {
  // Sorted by asset, as the portfolio lists its balances, so the sum runs in the same order
  // whether the holdings were set all at once or one asset at a time.
  private held: { readonly cell: RateCell; amount: number; readonly asset: string }[] = [];
  private readonly cells = new Map<string, RateCell>();
  private readonly timeChunks: Float64Array[] = [];
  private readonly valueChunks: Float64Array[] = [];
  private count = 0;

  constructor(readonly currency: string) {
    this.cell(currency).rate = 1;
  }

  /** Returns the cell holding `asset`'s rate, made on first use. */
  cell(asset: string): RateCell {
    let cell = this.cells.get(asset);
    if (cell === undefined) {
      cell = { rate: Number.NaN };
      this.cells.set(asset, cell);
    }
    return cell;
  }

  setHoldings(totals: ReadonlyMap<string, Decimal>): void {
    const held: { cell: RateCell; amount: number; asset: string }[] = [];
    for (const [asset, amount] of totals) {
      if (amount.isZero()) continue;
      held.push({ cell: this.cell(asset), amount: amount.toNumber(), asset });
    }
    this.held = held;
  }

  /** Sets the holding of one asset from its exact total; a fill changes two or three of them. */
  setHolding(asset: string, total: Decimal): void {
    const held = this.held;
    let i = 0;
    while (i < held.length && held[i]!.asset < asset) i++;
    const holding = held[i];
    if (holding !== undefined && holding.asset === asset) {
      if (total.isZero()) held.splice(i, 1);
      else holding.amount = total.toNumber();
    } else if (!total.isZero()) {
      held.splice(i, 0, { cell: this.cell(asset), amount: total.toNumber(), asset });
    }
  }

  rateOf(asset: string): number | undefined {
    const rate = this.cells.get(asset)?.rate;
    return rate === undefined || Number.isNaN(rate) ? undefined : rate;
  }

  equity(): number {
    let total = 0;
    const held = this.held;
    for (let i = 0; i < held.length; i++) {
      const holding = held[i]!;
      const rate = holding.cell.rate;
      if (Number.isNaN(rate)) {
        throw new ValidationError(
          `rates.${holding.asset}`,
          `be known: mark an instrument that prices ${holding.asset} in ${this.currency}`,
          undefined,
        );
      }
      total += holding.amount * rate;
    }
    return total;
  }

  // A second point at the same time replaces the first, so several instruments closing a bar
  // together leave one point; so does an earlier time (live feeds interleave slightly out of
  // order), which keeps the curve's times increasing.
  record(timeMs: number): void {
    const equity = this.equity();
    const count = this.count;
    if (count > 0) {
      const last = count - 1;
      const chunk = last >>> CHUNK_BITS;
      const index = last & (CHUNK_SIZE - 1);
      if (this.timeChunks[chunk]![index]! >= timeMs) {
        this.valueChunks[chunk]![index] = equity;
        return;
      }
    }
    const index = count & (CHUNK_SIZE - 1);
    if (index === 0) {
      this.timeChunks.push(new Float64Array(CHUNK_SIZE));
      this.valueChunks.push(new Float64Array(CHUNK_SIZE));
    }
    const chunk = count >>> CHUNK_BITS;
    this.timeChunks[chunk]![index] = timeMs;
    this.valueChunks[chunk]![index] = equity;
    this.count = count + 1;
  }

  /** The points from `from` on (none when `from` is past the end). */
  curve(from = 0): { times: number[]; values: number[] } {
    return {
      times: this.flatten(this.timeChunks, from),
      values: this.flatten(this.valueChunks, from),
    };
  }

  private flatten(chunks: readonly Float64Array[], from: number): number[] {
    const count = this.count;
    if (from >= count) return [];
    // Sized up front (so filled without regrowing) and filled in order, so no hole remains. Made
    // from a fractional literal, so it holds doubles from the start: `new Array(count)` holds
    // small integers and copies itself into doubles on the first store.
    const out = [0.5];
    out.length = count - from;
    for (let i = from; i < count; i++) {
      out[i - from] = chunks[i >>> CHUNK_BITS]![i & (CHUNK_SIZE - 1)]!;
    }
    return out;
  }
}

/** Returns `amount` of `asset` in `currency` exactly, from marks given as numbers. */
export function exactValue(
  amount: Decimal,
  asset: string,
  currency: string,
  priceOf: (base: string, quote: string) => number | undefined,
): Decimal {
  if (asset === currency) return amount;
  const direct = priceOf(asset, currency);
  if (direct !== undefined) return amount.times(new Decimal(String(direct)));
  const inverse = priceOf(currency, asset);
  if (inverse !== undefined) return amount.div(new Decimal(String(inverse)));
  throw new ValidationError(
    `rates.${asset}`,
    `be known: mark an instrument that prices ${asset} in ${currency}`,
    undefined,
  );
}
