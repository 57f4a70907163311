import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  allCriteria,
  missingForSubmission,
  rateFromCounts,
  type ApplicationForm,
  type CriterionAnswer,
  type FigureAnswer,
} from '@pingan/core';
import { saveDraft } from '../../../api/applications';
import type { ApplicationDetail, EvidenceFile } from '../../../api/types';

export interface FigureDraft {
  value: number | null;
  previous: number | null;
  /** a rate of two counts (rateOf): the part and the whole; the rate is computed from them */
  numerator: number | null;
  denominator: number | null;
  /** filled by the system (a survey, a region indicator): shown with its source, not typed */
  source?: FigureAnswer['source'];
}
export interface AnswerDraft {
  statement: string;
  figures: Record<string, FigureDraft>;
}
export type FormDraft = Required<{ [K in keyof ApplicationForm]: string }>;

export const PHONE_RE = /^[0-9+\- ]{0,20}$/;

function initialAnswers(d: ApplicationDetail): Record<string, AnswerDraft> {
  const byId = new Map(d.answers.map((a) => [a.criterionId, a]));
  const out: Record<string, AnswerDraft> = {};
  for (const c of allCriteria(d.standard)) {
    const a = byId.get(c.id);
    const figures: Record<string, FigureDraft> = {};
    for (const m of c.measures) {
      const f = a?.figures?.[m.id];
      figures[m.id] = {
        value: f?.value ?? null,
        previous: f?.previous ?? null,
        numerator: f?.numerator ?? null,
        denominator: f?.denominator ?? null,
        source: f?.source ?? null,
      };
    }
    out[c.id] = { statement: a?.statement ?? '', figures };
  }
  return out;
}

function initialForm(d: ApplicationDetail): FormDraft {
  return {
    content: d.form.content ?? '',
    plan: d.form.plan ?? '',
    contactName: d.form.contactName ?? '',
    contactPhone: d.form.contactPhone ?? '',
  };
}

/**
 * The answers as the API takes them: empty figures left out. Two counts given, the figure is the
 * rate computed from them (0 when the whole is 0: the engine then says it cannot be computed).
 */
export function toAnswers(answers: Record<string, AnswerDraft>): CriterionAnswer[] {
  return Object.entries(answers).map(([criterionId, a]) => {
    const figures: Record<string, FigureAnswer> = {};
    for (const [mid, f] of Object.entries(a.figures)) {
      // the system's figures are the system's: the server keeps them whatever is sent
      if (f.source) continue;
      if (f.numerator != null && f.denominator != null)
        figures[mid] = { value: rateFromCounts(f.numerator, f.denominator) ?? 0, numerator: f.numerator, denominator: f.denominator };
      else if (f.value != null && Number.isFinite(f.value)) figures[mid] = { value: f.value, previous: f.previous };
    }
    return { criterionId, statement: a.statement.trim() ? a.statement : null, figures };
  });
}

function toForm(f: FormDraft): ApplicationForm {
  const v = (s: string) => (s.trim() ? s : null);
  return { content: v(f.content), plan: v(f.plan), contactName: v(f.contactName.trim()), contactPhone: v(f.contactPhone.trim()) };
}

/**
 * The applicant's working copy of the 申报表 and the self-assessment: what they typed stays here
 * until it is saved, whatever the server answers.
 */
export function useDraft(detail: ApplicationDetail | undefined) {
  const [form, setForm] = useState<FormDraft>({ content: '', plan: '', contactName: '', contactPhone: '' });
  const [answers, setAnswers] = useState<Record<string, AnswerDraft>>({});
  const [files, setFiles] = useState<EvidenceFile[]>([]);
  const [revision, setRevision] = useState(0);
  const [edits, setEdits] = useState(0);
  const [savedEdits, setSavedEdits] = useState(0);
  const editsRef = useRef(0);

  useEffect(() => {
    if (!detail) return;
    setForm(initialForm(detail));
    setAnswers(initialAnswers(detail));
    setFiles(detail.files);
    setRevision(detail.revision);
    editsRef.current = 0;
    setEdits(0);
    setSavedEdits(0);
  }, [detail]);

  const touch = () => {
    editsRef.current += 1;
    setEdits(editsRef.current);
  };

  const setFormField = useCallback((k: keyof FormDraft, v: string) => {
    setForm((f) => ({ ...f, [k]: v }));
    touch();
  }, []);

  const setStatement = useCallback((cid: string, v: string) => {
    setAnswers((a) => ({ ...a, [cid]: { ...(a[cid] ?? { statement: '', figures: {} }), statement: v } }));
    touch();
  }, []);

  const setFigure = useCallback((cid: string, mid: string, part: keyof FigureDraft, v: number | null) => {
    setAnswers((a) => {
      const cur = a[cid] ?? { statement: '', figures: {} };
      const fig = cur.figures[mid] ?? { value: null, previous: null, numerator: null, denominator: null };
      return { ...a, [cid]: { ...cur, figures: { ...cur.figures, [mid]: { ...fig, [part]: v } } } };
    });
    touch();
  }, []);

  const save = useCallback(async () => {
    if (!detail) throw new Error('no application');
    const at = editsRef.current;
    const r = await saveDraft(detail.id, { revision, form: toForm(form), answers: toAnswers(answers) });
    setRevision(r.revision);
    setSavedEdits(at);
    return r;
  }, [detail, revision, form, answers]);

  const missing = useMemo(() => {
    if (!detail) return [];
    const count: Record<string, number> = {};
    for (const f of files) if (f.criterionId) count[f.criterionId] = (count[f.criterionId] ?? 0) + 1;
    return missingForSubmission(detail.standard, toForm(form), toAnswers(answers), count);
  }, [detail, form, answers, files]);

  return {
    form,
    answers,
    files,
    setFiles,
    revision,
    dirty: edits !== savedEdits,
    phoneValid: PHONE_RE.test(form.contactPhone.trim()),
    missing,
    setFormField,
    setStatement,
    setFigure,
    save,
  };
}

export type Draft = ReturnType<typeof useDraft>;
