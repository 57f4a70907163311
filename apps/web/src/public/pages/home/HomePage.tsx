import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { honourApi, noticesApi, votesApi } from '@pingan/contract';
import {
  Badge,
  Button,
  ButtonLink,
  Card,
  Empty,
  ErrorText,
  Loading,
  Pager,
  Stars,
  StatusBadge,
  TextField,
  call,
  useApi,
  useT,
} from '../../kit';
import dict from '../../locales/honour';
import VerifyBox from '../verify/VerifyBox';
import { regionText } from '../title/TitlePage';

const NOTICES = 5;

/** /public: the notices, the open votes, the honour roll and the title check, one under the other on a phone. */
export default function HomePage() {
  const t = useT(dict);
  return (
    <>
      <section className="pp-hero">
        <h1>{t('home.title')}</h1>
        <p>{t('home.intro')}</p>
      </section>
      <div className="pp-home">
        <div className="pp-home-main">
          <Notices />
          <Votes />
        </div>
        <div className="pp-home-side">
          <Card title={t('home.verify')} data-testid="home-verify">
            <p className="pp-muted pp-small">{t('home.verifyIntro')}</p>
            <VerifyBox />
          </Card>
          <Honour />
        </div>
      </div>
    </>
  );
}

function Notices() {
  const t = useT(dict);
  const [offset, setOffset] = useState(0);
  const { data, error, loading, reload } = useApi(() => call(noticesApi.publicList, { query: { limit: NOTICES, offset } }), [offset]);
  return (
    <Card title={t('home.notices')} data-testid="home-notices">
      {loading && !data ? (
        <Loading />
      ) : error ? (
        <ErrorText onRetry={reload}>{error.message}</ErrorText>
      ) : !data?.items.length ? (
        <Empty>{t('home.noticesEmpty')}</Empty>
      ) : (
        <>
          <ul className="pp-list">
            {data.items.map((n) => (
              <li key={n.code}>
                <Link to={`/public/notices/${n.code}`} className="pp-list-title" data-testid="notice-link">
                  {n.title}
                </Link>
                <div className="pp-list-meta">
                  {n.open ? <Badge tone="green">{t('home.noticeOpen')}</Badge> : <Badge tone="grey">{t('home.noticeEnded')}</Badge>}
                  <span>{n.regionName}</span>
                  <span>
                    {n.startsOn} {t('date.to')} {n.endsOn}
                  </span>
                </div>
              </li>
            ))}
          </ul>
          <Pager total={data.total} offset={offset} limit={NOTICES} onChange={setOffset} />
        </>
      )}
    </Card>
  );
}

function Votes() {
  const t = useT(dict);
  const { data, error, loading, reload } = useApi(() => call(votesApi.publicList, { query: { limit: 50, offset: 0 } }), []);
  const open = (data?.items ?? []).filter((v) => v.state === 'open').slice(0, 5);
  return (
    <Card title={t('home.votes')} extra={<Link to="/public/votes">{t('home.votesAll')}</Link>} data-testid="home-votes">
      {loading ? (
        <Loading />
      ) : error ? (
        <ErrorText onRetry={reload}>{error.message}</ErrorText>
      ) : !open.length ? (
        <Empty>{t('home.votesEmpty')}</Empty>
      ) : (
        <ul className="pp-list">
          {open.map((v) => (
            <li key={v.code}>
              <Link to={`/public/votes/${v.code}`} className="pp-list-title" data-testid="vote-link">
                {v.title}
              </Link>
              <div className="pp-list-meta">
                <Badge tone="blue">{t('home.voteOpen')}</Badge>
                <span>{v.categoryName}</span>
                <span>
                  {v.startsOn} {t('date.to')} {v.endsOn}
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function Honour() {
  const t = useT(dict);
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const { data, error, loading, reload } = useApi(() => call(honourApi.list, { query: { limit: 5, offset: 0 } }), []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(q.trim() ? `/public/honour?q=${encodeURIComponent(q.trim())}` : '/public/honour');
  };
  return (
    <Card title={t('home.honour')} data-testid="home-honour">
      <form className="pp-row" onSubmit={submit} role="search">
        <TextField
          label={t('home.honourSearch')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder={t('home.honourPlaceholder')}
          maxLength={50}
        />
        <Button type="submit">{t('home.honourGo')}</Button>
      </form>
      <div className="pp-muted pp-small">{t('home.latest')}</div>
      {loading ? (
        <Loading />
      ) : error ? (
        <ErrorText onRetry={reload}>{error.message}</ErrorText>
      ) : !data?.items.length ? (
        <Empty />
      ) : (
        <ul className="pp-list">
          {data.items.map((i) => (
            <li key={i.certificateNo}>
              <Link to={`/t/${i.certificateNo}`} className="pp-list-title">
                {i.holder}
              </Link>
              <div className="pp-list-meta">
                <StatusBadge status={i.status} />
                <span>
                  {i.year} {i.titleName}
                </span>
                {i.stars !== null && <Stars value={i.stars} />}
                <span>{regionText(i.region)}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
      <ButtonLink to="/public/honour" data-testid="home-honour-all">
        {t('home.honourAll')}
      </ButtonLink>
    </Card>
  );
}
