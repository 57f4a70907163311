/**
 * Writes the OpenAPI document the server publishes at /api/docs/json, for the contract checks
 * (redocly lint, openapi-typescript). Usage: npx tsx apps/server/scripts/openapi.ts out.json
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { buildApp } from '../src/app.js';

const out = process.argv[2] ?? 'openapi.json';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-openapi-'));
const database = await openDatabase({ dataDir: 'memory://' });
const app = await buildApp(
  loadConfig({}, { LOG_LEVEL: 'silent', WEB_DIST: '/nonexistent', OUTBOX_INTERVAL_MS: 0, DATA_DIR: dataDir }),
  database,
);
await app.ready();
fs.writeFileSync(out, JSON.stringify(app.swagger(), null, 2));
await app.close();
await database.close();
fs.rmSync(dataDir, { recursive: true, force: true });
console.log(`OpenAPI document written to ${out}`);
