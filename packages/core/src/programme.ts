import { z } from 'zod';
import { DEPARTMENT_CODES } from './departments.js';
import { Comparator, Period, SubjectKind } from './standard.js';
import { compare } from './rating.js';

/**
 * Programme data (创建活动方案): what a campaign document says besides criteria. The brands
 * (平安品牌) and the domains (平安领域) with their lead departments; the quota tables (示范点分配表);
 * the dated phases and who may be recommended; and region-level targets with the yearly ranking,
 * yellow card (黄牌警告) and veto (一票否决). Each file carries its own `format` so a loader can
 * tell them apart from standards (pingan-standard/v1).
 */
export const BRANDS_FORMAT = 'pingan-brands/v1';
export const QUOTAS_FORMAT = 'pingan-quotas/v1';
export const PHASES_FORMAT = 'pingan-phases/v1';
export const REGION_TARGETS_FORMAT = 'pingan-region-targets/v1';
export const PROGRAMME_FORMATS = [BRANDS_FORMAT, QUOTAS_FORMAT, PHASES_FORMAT, REGION_TARGETS_FORMAT] as const;
export type ProgrammeFormat = (typeof PROGRAMME_FORMATS)[number];

const Dept = z.enum(DEPARTMENT_CODES);
const Code = z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower_snake_case code');
const DocCode = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case code with dashes');
const Year = z.number().int().min(2000).max(2100);
const Source = z.object({ file: z.string(), section: z.string().optional() });
const Notes = z.array(z.string()).default([]);
const header = {
  /** stable code, e.g. "shangluo-2018-brands" */
  code: DocCode,
  title: z.string().min(1),
  titleEn: z.string().optional(),
  issuer: z.string().min(1),
  source: Source.optional(),
};

// ───────────────────────────── brands and domains ─────────────────────────────

/** A brand created by regions (平安县（区）…) or an honour for persons (优秀平安志愿者). */
export const Brand = z.object({
  code: Code,
  /** the document's name: 平安村（社区） */
  name: z.string().min(1),
  nameEn: z.string().optional(),
  subjectKind: SubjectKind,
  /** a title created by a collective (创建) or an honour selected among persons (评选) */
  kind: z.enum(['title', 'honour']),
  /** who writes its standard: the city (市综治办) or each county (各县（区）) */
  standardBy: z.enum(['city', 'county']),
});
export type Brand = z.infer<typeof Brand>;

/** A domain (平安领域) led by a department of the city, e.g. 校园 led by 市教育局. */
export const Domain = z
  .object({
    code: Code,
    /** the document's name: 校园, 旅游景区 */
    name: z.string().min(1),
    nameEn: z.string().optional(),
    /** the activity as the document names it: 平安校园系列创建活动 */
    activity: z.string().min(1),
    /** the lead department as the document names it: 市教育局 */
    leadName: z.string().min(1),
    /** lead departments (主责部门) */
    lead: z.array(Dept).min(1),
    /** cooperating departments (配合) */
    cooperate: z.array(Dept).default([]),
    /** organisations the document names that have no department code: 商洛学院, 市文旅公司 */
    others: z.array(z.string()).default([]),
    /** the document's own words */
    responsibility: z.string().min(1),
  })
  .superRefine((d, ctx) => {
    for (const c of d.cooperate)
      if (d.lead.includes(c)) ctx.addIssue({ code: 'custom', message: `${c} is both lead and cooperating`, path: ['cooperate'] });
    if (new Set(d.cooperate).size !== d.cooperate.length)
      ctx.addIssue({ code: 'custom', message: 'duplicate cooperating department', path: ['cooperate'] });
  });
export type Domain = z.infer<typeof Domain>;

