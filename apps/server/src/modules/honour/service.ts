import { PUBLIC_TITLE_STATUS_LABELS, findPersonalNumbers, maskIdNumber, maskName, maskPhone, type PublicTitleStatus } from '@pingan/core';
import type { HonourExport, HonourFacets, HonourFilter, HonourItem, PublicTitleView, TitleHistoryEntry } from '@pingan/contract';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import { notFound } from '../../errors.js';
import { today as clockToday } from '../../clock.js';
import {
  regionsByIds,
  regionsByNames,
  rollCount,
  rollFacetCounts,
  rollRows,
  titleByNo,
  titleHistory,
  type RegionNode,
  type RollFilter,
  type RollRow,
} from './queries.js';

/**
 * 荣誉榜, its open data and a title's public page. Everything handed out here passes through
 * `presentRow`: households and persons masked, their region cut at the township, no internal id;
 * free text written by staff (a reason, a naming document) has the holder's full name and any
 * phone or ID number masked before it leaves.
 */

type Filter = z.output<typeof HonourFilter>;
type Item = z.input<typeof HonourItem>;

const PERSONAL = new Set(['household', 'individual']);
const UP_TO_TOWN = new Set(['province', 'city', 'county', 'town']);
/** the separator of a region's path of names, as the roll shows it and the filter takes it */
export const REGION_SEP = '/';

const idsOf = (path: string) =>
  path
    .split('/')
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isSafeInteger(n));

/** 云州市/青山区/城南街道: a region's path of names; for households and persons it stops at the township. */
function regionLabel(idPath: string, kind: string, regions: Map<number, RegionNode>): string {
  const names: string[] = [];
  for (const id of idsOf(idPath)) {
    const r = regions.get(id);
    if (!r) continue;
    if (PERSONAL.has(kind) && !UP_TO_TOWN.has(r.level)) break;
    names.push(r.name);
  }
  return names.join(REGION_SEP);
}

/**
 * Text written by staff, made fit for the public: the holder's full name (and a household's head
 * without 家庭) becomes the masked one, phone and ID numbers are masked.
 */
export function scrubPublicText(text: string | null, holder: { name: string; kind: string }): string | null {
  if (text == null) return null;
  let out = text;
  if (PERSONAL.has(holder.kind)) {
    const masked = maskName(holder.name, holder.kind);
    const full = holder.name.trim();
    const head = full.replace(/家庭$/, '');
    for (const n of [full, head].filter((x) => [...x].length >= 2)) out = out.split(n).join(masked);
  }
  for (const hit of findPersonalNumbers(out).sort((a, b) => b.value.length - a.value.length))
    out = out.split(hit.value).join(hit.kind === 'idNumber' ? maskIdNumber(hit.value) : maskPhone(hit.value));
  return out;
}

function presentRow(r: RollRow, regions: Map<number, RegionNode>): Item {
  const holder = { name: r.subjectName, kind: r.subjectKind };
  return {
    certificateNo: r.certificateNo,
    holder: maskName(r.subjectName, r.subjectKind),
    holderKind: r.subjectKind,
    region: regionLabel(r.regionPath, r.subjectKind, regions),
    categoryCode: r.categoryCode,
    categoryName: r.categoryName ?? r.categoryCode,
    categoryNameEn: r.categoryNameEn ?? null,
    titleName: scrubPublicText(r.titleName, holder)!,
    year: r.year,
    level: r.level,
    stars: r.level === 'title' ? null : r.stars,
    issuer: r.issuer,
    namingDocument: scrubPublicText(r.namingDocument, holder),
    conferredOn: r.conferredOn,
    status: r.status,
    statusSince: r.status === 'expired' && r.validUntil ? dayAfter(r.validUntil) : r.statusSince,
    validUntil: r.validUntil,
  };
}

