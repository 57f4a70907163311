import { memo } from 'react';
import { Input, InputNumber, Tag } from 'antd';
import { describeMeasure, rateFromCounts, type Criterion, type Measure, type MissingItem } from '@pingan/core';
import type { EvidenceFile } from '../../../api/types';
import { useI18n, type MessageKey, type Params } from '../../../locales';
import CriterionInfo, { coreLang } from '../../../components/CriterionInfo';
import EvidenceList from './EvidenceList';
import type { AnswerDraft, FigureDraft } from './useDraft';

interface Props {
  applicationId: number;
  c: Criterion;
  answer: AnswerDraft | undefined;
  files: EvidenceFile[];
  editable: boolean;
  /** missing items of this criterion to mark, after a refused submission */
  marked: MissingItem[];
  setStatement: (cid: string, v: string) => void;
  setFigure: (cid: string, mid: string, part: keyof FigureDraft, v: number | null) => void;
  onFilesChange: (update: (all: EvidenceFile[]) => EvidenceFile[]) => void;
}

const show = (n: number | null | undefined) => (n == null ? '—' : String(n));

function unitOf(m: Measure, t: (k: MessageKey) => string): string | undefined {
  if (m.kind === 'frequency') return t('unit.times');
  if (m.kind === 'change') return undefined;
  if (m.kind === 'distance') return t(m.unit === 'm' ? 'unit.m' : 'unit.km');
  return m.unit || undefined;
}

type RateOf = NonNullable<Extract<Measure, { kind: 'threshold' }>['rateOf']>;

/** The rate computed from the two counts, both shown; or why there is none. */
function rateText(r: RateOf, fig: FigureDraft | undefined, en: boolean, t: (k: MessageKey, p?: Params) => string): string | null {
  if (fig?.numerator == null || fig.denominator == null) return null;
  const numerator = en ? (r.numeratorEn ?? r.numerator) : r.numerator;
  const denominator = en ? (r.denominatorEn ?? r.denominator) : r.denominator;
  if (fig.numerator > fig.denominator) return t('criterion.rateTooHigh', { numerator, denominator });
  const rate = rateFromCounts(fig.numerator, fig.denominator);
  if (rate === null) return t('criterion.rateNoDenominator', { denominator });
  return t('criterion.rateComputed', { rate: Math.round(rate * 100) / 100, numerator, n: fig.numerator, denominator, d: fig.denominator });
}

