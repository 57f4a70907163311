import { Link, useParams } from 'react-router-dom';
import { objectionsApi } from '@pingan/contract';
import { Badge, ButtonLink, Card, ErrorText, Fields, Loading, PageTitle, call, useApi, useT } from '../../kit';
import dict from '../../locales/objections';
import '../notices/notice.css';

const TONE = { open: 'blue', investigating: 'gold', upheld: 'red', dismissed: 'grey' } as const;

/** 异议办理情况: what the receipt shows — the status and, once decided, the written reply. */
export default function ReceiptPage() {
  const t = useT(dict);
  const { receipt } = useParams();
  const {
    data: r,
    error,
    loading,
    reload,
  } = useApi(() => call(objectionsApi.receipt, { params: { receipt: (receipt ?? '').trim().toUpperCase() } }), [receipt]);
  if (loading && !r) return <Loading />;
  if (error && (error.status === 404 || error.status === 400))
    return (
      <Card>
        <ErrorText>{t('receipt.notFound')}</ErrorText>
        <ButtonLink to="/public">{t('nav.home')}</ButtonLink>
      </Card>
    );
  if (error && !r) return <ErrorText onRetry={reload}>{error.message}</ErrorText>;
  if (!r) return null;
  const decided = r.status === 'upheld' || r.status === 'dismissed';
  return (
    <div className="ob-page" data-testid="objection-receipt-page">
      <PageTitle sub={t('receipt.sub', { code: r.receipt })}>{t('receipt.title')}</PageTitle>
      <Card>
        <div className="ob-state">
          <Badge tone={TONE[r.status]}>
            <span data-testid="receipt-status" data-status={r.status}>
              {t(`receipt.status.${r.status}`)}
            </span>
          </Badge>
        </div>
        <Fields
          rows={[
            [t('receipt.notice'), <Link to={`/public/notices/${r.noticeCode}`}>{r.noticeTitle}</Link>],
            [t('receipt.candidate'), `${r.candidateName}（${r.categoryName}）`],
            [t('receipt.filedOn'), r.filedOn],
            r.outcome ? [t('receipt.outcome'), t(`receipt.outcome.${r.outcome}`)] : null,
            r.decidedOn ? [t('receipt.decidedOn'), r.decidedOn] : null,
          ]}
        />
      </Card>
      <Card title={t('receipt.reply')}>
        {decided && r.reply ? (
          <p className="ob-reply" data-testid="receipt-reply">
            {r.reply}
          </p>
        ) : (
          <p className="pp-muted" data-testid="receipt-pending">
            {t('receipt.pending')}
          </p>
        )}
      </Card>
      <ButtonLink to={`/public/notices/${r.noticeCode}`}>{t('receipt.back')}</ButtonLink>
    </div>
  );
}
