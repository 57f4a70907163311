import { DEPARTMENTS, type DepartmentCode } from './departments.js';

/**
 * 名册导入 rules without I/O: region levels and their order, what a cell may hold, phone formats.
 * The server's roster import (apps/server/src/modules/roster) applies them row by row.
 */

export const REGION_LEVELS = ['province', 'city', 'county', 'town', 'village', 'grid'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export const REGION_LEVEL_LABELS: Record<RegionLevel, { zh: string; en: string }> = {
  province: { zh: '省', en: 'Province' },
  city: { zh: '市', en: 'City' },
  county: { zh: '县（区）', en: 'County / district' },
  town: { zh: '乡镇（街道）', en: 'Town / street' },
  village: { zh: '村（社区）', en: 'Village / community' },
  grid: { zh: '网格', en: 'Grid' },
};

const LEVEL_WORDS: Record<string, RegionLevel> = {
  省: 'province',
  省级: 'province',
  市: 'city',
  市级: 'city',
  县: 'county',
  区: 'county',
  县区: 'county',
  '县（区）': 'county',
  '县(区)': 'county',
  县级: 'county',
  乡镇: 'town',
  镇: 'town',
  乡: 'town',
  街道: 'town',
  '乡镇（街道）': 'town',
  '乡镇(街道)': 'town',
  村: 'village',
  社区: 'village',
  '村（社区）': 'village',
  '村(社区)': 'village',
  网格: 'grid',
};

/** A level from a cell: the code (town) or its Chinese name (乡镇, 街道 …); null when unknown. */
export function parseRegionLevel(s: string): RegionLevel | null {
  const t = s.trim();
  if ((REGION_LEVELS as readonly string[]).includes(t)) return t as RegionLevel;
  return LEVEL_WORDS[t] ?? null;
}

/** A region of `child` level may sit under one of `parent` level only when it is lower (市 → 县 → 镇 → 村 → 网格). */
export function levelBelow(parent: RegionLevel, child: RegionLevel): boolean {
  return REGION_LEVELS.indexOf(child) > REGION_LEVELS.indexOf(parent);
}

/** A region path as written in the sheet (云州市/青山区, also with ／ or ＞): its names, trimmed. */
export function splitRegionPath(s: string): string[] {
  return s
    .split(/[/／>＞]/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** 单位/家庭 → the subject kind; null when neither. */
export function parseSubjectKind(s: string): 'unit' | 'household' | null {
  const t = s.trim();
  if (t === '单位' || t === 'unit') return 'unit';
  if (t === '家庭' || t === 'household') return 'household';
  return null;
}

/** A mobile number (11 digits from 13x–19x) or a landline (0 + area code + 7–8 digits, optional extension). */
export function isPhone(s: string): boolean {
  const t = s.replace(/[\s-]/g, '');
  return /^1[3-9]\d{9}$/.test(t) || /^0\d{9,11}$/.test(t) || /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/.test(s.trim());
}

/** A phone as stored: without spaces (hyphens of a landline kept). */
export function normalisePhone(s: string): string {
  return s.trim().replace(/\s+/g, '');
}

const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a text cell is refused (NUL byte, broken character, too long), or null. */
export function textProblem(label: string, s: string, max: number): string | null {
  if (NUL.test(s)) return `${label}包含空字符`;
  if (LONE_SURROGATE.test(s)) return `${label}包含无效的字符`;
  if (s.length > max) return `${label}不能超过${max}字`;
  return null;
}

/**
 * A whole number from a cell within [0, max]: the number, null for an empty cell, or the reason
 * it is refused. Text like "1200" or "1,200" is read as the number.
 */
export function boundedInt(
  label: string,
  v: string | number | boolean | null,
  max: number,
): { value: number | null; problem: string | null } {
  if (v === null || v === '') return { value: null, problem: null };
  const n =
    typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d{1,3}(,?\d{3})*\s*$/.test(v) ? Number(v.replace(/[,\s]/g, '')) : NaN;
  if (!Number.isFinite(n) || !Number.isInteger(n)) return { value: null, problem: `${label}须为整数` };
  if (n < 0 || n > max) return { value: null, problem: `${label}须在0到${max}之间` };
  return { value: n, problem: null };
}

/**
 * The department code a cell names: a code (education), the catalogue's name (教育局), or an
 * organisation's name looked up in `orgNames` (云州市教育局 → education). Null when none matches.
 */
export function parseDepartment(s: string, orgNames: ReadonlyMap<string, string>): string | null {
  const t = s.trim();
  if (t in DEPARTMENTS) return t;
  for (const [code, d] of Object.entries(DEPARTMENTS)) if (d.zh === t) return code as DepartmentCode;
  return orgNames.get(t) ?? null;
}