export const BrandCatalogue = z
  .object({
    format: z.literal(BRANDS_FORMAT),
    ...header,
    year: Year,
    brands: z.array(Brand).min(1),
    /** who leads and cooperates on the brands, in the document's words */
    brandResponsibility: z
      .object({ lead: z.array(Dept).default([]), cooperate: z.array(Dept).default([]), text: z.string().min(1) })
      .optional(),
    domains: z.array(Domain).default([]),
    notes: Notes,
  })
  .superRefine((c, ctx) => {
    dupes(
      c.brands.map((b) => b.code),
      'brand code',
      ['brands'],
      ctx,
    );
    dupes(
      c.domains.map((d) => d.code),
      'domain code',
      ['domains'],
      ctx,
    );
  });
export type BrandCatalogue = z.infer<typeof BrandCatalogue>;

// ─────────────────────────────────── quotas ───────────────────────────────────

/** A count in a quota table; null is a cell the source leaves blank (counted as 0 in sums). */
const Cell = z.number().int().nonnegative().nullable();

export const RegionQuotaRow = z.object({
  /** the region as the document names it: 商州区 */
  region: z.string().min(1),
  /** brand code → count; every column must be present (null for a blank cell) */
  counts: z.record(z.string(), Cell),
});
export type RegionQuotaRow = z.infer<typeof RegionQuotaRow>;

export const DepartmentQuotaRow = z.object({
  department: Dept,
  /** the document's name: 市教育局 */
  departmentName: z.string().min(1),
  /** domain code in the brand catalogue */
  domain: Code,
  /** the brand the department creates in the domain, as the document writes it: 平安校园, 自定品牌 */
  brandName: z.string().min(1),
  count: z.number().int().nonnegative(),
});
export type DepartmentQuotaRow = z.infer<typeof DepartmentQuotaRow>;

/** A total in the source that does not equal the sum of its column: kept, and recorded here. */
export const QuotaDiscrepancy = z.object({
  table: z.enum(['regions', 'departments']),
  /** brand code (regions) or "rows" / "count" (departments) */
  column: z.string().min(1),
  sourceTotal: z.number(),
  computedSum: z.number(),
  text: z.string().min(1),
});
export type QuotaDiscrepancy = z.infer<typeof QuotaDiscrepancy>;

