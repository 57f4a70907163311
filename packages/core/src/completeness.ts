import type { CriterionAnswer } from './rating.js';
import { describeMeasure } from './rating.js';
import type { StandardDoc } from './standard.js';
import { allCriteria } from './standard.js';

/** The 申报表 fields (002_169671291d704e13.txt 附件1). */
export interface ApplicationForm {
  /** 申报内容 */
  content?: string | null;
  /** 平安创建活动计划 */
  plan?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
}

export interface MissingItem {
  /** criterion id, or null for the form */
  criterionId: string | null;
  field: string;
  message: string;
}

const FORM_FIELDS: { key: keyof ApplicationForm; zh: string }[] = [
  { key: 'content', zh: '申报内容' },
  { key: 'plan', zh: '平安创建活动计划' },
  { key: 'contactName', zh: '联系人' },
  { key: 'contactPhone', zh: '联系电话' },
];

/**
 * What is still missing before an application can be submitted: every form field, a statement
 * for every criterion, every figure a measure asks for, and evidence where a criterion requires it.
 * Says exactly what and where, so the applicant can act on it.
 */
export function missingForSubmission(
  standard: StandardDoc,
  form: ApplicationForm,
  answers: CriterionAnswer[],
  evidenceCountByCriterion: Record<string, number>,
): MissingItem[] {
  const out: MissingItem[] = [];
  for (const f of FORM_FIELDS) {
    if (!form[f.key]?.trim()) out.push({ criterionId: null, field: f.key, message: `申报表「${f.zh}」未填写` });
  }
  const byId = new Map(answers.map((a) => [a.criterionId, a]));
  for (const c of allCriteria(standard)) {
    const a = byId.get(c.id);
    if (!a?.statement?.trim()) out.push({ criterionId: c.id, field: 'statement', message: `第${c.id}项：未填写自评说明` });
    for (const m of c.measures) {
      const fig = a?.figures?.[m.id];
      if (!fig || !Number.isFinite(fig.value))
        out.push({
          criterionId: c.id,
          field: `figures.${m.id}`,
          message: `第${c.id}项：未填报「${m.label}」（要求${describeMeasure(m)}）`,
        });
      else if (m.kind === 'change' && (fig.previous == null || !Number.isFinite(fig.previous)))
        out.push({ criterionId: c.id, field: `figures.${m.id}.previous`, message: `第${c.id}项：未填报「${m.label}」上年数` });
    }
    if (c.evidenceRequired && !(evidenceCountByCriterion[c.id] ?? 0))
      out.push({
        criterionId: c.id,
        field: 'evidence',
        message: `第${c.id}项：须上传佐证材料${c.evidence.length ? `（${c.evidence.join('、')}）` : ''}`,
      });
  }
  return out;
}
