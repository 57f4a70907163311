import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button, Card, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { votesApi } from '@pingan/contract';
import { call, urlOf } from '../../api/client';
import { useAsync } from '../../hooks/useAsync';
import { useT, type MessageKey } from '../../locales';
import PageContainer from '../../components/PageContainer';
import ErrorBox from '../../components/ErrorBox';
import CreateVoteModal from './CreateVoteModal';
import { STATE_COLOR, type VoteRow } from './states';

const PAGE = 20;

/** 网络评选: the region's votes, paged; open a new one; export the list. */
export default function VoteListPage() {
  const t = useT();
  const navigate = useNavigate();
  const [offset, setOffset] = useState(0);
  const [creating, setCreating] = useState(false);
  const { data, error, loading, reload } = useAsync(() => call(votesApi.list, { query: { limit: PAGE, offset } }), [offset]);

  const columns: ColumnsType<VoteRow> = [
    {
      title: t('votes.col.title'),
      dataIndex: 'title',
      render: (title: string, v) => (
        <Link to={`/votes/${v.id}`} data-testid={`vote-open-${v.id}`}>
          <strong>{title}</strong>
        </Link>
      ),
    },
    { title: t('votes.col.campaign'), dataIndex: 'campaignName', width: 260 },
    { title: t('votes.col.category'), dataIndex: 'categoryName', width: 100 },
    { title: t('votes.col.period'), key: 'period', width: 200, render: (_: unknown, v) => `${v.startsOn} ~ ${v.endsOn}` },
    {
      title: t('votes.col.state'),
      key: 'state',
      width: 90,
      render: (_: unknown, v) => (
        <Tag color={STATE_COLOR[v.state]} data-testid={`vote-state-${v.id}`}>
          {t(`votes.state.${v.state}` as MessageKey)}
        </Tag>
      ),
    },
    { title: t('votes.col.candidates'), dataIndex: 'candidates', width: 70, align: 'right' },
    {
      title: t('votes.col.ballots'),
      key: 'ballots',
      width: 140,
      align: 'right',
      render: (_: unknown, v) => (
        <span>
          {v.ballots}
          {v.setAside > 0 && <span className="muted">（{v.setAside}）</span>}
        </span>
      ),
    },
    {
      title: t('votes.col.applied'),
      key: 'applied',
      width: 90,
      render: (_: unknown, v) => (v.applied ? <Tag color="green">{t('votes.applied')}</Tag> : <Tag>{t('votes.notApplied')}</Tag>),
    },
  ];

  return (
    <PageContainer
      title={t('votes.title')}
      subTitle={t('votes.subtitle')}
      extra={
        <Space wrap>
          <Button href={urlOf(votesApi.list, { query: { format: 'xlsx' } })} data-testid="votes-export">
            {t('votes.export')}
          </Button>
          <Button type="primary" onClick={() => setCreating(true)} data-testid="vote-create">
            {t('votes.create')}
          </Button>
        </Space>
      }
    >
      {error && <ErrorBox error={error} onRetry={reload} />}
      <Card styles={{ body: { padding: 0 } }}>
        <Table<VoteRow>
          rowKey="id"
          loading={loading}
          columns={columns}
          dataSource={data?.items ?? []}
          pagination={{
            current: Math.floor(offset / PAGE) + 1,
            pageSize: PAGE,
            total: data?.total ?? 0,
            hideOnSinglePage: true,
            showSizeChanger: false,
            onChange: (p) => setOffset((p - 1) * PAGE),
          }}
          scroll={{ x: 1100 }}
          locale={{ emptyText: t('votes.empty') }}
          onRow={(v) => ({ 'data-testid': `vote-row-${v.id}` }) as never}
        />
      </Card>
      <CreateVoteModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => {
          setCreating(false);
          navigate(`/votes/${id}`);
        }}
      />
    </PageContainer>
  );
}
