import type { Database, Sql } from '../../db/database.ts';
import type { Services } from '../../app.ts';
import { newId } from '../../shared/ids.ts';
import { Problem } from '../../shared/problems.ts';
import { BEHAVIOR_TYPES, type BehaviorType } from '../profiles/fold.ts';
import type { StoredEvent } from '../tracking/service.ts';
import { identifierKey, IdentifierError, kindOf } from './identifiers.ts';

const MAX_LINES = 200_000;
const CHUNK = 1_000;
const PARTNER_EVENT_TYPES = BEHAVIOR_TYPES.filter((t) => t !== 'refund');

export interface ImportSummary {
  importId: string;
  lines: number;
  identities: number;
  links: number;
  merges: number;
  events: number;
  rejected: { line: number; message: string }[];
}

/**
 * A partner's identities and events (JSONL), accepted only under a recorded consent naming
 * that source and cross-source fusion (PIPL Art. 23). Each line stands alone: a bad one is
 * reported by number. A local account is joined only if its holder agreed to fusion.
 *   {"type":"identity","identifiers":{"wechat_unionid":"…","phone":"138…"},"consentedAt":"2026-…"}
 *   {"type":"event","identifier":{"wechat_unionid":"…"},"event":{"type":"view","category":"美妆/护肤","at":"2026-…"}}
 */
export async function importPartner(db: Database, services: Services, input: { source: string; consentId: string; text: string; actorId: string }): Promise<ImportSummary> {
  const consent = (await services.people.sourceConsents(input.consentId))[0];
  if (!consent || consent.source !== input.source || consent.revokedAt || !consent.purposes.includes('cross_source_fusion'))
    throw new Problem(422, 'consent_required', `no recorded consent ${input.consentId} for source ${input.source} and purpose cross_source_fusion`);
  const lines = input.text.split('\n');
  if (lines.length > MAX_LINES) throw new Problem(400, 'validation_failed', `at most ${MAX_LINES} lines per import`, [{ field: 'body', message: 'too many lines' }]);
  const summary: ImportSummary = { importId: newId('imp'), lines: 0, identities: 0, links: 0, merges: 0, events: 0, rejected: [] };
  const source = `partner:${input.source}`;
  for (let start = 0; start < lines.length; start += CHUNK) {
    const medians = await services.tracking.categoryMedians();
    await db.tx(async (sql) => {
      const events = new Map<string, StoredEvent[]>();
      for (let i = start; i < Math.min(lines.length, start + CHUNK); i++) {
        if (!lines[i].trim()) continue;
        summary.lines += 1;
        try {
          await importLine(sql, services, JSON.parse(lines[i]), { source, importId: summary.importId, line: i + 1, summary, events });
        } catch (error) {
          if (!(error instanceof LineError || error instanceof IdentifierError || error instanceof SyntaxError)) throw error;
          summary.rejected.push({ line: i + 1, message: error instanceof SyntaxError ? 'not valid JSON' : error.message });
        }
      }
      for (const [subject, list] of events) {
        await services.tracking.insert(sql, list);
        await services.profiles.apply(sql, await services.people.personOf(sql, subject, source), services.tracking.toProfileEvents(list, medians));
        summary.events += list.length;
      }
    });
  }
  await db.tx((sql) => services.people.recordImport(sql, { id: summary.importId, source: input.source, consentId: input.consentId, by: input.actorId, summary }));
  return summary;
}

class LineError extends Error {}

interface LineContext {
  source: string;
  importId: string;
  line: number;
  summary: ImportSummary;
  events: Map<string, StoredEvent[]>;
}

async function importLine(sql: Sql, services: Services, record: any, ctx: LineContext) {
  if (record?.type === 'identity') return importIdentity(sql, services, record, ctx);
  if (record?.type === 'event') return importEvent(sql, services, record, ctx);
  throw new LineError('type must be "identity" or "event"');
}

