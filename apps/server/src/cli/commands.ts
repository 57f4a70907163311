import '../messages.js';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { REVIEW_STAGES, allCriteria, maxPoints, parseStandard, rate, type StandardDoc, renderReason } from '@pingan/core';
import {
  STANDARD_FILE_FORMATS,
  TEMPLATE_EXAMPLE,
  formatOfPath,
  readStandardFile,
  renderStandard,
  standardToXlsx,
  type StandardFileFormat,
} from '../modules/standards/formats.js';

/**
 * The commands of `pingan-standards`, as functions: each returns what to print and whether it
 * went well, so tests call them without spawning. main.ts parses argv and prints.
 */

export interface CommandResult {
  ok: boolean;
  /** lines for standard output */
  out: string[];
  /** lines for standard error */
  err: string[];
}

export interface CommandOptions {
  /** relative paths are taken from here */
  cwd?: string;
}

const resolve = (file: string, o: CommandOptions) => path.resolve(o.cwd ?? process.cwd(), file);

/** `validate <file…>`: OK, or every error naming the field. */
export async function validateCommand(files: string[], o: CommandOptions = {}): Promise<CommandResult> {
  const out: string[] = [];
  const err: string[] = [];
  if (!files.length) return { ok: false, out, err: ['validate: 请给出至少一个标准文件'] };
  let ok = true;
  for (const f of files) {
    const r = await readStandardFile(resolve(f, o));
    if (r.ok) out.push(`${f}: OK（${r.doc.code}，${allCriteria(r.doc).length}项，满分${maxPoints(r.doc)}分）`);
    else {
      ok = false;
      err.push(`${f}: ${r.errors.length}处错误`);
      for (const e of r.errors) err.push(`  ${e}`);
    }
  }
  return { ok, out, err };
}

export interface ConvertOptions extends CommandOptions {
  /** target format; when absent, taken from the name given in `out` */
  to?: string;
  /** target file; when absent, JSON and YAML go to standard output */
  out?: string;
}

/**
 * `export <file> --to json|yaml|xlsx --out <path>` and `import <file> --out <file.yaml|json>`:
 * reads any of the three formats, validates, writes the other.
 */
export async function convertCommand(file: string | undefined, o: ConvertOptions = {}): Promise<CommandResult & { data?: Buffer }> {
  if (!file) return { ok: false, out: [], err: ['请给出要转换的标准文件'] };
  const to = (o.to ?? (o.out ? formatOfPath(o.out) : null)) as StandardFileFormat | null;
  if (!to || !STANDARD_FILE_FORMATS.includes(to))
    return {
      ok: false,
      out: [],
      err: [`--to 须为 ${STANDARD_FILE_FORMATS.join('、')} 之一${o.out ? '，或用 .json/.yaml/.xlsx 结尾的 --out 文件名' : ''}`],
    };
  if (to === 'xlsx' && !o.out) return { ok: false, out: [], err: ['导出 Excel 须用 --out 指定文件'] };
  const r = await readStandardFile(resolve(file, o));
  if (!r.ok) return { ok: false, out: [], err: [`${file}: ${r.errors.length}处错误`, ...r.errors.map((e) => `  ${e}`)] };
  const data = await renderStandard(r.doc, to);
  if (!o.out) return { ok: true, out: [data.toString('utf8').replace(/\n$/, '')], err: [], data };
  await fs.writeFile(resolve(o.out, o), data);
  return { ok: true, out: [], err: [`${file} → ${o.out}（${to}，${allCriteria(r.doc).length}项）`], data };
}

/** `template --out file.xlsx`: the workbook with headers and one example row. */
export async function templateCommand(o: { out?: string } & CommandOptions): Promise<CommandResult> {
  if (!o.out || formatOfPath(o.out) !== 'xlsx') return { ok: false, out: [], err: ['template: 须用 --out 指定 .xlsx 文件'] };
  const doc = parseStandard(TEMPLATE_EXAMPLE);
  if (!doc.ok) throw new Error(`template example invalid: ${doc.errors.join('; ')}`);
  await fs.writeFile(resolve(o.out, o), await standardToXlsx(doc.standard));
  return { ok: true, out: [], err: [`模板已写入 ${o.out}`] };
}

// ---- rate -------------------------------------------------------------------------------------

const FigureAnswer = z.strictObject({ value: z.number(), previous: z.number().nullish() });
const CriterionAnswer = z.strictObject({
  criterionId: z.string().min(1),
  statement: z.string().nullish(),
  figures: z.record(z.string(), FigureAnswer).optional(),
});
const CriterionScore = z.strictObject({
  criterionId: z.string().min(1),
  score: z.number().nonnegative().nullable().default(null),
  met: z.boolean().nullable().default(null),
  notApplicable: z.boolean().optional(),
  comment: z.string().nullish(),
  /** the latest stage wins; defaults to the final one */
  stage: z.enum(REVIEW_STAGES).default('evaluation'),
  /** ordering within a stage: later wins */
  at: z.string().default(''),
});
const RatingContext = z.strictObject({
  priorTitleStars: z.array(z.strictObject({ stars: z.number().int().min(1).max(5), yearsAgo: z.number().int().min(0) })).optional(),
  higherCheckPassed: z.boolean().optional(),
  recommended: z.boolean().optional(),
  lowerTitleHeld: z.boolean().optional(),
});
export const ApplicationsInput = z.array(
  z.strictObject({
    id: z.union([z.string(), z.number()]),
    answers: z.array(CriterionAnswer).default([]),
    scores: z.array(CriterionScore).default([]),
    context: RatingContext.optional(),
  }),
);
export type ApplicationsInput = z.infer<typeof ApplicationsInput>;

