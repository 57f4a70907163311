import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/config.js';

/**
 * An office that ran the platform before review chains upgrades: its data must come through
 * whole. Before chains every 保存评分 added a review row, so one reviewer could hold several
 * reviews of one stage; the new unique (application, step, reviewer) must not drop any of them.
 */
describe('upgrading a database from before chains', () => {
  it('keeps every review and score, and fills the new columns', async () => {
    const all = path.join(REPO_ROOT, 'apps/server/migrations');
    const journal = JSON.parse(fs.readFileSync(path.join(all, 'meta/_journal.json'), 'utf8')) as {
      entries: { idx: number; tag: string }[];
    };
    expect(journal.entries.length).toBeGreaterThan(1);
    // the migrations folder as it was before chains: only the first migration
    const before = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-mig-'));
    fs.mkdirSync(path.join(before, 'meta'));
    const first = journal.entries[0]!;
    fs.copyFileSync(path.join(all, `${first.tag}.sql`), path.join(before, `${first.tag}.sql`));
    fs.writeFileSync(path.join(before, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: [first] }));

    const client = new PGlite();
    const db = drizzle(client);
    await migrate(db, { migrationsFolder: before });
    await client.exec(`
      insert into regions (id, name, level, path) values (1, '云州市', 'city', '/1/');
      insert into organisations (id, region_id, name, kind, dept_code) values (1, 1, '云州市教育局', 'department', 'education');
      insert into subjects (id, kind, name, region_id, supervising_dept) values (1, 'unit', '南门实验小学', 1, 'education');
      insert into users (id, username, password_hash, display_name, role, org_id) values (1, 'edu', 'x', '李文博', 'lead_department', 1);
      insert into categories (code, name) values ('campus', '平安校园');
      insert into standards (id, code, category_code, title, issuer) values (1, 's', 'campus', 't', 'i');
      insert into standard_versions (id, standard_id, version, doc) values (1, 1, 1, '{}');
      insert into campaigns (id, region_id, org_id, year, name, apply_deadline, review_deadline) values (1, 1, 1, 2025, 'c', '2025-12-20', '2025-12-31');
      insert into applications (id, campaign_id, category_code, standard_version_id, subject_id, region_id, region_path, status) values (1, 1, 'campus', 1, 1, 1, '/1/', 'submitted');
      insert into reviews (id, application_id, stage, reviewer_id, comment) values (1, 1, 'preliminary', 1, '第一次'), (2, 1, 'preliminary', 1, '第二次');
      insert into review_scores (review_id, application_id, criterion_id, score) values (1, 1, '1', 5), (2, 1, '1', 6);
    `);
    await migrate(db, { migrationsFolder: all });
    const reviews = await client.query<{ id: number; step: string; comment: string }>('select id, step, comment from reviews order by id');
    expect(reviews.rows.map((r) => r.comment)).toEqual(['第一次', '第二次']);
    expect(new Set(reviews.rows.map((r) => r.step)).size).toBe(2);
    expect((await client.query<{ n: number }>('select count(*)::int n from review_scores')).rows[0]!.n).toBe(2);
    const app = await client.query<{ supervising_dept: string; step: string | null }>('select supervising_dept, step from applications');
    expect(app.rows[0]).toEqual({ supervising_dept: 'education', step: null });
    await client.close();
    fs.rmSync(before, { recursive: true, force: true });
  });
});