function dayAfter(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

async function presentRows(db: Db, rows: RollRow[]): Promise<Item[]> {
  const regions = await regionsByIds(
    db,
    rows.flatMap((r) => idsOf(r.regionPath)),
  );
  return rows.map((r) => presentRow(r, regions));
}

const STATUSES: Record<Filter['status'], RollFilter['statuses']> = {
  current: ['valid', 'yellow'],
  all: null,
  valid: ['valid'],
  yellow: ['yellow'],
  revoked: ['revoked'],
  expired: ['expired'],
};

/**
 * A region from its path of names (云州市/青山区/城南街道, or its tail 青山区/城南街道): undefined when
 * no filter was asked for, null when no region answers to it (the list is then empty).
 */
async function resolveRegion(db: Db, text: string | undefined): Promise<RollFilter['region']> {
  const names = (text ?? '')
    .split(/[/／>›]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (!names.length) return undefined;
  if (names.length > 10) return null;
  const candidates = (await regionsByNames(db, names)).filter((r) => r.name === names[names.length - 1]);
  if (!candidates.length) return null;
  const ancestors = await regionsByIds(
    db,
    candidates.flatMap((c) => idsOf(c.path)),
  );
  const matches = candidates.filter((c) => {
    const chain = idsOf(c.path).map((id) => ancestors.get(id)?.name ?? '');
    const tail = chain.slice(-names.length);
    return tail.length === names.length && tail.every((n, i) => n === names[i]);
  });
  if (!matches.length) return null;
  // the shallowest when a tail is ambiguous (two 城南街道 in two counties): the full path is never ambiguous
  const r = matches.sort((a, b) => idsOf(a.path).length - idsOf(b.path).length)[0]!;
  return { path: r.path, belowTown: !UP_TO_TOWN.has(r.level) };
}

async function filterOf(db: Db, f: Filter): Promise<RollFilter> {
  return {
    today: clockToday(),
    statuses: STATUSES[f.status],
    year: f.year,
    category: f.category?.trim() || undefined,
    region: await resolveRegion(db, f.region),
    q: f.q?.trim() || undefined,
  };
}

async function facetsOf(db: Db, f: RollFilter): Promise<z.input<typeof HonourFacets>> {
  const c = await rollFacetCounts(db, f);
  const byRegion = new Map<number, number>();
  for (const p of c.paths) for (const id of idsOf(p.path)) byRegion.set(id, (byRegion.get(id) ?? 0) + p.count);
  const regions = await regionsByIds(db, [...byRegion.keys()]);
  const out: z.input<typeof HonourFacets>['regions'] = [];
  for (const [id, count] of byRegion) {
    const r = regions.get(id);
    if (!r || !UP_TO_TOWN.has(r.level)) continue;
    const chain = idsOf(r.path).map((x) => regions.get(x)?.name ?? '');
    out.push({
      path: chain.join(REGION_SEP),
      name: r.name,
      level: r.level as 'province' | 'city' | 'county' | 'town',
      depth: chain.length - 1,
      count,
    });
  }
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    years: c.years,
    categories: c.categories.map((x) => ({ code: x.code, name: x.name ?? x.code, nameEn: x.nameEn ?? null, count: x.count })),
    regions: out,
  };
}

/** A page of the honour roll with its facets. */
export async function honourList(db: Db, q: Filter & { limit: number; offset: number }) {
  const f = await filterOf(db, q);
  const [rows, total, facets] = await Promise.all([
    rollRows(db, f, { limit: q.limit, offset: q.offset }),
    rollCount(db, f),
    facetsOf(db, f),
  ]);
  return { items: await presentRows(db, rows), total, limit: q.limit, offset: q.offset, facets };
}

/** The whole roll under a filter, as open data (JSON). */
export async function honourExport(db: Db, q: Filter): Promise<z.input<typeof HonourExport>> {
  const f = await filterOf(db, q);
  const items = await presentRows(db, await rollRows(db, f, null));
  return {
    generatedOn: f.today,
    filter: { year: q.year ?? null, category: f.category ?? null, region: q.region?.trim() || null, q: f.q ?? null, status: q.status },
    total: items.length,
    items,
  };
}

const KIND_LABELS: Record<string, string> = { unit: '单位', household: '家庭', individual: '个人', region: '地区' };

const CSV_COLUMNS: [string, (i: Item) => string | number | null][] = [
  ['证书编号', (i) => i.certificateNo],
  ['称号持有者', (i) => i.holder],
  ['持有者类型', (i) => KIND_LABELS[i.holderKind] ?? i.holderKind],
  ['所在地区', (i) => i.region],
  ['类别', (i) => i.categoryName],
  ['称号', (i) => i.titleName],
  ['年度', (i) => i.year],
  ['星级', (i) => i.stars],
  ['命名单位', (i) => i.issuer],
  ['命名文件', (i) => i.namingDocument],
  ['命名日期', (i) => i.conferredOn],
  ['状态', (i) => PUBLIC_TITLE_STATUS_LABELS[i.status].zh],
  ['状态日期', (i) => i.statusSince],
  ['有效期至', (i) => i.validUntil],
];

/** One CSV cell (RFC 4180); a cell a spreadsheet would run as a formula is prefixed with '. */
function csvCell(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The same rows as CSV: UTF-8 with a BOM (so Excel reads the Chinese), CRLF, Chinese headers. */
export function honourCsv(items: Item[]): Buffer {
  const lines = [CSV_COLUMNS.map(([h]) => h).join(',')];
  for (const i of items) lines.push(CSV_COLUMNS.map(([, get]) => csvCell(get(i))).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/**
 * A certificate number as people type it: spaces and dashes anywhere, lower case, and in the
 * random part O for 0 and I/L for 1 (Crockford). Anything that cannot be one gives null.
 */
export function normaliseCertificateNo(input: string): string | null {
  const s = input.replace(/[\s\-–—_]/g, '').toUpperCase();
  const m = /^PA(\d{4})([0-9A-Z]{20})$/.exec(s);
  if (!m) return null;
  const body = m[2]!.replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{20}$/.test(body)) return null;
  return `PA${m[1]}-${body.slice(0, 5)}-${body.slice(5, 10)}-${body.slice(10, 15)}-${body.slice(15, 20)}`;
}

const STORED_TO_PUBLIC: Record<string, PublicTitleStatus> = {
  valid: 'valid',
  suspended: 'yellow',
  yellow: 'yellow',
  revoked: 'revoked',
  expired: 'expired',
};
const toPublic = (s: string | null): PublicTitleStatus | null => (s ? (STORED_TO_PUBLIC[s] ?? null) : null);

/** 证书 "PA…" 不存在: one answer for a number that is not there and for one that cannot be. */
const NO_SUCH_TITLE = () => notFound('该证书编号');

/** A title's public page: live status, details and history. */
export async function publicTitle(db: Db, no: string): Promise<z.input<typeof PublicTitleView>> {
  const certificateNo = normaliseCertificateNo(no);
  if (!certificateNo) throw NO_SUCH_TITLE();
  const asOf = clockToday();
  const row = await titleByNo(db, certificateNo, asOf);
  if (!row) throw NO_SUCH_TITLE();
  const [item] = await presentRows(db, [row]);
  const holder = { name: row.subjectName, kind: row.subjectKind };
  const history: z.input<typeof TitleHistoryEntry>[] = (await titleHistory(db, row.titleId)).map((e) => ({
    kind: e.kind,
    on: e.on,
    fromStatus: toPublic(e.fromStatus),
    toStatus: toPublic(e.toStatus),
    fromStars: row.level === 'title' ? null : e.fromStars,
    toStars: row.level === 'title' ? null : e.toStars,
    reason: scrubPublicText(e.reason, holder),
  }));
  if (item!.status === 'expired' && row.validUntil)
    history.push({
      kind: 'expired',
      on: dayAfter(row.validUntil),
      fromStatus: 'valid',
      toStatus: 'expired',
      fromStars: null,
      toStars: null,
      reason: null,
    });
  return {
    ...item!,
    statusReason: item!.status === 'yellow' || item!.status === 'revoked' ? scrubPublicText(row.statusReason, holder) : null,
    asOf,
    signed: row.signature !== null,
    history,
  };
}
