import type { Order } from '@qtp/core';

/**
 * A read-only view of an `Order` the order manager owns: its terms, status, fills and
 * derived figures, without the methods that move its state machine. The manager alone advances
 * the order, from the venue's reports, so the journal and the bus always agree with it.
 */
export type OrderView = Readonly<
  Pick<
    Order,
    | 'clientOrderId'
    | 'instrumentId'
    | 'side'
    | 'type'
    | 'timeInForce'
    | 'expireTimeMs'
    | 'quantity'
    | 'price'
    | 'triggerPrice'
    | 'reduceOnly'
    | 'tags'
    | 'createdTimeMs'
    | 'status'
    | 'venueOrderId'
    | 'rejectReason'
    | 'updatedTimeMs'
    | 'fills'
    | 'filledQuantity'
    | 'remainingQuantity'
    | 'averageFillPrice'
    | 'fees'
    | 'isTerminal'
    | 'isOpen'
    | 'toRequest'
    | 'toSnapshot'
  >
>;
