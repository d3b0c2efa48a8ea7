import { createHash } from 'node:crypto';
import fs from 'node:fs';
import readline from 'node:readline';
import type { Database } from '../../db/database.ts';
import type { Services } from '../../app.ts';
import { newId } from '../../shared/ids.ts';
import { Problem } from '../../shared/problems.ts';
import type { BehaviorType } from '../profiles/fold.ts';
import type { StoredEvent } from './service.ts';

/** The Taobao UserBehavior file: user,item,category,behaviour,unix seconds. */
const BEHAVIORS: Record<string, BehaviorType> = { pv: 'view', cart: 'cart', fav: 'favorite', buy: 'buy' };
const SOURCE = 'taobao-userbehavior';
const BATCH = 5_000;

export interface TaobaoImportSummary {
  file: string;
  rows: number;
  events: number;
  byType: Record<string, number>;
  persons: number;
  items: number;
  categories: number;
  rejected: { line: number; reason: string }[];
  rejectedCount: number;
  seconds: number;
}

export type Progress = (done: { bytes: number; totalBytes: number; rows: number }) => void;

/**
 * Loads the public Taobao behaviour dataset as people (one per dataset user id), items
 * (with their category) and events, then folds every person's profile. The dataset is
 * anonymised research data; it is recorded as a source with its basis before anything
 * is stored, and the same file is not imported twice.
 */
export async function importTaobaoBehavior(db: Database, services: Services, file: string, onProgress: Progress = () => {}): Promise<TaobaoImportSummary> {
  const started = Date.now();
  const fileHash = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  const consentId = await recordBasis(db, services);
  if ((await db.query(`SELECT 1 FROM partner_imports WHERE source = $1 AND summary->>'fileHash' = $2`, [SOURCE, fileHash])).length)
    throw new Problem(409, 'already_imported', `${file} was imported before (same content)`);

  const summary: TaobaoImportSummary = { file, rows: 0, events: 0, byType: {}, persons: 0, items: 0, categories: 0, rejected: [], rejectedCount: 0, seconds: 0 };
  const totalBytes = fs.statSync(file).size;
  const byPerson = new Map<string, StoredEvent[]>();
  const items = new Map<string, string>();
  let pending: StoredEvent[] = [];
  let bytes = 0;
  const now = Date.now();
  const receivedAt = new Date(); // one receipt time for the whole file

  await services.tracking.ensureCurrentPartitions();
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    bytes += Buffer.byteLength(line) + 1;
    summary.rows += 1;
    const event = parseRow(line, now);
    if (typeof event === 'string') {
      summary.rejectedCount += 1;
      if (summary.rejected.length < 20) summary.rejected.push({ line: summary.rows, reason: event });
      continue;
    }
    items.set(event.productId!, event.category!);
    byPerson.set(event.subject, [...(byPerson.get(event.subject) ?? []), event]);
    summary.byType[event.type] = (summary.byType[event.type] ?? 0) + 1;
    pending.push(event);
    if (pending.length >= BATCH) {
      await db.tx((sql) => services.tracking.insert(sql, pending, receivedAt));
      summary.events += pending.length;
      pending = [];
      onProgress({ bytes, totalBytes, rows: summary.rows });
    }
  }
  await db.tx((sql) => services.tracking.insert(sql, pending, receivedAt));
  summary.events += pending.length;
  onProgress({ bytes: totalBytes, totalBytes, rows: summary.rows });

  await db.tx((sql) => services.tracking.addTrackedItems(sql, [...items].map(([id, category]) => ({ id, source: SOURCE, category }))));
  await foldProfiles(db, services, byPerson);
  summary.persons = byPerson.size;
  summary.items = items.size;
  summary.categories = new Set(items.values()).size;
  summary.seconds = Math.round((Date.now() - started) / 100) / 10;
  await db.tx((sql) => services.people.recordImport(sql, { id: newId('imp'), source: SOURCE, consentId, by: 'cli', summary: { ...summary, fileHash } }));
  return summary;
}

function parseRow(line: string, now: number): StoredEvent | string {
  const [user, item, category, behavior, ts, extra] = line.trim().split(',');
  if (extra !== undefined || !ts) return 'expected 5 comma-separated fields';
  if (!/^\d{1,20}$/.test(user) || !/^\d{1,20}$/.test(item) || !/^\d{1,20}$/.test(category)) return 'user, item and category must be numbers';
  const type = BEHAVIORS[behavior];
  if (!type) return `unknown behaviour ${behavior.slice(0, 20)}`;
  const at = Number(ts) * 1000;
  if (!Number.isInteger(at) || at <= 0 || at > now) return 'timestamp must be unix seconds, not in the future';
  return { at: new Date(at), subject: `taobao_user:${user}`, type, source: `import:${SOURCE}`, productId: `tb-${item}`, category: `taobao-${category}` };
}

/** One person per dataset user; each profile folded from that user's events. */
async function foldProfiles(db: Database, services: Services, byPerson: Map<string, StoredEvent[]>) {
  const medians = await services.tracking.categoryMedians();
  const subjects = [...byPerson.keys()];
  for (let i = 0; i < subjects.length; i += 500) {
    const chunk = subjects.slice(i, i + 500);
    await db.tx(async (sql) => {
      const persons = await services.people.personsFor(sql, chunk, SOURCE);
      for (const subject of chunk) await services.profiles.apply(sql, persons.get(subject)!, services.tracking.toProfileEvents(byPerson.get(subject)!, medians));
    });
  }
}

/** The dataset's basis for processing, recorded once as a source consent. */
async function recordBasis(db: Database, services: Services): Promise<string> {
  const existing = (await services.people.sourceConsents()).find((c) => c.source === SOURCE && !c.revokedAt);
  if (existing) return existing.id;
  const basis = 'Alibaba Tianchi UserBehavior, a public anonymised research dataset: user ids are random numbers and no contact data is included. Used to build demonstration profiles only.';
  return (await db.tx((sql) => services.people.recordSourceConsent(sql, { source: SOURCE, purposes: ['personalization'], basis, noticeVersion: 'dataset' }, 'cli'))).id;
}
