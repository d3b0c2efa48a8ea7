import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.ts';
import { connect, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { createValidatorCompiler } from './http/validation.ts';
import { errorHandler, sendProblem } from './http/errors.ts';
import type { Api } from './http/types.ts';
import { createAudit } from './modules/audit/audit.ts';
import { createCartService } from './modules/cart/service.ts';
import { cartRoutes } from './modules/cart/routes.ts';
import { createCatalogService } from './modules/catalog/service.ts';
import { catalogRoutes } from './modules/catalog/routes.ts';
import { checkoutRoutes } from './modules/checkout/routes.ts';
import { createFulfillmentService } from './modules/fulfillment/service.ts';
import { fulfillmentRoutes } from './modules/fulfillment/routes.ts';
import { createIdempotency } from './modules/idempotency/idempotency.ts';
import { createIdentityService } from './modules/identity/service.ts';
import { identityRoutes } from './modules/identity/routes.ts';
import { createInventoryService } from './modules/inventory/service.ts';
import { createLedgerService } from './modules/ledger/service.ts';
import { ledgerRoutes } from './modules/ledger/routes.ts';
import { createOrdersService } from './modules/orders/service.ts';
import { orderRoutes } from './modules/orders/routes.ts';
import { createOutbox } from './modules/outbox/outbox.ts';
import { createPaymentsService } from './modules/payments/service.ts';
import { paymentRoutes } from './modules/payments/routes.ts';
import { createSandboxProvider } from './modules/payments/providers/sandbox.ts';
import { startJobs } from './jobs.ts';
import { createSearchService } from './modules/search/service.ts';
import { searchRoutes } from './modules/search/routes.ts';
import { createTrackingService } from './modules/tracking/service.ts';
import { createEventRecorder } from './modules/tracking/record-events.ts';
import { recordPlatformEvents } from './modules/tracking/platform-events.ts';
import { trackingRoutes } from './modules/tracking/routes.ts';
import { createPeopleService } from './modules/people/service.ts';
import { peopleRoutes } from './modules/people/routes.ts';
import { createProfilesService } from './modules/profiles/service.ts';
import { followIdentityChanges } from './modules/profiles/recompute.ts';
import { createPrivacyService } from './modules/privacy/service.ts';
import { privacyRoutes } from './modules/privacy/routes.ts';
import { createFavoritesService } from './modules/favorites/service.ts';
import { favoriteRoutes } from './modules/favorites/routes.ts';
import { createCrowdsService } from './modules/profiles/crowds/service.ts';
import { createRecommendService } from './modules/recommend/service.ts';
import { createModelStore } from './modules/recommend/models.ts';
import { recommendRoutes } from './modules/recommend/routes.ts';
import { crowdRoutes } from './modules/profiles/crowds/routes.ts';
import { createContentService } from './modules/content/service.ts';
import { contentRoutes } from './modules/content/routes.ts';
import { attributeContent } from './modules/content/attribution.ts';
import { createPricingService } from './modules/pricing/service.ts';
import { createPresaleService } from './modules/presale/service.ts';
import { presaleCheckoutPart } from './modules/presale/lifecycle.ts';
import { presaleRoutes } from './modules/presale/routes.ts';
import { createMembershipService, MEMBERSHIP_PURPOSE } from './modules/membership/service.ts';
import { createPointsService } from './modules/points/service.ts';
import { pointsRoutes } from './modules/points/routes.ts';
import { membershipRoutes } from './modules/membership/routes.ts';
import { scopeNames, scopeOptions } from './modules/catalog/scope-names.ts';
import { createPromotionsService } from './modules/promotions/service.ts';
import { promotionRoutes } from './modules/promotions/routes.ts';
import { promotionsCheckoutPart } from './modules/promotions/checkout-part.ts';
import { accountKey } from './modules/people/identifiers.ts';
import { createFlashSalesService } from './modules/flash-sales/service.ts';
import { flashSaleRoutes } from './modules/flash-sales/routes.ts';
import { createCampaignsService } from './modules/campaigns/service.ts';
import { campaignRoutes } from './modules/campaigns/routes.ts';
import { flashSaleCheckoutPart } from './modules/flash-sales/checkout-part.ts';
import { campaignCheckoutPart } from './modules/campaigns/checkout-part.ts';
import { createGrabWorker } from './modules/flash-sales/grab-worker.ts';

/** Modules in migration order: a module's tables come after those it refers to. */
export const MODULES = ['outbox', 'audit', 'idempotency', 'identity', 'catalog', 'inventory', 'cart', 'orders', 'promotions', 'payments', 'ledger', 'fulfillment', 'search', 'tracking', 'people', 'profiles', 'privacy', 'favorites', 'content', 'recommend', 'presale', 'membership', 'flash-sales', 'campaigns', 'points'] as const;

const WEB_DIST = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'web', 'dist');

