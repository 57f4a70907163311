import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Button, Card, Grid, Input, Pagination, Select, Space, Table, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { LEVEL_LABELS, PUBLIC_TITLE_STATUSES, PUBLIC_TITLE_STATUS_LABELS, type PublicTitleStatus, type TitleLevel } from '@pingan/core';
import { certificateUrl, listTitles, titlesXlsxUrl } from '../../../api/titles';
import { listCampaigns } from '../../../api/campaigns';
import type { Title } from '../../../api/types';
import { useAsync } from '../../../hooks/useAsync';
import { useMe } from '../../../auth/AuthContext';
import { useI18n } from '../../../locales';
import PageContainer from '../../../components/PageContainer';
import ErrorBox from '../../../components/ErrorBox';
import Stars from '../../../components/Stars';
import BatchPanel from './BatchPanel';

const PAGE_SIZE = 20;
const STATUS_COLOR: Record<PublicTitleStatus, string> = { valid: 'green', yellow: 'gold', revoked: 'red', expired: 'default' };

function isStatus(s: string | null): s is PublicTitleStatus {
  return s !== null && (PUBLIC_TITLE_STATUSES as readonly string[]).includes(s);
}

/** 已命名: the titles in scope, paged and searchable, each with its live status, its public page and its certificates. */
export default function TitleListPage() {
  const { t, pick } = useI18n();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const campaignId = Number(params.get('campaign')) || undefined;
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [qInput, setQInput] = useState(q);
  const phone = Grid.useBreakpoint().md === false;
  const filterWidth = (w: number) => (phone ? '100%' : w);

  const list = useAsync(
    () => listTitles({ status, campaignId, q: q || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    [status, campaignId, q, page],
  );
  const campaigns = useAsync(listCampaigns, []);

  const setFilter = (key: string, value: string | number | undefined) => {
    const next = new URLSearchParams(params);
    if (value === undefined || value === '') next.delete(key);
    else next.set(key, String(value));
    if (key !== 'page') next.delete('page');
    setParams(next);
  };

  const columns: ColumnsType<Title> = [
    {
      title: t('titles.subject'),
      dataIndex: 'subjectName',
      width: 220,
      render: (n: string, r) => (
        <div>
          <strong>{n}</strong>
          <div className="muted" style={{ fontSize: 12 }}>
            {r.regionName}
          </div>
        </div>
      ),
    },
    {
      title: t('titles.titleName'),
      dataIndex: 'titleName',
      width: 160,
      render: (n: string, r) => (
        <div>
          {n} · {r.year}
          <div>
            {r.level === 'title' ? (
              <span className="muted" style={{ fontSize: 12 }}>
                {t('rating.noStars')}
              </span>
            ) : (
              <Tooltip title={pick(LEVEL_LABELS[r.level as TitleLevel])}>
                <span>
                  <Stars value={r.stars} size={12} />
                </span>
              </Tooltip>
            )}
          </div>
        </div>
      ),
    },
    {
      title: t('titles.state'),
      key: 'state',
      width: 150,
      render: (_: unknown, r) => (
        <div data-testid={`title-status-${r.id}`} data-status={r.publicStatus}>
          <Tooltip title={r.statusReason ?? undefined}>
            <Tag color={STATUS_COLOR[r.publicStatus]}>{pick(PUBLIC_TITLE_STATUS_LABELS[r.publicStatus])}</Tag>
          </Tooltip>
          <div className="muted" style={{ fontSize: 12 }}>
            {r.publicStatus === 'valid' || r.publicStatus === 'expired'
              ? r.validUntil && t('titles.validUntil', { date: r.validUntil })
              : r.statusSince && t('titles.statusSince', { date: r.statusSince })}
          </div>
        </div>
      ),
    },
    {
      title: t('titles.certificateNo'),
      dataIndex: 'certificateNo',
      width: 250,
      render: (n: string, r) => (
        <div>
          <code style={{ fontSize: 12 }}>{n}</code>
          <div className="muted" style={{ fontSize: 12 }}>
            {t('titles.conferredOn')} {r.conferredOn}
            {r.namingDocument ? ` · ${r.namingDocument}` : ''}
          </div>
        </div>
      ),
    },
    { title: t('titles.issuer'), dataIndex: 'issuer', width: 180, ellipsis: true },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 170,
      fixed: phone ? undefined : 'right',
      render: (_: unknown, r) => (
        <Space size={4} wrap>
          <a href={r.publicUrl} target="_blank" rel="noopener noreferrer" data-testid={`public-link-${r.id}`}>
            {t('titles.publicPage')}
          </a>
          <a href={certificateUrl(r.id, 'plaque')} data-testid={`certificate-${r.id}`}>
            {t('titles.plaque')}
          </a>
          <a href={certificateUrl(r.id, 'a4')} data-testid={`certificate-a4-${r.id}`}>
            {t('titles.a4')}
          </a>
        </Space>
      ),
    },
  ];

  return (
    <PageContainer
      title={t('titles.title')}
      subTitle={phone ? undefined : t('titles.subtitle')}
      extra={
        me.role !== 'applicant' && (
          <Button href={titlesXlsxUrl({ status, campaignId, q: q || undefined })} data-testid="titles-export">
            {t('titles.export')}
          </Button>
        )
      }
    >
      {me.role === 'safety_office' && (
        <BatchPanel campaigns={(campaigns.data ?? []).filter((c) => c.owned)} preferred={list.data?.items.map((i) => i.campaignId)} />
      )}
      {list.error && <ErrorBox error={list.error} onRetry={list.reload} />}
      <Card styles={{ body: { paddingBottom: 8 } }}>
        <Space wrap orientation={phone ? 'vertical' : 'horizontal'} style={{ marginBottom: 16, width: phone ? '100%' : undefined }}>
          <Select<number>
            style={{ width: filterWidth(280) }}
            value={campaignId ?? 0}
            onChange={(v) => setFilter('campaign', v || undefined)}
            data-testid="titles-filter-campaign"
            options={[
              { value: 0, label: t('titles.allCampaigns') },
              ...(campaigns.data ?? []).map((c) => ({ value: c.id, label: c.name })),
            ]}
          />
          <Select<PublicTitleStatus | ''>
            style={{ width: filterWidth(150) }}
            value={status ?? ''}
            onChange={(v) => setFilter('status', v || undefined)}
            data-testid="titles-filter-status"
            options={[
              { value: '', label: t('titles.allStatus') },
              ...PUBLIC_TITLE_STATUSES.map((s) => ({ value: s, label: pick(PUBLIC_TITLE_STATUS_LABELS[s]) })),
            ]}
          />
          <Input.Search
            allowClear
            style={{ width: filterWidth(300) }}
            placeholder={t('titles.search')}
            value={qInput}
            onChange={(e) => setQInput(e.target.value)}
            onSearch={(v) => setFilter('q', v.trim() || undefined)}
            data-testid="titles-filter-q"
            maxLength={100}
          />
        </Space>
        {phone ? (
          <div className="app-cards" data-testid="title-cards">
            {!list.loading && !list.data?.items.length && <div className="app-cards-empty muted">{t('titles.empty')}</div>}
            {(list.data?.items ?? []).map((r) => (
              <div key={r.id} className="app-card" data-testid={`title-row-${r.id}`}>
                <span className="app-card-head">
                  <strong className="app-card-title">{r.subjectName}</strong>
                  <Tag color={STATUS_COLOR[r.publicStatus]}>{pick(PUBLIC_TITLE_STATUS_LABELS[r.publicStatus])}</Tag>
                </span>
                <span className="app-card-line">
                  {r.titleName} · {r.year} · {r.regionName}
                </span>
                <span className="app-card-line muted">
                  <code style={{ fontSize: 12 }}>{r.certificateNo}</code>
                </span>
                {r.statusReason && <span className="app-card-line muted">{r.statusReason}</span>}
                <span className="app-card-foot">
                  <a href={r.publicUrl} target="_blank" rel="noopener noreferrer">
                    {t('titles.publicPage')}
                  </a>
                  <span>
                    <a href={certificateUrl(r.id, 'plaque')}>{t('titles.plaque')}</a> ·{' '}
                    <a href={certificateUrl(r.id, 'a4')}>{t('titles.a4')}</a>
                  </span>
                </span>
              </div>
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
          <Table<Title>
            rowKey="id"
            size="middle"
            loading={list.loading}
            columns={columns}
            dataSource={list.data?.items ?? []}
            scroll={{ x: 1130 }}
            locale={{ emptyText: t('titles.empty') }}
            onRow={(r) => ({ 'data-testid': `title-row-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: list.data?.total ?? 0,
              showSizeChanger: false,
              hideOnSinglePage: true,
              showTotal: (n) => t('common.total', { n }),
              onChange: (p) => setFilter('page', p === 1 ? undefined : p),
            }}
          />
        )}
      </Card>
    </PageContainer>
  );
}
