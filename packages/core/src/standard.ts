import { z } from 'zod';
import { DEPARTMENT_CODES } from './departments.js';
import { CONSEQUENCES, INCIDENT_TYPES, consequencesProblem } from './incidents.js';

/**
 * The standard format (创建标准). A standard is data: groups of numbered criteria, who leads and
 * cooperates on each, how each is judged, its points, whether failing it vetoes the application
 * (一票否决), and the star rules. Campaigns pin one version; editing makes a new version.
 */
export const STANDARD_FORMAT = 'pingan-standard/v1';

// the catalogue is long: name the bad code instead of listing every good one
const Dept = z.enum(DEPARTMENT_CODES, { error: (iss) => `未知部门代码 unknown department code "${String(iss.input)}"` });
export const Comparator = z.enum(['>=', '>', '<=', '<', '=']);
export type Comparator = z.infer<typeof Comparator>;
export const Period = z.enum(['week', 'month', 'quarter', 'half_year', 'year']);
export type Period = z.infer<typeof Period>;

const measureBase = {
  /** unique within the criterion, e.g. "awareness" */
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower_snake_case id'),
  /** what the figure is, in the document's words: 群众知晓率 */
  label: z.string().min(1),
  labelEn: z.string().optional(),
  /**
   * Measures sharing a group are alternatives: one met is enough, as in
   * "无群体性上访（或进京上访比上年减少30%）".
   */
  anyOfGroup: z.string().optional(),
  /**
   * The region indicator this figure is (公众安全感, 合格率 …, ids as in the region-targets file):
   * for a region's application the system fills it from the region's figure of the year, with
   * its source, instead of the applicant typing it.
   */
  indicator: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'lower_snake_case id')
    .optional(),
};

/** A figure the applicant reports and the system checks (量化指标). */
export const Measure = z.discriminatedUnion('kind', [
  // a figure against a threshold: 知晓率 ≥ 90 %, 重新犯罪率 ≤ 2.8 %, 会员 ≥ 20 % of households
  z.object({
    ...measureBase,
    kind: z.literal('threshold'),
    comparator: Comparator,
    value: z.number(),
    unit: z.string(),
    /** what a percentage is of, e.g. 住户数 */
    of: z.string().optional(),
    ofEn: z.string().optional(),
    /**
     * The figure is a rate of something countable (重新犯罪率 among the released, 会员 among the
     * households): the applicant enters the two counts and the rate is computed from them,
     * numerator / denominator × 100. Labels in Chinese, as the source words them.
     */
    rateOf: z
      .object({
        numerator: z.string().min(1),
        numeratorEn: z.string().optional(),
        denominator: z.string().min(1),
        denominatorEn: z.string().optional(),
      })
      .optional(),
  }),
  // a change against last year in percent: 进京上访比上年减少30% → comparator '<=', value -30
  z.object({
    ...measureBase,
    kind: z.literal('change'),
    comparator: Comparator,
    value: z.number(),
    baseline: z.literal('last_year'),
  }),
  // a count range: 巡逻队伍 6～10 人
  z.object({
    ...measureBase,
    kind: z.literal('range'),
    min: z.number(),
    max: z.number(),
    unit: z.string(),
  }),
  // a frequency: 每季度不少于1次
  z.object({
    ...measureBase,
    kind: z.literal('frequency'),
    min: z.number().int().positive(),
    per: Period,
  }),
  // a distance: 校园周边200米范围内无网吧 → 范围内 includes 200 m itself (民法典 第1259条), so the
  // nearest one must be more than 200 m away: comparator '>', value 200
  z.object({
    ...measureBase,
    kind: z.literal('distance'),
    comparator: Comparator,
    value: z.number().positive(),
    unit: z.enum(['m', 'km']),
  }),
]);
export type Measure = z.infer<typeof Measure>;

