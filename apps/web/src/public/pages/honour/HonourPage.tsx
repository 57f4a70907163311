import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { honourApi, type RequestOf, type ResponseOf } from '@pingan/contract';
import {
  Button,
  Card,
  Empty,
  ErrorText,
  Loading,
  PageTitle,
  Pager,
  SelectField,
  Stars,
  StatusBadge,
  TextField,
  call,
  urlOf,
  useApi,
  useLang,
  useT,
} from '../../kit';
import dict from '../../locales/honour';
import { regionText } from '../title/TitlePage';

type List = ResponseOf<typeof honourApi.list>;
type Item = List['items'][number];
type Status = NonNullable<NonNullable<RequestOf<typeof honourApi.list>['query']>['status']>;

const LIMIT = 20;
const STATUSES: Status[] = ['current', 'all', 'valid', 'yellow', 'revoked', 'expired'];

/** 荣誉榜: filters in the address (so a filtered list can be shared), cards on a phone, a table on a desk. */
export default function HonourPage() {
  const t = useT(dict);
  const { en } = useLang();
  const [params, setParams] = useSearchParams();
  const filter = {
    year: params.get('year') ?? '',
    category: params.get('category') ?? '',
    region: params.get('region') ?? '',
    q: params.get('q') ?? '',
    status: (STATUSES as string[]).includes(params.get('status') ?? '') ? (params.get('status') as Status) : 'current',
  };
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const query = {
    year: filter.year || undefined,
    category: filter.category || undefined,
    region: filter.region || undefined,
    q: filter.q || undefined,
    status: filter.status,
  };
  const key = params.toString();
  const { data, error, loading, reload } = useApi(() => call(honourApi.list, { query: { ...query, limit: LIMIT, offset } }), [key]);
  // the facets of the last answer stay while the next loads, so the selects do not flicker
  const [facets, setFacets] = useState<List['facets']>();
  useEffect(() => {
    if (data) setFacets(data.facets);
  }, [data]);

  const [q, setQ] = useState(filter.q);
  useEffect(() => setQ(filter.q), [filter.q]);

  const set = (patch: Partial<Record<'year' | 'category' | 'region' | 'q' | 'status' | 'offset', string>>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch))
      if (v) next.set(k, v);
      else next.delete(k);
    if (!('offset' in patch)) next.delete('offset');
    if (next.get('status') === 'current') next.delete('status');
    setParams(next);
  };
  const search = (e: FormEvent) => {
    e.preventDefault();
    set({ q: q.trim() });
  };
  const catName = (c: { name: string; nameEn: string | null }) => (en ? (c.nameEn ?? c.name) : c.name);

  return (
    <>
      <PageTitle sub={t('honour.intro')}>{t('honour.title')}</PageTitle>
      <Card>
        <form className="pp-row" onSubmit={search} role="search">
          <TextField
            label={t('honour.q')}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder={t('honour.qPlaceholder')}
            maxLength={50}
            data-testid="honour-q"
          />
          <Button kind="primary" type="submit" data-testid="honour-search">
            {t('honour.search')}
          </Button>
        </form>
        <div className="pp-grid pp-grid-4">
          <SelectField
            label={t('honour.year')}
            value={filter.year}
            onChange={(e) => set({ year: e.target.value })}
            data-testid="honour-year"
            options={[
              { value: '', label: t('honour.yearAll') },
              ...(facets?.years ?? []).map((y) => ({
                value: String(y.year),
                label: `${t('honour.yearValue', { year: y.year })} (${y.count})`,
              })),
            ]}
          />
          <SelectField
            label={t('honour.category')}
            value={filter.category}
            onChange={(e) => set({ category: e.target.value })}
            data-testid="honour-category"
            options={[
              { value: '', label: t('honour.categoryAll') },
              ...(facets?.categories ?? []).map((c) => ({ value: c.code, label: `${catName(c)} (${c.count})` })),
            ]}
          />
          <SelectField
            label={t('honour.region')}
            value={filter.region}
            onChange={(e) => set({ region: e.target.value })}
            data-testid="honour-region"
            options={[
              { value: '', label: t('honour.regionAll') },
              ...(facets?.regions ?? []).map((r) => ({ value: r.path, label: `${'\u3000'.repeat(r.depth)}${r.name} (${r.count})` })),
            ]}
          />
          <SelectField
            label={t('honour.status')}
            value={filter.status}
            onChange={(e) => set({ status: e.target.value })}
            data-testid="honour-status"
            options={STATUSES.map((s) => ({
              value: s,
              label: s === 'current' ? t('honour.statusCurrent') : s === 'all' ? t('honour.statusAll') : t(`status.${s}`),
            }))}
          />
        </div>
        <div className="pp-toolbar">
          <span className="pp-muted pp-small" data-testid="honour-total">
            {data ? t('honour.total', { total: data.total }) : '\u00a0'}
          </span>
          <span className="pp-toolbar-links">
            {key && (
              <Button kind="link" onClick={() => setParams(new URLSearchParams())}>
                {t('honour.reset')}
              </Button>
            )}
            <span className="pp-muted pp-small">{t('honour.download')}:</span>
            <a href={urlOf(honourApi.exportCsv, { query })} download data-testid="honour-csv">
              CSV
            </a>
            <a href={urlOf(honourApi.exportJson, { query })} target="_blank" rel="noopener" data-testid="honour-json">
              JSON
            </a>
          </span>
        </div>
      </Card>

      {loading && !data ? (
        <Loading />
      ) : error ? (
        <ErrorText onRetry={reload}>{error.message}</ErrorText>
      ) : data && data.items.length === 0 ? (
        <Card>
          <Empty>{t('honour.empty')}</Empty>
        </Card>
      ) : data ? (
        <div aria-busy={loading} className={loading ? 'pp-stale' : undefined}>
          <ul className="pp-cards pp-cards-only" data-testid="honour-cards">
            {data.items.map((i) => (
              <HonourCard key={i.certificateNo} i={i} />
            ))}
          </ul>
          <div className="pp-table-wrap pp-card">
            <table className="pp-table" data-testid="honour-table">
              <thead>
                <tr>
                  <th>{t('honour.col.holder')}</th>
                  <th>{t('honour.col.title')}</th>
                  <th>{t('honour.col.region')}</th>
                  <th>{t('honour.col.year')}</th>
                  <th>{t('honour.col.stars')}</th>
                  <th>{t('honour.col.status')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((i) => (
                  <tr key={i.certificateNo}>
                    <td>
                      <Link to={`/t/${i.certificateNo}`}>{i.holder}</Link>
                    </td>
                    <td>
                      {i.titleName}
                      {(en || i.categoryName !== i.titleName) && (
                        <div className="pp-muted pp-small">{en ? (i.categoryNameEn ?? i.categoryName) : i.categoryName}</div>
                      )}
                    </td>
                    <td>{regionText(i.region)}</td>
                    <td>{i.year}</td>
                    <td>{i.stars !== null ? <Stars value={i.stars} /> : '—'}</td>
                    <td>
                      <StatusBadge status={i.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager total={data.total} offset={offset} limit={LIMIT} onChange={(o) => set({ offset: o ? String(o) : '' })} />
        </div>
      ) : null}
    </>
  );
}

function HonourCard({ i }: { i: Item }) {
  const t = useT(dict);
  return (
    <li className="pp-card pp-honour-card">
      <Link to={`/t/${i.certificateNo}`} className="pp-honour-link" data-testid="honour-item">
        <div className="pp-honour-top">
          <strong className="pp-honour-holder">{i.holder}</strong>
          <StatusBadge status={i.status} />
        </div>
        <div>
          {t('honour.yearValue', { year: i.year })} {i.titleName} {i.stars !== null && <Stars value={i.stars} />}
        </div>
        <div className="pp-muted pp-small">{regionText(i.region)}</div>
      </Link>
    </li>
  );
}
