import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import {
  parsePhasePlan,
  parseRegionIndicatorSet,
  rankingRulesFrom,
  type IndicatorRankRule,
  type PhasePlan,
  type RegionIndicatorSet,
} from '@pingan/core';
import { STANDARDS_DIR } from '../standards/files.js';

/**
 * The two encoded documents the assessment follows, read from standards/ with the core parsers:
 * 003 (五个90%, the pass share, yellow card and veto) and 004's eligibility rules (两率一度).
 * Read once; a file that does not parse stops the server at the first use, naming the field.
 */
export const REGION_TARGETS_FILE = 'region-targets/xx-city-region-targets.yaml';
export const PHASES_FILE = 'shangluo-985/shangluo-2018-phases.yaml';

/** Where in each document the rules are (the encoded files name the sections together). */
export const SECTIONS = { ranking: '四（六）', eligibility: '四（四）' } as const;

let cache: { targets: RegionIndicatorSet; phases: PhasePlan } | null = null;

function read(file: string): unknown {
  return YAML.parse(fs.readFileSync(path.join(STANDARDS_DIR, file), 'utf8'));
}

export function assessmentDocuments(): { targets: RegionIndicatorSet; phases: PhasePlan } {
  if (cache) return cache;
  const t = parseRegionIndicatorSet(read(REGION_TARGETS_FILE));
  if (!t.ok) throw new Error(`${REGION_TARGETS_FILE}: ${t.errors.join('; ')}`);
  const p = parsePhasePlan(read(PHASES_FILE));
  if (!p.ok) throw new Error(`${PHASES_FILE}: ${p.errors.join('; ')}`);
  cache = { targets: t.set, phases: p.plan };
  return cache;
}

/** The 004 rule for the level ranked: town_two_rates_one_degree for towns, county_… for counties. */
export function indicatorRankRuleFor(level: string): IndicatorRankRule | null {
  const rule = assessmentDocuments().phases.eligibility.rules.find((r) => r.kind === 'indicator_rank' && r.subject === level);
  return rule?.kind === 'indicator_rank' ? rule : null;
}

export interface RuleCitation {
  id: string;
  kind: 'yellow_card' | 'veto' | 'ineligible';
  document: string;
  text: string;
  /** for the reason's brackets: 市平安创建工作意见 四（六）：“连续三年排名倒数第一的，给予一票否决” */
  citation: string;
}

/** The rules a ranking of `level` applies, with the documents' words. */
export function rankingRules(level: string): { rules: RuleCitation[]; vetoAfter: number; indicatorRule: IndicatorRankRule | null } {
  const { targets, phases } = assessmentDocuments();
  const rules: RuleCitation[] = [];
  for (const c of targets.consequences)
    if (c.kind === 'yellow_card' || c.kind === 'veto')
      rules.push({
        id: c.kind,
        kind: c.kind,
        document: targets.title,
        text: c.text,
        citation: `${targets.title} ${SECTIONS.ranking}：“${c.text}”`,
      });
  const indicatorRule = indicatorRankRuleFor(level);
  if (indicatorRule)
    rules.push({
      id: indicatorRule.id,
      kind: 'ineligible',
      document: phases.title,
      text: indicatorRule.text,
      citation: `${phases.title} ${SECTIONS.eligibility}：取消年度平安建设评先资格`,
    });
  return { rules, vetoAfter: rankingRulesFrom(targets).vetoAfterConsecutiveLast, indicatorRule };
}