export const Criterion = z
  .object({
    /** the document's number, unique in the standard: "3", "6.3.1.2", "六好.1" */
    id: z.string().min(1),
    /** short title where the document gives one: 强化领导力量 */
    title: z.string().optional(),
    /** the full text as in the source */
    text: z.string().min(1),
    /** lead departments (牵头) */
    lead: z.array(Dept).default([]),
    /** cooperating departments (配合/落实) */
    cooperate: z.array(Dept).default([]),
    /** the document's own words on responsibility: 此项由县公安局牵头，各乡镇（街道）配合 */
    responsibility: z.string().optional(),
    /** what evidence the criterion asks for */
    evidence: z.array(z.string()).default([]),
    /** whether at least one evidence file must be uploaded before submission */
    evidenceRequired: z.boolean().default(false),
    /** figures the applicant reports and the system checks */
    measures: z.array(Measure).default([]),
    /**
     * How reviewers judge it: yes/no (full points or none) or a score within the points.
     */
    judge: z.enum(['yesno', 'score']).default('score'),
    points: z.number().nonnegative(),
    /** failing it disqualifies the application whatever the score (一票否决) */
    veto: z.boolean().default(false),
  })
  .superRefine((c, ctx) => {
    const ids = new Set<string>();
    for (const m of c.measures) {
      if (ids.has(m.id)) ctx.addIssue({ code: 'custom', message: `duplicate measure id ${m.id}`, path: ['measures'] });
      ids.add(m.id);
      if (m.kind === 'range' && m.min > m.max)
        ctx.addIssue({ code: 'custom', message: `range min ${m.min} > max ${m.max}`, path: ['measures'] });
      if (m.kind === 'threshold' && m.rateOf && m.unit !== '%')
        ctx.addIssue({ code: 'custom', message: `measure ${m.id}: rateOf needs unit "%"`, path: ['measures'] });
    }
  });
export type Criterion = z.infer<typeof Criterion>;

export const CriterionGroup = z.object({
  id: z.string().min(1),
  /** 组织推进, 工作标准措施, 建设质效, 六好, 六无 … */
  name: z.string().min(1),
  nameEn: z.string().optional(),
  criteria: z.array(Criterion).min(1),
});
export type CriterionGroup = z.infer<typeof CriterionGroup>;

/** Conditions a star needs beyond points. */
export const StarCondition = z.discriminatedUnion('kind', [
  // the subject already holds a title of at least `minStars` (e.g. last year's 4-star title)
  z.object({
    kind: z.literal('prior_title'),
    stars: z.number().int().min(1).max(5),
    minStars: z.number().int().min(1).max(5),
    /** how many years back it may be; 1 = last year */
    withinYears: z.number().int().positive().default(1),
    text: z.string(),
  }),
  // a check at a higher level passed (市级现场核查)
  z.object({ kind: z.literal('higher_check'), stars: z.number().int().min(1).max(5), text: z.string() }),
  // a recommendation by the lead department
  z.object({ kind: z.literal('recommendation'), stars: z.number().int().min(1).max(5), text: z.string() }),
  // a lower-level title held (a county must name it before the city)
  z.object({ kind: z.literal('lower_title'), stars: z.number().int().min(1).max(5), text: z.string() }),
]);
export type StarCondition = z.infer<typeof StarCondition>;

export const StarRules = z
  .object({
    /** score bands in percent of the applicable maximum, one per star */
    bands: z.array(z.object({ stars: z.number().int().min(1).max(5), minPercent: z.number().min(0).max(100) })).min(1),
    conditions: z.array(StarCondition).default([]),
    /**
     * true when the bands are the system's defaults, not the source's: every place that shows the
     * rating then says so (分数段为系统默认值（源文件未规定）)
     */
    defaultBands: z.boolean().default(false),
    /** why these numbers: the source may give none, and the 平安办 may change them */
    note: z.string().optional(),
  })
  .superRefine((r, ctx) => {
    const sorted = [...r.bands].sort((a, b) => a.stars - b.stars);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.stars === sorted[i - 1]!.stars)
        ctx.addIssue({ code: 'custom', message: `two bands for ${sorted[i]!.stars} stars`, path: ['bands'] });
      else if (sorted[i]!.minPercent < sorted[i - 1]!.minPercent)
        ctx.addIssue({ code: 'custom', message: 'a higher star cannot need fewer points', path: ['bands'] });
    }
  });
export type StarRules = z.infer<typeof StarRules>;

export const DEFAULT_STAR_RULES: StarRules = {
  bands: [
    { stars: 1, minPercent: 60 },
    { stars: 2, minPercent: 70 },
    { stars: 3, minPercent: 80 },
    { stars: 4, minPercent: 90 },
    { stars: 5, minPercent: 95 },
  ],
  conditions: [],
  defaultBands: true,
  note: '源文件未规定分数段，此为系统默认值（满分百分比），平安办可调整。Default bands; the source gives none.',
};

