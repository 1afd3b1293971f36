import {
  type EventPublisher,
  isQtpError,
  type Logger,
  OrderNotFoundError,
  parseWith,
  TRADING_STATES,
  type TradingState,
  toClientOrderId,
  ValidationError,
} from '@qtp/core';
import type { PortfolioView, TradingEngine } from '@qtp/engine';
import * as z from 'zod';
import type { TradingStateControl } from './control-ports.js';

/** The actions the dashboard's controls take. */
export type DashboardControlAction =
  | 'setTradingState'
  | 'cancelOrder'
  | 'pauseStrategy'
  | 'resumeStrategy';

/**
 * Published on `dashboard.control` for every control request that passed the token check:
 * what was asked, by whom, why, and whether it was applied.
 */
export interface DashboardControlEvent {
  /** Always `dashboard.control`. */
  readonly type: 'dashboard.control';
  /** What was asked. */
  readonly action: DashboardControlAction;
  /** What it applies to: a state and scope, an order id or a strategy id. */
  readonly target: string;
  /** Who asked: `dashboard`, or `dashboard:<operator>`. */
  readonly setBy: string;
  /** Why, in the operator's words. */
  readonly reason: string;
  /** `applied`, or `failed` with a message. */
  readonly outcome: 'applied' | 'failed';
  /** Why it failed, when it did. */
  readonly message?: string;
  /** The engine clock's time, epoch milliseconds. */
  readonly timeMs: number;
}

/** The dashboard's own topics, with their payloads. */
export interface DashboardEvents {
  /** A control request was carried out or failed. */
  'dashboard.control': DashboardControlEvent;
}

/**
 * Pauses and resumes a strategy; the default stops and starts it through the engine's strategy
 * manager, which keeps its state and timers canceled while it is stopped.
 */
export interface StrategyControl {
  /** Stops the strategy from receiving events and ordering. */
  pause(strategyId: string): void;
  /** Lets it receive events and order again. */
  resume(strategyId: string): void;
}

const reason = z.string().trim().min(1).max(500);
const operator = z
  .string()
  .regex(/^[A-Za-z0-9_.@-]{1,64}$/)
  .optional();

// The body of `POST /api/control/trading-state`.
const tradingStateRequestSchema = z.strictObject({
  state: z.enum(TRADING_STATES as [TradingState, ...TradingState[]]),
  scope: z
    .strictObject({
      kind: z.enum(['account', 'strategy', 'instrument']),
      id: z.string().min(1).max(200),
    })
    .optional(),
  reason,
  operator,
});

// The body of `POST /api/control/cancel-order`.
const cancelOrderRequestSchema = z.strictObject({
  clientOrderId: z.string().min(1).max(100),
  reason,
  operator,
});

// The body of `POST /api/control/strategy`.
const strategyRequestSchema = z.strictObject({
  strategyId: z.string().min(1).max(200),
  action: z.enum(['pause', 'resume']),
  reason,
  operator,
});

/** The control routes, by the last segment of their path. */
export type ControlRoute = 'trading-state' | 'cancel-order' | 'strategy';

/** What a control request came to: an HTTP status and a JSON body. */
export interface ControlResult {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
}

interface ControlDeps {
  readonly engine: TradingEngine<PortfolioView>;
  readonly control: TradingStateControl | undefined;
  readonly strategies: StrategyControl;
  readonly logger: Logger;
  readonly onOutcome: (action: DashboardControlAction, outcome: 'applied' | 'failed') => void;
}

