// The messages between a venue kept in the test process and an engine in a child process, over
// Node's IPC channel. Decimals travel as strings.
import {
  type ClientOrderId,
  Decimal,
  type Fill,
  type FillJson,
  fillToJSON,
  type InstrumentId,
  InsufficientFundsError,
  InvalidOrderError,
  isQtpError,
  NetworkError,
  type OrderAck,
  OrderNotFoundError,
  type OrderReport,
  type OrderStatus,
  parseFill,
  UnknownSymbolError,
  ValidationError,
} from '@qtp/core';

export interface ReportJson {
  instrumentId: string;
  clientOrderId: string;
  venueOrderId: string;
  status: OrderStatus;
  filledQuantity: string;
  averageFillPrice?: string;
  rejectReason?: string;
  timeMs: number;
}

export interface ErrorJson {
  code: string;
  message: string;
}

export type Request = { id: number; method: string; args: unknown[] };
export type Reply = { id: number; result?: unknown; error?: ErrorJson };
export type Push = { event: 'orderUpdate'; report: ReportJson } | { event: 'fill'; fill: FillJson };

export function reportToJson(report: OrderReport): ReportJson {
  return {
    instrumentId: report.instrumentId,
    clientOrderId: report.clientOrderId,
    venueOrderId: report.venueOrderId,
    status: report.status,
    filledQuantity: report.filledQuantity.toString(),
    ...(report.averageFillPrice === undefined
      ? {}
      : { averageFillPrice: report.averageFillPrice.toString() }),
    ...(report.rejectReason === undefined ? {} : { rejectReason: report.rejectReason }),
    timeMs: report.timeMs,
  };
}

export function reportFromJson(json: ReportJson): OrderReport {
  return {
    instrumentId: json.instrumentId as InstrumentId,
    clientOrderId: json.clientOrderId as ClientOrderId,
    venueOrderId: json.venueOrderId,
    status: json.status,
    filledQuantity: new Decimal(json.filledQuantity),
    ...(json.averageFillPrice === undefined
      ? {}
      : { averageFillPrice: new Decimal(json.averageFillPrice) }),
    ...(json.rejectReason === undefined ? {} : { rejectReason: json.rejectReason }),
    timeMs: json.timeMs,
  };
}

export function ackFromJson(json: OrderAck): OrderAck {
  return { ...json };
}

export function fillsToJson(fills: readonly Fill[]): FillJson[] {
  return fills.map(fillToJSON);
}

export function fillsFromJson(fills: readonly FillJson[]): Fill[] {
  return fills.map((fill) => parseFill(fill));
}

export function errorToJson(error: unknown): ErrorJson {
  return {
    code: isQtpError(error) ? error.code : 'INTERNAL',
    message: error instanceof Error ? error.message : String(error),
  };
}

export function errorFromJson(json: ErrorJson): Error {
  switch (json.code) {
    case 'ORDER_NOT_FOUND':
      return new OrderNotFoundError(json.message);
    case 'INVALID_ORDER':
      return new InvalidOrderError(json.message);
    case 'INSUFFICIENT_FUNDS':
      return new InsufficientFundsError(json.message);
    case 'UNKNOWN_SYMBOL':
      return new UnknownSymbolError(json.message);
    case 'VALIDATION':
      return new ValidationError('request', json.message, undefined);
    default:
      return new NetworkError(json.message);
  }
}
