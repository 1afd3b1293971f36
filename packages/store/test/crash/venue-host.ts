// Serves a SimulatedExchange in the test process to an engine in a child process over IPC, and
// counts every placement by client order id, so a test can see an order sent twice.
import type { ChildProcess } from 'node:child_process';
import { type InstrumentId, parseOrderRequest } from '@qtp/core';
import { balanceToJSON, type SimulatedExchange } from '@qtp/exchange';
import {
  errorToJson,
  fillsToJson,
  type Push,
  type Request,
  reportToJson,
} from './venue-protocol.js';

export function serveVenue(
  child: ChildProcess,
  exchange: SimulatedExchange,
  placements: Map<string, number>,
  advance: () => void,
): () => void {
  const push = (message: Push) => {
    if (child.connected) child.send(message);
  };
  const onUpdate = ({ report }: { report: Parameters<typeof reportToJson>[0] }) =>
    push({ event: 'orderUpdate', report: reportToJson(report) });
  const onFill = ({ fill }: { fill: Parameters<typeof fillsToJson>[0][number] }) =>
    push({ event: 'fill', fill: fillsToJson([fill])[0]! });
  exchange.executions.on('orderUpdate', onUpdate);
  exchange.executions.on('fill', onFill);
  const handle = async (request: Request): Promise<unknown> => {
    const [first, second] = request.args as [never, never];
    switch (request.method) {
      case 'placeOrder': {
        const order = parseOrderRequest(first);
        placements.set(order.clientOrderId!, (placements.get(order.clientOrderId!) ?? 0) + 1);
        return await exchange.placeOrder(order);
      }
      case 'cancelOrder':
        return await exchange.cancelOrder(first);
      case 'cancelAllOrders':
        return (
          await exchange.cancelAllOrders((first ?? undefined) as InstrumentId | undefined)
        ).map(reportToJson);
      case 'fetchOrder':
        return reportToJson(await exchange.fetchOrder(first));
      case 'fetchOrderFills':
        return fillsToJson(await exchange.fetchOrderFills(first));
      case 'fetchOpenOrders':
        return (
          await exchange.fetchOpenOrders((first ?? undefined) as InstrumentId | undefined)
        ).map(reportToJson);
      case 'fetchMyTrades':
        return fillsToJson(await exchange.fetchMyTrades(first, second));
      case 'fetchBalances':
        return (await exchange.fetchBalances()).map(balanceToJSON);
      case 'advance':
        advance();
        return null;
      default:
        throw new Error(`unknown method ${request.method}`);
    }
  };
  const stop = serveRequests(child, handle);
  return () => {
    exchange.executions.off('orderUpdate', onUpdate);
    exchange.executions.off('fill', onFill);
    stop();
  };
}

/** Answers every request of the child with what `handle` resolves or throws; returns a function that stops. */
export function serveRequests(
  child: ChildProcess,
  handle: (request: Request) => Promise<unknown>,
): () => void {
  const onMessage = (request: Request) => {
    handle(request).then(
      (result) => child.connected && child.send({ id: request.id, result: result ?? null }),
      (error: unknown) =>
        child.connected && child.send({ id: request.id, error: errorToJson(error) }),
    );
  };
  child.on('message', onMessage);
  return () => {
    child.off('message', onMessage);
  };
}
