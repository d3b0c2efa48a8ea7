/**
 * What refunding `quantity` more units of an order line returns (MECHANISMS 5: a partial
 * refund returns the line's apportioned paid amount). Units are refunded at the line's
 * average paid price, rounded down, and the last unit takes what is left, so refunding
 * every unit in any steps returns exactly what the line paid and never more.
 */
export function refundShare(line: { payable: number; quantity: number }, alreadyRefunded: { quantity: number; amount: number }, quantity: number): number {
  const done = alreadyRefunded.quantity + quantity;
  if (quantity <= 0 || done > line.quantity) throw new RangeError(`cannot refund ${quantity} of ${line.quantity - alreadyRefunded.quantity} units left`);
  if (done === line.quantity) return line.payable - alreadyRefunded.amount;
  const owed = Math.floor((line.payable * done) / line.quantity);
  return Math.max(0, owed - alreadyRefunded.amount);
}
