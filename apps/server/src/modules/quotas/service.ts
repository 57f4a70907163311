import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import YAML from 'yaml';
import { DEPARTMENTS, QUOTAS_FORMAT, ownsCampaign, parseQuotaTable, type QuotaTable } from '@pingan/core';
import { inTurn, type Db, type Tx } from '../../db/client.js';
import { AppError, notFound } from '../../errors.js';
import { actorOf } from '../../access/ownership.js';
import type { CurrentUser } from '../../access/scope.js';
import { STANDARDS_DIR } from '../standards/files.js';
import { cellValue, loadWorkbook } from '../standards/formats.js';
import {
  campaignById,
  campaignCategoryRows,
  categoryNames,
  childRegions,
  quotaRows,
  recommendationCounts,
  regionById,
  replaceQuotaRows,
  type CampaignRow,
  type QuotaRow,
} from './queries.js';

/**
 * Quotas (名额) of a campaign: per lower region (004 附件 table 1, the counties) and per department
 * of the campaign's region (table 2, the lead departments), per category. The campaign's office
 * writes them: typed, loaded from the 004 table, or imported from Excel. A recommending body sees
 * its own rows; everyone else gets 404.
 */

/** A body that recommends into a campaign: a county office below it, or a department beside its office. */
export type Recommender =
  { kind: 'region'; orgId: number; regionId: number; name: string } | { kind: 'department'; orgId: number; deptCode: string; name: string };

export interface CampaignAccess {
  campaign: CampaignRow;
  office: boolean;
  recommender: Recommender | null;
}

/** Who the account is to this campaign; NOT_FOUND when it is neither its office nor a recommender. */
export async function campaignAccess(db: Db | Tx, user: CurrentUser, campaignId: number): Promise<CampaignAccess> {
  const campaign = await campaignById(db, campaignId);
  if (!campaign || !user.org) throw notFound('创建活动');
  const office = ownsCampaign(actorOf(user), campaign.regionId);
  let recommender: Recommender | null = null;
  if (!office) {
    if (user.org.kind === 'safety_office' && user.role === 'safety_office') {
      const r = await regionById(db, user.org.regionId);
      if (r?.parentId === campaign.regionId) recommender = { kind: 'region', orgId: user.org.id, regionId: r.id, name: user.org.name };
    } else if (user.org.kind === 'department' && user.role === 'lead_department' && user.org.regionId === campaign.regionId)
      recommender = { kind: 'department', orgId: user.org.id, deptCode: user.org.deptCode, name: user.org.name };
  }
  if (!office && !recommender) throw notFound('创建活动');
  return { campaign, office, recommender };
}

export function requireCampaignOffice(a: CampaignAccess): void {
  if (!a.office) throw notFound('创建活动');
}

/** Whether a quota row belongs to the recommender. */
export function rowOf(r: Recommender, q: { regionId: number | null; deptCode: string | null }): boolean {
  return r.kind === 'region' ? q.regionId === r.regionId : q.regionId === null && q.deptCode === r.deptCode;
}

const deptName = (code: string | null) => (code ? ((DEPARTMENTS as Record<string, { zh: string }>)[code]?.zh ?? code) : null);

export interface QuotaView {
  id: number;
  regionId: number | null;
  regionName: string | null;
  deptCode: string | null;
  deptName: string | null;
  categoryCode: string;
  categoryName: string;
  count: number;
  used: number;
  source: QuotaRow['source'];
}

async function presentRows(db: Db | Tx, campaign: CampaignRow, rows: QuotaRow[]): Promise<QuotaView[]> {
  const [children, names, counts] = await inTurn(
    () => childRegions(db, campaign.regionId),
    () => categoryNames(db, [...new Set(rows.map((r) => r.categoryCode))]),
    () => recommendationCounts(db, campaign.id),
  );
  const regionName = new Map(children.map((c) => [c.id, c.name]));
  return rows.map((r) => ({
    id: r.id,
    regionId: r.regionId,
    regionName: r.regionId === null ? null : (regionName.get(r.regionId) ?? String(r.regionId)),
    deptCode: r.deptCode,
    deptName: deptName(r.deptCode),
    categoryCode: r.categoryCode,
    categoryName: names.get(r.categoryCode) ?? r.categoryCode,
    count: r.count,
    used: counts
      .filter(
        (c) =>
          c.categoryCode === r.categoryCode &&
          (r.regionId !== null
            ? c.orgKind === 'safety_office' && c.regionId === r.regionId
            : c.orgKind === 'department' && c.regionId === campaign.regionId && c.deptCode === r.deptCode),
      )
      .reduce((s, c) => s + c.n, 0),
    source: r.source,
  }));
}