/**
 * How a standard rates (评定方式): 'stars' gives 1–5 stars with levels 达标/先进/示范
 * (000 镇江 星级评定); 'title' confers the title or not, with no stars and no levels
 * (001 江州县“六大平安”, 002 大托铺“十大平安”).
 */
export const RatingScheme = z.enum(['stars', 'title']);
export type RatingScheme = z.infer<typeof RatingScheme>;

export const SubjectKind = z.enum(['unit', 'household', 'individual', 'region']);
export type SubjectKind = z.infer<typeof SubjectKind>;

export const StandardDoc = z
  .object({
    format: z.literal(STANDARD_FORMAT),
    /** stable code, e.g. "jiangzhou-2015-campus" */
    code: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case code with dashes'),
    title: z.string().min(1),
    titleEn: z.string().optional(),
    /** the body that issued it */
    issuer: z.string().min(1),
    year: z.number().int().min(2000).max(2100),
    source: z.object({ file: z.string(), section: z.string().optional() }).optional(),
    category: z.object({
      code: z.string().regex(/^[a-z][a-z0-9_]*$/),
      /** the title conferred: 平安校园 */
      name: z.string().min(1),
      nameEn: z.string().optional(),
      subjectKinds: z.array(SubjectKind).min(1),
      /** unit types that may apply, when subjectKinds includes unit */
      unitTypes: z.array(z.string()).default([]),
    }),
    /** responsible and assisting units of the whole category (责任单位/协助单位) */
    responsible: z
      .object({ lead: z.array(Dept).default([]), assist: z.array(Dept).default([]), text: z.string().optional() })
      .default({ lead: [], assist: [] }),
    /** stars with levels, or a title conferred or not */
    scheme: RatingScheme.default('stars'),
    groups: z.array(CriterionGroup).min(1),
    starRules: StarRules.default(DEFAULT_STAR_RULES),
    notes: z.array(z.string()).default([]),
    /**
     * The standard's own incident rules (事件处理规则): incident type → consequences. Optional: a
     * type it does not name follows core/incidents.ts (a broken veto item revokes, else the default
     * table). Standards written before incidents have none and read as before.
     */
    incidentRules: z
      .array(
        z.object({
          type: z.enum(INCIDENT_TYPES),
          consequences: z.array(z.enum(CONSEQUENCES)).min(1),
          /** the source document the rule rests on */
          source: z.string().optional(),
          note: z.string().optional(),
        }),
      )
      .optional(),
  })
  .superRefine((s, ctx) => {
    const types = new Set<string>();
    s.incidentRules?.forEach((r, i) => {
      if (types.has(r.type))
        ctx.addIssue({ code: 'custom', message: `two incident rules for ${r.type}`, path: ['incidentRules', i, 'type'] });
      types.add(r.type);
      const problem = consequencesProblem(r.consequences);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['incidentRules', i, 'consequences'] });
    });
    const ids = new Set<string>();
    const groupIds = new Set<string>();
    s.groups.forEach((g, gi) => {
      if (groupIds.has(g.id)) ctx.addIssue({ code: 'custom', message: `duplicate group id ${g.id}`, path: ['groups', gi, 'id'] });
      groupIds.add(g.id);
    });
    s.groups.forEach((g, gi) =>
      g.criteria.forEach((c, ci) => {
        if (ids.has(c.id))
          ctx.addIssue({ code: 'custom', message: `duplicate criterion id ${c.id}`, path: ['groups', gi, 'criteria', ci, 'id'] });
        ids.add(c.id);
      }),
    );
  });
export type StandardDoc = z.infer<typeof StandardDoc>;
export type StandardInput = z.input<typeof StandardDoc>;

export function allCriteria(s: StandardDoc): Criterion[] {
  return s.groups.flatMap((g) => g.criteria);
}

export function maxPoints(s: StandardDoc): number {
  return allCriteria(s).reduce((t, c) => t + c.points, 0);
}

/** Parse a standard, giving errors that name the field: "groups[1].criteria[3].points: …". */
export function parseStandard(input: unknown): { ok: true; standard: StandardDoc } | { ok: false; errors: string[] } {
  const r = StandardDoc.safeParse(input);
  if (r.success) return { ok: true, standard: r.data };
  return {
    ok: false,
    errors: r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`),
  };
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
}
