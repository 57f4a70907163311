import { performance } from 'node:perf_hooks';
import { eq, sql, type SQL } from 'drizzle-orm';
import { maskPhone, type RegionLevel } from '@pingan/core';
import type { z } from 'zod';
import type { RosterJob, RosterImportResult } from '@pingan/contract';
import { inTurn, type Db, type Tx } from '../../db/client.js';
import { regions, users } from '../../db/schema.js';
import type { Keys } from '../../crypto/keys.js';
import { buildScope, type CurrentUser } from '../../access/scope.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import type { JobContext, JobQueue } from '../../jobs/queue.js';
import type { FileStorage } from '../../storage/storage.js';
import { openValue, sealPhone } from '../applications/personalData.js';
import { errorReportXlsx, readRosterFile, rosterTemplate, rosterXlsx, type BadRow, type RosterSheets } from './sheets.js';
import { planRoster, type Progress, type RosterPlan, type RosterWorld, type WorldRegion } from './validate.js';

/**
 * 名册导入: the office's roster of regions, units and households. The upload runs as a job
 * (jobs/queue.ts, on any node): the file is put in the shared FileStorage and its key is the job's
 * input; the job reads it, checks every row (validate.ts), and only when all are right writes them in
 * one transaction, in chunks of multi-row statements. All or nothing, so a job whose node died is
 * simply run again from the start: nothing of the lost run was committed (or, if its commit went
 * through, the rerun finds the rows and updates them to the same values). The file is deleted when
 * the job ends; the outcome, bad rows included, is the job's stored result (the error report's source).
 */

/** rows per INSERT / UPDATE statement (12 columns × 1 000 stays far below PostgreSQL's 65 535 parameters) */
const CHUNK = 1000;
/** bad rows listed in the JSON answer; the Excel report has all */
const LISTED_PROBLEMS = 500;

type Result = z.input<typeof RosterImportResult>;
/** what the job keeps: the answer plus the bad rows for the Excel report */
export type RosterOutcome = Result & { report: BadRow[] };

const rowsOf = async <T>(db: Db | Tx, q: SQL): Promise<T[]> => ((await db.execute(q)) as unknown as { rows: T[] }).rows;

function officeOf(user: CurrentUser) {
  if (user.role !== 'safety_office' || !user.org || user.org.kind !== 'safety_office') throw forbidden('只有平安办可以管理名册');
  return user.org;
}

// ───────────────────────────── what the checks need ─────────────────────────────

interface RegionRow {
  id: number;
  name: string;
  level: RegionLevel;
  path: string;
}

/** name paths (云州市/青山区) of regions, from their id paths */
function namePaths(rows: RegionRow[]): Map<number, string> {
  const name = new Map(rows.map((r) => [r.id, r.name]));
  return new Map(
    rows.map((r) => [
      r.id,
      r.path
        .split('/')
        .filter(Boolean)
        .map((id) => name.get(Number(id)) ?? '?')
        .join('/'),
    ]),
  );
}

export async function loadRosterWorld(db: Db | Tx, user: CurrentUser): Promise<RosterWorld> {
  const org = officeOf(user);
  const all = await rowsOf<RegionRow>(db, sql`select id, name, level, path from regions`);
  const paths = namePaths(all);
  const byPath = new Map<string, WorldRegion>();
  const roots = new Set<string>();
  for (const r of all) {
    const namePath = paths.get(r.id)!;
    byPath.set(namePath, { id: r.id, name: r.name, level: r.level, path: r.path, namePath });
    if (!namePath.includes('/')) roots.add(r.name);
  }
  const office = byPath.get(paths.get(org.regionId)!)!;
  const [unitTypes, orgs, subs] = await inTurn(
    () =>
      rowsOf<{ t: string }>(db, sql`select distinct jsonb_array_elements_text(doc->'category'->'unitTypes') as t from standard_versions`),
    () => rowsOf<{ name: string; dept: string }>(db, sql`select name, dept_code as dept from organisations where kind = 'department'`),
    () =>
      rowsOf<{ id: number; kind: string; name: string; region_id: number }>(
        db,
        sql`select s.id, s.kind, s.name, s.region_id from subjects s join regions r on r.id = s.region_id where r.path like ${`${office.path}%`}`,
      ),
  );
  return {
    office,
    officeParentNamePath: office.namePath.includes('/') ? office.namePath.slice(0, office.namePath.lastIndexOf('/')) : '',
    regions: byPath,
    roots,
    unitTypes: new Set(unitTypes.map((u) => u.t)),
    orgNames: new Map(orgs.map((o) => [o.name, o.dept])),
    subjects: new Map(subs.map((s) => [`${s.region_id}/${s.name}`, { id: Number(s.id), kind: s.kind }])),
  };
}