export async function getQuotas(db: Db, user: CurrentUser, campaignId: number) {
  const a = await campaignAccess(db, user, campaignId);
  const all = await quotaRows(db, campaignId);
  const rows = a.office ? all : all.filter((q) => rowOf(a.recommender!, q));
  const [children, cats] = await Promise.all([childRegions(db, a.campaign.regionId), campaignCategoryRows(db, campaignId)]);
  return {
    campaign: { id: a.campaign.id, name: a.campaign.name, year: a.campaign.year },
    canEdit: a.office,
    recommender: a.recommender ? { kind: a.recommender.kind, name: a.recommender.name } : null,
    rows: await presentRows(db, a.campaign, rows),
    regions: a.office ? children.map((c) => ({ id: c.id, name: c.name })) : [],
    categories: cats.map((c) => ({ code: c.code, name: c.name })),
  };
}

export interface QuotaInput {
  regionId: number | null;
  deptCode: string | null;
  categoryCode: string;
  count: number;
}

const keyOf = (q: { regionId: number | null; deptCode: string | null; categoryCode: string }) =>
  `${q.categoryCode}|${q.regionId ?? ''}|${q.deptCode ?? ''}`;

/** Problems with rows, in Chinese, numbered by their position (第n行). */
async function rowProblems(db: Db | Tx, campaign: CampaignRow, rows: QuotaInput[], label: (i: number) => string): Promise<string[]> {
  const children = new Set((await childRegions(db, campaign.regionId)).map((c) => c.id));
  const seen = new Set<string>();
  const out: string[] = [];
  rows.forEach((r, i) => {
    const at = label(i);
    if ((r.regionId === null) === (r.deptCode === null)) out.push(`${at}：须填写地区或部门之一（不能同时填写）`);
    if (r.regionId !== null && !children.has(r.regionId)) out.push(`${at}：地区不是本创建活动所属地区的下一级地区`);
    if (r.deptCode !== null && !(r.deptCode in DEPARTMENTS)) out.push(`${at}：未知的部门代码「${r.deptCode}」`);
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(r.categoryCode))
      out.push(`${at}：类别代码「${r.categoryCode}」格式不正确（小写字母、数字、下划线）`);
    if (!Number.isInteger(r.count) || r.count < 0 || r.count > 100000) out.push(`${at}：名额须为0到100000之间的整数`);
    const k = keyOf(r);
    if (seen.has(k)) out.push(`${at}：与前面的行重复（同一地区或部门、同一类别只能有一行）`);
    seen.add(k);
  });
  return out;
}

/** PUT: the office replaces the rows; a row unchanged from before keeps its source. */
export async function replaceQuotas(db: Db, user: CurrentUser, campaignId: number, rows: QuotaInput[]) {
  const a = await campaignAccess(db, user, campaignId);
  requireCampaignOffice(a);
  const problems = await rowProblems(db, a.campaign, rows, (i) => `第${i + 1}行`);
  if (problems.length) throw new AppError('VALIDATION', problems.join('；'), { errors: problems });
  const before = new Map((await quotaRows(db, campaignId)).map((q) => [keyOf(q), q]));
  await db.transaction(async (tx) => {
    await replaceQuotaRows(
      tx,
      campaignId,
      rows.map((r) => {
        const old = before.get(keyOf(r));
        return { ...r, source: old && old.count === r.count ? old.source : 'manual' };
      }),
    );
  });
  return getQuotas(db, user, campaignId);
}

// ─────────────────────────── the 004 tables ───────────────────────────

/** Quota tables (format pingan-quotas/v1) under standards/, by code. */
export function findQuotaTable(code: string, dir = STANDARDS_DIR): QuotaTable | null {
  const walk = (d: string): QuotaTable | null => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((x, y) => x.name.localeCompare(y.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        const hit = walk(p);
        if (hit) return hit;
      } else if (/\.ya?ml$/.test(e.name)) {
        const raw = YAML.parse(fs.readFileSync(p, 'utf8')) as { format?: unknown; code?: unknown } | null;
        if (raw?.format !== QUOTAS_FORMAT || raw.code !== code) continue;
        const r = parseQuotaTable(raw);
        if (!r.ok) throw new Error(`${p}: ${r.errors.join('; ')}`);
        return r.table;
      }
    }
    return null;
  };
  return walk(dir);
}

/** Region names match when equal, or equal without a bracketed part: 商洛高新区（商丹园区） ~ 商洛高新区. */
const bare = (s: string) => s.replace(/[（(][^）)]*[）)]/g, '').trim();

