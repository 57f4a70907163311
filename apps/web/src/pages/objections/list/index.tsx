import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Button, Card, Grid, Input, List, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { listNotices } from '../../../api/notices';
import { useAsync } from '../../../hooks/useAsync';
import { useT, type MessageKey } from '../../../locales';
import { fmtTime } from '../../../utils/format';
import PageContainer from '../../../components/PageContainer';
import ErrorBox from '../../../components/ErrorBox';
import { OBJECTION_STATUSES, listObjections, objectionsXlsxUrl, type ObjectionRow, type ObjectionStatus } from '../api';

const PAGE_SIZE = 20;

export const OBJECTION_COLORS: Record<ObjectionStatus, string> = {
  open: 'red',
  investigating: 'gold',
  upheld: 'volcano',
  dismissed: 'default',
};

export function ObjectionStatusTag({ status, outcome }: { status: ObjectionStatus; outcome?: ObjectionRow['outcome'] }) {
  const t = useT();
  return (
    <Space size={4} wrap>
      <Tag color={OBJECTION_COLORS[status]} data-status={status} style={{ marginInlineEnd: 0 }}>
        {t(`objections.status.${status}` as MessageKey)}
      </Tag>
      {outcome && <Tag style={{ marginInlineEnd: 0 }}>{t(`objections.outcome.${outcome}` as MessageKey)}</Tag>}
    </Space>
  );
}

/** 异议办理: the objections the lead department or the owning office handles; filter, search, page, export. */
export default function ObjectionListPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status');
  const status = (OBJECTION_STATUSES as readonly string[]).includes(statusParam ?? '') ? (statusParam as ObjectionStatus) : undefined;
  const noticeId = Number(params.get('notice')) || undefined;
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [qInput, setQInput] = useState(q);
  const phone = Grid.useBreakpoint().md === false;

  const list = useAsync(
    () => listObjections({ status, noticeId, q: q || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    [status, noticeId, q, page],
  );
  const notices = useAsync(listNotices, []);

  const setFilter = (key: string, value: string | number | undefined) => {
    const next = new URLSearchParams(params);
    if (value === undefined || value === '') next.delete(key);
    else next.set(key, String(value));
    if (key !== 'page') next.delete('page');
    setParams(next);
  };

  const columns: ColumnsType<ObjectionRow> = [
    {
      title: t('objections.col.subject'),
      dataIndex: 'subjectName',
      width: 220,
      render: (n: string, r) => (
        <Link to={`/objections/${r.id}`} data-testid={`objection-${r.id}`}>
          <strong>{n}</strong>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {r.regionName} · {r.categoryName}
            </Typography.Text>
          </div>
        </Link>
      ),
    },
    { title: t('objections.col.notice'), dataIndex: 'noticeTitle', ellipsis: true },
    {
      title: t('objections.col.mode'),
      dataIndex: 'anonymous',
      width: 80,
      render: (a: boolean) => t(a ? 'objections.mode.anonymous' : 'objections.mode.named'),
    },
    { title: t('objections.col.files'), dataIndex: 'files', width: 70, align: 'right' },
    { title: t('objections.col.createdAt'), dataIndex: 'createdAt', width: 150, render: (s: string) => fmtTime(s) },
    {
      title: t('objections.col.status'),
      dataIndex: 'status',
      width: 200,
      render: (s: ObjectionStatus, r) => <ObjectionStatusTag status={s} outcome={r.outcome} />,
    },
  ];

  const filters = (
    <Space wrap={!phone} direction={phone ? 'vertical' : 'horizontal'} style={{ width: phone ? '100%' : undefined }}>
      <Select<number | undefined>
        allowClear
        style={{ width: phone ? '100%' : 280 }}
        placeholder={t('objections.filter.notice')}
        value={noticeId}
        loading={notices.loading}
        onChange={(v) => setFilter('notice', v)}
        options={(notices.data ?? []).map((n) => ({ value: n.id, label: n.title }))}
        data-testid="objection-filter-notice"
      />
      <Select<ObjectionStatus | undefined>
        allowClear
        style={{ width: phone ? '100%' : 150 }}
        placeholder={t('objections.filter.status')}
        value={status}
        onChange={(v) => setFilter('status', v)}
        options={OBJECTION_STATUSES.map((s) => ({ value: s, label: t(`objections.status.${s}` as MessageKey) }))}
        data-testid="objection-filter-status"
      />
      <Input.Search
        allowClear
        style={{ width: phone ? '100%' : 280 }}
        placeholder={t('objections.search')}
        value={qInput}
        onChange={(e) => setQInput(e.target.value)}
        onSearch={(v) => setFilter('q', v.trim())}
        data-testid="objection-search"
      />
      <Button href={objectionsXlsxUrl({ status, noticeId, q: q || undefined })} data-testid="objection-export">
        {t('objections.export')}
      </Button>
    </Space>
  );

  const data = list.data;
  const pagination = {
    current: page,
    pageSize: PAGE_SIZE,
    total: data?.total ?? 0,
    showSizeChanger: false,
    showTotal: (n: number) => t('common.total', { n }),
    onChange: (p: number) => setFilter('page', p === 1 ? undefined : p),
  };
  return (
    <PageContainer title={t('objections.title')} subTitle={phone ? undefined : t('objections.subtitle')}>
      <Card style={{ marginBottom: 16 }}>{filters}</Card>
      {list.error && <ErrorBox error={list.error} onRetry={list.reload} />}
      <Card styles={{ body: { padding: phone ? 8 : 0 } }}>
        {phone ? (
          <List<ObjectionRow>
            loading={list.loading}
            dataSource={data?.items ?? []}
            pagination={pagination}
            locale={{ emptyText: t('objections.empty') }}
            renderItem={(r) => (
              <List.Item key={r.id}>
                <List.Item.Meta
                  title={
                    <Link to={`/objections/${r.id}`} data-testid={`objection-${r.id}`}>
                      {r.subjectName}
                    </Link>
                  }
                  description={
                    <>
                      <div>{r.noticeTitle}</div>
                      <Space size={8} wrap>
                        <ObjectionStatusTag status={r.status} outcome={r.outcome} />
                        <span>{fmtTime(r.createdAt)}</span>
                      </Space>
                    </>
                  }
                />
              </List.Item>
            )}
          />
        ) : (
          <Table<ObjectionRow>
            rowKey="id"
            loading={list.loading}
            columns={columns}
            dataSource={data?.items ?? []}
            pagination={pagination}
            locale={{ emptyText: t('objections.empty') }}
            data-testid="objection-table"
          />
        )}
      </Card>
    </PageContainer>
  );
}