export async function rosterTemplateFor(db: Db, user: CurrentUser): Promise<Buffer> {
  const world = await loadRosterWorld(db, user);
  return rosterTemplate({ officeRegionPath: world.office.namePath, unitTypes: [...world.unitTypes].sort() });
}

// ───────────────────────────── the import ─────────────────────────────

/**
 * Checks and writes rows already read from a file: the import's path after reading (the benchmark
 * calls it directly). Nothing is written when any row is bad.
 */
export async function importRosterRows(
  db: Db,
  keys: Keys,
  user: CurrentUser,
  sheets: RosterSheets,
  progress: Progress = () => {},
  beforeCommit: BeforeCommit = async () => {},
): Promise<RosterOutcome> {
  const t0 = performance.now();
  const world = await loadRosterWorld(db, user);
  const plan = await planRoster(sheets, world, progress);
  const base = { regionRows: sheets.regions.length, unitRows: sheets.units.length };
  if (plan.bad.length) return refused(base, plan.bad, t0);
  const counts = await writePlan(db, keys, world, plan, progress, beforeCommit);
  return { ok: true, ...base, ...counts, problemCount: 0, problems: [], report: [], ms: Math.round(performance.now() - t0) };
}

function refused(base: { regionRows: number; unitRows: number }, bad: BadRow[], t0: number): RosterOutcome {
  const sorted = [...bad].sort((a, b) => a.sheet.localeCompare(b.sheet) || a.row - b.row);
  return {
    ok: false,
    ...base,
    regionsInserted: 0,
    regionsUpdated: 0,
    unitsInserted: 0,
    unitsUpdated: 0,
    problemCount: sorted.length,
    problems: sorted.slice(0, LISTED_PROBLEMS).map((b) => ({
      sheet: b.sheet as '区域' | '单位' | '文件',
      row: b.row,
      name: String(b.cells[0] ?? ''),
      reasons: b.reasons,
    })),
    report: sorted,
    ms: Math.round(performance.now() - t0),
  };
}

/** Runs inside the import's transaction just before it commits; a throw rolls everything back (a superseded job run). */
type BeforeCommit = (tx: Tx) => Promise<void>;

/** Reads the file, then importRosterRows. A file that cannot be read is refused the same way, as one problem. */
export async function importRosterFile(
  db: Db,
  keys: Keys,
  user: CurrentUser,
  data: Buffer,
  progress: Progress = () => {},
  beforeCommit: BeforeCommit = async () => {},
) {
  const t0 = performance.now();
  progress(0, 0, '正在读取文件');
  let sheets: RosterSheets;
  try {
    sheets = await readRosterFile(data);
  } catch (e) {
    const message = e instanceof Error ? e.message : '文件无法读取';
    return refused({ regionRows: 0, unitRows: 0 }, [{ sheet: '文件', row: 0, cells: [], reasons: [message] }], t0);
  }
  return importRosterRows(db, keys, user, sheets, progress, beforeCommit);
}

const depth = (namePath: string) => namePath.split('/').length;

