import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { campaigns, filingRequirements, regions, subjects } from '../db/schema.js';
import type { FileStorage } from '../storage/storage.js';
import type { CurrentUser } from '../access/scope.js';
import { today } from '../clock.js';
import { createFromPlan } from '../modules/filings/requirements.js';
import {
  acceptFiling,
  openFiling,
  returnFiling,
  saveFiling,
  submitFiling,
  uploadFilingFile,
  type SaveInput,
} from '../modules/filings/service.js';

type SaveExtra = Omit<SaveInput, 'revision'>;

/**
 * The demo's 报备: the city's 004 round of this year (云州市…“平安校园”市级评定（县区推荐）) carries the
 * requirements of the encoded plan (plan, standards, 示范点, summary for counties and departments).
 * 青山区 has filed all four and the city accepted them; 临江县's plan was returned once (no 示范点
 * 表 attached) and resubmitted, and its standards are not filed: late once 03-20 has passed. The
 * city's education bureau has filed its plan, waiting for the city. Driven through the real use
 * cases; nothing is written when the campaign already has requirements.
 */
export async function seedFilings(db: Db, storage: FileStorage, ctx: { as(username: string): Promise<CurrentUser> }): Promise<void> {
  const year = Number(today().slice(0, 4));
  const [camp] = await db
    .select({ id: campaigns.id })
    .from(campaigns)
    .innerJoin(regions, eq(regions.id, campaigns.regionId))
    .where(and(eq(campaigns.year, year), eq(regions.level, 'city'), sql`${campaigns.chain}->>'preset' = 'shangluo-004'`))
    .orderBy(campaigns.id)
    .limit(1);
  if (!camp) throw new Error('demo campaign of 004 (云州市, this year) missing');
  const [existing] = await db
    .select({ id: filingRequirements.id })
    .from(filingRequirements)
    .where(eq(filingRequirements.campaignId, camp.id));
  if (existing) return;

  const city = await ctx.as('city_office');
  const { items } = await createFromPlan(db, city, camp.id);
  const req = (kind: string, filers: string) => items.find((r) => r.kind === kind && r.filers === filers)!.id;

  const qs = await ctx.as('qs_office');
  const file = async (user: CurrentUser, requirementId: number, fileName: string | null, extra: SaveExtra = {}) => {
    let f = await openFiling(db, user, requirementId);
    if (fileName) f = await uploadFilingFile(db, storage, user, f.id, { fileName, declaredType: 'application/pdf', data: DEMO_PDF });
    if (Object.keys(extra).length) f = await saveFiling(db, user, f.id, { revision: f.revision, ...extra });
    return submitFiling(db, user, f.id);
  };

  // 青山区: everything filed and accepted
  for (const kind of ['plan', 'standards'] as const) {
    const f = await file(
      qs,
      req(kind, 'county'),
      kind === 'plan' ? `青山区${year}年平安创建实施方案.pdf` : `青山区${year}年平安创建标准.pdf`,
      {
        note: '经区委常委会审议通过',
      },
    );
    await acceptFiling(db, city, f.id);
  }
  const sites = await db
    .select({ id: subjects.id, name: subjects.name })
    .from(subjects)
    .where(sql`${subjects.name} in ('云州市南门实验小学', '青山区东湖中学', '青山区中医院')`);
  const site = (name: string, categoryCode: string, note: string) => ({
    subjectId: sites.find((s) => s.name === name)!.id,
    categoryCode,
    note,
  });
  const demo = await file(qs, req('demo_sites', 'county'), null, {
    sites: [
      site('云州市南门实验小学', 'campus', '智慧校园安防示范'),
      site('青山区东湖中学', 'campus', '护校安园示范'),
      site('青山区中医院', 'hospital', '平安医院示范'),
    ],
  });
  await acceptFiling(db, city, demo.id);
  const opened = await openFiling(db, qs, req('summary', 'county'));
  const summary = await file(qs, req('summary', 'county'), null, {
    summary: {
      figures: opened.summary!.figures,
      text: `${year}年，青山区以“平安校园”“平安医院”创建为重点，全区开展矛盾纠纷排查化解，创建覆盖所有街道。`,
    },
  });
  await acceptFiling(db, city, summary.id);

  // 临江县: the plan returned once, corrected and resubmitted; the standards not filed
  const lj = await ctx.as('lj_office');
  const plan = await file(lj, req('plan', 'county'), `临江县${year}年平安创建方案.pdf`);
  await returnFiling(db, city, plan.id, '方案未列明年度拟创建的市级示范点，请补充后重新报送');
  await uploadFilingFile(db, storage, lj, plan.id, {
    fileName: `临江县${year}年平安创建方案（修改稿）.pdf`,
    declaredType: 'application/pdf',
    data: DEMO_PDF,
  });
  await submitFiling(db, lj, plan.id);

  // the city's education bureau: its plan filed, waiting for the city
  const edu = await ctx.as('city_edu');
  await file(edu, req('plan', 'department'), `云州市教育局${year}年平安校园创建实施方案.pdf`);
}

const DEMO_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