export function createServices(db: Database, config: Config, notifyUrl: () => string) {
  const outbox = createOutbox(db);
  const inventory = createInventoryService();
  const catalog = createCatalogService(db, inventory, outbox);
  const fulfillment = createFulfillmentService();
  const ledger = createLedgerService(db);
  const sandbox = createSandboxProvider({ key: config.sandboxPaymentKey, notifyUrl });
  const tracking = createTrackingService(db, catalog);
  const people = createPeopleService(db, outbox);
  const profiles = createProfilesService(db);
  const audit = createAudit(db);
  const identity = createIdentityService(db, { tokenTtlDays: config.tokenTtlDays });
  const content = createContentService({ db, catalog, audit, tracking, namesOf: identity.namesOf });
  const flashSales = createFlashSalesService({ db, catalog, inventory, audit });
  const campaigns = createCampaignsService({ db, catalog, audit, flashSales });
  flashSales.setCampaignCheck(campaigns.checkCampaignPrice);
  const services = {
    outbox,
    inventory,
    catalog,
    fulfillment,
    ledger,
    audit,
    identity,
    cart: createCartService(db, catalog, inventory, content.livePrices),
    orders: createOrdersService(db, outbox, { merchantNames: catalog.merchantNames, shipments: fulfillment.shipments }),
    payments: createPaymentsService(db, ledger, outbox, new Map([[sandbox.name, sandbox]])),
    search: undefined as unknown as ReturnType<typeof createSearchService>,
    crowds: undefined as unknown as ReturnType<typeof createCrowdsService>,
    recommend: undefined as unknown as ReturnType<typeof createRecommendService>,
    promotions: undefined as unknown as ReturnType<typeof createPromotionsService>,
    tracking,
    people,
    profiles,
    privacy: createPrivacyService(db),
    favorites: createFavoritesService(db, catalog),
    content,
    pricing: createPricingService(),
    presale: createPresaleService(db, catalog),
    membership: undefined as unknown as ReturnType<typeof createMembershipService>,
    flashSales,
    flashGrabs: undefined as unknown as ReturnType<typeof createGrabWorker>,
    campaigns,
    points: createPointsService(db),
    events: createEventRecorder({ db, tracking, people, profiles, eventsPerMinute: config.eventsPerDevicePerMinute, contentExists: content.existing }),
  };
  services.search = createSearchService({ db, catalog, orders: services.orders, outbox });
  services.crowds = createCrowdsService({ db, audit: services.audit, accountsOf: people.accountsOf, emailsOf: (ids) => services.identity.emailsOf(db, ids), consentedUsers: services.privacy.consentedUsers });
  services.promotions = createPromotionsService({
    db, audit, catalog: { productScopes: catalog.productScopes, scopeNames, scopeOptions },
    // Crowd-targeted coupons: the buyer's person (people), then that person's crowds.
    audience: {
      async inCrowd(sql, buyerId, crowdId) {
        const personId = (await people.personsOf(sql, [accountKey(buyerId)])).get(accountKey(buyerId));
        return !!personId && (await services.crowds.crowdsOf(personId, sql)).includes(crowdId);
      },
      crowdName: (crowdId) => services.crowds.get(crowdId).then((c) => c.name, () => undefined),
    },
  });
  services.recommend = createRecommendService({
    db, tracking, people, profiles, search: services.search, store: createModelStore(db), crowds: services.crowds,
    allowsPersonalization: (userId) => services.privacy.allows(userId, 'personalization'),
    cartProducts: async (userId) => (await services.cart.view(userId)).items.map((i) => i.productId),
    liveNowFor: content.liveNowFor,
  });
  // A plan's monthly coupons are platform coupons the promotions module grants.
  services.membership = createMembershipService({
    db, audit, ledger, outbox, payments: services.payments, buyerSpend: services.orders.buyerSpend,
    catalog: { skusOfProducts: catalog.skusOfProducts, sellableSkus: catalog.sellableSkus, scopeNames, scopeOptions }, paymentTimeoutMinutes: config.paymentTimeoutMinutes,
    grantCoupon: services.promotions.grant,
  });
  services.payments.registerPayable(MEMBERSHIP_PURPOSE, services.membership.payable);
  services.pricing.register({ name: 'membership', membership: services.membership.membershipOf });
  services.flashGrabs = createGrabWorker({ db, services, loops: config.flashGrabWorkers, paymentTimeoutMinutes: config.paymentTimeoutMinutes });
  // Goods seen in notes and live rooms come back in the feed.
  services.recommend.setContentRecaller(async (contentIds) => {
    const links = await content.linksOf(db, contentIds);
    return [...new Set(contentIds.flatMap((id) => [...(links.get(id)?.productIds ?? [])]))].slice(0, 40);
  });
  // Crowds with a tag label are operator-defined tags: their members see them with the rule's name.
  profiles.setExtraTags(async (personId) =>
    (await services.crowds.tagsOf(personId)).map((t) => ({
      id: t.id, kind: 'operator', label: t.label, labelEn: t.label, source: `运营规则：${t.crowdName}`, sourceEn: `operator rule: ${t.crowdName}`, evidence: { crowd: t.crowdName },
    })),
  );
  // Sales counts follow payments and cancellations through the outbox, after commit.
  outbox.subscribe('order.paid', async ({ orderId }) => catalog.addSales(db, (await services.orders.linesOf(db, orderId)).map((l) => ({ productId: l.product_id, quantity: l.quantity }))));
  outbox.subscribe('order.cancelled', async ({ orderId }) => {
    const order = await services.orders.find(db, orderId);
    if (order?.status === 'cancelled' && (await db.one(`SELECT 1 FROM orders WHERE id = $1 AND paid_at IS NOT NULL`, [orderId])))
      await catalog.addSales(db, (await services.orders.linesOf(db, orderId)).map((l) => ({ productId: l.product_id, quantity: -l.quantity })));
  });
  services.pricing.register(presaleCheckoutPart(services));
  services.pricing.register(promotionsCheckoutPart(services.promotions));
  services.pricing.register(flashSaleCheckoutPart(flashSales));
  services.pricing.register(campaignCheckoutPart(campaigns));
  services.pricing.register(services.points.checkoutPart());
  recordPlatformEvents({ db, outbox, orders: services.orders, tracking, people, profiles });
  followIdentityChanges({ db, outbox, people, tracking, profiles });
  attributeContent({ db, outbox, orders: services.orders, tracking, people, content });
  return { services, sandbox };
}

