import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { seedDemo } from './demo/seed.ts';
import { placeDemoOrders } from './demo/orders.ts';
import { seedDemoContent } from './demo/content.ts';

const config = loadConfig();
const app = await createApp(config);
if (config.adminEmail && config.adminPassword) await app.context.services.identity.ensureOperator(config.adminEmail, config.adminPassword);
const seeded = config.demo && (await seedDemo(app.context.db, app.context.services));
const url = await app.listen();
if (seeded) {
  await placeDemoOrders(app.context);
  await seedDemoContent(app.context);
  await app.context.services.search.catchUp();
  console.log('Loaded the demo marketplace (password for every demo account: quanyu123).');
}
console.log(`Quanyu is serving on ${url} (${config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, async () => {
    await app.close();
    process.exit(0);
  });
