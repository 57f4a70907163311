import { useEffect } from 'react';
import { Link, useParams } from 'react-router-dom';
import { honourApi, type ResponseOf } from '@pingan/contract';
import { ButtonLink, Card, ErrorText, Fields, Loading, Stars, StatusBadge, call, useApi, useLang, useT } from '../../kit';
import dict from '../../locales/honour';
import VerifyBox from '../verify/VerifyBox';

type Title = ResponseOf<typeof honourApi.title>;
type Entry = Title['history'][number];

export const regionText = (path: string) => path.split('/').join(' · ');

/** /t/:no — what a certificate's QR code opens: the title's live status, its details and history. */
export default function TitlePage() {
  const t = useT(dict);
  const { en } = useLang();
  const { no = '' } = useParams();
  const { data, error, loading, reload } = useApi(() => call(honourApi.title, { params: { no } }), [no]);

  useEffect(() => {
    if (data) document.title = `${data.holder} · ${data.titleName} · ${t(`status.${data.status}`)}`;
    return () => {
      document.title = '平安创建 公示与荣誉';
    };
  }, [data, t]);

  if (loading) return <Loading />;
  if (error || !data)
    return (
      <Card title={t('verify.title')} data-testid="title-error">
        {error?.status === 404 ? (
          <p className="pp-error">{t('title.notFound')}</p>
        ) : (
          <ErrorText onRetry={reload}>{error?.message}</ErrorText>
        )}
        <p className="pp-muted pp-small pp-mono">{no}</p>
        <VerifyBox />
      </Card>
    );

  const d = data;
  const category = en ? (d.categoryNameEn ?? d.categoryName) : d.categoryName;
  return (
    <div data-testid="title-page" data-status={d.status}>
      <section className={`pp-card pp-title-hero pp-title-hero-${d.status}`}>
        <div className="pp-muted pp-small">{t('title.heading')}</div>
        <div className="pp-title-badge">
          <StatusBadge status={d.status} size="lg" testId="title-status" />
        </div>
        <p className="pp-title-hint">{t(`title.hint.${d.status}`)}</p>
        <p className="pp-small" data-testid="title-status-line">
          {d.status === 'expired' && d.validUntil
            ? t('title.expiredOn', { date: d.validUntil })
            : d.statusSince
              ? t('title.since', { date: d.statusSince })
              : null}
          {d.status !== 'expired' && d.validUntil && <> · {t('title.validUntil', { date: d.validUntil })}</>}
        </p>
        {d.statusReason && (
          <p className="pp-title-reason" data-testid="title-reason">
            {t('title.reason', { reason: d.statusReason })}
          </p>
        )}
        <h1 className="pp-title-holder" data-testid="title-holder">
          {d.holder}
        </h1>
        <div className="pp-title-name">
          {t('honour.yearValue', { year: d.year })} {d.titleName}
          {d.stars !== null && (
            <>
              {' '}
              <Stars value={d.stars} />
            </>
          )}
        </div>
        <div className="pp-muted pp-small">{t('title.asOf', { date: d.asOf })}</div>
      </section>

      <Card title={t('title.details')}>
        <Fields
          rows={[
            [t('title.no'), <code data-testid="title-no">{d.certificateNo}</code>],
            [t('title.holder'), `${d.holder}（${t(`kind.${d.holderKind}`)}）`],
            [t('title.name'), d.titleName],
            [t('title.category'), category],
            [t('title.year'), d.year],
            d.stars !== null && [t('title.stars'), <Stars value={d.stars} />],
            [t('title.region'), regionText(d.region)],
            [t('title.issuer'), d.issuer],
            d.namingDocument !== null && [t('title.document'), d.namingDocument],
            [t('title.conferredOn'), d.conferredOn],
            d.validUntil !== null && [t('title.term'), d.validUntil],
            [t('title.signed'), d.signed ? t('title.signedYes') : t('title.signedNo')],
          ]}
        />
      </Card>

      <Card title={t('title.history')}>
        {d.history.length === 0 ? (
          <p className="pp-muted">{t('title.historyEmpty')}</p>
        ) : (
          <ol className="pp-timeline" data-testid="title-history">
            {[...d.history].reverse().map((h, i) => (
              <HistoryItem key={i} h={h} />
            ))}
          </ol>
        )}
      </Card>

      <div className="pp-actions">
        <ButtonLink to="/verify">{t('title.checkAnother')}</ButtonLink>
        <Link to="/public/honour">{t('title.honour')}</Link>
      </div>
    </div>
  );
}

/** events whose name already says the status they led to: no badge beside them */
const SAYS_ITS_STATUS = new Set(['conferred', 'suspended', 'revoked', 'expired']);

function HistoryItem({ h }: { h: Entry }) {
  const t = useT(dict);
  const known = `event.${h.kind}` as const;
  const label = t(known as Parameters<typeof t>[0]);
  return (
    <li className={`pp-timeline-item${h.toStatus ? ` pp-timeline-${h.toStatus}` : ''}`}>
      <div className="pp-timeline-date">{h.on}</div>
      <div className="pp-timeline-body">
        <strong>{label === known ? h.kind : label}</strong>
        {h.toStatus && !SAYS_ITS_STATUS.has(h.kind) && (
          <>
            {' '}
            <StatusBadge status={h.toStatus} />
          </>
        )}
        {h.fromStars !== null && h.toStars !== null && h.fromStars !== h.toStars && (
          <div className="pp-small">{t('title.stars.change', { from: h.fromStars, to: h.toStars })}</div>
        )}
        {h.reason && <div className="pp-small pp-muted">{h.reason}</div>}
      </div>
    </li>
  );
}
