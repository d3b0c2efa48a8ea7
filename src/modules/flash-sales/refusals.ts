import { Problem } from '../../shared/problems.ts';

/** A flash sale's refusals, the same for an order's line (field `items`) and a grab (field `quantity`). */
export const soldOut = (field = 'items') => new Problem(409, 'out_of_stock', '秒杀已抢光 (this flash sale is sold out)', [{ field, message: '秒杀已抢光' }]);
export const overLimit = (limit: number, field = 'items') =>
  new Problem(422, 'flash_sale_limit', `每人限购${limit}件 (at most ${limit} per person)`, [{ field, message: `每人限购${limit}件` }], { perPersonLimit: limit });
export const notOn = (field = 'items') => new Problem(409, 'flash_sale_ended', '秒杀未开始或已结束 (this flash sale is not on now)', [{ field, message: '秒杀未开始或已结束' }]);
