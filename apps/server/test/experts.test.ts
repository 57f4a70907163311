import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { PRESET_000, allCriteria, type StandardDoc } from '@pingan/core';
import {
  applications,
  campaignCategories,
  campaigns,
  expertAssignments,
  notifications,
  onsitePhotos,
  organisations,
  regions,
  reviewScores,
  reviews,
  standardVersions,
  standards,
  subjects,
  users,
} from '../src/db/schema.js';
import { readExif } from '../src/modules/experts/exif.js';
import { DB_KINDS, PDF_BYTES, call, getTestServer, type TestServer } from './helpers.js';

/** A JPEG whose APP1 carries EXIF DateTimeOriginal and GPS (28°12'30"N, 112°58'45"E), built by hand. */
function exifJpeg(dateTime = '2026:05:12 09:30:15'): Buffer {
  const t = Buffer.alloc(178);
  t.write('II', 0, 'latin1');
  t.writeUInt16LE(42, 2);
  t.writeUInt32LE(8, 4);
  const entry = (at: number, tag: number, type: number, count: number, value: number | string) => {
    t.writeUInt16LE(tag, at);
    t.writeUInt16LE(type, at + 2);
    t.writeUInt32LE(count, at + 4);
    if (typeof value === 'string') t.write(value, at + 8, 'latin1');
    else t.writeUInt32LE(value, at + 8);
  };
  // IFD0 at 8: ExifIFD pointer and GPS pointer
  t.writeUInt16LE(2, 8);
  entry(10, 0x8769, 4, 1, 38);
  entry(22, 0x8825, 4, 1, 76);
  // Exif IFD at 38: DateTimeOriginal (ASCII, 20 bytes at 56)
  t.writeUInt16LE(1, 38);
  entry(40, 0x9003, 2, 20, 56);
  t.write(`${dateTime}\0`, 56, 'latin1');
  // GPS IFD at 76: N, latitude at 130, E, longitude at 154
  t.writeUInt16LE(4, 76);
  entry(78, 1, 2, 2, 'N\0');
  entry(90, 2, 5, 3, 130);
  entry(102, 3, 2, 2, 'E\0');
  entry(114, 4, 5, 3, 154);
  const rationals = (at: number, parts: [number, number][]) =>
    parts.forEach(([n, d], i) => {
      t.writeUInt32LE(n, at + i * 8);
      t.writeUInt32LE(d, at + i * 8 + 4);
    });
  rationals(130, [
    [28, 1],
    [12, 1],
    [30, 1],
  ]);
  rationals(154, [
    [112, 1],
    [58, 1],
    [4500, 100],
  ]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), t]);
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, payload, Buffer.from([0xff, 0xd9])]);
}

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4e30000000049454e44ae426082',
  'hex',
);