/** One criterion of the self-assessment: the standard's text, the statement, the figures, the evidence. */
function CriterionBlock({ applicationId, c, answer, files, editable, marked, setStatement, setFigure, onFilesChange }: Props) {
  const { t, lang } = useI18n();
  const cl = coreLang(lang);
  const en = cl === 'en';
  const missingField = (f: string) => marked.some((m) => m.field === f);
  return (
    <div
      className={`criterion-block${marked.length ? ' criterion-missing' : ''}`}
      id={`criterion-${c.id}`}
      data-testid={`criterion-${c.id}`}
    >
      <CriterionInfo c={c} extra={marked.length > 0 && <Tag color="error">{t('criterion.hasMissing')}</Tag>} />
      <div className="criterion-answer">
        <div className="answer-label">{t('criterion.statement')}</div>
        {editable ? (
          <Input.TextArea
            value={answer?.statement ?? ''}
            onChange={(e) => setStatement(c.id, e.target.value)}
            autoSize={{ minRows: 2, maxRows: 10 }}
            maxLength={5000}
            placeholder={t('criterion.statementPlaceholder')}
            status={missingField('statement') ? 'error' : undefined}
            data-testid={`statement-${c.id}`}
          />
        ) : (
          <div className="pre answer-text" data-testid={`statement-${c.id}`}>
            {answer?.statement || <span className="muted">{t('criterion.statementEmpty')}</span>}
          </div>
        )}
        {c.measures.length > 0 && (
          <>
            <div className="answer-label">{t('criterion.figures')}</div>
            <div className="measures">
              {c.measures.map((m) => {
                const fig = answer?.figures[m.id];
                const bad = missingField(`figures.${m.id}`);
                const badPrev = missingField(`figures.${m.id}.previous`);
                const rateOf = m.kind === 'threshold' ? m.rateOf : undefined;
                const share = m.kind === 'threshold' && m.unit === '%';
                const computed = rateOf ? rateText(rateOf, fig, en, t) : null;
                return (
                  <div className="measure-row" key={m.id}>
                    <div className="measure-label">
                      <strong>{en ? (m.labelEn ?? m.label) : m.label}</strong>
                      <span className="muted">{t('criterion.requirement', { text: describeMeasure(m, cl) })}</span>
                    </div>
                    {fig?.source || m.indicator ? (
                      // filled by the system from a survey or a region indicator: shown with where it came from
                      <div className="measure-inputs" data-testid={`figure-${c.id}-${m.id}`}>
                        <strong>{fig?.source ? `${show(fig.value)}${unitOf(m, t) ?? ''}` : '—'}</strong>
                        <Tag color={fig?.source ? 'blue' : 'default'} data-testid={`figure-source-${c.id}-${m.id}`}>
                          {fig?.source
                            ? t('criterion.figureSource', { label: fig.source.label, at: fig.source.at.slice(0, 10) })
                            : t('criterion.figureFromIndicator')}
                        </Tag>
                      </div>
                    ) : editable && rateOf ? (
                      // a rate of two counts: the applicant enters both, the rate is computed and shown with them
                      <div className="measure-inputs">
                        <InputNumber
                          value={fig?.numerator ?? null}
                          min={0}
                          max={2147483647}
                          precision={0}
                          onChange={(v) => setFigure(c.id, m.id, 'numerator', typeof v === 'number' ? v : null)}
                          prefix={<span className="muted">{en ? (rateOf.numeratorEn ?? rateOf.numerator) : rateOf.numerator}</span>}
                          status={bad ? 'error' : undefined}
                          style={{ width: 280 }}
                          data-testid={`figure-${c.id}-${m.id}-numerator`}
                        />
                        <InputNumber
                          value={fig?.denominator ?? null}
                          min={0}
                          max={2147483647}
                          precision={0}
                          onChange={(v) => setFigure(c.id, m.id, 'denominator', typeof v === 'number' ? v : null)}
                          prefix={<span className="muted">{en ? (rateOf.denominatorEn ?? rateOf.denominator) : rateOf.denominator}</span>}
                          status={bad ? 'error' : undefined}
                          style={{ width: 280 }}
                          data-testid={`figure-${c.id}-${m.id}-denominator`}
                        />
                        <span data-testid={`figure-${c.id}-${m.id}-rate`}>{computed ?? (fig?.value != null ? `${fig.value}%` : '')}</span>
                      </div>
                    ) : editable ? (
                      <div className="measure-inputs">
                        <InputNumber
                          value={fig?.value ?? null}
                          min={share || m.kind === 'distance' || m.kind === 'frequency' || m.kind === 'range' ? 0 : undefined}
                          max={share ? 100 : undefined}
                          title={share ? t('criterion.shareRange') : undefined}
                          onChange={(v) => setFigure(c.id, m.id, 'value', typeof v === 'number' ? v : null)}
                          prefix={m.kind === 'change' ? <span className="muted">{t('criterion.current')}</span> : undefined}
                          suffix={unitOf(m, t)}
                          status={bad ? 'error' : undefined}
                          style={{ width: 200 }}
                          data-testid={`figure-${c.id}-${m.id}`}
                        />
                        {m.kind === 'change' && (
                          <InputNumber
                            value={fig?.previous ?? null}
                            onChange={(v) => setFigure(c.id, m.id, 'previous', typeof v === 'number' ? v : null)}
                            prefix={<span className="muted">{t('criterion.previous')}</span>}
                            status={badPrev ? 'error' : undefined}
                            style={{ width: 200 }}
                            data-testid={`figure-${c.id}-${m.id}-previous`}
                          />
                        )}
                      </div>
                    ) : (
                      <div className="measure-inputs" data-testid={`figure-${c.id}-${m.id}`}>
                        {m.kind === 'change' ? (
                          <span>
                            {t('criterion.current')} {show(fig?.value)} · {t('criterion.previous')} {show(fig?.previous)}
                          </span>
                        ) : computed ? (
                          <strong>{computed}</strong>
                        ) : (
                          <strong>{show(fig?.value)}</strong>
                        )}
                      </div>
                    )}
                  </div>
                );
              })}
            </div>
          </>
        )}
        {(editable || c.evidence.length > 0 || files.length > 0) && (
          <>
            <div className={`answer-label${missingField('evidence') ? ' text-error' : ''}`}>{t('criterion.evidence')}</div>
            <EvidenceList applicationId={applicationId} criterionId={c.id} files={files} editable={editable} onChange={onFilesChange} />
          </>
        )}
      </div>
    </div>
  );
}

export default memo(CriterionBlock);