export interface LoadInput {
  code: string;
  /** table region name → campaign child region id, for the names that do not match */
  regionMap?: Record<string, number>;
  /** table brand or domain code → category code, when the campaign's categories are named otherwise */
  categoryMap?: Record<string, string>;
}

/**
 * Loads 004's tables into the campaign: region rows onto the child regions with the same name (or
 * as mapped), department rows onto department codes. Rows for unmatched regions are not written;
 * the report says which. Replaces the rows previously loaded from a table and any row with the
 * same key; typed and imported rows for other keys stay.
 */
export async function loadQuotaTable(db: Db, user: CurrentUser, campaignId: number, input: LoadInput) {
  const a = await campaignAccess(db, user, campaignId);
  requireCampaignOffice(a);
  const table = findQuotaTable(input.code);
  if (!table) throw notFound(`名额分配表「${input.code}」`);
  const children = await childRegions(db, a.campaign.regionId);
  const cats = await campaignCategoryRows(db, campaignId);
  const catCodes = new Set(cats.map((c) => c.code));
  const byId = new Map(children.map((c) => [c.id, c]));
  const mapCat = (code: string) => input.categoryMap?.[code] ?? code;
  for (const [name, id] of Object.entries(input.regionMap ?? {}))
    if (!byId.has(id)) throw new AppError('VALIDATION', `地区对应有误：「${name}」对应的地区不是本创建活动所属地区的下一级地区`);

  const matched: { tableRegion: string; regionId: number; regionName: string; how: 'name' | 'mapped' }[] = [];
  const unmatched: string[] = [];
  const rows: QuotaInput[] = [];
  for (const r of table.regions?.rows ?? []) {
    const mappedId = input.regionMap?.[r.region];
    const hit =
      mappedId !== undefined
        ? byId.get(mappedId)
        : (children.find((c) => c.name === r.region) ?? children.find((c) => bare(c.name) === bare(r.region)));
    if (!hit) {
      unmatched.push(r.region);
      continue;
    }
    matched.push({ tableRegion: r.region, regionId: hit.id, regionName: hit.name, how: mappedId !== undefined ? 'mapped' : 'name' });
    for (const [brand, n] of Object.entries(r.counts))
      if (n != null) rows.push({ regionId: hit.id, deptCode: null, categoryCode: mapCat(brand), count: n });
  }
  for (const d of table.departments?.rows ?? [])
    rows.push({ regionId: null, deptCode: d.department, categoryCode: mapCat(d.domain), count: d.count });

  // two table rows mapped onto one region: add them up
  const merged = new Map<string, QuotaInput>();
  for (const r of rows) {
    const k = keyOf(r);
    const old = merged.get(k);
    merged.set(k, old ? { ...old, count: old.count + r.count } : r);
  }
  const problems = await rowProblems(db, a.campaign, [...merged.values()], (i) => `第${i + 1}条`);
  if (problems.length) throw new AppError('VALIDATION', problems.join('；'), { errors: problems });

  const keep = (await quotaRows(db, campaignId)).filter((q) => q.source !== 'table' && !merged.has(keyOf(q)));
  await db.transaction(async (tx) => {
    await replaceQuotaRows(tx, campaignId, [
      ...keep.map((q) => ({ regionId: q.regionId, deptCode: q.deptCode, categoryCode: q.categoryCode, count: q.count, source: q.source })),
      ...[...merged.values()].map((r) => ({ ...r, source: 'table' as const })),
    ]);
  });
  const usedCats = [...new Set([...merged.values()].map((r) => r.categoryCode))];
  return {
    table: { code: table.code, title: table.title, year: table.year },
    written: merged.size,
    matched,
    unmatched,
    /** categories the rows were written for, and whether the campaign runs them */
    categories: usedCats.map((code) => ({ code, inCampaign: catCodes.has(code) })),
    message: unmatched.length
      ? `已载入${merged.size}条名额；${unmatched.length}个地区未能对应本活动的下级地区：${unmatched.join('、')}，请指定对应地区后重新载入，或手工填写`
      : `已载入${merged.size}条名额，所有地区均已对应`,
  };
}

// ─────────────────────────── Excel ───────────────────────────

export const QUOTA_COLUMNS = { who: '地区/部门', category: '类别代码', count: '名额' } as const;

