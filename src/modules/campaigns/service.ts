import type { Database, Row, Sql } from '../../db/database.ts';
import type { Page } from '../../http/schemas.ts';
import { newId } from '../../shared/ids.ts';
import { money } from '../../shared/money.ts';
import { forbidden, invalidField, invalidState, notFound, Problem } from '../../shared/problems.ts';
import { createSnapshot } from '../../shared/snapshot.ts';
import type { Audit } from '../audit/audit.ts';
import type { CatalogService } from '../catalog/service.ts';
import type { FlashSalesService } from '../flash-sales/service.ts';
import type { CrossStoreReduction, InstantDiscount } from '../pricing/engine/types.ts';

/**
 * Marketing campaigns (618 / 双11, MECHANISMS.md 11): dated phases (蓄水 warm-up, presale,
 * 开门红 burst, second wave, 返场 encore), each switching on platform-funded price rules
 * (cross-store reductions, instant discounts) for the products merchants enrolled. A campaign
 * price for a product is a flash sale carrying the campaign's id (see flash-sales).
 */

export const PHASE_KINDS = ['warm_up', 'presale', 'burst', 'second_wave', 'encore'] as const;
export type PhaseKind = (typeof PHASE_KINDS)[number];
export const PHASE_NAMES: Record<PhaseKind, string> = { warm_up: '蓄水期', presale: '预售', burst: '开门红', second_wave: '第二波', encore: '返场' };

/** A phase's rule, amounts in fen. */
export type CampaignRule =
  | { kind: 'cross_store_reduction'; every: number; off: number; maxOff: number | null }
  | { kind: 'instant_discount'; offer: { type: 'percent_off'; percentBps: number } | { type: 'per_unit'; off: number } };

export interface PhaseInput {
  kind: PhaseKind;
  name?: string;
  startsAt: Date;
  endsAt: Date;
  rules: CampaignRule[];
}

export interface CampaignInput {
  name: string;
  description?: string;
  phases: PhaseInput[];
  enrolmentEndsAt: Date;
  /** Prepared as a draft (草稿): seen by operators only until published. */
  draft?: boolean;
}

export interface Viewer {
  id: string;
  roles: string[];
}

interface CachedPhase {
  campaignId: string;
  campaignName: string;
  position: number;
  name: string;
  startsAt: number;
  endsAt: number;
  rules: CampaignRule[];
  productIds: string[];
}

export type CampaignEngineRule = CrossStoreReduction | InstantDiscount;

/**
 * Other nodes' writes reach this node's rule cache within this time; this node's own writes at
 * once. Rules carry their phase's window, so phase switches are exact whatever the cache's age.
 */
const RULE_CACHE_TTL_MS = 10_000;
const MAX_VENUE_PAGE = 100;

const iso = (d: Date) => d.toISOString();

/** A phase's state at `at`; in a campaign stopped early, phases from the stop on are cancelled. */
export function phaseState(phase: { startsAt: Date; endsAt: Date }, at: Date, stoppedAt?: Date | null): 'upcoming' | 'current' | 'ended' | 'cancelled' {
  if (stoppedAt && stoppedAt <= at) return phase.startsAt < stoppedAt ? 'ended' : 'cancelled';
  return at < phase.startsAt ? 'upcoming' : at < phase.endsAt ? 'current' : 'ended';
}

/** Phases in time order, not overlapping, with sane rules; every refusal names its field. */
export function checkCampaign(input: CampaignInput) {
  input.phases.forEach((phase, i) => {
    const field = `phases.${i}`;
    if (phase.endsAt <= phase.startsAt) throw invalidField(`${field}.endsAt`, 'must be after startsAt');
    const previous = input.phases[i - 1];
    if (previous && phase.startsAt < previous.startsAt) throw invalidField(`${field}.startsAt`, `phases must be in time order: starts before phase ${i - 1}`);
    if (previous && phase.startsAt < previous.endsAt) throw invalidField(`${field}.startsAt`, `overlaps phase ${i - 1}, which ends at ${iso(previous.endsAt)}`);
    phase.rules.forEach((rule, j) => {
      if (rule.kind !== 'cross_store_reduction') return;
      if (rule.off >= rule.every) throw invalidField(`${field}.rules.${j}.off`, 'must be less than every');
      if (rule.maxOff !== null && rule.maxOff < rule.off) throw invalidField(`${field}.rules.${j}.maxOff`, 'must be at least off');
    });
  });
  const last = input.phases[input.phases.length - 1];
  if (input.enrolmentEndsAt > last.endsAt) throw invalidField('enrolmentEndsAt', 'must be before the last phase ends');
}

