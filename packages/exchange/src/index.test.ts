import * as exchange from '@qtp/exchange';
import * as binanceServer from '@qtp/exchange/binance-server';
import * as testing from '@qtp/exchange/testing';
import { describe, expect, it } from 'vitest';

describe('@qtp/exchange', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(exchange).sort()).toMatchInlineSnapshot(`
      [
        "ExchangeManager",
        "MarketDataAggregator",
        "SimulatedExchange",
        "VenueHealth",
        "almgrenChrissCoefficients",
        "almgrenChrissCost",
        "balanceJsonSchema",
        "balanceToJSON",
        "barFillModel",
        "bookFillModel",
        "calibrateImpact",
        "describeFillModel",
        "fixedBpsSlippage",
        "fixedLatency",
        "fixedRateFees",
        "instrumentFees",
        "intrabarPath",
        "isMatchingVenue",
        "noFees",
        "noLatency",
        "noSlippage",
        "parseBalance",
        "spreadFractionSlippage",
        "squareRootImpact",
        "squareRootSlippage",
        "tradeFillModel",
        "uniformLatency",
      ]
    `);
  });

  it('exports the local Binance server and the wire protocol from @qtp/exchange/binance-server', () => {
    expect(Object.keys(binanceServer).sort()).toMatchInlineSnapshot(`
      [
        "BINANCE_DECIMAL_PATTERN",
        "BINANCE_ENGINE_MESSAGES",
        "BINANCE_ERROR_CODES",
        "BinanceServer",
        "accountSchema",
        "aggTradeEventSchema",
        "avgPriceSchema",
        "balanceUpdateSchema",
        "binanceErrorSchema",
        "bookTickerEventSchema",
        "bookTickerSchema",
        "combinedStreamSchema",
        "depthLevelSchema",
        "depthSnapshotSchema",
        "depthUpdateEventSchema",
        "ed25519PrivateKeyFromSeed",
        "ed25519PublicKeyFromHex",
        "encodeRestParams",
        "eventStreamTerminatedSchema",
        "exchangeInfoSchema",
        "exchangeSymbolSchema",
        "executionReportSchema",
        "formatBinanceMessage",
        "isPercentEncoded",
        "klineEventSchema",
        "klineRowSchema",
        "listStatusSchema",
        "myTradeSchema",
        "orderAckSchema",
        "orderFillSchema",
        "orderListSchema",
        "orderResultSchema",
        "outboundAccountPositionSchema",
        "partialDepthEventSchema",
        "priceTickerSchema",
        "queryOrderSchema",
        "rateLimitSchema",
        "replayMarketData",
        "restAggTradeSchema",
        "restTradeSchema",
        "serverShutdownEventSchema",
        "serverTimeSchema",
        "signEd25519",
        "signHmac",
        "streamControlReplySchema",
        "symbolFilterSchema",
        "toBinanceDecimal",
        "tradeEventSchema",
        "userDataEventSchema",
        "verifyEd25519",
        "wsApiEventFrameSchema",
        "wsApiRequestSchema",
        "wsApiResponseSchema",
        "wsApiSignaturePayload",
      ]
    `);
  });

  it('exports the conformance suite from @qtp/exchange/testing', () => {
    expect(Object.keys(testing).sort()).toEqual(['exchangeConformance']);
  });
});