export const QuotaTable = z
  .object({
    format: z.literal(QUOTAS_FORMAT),
    ...header,
    year: Year,
    /** phase ids (of the phase plan) the quotas apply to: naming demonstration sites, recommending */
    phases: z.array(Code).default([]),
    regions: z
      .object({
        columns: z.array(z.object({ brand: Code, name: z.string().min(1) })).min(1),
        rows: z.array(RegionQuotaRow).min(1),
        /** the source's totals row (共计), brand code → count */
        totals: z.record(z.string(), Cell).optional(),
      })
      .optional(),
    departments: z
      .object({
        rows: z.array(DepartmentQuotaRow).min(1),
        /** the source's totals row: how many rows (departments) and the sum of counts */
        totals: z.object({ rows: z.number().int().nonnegative().optional(), count: z.number().int().nonnegative().optional() }).optional(),
      })
      .optional(),
    /** totals of the source that do not add up; the numbers stay as in the source */
    discrepancies: z.array(QuotaDiscrepancy).default([]),
    notes: Notes,
  })
  .superRefine((t, ctx) => {
    const checkTotal = (table: QuotaDiscrepancy['table'], column: string, total: number, sum: number, path: PropertyKey[]) => {
      const d = t.discrepancies.find((x) => x.table === table && x.column === column);
      if (total === sum) {
        if (d) ctx.addIssue({ code: 'custom', message: `recorded discrepancy but total ${total} equals the sum`, path: ['discrepancies'] });
      } else if (!d)
        ctx.addIssue({
          code: 'custom',
          message: `total ${total} ≠ sum ${sum}; if the source says so, record it in discrepancies`,
          path,
        });
      else if (d.sourceTotal !== total || d.computedSum !== sum)
        ctx.addIssue({
          code: 'custom',
          message: `discrepancy says ${d.sourceTotal} vs ${d.computedSum}, the data give ${total} vs ${sum}`,
          path: ['discrepancies'],
        });
    };
    if (t.regions) {
      const cols = t.regions.columns.map((c) => c.brand);
      dupes(cols, 'column', ['regions', 'columns'], ctx);
      dupes(
        t.regions.rows.map((r) => r.region),
        'region',
        ['regions', 'rows'],
        ctx,
      );
      t.regions.rows.forEach((r, i) => {
        for (const c of cols)
          if (!(c in r.counts))
            ctx.addIssue({
              code: 'custom',
              message: `missing column ${c} (write null for a blank cell)`,
              path: ['regions', 'rows', i, 'counts'],
            });
        for (const k of Object.keys(r.counts))
          if (!cols.includes(k))
            ctx.addIssue({ code: 'custom', message: `unknown column ${k}`, path: ['regions', 'rows', i, 'counts', k] });
      });
      const sums = regionQuotaSums(t);
      for (const [k, total] of Object.entries(t.regions.totals ?? {})) {
        if (!cols.includes(k)) {
          ctx.addIssue({ code: 'custom', message: `unknown column ${k}`, path: ['regions', 'totals', k] });
          continue;
        }
        if (total != null) checkTotal('regions', k, total, sums[k] ?? 0, ['regions', 'totals', k]);
      }
    }
    if (t.departments) {
      const rows = t.departments.rows;
      dupes(
        rows.map((r) => `${r.department}/${r.domain}`),
        'department/domain',
        ['departments', 'rows'],
        ctx,
      );
      const tot = t.departments.totals;
      if (tot?.rows != null) checkTotal('departments', 'rows', tot.rows, rows.length, ['departments', 'totals', 'rows']);
      if (tot?.count != null)
        checkTotal(
          'departments',
          'count',
          tot.count,
          rows.reduce((s, r) => s + r.count, 0),
          ['departments', 'totals', 'count'],
        );
    }
    for (const [i, d] of t.discrepancies.entries())
      if ((d.table === 'regions' && !t.regions?.totals) || (d.table === 'departments' && !t.departments?.totals))
        ctx.addIssue({ code: 'custom', message: `no ${d.table} totals to differ from`, path: ['discrepancies', i] });
  });
export type QuotaTable = z.infer<typeof QuotaTable>;

/** Column sums of the region table (blank cells count 0). */
export function regionQuotaSums(t: Pick<QuotaTable, 'regions'>): Record<string, number> {
  const out: Record<string, number> = {};
  if (!t.regions) return out;
  for (const c of t.regions.columns) out[c.brand] = t.regions.rows.reduce((s, r) => s + (r.counts[c.brand] ?? 0), 0);
  return out;
}

/**
 * Cross-file checks: the quota table's brands and domains exist in the catalogue and each
 * department row names the domain's lead department. Returns errors; empty when consistent.
 */
export function checkQuotasAgainstCatalogue(t: QuotaTable, c: BrandCatalogue): string[] {
  const errors: string[] = [];
  const brands = new Set(c.brands.map((b) => b.code));
  const domains = new Map(c.domains.map((d) => [d.code, d]));
  t.regions?.columns.forEach((col, i) => {
    if (!brands.has(col.brand)) errors.push(`regions.columns[${i}].brand: ${col.brand} is not a brand of ${c.code}`);
  });
  t.departments?.rows.forEach((r, i) => {
    const d = domains.get(r.domain);
    if (!d) errors.push(`departments.rows[${i}].domain: ${r.domain} is not a domain of ${c.code}`);
    else if (!d.lead.includes(r.department))
      errors.push(`departments.rows[${i}].department: ${r.department} does not lead ${d.name} (lead: ${d.lead.join(', ')})`);
  });
  return errors;
}

// ───────────────────────────── phases and eligibility ─────────────────────────────

/** A day of the year, "MM-DD": the phases recur every year of the programme. */
const MonthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'MM-DD');

