import { Link } from 'react-router-dom';
import { Alert, Button, Descriptions, Space, Tag, Typography } from 'antd';
import { LEVEL_LABELS } from '@pingan/core';
import type { ApplicationDetail, Decision, Me } from '../../../api/types';
import { certificateUrl } from '../../../api/titles';
import { applicationFormUrl, reviewFormUrl } from '../../../api/documents';
import { useI18n } from '../../../locales';
import { fmtTime } from '../../../utils/format';
import StatusTag from '../../../components/StatusTag';

interface Props {
  detail: ApplicationDetail;
  me: Me;
  dirty: boolean;
  busy: string | null;
  onSave: () => void;
  onSubmit: () => void;
  onDecide: (d: Decision) => void;
}

/** The sticky head of an application: who, what, status, and the buttons this account may press. */
export default function DetailHeader({ detail, dirty, busy, onSave, onSubmit, onDecide }: Props) {
  const { t, pick, lang } = useI18n();
  const a = detail.allowedActions;
  const canPass = detail.canReview && (a.includes('preliminary_pass') || a.includes('evaluate'));
  const stepName = detail.step ? (lang === 'zh-CN' ? detail.step.name : (detail.step.nameEn ?? detail.step.name)) : null;
  const passLabel = a.includes('evaluate')
    ? t('review.passEvaluation')
    : stepName
      ? t('review.passStep', { step: stepName })
      : t('review.pass');
  const lastReturn = detail.status === 'returned' ? [...detail.events].reverse().find((e) => e.action === 'return') : undefined;

  const buttons = (
    <Space wrap>
      {detail.canEdit && (
        <>
          <span className={dirty ? 'save-state dirty' : 'save-state'} data-testid="save-state">
            {dirty ? t('detail.unsaved') : t('detail.allSaved')}
          </span>
          <Button onClick={onSave} loading={busy === 'save'} disabled={!!busy && busy !== 'save'} data-testid="save-draft">
            {t('detail.saveDraft')}
          </Button>
          <Button
            type="primary"
            onClick={onSubmit}
            loading={busy === 'submit'}
            disabled={!!busy && busy !== 'submit'}
            data-testid="submit-application"
          >
            {t('detail.submit')}
          </Button>
        </>
      )}
      {detail.canReview && (
        <>
          {/* only where this account scores the current step: elsewhere (a vote, after evaluation) nothing would be saved */}
          {detail.canScore && (
            <Button onClick={() => onDecide('none')} loading={busy === 'none'} disabled={!!busy} data-testid="review-save">
              {t('review.saveScores')}
            </Button>
          )}
          {canPass && (
            <Button type="primary" onClick={() => onDecide('pass')} loading={busy === 'pass'} disabled={!!busy} data-testid="review-pass">
              {passLabel}
            </Button>
          )}
          {a.includes('return') && (
            <Button onClick={() => onDecide('return')} disabled={!!busy} data-testid="review-return">
              {t('review.return')}
            </Button>
          )}
          {a.includes('reject') && (
            <Button danger onClick={() => onDecide('reject')} disabled={!!busy} data-testid="review-reject">
              {t('review.reject')}
            </Button>
          )}
        </>
      )}
      {a.includes('publish') && (
        <Link to={`/notices/new?campaignId=${detail.campaign.id}`}>
          <Button data-testid="go-publish">{t('notices.publish')}</Button>
        </Link>
      )}
      <Button href={applicationFormUrl(detail.id)} data-testid="download-application-form">
        {t('documents.applicationForm')}
      </Button>
      <Button href={reviewFormUrl(detail.id)} data-testid="download-review-form">
        {t('documents.reviewForm')}
      </Button>
      {detail.title && (
        <Button type="primary" href={certificateUrl(detail.title.id)} className="btn-gold" data-testid="download-certificate">
          {t('detail.downloadCertificate')}
        </Button>
      )}
    </Space>
  );

  return (
    <>
      <div className="detail-header-bar">
        <div className="detail-title">
          <Link to="/applications" className="back-link">
            ← {t('detail.backToList')}
          </Link>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="detail-subject">
            {detail.subject.name}
          </Typography.Title>
          <Tag color="red">{detail.categoryName}</Tag>
          <span data-testid="detail-status">
            <StatusTag status={detail.status} />
          </span>
        </div>
        {buttons}
      </div>
      <div className="detail-header">
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }} className="detail-meta">
          <Descriptions.Item label={t('detail.campaign')}>{detail.campaign.name}</Descriptions.Item>
          <Descriptions.Item label={t('detail.region')}>{detail.subject.regionName}</Descriptions.Item>
          <Descriptions.Item label={t('detail.standard')}>
            <Link to={`/standards/versions/${detail.standardVersionId}`}>{detail.standard.title}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('detail.no')}>{detail.id}</Descriptions.Item>
          <Descriptions.Item label={t('campaigns.applyDeadline')}>{detail.campaign.applyDeadline}</Descriptions.Item>
          <Descriptions.Item label={t('detail.submittedAt')}>{fmtTime(detail.submittedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('detail.updatedAt')}>{fmtTime(detail.updatedAt)}</Descriptions.Item>
        </Descriptions>
        {lastReturn?.reason && (
          <Alert
            type="warning"
            showIcon
            title={t('detail.returnedHint', { reason: lastReturn.reason })}
            style={{ marginTop: 8 }}
            data-testid="returned-reason"
          />
        )}
        {detail.title && (
          <Alert
            type="success"
            showIcon
            style={{ marginTop: 8 }}
            data-testid="title-info"
            title={
              detail.title.level === 'title'
                ? t('detail.titleConferredNoStars', { name: detail.title.titleName })
                : t('detail.titleConferred', {
                    name: detail.title.titleName,
                    stars: detail.title.stars,
                    level: pick(LEVEL_LABELS[detail.title.level]),
                  })
            }
            description={
              <span>
                {t('detail.certificateNo')}：{/* the title's public page, as the certificate's QR code opens it */}
                <a href={`/t/${detail.title.certificateNo}`} target="_blank" rel="noopener">
                  <strong data-testid="certificate-no">{detail.title.certificateNo}</strong>
                </a>
                <span className="muted"> · {detail.title.conferredOn}</span>
              </span>
            }
          />
        )}
        {detail.notice && !detail.title && (
          <Alert
            type="info"
            showIcon
            style={{ marginTop: 8 }}
            title={t('detail.inNotice', { title: detail.notice.title, start: detail.notice.startsOn, end: detail.notice.endsOn })}
            action={
              <Link to={`/public/notices/${detail.notice.publicCode}`} target="_blank">
                {t('detail.viewNotice')}
              </Link>
            }
          />
        )}
      </div>
    </>
  );
}
