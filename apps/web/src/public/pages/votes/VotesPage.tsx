import { useState } from 'react';
import { Link } from 'react-router-dom';
import { votesApi } from '@pingan/contract';
import { Badge, Card, Empty, ErrorText, Loading, PageTitle, Pager, call, useApi, useT } from '../../kit';
import dict from '../../locales/votes';
import { STATE_TONE } from './state';
import './vote.css';

const LIMIT = 20;

/** /public/votes: the votes running, coming and closed, newest first. */
export default function VotesPage() {
  const t = useT(dict);
  const [offset, setOffset] = useState(0);
  const { data, error, loading, reload } = useApi(() => call(votesApi.publicList, { query: { limit: LIMIT, offset } }), [offset]);
  return (
    <div data-testid="public-votes">
      <PageTitle sub={t('votes.intro')}>{t('votes.title')}</PageTitle>
      <Card>
        {loading && !data ? (
          <Loading />
        ) : error ? (
          <ErrorText onRetry={reload}>{error.message}</ErrorText>
        ) : !data?.items.length ? (
          <Empty>{t('votes.empty')}</Empty>
        ) : (
          <>
            <ul className="pp-list">
              {data.items.map((v) => (
                <li key={v.code} data-testid={`vote-row-${v.code}`}>
                  <Link to={`/public/votes/${v.code}`} className="pp-list-title" data-testid="vote-link">
                    {v.title}
                  </Link>
                  <div className="pp-list-meta">
                    <Badge tone={STATE_TONE[v.state]}>{t(`state.${v.state}`)}</Badge>
                    <span>{v.regionName}</span>
                    <span>{v.categoryName}</span>
                    <span>
                      {v.startsOn} {t('date.to')} {v.endsOn}
                    </span>
                    <span>{t('votes.candidates', { n: v.candidates })}</span>
                  </div>
                </li>
              ))}
            </ul>
            <Pager total={data.total} offset={offset} limit={LIMIT} onChange={setOffset} />
          </>
        )}
      </Card>
    </div>
  );
}
