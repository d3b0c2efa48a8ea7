import type { Database } from '../../db/database.ts';
import type { Outbox } from '../outbox/outbox.ts';
import type { PeopleService } from '../people/service.ts';
import type { TrackingService } from '../tracking/service.ts';
import type { ProfilesService } from './service.ts';

interface Deps {
  db: Database;
  people: PeopleService;
  tracking: TrackingService;
  profiles: ProfilesService;
}

/** Folds a person's profile again from every event of every identifier it holds. */
export async function recomputeProfile({ db, people, tracking, profiles }: Deps, personId: string) {
  const medians = await tracking.categoryMedians();
  await db.tx(async (sql) => {
    await profiles.rebuild(sql, personId, async () => tracking.toProfileEvents(await tracking.eventsOf(sql, await people.keysOf(sql, personId)), medians));
  });
}

/** Merges and splits in the identity graph change whose events a profile holds. */
export function followIdentityChanges(deps: Deps & { outbox: Outbox }) {
  deps.outbox.subscribe('people.merged', async ({ survivorId, absorbedId }) => {
    await deps.db.tx(async (sql) => {
      await deps.profiles.carryOverDeletedTags(sql, absorbedId, survivorId);
      await deps.profiles.remove(sql, absorbedId);
    });
    await recomputeProfile(deps, survivorId);
  });
  deps.outbox.subscribe('people.split', async ({ personIds }) => {
    for (const personId of personIds as string[]) await recomputeProfile(deps, personId);
  });
}
