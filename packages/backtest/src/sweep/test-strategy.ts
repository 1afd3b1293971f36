import { SmaCrossover } from '@qtp/strategy';

/**
 * A user strategy for the tests, loaded by module path in each worker: the registry's SMA
 * crossover under another name, so its fills can be checked against the registry's.
 */
export class ModuleCrossover extends SmaCrossover {}
