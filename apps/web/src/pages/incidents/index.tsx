import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Button, Card, Grid, Input, Pagination, Select, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { INCIDENT_TYPES, INCIDENT_TYPE_LABELS, type IncidentType } from '@pingan/core';
import { useAsync } from '../../hooks/useAsync';
import { useMe } from '../../auth/AuthContext';
import { useI18n } from '../../locales';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';
import { incidentsXlsxUrl, listIncidents, type IncidentListItem } from './api';
import { AppealTag, ConsequenceTags, IncidentStatusTag, TypeTag } from './tags';

const PAGE_SIZE = 20;
const STATUSES = ['reported', 'confirmed', 'dismissed'] as const;
type Status = (typeof STATUSES)[number];
export const RECORDER_ROLES = ['safety_office', 'lead_department', 'cooperating_department'] as const;

/** 事件与申诉: staff see the incidents of their region (paged, searchable, exported); a holder its own. */
export default function IncidentListPage() {
  const { t, pick } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const staff = me.role !== 'applicant';
  const recorder = (RECORDER_ROLES as readonly string[]).includes(me.role);
  const statusParam = params.get('status');
  const status = (STATUSES as readonly string[]).includes(statusParam ?? '') ? (statusParam as Status) : undefined;
  const typeParam = params.get('type');
  const type = (INCIDENT_TYPES as readonly string[]).includes(typeParam ?? '') ? (typeParam as IncidentType) : undefined;
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [qInput, setQInput] = useState(q);
  const phone = Grid.useBreakpoint().md === false;
  const w = (n: number) => (phone ? '100%' : n);

  const list = useAsync(
    () => listIncidents({ status, type, q: q || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    [status, type, q, page],
  );
  const setFilter = (key: string, value: string | number | undefined) => {
    const next = new URLSearchParams(params);
    if (value === undefined || value === '') next.delete(key);
    else next.set(key, String(value));
    if (key !== 'page') next.delete('page');
    setParams(next);
  };

  const columns: ColumnsType<IncidentListItem> = [
    { title: t('incidents.col.type'), dataIndex: 'type', width: 140, render: (v: IncidentType) => <TypeTag type={v} /> },
    { title: t('incidents.col.occurredOn'), dataIndex: 'occurredOn', width: 110 },
    {
      title: t('incidents.col.target'),
      dataIndex: 'targetName',
      width: 220,
      ellipsis: true,
      render: (n: string, r) => (
        <span>
          <strong>{n}</strong>
          {r.target === 'region' && <span className="muted"> · {t('incidents.target.region')}</span>}
        </span>
      ),
    },
    { title: t('incidents.col.region'), dataIndex: 'regionName', width: 120, ellipsis: true },
    { title: t('incidents.col.place'), dataIndex: 'place', ellipsis: true },
    { title: t('incidents.col.status'), dataIndex: 'status', width: 100, render: (s: Status) => <IncidentStatusTag status={s} /> },
    {
      title: t('incidents.col.consequence'),
      key: 'consequence',
      width: 220,
      render: (_, r) =>
        r.status === 'reported' ? (
          <span>
            <span className="muted">{t('incidents.proposed')}：</span>
            <ConsequenceTags list={r.proposedConsequences} />
          </span>
        ) : (
          <ConsequenceTags list={r.consequences} />
        ),
    },
    {
      title: t('incidents.col.appeal'),
      dataIndex: 'appealStatus',
      width: 100,
      render: (a: IncidentListItem['appealStatus']) => <AppealTag status={a} />,
    },
    { title: t('incidents.col.appealUntil'), dataIndex: 'appealUntil', width: 110, render: (d: string | null) => d ?? '—' },
    ...(staff ? [{ title: t('incidents.col.reportedBy'), dataIndex: 'reportedByOrg', width: 160, ellipsis: true }] : []),
  ];

  return (
    <PageContainer
      title={staff ? t('incidents.title') : t('incidents.mineTitle')}
      subTitle={staff ? t('incidents.subtitle') : t('incidents.mineSubtitle')}
      extra={
        <Space wrap>
          {staff && (
            <Button href={incidentsXlsxUrl({ status, type, q: q || undefined })} data-testid="incidents-export">
              {t('incidents.export')}
            </Button>
          )}
          {recorder && (
            <Button type="primary" onClick={() => navigate('/incidents/new')} data-testid="incident-new">
              {t('incidents.new')}
            </Button>
          )}
        </Space>
      }
    >
      {list.error && <ErrorBox error={list.error} onRetry={list.reload} />}
      <Card styles={{ body: { paddingBottom: 8 } }}>
        <Space wrap orientation={phone ? 'vertical' : 'horizontal'} style={{ marginBottom: 16, width: phone ? '100%' : undefined }}>
          <Select<Status | ''>
            style={{ width: w(150) }}
            value={status ?? ''}
            onChange={(v) => setFilter('status', v || undefined)}
            data-testid="incidents-filter-status"
            options={[
              { value: '', label: t('incidents.allStatus') },
              ...STATUSES.map((s) => ({ value: s, label: t(`incidents.status.${s}`) })),
            ]}
          />
          <Select<IncidentType | ''>
            style={{ width: w(170) }}
            value={type ?? ''}
            onChange={(v) => setFilter('type', v || undefined)}
            data-testid="incidents-filter-type"
            options={[
              { value: '', label: t('incidents.allTypes') },
              ...INCIDENT_TYPES.map((x) => ({ value: x, label: pick(INCIDENT_TYPE_LABELS[x]) })),
            ]}
          />
          <Input.Search
            allowClear
            style={{ width: w(280) }}
            placeholder={t('incidents.search')}
            value={qInput}
            onChange={(e) => setQInput(e.target.value)}
            onSearch={(v) => setFilter('q', v.trim() || undefined)}
            data-testid="incidents-filter-q"
            maxLength={100}
          />
        </Space>
        {phone ? (
          <div className="app-cards" data-testid="incident-cards">
            {!list.loading && !list.data?.items.length && <div className="app-cards-empty muted">{t('incidents.empty')}</div>}
            {(list.data?.items ?? []).map((r) => (
              <button
                type="button"
                key={r.id}
                className="app-card"
                onClick={() => navigate(`/incidents/${r.id}`)}
                data-testid={`incident-row-${r.id}`}
              >
                <span className="app-card-head">
                  <strong className="app-card-title">{r.targetName}</strong>
                  <IncidentStatusTag status={r.status} />
                </span>
                <span className="app-card-line">
                  <TypeTag type={r.type} /> {r.occurredOn}
                </span>
                <span className="app-card-line">
                  <ConsequenceTags list={r.consequences ?? r.proposedConsequences} />
                </span>
                {r.appealUntil && (
                  <span className="app-card-foot">
                    <span className="muted">{t('incidents.appealUntilShort', { date: r.appealUntil })}</span>
                    <AppealTag status={r.appealStatus} />
                  </span>
                )}
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
            {list.data && <div className="app-cards-total muted">{t('common.total', { n: list.data.total })}</div>}
          </div>
        ) : (
          <Table<IncidentListItem>
            rowKey="id"
            size="middle"
            loading={list.loading}
            columns={columns}
            dataSource={list.data?.items ?? []}
            scroll={{ x: 1400 }}
            locale={{ emptyText: t('incidents.empty') }}
            rowClassName={() => 'clickable-row'}
            onRow={(r) => ({ onClick: () => navigate(`/incidents/${r.id}`), 'data-testid': `incident-row-${r.id}` })}
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
    </PageContainer>
  );
}
