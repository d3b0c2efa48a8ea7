/**
 * How long one price quote takes in process: priceCheckout on a realistic 50-line cart from
 * 10 stores under 20 active rules (10 store coupons, 3 platform coupons, 2 cross-store
 * reductions, 3 instant discounts, 1 flash sale, a membership) and the shopper paying with points, with the engine choosing the
 * best coupons and with explicit codes. One JSON line per scenario; target p99 <= 2 ms.
 *
 *   node --import tsx bench/pricing/quote.ts [--calls 20000]
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { priceCheckout } from '../../src/modules/pricing/engine/price-checkout.ts';
import type { CartLine, Coupon, PriceInput, Rule } from '../../src/modules/pricing/engine/types.ts';
import { seededRandom } from '../../src/shared/random.ts';

const HOUR = 3_600_000;
const AT = Date.UTC(2025, 10, 10, 16, 30); // 双11 00:30 Beijing
const OPEN = { startsAt: AT - 24 * HOUR, endsAt: AT + 24 * HOUR };
const STORES = 10;
const LINES_PER_STORE = 5;
const CATEGORIES = [['c-beauty', 'c-lip'], ['c-beauty', 'c-skin'], ['c-digital', 'c-phone'], ['c-digital', 'c-audio'], ['c-food', 'c-snack'], ['c-apparel', 'c-women']];

export interface QuoteFigures {
  bench: 'pricing-quote';
  scenario: string;
  lines: number;
  stores: number;
  rules: number;
  calls: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  node: string;
}

/** 50 lines, 9.90 to 2,999 yuan (log-uniform), 1-3 units, a few in a live room. */
function cart(random: () => number): CartLine[] {
  return Array.from({ length: STORES * LINES_PER_STORE }, (_, i) => {
    const store = Math.floor(i / LINES_PER_STORE);
    const line: CartLine = {
      skuId: `sku-${String(i).padStart(2, '0')}`,
      productId: `p-${i}`,
      merchantId: `m-${store}`,
      categoryIds: CATEGORIES[(store + i) % CATEGORIES.length],
      brandId: `b-${i % 7}`,
      quantity: 1 + Math.floor(random() * 3),
      listPrice: Math.round(990 * Math.pow(299900 / 990, random())),
    };
    if (i % 17 === 3) line.livePrice = { unitPrice: Math.round(line.listPrice * 0.85), sessionId: `live-${store}` };
    return line;
  });
}

/** 19 rules and coupons plus the membership: 20 active rules in all. */
function rulesFor(lines: CartLine[]): { rules: Rule[]; coupons: Coupon[]; membership: PriceInput['membership'] } {
  const storeCoupons = Array.from({ length: STORES }, (_, s): Coupon => ({
    kind: 'store_coupon', id: `sc-${s}`, code: `STORE${s}`, merchantId: `m-${s}`, ...OPEN,
    offer: s % 2 === 0 ? { type: 'amount_off', threshold: 20000, off: 2000 } : { type: 'percent_off', threshold: 0, percentBps: 1000, cap: 5000 },
  }));
  const platformCoupons: Coupon[] = [
    { kind: 'platform_coupon', id: 'pc-300-30', code: 'PLAT30', offer: { type: 'amount_off', threshold: 30000, off: 3000 }, ...OPEN },
    { kind: 'platform_coupon', id: 'pc-free-5', code: 'PLAT5', offer: { type: 'amount_off', threshold: 0, off: 500 }, ...OPEN },
    { kind: 'platform_coupon', id: 'pc-beauty-95', code: 'BEAUTY95', offer: { type: 'percent_off', threshold: 0, percentBps: 500, cap: 10000 }, scope: { categoryIds: ['c-beauty'] }, ...OPEN },
  ];
  const rules: Rule[] = [
    { kind: 'cross_store_reduction', id: 'cs-300-50', every: 30000, off: 5000, maxOff: null, ...OPEN },
    { kind: 'cross_store_reduction', id: 'cs-digital-200-20', every: 20000, off: 2000, maxOff: 20000, scope: { categoryIds: ['c-digital'] }, ...OPEN },
    { kind: 'instant_discount', id: 'id-brand-5', fundedBy: 'merchant', offer: { type: 'per_unit', off: 500 }, scope: { brandIds: ['b-2', 'b-5'] }, ...OPEN },
    { kind: 'instant_discount', id: 'id-snack-10pct', fundedBy: 'merchant', offer: { type: 'percent_off', percentBps: 1000 }, scope: { categoryIds: ['c-snack'] }, ...OPEN },
    { kind: 'instant_discount', id: 'id-skus-8', fundedBy: 'platform', offer: { type: 'per_unit', off: 800 }, scope: { skuIds: lines.filter((_, i) => i % 6 === 0).map((l) => l.skuId) }, ...OPEN },
    { kind: 'flash_sale', id: 'fs-1', skuId: lines[7].skuId, unitPrice: Math.round(lines[7].listPrice * 0.6), perPersonLimit: 1, ...OPEN },
  ];
  return { rules, coupons: [...storeCoupons, ...platformCoupons], membership: { planId: 'vip88', discountBps: 500, scope: { brandIds: ['b-0', 'b-1', 'b-3'] } } };
}

/** The carts the bench prices, for a look at what a quote returns. */
export function quoteScenarios(): { name: string; input: PriceInput }[] {
  const lines = cart(seededRandom(20251111));
  const { rules, coupons, membership } = rulesFor(lines);
  // The shopper also pays with points, so every step of the engine runs.
  const base = { lines, rules, coupons, membership, points: { available: 50_000, maxShareBps: 1000 }, at: AT };
  const codes = [...coupons.filter((c) => c.kind === 'store_coupon').map((c) => c.code), 'PLAT30'];
  return [
    { name: 'best', input: { ...base, couponChoice: 'best' } },
    { name: 'codes', input: { ...base, couponChoice: { codes } } },
  ];
}

const ms = (x: number) => Math.round(x * 1000) / 1000;

function time(name: string, input: PriceInput, calls: number): QuoteFigures {
  const check = priceCheckout(input);
  if (check.applied.length < 10) throw new Error(`scenario ${name} takes too little off to be a realistic quote: ${JSON.stringify(check.applied)}`);
  let sink = 0;
  for (let i = 0; i < Math.min(2000, calls); i++) sink += priceCheckout(input).payable; // warm-up: let the JIT settle
  const durations = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    sink += priceCheckout(input).payable;
    durations[i] = performance.now() - start;
  }
  if (sink !== check.payable * (calls + Math.min(2000, calls))) throw new Error('the engine gave different answers to the same input');
  durations.sort();
  const rules = input.rules.length + input.coupons.length + (input.membership ? 1 : 0);
  return {
    bench: 'pricing-quote', scenario: name, lines: input.lines.length, stores: new Set(input.lines.map((l) => l.merchantId)).size, rules, calls,
    p50Ms: ms(durations[Math.floor(calls * 0.5)]), p99Ms: ms(durations[Math.floor(calls * 0.99)]), maxMs: ms(durations[calls - 1]), node: process.version,
  };
}

/** Times every scenario; the figures are also what bench/pricing.ts reports. */
export function runQuoteBench(options: { calls?: number } = {}): QuoteFigures[] {
  return quoteScenarios().map(({ name, input }) => time(name, input, options.calls ?? 20_000));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { calls: { type: 'string', default: '20000' } } });
  for (const figures of runQuoteBench({ calls: Number(values.calls) })) console.log(JSON.stringify(figures));
}
