import { eq, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { ApplicationForm, Criterion, CriterionAnswer } from '@pingan/core';
import { APPLICATION_STATUSES, figuresMet, isEditable, validateFigure } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { applications } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import { sqlState } from '../../http/failures.js';
import { assertApplicationVisible, requireRole, type CurrentUser } from '../../access/scope.js';
import type { Keys } from '../../crypto/keys.js';
import { formWithoutPhone, sealPhone } from './personalData.js';
import { standardVersion, type StandardVersion } from './standardCache.js';

/**
 * 保存草稿, the applicant's hot path, in one statement: the UPDATE of the application carries the
 * account's scope, the revision, the editable status, the standard version the answers were checked
 * against and the system's figures they were merged with; the answers are written by the same
 * statement (one multi-row upsert), only when that UPDATE found its row. Only when nothing came back
 * is the application read, to tell why (404, 409 WRONG_STATUS, 409 CONFLICT) with the same answers
 * as before, or to learn what the guess was missing and try again.
 *
 * What is guessed, per application: its standard version (fixed at creation) and the figures the
 * system filled (remembered from the last save; a fill bumps the revision, so a client that has
 * seen the fill sends a revision the guess does not match and the statement refuses the guess).
 * A guess is only ever a condition of the statement, never trusted.
 */

export interface DraftInput {
  revision: number;
  form: ApplicationForm;
  answers: CriterionAnswer[];
}

type Figures = NonNullable<CriterionAnswer['figures']>;
/** The figures the system filled (those with a source), by criterion and measure. */
type SystemFigures = Record<string, Figures>;

/** What a save is checked against: the standard version and the system's figures. */
interface Basis {
  versionId: number;
  system: SystemFigures;
  /** the same as JSON, the statement's condition */
  systemJson: string;
}

/** A figure the system filled has a source; the same rule as keepSystemFigures' `old?.source`. */
const SYSTEM_FIGURES = `(
  select coalesce(jsonb_object_agg(s.criterion_id, s.figures), '{}'::jsonb)
  from (
    select x.criterion_id,
      (select jsonb_object_agg(e.key, e.value)
       from jsonb_each(case when jsonb_typeof(x.figures) = 'object' then x.figures else '{}'::jsonb end) e
       where jsonb_typeof(e.value -> 'source') = 'object') as figures
    from answers x
    where x.application_id = applications.id
  ) s
  where s.figures is not null
)`;

/** core isEditable, as SQL: the statuses are constants of the core, not input */
const EDITABLE_SQL = APPLICATION_STATUSES.filter(isEditable)
  .map((s) => `'${s}'`)
  .join(', ');

const p = (name: string) => sql.placeholder(name);

/**
 * The save. The applicant's scope is its subject (applicationScopeSql / applicationInScope for the
 * role 'applicant': a null subject sees nothing, and `subject_id = null` matches nothing).
 */
const SAVE = sql`
with upd as (
  update applications
  set form = ${p('form')}::text::jsonb, contact_phone = ${p('phone')}::text, revision = revision + 1,
    updated_at = ${p('now')}::timestamptz
  where id = ${p('id')}::int and subject_id = ${p('subjectId')}::int and revision = ${p('revision')}::int
    and standard_version_id = ${p('versionId')}::int and status in (${sql.raw(EDITABLE_SQL)})
    and ${sql.raw(SYSTEM_FIGURES)} = ${p('system')}::text::jsonb
  returning id, revision
), saved as (
  insert into answers (application_id, criterion_id, statement, figures, figures_met)
  select upd.id, a.criterion_id, a.statement, a.figures, a.figures_met
  from upd
  cross join jsonb_to_recordset(${p('answers')}::text::jsonb) as a(criterion_id text, statement text, figures jsonb, figures_met boolean)
  on conflict (application_id, criterion_id) do update
  set statement = excluded.statement, figures = excluded.figures, figures_met = excluded.figures_met
  returning 1
)
select upd.revision, (select count(*) from saved)::int as answers from upd`;

const dialect = new PgDialect();
const SAVE_QUERY = dialect.sqlToQuery(SAVE);

type SaveQuery = { execute(values: Record<string, unknown>): Promise<unknown> };
const saveQueries = new WeakMap<Db, SaveQuery>();
/** The save as a prepared statement (named on PostgreSQL, parsed once a connection; PGlite ignores the name). */
function saveQuery(db: Db): SaveQuery {
  let q = saveQueries.get(db);
  if (!q) saveQueries.set(db, (q = db._.session.prepareQuery(SAVE_QUERY, undefined, 'draft_save', false)));
  return q;
}

type InspectQuery = ReturnType<typeof buildInspect>;
const inspectQueries = new WeakMap<Db, InspectQuery>();
function buildInspect(db: Db) {
  return db
    .select({
      id: applications.id,
      status: applications.status,
      subjectId: applications.subjectId,
      regionPath: applications.regionPath,
      categoryCode: applications.categoryCode,
      supervisingDept: applications.supervisingDept,
      revision: applications.revision,
      versionId: applications.standardVersionId,
      system: sql<SystemFigures>`${sql.raw(SYSTEM_FIGURES)}`,
    })
    .from(applications)
    .where(eq(applications.id, sql.placeholder('id')))
    .prepare('draft_inspect');
}

/**
 * Reads the application, as loadVisibleApplication would: 404 outside the account's scope, 409
 * WRONG_STATUS once submitted. Returns its revision and what a save is checked against.
 */
async function inspect(db: Db, user: CurrentUser, id: number): Promise<Basis & { revision: number }> {
  let q = inspectQueries.get(db);
  if (!q) inspectQueries.set(db, (q = buildInspect(db)));
  const [row] = await q.execute({ id });
  if (!row) throw notFound('申报');
  assertApplicationVisible(user, row);
  if (!isEditable(row.status)) throw new AppError('WRONG_STATUS', '申报已提交，不能再修改');
  const system = row.system ?? {};
  return { revision: row.revision, versionId: row.versionId, system, systemJson: JSON.stringify(system) };
}

/** The last basis a save of an application went through with, a database (bounded: oldest out). */
const MAX_BASES = 2000;
const bases = new WeakMap<Db, Map<number, Basis>>();
function basesOf(db: Db): Map<number, Basis> {
  let m = bases.get(db);
  if (!m) bases.set(db, (m = new Map()));
  return m;
}

interface AnswerRow {
  criterion_id: string;
  statement: string | null;
  figures: Figures;
  figures_met: boolean | null;
}

/**
 * The rows to write, checked against the standard: an unknown criterion or measure, or a figure
 * outside its bounds, refuses the whole save. The system's figures stay (keepSystemFigures); a
 * criterion sent twice is written once, as last sent.
 */
function answerRows(std: StandardVersion, sent: CriterionAnswer[], system: SystemFigures): AnswerRow[] {
  for (const a of sent) {
    const c = std.criteria.get(a.criterionId);
    if (!c) throw new AppError('VALIDATION', `标准中没有第${a.criterionId}项`);
    for (const [mid, fig] of Object.entries(a.figures ?? {})) {
      const m = c.measures.find((x) => x.id === mid);
      if (!m) throw new AppError('VALIDATION', `第${c.id}项没有指标「${mid}」`);
      // a share outside 0–100 %, a negative count, a part larger than its whole: refused, not stored
      const problem = fig ? validateFigure(m, fig) : null;
      if (problem) throw new AppError('VALIDATION', `第${c.id}项${problem}`);
    }
  }
  // one row a criterion: a multi-row upsert may not touch the same row twice
  const rows = new Map<string, AnswerRow>();
  for (const a of sent) {
    const c = std.criteria.get(a.criterionId)!;
    const figures = keepSystemFigures(
      c,
      Object.fromEntries(Object.entries(a.figures ?? {}).filter(([, v]) => v && Number.isFinite(v.value))),
      system[a.criterionId],
    );
    rows.delete(a.criterionId);
    rows.set(a.criterionId, {
      criterion_id: a.criterionId,
      statement: a.statement ?? null,
      figures,
      figures_met: figuresMet(c, { criterionId: a.criterionId, figures }),
    });
  }
  return [...rows.values()];
}

/** How often a save is tried when the guessed basis turns out wrong (then 409 CONFLICT). */
const ATTEMPTS = 3;

/**
 * Saves the applicant's draft: the form and the self-assessment. Refuses a stale revision so that
 * two tabs cannot silently overwrite each other; unknown criteria or figures are refused whole.
 * Errors come in the order they always did: 403 (not an applicant), 404 (not its own), 409
 * WRONG_STATUS (submitted), 400 VALIDATION, 409 CONFLICT (stale revision).
 */
export async function saveDraft(db: Db, user: CurrentUser, id: number, input: DraftInput, keys: Keys | null) {
  requireRole(user, 'applicant');
  const known = basesOf(db);
  const values = {
    id,
    subjectId: user.scope.subjectId,
    revision: input.revision,
    // the phone leaves the JSON for its own column, encrypted
    form: JSON.stringify(formWithoutPhone(input.form)),
    phone: sealPhone(keys, input.form.contactPhone),
    now: new Date().toISOString(),
  };
  let basis = known.get(id);
  let read: (Basis & { revision: number }) | null = null;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (!basis) basis = read = await inspect(db, user, id);
    let rows: AnswerRow[];
    try {
      rows = answerRows(await standardVersion(db, basis.versionId), input.answers, basis.system);
    } catch (e) {
      if (read) throw e;
      // a guessed basis: 404 and WRONG_STATUS come before a validation error, and the answers are
      // checked against the application's own version
      read = await inspect(db, user, id);
      if (read.versionId === basis.versionId) throw e;
      basis = read;
      continue;
    }
    if (read && read.revision !== input.revision) throw new AppError('CONFLICT');
    let saved: { revision: number } | undefined;
    try {
      const result = (await saveQuery(db).execute({
        ...values,
        versionId: basis.versionId,
        system: basis.systemJson,
        answers: JSON.stringify(rows),
      })) as { rows: { revision: number }[] };
      saved = result.rows[0];
    } catch (e) {
      // a concurrent writer of the same rows (the system filling a figure): the loser is told to reload
      if (sqlState(e) === '40P01') throw new AppError('CONFLICT');
      throw e;
    }
    if (saved) {
      known.delete(id);
      known.set(id, { versionId: basis.versionId, system: basis.system, systemJson: basis.systemJson });
      if (known.size > MAX_BASES) known.delete(known.keys().next().value!);
      return { revision: saved.revision };
    }
    // nothing saved: find out why (404, WRONG_STATUS, CONFLICT) or what the guess was missing
    known.delete(id);
    basis = undefined;
    read = null;
  }
  throw new AppError('CONFLICT');
}

/**
 * A figure the system filled (with a source: a survey's result, a region indicator) cannot be typed
 * over by the applicant, and a measure bound to a region indicator is never typed at all: the
 * stored one is kept, or none. Everything else is the applicant's.
 */
export function keepSystemFigures(c: Criterion, sent: Figures, stored: CriterionAnswer['figures'] | undefined): Figures {
  const out = { ...sent };
  for (const m of c.measures) {
    const old = stored?.[m.id];
    if (old?.source) out[m.id] = old;
    else if (m.indicator) delete out[m.id];
  }
  return out;
}
