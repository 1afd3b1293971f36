import { createLogger } from '@qtp/core/observability';
import { describe, expect, it } from 'vitest';

function capture(): {
  entries: () => Record<string, unknown>[];
  destination: { write(line: string): void };
} {
  const lines: string[] = [];
  return {
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    destination: { write: (line: string) => lines.push(line) },
  };
}

describe('createLogger', () => {
  it('writes one JSON object per entry with level, time, name, fields and message', () => {
    const { entries, destination } = capture();
    const logger = createLogger({
      name: 'engine',
      destination,
      clock: { now: () => 1_700_000_000_000 },
    });
    logger.info('order sent', { clientOrderId: 'qtp-1', quantity: '0.5' });
    expect(entries()).toEqual([
      expect.objectContaining({
        level: 'info',
        time: 1_700_000_000_000,
        name: 'engine',
        clientOrderId: 'qtp-1',
        quantity: '0.5',
        msg: 'order sent',
      }),
    ]);
  });

  it('writes nothing below its level', () => {
    const { entries, destination } = capture();
    const logger = createLogger({ level: 'warn', destination });
    logger.debug('noise');
    logger.info('noise');
    logger.warn('kept');
    expect(entries().map((entry) => entry.msg)).toEqual(['kept']);
    expect(logger.isLevelEnabled('info')).toBe(false);
    expect(logger.isLevelEnabled('error')).toBe(true);
    expect(logger.level).toBe('warn');
  });

  it('adds the bindings of child loggers to every entry', () => {
    const { entries, destination } = capture();
    const logger = createLogger({ destination, bindings: { engine: 'paper' } });
    logger.child({ component: 'oms' }).child({ venue: 'BINANCE' }).info('ready');
    expect(entries()[0]).toMatchObject({
      engine: 'paper',
      component: 'oms',
      venue: 'BINANCE',
      msg: 'ready',
    });
  });

  it('writes errors with their message, code, details and cause', () => {
    const { entries, destination } = capture();
    const logger = createLogger({ destination });
    logger.error('failed', { err: new Error('outer', { cause: new Error('inner') }) });
    expect(entries()[0]).toMatchObject({
      err: { name: 'Error', message: 'outer', cause: { message: 'inner' } },
    });
  });
});