async function importIdentity(sql: Sql, services: Services, record: any, ctx: LineContext) {
  if (!isTime(record.consentedAt) || Date.parse(record.consentedAt) > Date.now()) throw new LineError('consentedAt: the time the person consented at the partner, ISO 8601, not in the future');
  const keys = keysOf(record.identifiers);
  if (!keys.length) throw new LineError('identifiers: at least one');
  const allowed = [];
  for (const key of keys) if (await fusionAllowed(sql, services, key)) allowed.push(key);
  if (allowed.length < keys.length) ctx.summary.rejected.push({ line: ctx.line, message: 'an identifier belongs to an account that has not agreed to cross-source fusion; it was left out' });
  if (allowed.length === 1) await services.people.personOf(sql, allowed[0], ctx.source); // link() creates them otherwise
  for (const key of allowed.slice(1)) {
    const result = await services.people.link(sql, allowed[0], key, { source: ctx.source, reason: `import ${ctx.importId} line ${ctx.line}` });
    if (result.refused) ctx.summary.rejected.push({ line: ctx.line, message: result.refused });
    else ctx.summary.links += 1;
    if (result.merged) ctx.summary.merges += 1;
  }
  ctx.summary.identities += 1;
}

async function importEvent(sql: Sql, services: Services, record: any, ctx: LineContext) {
  const [subject, ...extra] = keysOf(record.identifier);
  if (!subject || extra.length) throw new LineError('identifier: exactly one, e.g. {"wechat_unionid": "…"}');
  if (!(await fusionAllowed(sql, services, subject))) throw new LineError('the identifier belongs to an account that has not agreed to cross-source fusion');
  const e = record.event ?? {};
  if (!(PARTNER_EVENT_TYPES as readonly string[]).includes(e.type)) throw new LineError(`event.type must be one of ${PARTNER_EVENT_TYPES.join(', ')}`);
  if (!isTime(e.at) || Date.parse(e.at) > Date.now() + 120_000) throw new LineError('event.at: ISO 8601, not in the future');
  for (const field of ['category', 'brand', 'productId'] as const)
    if (e[field] !== undefined && (typeof e[field] !== 'string' || !e[field].length || e[field].length > 200)) throw new LineError(`event.${field}: a string of 1 to 200 characters`);
  for (const field of ['price', 'amount'] as const)
    if (e[field] !== undefined && (!Number.isSafeInteger(e[field]) || e[field] < 0)) throw new LineError(`event.${field}: integer fen, not negative`);
  const event: StoredEvent = {
    at: new Date(e.at), subject, type: e.type as BehaviorType, source: ctx.source,
    productId: e.productId, category: e.category, brand: e.brand, price: e.price, amount: e.amount,
  };
  ctx.events.set(subject, [...(ctx.events.get(subject) ?? []), event]);
}

function keysOf(identifiers: unknown): string[] {
  if (!identifiers || typeof identifiers !== 'object' || Array.isArray(identifiers)) throw new LineError('identifiers must be an object of kind: value');
  const entries = Object.entries(identifiers as Record<string, unknown>);
  if (entries.length > 10) throw new LineError('at most 10 identifiers per line');
  const keys = entries.map(([kind, value]) => {
    if (kind === 'account' || kind === 'device') throw new LineError(`${kind}: a partner cannot name our own accounts or devices`);
    return identifierKey(kind, value);
  });
  return [...new Set(keys)];
}

/** A key may join partner data unless it belongs to an account whose holder has not agreed to fusion. */
async function fusionAllowed(sql: Sql, services: Services, key: string): Promise<boolean> {
  const personId = (await services.people.personsOf(sql, [key])).get(key);
  if (!personId) return true;
  const account = (await services.people.keysOf(sql, personId)).find((k) => kindOf(k) === 'account');
  if (!account) return true;
  return services.privacy.allows(account.slice('account:'.length), 'cross_source_fusion', sql);
}

const isTime = (v: unknown) => typeof v === 'string' && v.length <= 40 && Number.isFinite(Date.parse(v));
