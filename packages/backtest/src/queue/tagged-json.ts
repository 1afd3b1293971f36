// JSON that keeps what a backtest result holds beyond plain JSON: non-finite numbers (an
// undefined Sharpe ratio is NaN) and typed arrays (the equity curve), as tagged objects. A typed
// array travels as the base64 of its bytes, little-endian: exact to the bit, a third the size of
// its numbers as text, and one string for the parser instead of one number per element.

type TypedArrayName = 'Float64Array' | 'Float32Array' | 'Int32Array' | 'Uint32Array';
type TypedArray = Float64Array | Float32Array | Int32Array | Uint32Array;
const TYPED: Record<
  TypedArrayName,
  { new (length: number): TypedArray; BYTES_PER_ELEMENT: number }
> = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
};

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function encodeTyped(item: ArrayBufferView): unknown {
  const name = item.constructor.name;
  if (LITTLE_ENDIAN && Object.hasOwn(TYPED, name)) {
    const bytes = Buffer.from(item.buffer, item.byteOffset, item.byteLength);
    return { $typed: name, base64: bytes.toString('base64') };
  }
  return { $typed: name, values: Array.from(item as Float64Array) };
}

/** Returns `value` as JSON text with non-finite numbers and typed arrays tagged. */
export function toTaggedJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'number' && !Number.isFinite(item)) return { $number: String(item) };
    if (ArrayBuffer.isView(item) && !(item instanceof DataView)) return encodeTyped(item);
    return item;
  });
}

function decodeTyped(name: string, tagged: { base64?: unknown; values?: unknown }): unknown {
  const make = TYPED[name as TypedArrayName];
  if (make === undefined || !Object.hasOwn(TYPED, name)) return undefined;
  if (Array.isArray(tagged.values)) {
    const out = new make(tagged.values.length);
    for (let i = 0; i < out.length; i++) out[i] = tagged.values[i] as number;
    return out;
  }
  if (typeof tagged.base64 !== 'string') return undefined;
  const bytes = Buffer.from(tagged.base64, 'base64');
  const size = make.BYTES_PER_ELEMENT;
  if (bytes.length % size !== 0) return undefined;
  const out = new make(bytes.length / size);
  if (LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes);
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) {
    const at = i * size;
    out[i] =
      name === 'Float64Array'
        ? view.getFloat64(at, true)
        : name === 'Float32Array'
          ? view.getFloat32(at, true)
          : name === 'Int32Array'
            ? view.getInt32(at, true)
            : view.getUint32(at, true);
  }
  return out;
}

// Replaces the tagged objects under `node` in place, and returns what stands for `node`.
function restore(node: unknown): unknown {
  if (typeof node !== 'object' || node === null) return node;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const item: unknown = node[i];
      if (typeof item === 'object' && item !== null) node[i] = restore(item);
    }
    return node;
  }
  const record = node as Record<string, unknown>;
  if (typeof record.$number === 'string') return Number(record.$number);
  if (typeof record.$typed === 'string') {
    const typed = decodeTyped(record.$typed, record);
    if (typed !== undefined) return typed;
  }
  for (const key in record) {
    const item = record[key];
    if (typeof item === 'object' && item !== null) record[key] = restore(item);
  }
  return record;
}

/** Parses JSON text written by {@link toTaggedJson} (typed arrays as base64 or as numbers). */
export function fromTaggedJson(text: string): unknown {
  return restore(JSON.parse(text));
}
