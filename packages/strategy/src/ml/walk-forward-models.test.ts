import {
  FeaturePipeline,
  forwardReturns,
  LinearModel,
  trainLinearModel,
  trainLogisticModel,
  tripleBarrierLabels,
  walkForwardModels,
  walkForwardSplits,
} from '@qtp/strategy/ml';
import { describe, expect, it } from 'vitest';
import { fixtureSeries } from '../../test/bar-series-fixture.js';

const series = fixtureSeries('ADABTC-1m-first1500', 'ADABTC');
const matrix = new FeaturePipeline([
  { kind: 'indicator', indicator: 'rsi' },
  { kind: 'return', period: 5 },
  { kind: 'rolling', statistic: 'std', period: 20, of: 'return' },
]).compute(series);

describe('walkForwardModels', () => {
  it('scores each test block with the model of the window before it, on real bars', () => {
    const targets = forwardReturns(series.close, 10);
    const labelEnd = Array.from(targets, (_, t) => t + 10);
    const splits = walkForwardSplits(matrix.length, { trainSize: 500, testSize: 250, labelEnd });
    const result = walkForwardModels({
      matrix,
      targets,
      splits,
      train: (set) => trainLinearModel(set.rows, set.targets),
    });
    expect(result.folds).toHaveLength(splits.length);
    const [first] = result.folds;
    // Purged: the last 10 rows of the window have labels reaching into the test block.
    expect(first!.trainRows).toBe(500 - 20 - 10);
    expect(first!.testStart).toBe(500);
    // Each out-of-sample score is the fold model's prediction at that row.
    const row = [0, 1, 2].map((j) => matrix.columns[j]![600]!);
    expect(result.predictions[600]).toBe(first!.model.predict(row));
    expect(result.predictions[100]).toBeNaN();
    // MSE by hand over the first fold's test rows.
    let sum = 0;
    let count = 0;
    for (let i = 500; i < 750; i++) {
      if (Number.isNaN(targets[i]!)) continue;
      sum += (result.predictions[i]! - targets[i]!) ** 2;
      count++;
    }
    expect(first!.metrics.rows).toBe(count);
    expect(first!.metrics.meanSquaredError).toBeCloseTo(sum / count, 18);
  });

  it('reports accuracy for 0/1 labels', () => {
    const { labels, endIndex } = tripleBarrierLabels(series, {
      horizon: 15,
      takeProfit: 0.004,
      stopLoss: 0.004,
    });
    const up = Array.from(labels, (l) => (Number.isNaN(l) ? Number.NaN : l === 1 ? 1 : 0));
    const splits = walkForwardSplits(matrix.length, {
      trainSize: 600,
      testSize: 300,
      labelEnd: endIndex,
    });
    const constant = walkForwardModels({
      matrix,
      targets: up,
      splits,
      train: () => new LinearModel({ link: 'identity', weights: [0, 0, 0], intercept: 0 }),
    });
    // A model that always scores 0 is right exactly on the rows labelled 0.
    const fold = constant.folds[0]!;
    const zeros = up.slice(600, 900).filter((v) => v === 0).length;
    expect(fold.metrics.accuracy).toBeCloseTo(zeros / fold.metrics.rows, 15);
    const logistic = walkForwardModels({
      matrix,
      targets: up,
      splits,
      train: (set) => trainLogisticModel(set.rows, set.targets),
    });
    for (const f of logistic.folds) expect(f.metrics.accuracy).toBeGreaterThanOrEqual(0);
  });
});
