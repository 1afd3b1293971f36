// VaR and expected shortfall
export { cornishFisherVaR } from './measures/cornish-fisher-var.js';
export {
  historicalExpectedShortfall,
  parametricExpectedShortfall,
} from './measures/expected-shortfall.js';
export { historicalVaR } from './measures/historical-var.js';
export { DEFAULT_MONTE_CARLO_PATHS, monteCarloVaR } from './measures/monte-carlo-var.js';
export type { MonteCarloMethod, MonteCarloVaROptions } from './measures/monte-carlo-var.js';
export { parametricVaR } from './measures/parametric-var.js';
export type { VaROptions } from './measures/var-options.js';
export { alignReturns } from './measures/aligned-returns.js';
export type { AlignedReturns, PriceHistory } from './measures/aligned-returns.js';
export { componentVaR } from './measures/component-var.js';
export type { ComponentVaRResult, VaRContribution } from './measures/component-var.js';
export type { PortfolioVaROptions } from './measures/portfolio-exposures.js';
export {
  portfolioHistoricalVaR,
  portfolioMonteCarloVaR,
  portfolioParametricVaR,
  portfolioReturns,
} from './measures/portfolio-var.js';
export type { PortfolioMonteCarloVaROptions } from './measures/portfolio-var.js';

// Stress tests
export { worstHistoricalWindow } from './stress/historical-window.js';
export type { HistoricalWindow } from './stress/historical-window.js';
export {
  STRESS_LOSS_CODE,
  STRESS_UNPRICED_CODE,
  StressLossLimit,
} from './stress/stress-loss-limit.js';
export type { StressLossLimitOptions } from './stress/stress-loss-limit.js';
export type { StressPosition } from './stress/stress-position.js';
export { parseStressScenario, stressScenarioSchema } from './stress/stress-scenario.js';
export type {
  HistoricalScenario,
  ShockFigures,
  ShockScenario,
  StressScenario,
  StressShock,
} from './stress/stress-scenario.js';
export { runStressTest } from './stress/stress-test.js';
export type {
  StressPositionResult,
  StressReport,
  StressTestOptions,
} from './stress/stress-test.js';
