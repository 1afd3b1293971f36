import * as z from 'zod';
import { ValidationError, type ValidationIssue } from './errors.js';

/** The shape of one zod issue, as far as the conversion needs it. */
type ZodIssue = z.ZodError['issues'][number];

function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'symbol') text += `[${String(key)}]`;
    else text += text === '' ? key : `.${key}`;
  }
  return text === '' ? '(root)' : text;
}

function withArticle(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function listValues(values: readonly unknown[]): string {
  return values
    .map((value) => (typeof value === 'string' ? `"${value}"` : String(value)))
    .join(', ');
}

// A schema's own message may start with "must" already; the rule is what follows it.
function asRule(message: string): string {
  return message.startsWith('must ') ? message.slice(5) : message;
}

// zod words its messages for people ("Invalid input: expected string"); QTP words a rule to follow
// "must", so the message reads `price: must be a string, was 5`.
function ruleOf(issue: ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'nonoptional') return 'be present';
      return issue.input === undefined
        ? `be present (${withArticle(String(issue.expected))})`
        : `be ${withArticle(String(issue.expected))}`;
    case 'too_small': {
      const bound = issue.inclusive === false ? 'more than' : 'at least';
      if (issue.origin === 'string') return `have ${bound} ${issue.minimum} characters`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `have ${bound} ${issue.minimum} items`;
      return `be ${bound} ${issue.minimum}`;
    }
    case 'too_big': {
      const bound = issue.inclusive === false ? 'less than' : 'at most';
      if (issue.origin === 'string') return `have ${bound} ${issue.maximum} characters`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `have ${bound} ${issue.maximum} items`;
      return `be ${bound} ${issue.maximum}`;
    }
    case 'invalid_value':
      return issue.values.length === 1
        ? `be ${listValues(issue.values)}`
        : `be one of ${listValues(issue.values)}`;
    case 'invalid_format':
      // zod's own wording starts "Invalid"; anything else is the schema's, which knows its rule.
      if (!issue.message.startsWith('Invalid')) return asRule(issue.message);
      return issue.pattern === undefined
        ? `be a valid ${issue.format}`
        : `match the pattern ${issue.pattern}`;
    case 'not_multiple_of':
      return `be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `not have the key${issue.keys.length === 1 ? '' : 's'} ${listValues(issue.keys)}`;
    case 'invalid_union':
      return 'match one of the allowed shapes';
    case 'invalid_key':
      return 'have valid keys';
    case 'invalid_element':
      return 'have valid elements';
    case 'custom':
      // QTP's own refinements are already worded to follow "must".
      return asRule(issue.message);
    default:
      return `satisfy "${(issue as { message: string }).message}"`;
  }
}

/**
 * Returns a {@link ValidationError} listing every issue of a zod error, each with its path
 * (dotted, with `[n]` for array indexes), the rule worded to follow "must", and the offending
 * value when zod reported it. The zod error is kept as the `cause`.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { fromZodError } from '@qtp/core';
 * const result = z.object({ price: z.string() }).safeParse({ price: 5 }, { reportInput: true });
 * if (!result.success) throw fromZodError(result.error); // price: must be a string, was 5
 * ```
 */
export function fromZodError(error: z.ZodError): ValidationError {
  const issues: ValidationIssue[] = error.issues.map((issue) => ({
    field: formatPath(issue.path),
    rule: ruleOf(issue),
    value: issue.input,
  }));
  if (issues.length === 0) issues.push({ field: '(root)', rule: 'be valid', value: undefined });
  return new ValidationError(issues, undefined, undefined, { cause: error });
}

/**
 * Parses `input` with a zod schema and returns the schema's output.
 *
 * @throws {@link ValidationError} listing every issue with its path and offending value
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { parseWith } from '@qtp/core';
 * const config = parseWith(z.object({ venue: z.string() }), JSON.parse('{"venue":"BINANCE"}'));
 * ```
 */
export function parseWith<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
): z.output<Schema> {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw fromZodError(result.error);
  return result.data;
}

const DECIMAL_STRING = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A zod schema for a decimal carried as a JSON string (`"0.00141342"`): how QTP writes booked
 * numbers in JSON, so no digit is lost to a binary float. Convert the string with `toDecimal`.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { decimalStringSchema, parseWith } from '@qtp/core';
 * parseWith(z.object({ price: decimalStringSchema }), { price: '27123.45' });
 * ```
 */
export const decimalStringSchema: z.ZodString = z
  .string()
  .refine((text) => DECIMAL_STRING.test(text), { message: 'be a decimal string such as "0.001"' });
