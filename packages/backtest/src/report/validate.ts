import { toDecimal, toPositiveDecimal, ValidationError } from '@qtp/core';
import type { TearsheetData } from './tearsheet-data.js';

function checkTime(field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(field, 'be a finite number of epoch milliseconds', value);
  }
}

function checkString(field: string, value: unknown): void {
  if (typeof value !== 'string') throw new ValidationError(field, 'be a string', value);
}

/**
 * Checks the data before anything is rendered, so a bad field fails with an error that names it
 * instead of producing a page with `NaN` in it.
 */
export function checkTearsheetData(data: TearsheetData): void {
  if (typeof data !== 'object' || data === null) {
    throw new ValidationError('data', 'be a TearsheetData object', data);
  }
  if (data.title !== undefined) checkString('title', data.title);
  checkString('strategy.name', data.strategy?.name);
  if (!Array.isArray(data.instruments)) {
    throw new ValidationError('instruments', 'be an array of strings', data.instruments);
  }
  data.instruments.forEach((instrument, i) => {
    checkString(`instruments[${i}]`, instrument);
  });
  if (data.currency !== undefined) checkString('currency', data.currency);

  const { times, values } = data.equity ?? {};
  if (times === undefined || values === undefined) {
    throw new ValidationError('equity', 'have times and values', data.equity);
  }
  if (times.length !== values.length) {
    throw new ValidationError(
      'equity.values',
      `have the length of equity.times, ${times.length}`,
      values.length,
    );
  }
  for (let i = 0; i < times.length; i++) {
    checkTime(`equity.times[${i}]`, times[i]);
    if (i > 0 && !(times[i]! > times[i - 1]!)) {
      throw new ValidationError(`equity.times[${i}]`, `be after equity.times[${i - 1}]`, times[i]);
    }
    const value = values[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ValidationError(`equity.values[${i}]`, 'be a finite number', value);
    }
  }
  if (data.period !== undefined) {
    checkTime('period.start', data.period.start);
    checkTime('period.end', data.period.end);
    if (data.period.end < data.period.start) {
      throw new ValidationError('period.end', 'not be before period.start', data.period.end);
    }
  }
  if (data.generatedAt !== undefined) checkTime('generatedAt', data.generatedAt);
  if (typeof data.performance !== 'object' || data.performance === null) {
    throw new ValidationError('performance', 'be a PerformanceReport', data.performance);
  }
  if (!Array.isArray(data.trades)) throw new ValidationError('trades', 'be an array', data.trades);
  data.trades.forEach((trade, i) => {
    const field = `trades[${i}]`;
    if (trade.side !== 'LONG' && trade.side !== 'SHORT') {
      throw new ValidationError(`${field}.side`, "be 'LONG' or 'SHORT'", trade.side);
    }
    checkTime(`${field}.entryTime`, trade.entryTime);
    checkTime(`${field}.exitTime`, trade.exitTime);
    if (trade.exitTime < trade.entryTime) {
      throw new ValidationError(`${field}.exitTime`, 'not be before entryTime', trade.exitTime);
    }
    toPositiveDecimal(trade.quantity, `${field}.quantity`);
    toPositiveDecimal(trade.entryPrice, `${field}.entryPrice`);
    toPositiveDecimal(trade.exitPrice, `${field}.exitPrice`);
    toDecimal(trade.pnl, `${field}.pnl`);
    if (trade.return !== undefined && !Number.isFinite(trade.return)) {
      throw new ValidationError(`${field}.return`, 'be a finite number', trade.return);
    }
    if (trade.instrument !== undefined) checkString(`${field}.instrument`, trade.instrument);
  });
}
