// An Exchange in the engine's process whose venue lives in the test process: every call is a
// request over the IPC channel, and the venue's execution reports come back as pushes.
import {
  type ExecutionEvents,
  type Fill,
  type Instrument,
  type InstrumentId,
  type OrderAck,
  type OrderRef,
  type OrderReport,
  type OrderRequest,
  type OrderType,
  orderRequestToJSON,
  parseFill,
  type TimeInForce,
} from '@qtp/core';
import {
  type AccountEvents,
  type Balance,
  type Exchange,
  type FetchTradesOptions,
  type MarketDataEvents,
  parseBalance,
} from '@qtp/exchange';
import { EventEmitter } from 'eventemitter3';
import { IpcClient } from './ipc-client.js';
import { fillsFromJson, type ReportJson, reportFromJson } from './venue-protocol.js';

export class IpcExchange implements Exchange {
  readonly venue: string;
  readonly orderTypes: readonly OrderType[] = ['MARKET', 'LIMIT'];
  readonly timesInForce: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK'];
  readonly executions = new EventEmitter<ExecutionEvents>();
  readonly marketData = new EventEmitter<MarketDataEvents>();
  readonly account = new EventEmitter<AccountEvents>();
  /** Called with the request just before a placement goes out. */
  onPlace: ((request: OrderRequest) => void) | undefined;
  private readonly client: IpcClient;

  constructor(
    venue: string,
    private readonly instruments: readonly Instrument[],
  ) {
    this.venue = venue;
    this.client = new IpcClient((message) => {
      if (message.event === 'fill')
        this.executions.emit('fill', { type: 'fill', fill: parseFill(message.fill) });
      else
        this.executions.emit('orderUpdate', {
          type: 'orderUpdate',
          report: reportFromJson(message.report),
        });
    });
  }

  /** Sends a request; `sent` runs once the message has left this process. */
  call(method: string, args: unknown[], sent?: () => void): Promise<unknown> {
    return this.client.call(method, args, sent);
  }

  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
  async loadInstruments(): Promise<readonly Instrument[]> {
    return this.instruments;
  }
  async subscribe(): Promise<void> {}
  async unsubscribe(): Promise<void> {}

  async placeOrder(request: OrderRequest): Promise<OrderAck> {
    return (await this.call('placeOrder', [orderRequestToJSON(request)], () =>
      this.onPlace?.(request),
    )) as OrderAck;
  }
  async cancelOrder(ref: OrderRef): Promise<void> {
    await this.call('cancelOrder', [ref]);
  }
  async cancelAllOrders(instrumentId?: InstrumentId): Promise<readonly OrderReport[]> {
    const reports = (await this.call('cancelAllOrders', [instrumentId ?? null])) as ReportJson[];
    return reports.map(reportFromJson);
  }
  async fetchOrder(ref: OrderRef): Promise<OrderReport> {
    return reportFromJson((await this.call('fetchOrder', [ref])) as ReportJson);
  }
  async fetchOrderFills(ref: OrderRef): Promise<readonly Fill[]> {
    return fillsFromJson((await this.call('fetchOrderFills', [ref])) as never);
  }
  async fetchOpenOrders(instrumentId?: InstrumentId): Promise<readonly OrderReport[]> {
    const reports = (await this.call('fetchOpenOrders', [instrumentId ?? null])) as ReportJson[];
    return reports.map(reportFromJson);
  }
  async fetchMyTrades(
    instrumentId: InstrumentId,
    options: FetchTradesOptions = {},
  ): Promise<readonly Fill[]> {
    return fillsFromJson((await this.call('fetchMyTrades', [instrumentId, options])) as never);
  }
  async fetchBalances(): Promise<readonly Balance[]> {
    return ((await this.call('fetchBalances', [])) as unknown[]).map((balance) =>
      parseBalance(balance),
    );
  }
}
