// JSON that keeps what a backtest result holds beyond plain JSON: non-finite numbers (an
// undefined Sharpe ratio is NaN) and typed arrays (the equity curve), as tagged objects.

type TypedArrayName = 'Float64Array' | 'Float32Array' | 'Int32Array' | 'Uint32Array';
const TYPED: Record<TypedArrayName, new (values: number[]) => ArrayLike<number>> = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
};

/** Returns `value` as JSON text with non-finite numbers and typed arrays tagged. */
export function toTaggedJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'number' && !Number.isFinite(item)) return { $number: String(item) };
    if (ArrayBuffer.isView(item) && !(item instanceof DataView)) {
      return { $typed: item.constructor.name, values: Array.from(item as Float64Array) };
    }
    return item;
  });
}

/** Parses JSON text written by {@link toTaggedJson}. */
export function fromTaggedJson(text: string): unknown {
  return JSON.parse(text, (_key, item: unknown) => {
    if (typeof item !== 'object' || item === null) return item;
    const tagged = item as { $number?: string; $typed?: string; values?: number[] };
    if (typeof tagged.$number === 'string') return Number(tagged.$number);
    if (typeof tagged.$typed === 'string' && Array.isArray(tagged.values)) {
      const make = TYPED[tagged.$typed as TypedArrayName];
      if (make !== undefined) return new make(tagged.values);
    }
    return item;
  });
}
