import { FeaturePipeline, forwardReturns } from '@qtp/strategy/ml';
import { featuresToArrowIpc, featuresToArrowTable } from '@qtp/strategy/ml/arrow';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { fixtureSeries } from '../../../test/bar-series-fixture.js';

const series = fixtureSeries('XRPETH-5m', 'XRPETH');
const matrix = new FeaturePipeline([
  { kind: 'indicator', indicator: 'rsi' },
  { kind: 'return', period: 3, log: true },
]).compute(series);
const label = forwardReturns(series.close, 6);

describe('featuresToArrowIpc', () => {
  it('writes an Arrow file whose columns read back as the same doubles, NaN included', () => {
    const bytes = featuresToArrowIpc(matrix, { labels: { fwd_6: label } });
    // The Arrow IPC file format opens and closes with the magic bytes ARROW1.
    expect(new TextDecoder().decode(bytes.subarray(0, 6))).toBe('ARROW1');
    expect(new TextDecoder().decode(bytes.subarray(bytes.length - 6))).toBe('ARROW1');
    const table = tableFromIPC(bytes);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['time', 'rsi_14', 'logret_3', 'fwd_6']);
    expect(table.numRows).toBe(series.length);
    const columns = [series.time, matrix.columns[0]!, matrix.columns[1]!, label];
    table.schema.fields.forEach((field, j) => {
      const values = table.getChild(field.name)!.toArray() as Float64Array;
      for (let i = 0; i < series.length; i++) {
        if (!Object.is(values[i], columns[j]![i])) throw new Error(`${field.name} at ${i}`);
      }
    });
  });

  it('rejects a label of the wrong length', () => {
    expect(() => featuresToArrowTable(matrix, { labels: { short: [1, 2] } })).toThrow(
      /labels.short/,
    );
  });
});
