import { parseWith } from '@qtp/core';
import * as z from 'zod';

const priceChangeSchema = z
  .number()
  .min(-1)
  .refine(Number.isFinite, { message: 'be a finite number' })
  .describe('the relative price move, -0.3 for -30 %');
const spreadMultiplierSchema = z
  .number()
  .min(0)
  .refine(Number.isFinite, { message: 'be a finite number' })
  .describe('the factor the bid-ask spread is multiplied by, 5 for spreads x5');

const shockFields = {
  priceChange: priceChangeSchema.optional(),
  spreadMultiplier: spreadMultiplierSchema.optional(),
};

const shockSchema = z
  .discriminatedUnion('scope', [
    z.strictObject({
      scope: z.literal('instrument'),
      instrumentId: z.string().min(1),
      ...shockFields,
    }),
    z.strictObject({ scope: z.literal('asset'), asset: z.string().min(1), ...shockFields }),
    z.strictObject({ scope: z.literal('group'), group: z.string().min(1), ...shockFields }),
    z.strictObject({
      scope: z.literal('all'),
      exceptAssets: z.array(z.string().min(1)).optional(),
      ...shockFields,
    }),
  ])
  .refine((shock) => shock.priceChange !== undefined || shock.spreadMultiplier !== undefined, {
    message: 'set priceChange, spreadMultiplier or both',
  });

const shockScenarioSchema = z
  .strictObject({
    kind: z.literal('shocks'),
    name: z.string().min(1),
    description: z.string().optional(),
    groups: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).optional(),
    shocks: z.array(shockSchema).min(1),
  })
  .superRefine((scenario, context) => {
    scenario.shocks.forEach((shock, i) => {
      if (shock.scope === 'group' && scenario.groups?.[shock.group] === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['shocks', i, 'group'],
          message: `name a group defined in groups (${Object.keys(scenario.groups ?? {}).join(', ') || 'none defined'})`,
          input: shock.group,
        });
      }
    });
  });

const DAY_MS = 86_400_000;

const historicalScenarioSchema = z.strictObject({
  kind: z.literal('historical'),
  name: z.string().min(1),
  description: z.string().optional(),
  window: z.union([
    z.literal('day'),
    z.literal('week'),
    z.strictObject({ durationMs: z.number().int().positive() }),
  ]),
});

/** The figures a shock sets: a price move, a spread multiplier or both. */
export interface ShockFigures {
  /** The relative price move, at least -1: -0.3 for -30 %. */
  readonly priceChange?: number | undefined;
  /** The factor the bid-ask spread is multiplied by, at least 0: 5 for spreads x5. */
  readonly spreadMultiplier?: number | undefined;
}

/**
 * One shock of a scenario: a relative price move, a spread multiplier or both, for one instrument
 * (`scope: 'instrument'`), every instrument of a base asset (`'asset'`), every asset of a named
 * group (`'group'`), or every asset but some (`'all'`).
 */
export type StressShock =
  | (ShockFigures & { readonly scope: 'instrument'; readonly instrumentId: string })
  | (ShockFigures & { readonly scope: 'asset'; readonly asset: string })
  | (ShockFigures & { readonly scope: 'group'; readonly group: string })
  | (ShockFigures & {
      readonly scope: 'all';
      readonly exceptAssets?: readonly string[] | undefined;
    });

/** A scenario of hypothetical shocks, as data. */
export interface ShockScenario {
  /** Always `shocks`. */
  readonly kind: 'shocks';
  /** The scenario's name, as reports and refusals show it. */
  readonly name: string;
  /** What the scenario stands for. */
  readonly description?: string | undefined;
  /** Named groups of base assets that `group` shocks select, such as `{ alts: ['ETH', 'SOL'] }`. */
  readonly groups?: Readonly<Record<string, readonly string[]>> | undefined;
  /** The shocks, at least one. */
  readonly shocks: readonly StressShock[];
}

/**
 * A scenario replayed from history: the holdings' worst window of the given length (a day, a
 * week or any duration) in the aligned price history, each asset moved as it moved then.
 */
export interface HistoricalScenario {
  /** Always `historical`. */
  readonly kind: 'historical';
  /** The scenario's name, as reports and refusals show it. */
  readonly name: string;
  /** What the scenario stands for. */
  readonly description?: string | undefined;
  /** The window's length: a day, a week, or a duration in milliseconds. */
  readonly window: 'day' | 'week' | { readonly durationMs: number };
}

/** A stress scenario, as data: hypothetical shocks or a replayed historical window. */
export type StressScenario = ShockScenario | HistoricalScenario;

/**
 * The zod schema of a {@link StressScenario}: strict (an unknown key is an error, not ignored), so
 * a misspelt shock never silently stresses nothing.
 */
export const stressScenarioSchema: z.ZodType<StressScenario> = z.discriminatedUnion('kind', [
  shockScenarioSchema,
  historicalScenarioSchema,
]);

/**
 * Parses a stress scenario from plain data (a config file, JSON), checking it strictly.
 *
 * @param input - the scenario's data
 * @throws ValidationError naming the path, rule and value of every problem, such as an unknown
 *   key, a price move below -100 %, a negative spread multiplier or a group not defined
 * @example
 * ```ts
 * import { parseStressScenario } from '@qtp/risk';
 * const crash = parseStressScenario({
 *   kind: 'shocks',
 *   name: 'BTC -30 %, alts -50 %, spreads x5',
 *   shocks: [
 *     { scope: 'asset', asset: 'BTC', priceChange: -0.3 },
 *     { scope: 'all', exceptAssets: ['BTC'], priceChange: -0.5 },
 *     { scope: 'all', spreadMultiplier: 5 },
 *   ],
 * });
 * const worstWeek = parseStressScenario({ kind: 'historical', name: 'worst week', window: 'week' });
 * ```
 */
export function parseStressScenario(input: unknown): StressScenario {
  return parseWith(stressScenarioSchema, input);
}

/** Returns the length of a historical scenario's window in milliseconds. */
export function windowDurationMs(window: HistoricalScenario['window']): number {
  if (window === 'day') return DAY_MS;
  if (window === 'week') return 7 * DAY_MS;
  return window.durationMs;
}
