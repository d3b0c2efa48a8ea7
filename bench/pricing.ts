/**
 * Pricing benchmark (shared BENCHMARKS.md, "Events and pricing"), one JSON line per figure:
 *   1. the price engine alone: one quote of a 50-line cart from 10 stores under 20 active rules
 *      (target p99 <= 2 ms in process);
 *   2. the same size of quote through the checkout service on PostgreSQL: SKUs read, every
 *      pricing source asked, the engine run; in process and over HTTP;
 *   3. the flash-sale rush: 1,000 units, 5,000 concurrent buyers grabbing over HTTP on PostgreSQL
 *      (target: exactly 1,000 sold, p99 < 500 ms).
 *
 *   node --import tsx bench/pricing.ts [--only engine,service,flash]
 * PostgreSQL: BENCH_DATABASE_URL, else the quanyu_bench database of scripts/postgres-up.sh.
 */
import { parseArgs } from 'node:util';
import { runQuoteBench } from './pricing/quote.ts';
import { runServiceQuoteBench } from './pricing/service-quote.ts';
import { runFlashSaleBench } from './pricing/flash-sale.ts';

const { values } = parseArgs({ options: { only: { type: 'string', default: 'engine,service,flash' } } });
const only = new Set(values.only!.split(','));
const print = (line: object) => console.log(JSON.stringify(line));
const pgUrl = process.env.BENCH_DATABASE_URL || 'postgres://quanyu:quanyu@127.0.0.1:5432/quanyu_bench';

if (only.has('engine')) for (const line of runQuoteBench()) print(line);
if (only.has('service')) {
  process.env.DATABASE_URL = pgUrl;
  for (const line of await runServiceQuoteBench()) print(line);
}
if (only.has('flash')) print(await runFlashSaleBench());
