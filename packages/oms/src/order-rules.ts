import {
  compareDecimals,
  createOrderRequest,
  type Instrument,
  type InstrumentRuleIssue,
  type OrderRequest,
  type OrderRequestInput,
  ValidationError,
} from '@qtp/core';

/**
 * Returns the request rounded to the instrument's rules in the order's favour, then checked
 * against all of them: a buy's price and trigger price down to the tick, a sell's up, the
 * quantity down to the step. Rounding happens once, here, where the order is made; what still
 * breaks a rule afterwards (a quantity rounded below the minimum, a price outside the band, a
 * notional below the minimum) is refused with every broken rule listed.
 *
 * A stop order's trigger price is rounded like its limit price and checked against the tick and
 * the price band; a STOP_MARKET order's notional is checked at its trigger price. A MARKET
 * order has no price, so its notional is left to the venue.
 *
 * @throws `ValidationError` listing every structural rule the input breaks (see
 * `createOrderRequest`), or every instrument rule the rounded request breaks, each issue with
 * its rule's name in `check`
 * @example
 * ```ts
 * import { Instrument, instrumentId } from '@qtp/core';
 * import { roundOrderRequest } from '@qtp/oms';
 * const btc = new Instrument({
 *   id: instrumentId('BTCUSDT', 'BINANCE'), baseAsset: 'BTC', quoteAsset: 'USDT',
 *   priceIncrement: '0.01', sizeIncrement: '0.001', minNotional: '5',
 * });
 * const request = roundOrderRequest(
 *   { instrumentId: btc.id, side: 'BUY', type: 'LIMIT', price: '27000.019', quantity: '0.0109' },
 *   btc,
 * );
 * request.price?.toString(); // '27000.01'
 * request.quantity.toString(); // '0.01'
 * ```
 */
export function roundOrderRequest(input: OrderRequestInput, instrument: Instrument): OrderRequest {
  return roundRequest(createOrderRequest(input), instrument);
}

/**
 * {@link roundOrderRequest} for a request already checked by `createOrderRequest`: the order
 * manager checks each request once, where it comes in, and rounds what it checked.
 */
export function roundRequest(request: OrderRequest, instrument: Instrument): OrderRequest {
  if (request.instrumentId !== instrument.id) {
    throw new ValidationError('instrumentId', `be ${instrument.id}`, request.instrumentId);
  }
  const { side } = request;
  const direction = side === 'BUY' ? 'down' : 'up';
  const quantity = instrument.roundQuantity(request.quantity);
  const price =
    request.price === undefined ? undefined : instrument.roundPrice(request.price, direction);
  const triggerPrice =
    request.triggerPrice === undefined
      ? undefined
      : instrument.roundPrice(request.triggerPrice, direction);

  const issues: InstrumentRuleIssue[] =
    price === undefined
      ? instrument.validateOrder({ side, quantity })
      : instrument.validateOrder({ side, quantity, price });
  if (triggerPrice !== undefined) {
    // Only the price checks are the trigger's own; its notional matters when there is no limit.
    for (const issue of instrument.validateOrder({ side, quantity, price: triggerPrice })) {
      if (issue.field === 'price') issues.push({ ...issue, field: 'triggerPrice' });
      else if (issue.field === 'notional' && price === undefined) issues.push(issue);
    }
  }
  if (quantity.isZero()) {
    // "must be greater than 0, was 0" would blame the caller for a zero they never sent.
    const index = issues.findIndex(
      (issue) => issue.field === 'quantity' && issue.check === 'positive',
    );
    const rule = `not round to 0 at the lot size ${instrument.sizeIncrement.toFixed()}`;
    const issue: InstrumentRuleIssue = {
      field: 'quantity',
      rule,
      value: request.quantity,
      check: 'positive',
    };
    if (index >= 0) issues[index] = issue;
    else issues.unshift(issue);
  }
  if (issues.length > 0) {
    throw new ValidationError(issues, undefined, undefined, {
      details: { instrumentId: instrument.id },
    });
  }
  // Most requests come already on the grid: they go on as they are, with no copy.
  if (
    compareDecimals(quantity, request.quantity) === 0 &&
    (price === undefined || compareDecimals(price, request.price!) === 0) &&
    (triggerPrice === undefined || compareDecimals(triggerPrice, request.triggerPrice!) === 0)
  ) {
    return request;
  }
  const rounded: OrderRequestInput = { ...request, quantity };
  if (price !== undefined) rounded.price = price;
  if (triggerPrice !== undefined) rounded.triggerPrice = triggerPrice;
  return createOrderRequest(rounded);
}
