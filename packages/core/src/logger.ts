import { redactSecrets, redactSecretsInText } from './observability/redact.js';

/** The severity of a log entry, from the most verbose to the most severe. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** Structured fields of a log entry or bindings of a child logger. Errors may appear anywhere. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * A structured logger. Each method writes one entry with a message and optional fields; a child
 * logger adds its bindings to every entry it writes. Secrets in messages, fields and bindings are
 * redacted before anything is written.
 *
 * Two implementations ship: {@link createConsoleLogger} in the main entry (no dependency, for
 * defaults and browsers) and the pino-based `createLogger` of `@qtp/core/observability`.
 */
export interface Logger {
  /** The least severe level this logger writes, or `silent` when it writes nothing. */
  readonly level: LogLevel | 'silent';
  /** Writes a `trace` entry. */
  trace(message: string, fields?: LogFields): void;
  /** Writes a `debug` entry. */
  debug(message: string, fields?: LogFields): void;
  /** Writes an `info` entry. */
  info(message: string, fields?: LogFields): void;
  /** Writes a `warn` entry. */
  warn(message: string, fields?: LogFields): void;
  /** Writes an `error` entry; pass the error as a field, for example `{ err }`. */
  error(message: string, fields?: LogFields): void;
  /** Writes a `fatal` entry. */
  fatal(message: string, fields?: LogFields): void;
  /** Returns a logger that adds `bindings` to every entry, for example `{ component: 'oms' }`. */
  child(bindings: LogFields): Logger;
  /** Returns true when an entry at `level` would be written. */
  isLevelEnabled(level: LogLevel): boolean;
}

/** Options of {@link createConsoleLogger}. */
export interface ConsoleLoggerOptions {
  /** The least severe level written (default `warn`), or `silent`. */
  level?: LogLevel | 'silent';
  /** Fields added to every entry. */
  bindings?: LogFields;
  /** Receives each entry as one JSON line without the newline (default `console.error`). */
  write?: (line: string) => void;
}

const RANK: Readonly<Record<LogLevel | 'silent', number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
};

class ConsoleLogger implements Logger {
  constructor(
    readonly level: LogLevel | 'silent',
    private readonly bindings: LogFields,
    private readonly write: (line: string) => void,
  ) {}

  trace(message: string, fields?: LogFields): void {
    this.log('trace', message, fields);
  }
  debug(message: string, fields?: LogFields): void {
    this.log('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.log('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.log('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.log('error', message, fields);
  }
  fatal(message: string, fields?: LogFields): void {
    this.log('fatal', message, fields);
  }
  child(bindings: LogFields): Logger {
    return new ConsoleLogger(this.level, { ...this.bindings, ...bindings }, this.write);
  }
  isLevelEnabled(level: LogLevel): boolean {
    return RANK[level] >= RANK[this.level];
  }

  private log(level: LogLevel, message: string, fields: LogFields | undefined): void {
    if (!this.isLevelEnabled(level)) return;
    const entry = redactSecrets({ level, ...this.bindings, ...fields }) as Record<string, unknown>;
    entry.msg = redactSecretsInText(message);
    this.write(JSON.stringify(entry, errorsAsJson));
  }
}

// Errors have no enumerable fields; write their name, message, code and cause instead.
function errorsAsJson(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const out: Record<string, unknown> = { name: value.name, message: value.message };
  const code = (value as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (value.cause !== undefined) out.cause = value.cause;
  return out;
}

/**
 * Returns a logger with no dependency that writes each entry as one JSON line, secrets redacted
 * by key name, through `console.error` (or `options.write`). The SDK's packages use it when no
 * logger is injected, so a failure nobody subscribed to is still written somewhere; a host that
 * wants pino's speed and transports passes `createLogger()` from `@qtp/core/observability`.
 *
 * @example
 * ```ts
 * import { createConsoleLogger } from '@qtp/core';
 * const logger = createConsoleLogger({ level: 'info', bindings: { component: 'demo' } });
 * logger.info('started', { apiKey: 'hidden' }); // {"level":"info","component":"demo","apiKey":"[REDACTED]","msg":"started"}
 * ```
 */
export function createConsoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const write =
    options.write ??
    ((line: string) => {
      console.error(line);
    });
  return new ConsoleLogger(options.level ?? 'warn', options.bindings ?? {}, write);
}