// Validates a control request's body, carries it out, and reports it on the bus and in the log.
export async function runControl(
  route: ControlRoute,
  body: unknown,
  deps: ControlDeps,
): Promise<ControlResult> {
  let planned: {
    action: DashboardControlAction;
    target: string;
    setBy: string;
    reason: string;
    run: () => Promise<void> | void;
  };
  try {
    planned = plan(route, body, deps);
  } catch (error) {
    return failure(error);
  }
  const { action, target, setBy } = planned;
  const publisher = deps.engine.bus as unknown as EventPublisher<DashboardEvents>;
  try {
    await planned.run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.logger.warn('dashboard control failed', {
      action,
      target,
      setBy,
      reason: planned.reason,
      message,
    });
    deps.onOutcome(action, 'failed');
    publisher.publish('dashboard.control', {
      type: 'dashboard.control',
      action,
      target,
      setBy,
      reason: planned.reason,
      outcome: 'failed',
      message,
      timeMs: deps.engine.clock.now(),
    });
    return failure(error);
  }
  deps.logger.info('dashboard control', {
    action,
    target,
    setBy,
    reason: planned.reason,
    outcome: 'applied',
  });
  deps.onOutcome(action, 'applied');
  publisher.publish('dashboard.control', {
    type: 'dashboard.control',
    action,
    target,
    setBy,
    reason: planned.reason,
    outcome: 'applied',
    timeMs: deps.engine.clock.now(),
  });
  return { status: 200, body: { outcome: 'applied', action, target } };
}

function plan(route: ControlRoute, body: unknown, deps: ControlDeps) {
  const setByOf = (name: string | undefined): string =>
    name === undefined ? 'dashboard' : `dashboard:${name}`;
  switch (route) {
    case 'trading-state': {
      const input = parseWith(tradingStateRequestSchema, body);
      const control = deps.control;
      if (control === undefined) {
        throw new ValidationError(
          'state',
          'be switched only when the host gave a trading state control',
          input.state,
        );
      }
      const setBy = setByOf(input.operator);
      const scope = input.scope;
      return {
        action: 'setTradingState' as const,
        target: scope === undefined ? input.state : `${input.state} ${scope.kind}:${scope.id}`,
        setBy,
        reason: input.reason,
        run: () =>
          control.setState(input.state, {
            setBy,
            reason: input.reason,
            ...(scope === undefined ? {} : { scope }),
          }),
      };
    }
    case 'cancel-order': {
      const input = parseWith(cancelOrderRequestSchema, body);
      const id = toClientOrderId(input.clientOrderId);
      const order = deps.engine.orderManager.getOrder(id);
      if (order === undefined)
        throw new OrderNotFoundError(
          `clientOrderId: must be an order the engine knows, was ${input.clientOrderId}`,
        );
      return {
        action: 'cancelOrder' as const,
        target: input.clientOrderId,
        setBy: setByOf(input.operator),
        reason: input.reason,
        run: async () => {
          await deps.engine.orderManager.cancel(id);
        },
      };
    }
    case 'strategy': {
      const input = parseWith(strategyRequestSchema, body);
      if (!deps.engine.strategies.has(input.strategyId)) {
        throw new ValidationError(
          'strategyId',
          'be the id of a strategy the engine runs',
          input.strategyId,
        );
      }
      const pause = input.action === 'pause';
      return {
        action: pause ? ('pauseStrategy' as const) : ('resumeStrategy' as const),
        target: input.strategyId,
        setBy: setByOf(input.operator),
        reason: input.reason,
        run: () =>
          pause
            ? deps.strategies.pause(input.strategyId)
            : deps.strategies.resume(input.strategyId),
      };
    }
  }
}

function failure(error: unknown): ControlResult {
  if (isQtpError(error, 'VALIDATION')) {
    const issues = (error as ValidationError).issues.map((issue) => ({
      field: issue.field,
      rule: issue.rule,
    }));
    return {
      status: 400,
      body: { error: 'VALIDATION', message: (error as Error).message, issues },
    };
  }
  if (isQtpError(error, 'ORDER_NOT_FOUND')) {
    return { status: 404, body: { error: 'ORDER_NOT_FOUND', message: (error as Error).message } };
  }
  const code = isQtpError(error) ? error.code : 'CONTROL_FAILED';
  return {
    status: 409,
    body: { error: code, message: error instanceof Error ? error.message : String(error) },
  };
}