export const Phase = z
  .object({
    id: Code,
    /** which stream of work: the brands by counties, the domains by lead departments … */
    track: Code,
    name: z.string().min(1),
    nameEn: z.string().optional(),
    /** first day, when the source gives one ("4—10月" → 04-01) */
    start: MonthDay.optional(),
    /** deadline or last day ("3月20日前" → 03-20; "11月底前" → 11-30) */
    end: MonthDay,
    /** the source's words for the dates: 3月20日前 */
    when: z.string().min(1),
    /** who acts, in the source's words */
    actor: z.string().min(1),
    /** the source text of the phase */
    text: z.string().min(1),
  })
  .superRefine((p, ctx) => {
    if (p.start && p.start > p.end) ctx.addIssue({ code: 'custom', message: `start ${p.start} after end ${p.end}`, path: ['start'] });
  });
export type Phase = z.infer<typeof Phase>;

const Level = z.enum(['county', 'town', 'village', 'unit', 'city_department', 'city', 'province']);

/** Who may be recommended or commended (评先资格), as data. */
export const EligibilityRule = z.discriminatedUnion('kind', [
  // the candidate must already hold the lower level's title: 推荐对象须已获得县区级命名
  z.object({
    id: Code,
    kind: z.literal('lower_title_required'),
    lowerLevel: Level,
    higherLevel: Level,
    text: z.string().min(1),
  }),
  // an indicator below the average AND in the bottom N of the ranking: loses eligibility
  z.object({
    id: Code,
    kind: z.literal('indicator_rank'),
    /** 两率一度 */
    indicator: z.string().min(1),
    subject: Level,
    belowAverageOf: Level,
    rankScope: Level,
    bottomN: z.number().int().positive(),
    text: z.string().min(1),
  }),
  // notices (通报/约谈): any from above, or more than `maxCityNoticesPerYear` by the city, lose eligibility
  z.object({
    id: Code,
    kind: z.literal('notices'),
    subjects: z.array(Level).min(1),
    maxHigherNotices: z.number().int().nonnegative(),
    maxCityNoticesPerYear: z.number().int().nonnegative(),
    text: z.string().min(1),
  }),
  // a judgement by the office (组织实施不到位、创建成效差)
  z.object({ id: Code, kind: z.literal('judgement'), subjects: z.array(Level).min(1), text: z.string().min(1) }),
]);
export type EligibilityRule = z.infer<typeof EligibilityRule>;

const Threshold = z.object({ comparator: Comparator, value: z.number(), unit: z.string().min(1) });

/** Coverage (覆盖率) and pass rate (达标率) targets. */
export const CoverageTarget = z.object({
  /** track or scope: brands, domains */
  scope: Code,
  byYear: Year,
  coverage: Threshold,
  passRate: Threshold,
  text: z.string().min(1),
});
export type CoverageTarget = z.infer<typeof CoverageTarget>;

export const PhasePlan = z
  .object({
    format: z.literal(PHASES_FORMAT),
    ...header,
    year: Year,
    /** the years the programme runs; the phases recur each year */
    years: z.object({ from: Year, to: Year }),
    tracks: z.array(z.object({ id: Code, name: z.string().min(1), text: z.string().optional() })).min(1),
    phases: z.array(Phase).min(1),
    eligibility: z.object({
      rules: z.array(EligibilityRule).default([]),
      /** what losing eligibility brings, in the source's words */
      consequences: z.array(z.string()).default([]),
    }),
    targets: z.array(CoverageTarget).default([]),
    notes: Notes,
  })
  .superRefine((p, ctx) => {
    if (p.years.from > p.years.to) ctx.addIssue({ code: 'custom', message: 'years.from after years.to', path: ['years'] });
    dupes(
      p.tracks.map((t) => t.id),
      'track',
      ['tracks'],
      ctx,
    );
    dupes(
      p.phases.map((x) => x.id),
      'phase id',
      ['phases'],
      ctx,
    );
    dupes(
      p.eligibility.rules.map((x) => x.id),
      'rule id',
      ['eligibility', 'rules'],
      ctx,
    );
    const tracks = new Set(p.tracks.map((t) => t.id));
    const lastEnd = new Map<string, string>();
    p.phases.forEach((ph, i) => {
      if (!tracks.has(ph.track)) ctx.addIssue({ code: 'custom', message: `unknown track ${ph.track}`, path: ['phases', i, 'track'] });
      const prev = lastEnd.get(ph.track);
      if (prev && ph.end < prev)
        ctx.addIssue({
          code: 'custom',
          message: `ends ${ph.end}, before the previous phase of ${ph.track} (${prev})`,
          path: ['phases', i, 'end'],
        });
      lastEnd.set(ph.track, ph.end);
    });
  });