export type Services = ReturnType<typeof createServices>['services'];

export interface AppContext {
  config: Config;
  db: Database;
  services: Services;
  idempotency: ReturnType<typeof createIdempotency>;
  sandbox: ReturnType<typeof createSandboxProvider>;
}

export interface App {
  server: Api;
  context: AppContext;
  /** Listens on config.port; resolves to the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** config -> database -> modules -> http -> jobs. */
export async function createApp(config: Config, options: { db?: Database; jobs?: boolean } = {}): Promise<App> {
  const db = options.db ?? (await connect({ databaseUrl: config.databaseUrl, schema: config.databaseSchema, poolSize: config.databasePoolSize, dataDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite') }));
  await migrate(db, MODULES);
  let baseUrl = config.publicUrl ?? `http://127.0.0.1:${config.port}`;
  const { services, sandbox } = createServices(db, config, () => `${baseUrl}/api/v1/payments/notify/sandbox`);
  const context: AppContext = { config, db, services, idempotency: createIdempotency(db), sandbox };

  const server = Fastify({ logger: { level: config.logLevel }, bodyLimit: 1024 * 1024 }).withTypeProvider<TypeBoxTypeProvider>() as unknown as Api;
  server.setValidatorCompiler(createValidatorCompiler());
  server.setErrorHandler(errorHandler);
  server.decorateRequest('user', undefined);
  // Partner imports arrive as JSON Lines; the route parses each line itself.
  server.addContentTypeParser(['application/x-ndjson', 'application/jsonl'], { parseAs: 'string', bodyLimit: 50 * 1024 * 1024 }, (_request, body, done) => done(null, body));
  server.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) request.user = await services.identity.authenticate(header.slice(7).trim());
  });
  await server.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Quanyu API', version: '1.0.0', description: 'Open multi-merchant marketplace platform. Money is integer fen.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  server.get('/api/openapi.json', { schema: { hide: true } }, async () => server.swagger());

  await server.register(async (api) => {
    api.get('/health', { schema: { tags: ['system'], summary: 'Liveness' } }, async () => ({ status: 'ok', demo: config.demo }));
    for (const routes of [identityRoutes, catalogRoutes, cartRoutes, checkoutRoutes, orderRoutes, paymentRoutes, fulfillmentRoutes, ledgerRoutes, searchRoutes, trackingRoutes, favoriteRoutes, privacyRoutes, peopleRoutes, crowdRoutes, contentRoutes, recommendRoutes, presaleRoutes, membershipRoutes, promotionRoutes, flashSaleRoutes, campaignRoutes, pointsRoutes])
      routes(api as Api, context);
  }, { prefix: '/api/v1' });

  if (fs.existsSync(WEB_DIST)) await server.register(fastifyStatic, { root: WEB_DIST });
  server.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.method !== 'GET' || !fs.existsSync(WEB_DIST))
      return sendProblem(reply, 404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`);
    return reply.sendFile('index.html'); // the web app routes on the client
  });

  await services.tracking.ensureCurrentPartitions();
  await services.search.start({ background: options.jobs !== false });
  await services.recommend.start({ background: options.jobs !== false, retrainEveryMs: config.recoRetrainHours * 3_600_000 });
  const stopJobs = options.jobs === false ? () => {} : startJobs(context);
  return {
    server,
    context,
    async listen() {
      const address = await server.listen({ port: config.port, host: config.host });
      const port = new URL(address).port;
      baseUrl = config.publicUrl ?? `http://127.0.0.1:${port}`;
      return `http://127.0.0.1:${port}`;
    },
    async close() {
      stopJobs();
      await services.flashGrabs.stop();
      services.search.stop();
      await services.recommend.stop();
      await server.close();
      await db.close();
    },
  };
}
