import { asc, eq, inArray } from 'drizzle-orm';
import { STATUS_LABELS, type ChainStep, type ApplicationStatus } from '@pingan/core';
import type { Db } from '../../db/client.js';
import { applicationEvents, campaigns, categories, organisations, regions, reviews, signoffs, subjects } from '../../db/schema.js';
import type { Keys } from '../../crypto/keys.js';
import type { CurrentUser } from '../../access/scope.js';
import { loadOwnership, type OwnershipInfo } from '../../access/ownership.js';
import { loadVisibleApplication } from '../applications/queries.js';
import { revisionShownTo } from '../applications/revisions.js';
import { shownPhone } from '../applications/personalData.js';
import { clockDay } from './time.js';
import { Flow, chineseDate, newA4 } from './layout.js';

/**
 * 申报表 and 审核表 (002_169671291d704e13.txt 附件1 and 附件2): bordered tables on A4. The 申报表
 * has 申报单位（盖章）, 申报内容, 平安创建活动计划 and an opinion row per reviewing level; the
 * 审核表 has 申报单位（盖章）, 申报内容, 平安创建开展情况及成果 and each step of the campaign's
 * chain with its opinion, result and date taken from the reviews, sign-offs and history.
 */

export interface StepView {
  key: string;
  name: string;
  /** who signs and seals: 牵头单位：云州市教育局 */
  signer: string;
  opinion: string;
  /** 通过, 退回, 不予通过, 审核中, or '' when not reached */
  result: string;
  /** YYYY-MM-DD of the decision */
  date: string | null;
}

export interface FormData {
  campaignName: string;
  categoryName: string;
  status: ApplicationStatus;
  applicant: { name: string; kind: string; unitType: string | null; regionPath: string; address: string | null };
  content: string;
  plan: string;
  contactName: string;
  contactPhone: string;
  submittedOn: string | null;
  rating: { total: number; max: number; stars: number; scheme: string } | null;
  criteriaMet: { met: number; all: number } | null;
  steps: StepView[];
}

const day = (d: Date | string | null | undefined): string | null => (d ? clockDay(d) : null);

/** Loads what both forms show, for an account that may see the application (404 otherwise). */
export async function loadFormData(db: Db, keys: Keys, user: CurrentUser, id: number): Promise<FormData> {
  const app = await loadVisibleApplication(db, user, id);
  const info = await loadOwnership(db, app);
  const frozen = await revisionShownTo(db, user, app);
  const [meta] = await db
    .select({ subject: subjects, regionPath: regions.path, campaign: campaigns, categoryName: categories.name })
    .from(subjects)
    .innerJoin(regions, eq(regions.id, subjects.regionId))
    .innerJoin(campaigns, eq(campaigns.id, app.campaignId))
    .innerJoin(categories, eq(categories.code, app.categoryCode))
    .where(eq(subjects.id, app.subjectId));
  const m = meta!;
  const ids = m.regionPath.split('/').filter(Boolean).map(Number);
  const regionNames = ids.length
    ? await db.select({ id: regions.id, name: regions.name }).from(regions).where(inArray(regions.id, ids))
    : [];
  const regionPath = ids.map((i) => regionNames.find((r) => r.id === i)?.name ?? '').join('/');
  const form = frozen ? frozen.form : app.form;
  const phone = shownPhone(keys, frozen ? frozen.contactPhone : app.contactPhone, user.role === 'applicant');
  const rating = app.rating ? { total: app.rating.total, max: app.rating.max, stars: app.rating.stars, scheme: app.rating.scheme } : null;
  const criteriaMet = app.rating
    ? { met: app.rating.criteria.filter((c) => c.status === 'met').length, all: app.rating.criteria.length }
    : null;
  return {
    campaignName: m.campaign.name,
    categoryName: m.categoryName,
    status: app.status,
    applicant: { name: m.subject.name, kind: m.subject.kind, unitType: m.subject.unitType, regionPath, address: m.subject.address },
    content: form.content ?? '',
    plan: form.plan ?? '',
    contactName: form.contactName ?? '',
    contactPhone: phone ?? '',
    submittedOn: day(app.submittedAt),
    rating,
    criteriaMet,
    steps: await stepViews(db, app, info),
  };
}