export type PhasePlan = z.infer<typeof PhasePlan>;

// ─────────────────────────────── region targets ───────────────────────────────

/** A region-level indicator: 公众安全感达到90%以上 → label 公众安全感, >= 90 %. */
export const RegionIndicator = z.object({
  id: Code,
  /** the document's exact name */
  label: z.string().min(1),
  labelEn: z.string().optional(),
  comparator: Comparator,
  value: z.number(),
  unit: z.string().min(1),
  /** the document's words */
  text: z.string().min(1),
});
export type RegionIndicator = z.infer<typeof RegionIndicator>;

/** The share of regions that pass, by year: 2019 已有50% → 2020 90%以上. */
export const PassShareStep = z.object({
  year: Year,
  comparator: Comparator,
  value: z.number().min(0).max(100),
  /** achieved: the document states it as reached; target: to be reached */
  status: z.enum(['achieved', 'target']),
});
export type PassShareStep = z.infer<typeof PassShareStep>;

export const RankingConsequence = z.discriminatedUnion('kind', [
  // awards: for holders of the title, for the top of the ranking
  z.object({
    kind: z.literal('award'),
    for: z.enum(['title_holder', 'top_ranked']),
    actions: z.array(z.string()).min(1),
    text: z.string().min(1),
  }),
  // the last of the year's ranking (倒数第一): yellow card
  z.object({ kind: z.literal('yellow_card'), actions: z.array(z.string()).min(1), text: z.string().min(1) }),
  // last N years in a row: veto (一票否决)
  z.object({ kind: z.literal('veto'), consecutiveYearsLast: z.number().int().positive(), text: z.string().min(1) }),
]);
export type RankingConsequence = z.infer<typeof RankingConsequence>;

export const RegionIndicatorSet = z
  .object({
    format: z.literal(REGION_TARGETS_FORMAT),
    ...header,
    year: Year.optional(),
    /** 一个目标 */
    goal: z.string().optional(),
    /** qualitative goals: 五个有效遏制, 五个防止发生 */
    goalGroups: z.array(z.object({ name: z.string().min(1), items: z.array(z.string().min(1)).min(1) })).default([]),
    /** the indicators' collective name: 五个90%以上 */
    indicatorGroup: z.string().min(1),
    indicators: z.array(RegionIndicator).min(1),
    passShare: z.object({ subjects: z.array(Level).min(1), steps: z.array(PassShareStep).min(1), text: z.string().min(1) }).optional(),
    /** 分级命名 */
    naming: z
      .object({
        method: z.string().min(1),
        tiers: z
          .array(
            z.object({
              level: Level,
              subject: Level,
              condition: z.enum(['meets_standard', 'top_ranked']),
              /** the title or the act: 市级“平安县（市）区”称号, 报请省委表彰 */
              outcome: z.string().min(1),
              text: z.string().min(1),
            }),
          )
          .min(1),
      })
      .optional(),
    /** 每个季度明查暗访 → 全年名次 */
    inspections: z
      .object({ method: z.string().min(1), per: Period, ranking: Period, by: z.string().min(1), text: z.string().min(1) })
      .optional(),
    consequences: z.array(RankingConsequence).default([]),
    notes: Notes,
  })
  .superRefine((s, ctx) => {
    dupes(
      s.indicators.map((i) => i.id),
      'indicator id',
      ['indicators'],
      ctx,
    );
    const steps = s.passShare?.steps ?? [];
    for (let i = 1; i < steps.length; i++) {
      if (steps[i]!.year <= steps[i - 1]!.year)
        ctx.addIssue({ code: 'custom', message: 'steps must be in rising years', path: ['passShare', 'steps', i, 'year'] });
      if (steps[i]!.value < steps[i - 1]!.value)
        ctx.addIssue({ code: 'custom', message: 'a later year cannot ask for a smaller share', path: ['passShare', 'steps', i, 'value'] });
    }
    for (const k of ['yellow_card', 'veto'] as const)
      if (s.consequences.filter((c) => c.kind === k).length > 1)
        ctx.addIssue({ code: 'custom', message: `more than one ${k}`, path: ['consequences'] });
  });
