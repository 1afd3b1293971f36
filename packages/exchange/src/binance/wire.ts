import * as z from 'zod';
import {
  accountSchema,
  binanceErrorSchema,
  executionReportSchema,
  type MyTradeJson,
  myTradeSchema,
  outboundAccountPositionSchema,
  serverTimeSchema,
} from '../binance-protocol/index.js';

// zod schemas of the Binance payloads the adapter reads. Objects are loose: Binance adds fields
// regularly and parsers must ignore what they do not know. Decimals stay strings until parsed.

const dec = z.string();
const long = z.number().int();

/** One filter of a symbol; only the fields the adapter reads are named. */
const filterSchema = z.looseObject({
  filterType: z.string(),
  minPrice: dec.optional(),
  maxPrice: dec.optional(),
  tickSize: dec.optional(),
  minQty: dec.optional(),
  maxQty: dec.optional(),
  stepSize: dec.optional(),
  minNotional: dec.optional(),
});

/** One symbol of `GET /api/v3/exchangeInfo`. */
export const symbolInfoSchema = z.looseObject({
  symbol: z.string(),
  status: z.string(),
  baseAsset: z.string(),
  quoteAsset: z.string(),
  baseAssetPrecision: z.number().int().optional(),
  quoteAssetPrecision: z.number().int().optional(),
  orderTypes: z.array(z.string()).optional(),
  filters: z.array(filterSchema),
});

/** `GET /api/v3/exchangeInfo`. */
export const exchangeInfoSchema = z.looseObject({
  serverTime: long.optional(),
  rateLimits: z
    .array(
      z.looseObject({
        rateLimitType: z.string(),
        interval: z.string(),
        intervalNum: z.number().int(),
        limit: z.number().int(),
      }),
    )
    .optional(),
  symbols: z.array(symbolInfoSchema),
});

/** A fill of a FULL placement reply. */
const placementFillSchema = z.looseObject({
  price: dec,
  qty: dec,
  commission: dec,
  commissionAsset: z.string(),
  tradeId: long,
});

/** An order object: placement (ACK/RESULT/FULL), cancel and query replies share it. */
export const orderObjectSchema = z.looseObject({
  symbol: z.string(),
  orderId: long,
  clientOrderId: z.string(),
  origClientOrderId: z.string().optional(),
  transactTime: long.optional(),
  price: dec.optional(),
  origQty: dec.optional(),
  executedQty: dec.optional(),
  cummulativeQuoteQty: dec.optional(),
  status: z.string().optional(),
  timeInForce: z.string().optional(),
  type: z.string().optional(),
  side: z.string().optional(),
  stopPrice: dec.optional(),
  time: long.optional(),
  updateTime: long.optional(),
  fills: z.array(placementFillSchema).optional(),
});

/** An order object as Binance sends it. */
export type OrderObjectWire = z.infer<typeof orderObjectSchema>;

// The schemas shared with the local server (one wire protocol for both sides), under the names
// the adapter reads them by.
export {
  accountSchema,
  binanceErrorSchema as errorBodySchema,
  executionReportSchema,
  myTradeSchema,
  outboundAccountPositionSchema as accountPositionSchema,
  serverTimeSchema,
};

/** The fields of a `GET /api/v3/myTrades` row the adapter reads. */
export type MyTradeWire = Pick<
  MyTradeJson,
  | 'symbol'
  | 'id'
  | 'orderId'
  | 'price'
  | 'qty'
  | 'commission'
  | 'commissionAsset'
  | 'time'
  | 'isBuyer'
  | 'isMaker'
>;

/** The fields of an `executionReport` the adapter reads; conditional ones may be absent. */
export interface ExecutionReportWire {
  readonly e: 'executionReport';
  readonly E: number;
  readonly s: string;
  readonly c: string;
  readonly S: string;
  readonly o: string;
  readonly f?: string | undefined;
  readonly q: string;
  readonly p: string;
  readonly P?: string | undefined;
  readonly C?: string | null | undefined;
  readonly x: string;
  readonly X: string;
  readonly r?: string | undefined;
  readonly i: number;
  readonly l: string;
  readonly z: string;
  readonly L: string;
  readonly n?: string | null | undefined;
  readonly N?: string | null | undefined;
  readonly T: number;
  readonly t: number;
  readonly m?: boolean | undefined;
  readonly Z?: string | undefined;
}
