import ExcelJS from 'exceljs';
import { STATUS_LABELS, type ApplicationStatus } from '@pingan/core';
import type { Db } from '../../db/client.js';
import type { CurrentUser } from '../../access/scope.js';
import { categoryYears, drilldown, ranking, regionYears, surveyProgress, trends, unitHistory, units, type Figures } from './service.js';

/** 数据分析: each list as an Excel workbook, the same rows as the JSON answer (no paging). */

type Cell = string | number | null;
interface Column {
  header: string;
  width?: number;
}

async function book(sheet: string, columns: Column[], rows: Cell[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width ?? 14 }));
  for (const r of rows) ws.addRow(r.map((v) => v ?? ''));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const pct = (v: number | null): Cell => (v === null ? '' : Math.round(v * 1000) / 10);
const statusZh = (s: string | null) => (s ? (STATUS_LABELS[s as ApplicationStatus]?.zh ?? s) : '');
const TITLE_STATUS: Record<string, string> = { valid: '有效', suspended: '黄牌警告', revoked: '已撤销' };

const FIGURE_COLUMNS: Column[] = [
  { header: '区域', width: 18 },
  { header: '单位', width: 8 },
  { header: '家庭', width: 8 },
  { header: '个人', width: 8 },
  { header: '区域主体', width: 10 },
  { header: '主体合计', width: 10 },
  { header: '申报数', width: 8 },
  { header: '已命名', width: 8 },
  { header: '不予通过', width: 10 },
  { header: '有效称号', width: 10 },
  { header: '已申报主体', width: 12 },
  { header: '覆盖率(%)', width: 10 },
  { header: '通过率(%)', width: 10 },
];
const figureRow = (name: string, f: Figures): Cell[] => [
  name,
  f.subjects.unit,
  f.subjects.household,
  f.subjects.individual,
  f.subjects.region,
  f.subjects.total,
  f.applicationsTotal,
  f.conferred,
  f.applications.rejected ?? 0,
  f.titlesInForce,
  f.covered,
  pct(f.coverage),
  pct(f.passRate),
];

export async function drilldownXlsx(db: Db, user: CurrentUser, q: { regionId?: number | undefined; year?: number | undefined }) {
  const d = await drilldown(db, user, q);
  const rows = [figureRow(`${d.region.name}（合计）`, d.figures), ...d.children.map((c) => figureRow(c.region.name, c.figures))];
  return { data: await book(`${d.year}年`, FIGURE_COLUMNS, rows), name: `${d.region.name}${d.year}年区域数字.xlsx` };
}

export async function unitsXlsx(db: Db, user: CurrentUser, q: { regionId?: number | undefined; q?: string | undefined }) {
  const u = await units(db, user, { ...q, limit: null, offset: 0 });
  const KIND: Record<string, string> = { unit: '单位', household: '家庭', individual: '个人', region: '区域' };
  const data = await book(
    '单位',
    [
      { header: '名称', width: 28 },
      { header: '类型', width: 8 },
      { header: '所在区域', width: 14 },
      { header: '最近申报年度', width: 12 },
      { header: '最近申报类别', width: 14 },
      { header: '最近申报状态', width: 20 },
      { header: '最近称号', width: 24 },
      { header: '称号年度', width: 10 },
      { header: '星级', width: 6 },
      { header: '称号状态', width: 10 },
    ],
    u.items.map((r) => [
      r.name,
      KIND[r.kind] ?? r.kind,
      r.regionName,
      r.latestYear,
      r.latestCategory,
      statusZh(r.latestStatus),
      r.titleName,
      r.titleYear,
      r.titleStars,
      r.titleStatus ? (TITLE_STATUS[r.titleStatus] ?? r.titleStatus) : '',
    ]),
  );
  return { data, name: `${u.region.name}单位列表.xlsx` };
}

export async function unitHistoryXlsx(db: Db, user: CurrentUser, subjectId: number) {
  const h = await unitHistory(db, user, subjectId);
  const rows: Cell[][] = [];
  for (const y of h.years) {
    for (const a of y.applications) rows.push([y.year, '申报', a.campaignName, a.categoryName, statusZh(a.status), a.score, a.stars]);
    for (const t of y.titles) rows.push([y.year, '称号', t.titleName, '', TITLE_STATUS[t.status] ?? t.status, '', t.stars]);
  }
  const data = await book(
    '历年',
    [
      { header: '年度', width: 8 },
      { header: '类型', width: 8 },
      { header: '活动/称号', width: 32 },
      { header: '类别', width: 12 },
      { header: '状态', width: 20 },
      { header: '得分', width: 8 },
      { header: '星级', width: 6 },
    ],
    rows,
  );
  return { data, name: `${h.subject.name}历年记录.xlsx` };
}