function form(fields: Record<string, string>, file?: { name: string; type: string; data: Buffer }) {
  const boundary = `----pingan${randomBytes(6).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
    );
    parts.push(file.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('exif reader', () => {
  it('reads DateTimeOriginal (as UTC+8) and the GPS position, and gives nulls for anything else', () => {
    const e = readExif(exifJpeg());
    expect(e.takenAt?.toISOString()).toBe('2026-05-12T01:30:15.000Z');
    expect(e.latitude).toBeCloseTo(28.208333, 5);
    expect(e.longitude).toBeCloseTo(112.979167, 5);
    expect(readExif(PNG)).toEqual({ takenAt: null, latitude: null, longitude: null });
    expect(readExif(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]))).toEqual({ takenAt: null, latitude: null, longitude: null });
  });
});

describe.each(DB_KINDS)('experts and on-site checks on %s', (kind) => {
  let s: TestServer;
  const ids = {} as {
    city: number;
    chengnan: number;
    cityOffice: number;
    zhou: number;
    a: number;
    b: number;
    c: number;
    campaign: number;
    nanmenSubject: number;
    nanmen: number;
    others: number[];
    doc: StandardDoc;
  };
  const db = () => s.database.db;
  const upload = async (user: string, url: string, f: ReturnType<typeof form>) => {
    const res = await s.app.inject({ method: 'POST', url, headers: { ...f.headers, cookie: await s.login(user) }, payload: f.payload });
    return { status: res.statusCode, body: res.json() };
  };

  beforeAll(async () => {
    s = await getTestServer(kind);
    const [city] = await db().select().from(regions).where(eq(regions.level, 'city'));
    const [chengnan] = await db().select().from(regions).where(eq(regions.name, '城南街道'));
    const [office] = await db()
      .select()
      .from(organisations)
      .where(and(eq(organisations.regionId, city!.id), eq(organisations.kind, 'safety_office')));
    const [zhou] = await db().select().from(users).where(eq(users.username, 'expert_zhou'));
    const extra = await db()
      .insert(users)
      .values(
        ['a', 'b', 'c'].map((k) => ({
          username: `expert_${k}`,
          passwordHash: zhou!.passwordHash,
          displayName: `专家${k.toUpperCase()}`,
          role: 'expert' as const,
          orgId: office!.id,
        })),
      )
      .returning();
    const [version] = await db()
      .select({ id: standardVersions.id, doc: standardVersions.doc })
      .from(standardVersions)
      .innerJoin(standards, eq(standards.id, standardVersions.standardId))
      .where(eq(standards.code, 'datuopu-2020-campus'));
    const year = new Date().getFullYear();
    const [campaign] = await db()
      .insert(campaigns)
      .values({
        regionId: city!.id,
        orgId: office!.id,
        year,
        name: `${year}年星级评定（现场核查测试）`,
        applyDeadline: `${year + 1}-01-31`,
        reviewDeadline: `${year + 1}-02-28`,
        chain: PRESET_000,
      })
      .returning();
    await db().insert(campaignCategories).values({ campaignId: campaign!.id, categoryCode: 'campus', standardVersionId: version!.id });
    // the school applies through the API, then the application is put at the onsite step
    const created = await call(s, 'school_nm', 'POST', '/api/applications', { campaignId: campaign!.id, categoryCode: 'campus' });
    expect(created.status).toBe(201);
    const nanmen = created.body.id as number;
    await db().update(applications).set({ status: 'preliminary_passed', step: 'onsite' }).where(eq(applications.id, nanmen));
    const [nm] = await db().select().from(applications).where(eq(applications.id, nanmen));
    // five more schools at the onsite step, for automatic assignment
    const [nmSubject] = await db().select().from(subjects).where(eq(subjects.id, nm!.subjectId));
    const schools = await db()
      .select({ s: subjects, path: regions.path })
      .from(subjects)
      .innerJoin(regions, eq(regions.id, subjects.regionId))
      .where(eq(subjects.unitType, nmSubject!.unitType!))
      .orderBy(subjects.id);
    const others = schools.filter((x) => x.s.id !== nm!.subjectId).slice(0, 5);
    const rows = await db()
      .insert(applications)
      .values(
        others.map((o) => ({
          campaignId: campaign!.id,
          categoryCode: 'campus',
          standardVersionId: version!.id,
          subjectId: o.s.id,
          regionId: o.s.regionId,
          regionPath: o.path,
          status: 'preliminary_passed' as const,
          step: 'onsite',
        })),
      )
      .returning({ id: applications.id });
    Object.assign(ids, {
      city: city!.id,
      chengnan: chengnan!.id,
      cityOffice: office!.id,
      zhou: zhou!.id,
      a: extra[0]!.id,
      b: extra[1]!.id,
      c: extra[2]!.id,
      campaign: campaign!.id,
      nanmenSubject: nm!.subjectId,
      nanmen,
      others: rows.map((r) => r.id),
      doc: version!.doc,
    });
  });
  afterAll(() => s?.close());

  it('lets the office keep its pool and refuses others', async () => {
    const pool = await call(s, 'city_office', 'GET', '/api/experts');
    expect(pool.status).toBe(200);
    expect(pool.body.items.map((e: { username: string }) => e.username)).toEqual(
      expect.arrayContaining(['expert_zhou', 'expert_a', 'expert_b', 'expert_c']),
    );
    const put = await call(s, 'city_office', 'PUT', `/api/experts/${ids.zhou}`, {
      domains: ['campus'],
      employerSubjectId: ids.nanmenSubject,
      homeRegionId: ids.chengnan,
      relatedSubjectIds: [],
      maxLoad: 5,
    });
    expect(put.status).toBe(200);
    expect(put.body.domains).toEqual(['campus']);
    expect(
      (
        await call(s, 'city_edu', 'PUT', `/api/experts/${ids.zhou}`, {
          domains: [],
          employerSubjectId: null,
          homeRegionId: null,
          relatedSubjectIds: [],
          maxLoad: 5,
        })
      ).status,
    ).toBe(403);
    // a district office's pool does not hold the city's experts
    expect(
      (
        await call(s, 'qs_office', 'PUT', `/api/experts/${ids.zhou}`, {
          domains: [],
          employerSubjectId: null,
          homeRegionId: null,
          relatedSubjectIds: [],
          maxLoad: 5,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call(s, 'city_office', 'PUT', `/api/experts/${ids.a}`, {
          domains: ['nope'],
          employerSubjectId: null,
          homeRegionId: null,
          relatedSubjectIds: [],
          maxLoad: 5,
        })
      ).status,
    ).toBe(400);
  });

  it('refuses a conflicted expert with the reasons, assigns another, and refuses a duplicate', async () => {
    const refused = await call(s, 'city_office', 'POST', `/api/applications/${ids.nanmen}/assignments`, { expertIds: [ids.zhou, ids.a] });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('EXPERT_CONFLICT');
    const r = refused.body.details.refusals as { expertId: number; reasons: string[] }[];
    expect(r).toHaveLength(1);
    expect(r[0]!.expertId).toBe(ids.zhou);
    expect(r[0]!.reasons.join()).toContain('申报单位');
    expect(r[0]!.reasons.join()).toContain('街道');
    // nothing was assigned by the refused request
    expect(await db().select().from(expertAssignments).where(eq(expertAssignments.applicationId, ids.nanmen))).toHaveLength(0);

    const ok = await call(s, 'city_office', 'POST', `/api/applications/${ids.nanmen}/assignments`, { expertIds: [ids.a] });
    expect(ok.status).toBe(201);
    expect(ok.body.assignments.map((x: { expertId: number }) => x.expertId)).toEqual([ids.a]);
    const dup = await call(s, 'city_office', 'POST', `/api/applications/${ids.nanmen}/assignments`, { expertIds: [ids.a] });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('DUPLICATE');
    const told = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, ids.a), eq(notifications.kind, 'assigned')));
    expect(told).toHaveLength(1);
    // another office cannot assign: the application is outside its scope
    expect((await call(s, 'lj_office', 'POST', `/api/applications/${ids.nanmen}/assignments`, { expertIds: [ids.a] })).status).toBe(404);
  });

  it('gives an unassigned expert 404 on every route of the application', async () => {
    const id = ids.nanmen;
    expect((await call(s, 'expert_b', 'GET', `/api/onsite/${id}`)).status).toBe(404);
    expect((await call(s, 'expert_b', 'PUT', `/api/onsite/${id}`, { findings: [] })).status).toBe(404);
    expect((await call(s, 'expert_b', 'POST', `/api/onsite/${id}/submit`)).status).toBe(404);
    expect((await call(s, 'expert_b', 'GET', `/api/applications/${id}`)).status).toBe(404);
    expect((await call(s, 'expert_b', 'POST', `/api/applications/${id}/reviews`, { decision: 'none', scores: [] })).status).toBe(404);
    expect((await call(s, 'expert_b', 'GET', `/api/applications/${id}/rectifications`)).status).toBe(404);
    expect(
      (await call(s, 'expert_b', 'POST', `/api/onsite/${id}/rectifications`, { criterionId: '1', request: 'x', dueOn: '2099-01-01' }))
        .status,
    ).toBe(404);
    expect(
      (await upload('expert_b', `/api/onsite/${id}/photos`, form({}, { name: 'a.jpg', type: 'image/jpeg', data: exifJpeg() }))).status,
    ).toBe(404);
    expect((await call(s, 'expert_b', 'GET', '/api/onsite')).body.items).toEqual([]);
    // the assigned one sees it
    expect((await call(s, 'expert_a', 'GET', `/api/applications/${id}`)).status).toBe(200);
    const mine = await call(s, 'expert_a', 'GET', '/api/onsite');
    expect(mine.body.items.map((x: { applicationId: number }) => x.applicationId)).toEqual([id]);
  });

  it('keeps a photo’s EXIF time and position, else the browser’s, and refuses non-images', async () => {
    const id = ids.nanmen;
    const page = await call(s, 'expert_a', 'GET', `/api/onsite/${id}`);
    expect(page.status).toBe(200);
    expect(page.body.checklist).toHaveLength(allCriteria(ids.doc).length);
    const first = page.body.checklist[0].criterionId as string;
    const exif = await upload(
      'expert_a',
      `/api/onsite/${id}/photos`,
      form(
        { criterionId: first, latitude: '10', longitude: '20', takenAt: '2026-01-01T00:00:00Z' },
        { name: 'p.jpg', type: 'image/jpeg', data: exifJpeg() },
      ),
    );
    expect(exif.status).toBe(201);
    expect(exif.body.source).toBe('exif');
    expect(exif.body.latitude).toBeCloseTo(28.208333, 5);
    expect(exif.body.longitude).toBeCloseTo(112.979167, 5);
    expect(new Date(exif.body.takenAt).toISOString()).toBe('2026-05-12T01:30:15.000Z');
    const browser = await upload(
      'expert_a',
      `/api/onsite/${id}/photos`,
      form(
        { criterionId: first, latitude: '28.1', longitude: '112.9', takenAt: '2026-06-01T08:00:00.000Z' },
        { name: 'p.png', type: 'image/png', data: PNG },
      ),
    );
    expect(browser.status).toBe(201);
    expect(browser.body).toMatchObject({ source: 'browser', latitude: 28.1, longitude: 112.9 });
    const none = await upload('expert_a', `/api/onsite/${id}/photos`, form({}, { name: 'p.png', type: 'image/png', data: PNG }));
    expect(none.body.source).toBe('none');
    const pdf = await upload('expert_a', `/api/onsite/${id}/photos`, form({}, { name: 'p.jpg', type: 'image/jpeg', data: PDF_BYTES }));
    expect(pdf.status).toBe(415);
    // download: the assigned expert and the office; not another expert
    expect((await call(s, 'expert_a', 'GET', `/api/onsite-photos/${exif.body.id}`)).status).toBe(200);
    expect((await call(s, 'city_office', 'GET', `/api/onsite-photos/${exif.body.id}`)).status).toBe(200);
    expect((await call(s, 'expert_b', 'GET', `/api/onsite-photos/${exif.body.id}`)).status).toBe(404);
    expect((await call(s, 'school_dh', 'GET', `/api/onsite-photos/${exif.body.id}`)).status).toBe(404);
    const stored = await db().select().from(onsitePhotos).where(eq(onsitePhotos.id, exif.body.id));
    expect(stored[0]!.source).toBe('exif');
  });

  it('runs a rectification: request → answer with evidence → recheck; submit waits for it', async () => {
    const id = ids.nanmen;
    const criterionId = allCriteria(ids.doc)[1]!.id;
    const asked = await call(s, 'expert_a', 'POST', `/api/onsite/${id}/rectifications`, {
      criterionId,
      request: '消防通道堆放杂物，请清理',
      dueOn: '2099-12-31',
    });
    expect(asked.status).toBe(201);
    const rid = asked.body.id as number;
    expect(
      (await call(s, 'expert_a', 'POST', `/api/onsite/${id}/rectifications`, { criterionId, request: 'x', dueOn: '2026-02-30' })).status,
    ).toBe(400);
    const seen = await call(s, 'school_nm', 'GET', `/api/applications/${id}/rectifications`);
    expect(seen.status).toBe(200);
    expect(seen.body.items[0]).toMatchObject({ id: rid, status: 'open', canAnswer: true, canRecheck: false });
    expect((await call(s, 'school_dh', 'GET', `/api/applications/${id}/rectifications`)).status).toBe(404);
    expect((await call(s, 'city_office', 'GET', `/api/applications/${id}/rectifications`)).status).toBe(200);
    const told = await db().select().from(notifications).where(eq(notifications.kind, 'rectification'));
    expect(told.length).toBeGreaterThanOrEqual(1);

    // the expert cannot recheck before the answer; another applicant cannot answer
    expect((await call(s, 'expert_a', 'POST', `/api/rectifications/${rid}/recheck`, { accepted: true })).status).toBe(409);
    expect((await upload('school_dh', `/api/rectifications/${rid}/answer`, form({ answer: '已整改' }))).status).toBe(404);
    const answered = await upload(
      'school_nm',
      `/api/rectifications/${rid}/answer`,
      form({ answer: '已清理消防通道并建立巡查制度' }, { name: '整改照片.pdf', type: 'application/pdf', data: PDF_BYTES }),
    );
    expect(answered.status).toBe(200);
    expect(answered.body.status).toBe('answered');
    const list = await call(s, 'expert_a', 'GET', `/api/applications/${id}/rectifications`);
    expect(list.body.items[0]).toMatchObject({ status: 'answered', canRecheck: true });
    expect(list.body.items[0].files).toHaveLength(1);
    const expertTold = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, ids.a), eq(notifications.kind, 'rectification')));
    expect(expertTold).toHaveLength(1);

    // fill every finding; submit is refused while the rectification is not re-checked
    const findings = allCriteria(ids.doc).map((c) => ({ criterionId: c.id, met: true, note: '现场查看台账齐全' }));
    const saved = await call(s, 'expert_a', 'PUT', `/api/onsite/${id}`, {
      place: '南门路18号',
      latitude: 28.2,
      longitude: 112.97,
      findings,
    });
    expect(saved.status).toBe(200);
    const early = await call(s, 'expert_a', 'POST', `/api/onsite/${id}/submit`);
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('整改');
    const rechecked = await call(s, 'expert_a', 'POST', `/api/rectifications/${rid}/recheck`, { accepted: true, note: '复查合格' });
    expect(rechecked.status).toBe(200);
    expect(rechecked.body.status).toBe('accepted');
  });

  it('refuses an incomplete check, then submits it as onsite-stage scores, closes the assignment and passes the step', async () => {
    const id = ids.nanmen;
    const criteria = allCriteria(ids.doc);
    // one criterion emptied: incomplete
    const partial = criteria.map((c, i) => ({ criterionId: c.id, met: i === 0 ? null : true }));
    await call(s, 'expert_a', 'PUT', `/api/onsite/${id}`, { place: '南门路18号', findings: partial });
    const inc = await call(s, 'expert_a', 'POST', `/api/onsite/${id}/submit`);
    expect(inc.status).toBe(422);
    expect(inc.body.details.missing).toHaveLength(1);
    const bad = await call(s, 'expert_a', 'PUT', `/api/onsite/${id}`, {
      findings: [{ criterionId: criteria[0]!.id, score: criteria[0]!.points + 1 }],
    });
    expect(bad.status).toBe(400);
    await call(s, 'expert_a', 'PUT', `/api/onsite/${id}`, {
      place: '南门路18号',
      latitude: 28.2,
      longitude: 112.97,
      findings: criteria.map((c) => ({ criterionId: c.id, met: c.id !== criteria[2]!.id })),
    });

    const done = await call(s, 'expert_a', 'POST', `/api/onsite/${id}/submit`);
    expect(done.status).toBe(200);
    expect(done.body.advanced).toEqual({ status: 'preliminary_passed', step: 'evaluation' });
    const [review] = await db()
      .select()
      .from(reviews)
      .where(and(eq(reviews.applicationId, id), eq(reviews.reviewerId, ids.a)));
    expect(review).toMatchObject({ stage: 'onsite', step: 'onsite' });
    const scores = await db().select().from(reviewScores).where(eq(reviewScores.reviewId, review!.id));
    expect(scores).toHaveLength(criteria.length);
    expect(scores.find((x) => x.criterionId === criteria[2]!.id)!.met).toBe(false);
    const [a] = await db()
      .select()
      .from(expertAssignments)
      .where(and(eq(expertAssignments.applicationId, id), eq(expertAssignments.expertId, ids.a)));
    expect(a!.status).toBe('done');
    const detail = await call(s, 'city_office', 'GET', `/api/applications/${id}`);
    const third = detail.body.rating.criteria.find((x: { criterionId: string }) => x.criterionId === criteria[2]!.id);
    expect(third.status).toBe('not_met');
    expect(third.scoredBy).toBe('onsite');
    // once closed, the expert no longer sees it
    expect((await call(s, 'expert_a', 'GET', `/api/onsite/${id}`)).status).toBe(404);
    expect((await call(s, 'expert_a', 'GET', `/api/applications/${id}`)).status).toBe(404);
  });

  it('assigns automatically: balanced, within the cap, never a conflicted expert, and says what it could not cover', async () => {
    for (const [uid, max] of [
      [ids.b, 10],
      [ids.c, 10],
    ] as const)
      expect(
        (
          await call(s, 'city_office', 'PUT', `/api/experts/${uid}`, {
            domains: [],
            employerSubjectId: null,
            homeRegionId: null,
            relatedSubjectIds: [],
            maxLoad: max,
          })
        ).status,
      ).toBe(200);
    const before = await call(s, 'city_office', 'GET', `/api/campaigns/${ids.campaign}/assignments`);
    expect(before.status).toBe(200);
    expect(before.body.items.map((x: { id: number }) => x.id).sort()).toEqual([...ids.others].sort());
    // zhou lives in 城南街道: the two schools there are his conflicts
    const conflicted = (before.body.items as { id: number; conflicts: Record<string, string[]> }[])
      .filter((x) => x.conflicts[ids.zhou])
      .map((x) => x.id);
    expect(conflicted.length).toBeGreaterThanOrEqual(1);

    const auto = await call(s, 'city_office', 'POST', `/api/campaigns/${ids.campaign}/assignments/auto`, { perApplication: 1, cap: 2 });
    expect(auto.status).toBe(200);
    const assigned = auto.body.assigned as { applicationId: number; expertId: number }[];
    expect(assigned).toHaveLength(ids.others.length);
    for (const x of assigned) expect(conflicted.includes(x.applicationId) && x.expertId === ids.zhou).toBe(false);
    const loads = (auto.body.loads as { expertId: number; load: number }[]).map((l) => l.load);
    expect(Math.max(...loads)).toBeLessThanOrEqual(2);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    expect(auto.body.uncovered).toEqual([]);

    // a second expert each: the caps run out, and the rest is reported with the reason
    const more = await call(s, 'city_office', 'POST', `/api/campaigns/${ids.campaign}/assignments/auto`, { perApplication: 2, cap: 2 });
    expect(more.status).toBe(200);
    expect(ids.others.length).toBeGreaterThanOrEqual(4);
    // the pool's capacity left after the first run (the demo may hold more experts than ours)
    const room = (auto.body.loads as { load: number; maxLoad: number }[]).reduce((n, l) => n + Math.max(0, l.maxLoad - l.load), 0);
    expect(more.body.assigned.length).toBeLessThanOrEqual(room);
    expect(more.body.assigned.length + more.body.uncovered.reduce((n: number, u: { missing: number }) => n + u.missing, 0)).toBe(
      ids.others.length,
    );
    for (const l of more.body.loads as { load: number; maxLoad: number }[]) expect(l.load).toBeLessThanOrEqual(Math.max(2, l.maxLoad));
    expect(more.body.uncovered.length).toBeGreaterThan(0);
    expect(more.body.uncovered[0].reason).toMatch(/上限|回避/);
    const open = await db().select().from(expertAssignments).where(eq(expertAssignments.status, 'open'));
    const per = new Map<number, number>();
    for (const o of open) per.set(o.expertId, (per.get(o.expertId) ?? 0) + 1);
    for (const [, n] of per) expect(n).toBeLessThanOrEqual(2);

    // withdrawing frees the expert
    const one = open.find((o) => o.expertId === ids.b)!;
    expect((await call(s, 'city_office', 'DELETE', `/api/assignments/${one.id}`)).status).toBe(200);
    expect((await call(s, 'city_office', 'DELETE', `/api/assignments/${one.id}`)).status).toBe(409);
    expect((await call(s, 'expert_b', 'GET', `/api/onsite/${one.applicationId}`)).status).toBe(404);
  });
});
