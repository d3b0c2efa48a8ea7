import { createHash, randomBytes } from 'node:crypto';
import DataLoader from 'dataloader';
import type { Database, Sql } from '../../db/database.ts';
import { newId } from '../../shared/ids.ts';
import { Problem } from '../../shared/problems.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

export interface User {
  id: string;
  email: string;
  name: string;
  roles: string[];
}

export const merchantRole = (merchantId: string) => `merchant:${merchantId}`;

/**
 * Token lookups are cached in process for a few seconds: every request authenticates,
 * and the lookup was the costliest statement of a checkout. A role granted here drops
 * that user's entries at once; on other nodes it shows within AUTH_CACHE_MS.
 */
const AUTH_CACHE_MS = 10_000;
const AUTH_CACHE_MAX = 50_000;

export function createIdentityService(db: Database, options: { tokenTtlDays: number }) {
  const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
  const authCache = new Map<string, { user: User | undefined; until: number }>();
  const forgetUser = (userId: string) => {
    for (const [key, entry] of authCache) if (entry.user?.id === userId) authCache.delete(key);
  };

  async function rolesOf(sql: Sql, userId: string): Promise<string[]> {
    const rows = await sql.query<{ role: string }>('SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role', [userId]);
    return rows.map((r) => r.role);
  }

  async function findByEmail(sql: Sql, email: string) {
    return sql.one<{ id: string; email: string; name: string; password_hash: string }>(
      'SELECT id, email, name, password_hash FROM users WHERE email = $1',
      [email.toLowerCase()],
    );
  }

  /** Creates the account with the given roles; a duplicate email is a 409. */
  async function createUser(sql: Sql, input: { email: string; password: string; name?: string; roles?: string[] }): Promise<User> {
    const email = input.email.toLowerCase();
    if (await findByEmail(sql, email)) throw new Problem(409, 'email_taken', 'an account with this email exists', [{ field: 'email', message: 'already registered' }]);
    const id = newId('usr');
    const name = input.name?.trim() || email.split('@')[0];
    await sql.query('INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)', [id, email, name, await hashPassword(input.password)]);
    const roles = input.roles ?? ['shopper'];
    for (const role of roles) await grantRole(sql, id, role);
    return { id, email, name, roles: [...roles].sort() };
  }

  async function grantRole(sql: Sql, userId: string, role: string) {
    await sql.query('INSERT INTO user_roles (user_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING', [userId, role]);
    forgetUser(userId);
  }

  async function lookupTokens(hashes: readonly string[]): Promise<(User | undefined)[]> {
    const rows = await db.query<User & { token_hash: string }>(
      `SELECT t.token_hash, u.id, u.email, u.name, coalesce(array_agg(r.role ORDER BY r.role) FILTER (WHERE r.role IS NOT NULL), '{}') AS roles
         FROM auth_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN user_roles r ON r.user_id = u.id
        WHERE t.token_hash = ANY($1) AND t.expires_at > now()
        GROUP BY t.token_hash, u.id`,
      [hashes],
    );
    const byHash = new Map(rows.map(({ token_hash, ...user }) => [token_hash, user]));
    return hashes.map((hash) => byHash.get(hash));
  }

  /**
   * Tokens not in the cache that arrive together (a flash-sale rush: thousands of shoppers, each
   * new to this node) are looked up in one statement per turn of the event loop, not one each.
   */
  const tokenLookups = new DataLoader(lookupTokens, { cache: false, maxBatchSize: 500, batchScheduleFn: (lookUp) => setImmediate(lookUp) });

  async function issueToken(sql: Sql, userId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await sql.query(`INSERT INTO auth_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(days => $3))`, [
      tokenHash(token),
      userId,
      options.tokenTtlDays,
    ]);
    return token;
  }

  return {
    createUser,
    grantRole,
    rolesOf,

    async register(input: { email: string; password: string; name?: string }) {
      return db.tx(async (sql) => {
        const user = await createUser(sql, input);
        return { token: await issueToken(sql, user.id), user };
      });
    },

    async login(email: string, password: string) {
      const row = await findByEmail(db, email);
      if (!row || !(await verifyPassword(password, row.password_hash))) throw new Problem(401, 'invalid_credentials', 'email or password is wrong');
      const user: User = { id: row.id, email: row.email, name: row.name, roles: await rolesOf(db, row.id) };
      return { token: await issueToken(db, row.id), user };
    },

    /** The user a bearer token belongs to, or undefined when unknown or expired. */
    async authenticate(token: string): Promise<User | undefined> {
      const key = tokenHash(token);
      const cached = authCache.get(key);
      if (cached && cached.until > Date.now()) return cached.user;
      const user = await tokenLookups.load(key);
      if (authCache.size >= AUTH_CACHE_MAX) authCache.delete(authCache.keys().next().value!);
      authCache.set(key, { user, until: Date.now() + AUTH_CACHE_MS });
      return user;
    },

    async findUserByEmail(sql: Sql, email: string) {
      const row = await findByEmail(sql, email);
      return row && { id: row.id, email: row.email, name: row.name };
    },

    async emailsOf(sql: Sql, userIds: string[]): Promise<Map<string, string>> {
      const rows = await sql.query<{ id: string; email: string }>('SELECT id, email FROM users WHERE id = ANY($1)', [userIds]);
      return new Map(rows.map((r) => [r.id, r.email]));
    },

    /** Display names (the name given at registration, else the e-mail's local part). */
    async namesOf(sql: Sql, userIds: string[]): Promise<Map<string, string>> {
      const rows = await sql.query<{ id: string; name: string; email: string }>('SELECT id, name, email FROM users WHERE id = ANY($1)', [userIds]);
      return new Map(rows.map((r) => [r.id, r.name || r.email.split('@')[0]]));
    },

    async checkPassword(userId: string, password: string) {
      const row = await db.one<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [userId]);
      if (!row || !(await verifyPassword(password, row.password_hash))) throw new Problem(401, 'invalid_credentials', 'the password is wrong');
    },

    async account(userId: string) {
      return db.one<{ id: string; email: string; name: string; created_at: Date }>('SELECT id, email, name, created_at FROM users WHERE id = $1', [userId]);
    },

    /** Erasure: the account keeps its id (orders point at it) under a pseudonym, and can no longer sign in. */
    async anonymize(sql: Sql, userId: string, pseudonym: string) {
      await sql.query(`UPDATE users SET email = $2, name = $3, password_hash = '!' WHERE id = $1`, [userId, `${pseudonym}@erased.invalid`, pseudonym]);
      await sql.query('DELETE FROM auth_tokens WHERE user_id = $1', [userId]);
      forgetUser(userId);
    },

    /** Creates the operator named by QUANYU_ADMIN_EMAIL / _PASSWORD when missing. */
    async ensureOperator(email: string, password: string, name = 'Operator') {
      await db.tx(async (sql) => {
        const existing = await findByEmail(sql, email);
        if (existing) await grantRole(sql, existing.id, 'operator');
        else await createUser(sql, { email, password, name, roles: ['operator'] });
      });
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