/** The rules one phase switches on, as the price engine takes them: platform-funded, scoped to the enrolled products. */
export function engineRules(phase: CachedPhase): CampaignEngineRule[] {
  if (!phase.productIds.length) return []; // an empty scope would mean everything
  const window = { startsAt: phase.startsAt, endsAt: phase.endsAt };
  const scope = { productIds: phase.productIds };
  const title = `${phase.campaignName}·${phase.name}`;
  return phase.rules.map((rule, j): CampaignEngineRule => {
    const id = `${phase.campaignId}.p${phase.position}.r${j}`;
    return rule.kind === 'cross_store_reduction'
      ? { kind: 'cross_store_reduction', id, every: rule.every, off: rule.off, maxOff: rule.maxOff, scope, title, ...window }
      : { kind: 'instant_discount', id, fundedBy: 'platform', offer: rule.offer, scope, title, ...window };
  });
}

/** A rule as the API shows it: Money objects. */
export function ruleView(rule: CampaignRule) {
  if (rule.kind === 'cross_store_reduction') return { kind: rule.kind, every: money(rule.every), off: money(rule.off), ...(rule.maxOff !== null ? { maxOff: money(rule.maxOff) } : {}) };
  return { kind: rule.kind, offer: rule.offer.type === 'per_unit' ? { type: 'per_unit' as const, off: money(rule.offer.off) } : rule.offer };
}

