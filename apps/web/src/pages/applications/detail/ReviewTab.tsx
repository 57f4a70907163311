import { Alert, Card, Col, Input, InputNumber, Radio, Row, Typography } from 'antd';
import { describeMeasure, renderReason } from '@pingan/core';
import type { ApplicationDetail, EvidenceFile, Me } from '../../../api/types';
import { useI18n } from '../../../locales';
import CriterionInfo, { coreLang } from '../../../components/CriterionInfo';
import EvidenceList from './EvidenceList';
import { mayScore, type Review } from './useReview';

/** 评审: per criterion the applicant's material next to the reviewer's score, judgement and comment. */
export default function ReviewTab({
  detail,
  me,
  review,
  decides,
}: {
  detail: ApplicationDetail;
  me: Me;
  review: Review;
  decides: boolean;
}) {
  const { t, lang } = useI18n();
  const stepName = detail.step ? (lang === 'zh-CN' ? detail.step.name : (detail.step.nameEn ?? detail.step.name)) : null;
  const ratingBy = new Map(detail.rating.criteria.map((c) => [c.criterionId, c]));
  const answerBy = new Map(detail.answers.map((a) => [a.criterionId, a]));
  const filesBy = new Map<string, EvidenceFile[]>();
  for (const f of detail.files) if (f.criterionId) filesBy.set(f.criterionId, [...(filesBy.get(f.criterionId) ?? []), f]);

  return (
    <div className="review-tab">
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={stepName ? t('review.stage', { stage: stepName }) : t('review.title')}
        description={
          <>
            {review.prefilled && <div>{t('review.prefilled')}</div>}
            {!decides && <div>{t('review.noDecision')}</div>}
          </>
        }
      />
      {detail.standard.groups.map((g) => (
        <Card key={g.id} title={g.name} size="small" className="group-card">
          {g.criteria.map((c) => {
            const s = review.scores[c.id] ?? { score: null, met: null, comment: '' };
            const can = mayScore(detail, me, c);
            const a = answerBy.get(c.id);
            const r = ratingBy.get(c.id);
            return (
              <div className="criterion-block" key={c.id} data-testid={`review-criterion-${c.id}`}>
                <Row gutter={24}>
                  <Col xs={24} lg={14}>
                    <CriterionInfo c={c} />
                    <div className="review-answer">
                      <div className="answer-label">{t('review.applicantAnswer')}</div>
                      <div className="pre answer-text">
                        {a?.statement || <span className="muted">{t('criterion.statementEmpty')}</span>}
                      </div>
                      {c.measures.length > 0 && (
                        <ul className="measure-checks">
                          {c.measures.map((m, i) => (
                            <li key={m.id}>
                              {r?.reasons[i] ? renderReason(r.reasons[i], coreLang(lang)) : describeMeasure(m, coreLang(lang))}
                            </li>
                          ))}
                        </ul>
                      )}
                      {(filesBy.get(c.id)?.length ?? 0) > 0 && (
                        <EvidenceList applicationId={detail.id} criterionId={c.id} files={filesBy.get(c.id) ?? []} editable={false} />
                      )}
                    </div>
                  </Col>
                  <Col xs={24} lg={10}>
                    {can ? (
                      <div className="review-controls">
                        <div className="review-control-row">
                          <span className="answer-label">{t('review.score')}</span>
                          <InputNumber
                            min={0}
                            max={c.points}
                            step={0.5}
                            value={s.score}
                            onChange={(v) => review.set(c.id, { score: typeof v === 'number' ? v : null })}
                            suffix={`/ ${c.points}`}
                            style={{ width: 140 }}
                            data-testid={`review-score-${c.id}`}
                          />
                        </div>
                        <div className="review-control-row">
                          <span className="answer-label">{t('review.met')}</span>
                          <Radio.Group
                            value={s.met}
                            onChange={(e) => {
                              const met = e.target.value as boolean;
                              const patch: { met: boolean; score?: number } = { met };
                              if (c.judge === 'yesno') patch.score = met ? c.points : 0;
                              else if (!met) patch.score = 0;
                              else if (s.score == null) patch.score = c.points;
                              review.set(c.id, patch);
                            }}
                            optionType="button"
                            buttonStyle="solid"
                            data-testid={`review-met-${c.id}`}
                            options={[
                              { value: true, label: t('review.metYes') },
                              { value: false, label: t('review.metNo') },
                            ]}
                          />
                        </div>
                        <Input.TextArea
                          value={s.comment}
                          onChange={(e) => review.set(c.id, { comment: e.target.value })}
                          placeholder={t('review.comment')}
                          autoSize={{ minRows: 1, maxRows: 4 }}
                          maxLength={2000}
                          data-testid={`review-comment-${c.id}`}
                        />
                      </div>
                    ) : (
                      <Typography.Text type="secondary">{t('review.notYours')}</Typography.Text>
                    )}
                  </Col>
                </Row>
              </div>
            );
          })}
        </Card>
      ))}
      <Card title={t('review.overallComment')} size="small">
        <Input.TextArea
          value={review.comment}
          onChange={(e) => review.setComment(e.target.value)}
          placeholder={t('review.overallPlaceholder')}
          autoSize={{ minRows: 3, maxRows: 8 }}
          maxLength={5000}
          showCount
          data-testid="review-comment"
        />
      </Card>
    </div>
  );
}
