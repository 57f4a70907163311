import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/client.js';
import { createScratchDatabase } from '../src/db/scratch.js';
import { seedDemo } from '../src/demo/seed.js';
import { LocalDiskStorage } from '../src/storage/storage.js';

/**
 * Seeds the demo world once per test run instead of once per test server: on PGlite into a
 * data-folder tar each test database starts from, on PostgreSQL into a template database each test
 * database is copied from (CREATE DATABASE … TEMPLATE). The demo's evidence files are seeded into a
 * folder each test copies. A test server is then what getTestServer made before (the same seed, the
 * migrations applied), minus the seconds of seeding: the seed's state before the app starts, so each
 * server still encrypts the personal data with its own keys.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    demoTemplate: { dir: string; pgliteTar: string; pgFiles: string; pgTemplate: string | null };
  }
}

export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-demo-template-'));
  const lite = await openDatabase({ dataDir: 'memory://' });
  await seedDemo(lite.db, new LocalDiskStorage(path.join(dir, 'pglite-files')));
  const tar = await lite.dumpDataDir!();
  const pgliteTar = path.join(dir, 'pglite.tar');
  fs.writeFileSync(pgliteTar, Buffer.from(await tar.arrayBuffer()));
  await lite.close();

  let drop: (() => Promise<void>) | null = null;
  let pgTemplate: string | null = null;
  if (process.env.DATABASE_URL) {
    const scratch = await createScratchDatabase(process.env.DATABASE_URL, 'pingan_tpl');
    const pgDb = await openDatabase({ databaseUrl: scratch.url, dataDir: '' });
    await seedDemo(pgDb.db, new LocalDiskStorage(path.join(dir, 'pg-files')));
    await pgDb.close();
    pgTemplate = scratch.name;
    drop = scratch.drop;
  }
  project.provide('demoTemplate', { dir, pgliteTar, pgFiles: path.join(dir, 'pg-files'), pgTemplate });
  return async () => {
    await drop?.();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