export interface RatedApplication {
  id: string | number;
  total: number;
  max: number;
  percent: number;
  stars: number;
  level: string;
  vetoed: string[];
  pending: string[];
  nextStar: ReturnType<typeof rate>['nextStar'];
  summary: string;
  criteria: { criterionId: string; status: string; score: number; points: number; reasons: string[] }[];
}

function formatPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const k of p) out += typeof k === 'number' ? `[${k}]` : out ? `.${String(k)}` : String(k);
  return out || '(root)';
}

/** Rates each application with the core engine; errors name the field of the input. */
export function rateApplications(
  doc: StandardDoc,
  input: unknown,
): { ok: true; results: RatedApplication[] } | { ok: false; errors: string[] } {
  const parsed = ApplicationsInput.safeParse(input);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`) };
  const ids = new Set(allCriteria(doc).map((c) => c.id));
  const errors: string[] = [];
  parsed.data.forEach((a, i) => {
    a.answers.forEach(
      (x, j) => ids.has(x.criterionId) || errors.push(`[${i}].answers[${j}].criterionId: 标准${doc.code}中没有第${x.criterionId}项`),
    );
    a.scores.forEach(
      (x, j) => ids.has(x.criterionId) || errors.push(`[${i}].scores[${j}].criterionId: 标准${doc.code}中没有第${x.criterionId}项`),
    );
  });
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    results: parsed.data.map((a) => {
      const r = rate(doc, a.answers, a.scores, a.context ?? {});
      return {
        id: a.id,
        total: r.total,
        max: r.max,
        percent: r.percent,
        stars: r.stars,
        level: r.level,
        vetoed: r.vetoed,
        pending: r.pending,
        nextStar: r.nextStar,
        summary: r.summary,
        criteria: r.criteria.map((c) => ({
          criterionId: c.criterionId,
          status: c.status,
          score: c.score,
          points: c.points,
          reasons: c.reasons.map((x) => renderReason(x, 'zh')),
        })),
      };
    }),
  };
}

/** `rate <standard file> <applications.json>`: a JSON array of ratings. */
export async function rateCommand(
  standardFile: string | undefined,
  applicationsFile: string | undefined,
  o: { out?: string } & CommandOptions = {},
): Promise<CommandResult & { results?: RatedApplication[] }> {
  if (!standardFile || !applicationsFile) return { ok: false, out: [], err: ['rate: 用法 rate <标准文件> <applications.json>'] };
  const s = await readStandardFile(resolve(standardFile, o));
  if (!s.ok) return { ok: false, out: [], err: [`${standardFile}: ${s.errors.length}处错误`, ...s.errors.map((e) => `  ${e}`)] };
  let input: unknown;
  try {
    input = JSON.parse(await fs.readFile(resolve(applicationsFile, o), 'utf8'));
  } catch (e) {
    const msg = (e as NodeJS.ErrnoException).code
      ? `无法读取文件：${(e as NodeJS.ErrnoException).code}`
      : `JSON 格式错误：${(e as Error).message}`;
    return { ok: false, out: [], err: [`${applicationsFile}: ${msg}`] };
  }
  const r = rateApplications(s.doc, input);
  if (!r.ok) return { ok: false, out: [], err: [`${applicationsFile}: ${r.errors.length}处错误`, ...r.errors.map((e) => `  ${e}`)] };
  const json = JSON.stringify(r.results, null, 2);
  if (o.out) {
    await fs.writeFile(resolve(o.out, o), `${json}\n`);
    return { ok: true, out: [], err: [`${r.results.length}份申报已评级 → ${o.out}`], results: r.results };
  }
  return { ok: true, out: [json], err: [], results: r.results };
}

export const USAGE = `pingan-standards — 创建标准文件工具

用法:
  validate <文件…>                          检查标准文件（YAML、JSON 或 Excel），逐条列出错误字段
  export <文件> --to json|yaml|xlsx [--out <路径>]  转换格式（JSON/YAML 不给 --out 时输出到屏幕）
  import <文件.xlsx|json|yaml> --out <文件.yaml|json>  从 Excel 等格式导入为 YAML 或 JSON
  template --out <文件.xlsx>                 生成 Excel 模板（含表头和一行示例）
  rate <标准文件> <applications.json> [--out <路径>]  按标准评级，输出 JSON

applications.json 为数组，每项 {id, answers: CriterionAnswer[], scores: CriterionScore[], context?: RatingContext}。
出错时退出码为 1，用法错误为 2。`;
