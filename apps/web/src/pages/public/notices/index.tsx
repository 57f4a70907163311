import { Link } from 'react-router-dom';
import { Empty, Spin, Tag } from 'antd';
import { listPublicNotices } from '../../../api/notices';
import { useAsync } from '../../../hooks/useAsync';
import { useT, type MessageKey } from '../../../locales';
import { periodState } from '../../../utils/format';
import ErrorBox from '../../../components/ErrorBox';

const COLOR = { upcoming: 'default', open: 'red', ended: 'default' } as const;
const LABEL: Record<'upcoming' | 'open' | 'ended', MessageKey> = {
  upcoming: 'public.upcoming',
  open: 'public.open',
  ended: 'public.ended',
};

/** 公示公告: every published notice, newest first, for anyone. */
export default function PublicNoticeListPage() {
  const t = useT();
  const { data, error, loading, reload } = useAsync(listPublicNotices, []);
  return (
    <div className="public-paper">
      <h1 className="public-h1">{t('public.list')}</h1>
      {error && <ErrorBox error={error} onRetry={reload} />}
      {loading && !data && <Spin />}
      {data && data.length === 0 && <Empty description={t('public.empty')} />}
      <ul className="public-list" data-testid="public-notices">
        {data?.map((n) => {
          const s = periodState(n.startsOn, n.endsOn);
          return (
            <li key={n.id}>
              <Link to={`/public/notices/${n.id}`} data-testid={`public-notice-${n.id}`}>
                {n.title}
              </Link>
              <span className="public-list-meta">
                <Tag color={COLOR[s]}>{t(LABEL[s])}</Tag>
                {n.regionName} · {n.startsOn} ~ {n.endsOn}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
