import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import * as contract from '@pingan/contract';
import type { RouteContract } from '@pingan/contract';
import { ROLES } from '@pingan/core';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../src/demo/accounts.js';
import { DB_KINDS, PDF_BYTES, getTestServer, type TestServer } from './helpers.js';
import {
  ACTORS,
  AUTHZ_MATRIX,
  MATRIX_ACCOUNTS,
  allowedActors,
  bodyFor,
  multipartBody,
  queryString,
  uploadBody,
  type Actor,
  type Refs,
  type Rule,
} from './authz-matrix.js';

/**
 * The authorisation matrix: every route of the contract × every role (one demo account each) and
 * anonymous. A role the matrix does not allow gets 401, 403 or 404, never a 2xx and never a 5xx; a
 * role it allows never gets 401 or 403 to a well-formed request (and a 2xx where the matrix says
 * the request is a complete one). A route missing from the matrix fails the build.
 */

const ROUTES: RouteContract[] = Object.entries(contract)
  .filter(([name, v]) => name.endsWith('Api') && v && typeof v === 'object')
  .flatMap(([, v]) => Object.values(v as Record<string, RouteContract>))
  .filter((r) => r && typeof r === 'object' && typeof r.path === 'string' && typeof r.method === 'string');

/** AUTHZ_PROBE=1 prints every answer, route by route: how the matrix was drawn up */
const PROBE = process.env.AUTHZ_PROBE === '1';

/**
 * Routes that change what later checks rely on (sessions, a campaign's status, an expert's
 * assignment) run after all others, in this order.
 */
const LAST = [
  'deleteEvidence',
  'withdrawAssignment',
  'withdrawNotice',
  'conferNotice',
  'withdrawCampaign',
  'revokeOtherSessions',
  'logout',
];
const order = (r: RouteContract) => (LAST.includes(r.id) ? 100 + LAST.indexOf(r.id) : r.method === 'GET' ? 0 : 1);

