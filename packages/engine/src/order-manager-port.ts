import type { OrderManager, OrderManagerOptions } from '@qtp/oms';

/**
 * What the engine needs of an order manager: submit and cancel orders, look them up, and settle
 * and close at the end. `OrderManager` from `@qtp/oms` is the default.
 *
 * @example
 * ```ts
 * import { OrderManager } from '@qtp/oms';
 * import type { OrderManagerFactory } from '@qtp/engine';
 * const createOrderManager: OrderManagerFactory = (options) => new OrderManager(options);
 * ```
 */
export type OrderManagerPort = Pick<
  OrderManager,
  'submit' | 'cancel' | 'getOrder' | 'orders' | 'openOrders' | 'flush' | 'close'
>;

/**
 * Builds the engine's order manager from the wiring the engine hands it: the gateway, the
 * instruments, the clock, the bus the order events go to (the engine books and delivers them),
 * the logger and the options given to the engine (id generator, pre-trade gate, journal).
 */
export type OrderManagerFactory = (options: OrderManagerOptions) => OrderManagerPort;