/** Each step of the chain: its signer, and from the history (the latest submission on) its opinion, result and date. */
async function stepViews(db: Db, app: { id: number; step: string | null; status: string }, info: OwnershipInfo): Promise<StepView[]> {
  const [revs, signs, events, signers] = await Promise.all([
    db
      .select({ step: reviews.step, comment: reviews.comment, org: organisations.name, at: reviews.updatedAt })
      .from(reviews)
      .leftJoin(organisations, eq(organisations.id, reviews.orgId))
      .where(eq(reviews.applicationId, app.id))
      .orderBy(asc(reviews.id)),
    db
      .select({ step: signoffs.step, comment: signoffs.comment, org: organisations.name, status: signoffs.status, at: signoffs.signedAt })
      .from(signoffs)
      .innerJoin(organisations, eq(organisations.id, signoffs.orgId))
      .where(eq(signoffs.applicationId, app.id))
      .orderBy(asc(signoffs.id)),
    db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, app.id)).orderBy(asc(applicationEvents.id)),
    signerNames(db, info),
  ]);
  // walk the history: a submission starts the chain again; a pass closes a step; a return or
  // rejection closes the step that held the application then
  const outcome = new Map<string, { result: string; date: string | null; reason: string | null }>();
  const steps = info.chain.steps;
  let current: string | null = null;
  for (const e of events) {
    if (e.action === 'submit' || e.action === 'recommend') {
      outcome.clear();
      current = steps[0]?.key ?? null;
    } else if (e.action.startsWith('pass:')) {
      const key = e.action.slice(5);
      outcome.set(key, { result: '通过', date: day(e.at), reason: e.reason });
      const i = steps.findIndex((s) => s.key === key);
      current = steps[i + 1]?.key ?? null;
    } else if ((e.action === 'return' || e.action === 'reject') && current) {
      outcome.set(current, { result: e.action === 'return' ? '退回修改' : '不予通过', date: day(e.at), reason: e.reason });
      current = null;
    }
  }
  return steps.map((s) => {
    const o = outcome.get(s.key);
    const lines = [
      ...revs.filter((r) => r.step === s.key && r.comment).map((r) => (r.org ? `${r.org}：${r.comment}` : r.comment!)),
      ...signs
        .filter((x) => x.step === s.key && x.status !== 'pending')
        .map((x) => `${x.org}：${x.comment ?? (x.status === 'overridden' ? '逾期未签，由平安办代为处理' : '已会签')}`),
    ];
    if (o?.reason && !lines.some((l) => l.endsWith(o.reason!))) lines.push(o.reason);
    const result = o?.result ?? (app.step === s.key && (app.status === 'submitted' || app.status === 'preliminary_passed') ? '审核中' : '');
    return { key: s.key, name: s.name, signer: signers.get(s.key) ?? s.name, opinion: lines.join('\n'), result, date: o?.date ?? null };
  });
}

/** The seal line of each step: the office of the level, the lead department, the signing departments, the experts. */
async function signerNames(db: Db, info: OwnershipInfo): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const offices = await db
    .select({
      id: organisations.id,
      name: organisations.name,
      regionId: organisations.regionId,
      kind: organisations.kind,
      dept: organisations.deptCode,
    })
    .from(organisations)
    .where(
      inArray(organisations.regionId, [
        info.ctx.campaignRegionId,
        ...Object.values(info.ctx.applicantRegions).filter((x): x is number => x != null),
      ]),
    );
  const officeAt = (regionId: number | null | undefined) =>
    regionId == null ? undefined : offices.find((o) => o.regionId === regionId && o.kind === 'safety_office')?.name;
  for (const s of info.chain.steps as ChainStep[]) {
    const o = s.owner;
    if (o.kind === 'office') {
      const region = o.level === 'campaign' ? info.ctx.campaignRegionId : info.ctx.applicantRegions[o.level];
      out.set(s.key, `审核单位：${officeAt(region) ?? s.name}`);
    } else if (o.kind === 'lead_department') {
      const names = offices
        .filter((x) => x.regionId === info.ctx.campaignRegionId && x.kind === 'department' && info.ctx.leadDepts.includes(x.dept))
        .map((x) => x.name);
      out.set(s.key, `牵头单位：${names.join('、') || '牵头部门'}`);
    } else if (o.kind === 'departments') out.set(s.key, '会签部门');
    else out.set(s.key, '核查专家组');
  }
  return out;
}

