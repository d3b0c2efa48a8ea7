import type { Database } from '../../db/database.ts';
import type { Services } from '../../app.ts';

/** Everything held about the signed-in person, as one JSON document (PIPL Art. 45: access and copy). */
export async function exportData(db: Database, services: Services, userId: string) {
  const personId = await db.tx((sql) => services.people.personOfAccount(sql, userId));
  const graph = await services.people.explain(personId);
  const keys = graph.identifiers.map((i) => i.key);
  const account = await services.identity.account(userId);
  return {
    exportedAt: new Date().toISOString(),
    account: account && { id: account.id, email: account.email, name: account.name, createdAt: account.created_at.toISOString() },
    consents: { current: await services.privacy.consents(userId), history: await services.privacy.history(userId) },
    identifiers: graph.identifiers.map((i) => ({ kind: i.kind, value: i.key.slice(i.kind.length + 1), source: i.source, firstSeenAt: i.firstSeenAt })),
    links: graph.links,
    profile: await services.profiles.view(personId),
    events: await services.tracking.eventsOf(db, keys),
    orders: await services.orders.allOfBuyer(userId),
    favorites: await services.favorites.list(userId),
    content: await services.content.exportUser(userId),
    points: await services.points.mine(userId, { page: 1, pageSize: 10_000 }),
  };
}