/** One transaction: new regions (ids taken first, so their paths are known), region figures, new units, updated units. */
async function writePlan(db: Db, keys: Keys, world: RosterWorld, plan: RosterPlan, progress: Progress, beforeCommit: BeforeCommit) {
  const fresh = plan.regions.filter((r) => r.existingId === null).sort((a, b) => depth(a.namePath) - depth(b.namePath));
  const touched = plan.regions.filter((r) => r.existingId !== null);
  const newUnits = plan.units.filter((u) => u.existingId === null);
  const oldUnits = plan.units.filter((u) => u.existingId !== null);
  const total = fresh.length + touched.length + plan.units.length;
  let done = 0;
  const step = async (n: number) => {
    done += n;
    progress(done, total, `正在写入（${done}/${total}）`);
    await new Promise<void>((r) => setImmediate(r));
  };
  progress(0, total, '正在写入');

  await db.transaction(async (tx) => {
    const where = new Map<string, { id: number; path: string }>();
    for (const [k, r] of world.regions) where.set(k, { id: r.id, path: r.path });
    if (fresh.length) {
      const ids = await rowsOf<{ id: number }>(
        tx,
        sql`select nextval(pg_get_serial_sequence('regions', 'id'))::int as id from generate_series(1, ${fresh.length}::int) order by 1`,
      );
      const values = fresh.map((r, i) => {
        const parent = where.get(r.parentNamePath)!;
        const id = Number(ids[i]!.id);
        const path = `${parent.path}${id}/`;
        where.set(r.namePath, { id, path });
        return { id, parentId: parent.id, name: r.name, level: r.level, path, population: r.population, households: r.households };
      });
      for (let i = 0; i < values.length; i += CHUNK) {
        await tx.insert(regions).values(values.slice(i, i + CHUNK));
        await step(Math.min(CHUNK, values.length - i));
      }
    }
    for (let i = 0; i < touched.length; i += CHUNK) {
      const rows = touched.slice(i, i + CHUNK).map((r) => sql`(${r.existingId}::int, ${r.population}::int, ${r.households}::int)`);
      await tx.execute(sql`update regions r set population = coalesce(v.p, r.population), households = coalesce(v.h, r.households)
        from (values ${sql.join(rows, sql`, `)}) as v(id, p, h) where r.id = v.id`);
      await step(rows.length);
    }
    for (let i = 0; i < newUnits.length; i += CHUNK) {
      // a chunk is one JSON parameter expanded by the database (jsonb_to_recordset): building a
      // multi-row VALUES of 9,000 parameters was a quarter of an import's time
      const chunk = newUnits.slice(i, i + CHUNK).map((u) => ({
        kind: u.kind,
        name: u.name,
        region_id: where.get(u.regionNamePath)!.id,
        unit_type: u.unitType,
        supervising_dept: u.supervisingDept,
        households: u.households,
        staff: u.staff,
        address: u.address,
        phone: sealPhone(keys, u.phone),
      }));
      await tx.execute(sql`insert into subjects (kind, name, region_id, unit_type, supervising_dept, households, staff, address, phone)
        select kind, name, region_id, unit_type, supervising_dept, households, staff, address, phone
        from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb)
          as x(kind text, name text, region_id int, unit_type text, supervising_dept text, households int, staff int, address text, phone text)`);
      await step(chunk.length);
    }
    for (let i = 0; i < oldUnits.length; i += CHUNK) {
      const rows = oldUnits
        .slice(i, i + CHUNK)
        .map(
          (u) =>
            sql`(${u.existingId}::int, ${u.unitType}::text, ${u.supervisingDept}::text, ${u.households}::int, ${u.staff}::int, ${u.address}::text, ${sealPhone(keys, u.phone)}::text)`,
        );
      await tx.execute(sql`update subjects s set unit_type = coalesce(v.t, s.unit_type), supervising_dept = coalesce(v.d, s.supervising_dept),
          households = coalesce(v.h, s.households), staff = coalesce(v.st, s.staff), address = coalesce(v.a, s.address), phone = coalesce(v.p, s.phone)
        from (values ${sql.join(rows, sql`, `)}) as v(id, t, d, h, st, a, p) where s.id = v.id`);
      await step(rows.length);
    }
    await beforeCommit(tx);
  });
  return { regionsInserted: fresh.length, regionsUpdated: touched.length, unitsInserted: newUnits.length, unitsUpdated: oldUnits.length };
}

// ───────────────────────────── the job ─────────────────────────────

export const ROSTER_IMPORT = 'roster_import';

/** The job's input: who asked (the rights are checked again when it runs) and where the upload waits. */
interface RosterJobInput {
  userId: number;
  fileKey: string;
}

/** The account as it is now, for a job that runs after the request that started it, maybe on another node. */
async function accountNow(db: Db, userId: number): Promise<CurrentUser> {
  const [u] = await db.select().from(users).where(eq(users.id, userId));
  if (!u || u.disabled) throw forbidden('账号已停用');
  const { scope, org } = await buildScope(db, u);
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, org, subjectId: u.subjectId, scope };
}

/** The job's work, registered on every node at boot; the uploaded file is removed when the job ends, whatever the outcome. */
export function registerRosterJobs(db: Db, keys: Keys, storage: FileStorage, jobs: JobQueue) {
  jobs.register<RosterJobInput>(
    ROSTER_IMPORT,
    async (input, ctx: JobContext) => {
      const user = await accountNow(db, input.userId);
      const data = await storage.get(input.fileKey);
      return importRosterFile(db, keys, user, data, ctx.progress, (tx) => ctx.assertCurrent(tx));
    },
    { onEnd: (input) => storage.delete(input.fileKey) },
  );
}

export async function startRosterImport(storage: FileStorage, jobs: JobQueue, user: CurrentUser, data: Buffer) {
  officeOf(user);
  // the bytes go to the shared store, so the node that runs the job can read them
  const stored = await storage.put(data);
  try {
    const jobId = await jobs.enqueue(ROSTER_IMPORT, user.id, { userId: user.id, fileKey: stored.key } satisfies RosterJobInput);
    return { jobId };
  } catch (e) {
    await storage.delete(stored.key);
    throw e;
  }
}

