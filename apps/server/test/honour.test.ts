import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { publicTitleStatus, type TitleStatusStored } from '@pingan/core';
import { DB_KINDS, getTestServer, type TestServer } from './helpers.js';
import { applications, campaignCategories, campaigns, regions, subjects, titleEvents, titles } from '../src/db/schema.js';
import { issueTitle } from '../src/modules/titles/issue.js';
import { today } from '../src/clock.js';
import { HONOUR_RATE_LIMITS } from '../src/modules/honour/routes.js';
import { normaliseCertificateNo } from '../src/modules/honour/service.js';

/**
 * 荣誉榜 and a title's public page: filters, paging, facets, masking, the open-data files, the
 * four live statuses, the rate limit and the one 404. Fixture titles are written straight into the
 * database (statuses and terms set directly), next to the demo world's own.
 */

const YEAR = Number(today().slice(0, 4));
const day = (offset: number) => new Date(Date.parse(`${today()}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

/** RFC 4180 (quoted cells with "" and line breaks), what a spreadsheet reads. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

describe.each(DB_KINDS)('honour roll and title pages on %s', (kind) => {
  let s: TestServer;
  let addr = 0;
  /** a fresh client address per request: the rate limits are tested on their own */
  const get = async (url: string, remoteAddress = `10.1.${Math.floor(++addr / 250)}.${addr % 250}`) => {
    const res = await s.app.inject({ method: 'GET', url, remoteAddress });
    let body: any = res.body;
    try {
      body = res.json();
    } catch {
      /* a file */
    }
    return { status: res.statusCode, body, headers: res.headers, raw: res.rawPayload };
  };
  const no: Record<string, string> = {};

  beforeAll(async () => {
    s = await getTestServer(kind);
    const db = s.database.db;
    const regionOf = async (name: string) => (await db.select().from(regions).where(eq(regions.name, name)))[0]!;
    const [camp] = await db.select().from(campaigns).orderBy(campaigns.id).limit(1);
    const versionOf = async (cat: string) =>
      (
        await db
          .select()
          .from(campaignCategories)
          .where(and(eq(campaignCategories.campaignId, camp!.id), eq(campaignCategories.categoryCode, cat)))
      )[0]!.standardVersionId;

    /** a title for a new subject, with its stored status and term set directly */
    const add = async (
      key: string,
      o: {
        name: string;
        kind: 'unit' | 'household' | 'individual';
        region: string;
        category: 'campus' | 'hospital' | 'family';
        year: number;
        level: 'standard' | 'advanced' | 'title';
        stars: number;
        status?: TitleStatusStored;
        statusReason?: string;
        statusSince?: string;
        validUntil?: string;
        namingDocument?: string;
      },
    ) => {
      const r = await regionOf(o.region);
      // a subject of its own (an application is one per campaign, category and subject)
      const [subj] = await db
        .insert(subjects)
        .values({ kind: o.kind, name: o.name, regionId: r.id, address: '测试地址1号', households: o.kind === 'household' ? 1 : null })
        .returning();
      const [app] = await db
        .insert(applications)
        .values({
          campaignId: camp!.id,
          categoryCode: o.category,
          standardVersionId: await versionOf(o.category),
          subjectId: subj!.id,
          regionId: r.id,
          regionPath: r.path,
          status: 'conferred',
        })
        .returning({ id: applications.id });
      const t = await db.transaction((tx) =>
        issueTitle(
          tx,
          {
            applicationId: app!.id,
            subjectId: subj!.id,
            regionPath: r.path,
            categoryCode: o.category,
            titleName: o.category === 'family' ? '平安家庭' : o.category === 'campus' ? '平安校园' : '平安医院',
            year: o.year,
            stars: o.stars,
            level: o.level,
            issuer: '云州市平安建设领导小组',
            conferredOn: `${o.year}-06-30`,
            namingDocument: o.namingDocument ?? `云安〔${o.year}〕3号`,
          },
          null,
        ),
      );
      const set: Partial<typeof titles.$inferInsert> = {};
      if (o.status) Object.assign(set, { status: o.status, statusReason: o.statusReason ?? null, statusSince: o.statusSince ?? day(-3) });
      if (o.validUntil) set.validUntil = o.validUntil;
      if (Object.keys(set).length) await db.update(titles).set(set).where(eq(titles.id, t.id));
      if (o.status && o.status !== 'valid')
        await db.insert(titleEvents).values({
          titleId: t.id,
          kind: o.status === 'revoked' ? 'revoked' : 'suspended',
          fromStatus: 'valid',
          toStatus: o.status,
          fromStars: o.stars,
          toStars: o.stars,
          reason: o.statusReason ?? null,
          on: o.statusSince ?? day(-3),
        });
      no[key] = t.certificateNo;
      return t;
    };

    await add('wang', {
      name: '王建国家庭',
      kind: 'household',
      region: '南门社区第一网格',
      category: 'family',
      year: YEAR,
      level: 'title',
      stars: 0,
    });
    await add('liu', {
      name: '刘志强',
      kind: 'individual',
      region: '柳溪村',
      category: 'family',
      year: YEAR - 1,
      level: 'title',
      stars: 0,
    });
    await add('school', {
      name: '云州市南门外国语学校',
      kind: 'unit',
      region: '南门社区',
      category: 'campus',
      year: YEAR,
      level: 'advanced',
      stars: 4,
    });
    await add('yellow', {
      name: '青山区东湖第二中学',
      kind: 'unit',
      region: '东湖村',
      category: 'campus',
      year: YEAR,
      level: 'standard',
      stars: 3,
      status: 'suspended',
      statusReason: '校内发生学生伤害事故，正在调查',
      statusSince: day(-5),
    });
    await add('revoked', {
      name: '李秀英家庭',
      kind: 'household',
      region: '南门社区第二网格',
      category: 'family',
      year: YEAR,
      level: 'title',
      stars: 0,
      status: 'revoked',
      // staff wrote the head's name and a phone number into the reason: the public never reads them
      statusReason: '李秀英家庭成员涉刑事案件（李秀英，联系电话13912345678），一票否决',
      statusSince: day(-2),
    });
    await add('expired', {
      name: '临江县第三人民医院',
      kind: 'unit',
      region: '江滨社区',
      category: 'hospital',
      year: YEAR - 3,
      level: 'standard',
      stars: 3,
      validUntil: `${YEAR - 2}-12-31`,
    });
    await add('formula', {
      name: '=HYPERLINK("http://x")',
      kind: 'unit',
      region: '白沙村',
      category: 'hospital',
      year: YEAR - 1,
      level: 'standard',
      stars: 2,
    });
  });
  afterAll(() => s?.close());

  const allItems = async (query = '') => {
    const out: any[] = [];
    for (let offset = 0; ; offset += 500) {
      const r = await get(`/api/public/honour?limit=500&offset=${offset}${query}`);
      expect(r.status).toBe(200);
      out.push(...r.body.items);
      if (offset + 500 >= r.body.total) return { items: out, total: r.body.total as number, facets: r.body.facets };
    }
  };

  it('lists valid and yellow-card titles by default, all four with status=all, one with status=<x>', async () => {
    const def = await allItems();
    const statuses = new Set(def.items.map((i) => i.status));
    expect([...statuses].sort()).toEqual(['valid', 'yellow']);
    const all = await allItems('&status=all');
    expect(new Set(all.items.map((i) => i.status))).toEqual(new Set(['valid', 'yellow', 'revoked', 'expired']));
    expect(all.total).toBe(all.items.length);
    const byNo = new Map(all.items.map((i) => [i.certificateNo, i]));
    expect(byNo.get(no.yellow!).status).toBe('yellow');
    expect(byNo.get(no.revoked!).status).toBe('revoked');
    expect(byNo.get(no.expired!).status).toBe('expired');
    expect(byNo.get(no.wang!).status).toBe('valid');
    for (const st of ['valid', 'yellow', 'revoked', 'expired']) {
      const one = await allItems(`&status=${st}`);
      expect(one.items.length).toBeGreaterThan(0);
      expect(one.items.every((i) => i.status === st)).toBe(true);
    }
    // the SQL status agrees with core publicTitleStatus for every title in the database
    const rows = await s.database.db.select().from(titles);
    expect(rows.length).toBe(all.total);
    for (const t of rows) expect(byNo.get(t.certificateNo).status).toBe(publicTitleStatus(t, today()));
  });

  it('filters by year, category and region (a path of names), and finds by the name the roll shows', async () => {
    const all = (await allItems('&status=all')).items;
    const y = await allItems(`&status=all&year=${YEAR - 1}`);
    expect(y.items.length).toBe(all.filter((i) => i.year === YEAR - 1).length);
    expect(y.items.every((i) => i.year === YEAR - 1)).toBe(true);
    const fam = await allItems('&status=all&category=family');
    expect(fam.items.length).toBe(all.filter((i) => i.categoryCode === 'family').length);
    expect(fam.items.every((i) => i.categoryName === '平安家庭' || i.categoryCode === 'family')).toBe(true);

    const qs = await allItems(`&status=all&region=${encodeURIComponent('云州市/青山区')}`);
    const lj = await allItems(`&status=all&region=${encodeURIComponent('云州市/临江县')}`);
    expect(qs.items.length + lj.items.length).toBe(all.length);
    expect(qs.items.every((i) => i.region.startsWith('云州市/青山区'))).toBe(true);
    expect(qs.items.map((i) => i.certificateNo)).toContain(no.wang);
    expect(lj.items.map((i) => i.certificateNo)).toEqual(expect.arrayContaining([no.liu, no.expired, no.formula]));
    // a tail of the path is enough; a path that is no region's gives nothing
    const baisha = await allItems(`&status=all&region=${encodeURIComponent('白沙镇')}`);
    expect(baisha.items.map((i) => i.certificateNo).sort()).toEqual(
      all
        .filter((i) => i.region.startsWith('云州市/临江县/白沙镇'))
        .map((i) => i.certificateNo)
        .sort(),
    );
    expect((await allItems(`&status=all&region=${encodeURIComponent('青山区/白沙镇')}`)).total).toBe(0);
    // a village holds units only: a household there is not revealed by filtering on its village
    const nanmen = await allItems(`&status=all&region=${encodeURIComponent('云州市/青山区/城南街道/南门社区')}`);
    expect(nanmen.items.map((i) => i.certificateNo)).toContain(no.school);
    expect(nanmen.items.some((i) => i.holderKind === 'household' || i.holderKind === 'individual')).toBe(false);

    // search matches the name as shown: 王 finds 王**家庭, the head's full name finds nothing
    const wang = await allItems(`&status=all&q=${encodeURIComponent('王')}`);
    expect(wang.items.map((i) => i.certificateNo)).toContain(no.wang);
    expect((await allItems(`&status=all&q=${encodeURIComponent('王建国')}`)).total).toBe(0);
    expect((await allItems(`&status=all&q=${encodeURIComponent('刘志强')}`)).total).toBe(0);
    const school = await allItems(`&q=${encodeURIComponent('南门外国语')}`);
    expect(school.items.map((i) => i.certificateNo)).toContain(no.school);
    // LIKE wildcards are text, not patterns
    expect((await allItems(`&status=all&q=${encodeURIComponent('%')}`)).total).toBe(0);
    expect((await allItems(`&status=all&q=${encodeURIComponent('_')}`)).total).toBe(0);
  });

  it('pages without gaps or repeats, and refuses bad paging and filters with a 400 in Chinese', async () => {
    const { items, total } = await allItems('&status=all');
    const seen: string[] = [];
    for (let offset = 0; offset < total; offset += 2) {
      const r = await get(`/api/public/honour?status=all&limit=2&offset=${offset}`);
      expect(r.body.total).toBe(total);
      expect(r.body.items.length).toBe(Math.min(2, total - offset));
      seen.push(...r.body.items.map((i: any) => i.certificateNo));
    }
    expect(seen).toEqual(items.map((i) => i.certificateNo));
    expect((await get('/api/public/honour')).body.limit).toBe(20);
    for (const q of [
      'limit=0',
      'limit=501',
      'offset=-1',
      'year=abc',
      'year=1800',
      'status=secret',
      'category=DROP%20TABLE',
      `q=${'长'.repeat(51)}`,
      'q=%00',
    ]) {
      const r = await get(`/api/public/honour?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('counts years, categories and regions (down to the township) under the status filter', async () => {
    const all = await allItems('&status=all');
    const f = all.facets;
    expect(f.years.reduce((n: number, y: any) => n + y.count, 0)).toBe(all.total);
    expect(f.categories.reduce((n: number, c: any) => n + c.count, 0)).toBe(all.total);
    for (const y of f.years) expect(y.count).toBe(all.items.filter((i) => i.year === y.year).length);
    expect(f.categories.find((c: any) => c.code === 'family').name).toBe('平安家庭');
    expect(f.regions.every((r: any) => ['province', 'city', 'county', 'town'].includes(r.level))).toBe(true);
    const names = f.regions.map((r: any) => r.name);
    for (const hidden of ['南门社区', '南门社区第一网格', '柳溪村', '东湖村']) expect(names).not.toContain(hidden);
    for (const r of f.regions) {
      const sub = await allItems(`&status=all&region=${encodeURIComponent(r.path)}`);
      expect(sub.total, r.path).toBe(r.count);
    }
    expect(f.regions.find((r: any) => r.path === '云州市').count).toBe(all.total);
    // the facets follow the status filter, not the year, category and region filters
    const cur = await get(`/api/public/honour?year=${YEAR}&category=campus`);
    const curAll = await allItems('');
    expect(cur.body.facets.years.reduce((n: number, y: any) => n + y.count, 0)).toBe(curAll.total);
  });

  it('masks households and persons, stops their region at the township, and carries no internal id', async () => {
    const { items } = await allItems('&status=all');
    const by = new Map(items.map((i) => [i.certificateNo, i]));
    expect(by.get(no.wang!)).toMatchObject({
      holder: '王**家庭',
      holderKind: 'household',
      region: '云州市/青山区/城南街道',
      stars: null,
      level: 'title',
    });
    expect(by.get(no.liu!)).toMatchObject({ holder: '刘**', holderKind: 'individual', region: '云州市/临江县/白沙镇' });
    expect(by.get(no.school!)).toMatchObject({ holder: '云州市南门外国语学校', region: '云州市/青山区/城南街道/南门社区', stars: 4 });
    const text = JSON.stringify(items);
    for (const full of ['王建国', '刘志强', '李秀英', '网格']) expect(text).not.toContain(full);
    for (const i of items) for (const k of Object.keys(i)) expect(k).not.toMatch(/^(id|.*Id)$/);
  });

  it('gives the same list as CSV (UTF-8 with BOM, Chinese headers) and JSON', async () => {
    const json = await get('/api/public/honour.json?status=all');
    expect(json.status).toBe(200);
    expect(json.body.total).toBe(json.body.items.length);
    expect(json.body.generatedOn).toBe(today());
    const { items } = await allItems('&status=all');
    expect(json.body.items).toEqual(items);

    const csv = await get('/api/public/honour.csv?status=all');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(String(csv.headers['content-disposition'])).toMatch(/filename\*=UTF-8''/);
    expect([...csv.raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(csv.raw.subarray(3).toString('utf8'));
    expect(rows[0]).toEqual([
      '证书编号',
      '称号持有者',
      '持有者类型',
      '所在地区',
      '类别',
      '称号',
      '年度',
      '星级',
      '命名单位',
      '命名文件',
      '命名日期',
      '状态',
      '状态日期',
      '有效期至',
    ]);
    const body = rows.slice(1);
    expect(body.length).toBe(json.body.items.length);
    const label: Record<string, string> = { valid: '有效', yellow: '黄牌警告', revoked: '已撤销', expired: '已到期' };
    body.forEach((r, n) => {
      const i = json.body.items[n];
      expect(r[0]).toBe(i.certificateNo);
      expect(r[1]).toBe(i.holder.startsWith('=') ? `'${i.holder}` : i.holder);
      expect(r[3]).toBe(i.region);
      expect(r[6]).toBe(String(i.year));
      expect(r[7]).toBe(i.stars === null ? '' : String(i.stars));
      expect(r[11]).toBe(label[i.status]);
      expect(r[13]).toBe(i.validUntil ?? '');
    });
    // a name a spreadsheet would run as a formula is text in the file
    expect(body.find((r) => r[0] === no.formula)![1]).toBe(`'=HYPERLINK("http://x")`);

    // the same filters: the files follow the list
    const fam = await get('/api/public/honour.json?category=family');
    expect(fam.body.items).toEqual((await allItems('&category=family')).items);
    const famCsv = parseCsv((await get('/api/public/honour.csv?category=family')).raw.subarray(3).toString('utf8'));
    expect(famCsv.length - 1).toBe(fam.body.total);
  });

  it('shows a title’s live status with its date, reason, stars and history', async () => {
    const valid = await get(`/api/public/titles/${no.school}`);
    expect(valid.status).toBe(200);
    expect(valid.body).toMatchObject({
      certificateNo: no.school,
      holder: '云州市南门外国语学校',
      region: '云州市/青山区/城南街道/南门社区',
      categoryName: '平安校园',
      titleName: '平安校园',
      year: YEAR,
      stars: 4,
      level: 'advanced',
      issuer: '云州市平安建设领导小组',
      namingDocument: `云安〔${YEAR}〕3号`,
      conferredOn: `${YEAR}-06-30`,
      status: 'valid',
      statusSince: `${YEAR}-06-30`,
      statusReason: null,
      validUntil: `${YEAR + 1}-12-31`,
      asOf: today(),
    });
    expect(valid.body.history).toEqual([
      { kind: 'conferred', on: `${YEAR}-06-30`, fromStatus: null, toStatus: 'valid', fromStars: null, toStars: 4, reason: null },
    ]);

    const yellow = await get(`/api/public/titles/${no.yellow}`);
    expect(yellow.body).toMatchObject({ status: 'yellow', statusSince: day(-5), statusReason: '校内发生学生伤害事故，正在调查', stars: 3 });
    expect(yellow.body.history.map((h: any) => [h.kind, h.toStatus])).toEqual([
      ['conferred', 'valid'],
      ['suspended', 'yellow'],
    ]);

    const revoked = await get(`/api/public/titles/${no.revoked}`);
    expect(revoked.body).toMatchObject({
      status: 'revoked',
      statusSince: day(-2),
      holder: '李**家庭',
      stars: null,
      region: '云州市/青山区/城南街道',
    });
    // the reason as staff wrote it named the head and a phone: the public reads them masked
    expect(revoked.body.statusReason).toBe('李**家庭成员涉刑事案件（李**家庭，联系电话139****5678），一票否决');
    expect(revoked.body.history[1]).toMatchObject({ kind: 'revoked', toStatus: 'revoked', reason: revoked.body.statusReason });
    expect(JSON.stringify(revoked.body)).not.toMatch(/李秀英|13912345678/);

    const expired = await get(`/api/public/titles/${no.expired}`);
    expect(expired.body).toMatchObject({
      status: 'expired',
      validUntil: `${YEAR - 2}-12-31`,
      statusSince: `${YEAR - 1}-01-01`,
      statusReason: null,
    });
    expect(expired.body.history.at(-1)).toMatchObject({ kind: 'expired', on: `${YEAR - 1}-01-01`, toStatus: 'expired' });

    // the page reads the live status: a change in the database shows at once
    await s.database.db
      .update(titles)
      .set({ status: 'revoked', statusReason: '测试撤销', statusSince: today() })
      .where(eq(titles.certificateNo, no.school!));
    expect((await get(`/api/public/titles/${no.school}`)).body).toMatchObject({
      status: 'revoked',
      statusReason: '测试撤销',
      statusSince: today(),
    });
    await s.database.db
      .update(titles)
      .set({ status: 'valid', statusReason: null, statusSince: `${YEAR}-06-30` })
      .where(eq(titles.certificateNo, no.school!));
    for (const k of Object.keys(valid.body)) expect(k).not.toMatch(/^(id|.*Id)$/);
  });

  it('reads a number however it is typed: case, spaces, dashes, O for 0 and I/L for 1', async () => {
    const n = no.school!;
    const typed = ` ${n.toLowerCase().replace(/-/g, ' ')} `;
    expect(normaliseCertificateNo(typed)).toBe(n);
    expect((await get(`/api/public/titles/${encodeURIComponent(typed)}`)).body.certificateNo).toBe(n);
    const misread = `${n.slice(0, 7)}${n.slice(7).replace(/0/g, 'O').replace(/1/g, 'l')}`;
    expect(normaliseCertificateNo(misread)).toBe(n);
    expect(normaliseCertificateNo('PA2026-ABCDE-FGHJK-MNPQR-STVWU')).toBeNull();
  });

  it('answers a wrong format exactly as a number that does not exist', async () => {
    const missing = `PA${YEAR}-ABCDE-FGHJK-MNPQR-STVWX`;
    expect(
      (
        await s.database.db
          .select({ n: sql<number>`count(*)::int` })
          .from(titles)
          .where(eq(titles.certificateNo, missing))
      )[0]!.n,
    ).toBe(0);
    const ref = await get(`/api/public/titles/${missing}`);
    expect(ref.status).toBe(404);
    expect(ref.body.message).toMatch(/[\u4e00-\u9fff]/);
    for (const bad of [
      'abc',
      '12345',
      `${YEAR}-1-abcdef`,
      `PA${YEAR}-ABCDE`,
      `PA${YEAR}-ABCDE-FGHJK-MNPQR-STVWU`,
      'x'.repeat(100),
      encodeURIComponent('证书'),
      '%20',
    ]) {
      const r = await get(`/api/public/titles/${bad}`);
      expect(r.status, bad).toBe(404);
      expect(r.body, bad).toEqual(ref.body);
    }
  });

  it(`limits a title page to ${HONOUR_RATE_LIMITS.title} requests a minute per address, with a 429 in Chinese`, async () => {
    const a = '10.9.9.9';
    for (let i = 0; i < HONOUR_RATE_LIMITS.title; i++) expect((await get(`/api/public/titles/${no.school}`, a)).status).toBe(200);
    const over = await get(`/api/public/titles/${no.school}`, a);
    expect(over.status).toBe(429);
    expect(over.body.code).toBe('RATE_LIMITED');
    expect(over.body.message).toMatch(/尝试过于频繁，请\d+秒后再试/);
    // a wrong number counts too: guessing is throttled the same
    expect((await get('/api/public/titles/abc', a)).status).toBe(429);
    // another address is not held back
    expect((await get(`/api/public/titles/${no.school}`, '10.9.9.10')).status).toBe(200);
    // the open-data files have their own limit
    const b = '10.9.9.11';
    for (let i = 0; i < HONOUR_RATE_LIMITS.export; i++) expect((await get('/api/public/honour.csv', b)).status).toBe(200);
    expect((await get('/api/public/honour.json', b)).status).toBe(429);
  });
});