export type RegionIndicatorSet = z.infer<typeof RegionIndicatorSet>;

// ─────────────────────────────────── parsing ───────────────────────────────────

type Parsed<K extends string, T> = ({ ok: true } & { [P in K]: T }) | { ok: false; errors: string[] };

function parseWith<K extends string, S extends z.ZodType>(schema: S, key: K, input: unknown): Parsed<K, z.infer<S>> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, [key]: r.data } as Parsed<K, z.infer<S>>;
  return { ok: false, errors: r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`) };
}

/** Parse a brand catalogue, errors naming the field: "domains[2].lead[0]: …". */
export const parseBrandCatalogue = (input: unknown) => parseWith(BrandCatalogue, 'catalogue', input);
/** Parse a quota table; totals that do not add up are errors unless recorded in `discrepancies`. */
export const parseQuotaTable = (input: unknown) => parseWith(QuotaTable, 'table', input);
export const parsePhasePlan = (input: unknown) => parseWith(PhasePlan, 'plan', input);
export const parseRegionIndicatorSet = (input: unknown) => parseWith(RegionIndicatorSet, 'set', input);

export type ProgrammeDoc =
  | { format: typeof BRANDS_FORMAT; doc: BrandCatalogue }
  | { format: typeof QUOTAS_FORMAT; doc: QuotaTable }
  | { format: typeof PHASES_FORMAT; doc: PhasePlan }
  | { format: typeof REGION_TARGETS_FORMAT; doc: RegionIndicatorSet };

/** Parse any programme file by its `format`; null when it is not one (e.g. a standard). */
export function parseProgrammeDoc(input: unknown): ({ ok: true } & ProgrammeDoc) | { ok: false; errors: string[] } | null {
  const format = (input as { format?: unknown } | null)?.format;
  switch (format) {
    case BRANDS_FORMAT: {
      const r = parseBrandCatalogue(input);
      return r.ok ? { ok: true, format, doc: r.catalogue } : r;
    }
    case QUOTAS_FORMAT: {
      const r = parseQuotaTable(input);
      return r.ok ? { ok: true, format, doc: r.table } : r;
    }
    case PHASES_FORMAT: {
      const r = parsePhasePlan(input);
      return r.ok ? { ok: true, format, doc: r.plan } : r;
    }
    case REGION_TARGETS_FORMAT: {
      const r = parseRegionIndicatorSet(input);
      return r.ok ? { ok: true, format, doc: r.set } : r;
    }
    default:
      return null;
  }
}

// ─────────────────────────────── evaluation ───────────────────────────────

const OP_ZH: Record<Comparator, string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<', '=': '=' };
const OP_FAIL_ZH: Record<Comparator, string> = { '>=': '<', '>': '≤', '<=': '>', '<': '≥', '=': '≠' };

export interface IndicatorResult {
  id: string;
  label: string;
  /** the requirement in words: ≥ 90% */
  required: string;
  value: number | null;
  /** null when the figure is missing */
  met: boolean | null;
  /** in Chinese: "公众安全感 89.9% < 90%，未达标" */
  reason: string;
}

export interface RegionIndicatorEvaluation {
  results: IndicatorResult[];
  /** true when all are met, false when any is not, null when none fails but some are missing */
  met: boolean | null;
  unmet: string[];
  missing: string[];
  summary: string;
}

/**
 * Checks a region's figures against the indicators. `figures` is keyed by indicator id (or by the
 * document's label); a missing or non-finite figure gives met = null.
 */
export function evaluateRegionIndicators(
  set: Pick<RegionIndicatorSet, 'indicators' | 'indicatorGroup'>,
  figures: Record<string, number | null | undefined>,
): RegionIndicatorEvaluation {
  const results = set.indicators.map((ind): IndicatorResult => {
    const required = `${OP_ZH[ind.comparator]} ${ind.value}${ind.unit}`;
    const raw = figures[ind.id] ?? figures[ind.label];
    if (raw == null || !Number.isFinite(raw))
      return { id: ind.id, label: ind.label, required, value: null, met: null, reason: `${ind.label}未填报（要求${required}）` };
    const met = compare(raw, ind.comparator, ind.value);
    const reason = met
      ? `${ind.label} ${raw}${ind.unit} ${OP_ZH[ind.comparator]} ${ind.value}${ind.unit}，达标`
      : `${ind.label} ${raw}${ind.unit} ${OP_FAIL_ZH[ind.comparator]} ${ind.value}${ind.unit}，未达标（要求${required}）`;
    return { id: ind.id, label: ind.label, required, value: raw, met, reason };
  });
  const unmet = results.filter((r) => r.met === false).map((r) => r.id);
  const missing = results.filter((r) => r.met === null).map((r) => r.id);
  const met = unmet.length ? false : missing.length ? null : true;
  const labels = (ids: string[]) => ids.map((id) => results.find((r) => r.id === id)!.label).join('、');
  const summary =
    met === true
      ? `“${set.indicatorGroup}”全部达标`
      : met === false
        ? `“${set.indicatorGroup}”未全部达标：${labels(unmet)}未达标${missing.length ? `；${labels(missing)}未填报` : ''}`
        : `“${set.indicatorGroup}”待填报：${labels(missing)}`;
  return { results, met, unmet, missing, summary };
}

/** The pass-share step in force in `year`: the latest step not after it; null before the first. */
export function passShareFor(set: Pick<RegionIndicatorSet, 'passShare'>, year: number): PassShareStep | null {
  let out: PassShareStep | null = null;
  for (const s of set.passShare?.steps ?? []) if (s.year <= year) out = s;
  return out;
}

/** Whether `share` percent of regions passing meets the step in force in `year`. */
export function evaluatePassShare(
  set: Pick<RegionIndicatorSet, 'passShare'>,
  year: number,
  share: number,
): { met: boolean | null; reason: string } {
  const step = passShareFor(set, year);
  if (!step) return { met: null, reason: `${year}年无达标比例要求` };
  const met = compare(share, step.comparator, step.value);
  return {
    met,
    reason: `${year}年达标比例 ${share}%，要求${OP_ZH[step.comparator]} ${step.value}%（${step.year}年起），${met ? '达标' : '未达标'}`,
  };
}

/** Scores by year: { 2019: { 商州区: 92.5, … }, … } or [{ year, scores }]. */
export type RegionScoresByYear = Record<number | string, Record<string, number>> | { year: number; scores: Record<string, number> }[];

export interface RankingRules {
  /** years in a row last that bring the veto; 3 in 003 (连续三年排名倒数第一的，给予一票否决) */
  vetoAfterConsecutiveLast: number;
}

export interface RankedRegion {
  region: string;
  score: number;
  /** competition ranking: ties share a rank (1, 2, 2, 4) */
  rank: number;
}

export interface YearRanking {
  year: number;
  /** best first; ties by region name */
  ranking: RankedRegion[];
  /** ranked first (排名靠前) */
  first: string[];
  /** last (倒数第一): all regions with the lowest score, none when every score is equal */
  yellowCard: string[];
  /** last in this and the previous consecutive years, at least vetoAfterConsecutiveLast of them */
  veto: string[];
  /** for each yellow-carded region, how many calendar years in a row it has been last */
  lastStreak: Record<string, number>;
  /** in Chinese, one line each */
  reasons: string[];
}

export function rankingRulesFrom(set: Pick<RegionIndicatorSet, 'consequences'>): RankingRules {
  const veto = set.consequences.find((c) => c.kind === 'veto');
  return { vetoAfterConsecutiveLast: veto?.kind === 'veto' ? veto.consecutiveYearsLast : 3 };
}

/**
 * The yearly ranking (全年名次) from the year's scores: the first, the yellow card for the last
 * (倒数第一), and the veto for a region last `vetoAfterConsecutiveLast` calendar years in a row.
 * A year missing from the data breaks a streak. Pure; throws on a non-finite score or bad year.
 */
export function rankRegions(scoresByYear: RegionScoresByYear, rules: Partial<RankingRules> = {}): YearRanking[] {
  const vetoAfter = rules.vetoAfterConsecutiveLast ?? 3;
  if (!Number.isInteger(vetoAfter) || vetoAfter < 1) throw new RangeError(`vetoAfterConsecutiveLast must be a positive integer`);
  const entries: { year: number; scores: Record<string, number> }[] = Array.isArray(scoresByYear)
    ? scoresByYear
    : Object.entries(scoresByYear).map(([y, scores]) => ({ year: Number(y), scores }));
  const years = new Set<number>();
  for (const e of entries) {
    if (!Number.isInteger(e.year)) throw new RangeError(`bad year ${e.year}`);
    if (years.has(e.year)) throw new RangeError(`year ${e.year} given twice`);
    years.add(e.year);
    for (const [r, s] of Object.entries(e.scores))
      if (!Number.isFinite(s)) throw new RangeError(`${e.year} ${r}: score ${s} is not a number`);
  }
  const sorted = [...entries].sort((a, b) => a.year - b.year);
  const out: YearRanking[] = [];
  let prevYear: number | null = null;
  let prevStreak: Record<string, number> = {};
  for (const { year, scores } of sorted) {
    const list = Object.entries(scores)
      .map(([region, score]) => ({ region, score }))
      .sort((a, b) => b.score - a.score || (a.region < b.region ? -1 : a.region > b.region ? 1 : 0));
    const ranking: RankedRegion[] = [];
    list.forEach((x, i) => {
      const rank = i > 0 && x.score === list[i - 1]!.score ? ranking[i - 1]!.rank : i + 1;
      ranking.push({ ...x, rank });
    });
    const reasons: string[] = [];
    const distinct = new Set(list.map((x) => x.score)).size;
    const first = distinct > 1 ? ranking.filter((r) => r.rank === 1).map((r) => r.region) : [];
    const min = list.length ? list[list.length - 1]!.score : 0;
    const yellowCard = distinct > 1 ? list.filter((x) => x.score === min).map((x) => x.region) : [];
    if (list.length && distinct <= 1) reasons.push(`${year}年各地得分相同，不排倒数第一`);
    const consecutive = prevYear !== null && year === prevYear + 1;
    const lastStreak: Record<string, number> = {};
    const veto: string[] = [];
    for (const r of yellowCard) {
      const n = (consecutive ? (prevStreak[r] ?? 0) : 0) + 1;
      lastStreak[r] = n;
      reasons.push(`${r}${year}年排名倒数第一（${scores[r]}分），给予黄牌警告${n > 1 ? `，已连续${n}年倒数第一` : ''}`);
      if (n >= vetoAfter) {
        veto.push(r);
        reasons.push(`${r}连续${n}年排名倒数第一，给予一票否决`);
      }
    }
    if (first.length) reasons.unshift(`${first.join('、')}${year}年排名第一`);
    out.push({ year, ranking, first, yellowCard, veto, lastStreak, reasons });
    prevYear = year;
    prevStreak = lastStreak;
  }
  return out;
}

// ─────────────────────────────────── helpers ───────────────────────────────────

function dupes(values: string[], what: string, path: PropertyKey[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) ctx.addIssue({ code: 'custom', message: `duplicate ${what} ${v}`, path });
    seen.add(v);
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
}