const KIND: Record<string, string> = { unit: '单位', household: '家庭', individual: '个人', region: '区域' };

function applicantText(d: FormData): string {
  const a = d.applicant;
  return [
    a.name,
    `类别：${d.categoryName}\u3000类型：${KIND[a.kind] ?? a.kind}${a.unitType ? `（${a.unitType}）` : ''}`,
    `所在区域：${a.regionPath}`,
    a.address ? `地址：${a.address}` : '',
    `联系人：${d.contactName || '—'}\u3000联系电话：${d.contactPhone || '—'}`,
  ]
    .filter(Boolean)
    .join('\n');
}

function header(flow: Flow, d: FormData, kind: '申报表' | '审核表', filledOn: string | null) {
  flow.title(d.campaignName, 15);
  flow.title(kind, 20);
  flow.line(`填表时间：${chineseDate(filledOn)}`, { align: 'right' });
  flow.gap(4);
}

/** 申报表: the applicant's part, and a blank opinion with a seal area for each reviewing level. */
export async function applicationFormPdf(d: FormData): Promise<Buffer> {
  const { doc, bytes } = newA4({ Title: `${d.campaignName} 申报表`, Subject: d.applicant.name });
  const flow = new Flow(doc);
  header(flow, d, '申报表', d.submittedOn);
  flow.row('申报单位', applicantText(d), { seal: { signer: '申报单位', date: d.submittedOn } });
  flow.row('申报内容', d.content, { minHeight: 90 });
  flow.row('平安创建\n活动计划', d.plan, { minHeight: 140 });
  for (const s of d.steps) flow.row(`${s.name}\n意见`, '', { minHeight: 110, seal: { signer: s.signer, date: null } });
  flow.gap(8);
  flow.line(`状态：${STATUS_LABELS[d.status].zh}\u3000\u3000本表由平安创建工作平台生成，盖章后有效。`, { size: 8.5, color: '#666' });
  doc.end();
  return bytes;
}

/** 审核表: the applicant's part, what was achieved, and each step's opinion, result and date. */
export async function reviewFormPdf(d: FormData, printedOn: string): Promise<Buffer> {
  const { doc, bytes } = newA4({ Title: `${d.campaignName} 审核表`, Subject: d.applicant.name });
  const flow = new Flow(doc);
  header(flow, d, '审核表', printedOn);
  flow.row('申报单位', applicantText(d), { seal: { signer: '申报单位', date: d.submittedOn } });
  flow.row('申报内容', d.content, { minHeight: 70 });
  const achieved = [
    d.rating
      ? `评审得分：${d.rating.total}/${d.rating.max}${d.rating.scheme === 'stars' && d.rating.stars > 0 ? `\u3000星级：${d.rating.stars}星` : ''}`
      : '尚未评分',
    d.criteriaMet ? `达标条目：${d.criteriaMet.met}/${d.criteriaMet.all}` : '',
    d.plan ? `创建活动：${d.plan}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  flow.row('平安创建\n开展情况\n及成果', achieved, { minHeight: 90 });
  for (const s of d.steps) {
    const body = [s.result ? `审核结果：${s.result}` : '审核结果：尚未审核', s.opinion ? `意见：${s.opinion}` : '']
      .filter(Boolean)
      .join('\n');
    flow.row(`${s.name}\n意见`, body, { minHeight: 110, seal: { signer: s.signer, date: s.date } });
  }
  flow.gap(8);
  flow.line(
    `状态：${STATUS_LABELS[d.status].zh}\u3000\u3000打印日期：${chineseDate(printedOn)}\u3000\u3000本表由平安创建工作平台生成，盖章后有效。`,
    {
      size: 8.5,
      color: '#666',
    },
  );
  doc.end();
  return bytes;
}
