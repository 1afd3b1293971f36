import type { Clock, LogFields, Logger, LogLevel } from '@qtp/core';
import { type Logger as PinoInstance, pino } from 'pino';
import { redactSecrets, redactSecretsInText } from './redact.js';

/** Where log lines go: anything with a `write` that accepts one JSON line at a time. */
export interface LogDestination {
  /** Receives one JSON line, ending with a newline. */
  write(line: string): void;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** The least severe level to write (default `info`). */
  level?: LogLevel | 'silent';
  /** A name written on every entry, for example the service or engine name. */
  name?: string;
  /** Fields written on every entry. */
  bindings?: LogFields;
  /** Where lines go (default standard output). Pass a stream or an object to capture output. */
  destination?: LogDestination;
  /** Key names to redact in addition to the built-in ones (see {@link redactSecrets}). */
  redactKeys?: readonly string[];
  /**
   * The source of the `time` field, in epoch milliseconds (default the system time). Pass the
   * engine's clock so a backtest logs simulated time.
   */
  clock?: Pick<Clock, 'now'>;
}

class PinoLogger implements Logger {
  constructor(private readonly instance: PinoInstance) {}

  get level(): LogLevel | 'silent' {
    return this.instance.level as LogLevel | 'silent';
  }

  trace(message: string, fields?: LogFields): void {
    this.instance.trace(fields ?? {}, message);
  }

  debug(message: string, fields?: LogFields): void {
    this.instance.debug(fields ?? {}, message);
  }

  info(message: string, fields?: LogFields): void {
    this.instance.info(fields ?? {}, message);
  }

  warn(message: string, fields?: LogFields): void {
    this.instance.warn(fields ?? {}, message);
  }

  error(message: string, fields?: LogFields): void {
    this.instance.error(fields ?? {}, message);
  }

  fatal(message: string, fields?: LogFields): void {
    this.instance.fatal(fields ?? {}, message);
  }

  child(bindings: LogFields): Logger {
    return new PinoLogger(this.instance.child(bindings));
  }

  isLevelEnabled(level: LogLevel): boolean {
    return this.instance.isLevelEnabled(level);
  }
}

function asFields(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : { value };
}

/**
 * Creates a {@link Logger} on pino that writes one JSON object per line: `level` (as a word),
 * `time` (epoch milliseconds), `name`, the bindings, the fields and `msg`.
 *
 * Secrets never reach the destination: fields and child bindings go through
 * {@link redactSecrets} (pino's `formatters`), the message and any format arguments through the
 * same text redaction (pino's `logMethod` hook), and each finished line passes that text
 * redaction once more (pino's `streamWrite` hook) as a last guard. Errors in fields are written
 * as objects with their message, stack, details and cause chain.
 *
 * @example
 * ```ts
 * import { createLogger } from '@qtp/core';
 * const logger = createLogger({ name: 'engine', level: 'debug' });
 * const oms = logger.child({ component: 'oms' });
 * oms.info('order sent', { clientOrderId: 'qtp-1', apiKey: 'hidden' }); // apiKey: "[REDACTED]"
 * ```
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const keys = options.redactKeys ?? [];
  const redact = (value: unknown): Record<string, unknown> =>
    asFields(redactSecrets(value, { keys }));
  const redactText = (text: string): string => redactSecretsInText(text, { keys });
  const clock = options.clock;
  const instance = pino(
    {
      level: options.level ?? 'info',
      ...(options.name === undefined ? {} : { name: options.name }),
      timestamp:
        clock === undefined ? pino.stdTimeFunctions.epochTime : () => `,"time":${clock.now()}`,
      // Errors are already plain, redacted objects by the time pino sees them; its own error
      // serializer would rebuild them from the originals' message chain.
      serializers: { err: (value: unknown) => value },
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => redact(bindings),
        log: (fields) => redact(fields),
      },
      hooks: {
        logMethod(args, method) {
          const cleaned = args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg));
          method.apply(this, cleaned as Parameters<typeof method>);
        },
        streamWrite: (line) => redactText(line),
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  const logger = new PinoLogger(instance);
  return options.bindings === undefined ? logger : logger.child(options.bindings);
}
