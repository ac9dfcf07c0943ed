/** An order that cannot be made as asked; `code` tells the caller what to say. */
export type OrderInputCode =
  | 'empty'
  | 'bad_quantity'
  | 'unknown_product'
  | 'unavailable'
  | 'mixed_currency'
  | 'bad_customer'
  | 'bad_delivery'
  | 'bad_payment_method'
  | 'bad_details';

export class OrderInputError extends Error {
  override readonly name = 'OrderInputError';
  constructor(
    readonly code: OrderInputCode,
    message: string,
    /** the SKUs or product ids concerned */
    readonly items: readonly string[] = [],
  ) {
    super(message);
  }
}

export class OrderNotFoundError extends Error {
  override readonly name = 'OrderNotFoundError';
  constructor(readonly orderId: string) {
    super(`no order ${orderId}`);
  }
}