export function createCampaignsService(deps: { db: Database; catalog: CatalogService; audit: Audit; flashSales: FlashSalesService }) {
  const { db, catalog, audit, flashSales } = deps;

  // ---- the rule cache (on every quote's path) -------------------------------------------------
  async function loadPhases(sql: Sql): Promise<CachedPhase[]> {
    const rows = await sql.query(
      `SELECT p.campaign_id, c.name AS campaign_name, p.position, p.name, p.starts_at, p.ends_at, p.rules,
              coalesce((SELECT array_agg(product_id ORDER BY product_id) FROM campaign_products e WHERE e.campaign_id = p.campaign_id), '{}') AS product_ids
         FROM campaign_phases p JOIN campaigns c ON c.id = p.campaign_id
        WHERE p.ends_at > now() AND c.stopped_at IS NULL AND c.published_at IS NOT NULL`,
    );
    return rows.map((r) => ({
      campaignId: r.campaign_id, campaignName: r.campaign_name, position: r.position, name: r.name,
      startsAt: (r.starts_at as Date).getTime(), endsAt: (r.ends_at as Date).getTime(), rules: r.rules, productIds: r.product_ids,
    }));
  }

  const phases = createSnapshot({ name: 'campaign rules', maxAgeMs: RULE_CACHE_TTL_MS, db, load: loadPhases });
  const cachedPhases = phases.get;
  /** After a committed write: the next quote on this node sees it. */
  const invalidate = phases.invalidate;

  // ---- reads ----------------------------------------------------------------------------------
  async function campaignRow(sql: Sql, id: string, lock = false) {
    const row = await sql.one(`SELECT * FROM campaigns WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    if (!row) throw notFound('campaign');
    return row;
  }

  /** A campaign anyone but an operator may see: drafts are not found. */
  async function publishedRow(sql: Sql, id: string) {
    const row = await campaignRow(sql, id);
    if (!row.published_at) throw notFound('campaign');
    return row;
  }

  async function phasesOf(sql: Sql, ids: string[]) {
    const rows = ids.length ? await sql.query('SELECT * FROM campaign_phases WHERE campaign_id = ANY($1) ORDER BY campaign_id, position', [ids]) : [];
    const byCampaign = new Map<string, Row[]>();
    for (const r of rows) byCampaign.set(r.campaign_id, [...(byCampaign.get(r.campaign_id) ?? []), r]);
    return byCampaign;
  }

  async function enrolledCounts(ids: string[]) {
    const rows = ids.length ? await db.query<{ campaign_id: string; n: number }>('SELECT campaign_id, count(*)::int AS n FROM campaign_products WHERE campaign_id = ANY($1) GROUP BY campaign_id', [ids]) : [];
    return new Map(rows.map((r) => [r.campaign_id, r.n]));
  }

  /** A campaign as every list shows it: phases with their states, the current phase and when the next one starts. */
  function summary(row: Row, phases: Row[], at: Date, enrolled: number) {
    const stopped: Date | null = row.stopped_at;
    const views = phases.map((p) => ({
      kind: p.kind as PhaseKind, name: p.name as string, startsAt: iso(p.starts_at), endsAt: iso(p.ends_at),
      state: phaseState({ startsAt: p.starts_at, endsAt: p.ends_at }, at, stopped), rules: (p.rules as CampaignRule[]).map(ruleView),
    }));
    const current = views.findIndex((p) => p.state === 'current');
    const next = views.find((p) => p.state === 'upcoming');
    return {
      id: row.id as string, name: row.name as string, description: row.description as string,
      startsAt: iso(row.starts_at), endsAt: iso(row.ends_at), enrolmentEndsAt: iso(row.enrolment_ends_at), enrolmentOpen: !!row.published_at && !stopped && at < row.enrolment_ends_at,
      state: !row.published_at ? ('draft' as const) : stopped ? ('stopped' as const) : at < row.starts_at ? ('upcoming' as const) : at < row.ends_at ? ('running' as const) : ('ended' as const),
      ...(stopped ? { stoppedAt: iso(stopped), stopReason: row.stop_reason as string } : {}),
      phases: views, currentPhase: current >= 0 ? current : null, nextPhaseStartsAt: next?.startsAt ?? null, enrolledProducts: enrolled,
    };
  }

  async function summaries(rows: Row[], at = new Date()) {
    const ids = rows.map((r) => r.id as string);
    const [phases, counts] = await Promise.all([phasesOf(db, ids), enrolledCounts(ids)]);
    return rows.map((r) => summary(r, phases.get(r.id) ?? [], at, counts.get(r.id) ?? 0));
  }

  async function listPage(where: string, params: unknown[], order: string, { page, pageSize }: Page) {
    const rows = await db.query(
      `SELECT *, count(*) OVER () AS total FROM campaigns ${where} ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return { items: await summaries(rows), total: (rows[0]?.total as number) ?? 0, page, pageSize };
  }

  // ---- writes ---------------------------------------------------------------------------------
  async function writePhases(sql: Sql, campaignId: string, phases: PhaseInput[]) {
    await sql.query('DELETE FROM campaign_phases WHERE campaign_id = $1', [campaignId]);
    for (const [i, p] of phases.entries())
      await sql.query(
        'INSERT INTO campaign_phases (campaign_id, position, kind, name, starts_at, ends_at, rules) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)',
        [campaignId, i, p.kind, p.name?.trim() || PHASE_NAMES[p.kind], p.startsAt, p.endsAt, JSON.stringify(p.rules)],
      );
  }

  const span = (phases: PhaseInput[]) => ({ startsAt: phases[0].startsAt, endsAt: phases[phases.length - 1].endsAt });

  async function create(actor: Viewer, input: CampaignInput) {
    checkCampaign(input);
    const id = newId('cmp');
    const { startsAt, endsAt } = span(input.phases);
    await db.tx(async (sql) => {
      await sql.query(
        'INSERT INTO campaigns (id, name, description, enrolment_ends_at, starts_at, ends_at, created_by, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [id, input.name.trim(), input.description?.trim() ?? '', input.enrolmentEndsAt, startsAt, endsAt, actor.id, input.draft ? null : new Date()],
      );
      await writePhases(sql, id, input.phases);
      await audit.record(sql, actor.id, 'campaign.create', `campaign:${id}`, { name: input.name, phases: input.phases.length, draft: !!input.draft });
    });
    invalidate();
    return (await summaries([await campaignRow(db, id)]))[0];
  }

  async function update(actor: Viewer, campaignId: string, patch: Partial<CampaignInput>) {
    await db.tx(async (sql) => {
      const row = await campaignRow(sql, campaignId, true);
      if (row.stopped_at) throw invalidState('this campaign was stopped; create a new one');
      const phases = patch.phases ?? (await phasesOf(sql, [campaignId])).get(campaignId)!.map((p) => ({ kind: p.kind, name: p.name, startsAt: p.starts_at, endsAt: p.ends_at, rules: p.rules }));
      const merged: CampaignInput = { name: patch.name ?? row.name, description: patch.description ?? row.description, enrolmentEndsAt: patch.enrolmentEndsAt ?? row.enrolment_ends_at, phases };
      checkCampaign(merged);
      const { startsAt, endsAt } = span(phases);
      await sql.query(
        'UPDATE campaigns SET name = $2, description = $3, enrolment_ends_at = $4, starts_at = $5, ends_at = $6, updated_at = now() WHERE id = $1',
        [campaignId, merged.name.trim(), merged.description?.trim() ?? '', merged.enrolmentEndsAt, startsAt, endsAt],
      );
      if (patch.phases) await writePhases(sql, campaignId, patch.phases);
      await audit.record(sql, actor.id, 'campaign.update', `campaign:${campaignId}`, { fields: Object.keys(patch) });
    });
    invalidate();
    return (await summaries([await campaignRow(db, campaignId)]))[0];
  }

  /**
   * Stops a campaign before its end (提前结束): its rules stop pricing at once on this node and
   * within the rule cache's age on others; merchants can no longer enrol; the public lists drop it.
   * Flash sales carrying its id are the stores' own units and prices, and run on.
   */
  async function stop(actor: Viewer, campaignId: string, reason: string) {
    await db.tx(async (sql) => {
      const row = await campaignRow(sql, campaignId, true);
      if (!row.published_at) throw invalidState('a draft is not running: publish it, or leave it unpublished');
      if (row.stopped_at) throw invalidState('this campaign was already stopped');
      if (row.ends_at <= new Date()) throw invalidState('this campaign has already ended');
      await sql.query('UPDATE campaigns SET stopped_at = now(), stop_reason = $2, updated_at = now() WHERE id = $1', [campaignId, reason.trim()]);
      await audit.record(sql, actor.id, 'campaign.stop', `campaign:${campaignId}`, { reason: reason.trim() });
    });
    invalidate();
    return (await summaries([await campaignRow(db, campaignId)]))[0];
  }

  /** Publishes a draft: from now on its rules price, stores may enrol, and the lists show it. */
  async function publish(actor: Viewer, campaignId: string) {
    await db.tx(async (sql) => {
      const row = await campaignRow(sql, campaignId, true);
      if (row.published_at) throw invalidState('this campaign is already published');
      if (row.ends_at <= new Date()) throw invalidState('its last phase is over: change the phases before publishing');
      await sql.query('UPDATE campaigns SET published_at = now(), updated_at = now() WHERE id = $1', [campaignId]);
      await audit.record(sql, actor.id, 'campaign.publish', `campaign:${campaignId}`, {});
    });
    invalidate();
    return (await summaries([await campaignRow(db, campaignId)]))[0];
  }

  /** A store's own product (403 for another store's), in a campaign whose enrolment is open. */
  async function checkEnrolment(merchantId: string, campaignId: string, productId: string) {
    const campaign = await publishedRow(db, campaignId);
    const product = await catalog.getProduct(productId);
    if (!product) throw notFound('product');
    if (product.merchantId !== merchantId) throw forbidden('this product belongs to another store');
    if (campaign.stopped_at || new Date() >= campaign.enrolment_ends_at) throw new Problem(422, 'enrolment_closed', `enrolment closed at ${iso(campaign.enrolment_ends_at)}`);
  }

  async function enrol(merchantId: string, campaignId: string, productId: string, actor: Viewer, asOperator: boolean) {
    await checkEnrolment(merchantId, campaignId, productId);
    const created = await db.tx(async (sql) => {
      const inserted = await sql.query(
        'INSERT INTO campaign_products (campaign_id, product_id, merchant_id, enrolled_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1',
        [campaignId, productId, merchantId, actor.id],
      );
      if (asOperator) await audit.record(sql, actor.id, 'campaign.enrol', `campaign:${campaignId}`, { merchantId, productId });
      return inserted.length > 0;
    });
    if (created) invalidate();
    return { created, enrolment: { campaignId, productId, merchantId } };
  }

  async function withdraw(merchantId: string, campaignId: string, productId: string, actor: Viewer, asOperator: boolean) {
    await checkEnrolment(merchantId, campaignId, productId);
    const priced = (await flashSales.ofCampaign(campaignId)).find((s) => s.productId === productId && s.state !== 'ended');
    if (priced) throw new Problem(409, 'invalid_state', `cancel flash sale ${priced.id} (the campaign price) first`);
    await db.tx(async (sql) => {
      const removed = await sql.query('DELETE FROM campaign_products WHERE campaign_id = $1 AND product_id = $2 RETURNING 1', [campaignId, productId]);
      if (!removed.length) throw notFound('enrolment');
      if (asOperator) await audit.record(sql, actor.id, 'campaign.withdraw', `campaign:${campaignId}`, { merchantId, productId });
    });
    invalidate();
  }

  /** The flash-sale module asks before a sale names a campaign: the product enrolled, the window inside one phase. */
  async function checkCampaignPrice(sql: Sql, campaignId: string, sale: { merchantId: string; productId: string; startsAt: Date; endsAt: Date }) {
    const campaign = await sql.one('SELECT id, stopped_at FROM campaigns WHERE id = $1 AND published_at IS NOT NULL', [campaignId]);
    if (!campaign) throw invalidField('campaignId', 'no such campaign');
    if (campaign.stopped_at) throw invalidField('campaignId', 'this campaign was stopped');
    const enrolled = await sql.one('SELECT 1 FROM campaign_products WHERE campaign_id = $1 AND product_id = $2 AND merchant_id = $3', [campaignId, sale.productId, sale.merchantId]);
    if (!enrolled) throw new Problem(422, 'not_enrolled', 'enrol the product in the campaign first', [{ field: 'campaignId', message: 'the product is not enrolled in this campaign' }]);
    const phases = (await phasesOf(sql, [campaignId])).get(campaignId) ?? [];
    if (!phases.some((p) => p.starts_at <= sale.startsAt && sale.endsAt <= p.ends_at)) throw invalidField('startsAt', 'a campaign price must lie within one of the campaign\'s phases');
  }

  /** The venue page (会场): phases with states, and enrolled products with their prices and campaign price. */
  async function venue(campaignId: string, { page, pageSize }: Page, asOperator = false) {
    const at = new Date();
    const [head] = await summaries([await (asOperator ? campaignRow : publishedRow)(db, campaignId)], at);
    const size = Math.min(pageSize, MAX_VENUE_PAGE);
    const rows = await db.query(
      'SELECT product_id, merchant_id, enrolled_at, count(*) OVER () AS total FROM campaign_products WHERE campaign_id = $1 ORDER BY enrolled_at, product_id LIMIT $2 OFFSET $3',
      [campaignId, size, (page - 1) * size],
    );
    const [facts, names, sales] = await Promise.all([
      catalog.productFacts(rows.map((r) => r.product_id)),
      catalog.merchantNames(db, [...new Set(rows.map((r) => r.merchant_id as string))]),
      flashSales.ofCampaign(campaignId),
    ]);
    const items = rows.map((r) => {
      const f = facts.get(r.product_id);
      const mine = sales.filter((s) => s.productId === r.product_id);
      // The campaign price to show: the one on now, else the next, else the last.
      const sale = mine.find((s) => s.state === 'live' || s.state === 'sold_out') ?? mine.find((s) => s.state === 'scheduled') ?? mine[mine.length - 1];
      return {
        productId: r.product_id as string, title: f?.title ?? '', merchantId: r.merchant_id as string, merchantName: names.get(r.merchant_id) ?? '',
        price: money(f?.price ?? 0),
        ...(sale ? { flashSale: { id: sale.id, skuId: sale.skuId, unitPrice: sale.unitPrice, listPrice: sale.listPrice, quantity: sale.quantity, remaining: sale.remaining, startsAt: sale.startsAt, endsAt: sale.endsAt, state: sale.state } } : {}),
      };
    });
    return { ...head, products: { items, total: (rows[0]?.total as number) ?? 0, page, pageSize: size } };
  }

  return {
    create,
    update,
    publish,
    stop,
    enrol,
    withdraw,
    venue,
    checkCampaignPrice,

    /** Platform rules the campaigns switch on at `at`, for the price engine; from memory, on every quote's path. */
    async activeRules(at: Date, sql: Sql = db): Promise<CampaignEngineRule[]> {
      const t = at.getTime();
      return (await cachedPhases(sql)).filter((p) => p.startsAt <= t && t < p.endsAt).flatMap(engineRules);
    },

    adminList: (p: Page) => listPage('', [], 'starts_at DESC, id', p),

    /** Current and upcoming campaigns, soonest first. */
    publicList: (p: Page) => listPage('WHERE ends_at > $1 AND stopped_at IS NULL AND published_at IS NOT NULL', [new Date()], 'starts_at, id', p),

    /** Current and upcoming campaigns for a store's console, with the store's own enrolled products. */
    async forMerchant(merchantId: string, p: Page) {
      const list = await listPage('WHERE ends_at > $1 AND stopped_at IS NULL AND published_at IS NOT NULL', [new Date()], 'starts_at, id', p);
      const ids = list.items.map((c) => c.id);
      const rows = ids.length ? await db.query('SELECT campaign_id, product_id FROM campaign_products WHERE merchant_id = $1 AND campaign_id = ANY($2) ORDER BY enrolled_at', [merchantId, ids]) : [];
      return { ...list, items: list.items.map((c) => ({ ...c, myProductIds: rows.filter((r) => r.campaign_id === c.id).map((r) => r.product_id as string) })) };
    },
  };
}

export type CampaignsService = ReturnType<typeof createCampaignsService>;
