import { Link, useParams } from 'react-router-dom';
import { Result, Spin, Table, Tag } from 'antd';
import { getPublicNotice } from '../../../api/notices';
import { ApiError } from '../../../api/client';
import type { PublicNoticeItem } from '../../../api/types';
import { useAsync } from '../../../hooks/useAsync';
import { useT } from '../../../locales';
import { fmtScore, periodState } from '../../../utils/format';
import ErrorBox from '../../../components/ErrorBox';
import Stars from '../../../components/Stars';

/** One public notice: the names on it, region, category, stars, the period and whether it has ended. */
export default function PublicNoticePage() {
  const { id } = useParams();
  const t = useT();
  const { data: n, error, loading, reload } = useAsync(() => getPublicNotice(Number(id)), [id]);

  if (error && error instanceof ApiError && error.status === 404)
    return (
      <div className="public-paper">
        <Result status="404" title={error.message} extra={<Link to="/public">{t('public.backToList')}</Link>} />
      </div>
    );

  const state = n ? (n.ended ? 'ended' : periodState(n.startsOn, n.endsOn)) : 'open';
  return (
    <div className="public-paper" data-testid="public-notice">
      <Link to="/public" className="back-link">
        ← {t('public.backToList')}
      </Link>
      {error && <ErrorBox error={error} onRetry={reload} />}
      {loading && !n && <Spin />}
      {n && (
        <>
          <h1 className="notice-title" data-testid="notice-title">
            {n.title}
          </h1>
          <div className="notice-meta">
            <span>{t('public.publisher', { name: n.regionName })}</span>
            <span data-testid="notice-period">{t('public.period', { start: n.startsOn, end: n.endsOn })}</span>
            <Tag color={state === 'open' ? 'red' : 'default'} data-testid="notice-state" data-ended={n.ended}>
              {state === 'ended' ? t('public.ended') : state === 'open' ? t('public.open') : t('public.upcoming')}
            </Tag>
          </div>
          <div className="notice-rule" />
          {n.body && <p className="notice-body">{n.body}</p>}
          <h2 className="notice-h2">{t('public.items', { n: n.items.length })}</h2>
          <Table<PublicNoticeItem>
            rowKey="no"
            size="middle"
            bordered
            pagination={false}
            dataSource={n.items}
            scroll={{ x: 760 }}
            data-testid="notice-items"
            columns={[
              {
                title: t('public.no'),
                key: 'no',
                width: 64,
                align: 'center',
                render: (_: unknown, __: PublicNoticeItem, i: number) => i + 1,
              },
              { title: t('public.name'), dataIndex: 'subjectName', render: (s: string) => <strong>{s}</strong> },
              { title: t('public.region'), dataIndex: 'regionName', width: 140 },
              { title: t('public.category'), dataIndex: 'categoryName', width: 120 },
              {
                title: t('public.stars'),
                dataIndex: 'stars',
                width: 130,
                render: (s: number | null, r) =>
                  r.scheme === 'title' ? <span className="muted">{t('rating.noStars')}</span> : <Stars value={s} size={13} />,
              },
              { title: t('public.score'), dataIndex: 'score', width: 80, align: 'right', render: (s: number | null) => fmtScore(s) },
              {
                title: t('public.result'),
                key: 'result',
                width: 100,
                render: (_: unknown, i: PublicNoticeItem) =>
                  i.conferred ? (
                    <Tag color="green">{t('public.conferred')}</Tag>
                  ) : i.withdrawn ? (
                    <Tag>{t('public.withdrawn')}</Tag>
                  ) : (
                    <Tag color="gold">{t('public.inNotice')}</Tag>
                  ),
              },
            ]}
          />
          <p className="notice-foot">{t('public.objection')}</p>
        </>
      )}
    </div>
  );
}
