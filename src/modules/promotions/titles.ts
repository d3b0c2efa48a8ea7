/** Readable names of offers, as shoppers know them: 满300减40, 无门槛减10, 9折, 每满300减50, 立减10元. */

/** Yuan without trailing zeros: 30000 -> "300", 29950 -> "299.5". */
export function yuanText(fen: number): string {
  return (fen / 100).toFixed(2).replace(/\.?0+$/, '');
}

/** percentBps off as 折 where it reads naturally (1000 -> 9折, 1500 -> 8.5折), else as a percentage. */
function percentOffZh(bps: number): string {
  return bps % 100 === 0 ? `${(10000 - bps) / 1000}折` : `减${bps / 100}%`;
}

export interface Title {
  zh: string;
  en: string;
}

export type CouponTerms =
  | { kind: 'threshold'; threshold: number; off: number }
  | { kind: 'no_threshold'; off: number }
  | { kind: 'percent'; threshold: number; percentBps: number; cap: number | null };

export function couponTitle(terms: CouponTerms): Title {
  if (terms.kind === 'threshold') return { zh: `满${yuanText(terms.threshold)}减${yuanText(terms.off)}`, en: `¥${yuanText(terms.off)} off over ¥${yuanText(terms.threshold)}` };
  if (terms.kind === 'no_threshold') return { zh: `无门槛减${yuanText(terms.off)}`, en: `¥${yuanText(terms.off)} off, no minimum` };
  const over = terms.threshold > 0;
  return {
    zh: `${over ? `满${yuanText(terms.threshold)}${terms.percentBps % 100 === 0 ? '享' : ''}` : ''}${percentOffZh(terms.percentBps)}${terms.cap ? `，最高减${yuanText(terms.cap)}` : ''}`,
    en: `${terms.percentBps / 100}% off${over ? ` over ¥${yuanText(terms.threshold)}` : ''}${terms.cap ? `, up to ¥${yuanText(terms.cap)}` : ''}`,
  };
}

export function crossStoreTitle(every: number, off: number, maxOff: number | null): Title {
  return {
    zh: `跨店每满${yuanText(every)}减${yuanText(off)}${maxOff ? `，最高减${yuanText(maxOff)}` : ''}`,
    en: `¥${yuanText(off)} off every ¥${yuanText(every)} across stores${maxOff ? `, up to ¥${yuanText(maxOff)}` : ''}`,
  };
}

export function instantTitle(offer: { type: 'per_unit'; off: number } | { type: 'percent_off'; percentBps: number }): Title {
  return offer.type === 'per_unit'
    ? { zh: `立减${yuanText(offer.off)}元`, en: `¥${yuanText(offer.off)} off each` }
    : { zh: offer.percentBps % 100 === 0 ? `立享${percentOffZh(offer.percentBps)}` : `立${percentOffZh(offer.percentBps)}`, en: `${offer.percentBps / 100}% off instantly` };
}
