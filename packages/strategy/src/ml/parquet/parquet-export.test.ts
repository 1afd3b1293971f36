import { FeaturePipeline, forwardReturns } from '@qtp/strategy/ml';
import { featuresToParquet } from '@qtp/strategy/ml/parquet';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { fixtureSeries } from '../../../test/bar-series-fixture.js';

const series = fixtureSeries('XRPETH-5m', 'XRPETH');
const matrix = new FeaturePipeline([
  { kind: 'indicator', indicator: 'rsi' },
  { kind: 'return', period: 3, log: true },
]).compute(series);
const label = forwardReturns(series.close, 6);

async function rowsOf(bytes: Uint8Array) {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return parquetReadObjects({ file: file as ArrayBuffer });
}

describe('featuresToParquet', () => {
  it('writes a Parquet file that another reader reads back as the same times and doubles, NaN included', async () => {
    const bytes = featuresToParquet(matrix, { labels: { fwd_6: label } });
    // A Parquet file opens and closes with the magic bytes PAR1.
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('PAR1');
    expect(new TextDecoder().decode(bytes.subarray(bytes.length - 4))).toBe('PAR1');
    const rows = await rowsOf(bytes);
    expect(rows).toHaveLength(series.length);
    expect(Object.keys(rows[0]!)).toEqual(['time', 'rsi_14', 'logret_3', 'fwd_6']);
    let nans = 0;
    rows.forEach((row, i) => {
      // The reader turns a millisecond timestamp into a Date.
      if ((row.time as Date).getTime() !== series.time[i]) throw new Error(`time at ${i}`);
      const expected = [matrix.columns[0]![i], matrix.columns[1]![i], label[i]];
      [row.rsi_14, row.logret_3, row.fwd_6].forEach((value, j) => {
        if (Number.isNaN(expected[j])) nans++;
        if (!Object.is(value, expected[j])) throw new Error(`column ${j} at ${i}: ${value}`);
      });
    });
    // RSI warms up over 14 bars, the log return over 3, and the last 6 rows have no label.
    expect(nans).toBe(14 + 3 + 6);
  });

  it('stores the time as a millisecond timestamp and the values as required doubles', () => {
    const metadata = parquetMetadata(featuresToParquet(matrix));
    const [, time, rsi] = metadata.schema;
    expect(time).toMatchObject({ name: 'time', type: 'INT64', repetition_type: 'REQUIRED' });
    expect(rsi).toMatchObject({ name: 'rsi_14', type: 'DOUBLE', repetition_type: 'REQUIRED' });
    expect(Number(metadata.num_rows)).toBe(series.length);
  });

  it('cuts the rows into row groups of the size asked', () => {
    const metadata = parquetMetadata(featuresToParquet(matrix, { rowGroupSize: 100 }));
    expect(metadata.row_groups).toHaveLength(Math.ceil(series.length / 100));
  });

  it('rejects a label of the wrong length, a repeated name and a bad row group size', () => {
    expect(() => featuresToParquet(matrix, { labels: { short: [1, 2] } })).toThrow(/labels.short/);
    expect(() =>
      featuresToParquet(matrix, { labels: { rsi_14: new Float64Array(series.length) } }),
    ).toThrow(/names/);
    expect(() => featuresToParquet(matrix, { rowGroupSize: 0 })).toThrow(/rowGroupSize/);
  });
});