describe.each(DB_KINDS)('authorisation matrix on %s', (kind) => {
  let s: TestServer;
  /** ids by kind of object, for each demo account used */
  const idsOf = new Map<string, Record<string, number | string | undefined>>();
  let common: Record<string, number | string | undefined> = {};
  let selfCampaign: number | undefined;
  let ownDraft = { id: 0, file: 0 };

  const q = async <T>(text: string): Promise<T[]> => ((await s.database.db.execute(sql.raw(text))) as unknown as { rows: T[] }).rows;
  const first = async (text: string): Promise<number | undefined> => {
    const [r] = await q<{ id: number }>(text);
    return r ? Number(r.id) : undefined;
  };
  const as = async (
    username: string | null,
    method: RouteContract['method'],
    url: string,
    extra: { payload?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { ...(extra.headers ?? {}) };
    if (username) headers.cookie = await s.login(username);
    const res = await s.app.inject({ method, url, headers, payload: extra.payload as never });
    let body: any = null;
    try {
      body = res.json();
    } catch {
      /* a file */
    }
    return { status: res.statusCode, body };
  };

  /** What an account can see and owns: the ids its requests are built with. */
  async function idsFor(username: string): Promise<Record<string, number | string | undefined>> {
    const hit = idsOf.get(username);
    if (hit) return hit;
    const mine: Record<string, number | string | undefined> = { ...common };
    const [u] = await q<{ id: number; org_id: number | null; role: string }>(
      `select id, org_id, role from users where username = '${username}'`,
    );
    const list = await as(username, 'GET', '/api/applications?limit=500');
    const apps: { id: number }[] = list.status === 200 ? list.body.items : [];
    if (u!.role === 'applicant' && username === MATRIX_ACCOUNTS.applicant) {
      mine.application = ownDraft.id;
      mine.file = ownDraft.file;
    } else if (apps.length) {
      // an office acts on applications of its own campaigns: the first such one in its list, if any
      const ownCampaign =
        u!.role === 'safety_office' && u!.org_id
          ? await q<{ id: number }>(
              `select a.id from applications a join campaigns c on c.id = a.campaign_id where c.org_id = ${u!.org_id} and a.id in (${apps.map((a) => a.id).join(',')})`,
            )
          : [];
      const owned = new Set(ownCampaign.map((r) => r.id));
      mine.application = (apps.find((a) => owned.has(a.id)) ?? apps[0]!).id;
      mine.file =
        (await first(`select id from evidence_files where application_id in (${apps.map((a) => a.id).join(',')}) order by id limit 1`)) ??
        common.file;
    }
    const camps = await as(username, 'GET', '/api/campaigns');
    if (camps.status === 200 && Array.isArray(camps.body) && camps.body.length)
      mine.campaign = camps.body.find((c: { id: number }) => c.id === selfCampaign)?.id ?? camps.body[0].id;
    mine.notification = (await first(`select id from notifications where user_id = ${u!.id} order by id limit 1`)) ?? common.notification;
    if (u!.org_id) {
      mine.signoff = (await first(`select id from signoffs where org_id = ${u!.org_id} order by id limit 1`)) ?? common.signoff;
      // a notice of a campaign this account's office runs, else one in its region
      mine.notice =
        (await first(
          `select n.id from public_notices n join campaigns c on c.id = n.campaign_id join organisations o on o.region_id = c.region_id
           where o.id = ${u!.org_id} and n.status = 'active' order by n.ends_on desc, n.id desc limit 1`,
        )) ?? common.notice;
    }
    const titles = await as(username, 'GET', '/api/titles');
    if (titles.status === 200 && Array.isArray(titles.body?.items) && titles.body.items.length) mine.title = titles.body.items[0].id;
    idsOf.set(username, mine);
    return mine;
  }

  beforeAll(async () => {
    s = await getTestServer(kind);
    const missing = ROLES.filter((r) => !DEMO_ACCOUNTS.some((a) => a.username === MATRIX_ACCOUNTS[r] && a.role === r));
    if (missing.length)
      throw new Error(
        `the authorisation matrix needs one demo account per role; missing from src/demo/accounts.ts: ${missing.map((r) => `${r} (${MATRIX_ACCOUNTS[r]})`).join(', ')}`,
      );

    // what the demo world lacks for some routes: the applicant's own draft with a file, an inspection sample, a rating job
    selfCampaign = await first(
      `select c.id from campaigns c join campaign_categories cc on cc.campaign_id = c.id and cc.category_code = 'campus' join regions r on r.id = c.region_id and r.level = 'city'
       where c.status = 'active' and (c.chain is null or c.chain->'rules'->>'entry' is distinct from 'recommendation') order by c.id limit 1`,
    );
    const applicant = MATRIX_ACCOUNTS.applicant;
    const draft = await as(applicant, 'POST', '/api/applications', { payload: { campaignId: selfCampaign, categoryCode: 'campus' } });
    expect(draft.status, JSON.stringify(draft.body)).toBe(201);
    const mp = multipartBody([{ name: 'file', value: PDF_BYTES, fileName: '台账.pdf', contentType: 'application/pdf' }]);
    const up = await as(applicant, 'POST', `/api/applications/${draft.body.id}/files`, mp);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    ownDraft = { id: draft.body.id, file: up.body.id };
    const year = new Date().getFullYear();
    const sample = await as(MATRIX_ACCOUNTS.safety_office, 'POST', '/api/inspections/samples', {
      payload: { year, quarter: 1, mode: 'announced', size: 2 },
    });
    const job = await as(MATRIX_ACCOUNTS.safety_office, 'POST', `/api/campaigns/${selfCampaign}/rate`);
    // a finished certificate batch of the office's campaign, for its status and its two files
    const batch = await as(MATRIX_ACCOUNTS.safety_office, 'POST', `/api/campaigns/${selfCampaign}/certificate-batches`, {
      payload: { layout: 'a4' },
    });
    expect(batch.status, JSON.stringify(batch.body)).toBe(202);
    for (
      let i = 0;
      i < 600 && (await as(MATRIX_ACCOUNTS.safety_office, 'GET', `/api/certificate-batches/${batch.body.id}`)).body?.status === 'running';
      i++
    )
      await new Promise((r) => setTimeout(r, 50));

    common = {
      campaign: selfCampaign,
      recCampaign: await first(
        `select c.id from campaigns c join regions r on r.id = c.region_id and r.level = 'city' where c.chain->'rules'->>'entry' = 'recommendation' order by c.id limit 1`,
      ),
      sample: sample.body?.id,
      item: await first(`select id from inspection_items order by id limit 1`),
      job: job.body?.jobId ?? job.body?.id,
      batch: batch.body?.id,
      standard: await first(`select standard_id as id from standard_versions order by standard_id limit 1`),
      version: await first(`select id from standard_versions order by id limit 1`),
      notice: await first(`select id from public_notices where status = 'active' order by id desc limit 1`),
      // public addresses are random codes, never ids
      publicNotice: (
        await q<{ code: string }>(
          `select public_code as code from public_notices where status = 'active' and starts_on <= current_date order by id limit 1`,
        )
      )[0]?.code,
      noticeItemCode: (
        await q<{ code: string }>(
          `select i.public_code as code from notice_items i join public_notices n on n.id = i.notice_id
           where n.status = 'active' and n.starts_on <= current_date and n.ends_on >= current_date and i.removed_at is null order by n.id, i.application_id limit 1`,
        )
      )[0]?.code,
      // the demo's dismissed objection (a closed one: deciding it again changes nothing)
      objection: await first(`select id from objections where status = 'dismissed' order by id limit 1`),
      receipt: (await q<{ code: string }>(`select public_code as code from objections order by id limit 1`))[0]?.code,
      objectionFile: await first(`select id from objection_files order by id limit 1`),
      noticeApp: await first(`select application_id as id from notice_items where removed_at is null order by notice_id desc limit 1`),
      title: await first(`select id from titles order by id limit 1`),
      certificate: (await q<{ no: string }>(`select certificate_no as no from titles order by id limit 1`))[0]?.no,
      signoff: await first(`select id from signoffs order by id limit 1`),
      expertUser: await first(`select user_id as id from expert_profiles order by user_id limit 1`),
      assignment: await first(`select id from expert_assignments where status = 'open' order by id limit 1`),
      onsiteApp: await first(`select application_id as id from expert_assignments where status = 'open' order by id limit 1`),
      photo: await first(`select id from onsite_photos order by id limit 1`),
      rectification: await first(`select id from rectifications order by id limit 1`),
      notification: await first(`select id from notifications order by id limit 1`),
      incident: await first(`select id from incidents order by id limit 1`),
      vote: await first(`select id from votes order by id limit 1`),
      publicVote: (await q<{ code: string }>(`select public_code as code from votes order by id limit 1`))[0]?.code,
      survey: await first(`select id from surveys where status = 'open' order by id limit 1`),
      publicSurvey: (await q<{ code: string }>(`select public_code as code from surveys where status = 'open' order by id limit 1`))[0]
        ?.code,
      incidentFile: await first(`select id from incident_files order by id limit 1`),
      // 报备: the demo's first filing (青山区's accepted plan) and its requirement (src/demo/filings.ts)
      filing: await first(`select id from filings order by id limit 1`),
      filingRequirement: await first(`select requirement_id as id from filings order by id limit 1`),
      // an account no check logs in with, for the administrator's changes
      adminUser: await first(`select id from users where username = 'school_bs'`),
      org: await first(`select id from organisations order by id limit 1`),
      recommendedApp: await first(`select id from applications where recommended_by_org_id is not null order by id limit 1`),
      campusVersion: await first(
        `select standard_version_id as id from campaign_categories where campaign_id = ${selfCampaign} and category_code = 'campus'`,
      ),
      revisionNo: 1,
      versionA: 1,
      versionB: 1,
      file: ownDraft.file,
      application: ownDraft.id,
    };
  });
  afterAll(() => s?.close());

  /** The demo account an actor is checked with on a route. */
  const accountOf = (rule: Rule, actor: Actor): string | null =>
    actor === 'anonymous' ? null : (rule.accounts?.[actor] ?? MATRIX_ACCOUNTS[actor]);

  /** Builds a request for a route: path ids, query and body from the contract, with the ids the account can see. */
  async function request(r: RouteContract, username: string | null, refAccount: string | null) {
    // an actor without a session, or one the route is not for, is sent what an allowed account would send
    const mine = await idsFor(username ?? refAccount ?? MATRIX_ACCOUNTS.safety_office);
    const kindOf = (param: string, prev: string): string => {
      if (param === 'no') return r.path.startsWith('/api/public/titles/') ? 'certificate' : 'revisionNo';
      if (param === 'a') return 'versionA';
      if (param === 'b') return 'versionB';
      if (param === 'applicationId')
        return prev === 'items'
          ? 'noticeApp'
          : prev === 'recommendations'
            ? 'recommendedApp'
            : prev === 'onsite'
              ? 'onsiteApp'
              : 'application';
      if (prev === 'campaigns' && /\/(recommendations|nominations)/.test(r.path)) return 'recCampaign';
      const byPrev: Record<string, string> = {
        applications: 'application',
        files: 'file',
        campaigns: 'campaign',
        notices: r.path.startsWith('/api/public/') ? 'publicNotice' : 'notice',
        signoffs: 'signoff',
        experts: 'expertUser',
        assignments: 'assignment',
        photos: 'photo',
        'onsite-photos': 'photo',
        rectifications: 'rectification',
        samples: 'sample',
        items: 'item',
        notifications: 'notification',
        jobs: 'job',
        'certificate-batches': 'batch',
        standards: 'standard',
        'standard-versions': 'version',
        titles: 'title',
        users: 'adminUser',
        orgs: 'org',
        incidents: 'incident',
        votes: r.path.startsWith('/api/public/') ? 'publicVote' : 'vote',
        surveys: r.path.startsWith('/api/public/') ? 'publicSurvey' : 'survey',
        'incident-files': 'incidentFile',
        candidates: 'noticeItemCode',
        objections: r.path.startsWith('/api/public/') ? 'receipt' : 'objection',
        'objection-files': 'objectionFile',
        filings: 'filing',
        'filing-requirements': 'filingRequirement',
      };
      const k = byPrev[prev];
      if (!k) throw new Error(`${r.id}: no demo id for :${param} after /${prev}/ (teach authz-matrix.test.ts)`);
      return k;
    };
    const segs = r.path.split('/');
    let url = '';
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i]!;
      if (!seg.startsWith(':')) {
        url += (i ? '/' : '') + seg;
        continue;
      }
      const k = kindOf(seg.slice(1), segs[i - 1]!);
      url += `/${encodeURIComponent(String(mine[k] ?? 2147483646))}`;
    }
    const refs: Refs = {
      campaignId: mine.campaign as number,
      applicationId: mine.application as number,
      standardVersionId: common.campusVersion as number,
      expertId: common.expertUser as number,
      userId: common.adminUser as number,
      categoryCode: 'campus',
    };
    url += queryString(r.query, refs);
    if (r.multipart) return { url, ...uploadBody(r.id) };
    const year = new Date().getFullYear();
    let payload = bodyFor(r.body, refs);
    switch (r.id) {
      case 'changePassword':
        payload = { currentPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD };
        break;
      case 'login':
        // anonymous: a caller without a session, with an applicant's name and password
        payload = { username: username ?? MATRIX_ACCOUNTS.applicant, password: DEMO_PASSWORD };
        break;
      case 'castBallot':
        // a well-formed ballot: no code was ever sent to this number, so the handler refuses it
        payload = { phone: '13900000000', smsCode: '000000', choices: ['00000000'] };
        break;
      case 'confirmTotp':
        payload = { code: '000000' };
        break;
      case 'putSecurityPolicy':
        // the policy as it is: saving it changes nothing the other checks rely on
        payload = (await as(MATRIX_ACCOUNTS.security_admin, 'GET', '/api/admin/policy')).body.policy;
        break;
      case 'createCampaign':
        payload = {
          name: '权限矩阵测试活动',
          year,
          applyDeadline: `${year}-12-20`,
          reviewDeadline: `${year}-12-31`,
          categories: [{ standardVersionId: common.campusVersion }],
        };
        break;
      case 'updateCampaign':
        payload = { minNoticeDays: 5 };
        break;
    }
    return { url, payload };
  }

  it('every route of the contract is in the matrix, and the matrix names no route that is gone', () => {
    const known = new Set(ROUTES.map((r) => r.id));
    const missing = ROUTES.filter((r) => !(r.id in AUTHZ_MATRIX)).map(
      (r) => `route ${r.id} (${r.method} ${r.path}) is not in the authorisation matrix (apps/server/test/authz-matrix.ts)`,
    );
    expect(missing).toEqual([]);
    expect(Object.keys(AUTHZ_MATRIX).filter((id) => !known.has(id))).toEqual([]);
    for (const r of ROUTES)
      expect(AUTHZ_MATRIX[r.id]!.allow === 'public', `${r.id}: the matrix and the contract disagree on public`).toBe(r.auth === 'public');
  });

  it('denies every role the matrix does not allow and lets through every role it allows', async () => {
    const failures: string[] = [];
    const probe: string[] = [];
    let allowed = 0;
    let denied = 0;
    let complete = 0;
    let deniedOtherwise = 0;
    for (const r of [...ROUTES].sort((a, b) => order(a) - order(b))) {
      const rule = AUTHZ_MATRIX[r.id];
      if (!rule) continue;
      const ok = new Set(allowedActors(rule));
      const refAccount = rule.allow === 'public' ? null : accountOf(rule, rule.allow[0]!);
      // denied actors first: they must change nothing the allowed ones then use
      const actors = [...ACTORS].sort((a, b) => Number(ok.has(a)) - Number(ok.has(b)));
      const row: string[] = [];
      // the allowed are sent their own ids; the denied what the first allowed account would send, and their own
      const attempts = actors.flatMap((actor) => {
        const username = accountOf(rule, actor);
        if (ok.has(actor) || !username) return [{ actor, username, own: ok.has(actor) }];
        return [
          { actor, username, own: false },
          { actor, username, own: true },
        ];
      });
      for (const { actor, username, own } of attempts) {
        const req = await request(r, own ? username : null, own ? null : refAccount);
        if (r.body && !r.multipart && !r.body.safeParse(req.payload).success) {
          failures.push(
            `${r.id}: the test could not build a well-formed body: ${JSON.stringify(r.body.safeParse(req.payload).error?.issues.slice(0, 3))}`,
          );
          break;
        }
        let cookie = username ? await s.login(username) : undefined;
        // logging in with a session cookie ends that session: login goes without one, logout with a session of its own
        if (r.id === 'login') cookie = undefined;
        if (r.id === 'logout' && username) {
          const res = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
          cookie = `pingan_sid=${res.cookies.find((c) => c.name === 'pingan_sid')!.value}`;
        }
        const headers: Record<string, string> = { ...('headers' in req ? (req.headers as Record<string, string>) : {}) };
        if (cookie) headers.cookie = cookie;
        const res = await s.app.inject({ method: r.method, url: req.url, headers, payload: req.payload as never });
        const st = res.statusCode;
        row.push(`${actor}${own || ok.has(actor) ? '' : '(ref)'}=${st}`);
        const what = `${r.id} ${r.method} ${req.url} as ${actor} (${username ?? 'no session'}${own ? '' : ', with ids an allowed account sees'}): ${st} ${res.body.slice(0, 160)}`;
        if (st >= 500) failures.push(`5xx: ${what}`);
        if (ok.has(actor)) {
          allowed++;
          const refusable = rule.check === 'refusable' || (actor !== 'anonymous' && rule.refusableFor?.roles.includes(actor));
          if (st === 401 || st === 403) failures.push(`allowed but refused: ${what}`);
          else if (!refusable && (st < 200 || st >= 300)) failures.push(`allowed, a complete request, but not 2xx: ${what}`);
          else if (st >= 200 && st < 300) complete++;
        } else {
          denied++;
          if (![401, 403, 404].includes(st)) {
            deniedOtherwise++;
            failures.push(`not allowed but answered ${st}: ${what}`);
          }
        }
      }
      if (PROBE) probe.push(`${r.id.padEnd(28)} ${row.join(' ')}`);
    }
    if (PROBE) console.log(probe.join('\n'));
    const routesRefusable = Object.values(AUTHZ_MATRIX).filter((x) => x.check === 'refusable').length;
    console.log(
      `authorisation matrix on ${kind}: ${ROUTES.length} routes × ${ACTORS.length} actors (${ROLES.length} roles and anonymous) = ${ROUTES.length * ACTORS.length} route-role pairs, ${allowed + denied} requests; ` +
        `${allowed} allowed (${complete} answered 2xx), ${denied} denied (a denied role is tried with an allowed account's ids and with its own; ${deniedOtherwise} answered other than 401, 403 or 404); ` +
        `${routesRefusable} routes, and ${Object.values(AUTHZ_MATRIX).filter((x) => x.refusableFor).length} more for some roles, checked with a well-formed request the handler may refuse on its merits`,
    );
    expect(failures).toEqual([]);
  });
});
