import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newShopper, startTestServer, type TestServer } from '../../testing/harness.ts';
import { createIdentityService } from './service.ts';

describe('identity: tokens', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.close());

  test('tokens arriving together are each answered with their own user, roles included; unknown and expired ones with none', async () => {
    const shoppers = await Promise.all(Array.from({ length: 30 }, (_, i) => newShopper(server.http, `tok${i}`)));
    const { db } = server.app.context;
    await server.app.context.services.identity.grantRole(db, shoppers[3].user.id, 'operator');
    await db.query(`UPDATE auth_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [shoppers[7].user.id]);
    // A node that has seen none of these tokens (nothing cached), asked for all of them at once.
    const fresh = createIdentityService(db, { tokenTtlDays: 30 });
    const tokens = [...shoppers.map((s) => s.token), 'not-a-token', shoppers[0].token];
    const users = await Promise.all(tokens.map((t) => fresh.authenticate(t)));
    shoppers.forEach((s, i) => {
      if (i === 7) return assert.equal(users[i], undefined, 'an expired token');
      assert.equal(users[i]?.id, s.user.id);
      assert.deepEqual(users[i]?.roles, i === 3 ? ['operator', 'shopper'] : ['shopper']);
    });
    assert.equal(users[30], undefined, 'an unknown token');
    assert.equal(users[31]?.id, shoppers[0].user.id, 'the same token twice in one batch');
  });
});