export async function categoryYearsXlsx(db: Db, user: CurrentUser, regionId?: number) {
  const m = await categoryYears(db, user, regionId);
  const name = new Map(m.categories.map((c) => [c.code, c.name]));
  const data = await book(
    '类别×年度',
    [{ header: '类别', width: 16 }, { header: '年度', width: 8 }, { header: '申报数' }, { header: '命名称号数' }],
    m.cells.map((c) => [name.get(c.categoryCode) ?? c.categoryCode, c.year, c.applications, c.titles]),
  );
  return { data, name: `${m.region.name}类别年度统计.xlsx` };
}

export async function trendsXlsx(db: Db, user: CurrentUser, regionId?: number) {
  const t = await trends(db, user, regionId);
  const data = await book(
    '趋势',
    [
      { header: '年度', width: 8 },
      { header: '申报数' },
      { header: '命名称号数' },
      { header: '已命名' },
      { header: '已决定' },
      { header: '通过率(%)' },
    ],
    t.items.map((r) => [r.year, r.applications, r.titles, r.conferred, r.decided, pct(r.passRate)]),
  );
  return { data, name: `${t.region.name}历年趋势.xlsx` };
}

export async function rankingXlsx(db: Db, user: CurrentUser, q: Parameters<typeof ranking>[2]) {
  const { ranking: r } = await ranking(db, user, q);
  const comps = r?.components ?? [];
  const data = await book(
    '年度排名',
    [
      { header: '名次', width: 6 },
      { header: '区域', width: 16 },
      { header: '得分', width: 8 },
      ...comps.map((c) => ({ header: c.label, width: 14 })),
      { header: '黄牌警告', width: 10 },
      { header: '一票否决', width: 10 },
      { header: '取消评先', width: 10 },
      { header: '说明', width: 40 },
    ],
    (r?.rows ?? []).map((row) => [
      row.rank,
      row.region,
      row.score,
      ...comps.map((c) => row.components.find((x) => x.indicator === c.indicator)?.value ?? null),
      row.yellowCard ? '是' : '',
      row.veto ? '是' : '',
      row.ineligible ? '是' : '',
      row.reasons.join('；'),
    ]),
  );
  return { data, name: r ? `${r.scopeRegionName}${r.year}年度排名.xlsx` : '年度排名.xlsx' };
}

export async function surveysXlsx(db: Db, user: CurrentUser, q: { regionId?: number | undefined; year?: number | undefined }) {
  const s = await surveyProgress(db, user, q);
  const indicators = [...new Set(s.items.flatMap((i) => i.indicators.map((x) => x.indicator)))].sort();
  const data = await book(
    '问卷',
    [
      { header: '区域', width: 16 },
      { header: '目标样本', width: 10 },
      { header: '已回收', width: 10 },
      { header: '完成率(%)', width: 10 },
      ...indicators.map((i) => ({ header: i, width: 16 })),
    ],
    s.items.map((i) => [
      i.region.name,
      i.target,
      i.responses,
      pct(i.progress),
      ...indicators.map((k) => i.indicators.find((x) => x.indicator === k)?.value ?? null),
    ]),
  );
  return { data, name: `${s.region.name}${s.year}年问卷进度.xlsx` };
}

export async function regionYearsXlsx(db: Db, user: CurrentUser, regionId?: number) {
  const r = await regionYears(db, user, regionId);
  const SOURCE: Record<string, string> = { computed: '系统计算', survey: '问卷', import: '导入', manual: '手工录入' };
  const rows: Cell[][] = r.indicators.flatMap((i) =>
    i.values.map((v) => [i.indicator, v.year, v.value, SOURCE[v.source] ?? v.source, v.sourceRef, String(v.recordedAt).slice(0, 10)]),
  );
  const data = await book(
    '历年对比',
    [
      { header: '指标', width: 24 },
      { header: '年度', width: 8 },
      { header: '数值', width: 10 },
      { header: '来源', width: 10 },
      { header: '依据', width: 20 },
      { header: '记录日期', width: 12 },
    ],
    rows,
  );
  return { data, name: `${r.region.name}历年指标.xlsx` };
}
