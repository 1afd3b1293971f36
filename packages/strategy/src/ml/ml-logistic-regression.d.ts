// Types for ml-logistic-regression, which ships none: the parts this package uses.
declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';

  /** One-vs-all logistic regression trained by gradient ascent. */
  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    train(features: Matrix, classes: Matrix): void;
    predict(features: Matrix): number[];
    /** Classifier `i` was trained with class `i` as 0 and every other class as 1. */
    toJSON(): { numberClasses: number; classifiers: { weights: Matrix }[] };
  }
}
