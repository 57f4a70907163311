import type { Measure, StandardDoc } from './standard.js';
import { describeMeasure } from './rating.js';

/**
 * Experts and on-site checks (专家与现场核查): conflicts of interest (回避), balanced assignment,
 * the checklist a check works through, and the reproducible random sample of 明查暗访.
 * Pure rules, no I/O.
 */

export interface ExpertForConflict {
  userId: number;
  /** the unit the expert works at */
  employerSubjectId: number | null;
  /** where the expert lives or works (a village/community or a street/town) */
  homeRegionId: number | null;
  /** declared relations: subjects the expert must not check */
  relatedSubjectIds: readonly number[];
}

export interface ApplicantForConflict {
  subjectId: number;
  /** the applicant's village/community and street/town, when it has them */
  regionIdsByLevel: { village?: number | null; town?: number | null };
}

/** Why an expert must not check this applicant (回避), in Chinese; empty = no conflict. */
export function conflictReasons(expert: ExpertForConflict, applicant: ApplicantForConflict): string[] {
  const out: string[] = [];
  if (expert.employerSubjectId != null && expert.employerSubjectId === applicant.subjectId) out.push('专家所在单位即申报单位，须回避');
  const { village, town } = applicant.regionIdsByLevel;
  if (expert.homeRegionId != null) {
    if (village != null && expert.homeRegionId === village) out.push('专家居住或工作在申报单位所在村（社区），须回避');
    else if (town != null && expert.homeRegionId === town) out.push('专家居住或工作在申报单位所在街道（乡镇），须回避');
  }
  if (expert.relatedSubjectIds.includes(applicant.subjectId)) out.push('专家已申报与该单位存在利害关系，须回避');
  return out;
}

export interface AssignExpert {
  id: number;
  /** open assignments now */
  load: number;
  /** the most open assignments at once */
  maxLoad: number;
}

export interface AssignApplication {
  id: number;
  /** experts already assigned (open) to it */
  assigned: readonly number[];
}

export interface AutoAssignResult {
  /** new assignments, in the order made */
  assignments: { applicationId: number; expertId: number }[];
  /** applications that could not get `perApplication` experts, with the reason */
  uncovered: { applicationId: number; missing: number; reason: string }[];
  /** loads after the assignment */
  loads: Record<number, number>;
}

/**
 * Assigns experts automatically (自动分配): each application gets experts until it has
 * `perApplication`, always the least-loaded eligible expert first (among equal loads the one
 * given an application longest ago, then by id), never over min(cap, the expert's maxLoad), never
 * a conflicted one, never the same expert twice. Applications are served in id order, so the
 * result is deterministic; with no conflicts and no caps the loads differ by at most one.
 */
export function autoAssign(
  apps: readonly AssignApplication[],
  experts: readonly AssignExpert[],
  opts: { perApplication: number; cap: number },
  conflict: (expertId: number, applicationId: number) => boolean,
): AutoAssignResult {
  const load = new Map(experts.map((e) => [e.id, e.load]));
  const limit = new Map(experts.map((e) => [e.id, Math.min(opts.cap, e.maxLoad)]));
  const sortedExperts = [...experts].sort((a, b) => a.id - b.id);
  const have = new Map(apps.map((a) => [a.id, new Set(a.assigned)]));
  const order = [...apps].sort((a, b) => a.id - b.id);
  const assignments: AutoAssignResult['assignments'] = [];
  // when each expert was last given an application: among equally loaded experts the one
  // waiting longest goes first, so equal loads rotate through the pool (then by id)
  const lastUsed = new Map<number, number>();
  let tick = 0;
  for (const app of order) {
    const set = have.get(app.id)!;
    while (set.size < opts.perApplication) {
      let best: AssignExpert | null = null;
      for (const e of sortedExperts) {
        if (set.has(e.id) || load.get(e.id)! >= limit.get(e.id)! || conflict(e.id, app.id)) continue;
        if (!best) best = e;
        else {
          const d = load.get(e.id)! - load.get(best.id)!;
          if (d < 0 || (d === 0 && (lastUsed.get(e.id) ?? -1) < (lastUsed.get(best.id) ?? -1))) best = e;
        }
      }
      if (!best) break;
      set.add(best.id);
      load.set(best.id, load.get(best.id)! + 1);
      lastUsed.set(best.id, tick++);
      assignments.push({ applicationId: app.id, expertId: best.id });
    }
  }
  const uncovered: AutoAssignResult['uncovered'] = [];
  for (const app of order) {
    const set = have.get(app.id)!;
    const missing = opts.perApplication - set.size;
    if (missing <= 0) continue;
    const free = sortedExperts.filter((e) => !set.has(e.id) && load.get(e.id)! < limit.get(e.id)!);
    const reason = !experts.length ? '专家库中没有可分配的专家' : free.length === 0 ? '其余专家已达到分配上限' : '其余可分配专家均须回避';
    uncovered.push({ applicationId: app.id, missing, reason: `还缺${missing}名专家：${reason}` });
  }
  return { assignments, uncovered, loads: Object.fromEntries(load) };
}

export interface ChecklistMeasure {
  id: string;
  label: string;
  /** the requirement in words: 群众知晓率 ≥ 90% */
  want: string;
  wantEn: string;
  kind: Measure['kind'];
}

export interface ChecklistItem {
  criterionId: string;
  groupId: string;
  groupName: string;
  title: string | null;
  text: string;
  points: number;
  judge: 'yesno' | 'score';
  veto: boolean;
  /** the evidence the criterion asks for: what to look at on site */
  evidence: string[];
  /** the figures to verify */
  measures: ChecklistMeasure[];
}

/** The on-site checklist (现场核查清单) of a standard: one item a criterion, in the standard's order. */
export function checklistFor(doc: StandardDoc): ChecklistItem[] {
  return doc.groups.flatMap((g) =>
    g.criteria.map((c) => ({
      criterionId: c.id,
      groupId: g.id,
      groupName: g.name,
      title: c.title ?? null,
      text: c.text,
      points: c.points,
      judge: c.judge,
      veto: c.veto,
      evidence: [...c.evidence],
      measures: c.measures.map((m) => ({
        id: m.id,
        label: m.label,
        want: describeMeasure(m, 'zh'),
        wantEn: describeMeasure(m, 'en'),
        kind: m.kind,
      })),
    })),
  );
}

/** A 32-bit hash of a string (FNV-1a), the seed of the PRNG. */
export function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small seeded PRNG giving floats in [0, 1). */
export function mulberry32(a: number): () => number {
  let s = a >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A reproducible random sample (明查暗访抽样): `size` distinct items of the population, drawn by a
 * partial Fisher–Yates shuffle driven by mulberry32(hash(seed)). The same seed and the same
 * population in the same order give the same sample; the seed is recorded with the sample.
 */
export function drawSample<T>(population: readonly T[], size: number, seed: string): T[] {
  const n = Math.max(0, Math.min(Math.floor(size), population.length));
  const rand = mulberry32(hashSeed(seed));
  const pool = [...population];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rand() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}
