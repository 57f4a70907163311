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
