import { performance } from 'node:perf_hooks';
import { loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { buildApp } from './app.js';
import { seedDemoIfEmpty } from './demo/seed.js';
import { DEMO_ACCOUNTS_TEXT, DEMO_PASSWORD } from './demo/accounts.js';
import { createStorage } from './storage/storage.js';
import { sql } from 'drizzle-orm';
import { users } from './db/schema.js';

const t0 = performance.now();
const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
// local disk in DATA_DIR/files, or the S3-compatible store (STORAGE=s3) a province's nodes share
const storage = await createStorage(config);
const seeded = config.DEMO ? await seedDemoIfEmpty(database.db, storage) : null;
const app = await buildApp(config, database, storage);
await app.listen({ port: config.PORT, host: config.HOST });
const addr = app.server.address();
const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
const ms = Math.round(performance.now() - t0);
const [{ accounts }] = (await database.db.select({ accounts: sql<number>`count(*)::int` }).from(users)) as [{ accounts: number }];
// demo accounts only where the demo world is on (never in production, config.ts); an empty platform names the first step
const demoText =
  config.DEMO && config.NODE_ENV !== 'production'
    ? `  演示账号 Demo accounts (密码 password: ${DEMO_PASSWORD}):\n${DEMO_ACCOUNTS_TEXT}\n`
    : '';
const firstStep =
  accounts === 0
    ? `  尚无任何账号。请先创建系统管理员 No account yet; create the first system administrator:\n    npm run admin -- create-sysadmin <用户名 username>\n`
    : '';

console.log(`
平安创建平台已启动 Pingan platform is running (${database.kind}, ready in ${ms} ms)
  网址 URL:      http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}/
  公示 Public:   http://127.0.0.1:${port}/public
  接口 API docs: http://127.0.0.1:${port}/api/docs
${seeded ? `  演示数据已生成 Demo world seeded (${seeded.ms} ms)\n` : ''}${demoText}${firstStep}`);

let closing = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, async () => {
    if (closing) return;
    closing = true;
    await app.close();
    await database.close();
    process.exit(0);
  });
