import { createHash } from 'node:crypto';
import type { Database } from '../../db/database.ts';
import type { Services } from '../../app.ts';
import { invalidState } from '../../shared/problems.ts';

/**
 * Deletes an account's personal data (PIPL Art. 47): behaviour, profile, identifiers,
 * favourites, cart, and the name, phone and street on its orders. The orders and the
 * ledger stay, as the law on bookkeeping requires, under a pseudonym.
 */
export async function eraseAccount(db: Database, services: Services, userId: string, password: string) {
  await services.identity.checkPassword(userId, password);
  const roles = await services.identity.rolesOf(db, userId);
  if (roles.some((r) => r === 'operator' || r.startsWith('merchant:')))
    throw invalidState('operators and store staff hand over their role before the account can be deleted');
  const pseudonym = `erased-${createHash('sha256').update(userId).digest('hex').slice(0, 12)}`;
  const summary = await db.tx(async (sql) => {
    const personId = await services.people.personOfAccount(sql, userId);
    const keys = await services.people.keysOf(sql, personId);
    const events = await services.tracking.erase(sql, keys);
    await services.profiles.remove(sql, personId);
    const graph = await services.people.erase(sql, personId);
    const favorites = await services.favorites.erase(sql, userId);
    await services.cart.clear(sql, userId);
    await services.points.erase(sql, userId);
    await services.content.eraseUser(sql, userId); // their notes, likes and comment texts
    const orders = await services.orders.erasePersonalData(sql, userId, pseudonym);
    await services.search.forgetVisitors(sql, [userId, ...keys.filter((k) => k.startsWith('device:')).map((k) => k.slice('device:'.length))]);
    await services.identity.anonymize(sql, userId, pseudonym);
    const summary = { events, identifiers: graph.identifiers, links: graph.links, favorites, ordersPseudonymised: orders };
    await services.privacy.recordErasure(sql, userId, pseudonym, summary);
    return summary;
  });
  return { erased: true, pseudonym, summary };
}
