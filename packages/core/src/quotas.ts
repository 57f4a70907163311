import type { ChainRules } from './chain.js';

/**
 * Quotas, recommendations, nominations and the 4-star selection (名额、推荐、评选): the rules a
 * recommending body must meet, in the source documents' own words. Pure; the server asks.
 *
 * - 004 (商洛): 各县（区）……组织评定命名，并按比例（见附件）向市综治办推荐申报市级评定 — a county
 *   recommends only units it has named this year (推荐对象须已获得县区级命名), within its quota.
 * - 002 (大托铺): 按照不低于表彰名额2倍的要求做好推荐申报 — nominations ≥ 2 × the award quota.
 * - 000 (镇江): 4星平安建设先进单位评选 — 4 stars by selection among candidates, within a number.
 */

/** The source sentences the rules quote. */
export const RULE_TEXT = {
  entry: '推荐申报市级评定（本创建活动须由下级推荐进入）',
  lowerTitle: '推荐对象须已获得县区级命名',
  quota: '按比例（见附件）向市综治办推荐申报',
  nominations: '按照不低于表彰名额2倍的要求做好推荐申报',
  selection: '4星平安建设先进单位评选',
} as const;

export interface RuleBroken {
  /** the rule, quoting the source */
  rule: string;
  /** what is wrong in this case, in Chinese */
  message: string;
}

export interface RecommendationCheck {
  /** the recommending body's quota in this category; null = none allotted */
  quota: number | null;
  /** recommendations it already has in this category (withdrawn ones not counted) */
  alreadyRecommended: number;
  /** whether the unit holds a lower-level title (not revoked) in this category */
  lowerTitleHeld: boolean;
  lowerTitleYear: number | null;
  campaignYear: number;
  rules: Pick<ChainRules, 'entry' | 'lowerTitleRequired' | 'recommendationsWithinQuota'>;
}

/** null when the recommendation may be made; otherwise the first rule it breaks. */
export function checkRecommendation(c: RecommendationCheck): RuleBroken | null {
  if (c.rules.entry !== 'recommendation') return { rule: RULE_TEXT.entry, message: '本创建活动由申报单位自行申报，不接受推荐' };
  if (c.rules.lowerTitleRequired) {
    if (!c.lowerTitleHeld)
      return { rule: RULE_TEXT.lowerTitle, message: `${RULE_TEXT.lowerTitle}：该单位未获得本类别的县区级命名（或已被撤销）` };
    if (c.lowerTitleYear !== c.campaignYear)
      return {
        rule: RULE_TEXT.lowerTitle,
        message: `${RULE_TEXT.lowerTitle}：县区级命名须为${c.campaignYear}年度，该单位的命名为${c.lowerTitleYear ?? '未知'}年度`,
      };
  }
  if (c.rules.recommendationsWithinQuota) {
    if (c.quota === null || c.quota <= 0) return { rule: RULE_TEXT.quota, message: `${RULE_TEXT.quota}：本单位在该类别没有推荐名额` };
    if (c.alreadyRecommended >= c.quota)
      return {
        rule: RULE_TEXT.quota,
        message: `${RULE_TEXT.quota}：推荐名额${c.quota}个，已推荐${c.alreadyRecommended}个，不能再推荐`,
      };
  }
  return null;
}

export interface NominationCheck {
  /** 表彰名额; null = none set */
  awardQuota: number | null;
  /** applications submitted or further (not draft, returned, rejected or withdrawn) */
  nominated: number;
  /** nominations ≥ factor × award quota */
  factor: number;
}

export interface NominationResult {
  ok: boolean;
  /** null when no award quota is set (nothing to check) */
  required: number | null;
  message: string;
  rule: string;
}

/** 002: 按照不低于表彰名额2倍的要求做好推荐申报. */
export function checkNominations(c: NominationCheck): NominationResult {
  const rule = c.factor === 2 ? RULE_TEXT.nominations : `按照不低于表彰名额${c.factor}倍的要求做好推荐申报`;
  if (c.awardQuota === null) return { ok: true, required: null, rule, message: `${rule}：该类别未设表彰名额，不检查推荐数` };
  const required = Math.ceil(c.factor * c.awardQuota);
  const ok = c.nominated >= required;
  return {
    ok,
    required,
    rule,
    message: ok
      ? `${rule}：表彰名额${c.awardQuota}个，至少须推荐${required}个，现有${c.nominated}个，符合要求`
      : `${rule}：表彰名额${c.awardQuota}个，至少须推荐${required}个，现有${c.nominated}个`,
  };
}

