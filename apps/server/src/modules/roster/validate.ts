import {
  REGION_LEVEL_LABELS,
  boundedInt,
  isPhone,
  levelBelow,
  normalisePhone,
  parseDepartment,
  parseRegionLevel,
  parseSubjectKind,
  splitRegionPath,
  textProblem,
  type RegionLevel,
} from '@pingan/core';
import {
  REGION_COLUMNS,
  REGION_SHEET,
  UNIT_COLUMNS,
  UNIT_SHEET,
  type BadRow,
  type Cell,
  type RawRow,
  type RosterSheets,
} from './sheets.js';

/**
 * Row-by-row checks of a roster file against what the database holds (the "world"). Pure: the
 * service loads the world, this decides, the service writes. A file with any bad row is refused.
 */

export interface WorldRegion {
  id: number;
  name: string;
  level: RegionLevel;
  /** materialised id path /1/4/ */
  path: string;
  /** 云州市/青山区 */
  namePath: string;
}

export interface RosterWorld {
  /** the office's own region: its subtree is the scope */
  office: WorldRegion;
  /** the office region's ancestors' name path (云州市 for 青山区), '' at the root: relative paths start below it */
  officeParentNamePath: string;
  /** every region by its name path */
  regions: Map<string, WorldRegion>;
  /** the names of the top regions (a path starting with one is absolute) */
  roots: Set<string>;
  /** unit types the stored standards use */
  unitTypes: Set<string>;
  /** organisation name → department code */
  orgNames: Map<string, string>;
  /** subjects in scope by `${regionId}/${name}` */
  subjects: Map<string, { id: number; kind: string }>;
}

export interface PlannedRegion {
  row: number;
  name: string;
  level: RegionLevel;
  namePath: string;
  parentNamePath: string;
  population: number | null;
  households: number | null;
  /** set when the region exists (an update of its figures) */
  existingId: number | null;
}

export interface PlannedUnit {
  row: number;
  kind: 'unit' | 'household';
  name: string;
  regionNamePath: string;
  unitType: string | null;
  supervisingDept: string | null;
  households: number | null;
  staff: number | null;
  address: string | null;
  /** in clear; the service seals it */
  phone: string | null;
  existingId: number | null;
}

export interface RosterPlan {
  regions: PlannedRegion[];
  units: PlannedUnit[];
  bad: BadRow[];
}

const MAX = { population: 200_000_000, households: 100_000_000, unitHouseholds: 1_000_000, staff: 10_000_000 };
const str = (v: Cell) => (v === null ? '' : String(v).trim());
const inScope = (w: RosterWorld, r: { path: string }) => r.path.startsWith(w.office.path);

/** Yields to the event loop every so often, so a big file does not hold up the server. */
const breathe = () => new Promise<void>((r) => setImmediate(r));

export type Progress = (done: number, total: number, message?: string) => void;

/**
 * Checks every row; answers what to insert and update, and every bad row with its reasons.
 * `progress` is told every 5 000 rows.
 */
