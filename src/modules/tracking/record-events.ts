import type { Database, Sql } from '../../db/database.ts';
import { invalidField, Problem } from '../../shared/problems.ts';
import { accountKey, identifierKey, IdentifierError } from '../people/identifiers.ts';
import type { PeopleService } from '../people/service.ts';
import type { ProfileEvent } from '../profiles/fold.ts';
import type { ProfileSnapshot, ProfilesService } from '../profiles/service.ts';
import { MAX_BATCH, validateEvent, type FieldError } from './events.ts';
import { createRateLimiter } from './rate-limit.ts';
import type { StoredEvent, TrackingService } from './service.ts';

const OPTIMISTIC_ATTEMPTS = 3;
const MAX_SNAPSHOTS = 10_000;

export interface Actor {
  userId?: string;
  deviceId?: string;
}

/**
 * Records a storefront's batch of behaviour: checks each event on its own, stores the good
 * ones and folds them into the person's profile in one transaction, so the profile shows
 * an event as soon as the request that brought it returns.
 */
/** Content ids of Quanyu's own notes and live sessions; other content ids (a partner's video, say) are taken as they come. */
const OWN_CONTENT = /^(note|live)_/;

export function createEventRecorder(deps: { db: Database; tracking: TrackingService; people: PeopleService; profiles: ProfilesService; eventsPerMinute: number; contentExists?: (ids: string[]) => Promise<Set<string>> }) {
  const { db, tracking, people, profiles } = deps;
  const limiter = createRateLimiter(deps.eventsPerMinute);
  const linkedDevices = new Set<string>();
  const lastTouch = new Map<string, string>();
  /** The profile this node last wrote per subject, oldest first: a batch folds into it without reading. */
  const snapshots = new Map<string, ProfileSnapshot>();

  function subjectOf(actor: Actor): string {
    if (actor.userId) return accountKey(actor.userId);
    if (!actor.deviceId) throw new Problem(400, 'device_required', 'send X-Device-Id, or sign in', [{ field: 'x-device-id', message: 'required when not signed in' }]);
    return validDevice(actor.deviceId);
  }

  /** Joins a device's anonymous behaviour to the account signed in on it (once per pair and node). */
  async function linkDevice(sql: Sql, userId: string, deviceId: string, reason: string) {
    const pair = `${userId}|${deviceId}`;
    if (linkedDevices.has(pair)) return;
    const account = accountKey(userId);
    const device = validDevice(deviceId);
    const persons = await people.personsOf(sql, [account, device]);
    if (!persons.has(account) || persons.get(account) !== persons.get(device)) await people.link(sql, account, device, { source: 'sign_in', reason });
    if (linkedDevices.size > 100_000) linkedDevices.clear();
    linkedDevices.add(pair);
  }

  /** Touches worth keeping: the first event of each new channel and campaign per subject. */
  function newTouches(subject: string, events: StoredEvent[]) {
    const touches = [];
    for (const e of events) {
      if (!e.channel) continue;
      const mark = `${e.channel}|${e.campaign ?? ''}`;
      if (lastTouch.get(subject) === mark) continue;
      if (lastTouch.size > 100_000) lastTouch.clear();
      lastTouch.set(subject, mark);
      touches.push({ subject, at: e.at, channel: e.channel, campaign: e.campaign });
    }
    return touches;
  }

  async function record(actor: Actor, rawEvents: unknown[]) {
    const subject = subjectOf(actor);
    if (rawEvents.length > MAX_BATCH) throw invalidField('events', `at most ${MAX_BATCH} events per request`);
    const wait = limiter.take(subject, rawEvents.length);
    if (wait) throw new Problem(429, 'rate_limited', `too many events from this device; retry in ${wait} s`, undefined, { retryAfter: wait });

    const now = Date.now();
    const rejected: (FieldError & { index: number })[] = [];
    const checked = rawEvents.map((raw, index) => ({ index, result: validateEvent(raw, now) }));
    const facts = await tracking.productFacts(checked.flatMap((c) => ('event' in c.result && c.result.event.productId ? [c.result.event.productId] : [])));
    const ownContent = [...new Set(checked.flatMap((c) => ('event' in c.result && c.result.event.contentId && OWN_CONTENT.test(c.result.event.contentId) ? [c.result.event.contentId] : [])))];
    const content = ownContent.length && deps.contentExists ? await deps.contentExists(ownContent) : undefined;
    const stored: StoredEvent[] = [];
    for (const { index, result } of checked) {
      if ('error' in result) {
        rejected.push({ index, ...result.error });
        continue;
      }
      const e = result.event;
      const product = e.productId ? facts.get(e.productId) : undefined;
      if (e.productId && !product) {
        rejected.push({ index, field: 'productId', message: 'no such product' });
        continue;
      }
      if (content && e.contentId && OWN_CONTENT.test(e.contentId) && !content.has(e.contentId)) {
        rejected.push({ index, field: 'contentId', message: 'no such note or live session' });
        continue;
      }
      stored.push({ ...e, subject, source: 'web', category: product?.category, brand: product?.brand, price: product?.price });
    }
    if (!stored.length) {
      const errors = rejected.map((r) => ({ field: `events.${r.index}${r.field ? `.${r.field}` : ''}`, message: r.message }));
      throw new Problem(400, 'validation_failed', errors.map((e) => `${e.field}: ${e.message}`).slice(0, 5).join('; '), errors);
    }
    const profileEvents = tracking.toProfileEvents(stored, await tracking.categoryMedians());
    if (actor.userId && actor.deviceId) await db.tx((sql) => linkDevice(sql, actor.userId!, actor.deviceId!, 'events sent signed in on this device'));
    await store(subject, stored, profileEvents);
    return { accepted: stored.length, rejected };
  }

  /**
   * Stores a batch and folds it into the profile in one statement, from the profile this
   * node last wrote for the subject (else one read). The statement writes nothing if the
   * profile or the subject's person changed meanwhile; the batch is then folded again from
   * a fresh read, and after a few such races it takes locks instead. A subject seen for the
   * first time gets its person and profile in the same statement.
   */
  async function store(subject: string, stored: StoredEvent[], profileEvents: ProfileEvent[]) {
    const touches = newTouches(subject, stored);
    const writes = tracking.writesFor(stored, touches);
    for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
      const held = snapshots.get(subject) ?? (await profiles.snapshotOf((p) => people.personSql(p, subject)));
      snapshots.delete(subject);
      const next = held
        ? await profiles.foldIfUnchanged(held, profileEvents, (p) => people.holdsSql(p, subject, held.personId), writes)
        : await profiles.foldIntoNew((p) => people.newPersonSql(p, subject, 'web'), profileEvents, writes);
      if (next) return void remember(subject, next);
      if (!held) break; // a person without a profile yet: the locked path creates it
    }
    await db.tx(async (sql) => {
      const personId = await people.personOf(sql, subject, 'web');
      await tracking.insert(sql, stored);
      await tracking.recordTouches(sql, touches);
      await profiles.apply(sql, personId, profileEvents);
    });
  }

  function remember(subject: string, snapshot: ProfileSnapshot) {
    if (snapshots.size >= MAX_SNAPSHOTS) snapshots.delete(snapshots.keys().next().value!);
    snapshots.set(subject, snapshot);
  }

  return { record, linkDevice };
}

function validDevice(deviceId: string): string {
  try {
    return identifierKey('device', deviceId);
  } catch (error) {
    if (error instanceof IdentifierError) throw invalidField('x-device-id', error.message);
    throw error;
  }
}

export type EventRecorder = ReturnType<typeof createEventRecorder>;
