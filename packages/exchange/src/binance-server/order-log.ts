import type { CallInfo, ServerContext } from './server-context.js';

/** One order request the server received, as `BinanceServer.orderLog()` returns it. */
export interface OrderLogEntry {
  /** The position in the log, from 1. */
  readonly sequence: number;
  /** When it arrived, in server milliseconds. */
  readonly timeMs: number;
  /** How it arrived. */
  readonly transport: 'rest' | 'ws-api';
  /** `place`, `cancel` or `test` (an order test never reaches the matching engine). */
  readonly action: 'place' | 'cancel' | 'test';
  /** The API key that sent it. */
  readonly apiKey: string;
  /** The symbol. */
  readonly symbol: string;
  /** The client order id sent (for a cancel: the id looked up), if any. */
  readonly clientOrderId: string | undefined;
  /** The exchange id of the order placed or canceled, when the request got that far. */
  readonly orderId: number | undefined;
  /** `accepted` when the engine took it, `rejected` when the server answered with an error. */
  readonly outcome: 'accepted' | 'rejected';
  /** The Binance error code of a rejection. */
  readonly errorCode: number | undefined;
  /** Whether a fault swallowed, delayed or broke the response after the order was accepted. */
  readonly responseFault: string | undefined;
}

/** The server's own record of every order request, in arrival order. */
export class OrderLog {
  private readonly entries: OrderLogEntry[] = [];

  /** Appends an entry and returns it. */
  add(
    entry: Omit<OrderLogEntry, 'sequence' | 'responseFault'> & { responseFault?: string },
  ): OrderLogEntry {
    const full: OrderLogEntry = Object.freeze({
      ...entry,
      responseFault: entry.responseFault,
      sequence: this.entries.length + 1,
    });
    this.entries.push(full);
    return full;
  }

  /** Marks the last entry of an order as having had its response faulted. */
  markFault(sequence: number, fault: string): void {
    const index = sequence - 1;
    const entry = this.entries[index];
    if (entry !== undefined)
      this.entries[index] = Object.freeze({ ...entry, responseFault: fault });
  }

  /** Every entry, oldest first. */
  list(): readonly OrderLogEntry[] {
    return [...this.entries];
  }
}

/** What a handler knows of one order request; the log adds the time, transport and sequence. */
export type OrderRequestNote = Omit<
  OrderLogEntry,
  'sequence' | 'timeMs' | 'transport' | 'responseFault'
>;

/** Logs one order request at the server's time, under the transport the call came by. */
export function logOrderRequest(
  context: ServerContext,
  call: CallInfo,
  note: OrderRequestNote,
): OrderLogEntry {
  return context.orderLog.add({ timeMs: context.now(), transport: call.transport, ...note });
}