export async function planRoster(sheets: RosterSheets, w: RosterWorld, progress: Progress = () => {}): Promise<RosterPlan> {
  const total = sheets.regions.length + sheets.units.length;
  const bad: BadRow[] = [];
  const fail = <C extends string>(sheet: string, columns: readonly C[], r: RawRow<C>, reasons: string[]) =>
    bad.push({ sheet, row: r.row, cells: columns.map((c) => r.cells[c]), reasons });

  /** a name path as written → its full key: from a top region (云州市/…), or else from the office's own region down */
  const canonical = (written: string): string => {
    const parts = splitRegionPath(written);
    if (!parts.length) return '';
    return w.roots.has(parts[0]!) || !w.officeParentNamePath ? parts.join('/') : `${w.officeParentNamePath}/${parts.join('/')}`;
  };
  const planned = new Map<string, { level: RegionLevel | null; row: number }>();
  const resolve = (written: string): string | null => {
    const key = canonical(written);
    return key && (w.regions.has(key) || planned.has(key)) ? key : null;
  };

  // pass 1: the keys of the file's regions, so a unit or a region may name one added in the same file
  const keyOfRegionRow = new Map<number, string>();
  for (const r of sheets.regions) {
    const name = str(r.cells['名称']);
    const parentKey = canonical(str(r.cells['上级区域']));
    if (!name || !parentKey || /[/／]/.test(name)) continue;
    const key = `${parentKey}/${name}`;
    keyOfRegionRow.set(r.row, key);
    if (!planned.has(key)) planned.set(key, { level: parseRegionLevel(str(r.cells['级别'])), row: r.row });
  }

  // pass 2: regions
  const seenRegion = new Map<string, number>();
  const regions: PlannedRegion[] = [];
  let done = 0;
  for (const r of sheets.regions) {
    const reasons = cellProblems(REGION_COLUMNS, r.cells);
    const name = str(r.cells['名称']);
    const levelText = str(r.cells['级别']);
    const parentWritten = str(r.cells['上级区域']);
    if (!name) reasons.push('名称为空');
    else if (name.includes('/') || name.includes('／')) reasons.push('名称不能包含“/”');
    const level = levelText ? parseRegionLevel(levelText) : null;
    if (!levelText) reasons.push('级别为空');
    else if (!level) reasons.push(`级别「${levelText}」不正确`);
    if (!parentWritten) reasons.push('上级区域为空');
    const population = boundedInt('常住人口', r.cells['常住人口'], MAX.population);
    const households = boundedInt('户数', r.cells['户数'], MAX.households);
    if (population.problem) reasons.push(population.problem);
    if (households.problem) reasons.push(households.problem);
    const key = keyOfRegionRow.get(r.row);
    let parentKey = '';
    let existing: WorldRegion | undefined;
    if (key && name && parentWritten) {
      parentKey = key.slice(0, key.length - name.length - 1);
      const parentDb = w.regions.get(parentKey);
      const parentFile = planned.get(parentKey);
      existing = w.regions.get(key);
      const prev = seenRegion.get(key);
      if (prev !== undefined) reasons.push(`与第${prev}行重复（${key}）`);
      else seenRegion.set(key, r.row);
      if (existing) {
        if (!inScope(w, existing)) reasons.push(`区域「${key}」不在本辖区内`);
        else if (level && existing.level !== level)
          reasons.push(`级别与已有区域不同（已有区域为${REGION_LEVEL_LABELS[existing.level].zh}）`);
      } else if (!parentDb && !parentFile) reasons.push(`上级区域「${parentWritten}」不存在`);
      else if (parentDb && !inScope(w, parentDb)) reasons.push(`上级区域「${parentWritten}」不在本辖区内`);
      else if (level) {
        const parentLevel = parentDb ? parentDb.level : parentFile!.level;
        if (parentLevel && !levelBelow(parentLevel, level))
          reasons.push(`级别顺序有误：${REGION_LEVEL_LABELS[level].zh}不能位于${REGION_LEVEL_LABELS[parentLevel].zh}之下`);
      }
    }
    if (reasons.length) fail(REGION_SHEET, REGION_COLUMNS, r, reasons);
    else
      regions.push({
        row: r.row,
        name,
        level: level!,
        namePath: key!,
        parentNamePath: parentKey,
        population: population.value,
        households: households.value,
        existingId: existing?.id ?? null,
      });
    if (++done % 5000 === 0) {
      progress(done, total, `正在检查第${done}行`);
      await breathe();
    }
  }

  // pass 3: units and households
  const seenUnit = new Map<string, number>();
  const units: PlannedUnit[] = [];
  for (const r of sheets.units) {
    const reasons = cellProblems(UNIT_COLUMNS, r.cells);
    const name = str(r.cells['名称']);
    const kindText = str(r.cells['类型']);
    const regionWritten = str(r.cells['所在区域']);
    const unitType = str(r.cells['单位类型']);
    const deptText = str(r.cells['主管部门']);
    const phoneText = str(r.cells['联系电话']);
    if (!name) reasons.push('名称为空');
    const kind = kindText ? parseSubjectKind(kindText) : null;
    if (!kindText) reasons.push('类型为空');
    else if (!kind) reasons.push(`类型「${kindText}」须为“单位”或“家庭”`);
    let regionKey: string | null = null;
    if (!regionWritten) reasons.push('所在区域为空');
    else {
      regionKey = resolve(regionWritten);
      const dbRegion = regionKey ? w.regions.get(regionKey) : undefined;
      if (!regionKey) reasons.push(`所在区域「${regionWritten}」不存在`);
      else if (dbRegion && !inScope(w, dbRegion)) reasons.push(`所在区域「${regionWritten}」不在本辖区内`);
    }
    if (kind === 'unit' && !unitType) reasons.push('单位类型为空');
    else if (kind === 'unit' && !w.unitTypes.has(unitType)) reasons.push(`单位类型「${unitType}」不在标准库的单位类型中`);
    else if (kind === 'household' && unitType) reasons.push('家庭不填单位类型');
    const dept = deptText ? parseDepartment(deptText, w.orgNames) : null;
    if (deptText && !dept) reasons.push(`主管部门「${deptText}」不存在`);
    const households = boundedInt('户数', r.cells['户数'], MAX.unitHouseholds);
    const staff = boundedInt('从业人数', r.cells['从业人数'], MAX.staff);
    if (households.problem) reasons.push(households.problem);
    if (staff.problem) reasons.push(staff.problem);
    if (phoneText && !isPhone(phoneText)) reasons.push(`联系电话「${phoneText}」格式不正确`);
    let existingId: number | null = null;
    if (name && regionKey) {
      const key = `${regionKey}/${name}`;
      const prev = seenUnit.get(key);
      if (prev !== undefined) reasons.push(`与第${prev}行重复（${regionKey}的${name}）`);
      else seenUnit.set(key, r.row);
      const dbRegion = w.regions.get(regionKey);
      const hit = dbRegion ? w.subjects.get(`${dbRegion.id}/${name}`) : undefined;
      if (hit && kind && hit.kind !== kind) reasons.push(`该区域已有同名的${hit.kind === 'household' ? '家庭' : '主体'}，类型不同`);
      existingId = hit?.id ?? null;
    }
    if (reasons.length) fail(UNIT_SHEET, UNIT_COLUMNS, r, reasons);
    else
      units.push({
        row: r.row,
        kind: kind!,
        name,
        regionNamePath: regionKey!,
        unitType: unitType || null,
        supervisingDept: dept,
        households: households.value,
        staff: staff.value,
        address: str(r.cells['地址']) || null,
        phone: phoneText ? normalisePhone(phoneText) : null,
        existingId,
      });
    if (++done % 5000 === 0) {
      progress(done, total, `正在检查第${done}行`);
      await breathe();
    }
  }
  return { regions, units, bad };
}

const LIMITS: Record<string, number> = { 名称: 100, 地址: 200, 所在区域: 300, 上级区域: 300 };

/** NUL bytes, broken characters and lengths of every text cell of a row. */
function cellProblems<C extends string>(columns: readonly C[], cells: Record<C, Cell>): string[] {
  const out: string[] = [];
  for (const c of columns) {
    const v = cells[c];
    if (typeof v !== 'string') continue;
    const p = textProblem(c, v, LIMITS[c] ?? 50);
    if (p) out.push(p);
  }
  return out;
}
