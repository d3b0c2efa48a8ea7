import path from 'node:path';

/** Every setting Quanyu reads, with its default, in one place. */
export interface Config {
  port: number;
  host: string;
  /** PostgreSQL server; when absent Quanyu runs on embedded PGlite in dataDir. */
  databaseUrl: string | undefined;
  /** Postgres schema to live in (created if missing); lets tests and benchmarks share one server. */
  databaseSchema: string | undefined;
  /** Connections to the PostgreSQL server per process. */
  databasePoolSize: number;
  dataDir: string;
  /** Load the demo marketplace on first start. */
  demo: boolean;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  /** Minutes an unpaid order keeps its stock reservation. */
  paymentTimeoutMinutes: number;
  /** Days after shipping when an order is confirmed for the shopper. */
  autoConfirmDays: number;
  /** Secret the sandbox payment provider signs its notifications with. */
  sandboxPaymentKey: string;
  /** Where the sandbox provider posts notifications; defaults to this server. */
  publicUrl: string | undefined;
  /** Background jobs (expiry, auto-confirm, outbox) tick interval. */
  jobIntervalMs: number;
  /** How often committed domain events are handed to subscribers (search index freshness). */
  outboxIntervalMs: number;
  tokenTtlDays: number;
  /** Behaviour events one device may send a minute (bursts up to the same). */
  eventsPerDevicePerMinute: number;
  /** Raw behaviour events are kept this long after receipt, then dropped a month at a time. */
  eventRetentionDays: number;
  /** Recommendation models are retrained this often (0: only on demand). */
  recoRetrainHours: number;
  /** Transactions at once on this node turning flash-sale grabs into orders (each holds a pool connection). */
  flashGrabWorkers: number;
  logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: intSetting(env.PORT, 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.QUANYU_DB_SCHEMA || undefined,
    databasePoolSize: intSetting(env.QUANYU_DB_POOL_SIZE, 8),
    dataDir: path.resolve(env.QUANYU_DATA_DIR ?? './data'),
    demo: env.QUANYU_DEMO !== '0',
    adminEmail: env.QUANYU_ADMIN_EMAIL || undefined,
    adminPassword: env.QUANYU_ADMIN_PASSWORD || undefined,
    paymentTimeoutMinutes: intSetting(env.QUANYU_PAYMENT_TIMEOUT_MINUTES, 30),
    autoConfirmDays: intSetting(env.QUANYU_AUTO_CONFIRM_DAYS, 10),
    sandboxPaymentKey: env.QUANYU_SANDBOX_PAYMENT_KEY ?? 'quanyu-sandbox-key-change-me',
    publicUrl: env.QUANYU_PUBLIC_URL || undefined,
    jobIntervalMs: intSetting(env.QUANYU_JOB_INTERVAL_MS, 5000),
    outboxIntervalMs: intSetting(env.QUANYU_OUTBOX_INTERVAL_MS, 200),
    tokenTtlDays: intSetting(env.QUANYU_TOKEN_TTL_DAYS, 30),
    eventsPerDevicePerMinute: intSetting(env.QUANYU_EVENTS_PER_DEVICE_PER_MINUTE, 3000),
    eventRetentionDays: intSetting(env.QUANYU_EVENT_RETENTION_DAYS, 730),
    recoRetrainHours: intSetting(env.QUANYU_RECO_RETRAIN_HOURS, 6),
    flashGrabWorkers: Math.max(1, intSetting(env.QUANYU_FLASH_GRAB_WORKERS, 2)),
    logLevel: env.LOG_LEVEL ?? 'warn',
  };
}

function intSetting(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`setting must be a non-negative integer, got "${value}"`);
  return n;
}