export async function exportQuotasXlsx(db: Db, user: CurrentUser, campaignId: number): Promise<{ fileName: string; data: Buffer }> {
  const q = await getQuotas(db, user, campaignId);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名额');
  ws.columns = [
    { header: QUOTA_COLUMNS.who, key: 'who', width: 24 },
    { header: QUOTA_COLUMNS.category, key: 'category', width: 16 },
    { header: QUOTA_COLUMNS.count, key: 'count', width: 10 },
    { header: '类别名称', key: 'categoryName', width: 20 },
    { header: '已推荐', key: 'used', width: 10 },
    { header: '来源', key: 'source', width: 10 },
  ];
  const SOURCE = { table: '分配表', manual: '手工填写', import: 'Excel导入' } as const;
  for (const r of q.rows)
    ws.addRow({
      who: r.regionName ?? r.deptCode,
      category: r.categoryCode,
      count: r.count,
      categoryName: r.categoryName,
      used: r.used,
      source: SOURCE[r.source],
    });
  ws.getRow(1).font = { bold: true };
  return { fileName: `${q.campaign.name}-名额.xlsx`, data: Buffer.from(await wb.xlsx.writeBuffer()) };
}

/**
 * Imports rows from an .xlsx with columns 地区/部门, 类别代码, 名额 (first sheet, header in row 1).
 * 地区/部门 is a child region's name, a department code, or a department's name. Any bad row:
 * nothing is written and every bad row is named.
 */
export async function importQuotasXlsx(db: Db, user: CurrentUser, campaignId: number, data: Buffer) {
  const a = await campaignAccess(db, user, campaignId);
  requireCampaignOffice(a);
  let wb: ExcelJS.Workbook;
  try {
    wb = await loadWorkbook(data);
  } catch {
    throw new AppError('VALIDATION', '不是有效的 Excel（.xlsx）文件');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new AppError('VALIDATION', 'Excel 文件中没有工作表');
  const cols = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => cols.set(String(cellValue(cell.value) ?? '').trim(), col));
  const missing = Object.values(QUOTA_COLUMNS).filter((h) => !cols.has(h));
  if (missing.length) throw new AppError('VALIDATION', `缺少列：${missing.join('、')}（第1行须为表头：地区/部门、类别代码、名额）`);
  const children = await childRegions(db, a.campaign.regionId);
  const deptByName = new Map(Object.entries(DEPARTMENTS as Record<string, { zh: string }>).map(([code, d]) => [d.zh, code]));
  const errors: string[] = [];
  const rows: QuotaInput[] = [];
  const lines: number[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const get = (h: string) => cellValue(row.getCell(cols.get(h)!).value);
    const whoRaw = get(QUOTA_COLUMNS.who);
    const catRaw = get(QUOTA_COLUMNS.category);
    const countRaw = get(QUOTA_COLUMNS.count);
    if ([whoRaw, catRaw, countRaw].every((v) => v === null || String(v).trim() === '')) return;
    const who = String(whoRaw ?? '').trim();
    const category = String(catRaw ?? '').trim();
    const at = `第${n}行`;
    let regionId: number | null = null;
    let deptCode: string | null = null;
    if (!who) errors.push(`${at}：地区/部门为空`);
    else {
      const region = children.find((c) => c.name === who) ?? children.find((c) => bare(c.name) === bare(who));
      if (region) regionId = region.id;
      else if (who in DEPARTMENTS) deptCode = who;
      else if (deptByName.has(who)) deptCode = deptByName.get(who)!;
      else errors.push(`${at}：「${who}」既不是本活动的下级地区，也不是已知的部门`);
    }
    const count = typeof countRaw === 'number' ? countRaw : countRaw === null ? NaN : Number(String(countRaw).trim());
    if (!category) errors.push(`${at}：类别代码为空`);
    if (!Number.isInteger(count) || count < 0 || count > 100000) errors.push(`${at}：名额「${countRaw ?? ''}」须为0到100000之间的整数`);
    if (who && category && (regionId !== null || deptCode !== null)) {
      rows.push({ regionId, deptCode, categoryCode: category, count: Number.isInteger(count) ? count : 0 });
      lines.push(n);
    }
  });
  errors.push(...(await rowProblems(db, a.campaign, rows, (i) => `第${lines[i]}行`)).filter((p) => !p.includes('名额须为')));
  if (errors.length) throw new AppError('VALIDATION', `导入失败，未写入任何数据：${errors.join('；')}`, { errors });
  if (!rows.length) throw new AppError('VALIDATION', 'Excel 中没有名额数据');
  await db.transaction(async (tx) => {
    await replaceQuotaRows(
      tx,
      campaignId,
      rows.map((r) => ({ ...r, source: 'import' as const })),
    );
  });
  return { imported: rows.length };
}
