import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/db/client.js';
import { users } from '../src/db/schema.js';

describe('embedded database folder', () => {
  it('turns fsync on, keeps data across restarts, and refuses a second opener', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-db-'));
    try {
      const a = await openDatabase({ dataDir: dir });
      const fsync = (await a.db.execute(sql`show fsync`)) as unknown as { rows: { fsync: string }[] };
      expect(fsync.rows[0]!.fsync).toBe('on');
      await expect(openDatabase({ dataDir: dir })).rejects.toThrow(/占用|已在本进程中打开/);
      await a.db.insert(users).values({ username: 'keep', passwordHash: 'x', displayName: '保留', role: 'sys_admin' });
      await a.close();
      expect(fs.existsSync(path.join(dir, 'pingan.lock'))).toBe(false);
      const b = await openDatabase({ dataDir: dir });
      const rows = await b.db.select().from(users);
      expect(rows.map((r) => r.username)).toEqual(['keep']);
      await b.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes over a lock left by a dead process', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-db-'));
    try {
      fs.writeFileSync(path.join(dir, 'pingan.lock'), '999999');
      const a = await openDatabase({ dataDir: dir });
      await a.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a second process', () => {
  it('cannot open a data folder another process holds', async () => {
    const { spawnSync } = await import('node:child_process');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-db-'));
    const a = await openDatabase({ dataDir: dir });
    try {
      const script = `import('${path.resolve(import.meta.dirname, '../src/db/client.ts')}').then(m => m.openDatabase({ dataDir: ${JSON.stringify(dir)} })).then(() => { console.log('opened'); process.exit(0) }, (e) => { console.log(e.message); process.exit(3) })`;
      const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(3);
      expect(r.stdout).toContain(`已被进程 ${process.pid} 占用`);
    } finally {
      await a.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
