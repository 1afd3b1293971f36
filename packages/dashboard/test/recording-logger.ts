// A logger that keeps every entry as one JSON line, so a test can read what would have been logged.
import type { LogFields, Logger, LogLevel } from '@qtp/core';

export function recordingLogger(lines: string[], bindings: LogFields = {}): Logger {
  const write =
    (level: LogLevel) =>
    (message: string, fields: LogFields = {}): void => {
      lines.push(JSON.stringify({ level, message, ...bindings, ...fields }, replacer));
    };
  return {
    level: 'trace',
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    fatal: write('fatal'),
    child: (more) => recordingLogger(lines, { ...bindings, ...more }),
    isLevelEnabled: () => true,
  };
}

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Error)
    return { name: value.name, message: value.message, stack: value.stack };
  return value;
}