async function ownJob(jobs: JobQueue, user: CurrentUser, id: string) {
  officeOf(user);
  const status = await jobs.status(id, user.id);
  if (!status || status.kind !== ROSTER_IMPORT) throw notFound('导入任务');
  return status;
}

export async function rosterJobStatus(jobs: JobQueue, user: CurrentUser, id: string): Promise<z.input<typeof RosterJob>> {
  const { attempts: _attempts, kind: _kind, ...s } = await ownJob(jobs, user, id);
  return { ...s, result: (s.result as RosterOutcome | null) ?? null };
}

/** The Excel report of the bad rows, from the job's stored result (any node can make it). */
export async function rosterErrorReport(jobs: JobQueue, user: CurrentUser, id: string): Promise<Buffer> {
  const s = await ownJob(jobs, user, id);
  const result = s.result as RosterOutcome | null;
  if (s.state === 'running') throw new AppError('WRONG_STATUS', '导入尚未完成');
  if (!result || result.ok) throw new AppError('WRONG_STATUS', '该次导入没有错误，无错误报告');
  return errorReportXlsx(result.report);
}

// ───────────────────────────── the roster ─────────────────────────────

export interface RosterFilter {
  q?: string | undefined;
  regionId?: number | undefined;
  kind?: 'unit' | 'household' | undefined;
}

interface UnitRow {
  id: number;
  kind: 'unit' | 'household' | 'individual' | 'region';
  name: string;
  region_id: number;
  unit_type: string | null;
  supervising_dept: string | null;
  households: number | null;
  staff: number | null;
  address: string | null;
  phone: string | null;
  total?: number;
}

async function rosterRows(db: Db, user: CurrentUser, f: RosterFilter, page: { limit: number; offset: number } | null) {
  const org = officeOf(user);
  let prefix = org.regionPath;
  if (f.regionId !== undefined) {
    const [r] = await rowsOf<{ path: string }>(db, sql`select path from regions where id = ${f.regionId}`);
    if (!r || !r.path.startsWith(org.regionPath)) throw notFound('区域');
    prefix = r.path;
  }
  const q = f.q?.trim();
  const conds: SQL[] = [sql`r.path like ${`${prefix}%`}`, sql`s.kind in ('unit', 'household')`];
  if (q) conds.push(sql`s.name ilike ${`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  if (f.kind) conds.push(sql`s.kind = ${f.kind}`);
  const rows = await rowsOf<UnitRow>(
    db,
    sql`select s.id, s.kind, s.name, s.region_id, s.unit_type, s.supervising_dept, s.households, s.staff, s.address, s.phone,
          count(*) over ()::int as total
        from subjects s join regions r on r.id = s.region_id
        where ${sql.join(conds, sql` and `)}
        order by r.path, s.name, s.id
        ${page ? sql`limit ${page.limit} offset ${page.offset}` : sql``}`,
  );
  const regionRows = await rowsOf<RegionRow>(db, sql`select id, name, level, path from regions`);
  const paths = namePaths(regionRows);
  return {
    total: rows[0]?.total ?? (page && page.offset > 0 ? await countRoster(db, conds) : 0),
    rows: rows.map((r) => ({ r, regionPath: paths.get(r.region_id) ?? '' })),
  };
}

async function countRoster(db: Db, conds: SQL[]): Promise<number> {
  const [c] = await rowsOf<{ n: number }>(
    db,
    sql`select count(*)::int as n from subjects s join regions r on r.id = s.region_id where ${sql.join(conds, sql` and `)}`,
  );
  return Number(c?.n ?? 0);
}

const present = (keys: Keys, { r, regionPath }: { r: UnitRow; regionPath: string }) => ({
  id: Number(r.id),
  kind: r.kind,
  name: r.name,
  regionId: Number(r.region_id),
  regionPath,
  unitType: r.unit_type,
  supervisingDept: r.supervising_dept,
  households: r.households,
  staff: r.staff,
  address: r.address,
  phone: maskPhone(openValue(keys, r.phone)),
});

export async function listRoster(db: Db, keys: Keys, user: CurrentUser, f: RosterFilter & { limit: number; offset: number }) {
  const { total, rows } = await rosterRows(db, user, f, { limit: f.limit, offset: f.offset });
  return { items: rows.map((x) => present(keys, x)), total };
}

export async function rosterExport(db: Db, keys: Keys, user: CurrentUser, f: RosterFilter): Promise<Buffer> {
  const { rows } = await rosterRows(db, user, f, null);
  return rosterXlsx(rows.map((x) => present(keys, x)));
}
