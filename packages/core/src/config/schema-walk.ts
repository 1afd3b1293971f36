import type { z } from 'zod';

// zod v4 exposes every schema's definition as `_zod.def`, tagged by `type`. Walking it keeps the
// environment mapping and the secret registry in step with whatever schema the user wrote.
type Def = z.core.$ZodTypeDef & Record<string, unknown>;

/** One step of a path into a config value: an object key or an array index. */
export type PathSegment = string | number;

function defOf(schema: z.core.$ZodType): Def {
  return schema._zod.def as Def;
}

const WRAPPERS = new Set([
  'optional',
  'nullable',
  'default',
  'prefault',
  'readonly',
  'catch',
  'nonoptional',
]);

/**
 * Returns every schema met while peeling wrappers (optional, default, pipe input, lazy...) off
 * `schema`, outermost first; the last one is the core type.
 */
export function unwrapChain(schema: z.core.$ZodType): z.core.$ZodType[] {
  const chain: z.core.$ZodType[] = [schema];
  let current = schema;
  for (let depth = 0; depth < 32; depth++) {
    const def = defOf(current);
    let next: unknown;
    if (WRAPPERS.has(def.type)) next = def.innerType;
    else if (def.type === 'pipe') next = def.in;
    else if (def.type === 'lazy') next = (def.getter as () => unknown)();
    if (next === undefined) break;
    current = next as z.core.$ZodType;
    chain.push(current);
  }
  return chain;
}

/** Returns the core type of `schema` once wrappers are peeled off. */
export function coreOf(schema: z.core.$ZodType): z.core.$ZodType {
  const chain = unwrapChain(schema);
  return chain[chain.length - 1] ?? schema;
}

/** Returns the core type's tag: `object`, `number`, `array`... */
export function kindOf(schema: z.core.$ZodType): string {
  return defOf(coreOf(schema)).type;
}

/** Returns the shape of an object schema, or undefined for any other type. */
export function shapeOf(schema: z.core.$ZodType): Record<string, z.core.$ZodType> | undefined {
  const def = defOf(coreOf(schema));
  return def.type === 'object' ? (def.shape as Record<string, z.core.$ZodType>) : undefined;
}

/** Returns the element schema of an array, or the value schema of a record. */
export function itemOf(schema: z.core.$ZodType): z.core.$ZodType | undefined {
  const def = defOf(coreOf(schema));
  if (def.type === 'array') return def.element as z.core.$ZodType;
  if (def.type === 'record') return def.valueType as z.core.$ZodType;
  return undefined;
}

/** Returns the options of a union, or an empty list. */
export function optionsOf(schema: z.core.$ZodType): z.core.$ZodType[] {
  const def = defOf(coreOf(schema));
  return def.type === 'union' ? (def.options as z.core.$ZodType[]) : [];
}

/** Returns the literal values of a literal schema, or an empty list. */
export function literalValuesOf(schema: z.core.$ZodType): unknown[] {
  const def = defOf(coreOf(schema));
  return def.type === 'literal' ? (def.values as unknown[]) : [];
}

/** Formats a path the way `ValidationError` names fields: `risk.maxNotional`, `levels[3]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(root)' : text;
}

/** Returns true for objects made by `{}` or `Object.create(null)`; not arrays, dates or class instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
