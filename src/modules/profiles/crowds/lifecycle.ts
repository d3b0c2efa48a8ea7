/**
 * Lifecycle is computed from time, never stored: a profile is `new` while its first
 * event is under 30 days old, else `active` while its last event is under 30 days old,
 * `lapsing` under 90 days, `lost` after that (or with no events at all). This is the one
 * SQL form of the rule (crowds filter and list by it); `lifecycleOf` in ../fold.ts is the
 * same rule over a profile in memory, and the crowds tests check that the two agree.
 */
export const LIFECYCLES = ['new', 'active', 'lapsing', 'lost'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];

export const NEW_DAYS = 30;
export const ACTIVE_DAYS = 30;
export const LAPSING_DAYS = 90;

/** The lifecycle of the profile row aliased `alias` (columns first_at, last_at), as a SQL text expression. */
export function lifecycleSql(alias = 'p'): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(alias)) throw new Error(`bad alias ${alias}`);
  return `(CASE WHEN ${alias}.first_at >= now() - interval '${NEW_DAYS} days' THEN 'new'`
    + ` WHEN ${alias}.last_at >= now() - interval '${ACTIVE_DAYS} days' THEN 'active'`
    + ` WHEN ${alias}.last_at >= now() - interval '${LAPSING_DAYS} days' THEN 'lapsing' ELSE 'lost' END)`;
}

/**
 * Today as profile_activity counts days: Beijing time (UTC+8, as the profiles rollup writes
 * them), whatever the database session's time zone.
 */
export const TODAY_SQL = `((now() AT TIME ZONE 'UTC') + interval '8 hours')::date`;
