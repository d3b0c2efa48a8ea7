import type { Database, Sql } from '../../db/database.ts';

/**
 * Consent per purpose (PIPL Art. 14-15): given or withdrawn any time, each change kept.
 * Personalisation is on until switched off (with the off switch PIPL Art. 24 requires);
 * sharing across sources and marketing need an explicit yes.
 */
export const PURPOSES = ['personalization', 'cross_source_fusion', 'marketing'] as const;
export type Purpose = (typeof PURPOSES)[number];
const DEFAULTS: Record<Purpose, boolean> = { personalization: true, cross_source_fusion: false, marketing: false };
export const NOTICE_VERSION = '2026-11';

export interface Consents {
  personalization: boolean;
  crossSourceFusion: boolean;
  marketing: boolean;
}

const API_NAMES: Record<Purpose, keyof Consents> = { personalization: 'personalization', cross_source_fusion: 'crossSourceFusion', marketing: 'marketing' };

export function createPrivacyService(db: Database) {
  /** The purposes in force, read fresh on every call: a withdrawal counts from the next request. */
  async function current(sql: Sql, userId: string): Promise<Record<Purpose, boolean>> {
    const rows = await sql.query<{ purpose: Purpose; granted: boolean }>(
      'SELECT DISTINCT ON (purpose) purpose, granted FROM consents WHERE user_id = $1 ORDER BY purpose, id DESC',
      [userId],
    );
    return { ...DEFAULTS, ...Object.fromEntries(rows.map((r) => [r.purpose, r.granted])) };
  }

  const toApi = (c: Record<Purpose, boolean>): Consents => ({ personalization: c.personalization, crossSourceFusion: c.cross_source_fusion, marketing: c.marketing });

  return {
    async consents(userId: string): Promise<Consents> {
      return toApi(await current(db, userId));
    },

    /** Records only the purposes that change; answers the consents now in force. */
    async update(sql: Sql, userId: string, changes: Partial<Consents>, via: string): Promise<Consents> {
      const now = await current(sql, userId);
      for (const purpose of PURPOSES) {
        const wanted = changes[API_NAMES[purpose]];
        if (wanted === undefined || wanted === now[purpose]) continue;
        await sql.query('INSERT INTO consents (user_id, purpose, granted, via, notice_version) VALUES ($1, $2, $3, $4, $5)', [userId, purpose, wanted, via, NOTICE_VERSION]);
        now[purpose] = wanted;
      }
      return toApi(now);
    },

    async history(userId: string) {
      const rows = await db.query('SELECT purpose, granted, via, notice_version, at FROM consents WHERE user_id = $1 ORDER BY id DESC', [userId]);
      return rows.map((r) => ({ purpose: API_NAMES[r.purpose as Purpose], granted: r.granted as boolean, via: r.via as string, noticeVersion: r.notice_version as string, at: (r.at as Date).toISOString() }));
    },

    async allows(userId: string | undefined, purpose: Purpose, sql: Sql = db): Promise<boolean> {
      if (!userId) return DEFAULTS[purpose];
      return (await current(sql, userId))[purpose];
    },

    /** Of these users, those whose consent for the purpose is in force. */
    async consentedUsers(purpose: Purpose, userIds: string[]): Promise<Set<string>> {
      if (!userIds.length) return new Set();
      const rows = await db.query<{ user_id: string; granted: boolean }>(
        `SELECT DISTINCT ON (user_id) user_id, granted FROM consents WHERE purpose = $1 AND user_id = ANY($2) ORDER BY user_id, id DESC`,
        [purpose, userIds],
      );
      const decided = new Map(rows.map((r) => [r.user_id, r.granted]));
      return new Set(userIds.filter((id) => decided.get(id) ?? DEFAULTS[purpose]));
    },

    async recordErasure(sql: Sql, userId: string, pseudonym: string, summary: object) {
      await sql.query('INSERT INTO erasures (user_id, pseudonym, summary) VALUES ($1, $2, $3::jsonb)', [userId, pseudonym, JSON.stringify(summary)]);
    },
  };
}

export type PrivacyService = ReturnType<typeof createPrivacyService>;
