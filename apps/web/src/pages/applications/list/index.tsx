import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Button, Card, Grid, Input, Pagination, Select, Space, Table, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { APPLICATION_STATUSES, STATUS_LABELS, type ApplicationStatus } from '@pingan/core';
import { applicationsXlsxUrl, listApplications } from '../../../api/applications';
import { listCampaigns } from '../../../api/campaigns';
import { listCategories } from '../../../api/standards';
import type { ApplicationListItem } from '../../../api/types';
import { useAsync } from '../../../hooks/useAsync';
import { useMe } from '../../../auth/AuthContext';
import { access } from '../../../access';
import { useI18n } from '../../../locales';
import { fmtScore, fmtTime } from '../../../utils/format';
import PageContainer from '../../../components/PageContainer';
import ErrorBox from '../../../components/ErrorBox';
import StatusTag from '../../../components/StatusTag';
import Stars from '../../../components/Stars';
import NewApplicationModal from './NewApplicationModal';

const PAGE_SIZE = 20;

function isStatus(s: string | null): s is ApplicationStatus {
  return s !== null && (APPLICATION_STATUSES as readonly string[]).includes(s);
}

export default function ApplicationListPage() {
  const { t, pick } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);

  const statusParam = params.get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const categoryCode = params.get('category') ?? undefined;
  const campaignId = Number(params.get('campaign')) || undefined;
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [qInput, setQInput] = useState(q);
  // on a phone the table becomes a list of cards and the filters stack
  const phone = Grid.useBreakpoint().md === false;
  const filterWidth = (w: number) => (phone ? '100%' : w);

  const list = useAsync(
    () => listApplications({ status, categoryCode, campaignId, q: q || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    [status, categoryCode, campaignId, q, page],
  );
  const categories = useAsync(listCategories, []);
  const campaigns = useAsync(listCampaigns, []);

  const setFilter = (key: string, value: string | number | undefined) => {
    const next = new URLSearchParams(params);
    if (value === undefined || value === '') next.delete(key);
    else next.set(key, String(value));
    if (key !== 'page') next.delete('page');
    setParams(next);
  };

  const columns: ColumnsType<ApplicationListItem> = [
    { title: t('applications.subject'), dataIndex: 'subjectName', width: 220, ellipsis: true, render: (n: string) => <strong>{n}</strong> },
    { title: t('applications.region'), dataIndex: 'regionName', width: 140, ellipsis: true },
    { title: t('applications.category'), dataIndex: 'categoryName', width: 110 },
    {
      title: t('applications.campaign'),
      dataIndex: 'campaignName',
      ellipsis: { showTitle: false },
      render: (n: string) => (
        <Tooltip title={n} placement="topLeft">
          {n}
        </Tooltip>
      ),
    },
    { title: t('applications.status'), dataIndex: 'status', width: 190, render: (s: ApplicationStatus) => <StatusTag status={s} /> },
    { title: t('applications.score'), dataIndex: 'score', width: 80, align: 'right', render: (s: number | null) => fmtScore(s) },
    {
      title: t('applications.stars'),
      dataIndex: 'stars',
      width: 130,
      render: (s: number | null, r) =>
        r.scheme === 'title' ? <span className="muted">{t('rating.noStars')}</span> : <Stars value={s} size={12} />,
    },
    { title: t('applications.updatedAt'), dataIndex: 'updatedAt', width: 150, render: (s: string) => fmtTime(s) },
  ];

  return (
    <PageContainer
      title={me.role === 'applicant' ? t('applications.mine') : t('applications.title')}
      extra={
        <Space wrap>
          {me.role !== 'applicant' && (
            <Button href={applicationsXlsxUrl({ status, categoryCode, campaignId, q: q || undefined })} data-testid="applications-export">
              {t('appx.export')}
            </Button>
          )}
          {access.createApplication(me.role) && (
            <Button type="primary" onClick={() => setCreating(true)} data-testid="new-application">
              {t('applications.new')}
            </Button>
          )}
        </Space>
      }
    >
      {list.error && <ErrorBox error={list.error} onRetry={list.reload} />}
      <Card styles={{ body: { paddingBottom: 8 } }}>
        <Space wrap orientation={phone ? 'vertical' : 'horizontal'} style={{ marginBottom: 16, width: phone ? '100%' : undefined }}>
          <Select<ApplicationStatus | ''>
            style={{ width: filterWidth(200) }}
            value={status ?? ''}
            onChange={(v) => setFilter('status', v || undefined)}
            data-testid="filter-status"
            options={[
              { value: '', label: t('applications.allStatus') },
              ...APPLICATION_STATUSES.map((s) => ({ value: s, label: pick(STATUS_LABELS[s]) })),
            ]}
          />
          <Select<string>
            style={{ width: filterWidth(160) }}
            value={categoryCode ?? ''}
            onChange={(v) => setFilter('category', v || undefined)}
            data-testid="filter-category"
            options={[
              { value: '', label: t('applications.allCategories') },
              ...(categories.data ?? []).map((c) => ({ value: c.code, label: c.name })),
            ]}
          />
          <Select<number>
            style={{ width: filterWidth(260) }}
            value={campaignId ?? 0}
            onChange={(v) => setFilter('campaign', v || undefined)}
            data-testid="filter-campaign"
            options={[
              { value: 0, label: t('applications.allCampaigns') },
              ...(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name })),
            ]}
          />
          <Input.Search
            allowClear
            style={{ width: filterWidth(260) }}
            placeholder={t('applications.search')}
            value={qInput}
            onChange={(e) => setQInput(e.target.value)}
            onSearch={(v) => setFilter('q', v.trim() || undefined)}
            data-testid="filter-q"
            maxLength={100}
          />
        </Space>
        {phone ? (
          <div className="app-cards" data-testid="application-cards">
            {!list.loading && !list.data?.items.length && <div className="app-cards-empty muted">{t('applications.empty')}</div>}
            {(list.data?.items ?? []).map((r) => (
              <button
                type="button"
                key={r.id}
                className="app-card"
                onClick={() => navigate(`/applications/${r.id}`)}
                data-testid={`application-row-${r.id}`}
              >
                <span className="app-card-head">
                  <strong className="app-card-title">{r.subjectName}</strong>
                  <StatusTag status={r.status} />
                </span>
                <span className="app-card-line">
                  {r.categoryName} · {r.regionName}
                </span>
                <span className="app-card-line muted">{r.campaignName}</span>
                <span className="app-card-foot">
                  <span>
                    {t('applications.score')} {fmtScore(r.score)} <Stars value={r.stars} size={12} scheme={r.scheme} />
                  </span>
                  <span className="muted">{fmtTime(r.updatedAt)}</span>
                </span>
              </button>
            ))}
            {(list.data?.total ?? 0) > PAGE_SIZE && (
              <Pagination
                simple
                align="center"
                current={page}
                pageSize={PAGE_SIZE}
                total={list.data?.total ?? 0}
                onChange={(p) => setFilter('page', p === 1 ? undefined : p)}
              />
            )}
            {list.data && (
              <div className="app-cards-total muted">{t('common.total', { n: list.data.total ?? list.data.items.length })}</div>
            )}
          </div>
        ) : (
          <Table<ApplicationListItem>
            rowKey="id"
            size="middle"
            loading={list.loading}
            columns={columns}
            dataSource={list.data?.items ?? []}
            scroll={{ x: 1150 }}
            locale={{ emptyText: t('applications.empty') }}
            rowClassName={() => 'clickable-row'}
            onRow={(r) => ({
              onClick: () => navigate(`/applications/${r.id}`),
              'data-testid': `application-row-${r.id}`,
            })}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: list.data?.total ?? 0,
              showSizeChanger: false,
              showTotal: (n) => t('common.total', { n }),
              onChange: (p) => setFilter('page', p === 1 ? undefined : p),
            }}
          />
        )}
      </Card>
      {creating && <NewApplicationModal onClose={() => setCreating(false)} />}
    </PageContainer>
  );
}