// ─────────────────────────────── 评选 ───────────────────────────────

export interface SelectionCandidate {
  applicationId: number;
  score: number;
  stars: number;
}

export interface RankedCandidate {
  applicationId: number;
  score: number;
  /** 1 + the number of candidates with a strictly higher score: equal scores share a rank */
  rank: number;
  selected: boolean;
  reason: string;
}

export interface SelectionTie {
  rank: number;
  seats: number;
  applicationIds: number[];
  message: string;
}

export interface SelectionResult {
  ranking: RankedCandidate[];
  /** a tie at the cut-off that the office has not broken; then none of the tied is selected */
  tie: SelectionTie | null;
}

const fmt = (n: number) => String(Math.round(n * 100) / 100);

/**
 * Ranks the candidates by score and selects within `capacity`. Equal scores share a rank. When
 * candidates tied at the cut-off do not all fit, none of them is dropped silently: the office
 * gives `tieBreak` (application ids in order of preference, covering every tied candidate) and
 * the first of them fill the seats left; without it the result carries `tie` and none of the
 * tied is selected, so the caller can refuse and ask the office to break the tie.
 */
export function rankForSelection(
  candidates: readonly SelectionCandidate[],
  capacity: number,
  tieBreak: readonly number[] = [],
): SelectionResult {
  const pref = (id: number) => {
    const i = tieBreak.indexOf(id);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const sorted = [...candidates].sort(
    (a, b) => b.score - a.score || pref(a.applicationId) - pref(b.applicationId) || a.applicationId - b.applicationId,
  );
  const rankOf = (c: SelectionCandidate) => 1 + sorted.filter((o) => o.score > c.score).length;
  const seatsCap = Math.max(0, Math.floor(capacity));
  let tie: SelectionTie | null = null;
  const ranking: RankedCandidate[] = [];
  const groups = new Map<number, SelectionCandidate[]>();
  for (const c of sorted) groups.set(c.score, [...(groups.get(c.score) ?? []), c]);
  for (const c of sorted) {
    const rank = rankOf(c);
    const group = groups.get(c.score)!;
    const above = rank - 1;
    const fits = above + group.length <= seatsCap;
    if (fits) {
      ranking.push({
        applicationId: c.applicationId,
        score: c.score,
        rank,
        selected: true,
        reason: `得分${fmt(c.score)}，排名第${rank}，在评选名额${seatsCap}个以内，选入`,
      });
      continue;
    }
    if (above >= seatsCap) {
      ranking.push({
        applicationId: c.applicationId,
        score: c.score,
        rank,
        selected: false,
        reason: `得分${fmt(c.score)}，排名第${rank}，超出评选名额${seatsCap}个，未选入`,
      });
      continue;
    }
    // the group straddles the cut-off
    const seats = seatsCap - above;
    const broken = group.every((g) => tieBreak.includes(g.applicationId));
    if (broken) {
      const pos = group.indexOf(c);
      const selected = pos < seats;
      ranking.push({
        applicationId: c.applicationId,
        score: c.score,
        rank,
        selected,
        reason: `得分${fmt(c.score)}，与其他${group.length - 1}个单位同分并列第${rank}，剩余名额${seats}个，按平安办确定的顺序（第${pos + 1}位）${selected ? '选入' : '未选入'}`,
      });
    } else {
      tie ??= {
        rank,
        seats,
        applicationIds: group.map((g) => g.applicationId),
        message: `${group.length}个单位得分同为${fmt(c.score)}，并列第${rank}，剩余评选名额仅${seats}个，请平安办确定这${group.length}个单位的先后顺序后再评选`,
      };
      ranking.push({
        applicationId: c.applicationId,
        score: c.score,
        rank,
        selected: false,
        reason: `得分${fmt(c.score)}，与其他${group.length - 1}个单位同分并列第${rank}，剩余名额${seats}个，待平安办确定顺序`,
      });
    }
  }
  return { ranking, tie };
}
